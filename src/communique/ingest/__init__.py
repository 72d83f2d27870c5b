"""Ingest: files, folders, JSONL/CSV/JSON rows and stdin in, `Document`s (or `Skip`s) out.

`read_documents(paths)` streams one item per input document, in input order: a `Document`
ready for the coder, or a `Skip` naming what was wrong and what to do. One bad file or row
never stops the others. See `ReadOptions` for dates, column names and limits.

What is read:
- a plain-text file (any suffix but those below) -> one document, id = file name sans extension;
- an .html/.htm file -> its main text (trafilatura), with the page's title, date, URL, site name;
- .jsonl (one JSON object per line), .csv (header row) and .json (array of objects, or one
  object) -> one document per row, fields id, text, date, url, title, source (renamed with
  `ReadOptions.field_map`); a row may give `file` (relative to its file's folder) for `text`,
  so a gold file of eval/FORMAT.md reads as it is; a row without id gets `NAME:L<line>`;
- a folder -> its .txt/.text/.md/.html/.htm/.jsonl/.csv/.json files, recursively, in sorted
  order, hidden files and folders left out;
- "-" -> stdin: JSONL when the first non-empty line is a JSON object, else one text document.

Every text is cleaned the same way (`document_from_text`): a closing "(attribution: ...)" becomes
the source (unless one is given) and is removed; line ends are normalised, control characters
dropped, outer whitespace stripped; a text over `max_chars` is cut (and a warning logged).
Skip reasons: empty, binary, undecodable, unreadable, not-english, malformed-json, malformed-csv,
no-text, missing-file, bad-date. A repeated id in one run gets "#2", "#3"... (and a warning).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TextIO

from communique.ingest.options import ReadOptions, normalise_date
from communique.ingest.sources import read_path
from communique.ingest.text import build_document
from communique.records import Document, Skip

__all__ = ["ReadOptions", "document_from_text", "normalise_date", "read_documents"]

log = logging.getLogger("communique.ingest")


def read_documents(
    paths: Sequence[str], options: ReadOptions | None = None, stdin: TextIO | None = None
) -> Iterator[Document | Skip]:
    """Documents from files, folders and "-" (stdin), in order, with a `Skip` for each bad one.

    Ids are unique within one call: a repeated id gets "#2", "#3"... appended.
    """
    options = options or ReadOptions()
    seen: set[str] = set()
    for name in paths:
        for item in read_path(name, options, stdin if stdin is not None else sys.stdin):
            if isinstance(item, Document):
                item = _unique(item, seen)
            yield item


def _unique(document: Document, seen: set[str]) -> Document:
    doc_id, number = document.id, 1
    while doc_id in seen:
        number += 1
        doc_id = f"{document.id}#{number}"
    seen.add(doc_id)
    if doc_id == document.id:
        return document
    log.warning(
        "%s: id %r was already used in this run; this document is %r",
        document.origin or doc_id,
        document.id,
        doc_id,
    )
    return replace(document, id=doc_id)


def document_from_text(
    text: str,
    doc_id: str,
    date: str | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    origin: str | None = None,
    options: ReadOptions | None = None,
) -> Document | Skip:
    """One document from text in memory (library, HTTP API, Spark), cleaned as files are.

    `date` (YYYY-MM-DD or an ISO timestamp; falls back to `options.date`) is normalised; a
    malformed one gives a `bad-date` Skip. Language, content hash and source are filled in.
    """
    return build_document(
        text,
        doc_id,
        date,
        url=url,
        title=title,
        source=source,
        origin=origin,
        options=options,
    )
