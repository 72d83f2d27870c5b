"""The dates stage: when an event happens, resolved against the document's date.

`event_date` finds the time expression attached to an event's trigger (a DATE entity or a temporal
word that hangs off the trigger in the parse: "visit Qatar next week", "met on Wednesday", "talks
earlier this month"); failing that, a DATE in the same sentence that hangs off no other verb. The
expression is resolved relative to the document date, forward or backward according to the event's
tense and status, into a `date` .. `enddate` range with a precision (day, week, month, year).

Common relative forms (yesterday, next week, last month, in March, on Wednesday, 23 October 2023)
are resolved by the rules here; anything else that looks like a date goes to dateparser (always
with `languages=["en"]` and the document date as the relative base), whose parsers are cached.

No time expression: the document date, precision `reported`. No document date: nothing is invented;
only an expression with an explicit year is resolved.

Which way an expression points also reads the status cues of the events stage
(`data/status_cues.tsv`), the same words that decided the event's status: a future auxiliary
("will"), a future or hypothetical modifier ("upcoming", "proposed") or a governing word that
schedules the event ("plans to", "set to") points it forward.

As a stage (`EventDater`), each event gets the most precise date any of its mentions gives.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from spacy.tokens import Span, Token

from communique.events.lexicon import event_knowledge
from communique.records import EventDate
from communique.stages import DocumentContext, EventAnchor, EventDraft

__all__ = ["EventDater", "event_date", "resolve_expression"]

Direction = Literal["past", "future"] | None

_MONTHS: dict[str, int] = {
    name.lower(): i for i, name in enumerate(calendar.month_name) if name
} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    name.lower(): i for i, name in enumerate(calendar.day_name)
} | {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}  # fmt: skip
_DAY_WORDS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_PERIODS = ("week", "month", "year", "weekend")
_QUANTITY = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|"
    r"many|some|couple|\d+)"
)
_UNITS_PLURAL = re.compile(r"\b(days|weeks|months|years|decades?|centuries|century|hours)\b")
# Prepositions whose object is a bound or a span, not the time the event happens in.
_BOUND_PREPS = frozenset(
    {"since", "until", "till", "by", "before", "after", "from", "through", "throughout", "within"}
)
# Prepositions that make a duration when followed by a quantity ("for a year", "over two days").
_DURATION_PREPS = frozenset({"for", "over"})
# Tense, not status: auxiliaries of a past or perfect verb ("did", "has met").
_PAST_AUX = frozenset({"did", "had", "has", "have"})
_NOT_YET = frozenset({"future", "hypothetical"})
_PRECISION_RANK = {"day": 4, "week": 3, "month": 2, "year": 1, "reported": 0}
_MODIFIER_PREFIX = re.compile(
    r"^(?:the\s+)?(?:earlier|later|early|late|mid|middle\s+of|end\s+of|beginning\s+of|"
    r"start\s+of|first\s+half\s+of|second\s+half\s+of)(?:\s*-\s*|\s+)(?:the\s+)?"
)
_ORD = r"(?:st|nd|rd|th)?"
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_RE_YEAR = re.compile(r"^(?:in\s+)?(\d{4})$")
_RE_DECADE = re.compile(r"^(?:the\s+)?(\d{3})0s$")
_RE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RE_MDY = re.compile(rf"^{_MONTH_RE}\s+(\d{{1,2}}){_ORD},?(?:\s+(\d{{4}}))?$")
_RE_DMY = re.compile(rf"^(\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH_RE},?(?:\s+(\d{{4}}))?$")
_RE_MY = re.compile(rf"^(last|next|this)?\s*{_MONTH_RE}(?:,?\s+(\d{{4}}))?$")
_RE_PERIOD = re.compile(r"^(this|next|last|coming|the\s+coming)\s+(week|month|year|weekend)$")
_RE_WEEKDAY = re.compile(
    r"^(last|next|this|on)?\s*("
    + "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
    + r")\.?(?:\s+(?:morning|afternoon|evening|night))?$"
)
_RE_DAYWORD = re.compile(
    r"^(yesterday|today|tonight|tomorrow)(?:\s+(?:morning|afternoon|evening))?$"
)
_RE_THIS_PART = re.compile(r"^this\s+(morning|afternoon|evening)$")
_RE_4DIGIT = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")


@dataclass(frozen=True)
class _TimeCues:
    """The status cues that say an event is still to come, by role (from data/status_cues.tsv)."""

    future_aux: frozenset[str]  # "will", "shall"
    modifiers: frozenset[str]  # future or hypothetical: "upcoming visit", "proposed talks"
    # Future only: words that schedule the event ("plans to visit next week"), whose time is the
    # event's. A wish is not a schedule: in "proposed on Monday to hold talks", Monday is the
    # proposal's.
    plan_words: frozenset[str]


@lru_cache(maxsize=1)
def _time_cues() -> _TimeCues:
    knowledge = event_knowledge()
    return _TimeCues(
        future_aux=knowledge.cue_words("aux", frozenset({"future"})),
        modifiers=knowledge.cue_words("modifier", _NOT_YET),
        plan_words=knowledge.cue_words("governor", frozenset({"future"})),
    )


@dataclass(frozen=True)
class EventDater:
    """The dates stage: each event's date, the most precise any of its mentions gives."""

    name: str = "dates"

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        return [
            replace(draft, date=best_date([event_date(context, m.anchor) for m in draft.mentions]))
            for draft in drafts
        ]


