"""Records <-> Arrow tables: the bulk path into and out of DuckDB.

Ingest turns each batch of `EventRecord`s and `Document`s into one Arrow table (typed to match
the DuckDB columns in `schema.py`) that is registered and inserted with INSERT ... SELECT; queries
come back as Arrow and become records again. The benchmark builds the same Arrow tables
directly, column by column, so it exercises the same insert path without a million dataclasses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from communique.records import Document, EventRecord, Skip
from communique.store.schema import RECORD_FIELDS

_S = pa.string()
ENTITY = pa.struct(
    [
        ("entity_text", _S),
        ("code", _S),
        ("sector", _S),
        ("office", _S),
        ("identifier_text", _S),
        ("identifier_id", _S),
        ("inferred", pa.bool_()),
    ]
)
SPAN = pa.struct([("sequence", pa.int64()), ("start", pa.int64()), ("end", pa.int64())])
LOCATION = pa.struct(
    [
        ("extracted_place", _S),
        ("resolved_place", _S),
        ("geonameid", pa.int64()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("country_code", _S),
        ("feature_code", _S),
        ("resolution", _S),
        ("basis", _S),
    ]
)
CITE = pa.struct(
    [
        ("url", _S),
        ("title", _S),
        ("publication", _S),
        ("language", _S),
        ("publication_date", _S),
        ("codebook", _S),
        ("coder", _S),
        ("version", _S),
        ("schema_version", _S),
    ]
)
METADATA = pa.struct([("date", _S), ("url", _S), ("title", _S), ("source", _S), ("origin", _S)])

RECORD_SCHEMA = pa.schema(
    [
        ("id", _S),
        ("doc_id", _S),
        ("event", _S),
        ("quad_code", pa.int32()),
        ("mode", _S),
        ("context", pa.list_(_S)),
        ("cameo", _S),
        ("status", _S),
        ("planned", pa.struct([("event", _S), ("mode", _S)])),
        ("actor", pa.list_(ENTITY)),
        ("recipient", pa.list_(ENTITY)),
        ("date", _S),
        ("enddate", _S),
        ("date_precision", _S),
        ("event_loc", LOCATION),
        ("event_text", _S),
        ("text", _S),
        ("text_info", SPAN),
        ("mentions", pa.list_(SPAN)),
        ("attribution", pa.struct([("speaker", ENTITY), ("cue", _S), ("quote", _S)])),
        ("cite_info", CITE),
        ("confidence", pa.float64()),
    ]
)
assert tuple(RECORD_SCHEMA.names) == RECORD_FIELDS

# What an events batch carries besides the record: the document key and the coding stamp.
EVENT_BATCH_SCHEMA = RECORD_SCHEMA.append(pa.field("doc_key", _S)).append(
    pa.field("coder_version", _S)
)

DOCUMENT_SCHEMA = pa.schema(
    [
        ("doc_key", _S),
        ("id", _S),
        ("text", _S),
        ("metadata", METADATA),
        ("content_hash", _S),
        ("language", _S),
        ("skip_reason", _S),
        ("skip_detail", _S),
        ("n_events", pa.int32()),
        ("coder_version", _S),
    ]
)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def document_key(document: Document | None, skip: Skip | None) -> str:
    """The idempotency key: the content hash, or for a skip without text its id and origin."""
    if document is not None:
        return document.content_hash or text_hash(document.text)
    assert skip is not None
    return "skip:" + text_hash(f"{skip.doc_id}\x1f{skip.origin or ''}\x1f{skip.reason}")


def document_row(
    key: str, document: Document | None, skip: Skip | None, n_events: int, coder_version: str
) -> dict[str, Any]:
    """A documents row: the document (with its text, so recode needs no files), or the skip."""
    if document is not None:
        return {
            "doc_key": key,
            "id": document.id,
            "text": document.text,
            "metadata": {
                "date": document.date,
                "url": document.url,
                "title": document.title,
                "source": document.source,
                "origin": document.origin,
            },
            "content_hash": document.content_hash or key,
            "language": document.language,
            "skip_reason": skip.reason if skip else None,
            "skip_detail": skip.detail if skip else None,
            "n_events": n_events,
            "coder_version": coder_version,
        }
    assert skip is not None
    return {
        "doc_key": key,
        "id": skip.doc_id,
        "text": None,
        "metadata": {
            "date": None,
            "url": None,
            "title": None,
            "source": None,
            "origin": skip.origin,
        },
        "content_hash": None,
        "language": None,
        "skip_reason": skip.reason,
        "skip_detail": skip.detail,
        "n_events": 0,
        "coder_version": coder_version,
    }


def documents_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=DOCUMENT_SCHEMA)


def events_table(records: Sequence[tuple[str, EventRecord]], coder_version: str) -> pa.Table:
    """An events batch: (doc_key, record) pairs -> the Arrow table the insert path takes."""
    rows = []
    for key, record in records:
        row = record.to_dict()
        row["doc_key"] = key
        row["coder_version"] = record.cite_info.version or coder_version
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=EVENT_BATCH_SCHEMA)


def records_from_arrow(table: pa.Table) -> list[EventRecord]:
    """Rows of the record columns (any extra columns ignored) -> `EventRecord`s."""
    columns = [name for name in RECORD_FIELDS if name in table.column_names]
    return [EventRecord.from_dict(row) for row in table.select(columns).to_pylist()]


def document_from_row(row: dict[str, Any]) -> Document:
    """A stored documents row -> the `Document` that recode feeds the coder again."""
    meta = row.get("metadata") or {}
    return Document(
        id=row["id"],
        text=row["text"] or "",
        date=meta.get("date"),
        url=meta.get("url"),
        title=meta.get("title"),
        source=meta.get("source"),
        language=row.get("language"),
        content_hash=row.get("content_hash") or "",
        origin=meta.get("origin"),
    )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
