"""Command-line options that several commands share (one definition, one help text)."""

from __future__ import annotations

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
