"""`communique code`, `communique actors` and `communique config`: thin layers over the library."""

from __future__ import annotations

import datetime
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from communique.cli import app
from communique.cli.options import (
    FilesOutsideOption,
    LanguageCheckOption,
    WorkersOption,
    check_output_paths,
    own_outputs,
    parse_field_map,
)
from communique.cli.reporting import (
    RunProgress,
    count_inputs,
    fail,
    print_cut,
    print_skip,
    reasons_text,
    write_report,
)
from communique.config import Config, default_config_text, load_config
from communique.errors import CommuniqueError
from communique.formats import plover_dict
from communique.records import Document, Entity, EventRecord, Skip

if TYPE_CHECKING:  # the coder loads spaCy: imported where a command codes, not at start-up
    from communique.pipeline import Coder, DocumentResult

err = Console(stderr=True)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    plover = "plover"
    table = "table"


ModelOption = Annotated[
    str | None, typer.Option("--model", help="spaCy pipeline to load (package name or folder).")
]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML settings file.")]


def make_config(config_file: Path | None, model: str | None) -> Config:
    try:
        return load_config(config_file).with_overrides(model=model)
    except CommuniqueError as exc:
        raise fail(str(exc)) from None


def make_coder(config: Config) -> Coder:
    from communique.pipeline import Coder

    try:
        return Coder(config)
    except CommuniqueError as exc:
        raise fail(str(exc)) from None


def with_progress(results: Iterator[DocumentResult], total: int | None) -> Iterator[DocumentResult]:
    """Progress on stderr: a bar with the time left on a terminal, a line every few seconds
    when piped."""
    done = events = 0
    with RunProgress(err, total) as progress:
        for result in results:
            done += 1
            events += len(result.records)
            progress.update(done, events)
            yield result


@app.command()
def code(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, JSONL/CSV, or - for stdin.")],
    date: Annotated[
        str | None, typer.Option("--date", help="Document date YYYY-MM-DD where a row has none.")
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="jsonl (native records), plover, or table (terminal)."),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here.")] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON report of counts and skips.")
    ] = None,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="Map a column: OURS=THEIRS (text=body).")
    ] = None,
    language_check: LanguageCheckOption = None,
    files_outside: FilesOutsideOption = False,
    workers: WorkersOption = None,
    model: ModelOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Code documents into PLOVER event records."""
    from communique.ingest import ReadOptions, read_documents

    check_output_paths(output, report)
    config = make_config(config_file, model).with_overrides(
        language_check=language_check, workers=workers
    )
    try:
        options = ReadOptions(
            date=date,
            field_map=parse_field_map(field or []),
            max_chars=config.max_chars,
            require_english=config.language_check,
            files_outside=files_outside,
            exclude=own_outputs(output, report),
        )
    except (ValueError, CommuniqueError) as exc:
        raise fail(str(exc)) from None
    chosen = output_format or (
        OutputFormat.table if output is None and sys.stdout.isatty() else OutputFormat.jsonl
    )
    coder = make_coder(config)
    counts: Counter[str] = Counter()
    skips: list[Skip] = []
    cut: list[Document] = []
    records: list[EventRecord] = []
    with ExitStack() as stack:
        sink: TextIO = (
            stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        )
        items = read_documents(paths, options)
        for result in with_progress(coder.code(items), count_inputs(paths)):
            counts["read"] += 1
            if result.skip is not None:
                skips.append(result.skip)
                print_skip(err, result.skip)
                continue
            counts["coded"] += 1
            counts["events"] += len(result.records)
            if result.document is not None and result.document.cut_at is not None:
                cut.append(replace(result.document, text=""))  # for the report: no text
            if chosen is OutputFormat.table:
                records.extend(result.records)
            else:
                for record in result.records:
                    data = record.to_dict()
                    if chosen is OutputFormat.plover:
                        data = plover_dict(data)
                    sink.write(json.dumps(data, ensure_ascii=False) + "\n")
        if chosen is OutputFormat.table:
            terminal = sink is sys.stdout and sys.stdout.isatty()
            Console(file=sink, width=None if terminal else 200).print(event_table(records))
    err.print(
        f"{counts['read']} documents read, {counts['coded']} coded, {len(skips)} skipped"
        f"{reasons_text(skips)}, {counts['events']} events",
        highlight=False,
    )
    print_cut(err, cut)
    if report is not None:
        write_report(
            report, read=counts["read"], coded=counts["coded"], skips=skips,
            events=counts["events"], cut=cut,
        )  # fmt: skip
    exit_if_missing(paths)


def exit_if_missing(paths: list[str]) -> None:
    """Exit 1 when a path named on the command line does not exist: the run went on with the
    others (and reported the missing one as skipped), but a script must not read it as a
    success."""
    from communique.ingest.sources import missing_paths

    missing = missing_paths(paths)
    if missing:
        raise fail(
            f"{len(missing)} input path(s) not found: {', '.join(missing[:5])}; "
            f"check the path (relative paths are read from {Path.cwd()})",
            code=1,
        )


def event_table(records: list[EventRecord]) -> Table:
    table = Table(show_lines=False, header_style="bold")
    for column in (
        "doc",
        "event",
        "status",
        "actor",
        "recipient",
        "when",
        "where",
        "says who",
        "text",
    ):
        table.add_column(column, overflow="fold")
    for record in records:
        event = record.event + (f" ({record.planned.event})" if record.planned else "")
        when = record.date or ""
        if record.enddate and record.enddate != record.date:
            when += f"..{record.enddate}"
        table.add_row(
            record.doc_id,
            event,
            record.status,
            _parties(record.actor),
            _parties(record.recipient),
            when,
            record.event_loc.resolved_place or record.event_loc.extracted_place
            if record.event_loc
            else "",
            _name(record.attribution.speaker)
            if record.attribution and record.attribution.speaker
            else "",
            _short(record.text, 90),
        )
    return table


def _parties(entities: list[Entity]) -> str:
    return "; ".join(
        f"{_name(e)} [{'/'.join(p for p in (e.code, e.sector) if p)}]" for e in entities
    )


def _name(entity: Entity) -> str:
    name = _short(entity.identifier_text or entity.entity_text, 40)
    return f"{name} (inferred)" if entity.inferred else name


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@app.command()
def actors(
    texts: Annotated[
        list[str], typer.Argument(help="Actor mentions, or - to read lines from stdin.")
    ],
    context: Annotated[
        str | None, typer.Option("--context", help="A sentence containing the mention.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="When the mention was made (YYYY-MM-DD): roles held then. Default: today.",
        ),
    ] = None,
    model: ModelOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Resolve actor mentions to PLOVER entities, one JSON object per input."""
    try:
        day = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        raise typer.BadParameter(f"{date!r} is not a date: write it as YYYY-MM-DD") from None
    from communique.actors import resolve_actor_text

    config = make_config(config_file, model)
    coder = make_coder(config)
    inputs = [line.rstrip("\n") for line in sys.stdin] if texts == ["-"] else texts
    for text in inputs:
        entity = resolve_actor_text(text, coder.actors, coder.nlp, context=context, day=day)
        out: dict[str, Any] = {"input": text, "actor": entity.__dict__ if entity else None}
        if date:
            out["date"] = date
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


@app.command("config")
def show_config() -> None:
    """Print the commented default settings file."""
    sys.stdout.write(default_config_text())
