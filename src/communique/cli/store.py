"""`communique ingest`, `recode`, `events`, `export` and `aggregate`: thin layers over
`communique.store`."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from enum import StrEnum
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from communique import __version__
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
from communique.config import Config, load_config
from communique.errors import CommuniqueError
from communique.records import Document, EventRecord, Skip
from communique.store import EventFilter, IngestOptions, IngestReport, Store, open_store
from communique.store.aggregate import Freq, aggregate_events, write_panel

if TYPE_CHECKING:
    from communique.pipeline import DocumentResult

err = Console(stderr=True)

TABLE_ROWS = 100  # `events` in a table shows this many unless --limit says otherwise


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(StrEnum):
    plover = "plover"
    polecat = "polecat"
    gdelt = "gdelt"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class PanelFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


class By(StrEnum):
    dyad = "dyad"
    actor = "actor"
    recipient = "recipient"
    country = "country"


DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Event database file (default: COMMUNIQUE_DB or communique.duckdb)."),
]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML settings file.")]
ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Actor code (USA), or name or alias (any case).")
]
RecipientOption = Annotated[
    str | None, typer.Option("--recipient", help="Recipient code, or name or alias.")
]
EventOption = Annotated[
    list[str] | None, typer.Option("--event", help="PLOVER type (repeat for several).")
]
QuadOption = Annotated[list[int] | None, typer.Option("--quad", help="Quad code 1-4 (repeatable).")]
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="asserted, future, hypothetical, negated, historical or all (repeatable); "
        "default: all but negated.",
    ),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Events on or after this date (YYYY[-MM[-DD]]).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Events on or before this date (YYYY[-MM[-DD]]).")
]
CountryOption = Annotated[
    list[str] | None,
    typer.Option("--country", help="ISO3 code of the event location (repeatable)."),
]
TextOption = Annotated[
    str | None, typer.Option("--text", help="Words that must all occur in the sentence.")
]
SourceOption = Annotated[str | None, typer.Option("--source", help="Publication name (any case).")]
LimitOption = Annotated[int | None, typer.Option("--limit", help="At most this many events.")]
ParquetOption = Annotated[
    Path | None,
    typer.Option(
        "--parquet",
        help="Read the folder `communique spark-code` wrote instead of the database.",
    ),
]
UniqueOption = Annotated[
    bool,
    typer.Option(
        "--unique", help="One event per cluster: count real-world events, not their reports."
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file (default: stdout).")
]


def _store_failure(exc: Exception, db: str) -> typer.Exit:
    """The error of a store command: a damaged file found while reading is named as such, with
    the way out, never a traceback."""
    if isinstance(exc, duckdb.Error):
        return fail(
            f"{db}: the event store is damaged or unreadable ({exc}); restore it from a copy, or "
            f"move it aside and run `communique ingest` again to rebuild it from the inputs"
        )
    return fail(str(exc))


def _config(config_file: Path | None, db: Path | None, model: str | None = None) -> Config:
    try:
        return load_config(config_file).with_overrides(
            db=str(db) if db is not None else None, model=model
        )
    except CommuniqueError as exc:
        raise fail(str(exc)) from None


def _reader(db: str, parquet: Path | None) -> Store:
    """The store to read: the database, or the Parquet folder of a Spark run."""
    if parquet is None:
        return open_store(db, create=False)
    from communique.store.parquet_input import open_parquet

    return open_parquet(parquet)


def _filter(
    actor: str | None,
    recipient: str | None,
    event: list[str] | None,
    quad: list[int] | None,
    status: list[str] | None,
    since: str | None,
    until: str | None,
    country: list[str] | None,
    text: str | None,
    source: str | None,
    limit: int | None = None,
    unique: bool = False,
) -> EventFilter:
    try:
        return EventFilter(
            actor=actor,
            recipient=recipient,
            event=tuple(event or ()),
            quad=tuple(quad or ()),
            status=tuple(status or ()),
            since=since,
            until=until,
            country=tuple(country or ()),
            text=text,
            source=source,
            limit=limit,
            unique=unique,
        )
    except CommuniqueError as exc:
        raise fail(str(exc)) from None


class _LazyCoder:
    """Loads the spaCy pipeline only when there is something to code."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.version = __version__

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        iterator = iter(items)
        first = next(iterator, None)
        if first is None:
            return
        from communique.pipeline import Coder

        yield from Coder(self.config).code(chain([first], iterator))


