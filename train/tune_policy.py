"""Choose the combined policy's thresholds on the calibration split, and write them to the model.

    python train/tune_policy.py [--model src/communique/models/event_typer]

The calibration split is the tenth of the training sentences that `train_typer.py` keeps out of
training (by id hash). Each sentence is coded end to end (rules, then the learned stage) for
every threshold triple of a small grid, scored like `communique eval` (complete documents,
parties by text). Of the triples whose type macro-F1 is within 0.02 of the best, the cheapest
(one that never drops nor retypes a rule event spares the model those events), then the most
cautious (highest thresholds) is written to the model's `config.json` under "policy"; then
the narrowest context window that scores at least as well as the training window's is written
as "window_chars". Neither
the held-out split nor the gold files in eval/ are used here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labels import gold_document, is_calibration, read_labels
from train_typer import OUT

from communique.config import Config
from communique.evaluate import load_gold, score
from communique.events.learned import TRAINING_WINDOW_CHARS, EventTyper, TypeScores
from communique.events.typing import LearnedTyping, TypingPolicy
from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document

TOLERANCE = 0.02
WINDOWS = (TRAINING_WINDOW_CHARS, 200, 150, 100)  # characters of context each side
GRID = {
    "drop_above": (0.6, 0.7, 0.85, 0.95, 1.01),  # 1.01: never drop
    "retype_above": (0.4, 0.5, 0.6, 0.75, 0.9, 1.01),
    "add_above": (0.3, 0.4, 0.5, 0.65, 0.8, 0.95),
}


class _Memo:
    """The typer's scores, computed once per marked text across the whole grid."""

    def __init__(self, typer: EventTyper) -> None:
        self.typer = typer
        self.window_chars = typer.window_chars
        self.cache: dict[str, TypeScores] = {}

    def score(self, texts: list[str], batch_size: int = 32) -> list[TypeScores]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        self.cache.update(zip(missing, self.typer.score(missing, batch_size), strict=True))
        return [self.cache[t] for t in texts]


def choose_thresholds(run: Callable[[TypingPolicy], dict[str, Any]]) -> dict[str, float]:
    """The threshold triple to ship: of those within TOLERANCE of the best calibration
    macro-F1, the cheapest, then the most cautious."""
    tried: list[tuple[float, dict[str, float]]] = []
    for values in itertools.product(*GRID.values()):
        thresholds = dict(zip(GRID, values, strict=True))
        tried.append((run(replace(TypingPolicy(), **thresholds))["type_macro_f1"], thresholds))
    top = max(score for score, _ in tried)
    # Among the triples within TOLERANCE of the best (differences the 600 calibration sentences
    # cannot tell apart): the cheapest first (one that never drops nor retypes need not score
    # the rules' events at all: about half the model's time), then the most cautious (fewest
    # added events, then fewest changes to the rules' events).
    near = [t for score, t in tried if score >= top - TOLERANCE]

    def preference(t: dict[str, float]) -> tuple[bool, float, float, float]:
        cheap = t["drop_above"] > 1 and t["retype_above"] > 1
        return (cheap, t["add_above"], t["drop_above"], t["retype_above"])

    chosen = max(near, key=preference)
    print(f"best macro-F1 {top}; {len(near)} triples within {TOLERANCE}; chosen {chosen}")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=OUT)
    parser.add_argument(
        "--keep-policy", action="store_true",
        help="keep the model's thresholds and choose only the context window",
    )  # fmt: skip
    args = parser.parse_args()
    rows = [r for r in read_labels() if is_calibration(r) and r.get("note") != "fragment"]
    with tempfile.TemporaryDirectory() as folder:  # scored exactly as `communique eval` would
        gold_path = Path(folder) / "calibration.jsonl"
        gold_path.write_text("".join(json.dumps(gold_document(r)) + "\n" for r in rows))
        gold = load_gold(gold_path).documents
    coder = Coder(Config(typing="combined", typer_model=str(args.model)))
    stage = next(s for s in coder.stages if isinstance(s, LearnedTyping))
    stage.typer = _Memo(stage.typer)  # type: ignore[assignment]
    documents = []
    for row in rows:
        document = document_from_text(row["text"], row["id"], date=row.get("date"))
        assert isinstance(document, Document)
        documents.append((document, coder.nlp(document.text)))

    def run(policy: TypingPolicy | None) -> dict[str, Any]:
        saved = coder.stages
        if policy is None:
            coder.stages = [s for s in saved if not isinstance(s, LearnedTyping)]
        else:
            stage.policy = policy
        try:
            results = coder.code_parsed(documents)  # one model call for all
            if skipped := [r.skip for r in results if r.skip is not None]:
                raise SystemExit(f"calibration sentences not coded: {skipped}")
            predictions = {d.id: r.records for (d, _), r in zip(documents, results, strict=True)}
        finally:
            coder.stages = saved
        report = score(gold, predictions)
        return {
            "type_macro_f1": round(report.type_macro_f1 or 0.0, 4),
            "type_f1": round(report.type.f1 or 0.0, 4),
            "dyad_f1": round(report.dyad.f1 or 0.0, 4),
        }

    results = {"rules": run(None), "model": run(TypingPolicy(mode="model"))}
    print(f"{len(rows)} calibration sentences; rules {results['rules']}; model {results['model']}")
    chosen = dict(stage.typer.typer.thresholds) if args.keep_policy else choose_thresholds(run)
    policy = replace(TypingPolicy(), **chosen)  # type: ignore[arg-type]
    # Then the context window: the model's time grows with the text it reads, so the narrowest
    # window that types the calibration split at least as well as the training window is kept.
    by_window = {}
    for window in WINDOWS:
        stage.typer.window_chars = window
        by_window[window] = run(policy)["type_macro_f1"]
    window = min(w for w, f1 in by_window.items() if f1 >= by_window[TRAINING_WINDOW_CHARS])
    stage.typer.window_chars = window
    print(f"macro-F1 by window {by_window}; chosen {window}")
    card = args.model / "config.json"
    settings = json.loads(card.read_text(encoding="utf-8"))
    settings["policy"] = chosen
    settings["window_chars"] = window
    settings["figures"]["calibration_by_window"] = by_window
    settings["figures"]["calibration_end_to_end"] = {
        **results,
        "combined": run(policy),
    }
    card.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(settings["figures"]["calibration_end_to_end"], indent=1))


if __name__ == "__main__":
    main()
