"""The places stage: where an event happened, resolved against the offline gazetteer.

Per document, `PlaceResolver.document_places` finds the place mentions (GPE/LOC/FAC entities, and
proper nouns the small model mislabels or misses when the gazetteer knows them and a locative
preposition introduces them), resolves them against what the document itself says (the countries
it mentions, the places it names without ambiguity), and picks the dateline and the main place.
`locate` then chooses the place of one mention of an event: the place phrase on its trigger, else
a locative place in its sentence, else the document's dateline or main place. A name that stays
ambiguous keeps its `extracted_place` and nothing else: a null beats a confident wrong place.

As a stage (`PlaceResolver` is called as `resolver(context, drafts)`), it places each event from
its lead mention, or from another mention that names a place of its own when the lead only has
the document's, and then gives parties named only by role ("demonstrators") the country the event
is placed in (`place_unplaced_parties`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from communique.attribution import cue_lexicon
from communique.gazetteer import Candidate, Gazetteer, choose, default_gazetteer, name_key
from communique.records import Document, Entity, Location
from communique.stages import DocumentContext, EventAnchor, EventDraft
from communique.wire import DATELINE

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
# Actor codes that are not countries (PLOVER's international and non-state codes).
_NON_COUNTRY = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG", "ISM", "MNC"})


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
    # The verb of saying whose subject holds the mention ("aid workers in Nairobi said"): the
    # speaker's place, not the place of what they report. None when it is no speaker's.
    speaker_verb: int | None = None


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


def _joined_names(doc: Doc) -> list[Span]:
    """The document's entities, with a place name the small model cut after "of" joined again
    to the name that follows it ("the Bay of" + "Bengal": "the Bay of Bengal")."""
    joined: list[Span] = []
    for ent in doc.ents:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.end == ent.start
            and last[-1].lower_ == "of"
            and last.label_ in PLACE_LABELS
            and ent.label_ in PLACE_LABELS
        ):
            joined[-1] = Span(doc, last.start, ent.end, label=last.label_)
        else:
            joined.append(ent)
    return joined


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
        if prep == "of" and token.head.head.lower_ in ("outside", "inside"):
            prep = token.head.head.lower_  # "outside of Basra": one preposition in two words
        actor = prep == "by" and token.head.dep_ == "agent"
        return prep in LOCATIVE_PREPS, actor, f"pobj:{prep}"
    return False, token.dep_ in ACTOR_DEPS, token.dep_


class PlaceResolver:
    """Finds and resolves the places of a document and of its events; the places stage."""

    name = "places"

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        speech_verbs: frozenset[str] | None = None,
        country_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.speech_verbs = cue_lexicon().verbs if speech_verbs is None else speech_verbs
        # A country name or demonym's code ("Lebanese" -> LBN); the coder passes the actor
        # knowledge's. Without it, only names the gazetteer reads as countries count.
        self.country_of = country_of or self._gazetteer_country

    def _gazetteer_country(self, text: str) -> str | None:
        countries = [c for c in self.gazetteer.lookup(text) if c.resolution == "country"]
        return countries[0].country_code if len(countries) == 1 else None

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        if not drafts:
            return drafts  # the document's places are worth finding only for its events
        places = context.memo(self.document_places)
        placed = []
        for draft in drafts:
            location = self.event_location(context, places, draft)
            placed.append(place_unplaced_parties(replace(draft, location=location)))
        return placed

    # -- finding mentions -------------------------------------------------------------------

    def _spans(
        self, doc: Doc, given: Mapping[str, int]
    ) -> list[tuple[Span, list[Candidate], bool]]:
        """Place spans with their candidate readings, and whether NER called them places."""
        found: list[tuple[Span, list[Candidate], bool]] = []
        weak: list[Span] = []
        covered: set[int] = set()
        for ent in _joined_names(doc):
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
        return [(span, self._narrowed(span, cands), ner) for span, cands, ner in found]

    def _narrowed(self, span: Span, cands: list[Candidate]) -> list[Candidate]:
        """The readings in the country the text states beside the name, if any is: "Tripoli,
        Lebanon", "Tripoli, the north Lebanese port", "the Lebanese city of Tripoli"."""
        stated = _stated_country(span, self.country_of)
        if stated is None:
            return cands
        return [c for c in cands if c.country_code == stated] or cands

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
            mentions.append(PlaceMention(
                span.start, span.end, span.start_char, span.end_char, text, location, locative,
                actor, role, speaker_verb=_speaker_verb(span.root, self.speech_verbs),
            ))  # fmt: skip
        return mentions, given + total

    def _dateline(self, text: str, context: Mapping[str, int]) -> Location | None:
        match = DATELINE.match(text[:160])
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

    def event_location(
        self, ctx: DocumentContext, places: DocumentPlaces, draft: EventDraft
    ) -> Location | None:
        """The lead mention's place, unless it only has the document's: then the first other
        mention that names a place of its own ("... in Gaza" two sentences later)."""
        location = self.locate(ctx, places, draft.anchor)
        for other in draft.others:
            if location is not None and location.basis != "document":
                break
            found = self.locate(ctx, places, other.anchor)
            if found is not None and (location is None or found.basis != "document"):
                location = found
        return location

    def recognise(self, doc: Doc, document: Document) -> list[tuple[int, int, Location]]:
        """Character spans of every place recognised in `doc`, with their resolution."""
        mentions, counts = self._mentions(doc, ())
        spans = [(m.start_char, m.end_char, m.location) for m in mentions]
        match = DATELINE.match(document.text[:160])
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
        # A speaker's place ("officials in Nairobi said") only when the sentence names no other.
        ranked: list[tuple[bool, bool, bool, int, int]] = [
            (m.speaker_verb not in (None, anchor.trigger), not m.locative,
             m.location.resolution is None, abs(m.start - anchor.trigger), m.start)
            for m in places.mentions
            if anchor.sent_start <= m.start and m.end <= anchor.sent_end and not m.actor
            and (m.locative or _object_role(m.role))
        ]  # fmt: skip
        return places.by_token[min(ranked)[4]] if ranked else None


