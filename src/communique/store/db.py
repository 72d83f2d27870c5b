"""Open a store; ingest and recode documents in durable batches; read events back.

Ingest is idempotent and resumable: each input's key (its content hash) is looked up before it is
coded, so a stored document is never coded again; each batch of documents, their events and
their entities is written in one transaction, so a run killed at any point loses at most the
batch in flight and a second run finishes the rest. Batches go in through Arrow tables
(INSERT ... SELECT), never row by row.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from communique import __version__
from communique.errors import StoreError
from communique.records import Document, EventRecord, Skip
from communique.store.aggregate import aggregate_events
from communique.store.arrow import (
    document_from_row,
    document_key,
    document_row,
    documents_table,
    events_table,
    records_from_arrow,
    utc_now,
)
from communique.store.clusters import dissolve_clusters, update_clusters
from communique.store.export import export_events
from communique.store.query import EventFilter, sort_events, unordered_sql
from communique.store.schema import (
    DERIVED_COLUMNS,
    RECORD_FIELDS,
    check_schema,
    ensure_schema,
    run,
)

if TYPE_CHECKING:  # the pipeline loads spaCy; the store does not need it to run
    from communique.pipeline import DocumentResult


class DocumentCoder(Protocol):
    """Anything with `code(items) -> one result per item, in input order` (`pipeline.Coder`)."""

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]: ...


@dataclass(frozen=True)
class IngestOptions:
    """How ingest and recode write.

    - `commit_every`: documents per transaction (a killed run loses at most this many).
    - `coder_version`: the version stamped on documents; default the coder's `version`
      attribute, else `communique.__version__`.
    - `lookup_chunk`: input items whose keys are looked up in the store at once.
    - `replace`: code documents already stored again and replace what is stored for them
      (their metadata, a corrected date, and their events); default: leave them alone.
    """

    commit_every: int = 100
    coder_version: str | None = None
    lookup_chunk: int = 512
    replace: bool = False

    def __post_init__(self) -> None:
        if self.commit_every < 1 or self.lookup_chunk < 1:
            raise StoreError("commit_every and lookup_chunk must be at least 1")


@dataclass
class IngestReport:
    """What one ingest or recode run did."""

    read: int = 0  # input items seen
    already_stored: int = 0  # not coded again: their content hash was in the store
    coded: int = 0  # documents coded and stored
    skipped: int = 0  # items stored as skips (with their reason)
    events: int = 0  # events written
    batches: int = 0  # transactions committed
    updated: list[str] = field(default_factory=list)  # ids of stored documents coded again
    cut: list[Document] = field(default_factory=list)  # documents cut at max_chars
    copies: list[str] = field(default_factory=list)  # ids whose text was stored under another
    skips: list[Skip] = field(default_factory=list)  # each skipped item, with its reason
    clustered: int = 0  # events placed in cross-document clusters after the last batch


ProgressCallback = Callable[[IngestReport], None]


def version_key(version: str) -> tuple[int, ...]:
    """ "0.10.2" -> (0, 10, 2): versions compare by their numbers."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def coder_version_of(coder: object, options: IngestOptions) -> str:
    if options.coder_version:
        return options.coder_version
    version = getattr(coder, "version", None)
    return version if isinstance(version, str) and version else __version__


def open_store(
    path: str | Path | None = None, *, create: bool = True, read_only: bool = False
) -> Store:
    """Open (and with `create`, make or migrate) the event store at `path`.

    `read_only` opens an existing, current store for reading only, so that several readers (the
    explorer, queries) can share the file; it neither creates nor migrates.

    `path` defaults to the configured database (`COMMUNIQUE_DB`, communique.toml, or
    communique.duckdb in the working directory). Raises `StoreError` for a file that is not a
    communique store, one from a newer schema, one locked by another process, or (without
    `create`) a missing one.
    """
    if path is None:
        from communique.config import load_config

        path = load_config().db
    name = str(path)
    target = Path(name)
    if target.is_dir():
        raise StoreError(f"{name} is a folder; --db takes a database file name")
    if (read_only or not create) and not target.exists():
        raise StoreError(
            f"no event database at {name}; run `communique ingest FILES --db {name}` first"
        )
    try:
        con = duckdb.connect(name, read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(_connect_message(name, exc)) from None
    try:
        if read_only:
            check_schema(con, name)
        else:
            ensure_schema(con, name, create=create)
    except (StoreError, duckdb.Error) as exc:
        con.close()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"{name}: cannot read the event store: {exc}") from None
    return Store(con, name)


def _is_disk_full(error: BaseException) -> bool:
    return "No space left on device" in str(error) or getattr(error, "errno", None) == 28


