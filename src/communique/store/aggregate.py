"""Event-count panels: per period and key (dyad, actor, recipient or country), one count column
per PLOVER type and per quad, and the total, ready to join with country-month data.

An event with several actor (or recipient) codes counts once for each distinct code; an event
with no code for the key, or no usable date, is left out of the panel. Periods are the first day
of the day, ISO week (Monday), month or year, as DATE.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from communique.errors import InputError
from communique.records import PLOVER_TYPES
from communique.store.query import EventFilter, where_clause

BY: tuple[str, ...] = ("dyad", "actor", "recipient", "country")


class Freq(StrEnum):
    """The periods of a panel or a series."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"


FREQ: tuple[str, ...] = tuple(f.value for f in Freq)
AGGREGATE_FORMATS: tuple[str, ...] = ("csv", "parquet")


# The first day of each period, by date arithmetic on `event_day`: far cheaper than date_trunc.
# 1970-01-05 was a Monday; the double modulo keeps earlier dates right.
PERIOD_SQL: dict[str, str] = {
    "day": "e.event_day",
    "week": "e.event_day - CAST(((e.event_day - DATE '1970-01-05') % 7 + 7) % 7 AS INTEGER)",
    "month": "e.event_day - CAST(day(e.event_day) - 1 AS INTEGER)",
    "year": "e.event_day - CAST(dayofyear(e.event_day) - 1 AS INTEGER)",
}


def aggregate_sql(flt: EventFilter, by: str, freq: str) -> tuple[str, list[object]]:
    if by not in BY:
        raise InputError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    if freq not in FREQ:
        raise InputError(f"--freq must be one of {', '.join(FREQ)}, not {freq!r}")
    where, params = where_clause(flt)
    base = f"FROM events e WHERE e.event_day IS NOT NULL AND {where}"
    period = f"{PERIOD_SQL[freq]} AS period"
    # flat columns only: the country, or each event's distinct codes (unnested once per code;
    # an empty list gives no rows, so events without a code are left out)
    if by == "country":
        keys = ["country"]
        inner = (
            f"SELECT {period}, e.country_code AS country, e.event, e.quad_code {base} "
            "AND e.country_code IS NOT NULL"
        )
    elif by == "dyad":
        keys = ["actor", "recipient"]
        inner = (
            "SELECT period, actor, unnest(recipient_codes) AS recipient, event, quad_code "
            f"FROM (SELECT {period}, unnest(e.actor_codes) AS actor, e.recipient_codes, "
            f"e.event, e.quad_code {base})"
        )
    else:
        keys = [by]
        inner = f"SELECT {period}, unnest(e.{by}_codes) AS {by}, e.event, e.quad_code {base}"
    key_list = ", ".join(keys)
    # count per (period, key, type) first, then spread the few rows into columns: far cheaper
    # than twenty filtered counts over every event
    counted = (
        f"SELECT period, {key_list}, event, quad_code, count(*) AS n FROM ({inner}) "
        f"GROUP BY period, {key_list}, event, quad_code"
    )
    counts = [f"sum(n) FILTER (WHERE event = '{t}') AS \"{t}\"" for t in PLOVER_TYPES]
    counts += [f"sum(n) FILTER (WHERE quad_code = {q}) AS quad{q}" for q in range(1, 5)]
    counts.append("sum(n) AS total")
    sql = (
        f"SELECT period, {key_list}, {', '.join(counts)} FROM ({counted}) "
        f"GROUP BY period, {key_list} ORDER BY period, {key_list}"
    )
    return sql, params


def aggregate_events(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, by: str, freq: str
) -> pa.Table:
    """The panel as an Arrow table: period, key column(s), one column per type, quad1..4, total.

    `flt.limit` does not apply: a panel counts every event that the other filters select.
    """
    sql, params = aggregate_sql(flt, by, freq)
    table = con.sql(sql, params=params).to_arrow_table()
    count_columns = [*PLOVER_TYPES, "quad1", "quad2", "quad3", "quad4", "total"]
    for name in count_columns:  # int64 counts, 0 where a type has none
        index = table.schema.get_field_index(name)
        column = pc.fill_null(table.column(name), 0).cast(pa.int64())
        table = table.set_column(index, name, column)
    return table


def write_panel(table: pa.Table, fmt: str, target: Path | TextIO) -> None:
    if fmt not in AGGREGATE_FORMATS:
        raise InputError(f"--format must be csv or parquet, not {fmt!r}")
    if fmt == "parquet":
        if not isinstance(target, Path):
            raise InputError("parquet is binary: give an output file with -o FILE")
        pq.write_table(table, str(target))
        return
    with ExitStack() as stack:
        if isinstance(target, Path):
            out: TextIO = stack.enter_context(target.open("w", encoding="utf-8", newline=""))
        else:
            out = target
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.column_names)
        for batch in table.to_batches():
            for row in batch.to_pylist():
                writer.writerow(["" if v is None else v for v in row.values()])