def best_date(dates: list[EventDate]) -> EventDate:
    """The most precise date (the first mention breaks ties)."""
    best = dates[0]
    for candidate in dates[1:]:
        if _PRECISION_RANK.get(candidate.precision or "", -1) > _PRECISION_RANK.get(
            best.precision or "", -1
        ):
            best = candidate
    return best


@dataclass(frozen=True)
class _Candidate:
    span: Span
    attached: bool  # hangs off the event in the parse (else: free in the sentence)
    distance: int  # steps up the parse from the expression to the event


def event_date(ctx: DocumentContext, anchor: EventAnchor) -> EventDate:
    """The date range and precision of the event at `anchor` (see the module docstring)."""
    base = _parse_document_date(ctx.document.date)
    doc = ctx.doc
    trigger = doc[anchor.trigger]
    direction = _direction(trigger, anchor.status)
    sent = doc[anchor.sent_start : anchor.sent_end]
    ents = [e for e in ctx.entities if anchor.sent_start <= e.start and e.end <= anchor.sent_end]
    for cand in _candidates(sent, anchor, ents):
        resolved = resolve_expression(cand.span.text, base, direction)
        if resolved is not None:
            return resolved
    if base is None:
        return EventDate(None, None, None)
    return EventDate(base.isoformat(), base.isoformat(), "reported")


def resolve_expression(
    text: str, base: date | None, direction: Direction = None
) -> EventDate | None:
    """Resolve one time expression against `base`; None when it is no point in time we can place.

    `direction` is the event's tense: "past" looks back from `base`, "future" forward, None picks
    the reading most news prose means (the past for months and dates, the nearer for weekdays).
    """
    try:
        return _resolve(text, base, direction)
    except (OverflowError, ValueError):
        return None  # "tomorrow" on 9999-12-31: no day to give; the event keeps its report date


def _resolve(text: str, base: date | None, direction: Direction) -> EventDate | None:
    norm = _normalise(text)
    if not norm or _is_duration(norm):
        return None
    rules = _resolve_absolute(norm)
    if rules is not None:
        return rules
    if base is not None:
        relative = _resolve_relative(norm, base, direction)
        if relative is not None:
            return _clip_to_base(text, relative, base)
    return _resolve_with_dateparser(norm, base, direction)


_LATER = re.compile(r"^(?:\w+\s+)?(?:the\s+)?later\b", re.IGNORECASE)
_EARLIER = re.compile(r"^(?:\w+\s+)?(?:the\s+)?earlier\b", re.IGNORECASE)


