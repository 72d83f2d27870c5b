"""Are two reports one event, a plan and its act, or two events?

`compare(a, b)` answers with a `Comparison`: a verdict (`same`, `linked`, `different`), the score
it rests on and a short reason. The clusterer uses the same function on precomputed `Features`.

The verdict, in order:
1. Kind and type. A report is an *act* (asserted or historical), a *plan* (an AGREE with a
   `planned` act, or any future-status event: its type is the planned act's), *hypothetical* or
   *negated*. Two reports can be one event only when kind and type agree (an AGREE without
   `planned` may also be the same agreement as a plan, with a penalty). A plan of X and an act
   X can only be linked, never one event. A denial is never merged with the act it denies: it
   does not corroborate it.
2. Parties. Each role (actor, recipient) is compared party by party (code, sector family, name;
   see `rules`); a role both reports fill with no party in common rules the pair out. For most
   types the direction matters (A -> B is not B -> A); talks and cooperation may be coded
   either way round (`rules.SYMMETRIC_TYPES`).
3. Dates. Each report covers a range (`date` .. `enddate`; a `reported` date reaches back
   `REPORTED_LOOKBACK_DAYS`); two ranges more than `DATE_TOLERANCE_DAYS` apart rule the pair
   out. For a link, the act must fall on the plan's dates (from the planned day to
   `DATE_TOLERANCE_DAYS` after its end) or, for a plan dated by its announcement, within the
   link horizon after it.
4. Documents. Two records of one sentence are never one event (the coder split the sentence on
   purpose); two of one document cost a penalty (the coder keeps one record per event and
   document, but misses some of its own repeats).
5. Places. Two precise places farther apart than `PLACE_FAR_KM` rule the pair out; different
   countries cost a penalty (coders disagree on places more than on anything else).
6. Score: the weighted sum of party, date, place and text agreement (content-word Jaccard of
   the sentences) minus penalties, against `SAME_THRESHOLD` (or `LINK_THRESHOLD`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from communique.datafiles import read_table
from communique.dedup import rules
from communique.dedup.report import EventReport, Party, Place, normalise_name

Verdict = Literal["same", "linked", "different"]
Kind = Literal["act", "plan", "hypothetical", "negated"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEM_LENGTH = 6


@dataclass(frozen=True, slots=True)
class Comparison:
    """The verdict on two reports, the score behind it (0 when ruled out) and why."""

    verdict: Verdict
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class Features:
    """What comparisons read of a report, computed once per report."""

    report: EventReport
    kind: Kind
    type: str  # the event type, or for a plan the planned act's type
    mode: str | None  # the event's mode, or for a plan the planned act's mode
    lo: int | None  # first and last day the event may fall on (proleptic ordinals)
    hi: int | None
    precision_rank: int
    wide: bool  # the range is wider than WIDE_DATE_DAYS
    codes: frozenset[str]  # every party code, both roles
    tokens: frozenset[str]  # content-word stems of the sentence

    @property
    def event_id(self) -> str:
        return self.report.event_id


def kind_of(report: EventReport) -> tuple[Kind, str, str | None]:
    """The report's kind, and the type and mode it is compared by."""
    if report.status == "negated":
        return "negated", report.event, report.mode
    if report.event == "AGREE" and report.planned:
        return "plan", report.planned, report.planned_mode
    if report.status == "future":
        return "plan", report.event, report.mode
    if report.status == "hypothetical":
        return "hypothetical", report.event, report.mode
    return "act", report.event, report.mode


@cache
def _stopwords() -> frozenset[str]:
    words = {row["word"] for row in read_table("english_function_words.tsv")}
    words |= {row["cue"] for row in read_table("attribution_cues.tsv") if row["kind"] == "verb"}
    return frozenset(w[:_STEM_LENGTH] for w in words)


