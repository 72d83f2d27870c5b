"""Helpers shared by the store tests: a fake coder and hand-made records (no spaCy needed).

`FakeCoder` implements `code(items) -> one DocumentResult per item, in order`, the protocol the
store's ingest takes; its events follow from the document text, so a second run over the same
documents gives the same events.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator

from communique.pipeline import DocumentResult
from communique.records import (
    CiteInfo,
    Document,
    Entity,
    EventRecord,
    Location,
    Skip,
    TextSpan,
)
from communique.store.arrow import text_hash


def make_document(number: int, text: str | None = None) -> Document:
    body = text if text is not None else f"Document number {number}: officials met in Doha."
    return Document(
        id=f"doc{number}",
        text=body,
        date="2024-01-15",
        url=f"https://news.example/{number}",
        title=f"Story {number}",
        source="Example News",
        language="en",
        content_hash=text_hash(body),
        origin=f"corpus/doc{number}.txt",
    )


def events_for(document: Document, version: str) -> list[EventRecord]:
    """0-3 events, fixed by the document's text."""
    count = int(hashlib.sha256(document.text.encode()).hexdigest(), 16) % 4
    return [
        EventRecord(
            id=f"{document.id}-{i}",
            doc_id=document.id,
            event="CONSULT" if i % 2 == 0 else "ACCUSE",
            quad_code=1 if i % 2 == 0 else 3,
            cameo="042" if i % 2 == 0 else "112",
            actor=[Entity("Qatari officials", "QAT", "GOV")],
            recipient=[Entity("Hamas", "IMG", "REB", identifier_text="Hamas")],
            date=document.date,
            date_precision="reported",
            event_loc=Location("Doha", "Doha", 290030, 25.28, 51.53, "QAT", "PPLC", "city"),
            event_text="met",
            text=document.text,
            text_info=TextSpan(i, 0, len(document.text)),
            cite_info=CiteInfo(url=document.url, publication=document.source, version=version),
            confidence=0.5,
        )
        for i in range(count)
    ]


class FakeCoder:
    """A coder for tests: deterministic events, an optional delay per document."""

    def __init__(self, version: str = "0.1.0", delay: float = 0.0) -> None:
        self.version = version
        self.delay = delay
        self.coded: list[str] = []  # ids of the documents it was asked to code

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        for item in items:
            if self.delay:
                time.sleep(self.delay)
            if isinstance(item, Skip):
                yield DocumentResult(document=None, skip=item)
                continue
            self.coded.append(item.id)
            if not item.text.strip():
                yield DocumentResult(document=item, skip=Skip(item.id, "empty", "no text"))
                continue
            yield DocumentResult(document=item, records=events_for(item, self.version))


class FixedCoder:
    """Returns the given records for the first document it sees."""

    def __init__(self, records: list[EventRecord]) -> None:
        self.records = records

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        for item in items:
            assert isinstance(item, Document)
            yield DocumentResult(document=item, records=self.records)


def record(
    event_id: str,
    *,
    event: str = "CONSULT",
    quad: int = 1,
    status: str = "asserted",
    actor: list[Entity] | None = None,
    recipient: list[Entity] | None = None,
    date: str | None = "2024-01-15",
    country: str | None = "QAT",
    text: str = "Officials met in Doha.",
    publication: str | None = "Example News",
    cameo: str | None = "042",
) -> EventRecord:
    """A hand-made record for filter, export and aggregate tests."""
    return EventRecord(
        id=event_id,
        doc_id="doc",
        event=event,
        quad_code=quad,
        cameo=cameo,
        status=status,
        actor=actor if actor is not None else [Entity("Qatar", "QAT", "GOV")],
        recipient=recipient if recipient is not None else [],
        date=date,
        event_loc=Location("Doha", "Doha", 290030, 25.28, 51.53, country, "PPLC", "city")
        if country
        else None,
        text=text,
        text_info=TextSpan(0, 0, len(text)),
        cite_info=CiteInfo(url="https://news.example/1", publication=publication, version="0.1.0"),
    )
