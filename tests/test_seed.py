"""The worked example (examples/doha-briefing.txt) against its gold (eval/seed-gold.jsonl).

The three required events must come out with their pairs, statuses, plans, place, date and
attribution; nothing may come out that the gold does not hold.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from communique.evaluate import load_gold, score
from communique.ingest import ReadOptions, read_documents
from communique.pipeline import Coder
from communique.records import Document, Entity, EventRecord

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "doha-briefing.txt"
GOLD = ROOT / "eval" / "seed-gold.jsonl"
DOHA = (25.29, 51.53)


@pytest.fixture(scope="module")
def document() -> Document:
    items = list(read_documents([str(EXAMPLE)], ReadOptions(date="2023-10-20")))
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, Document), item
    return item


@pytest.fixture(scope="module")
def records(document: Document) -> list[EventRecord]:
    return Coder().code_document(document)


def codes(entities: list[Entity]) -> set[str | None]:
    return {e.code for e in entities}


def the_visit(records: list[EventRecord]) -> EventRecord:
    found = [r for r in records if r.event == "AGREE" and r.planned and r.planned.mode == "visit"]
    assert len(found) == 1, [(r.event, r.status, r.planned) for r in records]
    return found[0]


def test_the_document_reads_with_its_date_and_source(document: Document) -> None:
    assert document.id == "doha-briefing"
    assert document.date == "2023-10-20"
    assert document.source == "internal briefing"
    assert "(attribution:" not in document.text


def test_the_planned_visit_to_qatar(records: list[EventRecord]) -> None:
    visit = the_visit(records)
    assert visit.status == "future"
    assert visit.planned is not None and visit.planned.event == "CONSULT"
    assert codes(visit.actor) == {"RUS"}
    assert {e.sector for e in visit.actor} == {"GOV"}
    assert [e.identifier_text for e in visit.actor] == ["Mikhail Bogdanov"]
    assert codes(visit.recipient) == {"QAT"}


def test_the_visit_is_located_in_doha(records: list[EventRecord]) -> None:
    loc = the_visit(records).event_loc
    assert loc is not None
    assert loc.country_code == "QAT"
    assert loc.resolved_place == "Doha"
    assert loc.lat is not None and loc.lon is not None
    assert math.hypot(loc.lat - DOHA[0], loc.lon - DOHA[1]) < 0.1


def test_the_visit_is_dated_next_week(records: list[EventRecord]) -> None:
    visit = the_visit(records)
    assert (visit.date, visit.enddate) == ("2023-10-23", "2023-10-29")
    assert visit.date_precision == "week"


def test_the_visit_is_attributed_to_bogdanov(records: list[EventRecord]) -> None:
    attribution = the_visit(records).attribution
    assert attribution is not None and attribution.speaker is not None
    assert attribution.speaker.identifier_text == "Mikhail Bogdanov"
    assert attribution.speaker.code == "RUS"
    assert attribution.cue


def test_the_visit_is_one_record_with_its_other_mentions(
    records: list[EventRecord], document: Document
) -> None:
    visit = the_visit(records)
    assert len(visit.mentions) >= 2
    assert visit.text_info is not None
    assert all(m.sequence != visit.text_info.sequence for m in visit.mentions)
    for mention in visit.mentions:
        assert "visit" in document.text[mention.start : mention.end]


def test_a_hypothetical_meeting_with_hamas(records: list[EventRecord]) -> None:
    found = [
        r
        for r in records
        if r.event == "AGREE" and r.status == "hypothetical" and codes(r.recipient) == {"PSE"}
    ]
    assert len(found) == 1, [(r.event, r.status, codes(r.recipient)) for r in records]
    record = found[0]
    assert record.planned is not None and record.planned.event == "CONSULT"
    assert codes(record.actor) == {"RUS"}


def test_the_kremlin_contact_with_hamas(records: list[EventRecord]) -> None:
    found = [r for r in records if r.event == "CONSULT"]
    assert len(found) == 1, [(r.event, r.status) for r in records]
    record = found[0]
    assert codes(record.actor) == {"RUS"}
    assert {e.sector for e in record.actor} == {"GOV"}
    assert codes(record.recipient) == {"PSE"}
    assert record.attribution is not None and record.attribution.speaker is not None
    assert record.attribution.speaker.entity_text == "Kremlin spokespersons"


def test_no_event_matches_nothing_in_the_gold(
    records: list[EventRecord], document: Document
) -> None:
    report = score(load_gold(GOLD), {document.id: records})
    figures = report.to_dict()
    assert figures["type"]["precision"] == 1.0, report.errors
    assert figures["dyad"]["precision"] == 1.0, report.errors
    assert figures["type"]["recall"] == 1.0, report.errors
    assert figures["dyad"]["recall"] == 1.0, report.errors


def test_every_record_cites_the_briefing(records: list[EventRecord], document: Document) -> None:
    assert records
    for record in records:
        assert record.doc_id == "doha-briefing"
        assert record.cite_info.publication == "internal briefing"
        assert record.cite_info.publication_date == "2023-10-20"
        assert record.text_info is not None
        span = document.text[record.text_info.start : record.text_info.end]
        assert span.strip() == record.text
        assert 0.0 < record.confidence <= 1.0
