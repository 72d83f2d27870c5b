"""The store commands end to end, with a fake coder in place of the spaCy pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import communique.pipeline
from communique.cli import app
from communique.cli import commands as _commands  # noqa: F401  (registers the commands)
from communique.config import Config
from communique.store import EventFilter, open_store
from test_store_fixtures import FakeCoder

runner = CliRunner()


class CliCoder(FakeCoder):
    made = 0

    def __init__(self, config: Config | None = None) -> None:
        super().__init__()
        CliCoder.made += 1


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(communique.pipeline, "Coder", CliCoder)
    CliCoder.made = 0
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(6):
        (folder / f"story{i}.txt").write_text(
            f"Story {i}: Qatari officials met Hamas representatives in Doha on Monday to "
            f"discuss a ceasefire, number {i}.\n"
        )
    return folder


def test_ingest_is_idempotent_and_commands_read_the_store(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "events.duckdb")
    first = runner.invoke(app, ["ingest", str(corpus), "--db", db, "--date", "2024-01-15"])
    assert first.exit_code == 0, first.output
    assert "6 coded" in first.output
    with open_store(db) as store:
        counts = store.counts()
    assert counts["documents"] == 6 and counts["events"] > 0

    made = CliCoder.made
    second = runner.invoke(app, ["ingest", str(corpus), "--db", db])
    assert second.exit_code == 0 and "6 already stored" in second.output
    assert CliCoder.made == made  # nothing to code: the pipeline is not even loaded
    with open_store(db) as store:
        assert store.counts() == counts

    listed = runner.invoke(app, ["events", "--db", db, "--actor", "QAT", "--format", "jsonl"])
    assert listed.exit_code == 0
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == counts["events"] and all(r["date"] == "2024-01-15" for r in rows)

    table = runner.invoke(app, ["events", "--db", db, "--event", "CONSULT"])
    assert table.exit_code == 0 and "CONSULT" in table.stdout and "ACCUSE" not in table.stdout

    out = tmp_path / "events.tsv"
    exported = runner.invoke(app, ["export", "--db", db, "--format", "polecat", "-o", str(out)])
    assert exported.exit_code == 0
    frame = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert len(frame.columns) == 40 and len(frame) == counts["events"]

    panel = runner.invoke(app, ["aggregate", "--db", db, "--by", "dyad", "--freq", "month"])
    assert panel.exit_code == 0
    lines = panel.stdout.splitlines()
    assert lines[0].startswith("period,actor,recipient,AGREE,")
    assert lines[1].startswith("2024-01-01,QAT,IMG,")


def test_export_parquet_needs_a_file(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "events.duckdb")
    assert runner.invoke(app, ["ingest", str(corpus), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet"])
    assert result.exit_code == 2 and "-o FILE" in result.output


def test_recode_command(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "events.duckdb")
    assert runner.invoke(app, ["ingest", str(corpus), "--db", db]).exit_code == 0
    with open_store(db) as store:
        store.con.execute("UPDATE documents SET coder_version = '0.0.1'").fetchall()
    result = runner.invoke(app, ["recode", "--db", db])
    assert result.exit_code == 0 and "recoded 6 documents" in result.output
    with open_store(db) as store:
        versions = store.con.execute("SELECT DISTINCT coder_version FROM documents").fetchall()
    assert versions == [(communique.__version__,)]


def test_db_from_environment(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("COMMUNIQUE_DB", str(db))
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["ingest", str(corpus)]).exit_code == 0
    assert db.exists()


def test_ingest_of_a_missing_path_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "nowhere.txt", "--db", str(tmp_path / "e.duckdb")])
    assert result.exit_code == 1
    assert "nowhere.txt" in " ".join(result.stderr.split())


def test_ingest_maps_fields_and_reports_skips_as_code_does(tmp_path: Path) -> None:
    rows = tmp_path / "feed.jsonl"
    rows.write_text(
        '{"key": "r1", "body": "Israeli troops attacked Palestinian protesters in Hebron."}\n'
        '{"key": "r2", "body": ""}\n',
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = runner.invoke(
        app,
        ["ingest", str(rows), "--db", str(tmp_path / "e.duckdb"), "--date", "2024-03-10",
         "--field", "text=body", "--field", "id=key", "--report", str(report)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stderr = " ".join(result.stderr.split())
    assert "skipped" in stderr and ": empty:" in stderr  # the reason, as `code` prints it
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["documents_read"], data["documents_coded"], data["documents_skipped"]) == (2, 1, 1)
    assert data["skipped_by_reason"] == {"empty": 1} and data["events"] >= 1
    assert data["already_stored"] == 0 and data["skipped"][0]["detail"]


def test_ingest_replace_recodes_a_document_with_a_corrected_date(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Israeli troops attacked Palestinian protesters in Hebron yesterday.\n")
    db = str(tmp_path / "e.duckdb")

    def days() -> set[str | None]:
        with open_store(db, create=False) as store:
            return {r.date for r in store.query(EventFilter(status=("all",)))}

    assert (
        runner.invoke(app, ["ingest", str(story), "--db", db, "--date", "2024-01-10"]).exit_code
        == 0
    )
    assert days() == {"2024-01-09"}
    again = runner.invoke(app, ["ingest", str(story), "--db", db, "--date", "2024-02-10"])
    assert again.exit_code == 0 and days() == {"2024-01-09"}  # already stored: left alone
    assert "1 already stored" in " ".join(again.stderr.split())
    fixed = runner.invoke(
        app, ["ingest", str(story), "--db", db, "--date", "2024-02-10", "--replace"]
    )
    assert fixed.exit_code == 0, fixed.output
    assert days() == {"2024-02-09"}
    assert "1 stored documents replaced: story" in " ".join(fixed.stderr.split())
    with open_store(db, create=False) as store:
        assert store.counts()["documents"] == 1  # replaced, not duplicated


def test_the_same_text_under_another_id_is_recorded_as_a_copy(tmp_path: Path) -> None:
    text = "Israeli troops attacked Palestinian protesters in Hebron yesterday.\n"
    (tmp_path / "one.txt").write_text(text)
    (tmp_path / "two.txt").write_text(text)  # another feed's name for the same story
    db = str(tmp_path / "e.duckdb")
    first = runner.invoke(app, ["ingest", str(tmp_path / "one.txt"), "--db", db])
    assert first.exit_code == 0
    second = runner.invoke(app, ["ingest", str(tmp_path / "two.txt"), "--db", db])
    stderr = " ".join(second.stderr.split())
    assert "1 documents were copies of stored texts, recorded as such: two" in stderr
    again = runner.invoke(app, ["ingest", str(tmp_path / "two.txt"), "--db", db])
    assert "copies" not in " ".join(again.stderr.split())  # recorded once
    with open_store(db, create=False) as store:
        assert store.copies_of("one") == ["two"]
        assert store.counts()["documents"] == 1  # the text is stored once
