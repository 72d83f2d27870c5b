"""Coding on Spark: a DataFrame of documents in, a DataFrame of typed event records out.

    from communique.spark import Columns, code, code_documents, events_of, skips_of

    events = code(df, text_col="body", id_col="url", date_col="published")  # the events
    documents = code_documents(df, Columns(text="body", id="url")).persist()  # every row
    events_of(documents).write.partitionBy("event_month").parquet("out/events")
    skips_of(documents).show()  # the rows not coded, and why

How it runs: `mapInPandas` hands each Python worker process batches of rows. The worker builds
one `pipeline.Coder` (spaCy and the learned typer: about a second) on its first batch and keeps
it in a module-level cache keyed by the `Config`, so every later batch and task on that process
reuses it (Spark reuses its Python workers). What Spark pickles and ships to the executors is a
`functools.partial` of `worker.code_partition` with the frozen `Config`: a few hundred bytes,
never a model. Each row goes through `ingest.document_from_text` (the cleaning, language check
and content hash that files get) and `Coder.code` (the stages `code_batch` runs), so a document
gives the same records here as in one process.

Nothing is lost: `code_documents` returns one row per input row, coded or skipped, with the
reason and detail the single-process reader gives (`empty`, `not-english`, `bad-date`,
`coder-error`; `no-text` for a null text, `malformed-row` for a row Spark could not parse).
`code` is only the events: take `code_documents` (persisted, so that coding runs once) where the
skips matter, as `communique spark-code` does. Ids are not made unique across rows (that would
cost a shuffle); the store keys documents by their content hash (`doc_key`) instead.

Schemas: `EVENT_SCHEMA` is the store's Arrow layout of a record (`store.arrow.RECORD_SCHEMA`)
translated type for type, so the Parquet Spark writes has the store's column types;
`DOCUMENTS_SCHEMA` is the store's documents row (`store.arrow.DOCUMENT_SCHEMA`, without the
text) with the document's events, `coded_at` and `cut_at`. `events_of` adds to each record the
columns the store keeps beside it (`doc_key`, `coder_version`, `coded_at`) and `event_month`,
the partition column: `communique.store.parquet_input.open_parquet` reads that layout as a
store.

Modules: this one (the driver's API), `schema` (the Spark schemas), `worker` (what runs in the
Python workers), `session` (starting Spark: the Java check, local workers on this Python).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from communique.config import Config
from communique.errors import InputError
from communique.store.schema import RECORD_FIELDS

MISSING_PYSPARK = (
    "communique.spark needs PySpark, which is not installed: pip install 'communique[spark]' "
    "(Spark also needs Java 17 or newer, e.g. Debian's default-jre-headless)"
)
try:
    from pyspark.sql import Column, DataFrame
    from pyspark.sql import functions as F
except ImportError as exc:  # the [spark] extra is optional; say which one to install
    raise ImportError(MISSING_PYSPARK) from exc

# after the check above: these import PySpark too
from communique.spark.schema import (  # noqa: E402
    DOCUMENTS_SCHEMA,
    EVENT_SCHEMA,
    STORED_EVENT_SCHEMA,
    UNDATED,
    spark_type,
)
from communique.spark.session import check_java, local_session  # noqa: E402
from communique.spark.worker import Job, code_partition, worker_coder  # noqa: E402

__all__ = [
    "DOCUMENTS_SCHEMA",
    "EVENT_SCHEMA",
    "STORED_EVENT_SCHEMA",
    "UNDATED",
    "Columns",
    "check_java",
    "code",
    "code_documents",
    "events_of",
    "local_session",
    "skips_of",
    "spark_type",
    "worker_coder",
]


@dataclass(frozen=True)
class Columns:
    """Which input columns hold a document's fields; None: the input has no such column.

    Values are read as strings (a date or timestamp column as its ISO text)."""

    text: str = "text"
    id: str = "id"
    date: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    # Spark's column of rows it could not parse (`columnNameOfCorruptRecord`, `_corrupt_record`
    # by default, present when a JSON reader met one): such a row is a `malformed-row` skip.
    corrupt: str | None = None

    def named(self) -> dict[str, str]:
        """Our field -> the input column, for the fields the input has."""
        return {name: column for name in _FIELDS if (column := getattr(self, name)) is not None}


_FIELDS = ("id", "text", "date", "url", "title", "source", "corrupt")


def _column(name: str) -> Column:
    """A top-level column by its exact name (a dot in a name is not a struct field here)."""
    return F.col("`" + name.replace("`", "``") + "`")


def _inputs(df: DataFrame, columns: Columns) -> DataFrame:
    """The input as the string columns the workers read (absent ones null)."""
    named = columns.named()
    missing = [column for column in named.values() if column not in df.columns]
    if missing:
        raise InputError(
            f"no column {', '.join(repr(c) for c in missing)} in the input (it has: "
            f"{', '.join(df.columns) or 'none'}); name the columns that hold the text and id"
        )
    picked = [
        (
            _column(named[name]).cast("string") if name in named else F.lit(None).cast("string")
        ).alias(name)
        for name in _FIELDS
    ]
    return df.select(*picked)


def code_documents(
    df: DataFrame,
    columns: Columns | None = None,
    config: Config | None = None,
    *,
    date: str | None = None,
) -> DataFrame:
    """One row per input row (`DOCUMENTS_SCHEMA`): the document's key, id, metadata, language,
    its events (a list of records), or the reason it was skipped. Lazy, as Spark is: persist it
    when more than one output is taken from it, or every action codes the documents again.

    `date`: the document date for rows without one (YYYY-MM-DD), as `communique code --date`.
    `config.workers` is ignored: Spark's tasks are the parallelism, one `Coder` per worker."""
    config = replace(config or Config(), workers=1)
    job = Job(config=config, date=date)
    job.read_options()  # a malformed fallback date fails here, on the driver, not in a task
    function = functools.partial(code_partition, job)
    return _inputs(df, columns or Columns()).mapInPandas(function, DOCUMENTS_SCHEMA)


