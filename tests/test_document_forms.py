"""Whole-story behaviour: who "we" is through "she said", a dateline's country for an unnamed
office, a participle the parser hangs on the wrong verb, and two attacks of one country's
forces kept apart. The story is written for this file (none comes from the gold files)."""

from __future__ import annotations

import pytest

from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord

STORY = (
    "ISLAMABAD — Pakistan on Tuesday accused Afghanistan of sheltering militants who attacked a "
    "military base in the northwest, killing 12 soldiers.\n"
    "Foreign Office spokeswoman Mumtaz Zahra Baloch told reporters that Islamabad had lodged a "
    "strong protest.\n"
    '"We have repeatedly asked the interim Afghan authorities to take action against these '
    'groups," she said.\n'
    "Pakistan's army said its troops had killed eight militants in a retaliatory operation in "
    "North Waziristan on Wednesday.\n"
    "The United Nations urged both sides to exercise restraint."
)


@pytest.fixture(scope="module")
def story_records() -> list[EventRecord]:
    document = document_from_text(STORY, "story", "2024-03-19")
    assert isinstance(document, Document)
    return Coder().code_document(document)


def test_we_in_a_quote_is_the_speaker_she_stands_for(story_records: list[EventRecord]) -> None:
    (asked,) = [r for r in story_records if r.event_text == "asked"]
    # the Foreign Office of a story filed from Islamabad is Pakistan's, not Britain's
    assert [(a.code, a.sector) for a in asked.actor] == [("PAK", "GOV")]
    assert [r.code for r in asked.recipient] == ["AFG"]


def test_a_participle_after_an_attack_is_that_attacks_consequence(
    story_records: list[EventRecord],
) -> None:
    attacks = [r for r in story_records if r.event == "ASSAULT"]
    (base,) = [r for r in attacks if r.event_text == "attacked"]
    assert "MIL" in [r.sector for r in base.recipient]  # the 12 soldiers it killed
    assert not [r for r in attacks if r.event_text == "killing"]


def test_militants_and_troops_of_one_country_are_two_sides(
    story_records: list[EventRecord],
) -> None:
    attacks = [r for r in story_records if r.event == "ASSAULT"]
    assert sorted(a.sector for r in attacks for a in r.actor) == ["MIL", "REB"]


def test_an_unnamed_office_leans_to_the_datelines_country() -> None:
    body = (
        "The foreign ministry spokesman condemned the shelling of border villages on Monday.\n"
        "Pakistan has not commented on the shelling."
    )
    coder = Coder()
    codes = {}
    for label, text in (("datelined", "KABUL (Reuters) - " + body), ("bare", body)):
        document = document_from_text(text, label, "2024-03-19")
        assert isinstance(document, Document)
        (record,) = coder.code_document(document)
        codes[label] = [a.code for a in record.actor]
    # without a dateline the one country the rest names; filed from Kabul, Afghanistan's
    assert codes == {"datelined": ["AFG"], "bare": ["PAK"]}
