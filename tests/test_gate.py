"""The accuracy gate: floors, ceilings, the gold sha256, and raising floors (no spaCy needed)."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from communique.evaluate import EvalReport, GoldDocument, GoldEvent, load_gold, score
from communique.gate import (
    GateError,
    check_gate,
    entry_key,
    figure,
    read_floors,
    update_entry,
    write_floors,
)
from communique.records import Document, EventRecord, Skip

REPO = Path(__file__).resolve().parent.parent


def make_report(found: int, of: int = 4, false: int = 0, sha: str = "s1") -> EvalReport:
    """A complete document with `of` required PROTEST events, `found` of them predicted, and
    `false` ASSAULT predictions that match nothing."""
    gold = [GoldDocument("d", "t", True, [GoldEvent(event="PROTEST", quad=4)] * of)]
    preds = [EventRecord(id=str(i), doc_id="d", event="PROTEST", quad_code=4) for i in range(found)]
    preds += [
        EventRecord(id=f"f{i}", doc_id="d", event="ASSAULT", quad_code=4) for i in range(false)
    ]
    return score(gold, {"d": preds}, gold_sha256=sha)


ENTRY = {
    "sha256": "s1",
    "floors": {"type.recall": 0.5, "dyad.recall": 0.5},
    "ceilings": {"type.fp": 1},
}


def test_gate_passes_at_or_above_the_floors() -> None:
    assert check_gate(make_report(2), ENTRY) == []
    assert check_gate(make_report(4, false=1), ENTRY) == []


def test_gate_fails_on_a_regression() -> None:
    failures = check_gate(make_report(1), ENTRY)
    assert len(failures) == 2
    assert "type.recall 0.25 is below its floor 0.5" in failures[0]
    assert "dyad.recall" in failures[1]


def test_gate_fails_above_a_ceiling() -> None:
    (failure,) = check_gate(make_report(4, false=2), ENTRY)
    assert "type.fp 2 is above its ceiling 1" in failure


def test_gate_fails_when_the_gold_changed() -> None:
    (failure,) = check_gate(make_report(4, sha="other"), ENTRY)
    assert "gold file changed: update its sha256 in eval/floors.json in the same commit" in failure


def test_gate_fails_on_an_unknown_figure_and_skips_unpinned_limits() -> None:
    entry = {"sha256": "s1", "floors": {"type.recal": 0.1, "type.f1": None}}
    (failure,) = check_gate(make_report(4), entry)
    assert "type.recal is not a figure" in failure


def test_undefined_figure_fails_only_a_positive_floor() -> None:
    report = make_report(0)  # nothing predicted: precision has no value
    assert figure(report, "type.precision") is None
    assert check_gate(report, {"sha256": "s1", "floors": {"type.precision": 0.0}}) == []
    (failure,) = check_gate(report, {"sha256": "s1", "floors": {"type.precision": 0.3}})
    assert "type.precision has no value" in failure


def test_update_raises_floors_and_lowers_ceilings() -> None:
    entry, changes = update_entry(ENTRY, make_report(3, false=0))
    assert entry["floors"] == {"type.recall": 0.75, "dyad.recall": 0.75}
    assert entry["ceilings"] == {"type.fp": 0}
    assert entry["sha256"] == "s1"
    assert len(changes) == 3
    assert ENTRY["floors"] == {"type.recall": 0.5, "dyad.recall": 0.5}  # not changed in place
    assert "lowered" not in entry


def test_update_refuses_to_lower_without_a_reason() -> None:
    with pytest.raises(GateError, match="--allow-lower"):
        update_entry(ENTRY, make_report(1))
    with pytest.raises(GateError, match=re.escape("type.fp 1 -> 3")):
        update_entry(ENTRY, make_report(4, false=3))


def test_update_lowers_with_a_reason_and_records_it() -> None:
    entry, _ = update_entry(
        ENTRY, make_report(1), allow_lower="stricter dyad rule", today="2025-01-31"
    )
    assert entry["floors"] == {"type.recall": 0.25, "dyad.recall": 0.25}
    assert entry["lowered"] == [
        {"figure": f, "from": 0.5, "to": 0.25, "reason": "stricter dyad rule", "date": "2025-01-31"}
        for f in ("type.recall", "dyad.recall")
    ]


def test_update_pins_unpinned_limits_and_the_new_sha() -> None:
    entry = {"sha256": "old", "floors": {"type.recall": 0.0}, "ceilings": {"type.fp": None}}
    new, changes = update_entry(entry, make_report(2, false=1))
    assert new == {"sha256": "s1", "floors": {"type.recall": 0.5}, "ceilings": {"type.fp": 1}}
    assert any("sha256" in c for c in changes)


def test_new_entry_gets_the_default_figures() -> None:
    new, _ = update_entry(None, make_report(2, false=2))
    assert set(new["floors"]) == {
        f"{k}.{m}" for k in ("type", "dyad") for m in ("precision", "recall", "f1")
    }
    assert new["ceilings"] == {"type.fp": 2}


def test_floors_file_round_trip_and_keys(tmp_path: Path) -> None:
    (tmp_path / "eval").mkdir()
    floors_path = tmp_path / "eval" / "floors.json"
    gold = tmp_path / "eval" / "g.jsonl"
    assert read_floors(floors_path) == {}
    assert entry_key({}, floors_path, gold) == "eval/g.jsonl"
    write_floors(floors_path, {"eval/g.jsonl": ENTRY})
    floors = read_floors(floors_path)
    assert floors == {"eval/g.jsonl": ENTRY}
    assert entry_key(floors, floors_path, gold) == "eval/g.jsonl"


def test_shipped_floors_match_the_gold_files() -> None:
    floors = read_floors(REPO / "eval" / "floors.json")
    assert floors
    for key, entry in floors.items():
        if entry.get("kind") == "actors":  # actor cases: their own test (test_actor_kb.py)
            assert entry["sha256"] == hashlib.sha256((REPO / key).read_bytes()).hexdigest()
            continue
        gold = load_gold(REPO / key)
        assert entry["sha256"] == gold.sha256, f"{key}: update its sha256 in eval/floors.json"
        report = score(gold, {}, gold_sha256=gold.sha256)
        assert not [f for f in check_gate(report, entry) if "is not a figure" in f]
    assert json.loads((REPO / "eval" / "floors.json").read_text(encoding="utf-8")) == floors


# ------------------------------------------------------------------ the command


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Runs `communique eval` in tmp_path with a fake Coder that predicts one PROTEST a text."""
    ingest = pytest.importorskip("communique.ingest")
    if not hasattr(ingest, "read_documents"):
        pytest.skip("communique.ingest.read_documents is not written yet")
    from communique.cli.evaluate import eval_command

    app = typer.Typer()  # a group of its own, whatever other commands exist yet
    app.callback()(lambda: None)
    app.command("eval")(eval_command)

    class Coder:
        def __init__(self, config: object = None) -> None:
            pass

        def code(self, items: Iterable[Document | Skip]) -> Iterator[SimpleNamespace]:
            for item in items:
                if isinstance(item, Skip):
                    yield SimpleNamespace(document=None, skip=item, records=[])
                else:
                    record = EventRecord(id="p", doc_id=item.id, event="PROTEST", quad_code=4)
                    yield SimpleNamespace(document=item, skip=None, records=[record])

    monkeypatch.setitem(sys.modules, "communique.pipeline", SimpleNamespace(Coder=Coder))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eval").mkdir()
    rows = [
        {
            "id": "a",
            "text": "Protesters marched.",
            "complete": True,
            "events": [{"event": "PROTEST"}],
        },
        {"id": "b", "text": "Troops shelled a town.", "complete": True, "events": [{"quad": 4}]},
        {"id": "c", "text": "Rain in Oslo.", "complete": True, "events": []},
    ]
    gold = tmp_path / "eval" / "g.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["eval", "eval/g.jsonl", *args])

    return run