def _report_line(report: IngestReport) -> str:
    return (
        f"{report.coded} coded, {report.skipped} skipped, {report.events} events, "
        f"{report.already_stored} already stored"
    )


def _run_coding(
    store: Store,
    recode: bool,
    items: Iterable[Document | Skip],
    config: Config,
    *,
    replace: bool = False,
    total: int | None = None,
) -> IngestReport:
    """Code with progress on stderr (a bar on a terminal, a line every few seconds piped)."""
    coder = _LazyCoder(config)
    options = IngestOptions(replace=replace)
    with RunProgress(err, total) as progress:

        def show(report: IngestReport) -> None:
            progress.update(report.read, report.events)

        if recode:
            return store.recode(coder, progress=show)
        return store.ingest(items, coder, options, progress=show)


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.")],
    db: DbOption = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Document date (YYYY-MM-DD) where none is given.")
    ] = None,
    field_map: Annotated[
        list[str] | None,
        typer.Option("--field", help="Map a column: OURS=THEIRS (text=body), as `code` does."),
    ] = None,
    report_path: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON report of counts and skips.")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Code documents already stored again and replace them (e.g. a corrected --date).",
        ),
    ] = False,
    language_check: LanguageCheckOption = None,
    files_outside: FilesOutsideOption = False,
    workers: WorkersOption = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline to load.")] = None,
    config_file: ConfigOption = None,
) -> None:
    """Code documents into the event database; documents already stored are not coded again."""
    check_output_paths(report_path)
    config = _config(config_file, db, model).with_overrides(
        language_check=language_check, workers=workers
    )
    try:
        from communique.ingest import ReadOptions, read_documents

        options = ReadOptions(
            date=date,
            field_map=parse_field_map(field_map or []),
            max_chars=config.max_chars,
            require_english=config.language_check,
            files_outside=files_outside,
            exclude=own_outputs(report_path),
        )
        items = read_documents(paths, options)
        with open_store(config.db) as store:
            total = count_inputs(paths)
            report = _run_coding(store, False, items, config, replace=replace, total=total)
            counts = store.counts()
    except (ValueError, CommuniqueError) as exc:
        raise fail(str(exc)) from None
    for skip in report.skips:
        print_skip(err, skip)
    print_cut(err, report.cut)
    if report.copies:
        shown = ", ".join(report.copies[:10]) + (" ..." if len(report.copies) > 10 else "")
        err.print(
            f"{len(report.copies)} documents were copies of stored texts, recorded as such: "
            f"{shown}",
            highlight=False,
        )
    if report.updated:
        shown = ", ".join(report.updated[:10]) + (" ..." if len(report.updated) > 10 else "")
        err.print(f"{len(report.updated)} stored documents replaced: {shown}", highlight=False)
    err.print(
        f"{report.read} read: {_report_line(report)}{reasons_text(report.skips)}; {config.db} "
        f"now holds {counts['documents']} documents and {counts['events']} events "
        f"({counts['clusters']} real-world events across documents)",
        highlight=False,
    )
    if report_path is not None:
        write_report(
            report_path, read=report.read, coded=report.coded, skips=report.skips,
            events=report.events, already_stored=report.already_stored, updated=report.updated,
            cut=report.cut, copies=report.copies,
        )  # fmt: skip
    from communique.ingest.sources import missing_paths

    if missing := missing_paths(paths):  # reported as skipped above; a script must not see 0
        raise fail(f"{len(missing)} input path(s) not found: {', '.join(missing[:5])}", code=1)


@app.command("recode")
def recode_command(
    db: DbOption = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline to load.")] = None,
    config_file: ConfigOption = None,
) -> None:
    """Code again the stored documents that an older communique coded, replacing their events."""
    config = _config(config_file, db, model)
    try:
        with open_store(config.db, create=False) as store:
            report = _run_coding(store, True, (), config)
    except (CommuniqueError, duckdb.Error) as exc:
        raise _store_failure(exc, config.db) from None
    err.print(f"recoded {report.read} documents: {_report_line(report)}", highlight=False)


