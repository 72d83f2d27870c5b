"""Event store benchmark: bulk-load generated events, then time typical queries.

    .venv/bin/python benchmarks/store_bench.py [--events 1000000] [--db PATH] [--keep]

Events are generated as Arrow columns (numpy indices into small vocabularies), not as a million
`EventRecord`s, and go in through `Store.write_batch`, the same transaction-per-batch path that
ingest uses (documents, events and the derived entities rows). Prints the figures and writes them
as JSON to benchmarks/results/store_bench.json. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from communique.records import PLOVER_TYPES, QUAD_OF_TYPE
from communique.store import EventFilter, open_store
from communique.store.arrow import (
    CITE,
    DOCUMENT_SCHEMA,
    ENTITY,
    EVENT_BATCH_SCHEMA,
    LOCATION,
    METADATA,
    SPAN,
)

RESULTS = Path(__file__).parent / "results" / "store_bench.json"
EVENTS_PER_DOC = 10
GENERATE_EVENTS = 100_000  # generated in these chunks, so the data do not depend on BATCH_EVENTS
# 250,000 events a batch: over DuckDB's row group size (122,880 rows), so each batch's rows are
# written straight to the database file during the transaction instead of through the WAL.
BATCH_EVENTS = 250_000

# (ISO3, name, capital, geonameid, lat, lon): a small vocabulary for generated events.
PLACES = [
    ("USA", "United States", "Washington", 4140963, 38.895, -77.036),
    ("IRN", "Iran", "Tehran", 112931, 35.694, 51.422),
    ("ISR", "Israel", "Jerusalem", 281184, 31.769, 35.216),
    ("PSE", "Palestine", "Ramallah", 282615, 31.899, 35.204),
    ("QAT", "Qatar", "Doha", 290030, 25.286, 51.533),
    ("EGY", "Egypt", "Cairo", 360630, 30.063, 31.249),
    ("RUS", "Russia", "Moscow", 524901, 55.752, 37.616),
    ("UKR", "Ukraine", "Kyiv", 703448, 50.454, 30.524),
    ("CHN", "China", "Beijing", 1816670, 39.907, 116.397),
    ("GBR", "United Kingdom", "London", 2643743, 51.509, -0.126),
    ("FRA", "France", "Paris", 2988507, 48.853, 2.349),
    ("DEU", "Germany", "Berlin", 2950159, 52.524, 13.411),
    ("TUR", "Turkey", "Ankara", 323786, 39.920, 32.854),
    ("SYR", "Syria", "Damascus", 170654, 33.510, 36.291),
    ("IRQ", "Iraq", "Baghdad", 98182, 33.341, 44.401),
    ("SAU", "Saudi Arabia", "Riyadh", 108410, 24.688, 46.722),
    ("YEM", "Yemen", "Sanaa", 71137, 15.355, 44.207),
    ("LBN", "Lebanon", "Beirut", 276781, 33.893, 35.502),
    ("JOR", "Jordan", "Amman", 250441, 31.955, 35.945),
    ("IND", "India", "New Delhi", 1261481, 28.636, 77.224),
    ("PAK", "Pakistan", "Islamabad", 1176615, 33.721, 73.043),
    ("AFG", "Afghanistan", "Kabul", 1138958, 34.528, 69.172),
    ("SDN", "Sudan", "Khartoum", 379252, 15.552, 32.532),
    ("ETH", "Ethiopia", "Addis Ababa", 344979, 9.025, 38.747),
    ("NGA", "Nigeria", "Abuja", 2352778, 9.058, 7.489),
    ("BRA", "Brazil", "Brasilia", 3469058, -15.780, -47.930),
    ("VEN", "Venezuela", "Caracas", 3646738, 10.488, -66.879),
    ("MEX", "Mexico", "Mexico City", 3530597, 19.428, -99.128),
    ("JPN", "Japan", "Tokyo", 1850147, 35.690, 139.692),
    ("PRK", "North Korea", "Pyongyang", 1871859, 39.034, 125.755),
]
SECTORS = ["GOV", "MIL", "REB", "COP", "JUD", "LEG", "PTY", "CVL"]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC"]
CAMEO_OF_TYPE = {
    "AGREE": "036", "CONSULT": "040", "SUPPORT": "051", "CONCEDE": "081", "COOPERATE": "061",
    "AID": "073", "RETREAT": "084", "REQUEST": "100", "ACCUSE": "112", "REJECT": "120",
    "THREATEN": "138", "SANCTION": "163", "PROTEST": "141", "MOBILIZE": "154", "COERCE": "173",
    "ASSAULT": "190",
}  # fmt: skip
SENTENCES = [
    "{a} officials met their {r} counterparts to discuss the crisis.",
    "{a} accused {r} of violating the agreement.",
    "Forces from {a} attacked positions held by {r} near the border.",
    "{a} pledged humanitarian aid to {r} after the floods.",
    "Protesters in {a} demanded that {r} withdraw its troops.",
]


def _strings(values: list[str], index: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(index))


def _entities(rng: np.random.Generator, n: int, extra: float) -> tuple[pa.Array, np.ndarray]:
    """A list<entity> column: one entity per event, two for a share `extra`; and the first
    entity's place index."""
    counts = np.where(rng.random(n) < extra, 2, 1).astype(np.int32)
    total = int(counts.sum())
    place = rng.integers(0, len(PLACES), total)
    codes = [p[0] for p in PLACES]
    names = [p[1] for p in PLACES]
    structs = pa.StructArray.from_arrays(
        [
            _strings(names, place),
            _strings(codes, place),
            _strings(SECTORS, rng.integers(0, len(SECTORS), total)),
            pa.nulls(total, pa.string()),
            _strings(names, place),
            pa.nulls(total, pa.string()),
        ],
        fields=list(ENTITY),
    )
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    first = place[offsets[:-1]]
    return pa.ListArray.from_arrays(pa.array(offsets), structs), first


