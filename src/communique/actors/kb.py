"""The actor knowledge base: people with dated roles, organisations and agent nouns.

Built from `data/kb/` (converted from the PETRARCH2/Phoenix dictionaries by
`tools/build_actor_kb.py`, plus the team's `office_holders_recent.tsv` for office holders since
2018). The tables are compiled once into plain tuples and dicts and cached on disk
(`communique.cache`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from communique.cache import compiled
from communique.datafiles import read_table

_KB_FILES = (
    "people.tsv",
    "organisations.tsv",
    "agents.tsv",
    "office_holders_recent.tsv",
    "family_name_first.tsv",
)
# The PETRARCH2 lists were last updated around 2018: a role they leave open is trusted only to
# the end of that year (later office holders come from office_holders_recent.tsv).
SOURCE_CURRENT_TO = date(2018, 12, 31)
# Compiled rows: a person is (name, roles, wikidata id), a role (code, sector, first day, last
# day, office) with days as ordinals (0: open), an organisation (name, code, sector).
_RoleRow = tuple[str | None, str | None, int, int, str | None]
_PersonRow = tuple[str, tuple[_RoleRow, ...], str | None]
_OrganisationRow = tuple[str, str | None, str | None]
# Shorter words are no surnames ("Xi" and "Li" are: two letters).
_MIN_SURNAME = 2


@dataclass(frozen=True)
class Role:
    code: str | None
    sector: str | None
    start: date | None
    end: date | None
    office: str | None = None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class Person:
    name: str
    roles: tuple[Role, ...]
    identifier_id: str | None = None

    def role_on(self, day: date) -> Role | None:
        """The role on `day`: a dated role that holds then (an office before ELI, the latest
        first), else the undated default; after the last dated role, a former office holder
        is an elite (ELI) of the country, as PLOVER codes "former president X"; before the
        first, a person of the country with no sector."""
        holding = [r for r in self.roles if r.dated and r.holds_on(day)]
        if holding:
            return max(holding, key=lambda r: (r.sector != "ELI", r.start or date.min))
        undated = [r for r in self.roles if not r.dated]
        if undated:
            return undated[0]
        past = [r for r in self.roles if r.end is not None and r.end < day]
        if past:
            latest = max(past, key=lambda r: r.end or date.min)
            return Role(latest.code, "ELI", None, None)
        # Before the first office the lists know of ("Rubio" in 2024, Secretary of State from
        # 2025): a person of that country, in no office the lists can name.
        coming = {r.code for r in self.roles if r.start is not None and day < r.start}
        if len(coming) == 1:
            return Role(coming.pop(), None, None, None)
        return None


@dataclass(frozen=True)
class Organisation:
    name: str
    code: str | None
    sector: str | None


class KnowledgeBase:
    """Lookups by normalised name (`name_key`); build with `knowledge_base()`.

    The tables are plain tuples and dicts (see `_PersonRow`) so that they load from the cache
    fast; the lookups return dataclasses."""

    def __init__(self, tables: dict[str, Any] | None = None) -> None:
        tables = tables or {}
        self._people: list[_PersonRow] = tables.get("people", [])
        self._organisations: list[_OrganisationRow] = tables.get("organisations", [])
        self.people_by_name: dict[str, list[int]] = tables.get("people_by_name", {})
        self.people_by_surname: dict[str, list[int]] = tables.get("people_by_surname", {})
        self.organisations_by_name: dict[str, list[int]] = tables.get("organisations_by_name", {})
        agents: dict[str, str] = tables.get("agents", {})
        self.agents: dict[tuple[str, ...], str] = {tuple(k.split()): v for k, v in agents.items()}
        # Read while building only (data/kb/family_name_first.tsv): codes whose names start
        # with the family name
        self.family_name_first: frozenset[str] = frozenset()

    def tables(self) -> dict[str, Any]:
        return {
            "people": self._people,
            "organisations": self._organisations,
            "people_by_name": self.people_by_name,
            "people_by_surname": self.people_by_surname,
            "organisations_by_name": self.organisations_by_name,
            "agents": {" ".join(k): v for k, v in self.agents.items()},
        }

    # --- lookups ------------------------------------------------------------------------------

    def people_named(self, text: str, day: date | None = None) -> list[Person]:
        """People whose name or alias is `text`. A single word is also read as a surname, but
        only of people in office on `day` (thousands of former officials share surnames; news
        names the serving ones by surname alone). Two words are also read as a first and a last
        name with the middle names left out."""
        key = name_key(text)
        found = self.people_by_name.get(key, [])
        if not found and key.count(" ") == 1:
            # "Carlos Menem" for "Carlos Saul Menem": first and last name, middle names left out
            first, last = key.split()
            found = [
                i
                for i in self.people_by_surname.get(last, [])
                if name_key(self._people[i][0].split()[0]) == first
            ]
        if found or " " in key or len(key) < _MIN_SURNAME or day is None:
            return [_person(self._people[i]) for i in found]
        people = [_person(self._people[i]) for i in self.people_by_surname.get(key, [])]
        return [p for p in people if any(r.dated and r.holds_on(day) for r in p.roles)]

    def organisations_named(self, text: str) -> list[Organisation]:
        found = self.organisations_by_name.get(name_key(text), [])
        return [Organisation(*self._organisations[i]) for i in found]

    # --- building -----------------------------------------------------------------------------

    def _add_person(self, row: _PersonRow, aliases: list[str]) -> None:
        index = len(self._people)
        self._people.append(row)
        name = row[0]
        for alias in {name, *aliases}:
            key = name_key(alias)
            if key and index not in self.people_by_name.setdefault(key, []):
                self.people_by_name[key].append(index)
        # The surnames of the name and of its aliases: "Zelenskyy", as VOA spells it, is the
        # surname of an alias of "Volodymyr Zelensky"
        spellings = [n.split() for n in (name, *aliases) if n.split()]
        surnames = {name_key(words[-1]) for words in spellings}
        if any(role[0] in self.family_name_first for role in row[1]):
            surnames |= {name_key(words[0]) for words in spellings}  # "Xi" of "Xi Jinping"
        for surname in sorted(surnames):
            if len(surname) >= _MIN_SURNAME and surname[:1].isalpha():
                self.people_by_surname.setdefault(surname, []).append(index)

    def _add_organisation(self, row: _OrganisationRow, aliases: list[str]) -> None:
        index = len(self._organisations)
        self._organisations.append(row)
        for alias in {row[0], *aliases}:
            key = name_key(alias)
            # A one-word alias of 3 letters or fewer ("ANC", "PKK") is an acronym: too many
            # collide with words and other bodies to match from this list alone.
            if key and (" " in key or len(key) > 3):
                self.organisations_by_name.setdefault(key, []).append(index)


def _person(row: _PersonRow) -> Person:
    name, roles, wikidata = row
    return Person(
        name,
        tuple(
            Role(code, sector, _day(first), _day(last), office)
            for code, sector, first, last, office in roles
        ),
        wikidata,
    )


def _day(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if ordinal else None


def _ordinal(text: str) -> int:
    return date.fromisoformat(text).toordinal() if text and text != "-" else 0


def name_key(text: str) -> str:
    """How names are compared: lower case, no leading "the", no dots or possessive, one space."""
    words = text.replace(".", "").replace("\u2019", "'").lower().split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] in ("'s", "'"):
        words = words[:-1]
    return " ".join(w.removesuffix("'s") for w in words)


def _roles(text: str, dated_only: bool = False) -> tuple[_RoleRow, ...]:
    """PETRARCH2 roles ("RUS GOV 2008-05-08 -; RUS ELI"); an open end stops at the source's
    last update (`SOURCE_CURRENT_TO`). `dated_only` drops the undated default role (for people
    whose later career the team's rows give)."""
    roles: list[_RoleRow] = []
    for part in text.split(";"):
        fields = part.split()
        if len(fields) < 2:
            continue
        code, sector = (None if f == "-" else f for f in fields[:2])
        first, last = (_ordinal(f) for f in (fields[2:4] if len(fields) >= 4 else ("-", "-")))
        if dated_only and not (first or last):
            continue
        if first and not last:
            last = SOURCE_CURRENT_TO.toordinal()
        roles.append((code, sector, first, last, None))
    return tuple(roles)


def build() -> KnowledgeBase:
    """The tables from the data files (use `knowledge_base()`, which caches them)."""
    kb = KnowledgeBase()
    kb.family_name_first = frozenset(r["code"] for r in read_table("kb/family_name_first.tsv"))
    older = {row["name"]: row for row in read_table("kb/people.tsv")}
    recent: dict[str, list[dict[str, str]]] = {}
    for row in read_table("kb/office_holders_recent.tsv"):
        recent.setdefault(row["name"], []).append(row)
    for name, rows in recent.items():
        roles: tuple[_RoleRow, ...] = tuple(
            (r["code"], r["sector"] or "GOV", _ordinal(r["start"]), _ordinal(r["end"]), r["office"])
            for r in rows
        )
        wikidata = next((r["wikidata"] for r in rows if r["wikidata"]), None)
        aliases = [a for r in rows for a in r["aliases"].split("|") if a]
        if name in older:  # the team's rows come first; PETRARCH2's earlier career follows
            roles += _roles(older[name]["roles"], dated_only=True)
            aliases += [a for a in older.pop(name)["aliases"].split("|") if a]
        kb._add_person((name, roles, wikidata), aliases)
    for row in older.values():
        aliases = [a for a in row["aliases"].split("|") if a]
        kb._add_person((row["name"], _roles(row["roles"]), None), aliases)
    for row in read_table("kb/organisations.tsv"):
        organisation = (row["name"], row["code"] or None, row["sector"] or None)
        kb._add_organisation(organisation, [a for a in row["aliases"].split("|") if a])
    for row in read_table("kb/agents.tsv"):
        kb.agents.setdefault(tuple(row["phrase"].split()), row["sector"])
    return kb


def _inputs() -> list[bytes]:
    folder = resources.files("communique").joinpath("data", "kb")
    return [Path(__file__).read_bytes(), *(folder.joinpath(n).read_bytes() for n in _KB_FILES)]


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The process-wide knowledge base: from the compiled cache, or built and cached."""
    return KnowledgeBase(compiled("actor-kb", _inputs(), lambda: build().tables()))
