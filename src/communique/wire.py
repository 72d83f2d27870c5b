"""Wire-copy furniture: the dateline, credits, bylines and captions around a news story.

"KHARKIV, Ukraine, May 25 (Reuters) - A Russian guided bomb struck ..." opens with a dateline:
its place is where the story was filed (a location candidate, read by the places stage), its
agency is the document's source (read at ingest), and neither is part of the lead sentence. A
parse that saw "KHARKIV, Ukraine" as the sentence's opening would make the dateline's country
the actor. `mask_furniture` blanks the dateline and the credit, byline and caption lines with
spaces of the same length, so that the parse never sees them while every character offset into
the document stays valid.
"""

from __future__ import annotations

import calendar
import re

# Month names and abbreviations from the calendar module ("Sept" is the wires' own).
_MONTH = (
    "(?:"
    + "|".join(
        sorted({*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept"}, key=len, reverse=True)
    )
    + r")\.?"
)
# CITY[, Region or Country][, Month Day][ (Agency)] - / — / : ; the city in capitals, as wires
# write it. Either the agency or the dash after the capitals marks it as a dateline.
DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Z'.\- ]{1,30}[A-Z.])"
    r"(?:\s*,\s*(?P<region>[A-Z][A-Za-z.\- ]{1,30}?))?"
    rf"(?:\s*,?\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    r"\s*(?:\((?P<agency>[A-Za-z][^()\n]{0,40})\)\s*)?[-\u2013\u2014:]+\s"
)
# "(AP) -" or "(Reuters) —" opening a story without a place.
_AGENCY_ONLY = re.compile(r"\A\s*\((?P<agency>[A-Za-z][^()\n]{0,40})\)\s*[-\u2013\u2014]+\s")
# Lines that credit people or describe pictures: never event text.
_CREDIT_LINE = re.compile(
    r"^[ \t]*(?:"
    r"\(?(?:Additional\s+)?(?:Reporting|Writing|Editing|Compiled|Graphics|Research)\s+by\b[^\n]*"
    r"|By\s+[A-Z][\w.'\-]+(?:\s+(?:and\s+)?[A-Z][\w.'\-]+){0,5}\s*(?:,[^\n]{0,60})?"
    r"|(?:FILE\s+PHOTO|PHOTO|Photo|Caption|Image)\s*:[^\n]*"
    r")[ \t]*$",
    re.MULTILINE,
)


def dateline(text: str) -> re.Match[str] | None:
    """The opening dateline of `text`, if it has one."""
    return DATELINE.match(text) or _AGENCY_ONLY.match(text)


def dateline_place(text: str) -> str | None:
    """The place of the dateline, in title case ("NAIROBI, June 25 (Reuters) -" -> "Nairobi")."""
    match = DATELINE.match(text)
    return match.group("place").strip().title() if match is not None else None


def dateline_agency(text: str) -> str | None:
    """The agency named in the dateline ("NAIROBI, June 25 (Reuters) -" -> "Reuters")."""
    match = dateline(text)
    agency = match.group("agency") if match is not None else None
    return agency.strip() if agency else None


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the dateline and of credit, byline and caption lines."""
    spans: list[tuple[int, int]] = []
    match = dateline(text)
    if match is not None:
        spans.append((match.start(), match.end()))
    spans += [(m.start(), m.end()) for m in _CREDIT_LINE.finditer(text)]
    return spans


def mask_furniture(text: str) -> str:
    """`text` with its wire furniture replaced by spaces (same length, same offsets)."""
    spans = furniture_spans(text)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
