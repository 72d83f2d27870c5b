"""Runs the coder's stages over chunks of parsed documents.

The coder parses documents in batches and hands them to the stages a chunk at a time (a chunk
is as large as a parse batch). Within a chunk every stage runs on every document in order; a
`BatchStage` (the learned typer) runs once for the whole chunk, which lets its model read the
candidates of many documents in one call.

With `overlap`, the first batch stage of a chunk runs in a background thread while the caller
parses the next chunk. The parse keeps one core busy and the model's work happens outside
Python's lock (ONNX Runtime), so on a two-core laptop the model's time mostly hides behind the
parse (docs/benchmarks.md). Results come out in input order all the same, one chunk later.

A stage that runs in the background works on its own chunk's documents, contexts and drafts
only; what it shares with the main thread (the lexicons, the actor resolver's tables, the spaCy
vocabulary) it reads and does not change, or changes under Python's lock (a cache filled with
one assignment).

A document that fails in any stage is marked failed and goes no further; the others go on (the
caller reports it as skipped). A batch stage that fails is run again one document at a time, so
that the failure lands on the document that caused it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from spacy.tokens import Doc

from communique.records import Document, Skip
from communique.stages import BatchStage, DocumentContext, EventDraft, Stage

# One input item as the coder read it: a parsed document, or a skip (no Doc) kept in its place.
Entry = tuple[Document | Skip, Doc | None]


@dataclass
class Chunk:
    """Entries in input order, with each parsed document's context, drafts and failure."""

    entries: list[Entry]
    contexts: dict[int, DocumentContext] = field(default_factory=dict)
    drafts: dict[int, list[EventDraft]] = field(default_factory=dict)
    failed: dict[int, Exception] = field(default_factory=dict)

    @classmethod
    def of(
        cls, entries: list[Entry], context_of: Callable[[Document, Doc], DocumentContext]
    ) -> Chunk:
        """The chunk with a context for each parsed document (or its failure)."""
        chunk = cls(entries)
        for n, (item, doc) in enumerate(entries):
            if not isinstance(item, Document) or doc is None:
                continue
            try:
                chunk.contexts[n] = context_of(item, doc)
                chunk.drafts[n] = []
            except Exception as exc:  # one bad document must not end a batch; it is reported
                chunk.failed[n] = exc
        return chunk

    def live(self) -> list[int]:
        """The documents still being coded."""
        return [n for n in self.contexts if n not in self.failed]


def run_stages(chunk: Chunk, stages: Sequence[Stage]) -> None:
    """Each stage on each live document of the chunk, in order (batch stages once for all)."""
    for stage in stages:
        live = chunk.live()
        if isinstance(stage, BatchStage) and len(live) > 1:
            try:
                batch = stage.run_batch([(chunk.contexts[n], chunk.drafts[n]) for n in live])
            except Exception:
                pass  # run again one document at a time below, to find and report the bad one
            else:
                chunk.drafts.update(zip(live, batch, strict=True))
                continue
        for n in live:
            try:
                chunk.drafts[n] = stage(chunk.contexts[n], chunk.drafts[n])
            except Exception as exc:
                chunk.failed[n] = exc


@dataclass
class _Running:
    chunk: Chunk
    future: Future[None]


class StageRunner:
    """Feeds chunks through the stages; `submit` returns the chunks that are done, in order.

    Without overlap (or without a batch stage) a chunk is done when `submit` returns. With it,
    the stages before the first batch stage run at once, the batch stage runs in the
    background, and the rest runs when the next chunk is submitted (or at `drain`)."""

    def __init__(self, stages: Sequence[Stage], overlap: bool) -> None:
        first = next((i for i, s in enumerate(stages) if isinstance(s, BatchStage)), None)
        if not overlap or first is None:
            self.head, self.background, self.tail = list(stages), [], []
        else:
            self.head = list(stages[:first])
            self.background = [stages[first]]
            self.tail = list(stages[first + 1 :])
        self._pool = ThreadPoolExecutor(1, "communique-stage") if self.background else None
        self._running: _Running | None = None

    def submit(self, chunk: Chunk) -> list[Chunk]:
        run_stages(chunk, self.head)
        if self._pool is None:
            return [chunk]
        previous = self._wait()  # only one chunk in the background: two would share cores
        self._running = _Running(chunk, self._pool.submit(run_stages, chunk, self.background))
        return self._finish(previous)

    def drain(self) -> list[Chunk]:
        """The chunk still in the background, finished."""
        return self._finish(self._wait())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def _wait(self) -> _Running | None:
        """The chunk in the background, once its stage is done (None when there is none)."""
        running, self._running = self._running, None
        if running is not None:
            running.future.result()
        return running

    def _finish(self, previous: _Running | None) -> list[Chunk]:
        if previous is None:
            return []
        run_stages(previous.chunk, self.tail)
        return [previous.chunk]
