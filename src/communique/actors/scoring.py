"""Scoring the actor resolver on labelled mentions (`eval/actors.jsonl`).

Each case is a mention in a passage of real news with the code and sector a human coder gave it,
and the date of the story (roles depend on it). `score_actor_cases` resolves every mention in
its passage and reports code, sector and both-right accuracy, overall and per code class, with
every miss listed. The report's figures are dotted paths for the accuracy gate
(`code.accuracy`, `sector.accuracy`, `both.accuracy`), as `communique eval` reports are.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import InputError
from communique.records import Entity

_GROUP_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "MNC", "IMG", "ISM"})


@dataclass(frozen=True)
class ActorCase:
    id: str
    context: str
    mention: str
    code: str | None
    sector: str | None
    day: date | None
    note: str = ""


@dataclass
class Tally:
    right: int = 0
    scored: int = 0

    def add(self, agrees: bool) -> None:
        self.right += agrees
        self.scored += 1

    @property
    def accuracy(self) -> float | None:
        return round(self.right / self.scored, 4) if self.scored else None

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy, "right": self.right, "scored": self.scored}


@dataclass
class ActorReport:
    gold: str
    gold_sha256: str
    code: Tally = field(default_factory=Tally)
    sector: Tally = field(default_factory=Tally)
    both: Tally = field(default_factory=Tally)
    by_class: dict[str, Tally] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "gold": self.gold,
            "gold_sha256": self.gold_sha256,
            "cases": self.code.scored,
            "code": self.code.to_dict(),
            "sector": self.sector.to_dict(),
            "both": self.both.to_dict(),
            "by_class": {k: v.to_dict() for k, v in sorted(self.by_class.items())},
            "sector_confusion": dict(
                Counter(f"{e['gold_sector']}->{e['sector']}" for e in self.errors).most_common()
            ),
        }
        if errors:
            data["errors"] = self.errors
        return data


def load_actor_cases(path: str | Path) -> list[ActorCase]:
    """The cases of a file in the eval/actors.jsonl layout; a bad line names itself."""
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            row = json.loads(line)
            context, mention = str(row["context"]), str(row["mention"])
            day = date.fromisoformat(row["date"]) if row.get("date") else None
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: {exc}; see eval/FORMAT.md (actor cases)") from None
        if mention not in context:
            raise InputError(f"{where}: the mention {mention!r} is not in its context")
        cases.append(
            ActorCase(
                id=str(row.get("id", number)),
                context=context,
                mention=mention,
                code=row.get("code"),
                sector=row.get("sector"),
                day=day,
                note=str(row.get("note") or ""),
            )
        )
    return cases


def code_class(code: str | None) -> str:
    if code is None:
        return "none"
    return code if code in _GROUP_CODES else "country"


def score_actor_cases(
    path: str | Path, resolve: Callable[[ActorCase], Entity | None]
) -> ActorReport:
    """Resolve each case with `resolve` and score it against its labels."""
    cases = load_actor_cases(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    report = ActorReport(gold=str(path), gold_sha256=digest)
    for case in cases:
        entity = resolve(case)
        code = entity.code if entity is not None else None
        sector = entity.sector if entity is not None else None
        code_right, sector_right = code == case.code, sector == case.sector
        report.code.add(code_right)
        report.sector.add(sector_right)
        report.both.add(code_right and sector_right)
        report.by_class.setdefault(code_class(case.code), Tally()).add(code_right and sector_right)
        if not (code_right and sector_right):
            report.errors.append(
                {
                    "id": case.id, "mention": case.mention, "gold_code": case.code,
                    "gold_sector": case.sector, "code": code, "sector": sector,
                    "identifier_text": entity.identifier_text if entity is not None else None,
                    "note": case.note,
                }
            )  # fmt: skip
    return report