def _event_month(date: Column) -> Column:
    """The month partition of an event date, by the store's `event_day` rule: a day or a month
    gives its month, a year alone its January; anything else is `UNDATED`."""
    month = F.regexp_extract(date, r"^(\d{4}-\d{2})", 1)
    year = F.regexp_extract(date, r"^(\d{4})$", 1)
    return (
        F.when(month != "", month)
        .when(year != "", F.concat(year, F.lit("-01")))
        .otherwise(F.lit(UNDATED))
    )


def events_of(documents: DataFrame) -> DataFrame:
    """The events of `code_documents` output (`STORED_EVENT_SCHEMA`): one row per record,
    with `doc_key`, `coder_version` (the record's own, as the store writes it), `coded_at`
    and `event_month` (YYYY-MM, or `UNDATED`) to partition by."""
    exploded = documents.select(
        "doc_key", "coder_version", "coded_at", F.explode("events").alias("event")
    )
    own = F.col("event.cite_info.version")
    version = F.when(own.isNotNull() & (own != ""), own).otherwise(F.col("coder_version"))
    return exploded.select(
        *(F.col(f"event.{name}").alias(name) for name in RECORD_FIELDS),
        "doc_key",
        version.alias("coder_version"),
        "coded_at",
        _event_month(F.col("event.date")).alias("event_month"),
    )


def skips_of(documents: DataFrame) -> DataFrame:
    """The rows of `code_documents` output that were not coded: id, reason, detail, key."""
    return documents.where(F.col("skip_reason").isNotNull()).select(
        "id", "skip_reason", "skip_detail", "doc_key"
    )


def code(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    date_col: str | None = None,
    url_col: str | None = None,
    title_col: str | None = None,
    source_col: str | None = None,
    config: Config | None = None,
) -> DataFrame:
    """The events of the documents in `df` (`STORED_EVENT_SCHEMA`): `events_of(code_documents(
    ...))`. Rows that were not coded are not in it; `code_documents` and `skips_of` say why."""
    columns = Columns(text_col, id_col, date_col, url_col, title_col, source_col)
    return events_of(code_documents(df, columns, config))
