"""The event store: an embedded DuckDB database of documents, events and entities.

    from communique.store import EventFilter, open_store

    with open_store("events.duckdb") as store:
        store.ingest(read_documents(["news/"]), coder)      # idempotent, resumable
        records = store.query(EventFilter(actor="USA", since="2023-01"))
        panel = store.aggregate(EventFilter(), by="country", freq="month")

Modules: `schema` (tables, migrations, version check), `db` (open, ingest, recode, read),
`query` (filters -> parameterised SQL), `export` (PLOVER, POLECAT, GDELT, JSONL, CSV, Parquet),
`aggregate` (count panels), `arrow` (records <-> Arrow), `codes` (Goldstein, COW).
"""

from __future__ import annotations

from communique.store.aggregate import BY, FREQ, aggregate_events
from communique.store.db import (
    DocumentCoder,
    IngestOptions,
    IngestReport,
    Store,
    open_store,
)
from communique.store.export import FORMATS, export_events
from communique.store.query import EventFilter
from communique.store.schema import SCHEMA_VERSION

__all__ = [
    "BY",
    "FORMATS",
    "FREQ",
    "SCHEMA_VERSION",
    "DocumentCoder",
    "EventFilter",
    "IngestOptions",
    "IngestReport",
    "Store",
    "aggregate_events",
    "export_events",
    "open_store",
]
