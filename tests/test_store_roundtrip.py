"""Records go into the store and come back unchanged (property-based)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.records import (
    PLOVER_TYPES,
    STATUSES,
    Attribution,
    CiteInfo,
    Entity,
    EventRecord,
    Location,
    PlannedAct,
    TextSpan,
)
from communique.store import EventFilter, Store, open_store
from test_store_fixtures import FixedCoder, make_document

text = st.text(max_size=30)
maybe_text = st.none() | text
int64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
floats = st.floats(allow_nan=False)

entities = st.builds(
    Entity,
    entity_text=text,
    code=maybe_text,
    sector=maybe_text,
    office=maybe_text,
    identifier_text=maybe_text,
    identifier_id=maybe_text,
)
locations = st.builds(
    Location,
    extracted_place=text,
    resolved_place=maybe_text,
    geonameid=st.none() | int64,
    lat=st.none() | floats,
    lon=st.none() | floats,
    country_code=maybe_text,
    feature_code=maybe_text,
    resolution=maybe_text,
    basis=maybe_text,
)
spans = st.builds(TextSpan, sequence=int64, start=int64, end=int64)
dates = st.none() | st.dates().map(lambda d: d.isoformat()) | text


@st.composite
def records(draw: st.DrawFn, number: int) -> EventRecord:
    return EventRecord(
        id=f"e{number}-" + draw(text),
        doc_id=draw(text),
        event=draw(st.sampled_from(PLOVER_TYPES) | text),
        quad_code=draw(st.integers(1, 4)),
        mode=draw(maybe_text),
        context=draw(st.lists(text, max_size=3)),
        cameo=draw(st.none() | st.sampled_from(["010", "042", "1823", "20"]) | text),
        status=draw(st.sampled_from(STATUSES)),
        planned=draw(st.none() | st.builds(PlannedAct, event=text, mode=maybe_text)),
        actor=draw(st.lists(entities, max_size=3)),
        recipient=draw(st.lists(entities, max_size=3)),
        date=draw(dates),
        enddate=draw(dates),
        date_precision=draw(maybe_text),
        event_loc=draw(st.none() | locations),
        event_text=draw(text),
        text=draw(text),
        text_info=draw(st.none() | spans),
        mentions=draw(st.lists(spans, max_size=3)),
        attribution=draw(
            st.none()
            | st.builds(Attribution, speaker=st.none() | entities, cue=maybe_text, quote=maybe_text)
        ),
        cite_info=draw(
            st.builds(
                CiteInfo,
                url=maybe_text,
                title=maybe_text,
                publication=maybe_text,
                language=maybe_text,
                publication_date=maybe_text,
                codebook=text,
                coder=text,
                version=text,
                schema_version=text,
            )
        ),
        confidence=draw(floats),
    )


@st.composite
def record_lists(draw: st.DrawFn) -> list[EventRecord]:
    size = draw(st.integers(0, 4))
    return [draw(records(i)) for i in range(size)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("roundtrip") / "events.duckdb"
    with open_store(path) as opened:
        yield opened


def _clear(store: Store) -> None:
    for table in ("entities", "events", "documents"):
        store.con.execute(f"DELETE FROM {table}").fetchall()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=record_lists())
def test_records_round_trip_unchanged(store: Store, batch: list[EventRecord]) -> None:
    _clear(store)
    report = store.ingest([make_document(1)], FixedCoder(batch))
    assert report.events == len(batch)
    back = store.query(EventFilter(status=("all",)))
    assert sorted((r.to_dict() for r in back), key=lambda d: d["id"]) == sorted(
        (r.to_dict() for r in batch), key=lambda d: d["id"]
    )
    # one entities row per actor and recipient entity, with its role and place in the list
    rows = store.con.execute(
        "SELECT event_id, role, position, entity_text FROM entities ORDER BY ALL"
    ).fetchall()
    expected = sorted(
        (r.id, role, i + 1, e.entity_text)
        for r in batch
        for role, ents in (("actor", r.actor), ("recipient", r.recipient))
        for i, e in enumerate(ents)
    )
    assert rows == expected


def test_round_trip_through_arrow_and_pandas(tmp_path: Path) -> None:
    original = EventRecord(
        id="e1",
        doc_id="d1",
        event="AGREE",
        quad_code=1,
        context=["diplomatic", "économie"],
        cameo="036",
        status="future",
        planned=PlannedAct("CONSULT", "visit"),
        actor=[Entity("Blinken", "USA", "GOV", "secretary of state", "Antony Blinken", "Q1")],
        recipient=[Entity("Qatar", "QAT", "GOV")],
        date="2024-02-01",
        event_loc=Location("Doha", "Doha", 290030, 25.2854, 51.531, "QAT", "PPLC", "city"),
        text="Blinken will visit Doha — officials said.",
        text_info=TextSpan(2, 10, 52),
        mentions=[TextSpan(5, 100, 140)],
        attribution=Attribution(Entity("officials"), "said", None),
        cite_info=CiteInfo(publication="Reuters", version="0.1.0"),
        confidence=0.875,
    )
    with open_store(tmp_path / "s.duckdb") as store:
        store.ingest([make_document(1)], FixedCoder([original]))
        assert store.query() == [original]
        table = store.query_arrow()
        assert table.column("cameo").to_pylist() == ["036"]
        frame = store.query_df()
        assert frame.loc[0, "planned"] == {"event": "CONSULT", "mode": "visit"}
        assert list(frame.loc[0, "context"]) == ["diplomatic", "économie"]
    # and after closing and opening the file again
    with open_store(tmp_path / "s.duckdb", create=False) as store:
        assert store.query() == [original]