def _status_cell(status: str) -> str:
    colours = {"asserted": "", "negated": "red", "hypothetical": "magenta", "future": "cyan"}
    colour = colours.get(status, "yellow")
    return f"[{colour}]{status}[/]" if colour else status


def _codes(entities: list[object]) -> str:
    return ", ".join(
        getattr(e, "code", None) or getattr(e, "entity_text", "") or "?" for e in entities
    )


def _print_table(records: list[EventRecord], more: bool) -> None:
    table = Table(show_lines=False)
    for name in ("date", "event", "mode", "quad", "status"):
        table.add_column(name, no_wrap=True)
    for name in ("actor", "recipient", "place", "text"):
        table.add_column(name, overflow="fold")
    for r in records:
        loc = r.event_loc
        place = (loc.resolved_place or loc.extracted_place) if loc else ""
        text = r.text if len(r.text) <= 80 else r.text[:77] + "..."
        table.add_row(
            r.date or "",
            r.event,
            r.mode or "",
            str(r.quad_code),
            _status_cell(r.status),
            _codes(list(r.actor)),
            _codes(list(r.recipient)),
            place or "",
            text,
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    if more:
        err.print(f"(first {len(records)} shown; use --limit N, or --format jsonl for all)")


@app.command("events")
def events_command(
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
    limit: LimitOption = None,
    unique: UniqueOption = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
    config_file: ConfigOption = None,
    parquet: ParquetOption = None,
) -> None:
    """List stored events that match the filters (negated events only with --status)."""
    config = _config(config_file, db)
    shown = limit if limit is not None or fmt is not ListFormat.table else TABLE_ROWS + 1
    flt = _filter(
        actor, recipient, event, quad, status, since, until, country, text, source, shown, unique
    )
    try:
        with _reader(config.db, parquet) as store:
            if fmt is ListFormat.table:
                records = store.query(flt)
                more = limit is None and len(records) > TABLE_ROWS
                _print_table(records[:TABLE_ROWS] if more else records, more)
            else:
                store.export(flt, fmt.value, sys.stdout)
    except (CommuniqueError, duckdb.Error) as exc:
        raise _store_failure(exc, config.db) from None


@app.command("export")
def export_command(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Export format.")] = (
        ExportFormat.plover
    ),
    output: OutputOption = None,
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
    limit: LimitOption = None,
    unique: UniqueOption = False,
    config_file: ConfigOption = None,
    parquet: ParquetOption = None,
) -> None:
    """Export stored events as PLOVER JSONL, POLECAT or GDELT 2.0 TSV, JSONL, CSV or Parquet."""
    config = _config(config_file, db)
    flt = _filter(
        actor, recipient, event, quad, status, since, until, country, text, source, limit, unique
    )
    left_out: Counter[str] = Counter()
    try:
        with _reader(config.db, parquet) as store:
            target = output if output is not None else sys.stdout
            count = store.export(flt, fmt.value, target, left_out)
    except (CommuniqueError, duckdb.Error) as exc:
        raise _store_failure(exc, config.db) from None
    if output is not None:
        err.print(f"{count} events written to {output}", highlight=False)
    for reason, number in left_out.items():
        err.print(f"{number} events left out ({reason})", highlight=False)


@app.command("aggregate")
def aggregate_command(
    by: Annotated[By, typer.Option("--by", help="Key of the panel.")] = By.country,
    freq: Annotated[Freq, typer.Option("--freq", help="Period of the panel.")] = Freq.month,
    fmt: Annotated[PanelFormat, typer.Option("--format", help="Output format.")] = (
        PanelFormat.csv
    ),
    output: OutputOption = None,
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
    unique: UniqueOption = False,
    config_file: ConfigOption = None,
    parquet: ParquetOption = None,
) -> None:
    """Count events per period and key: one column per PLOVER type, quad1..quad4 and total."""
    config = _config(config_file, db)
    flt = _filter(
        actor, recipient, event, quad, status, since, until, country, text, source, None, unique
    )
    try:
        with _reader(config.db, parquet) as store:
            panel = aggregate_events(store.con, flt, by.value, freq.value)
        write_panel(panel, fmt.value, output if output is not None else sys.stdout)
    except (CommuniqueError, duckdb.Error) as exc:
        raise _store_failure(exc, config.db) from None
    if output is not None:
        err.print(f"{panel.num_rows} rows written to {output}", highlight=False)
