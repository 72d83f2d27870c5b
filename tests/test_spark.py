"""communique.spark in local mode (local[2]): the same events as the single-process coder on real
documents, every input row coded or skipped with its reason, `communique spark-code` round trip
to Parquet that the store reads as its own (the same panel as a store file), and the errors at
the edge (no Java, no PySpark). Skipped where PySpark or Java is missing; CI has both."""

from __future__ import annotations

import csv
import functools
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
    pytest.skip("Spark needs Java (default-jre-headless)", allow_module_level=True)

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from communique.cli import app
from communique.cli import commands as _commands  # noqa: F401  (registers the commands)
from communique.errors import ConfigError
from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord, Skip
from communique.spark import (
    STORED_EVENT_SCHEMA,
    UNDATED,
    Columns,
    check_java,
    code,
    code_documents,
    events_of,
    local_session,
    skips_of,
)
from communique.store import EventFilter, open_store
from communique.store.arrow import RECORD_SCHEMA
from communique.store.parquet_input import open_parquet
from communique.store.schema import RECORD_FIELDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "re3d-docs.jsonl"
N_DOCUMENTS = 14  # real re3d documents: enough for both workers, quick on two cores
FIELDS = ("id", "text", "date", "url", "title", "source")
# Rows the coder must report, never drop: (id, text, date) and the reason expected.
BAD_ROWS = {
    "blank": (("blank", "   \n ", "2017-03-01"), "empty"),
    "french": (
        (
            "french",
            "Le gouvernement français a annoncé mardi une nouvelle série de mesures "
            "économiques pour soutenir les entreprises touchées par la crise de l'énergie.",
            "2017-03-01",
        ),
        "not-english",
    ),
    "bad-date": (("bad-date", "Iraqi forces retook the town on Monday.", "the 40th"), "bad-date"),
}
ALL_STATUSES = EventFilter(status=("all",))


