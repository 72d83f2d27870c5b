"""A folder of Parquet events (what `communique spark-code` writes) read as an event store.

    from communique.store.parquet_input import open_parquet

    with open_parquet("coded/") as store:   # coded/events/event_month=2017-06/*.parquet ...
        panel = store.aggregate(EventFilter(), by="dyad", freq="month")
        records = store.query(EventFilter(actor="USA"))

The folder holds `events/` (the store's event columns, `spark.STORED_EVENT_SCHEMA`, in any
layout of subfolders such as Hive partitions) and, optionally, `documents/` (the store's
documents rows without their text). Nothing is copied: an in-memory DuckDB database gets the
store's own schema (`schema.ensure_schema`), and its `events`, `documents` and `entities` tables
become views over the files with the same columns: the ones the store derives when it writes
(`event_day`, the entity codes and match keys, `country_code`) computed by the store's own SQL,
and the ones files from Spark cannot hold (`cluster_id`: no clustering runs there) NULL. So the
store's queries, exports and panels run on them unchanged; the other tables (`clusters` ...)
are there, empty. `event_seq`, the store's row number, is the file's place in the sorted file
list times 2^32 plus the row's place in its file: stable for as long as the files are.

Read only: ingest, recode and `write_batch` raise `StoreError`; to keep the events in a store
file, export them from here or code the documents with `communique ingest`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from communique.errors import StoreError
from communique.records import Document, Skip
from communique.store.arrow import DOCUMENT_SCHEMA, EVENT_BATCH_SCHEMA
from communique.store.db import EVENT_DAY_SQL, IngestOptions, IngestReport, Store
from communique.store.schema import DERIVED_COLUMNS, ensure_schema

if TYPE_CHECKING:
    from communique.store.db import DocumentCoder, ProgressCallback

_ROWS_PER_FILE = 2**32  # event_seq = file index * this + row in file


def _parquet_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.parquet") if p.is_file())


def _scan(con: duckdb.DuckDBPyConnection, name: str, files: list[str], empty: pa.Schema) -> str:
    """SQL for the rows of `files` (with `filename` and `file_row_number`), or of an empty
    table of the Spark layout when there are none (Spark writes no file for no rows)."""
    if files:
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        return (
            f"read_parquet([{listed}], filename = true, file_row_number = true, "
            "union_by_name = true, hive_partitioning = false)"
        )
    table = empty.append(pa.field("filename", pa.string())).append(
        pa.field("file_row_number", pa.int64())
    )
    con.register(f"_empty_{name}", table.empty_table())
    return f"_empty_{name}"


def _as_view(
    con: duckdb.DuckDBPyConnection, table: str, known: dict[str, str], source: str
) -> None:
    """Replace the store's empty `table` by a view over `source` with the same columns in the
    same order: each from its `known` SQL, the others (columns a later store schema added that
    the files cannot hold, such as `cluster_id`) NULL of the column's type."""
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = 'main' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    select = ", ".join(
        f'{known[name]} AS "{name}"' if name in known else f'CAST(NULL AS {kind}) AS "{name}"'
        for name, kind in columns
    )
    con.execute(f"DROP TABLE {table}")
    con.execute(f"CREATE VIEW {table} AS SELECT {select} FROM {source}")


def attach_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Make `con` a store over `folder`: the store's own schema (every table and migration, so
    the store's queries find what they expect), with `events`, `documents` and `entities` as
    views over the files."""
    ensure_schema(con, str(folder), create=True)
    events = _parquet_files(folder / "events")
    con.execute(
        "CREATE TABLE _files AS SELECT filename, (row_number() OVER (ORDER BY filename)) - 1 "
        "AS file_index FROM (SELECT unnest(?::VARCHAR[]) AS filename)",
        [events],
    )
    stored = EVENT_BATCH_SCHEMA.append(pa.field("coded_at", pa.timestamp("us")))
    known = {name: f'p."{name}"' for name in stored.names}
    known["event_seq"] = f"f.file_index * {_ROWS_PER_FILE} + p.file_row_number"
    known["event_day"] = EVENT_DAY_SQL  # the store's own SQL over the record's columns
    known.update((name, sql) for name, _, sql in DERIVED_COLUMNS)
    source = f"{_scan(con, 'events', events, stored)} p JOIN _files f USING (filename)"
    _as_view(con, "events", known, source)

    documents = _parquet_files(folder / "documents")
    kept = DOCUMENT_SCHEMA.remove(DOCUMENT_SCHEMA.get_field_index("text"))
    kept = kept.append(pa.field("coded_at", pa.timestamp("us")))
    known = {name: f'p."{name}"' for name in kept.names}
    _as_view(con, "documents", known, f"{_scan(con, 'documents', documents, kept)} p")

    roles = " UNION ALL ".join(
        f"SELECT event_seq, id, doc_key, '{role}' AS role, "
        f"unnest(generate_series(1, len({role}))) AS position, unnest({role}) AS ent "
        "FROM events"
        for role in ("actor", "recipient")
    )
    known = {
        "event_seq": "event_seq", "event_id": "id", "doc_key": "doc_key", "role": "role",
        "position": "CAST(position AS INTEGER)",
        **{name: f"ent.{name}" for name in (
            "entity_text", "code", "sector", "office", "identifier_text", "identifier_id",
        )},
    }  # fmt: skip
    _as_view(con, "entities", known, f"({roles})")


class ParquetStore(Store):
    """A `Store` over Parquet files: every read of `Store`, no writes."""

    def write_batch(self, documents: pa.Table, events: pa.Table, *, replace: bool = False) -> int:
        raise self._read_only()

    def ingest(
        self,
        items: Iterable[Document | Skip],
        coder: DocumentCoder,
        options: IngestOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        raise self._read_only()

    def recode(
        self,
        coder: DocumentCoder,
        options: IngestOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        raise self._read_only()

    def copies_of(self, doc_id: str) -> list[str]:
        return []  # Spark output keeps no copies table

    def _read_only(self) -> StoreError:
        return StoreError(f"{self.path} is a folder of Parquet files, read only; {_TO_A_STORE}")


_TO_A_STORE = "ingest the documents into a store file with `communique ingest --db FILE` instead"


def open_parquet(folder: str | Path) -> ParquetStore:
    """The events (and documents) Parquet under `folder` as a read-only store.

    Raises `StoreError` when `folder` has no `events` folder or its files cannot be read."""
    path = Path(folder)
    if not (path / "events").is_dir():
        raise StoreError(
            f"{path} has no events/ folder; give the OUTPUT folder of `communique spark-code`"
        )
    con = duckdb.connect(":memory:")
    try:
        attach_parquet(con, path)
        # binding reads every file's footer: a file that is not Parquet, or lacks a column of
        # the store's layout, fails here rather than in the first query
        con.execute("SELECT * FROM events LIMIT 0").fetchall()
        con.execute("SELECT * FROM documents LIMIT 0").fetchall()
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"{path}: cannot read the Parquet events ({exc})") from None
    return ParquetStore(con, str(path))
