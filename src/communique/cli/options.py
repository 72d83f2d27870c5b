"""Command-line options that several commands share (one definition, one help text)."""

from __future__ import annotations

from typing import Annotated

import typer

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