def _disk_message(error: BaseException) -> StoreError:
    """A full disk named as such, with what to do."""
    return StoreError(
        f"the disk is full ({error}); the last batch was rolled back and nothing is lost: free "
        f"some space and run the same ingest again (stored documents are not coded twice)"
    )


def _connect_message(name: str, exc: duckdb.Error) -> str:
    text = str(exc)
    if "not a valid DuckDB database" in text:
        return f"{name} is not a communique event store (not a DuckDB database file)"
    if isinstance(exc, duckdb.IOException) and re.search(r"\block\b|conflicting lock", text):
        return f"{name} is in use by another process; wait for it to finish ({text})"
    if "different configuration" in text:
        return (
            f"{name} is already open in this process, writable or read-only, and DuckDB cannot "
            f"open it the other way too; close the first store before opening it again"
        )
    return (
        f"cannot open {name}: the file is damaged or unreadable ({text}); restore it from a "
        f"copy, or move it aside and run `communique ingest` again to rebuild it from the inputs"
    )


# The event date as DATE: a full date, else the first day of its month or year.
EVENT_DAY_SQL = (
    "coalesce(TRY_CAST(left(date, 10) AS DATE), TRY_CAST(date || '-01' AS DATE), "
    "TRY_CAST(date || '-01-01' AS DATE))"
)
_EVENT_COLUMNS = ", ".join(
    f'"{name}"'
    for name in (
        *RECORD_FIELDS,
        "event_seq",
        "doc_key",
        "event_day",
        "coder_version",
        "coded_at",
        *(name for name, _, _ in DERIVED_COLUMNS),
    )
)
_EVENT_VALUES = ", ".join(
    (
        *(f'"{name}"' for name in RECORD_FIELDS),
        "event_seq",
        "doc_key",
        "event_day",
        "coder_version",
        "?",
        *(sql for _, _, sql in DERIVED_COLUMNS),
    )
)


def _dated_in_order(con: duckdb.DuckDBPyConnection, events: pa.Table, first: int) -> pa.Table:
    """The batch sorted by event date (stable; undated last), with `event_day` and the
    `event_seq` numbers from `first` on in that order."""
    con.register("_batch_dates", events.select(["date"]))
    try:
        days = con.sql(f"SELECT {EVENT_DAY_SQL} AS d FROM _batch_dates").to_arrow_table()
    finally:
        con.unregister("_batch_dates")
    day = days.column("d").combine_chunks()
    order = pc.array_sort_indices(day, order="ascending", null_placement="at_end")
    events, day = events.take(order), day.take(order)
    seq = pa.array(range(first, first + events.num_rows), pa.int64())
    return events.append_column("event_seq", seq).append_column("event_day", day)


