"""code_batch(documents) -> records: the stages in order, nothing else.

`Coder` holds the loaded spaCy pipeline and the stage resources (lexicons, gazetteer); build it
once per process (or Spark worker) and feed it documents. `Coder.code` streams one
`DocumentResult` per input item, in input order, so that callers (the CLI, the store, the Spark
runner) can write results as they come.

For each parsed document the coder builds a `DocumentContext`, runs `Coder.stages` in order over
the event drafts (see `communique.stages` for the contract), and turns the drafts that come out
into `EventRecord`s. The rules live in the stages, not here.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from communique import __version__
from communique.actors.resolve import ActorResolver
from communique.attribution import Attributor, cue_lexicon
from communique.config import Config
from communique.dates import EventDater
from communique.events.extract import EventFinder
from communique.events.learned import shared_typer
from communique.events.lexicon import event_knowledge
from communique.events.merge import CERTAIN_RULES, CERTAIN_TYPED, MentionMerger
from communique.events.typing import LearnedTyping, TypingPolicy
from communique.nlp import load_pipeline
from communique.places import PlaceResolver
from communique.records import (
    Attribution,
    BatchResult,
    CiteInfo,
    Document,
    Entity,
    EventDate,
    EventRecord,
    Skip,
    TextSpan,
)
from communique.runner import Chunk, Entry, StageRunner, run_stages
from communique.stages import ConfidenceFloor, DocumentContext, EventDraft, Stage
from communique.wire import dateline_place, mask_furniture


@dataclass
class DocumentResult:
    """The outcome for one input item: its events, or the reason it was skipped."""

    document: Document | None
    skip: Skip | None = None
    records: list[EventRecord] = field(default_factory=list)


class Coder:
    """Codes documents into event records; one per process, reused for every batch."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.nlp = load_pipeline(self.config.model)
        self.events = event_knowledge()
        self.actors = ActorResolver(self.nlp)
        # Verbs of saying: an event in their clause keeps its own subject and status.
        self.speech = cue_lexicon().verbs
        self.places = PlaceResolver(
            speech_verbs=self.speech, country_of=self.actors.knowledge.country_code
        )
        # The coder is this list, run in order on every document. A learned typing stage goes
        # right after EventFinder, where it sees every candidate before mentions are merged.
        self.stages: list[Stage] = [
            EventFinder(self.events, self.speech),
            *self._typing_stages(),
            MentionMerger(CERTAIN_RULES if self.config.typing == "rules" else CERTAIN_TYPED),
            ConfidenceFloor(self.config.min_confidence),
            self.places,
            EventDater(),
            Attributor(),
        ]

    def _typing_stages(self) -> list[Stage]:
        """The learned typer, unless the settings say the rules type alone."""
        if self.config.typing == "rules":
            return []
        typer = shared_typer(self.config.typer_model or None, self._typer_threads())
        policy = TypingPolicy(mode=self.config.typing, **typer.thresholds)  # type: ignore[arg-type]
        return [LearnedTyping(typer, policy, self.events, self.speech, typer.recall_lemmas)]

    def _typer_threads(self) -> int:
        """The setting, or for 0 every core the parse leaves free: all but one when the typer
        overlaps the parse, else all (0 tells ONNX Runtime to take them all)."""
        if self.config.typer_threads or not self.config.overlap_typing:
            return self.config.typer_threads
        return max(1, available_cores() - 1)

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        """One result per item, in order; a document that fails is skipped, never lost.

        The texts stream through one `nlp.pipe` (with `workers` > 1, spaCy parses in that many
        processes); a long text goes in pieces (`parse_pieces`) joined again into one `Doc`.
        The stages run on chunks of parsed documents (`runner.StageRunner`); with
        `overlap_typing`, the learned typer works on one chunk in a second thread while the next
        is parsed, and results come one chunk later, still in input order."""
        waiting: deque[Document | Skip] = deque()  # items read, in order, not yet answered

        def texts() -> Iterator[tuple[str, int]]:
            for item in items:
                waiting.append(item)
                if isinstance(item, Document):
                    pieces = parse_pieces(mask_furniture(item.text[: self.config.max_chars]))
                    for piece in pieces:
                        yield piece, len(pieces)

        runner = StageRunner(self.stages, overlap=self.config.overlap_typing)
        try:
            for entries in self._parsed_chunks(texts(), waiting):
                for done in runner.submit(Chunk.of(entries, self._context)):
                    yield from self._results(done)
            for done in runner.drain():
                yield from self._results(done)
        finally:
            runner.close()

    def code_document(self, document: Document) -> list[EventRecord]:
        """Code one document (no batching): convenient for the API and tests."""
        pieces = parse_pieces(mask_furniture(document.text[: self.config.max_chars]))
        docs = [doc for doc, _ in self._parse((piece, len(pieces)) for piece in pieces)]
        doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
        return self.code_parsed([(document, doc)])[0].records

    def code_parsed(self, parsed: list[tuple[Document, Doc]]) -> list[DocumentResult]:
        """The stages, in order, on documents parsed already, in the calling thread; a
        document that fails is skipped with the reason, never lost, and never takes the others
        with it."""
        chunk = Chunk.of(list(parsed), self._context)
        run_stages(chunk, self.stages)
        return list(self._results(chunk))

    def records_for(self, document: Document, doc: Doc) -> list[EventRecord]:
        """The records of one parsed document; a failure raises instead of becoming a skip
        (for scripts that must not go on without a document)."""
        (result,) = self.code_parsed([(document, doc)])
        if result.skip is not None:
            raise RuntimeError(f"document {document.id!r} was not coded: {result.skip.detail}")
        return result.records

    def _parsed_chunks(
        self, texts: Iterator[tuple[str, int]], waiting: deque[Document | Skip]
    ) -> Iterator[list[Entry]]:
        """The items in order, each document with its `Doc`, in chunks as large as a parse
        batch: a `BatchStage` (the learned typer) then reads many documents at once, and memory
        stays that of a batch. `waiting` holds the items read and not yet answered."""
        chunk: list[Entry] = []
        documents = chars = 0
        parts: list[Doc] = []
        for piece, count in self._parse(texts):
            parts.append(piece)
            if len(parts) < count:
                continue
            doc = parts[0] if count == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []
            while isinstance(head := waiting.popleft(), Skip):
                chunk.append((head, None))
            chunk.append((head, doc))
            documents += 1
            chars += min(len(head.text), self.config.max_chars)
            if documents >= self.config.batch_size or chars >= PARSE_BATCH_CHARS:
                yield chunk
                chunk, documents, chars = [], 0, 0
        chunk += [(skip, None) for skip in waiting]  # skips after the last document
        waiting.clear()
        if chunk:
            yield chunk

    def _parse(self, texts: Iterator[tuple[str, int]]) -> Iterator[tuple[Doc, int]]:
        """Parsed texts, in order, with their context. One worker parses batches of at most
        `batch_size` texts and `PARSE_BATCH_CHARS` characters (the parser's memory grows with
        the characters of a batch); several stream everything through spaCy's processes."""
        size = self.config.batch_size
        if self.config.workers > 1:
            yield from self.nlp.pipe(
                texts, as_tuples=True, batch_size=size, n_process=self.config.workers
            )
            return
        group: list[tuple[str, int]] = []
        chars = 0
        for item in texts:
            group.append(item)
            chars += len(item[0])
            if len(group) >= size or chars >= PARSE_BATCH_CHARS:
                yield from self.nlp.pipe(group, as_tuples=True, batch_size=len(group))
                group, chars = [], 0
        if group:
            yield from self.nlp.pipe(group, as_tuples=True, batch_size=len(group))

    def _results(self, chunk: Chunk) -> Iterator[DocumentResult]:
        """One result per entry of a chunk whose stages have run, in order."""
        for n, (item, _) in enumerate(chunk.entries):
            if isinstance(item, Skip):
                yield DocumentResult(document=None, skip=item)
                continue
            try:
                if n in chunk.failed:
                    raise chunk.failed[n]
                records = self._records(chunk.contexts[n], chunk.drafts[n])
            except Exception as exc:  # one bad document must not end a batch; it is reported
                yield DocumentResult(document=None, skip=_coder_error(item, exc))
            else:
                yield DocumentResult(document=item, records=records)

    def _context(self, document: Document, doc: Doc) -> DocumentContext:
        place = dateline_place(document.text)  # the parsed text has its dateline masked
        actors = self.actors.for_document(doc, _publication_day(document.date), place)
        return DocumentContext(
            document=document, doc=doc, resolve_entity=actors.resolve, countries=actors.countries
        )

    def _records(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventRecord]:
        if not drafts:
            return []
        document = context.document
        cite = CiteInfo(
            url=document.url,
            title=document.title,
            publication=document.source,
            language=document.language,
            publication_date=document.date,
            version=__version__,
        )
        return [_record(context, draft, cite) for draft in drafts]