def _clip_to_base(text: str, span: EventDate, base: date) -> EventDate:
    """ "later this year" in a March story runs from the story's date, not from 1 January;
    "earlier this month" ends at it."""
    if span.date is None or span.enddate is None:
        return span
    first, last = date.fromisoformat(span.date), date.fromisoformat(span.enddate)
    if _LATER.match(text.strip()) and first <= base <= last:
        return _span(base, last, span.precision or "day")
    if _EARLIER.match(text.strip()) and first <= base <= last:
        return _span(first, base, span.precision or "day")
    return span


# --- finding the expression ------------------------------------------------------------------


def _candidates(sent: Span, anchor: EventAnchor, ents: list[Span]) -> list[_Candidate]:
    """Time expressions of the sentence tied to the event, best first (`ents`: the sentence's
    named entities)."""
    doc = sent.doc
    trigger = doc[anchor.trigger]
    governors = _governors(trigger, anchor)
    found: list[_Candidate] = []
    for span in _expression_spans(sent, ents):
        if _bound_or_duration_prep(span):
            continue
        walk = _walk_to_event(span.root, governors)
        if walk is None:
            continue
        attached, dist = walk
        found.append(_Candidate(span, attached, dist))

    def key(c: _Candidate) -> tuple[int, int, int]:
        return (0 if c.attached else 1, c.distance, abs(c.span.start - trigger.i))

    return sorted(found, key=key)


def _expression_spans(sent: Span, ents: list[Span]) -> list[Span]:
    """DATE entities, TIME entities naming a day, and temporal words the NER missed."""
    doc = sent.doc
    spans: list[Span] = []
    covered: set[int] = set()
    for ent in ents:
        low = ent.text.lower()
        if ent.label_ == "DATE" or (
            ent.label_ == "TIME" and any(w in low for w in (*_WEEKDAYS, *_DAY_WORDS))
        ):
            spans.append(ent)
            covered.update(range(ent.start, ent.end))
    for tok in sent:
        if tok.i in covered:
            continue
        low = tok.lower_
        if low in _DAY_WORDS or (low in _WEEKDAYS and len(low) > 3 and tok.text[0].isupper()):
            spans.append(doc[tok.i : tok.i + 1])
        elif (
            low in ("this", "next", "last")
            and tok.i + 1 < sent.end
            and doc[tok.i + 1].lower_ in _PERIODS
            and tok.i + 1 not in covered
        ):
            spans.append(doc[tok.i : tok.i + 2])
            covered.add(tok.i + 1)
    return spans


def _bound_or_duration_prep(span: Span) -> bool:
    """True for "since March", "until Friday", "for a year", "over the past 20 months"."""
    root = span.root
    if root.dep_ != "pobj":
        return False
    prep = root.head.lower_
    if prep in _BOUND_PREPS:
        return True
    if prep in _DURATION_PREPS:
        text = _normalise(span.text)
        return bool(re.match(rf"^(?:the\s+)?(?:past|last|next|coming|{_QUANTITY})\b", text))
    return False


def _governors(trigger: Token, anchor: EventAnchor) -> set[int]:
    """Tokens whose time is the event's time: the trigger and the verbs that carry it."""
    doc = trigger.doc
    ids = {trigger.i, *range(anchor.trigger, min(anchor.trigger_end, len(doc)))}
    head = trigger.head
    if trigger.pos_ in ("NOUN", "PROPN") and head.i != trigger.i:
        # "held talks on Monday", "the visit will take place next week", "the meeting is today"
        if trigger.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd"):
            ids.add(head.i)
        # "the visit, scheduled for next week"
        ids.update(c.i for c in trigger.children if c.dep_ == "acl" and c.tag_ == "VBN")
    if trigger.dep_ == "xcomp" and head.lemma_ in _time_cues().plan_words:
        ids.add(head.i)  # "plans to visit Qatar next week" with the date on "plans"
    return ids


def _walk_to_event(root: Token, governors: set[int]) -> tuple[bool, int] | None:
    """Walk up from the expression: (attached, steps) or None when another verb claims it."""
    tok = root
    steps = 0
    while True:
        if tok.i in governors:
            return True, steps
        if steps > 0 and tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            return None
        if tok.head.i == tok.i:
            return False, steps
        tok = tok.head
        steps += 1


