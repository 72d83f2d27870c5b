"""A document's text cut into segments, each knowing which events' parts cover it.

The document view marks every event's trigger, parties, place and date at once; events overlap
(one sentence holds several), so the text is split at every highlight boundary and each piece
carries the set of (event, kind) pairs that cover it. The page styles a piece by its kinds and
lights up one event's pieces when its record is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from communique.web.highlight import Highlight


@dataclass
class Segment:
    text: str
    start: int
    events: list[str] = field(default_factory=list)  # ids of the events marked here
    kinds: list[str] = field(default_factory=list)  # their kinds, in the same order
    sentences: list[str] = field(default_factory=list)  # ids of events whose sentence this is in

    @property
    def css(self) -> str:
        names = sorted({f"m-{kind}" for kind in self.kinds})
        if self.sentences:
            names.append("m-sentence")
        return " ".join(names)


def segments(
    text: str,
    marks: dict[str, list[Highlight]],
    sentences: dict[str, tuple[int, int]] | None = None,
) -> list[Segment]:
    """`text` split at every boundary of `marks` (event id -> its highlights) and of
    `sentences` (event id -> the sentence's offsets); pieces with nothing on them are kept, so
    the segments join back to `text`."""
    sentences = sentences or {}
    cuts = {0, len(text)}
    for items in marks.values():
        for h in items:
            cuts.update((max(0, min(h.start, len(text))), max(0, min(h.end, len(text)))))
    for start, end in sentences.values():
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    bounds = sorted(cuts)
    out: list[Segment] = []
    for start, end in pairwise(bounds):
        if start == end:
            continue
        piece = Segment(text[start:end], start)
        for event_id, items in marks.items():
            for h in items:
                if h.start <= start and end <= h.end:
                    piece.events.append(event_id)
                    piece.kinds.append(h.kind)
        piece.sentences = [e for e, (s, t) in sentences.items() if s <= start and end <= t]
        out.append(piece)
    return out