def generate(rng: np.random.Generator, start: int, n: int) -> tuple[pa.Table, pa.Table]:
    """Events start..start+n and their documents, as the Arrow tables `write_batch` takes."""
    numbers = np.arange(start, start + n)
    doc_numbers = numbers // EVENTS_PER_DOC
    doc_ids = [f"doc{d}" for d in range(doc_numbers[0], doc_numbers[-1] + 1)]
    doc_index = pa.array(doc_numbers - doc_numbers[0])
    types = rng.integers(0, len(PLOVER_TYPES), n)
    days = rng.integers(0, 3653, n)  # 2015-01-01 .. 2024-12-31
    dates = pa.array(np.datetime64("2015-01-01") + days.astype("timedelta64[D]")).cast(pa.string())
    actor, actor_place = _entities(rng, n, 0.2)
    recipient, _ = _entities(rng, n, 0.1)
    where = np.where(rng.random(n) < 0.7, actor_place, rng.integers(0, len(PLACES), n))
    has_place = rng.random(n) < 0.9
    column = {k: [p[i] for p in PLACES] for i, k in enumerate(("c", "n", "cap", "g", "la", "lo"))}
    loc = pa.StructArray.from_arrays(
        [
            _strings(column["cap"], where),
            _strings(column["cap"], where),
            pa.array(np.array(column["g"])[where], pa.int64()),
            pa.array(np.array(column["la"])[where], pa.float64()),
            pa.array(np.array(column["lo"])[where], pa.float64()),
            _strings(column["c"], where),
            pa.array(["PPLC"] * n),
            pa.array(["city"] * n),
            pa.array(["sentence"] * n),
        ],
        fields=list(LOCATION),
        mask=pa.array(~has_place),
    )
    sentences = [
        s.format(a=a, r=r) for s in SENTENCES for a, r in (("Iranian", "Israel"), ("US", "Iran"))
    ]
    sentence = rng.integers(0, len(sentences), n)
    lengths = np.array([len(s) for s in sentences])[sentence]
    outlets = rng.integers(0, len(OUTLETS), n)
    cite = pa.StructArray.from_arrays(
        [
            pa.nulls(n, pa.string()),
            pa.nulls(n, pa.string()),
            _strings(OUTLETS, outlets),
            pa.array(["en"] * n),
            dates,
            pa.array(["PLOVER 2.0"] * n),
            pa.array(["communique"] * n),
            pa.array(["0.1.0"] * n),
            pa.array(["1.0"] * n),
        ],
        fields=list(CITE),
    )
    statuses = ["asserted"] * 7 + ["future", "negated", "hypothetical"]
    doc_keys = [f"bench-{d}" for d in doc_ids]
    columns: dict[str, pa.Array] = {
        "id": pa.array([f"ev{i}" for i in numbers]),
        "doc_id": pa.array(doc_ids).take(doc_index),
        "event": _strings(list(PLOVER_TYPES), types),
        "quad_code": pa.array([QUAD_OF_TYPE[t] for t in PLOVER_TYPES], pa.int32()).take(
            pa.array(types)
        ),
        "mode": pa.nulls(n, pa.string()),
        "context": pa.ListArray.from_arrays(
            pa.array(np.arange(n + 1, dtype=np.int32)), _strings(["diplomatic"], np.zeros(n, int))
        ),
        "cameo": _strings([CAMEO_OF_TYPE[t] for t in PLOVER_TYPES], types),
        "status": _strings(statuses, rng.integers(0, len(statuses), n)),
        "planned": pa.nulls(n, EVENT_BATCH_SCHEMA.field("planned").type),
        "actor": actor,
        "recipient": recipient,
        "date": dates,
        "enddate": pa.nulls(n, pa.string()),
        "date_precision": pa.array(["day"] * n),
        "event_loc": loc,
        "event_text": pa.array(["met"] * n),
        "text": _strings(sentences, sentence),
        "text_info": pa.StructArray.from_arrays(
            [
                pa.array(numbers % EVENTS_PER_DOC),
                pa.array(np.zeros(n, np.int64)),
                pa.array(lengths.astype(np.int64)),
            ],
            fields=list(SPAN),
        ),
        "mentions": pa.ListArray.from_arrays(
            pa.array(np.zeros(n + 1, np.int32)), pa.array([], SPAN)
        ),
        "attribution": pa.nulls(n, EVENT_BATCH_SCHEMA.field("attribution").type),
        "cite_info": cite,
        "confidence": pa.array(rng.random(n)),
        "doc_key": pa.array(doc_keys).take(doc_index),
        "coder_version": pa.array(["0.1.0"] * n),
    }
    events = pa.Table.from_arrays(list(columns.values()), schema=EVENT_BATCH_SCHEMA)
    m = len(doc_ids)
    documents = pa.Table.from_arrays(
        [
            pa.array(doc_keys),
            pa.array(doc_ids),
            pa.array([f"Generated document {d}." for d in doc_ids]),
            pa.nulls(m, METADATA),
            pa.array(doc_keys),
            pa.array(["en"] * m),
            pa.nulls(m, pa.string()),
            pa.nulls(m, pa.string()),
            pa.array([EVENTS_PER_DOC] * m, pa.int32()),
            pa.array(["0.1.0"] * m),
        ],
        schema=DOCUMENT_SCHEMA,
    )
    return events, documents


