"""Exports load back in their formats; aggregates count a small hand-made set right."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from communique.records import PLOVER_TYPES, Entity, EventRecord
from communique.store import EventFilter, Store, open_store
from communique.store.codes import cow_code, goldstein
from communique.store.export import GDELT_COLUMNS, POLECAT_COLUMNS, gdelt_event_id
from test_store_fixtures import FixedCoder, make_document, record

USA = Entity("Washington", "USA", "GOV", identifier_text="United States", identifier_id="Q30")
IRN = Entity("Tehran", "IRN", "GOV", office="foreign ministry")
QAT = Entity("Doha", "QAT")
UN = Entity("the UN", "IGO", identifier_text="United Nations")

RECORDS = [
    record("a", actor=[USA], recipient=[IRN], event="ACCUSE", quad=3, cameo="112",
           date="2024-01-10", country="IRN"),
    record("b", actor=[USA], recipient=[IRN], event="THREATEN", quad=3, cameo="138",
           date="2024-01-25", country="IRN"),
    record("c", actor=[IRN], recipient=[USA, QAT], event="ACCUSE", quad=3, cameo="111",
           date="2024-02-03", country="IRN"),
    record("d", actor=[USA, QAT], recipient=[IRN], event="CONSULT", quad=1, cameo="046",
           date="2024-02-04", country="QAT"),
    record("e", actor=[UN], recipient=[], event="AID", quad=2, cameo="073",
           date="2024-02-28", country="QAT"),
    record("f", actor=[USA], recipient=[IRN], event="ASSAULT", quad=4, cameo="195",
           date="2024-02-10", country="IRN", status="negated"),
    record("g", actor=[IRN], recipient=[USA], event="REJECT", quad=3, cameo=None,
           date=None, country=None, publication=None),
]  # fmt: skip
SHOWN = [r for r in RECORDS if r.status != "negated"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("export") / "events.duckdb"
    with open_store(path) as opened:
        opened.ingest([make_document(1)], FixedCoder(RECORDS))
        yield opened


def export_text(store: Store, fmt: str, flt: EventFilter | None = None) -> str:
    buffer = io.StringIO()
    store.export(flt, fmt, buffer)
    return buffer.getvalue()


def test_jsonl_is_the_native_record(store: Store) -> None:
    lines = export_text(store, "jsonl").splitlines()
    back = {r.id: r for r in (EventRecord.from_dict(json.loads(line)) for line in lines)}
    assert back == {r.id: r for r in SHOWN}
    assert json.loads(lines[0])["cameo"] == "112"  # codes stay strings


def test_plover_jsonl_uses_the_manual_field_names(store: Store) -> None:
    manual = {
        "id", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "mode",
        "context", "event_loc", "event_text", "quad_code", "event_scale", "link", "text",
        "text_info", "cite_info", "coder", "coded_date", "comment", "has_event",
    }  # fmt: skip
    rows = [json.loads(line) for line in export_text(store, "plover").splitlines()]
    assert len(rows) == len(SHOWN)
    for row in rows:
        assert set(row) == manual
    first = rows[0]
    assert first["id"] == "a" and first["event"] == "ACCUSE" and first["quad_code"] == 3
    assert first["actor"][0]["code"] == "USA" and first["actor"][0]["identifier_id"] == "Q30"
    assert set(first["actor"][0]) == {
        "code", "sector", "entity_text", "identifier_id", "identifier_text", "office",
    }  # fmt: skip
    assert first["text_info"] == {"sequence": 0, "start": 0, "end": len(RECORDS[0].text)}
    assert first["event_loc"]["geonameid"] == 290030
    assert first["comment"] == "cameo: 112"


def test_polecat_header_is_exact_and_rows_have_40_cells(store: Store) -> None:
    text = export_text(store, "polecat")
    header = text.splitlines()[0].split("\t")
    assert header == [
        "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code",
        "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
        "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID",
        "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector",
        "Recipient Sectors", "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
        "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude",
        "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date",
        "Story People", "Story Organizations", "Story Locations", "Language", "Version",
    ]  # fmt: skip
    assert tuple(header) == POLECAT_COLUMNS
    frame = pd.read_csv(
        io.StringIO(text), sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE
    )
    assert list(frame.columns) == header and len(frame) == len(SHOWN)
    # "None" only where POLECAT writes it: the name of a missing actor or recipient.
    names = ["Actor Name", "Recipient Name"]
    assert not frame.drop(columns=names).isin(["None", "nan"]).any().any()
    e = frame.set_index("Event ID").loc["e"]  # the UN's aid names no recipient
    assert e["Recipient Name"] == "None" and e["Recipient Country"] == ""
    assert e["Actor Name"] == "United Nations"
    a = frame.set_index("Event ID").loc["a"]
    assert a["Event Date"] == "2024-01-10"
    assert a["Actor Name"] == "United States" and a["Actor Country"] == "USA"
    assert a["Actor COW"] == "2" and a["Recipient COW"] == "630"
    assert a["Wikipedia Actor ID"] == "Q30" and a["Recipient Title"] == "foreign ministry"
    assert float(a["Intensity"]) == -2.0  # CAMEO 112, Goldstein -2.0
    assert a["Latitude"] == "25.28" and a["GeoNames ID"] == "290030"
    g = frame.set_index("Event ID").loc["g"]
    assert g["Event Date"] == "" and g["Intensity"] == "" and g["Placename"] == ""
    c = frame.set_index("Event ID").loc["c"]
    assert c["Recipient Country"] == "USA;QAT" and c["Recipient COW"] == "2;694"
    # Names are resolved: Tehran (no canonical name) is "Iran GOV", Doha (no sector) "Qatar".
    assert c["Actor Name"] == "Iran GOV" and c["Recipient Name"] == "United States;Qatar"


def test_polecat_leaves_out_what_it_cannot_mark_unless_asked(tmp_path: Path) -> None:
    records = [
        record("h1", actor=[USA], recipient=[IRN], event="ASSAULT", quad=4, cameo="190",
               date="2024-03-01", country="IRN", status="hypothetical"),
        record("h2", actor=[USA], recipient=[IRN], event="ACCUSE", quad=3, cameo="112",
               date="2024-03-01", country="IRN"),
    ]  # fmt: skip
    with open_store(tmp_path / "p.duckdb") as local:
        local.ingest([make_document(1)], FixedCoder(records))
        left_out: Counter[str] = Counter()
        buffer = io.StringIO()
        assert local.export(None, "polecat", buffer, left_out) == 1  # "would strike": not an attack
        assert sum(left_out.values()) == 1 and "\tASSAULT\t" not in buffer.getvalue()
        asked = export_text(local, "polecat", EventFilter(status=("hypothetical",)))
        assert "\tASSAULT\t" in asked  # named in the filter: the user asked for it


def test_gdelt_rows_have_61_fields_and_load_with_gdelt_names(store: Store) -> None:
    text = export_text(store, "gdelt")
    lines = text.splitlines()
    dated = [r for r in SHOWN if r.date]  # GDELT requires SQLDATE: "g" is left out
    assert len(lines) == len(dated)
    assert all(len(line.split("\t")) == 61 for line in lines)
    frame = pd.read_csv(
        io.StringIO(text),
        sep="\t",
        header=None,
        names=list(GDELT_COLUMNS),
        dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str},
        quoting=csv.QUOTE_NONE,
    )
    assert len(frame) == len(dated)
    by_id = {gdelt_event_id(r.id): r for r in dated}
    assert set(frame["GLOBALEVENTID"]) == set(by_id)
    assert all(0 <= i < 2**63 for i in frame["GLOBALEVENTID"])
    first = frame[frame["GLOBALEVENTID"] == gdelt_event_id("d")].iloc[0]
    assert first["SQLDATE"] == 20240204 and first["MonthYear"] == 202402
    assert first["EventCode"] == "046" and first["EventRootCode"] == "04"
    assert first["Actor1Code"] == "USAGOV" and first["Actor1CountryCode"] == "USA"
    assert first["Actor2CountryCode"] == "IRN" and first["QuadClass"] == 1
    assert first["GoldsteinScale"] == 7.0
    assert first["ActionGeo_Type"] == 4 and first["ActionGeo_FeatureID"] == 290030
    assert first["ActionGeo_Lat"] == 25.28 and first["ActionGeo_Long"] == 51.53
    assert len(str(first["DATEADDED"])) == 14
    assert first["SOURCEURL"] == "https://news.example/1"
    un = frame[frame["GLOBALEVENTID"] == gdelt_event_id("e")].iloc[0]
    assert un["Actor1KnownGroupCode"] == "IGO" and pd.isna(un["Actor1CountryCode"])
    assert frame["QuadClass"].between(1, 4).all()
    assert frame["GoldsteinScale"].dropna().between(-10, 10).all()
    assert gdelt_event_id("a") == gdelt_event_id("a") != gdelt_event_id("b")


def test_csv_and_parquet_are_flat_with_latitude_and_longitude(store: Store, tmp_path: Path) -> None:
    frame = pd.read_csv(io.StringIO(export_text(store, "csv")), dtype={"cameo": str})
    assert len(frame) == len(SHOWN)
    assert {"latitude", "longitude", "cameo", "actor_code"} <= set(frame.columns)
    assert "lat" not in frame.columns
    row = frame.set_index("id").loc["c"]
    assert row["cameo"] == "111" and row["recipient_code"] == "USA;QAT"
    assert row["recipient_sector"] == "GOV;"  # positions kept: QAT has no sector
    path = tmp_path / "events.parquet"
    assert store.export(EventFilter(), "parquet", path) == len(SHOWN)
    table = pd.read_parquet(path)
    assert len(table) == len(SHOWN)
    assert table.loc[table["id"] == "a", "latitude"].iloc[0] == 25.28
    assert table.loc[table["id"] == "a", "cameo"].iloc[0] == "112"
    assert list(table.loc[table["id"] == "d", "actor_code"].iloc[0]) == ["USA", "QAT"]


def test_export_applies_filters(store: Store) -> None:
    lines = export_text(store, "jsonl", EventFilter(actor="USA", event=("ACCUSE",)))
    assert [json.loads(line)["id"] for line in lines.splitlines()] == ["a"]
    assert export_text(store, "gdelt", EventFilter(status=("negated",))).count("\n") == 1


def test_goldstein_and_cow_lookups() -> None:
    assert goldstein("042") == 1.9 and goldstein("19") == -10.0
    assert goldstein("0874") == 9.0  # falls back to base code 087
    assert goldstein("99") is None and goldstein(None) is None
    assert [cow_code(c) for c in ("USA", "GBR", "DEU", "SRB", "IRQ", "IGO")] == [
        2, 200, 255, 345, 645, None
    ]  # fmt: skip


def panel(store: Store, by: str, freq: str, flt: EventFilter | None = None) -> pd.DataFrame:
    return store.aggregate(flt, by=by, freq=freq).to_pandas()


def test_aggregate_country_month(store: Store) -> None:
    frame = panel(store, "country", "month")
    expected_columns = ["period", "country", *PLOVER_TYPES, "quad1", "quad2", "quad3", "quad4"]
    assert list(frame.columns) == [*expected_columns, "total"]
    got = {
        (str(r.period), r.country): (r.ACCUSE, r.THREATEN, r.CONSULT, r.AID, r.quad3, r.total)
        for r in frame.itertuples()
    }
    assert got == {
        ("2024-01-01", "IRN"): (1, 1, 0, 0, 2, 2),
        ("2024-02-01", "IRN"): (1, 0, 0, 0, 1, 1),  # f is negated: not counted
        ("2024-02-01", "QAT"): (0, 0, 1, 1, 0, 2),
    }


def test_aggregate_dyad_actor_recipient(store: Store) -> None:
    dyads = panel(store, "dyad", "year")
    got = {(r.actor, r.recipient): r.total for r in dyads.itertuples()}
    assert got == {("USA", "IRN"): 3, ("IRN", "USA"): 1, ("IRN", "QAT"): 1, ("QAT", "IRN"): 1}
    actors = panel(store, "actor", "month")
    got_actors = {(str(r.period), r.actor): r.total for r in actors.itertuples()}
    assert got_actors == {
        ("2024-01-01", "USA"): 2,
        ("2024-02-01", "IRN"): 1,
        ("2024-02-01", "USA"): 1,
        ("2024-02-01", "QAT"): 1,
        ("2024-02-01", "IGO"): 1,
    }
    recipients = panel(store, "recipient", "week", EventFilter(status=("all",)))
    weeks = {(str(r.period), r.recipient): (r.total, r.quad4) for r in recipients.itertuples()}
    assert weeks[("2024-02-05", "IRN")] == (1, 1)  # f (Sat 10 Feb) in the week of Mon 5 Feb
    assert weeks[("2024-01-22", "IRN")] == (1, 0)


def test_aggregate_writes_csv_and_parquet(store: Store, tmp_path: Path) -> None:
    from communique.store.aggregate import write_panel

    table = store.aggregate(by="country", freq="month")
    write_panel(table, "parquet", tmp_path / "p.parquet")
    assert pd.read_parquet(tmp_path / "p.parquet")["total"].sum() == 5
    buffer = io.StringIO()
    write_panel(table, "csv", buffer)
    back = pd.read_csv(io.StringIO(buffer.getvalue()))
    assert back["total"].tolist() == [2, 1, 2] and back.columns[0] == "period"


def test_gdelt_export_parses_with_the_standard_client(store: Store) -> None:
    """gdelt-py's EventsParser, as GDELT users read the files: every dated event comes back,
    field by field (an empty AvgTone or SQLDATE made it reject rows)."""
    from py_gdelt.models.events import Event
    from py_gdelt.parsers.events import EventsParser

    left_out: Counter[str] = Counter()
    buffer = io.StringIO()
    written = store.export(None, "gdelt", buffer, left_out)
    parsed = [Event.from_raw(raw) for raw in EventsParser().parse(buffer.getvalue().encode())]
    dated = [r for r in SHOWN if r.date]
    assert written == len(parsed) == len(dated)
    assert sum(left_out.values()) == len(SHOWN) - len(dated)  # "g" has no date: counted
    by_id = {e.global_event_id: e for e in parsed}
    for original in dated:
        event = by_id[gdelt_event_id(original.id)]
        assert event.date.isoformat() == original.date
        assert event.quad_class == original.quad_code
        assert event.event_root_code == (original.cameo or "")[:2]
        assert event.goldstein_scale == goldstein(original.cameo)
        assert event.avg_tone == 0.0
        assert event.source_url == "https://news.example/1"
    doha = by_id[gdelt_event_id("d")].action_geo
    assert doha is not None and doha.country_code == "QA"  # FIPS 10-4, as GDELT writes it


def test_polecat_export_reads_with_the_temporal_graph_benchmark_reader(
    store: Store, tmp_path: Path
) -> None:
    """TGB's POLECAT reader (py-tgb, dev extra) reads the file by position: every event with
    both parties becomes an edge between resolved names; one without a recipient ("None") is
    skipped, not joined to a hub node of empty names."""
    from tgb.datasets.tkgl_polecat.tkgl_polecat import load_csv_raw

    path = tmp_path / "events.tsv"
    store.export(None, "polecat", path)
    edges, lines = load_csv_raw(str(path))
    with_both = [r for r in SHOWN if r.actor and r.recipient and r.date]
    assert lines == len(with_both)
    found = {edge for day in edges.values() for edge in day}
    assert ("United States", "Iran GOV", "ACCUSE") in found  # record "a"
    assert all(head and tail and "None" not in (head, tail) for head, tail, _ in found)
