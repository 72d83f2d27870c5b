"""What runs in the Python workers: one `Coder` per process, rows in, documents rows out.

Nothing here is pickled but `Job` (a frozen `Config` and a date) and a reference to
`code_partition`: the coder is built in the worker that uses it, on its first batch, and kept in
a module-level cache keyed by the `Config` for every later batch and task of that process.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from communique import __version__
from communique.config import Config
from communique.ingest import ReadOptions, document_from_text
from communique.ingest.text import content_hash
from communique.records import Document, Skip
from communique.spark.schema import DOCUMENTS_SCHEMA
from communique.store.arrow import document_key, document_row, utc_now

if TYPE_CHECKING:
    import pandas as pd

    from communique.pipeline import Coder, DocumentResult

# A worker hands Spark its results in frames of this many documents, so that a large Arrow
# input batch (10,000 rows by default) is never held as Python objects all at once.
OUTPUT_ROWS = 256
_DOCUMENT_COLUMNS = DOCUMENTS_SCHEMA.fieldNames()


@dataclass(frozen=True)
class Job:
    """What each worker needs besides the rows: pickled with the task, a few hundred bytes."""

    config: Config
    date: str | None  # the fallback document date, as `code --date`

    def read_options(self) -> ReadOptions:
        return ReadOptions(
            date=self.date,
            max_chars=self.config.max_chars,
            require_english=self.config.language_check,
        )


_CODERS: dict[Config, Coder] = {}


def worker_coder(config: Config) -> Coder:
    """This process's `Coder` for `config`, built on first use and kept: it is built where it
    runs, never pickled, and one Python worker codes many tasks with it."""
    coder = _CODERS.get(config)
    if coder is None:
        from communique.pipeline import Coder

        # Spark runs one Python worker per task slot: each typer gets one thread unless the
        # settings say otherwise, and no second thread to overlap it with the parse (every
        # core for each worker would oversubscribe the machine).
        threads = config.typer_threads or 1
        coder = _CODERS[config] = Coder(
            replace(config, typer_threads=threads, overlap_typing=False)
        )
    return coder


def _item(row: Mapping[str, Any], options: ReadOptions) -> Document | Skip:
    """One input row as the reader makes it: a cleaned `Document`, or a `Skip` with a reason."""
    text, doc_id, corrupt = row["text"], row["id"], row["corrupt"]
    if not isinstance(doc_id, str) or not doc_id.strip():
        # Rows have no line number here: an id from the text is stable across runs.
        seed = text if isinstance(text, str) else corrupt if isinstance(corrupt, str) else ""
        doc_id = "doc-" + content_hash(seed)[:16]
    if isinstance(corrupt, str):
        return Skip(
            doc_id=doc_id,
            reason="malformed-row",
            detail=f"Spark could not parse the row (it begins {corrupt[:60]!r}); fix it in "
            f"the input",
        )
    if not isinstance(text, str):
        return Skip(
            doc_id=doc_id,
            reason="no-text",
            detail="the row's text column is null; give every row a text, or filter them out",
        )
    return document_from_text(
        text,
        doc_id.strip(),
        row["date"],
        url=row["url"],
        title=row["title"],
        source=row["source"],
        options=options,
    )


def _result_row(given: Document | Skip, result: DocumentResult) -> dict[str, Any]:
    """The documents row of one input row, keyed and laid out as the store's ingest does."""
    if isinstance(given, Document):
        key = document_key(given, None)
        document: Document | None = result.document or given
    else:
        key, document = document_key(None, given), None
    records = result.records if result.skip is None else []
    row = document_row(key, document, result.skip, len(records), __version__)
    del row["text"]
    row["coded_at"] = utc_now()
    row["cut_at"] = document.cut_at if document is not None else None
    row["events"] = [record.to_dict() for record in records]
    return row


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    # object columns: pandas would turn a column of ints with a None (cut_at) into floats
    return pd.DataFrame(rows, columns=_DOCUMENT_COLUMNS, dtype=object)


def code_partition(job: Job, batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The `mapInPandas` function: every row of one partition through one `Coder.code` stream
    (so spaCy batches across Arrow batches), one documents row per input row, in order."""
    coder = worker_coder(job.config)
    options = job.read_options()
    given: deque[Document | Skip] = deque()  # read, not yet answered (Coder.code reads ahead)

    def items() -> Iterator[Document | Skip]:
        for batch in batches:
            for row in batch.to_dict("records"):
                item = _item(row, options)
                given.append(item)
                yield item

    rows: list[dict[str, Any]] = []
    for result in coder.code(items()):
        rows.append(_result_row(given.popleft(), result))
        if len(rows) >= OUTPUT_ROWS:
            yield _frame(rows)
            rows = []
    if rows:
        yield _frame(rows)
