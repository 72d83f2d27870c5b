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