def timed(action: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in milliseconds over `repeat` runs (after one warm-up), and a result."""
    result = action()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="communique-bench-")
    path = args.db or Path(folder) / "bench.duckdb"
    if path.exists():
        path.unlink()
    rng = np.random.default_rng(20240101)

    began = time.perf_counter()
    chunks = [
        generate(rng, start, min(GENERATE_EVENTS, args.events - start))
        for start in range(0, args.events, GENERATE_EVENTS)
    ]
    per_batch = max(1, BATCH_EVENTS // GENERATE_EVENTS)
    batches = [
        (
            pa.concat_tables([events for events, _ in group]).combine_chunks(),
            pa.concat_tables([documents for _, documents in group]).combine_chunks(),
        )
        for group in (chunks[i : i + per_batch] for i in range(0, len(chunks), per_batch))
    ]
    del chunks
    generate_s = time.perf_counter() - began

    store = open_store(path)
    began = time.perf_counter()
    for events, documents in batches:
        store.write_batch(documents, events)
    load_s = time.perf_counter() - began
    counts = store.counts()
    del batches

    queries: dict[str, Callable[[], Any]] = {
        "dyad filter (actor USA, recipient IRN) -> arrow": lambda: store.query_arrow(
            EventFilter(actor="USA", recipient="IRN")
        ),
        "actor by name, any case (iran) -> arrow": lambda: store.query_arrow(
            EventFilter(actor="iran")
        ),
        "date range (one month) -> arrow": lambda: store.query_arrow(
            EventFilter(since="2020-03-01", until="2020-03-31")
        ),
        "date range + country + type -> records": lambda: store.query(
            EventFilter(since="2020-01", until="2020-06", country=("SYR",), event=("ASSAULT",))
        ),
        "text words (withdraw troops), limit 100 -> records": lambda: store.query(
            EventFilter(text="withdraw troops", limit=100)
        ),
        "country-month aggregate (whole store)": lambda: store.aggregate(
            by="country", freq="month"
        ),
        "dyad-year aggregate (whole store)": lambda: store.aggregate(by="dyad", freq="year"),
    }
    results: dict[str, dict[str, float | int]] = {}
    for name, action in queries.items():
        ms, result = timed(action)
        rows = result.num_rows if isinstance(result, pa.Table) else len(result)
        results[name] = {"median_ms": round(ms, 2), "rows": rows}
    store.close()
    size_mb = path.stat().st_size / 1e6
    report = {
        "events": counts["events"],
        "documents": counts["documents"],
        "entities": counts["entities"],
        "generate_s": round(generate_s, 2),
        "load_s": round(load_s, 2),
        "load_events_per_s": round(counts["events"] / load_s),
        "db_mb": round(size_mb, 1),
        "queries": results,
        "machine": {
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    print(f"generated {args.events:,} events in {generate_s:.1f} s (not counted in load)")
    print(
        f"loaded {counts['events']:,} events, {counts['documents']:,} documents, "
        f"{counts['entities']:,} entity rows in {load_s:.1f} s "
        f"({report['load_events_per_s']:,} events/s); file {size_mb:.0f} MB"
    )
    for name, figures in results.items():
        print(f"{figures['median_ms']:9.1f} ms  {figures['rows']:>8,} rows  {name}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")
    if not args.keep and args.db is None:
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
