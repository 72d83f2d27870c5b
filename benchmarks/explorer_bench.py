"""Explorer benchmark: the API and page latencies on a large store.

    .venv/bin/python benchmarks/explorer_bench.py [--events 200000]

Builds a store of generated events with the store benchmark's generator (benchmarks/
store_bench.py, the bulk write path ingest uses), then times each endpoint in process through
FastAPI's TestClient (no network): the median of five calls after a warm-up. Writes the figures
to benchmarks/results/explorer_bench.json. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from communique.store import open_store
from communique.web import ServeOptions, create_app
from store_bench import GENERATE_EVENTS, generate, timed

RESULTS = Path(__file__).parent / "results" / "explorer_bench.json"

CALLS = {
    "GET /api/events (page 1 of all)": "/api/events",
    "GET /api/events (page 50, newest first)": "/api/events?page=50&sort=-date",
    "GET /api/events (actor USA, recipient IRN)": "/api/events?actor=USA&recipient=IRN",
    "GET /api/events (unique)": "/api/events?unique=true",
    "GET /api/facets (all)": "/api/facets",
    "GET /api/facets (one type, one year)": "/api/facets?event=ASSAULT&since=2020&until=2020",
    "GET /api/dyads": "/api/dyads",
    "GET /api/actors": "/api/actors",
    "GET /api/actors/IRN": "/api/actors/IRN",
    "GET /api/timeseries (month by quad)": "/api/timeseries",
    "GET /api/places": "/api/places",
    "page / (overview)": "/",
    "page /events": "/events",
    "page /events (facet + words)": "/events?event=ASSAULT&text=troops",
    "page /actors/USA": "/actors/USA",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="communique-explorer-")) / "bench.duckdb"
    rng = np.random.default_rng(20240101)
    began = time.perf_counter()
    with open_store(path) as store:
        for start in range(0, args.events, GENERATE_EVENTS):
            events, documents = generate(rng, start, min(GENERATE_EVENTS, args.events - start))
            store.write_batch(documents, events)
        counts = store.counts()
    build_s = time.perf_counter() - began
    figures: dict[str, float] = {}
    with TestClient(create_app(ServeOptions(db=path))) as client:
        for name, url in CALLS.items():
            ms, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, (url, response.text[:300])
            figures[name] = round(ms, 1)
            print(f"{ms:9.1f} ms  {name}")
    result = {
        "events": counts["events"],
        "documents": counts["documents"],
        "build_s": round(build_s, 1),
        "median_ms": figures,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "note": "events written without clusters (the bulk path): unique counts each event",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "median_ms"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
