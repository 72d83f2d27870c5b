"""Clustering speed and memory on 100,000 synthetic event reports (issue 13: under a minute).

    .venv/bin/python benchmarks/dedup_bench.py [--events 100000] [--seed 7] [--batches day|one]

The reports are built from the hand-coded reports of eval/dedup-pairs.jsonl (types, modes,
statuses, sectors, sentences): each synthetic real-world event takes one of them as its template,
a dyad drawn from 150 country codes with Zipf-like weights (a few countries in most events, as in
news), party names from a pool of ten per country (or none), a day of 2024 and a town near one
party's country; then 1 to 12 outlets report it (a
long tail: most events once), each report perturbed as outlets and the coder differ: the date
given to the day or only as the publication day (0-2 days later), a recipient left out, another
sector of the same family, a different subset and order of the sentence's words with the
event's own names and figures kept. Reports arrive as a store would get them: one `add` call per
publication day (`--batches day`, the default) or all at once (`--batches one`).

Prints one JSON object: events, reports, clusters, seconds, reports per second, the process's
resident memory before clustering and its peak (the reports themselves included), with
`--trace-memory` the peak of the clustering's own allocations (tracemalloc, which slows Python
several times: time and memory come from separate runs), and pairwise precision and recall
against the generator's truth (a sanity check of blocking at scale, not an accuracy
figure: the labelled pairs are that).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import replace
from pathlib import Path

from communique.dedup import ClusterIndex, EventReport, Party, Place, report_from_dict

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "eval" / "dedup-pairs.jsonl"
FAMILY_VARIANTS = {"MIL": "COP", "COP": "MIL", "GOV": "LEG", "REB": "UAF", "UAF": "REB"}


def templates() -> list[EventReport]:
    seen: dict[str, EventReport] = {}
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        for side in ("a", "b"):
            report = report_from_dict(data[side])
            seen.setdefault(report.event_id, report)
    return [seen[k] for k in sorted(seen)]


def countries(rng: random.Random) -> tuple[list[str], list[float], dict[str, tuple[float, float]]]:
    codes = [f"C{n:02d}" for n in range(150)]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(codes))]
    points = {c: (rng.uniform(-40, 60), rng.uniform(-120, 140)) for c in codes}
    return codes, weights, points


def synthesise(n_reports: int, seed: int) -> tuple[list[EventReport], dict[str, int]]:
    """Reports and, for each, the number of the real-world event it reports."""
    rng = random.Random(seed)
    pool = templates()
    codes, weights, points = countries(rng)
    publishers = [f"outlet {n}" for n in range(300)]
    start = dt.date(2024, 1, 1).toordinal()
    reports: list[EventReport] = []
    truth: dict[str, int] = {}
    event = 0
    while len(reports) < n_reports:
        event += 1
        t = rng.choice(pool)
        a, b = rng.choices(codes, weights, k=2)
        while b == a:
            b = rng.choices(codes, weights)[0]
        day = dt.date.fromordinal(start + rng.randrange(366))
        names = [f"name{event}x{k}" for k in range(3)] + [str(rng.randrange(2, 500))]
        # a party is named (as a person or organisation of its country) in half the events
        name_a = f"{a} person {rng.randrange(10)}" if rng.random() < 0.5 else None
        name_b = f"{b} person {rng.randrange(10)}" if rng.random() < 0.5 else None
        country = a if rng.random() < 0.5 else b
        lat, lon = points[country]
        lat, lon = lat + rng.uniform(-3, 3), lon + rng.uniform(-3, 3)
        words = [w for w in t.text.split() if w.isalpha()]
        k = min(12, 1 + int(rng.expovariate(0.55)))
        for n in range(k):
            if len(reports) >= n_reports:
                break
            actors = tuple(Party(a, p.sector, name_a) for p in t.actors[:1]) or (
                Party(a, "GOV", name_a),
            )
            recipients = tuple(Party(b, p.sector, name_b) for p in t.recipients[:1])
            if rng.random() < 0.2:
                recipients = ()
            if rng.random() < 0.1 and actors[0].sector in FAMILY_VARIANTS:
                actors = (replace(actors[0], sector=FAMILY_VARIANTS[actors[0].sector or ""]),)
            if rng.random() < 0.6:
                date, precision = day, "day"
            else:
                date, precision = day + dt.timedelta(days=rng.randrange(3)), "reported"
            kept = rng.sample(words, k=min(len(words), 5))
            text = " ".join(kept + rng.sample(names, k=3))
            pub = rng.choice(publishers)
            report = replace(
                t,
                event_id=f"e{event}r{n}",
                doc_id=f"d{event}r{n}",
                publisher=pub,
                actors=actors,
                recipients=recipients,
                date=date,
                enddate=date,
                date_precision=precision,
                place=Place(country, lat, lon, None, True) if rng.random() < 0.7 else None,
                text=text,
                published=date + dt.timedelta(days=rng.randrange(2)),
            )
            reports.append(report)
            truth[report.event_id] = event
    rng.shuffle(reports)
    return reports, truth


def pairwise(truth: dict[str, int], predicted: dict[str, str]) -> dict[str, float]:
    def pairs(counter: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter((truth[e], predicted[e]) for e in truth))
    gold = pairs(Counter(truth.values()))
    pred = pairs(Counter(predicted.values()))
    return {
        "precision": round(both / pred, 4) if pred else 1.0,
        "recall": round(both / gold, 4) if gold else 1.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="number of reports")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batches", choices=("day", "one"), default="day")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="also measure the clustering's own allocations (tracemalloc; several times slower)",
    )
    args = parser.parse_args()
    reports, truth = synthesise(args.events, args.seed)
    by_day: dict[int, list[EventReport]] = {}
    for report in reports:
        key = report.published.toordinal() if report.published else 0
        by_day.setdefault(key, []).append(report)
    batches = [by_day[k] for k in sorted(by_day)] if args.batches == "day" else [reports]

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.trace_memory:
        tracemalloc.start()
    began = time.perf_counter()
    index = ClusterIndex()
    for batch in batches:
        index.add(batch)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if args.trace_memory else None
    tracemalloc.stop()

    predicted = {e: index.cluster_of(e) or e for e in truth}
    sizes = Counter(predicted.values())
    result = {
        "reports": len(reports),
        "events": len(set(truth.values())),
        "clusters": len(index),
        "largest_cluster": max(sizes.values()),
        "batches": len(batches),
        "seconds": round(seconds, 2),
        "reports_per_second": round(len(reports) / seconds),
        "rss_before_clustering_mib": round(rss_before, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_traced_mib": round(peak / 2**20, 1) if peak is not None else None,
        "pairwise_vs_generator": pairwise(truth, predicted),
        "python": sys.version.split()[0],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