def content_tokens(text: str) -> frozenset[str]:
    """The sentence's content words, lower case, cut to their first six letters (a cheap stem:
    attack / attacked / attackers), without function words and verbs of saying; numbers kept."""
    stop = _stopwords()
    out = set()
    for word in _WORD.findall(normalise_name(text) or ""):
        if len(word) < 3 and not word.isdigit():
            continue
        stem = word[:_STEM_LENGTH]
        if stem not in stop:
            out.add(stem)
    return frozenset(out)


def _range(report: EventReport) -> tuple[int | None, int | None]:
    if report.date is None:
        return None, None
    lo = report.date.toordinal()
    hi = report.enddate.toordinal() if report.enddate else lo
    if hi < lo:
        lo, hi = hi, lo
    precision = report.date_precision
    if report.enddate is None and precision in ("month", "year"):
        hi = lo + (30 if precision == "month" else 365)
    elif report.enddate is None and precision == "week":
        hi = lo + 6
    if precision == "reported":
        lo -= rules.REPORTED_LOOKBACK_DAYS
    return lo, hi


def features_of(report: EventReport) -> Features:
    kind, etype, mode = kind_of(report)
    lo, hi = _range(report)
    codes = frozenset(p.code for p in (*report.actors, *report.recipients) if p.code)
    return Features(
        report=report,
        kind=kind,
        type=etype,
        mode=mode,
        lo=lo,
        hi=hi,
        precision_rank=rules.PRECISION_RANK.get(report.date_precision or "reported", 1),
        wide=lo is not None and hi is not None and hi - lo > rules.WIDE_DATE_DAYS,
        codes=codes,
        tokens=content_tokens(report.text),
    )


# --------------------------------------------------------------------------- parties


def party_match(p: Party, q: Party) -> float:
    """How surely two parties are one (0 = surely not); see the PARTY_* values in `rules`."""
    if p.name and p.name == q.name:
        return rules.PARTY_SAME_NAME
    families = rules.sector_family()
    fp = families.get(p.sector or "")
    fq = families.get(q.sector or "")
    if fp and fq and fp != fq:
        return 0.0
    if p.code and q.code:
        if p.code != q.code:
            return 0.0
        if p.sector and q.sector and p.sector != q.sector:
            return rules.PARTY_SAME_CODE_FAMILY
        if p.name and q.name and p.sector and p.sector == q.sector:
            return rules.PARTY_SAME_CODE_NAMES_DIFFER
        return rules.PARTY_SAME_CODE_SECTOR
    return rules.PARTY_NO_CODE


def role_match(a: tuple[Party, ...], b: tuple[Party, ...]) -> float | None:
    """The best match of any party of one role against any of the other; None when one of the
    two roles is empty (unknown), 0 when both are filled and no party matches."""
    if not a or not b:
        return None
    return max(party_match(p, q) for p in a for q in b)


def _roles_score(actors: float | None, recipients: float | None) -> float | None:
    """The mean of two role matches (an unknown role counts ROLE_UNKNOWN); None on a conflict."""
    if actors == 0.0 or recipients == 0.0:
        return None
    total = (rules.ROLE_UNKNOWN if actors is None else actors) + (
        rules.ROLE_UNKNOWN if recipients is None else recipients
    )
    return total / 2


def parties_score(a: Features, b: Features) -> tuple[float | None, str]:
    """Party agreement of two reports (None when their parties rule them out) and a reason."""
    ra, rb = a.report, b.report
    forward = _roles_score(
        role_match(ra.actors, rb.actors), role_match(ra.recipients, rb.recipients)
    )
    symmetric = a.type in rules.SYMMETRIC_TYPES and not (
        a.mode in rules.DIRECTED_MODES or b.mode in rules.DIRECTED_MODES
    )
    if symmetric:
        backward = _roles_score(
            role_match(ra.actors, rb.recipients), role_match(ra.recipients, rb.actors)
        )
        # talks "between A and B" coded as one role of two parties against A -> B
        pooled_a = (*ra.actors, *ra.recipients)
        pooled_b = (*rb.actors, *rb.recipients)
        pooled = role_match(pooled_a, pooled_b)
        pooled_score = None if pooled == 0.0 else (pooled or rules.ROLE_UNKNOWN) * 0.9
        options = [s for s in (forward, backward, pooled_score) if s is not None]
        if not options:
            return None, "parties differ"
        if forward is None and backward is None:
            # each role fails one way round, but every party meets one on the other side
            if not _covers(pooled_a, pooled_b):
                return None, "parties differ"
        return max(options), "parties"
    if forward is None:
        backward = _roles_score(
            role_match(ra.actors, rb.recipients), role_match(ra.recipients, rb.actors)
        )
        reason = "reversed direction" if backward is not None else "parties differ"
        return None, reason
    return forward, "parties"


