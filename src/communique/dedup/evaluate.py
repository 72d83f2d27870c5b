"""Score the clusterer on labelled report pairs (`eval/dedup-pairs.jsonl`).

    python -m communique.dedup.evaluate eval/dedup-pairs.jsonl --split dev [--errors]

Each line of the pairs file: `pair_id`, `a` and `b` (reports in the event record's JSON shape:
`id`, `doc_id`, `event`, `mode`, `status`, `planned`, `actor`, `recipient`, `date`, `enddate`,
`date_precision`, `event_loc`, `text`, `cite_info` with `publication` and `publication_date`),
`label` (`same`, `different` or `linked`), `split` (`dev` or `heldout`), `note`, `provenance`.

Scoring. Every distinct report of the split's pairs is clustered by one `ClusterIndex`, fed the
way a store would be: one `add` call per publication day, days in order (`--batches one` adds
all at once; `--batches document` one document at a time in publication order). Then, over the
labelled pairs:
- `same`: a pair labelled same whose reports share a cluster is a true positive, one that does
  not a false negative; a pair labelled different or linked whose reports share a cluster is a
  false positive (a linked pair merged is a false merge). Precision, recall, F1.
- `links`: recall of the linked pairs (their two clusters linked), and the number of pairs
  labelled different or same that were linked instead (`false_links`).
- `bcubed`: B-cubed precision and recall over the split's reports, the gold clusters being the
  connected components of the same-labelled pairs.
- `orders` (with `--shuffles N`): the same-F1 of N seeded random document orders, one document
  per `add`: how much the arrival order moves the result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.dedup.index import ClusterIndex
from communique.dedup.report import EventReport, report_from_dict
from communique.errors import GoldFormatError

LABELS = ("same", "different", "linked")
SPLITS = ("dev", "heldout")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    pair_id: str
    a: EventReport
    b: EventReport
    label: str
    split: str
    note: str


def load_pairs(path: str | Path) -> list[LabelledPair]:
    """Read a pairs file; a malformed line is a `GoldFormatError` naming the line."""
    out: list[LabelledPair] = []
    seen: dict[str, EventReport] = {}
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            data = json.loads(line)
            a = report_from_dict(data["a"])
            b = report_from_dict(data["b"])
            pair = LabelledPair(
                pair_id=str(data["pair_id"]),
                a=a,
                b=b,
                label=str(data["label"]),
                split=str(data["split"]),
                note=str(data.get("note") or ""),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise GoldFormatError(f"{where}: {exc!r}; see docs/dedup.md for the layout") from exc
        if pair.label not in LABELS or pair.split not in SPLITS:
            raise GoldFormatError(f"{where}: label must be one of {LABELS}, split one of {SPLITS}")
        for report in (a, b):
            if seen.setdefault(report.event_id, report) != report:
                raise GoldFormatError(
                    f"{where}: report {report.event_id} differs from its earlier copy"
                )
        out.append(pair)
    return out


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None
    return round(2 * p * r / (p + r), 4)


def _publication_key(report: EventReport) -> tuple[int, str]:
    return (report.published.toordinal() if report.published else 0, report.doc_id)


def cluster_reports(reports: Sequence[EventReport], batches: str = "day") -> ClusterIndex:
    """Cluster reports as a store would receive them (see the module docstring)."""
    index = ClusterIndex()
    if batches == "one":
        index.add(reports)
        return index
    groups: dict[tuple[int, str], list[EventReport]] = defaultdict(list)
    for report in reports:
        day, doc = _publication_key(report)
        groups[(day, doc if batches == "document" else "")].append(report)
    for key in sorted(groups):
        index.add(groups[key])
    return index


def _gold_clusters(pairs: Iterable[LabelledPair], ids: Iterable[str]) -> dict[str, int]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        if pair.label == "same":
            ra, rb = find(pair.a.event_id), find(pair.b.event_id)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = sorted({find(i) for i in parent})
    number = {root: n for n, root in enumerate(roots)}
    return {i: number[find(i)] for i in parent}


def _bcubed(gold: dict[str, int], predicted: dict[str, str]) -> dict[str, float | None]:
    by_gold: dict[int, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for i, g in gold.items():
        by_gold[g].add(i)
        by_pred[predicted[i]].add(i)
    precision = recall = 0.0
    for i in gold:
        same_gold, same_pred = by_gold[gold[i]], by_pred[predicted[i]]
        both = len(same_gold & same_pred)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    n = len(gold)
    p_avg = round(precision / n, 4) if n else None
    r_avg = round(recall / n, 4) if n else None
    return {"precision": p_avg, "recall": r_avg, "f1": _f1(p_avg, r_avg)}


def score_index(pairs: Sequence[LabelledPair], index: ClusterIndex) -> dict[str, Any]:
    """The figures of one clustering against the labelled pairs."""
    tp = fp = fn = 0
    merged = {"different": 0, "linked": 0}
    links_found = false_links = 0
    errors: list[dict[str, Any]] = []
    for pair in pairs:
        ca = index.cluster_of(pair.a.event_id)
        cb = index.cluster_of(pair.b.event_id)
        assert ca is not None and cb is not None
        together = ca == cb
        linked = not together and cb in index.cluster(ca).links
        wrong = False
        if pair.label == "same":
            tp += together
            fn += not together
            wrong = not together
        else:
            if together:
                fp += 1
                merged[pair.label] += 1
                wrong = True
        if pair.label == "linked":
            links_found += linked
            wrong = wrong or not linked
        elif linked:
            false_links += 1
            wrong = True
        if wrong:
            errors.append(
                {
                    "pair_id": pair.pair_id,
                    "label": pair.label,
                    "got": "same" if together else ("linked" if linked else "different"),
                    "note": pair.note,
                }
            )
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    num_linked = sum(p.label == "linked" for p in pairs)
    ids = sorted({r.event_id for p in pairs for r in (p.a, p.b)})
    predicted = {i: index.cluster_of(i) or i for i in ids}
    return {
        "same": {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": precision,
            "recall": recall,
            "f1": _f1(precision, recall),
        },
        "false_merges": merged,
        "links": {
            "found": links_found,
            "of": num_linked,
            "recall": _ratio(links_found, num_linked),
            "false_links": false_links,
        },
        "bcubed": _bcubed(_gold_clusters(pairs, ids), predicted),
        "errors": errors,
    }


def evaluate(
    pairs: Sequence[LabelledPair],
    split: str | None = None,
    batches: str = "day",
    shuffles: int = 0,
) -> dict[str, Any]:
    """Cluster the split's reports and score them (see the module docstring)."""
    chosen = [p for p in pairs if split is None or p.split == split]
    reports: dict[str, EventReport] = {}
    for pair in chosen:
        for report in (pair.a, pair.b):
            reports.setdefault(report.event_id, report)
    ordered = sorted(reports.values(), key=lambda r: (_publication_key(r), r.event_id))
    index = cluster_reports(ordered, batches)
    result: dict[str, Any] = {
        "split": split or "all",
        "batches": batches,
        "pairs": len(chosen),
        "labels": {label: sum(p.label == label for p in chosen) for label in LABELS},
        "reports": len(reports),
        "clusters": len(index),
        **score_index(chosen, index),
    }
    if shuffles:
        docs: dict[str, list[EventReport]] = defaultdict(list)
        for report in ordered:
            docs[report.doc_id].append(report)
        f1s = []
        for seed in range(shuffles):
            order = sorted(docs)
            random.Random(seed).shuffle(order)
            shuffled = ClusterIndex()
            for doc in order:
                shuffled.add(docs[doc])
            f1s.append(score_index(chosen, shuffled)["same"]["f1"] or 0.0)
        result["orders"] = {"shuffles": shuffles, "f1_min": min(f1s), "f1_max": max(f1s)}
    return result


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m communique.dedup.evaluate",
        description="Score event deduplication on labelled report pairs; prints JSON.",
    )
    parser.add_argument("pairs", type=Path, help="the pairs file, e.g. eval/dedup-pairs.jsonl")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="dev")
    parser.add_argument("--batches", choices=("day", "document", "one"), default="day")
    parser.add_argument("--shuffles", type=int, default=0, help="also score N random orders")
    parser.add_argument("--errors", action="store_true", help="list the pairs scored wrong")
    args = parser.parse_args(argv)
    try:
        pairs = load_pairs(args.pairs)
    except (OSError, GoldFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    split = None if args.split == "all" else args.split
    result = evaluate(pairs, split, args.batches, max(0, args.shuffles))
    result = {"file": str(args.pairs), "sha256": file_sha256(args.pairs), **result}
    if not args.errors:
        result.pop("errors")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