def _coder_error(document: Document, exc: Exception) -> Skip:
    return Skip(
        doc_id=document.id,
        reason="coder-error",
        detail=f"{type(exc).__name__}: {exc} (please report this document as a bug)",
        origin=document.origin,
    )


# spaCy's parser needs memory in proportion to the text it reads at once: a 200,000-character
# text peaks near 1 GB. Longer texts are parsed in pieces of about this many characters, cut at a
# paragraph (else sentence, else word) end, and joined into one Doc with the same text.
PARSE_PIECE_CHARS = 20_000
# And a batch of texts holds at most about this many characters (docs/benchmarks.md: memory).
PARSE_BATCH_CHARS = 40_000


def available_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the
    machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def parse_pieces(text: str, size: int = PARSE_PIECE_CHARS) -> list[str]:
    """`text` in consecutive pieces of at most about `size` characters that join back to it."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = -1
        for mark in ("\n", ". ", " "):
            cut = window.rfind(mark, size // 2)
            if cut >= 0:
                cut += len(mark)
                break
        end = start + (cut if cut > 0 else size)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _with_named_speaker(attribution: Attribution | None) -> Attribution | None:
    """The attribution, without a speaker whose text names no one (punctuation alone)."""
    if attribution is None or attribution.speaker is None or _named([attribution.speaker]):
        return attribution
    return dataclasses.replace(attribution, speaker=None)


def _named(entities: list[Entity]) -> list[Entity]:
    """The parties, each with its text as written: a phrase of punctuation alone ("/" in
    "SPLM/A") names no one."""
    return [e for e in entities if e.entity_text.strip(" \t\n-/.,;:'\"")]


def _other_sentences(text: str, draft: EventDraft) -> list[TextSpan]:
    """The other sentences that name the event (records.md: never the record's own sentence,
    each once, though two triggers in one sentence make two mentions of it)."""
    own = _span(text, draft)
    seen = {(own.start, own.end)}
    spans = []
    for other in draft.others:
        span = _span(text, other)
        if (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            spans.append(span)
    return spans


def _publication_day(text: str | None) -> datetime.date | None:
    """The document's date for the roles people held then; None (today) when unreadable."""
    try:
        return datetime.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _span(text: str, draft: EventDraft) -> TextSpan:
    """The sentence's place in the document, without the blanks around it (a masked dateline
    leaves spaces before the lead sentence: the span starts at its first word)."""
    start, end = draft.sent_start_char, draft.sent_end_char
    sentence = text[start:end]
    start += len(sentence) - len(sentence.lstrip())
    return TextSpan(
        sequence=draft.sentence, start=start, end=max(start, start + len(sentence.strip()))
    )


