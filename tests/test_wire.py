"""Wire copy: datelines, credits, bylines and captions are not event text (issue 10)."""

from __future__ import annotations

import pytest

from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord
from communique.wire import dateline_agency, mask_furniture


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


@pytest.mark.parametrize(
    ("text", "lead", "agency"),
    [
        ("KHARKIV, Ukraine, May 25 - A Russian bomb hit.", "A Russian bomb hit.", None),
        ("NAIROBI, June 25 (Reuters) - Police fired.", "Police fired.", "Reuters"),
        ("(AP) \u2014 The ministers met.", "The ministers met.", "AP"),
        ("BEIRUT, Lebanon \u2014 Israel struck.", "Israel struck.", None),
        ("US and Qatar said - it was over.", "US and Qatar said - it was over.", None),
    ],
)
def test_a_dateline_is_blanked_and_its_agency_kept(
    text: str, lead: str, agency: str | None
) -> None:
    masked = mask_furniture(text)
    assert len(masked) == len(text)  # offsets into the document stay valid
    assert masked.strip() == lead
    assert dateline_agency(text) == agency


def test_credit_byline_and_caption_lines_are_blanked() -> None:
    text = (
        "By John Smith\nTroops shelled the town.\nFILE PHOTO: Soldiers walk.\n"
        "Reporting by Ann Lee; Editing by Tom Hay"
    )
    masked = mask_furniture(text)
    assert masked.split() == ["Troops", "shelled", "the", "town."]
    assert masked.count("\n") == text.count("\n")


def code(coder: Coder, text: str) -> tuple[Document, list[EventRecord]]:
    document = document_from_text(text, "wire-1", date="2024-05-25")
    assert isinstance(document, Document)
    return document, coder.code_document(document)


def test_the_dateline_country_is_not_the_actor(coder: Coder) -> None:
    text = "KHARKIV, Ukraine, May 25 - Russian forces shelled a market, killing two people."
    _, records = code(coder, text)
    assert records, "the attack should be coded"
    for record in records:
        assert all(a.code != "UKR" for a in record.actor), record.actor
        assert "KHARKIV" not in record.text
        start = record.text_info.start
        assert text[start : record.text_info.end] == record.text  # the span is the sentence


def test_the_dateline_is_no_actor_text_and_its_agency_the_source(coder: Coder) -> None:
    text = "NAIROBI, June 25 (Reuters) - Kenyan police fired tear gas at protesters in Nairobi."
    document, records = code(coder, text)
    assert document.source == "Reuters"
    assert records
    for record in records:
        assert all("NAIROBI" not in a.entity_text for a in [*record.actor, *record.recipient])
        assert any(a.code == "KEN" for a in record.actor)
