"""Coding throughput: the full coder against the bare spaCy parse, in one process, on one text set.

    .venv/bin/python benchmarks/throughput.py [--tokens 100000] [--model NAME] [--rounds 3]
        [--date 2017-06-01] [--out benchmarks/results/throughput.json] [--profile] [--tracemalloc]
        [--typing combined|rules|model]

corpus/re3d-docs.jsonl (read with `communique.ingest.read_documents`) is repeated until the set
holds at least --tokens tokens (counted with the model's tokenizer). Then, after one warm-up of
each, it alternates (a) the bare parse, `nlp.pipe(texts, batch_size=config.batch_size)` with the
Coder's own pipeline object, every Doc consumed, and (b) the full coder,
`list(coder.code(documents))`, for --rounds rounds (the order flips every round), and reports the
median of each and coder throughput / bare throughput. Only ratios from one such interleaved run
mean anything on a shared, noisy machine; absolute figures move with the load.

Also reported: startup (model load, Coder() construction, the first coded document, which builds
the lazy gazetteer), memory (peak RSS of each run, via /proc/self/status where it can be reset,
and ru_maxrss), and, in a separate pass with timing shims wrapped around each of `Coder.stages`
and what they call into (nothing in src/ is changed), the time by stage: parse, actors
(ActorResolver.for_document and every DocumentActors.resolve, wherever it is called from),
events (the events, mentions and confidence stages), places, dates, attribution, assembly
(pipeline._record) and the rest. Stage times are exclusive: a resolve called inside the events
stage counts for actors, not events (the JSON also gives those nestings).

--profile runs cProfile over one coding run instead (no timed rounds) and adds the top 25
functions by cumulative and by own time to the JSON under "profile", keeping the figures there.
--tracemalloc adds one coding run under tracemalloc (slow) and reports its Python-heap peak.

Not a test: nothing here asserts. The documents carry no date, so --date (default 2017-06-01, the
re3d period) is given to the reader as the fallback date; pass --date none to leave them undated.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "re3d-docs.jsonl"
OUT = ROOT / "benchmarks" / "results" / "throughput.json"
STAGES = (
    "parse",
    "actors",
    "events",
    "typing",
    "places",
    "dates",
    "attribution",
    "assembly",
    "other",
)


# --- memory -------------------------------------------------------------------------------------


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset VmHWM (Linux >= 4.0: writing 5 to clear_refs); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _mib(kib: int | None) -> float | None:
    return round(kib / 1024, 1) if kib is not None else None


def _maxrss_mib() -> float:
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale, 1)


class GcClock:
    """Time spent in the cyclic garbage collector (gc.callbacks), and full collections."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.full += info.get("generation") == 2

    def take(self) -> tuple[float, int]:
        taken = (self.seconds, self.full)
        self.seconds, self.full = 0.0, 0
        return taken


# --- stage timing shims -------------------------------------------------------------------------


class StageTimer:
    """Exclusive time by stage: a shimmed call nested in another counts for its own stage only."""

    def __init__(self) -> None:
        self.exclusive: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.nested: dict[str, float] = defaultdict(float)  # "actors in events" -> seconds
        self._stack: list[list[Any]] = []  # [stage, seconds spent in shimmed children]

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        frame: list[Any] = [stage, 0.0]
        self._stack.append(frame)
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self._stack.pop()
            self.exclusive[stage] += elapsed - frame[1]
            self.calls[stage] += 1
            if self._stack:
                parent = self._stack[-1]
                parent[1] += elapsed
                if parent[0] != stage:
                    self.nested[f"{stage} in {parent[0]}"] += elapsed

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def shim(*args: Any, **kwargs: Any) -> Any:
            with self.timed(stage):
                return function(*args, **kwargs)

        return shim


class _TimedPipeline:
    """Stands in for the Coder's spaCy pipeline, timing each Doc that `pipe` hands out."""

    def __init__(self, nlp: Any, timer: StageTimer) -> None:
        self._nlp = nlp
        self._timer = timer

    def pipe(self, texts: Any, **kwargs: Any) -> Iterator[Any]:
        docs = iter(self._nlp.pipe(texts, **kwargs))
        while True:
            with self._timer.timed("parse"):
                doc = next(docs, None)
            if doc is None:
                return
            yield doc

    def __call__(self, text: str) -> Any:
        with self._timer.timed("parse"):
            return self._nlp(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)