def test_cli_reports_and_gates(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("--errors", "--report", "r.json")
    assert result.exit_code == 0, result.output
    assert "Matches" in result.output and "Rain in Oslo." in result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (2, 1, 0)
    assert [e["kind"] for e in report["errors"]] == ["false"]

    result = cli("--gate")
    assert result.exit_code == 1
    assert "no entry" in result.output

    result = cli("--update-floors", "--gate")
    assert result.exit_code == 0, result.output
    floors = read_floors(tmp_path / "eval" / "floors.json")
    assert floors["eval/g.jsonl"]["floors"]["type.recall"] == 1.0
    assert floors["eval/g.jsonl"]["ceilings"] == {"type.fp": 1}

    floors["eval/g.jsonl"]["ceilings"]["type.fp"] = 0  # a deliberate regression
    write_floors(tmp_path / "eval" / "floors.json", floors)
    result = cli("--gate")
    assert result.exit_code == 1
    assert "type.fp 1 is above its ceiling 0" in result.output

    result = cli("--update-floors")
    assert result.exit_code == 1
    assert "--allow-lower" in result.output
    result = cli("--update-floors", "--allow-lower", "a new false event, accepted")
    assert result.exit_code == 0, result.output
    lowered = read_floors(tmp_path / "eval" / "floors.json")["eval/g.jsonl"]["lowered"]
    assert lowered[0]["reason"] == "a new false event, accepted"


def test_cli_bad_gold_exits_2(cli: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "eval" / "g.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
    result = cli()
    assert result.exit_code == 2
    assert "eval/g.jsonl:1:" in result.output
