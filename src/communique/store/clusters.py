"""Event clusters in the store: one real-world event, however many documents report it.

Schema 4 adds `events.cluster_id` and a `clusters` table (id, canonical event, type, kind,
`num_sources`, `num_articles`, date span, links to the clusters of the same plan or act). They are
kept by `update_clusters`, which `Store.ingest` and `Store.recode` call after their last batch:

1. the events without a cluster are the new ones (and, after a migration, every stored one);
2. the stored clusters they could join are those whose dates meet `match_window` of the new
   events (and the undated ones when a new event is undated): only their members are loaded;
3. `ClusterIndex.from_members` rebuilds those clusters, `add` places the new events, and the
   clusters it touched are written back.

Replacing a document (`ingest --replace`, `recode`) dissolves the clusters its old events were in
(`dissolve_clusters`, inside the batch's transaction); their remaining members are placed again by
the next `update_clusters`. Deterministic: the same documents ingested in the same order give the
same clusters (`communique.dedup` says how near-order-independent it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from communique.dedup import ClusterIndex, EventReport, match_window, report_of
from communique.records import EventRecord
from communique.store.arrow import records_from_arrow
from communique.store.schema import RECORD_FIELDS, run

_COLUMNS = ", ".join(f'e."{name}"' for name in RECORD_FIELDS)


def dissolve_clusters(con: duckdb.DuckDBPyConnection, doc_keys_sql: str) -> None:
    """Undo the clusters that hold an event of the documents `doc_keys_sql` selects (inside the
    caller's transaction, before those events are replaced)."""
    doomed = (
        "SELECT DISTINCT cluster_id FROM events WHERE cluster_id IS NOT NULL AND doc_key IN "
        f"({doc_keys_sql})"
    )
    run(con, f"DELETE FROM clusters WHERE cluster_id IN ({doomed})")
    run(con, f"UPDATE events SET cluster_id = NULL WHERE cluster_id IN ({doomed})")


def _reports(con: duckdb.DuckDBPyConnection, where: str, params: list[object]) -> list[EventReport]:
    table = con.sql(f"SELECT {_COLUMNS} FROM events e WHERE {where}", params=params)
    return [report_of(record) for record in records_from_arrow(table.to_arrow_table())]


def _stored_members(
    con: duckdb.DuckDBPyConnection, fresh: list[EventReport]
) -> tuple[list[tuple[EventReport, str]], list[tuple[str, str]]]:
    """The stored clusters the fresh reports could meet: their members and their links."""
    window = match_window(fresh)
    undated = any(r.date is None for r in fresh)
    meets = []
    params: list[object] = []
    if window is not None:
        meets.append("(c.date_start <= ? AND c.date_end >= ?)")
        params += [window[1], window[0]]
    if undated:
        meets.append("c.date_start IS NULL")
    if not meets:
        return [], []
    chosen = f"SELECT c.cluster_id FROM clusters c WHERE {' OR '.join(meets)}"
    table = con.sql(
        f"SELECT {_COLUMNS}, e.cluster_id AS _cluster FROM events e "
        f"WHERE e.cluster_id IN ({chosen})",
        params=params,
    ).to_arrow_table()
    clusters = table.column("_cluster").to_pylist()
    records = records_from_arrow(table.drop_columns(["_cluster"]))
    members = [(report_of(r), str(c)) for r, c in zip(records, clusters, strict=True)]
    stored_links = run(
        con, f"SELECT cluster_id, links FROM clusters WHERE cluster_id IN ({chosen})", params
    )
    links = [(str(a), str(b)) for a, linked in stored_links for b in linked or []]
    return members, links


def update_clusters(con: duckdb.DuckDBPyConnection) -> int:
    """Place every event that has no cluster yet; returns how many were placed."""
    fresh = _reports(con, "e.cluster_id IS NULL", [])
    if not fresh:
        return 0
    members, links = _stored_members(con, fresh)
    index = ClusterIndex.from_members(members, links)
    assignments = index.add(sorted(fresh, key=lambda r: (r.date or dt.date.max, r.event_id)))
    touched = {a.cluster_id for a in assignments}
    touched |= {other for a in assignments for other in a.linked_to}
    touched &= {c.id for c in index.clusters()}
    snapshots = [index.cluster(cid) for cid in sorted(touched)]
    placed = pa.table(
        {
            "event_id": [a.event_id for a in assignments],
            "cluster_id": [a.cluster_id for a in assignments],
        }
    )
    rows = pa.table(
        {
            "cluster_id": [c.id for c in snapshots],
            "canonical_id": [c.canonical_id for c in snapshots],
            "event": [c.event for c in snapshots],
            "kind": [c.kind for c in snapshots],
            "num_sources": pa.array([c.num_sources for c in snapshots], pa.int32()),
            "num_articles": pa.array([c.num_articles for c in snapshots], pa.int32()),
            "num_events": pa.array([len(c.member_ids) for c in snapshots], pa.int32()),
            "date_start": pa.array([c.date_start for c in snapshots], pa.date32()),
            "date_end": pa.array([c.date_end for c in snapshots], pa.date32()),
            "links": pa.array([list(c.links) for c in snapshots], pa.list_(pa.string())),
        }
    )
    con.register("_placed", placed)
    con.register("_snapshots", rows)
    try:
        run(con, "BEGIN TRANSACTION")
        run(
            con,
            "UPDATE events SET cluster_id = p.cluster_id FROM _placed p "
            "WHERE events.id = p.event_id AND events.cluster_id IS NULL",
        )
        run(con, "DELETE FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM _snapshots)")
        run(con, "INSERT INTO clusters SELECT * FROM _snapshots")
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    finally:
        con.unregister("_placed")
        con.unregister("_snapshots")
    return len(assignments)


@dataclass(frozen=True)
class StoredCluster:
    id: str
    canonical: EventRecord
    members: list[EventRecord]  # every report, by date then id
    num_sources: int
    num_articles: int


@dataclass(frozen=True)
class StoredClusters:
    clusters: list[StoredCluster]
    links: list[tuple[str, str]]  # among these clusters
    placed: frozenset[str]  # the asked-for event ids that have a stored cluster


def stored_clusters(con: duckdb.DuckDBPyConnection, event_ids: list[str]) -> StoredClusters:
    """The stored clusters of `event_ids`, each with all its members (not only those asked
    for), and the links among them."""
    info = cluster_rows(con, event_ids)
    ids = sorted({str(row["id"]) for row in info.values()})
    if not ids:
        return StoredClusters([], [], frozenset())
    table = con.sql(
        f"SELECT {_COLUMNS}, e.cluster_id AS _cluster FROM events e "
        "WHERE list_contains(?::VARCHAR[], e.cluster_id) ORDER BY e.event_day NULLS LAST, e.id",
        params=[ids],
    ).to_arrow_table()
    owners = table.column("_cluster").to_pylist()
    members: dict[str, list[EventRecord]] = {}
    for owner, record in zip(
        owners, records_from_arrow(table.drop_columns(["_cluster"])), strict=True
    ):
        members.setdefault(str(owner), []).append(record)
    rows = run(
        con,
        "SELECT cluster_id, canonical_id, num_sources, num_articles, links FROM clusters "
        "WHERE list_contains(?::VARCHAR[], cluster_id) ORDER BY cluster_id",
        [ids],
    )
    clusters = []
    links = []
    for cluster_id, canonical_id, sources, articles, linked in rows:
        group = members.get(str(cluster_id), [])
        canonical = next((m for m in group if m.id == canonical_id), None)
        if canonical is None:  # cannot happen in a consistent store; never cite nothing
            continue
        clusters.append(
            StoredCluster(str(cluster_id), canonical, group, int(sources), int(articles))
        )
        links += [(str(cluster_id), str(other)) for other in linked or [] if other in ids]
    return StoredClusters(clusters, links, frozenset(info))


def cluster_rows(
    con: duckdb.DuckDBPyConnection, event_ids: Iterable[str]
) -> dict[str, dict[str, object]]:
    """For each event id, its cluster: id, canonical event, num_sources, num_articles, events."""
    rows = run(
        con,
        "SELECT e.id, c.cluster_id, c.canonical_id, c.num_sources, c.num_articles, c.num_events "
        "FROM events e JOIN clusters c ON c.cluster_id = e.cluster_id "
        "WHERE list_contains(?::VARCHAR[], e.id)",
        [list(event_ids)],
    )
    return {
        event_id: {
            "id": cluster_id,
            "canonical": canonical,
            "num_sources": int(sources),
            "num_articles": int(articles),
            "num_events": int(events),
        }
        for event_id, cluster_id, canonical, sources, articles, events in rows
    }
