"""The store's tables, their migrations, and the check that a file is a communique database.

Tables (DuckDB types; lists and objects are LIST and STRUCT, never JSON strings):

- `communique_meta(key, value)`: `application` = "communique" and `schema_version`; a DuckDB file
  without it is not ours and is refused.
- `schema_versions(version, description, applied_at)`: one row per migration applied.
- `documents`: one row per stored input document (or skip), keyed by `doc_key` (the content
  hash; for a skip with no text, a hash of its id and origin). The text is kept so `recode`
  needs no input files.
- `events`: one row per `EventRecord`, every field of the record, plus `event_seq` (a BIGINT
  in storage order, the join key), `doc_key`, `event_day` (the event date as DATE, for ranges
  and panels), `coder_version` and `coded_at`.
- `entities`: one row per actor or recipient entity of each event (`event_seq`, `event_id`),
  with its `role` and `position` in the record's list.
- Flat columns on `events` (schema 2), derived from the record when it is written, so filters
  and panels read narrow columns instead of nested lists or joins: `actor_codes` and
  `recipient_codes` (each event's distinct entity codes, sorted), `actor_key` and
  `recipient_key` (every code and lower-cased name or alias of the role as one delimited
  string, matched with `contains`; see `match_needle`), and `country_code`
  (`event_loc.country_code`).
- `clusters` (schema 4): one row per real-world event (`communique.store.clusters`), and
  `events.cluster_id`, the cluster each event belongs to (NULL until `update_clusters` runs).
- Entities (schema 5), in the records' lists and in `entities`, carry `inferred`: the coder
  supplied the party, the text names none (`Entity.inferred`; NULL, read as false, in events
  stored before).

Migrations run in one transaction each; a database written by a newer schema version is refused
with a `StoreError` rather than read wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from communique.errors import StoreError

APPLICATION = "communique"
SCHEMA_VERSION = 5

_ENTITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("entity_text", "VARCHAR"),
    ("code", "VARCHAR"),
    ("sector", "VARCHAR"),
    ("office", "VARCHAR"),
    ("identifier_text", "VARCHAR"),
    ("identifier_id", "VARCHAR"),
    ("inferred", "BOOLEAN"),  # schema 5
)
ENTITY_TYPE = "STRUCT(" + ", ".join(f"{name} {kind}" for name, kind in _ENTITY_FIELDS) + ")"
SPAN_TYPE = 'STRUCT("sequence" BIGINT, "start" BIGINT, "end" BIGINT)'
LOCATION_TYPE = (
    "STRUCT(extracted_place VARCHAR, resolved_place VARCHAR, geonameid BIGINT, lat DOUBLE, "
    "lon DOUBLE, country_code VARCHAR, feature_code VARCHAR, resolution VARCHAR, basis VARCHAR)"
)
CITE_TYPE = (
    "STRUCT(url VARCHAR, title VARCHAR, publication VARCHAR, language VARCHAR, "
    "publication_date VARCHAR, codebook VARCHAR, coder VARCHAR, version VARCHAR, "
    "schema_version VARCHAR)"
)
METADATA_TYPE = "STRUCT(date VARCHAR, url VARCHAR, title VARCHAR, source VARCHAR, origin VARCHAR)"

# The record's fields, in EventRecord order, with their column types.
RECORD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR NOT NULL"),
    ("doc_id", "VARCHAR NOT NULL"),
    ("event", "VARCHAR NOT NULL"),
    ("quad_code", "INTEGER NOT NULL"),
    ("mode", "VARCHAR"),
    ("context", "VARCHAR[]"),
    ("cameo", "VARCHAR"),
    ("status", "VARCHAR NOT NULL"),
    ("planned", "STRUCT(event VARCHAR, mode VARCHAR)"),
    ("actor", f"{ENTITY_TYPE}[]"),
    ("recipient", f"{ENTITY_TYPE}[]"),
    ("date", "VARCHAR"),
    ("enddate", "VARCHAR"),
    ("date_precision", "VARCHAR"),
    ("event_loc", LOCATION_TYPE),
    ("event_text", "VARCHAR"),
    ("text", "VARCHAR"),
    ("text_info", SPAN_TYPE),
    ("mentions", f"{SPAN_TYPE}[]"),
    ("attribution", f"STRUCT(speaker {ENTITY_TYPE}, cue VARCHAR, quote VARCHAR)"),
    ("cite_info", CITE_TYPE),
    ("confidence", "DOUBLE"),
)
RECORD_FIELDS: tuple[str, ...] = tuple(name for name, _ in RECORD_COLUMNS)

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_key", "VARCHAR NOT NULL"),
    ("id", "VARCHAR NOT NULL"),
    ("text", "VARCHAR"),
    ("metadata", METADATA_TYPE),
    ("content_hash", "VARCHAR"),
    ("language", "VARCHAR"),
    ("skip_reason", "VARCHAR"),
    ("skip_detail", "VARCHAR"),
    ("n_events", "INTEGER NOT NULL"),
    ("coder_version", "VARCHAR NOT NULL"),
    ("coded_at", "TIMESTAMP NOT NULL"),
)

_EVENT_EXTRA: tuple[tuple[str, str], ...] = (
    ("event_seq", "BIGINT NOT NULL"),  # storage order, 1, 2, ...: the cheap join key
    ("doc_key", "VARCHAR NOT NULL"),
    ("event_day", "DATE"),
    ("coder_version", "VARCHAR NOT NULL"),
    ("coded_at", "TIMESTAMP NOT NULL"),
)


# The key columns: one item per code ("C" + code) and per name or alias ("N" + lower-cased
# text), each escaped so that it holds no separator (backslash doubled, the separator written as
# backslash-underscore), joined and wrapped in the separator. An item is in the key iff
# separator + item + separator is a substring of it; no list functions are needed to match.
KEY_SEPARATOR = "chr(31)"


def _escaped(sql: str) -> str:
    return f"replace(replace({sql}, '\\', '\\\\'), chr(31), '\\_')"


def key_sql(role: str) -> str:
    """SQL over the record's `role` list: its match key (see `match_needle`)."""
    items = (
        f"concat_ws({KEY_SEPARATOR}, 'C' || {_escaped('x.code')}, "
        f"'N' || {_escaped('lower(x.entity_text)')}, "
        f"'N' || {_escaped('lower(x.identifier_text)')})"
    )
    return (
        f"{KEY_SEPARATOR} || array_to_string(list_transform({role}, lambda x: {items}), "
        f"{KEY_SEPARATOR}) || {KEY_SEPARATOR}"
    )


