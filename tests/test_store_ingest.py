"""Ingest: idempotent by content hash, recode of older versions, durable batches, SIGKILL resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from communique.records import Skip
from communique.store import IngestOptions, open_store
from test_store_fixtures import FakeCoder, events_for, make_document

TESTS = Path(__file__).parent


def test_ingest_twice_changes_no_count(tmp_path: Path) -> None:
    docs = [make_document(i) for i in range(20)]
    items = [*docs, Skip("broken", "binary", "not text", "corpus/broken.bin")]
    expected_events = sum(len(events_for(d, "0.1.0")) for d in docs)
    with open_store(tmp_path / "s.duckdb") as store:
        first = store.ingest(items, FakeCoder(), IngestOptions(commit_every=7))
        assert (first.coded, first.skipped, first.events) == (20, 1, expected_events)
        assert first.batches == 3  # 21 items in batches of 7
        counts = store.counts()
        assert 1 <= counts.pop("clusters") <= expected_events  # reports of one meeting merge
        assert counts == {
            "documents": 21,
            "coded": 20,
            "skipped": 1,
            "events": expected_events,
            "entities": 2 * expected_events,
        }
        counts = store.counts()
        coder = FakeCoder()
        second = store.ingest(items, coder)
        assert coder.coded == []  # nothing was coded again
        assert (second.already_stored, second.coded, second.events) == (21, 0, 0)
        assert store.counts() == counts


def test_same_text_under_another_id_is_stored_once(tmp_path: Path) -> None:
    a = make_document(1, "The same wire story.")
    b = make_document(2, "The same wire story.")
    with open_store(tmp_path / "s.duckdb") as store:
        report = store.ingest([a, b], FakeCoder())
        assert (report.coded, report.already_stored) == (1, 1)
        assert store.counts()["documents"] == 1


def test_documents_keep_text_metadata_and_version(tmp_path: Path) -> None:
    doc = make_document(3)
    with open_store(tmp_path / "s.duckdb") as store:
        store.ingest([doc], FakeCoder(version="0.0.9"))
        row = store.con.execute(
            "SELECT id, text, metadata, content_hash, language, skip_reason, coder_version, "
            "coded_at IS NOT NULL FROM documents"
        ).fetchall()
    assert row == [
        (
            "doc3",
            doc.text,
            {
                "date": "2024-01-15",
                "url": "https://news.example/3",
                "title": "Story 3",
                "source": "Example News",
                "origin": "corpus/doc3.txt",
            },
            doc.content_hash,
            "en",
            None,
            "0.0.9",
            True,
        )
    ]


def test_skips_are_stored_with_their_reason(tmp_path: Path) -> None:
    empty = make_document(4, "   ")
    with open_store(tmp_path / "s.duckdb") as store:
        store.ingest([empty, Skip("x", "undecodable", "bad bytes", "x.txt")], FakeCoder())
        rows = store.con.execute(
            "SELECT id, skip_reason, text IS NOT NULL FROM documents ORDER BY id"
        ).fetchall()
    assert rows == [("doc4", "empty", True), ("x", "undecodable", False)]


def test_recode_replaces_events_of_older_versions_only(tmp_path: Path) -> None:
    old_docs = [make_document(i) for i in range(6)]
    new_docs = [make_document(i) for i in range(6, 9)]
    with open_store(tmp_path / "s.duckdb") as store:
        store.ingest(old_docs, FakeCoder(version="0.0.9"), IngestOptions(commit_every=4))
        store.ingest(new_docs, FakeCoder(version="0.1.0"))
        before = store.counts()
        assert store.outdated_versions("0.1.0") == ["0.0.9"]

        coder = FakeCoder(version="0.1.0")
        report = store.recode(coder, IngestOptions(commit_every=4, lookup_chunk=2))
        assert sorted(coder.coded) == sorted(d.id for d in old_docs)  # no input files needed
        assert report.coded == 6
        assert store.counts() == before  # replaced, not added
        versions = store.con.execute(
            "SELECT DISTINCT coder_version FROM events UNION SELECT DISTINCT coder_version "
            "FROM documents"
        ).fetchall()
        assert versions == [("0.1.0",)]
        cited = {r.cite_info.version for r in store.query()}
        assert cited == {"0.1.0"}

        again = FakeCoder(version="0.1.0")
        assert store.recode(again).coded == 0 and again.coded == []
        # a newer version in the store is never recoded by an older coder
        assert store.recode(FakeCoder(version="0.0.1")).read == 0


_DRIVER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from test_store_fixtures import FakeCoder, make_document
    from communique.store import IngestOptions, open_store

    path, total, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    docs = [make_document(i) for i in range(total)]
    batches = 0

    def progress(report):
        global batches
        if report.batches != batches:
            batches = report.batches
            print("batch", batches, flush=True)

    with open_store(path) as store:
        store.ingest(docs, FakeCoder(delay=delay), IngestOptions(commit_every=5),
                     progress=progress)
    print("done", flush=True)
    """
)


def _driver(path: Path, total: int, delay: float) -> subprocess.Popen[str]:
    code = _DRIVER.format(tests=str(TESTS))
    return subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(total), str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_run_then_rerun_stores_every_document_once(tmp_path: Path) -> None:
    path = tmp_path / "killed.duckdb"
    total = 60
    child = _driver(path, total, 0.03)
    assert child.stdout is not None
    seen = 0
    for line in child.stdout:
        if line.startswith("batch"):
            seen += 1
            if seen == 3:
                break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with open_store(path) as store:  # the killed run committed whole batches only
        partial = store.counts()["documents"]
        assert 15 <= partial < total and partial % 5 == 0
        stored_events = store.con.execute("SELECT sum(n_events) FROM documents").fetchall()
        assert stored_events[0][0] == store.counts()["events"]

    rerun = _driver(path, total, 0.0)
    out, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0 and "done" in out

    docs = [make_document(i) for i in range(total)]
    expected_events = sum(len(events_for(d, "0.1.0")) for d in docs)
    with open_store(path) as store:
        counts = store.counts()
        assert counts["documents"] == total
        assert counts["events"] == expected_events
        assert counts["entities"] == 2 * expected_events
        dupes = store.con.execute(
            "SELECT (SELECT count(*) - count(DISTINCT doc_key) FROM documents), "
            "(SELECT count(*) - count(DISTINCT id) FROM events)"
        ).fetchall()
        assert dupes == [(0, 0)]