def _covers(a: tuple[Party, ...], b: tuple[Party, ...]) -> bool:
    """Every party of each side matches some party of the other (both sides non-empty)."""
    if not a or not b:
        return True
    return all(any(party_match(p, q) > 0 for q in b) for p in a) and all(
        any(party_match(q, p) > 0 for p in a) for q in b
    )


# --------------------------------------------------------------------------- dates, places


def date_gap(a: Features, b: Features) -> int | None:
    """Days between the two ranges (0 when they overlap); None when either is undated."""
    if a.lo is None or b.lo is None or a.hi is None or b.hi is None:
        return None
    return max(0, max(a.lo, b.lo) - min(a.hi, b.hi))


def date_score(a: Features, b: Features) -> float | None:
    """Date agreement (None when the ranges are too far apart to be one event)."""
    if a.lo is None or b.lo is None:
        # undated against undated: no evidence either way; undated against dated: none
        return 0.3 if a.lo is None and b.lo is None else None
    if a.wide != b.wide:
        return None
    gap = date_gap(a, b)
    assert gap is not None
    if gap > rules.DATE_TOLERANCE_DAYS:
        return None
    vaguer = max(a.precision_rank, b.precision_rank)
    name = next(k for k, v in rules.PRECISION_RANK.items() if v == vaguer)
    base = rules.DATE_PRECISION_SCORE[name]
    return max(0.0, base - rules.DATE_SCORE_PER_DAY_APART * gap)