def codes_sql(role: str) -> str:
    """SQL over the record's `role` list: its distinct non-null codes, sorted (the common
    single-entity list without the list functions)."""
    return (
        f"CASE WHEN len({role}) = 1 AND {role}[1].code IS NOT NULL THEN [{role}[1].code] "
        f"ELSE list_sort(list_distinct(list_transform({role}, lambda x: x.code))) END"
    )


def match_needle(kind: str) -> str:
    """SQL for the key item of one `?` parameter: kind "C" (a code, exact) or "N" (a name,
    any case). `contains(key, needle)` is exact: escaped items hold no separator."""
    value = "?" if kind == "C" else "lower(?)"
    return f"{KEY_SEPARATOR} || '{kind}' || {_escaped(value)} || {KEY_SEPARATOR}"


def surname_needle() -> str:
    """SQL for the key item of one `?` parameter read as the last word of a name: "orban"
    finds "Viktor Orban"."""
    return f"' ' || {_escaped('lower(?)')} || {KEY_SEPARATOR}"


# Flat columns derived from the record (name, type, SQL over the record's columns).
DERIVED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("actor_codes", "VARCHAR[]", codes_sql("actor")),
    ("recipient_codes", "VARCHAR[]", codes_sql("recipient")),
    ("actor_key", "VARCHAR", key_sql("actor")),
    ("recipient_key", "VARCHAR", key_sql("recipient")),
    ("country_code", "VARCHAR", "event_loc.country_code"),
)


