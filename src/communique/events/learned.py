"""The learned event typer: a fine-tuned MiniLM that types a marked trigger, run on ONNX Runtime.

For one candidate (a sentence with its trigger marked, `... << attacked >> ...`) the model gives
a probability for "no event" and for each PLOVER type. The model file, its tokenizer and its card
live in `communique/models/event_typer/`; `train/train_typer.py` rebuilds them from
`data/train/` (torch is needed only there). Nothing here imports torch.

`marked_text` is the one way a candidate is written for the model, shared by training and
coding so that both see the same input.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from communique.errors import ConfigError

NO_EVENT = "NONE"
OPEN_MARK, CLOSE_MARK = "<<", ">>"
# Characters of context kept on each side of the trigger: the model reads at most `max_tokens`
# word pieces, and a window around the trigger keeps the trigger inside them. Training uses this
# window; the coder uses the model's `window_chars` (train/tune_policy.py picks the narrowest that
# types the calibration split as well: the model's time grows with the text it reads).
TRAINING_WINDOW_CHARS = 300
MODEL_PACKAGE_DIR = "models/event_typer"


def marked_text(sentence: str, start: int, end: int, window: int = TRAINING_WINDOW_CHARS) -> str:
    """The sentence with characters `start:end` (the trigger) marked, cut to `window`
    characters on each side of it."""
    # Whitespace is normalised here only for readability: the word-piece tokenizer ignores it.
    left = sentence[max(0, start - window) : start].strip()
    right = sentence[end : end + window].strip()
    return f"{left} {OPEN_MARK} {sentence[start:end]} {CLOSE_MARK} {right}".strip()


@dataclass(frozen=True)
class TypeScores:
    """The model's reading of one candidate."""

    label: str  # NO_EVENT or a PLOVER type: the most probable
    probability: float  # of `label`, calibrated (temperature-scaled softmax)
    probabilities: dict[str, float]

    def of(self, label: str) -> float:
        return self.probabilities.get(label, 0.0)


class EventTyper:
    """Loads the ONNX model and its tokenizer once; `score` types a batch of marked candidates."""

    def __init__(self, model_dir: Path | None = None, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        folder = model_dir or default_model_dir()
        card = folder / "config.json"
        if not card.is_file():
            raise ConfigError(
                f"no event typer model in {folder} (config.json missing); rebuild it with "
                '`python train/train_typer.py` or set `typing = "rules"` in the settings'
            )
        settings: dict[str, Any] = json.loads(card.read_text(encoding="utf-8"))
        self.labels: list[str] = list(settings["labels"])
        self.temperature = float(settings.get("temperature", 1.0))
        self.max_tokens = int(settings.get("max_tokens", 128))
        self.window_chars = int(settings.get("window_chars", TRAINING_WINDOW_CHARS))
        # Thresholds of the combined policy, chosen when the model was built (its card says how).
        self.thresholds: dict[str, Any] = dict(settings.get("policy", {}))
        self.recall_lemmas = _read_lemmas(folder / "candidate_lemmas.tsv")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        # The base model's tokenizer.json pads every text to 128 pieces; the batches below pad
        # only to their longest text, and the mask hides the padding either way.
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        # 0 lets ONNX Runtime use every core: right for one coder, wrong for one coder per core
        # (Spark workers), which pass 1 (`Config.typer_threads`).
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(
            str(folder / settings.get("file", "model.onnx")),
            options,
            providers=["CPUExecutionProvider"],
        )

    def score(self, texts: Sequence[str], batch_size: int = 32) -> list[TypeScores]:
        """Scores for each marked text, in order."""
        results: list[TypeScores | None] = [None] * len(texts)
        encodings = self.tokenizer.encode_batch(list(texts))
        # Batches of similar length pad little: the cost of a batch is its longest text.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for first in range(0, len(order), batch_size):
            picked = order[first : first + batch_size]
            width = max(len(encodings[i].ids) for i in picked)
            ids = np.zeros((len(picked), width), dtype=np.int64)
            mask = np.zeros((len(picked), width), dtype=np.int64)
            for row, index in enumerate(picked):
                pieces = encodings[index].ids
                ids[row, : len(pieces)] = pieces
                mask[row, : len(pieces)] = 1
            (logits,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            rows = softmax(np.asarray(logits, dtype=np.float64) / self.temperature)
            for index, row in zip(picked, rows, strict=True):
                best = int(row.argmax())
                results[index] = TypeScores(
                    label=self.labels[best],
                    probability=float(row[best]),
                    probabilities=dict(zip(self.labels, map(float, row), strict=True)),
                )
        return [r for r in results if r is not None]


def _read_lemmas(path: Path) -> dict[str, float]:
    """The words worth asking the model about where the rules found nothing, with the share of
    their uses that named an event in the training data (written by the training script)."""
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return {lemma: int(inside) / int(seen) for lemma, inside, seen in rows[1:]}  # 1: header


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=-1, keepdims=True))


def default_model_dir() -> Path:
    return Path(str(resources.files("communique").joinpath(MODEL_PACKAGE_DIR)))


@cache
def shared_typer(model_dir: str | None = None, threads: int = 0) -> EventTyper:
    """One typer per process, model folder and thread count (each Spark worker loads its own)."""
    return EventTyper(Path(model_dir) if model_dir else None, threads)