def distance_km(p: Place, q: Place) -> float | None:
    """Great-circle distance between two places with coordinates."""
    if p.lat is None or p.lon is None or q.lat is None or q.lon is None:
        return None
    lat1, lat2 = math.radians(p.lat), math.radians(q.lat)
    dlat = lat2 - lat1
    dlon = math.radians(q.lon - p.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def place_score(p: Place | None, q: Place | None) -> tuple[float | None, float]:
    """Place agreement (None when two precise places are far apart) and a penalty."""
    if p is None or q is None:
        return 0.5, 0.0
    if p.precise and q.precise:
        km = distance_km(p, q)
        if km is not None:
            if km > rules.PLACE_FAR_KM:
                return None, 0.0
            return (1.0 if km <= rules.PLACE_NEAR_KM else 0.7), 0.0
    if p.country and q.country:
        if p.country != q.country:
            return 0.2, rules.PENALTY_COUNTRY_DIFFERS
        if p.name and p.name == q.name:
            return 1.0, 0.0
        return 0.7, 0.0
    if p.name and p.name == q.name:
        return 0.9, 0.0
    return 0.5, 0.0


def text_score(a: Features, b: Features) -> float:
    """Content-word Jaccard of the two sentences, scaled so TEXT_FULL_AT counts as 1."""
    if not a.tokens or not b.tokens:
        return 0.0
    inter = len(a.tokens & b.tokens)
    jaccard = inter / (len(a.tokens) + len(b.tokens) - inter)
    return min(1.0, jaccard / rules.TEXT_FULL_AT)


# --------------------------------------------------------------------------- verdict


def _modes_conflict(ma: str | None, mb: str | None) -> tuple[bool, bool]:
    """(incompatible, merely different) for two modes."""
    if not ma or not mb or ma == mb:
        return False, False
    return frozenset((ma, mb)) in rules.incompatible_modes(), True


def _link_dates_ok(plan: Features, act: Features) -> bool:
    if plan.lo is None or act.lo is None or plan.hi is None or act.hi is None:
        return False
    tol = rules.DATE_TOLERANCE_DAYS
    if plan.report.date_precision == "reported" or plan.report.date_precision is None:
        start = plan.hi - tol  # the announcement's day: the act comes after it
        end = plan.hi + rules.LINK_HORIZON_DAYS
    else:
        start, end = plan.lo, plan.hi + tol  # never before the day it is planned for
    return act.hi >= start and act.lo <= end


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(f: Features) -> list[str]:
    """The numbers of a report's sentence: two template sentences ("conducted 23 strikes",
    "conducted 15 strikes") differ only in them."""
    return _NUMBER.findall(f.report.text)


def score_pair(a: Features, b: Features, linking: bool = False) -> tuple[float, str]:
    """The score of two reports already known to be of one kind and type (or a plan and its
    act, with `linking`); 0 with the reason when something rules them out."""
    same_document = not linking and a.report.doc_id == b.report.doc_id
    if same_document and a.report.text == b.report.text:
        # two records the coder made of one sentence are two events by its decision
        return 0.0, "same sentence"
    dates = 0.6 if linking else date_score(a, b)
    if dates is None:
        return 0.0, "dates apart"
    undated = a.lo is None and b.lo is None and not same_document
    if undated and (text_score(a, b) < rules.UNDATED_TEXT_SCORE or _numbers(a) != _numbers(b)):
        return 0.0, "undated, sentences differ"
    parties, why = parties_score(a, b)
    if parties is None:
        return 0.0, why
    place, penalty = place_score(a.report.place, b.report.place)
    if place is None:
        return 0.0, "places apart"
    incompatible, differ = _modes_conflict(a.mode, b.mode)
    if incompatible:
        return 0.0, "modes differ"
    if differ:
        penalty += rules.PENALTY_MODE_DIFFERS
    if same_document:
        penalty += rules.PENALTY_SAME_DOCUMENT
    score = (
        rules.WEIGHT_PARTIES * parties
        + rules.WEIGHT_DATE * dates
        + rules.WEIGHT_PLACE * place
        + rules.WEIGHT_TEXT * text_score(a, b)
        - penalty
    )
    return max(0.0, score), "score"


def same_kind(a: Features, b: Features) -> tuple[bool, float]:
    """Whether two reports may be one event by kind and type, and the penalty that costs."""
    if a.kind == b.kind and a.type == b.type:
        return True, 0.0
    for x, y in ((a, b), (b, a)):
        if x.kind == "plan" and y.kind == "act" and y.type == "AGREE" and not y.report.planned:
            return True, rules.PENALTY_AGREE_UNPLANNED
    return False, 0.0


def plan_and_act(a: Features, b: Features) -> tuple[Features, Features] | None:
    """(plan, act) when one report plans the act the other reports."""
    if a.kind == "plan" and b.kind == "act" and a.type == b.type:
        return a, b
    if b.kind == "plan" and a.kind == "act" and a.type == b.type:
        return b, a
    return None


def compare_features(a: Features, b: Features) -> Comparison:
    ok, penalty = same_kind(a, b)
    if ok:
        score, why = score_pair(a, b)
        score = max(0.0, score - penalty) if score else 0.0
        if score >= rules.SAME_THRESHOLD:
            return Comparison("same", score, why)
        return Comparison("different", score, why if score == 0.0 else "score below threshold")
    pair = plan_and_act(a, b)
    if pair is not None:
        plan, act = pair
        if not _link_dates_ok(plan, act):
            return Comparison("different", 0.0, "act outside the plan's dates")
        score, why = score_pair(plan, act, linking=True)
        if score >= rules.LINK_THRESHOLD:
            return Comparison("linked", score, why)
        return Comparison("different", score, why if score == 0.0 else "score below threshold")
    return Comparison("different", 0.0, "kind or type differs")


def compare(a: EventReport, b: EventReport) -> Comparison:
    """Whether two reports are one event (`same`), a plan and its act (`linked`), or neither."""
    return compare_features(features_of(a), features_of(b))
