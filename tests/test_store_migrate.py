"""Schema 2: a version-1 database is migrated (flat columns added and backfilled), the flat
match keys are exact, batches are stored in date order, and panels' periods match date_trunc."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from communique.records import Entity
from communique.store import EventFilter, open_store, schema
from communique.store.aggregate import PERIOD_SQL
from communique.store.schema import DERIVED_COLUMNS, RECORD_FIELDS
from test_store_fixtures import FixedCoder, make_document, record
from test_store_query import RECORDS

DERIVED = [name for name, _, _ in DERIVED_COLUMNS]
FILTERS = [
    EventFilter(),
    EventFilter(status=("all",)),
    EventFilter(actor="USA"),
    EventFilter(actor="united states"),
    EventFilter(actor="usa"),
    EventFilter(recipient="hamas"),
    EventFilter(actor="USA", recipient="IRN", status=("all",)),
    EventFilter(country=("IRN", "QAT")),
    EventFilter(since="2024-01", until="2024-02"),
    EventFilter(limit=3),
]


def _v1_store(path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database made by schema 1 only, holding the events, entities and documents of
    `source` (copied column by column, as a version-1 communique wrote them)."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patch.setattr(schema, "SCHEMA_VERSION", 1)
        open_store(path).close()
    con = duckdb.connect(str(path))
    try:
        columns = [row[0] for row in con.execute("DESCRIBE events").fetchall()]
        assert not set(DERIVED) & set(columns)
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        listed = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO events SELECT {listed} FROM src.events")
        kept = [row[0] for row in con.execute("DESCRIBE entities").fetchall()]
        named = ", ".join(f'"{c}"' for c in kept)
        con.execute(f"INSERT INTO entities SELECT {named} FROM src.entities")
        con.execute("INSERT INTO documents SELECT * FROM src.documents")
        con.execute("DETACH src")
    finally:
        con.close()


def test_version_1_database_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = tmp_path / "fresh.duckdb"
    with open_store(fresh) as store:
        store.ingest([make_document(1)], FixedCoder(RECORDS))
    old = tmp_path / "old.duckdb"
    _v1_store(old, fresh, monkeypatch)

    with open_store(old) as migrated, open_store(fresh) as current:
        meta = dict(migrated.con.execute("SELECT key, value FROM communique_meta").fetchall())
        assert meta["schema_version"] == str(schema.SCHEMA_VERSION) == "5"
        versions = migrated.con.execute("SELECT version FROM schema_versions ORDER BY 1")
        assert versions.fetchall() == [(1,), (2,), (3,), (4,), (5,)]
        derived = ", ".join(f'"{name}"' for name in DERIVED)
        sql = f"SELECT id, {derived} FROM events ORDER BY id"
        backfilled = migrated.con.execute(sql).fetchall()
        assert backfilled == current.con.execute(sql).fetchall()
        assert all(row[3] is not None for row in backfilled)  # every actor key filled in
        for flt in FILTERS:
            assert migrated.query_arrow(flt).equals(current.query_arrow(flt)), flt
        for by in ("dyad", "actor", "recipient", "country"):
            assert migrated.aggregate(by=by, freq="month").equals(
                current.aggregate(by=by, freq="month")
            )


def test_match_keys_are_exact(tmp_path: Path) -> None:
    odd = Entity("A;b\x1fC\\d", "X\x1fY", "GOV", identifier_text="Back\\slash")
    records = [
        record("odd", actor=[odd]),
        record("x", actor=[Entity("Someone", "X", "GOV")]),
        record("y", actor=[Entity("Other", "Y", "GOV")]),
        record("none", actor=[]),
        record("nulls", actor=[Entity(None, None, None)]),  # type: ignore[arg-type]
    ]
    with open_store(tmp_path / "k.duckdb") as store:
        store.ingest([make_document(1)], FixedCoder(records))

        def ids(**kwargs: object) -> list[str]:
            return sorted(r.id for r in store.query(EventFilter(**kwargs)))  # type: ignore[arg-type]

        assert ids(actor="X\x1fY") == ["odd"]
        assert ids(actor="X") == ["x"] and ids(actor="Y") == ["y"]
        assert ids(actor="a;B\x1fc\\D") == ["odd"]  # a name, any case, separator inside
        assert ids(actor="back\\SLASH") == ["odd"]
        assert ids(actor="back") == [] and ids(actor="C\\d") == [] and ids(actor="b") == []
        assert ids(actor="someone") == ["x"] and ids(actor="Someone") == ["x"]
        assert ids(actor="x") == []  # a code matches exactly, not ignoring case
        assert ids(actor="GOV") == []


def test_batches_are_stored_in_date_order(tmp_path: Path) -> None:
    dates = ["2024-03-01", None, "2023-05", "2024-01-02", "2022", "2024-01-02"]
    records = [record(f"r{i}", date=d) for i, d in enumerate(dates)]
    with open_store(tmp_path / "o.duckdb") as store:
        store.ingest([make_document(1)], FixedCoder(records))
        rows = store.con.execute("SELECT id FROM events ORDER BY event_seq").fetchall()
        assert [r[0] for r in rows] == ["r4", "r2", "r3", "r5", "r0", "r1"]  # stable, undated last
        got = [r.id for r in store.query(EventFilter())]
        assert got == ["r4", "r2", "r3", "r5", "r0", "r1"]
        assert [r.id for r in store.query(EventFilter(limit=2))] == ["r4", "r2"]
        assert store.query(EventFilter(limit=0)) == []
        assert store.query_arrow(EventFilter(limit=0)).column_names == list(RECORD_FIELDS)


@pytest.mark.parametrize("freq", ["day", "week", "month", "year"])
def test_period_arithmetic_matches_date_trunc(freq: str) -> None:
    con = duckdb.connect()
    period = PERIOD_SQL[freq]
    (bad,) = con.execute(
        f"SELECT count(*) FROM (SELECT d::DATE AS event_day FROM range(DATE '1899-12-01', "
        f"DATE '2031-02-01', INTERVAL 1 DAY) t(d)) e "
        f"WHERE {period} <> date_trunc('{freq}', e.event_day)::DATE"
    ).fetchone()  # type: ignore[misc]
    assert bad == 0


_OLD_ENTITY = (
    "STRUCT(entity_text VARCHAR, code VARCHAR, sector VARCHAR, office VARCHAR, "
    "identifier_text VARCHAR, identifier_id VARCHAR)"
)


def _old_entity(sql: str) -> str:
    fields = ("entity_text", "code", "sector", "office", "identifier_text", "identifier_id")
    packed = ", ".join(f"{name} := {sql}.{name}" for name in fields)
    return f"CASE WHEN {sql} IS NULL THEN NULL ELSE struct_pack({packed}) END"


def test_version_4_entities_learn_whether_they_were_inferred(tmp_path: Path) -> None:
    """A schema-4 store (entities without `inferred`) opens as schema 5: every stored entity
    reads back as not inferred, and nothing else changes."""
    path = tmp_path / "v4.duckdb"
    inferred = Entity("police", "PAK", "COP", inferred=True)
    records = [record("a", actor=[inferred], recipient=[Entity("Two men", "PAK")])]
    with open_store(path) as store:
        store.ingest([make_document(1)], FixedCoder(records))
        before = [r.to_dict() for r in store.query(EventFilter(status=("all",)))]
    assert before[0]["actor"][0]["inferred"] is True
    con = duckdb.connect(str(path))  # back to how schema 4 stored entities
    try:
        for column in ("actor", "recipient"):
            con.execute(
                f'ALTER TABLE events ALTER "{column}" SET DATA TYPE {_OLD_ENTITY}[] USING '
                f'list_transform("{column}", lambda x: {_old_entity("x")})'
            )
        con.execute(
            f"ALTER TABLE events ALTER attribution SET DATA TYPE STRUCT(speaker {_OLD_ENTITY}, "
            "cue VARCHAR, quote VARCHAR) USING CASE WHEN attribution IS NULL THEN NULL ELSE "
            f"struct_pack(speaker := {_old_entity('attribution.speaker')}, "
            "cue := attribution.cue, quote := attribution.quote) END"
        )
        con.execute("ALTER TABLE entities DROP COLUMN inferred")
        con.execute("DELETE FROM schema_versions WHERE version = 5")
        con.execute("UPDATE communique_meta SET value = '4' WHERE key = 'schema_version'")
    finally:
        con.close()
    with open_store(path) as migrated:
        after = [r.to_dict() for r in migrated.query(EventFilter(status=("all",)))]
        stored = migrated.con.execute("SELECT DISTINCT inferred FROM entities").fetchall()
    assert after[0]["actor"][0]["inferred"] is False  # schema 4 could not say: not inferred
    for entity in after[0]["actor"]:
        entity["inferred"] = True
    assert after == before
    assert stored == [(False,)]
