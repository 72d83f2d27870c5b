"""The accuracy gate: figures that must not drop, counts that must not rise.

`eval/floors.json` maps each gold file (its path relative to the repository root, the folder above
the one holding floors.json) to the sha256 of the file it was measured on and its limits:

    {
      "eval/plover-gsr.jsonl": {
        "sha256": "…",
        "floors": {"type.recall": 0.41, "dyad.recall": 0.22},
        "ceilings": {"type.fp": 3},
        "lowered": [{"figure": "dyad.recall", "from": 0.25, "to": 0.22,
                     "reason": "…", "date": "2025-01-31"}]
      }
    }

A figure is a dotted path into `EvalReport.to_dict()`: `type.recall`, `dyad.f1`, `type.fp`,
`agreement.status.share`, `events_per_document`, … A floor fails when the figure is below it, a
ceiling when the count is above it, and the whole entry fails when the gold file's sha256 differs
(the figures were measured on other data). A limit of null is not checked yet: the next
`communique eval GOLD --update-floors` pins it at the current figure. `update_entry` moves limits
to the current figures: it only ever tightens them (floors up, ceilings down) unless given a
reason to loosen them, which it records under `lowered`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from communique.errors import CommuniqueError, ConfigError
from communique.evaluate import EvalReport

DEFAULT_FLOORS = (
    "type.precision",
    "type.recall",
    "type.f1",
    "dyad.precision",
    "dyad.recall",
    "dyad.f1",
)
DEFAULT_CEILINGS = ("type.fp",)  # only for gold files with complete documents
_EPS = 1e-9
_MISSING = object()


class GateError(CommuniqueError):
    """`update_entry` refused to loosen a limit without a reason."""


def read_floors(path: str | Path) -> dict[str, dict[str, Any]]:
    """The floors file; an absent file is an empty one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"floors file {path} is not readable JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(f"floors file {path} must map gold file paths to objects")
    return data


def write_floors(path: str | Path, floors: Mapping[str, Any]) -> None:
    Path(path).write_text(json.dumps(floors, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def entry_key(floors: Mapping[str, Any], floors_path: str | Path, gold_path: str | Path) -> str:
    """The key of `gold_path` in the floors file: an existing key naming the same file, else the
    path relative to the repository root (the folder above the floors file's folder)."""
    root = Path(floors_path).resolve().parent.parent
    gold = Path(gold_path).resolve()
    for key in floors:
        if (root / key).resolve() == gold or Path(key).resolve() == gold:
            return key
    try:
        return gold.relative_to(root).as_posix()
    except ValueError:
        return Path(gold_path).as_posix()


def figure(report: EvalReport | Mapping[str, Any], name: str) -> Any:
    """The value of a dotted figure name in a report (a number or None); `_MISSING` if unknown."""
    node: Any = report.to_dict() if isinstance(report, EvalReport) else report
    for part in name.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    if node is not None and (isinstance(node, bool) or not isinstance(node, int | float)):
        return _MISSING
    return node


def check_gate(report: EvalReport | Mapping[str, Any], entry: Mapping[str, Any]) -> list[str]:
    """Every way the report fails the entry's limits; empty when it passes."""
    data = report.to_dict() if isinstance(report, EvalReport) else report
    gold = data.get("gold") or "the gold file"
    failures: list[str] = []
    if entry.get("sha256") != data.get("gold_sha256"):
        failures.append(
            f"{gold}: gold file changed: update its sha256 in eval/floors.json in the same commit"
        )
    for kind, limits in (
        ("floor", entry.get("floors") or {}),
        ("ceiling", entry.get("ceilings") or {}),
    ):
        for name, limit in limits.items():
            value = figure(data, name)
            if limit is None:
                continue  # not pinned yet: the next --update-floors sets it
            if isinstance(limit, bool) or not isinstance(limit, int | float):
                failures.append(f"{gold}: the {kind} of {name} is not a number: {limit!r}")
            elif value is _MISSING:
                failures.append(f"{gold}: {name} is not a figure of the report")
            elif value is None:
                if kind == "floor" and limit > 0:
                    failures.append(f"{gold}: {name} has no value (its floor is {limit})")
            elif kind == "floor" and value < limit - _EPS:
                failures.append(f"{gold}: {name} {value:g} is below its floor {limit:g}")
            elif kind == "ceiling" and value > limit + _EPS:
                failures.append(f"{gold}: {name} {value:g} is above its ceiling {limit:g}")
    return failures


def update_entry(
    entry: Mapping[str, Any] | None,
    report: EvalReport | Mapping[str, Any],
    *,
    allow_lower: str | None = None,
    today: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The entry with its limits moved to the report's figures, and a line per change.

    Floors only rise and ceilings only fall, unless `allow_lower` gives the reason to loosen them
    (recorded under `lowered`); without it a loosening raises `GateError` and nothing changes.
    The sha256 is set to the report's. A new entry gets the default figures.
    """
    data = report.to_dict() if isinstance(report, EvalReport) else report
    if entry is None:
        complete = (data.get("documents") or {}).get("complete", 0)
        entry = {
            "floors": dict.fromkeys(DEFAULT_FLOORS, 0.0),
            "ceilings": dict.fromkeys(DEFAULT_CEILINGS if complete else (), None),
        }
    new: dict[str, Any] = json.loads(json.dumps(entry))  # a deep copy
    changes: list[str] = []
    refused: list[str] = []
    lowered: list[dict[str, Any]] = []
    if new.get("sha256") != data.get("gold_sha256"):
        changes.append(f"sha256 {new.get('sha256')} -> {data.get('gold_sha256')}")
        new["sha256"] = data.get("gold_sha256")
    for kind in ("floors", "ceilings"):
        limits: dict[str, Any] = new.setdefault(kind, {})
        for name in list(limits):
            old, value = limits[name], figure(data, name)
            if value is _MISSING:
                raise ConfigError(f"{name} in {kind} is not a figure of the report")
            if value is None:
                if old is None:
                    del limits[name]  # a default figure this gold file does not have
                continue
            tighter = old is None or (value > old if kind == "floors" else value < old)
            looser = old is not None and (value < old if kind == "floors" else value > old)
            if looser:
                if allow_lower is None:
                    refused.append(f"{name} {old:g} -> {value:g}")
                    continue
                lowered.append({"figure": name, "from": old, "to": value, "reason": allow_lower})
            if tighter or looser:
                changes.append(f"{name} {old} -> {value:g}")
                limits[name] = value
        if not limits:
            del new[kind]
    if refused:
        raise GateError(
            "refusing to loosen limits ("
            + "; ".join(refused)
            + '): pass --allow-lower "reason" if the drop is intended'
        )
    if lowered:
        date = today or datetime.date.today().isoformat()
        new.setdefault("lowered", []).extend({**item, "date": date} for item in lowered)
    return new, changes