# The coder's stages (`Coder.stages`, by name) and the figure each one's time counts for.
STAGE_OF = {
    "events": "events",
    "learned-typing": "typing",
    "mentions": "events",
    "confidence": "events",
    "places": "places",
    "dates": "dates",
    "attribution": "attribution",
}


def _timed_stage(stage: Any, timer: StageTimer) -> Any:
    """The stage with its calls timed; a batch stage stays one (the coder batches it)."""
    figure = STAGE_OF.get(getattr(stage, "name", ""), "other")

    class Timed:
        name = stage.name
        __call__ = staticmethod(timer.wrap(figure, stage))

    if hasattr(stage, "run_batch"):
        Timed.run_batch = staticmethod(timer.wrap(figure, stage.run_batch))  # type: ignore[attr-defined]
    return Timed()


@contextmanager
def stage_shims(coder: Any, timer: StageTimer) -> Iterator[None]:
    """Wrap each of `coder.stages`, and what they call into, in timing shims; undo them
    afterwards."""
    import communique.pipeline as pipeline
    from communique.actors.resolve import DocumentActors

    saved_record = pipeline._record
    saved_stages = coder.stages
    saved_resolve = DocumentActors.resolve
    nlp = coder.nlp
    try:
        coder.stages = [_timed_stage(stage, timer) for stage in saved_stages]
        pipeline._record = timer.wrap("assembly", saved_record)
        DocumentActors.resolve = timer.wrap("actors", saved_resolve)  # type: ignore[method-assign]
        coder.actors.for_document = timer.wrap("actors", coder.actors.for_document)
        coder.nlp = _TimedPipeline(nlp, timer)
        yield
    finally:
        coder.stages = saved_stages
        pipeline._record = saved_record
        DocumentActors.resolve = saved_resolve  # type: ignore[method-assign]
        for attribute in ("for_document",):
            coder.actors.__dict__.pop(attribute, None)
        coder.nlp = nlp


# --- the text set -------------------------------------------------------------------------------


def load_documents(nlp: Any, min_tokens: int, date: str | None) -> tuple[list[Any], dict[str, Any]]:
    from communique.ingest import ReadOptions, read_documents
    from communique.records import Document

    base = [
        item
        for item in read_documents([str(CORPUS)], ReadOptions(date=date))
        if isinstance(item, Document)
    ]
    if not base:
        raise SystemExit(f"no documents read from {CORPUS}")
    counts = [len(nlp.tokenizer(d.text)) for d in base]
    documents: list[Any] = []
    tokens = repeat = 0
    while tokens < min_tokens:
        repeat += 1
        for document, count in zip(base, counts, strict=True):
            doc_id = document.id if repeat == 1 else f"{document.id}#{repeat}"
            documents.append(replace(document, id=doc_id))
            tokens += count
    info = {
        "file": str(CORPUS.relative_to(ROOT)),
        "base_documents": len(base),
        "repeats": repeat,
        "documents": len(documents),
        "tokens": tokens,
        "characters": sum(len(d.text) for d in documents),
        "document_date": date,
    }
    return documents, info


# --- runs ---------------------------------------------------------------------------------------


def run_bare(nlp: Any, texts: list[str], batch_size: int) -> tuple[float, int]:
    started = time.perf_counter()
    count = 0
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        count += 1
    return time.perf_counter() - started, count


def run_coder(coder: Any, documents: list[Any]) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    results = list(coder.code(documents))
    return time.perf_counter() - started, results


def _rates(seconds: float, corpus: dict[str, Any]) -> dict[str, float]:
    return {
        "docs_per_s": round(corpus["documents"] / seconds, 2),
        "sentences_per_s": round(corpus["sentences"] / seconds, 1),
        "tokens_per_s": round(corpus["tokens"] / seconds, 1),
    }


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine_info(model: str) -> dict[str, Any]:
    import spacy

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": model,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def startup(
    model: str, typing: str, typer_threads: int, overlap: bool
) -> tuple[Any, dict[str, Any]]:
    """Build the Coder, timing the model load, the rest of Coder() and the first coded document."""
    from communique.config import Config
    from communique.nlp import load_pipeline
    from communique.pipeline import Coder

    started = time.perf_counter()
    load_pipeline(model)  # cached: Coder() below reuses this pipeline object
    model_s = time.perf_counter() - started
    started = time.perf_counter()
    coder = Coder(
        Config(model=model, typing=typing, typer_threads=typer_threads, overlap_typing=overlap)
    )
    coder_s = time.perf_counter() - started
    return coder, {"model_load_s": round(model_s, 3), "coder_init_rest_s": round(coder_s, 3)}


