"""Deduplication on the coder's own output: the labelled pairs, end to end.

    .venv/bin/python benchmarks/dedup_end_to_end.py [--split dev|heldout|all]

`eval/dedup-pairs.jsonl` scores clustering on reports coded by hand (docs/dedup.md). Here the
documents those reports come from (the VOA stories in corpus/voa_stories.jsonl and
eval/dedup-stories.jsonl) are ingested into a fresh store by the real
coder, which clusters them as any ingest does. Each labelled report is then matched to the coded
event of its sentence (same document, the sentence holds the report's text or the reverse; the
event of the labelled type when there are several), and each pair whose two reports both found
an event is scored: "same" when the two events share a cluster. Reports the coder missed leave
their pairs unscored, and the coverage says how many. Writes
benchmarks/results/dedup_end_to_end.json. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from communique.dedup import compare, report_of
from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord
from communique.store import EventFilter, open_store

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "eval" / "dedup-pairs.jsonl"
STORIES = REPO / "eval" / "dedup-stories.jsonl"
VOA = REPO / "corpus" / "voa_stories.jsonl"
RESULTS = REPO / "benchmarks" / "results" / "dedup_end_to_end.json"


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def documents(wanted: set[str]) -> list[Document]:
    out: list[Document] = []
    with VOA.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            doc_id = f"voa-{row['id']}"
            if doc_id in wanted:
                item = document_from_text(
                    row["text"], doc_id, row["published"][:10], url=row["url"],
                    title=row["title"], source="Voice of America",
                )  # fmt: skip
                assert isinstance(item, Document), item
                out.append(item)
    with STORIES.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            if row["id"] in wanted:
                item = document_from_text(
                    row["text"], row["id"], row["date"], title=row["title"],
                    source=row["publisher"],
                )  # fmt: skip
                assert isinstance(item, Document), item
                out.append(item)
    return out


def _why_apart(a: EventRecord, b: EventRecord) -> str:
    """Why two coded events of one real-world event stayed in two clusters."""
    if a.event != b.event:
        return "coded as different types"
    if a.status != b.status:
        return "different statuses"
    reason = compare(report_of(a), report_of(b)).reason
    return {
        "reversed direction": "actor and recipient swapped",
        "parties differ": "parties differ",
        "dates apart": "dates or places apart",
        "places apart": "dates or places apart",
    }.get(reason, "below the threshold")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "all"))
    args = parser.parse_args()
    pairs = [json.loads(line) for line in PAIRS.open(encoding="utf-8")]
    if args.split != "all":
        pairs = [p for p in pairs if p["split"] == args.split]
    reports = {r["id"]: r for p in pairs for r in (p["a"], p["b"])}
    docs = documents({r["doc_id"] for r in reports.values()})
    path = Path(tempfile.mkdtemp(prefix="communique-dedup-")) / "events.duckdb"
    began = time.perf_counter()
    with open_store(path) as store:
        store.ingest(docs, Coder())
        records = store.query(EventFilter(status=("all",)))
        cluster_of = dict(store.con.execute("SELECT id, cluster_id FROM events").fetchall())
    coding_s = time.perf_counter() - began
    by_doc: dict[str, list[EventRecord]] = {}
    for record in records:
        by_doc.setdefault(record.doc_id, []).append(record)
    found: dict[str, EventRecord] = {}  # report id -> the coded event of its sentence
    for report_id, report in reports.items():
        sentence = _norm(report["text"])
        hits = [
            r
            for r in by_doc.get(report["doc_id"], [])
            if sentence in _norm(r.text) or _norm(r.text) in sentence
        ]
        if hits:
            found[report_id] = next((r for r in hits if r.event == report["event"]), hits[0])
    counts: Counter[str] = Counter()
    missed: Counter[str] = Counter()  # why a same-event pair found by the coder stayed apart
    for pair in pairs:
        a, b = found.get(pair["a"]["id"]), found.get(pair["b"]["id"])
        if a is None or b is None:
            counts["unscored"] += 1
            continue
        gold, merged = pair["label"] == "same", cluster_of[a.id] == cluster_of[b.id]
        outcome = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}
        counts[outcome.get((gold, merged), "tn")] += 1
        if gold and not merged:
            missed[_why_apart(a, b)] += 1
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    typed = sum(1 for rid, r in found.items() if r.event == reports[rid]["event"])
    result: dict[str, Any] = {
        "split": args.split,
        "documents": len(docs),
        "coded_events": len(records),
        "coding_and_clustering_s": round(coding_s, 1),
        "reports": len(reports),
        "reports_found": len(found),
        "reports_found_with_the_labelled_type": typed,
        "pairs": len(pairs),
        "pairs_scored": len(pairs) - counts["unscored"],
        "same": {"tp": tp, "fp": fp, "fn": fn, "tn": counts["tn"],
                 "precision": None if precision is None else round(precision, 4),
                 "recall": None if recall is None else round(recall, 4)},
        "same_pairs_kept_apart_by_reason": dict(missed.most_common()),
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
