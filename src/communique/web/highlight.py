"""Where an event's parts lie in its document: the spans the explorer marks.

A record names its trigger, parties and place as text and its sentence by character offsets
(`text_info`); this finds each part inside that sentence, so that the page can mark the words the
record was coded from. The date is marked where the sentence holds a time expression (a month or
weekday name, a year, "yesterday", "next week" ...); the record's resolved date is shown beside.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from communique.datafiles import read_table
from communique.records import EventRecord

KINDS: tuple[str, ...] = ("trigger", "actor", "recipient", "place", "date")


@dataclass(frozen=True)
class Highlight:
    kind: str  # one of KINDS
    start: int  # character offsets into the document text
    end: int
    text: str


@lru_cache(maxsize=1)
def _time_expression() -> re.Pattern[str]:
    months = [m for m in calendar.month_name if m] + [m for m in calendar.month_abbr if m]
    days = [d for d in calendar.day_name]
    words = [row["word"] for row in read_table("time_words.tsv")]
    named = "|".join(sorted((*months, *days), key=len, reverse=True))
    relative = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?:on|last|next|this|earlier this|later this|early|late|mid-?)\s+)?"
        rf"(?:(?:{named})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d\d)?"
        rf"|\d{{1,2}}\s+(?:{'|'.join(months)})(?:\s+(?:19|20)\d\d)?"
        rf"|(?:{relative})|(?:19|20)\d\d)\b",
        re.IGNORECASE,
    )


def _find(sentence: str, offset: int, needle: str | None, kind: str) -> Highlight | None:
    """The first whole-word occurrence of `needle` in the sentence, as document offsets."""
    if not needle or not needle.strip():
        return None
    match = re.search(rf"(?<!\w){re.escape(needle.strip())}(?!\w)", sentence, re.IGNORECASE)
    if match is None:
        return None
    return Highlight(kind, offset + match.start(), offset + match.end(), match.group(0))


def highlights(record: EventRecord, document_text: str | None = None) -> list[Highlight]:
    """The marked parts of `record`'s sentence, in document offsets when the document text is
    given and holds the sentence there, else in offsets into `record.text`. Overlaps are
    resolved in the order trigger, actor, recipient, place, date."""
    sentence, offset = record.text, 0
    span = record.text_info
    if document_text is not None and span is not None:
        if document_text[span.start : span.end] == record.text:
            offset = span.start
    found: list[Highlight] = []
    candidates: list[Highlight | None] = [_find(sentence, offset, record.event_text, "trigger")]
    for role, entities in (("actor", record.actor), ("recipient", record.recipient)):
        # an inferred party's name is the coder's, not words of the sentence
        candidates += [
            _find(sentence, offset, e.entity_text, role) for e in entities if not e.inferred
        ]
    if record.event_loc is not None:
        candidates.append(_find(sentence, offset, record.event_loc.extracted_place, "place"))
    if record.date is not None:
        match = _time_expression().search(sentence)
        if match is not None:
            candidates.append(
                Highlight("date", offset + match.start(), offset + match.end(), match.group(0))
            )
    for item in candidates:
        if item is None:
            continue
        if all(item.end <= other.start or item.start >= other.end for other in found):
            found.append(item)
    return sorted(found, key=lambda h: h.start)
