"""Every filter of `EventFilter`, the default status rule, and parameterised SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from communique.errors import InputError
from communique.records import Entity
from communique.store import EventFilter, Store, open_store
from communique.store.query import where_clause
from test_store_fixtures import FixedCoder, make_document, record

USA = Entity("Washington", "USA", "GOV", identifier_text="United States")
IRN = Entity("Tehran", "IRN", "GOV", identifier_text="Iran")
HAMAS = Entity("the militants", "IMG", "REB", identifier_text="Hamas")

RECORDS = [
    record("a", actor=[USA], recipient=[IRN], event="ACCUSE", quad=3, date="2024-01-10",
           country="IRN", text="Washington accused Tehran of enriching uranium.",
           publication="Reuters"),
    record("b", actor=[IRN], recipient=[USA], event="THREATEN", quad=3, date="2024-02-20",
           country="IRN", text="Tehran threatened retaliation.", publication="AP"),
    record("c", actor=[HAMAS], recipient=[], event="ASSAULT", quad=4, date="2024-03-05",
           country="ISR", text="Militants fired rockets at Sderot.", publication="Reuters"),
    record("d", actor=[USA], recipient=[HAMAS], event="CONSULT", quad=1, status="future",
           date="2023-12-31", country="QAT", text="US envoys will meet Hamas mediators."),
    record("e", actor=[USA], recipient=[IRN], event="CONSULT", quad=1, status="negated",
           date="2024-01-12", country="QAT", text="US officials did not meet Iranian envoys."),
    record("f", actor=[IRN, USA], recipient=[], event="AGREE", quad=1, date=None, country=None,
           text="Iran and the US agreed on a prisoner swap.", publication=None),
]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("query") / "events.duckdb"
    with open_store(path) as opened:
        opened.ingest([make_document(1)], FixedCoder(RECORDS))
        yield opened


def ids(store: Store, **kwargs: object) -> list[str]:
    return sorted(r.id for r in store.query(EventFilter(**kwargs)))  # type: ignore[arg-type]


def test_default_status_excludes_negated(store: Store) -> None:
    assert ids(store) == ["a", "b", "c", "d", "f"]
    assert ids(store, status=("negated",)) == ["e"]
    assert ids(store, status=("all",)) == ["a", "b", "c", "d", "e", "f"]
    assert ids(store, status=("future", "negated")) == ["d", "e"]


def test_actor_by_code_name_or_alias(store: Store) -> None:
    assert ids(store, actor="USA") == ["a", "d", "f"]
    assert ids(store, actor="usa") == []  # codes match exactly
    assert ids(store, actor="united states") == ["a", "d", "f"]  # identifier_text, any case
    assert ids(store, actor="WASHINGTON") == ["a", "d", "f"]  # entity_text, any case
    assert ids(store, actor="Hamas") == ["c"]


def test_actor_by_country_name_or_surname(tmp_path: Path) -> None:
    police = Entity("Kenyan police", "KEN", "COP")
    orban = Entity("Prime Minister Viktor Orban", "HUN", "GOV", identifier_text="Viktor Orban")
    records = [
        record("k", actor=[police], recipient=[], event="COERCE", quad=4, date="2024-06-25",
               country="KEN", text="Kenyan police fired tear gas."),
        record("o", actor=[orban], recipient=[], event="ACCUSE", quad=3, date="2024-06-25",
               country="HUN", text="Orban criticised Brussels."),
    ]  # fmt: skip
    with open_store(tmp_path / "names.duckdb") as local:
        local.ingest([make_document(1)], FixedCoder(records))
        assert ids(local, actor="Kenya") == ["k"]  # the country's name finds its code
        assert ids(local, actor="Hungary") == ["o"]
        assert ids(local, actor="Orban") == ["o"]  # a surname finds the full name
        assert ids(local, actor="orb") == []  # but not part of a word


def test_recipient(store: Store) -> None:
    assert ids(store, recipient="IRN") == ["a"]  # e is negated
    assert ids(store, recipient="hamas") == ["d"]
    assert ids(store, actor="USA", recipient="IRN", status=("all",)) == ["a", "e"]


def test_event_and_quad(store: Store) -> None:
    assert ids(store, event=("consult",)) == ["d"]
    assert ids(store, event=("ACCUSE", "THREATEN")) == ["a", "b"]
    assert ids(store, quad=(3,)) == ["a", "b"]
    assert ids(store, quad=(1, 4)) == ["c", "d", "f"]


def test_since_and_until(store: Store) -> None:
    assert ids(store, since="2024-01-11") == ["b", "c"]
    assert ids(store, until="2024-01-10") == ["a", "d"]
    assert ids(store, since="2024-02", until="2024-02") == ["b"]  # a month
    assert ids(store, since="2024") == ["a", "b", "c"]  # undated f is out of any range


def test_country(store: Store) -> None:
    assert ids(store, country=("IRN",)) == ["a", "b"]
    assert ids(store, country=("isr", "QAT")) == ["c", "d"]


def test_text_words_any_case(store: Store) -> None:
    assert ids(store, text="URANIUM") == ["a"]
    assert ids(store, text="tehran retaliation") == ["b"]
    assert ids(store, text="tehran rockets") == []
    assert ids(store, text="100%") == []  # LIKE wildcards are plain text


def test_source(store: Store) -> None:
    assert ids(store, source="reuters") == ["a", "c"]
    assert ids(store, source="AP") == ["b"]


def test_actor_sector_and_document(store: Store) -> None:
    assert ids(store, sector=("REB",)) == ["c"]
    assert ids(store, sector=("reb", "GOV")) == ["a", "b", "c", "d", "f"]
    assert ids(store, document="doc") == ["a", "b", "c", "d", "f"]
    assert ids(store, document="elsewhere") == []


def test_a_read_only_store_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "events.duckdb"
    with open_store(path) as writer:
        writer.ingest([make_document(1)], FixedCoder(RECORDS))
    with open_store(path, read_only=True) as reader:
        assert sorted(r.id for r in reader.query(EventFilter())) == ["a", "b", "c", "d", "f"]
        with pytest.raises(duckdb.Error):
            reader.con.execute("DELETE FROM events")


def test_limit_orders_by_date_then_id(store: Store) -> None:
    got = [r.id for r in store.query(EventFilter(limit=3))]
    assert got == ["d", "a", "b"]
    assert [r.id for r in store.query(EventFilter(status=("all",)))][-1] == "f"  # undated last


def test_user_text_is_a_parameter_never_sql(store: Store) -> None:
    hostile = "x') OR 1=1; DROP TABLE events; --"
    assert ids(store, actor=hostile) == []
    assert ids(store, text=hostile, source=hostile) == []
    sql, params = where_clause(EventFilter(actor=hostile, text=hostile))
    assert hostile not in sql and hostile in params
    assert store.counts()["events"] == len(RECORDS)


def test_bad_filters_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown event type"):
        EventFilter(event=("HUG",))
    with pytest.raises(InputError, match="quad"):
        EventFilter(quad=(5,))
    with pytest.raises(InputError, match="status"):
        EventFilter(status=("rumoured",))
    with pytest.raises(InputError, match="not a date"):
        EventFilter(since="last week")
    with pytest.raises(InputError, match="not a date"):
        EventFilter(until="2024-02-30")


def test_a_limit_past_two_to_the_63_is_refused_with_a_reason() -> None:
    with pytest.raises(InputError, match="--limit must be from 0"):
        EventFilter(limit=2**64)