def _record(context: DocumentContext, draft: EventDraft, cite: CiteInfo) -> EventRecord:
    document = context.document
    when = draft.date or EventDate()
    event_id = hashlib.sha1(
        f"{document.content_hash or document.id}|{draft.start_char}|{draft.event}".encode()
    ).hexdigest()[:16]
    return EventRecord(
        id=f"{document.id}-{event_id}",
        doc_id=document.id,
        event=draft.event,
        quad_code=draft.quad,
        mode=draft.mode,
        context=[],
        cameo=draft.cameo,
        status=draft.status,
        planned=draft.planned,
        actor=_named(draft.actors),
        recipient=_named(draft.recipients),
        date=when.date,
        enddate=when.enddate,
        date_precision=when.precision,
        event_loc=draft.location,
        event_text=draft.event_text,
        text=context.text[draft.sent_start_char : draft.sent_end_char].strip(),
        text_info=_span(context.text, draft),
        mentions=_other_sentences(context.text, draft),
        attribution=_with_named_speaker(draft.attribution),
        cite_info=cite,
        confidence=draft.confidence,
    )


def code_batch(items: Iterable[Document | Skip], config: Config | None = None) -> BatchResult:
    """Code documents and collect every record and skip."""
    coder = Coder(config)
    result = BatchResult()
    for outcome in coder.code(items):
        if outcome.skip is not None:
            result.skipped.append(outcome.skip)
        elif outcome.document is not None:
            result.coded.append(outcome.document)
            result.records.extend(outcome.records)
    return result
