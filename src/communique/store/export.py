"""Exports of the filtered events: PLOVER JSONL, POLECAT TSV, GDELT 2.0 TSV, JSONL, CSV, Parquet.

- `jsonl`: the native record, one `EventRecord.to_dict()` per line (lossless).
- `plover`: strict PLOVER JSONL: only the manual's field names, communique's extras (status,
  CAMEO code) folded into `comment`.
- `polecat`: POLECAT's 40 tab-separated columns with their header, in POLECAT's order.
- `gdelt`: GDELT 2.0's 61-column event layout, tab-separated, no header: one row per event,
  Actor1 its first actor, Actor2 its first recipient.
- `csv`, `parquet`: one flat row per event (`FLAT_COLUMNS`); lists of entity fields are lists in
  Parquet and ";"-joined in CSV; coordinates are `latitude` and `longitude`.

CAMEO codes are strings everywhere. Unknown values are empty cells, never "None".
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from communique.errors import InputError
from communique.formats import plover_dict
from communique.store.codes import (
    cameo_parts,
    country_name,
    cow_code,
    fips_code,
    goldstein,
    is_country,
)
from communique.store.query import EventFilter, select_sql
from communique.store.schema import RECORD_FIELDS

FORMATS: tuple[str, ...] = ("plover", "polecat", "gdelt", "jsonl", "csv", "parquet")

POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors",
    "Actor Title", "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector",
    "Recipient Sectors", "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude",
    "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date",
    "Story People", "Story Organizations", "Story Locations", "Language", "Version",
)  # fmt: skip

# GDELT 2.0 event table columns, in file order: "The GDELT Event Database Data Format Codebook
# V2.0" (2/19/2015), the same 61 names as GDELT's published header row for 2.0 event files.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
assert len(POLECAT_COLUMNS) == 40 and len(GDELT_COLUMNS) == 61

_LIST_FIELDS = (
    "code", "sector", "entity_text", "identifier_text", "identifier_id", "office", "inferred",
)  # fmt: skip
_LIST_NAMES = ("code", "sector", "text", "name", "id", "office", "inferred")

# One flat row per event for CSV and Parquet: (column name, SQL over alias e).
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "e.id"),
    ("doc_id", "e.doc_id"),
    ("date", "e.date"),
    ("enddate", "e.enddate"),
    ("date_precision", "e.date_precision"),
    ("event", "e.event"),
    ("mode", "e.mode"),
    ("quad_code", "e.quad_code"),
    ("context", "e.context"),
    ("cameo", "e.cameo"),
    ("status", "e.status"),
    ("planned_event", "e.planned.event"),
    ("planned_mode", "e.planned.mode"),
    *(
        (f"{role}_{name}", f"list_transform(e.{role}, lambda x: x.{field})")
        for role in ("actor", "recipient")
        for field, name in zip(_LIST_FIELDS, _LIST_NAMES, strict=True)
    ),
    ("place", "coalesce(e.event_loc.resolved_place, e.event_loc.extracted_place)"),
    ("raw_place", "e.event_loc.extracted_place"),
    ("geonameid", "e.event_loc.geonameid"),
    ("latitude", "e.event_loc.lat"),
    ("longitude", "e.event_loc.lon"),
    ("country_code", "e.event_loc.country_code"),
    ("feature_code", "e.event_loc.feature_code"),
    ("place_resolution", "e.event_loc.resolution"),
    ("event_text", "e.event_text"),
    ("text", "e.text"),
    ("sentence", "e.text_info.sequence"),
    ("start", "e.text_info.start"),
    ("end", 'e.text_info."end"'),
    ("mentions", "len(e.mentions)"),
    ("speaker", "e.attribution.speaker.entity_text"),
    ("speaker_code", "e.attribution.speaker.code"),
    ("cue", "e.attribution.cue"),
    ("quote", "e.attribution.quote"),
    ("url", "e.cite_info.url"),
    ("title", "e.cite_info.title"),
    ("publication", "e.cite_info.publication"),
    ("publication_date", "e.cite_info.publication_date"),
    ("language", "e.cite_info.language"),
    ("coder_version", "e.cite_info.version"),
    ("confidence", "e.confidence"),
)

_BATCH = 10_000


def _cell(value: Any) -> str:
    """A TSV cell: empty for unknown, no tabs or line breaks inside."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _join(values: list[Any]) -> str:
    return ";".join(_cell(v) for v in values if v not in (None, ""))


