"""The stage contract: the coder is a list of `(context, drafts) -> drafts` stages."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span, Token

from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord
from communique.stages import DocumentContext, EventDraft

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "doha-briefing.txt"


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


class _Recorder:
    """A stage that changes nothing and keeps what it saw."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[EventDraft] = []

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        self.seen.extend(drafts)
        return drafts


def _records(coder: Coder, text: str) -> list[EventRecord]:
    document = document_from_text(text, "stages", date="2023-10-20")
    assert isinstance(document, Document)
    return coder.code_document(document)


def _code(coder: Coder, text: str) -> list[str]:
    return [record.event for record in _records(coder, text)]


def test_the_stages_in_order(coder: Coder) -> None:
    names = [stage.name for stage in coder.stages]
    assert names == [
        "events", "learned-typing", "mentions", "confidence", "places", "dates", "attribution",
    ]  # fmt: skip


def test_a_stage_inserted_after_event_finding_sees_plain_drafts(coder: Coder) -> None:
    recorder = _Recorder()
    saved = list(coder.stages)
    coder.stages.insert(1, recorder)
    try:
        with_recorder = _code(coder, EXAMPLE.read_text("utf-8"))
    finally:
        coder.stages = saved
    assert with_recorder == _code(coder, EXAMPLE.read_text("utf-8"))
    assert recorder.seen
    for draft in recorder.seen:
        for f in fields(draft):
            assert not isinstance(getattr(draft, f.name), Doc | Span | Token), f.name
        assert draft.others == [] and draft.location is None and draft.date is None


def test_a_stage_can_retype_and_drop(coder: Coder) -> None:
    class Retype:
        name = "retype"

        def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
            return [replace(d, event="PROTEST") for d in drafts if d.event == "CONSULT"]

    saved = list(coder.stages)
    coder.stages.insert(2, Retype())  # after the learned typing, which may retype too
    try:
        records = _records(coder, EXAMPLE.read_text("utf-8"))
    finally:
        coder.stages = saved
    assert records and {r.event for r in records} == {"PROTEST"}
    assert {r.quad_code for r in records} == {4}  # quad follows the new type


def test_long_texts_are_parsed_in_pieces_that_join_back_exactly() -> None:
    from communique.pipeline import parse_pieces

    text = ("Troops shelled the town. " * 300 + "\n") * 10  # about 75,000 characters
    pieces = parse_pieces(text, size=20_000)
    assert "".join(pieces) == text
    assert len(pieces) >= 4 and all(len(p) <= 20_000 for p in pieces)
    assert all(p.endswith(("\n", ". ", " ")) for p in pieces[:-1])  # cut at an end, not a word


def test_a_long_document_codes_with_offsets_into_its_own_text() -> None:
    from communique.ingest import document_from_text
    from communique.pipeline import Coder
    from communique.records import Document

    sentence = "Russian forces shelled Kharkiv on Monday, killing two civilians. "
    document = document_from_text(sentence * 700, "long", date="2024-05-27")  # ~45,000 chars
    assert isinstance(document, Document)
    records = Coder().code_document(document)
    spans = [span for r in records for span in (r.text_info, *r.mentions)]
    assert len(spans) > 600  # the attack is found in the sentences of every piece
    assert max(span.start for span in spans) > 40_000
    for span in spans:  # one event told 700 times: one record, every mention in place
        assert document.text[span.start : span.end].strip() == sentence.strip()