class Store:
    """An open event store. Use as a context manager, or call `close()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con = con
        self.path = path

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """documents (stored, coded or skipped), coded, skipped, events, entities, clusters."""
        (row,) = run(
            self.con,
            "SELECT (SELECT count(*) FROM documents), "
            "(SELECT count(*) FROM documents WHERE skip_reason IS NULL), "
            "(SELECT count(*) FROM documents WHERE skip_reason IS NOT NULL), "
            "(SELECT count(*) FROM events), (SELECT count(*) FROM entities), "
            "(SELECT count(*) FROM clusters)",
        )
        names = ("documents", "coded", "skipped", "events", "entities", "clusters")
        return dict(zip(names, (int(v) for v in row), strict=True))

    def query_arrow(self, flt: EventFilter | None = None) -> pa.Table:
        """The matching events as an Arrow table of the record's fields."""
        columns = ", ".join(f'e."{name}"' for name in RECORD_FIELDS)
        sql, params = unordered_sql(flt or EventFilter(), columns)
        return sort_events(self.con.sql(sql, params=params).to_arrow_table())

    def query(self, flt: EventFilter | None = None) -> list[EventRecord]:
        """The matching events as `EventRecord`s, ordered by date then id."""
        return records_from_arrow(self.query_arrow(flt))

    def query_df(self, flt: EventFilter | None = None) -> Any:
        """The matching events as a pandas DataFrame (nested fields as dicts and lists)."""
        return self.query_arrow(flt).to_pandas()

    def export(
        self,
        flt: EventFilter | None,
        fmt: str,
        target: Path | TextIO,
        left_out: Counter[str] | None = None,
    ) -> int:
        """Write the matching events in `fmt` (see `communique.store.export`); return the count
        written, and count in `left_out` those the format cannot hold, by reason."""
        return export_events(self.con, flt or EventFilter(), fmt, target, left_out)

    def aggregate(
        self, flt: EventFilter | None = None, by: str = "country", freq: str = "month"
    ) -> pa.Table:
        """The event-count panel (see `communique.store.aggregate`) as an Arrow table."""
        return aggregate_events(self.con, flt or EventFilter(), by, freq)

    # -- writing -------------------------------------------------------------------------

    def write_batch(self, documents: pa.Table, events: pa.Table, *, replace: bool = False) -> int:
        """Store one batch in one transaction: documents, their events and entities.

        The bulk path of ingest, recode and the benchmark. Documents whose key is already
        stored are left alone (with their events), unless `replace`, which first deletes
        what is stored under the batch's keys. Returns the number of events written.

        Events are written in date order (a stable sort of the batch by `event_day`, undated
        last), and `event_seq` follows that storage order: the zone maps of each batch then
        cover narrow date ranges, so date filters read few row groups and vectors.
        """
        con = self.con
        fresh = "doc_key NOT IN (SELECT doc_key FROM documents)"
        now = utc_now()
        con.register("_batch_documents", documents)
        try:
            run(con, "BEGIN TRANSACTION")
            ((last,),) = run(con, "SELECT coalesce(max(event_seq), 0) FROM events")
            con.register("_batch_events", _dated_in_order(con, events, int(last) + 1))
            if replace:
                dissolve_clusters(con, "SELECT doc_key FROM _batch_documents")
                for table in ("entities", "events", "documents"):
                    run(
                        con,
                        f"DELETE FROM {table} WHERE doc_key IN "
                        "(SELECT doc_key FROM _batch_documents)",
                    )
            written = run(
                con,
                f"INSERT INTO events ({_EVENT_COLUMNS}) SELECT {_EVENT_VALUES} "
                f"FROM _batch_events WHERE {fresh}",
                [now],
            )
            for role in ("actor", "recipient"):
                run(
                    con,
                    "INSERT INTO entities SELECT event_seq, id, doc_key, ?, pos, "
                    "ent.entity_text, ent.code, ent.sector, ent.office, ent.identifier_text, "
                    "ent.identifier_id, ent.inferred FROM (SELECT event_seq, id, doc_key, "
                    f"unnest(generate_series(1, len({role}))) AS pos, unnest({role}) AS ent "
                    f"FROM _batch_events WHERE {fresh})",
                    [role],
                )
            run(
                con,
                "INSERT INTO documents SELECT doc_key, id, text, metadata, content_hash, "
                "language, skip_reason, skip_detail, n_events, coder_version, ? "
                f"FROM _batch_documents WHERE {fresh}",
                [now],
            )
            run(con, "COMMIT")
        except BaseException as failure:
            try:
                run(con, "ROLLBACK")
            except duckdb.Error as rollback:  # a full disk fails the rollback too: the first
                failure.add_note(f"(the rollback then failed as well: {rollback})")  # error stays
            if _is_disk_full(failure):
                raise _disk_message(failure) from failure
            raise
        finally:
            con.unregister("_batch_documents")
            con.unregister("_batch_events")
        return int(written[0][0]) if written else 0

    def stored_keys(self, keys: list[str]) -> set[str]:
        rows = run(
            self.con,
            "SELECT doc_key FROM documents WHERE list_contains(?::VARCHAR[], doc_key)",
            [keys],
        )
        return {str(row[0]) for row in rows}

    def _record_copy(self, key: str, document: Document) -> bool:
        """Note `document` as another copy of the text stored under `key` when its id is new
        (the same text from another feed or under another name); True if it was noted."""
        known = run(
            self.con,
            "SELECT 1 FROM documents WHERE doc_key = ? AND id = ? UNION ALL "
            "SELECT 1 FROM document_copies WHERE doc_key = ? AND id = ?",
            [key, document.id, key, document.id],
        )
        if known:
            return False
        run(
            self.con,
            "INSERT INTO document_copies VALUES (?, ?, ?, ?)",
            [key, document.id, document.origin, utc_now()],
        )
        return True

    def copies_of(self, doc_id: str) -> list[str]:
        """The ids under which the text of stored document `doc_id` was met again."""
        rows = run(
            self.con,
            "SELECT c.id FROM document_copies c JOIN documents d USING (doc_key) "
            "WHERE d.id = ? ORDER BY c.seen_at, c.id",
            [doc_id],
        )
        return [str(row[0]) for row in rows]

    def ingest(
        self,
        items: Iterable[Document | Skip],
        coder: DocumentCoder,
        options: IngestOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Code and store every item not stored yet (by content hash), in durable batches."""
        options = options or IngestOptions()
        report = IngestReport()
        keys: deque[str] = deque()
        fresh = self._fresh(items, keys, report, options)
        return self._code(fresh, keys, coder, options, report, progress, replace=options.replace)

    def outdated_versions(self, version: str) -> list[str]:
        """Coder versions in the store older than `version`."""
        rows = run(self.con, "SELECT DISTINCT coder_version FROM documents")
        return sorted(str(v) for (v,) in rows if version_key(str(v)) < version_key(version))

    def recode(
        self,
        coder: DocumentCoder,
        options: IngestOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Code again every stored document coded by an older coder version, replacing its
        events. Documents are read from the store (their text is kept), so no input files are
        needed; a killed recode resumes where it stopped."""
        options = options or IngestOptions()
        report = IngestReport()
        old = self.outdated_versions(coder_version_of(coder, options))
        keys: deque[str] = deque()
        items = self._outdated(old, keys, report, options)
        return self._code(items, keys, coder, options, report, progress, replace=True)

    # -- internals -----------------------------------------------------------------------

    def _fresh(
        self,
        items: Iterable[Document | Skip],
        keys: deque[str],
        report: IngestReport,
        options: IngestOptions,
    ) -> Iterator[Document | Skip]:
        """The items whose key is not stored yet (nor seen earlier in this run)."""
        seen: set[str] = set()
        chunk: list[tuple[str, Document | Skip]] = []

        def flush() -> Iterator[Document | Skip]:
            stored = self.stored_keys([key for key, _ in chunk])
            for key, item in chunk:
                if key in seen or (key in stored and not options.replace):
                    report.already_stored += 1
                    if isinstance(item, Document) and self._record_copy(key, item):
                        report.copies.append(item.id)
                    continue
                if key in stored:
                    report.updated.append(item.id if isinstance(item, Document) else item.doc_id)
                seen.add(key)
                keys.append(key)
                yield item
            chunk.clear()

        for item in items:
            report.read += 1
            if isinstance(item, Document):
                key = document_key(item, None)
            else:
                key = document_key(None, item)
            chunk.append((key, item))
            if len(chunk) >= options.lookup_chunk:
                yield from flush()
        yield from flush()

    def _outdated(
        self, versions: list[str], keys: deque[str], report: IngestReport, options: IngestOptions
    ) -> Iterator[Document]:
        """Stored documents (with text) coded by one of `versions`, in pages by key."""
        if not versions:
            return
        last = ""
        while True:
            page = self.con.sql(
                "SELECT doc_key, id, text, metadata, content_hash, language FROM documents "
                "WHERE list_contains(?::VARCHAR[], coder_version) AND text IS NOT NULL "
                "AND doc_key > ? ORDER BY doc_key LIMIT ?",
                params=[versions, last, options.lookup_chunk],
            ).to_arrow_table()
            if page.num_rows == 0:
                return
            for row in page.to_pylist():
                report.read += 1
                keys.append(row["doc_key"])
                yield document_from_row(row)
            last = page.column("doc_key")[-1].as_py()

    def _code(
        self,
        items: Iterator[Document | Skip],
        keys: deque[str],
        coder: DocumentCoder,
        options: IngestOptions,
        report: IngestReport,
        progress: ProgressCallback | None,
        *,
        replace: bool,
    ) -> IngestReport:
        version = coder_version_of(coder, options)
        inputs: deque[Document | Skip] = deque()

        def remember(source: Iterator[Document | Skip]) -> Iterator[Document | Skip]:
            for item in source:
                inputs.append(item)
                yield item

        doc_rows: list[dict[str, Any]] = []
        event_rows: list[tuple[str, EventRecord]] = []

        def commit() -> None:
            if not doc_rows:
                return
            report.events += self.write_batch(
                documents_table(doc_rows), events_table(event_rows, version), replace=replace
            )
            report.batches += 1
            doc_rows.clear()
            event_rows.clear()

        for result in coder.code(remember(items)):
            if not keys or not inputs:
                raise StoreError("the coder returned more results than it was given items")
            key, given = keys.popleft(), inputs.popleft()
            document = result.document
            if document is None and isinstance(given, Document):
                document = given
            skip = result.skip
            records = list(result.records) if skip is None else []
            doc_rows.append(document_row(key, document, skip, len(records), version))
            event_rows.extend((key, record) for record in records)
            if skip is None and document is not None:
                report.coded += 1
                if document.cut_at is not None:  # kept for the report, without its text
                    report.cut.append(dataclasses.replace(document, text=""))
            else:
                report.skipped += 1
                if skip is not None:
                    report.skips.append(skip)
            if len(doc_rows) >= options.commit_every:
                commit()
            if progress is not None:
                progress(report)
        commit()
        report.clustered = update_clusters(self.con)
        if progress is not None:
            progress(report)
        return report