def first_document(coder: Any, documents: list[Any], info: dict[str, Any]) -> None:
    """Code documents one by one until one yields events (that builds the gazetteer)."""
    import communique.gazetteer as gazetteer_module

    started = time.perf_counter()
    tried = 0
    for document in documents:
        tried += 1
        if next(iter(coder.code([document]))).records:
            break
    info["first_document_s"] = round(time.perf_counter() - started, 3)
    info["first_document_tries"] = tried
    built = gazetteer_module._shared_tables.cache_info().currsize > 0
    info["gazetteer_built_by_first_document"] = built
    if not built:
        started = time.perf_counter()
        gazetteer_module.default_gazetteer().lookup("Doha")
        info["gazetteer_forced_s"] = round(time.perf_counter() - started, 3)
    info["total_s"] = round(
        info["model_load_s"]
        + info["coder_init_rest_s"]
        + info["first_document_s"]
        + info.get("gazetteer_forced_s", 0.0),
        3,
    )


def stage_pass(coder: Any, documents: list[Any], untimed_median: float) -> dict[str, Any]:
    """Time by stage, in one thread: the shims keep one stack, so the typer's overlap with the
    parse (`overlap_typing`) is off in this pass, and `shim_overhead_vs_median` includes what
    the overlap saves."""
    timer = StageTimer()
    config = coder.config
    coder.config = replace(config, overlap_typing=False)
    try:
        with stage_shims(coder, timer):
            elapsed, _results = run_coder(coder, documents)
    finally:
        coder.config = config
    accounted = sum(timer.exclusive.values())
    timer.exclusive["other"] = max(elapsed - accounted, 0.0)
    return {
        "total_s": round(elapsed, 3),
        "shim_overhead_vs_median": round(elapsed / untimed_median - 1, 3),
        "seconds": {s: round(timer.exclusive.get(s, 0.0), 3) for s in STAGES},
        "share": {s: round(timer.exclusive.get(s, 0.0) / elapsed, 4) for s in STAGES},
        "calls": {s: timer.calls[s] for s in STAGES if timer.calls[s]},
        "nested_s": {k: round(v, 3) for k, v in sorted(timer.nested.items())},
        "note": "exclusive seconds; 'actors' includes every DocumentActors.resolve, also those "
        "called from events, places and attribution (see nested_s); 'other' is the rest of "
        "Coder.code and _code_parsed (the context, CiteInfo, batching)",
    }


def profile_pass(coder: Any, documents: list[Any], top: int = 25) -> dict[str, Any]:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    list(coder.code(documents))
    profiler.disable()
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler, stream=io.StringIO())

    def rows(key: str) -> list[dict[str, Any]]:
        stats.sort_stats(key)
        out = []
        for func in stats.fcn_list[:top]:  # type: ignore[attr-defined]
            _cc, nc, tt, ct, _callers = stats.stats[func]  # type: ignore[attr-defined]
            filename, line, name = func
            where = filename
            for marker in ("site-packages/", "src/"):
                if marker in filename:
                    where = filename.split(marker, 1)[1]
            out.append(
                {
                    "function": f"{where}:{line}({name})",
                    "calls": nc,
                    "own_s": round(tt, 3),
                    "cumulative_s": round(ct, 3),
                }
            )
        return out

    return {
        "profiled_run_s": round(elapsed, 3),
        "top_cumulative": rows("cumulative"),
        "top_own_time": rows("tottime"),
    }


# --- reporting ----------------------------------------------------------------------------------


