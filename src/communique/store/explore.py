"""What the explorer and briefs read from the store: pages, facets, actors, dyads, series, places.

Every function takes a DuckDB connection (a cursor of the store's, one per request) and the same
`EventFilter` as `communique events`, so a view in the explorer and a query on the command line
select the same events. Values never enter the SQL text: filters go through `where_clause`, and
the few names that do (a period, a facet's column) come from the fixed tables below.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import duckdb

from communique.records import EventRecord
from communique.store.aggregate import PERIOD_SQL
from communique.store.arrow import records_from_arrow
from communique.store.query import EventFilter, select_sql, where_clause
from communique.store.schema import RECORD_FIELDS

# facet name -> the SQL giving each event's values of it (a list: an event counts once per value)
FACET_SQL: dict[str, str] = {
    "event": "[e.event]",
    "quad": "[e.quad_code::VARCHAR]",
    "status": "[e.status]",
    "actor": "e.actor_codes",
    "recipient": "e.recipient_codes",
    "sector": "list_distinct(list_filter(list_transform(e.actor, lambda x: x.sector), "
    "lambda x: x IS NOT NULL))",
    "source": "[e.cite_info.publication]",
    "country": "[e.country_code]",
}
SERIES_BY: dict[str, str] = {"quad": "e.quad_code::VARCHAR", "event": "e.event", "total": "'all'"}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return con.execute(sql, params).fetchall()


def count_events(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> int:
    where, params = where_clause(flt)
    ((n,),) = _rows(con, f"SELECT count(*) FROM events e WHERE {where}", params)
    return int(n)


# sort name -> ORDER BY over `events e`; every order ends on the unique `event_seq`
ORDERS: dict[str, str] = {
    "date": "e.event_day NULLS LAST, e.id, e.event_seq",
    "-date": "e.event_day DESC NULLS LAST, e.id, e.event_seq",
    "-confidence": "e.confidence DESC NULLS LAST, e.event_day NULLS LAST, e.id, e.event_seq",
}


def event_page(
    con: duckdb.DuckDBPyConnection,
    flt: EventFilter,
    page: int,
    per_page: int,
    sort: str = "date",
) -> tuple[int, list[EventRecord]]:
    """The total number of matching events, and the records of one page (from 1) in the order
    `sort` names (a key of `ORDERS`; "date" is the order of `communique events`).

    The page is picked on the narrow sort columns first; only its rows are read in full.
    """
    total = count_events(con, flt)
    where, params = where_clause(flt)
    picked = [
        seq
        for (seq,) in _rows(
            con,
            f"SELECT e.event_seq FROM events e WHERE {where} ORDER BY {ORDERS[sort]} "
            "LIMIT ? OFFSET ?",
            [*params, per_page, (page - 1) * per_page],
        )
    ]
    if not picked:
        return total, []
    columns = ", ".join(f'e."{name}"' for name in RECORD_FIELDS)
    table = con.sql(
        f"SELECT {columns}, e.event_seq AS _seq FROM events e "
        "WHERE list_contains(?::BIGINT[], e.event_seq)",
        params=[picked],
    ).to_arrow_table()
    position = {seq: i for i, seq in enumerate(picked)}
    order = sorted(range(table.num_rows), key=lambda i: position[table["_seq"][i].as_py()])
    return total, records_from_arrow(table.take(order).drop_columns(["_seq"]))


def _document_row(row: tuple[Any, ...]) -> dict[str, Any]:
    doc_id, metadata, n_events, skip_reason, text_length = row
    metadata = metadata or {}
    return {
        "id": doc_id,
        "title": metadata.get("title"),
        "date": metadata.get("date"),
        "source": metadata.get("source"),
        "url": metadata.get("url"),
        "events": int(n_events),
        "skipped": skip_reason,
        "characters": int(text_length or 0),
    }


_DOCUMENT_COLUMNS = "d.id, d.metadata, d.n_events, d.skip_reason, length(d.text)"


def document_page(
    con: duckdb.DuckDBPyConnection, page: int, per_page: int, text: str | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Stored documents (skipped ones included, with their reason), newest first."""
    where, params = "TRUE", []
    if text:
        where = "contains(lower(coalesce(d.metadata.title, '') || ' ' || d.text), lower(?))"
        params = [text]
    ((total,),) = _rows(con, f"SELECT count(*) FROM documents d WHERE {where}", params)
    rows = _rows(
        con,
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents d WHERE {where} "
        "ORDER BY d.metadata.date DESC NULLS LAST, d.id LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    return int(total), [_document_row(row) for row in rows]


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """One document with its text, or None. A document stored twice (the same text under two
    ids) is found under either id."""
    rows = _rows(
        con,
        f"SELECT {_DOCUMENT_COLUMNS}, d.text FROM documents d WHERE d.id = ? "
        "ORDER BY d.coded_at DESC LIMIT 1",
        [doc_id],
    )
    if not rows:
        return None
    found = _document_row(rows[0][:-1])
    found["text"] = rows[0][-1] or ""
    return found


def event_by_id(con: duckdb.DuckDBPyConnection, event_id: str) -> EventRecord | None:
    columns = ", ".join(f'e."{name}"' for name in RECORD_FIELDS)
    table = con.sql(
        f"SELECT {columns} FROM events e WHERE e.id = ? LIMIT 1", params=[event_id]
    ).to_arrow_table()
    records = records_from_arrow(table)
    return records[0] if records else None


def facets(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int = 12
) -> dict[str, list[dict[str, Any]]]:
    """For each facet, its most frequent values among the matching events, with counts."""
    where, params = where_clause(flt)
    out: dict[str, list[dict[str, Any]]] = {}
    for name, values_sql in FACET_SQL.items():
        rows = _rows(
            con,
            f"SELECT v, count(*) AS n FROM (SELECT unnest({values_sql}) AS v FROM events e "
            f"WHERE {where}) WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?",
            [*params, limit],
        )
        out[name] = [{"value": value, "count": int(n)} for value, n in rows]
    return out


def series(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, freq: str, by: str
) -> list[dict[str, Any]]:
    """Event counts per period (day, week, month or year) and key (quad, event type or total);
    undated events are left out."""
    where, params = where_clause(flt)
    rows = _rows(
        con,
        f"SELECT {PERIOD_SQL[freq]} AS period, {SERIES_BY[by]} AS key, count(*) FROM events e "
        f"WHERE e.event_day IS NOT NULL AND {where} GROUP BY period, key ORDER BY period, key",
        params,
    )
    return [{"period": p.isoformat(), "key": k, "count": int(n)} for p, k, n in rows]


@dataclass(frozen=True)
class Edge:
    """Events from one code to another: counts by quad (1-2 cooperation, 3-4 conflict)."""

    actor: str
    recipient: str
    quads: tuple[int, int, int, int]

    @property
    def events(self) -> int:
        return sum(self.quads)

    @property
    def balance(self) -> float:
        """+1 all cooperation, -1 all conflict: (quads 1-2 minus quads 3-4) over all."""
        cooperation = self.quads[0] + self.quads[1]
        return (cooperation - (self.quads[2] + self.quads[3])) / max(self.events, 1)

    def as_json(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "recipient": self.recipient,
            "events": self.events,
            "quad1": self.quads[0],
            "quad2": self.quads[1],
            "quad3": self.quads[2],
            "quad4": self.quads[3],
            "balance": round(self.balance, 3),
        }


def dyads(con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int = 50) -> list[Edge]:
    """The most active (actor code, recipient code) pairs; an event with several codes on a side
    counts for each pair it makes."""
    where, params = where_clause(flt)
    quads = ", ".join(f"count(*) FILTER (WHERE quad_code = {q})" for q in range(1, 5))
    rows = _rows(
        con,
        f"SELECT actor, recipient, {quads}, count(*) AS n FROM (SELECT unnest(e.actor_codes) "
        "AS actor, e.recipient_codes, e.quad_code FROM events e WHERE "
        f"{where}), unnest(recipient_codes) AS r(recipient) GROUP BY actor, recipient "
        "ORDER BY n DESC, actor, recipient LIMIT ?",
        [*params, limit],
    )
    return [Edge(a, r, (int(q1), int(q2), int(q3), int(q4))) for a, r, q1, q2, q3, q4, _ in rows]


def actors(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int = 50
) -> list[dict[str, Any]]:
    """Codes by number of events they take part in, as actor or recipient, with their three
    most frequent partners."""
    where, params = where_clause(flt)
    rows = _rows(
        con,
        "WITH roles AS (SELECT unnest(e.actor_codes) AS code, 'actor' AS role FROM events e "
        f"WHERE {where} UNION ALL SELECT unnest(e.recipient_codes), 'recipient' FROM events e "
        f"WHERE {where}) SELECT code, count(*) FILTER (WHERE role = 'actor'), "
        "count(*) FILTER (WHERE role = 'recipient'), count(*) AS n FROM roles GROUP BY code "
        "ORDER BY n DESC, code LIMIT ?",
        [*params, *params, limit],
    )
    edges = dyads(con, flt, limit=500)
    out = []
    for code, as_actor, as_recipient, n in rows:
        partners: dict[str, int] = {}
        for edge in edges:
            if edge.actor == code and edge.recipient != code:
                partners[edge.recipient] = partners.get(edge.recipient, 0) + edge.events
            elif edge.recipient == code and edge.actor != code:
                partners[edge.actor] = partners.get(edge.actor, 0) + edge.events
        top = sorted(partners.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        out.append(
            {
                "code": code,
                "events": int(n),
                "as_actor": int(as_actor),
                "as_recipient": int(as_recipient),
                "partners": [{"code": c, "events": k} for c, k in top],
            }
        )
    return out


def named_actors(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int = 30
) -> list[dict[str, Any]]:
    """Named people and organisations (an identifier or the text) with their code and counts."""
    where, params = where_clause(flt)
    rows = _rows(
        con,
        "SELECT coalesce(n.identifier_text, n.entity_text) AS name, any_value(n.code), "
        "any_value(n.sector), count(DISTINCT n.event_seq) AS k FROM entities n JOIN events e "
        f"ON e.event_seq = n.event_seq WHERE {where} AND (n.identifier_text IS NOT NULL "
        "OR n.entity_text IS NOT NULL) GROUP BY name ORDER BY k DESC, name LIMIT ?",
        [*params, limit],
    )
    return [
        {"name": name, "code": code, "sector": sector, "events": int(k)}
        for name, code, sector, k in rows
    ]


def partners(
    con: duckdb.DuckDBPyConnection, key: str, flt: EventFilter, limit: int = 25
) -> list[Edge]:
    """The partners of the actor `key` (a code or a name, as `--actor` takes it): the events it
    directs at each, and those each directs at it, as edges for a network."""
    as_actor = dyads(con, replace(flt, actor=key, recipient=None), limit=limit)
    as_recipient = dyads(con, replace(flt, recipient=key, actor=None), limit=limit)
    unique = {(e.actor, e.recipient): e for e in [*as_actor, *as_recipient]}  # self-pairs twice
    edges = sorted(unique.values(), key=lambda e: (-e.events, e.actor, e.recipient))
    return edges[:limit]


def places(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, limit: int = 500
) -> dict[str, list[dict[str, Any]]]:
    """Where events happen: one point per resolved place with coordinates, and counts per
    country (ISO 3166 alpha-3)."""
    where, params = where_clause(flt)
    point_rows = _rows(
        con,
        "SELECT e.event_loc.resolved_place AS place, e.event_loc.lat AS lat, e.event_loc.lon "
        "AS lon, any_value(e.event_loc.country_code), any_value(e.event_loc.resolution), "
        f"count(*) AS n FROM events e WHERE {where} AND e.event_loc.lat IS NOT NULL "
        "GROUP BY place, lat, lon ORDER BY n DESC, place LIMIT ?",
        [*params, limit],
    )
    country_rows = _rows(
        con,
        f"SELECT e.country_code, count(*) AS n FROM events e WHERE {where} AND "
        "e.country_code IS NOT NULL GROUP BY e.country_code ORDER BY n DESC, e.country_code",
        params,
    )
    return {
        "points": [
            {
                "place": place,
                "lat": lat,
                "lon": lon,
                "country": country,
                "resolution": resolution,
                "events": int(n),
            }
            for place, lat, lon, country, resolution, n in point_rows
        ],
        "countries": [{"country": c, "events": int(n)} for c, n in country_rows],
    }


def records_matching(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> list[EventRecord]:
    """Every matching event (up to `flt.limit`), by date then id."""
    columns = ", ".join(f'e."{name}"' for name in RECORD_FIELDS)
    sql, params = select_sql(flt, columns)
    return records_from_arrow(con.sql(sql, params=params).to_arrow_table())


def document_meta(
    con: duckdb.DuckDBPyConnection, doc_ids: list[str]
) -> dict[str, dict[str, str | None]]:
    """Title, source, URL and date of each stored document of `doc_ids` (the latest copy)."""
    rows = _rows(
        con,
        "SELECT d.id, any_value(d.metadata ORDER BY d.coded_at DESC) FROM documents d "
        "WHERE list_contains(?::VARCHAR[], d.id) GROUP BY d.id",
        [doc_ids],
    )
    out: dict[str, dict[str, str | None]] = {}
    for doc_id, metadata in rows:
        metadata = metadata or {}
        out[doc_id] = {k: metadata.get(k) for k in ("title", "source", "url", "date")}
    return out


def document_events(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[EventRecord]:
    """Every event of one document, negated ones included, in the document's date-then-id order."""
    return records_matching(con, EventFilter(document=doc_id, status=("all",)))
