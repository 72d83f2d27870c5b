"""The CI accuracy gate: every gold file in eval/floors.json, coded and checked against its limits.

This is the test that fails when coding gets worse. To move the limits after an improvement, run
`communique eval GOLD --update-floors` (floors only rise and ceilings only fall without a reason).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from communique.evaluate import evaluate_file
from communique.gate import check_gate, read_floors
from communique.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "eval" / "floors.json"
ALL_ENTRIES = read_floors(FLOORS)
# Actor cases are scored by `communique eval-actors` (tests/test_actor_kb.py), not coded here.
ENTRIES = {k: v for k, v in ALL_ENTRIES.items() if v.get("kind") != "actors"}


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def test_the_floors_file_names_gold_files_that_exist() -> None:
    assert ENTRIES, f"{FLOORS} has no entries"
    for key, entry in ALL_ENTRIES.items():
        assert (ROOT / key).is_file(), key
        assert entry.get("sha256"), f"{key}: no sha256"
        assert entry.get("floors") or entry.get("ceilings"), f"{key}: no limits"


def _figures(report: dict[str, Any]) -> str:
    keep = ("gold", "type", "dyad", "agreement", "events_per_document", "documents")
    return json.dumps({k: report[k] for k in keep if k in report}, indent=1)


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_gold_file_meets_its_limits(coder: Coder, key: str) -> None:
    report = evaluate_file(ROOT / key, coder).to_dict(errors=True)
    failures = check_gate(report, ENTRIES[key])
    errors = "\n".join(
        f"  {e['kind']}: {e['text'][:100]} | gold {e['gold']} | got {e['predicted']}"
        for e in report.get("errors", [])[:15]
    )
    assert failures == [], "\n".join(failures) + "\nfigures:\n" + _figures(report) + "\n" + errors
    assert not report["documents"]["skipped"], report["documents"]["skipped"]
