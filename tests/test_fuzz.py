"""Fuzzed input: whatever the text, a document is coded or skipped with a reason, and every
record keeps the record contract (docs/records.md). Bounded to stay fast; hypothesis shrinks
any failure to a small example."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.ingest.text import build_document
from communique.pipeline import Coder
from communique.records import PLOVER_TYPES, Document, EventRecord, Skip

SEED = "Russian forces shelled Kharkiv on Monday, killing two civilians, officials said. "
ODD = [
    "\ud800", "\udfff", "\u202e", "\u200b", "\u200d", "\ufeff", "\u0000", "\U0001f600",
    "9" * 40, "-" * 500, "\n\n\n", "US", "\t", "«", "»", "’",
]  # fmt: skip


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from([SEED, *ODD]), min_size=1, max_size=12).map("".join),
    st.builds(
        lambda cut, noise: SEED[:cut] + noise + SEED[cut:],
        st.integers(0, len(SEED)),
        st.text(max_size=20),
    ),
)


def check_contract(document: Document, record: EventRecord) -> None:
    assert record.event in PLOVER_TYPES and 1 <= record.quad_code <= 4
    span = record.text_info
    assert 0 <= span.start <= span.end <= len(document.text)
    assert document.text[span.start : span.end].strip() == record.text
    for mention in record.mentions:
        assert 0 <= mention.start <= mention.end <= len(document.text)
    speaker = record.attribution.speaker if record.attribution else None
    for entity in [*record.actor, *record.recipient, *([speaker] if speaker else [])]:
        assert entity.entity_text.strip()
        assert entity.code is None or (len(entity.code) == 3 and entity.code.isupper())
    again = EventRecord.from_dict(json.loads(json.dumps(record.to_dict(), ensure_ascii=False)))
    assert again == record


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
def test_any_text_is_coded_or_skipped_with_a_reason(coder: Coder, text: str) -> None:
    item = build_document(text, "fuzz", "2024-05-27")
    if isinstance(item, Skip):
        assert item.reason and item.detail
        return
    assert item.text.encode("utf-8")  # no lone surrogate survives reading
    for record in coder.code_document(item):
        check_contract(item, record)