def summary(result: dict[str, Any]) -> str:
    corpus, bare, coder = result["corpus"], result["bare"], result["coder"]
    lines = [
        f"machine: {result['machine']['platform']}, {result['machine']['cpu_count']} CPUs, "
        f"Python {result['machine']['python']}, spaCy {result['machine']['spacy']}, "
        f"model {result['machine']['model']}",
        f"text set: {corpus['documents']} documents ({corpus['base_documents']} x "
        f"{corpus['repeats']}), {corpus['sentences']} sentences, {corpus['tokens']} tokens",
        "",
        f"{'':>12} {'median s':>9} {'docs/s':>8} {'sents/s':>9} {'tokens/s':>10}  peak RSS MiB",
    ]
    for name, figures in (("bare parse", bare), ("coder", coder)):
        lines.append(
            f"{name:>12} {figures['median_s']:>9.2f} {figures['docs_per_s']:>8.1f} "
            f"{figures['sentences_per_s']:>9.1f} {figures['tokens_per_s']:>10.0f}  "
            f"{figures['peak_rss_mib']}"
        )
    lines += [
        "",
        f"ratio coder/bare throughput: {result['ratio']:.3f} (median of rounds "
        f"{result['ratio_median_of_rounds']:.3f}; rounds "
        + ", ".join(f"{r['ratio']:.3f}" for r in result["rounds"])
        + ")",
        f"GC seconds per run: bare {[g[0] for g in result['gc_per_run']['bare']]}, coder "
        f"{[g[0] for g in result['gc_per_run']['coder']]}",
        f"events: {coder['events']} ({coder['events_per_s']:.1f}/s)",
        f"startup: model {result['startup']['model_load_s']:.2f} s + Coder() "
        f"{result['startup']['coder_init_rest_s']:.2f} s + first document "
        f"{result['startup']['first_document_s']:.2f} s = {result['startup']['total_s']:.2f} s",
        f"memory: ru_maxrss {result['memory']['ru_maxrss_mib']} MiB; RSS after startup "
        f"{result['memory']['rss_after_startup_mib']} MiB, at end {result['memory']['rss_end_mib']}"
        " MiB",
    ]
    if "tracemalloc_peak_mib" in result["memory"]:
        lines.append(
            f"tracemalloc peak of one coding run: {result['memory']['tracemalloc_peak_mib']}"
            " MiB (Python heap only)"
        )
    stages = result["stages"]
    lines += [
        "",
        f"by stage (shimmed pass, {stages['total_s']:.2f} s, "
        f"shim overhead {stages['shim_overhead_vs_median']:+.1%}):",
    ]
    for stage in STAGES:
        lines.append(
            f"  {stage:>12} {stages['seconds'][stage]:>8.2f} s  {stages['share'][stage]:>6.1%}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=100_000)
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: the config's)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--typing",
        default="combined",
        choices=("combined", "rules", "model"),
        help="who types events (the learned typer runs unless this is rules)",
    )
    parser.add_argument("--typer-threads", type=int, default=0, help="the setting typer_threads")
    parser.add_argument(
        "--no-overlap", action="store_true", help="overlap_typing = false: type after the parse"
    )
    parser.add_argument("--date", default="2017-06-01", help="fallback document date, or none")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--profile", action="store_true", help="cProfile one coding run instead")
    parser.add_argument("--tracemalloc", action="store_true", help="add a tracemalloc run")
    args = parser.parse_args()
    from communique.config import DEFAULT_MODEL

    model = args.model or DEFAULT_MODEL
    date = None if args.date.lower() == "none" else args.date
    command = "python benchmarks/throughput.py " + " ".join(sys.argv[1:])

    rss_start = _status_kib("VmRSS")
    coder, startup_info = startup(model, args.typing, args.typer_threads, not args.no_overlap)
    documents, corpus = load_documents(coder.nlp, args.tokens, date)
    first_document(coder, documents, startup_info)
    rss_after_startup = _status_kib("VmRSS")
    nlp, batch_size, max_chars = coder.nlp, coder.config.batch_size, coder.config.max_chars
    texts = [d.text[:max_chars] for d in documents]

    if args.profile:
        list(coder.code(documents[: corpus["base_documents"]]))  # warm the lazy parts
        profile = profile_pass(coder, documents)
        profile.update(command=command, machine=machine_info(model), corpus=corpus)
        result = json.loads(args.out.read_text("utf-8")) if args.out.is_file() else {}
        result["profile"] = profile
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
        print(f"profiled coding run: {profile['profiled_run_s']:.2f} s")
        for title, key in (("cumulative", "top_cumulative"), ("own time", "top_own_time")):
            print(f"\ntop by {title}:")
            for row in profile[key]:
                print(
                    f"  {row['cumulative_s']:>8.2f} {row['own_s']:>8.2f} {row['calls']:>9}  "
                    f"{row['function']}"
                )
        print(f"\nwritten to {args.out}")
        return

    # warm-up: one of each (also counts sentences)
    corpus["sentences"] = sum(
        sum(1 for _ in doc.sents) for doc in nlp.pipe(texts, batch_size=batch_size)
    )
    run_coder(coder, documents)

    bare_runs: list[float] = []
    coder_runs: list[float] = []
    bare_peaks: list[int] = []
    coder_peaks: list[int] = []
    rounds: list[dict[str, Any]] = []
    events = skipped = 0
    can_reset = _reset_peak()
    gc_clock = GcClock()
    gc_runs: dict[str, list[list[float]]] = {"bare": [], "coder": []}
    for number in range(args.rounds):
        order = ("bare", "coder") if number % 2 == 0 else ("coder", "bare")
        times: dict[str, float] = {}
        load = _loadavg()
        for which in order:
            _reset_peak()
            gc_clock.take()
            if which == "bare":
                times["bare"], count = run_bare(nlp, texts, batch_size)
                assert count == len(texts)
                bare_peaks.append(_status_kib("VmHWM") or 0)
                gc_s, gc_full = gc_clock.take()
                gc_runs["bare"].append([round(gc_s, 3), gc_full])
            else:
                times["coder"], results = run_coder(coder, documents)
                events = sum(len(r.records) for r in results)
                skipped = sum(1 for r in results if r.skip is not None)
                del results
                coder_peaks.append(_status_kib("VmHWM") or 0)
                gc_s, gc_full = gc_clock.take()
                gc_runs["coder"].append([round(gc_s, 3), gc_full])
        bare_runs.append(times["bare"])
        coder_runs.append(times["coder"])
        rounds.append(
            {
                "order": list(order),
                "bare_s": round(times["bare"], 3),
                "coder_s": round(times["coder"], 3),
                "ratio": round(times["bare"] / times["coder"], 4),
                "loadavg": load,
            }
        )
        print(
            f"round {number + 1}: bare {times['bare']:.2f} s, coder {times['coder']:.2f} s, "
            f"ratio {times['bare'] / times['coder']:.3f} (load {load})",
            flush=True,
        )

    bare_median, coder_median = statistics.median(bare_runs), statistics.median(coder_runs)
    stages = stage_pass(coder, documents, coder_median)
    memory: dict[str, Any] = {
        "rss_start_mib": _mib(rss_start),
        "rss_after_startup_mib": _mib(rss_after_startup),
        "rss_end_mib": _mib(_status_kib("VmRSS")),
        "ru_maxrss_mib": _maxrss_mib(),
        "peak_reset_per_run": can_reset,
    }
    if args.tracemalloc:
        tracemalloc.start()
        run_coder(coder, documents)
        memory["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()

    def figures(runs: list[float], peaks: list[int]) -> dict[str, Any]:
        median = statistics.median(runs)
        return {
            "median_s": round(median, 3),
            "runs_s": [round(r, 3) for r in runs],
            **_rates(median, corpus),
            "peak_rss_mib": _mib(max(peaks)) if can_reset and peaks else None,
            "peak_rss_runs_mib": [_mib(p) for p in peaks] if can_reset else None,
        }

    result: dict[str, Any] = {
        "command": command,
        "machine": machine_info(model),
        "config": {
            "batch_size": batch_size,
            "max_chars": max_chars,
            "rounds": args.rounds,
            "typing": coder.config.typing,
            "typer_threads": coder.config.typer_threads,
            "overlap_typing": coder.config.overlap_typing,
        },
        "corpus": corpus,
        "bare": figures(bare_runs, bare_peaks),
        "coder": {
            **figures(coder_runs, coder_peaks),
            "events": events,
            "events_per_s": round(events / coder_median, 1),
            "skipped": skipped,
        },
        "ratio": round(bare_median / coder_median, 4),
        "ratio_median_of_rounds": round(statistics.median(r["ratio"] for r in rounds), 4),
        "rounds": rounds,
        "gc_per_run": {"what": "[seconds in the cyclic GC, full (gen 2) collections]", **gc_runs},
        "startup": startup_info,
        "memory": memory,
        "stages": stages,
        "loadavg_end": _loadavg(),
        "note": "only ratios from one interleaved run mean anything on a shared machine",
    }
    if args.out.is_file():  # keep the last --profile output beside the new figures
        previous = json.loads(args.out.read_text("utf-8"))
        if "profile" in previous:
            result["profile"] = previous["profile"]
    print()
    print(summary(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
