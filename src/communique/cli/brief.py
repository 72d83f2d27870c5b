"""`communique brief`: what happened, grouped by dyad and topic, most corroborated first."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from communique.cli import app
from communique.cli.reporting import fail
from communique.cli.store import (
    ActorOption,
    ConfigOption,
    CountryOption,
    DbOption,
    EventOption,
    OutputOption,
    QuadOption,
    RecipientOption,
    SinceOption,
    SourceOption,
    StatusOption,
    TextOption,
    UntilOption,
    _config,
    _filter,
    _store_failure,
)
from communique.errors import CommuniqueError
from communique.store import open_store


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command("brief")
def brief_command(
    db: DbOption = None,
    actor: ActorOption = None,
    recipient: RecipientOption = None,
    event: EventOption = None,
    quad: QuadOption = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    text: TextOption = None,
    source: SourceOption = None,
    fmt: Annotated[BriefFormat, typer.Option("--format", help="md, html or pdf.")] = (
        BriefFormat.md
    ),
    output: OutputOption = None,
    title: Annotated[str | None, typer.Option("--title", help="The brief's title.")] = None,
    sections: Annotated[
        int, typer.Option("--sections", min=1, help="At most this many dyads.")
    ] = 20,
    per_topic: Annotated[
        int, typer.Option("--per-topic", min=1, help="At most this many events a type.")
    ] = 8,
    config_file: ConfigOption = None,
) -> None:
    """Write a brief of the stored events the filters select (denials included unless --status
    says otherwise): statements quoted from the sources, with dates, status and citations."""
    config = _config(config_file, db)
    flt = _filter(actor, recipient, event, quad, status, since, until, country, text, source)
    if fmt is BriefFormat.pdf and output is None:
        raise fail("a PDF brief needs a file: add -o brief.pdf")
    try:
        from communique.brief import build_brief, render, render_pdf
    except ImportError as exc:
        raise fail(
            f"briefs need their extra ({exc.name} is missing): pip install 'communique[brief]'"
        ) from None
    heading = title or _default_title(since, until)
    try:
        with open_store(config.db, create=False) as store:
            brief = build_brief(
                store.con, flt, title=heading, max_sections=sections, max_statements=per_topic
            )
    except (CommuniqueError, duckdb.Error) as exc:
        raise _store_failure(exc, config.db) from None
    try:
        if fmt is BriefFormat.pdf:
            assert output is not None
            render_pdf(brief, output)
        else:
            content = render(brief, fmt.value)
            if output is None:
                sys.stdout.write(content)
            else:
                Path(output).write_text(content, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None


def _default_title(since: str | None, until: str | None) -> str:
    if since or until:
        return f"Brief: {since or 'the start'} to {until or 'the latest event'}"
    return "Brief"
