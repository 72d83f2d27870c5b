"""Spark throughput: communique.spark on local[1] and local[2] against the single-process Coder
and the bare spaCy parse, on one text set.

    .venv/bin/python benchmarks/spark_bench.py [--documents 264] [--partitions 4] [--rounds 1]
        [--typing combined|rules|model] [--typer-model DIR] [--date 2017-06-01] [--out FILE.json]

corpus/re3d-docs.jsonl (read with `communique.ingest.read_documents`, --date as the fallback
document date, as benchmarks/throughput.py does) is repeated until it holds --documents
documents. In one driver process it times:

- bare parse: `coder.nlp.pipe(texts, batch_size=config.batch_size)`, every Doc consumed;
- coder: `list(coder.code(documents))`, the single-process coder, with the CPU time it took
  (the learned typer's ONNX session runs 2 threads, so one coder process uses more than a core);
- Spark local[1] and local[2]: `code_documents(df)` over the same documents as a DataFrame of
  --partitions partitions, forced by an aggregate of every row (documents and events counted,
  so every event is built and sent through Arrow). Each master gets its own SparkSession: the
  first job ("cold") includes the JVM-side start of the Python workers and each worker's
  `Coder()`; the later ones ("warm", --rounds of them) reuse the workers and their coders, which
  is what a long job sees after its first tasks.

Then the bare parse and the coder are timed again, so that a change of load during the run
shows. Ratios: each throughput over the bare parse's (the first and second bare runs
averaged), and local[2] over local[1]. Not a test: nothing asserts. Only ratios within one run
mean anything on a shared, noisy machine (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "re3d-docs.jsonl"
OUT = ROOT / "benchmarks" / "results" / "spark_bench.json"
FIELDS = ("id", "text", "date", "url", "title", "source")


def load_documents(count: int, date: str | None) -> list[Any]:
    from communique.ingest import ReadOptions, read_documents
    from communique.records import Document

    base = [
        item
        for item in read_documents([str(CORPUS)], ReadOptions(date=date))
        if isinstance(item, Document)
    ]
    documents = []
    for number in range(count):
        document = base[number % len(base)]
        repeat = number // len(base)
        documents.append(replace(document, id=f"{document.id}#{repeat}" if repeat else document.id))
    return documents


def time_bare(nlp: Any, texts: list[str], batch_size: int) -> float:
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - started


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_coder(coder: Any, documents: list[Any]) -> tuple[float, int, float]:
    """Seconds, events, and the cores the coder kept busy (CPU seconds / seconds)."""
    cpu, started = _cpu_s(), time.perf_counter()
    results = list(coder.code(documents))
    elapsed = time.perf_counter() - started
    return elapsed, sum(len(r.records) for r in results), (_cpu_s() - cpu) / elapsed


def spark_runs(
    master: str, documents: list[Any], partitions: int, rounds: int, config: Any
) -> dict[str, Any]:
    """One session on `master`: a cold job, then `rounds` warm ones."""
    from pyspark.sql import functions as F

    from communique.spark import Columns, code_documents, local_session

    started = time.perf_counter()
    spark = local_session(
        master,
        app_name=f"communique-bench-{master}",
        conf={"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": str(partitions)},
    )
    session_s = time.perf_counter() - started
    rows = [tuple(getattr(d, name) for name in FIELDS) for d in documents]
    schema = ", ".join(f"{name} string" for name in FIELDS)
    df = spark.createDataFrame(rows, schema).repartition(partitions).cache()
    df.count()  # the input is in memory before any timing: only coding is measured
    columns = Columns(date="date", url="url", title="title", source="source")

    def job() -> tuple[float, int, int]:
        started = time.perf_counter()
        coded = (
            code_documents(df, columns, config)
            .agg(F.count(F.lit(1)), F.sum("n_events"))
            .collect()[0]
        )
        return time.perf_counter() - started, int(coded[0]), int(coded[1] or 0)

    cold = job()
    warm = [job() for _ in range(rounds)]
    spark.stop()
    return {
        "master": master,
        "session_start_s": round(session_s, 2),
        "cold_s": round(cold[0], 2),
        "warm_s": [round(w[0], 2) for w in warm],
        "warm_median_s": round(statistics.median(w[0] for w in warm), 2),
        "documents": cold[1],
        "events": cold[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=264)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1, help="warm Spark jobs per master")
    parser.add_argument("--typing", default="combined", choices=("combined", "rules", "model"))
    parser.add_argument(
        "--typer-model", default="", help="the setting typer_model: a folder with another typer"
    )
    parser.add_argument("--date", default="2017-06-01", help="fallback document date, or none")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from communique.config import Config
    from communique.pipeline import Coder

    date = None if args.date.lower() == "none" else args.date
    documents = load_documents(args.documents, date)
    config = Config(typing=args.typing, typer_model=args.typer_model)
    coder = Coder(config)
    texts = [d.text[: coder.config.max_chars] for d in documents]
    batch_size = coder.config.batch_size
    time_coder(coder, documents[:20])  # warm-up: lazy tables, the typer's session

    loads = [os.getloadavg()[0]]
    bare_1 = time_bare(coder.nlp, texts, batch_size)
    coder_1, events, cores_1 = time_coder(coder, documents)
    print(
        f"bare parse {bare_1:.2f} s, coder {coder_1:.2f} s ({events} events, {cores_1:.2f} cores)",
        flush=True,
    )
    spark = {}
    for master in ("local[1]", "local[2]"):
        spark[master] = spark_runs(master, documents, args.partitions, args.rounds, config)
        loads.append(os.getloadavg()[0])
        print(json.dumps(spark[master]), flush=True)
    bare_2 = time_bare(coder.nlp, texts, batch_size)
    coder_2, _, cores_2 = time_coder(coder, documents)
    loads.append(os.getloadavg()[0])
    print(f"again: bare parse {bare_2:.2f} s, coder {coder_2:.2f} s", flush=True)

    bare = (bare_1 + bare_2) / 2
    single = (coder_1 + coder_2) / 2
    one, two = spark["local[1]"]["warm_median_s"], spark["local[2]"]["warm_median_s"]
    result = {
        "command": "python benchmarks/spark_bench.py " + " ".join(sys.argv[1:]),
        "machine": {
            "platform": platform.platform(),
            "cpus_usable": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d"),
        },
        "documents": len(documents),
        "partitions": args.partitions,
        "typing": args.typing,
        "typer_model": args.typer_model or "shipped",
        "events_single_process": events,
        "spark_event_counts_equal": all(spark[m]["events"] == events for m in spark),
        "bare_s": [round(bare_1, 2), round(bare_2, 2)],
        "coder_s": [round(coder_1, 2), round(coder_2, 2)],
        "coder_cores_busy": [round(cores_1, 2), round(cores_2, 2)],
        "spark": spark,
        "throughput_over_bare": {
            "coder": round(bare / single, 3),
            "local[1] warm": round(bare / one, 3),
            "local[2] warm": round(bare / two, 3),
            "local[1] cold": round(bare / spark["local[1]"]["cold_s"], 3),
            "local[2] cold": round(bare / spark["local[2]"]["cold_s"], 3),
        },
        "local[2] over local[1] (warm)": round(one / two, 3),
        "local[1] warm over coder": round(single / one, 3),
        "loadavg_1min": [round(x, 2) for x in loads],
    }
    print()
    same = all(spark[m]["events"] == events for m in spark)
    print(f"{len(documents)} documents, {events} events (Spark: the same count: {same})")
    print("throughput over the bare parse's:")
    for name, ratio in result["throughput_over_bare"].items():
        print(f"  {name:>14}: {ratio:.3f}")
    print(f"  local[2] / local[1] (warm): {result['local[2] over local[1] (warm)']:.3f}")
    print(f"  local[1] warm / coder:      {result['local[1] warm over coder']:.3f}")
    print(f"  cores the single-process coder kept busy: {result['coder_cores_busy']}")
    print(f"  load average (1 min) during the run: {result['loadavg_1min']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
