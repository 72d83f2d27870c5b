"""`communique spark-code`: a thin layer over `communique.spark` (PySpark is imported only when
the command runs, so the rest of the CLI works without the [spark] extra)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from communique.cli import app
from communique.cli.options import LanguageCheckOption, check_output_paths
from communique.cli.reporting import fail, print_skip, write_report
from communique.config import Config, load_config
from communique.errors import CommuniqueError
from communique.records import Skip

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

err = Console(stderr=True)

SHOWN_SKIPS = 20  # skips printed on stderr; all of them are in OUTPUT/documents (and --report)
# The metadata columns taken from the input when it has a column of that name.
_METADATA = ("date", "url", "title", "source")


class InputFormat(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"
    csv = "csv"


_SUFFIXES = {
    ".parquet": InputFormat.parquet,
    ".jsonl": InputFormat.jsonl,
    ".ndjson": InputFormat.jsonl,
    ".csv": InputFormat.csv,
}


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _local(path: str) -> Path:
    return Path(path.removeprefix("file://"))


def input_format(path: str, given: InputFormat | None) -> InputFormat:
    """The format given, else the one the path's suffix (or a local folder's files) names."""
    if given is not None:
        return given
    suffix = Path(path.rstrip("/")).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if _is_local(path) and _local(path).is_dir():
        found = Counter(
            _SUFFIXES[p.suffix.lower()]
            for p in _local(path).rglob("*")
            if p.suffix.lower() in _SUFFIXES and not p.name.startswith((".", "_"))
        )
        if len(found) == 1:
            return next(iter(found))
    raise fail(f"cannot tell the format of {path}; pass --format parquet, jsonl or csv")


def _read(spark: SparkSession, path: str, fmt: InputFormat) -> DataFrame:
    reader = spark.read
    if fmt is InputFormat.parquet:
        return reader.parquet(path)
    if fmt is InputFormat.jsonl:  # a line that is not JSON goes to _corrupt_record: a skip
        return reader.option("mode", "PERMISSIVE").json(path)
    # RFC 4180 quoting (a quote doubled inside a quoted field), fields over several lines
    return reader.options(header=True, multiLine=True, escape='"').csv(path)


def _spark_message(exc: BaseException) -> str:
    """One line from a Spark failure: a communique error raised in a worker if there is one,
    else the Python error's last line, else the first line of Spark's own message."""
    text = str(exc)
    ours = re.findall(r"communique\.errors\.\w+: (.*)", text)
    if ours:
        return str(ours[-1])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    python = [line for line in lines if re.match(r"[A-Za-z_.]*(Error|Exception): ", line)]
    return str(python[-1] if python else lines[0] if lines else type(exc).__name__)[:500]


@app.command("spark-code")
def spark_code(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="Parquet, JSONL or CSV: a file or folder, local or any path Spark reads.",
        ),
    ],
    output: Annotated[
        str,
        typer.Argument(
            metavar="OUTPUT",
            help="Folder to write: OUTPUT/events (Parquet by event_month), OUTPUT/documents.",
        ),
    ],
    fmt: Annotated[
        InputFormat | None,
        typer.Option("--format", help="Input format (default: from the suffix)."),
    ] = None,
    text_col: Annotated[str, typer.Option("--text-col", help="Column of the text.")] = "text",
    id_col: Annotated[str, typer.Option("--id-col", help="Column of the document id.")] = "id",
    date_col: Annotated[
        str | None, typer.Option("--date-col", help="Column of the date (default: date, if any).")
    ] = None,
    url_col: Annotated[
        str | None, typer.Option("--url-col", help="Column of the URL (default: url, if any).")
    ] = None,
    title_col: Annotated[
        str | None, typer.Option("--title-col", help="Column of the title (default: title).")
    ] = None,
    source_col: Annotated[
        str | None,
        typer.Option("--source-col", help="Column of the publication (default: source)."),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Document date YYYY-MM-DD where a row has none.")
    ] = None,
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master, e.g. local[2] (default: Spark's, local[*])."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(
            "--partitions",
            min=1,
            help="Split the input into this many tasks (default: at least one per core).",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace OUTPUT if it exists.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON report of counts and skips.")
    ] = None,
    language_check: LanguageCheckOption = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline to load.")] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file.")
    ] = None,
) -> None:
    """Code a Parquet, JSONL or CSV dataset on Spark into Parquet partitioned by event month."""
    check_output_paths(report)
    if _is_local(input_path) and not _local(input_path).exists():
        raise fail(f"{input_path} does not exist (relative paths are read from {Path.cwd()})")
    if _is_local(output) and _local(output).exists() and not overwrite:
        raise fail(f"{output} exists; pass --overwrite to replace it, or name a new folder")
    try:
        config = load_config(config_file).with_overrides(model=model, language_check=language_check)
        from communique.spark import local_session
    except CommuniqueError as exc:
        raise fail(str(exc)) from None
    except ImportError as exc:  # no PySpark: the message names the extra to install
        raise fail(str(exc)) from None
    job = Job(
        input_path=input_path, output=output, fmt=input_format(input_path, fmt),
        columns={"text": text_col, "id": id_col, "date": date_col, "url": url_col,
                 "title": title_col, "source": source_col},
        config=config, date=date, partitions=partitions, overwrite=overwrite,
        all_skips=report is not None,
    )  # fmt: skip
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    started_here = SparkSession.getActiveSession() is None  # a caller's session is left running
    try:
        spark = local_session(master, app_name="communique spark-code")
    except CommuniqueError as exc:  # no Java, or one too old: the message names the fix
        raise fail(str(exc)) from None
    except Exception as exc:  # the JVM did not start: Spark's own words, in one line
        raise fail(f"Spark did not start: {_spark_message(exc)}") from None
    try:
        counts, skips = run_job(spark, job)
    except CommuniqueError as exc:
        raise fail(str(exc)) from None
    except PySparkException as exc:  # an unreadable input, a failed task
        raise fail(f"Spark failed: {_spark_message(exc)}", code=1) from None
    except Exception as exc:
        if type(exc).__name__ != "Py4JJavaError":  # a job aborted in the JVM; others are bugs
            raise
        raise fail(f"Spark failed: {_spark_message(exc)}", code=1) from None
    finally:
        if started_here:
            spark.stop()
    _print_summary(job, counts, skips)
    if report is not None:
        write_report(
            report, read=counts["read"], coded=counts["coded"], skips=skips,
            events=counts["events"], output=output,
        )  # fmt: skip


def _print_summary(job: Job, counts: dict[str, Any], skips: list[Skip]) -> None:
    output = job.output
    for skip in skips[:SHOWN_SKIPS]:
        print_skip(err, skip)
    if counts["skipped"] > SHOWN_SKIPS:
        err.print(
            f"... and {counts['skipped'] - SHOWN_SKIPS} more: the rows of {output}/documents "
            f"with a skip_reason",
            highlight=False,
            soft_wrap=True,
        )
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(counts["reasons"].items()))
    err.print(
        f"{counts['read']} documents read, {counts['coded']} coded, {counts['skipped']} skipped"
        f"{f' ({reasons})' if reasons else ''}, {counts['events']} events; written to "
        f"{output}/events (by event_month) and {output}/documents",
        highlight=False,
        soft_wrap=True,
    )
    if counts["cut"]:
        err.print(
            f"{counts['cut']} documents longer than max_chars were cut (only their start is "
            f"coded): their rows in {output}/documents have cut_at; raise max_chars to code more",
            highlight=False,
            soft_wrap=True,
        )


@dataclass(frozen=True)
class Job:
    """One `spark-code` run: what to read, how to code it, where to write."""

    input_path: str
    output: str
    fmt: InputFormat
    columns: dict[str, str | None]  # our field -> the column named on the command line
    config: Config
    date: str | None = None
    partitions: int | None = None
    overwrite: bool = False
    all_skips: bool = False  # collect every skip (for --report), not only the first few


def run_job(spark: SparkSession, job: Job) -> tuple[dict[str, Any], list[Skip]]:
    """Read, code once (persisted), write the documents and the events; return the counts and
    the skips (the first few, or every one for the report)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from communique.spark import Columns, code_documents, events_of

    df = _read(spark, job.input_path, job.fmt)
    named = dict(job.columns)
    for field in _METADATA:  # a metadata column is taken when the input has one of that name
        if named[field] is None and field in df.columns:
            named[field] = field
    columns = Columns(
        text=named["text"] or "text", id=named["id"] or "id", date=named["date"],
        url=named["url"], title=named["title"], source=named["source"],
        corrupt="_corrupt_record" if "_corrupt_record" in df.columns else None,
    )  # fmt: skip
    wanted = job.partitions or spark.sparkContext.defaultParallelism
    if job.partitions is not None or df.rdd.getNumPartitions() < wanted:
        df = df.repartition(wanted)  # a small file is one split: it would keep one core busy
    documents = code_documents(df, columns, job.config, date=job.date)
    documents = documents.persist(StorageLevel.MEMORY_AND_DISK)  # code once, write twice
    mode = "overwrite" if job.overwrite else "errorifexists"
    try:
        documents.drop("events").write.mode(mode).parquet(f"{job.output}/documents")
        events = events_of(documents).write.mode(mode).partitionBy("event_month")
        events.parquet(f"{job.output}/events")
        totals = documents.groupBy("skip_reason").agg(
            F.count(F.lit(1)).alias("n"),
            F.sum("n_events").alias("events"),
            F.count("cut_at").alias("cut"),
        )
        counts: dict[str, Any] = {"read": 0, "coded": 0, "skipped": 0, "events": 0, "cut": 0}
        reasons: Counter[str] = Counter()
        for row in totals.collect():
            counts["read"] += row["n"]
            counts["events"] += row["events"] or 0
            counts["cut"] += row["cut"]
            if row["skip_reason"] is None:
                counts["coded"] += row["n"]
            else:
                counts["skipped"] += row["n"]
                reasons[row["skip_reason"]] = row["n"]
        counts["reasons"] = reasons
        skipped = documents.where(F.col("skip_reason").isNotNull()).select(
            "id", "skip_reason", "skip_detail", "metadata.origin"
        )
        rows = skipped.collect() if job.all_skips else skipped.limit(SHOWN_SKIPS).collect()
    finally:
        documents.unpersist()
    skips = [Skip(r["id"], r["skip_reason"], r["skip_detail"] or "", r["origin"]) for r in rows]
    return counts, skips
