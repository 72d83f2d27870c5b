"""The `communique` command: thin typer commands over the library.

Each sub-module registers its commands on `app`; none holds logic the library lacks.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="communique",
    help="Code news and briefings into attributed PLOVER 2.0 events, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    from communique.cli import commands as _commands  # noqa: F401  (registers the commands)

    app()
