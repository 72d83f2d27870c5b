"""`EventReport`: what clustering needs to know of one coded event, and how to get it.

A report is a frozen, light view of an `EventRecord`: the parties as (country code, sector,
normalised name), the event's date range as `datetime.date`s, the place, the publisher and the
sentence. `report_of(record)` builds it; `report_from_dict(data)` builds it from the record's
JSON shape (`EventRecord.to_dict()`, or the subset `eval/dedup-pairs.jsonl` holds).

Normalisation, all of it deterministic and free of knowledge files:
- names (publisher, `identifier_text` or else `entity_text`, place names): Unicode NFKD with the
  accents dropped, lower case, punctuation to spaces, whitespace collapsed, a leading "the "
  dropped. "The  Associated-Press" and "associated press" are one publisher.
- codes and sectors: upper case; the sector "UNK" (unknown) reads as no sector.
- dates: ISO `YYYY-MM-DD` (longer strings are cut to their first ten characters); a date that
  does not parse is no date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from communique.records import QUAD_OF_TYPE, Entity, EventRecord

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)
_PRECISE_RESOLUTIONS = frozenset({"city", "point"})  # a region's or country's centre is no point
_PRECISE_FEATURE_PREFIXES = ("PPL", "ADM2", "ADM3", "ADM4", "ADM5")


@dataclass(frozen=True, slots=True)
class Party:
    """One actor or recipient: country (or IGO/UNO/EUR/NGO/...) code, sector and name."""

    code: str | None
    sector: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Place:
    """Where the event happened. `precise` is true when the coordinates are a town or district's
    (not a country's centre), so that a distance between two places means something."""

    country: str | None
    lat: float | None
    lon: float | None
    name: str | None
    precise: bool = False


@dataclass(frozen=True, slots=True)
class EventReport:
    """One report of an event: the fields clustering reads, nothing else.

    `planned` / `planned_mode` are the intended act of an AGREE made of a future or hypothetical
    act (the record's `planned`). `date` .. `enddate` is when the event happens, with the
    record's `date_precision` (`reported` means the document's date: no time expression).
    `published` is the document's publication date where known.
    """

    event_id: str
    doc_id: str
    publisher: str | None
    event: str
    mode: str | None
    status: str
    planned: str | None
    planned_mode: str | None
    actors: tuple[Party, ...]
    recipients: tuple[Party, ...]
    date: dt.date | None
    enddate: dt.date | None
    date_precision: str | None
    place: Place | None
    text: str
    published: dt.date | None = None

    @property
    def source_key(self) -> str:
        """Who published it: the publisher, or (unknown publisher) the document itself."""
        return f"pub:{self.publisher}" if self.publisher else f"doc:{self.doc_id}"


def normalise_name(text: str | None) -> str | None:
    """Lower case, no accents, no punctuation, one space between words, no leading 'the'."""
    if not text:
        return None
    if text.isascii():
        plain = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _PUNCT.sub(" ", plain.replace("'", "").replace("’", "").lower()).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words) or None


def parse_day(text: str | None) -> dt.date | None:
    """`YYYY-MM-DD` (or a longer ISO timestamp) as a date; None when absent or malformed."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _code(text: str | None) -> str | None:
    value = (text or "").strip().upper()
    return value or None


def _sector(text: str | None) -> str | None:
    value = _code(text)
    return None if value == "UNK" else value


def party_of(entity: Entity) -> Party:
    """An entity as a party: its code, sector and normalised name (`identifier_text`, or the
    mention's text when the entity was not identified)."""
    return Party(
        code=_code(entity.code),
        sector=_sector(entity.sector),
        name=normalise_name(entity.identifier_text) or normalise_name(entity.entity_text),
    )


def _place_of(record: EventRecord) -> Place | None:
    loc = record.event_loc
    if loc is None:
        return None
    country = _code(loc.country_code)
    name = normalise_name(loc.resolved_place) or normalise_name(loc.extracted_place)
    has_point = loc.lat is not None and loc.lon is not None
    resolution = (loc.resolution or "").lower()
    feature = (loc.feature_code or "").upper()
    precise = has_point and (
        resolution in _PRECISE_RESOLUTIONS or feature.startswith(_PRECISE_FEATURE_PREFIXES)
    )
    if country is None and name is None and not has_point:
        return None
    return Place(
        country=country,
        lat=float(loc.lat) if loc.lat is not None else None,
        lon=float(loc.lon) if loc.lon is not None else None,
        name=name,
        precise=precise,
    )


def report_of(record: EventRecord) -> EventReport:
    """The report clustering reads for one coded event."""
    planned = record.planned
    return EventReport(
        event_id=record.id,
        doc_id=record.doc_id,
        publisher=normalise_name(record.cite_info.publication),
        event=record.event.strip().upper(),
        mode=(record.mode or "").strip().lower() or None,
        status=(record.status or "asserted").strip().lower(),
        planned=planned.event.strip().upper() if planned and planned.event else None,
        planned_mode=((planned.mode or "").strip().lower() or None) if planned else None,
        actors=tuple(party_of(e) for e in record.actor),
        recipients=tuple(party_of(e) for e in record.recipient),
        date=parse_day(record.date),
        enddate=parse_day(record.enddate),
        date_precision=(record.date_precision or "").strip().lower() or None,
        place=_place_of(record),
        text=record.text or "",
        published=parse_day(record.cite_info.publication_date),
    )


def report_from_dict(data: Mapping[str, Any]) -> EventReport:
    """A report from an event record's JSON shape (`EventRecord.to_dict()`); `quad_code` may be
    left out (it follows from the type)."""
    full = dict(data)
    if "quad_code" not in full:
        full["quad_code"] = QUAD_OF_TYPE.get(str(full.get("event", "")).upper(), 0)
    return report_of(EventRecord.from_dict(full))