def _direction(trigger: Token, status: str) -> Direction:
    """Which way relative expressions point: the event's status first, then its tense."""
    if status in ("future", "hypothetical"):
        return "future"
    if status == "historical":
        return "past"
    cues = _time_cues()
    verb = trigger
    if trigger.pos_ in ("NOUN", "PROPN"):
        if any(c.lower_ in cues.modifiers for c in trigger.children):
            return "future"
        if trigger.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and trigger.head.pos_ in (
            "VERB",
            "AUX",
        ):
            verb = trigger.head
        else:
            return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in cues.future_aux or a.tag_ == "MD" for a in auxes):
        return "future"
    if verb.dep_ == "xcomp" and (
        verb.head.lemma_ in cues.plan_words
        or (verb.head.lemma_ == "go" and verb.head.tag_ == "VBG")  # "is going to": tense
    ):
        return "future"
    if any(a.lower_ in _PAST_AUX for a in auxes) or verb.tag_ in ("VBD", "VBN"):
        return "past"
    return None


# --- resolving the expression ----------------------------------------------------------------


def _normalise(text: str) -> str:
    low = text.lower().replace("’", "'").strip(" \t\n,.;:")
    low = re.sub(r"'s$", "", low)
    low = re.sub(r"\s+", " ", low)
    low = re.sub(r"^(?:on|in|at|during)\s+", "", low)
    return _MODIFIER_PREFIX.sub("", low).strip()


def _is_duration(norm: str) -> bool:
    """Durations, ages and frequencies: "three years", "20-plus months", "50-year-old"."""
    if "ago" in norm.split():
        return False
    if _UNITS_PLURAL.search(norm) or re.search(r"\bold\b|-plus\b|\bannual|\bdaily|\bweekly", norm):
        return True
    return bool(re.match(rf"^(?:the\s+)?(?:past|last|next|coming)\s+{_QUANTITY}\b", norm))


def _day(d: date) -> EventDate:
    return EventDate(d.isoformat(), d.isoformat(), "day")


def _span(start: date, end: date, precision: str) -> EventDate:
    return EventDate(start.isoformat(), end.isoformat(), precision)


def _month(year: int, month: int) -> EventDate:
    last = calendar.monthrange(year, month)[1]
    return _span(date(year, month, 1), date(year, month, last), "month")


def _year(year: int) -> EventDate:
    return _span(date(year, 1, 1), date(year, 12, 31), "year")


def _week(monday: date) -> EventDate:
    return _span(monday, monday + timedelta(days=6), "week")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(year: int) -> bool:
    return 1800 <= year <= 2100


def _resolve_absolute(norm: str) -> EventDate | None:
    """Expressions that carry their own year: "2019", "March 2019", "23 October 2023"."""
    if m := _RE_YEAR.match(norm):
        year = int(m.group(1))
        return _year(year) if _plausible(year) else None
    if m := _RE_DECADE.match(norm):
        start = int(m.group(1)) * 10
        if not _plausible(start):
            return None
        return _span(date(start, 1, 1), date(start + 9, 12, 31), "year")
    if m := _RE_ISO.match(norm):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _day(d) if d and _plausible(d.year) else None
    if (m := _RE_MDY.match(norm)) and m.group(3):
        d = _safe_date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
        return _day(d) if d and _plausible(d.year) else None
    if (m := _RE_DMY.match(norm)) and m.group(3):
        d = _safe_date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
        return _day(d) if d and _plausible(d.year) else None
    if (m := _RE_MY.match(norm)) and m.group(3) and not m.group(1):
        year = int(m.group(3))
        return _month(year, _MONTHS[m.group(2)]) if _plausible(year) else None
    return None


