"""Clusters in the store: reports of one event from several outlets become one cluster, kept
incrementally on ingest, dissolved and rebuilt on replace, and counted with `--unique`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from typer.testing import CliRunner

from cluster_fixtures import ByDocument, documents_and_records
from communique.cli import app
from communique.cli import commands as _commands  # noqa: F401  (registers the commands)
from communique.store import EventFilter, IngestOptions, open_store


def clusters_of(path: Path) -> dict[str, tuple[str, ...]]:
    """cluster id -> its member event ids, and a check that the table agrees with the events."""
    with open_store(path) as store:
        rows = store.con.execute(
            "SELECT cluster_id, list(id ORDER BY id) FROM events GROUP BY cluster_id"
        ).fetchall()
        table = store.con.execute(
            "SELECT cluster_id, num_events, num_articles FROM clusters"
        ).fetchall()
    members = {str(cid): tuple(ids) for cid, ids in rows}
    assert None not in members and "None" not in members  # every event is placed
    assert {cid: (len(ids), len(ids)) for cid, ids in members.items()} == {
        str(cid): (n, articles) for cid, n, articles in table
    }
    return members


def test_reports_of_one_meeting_become_one_cluster(tmp_path: Path) -> None:
    docs, records = documents_and_records()
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        report = store.ingest(docs, ByDocument(records))
        assert report.clustered == 5
        meeting = store.con.execute(
            "SELECT num_sources, num_articles, event, kind, links FROM clusters "
            "WHERE num_events = 3"
        ).fetchall()
        assert len(meeting) == 1
        sources, articles, event, kind, links = meeting[0]
        assert (sources, articles, event, kind) == (3, 3, "CONSULT", "act")
        assert len(links) == 1  # the planned visit, linked not merged
        assert store.counts()["clusters"] == 3
    assert sorted(map(len, clusters_of(path).values())) == [1, 1, 3]


def test_unique_counts_real_world_events(tmp_path: Path) -> None:
    docs, records = documents_and_records()
    with open_store(tmp_path / "s.duckdb") as store:
        store.ingest(docs, ByDocument(records))
        assert len(store.query(EventFilter())) == 5
        unique = store.query(EventFilter(unique=True))
        assert len(unique) == 3
        canonical = {
            str(c) for (c,) in store.con.execute("SELECT canonical_id FROM clusters").fetchall()
        }
        assert {r.id for r in unique} == canonical
        consults = store.query(EventFilter(event=("CONSULT",), unique=True, source="Gulf Daily"))
        assert [r.doc_id for r in consults] == ["paper-1"]  # the matching member stands in
        panel = store.aggregate(EventFilter(unique=True), by="country", freq="month")
        assert sum(panel.column("total").to_pylist()) == 3


def test_clusters_grow_incrementally_as_in_one_run(tmp_path: Path) -> None:
    docs, records = documents_and_records()
    one_run = tmp_path / "one.duckdb"
    with open_store(one_run) as store:
        store.ingest(docs, ByDocument(records))
    by_one = tmp_path / "incremental.duckdb"
    for doc in docs:
        with open_store(by_one) as store:
            store.ingest([doc], ByDocument(records))
    assert sorted(clusters_of(by_one).values()) == sorted(clusters_of(one_run).values())
    with open_store(by_one) as store:  # ingesting again changes nothing
        before = store.counts()
        assert store.ingest(docs, ByDocument(records)).clustered == 0
        assert store.counts() == before


def test_replacing_a_document_rebuilds_its_cluster(tmp_path: Path) -> None:
    docs, records = documents_and_records()
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.ingest(docs, ByDocument(records))
    moved = dataclasses.replace(records["paper-1"][0], date="2024-05-20")  # another meeting
    changed = {**records, "paper-1": [moved]}
    with open_store(path) as store:
        store.ingest([d for d in docs if d.id == "paper-1"], ByDocument(changed),
                     IngestOptions(replace=True))  # fmt: skip
        sources = sorted(
            n for (n,) in store.con.execute("SELECT num_sources FROM clusters").fetchall()
        )
    assert sources == [1, 1, 1, 2]
    assert sorted(map(len, clusters_of(path).values())) == [1, 1, 1, 2]


def test_cli_unique_flag(tmp_path: Path) -> None:
    docs, records = documents_and_records()
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        store.ingest(docs, ByDocument(records))
    runner = CliRunner()
    every = runner.invoke(app, ["events", "--db", str(path), "--format", "jsonl"])
    unique = runner.invoke(app, ["events", "--db", str(path), "--format", "jsonl", "--unique"])
    assert every.exit_code == unique.exit_code == 0
    assert len(every.stdout.splitlines()) == 5 and len(unique.stdout.splitlines()) == 3
    panel = runner.invoke(app, ["aggregate", "--db", str(path), "--by", "dyad", "--unique"])
    assert panel.exit_code == 0 and "RUS,QAT" in panel.stdout
