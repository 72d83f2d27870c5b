"""The explorer's state: the open store, the coder (loaded on first use) and their locks.

One `Explorer` serves every request of an app. Reads take a fresh DuckDB cursor each (cursors of
one connection may run in parallel threads); coding and writing go through one lock, because a
spaCy pipeline is not safe to share between threads and the store takes one writer.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from communique.config import Config, load_config
from communique.errors import InputError
from communique.ingest import document_from_text
from communique.ingest.options import ReadOptions
from communique.records import Document, EventRecord, Skip
from communique.store import IngestOptions, Store, open_store
from communique.store.explore import document_events

if TYPE_CHECKING:
    from communique.pipeline import Coder

TOKEN_ENV = "COMMUNIQUE_TOKEN"
DEFAULT_MAX_UPLOAD = 2_000_000  # bytes of a request body: a long report, not a corpus
PASTED = "pasted"  # the id of a text coded without one


@dataclass(frozen=True)
class ServeOptions:
    """How `communique serve` runs.

    - `db`: the event store to read (it must exist unless `allow_writes`).
    - `host`: the address to bind; anything but a loopback address needs a `token`.
    - `token`: a secret every request must carry (header `Authorization: Bearer TOKEN`, or
      `?token=TOKEN` once in a browser, which then keeps it in a cookie).
    - `allow_writes`: `POST /api/code?store=true` may add coded documents to the store;
      otherwise the store is opened read-only and other readers may share it.
    - `max_upload`: the largest request body, in bytes (larger: 413).
    """

    db: Path
    host: str = "127.0.0.1"
    token: str | None = None
    allow_writes: bool = False
    max_upload: int = DEFAULT_MAX_UPLOAD
    config: Config = field(default_factory=load_config)

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token) < 16:
            raise InputError("the token must be at least 16 characters; use a random string")
        if not is_loopback(self.host) and not self.token:
            raise InputError(
                f"binding {self.host} opens the explorer to other machines: give a token with "
                f"--token or the {TOKEN_ENV} environment variable, or bind 127.0.0.1"
            )
        if self.max_upload < 1:
            raise InputError("the upload limit must be at least 1 byte")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class CodedText:
    """A text coded on request: its document (or why it was skipped) and its events."""

    document: Document | None
    skip: Skip | None
    records: list[EventRecord]
    stored: bool = False


class Explorer:
    """The store and the coder behind one app."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        read_only = not options.allow_writes
        self.store: Store = open_store(options.db, create=not read_only, read_only=read_only)
        self._lock = threading.Lock()
        self._coder: Coder | None = None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self.store.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        self.store.close()

    def _get_coder(self) -> Coder:
        if self._coder is None:
            from communique.pipeline import Coder  # loads spaCy: only when a text is coded

            self._coder = Coder(self.options.config)
        return self._coder

    def code_text(
        self,
        text: str,
        *,
        doc_id: str,
        date: str | None = None,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        store: bool = False,
    ) -> CodedText:
        """Code one text; with `store`, also add it to the store (as `communique ingest`)."""
        config = self.options.config
        read = ReadOptions(max_chars=config.max_chars, require_english=config.language_check)
        item = document_from_text(
            text, doc_id, date, title=title, source=source, url=url, origin="upload",
            options=read,
        )  # fmt: skip
        if isinstance(item, Skip):
            return CodedText(None, item, [])
        if store and doc_id == PASTED:  # two pasted texts are two documents, not one replaced
            item = replace(item, id=f"{PASTED}-{item.content_hash[:12]}")
        with self._lock:
            coder = self._get_coder()
            if not store:
                return CodedText(item, None, coder.code_document(item))
            self.store.ingest([item], coder, IngestOptions(replace=True))
        with self.cursor() as cursor:
            records = document_events(cursor, item.id)
        return CodedText(item, None, records, stored=True)
