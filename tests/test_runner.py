"""Chunks of documents through the stages: one model call per chunk, the typer overlapping the
parse, results in input order, and one bad document never taking the others with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from communique.config import Config
from communique.events.typing import LearnedTyping
from communique.ingest import document_from_text
from communique.pipeline import Coder, DocumentResult
from communique.records import Document, EventRecord, Skip
from communique.stages import BatchStage, DocumentContext, EventDraft

TEXTS = [
    "Russian forces shelled the Ukrainian city of Kharkiv on Monday.",
    "The weather stayed mild across the region.",
    "Qatar hosted talks between Hamas and Egyptian officials in Doha.",
    "Police in Nairobi arrested two opposition leaders after the protest.",
    "China urged Japan to release the detained fishing crew.",
]


def _documents() -> list[Document | Skip]:
    items: list[Document | Skip] = []
    for n, text in enumerate(TEXTS):
        document = document_from_text(text, f"doc-{n}", date="2024-03-01")
        assert isinstance(document, Document)
        items.append(document)
        if n == 1:  # a skip in the middle keeps its place
            items.append(Skip(doc_id="bad-row", reason="empty", detail="no text"))
    return items


Coded = list[tuple[str, str, float]]


def _summary(results: list[DocumentResult]) -> list[tuple[str, Coded]]:
    out: list[tuple[str, Coded]] = []
    for result in results:
        if result.skip is not None:
            out.append((f"skip:{result.skip.doc_id}:{result.skip.reason}", []))
        else:
            assert result.document is not None
            out.append((result.document.id, _coded(result.records)))
    return out


def _coded(records: list[EventRecord]) -> Coded:
    return [(r.event, r.event_text, r.confidence) for r in records]


@pytest.fixture(scope="module")
def coders() -> dict[str, Coder]:
    # Chunks of two documents, so that five documents make three chunks.
    base = Config(batch_size=2)
    return {
        "overlap": Coder(base),
        "serial": Coder(replace(base, overlap_typing=False)),
    }


def test_chunks_and_overlap_change_nothing_but_speed(coders: dict[str, Coder]) -> None:
    # Confidence included: a document's scores must not depend on the documents beside it.
    overlapped = _summary(list(coders["overlap"].code(_documents())))
    serial = _summary(list(coders["serial"].code(_documents())))
    one_by_one = [
        (item.id, _coded(coders["serial"].code_document(item)))
        if isinstance(item, Document)
        else (f"skip:{item.doc_id}:{item.reason}", [])
        for item in _documents()
    ]
    assert overlapped == serial == one_by_one
    assert [name for name, _ in overlapped] == [
        "doc-0", "doc-1", "skip:bad-row:empty", "doc-2", "doc-3", "doc-4",
    ]  # fmt: skip
    assert sum(len(events) for _, events in overlapped) >= 3  # the texts do hold events


class _CountingTyper:
    """Wraps the learned stage, counting its calls and the documents each call reads."""

    def __init__(self, stage: LearnedTyping) -> None:
        self.stage = stage
        self.name = stage.name
        self.batches: list[int] = []

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        self.batches.append(1)
        return self.stage(context, drafts)

    def run_batch(
        self, items: Sequence[tuple[DocumentContext, list[EventDraft]]]
    ) -> list[list[EventDraft]]:
        self.batches.append(len(items))
        return self.stage.run_batch(items)


@pytest.mark.parametrize("overlap", [True, False])
def test_the_learned_typer_reads_a_chunk_of_documents_at_once(overlap: bool) -> None:
    coder = Coder(Config(batch_size=3, overlap_typing=overlap))
    index = next(i for i, s in enumerate(coder.stages) if isinstance(s, LearnedTyping))
    counting = _CountingTyper(coder.stages[index])  # type: ignore[arg-type]
    assert isinstance(counting, BatchStage)
    coder.stages[index] = counting
    results = list(coder.code(_documents()))
    assert len(results) == len(TEXTS) + 1
    assert counting.batches == [3, 2]  # five documents in chunks of three: two model calls


class _FailsOn:
    """A batch stage that fails on one document, in a batch or alone."""

    name = "fails-on"

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        if context.document.id == self.doc_id:
            raise ValueError("this document breaks the stage")
        return drafts

    def run_batch(
        self, items: Sequence[tuple[DocumentContext, list[EventDraft]]]
    ) -> list[list[EventDraft]]:
        return [self(context, drafts) for context, drafts in items]


@pytest.mark.parametrize("overlap", [True, False])
def test_a_document_that_breaks_a_batch_stage_is_skipped_alone(overlap: bool) -> None:
    coder = Coder(Config(batch_size=2, overlap_typing=overlap, typing="rules"))
    coder.stages.insert(1, _FailsOn("doc-2"))
    results = _summary(list(coder.code(_documents())))
    assert [name for name, _ in results] == [
        "doc-0", "doc-1", "skip:bad-row:empty", "skip:doc-2:coder-error", "doc-3", "doc-4",
    ]  # fmt: skip
    assert dict(results)["doc-0"]  # its chunk-mate broke nothing


def test_typer_threads_leave_the_parse_a_core() -> None:
    from communique.pipeline import available_cores

    cores = available_cores()
    assert Coder(Config(typing="rules"))._typer_threads() == max(1, cores - 1)
    assert Coder(Config(typing="rules", overlap_typing=False))._typer_threads() == 0  # all
    assert Coder(Config(typing="rules", typer_threads=3))._typer_threads() == 3
