"""`EventFilter` -> a parameterised WHERE clause over `events e`.

User text never enters the SQL string: every value is a `?` parameter, lists included. One
filter object serves `communique events`, `export`, `aggregate` and the Python API.

Every clause reads flat columns of `events` (the date, status, type, country and the actor and
recipient match keys of schema 2), never the nested lists or a join, so DuckDB pushes them into
the scan: it reads the narrow filter columns first and the nested record columns only for the
vectors that hold a match.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from communique.errors import InputError
from communique.records import PLOVER_TYPES, STATUSES
from communique.store.codes import country_code_of_name
from communique.store.schema import match_needle, surname_needle

DEFAULT_EXCLUDED_STATUS = "negated"
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


@dataclass(frozen=True)
class EventFilter:
    """Which events to read. Every field is optional; set fields all apply (AND).

    - `actor`, `recipient`: a code ("USA", "IGO"), or a name or alias: matches an entity's code
      exactly, or its `entity_text` or `identifier_text` ignoring case.
    - `event`: PLOVER types (any of them); `quad`: quad codes 1-4 (any of them).
    - `status`: statuses to keep (any of them); empty means every status but negated;
      `("all",)` keeps every status.
    - `since`, `until`: the event date range, inclusive; YYYY-MM-DD, YYYY-MM or YYYY (a month
      or year counts from its first day for `since`, to its last for `until`).
    - `country`: ISO 3166 alpha-3 codes of the event location (any of them).
    - `text`: words that must all occur in the sentence, ignoring case.
    - `source`: the publication (`cite_info.publication`), ignoring case.
    - `sector`: sector codes (GOV, MIL, REB ...) of which an actor entity holds any.
    - `document`: the id of the document the events come from.
    - `unique`: one event per cluster (a real-world event however many documents report it):
      the cluster's canonical record where it matches, else its first matching member.
    - `limit`: at most this many events (ordered by date, then id).
    """

    actor: str | None = None
    recipient: str | None = None
    event: tuple[str, ...] = ()
    quad: tuple[int, ...] = ()
    status: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    country: tuple[str, ...] = ()
    text: str | None = None
    source: str | None = None
    sector: tuple[str, ...] = ()
    document: str | None = None
    unique: bool = False
    limit: int | None = None

    def __post_init__(self) -> None:
        for name in ("event", "quad", "status", "country", "sector"):
            value = getattr(self, name)
            if isinstance(value, str | int):  # a single value where a tuple belongs
                object.__setattr__(self, name, (value,))
            else:
                object.__setattr__(self, name, tuple(value))
        object.__setattr__(self, "event", tuple(e.strip().upper() for e in self.event))
        bad = [e for e in self.event if e not in PLOVER_TYPES]
        if bad:
            raise InputError(
                f"unknown event type(s) {', '.join(bad)}; PLOVER types: {', '.join(PLOVER_TYPES)}"
            )
        bad_quads = [q for q in self.quad if q not in (1, 2, 3, 4)]
        if bad_quads:
            raise InputError(f"quad must be 1, 2, 3 or 4, not {bad_quads[0]}")
        object.__setattr__(self, "status", tuple(s.strip().lower() for s in self.status))
        bad = [s for s in self.status if s not in (*STATUSES, "all")]
        if bad:
            raise InputError(
                f"unknown status {bad[0]!r}; give one of {', '.join(STATUSES)}, or all"
            )
        object.__setattr__(self, "country", tuple(c.strip().upper() for c in self.country))
        object.__setattr__(self, "sector", tuple(c.strip().upper() for c in self.sector))
        if self.limit is not None and not 0 <= self.limit < 2**63:
            raise InputError(f"--limit must be from 0 to {2**63 - 1}, not {self.limit}")
        start_of(self.since)
        end_of(self.until)


def _parse(value: str, *, end: bool) -> dt.date:
    match = _PARTIAL_DATE.fullmatch(value.strip())
    if match is None:
        raise InputError(f"{value!r} is not a date; give YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(match.group(1))
    month = int(match.group(2) or (12 if end else 1))
    try:
        last = calendar.monthrange(year, month)[1]
        day = int(match.group(3) or (last if end else 1))
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(f"{value!r} is not a date; give YYYY-MM-DD, YYYY-MM or YYYY") from None


def start_of(value: str | None) -> dt.date | None:
    return None if value is None else _parse(value, end=False)


def end_of(value: str | None) -> dt.date | None:
    return None if value is None else _parse(value, end=True)


def _entity_clause(role: str, value: str) -> tuple[str, list[Any]]:
    """An entity of `role` whose code is `value`, or whose name or alias is, ignoring case; a
    country's name finds its code ("Russia": every RUS entity, "Kenyan police" included), and
    one word finds the names it ends ("Orban": "Viktor Orban")."""
    text = value.strip()
    needles = [match_needle("C"), match_needle("N")]
    params: list[Any] = [text, text]
    code = country_code_of_name(text)
    if code is not None and code != text:
        needles.append(match_needle("C"))
        params.append(code)
    if " " not in text and len(text) >= 3:
        needles.append(surname_needle())
        params.append(text)
    sql = " OR ".join(f"contains(e.{role}_key, {needle})" for needle in needles)
    return f"({sql})", params


def where_clause(flt: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (without the word) over alias `e`, and its parameters in order."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.actor:
        sql, values = _entity_clause("actor", flt.actor)
        clauses.append(sql)
        params += values
    if flt.recipient:
        sql, values = _entity_clause("recipient", flt.recipient)
        clauses.append(sql)
        params += values
    if flt.event:
        clauses.append("list_contains(?::VARCHAR[], e.event)")
        params.append(list(flt.event))
    if flt.quad:
        clauses.append("list_contains(?::INTEGER[], e.quad_code)")
        params.append(list(flt.quad))
    if not flt.status:
        clauses.append("e.status <> ?")
        params.append(DEFAULT_EXCLUDED_STATUS)
    elif "all" not in flt.status:
        clauses.append("list_contains(?::VARCHAR[], e.status)")
        params.append(list(flt.status))
    since, until = start_of(flt.since), end_of(flt.until)
    if since is not None:
        clauses.append("e.event_day >= ?")
        params.append(since)
    if until is not None:
        clauses.append("e.event_day <= ?")
        params.append(until)
    if flt.country:
        clauses.append("list_contains(?::VARCHAR[], e.country_code)")
        params.append(list(flt.country))
    if flt.text:
        for word in flt.text.split():
            clauses.append("contains(lower(e.text), lower(?))")
            params.append(word)
    if flt.source:
        clauses.append("lower(e.cite_info.publication) = lower(?)")
        params.append(flt.source.strip())
    if flt.sector:
        clauses.append(
            "len(list_intersect(list_transform(e.actor, lambda x: x.sector), ?::VARCHAR[])) > 0"
        )
        params.append(list(flt.sector))
    if flt.document is not None:
        clauses.append("e.doc_id = ?")
        params.append(flt.document)
    if flt.unique:
        matching = " AND ".join(clauses) or "TRUE"
        clauses.append(
            "e.event_seq IN (SELECT event_seq FROM (SELECT e.event_seq, row_number() OVER "
            "(PARTITION BY coalesce(e.cluster_id, e.id) ORDER BY e.id = c.canonical_id DESC "
            "NULLS LAST, e.event_day NULLS LAST, e.id) AS _rank FROM events e LEFT JOIN "
            f"clusters c ON c.cluster_id = e.cluster_id WHERE {matching}) WHERE _rank = 1)"
        )
        params = [*params, *params]
    return (" AND ".join(clauses) or "TRUE"), params


ORDER_SQL = "e.event_day NULLS LAST, e.id, e.event_seq"


def select_sql(flt: EventFilter, columns: str = "e.*") -> tuple[str, list[Any]]:
    """A full SELECT over the filtered events, ordered by date then id, with the limit."""
    where, params = where_clause(flt)
    sql = f"SELECT {columns} FROM events e WHERE {where} ORDER BY {ORDER_SQL}"
    if flt.limit is not None:
        sql += " LIMIT ?"
        params.append(flt.limit)
    return sql, params


def unordered_sql(flt: EventFilter, columns: str) -> tuple[str, list[Any]]:
    """The filtered events with `columns` plus the sort keys `_day`, `_id`, `_seq`, unordered:
    the caller sorts (`sort_events`), which costs far less than DuckDB sorting nested rows.

    With a limit, the events are picked first by their flat sort keys alone (a top-N over
    narrow columns), and only those are read in full.
    """
    where, params = where_clause(flt)
    keys = "e.event_day AS _day, e.id AS _id, e.event_seq AS _seq"
    sql = f"SELECT {columns}, {keys} FROM events e WHERE {where}"
    if flt.limit is not None:
        sql += (
            f" AND e.event_seq IN (SELECT e.event_seq FROM events e WHERE {where} "
            f"ORDER BY {ORDER_SQL} LIMIT ?)"
        )
        params = [*params, *params, flt.limit]
    return sql, params


def sort_events(table: pa.Table) -> pa.Table:
    """Rows from `unordered_sql` in date (undated last), id, `event_seq` order, without the
    sort keys: the order of `select_sql`."""
    order = pc.sort_indices(
        table,
        sort_keys=[
            ("_day", "ascending", "at_end"),
            ("_id", "ascending", "at_end"),
            ("_seq", "ascending", "at_end"),
        ],
    )
    return table.take(order).drop_columns(["_day", "_id", "_seq"])