def _resolve_relative(norm: str, base: date, direction: Direction) -> EventDate | None:
    """The common relative forms, by rule: fast, and anchored the way news prose means them."""
    if m := _RE_DAYWORD.match(norm):
        return _day(base + timedelta(days=_DAY_WORDS[m.group(1)]))
    if _RE_THIS_PART.match(norm):
        return _day(base)
    if m := _RE_PERIOD.match(norm):
        return _period(m.group(1).replace("the ", ""), m.group(2), base)
    if m := _RE_WEEKDAY.match(norm):
        return _day(_weekday(m.group(1), _WEEKDAYS[m.group(2)], base, direction))
    if m := _RE_MY.match(norm):
        return _month_in_context(m.group(1), _MONTHS[m.group(2)], base, direction)
    if m := _RE_MDY.match(norm):
        return _day_in_context(_MONTHS[m.group(1)], int(m.group(2)), base, direction)
    if m := _RE_DMY.match(norm):
        return _day_in_context(_MONTHS[m.group(2)], int(m.group(1)), base, direction)
    return None


def _period(which: str, unit: str, base: date) -> EventDate:
    shift = {"this": 0, "next": 1, "coming": 1, "last": -1}[which]
    if unit in ("week", "weekend"):
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=shift)
        if unit == "weekend":
            return _span(monday + timedelta(days=5), monday + timedelta(days=6), "day")
        return _week(monday)
    if unit == "month":
        index = base.year * 12 + (base.month - 1) + shift
        return _month(index // 12, index % 12 + 1)
    return _year(base.year + shift)


def _weekday(which: str | None, weekday: int, base: date, direction: Direction) -> date:
    back = base - timedelta(days=(base.weekday() - weekday) % 7)  # on or before base
    ahead = base + timedelta(days=(weekday - base.weekday()) % 7)  # on or after base
    if which == "last":
        return back if back != base else base - timedelta(days=7)
    if which == "next":
        return ahead if ahead != base else base + timedelta(days=7)
    if which == "this":
        return base - timedelta(days=base.weekday()) + timedelta(days=weekday)
    if direction == "past":
        return back
    if direction == "future":
        return ahead
    return back if (base - back) <= (ahead - base) else ahead


def _month_in_context(which: str | None, month: int, base: date, direction: Direction) -> EventDate:
    year = base.year
    if which == "last":
        year = year if month < base.month else year - 1
    elif which == "next":
        year = year if month > base.month else year + 1
    elif which == "this":
        pass
    elif direction == "future":
        year = year if month >= base.month else year + 1
    else:
        year = year if month <= base.month else year - 1
    return _month(year, month)


def _day_in_context(month: int, day: int, base: date, direction: Direction) -> EventDate | None:
    this_year = _safe_date(base.year, month, day)
    if this_year is None:
        return None
    if direction == "future":
        if this_year < base:
            nxt = _safe_date(base.year + 1, month, day)
            return _day(nxt) if nxt else None
        return _day(this_year)
    if this_year > base:
        prev = _safe_date(base.year - 1, month, day)
        return _day(prev) if prev else None
    return _day(this_year)


# --- dateparser, for what the rules do not cover ---------------------------------------------


@lru_cache(maxsize=64)
def _parser(base_iso: str | None, prefer: str) -> Any:
    """A dateparser parser for one relative base and direction (dateparser is slow to set up)."""
    from dateparser.date import DateDataParser  # imported on first use: it is slow to import

    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"}
    if base_iso is not None:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(base_iso)
    return DateDataParser(languages=["en"], settings=settings)


def _resolve_with_dateparser(
    norm: str, base: date | None, direction: Direction
) -> EventDate | None:
    has_year = _RE_4DIGIT.search(norm)
    looks_like_date = (
        bool(re.search(r"\d", norm))
        or "ago" in norm.split()
        or any(w in _MONTHS for w in re.findall(r"[a-z]+", norm))
    )
    if not looks_like_date or (base is None and not has_year):
        return None  # never let dateparser fall back to today's date
    prefer = "future" if direction == "future" else "past"
    try:
        data = _parser(base.isoformat() if base else None, prefer).get_date_data(norm)
    except (ValueError, OverflowError):
        return None
    found = data.date_obj if data else None
    if found is None or not _plausible(found.year):
        return None
    if has_year and found.year != int(has_year.group(1)):
        return None
    period = data.period
    if period == "year":
        return _year(found.year)
    if period == "month":
        return _month(found.year, found.month)
    if period == "week":
        return _week(found.date() - timedelta(days=found.weekday()))
    if period == "day":
        return _day(found.date())
    return None


def _parse_document_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
