"""Command-line options that several commands share (one definition, one help text)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Processes that parse (spaCy n_process; default: the setting, 1). Each holds its "
        "own model: see docs/benchmarks.md for speed and memory.",
    ),
]
FilesOutsideOption = Annotated[
    bool,
    typer.Option(
        "--files-outside",
        help="Let a JSONL/CSV row's file field name a file outside that file's own folder.",
    ),
]
LanguageCheckOption = Annotated[
    bool | None,
    typer.Option(
        "--language-check/--no-language-check",
        help="Skip documents detected as another language (default: the setting, on).",
    ),
]


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    """`--field OURS=THEIRS` pairs as a mapping; a malformed pair is a usage error."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours or not theirs:
            raise typer.BadParameter(f"--field expects OURS=THEIRS (e.g. text=body), got {pair!r}")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def check_output_paths(*paths: Path | None) -> None:
    """Fail before any work when an output file cannot be written where asked: a run of hours
    must not end in a traceback at its last line."""
    for path in paths:
        if path is None:
            continue
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise typer.BadParameter(f"{path} is a folder; give a file name inside it")
        if not folder.is_dir():
            raise typer.BadParameter(
                f"cannot write {path}: the folder {folder} does not exist; create it first "
                f"(mkdir -p {folder})"
            )


def own_outputs(*paths: Path | None) -> frozenset[str]:
    """The run's output files, resolved: a folder read must not take them as input."""
    return frozenset(str(p.resolve()) for p in paths if p is not None)
