"""code_batch(documents) -> records: the stages in order, nothing else.

`Coder` holds the loaded spaCy pipeline and the stage resources (lexicons, gazetteer); build it
once per process (or Spark worker) and feed it documents. `Coder.code` streams one
`DocumentResult` per input item, in input order, so that callers (the CLI, the store, the Spark
runner) can write results as they come.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from spacy.tokens import Doc

from communique import __version__
from communique.actors.resolve import ActorResolver
from communique.attribution import attribute, cue_lexicon
from communique.config import Config
from communique.dates import event_date
from communique.events.extract import EventCandidate, find_events
from communique.events.lexicon import event_knowledge
from communique.events.merge import EventGroup, merge_mentions
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
    Location,
    Skip,
    TextSpan,
)
from communique.stages import DocumentContext, EventAnchor

# Actor codes that are not countries (PLOVER's international and non-state codes).
_NON_COUNTRY = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG", "ISM", "MNC"})
_PRECISION_RANK = {"day": 4, "week": 3, "month": 2, "year": 1, "reported": 0}


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
        self.places = PlaceResolver()
        # Verbs of saying: an event in their clause keeps its own subject and status.
        self.speech = cue_lexicon().verbs

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        """One result per item, in order; a document that fails is skipped, never lost."""
        iterator = iter(items)
        while batch := list(islice(iterator, self.config.batch_size)):
            documents = [item for item in batch if isinstance(item, Document)]
            texts = (d.text[: self.config.max_chars] for d in documents)
            parsed = iter(self.nlp.pipe(texts, batch_size=self.config.batch_size))
            for item in batch:
                if isinstance(item, Skip):
                    yield DocumentResult(document=None, skip=item)
                    continue
                yield self._code_parsed(item, next(parsed))

    def code_document(self, document: Document) -> list[EventRecord]:
        """Code one document (no batching): convenient for the API and tests."""
        return self._code_parsed(document, self.nlp(document.text[: self.config.max_chars])).records

    def _code_parsed(self, document: Document, doc: Doc) -> DocumentResult:
        try:
            records = self.records_for(document, doc)
        except Exception as exc:  # one bad document must not end a batch; it is reported
            skip = Skip(
                doc_id=document.id,
                reason="coder-error",
                detail=f"{type(exc).__name__}: {exc} (please report this document as a bug)",
                origin=document.origin,
            )
            return DocumentResult(document=None, skip=skip)
        return DocumentResult(document=document, records=records)

    def records_for(self, document: Document, doc: Doc) -> list[EventRecord]:
        """The stages, in order, on one parsed document."""
        actors = self.actors.for_document(doc)
        candidates = find_events(doc, self.events, actors.resolve, self.speech)
        groups = merge_mentions(candidates)
        if not groups:
            return []
        context = DocumentContext(
            document=document, doc=doc, resolve_entity=actors.resolve, countries=actors.countries
        )
        places = self.places.document_places(context)
        cite = CiteInfo(
            url=document.url,
            title=document.title,
            publication=document.source,
            language=document.language,
            publication_date=document.date,
            version=__version__,
        )
        sentence_numbers = {sent.start: n for n, sent in enumerate(doc.sents)}
        records = []
        for group in groups:
            if group.lead.confidence < self.config.min_confidence:
                continue
            anchors = [_anchor(member) for member in group.members]
            lead_anchor = anchors[0]
            location = self.places.locate(context, places, lead_anchor)
            for anchor in anchors[1:]:
                if location is not None and location.basis != "document":
                    break
                other = self.places.locate(context, places, anchor)
                if other is not None and (location is None or other.basis != "document"):
                    location = other
            _place_unplaced_parties(group, location)
            when = _best_date([event_date(context, anchor) for anchor in anchors])
            attribution = attribute(context, lead_anchor)
            records.append(
                _record(document, sentence_numbers, group, location, when, attribution, cite)
            )
        return records


def _place_unplaced_parties(group: EventGroup, location: Location | None) -> None:
    """People named only by role ("23 people", "demonstrators", "Shona rebels") in an event
    placed in a country by its own sentence are most likely of that country; failing a place,
    the target of a national actor ("Egyptian police dispersed demonstrators") is domestic."""
    lead = group.lead
    if location is not None and location.country_code and location.basis != "document":
        lead.actors = [_with_country(e, location.country_code) for e in lead.actors]
        lead.recipients = [_with_country(e, location.country_code) for e in lead.recipients]
    actor_countries = {a.code for a in lead.actors if a.code and a.code not in _NON_COUNTRY}
    if len(actor_countries) == 1:
        (country,) = actor_countries
        lead.recipients = [_with_country(e, country) for e in lead.recipients]


def _with_country(entity: Entity, country: str) -> Entity:
    if entity.code or not entity.sector or entity.identifier_text:
        return entity
    return replace(entity, code=country)


def _anchor(candidate: EventCandidate) -> EventAnchor:
    sentence = candidate.trigger.sent
    return EventAnchor(
        trigger=candidate.trigger.i,
        trigger_end=candidate.trigger.i + 1,
        sent_start=sentence.start,
        sent_end=sentence.end,
        status=candidate.status,
    )


def _best_date(dates: list[EventDate]) -> EventDate:
    """The most precise date any mention gives (the first mention breaks ties)."""
    best = dates[0]
    for candidate in dates[1:]:
        if _PRECISION_RANK.get(candidate.precision or "", -1) > _PRECISION_RANK.get(
            best.precision or "", -1
        ):
            best = candidate
    return best


def _span(candidate: EventCandidate, sentence_numbers: dict[int, int]) -> TextSpan:
    sentence = candidate.trigger.sent
    return TextSpan(
        sequence=sentence_numbers[sentence.start],
        start=sentence.start_char,
        end=sentence.end_char,
    )


def _record(
    document: Document,
    sentence_numbers: dict[int, int],
    group: EventGroup,
    location: Location | None,
    when: EventDate,
    attribution: Attribution | None,
    cite: CiteInfo,
) -> EventRecord:
    lead = group.lead
    event_id = hashlib.sha1(
        f"{document.content_hash or document.id}|{lead.trigger.idx}|{lead.event}".encode()
    ).hexdigest()[:16]
    return EventRecord(
        id=f"{document.id}-{event_id}",
        doc_id=document.id,
        event=lead.event,
        quad_code=lead.quad,
        mode=lead.mode,
        context=[],
        cameo=lead.cameo,
        status=lead.status,
        planned=lead.planned,
        actor=lead.actors,
        recipient=lead.recipients,
        date=when.date,
        enddate=when.enddate,
        date_precision=when.precision,
        event_loc=location,
        event_text=lead.event_text,
        text=lead.trigger.sent.text.strip(),
        text_info=_span(lead, sentence_numbers),
        mentions=[_span(other, sentence_numbers) for other in group.others],
        attribution=attribution,
        cite_info=cite,
        confidence=lead.confidence,
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