def _rows(
    con: duckdb.DuckDBPyConnection, flt: EventFilter, columns: str
) -> Iterator[dict[str, Any]]:
    sql, params = select_sql(flt, columns)
    reader = con.sql(sql, params=params).to_arrow_reader(_BATCH)
    for batch in reader:
        yield from batch.to_pylist()


def _record_rows(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> Iterator[dict[str, Any]]:
    columns = ", ".join(f'e."{name}"' for name in RECORD_FIELDS) + ", e.coded_at"
    return _rows(con, flt, columns)


def _entity_name(entity: dict[str, Any]) -> str | None:
    name = entity.get("identifier_text") or entity.get("entity_text")
    return str(name) if name else None


def _day(value: str | None) -> str:
    """YYYY-MM-DD of a record date; empty when it has no full date."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return ""


# -- PLOVER ------------------------------------------------------------------------------


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row -> a strict PLOVER 2.0 JSON object (the manual's field names only)."""
    coded_at = row.get("coded_at")
    return plover_dict(row, coded_date=coded_at.date().isoformat() if coded_at else None)


# -- POLECAT -----------------------------------------------------------------------------


# POLECAT writes a missing actor or recipient as the word None; the clients that read the files
# by position skip it (an empty cell would become one node shared by every unknown party).
POLECAT_MISSING = "None"
# Statuses POLECAT has no column for: such events are left out of the export unless the filter
# asks for them by name (`--status negated`), and counted.
POLECAT_LEFT_OUT = frozenset({"negated", "hypothetical"})


def polecat_name(entity: dict[str, Any]) -> str:
    """The resolved name POLECAT's Actor Name holds: the canonical name, else a label of the
    country (or body) and sector ("Russia GOV", "NGO"), never a raw phrase ("at least 12
    people")."""
    if entity.get("identifier_text"):
        return str(entity["identifier_text"])
    code, sector = entity.get("code"), entity.get("sector")
    label = [country_name(code) or code if code else None, sector]
    return " ".join(str(part) for part in label if part) or POLECAT_MISSING


def _polecat_side(entities: list[dict[str, Any]]) -> list[str]:
    if not entities:
        return [POLECAT_MISSING] + [""] * 7
    codes = [e.get("code") for e in entities]
    countries = [c for c in codes if is_country(c)]
    cows = [cow_code(c) for c in countries]
    sectors = [e.get("sector") for e in entities]
    return [
        _join([polecat_name(e) for e in entities]),
        _join(countries),
        _join(cows),
        _cell(next((s for s in sectors if s), None)),
        _join(sectors),
        _join([e.get("office") for e in entities]),
        _join([e.get("entity_text") for e in entities]),
        _join([e.get("identifier_id") for e in entities]),
    ]


def polecat_row(row: dict[str, Any]) -> list[str]:
    """A stored row -> the 40 POLECAT cells, in `POLECAT_COLUMNS` order."""
    loc = row.get("event_loc") or {}
    cite = row.get("cite_info") or {}
    feature = loc.get("feature_code") or ""
    resolution = loc.get("resolution") or ""
    place = loc.get("resolved_place") or loc.get("extracted_place")
    city = place if resolution == "city" or feature.startswith("PPL") else None
    province = place if resolution == "region" or feature == "ADM1" else None
    intensity = goldstein(row.get("cameo"))
    return [
        _cell(row["id"]),
        _day(row.get("date")),
        _cell(row["event"]),
        _cell(row.get("mode")),
        _cell(intensity),
        _cell(row["quad_code"]),
        _join(list(row.get("context") or [])),
        *_polecat_side(row.get("actor") or []),
        *_polecat_side(row.get("recipient") or []),
        _cell(place),
        _cell(city),
        "",  # District: the gazetteer gives no admin-2 level
        _cell(province),
        _cell(loc.get("country_code")),
        _cell(loc.get("lat")),
        _cell(loc.get("lon")),
        _cell(loc.get("geonameid")),
        _cell(loc.get("extracted_place")),
        _cell(feature or None),
        _cell(cite.get("publication")),
        _day(cite.get("publication_date")),
        "",  # Story People, Organizations, Locations: document-level NER is not stored
        "",
        "",
        _cell(cite.get("language")),
        _cell(cite.get("version")),
    ]


# -- GDELT -------------------------------------------------------------------------------


def gdelt_event_id(event_id: str) -> int:
    """A stable non-negative 63-bit integer from the event id (GLOBALEVENTID)."""
    digest = hashlib.sha256(event_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") & ((1 << 63) - 1)


def _gdelt_actor(entities: list[dict[str, Any]]) -> list[str]:
    if not entities:
        return [""] * 10
    first = entities[0]
    code, sector = first.get("code") or "", first.get("sector") or ""
    name = _entity_name(first)
    return [
        code + sector,
        name.upper() if name else "",
        code if is_country(code) else "",
        code if code and not is_country(code) else "",
        "",
        "",
        "",
        sector,
        "",
        "",
    ]


def _geo_type(loc: dict[str, Any]) -> str:
    """GDELT's geo type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""
    feature = loc.get("feature_code") or ""
    resolution = loc.get("resolution") or ""
    us = loc.get("country_code") == "USA"
    if feature.startswith("PCL") or resolution == "country":
        return "1"
    if feature.startswith("ADM") or resolution == "region":
        return "2" if us else "5"
    if loc.get("lat") is None:
        return "1" if loc.get("country_code") else ""
    return "3" if us else "4"


def gdelt_row(row: dict[str, Any]) -> list[str]:
    """A stored row -> the 61 GDELT 2.0 cells, in `GDELT_COLUMNS` order."""
    day = _day(row.get("date"))
    if day:
        date = dt.date.fromisoformat(day)
        dates = [
            date.strftime("%Y%m%d"),
            date.strftime("%Y%m"),
            str(date.year),
            f"{date.year + (date.month * 30 + date.day) / 365:.4f}",
        ]
    else:
        dates = ["", "", "", ""]
    code, base, root = cameo_parts(row.get("cameo"))
    score = goldstein(code)
    info = row.get("text_info") or {}
    loc = row.get("event_loc")
    cite = row.get("cite_info") or {}
    coded_at = row.get("coded_at")
    action_geo = (
        [
            _geo_type(loc),
            _cell(loc.get("resolved_place") or loc.get("extracted_place")),
            _cell(fips_code(loc.get("country_code"))),  # GDELT's geography speaks FIPS 10-4
            _cell(fips_code(loc.get("country_code"))),  # ADM1: the country where no finer code
            "",
            _cell(loc.get("lat")),
            _cell(loc.get("lon")),
            _cell(loc.get("geonameid")),
        ]
        if loc
        else [""] * 8
    )
    return [
        str(gdelt_event_id(row["id"])),
        *dates,
        *_gdelt_actor(row.get("actor") or []),
        *_gdelt_actor(row.get("recipient") or []),
        "1" if info.get("sequence") == 0 else "0",
        code,
        base,
        root,
        _cell(row["quad_code"]),
        _cell(score),
        str(1 + len(row.get("mentions") or [])),
        "1",
        "1",
        "0.0",  # AvgTone: tone is not measured; 0.0 (neutral), as docs/exports.md says
        *([""] * 16),  # Actor1Geo_* and Actor2Geo_*: actors are not geolocated
        *action_geo,
        coded_at.strftime("%Y%m%d%H%M%S") if coded_at else "",
        _cell(cite.get("url")),  # SOURCEURL: the document's address, never the outlet's name
    ]


def gdelt_line(row: dict[str, Any]) -> str | None:
    """A GDELT row as a line, or None for an event GDELT cannot hold: one without a date (the
    format requires SQLDATE) or without a CAMEO code and Goldstein value (also required)."""
    if not _day(row.get("date")) or goldstein(row.get("cameo")) is None:
        return None
    return "\t".join(gdelt_row(row))


# -- writers -----------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _write_lines(
    rows: Iterator[dict[str, Any]],
    out: TextIO,
    line: Callable[[dict[str, Any]], str | None],
    left_out: Counter[str] | None = None,
    reason: str = "",
) -> int:
    """Write one line per row; a row whose line is None is left out and counted under
    `reason` in `left_out`."""
    count = 0
    for row in rows:
        text = line(row)
        if text is None:
            if left_out is not None:
                left_out[reason] += 1
            continue
        out.write(text)
        out.write("\n")
        count += 1
    return count


def flat_sql_columns(*, joined: bool) -> str:
    """The SELECT list of the flat layout; with `joined`, lists become ";"-joined strings."""
    parts = []
    for name, expression in FLAT_COLUMNS:
        if joined and (expression.startswith("list_transform") or name == "context"):
            # keep positions (an empty cell for an unknown), so lists stay aligned
            expression = (
                f"CASE WHEN len(list_filter({expression}, "
                "lambda x: coalesce(CAST(x AS VARCHAR), '') <> '')) = 0 "
                f"THEN NULL ELSE array_to_string(list_transform({expression}, "
                "lambda x: coalesce(CAST(x AS VARCHAR), '')), ';') END"
            )
        parts.append(f'{expression} AS "{name}"')
    return ", ".join(parts)


def export_events(
    con: duckdb.DuckDBPyConnection,
    flt: EventFilter,
    fmt: str,
    target: Path | TextIO,
    left_out: Counter[str] | None = None,
) -> int:
    """Write the events that `flt` selects in format `fmt` to a file or text stream.

    Returns the number of events written; events the format cannot hold (a GDELT row needs a
    date) are counted by reason in `left_out`. Parquet needs a file path.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not isinstance(target, Path):
            raise InputError("parquet is binary: give an output file with -o FILE")
        sql, params = select_sql(flt, flat_sql_columns(joined=False))
        reader = con.sql(sql, params=params).to_arrow_reader(_BATCH)
        count = 0
        with pq.ParquetWriter(str(target), reader.schema) as writer:
            for batch in reader:
                writer.write_table(pa.Table.from_batches([batch]))
                count += batch.num_rows
        return count
    with ExitStack() as stack:
        if isinstance(target, Path):
            out: TextIO = stack.enter_context(target.open("w", encoding="utf-8", newline=""))
        else:
            out = target
        return _write_text(con, flt, fmt, out, left_out)


def _write_text(
    con: duckdb.DuckDBPyConnection,
    flt: EventFilter,
    fmt: str,
    out: TextIO,
    left_out: Counter[str] | None = None,
) -> int:
    if fmt == "jsonl":
        return _write_lines(
            _record_rows(con, flt),
            out,
            lambda r: json.dumps(
                {k: r[k] for k in RECORD_FIELDS}, ensure_ascii=False, default=_json_default
            ),
        )
    if fmt == "plover":
        return _write_lines(
            _record_rows(con, flt),
            out,
            lambda r: json.dumps(plover_record(r), ensure_ascii=False, default=_json_default),
        )
    if fmt == "polecat":
        out.write("\t".join(POLECAT_COLUMNS) + "\n")
        asked = set(flt.status)

        def polecat_line(row: dict[str, Any]) -> str | None:
            status = row.get("status")
            if status in POLECAT_LEFT_OUT and status not in asked and "all" not in asked:
                return None
            return "\t".join(polecat_row(row))

        reason = "polecat: negated or hypothetical, which POLECAT cannot mark; --status to keep"
        return _write_lines(_record_rows(con, flt), out, polecat_line, left_out, reason)
    if fmt == "gdelt":
        reason = "gdelt: no date or no CAMEO code (SQLDATE and EventCode are required)"
        return _write_lines(_record_rows(con, flt), out, gdelt_line, left_out, reason)
    # csv
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in FLAT_COLUMNS])
    count = 0
    for row in _rows(con, flt, flat_sql_columns(joined=True)):
        writer.writerow(["" if v is None else v for v in row.values()])
        count += 1
    return count