def _table(name: str, columns: tuple[tuple[str, str], ...]) -> str:
    body = ",\n  ".join(f'"{column}" {kind}' for column, kind in columns)
    return f"CREATE TABLE {name} (\n  {body}\n)"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, events and entities",
        (
            _table("documents", DOCUMENT_COLUMNS),
            _table("events", RECORD_COLUMNS + _EVENT_EXTRA),
            _table(
                "entities",
                (
                    ("event_seq", "BIGINT NOT NULL"),  # events.event_seq
                    ("event_id", "VARCHAR NOT NULL"),
                    ("doc_key", "VARCHAR NOT NULL"),
                    ("role", "VARCHAR NOT NULL"),  # actor or recipient
                    ("position", "INTEGER NOT NULL"),  # 1-based place in the record's list
                    *_ENTITY_FIELDS[:-1],  # `inferred` comes with schema 5
                ),
            ),
        ),
    ),
    Migration(
        2,
        "flat filter columns on events: entity codes, match keys, country",
        (
            *(
                f'ALTER TABLE events ADD COLUMN "{name}" {kind}'
                for name, kind, _ in DERIVED_COLUMNS
            ),
            "UPDATE events SET "
            + ", ".join(f'"{name}" = {sql}' for name, _, sql in DERIVED_COLUMNS),
        ),
    ),
    Migration(
        3,
        "document copies: the same text met again under another id",
        (
            "CREATE TABLE document_copies (doc_key VARCHAR NOT NULL, id VARCHAR NOT NULL, "
            "origin VARCHAR, seen_at TIMESTAMP WITH TIME ZONE)",
        ),
    ),
    Migration(
        4,
        "event clusters across documents (communique.store.clusters)",
        (
            "ALTER TABLE events ADD COLUMN cluster_id VARCHAR",
            "CREATE TABLE clusters (cluster_id VARCHAR PRIMARY KEY, canonical_id VARCHAR NOT "
            "NULL, event VARCHAR NOT NULL, kind VARCHAR NOT NULL, num_sources INTEGER NOT NULL, "
            "num_articles INTEGER NOT NULL, num_events INTEGER NOT NULL, date_start DATE, "
            "date_end DATE, links VARCHAR[])",
        ),
    ),
    Migration(
        5,
        "entities say whether the coder inferred them (Entity.inferred)",
        (
            # A plain cast adds the field as NULL (read as not inferred): no functions, so a
            # write-ahead log that holds this migration replays without extensions.
            f'ALTER TABLE events ALTER "actor" SET DATA TYPE {ENTITY_TYPE}[]',
            f'ALTER TABLE events ALTER "recipient" SET DATA TYPE {ENTITY_TYPE}[]',
            'ALTER TABLE events ALTER "attribution" SET DATA TYPE '
            f"STRUCT(speaker {ENTITY_TYPE}, cue VARCHAR, quote VARCHAR)",
            "ALTER TABLE entities ADD COLUMN inferred BOOLEAN",
            "UPDATE entities SET inferred = false",
        ),
    ),
)
assert MIGRATIONS[-1].version == SCHEMA_VERSION


def run(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[tuple[Any, ...]]:
    """Execute one statement and fetch its whole result, leaving the connection free."""
    return con.execute(sql, params or []).fetchall()


def user_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = run(con, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
    return {str(row[0]) for row in rows}


def stored_version(con: duckdb.DuckDBPyConnection, path: str) -> int | None:
    """The schema version of an existing database; None for a new, empty one.

    Raises `StoreError` for a DuckDB file that holds tables but is not a communique database.
    """
    tables = user_tables(con)
    if not tables:
        return None
    if "communique_meta" not in tables:
        raise StoreError(
            f"{path} is a DuckDB database but not a communique event store (it has no "
            f"communique_meta table); pass --db with another file, or a new file name"
        )
    meta = dict(run(con, "SELECT key, value FROM communique_meta"))
    if meta.get("application") != APPLICATION or "schema_version" not in meta:
        raise StoreError(f"{path} is not a communique event store (its metadata is not ours)")
    try:
        return int(meta["schema_version"])
    except ValueError:
        raise StoreError(
            f"{path}: schema version {meta['schema_version']!r} is not a number; "
            "the file is damaged or not ours"
        ) from None


def check_schema(con: duckdb.DuckDBPyConnection, path: str) -> int:
    """The version of a store opened read-only, which must be current: nothing can migrate it."""
    version = stored_version(con, path)
    if version is None:
        raise StoreError(f"{path} holds no events yet; run `communique ingest` first")
    if version != SCHEMA_VERSION:
        newer = version > SCHEMA_VERSION
        raise StoreError(
            f"{path} has store schema {version} and this communique reads {SCHEMA_VERSION}; "
            + (
                "upgrade communique to read it"
                if newer
                else f"run `communique events --db {path} --limit 0` once to upgrade it"
            )
        )
    return version


def ensure_schema(con: duckdb.DuckDBPyConnection, path: str, *, create: bool) -> int:
    """Create or migrate the schema as needed; return the version now in force."""
    version = stored_version(con, path)
    if version is None:
        if not create:
            raise StoreError(f"{path} holds no events yet; run `communique ingest` first")
        version = 0
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer communique (store schema {version}; this one "
            f"reads up to {SCHEMA_VERSION}); upgrade communique to read it"
        )
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        _apply(con, migration, first=version == 0)
        version = migration.version
    return version


def _apply(con: duckdb.DuckDBPyConnection, migration: Migration, *, first: bool) -> None:
    run(con, "BEGIN TRANSACTION")
    try:
        if first:
            run(con, "CREATE TABLE communique_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            run(
                con,
                "CREATE TABLE schema_versions (version INTEGER, description VARCHAR, "
                "applied_at TIMESTAMP)",
            )
            run(
                con,
                "INSERT INTO communique_meta VALUES ('application', ?), ('schema_version', '0')",
                [APPLICATION],
            )
        for statement in migration.statements:
            run(con, statement)
        run(
            con,
            "INSERT INTO schema_versions VALUES (?, ?, current_timestamp::TIMESTAMP)",
            [migration.version, migration.description],
        )
        run(
            con,
            "UPDATE communique_meta SET value = ? WHERE key = 'schema_version'",
            [str(migration.version)],
        )
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