def _stated_country(span: Span, country_of: Callable[[str], str | None]) -> str | None:
    """A country named in the name's apposition or in the place noun it names ("the Lebanese
    city of Tripoli"), never the name itself."""
    root = span.root
    words: list[Token] = []
    for child in root.children:
        if child.dep_ == "appos":
            words += [child, *(c for c in child.children if c.dep_ in ("amod", "compound"))]
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        noun = root.head.head
        if noun.lemma_.lower() in PLACE_NOUNS:
            words += [c for c in noun.children if c.dep_ in ("amod", "compound")]
    doc = span.doc
    for word in words:
        named = next((e for e in doc.ents if e.start <= word.i < e.end), None)
        if named is not None and named.start < span.end and span.start < named.end:
            continue  # part of the name itself
        code = country_of(named.text if named is not None else word.text)
        if code is not None:
            return code
    return None


def _speaker_verb(token: Token, speech_verbs: frozenset[str]) -> int | None:
    """The verb of saying whose subject phrase holds `token` ("officials in Nairobi said")."""
    while token.head.i != token.i:
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in speech_verbs:
            return token.head.i
        if token.dep_ not in ("pobj", "prep", "compound", "amod", "appos", "conj", "poss"):
            return None  # left the noun phrase before reaching a subject
        token = token.head
    return None


def _object_role(role: str) -> bool:
    """Whether a non-locative mention is still where the action happens ("captured Mosul"),
    not a partner ("talks with Russia") or a possessor."""
    if role.startswith("pobj:"):
        return role[5:] not in NON_LOCATIVE_PREPS
    return role in ("dobj", "attr", "appos", "npadvmod", "ROOT", "pcomp", "oprd")


def place_unplaced_parties(draft: EventDraft) -> EventDraft:
    """People named only by role ("23 people", "demonstrators", "Shona rebels") in an event
    placed in a country by its own sentence are most likely of that country (an inferred party,
    of the document's country failing that); failing a place, the target of a national actor
    ("Egyptian police dispersed demonstrators") is domestic."""
    actors, recipients = draft.actors, draft.recipients
    location = draft.location
    if location is not None and location.country_code and location.basis != "document":
        actors = [_with_country(e, location.country_code) for e in actors]
        recipients = [_with_country(e, location.country_code) for e in recipients]
    elif location is not None and location.country_code:
        # An inferred party (the police of an arrest) is of the document's country, failing a
        # place in its sentence.
        actors = [_with_country(e, location.country_code) if e.inferred else e for e in actors]
    actor_countries = {a.code for a in actors if a.code and a.code not in _NON_COUNTRY}
    if len(actor_countries) == 1:
        (country,) = actor_countries
        recipients = [_with_country(e, country) for e in recipients]
    return replace(draft, actors=actors, recipients=recipients)


def _with_country(entity: Entity, country: str) -> Entity:
    if entity.code or not entity.sector or entity.identifier_text:
        return entity
    return replace(entity, code=country)