def _rows() -> list[dict[str, Any]]:
    """The corpus documents, each given a publication date in another month of 2017 (the
    corpus has none), then the bad rows."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:N_DOCUMENTS]
    rows = []
    for number, line in enumerate(lines):
        data = json.loads(line)
        data["date"] = f"2017-{number % 12 + 1:02d}-15"
        rows.append({name: data.get(name) for name in FIELDS})
    for (doc_id, text, date), _reason in BAD_ROWS.values():
        rows.append({"id": doc_id, "text": text, "date": date, "url": None, "title": None,
                     "source": None})  # fmt: skip
    return rows


ROWS = _rows()


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = local_session(
        "local[2]",
        app_name="communique-tests",
        conf={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            "spark.driver.memory": "1g",
        },
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


@pytest.fixture(scope="module")
def one_process(coder: Coder) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """What the single-process coder makes of the rows: records by id, skip reasons by id."""
    items = [
        document_from_text(
            row["text"], row["id"], row["date"], url=row["url"], title=row["title"],
            source=row["source"],
        )
        for row in ROWS
    ]  # fmt: skip
    records: dict[str, dict[str, Any]] = {}
    skips: dict[str, str] = {}
    for result in coder.code(items):
        if result.skip is not None:
            skips[result.skip.doc_id] = result.skip.reason
        records.update((r.id, r.to_dict()) for r in result.records)
    return records, skips


def _frame(spark: SparkSession, rows: list[dict[str, Any]]) -> Any:
    schema = ", ".join(f"{name} string" for name in FIELDS)
    return spark.createDataFrame([tuple(r[n] for n in FIELDS) for r in rows], schema).repartition(2)


def test_same_events_as_one_process_and_every_row_accounted_for(
    spark: SparkSession, one_process: tuple[dict[str, dict[str, Any]], dict[str, str]]
) -> None:
    local, local_skips = one_process
    rows = [*ROWS, {"id": "no-text", "text": None, "date": None, "url": None, "title": None,
                    "source": None}]  # fmt: skip
    columns = Columns(date="date", url="url", title="title", source="source")
    documents = code_documents(_frame(spark, rows), columns).persist()
    try:
        assert sorted(r.id for r in documents.select("id").collect()) == sorted(
            r["id"] for r in rows
        )  # one row per input row, none lost, none doubled
        skipped = {r.id: r.skip_reason for r in skips_of(documents).collect()}
        events = events_of(documents)
        got = [row.asDict(recursive=True) for row in events.collect()]
    finally:
        documents.unpersist()

    expected = {doc_id: reason for doc_id, (_, reason) in BAD_ROWS.items()}
    assert local_skips == expected
    assert skipped == {**expected, "no-text": "no-text"}
    assert len(local) >= 30  # the documents do give events
    by_id = {row["id"]: {name: row[name] for name in RECORD_FIELDS} for row in got}
    assert len(by_id) == len(got)
    assert by_id.keys() == local.keys()
    for event_id, record in local.items():
        assert by_id[event_id] == record, event_id  # identical, field for field
    assert [(f.name, f.dataType) for f in events.schema] == [
        (f.name, f.dataType) for f in STORED_EVENT_SCHEMA
    ]
    for row in got:
        day = row["date"] or ""
        month = day[:7] if len(day) >= 7 else f"{day}-01" if len(day) == 4 else UNDATED
        assert row["event_month"] == month  # a year alone falls in its January, as in the store
        assert row["doc_key"] and row["coder_version"] == row["cite_info"]["version"]


def test_code_takes_named_columns(spark: SparkSession) -> None:
    one = next(r for r in ROWS if r["id"] and r["id"].startswith("re3d"))
    df = spark.createDataFrame(
        [(one["id"], one["text"], one["date"])], "story_id string, body string, published string"
    )
    events = [r.asDict(recursive=True) for r in code(df, "body", "story_id", "published").collect()]
    assert events and {e["doc_id"] for e in events} == {one["id"]}
    assert {e["cite_info"]["publication_date"] for e in events} == {one["date"]}


def test_cli_round_trip_reads_as_a_store(
    spark: SparkSession,
    coder: Coder,
    one_process: tuple[dict[str, dict[str, Any]], dict[str, str]],
    tmp_path: Path,
) -> None:
    local, _ = one_process
    source = tmp_path / "news.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for row in ROWS:
            handle.write(json.dumps(row) + "\n")
        handle.write("{this line is not JSON\n")
    out = tmp_path / "coded"
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["spark-code", str(source), str(out), "--partitions", "2", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(ROWS) + 1} documents read, {N_DOCUMENTS} coded, 4 skipped" in result.output
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert summary["skipped_by_reason"] == {
        "bad-date": 1, "empty": 1, "not-english": 1, "malformed-row": 1,
    }  # fmt: skip
    assert summary["events"] == len(local)

    # Parquet partitioned by month, with the store's column types
    months = {p.name for p in (out / "events").iterdir() if p.is_dir()}
    assert "event_month=2017-03" in months and len(months) > 3
    table = ds.dataset(out / "events", format="parquet", partitioning="hive").to_table()
    for name in RECORD_FIELDS:
        assert table.schema.field(name).type.equals(RECORD_SCHEMA.field(name).type), name

    # the store reads it directly: the same records, and the same panel as a store file
    with open_parquet(out) as parquet:
        stored = {r.id: r.to_dict() for r in parquet.query(ALL_STATUSES)}
        panel = parquet.aggregate(EventFilter(), by="dyad", freq="month")
        counts = parquet.counts()
        month_of = dict(
            parquet.con.sql("SELECT id, strftime(event_day, '%Y-%m') FROM events").fetchall()
        )
    assert stored == local
    assert counts["documents"] == len(ROWS) + 1 and counts["events"] == len(local)
    for row in table.select(["id", "event_month"]).to_pylist():
        assert row["event_month"] == (month_of[row["id"]] or UNDATED)
    items: list[Document | Skip] = [
        document_from_text(r["text"], r["id"], r["date"], url=r["url"], title=r["title"],
                           source=r["source"])
        for r in ROWS
    ]  # fmt: skip
    with open_store(tmp_path / "events.duckdb") as store:
        store.ingest(items, coder)
        assert panel.num_rows > 0 and panel.equals(
            store.aggregate(EventFilter(), by="dyad", freq="month")
        )
        assert [EventRecord.from_dict(r).to_dict() for r in stored.values()] == list(
            stored.values()
        )

    # ... and so do the commands: `aggregate --parquet` gives the store file's panel
    panels = [
        CliRunner().invoke(app, ["aggregate", "--by", "dyad", *where]).stdout
        for where in (["--parquet", str(out)], ["--db", str(tmp_path / "events.duckdb")])
    ]
    assert panels[0] == panels[1] and panels[0].count("\n") > 1
    listed = CliRunner().invoke(app, ["events", "--parquet", str(out), "--format", "jsonl"])
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == len(
        [r for r in local.values() if r["status"] != "negated"]
    )

    again = CliRunner().invoke(app, ["spark-code", str(source), str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.output


def test_cli_reads_csv_and_parquet(
    spark: SparkSession,
    one_process: tuple[dict[str, dict[str, Any]], dict[str, str]],
    tmp_path: Path,
) -> None:
    local, _ = one_process
    first, second = ROWS[0], ROWS[1]
    table = tmp_path / "news.csv"  # quotes, commas and line breaks inside fields, as csv writes
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["story", "body", "date", "url", "title", "source"])
        for row in (first, second):
            writer.writerow([row["id"], row["text"], *(row[n] for n in FIELDS[2:])])
    assert any("\n" in row["text"] or '"' in row["text"] for row in (first, second))
    out = tmp_path / "from-csv"
    args = ["spark-code", str(table), str(out), "--text-col", "body", "--id-col", "story"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2 documents read, 2 coded, 0 skipped" in result.output
    with open_parquet(out) as store:
        events = {r.id: r.to_dict() for r in store.query(ALL_STATUSES)}
    assert events and events == {
        k: v for k, v in local.items() if v["doc_id"] in (first["id"], second["id"])
    }

    # nothing to code at all: every row skipped, no event file written, and still readable
    frame = tmp_path / "skipped.parquet"
    pq.write_table(
        pa.table({"id": ["blank", "french"], "text": ["  ", BAD_ROWS["french"][0][1]]}), frame
    )
    out = tmp_path / "from-parquet"
    result = CliRunner().invoke(app, ["spark-code", str(frame), str(out)])
    assert result.exit_code == 0, result.output
    assert "2 documents read, 0 coded, 2 skipped (empty 1, not-english 1), 0 events" in (
        result.output
    )
    with open_parquet(out) as store:
        counts = store.counts()
        assert {name: counts[name] for name in ("documents", "coded", "skipped", "events")} == {
            "documents": 2, "coded": 0, "skipped": 2, "events": 0,
        }  # fmt: skip
        assert store.aggregate(EventFilter(), by="country", freq="month").num_rows == 0


def test_what_spark_ships_is_small_and_never_a_model() -> None:
    from pyspark import cloudpickle

    from communique.config import Config
    from communique.spark.worker import Job, code_partition

    shipped = cloudpickle.dumps(functools.partial(code_partition, Job(Config(), None)))
    assert len(shipped) < 2000  # a reference to the function, and the settings
    assert b"communique.spark.worker" in shipped and b"code_partition" in shipped


def test_missing_java_names_the_fix(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java here
    with pytest.raises(ConfigError, match="default-jre-headless"):
        check_java()
    # the command, as on a machine with no session running
    monkeypatch.setattr(SparkSession, "getActiveSession", staticmethod(lambda: None))
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Talks were held."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["spark-code", str(source), str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "default-jre-headless" in result.output and "Traceback" not in result.output


def test_missing_pyspark_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "communique.spark")  # imported again, without PySpark
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Talks were held."}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["spark-code", str(source), str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "pip install 'communique[spark]'" in result.output
