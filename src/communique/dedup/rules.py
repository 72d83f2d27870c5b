"""The knobs and small tables of event deduplication, each with the reason for its value.

How the numbers were chosen: on the `dev` split of `eval/dedup-pairs.jsonl` only (the `heldout`
split was fixed before any of them was set and scored once, at the end; docs/dedup.md). Where a
value is a judgement rather than a fit, the comment says so. The tables are codebook knowledge
(PLOVER 2.0 sectors, modes and types, ../shared/PLOVER.md), not fitted to any labelled pair;
the two tables that are codebook knowledge are data files (data/sector_families.tsv,
data/incompatible_modes.tsv), read on first use.
"""

from __future__ import annotations

from functools import cache

from communique.datafiles import read_table
from communique.sectors import sector_family as sector_family

# --------------------------------------------------------------------------- dates

# Days two date ranges may lie apart and still be one event: publication lag and time zones (an
# attack late on Monday in Asia is "Tuesday" in an American paper). Judgement, checked on dev:
# same-F1 0.926 with 0 (follow-ups dated a day off split), 0.939 with 1, no gain with 2.
DATE_TOLERANCE_DAYS = 1

# A `reported` date is the document's date, not the event's: the event may have happened a few
# days before (follow-ups, weekly briefs). Its range is stretched back by this many days.
# Chosen on dev among 1..5 (same-F1 0.902, 0.921, 0.939, 0.936, 0.936).
REPORTED_LOOKBACK_DAYS = 3

# Two undated reports (no time expression and no publication date) from different documents
# have no evidence of being one occurrence: the same parties condemn a different attack each
# week. They are one event only when their sentences agree at least this much (text score, 1 =
# full agreement: a reprinted wire sentence) and hold the same numbers (template sentences of
# daily press releases differ only in them). Judgement: the labelled pairs hold no undated
# report; on the coded re3d corpus (undated press releases) the 0.3 that undated pairs scored
# before merged condemnations of different attacks and strikes of different days.
UNDATED_TEXT_SCORE = 1.0

# A range wider than this (a year-precision date, a long `enddate`) is too vague to place an
# event next to day-dated ones: such reports only cluster among themselves. Judgement: a month
# and a few days, so that a month-precision date still meets the events of its month.
WIDE_DATE_DAYS = 35

# A planned act happens after it is announced. A plan dated `reported` (the announcement's date)
# links to the act within this many days after it; a plan with its own date (a day, a week)
# links to an act from that date to DATE_TOLERANCE_DAYS after its end. Judgement: visits and
# talks are announced days to a few weeks ahead; not fitted (no dev plan is announced more than
# four days ahead).
LINK_HORIZON_DAYS = 30

# Date agreement by the vaguer of the two precisions, for the score (1 = the same day).
# Judgement: a shared day says more than a shared month.
DATE_PRECISION_SCORE: dict[str, float] = {
    "day": 1.0,
    "reported": 0.75,
    "week": 0.6,
    "month": 0.35,
    "year": 0.15,
}
DATE_SCORE_PER_DAY_APART = 0.35  # subtracted for each day between the ranges (within tolerance)

# Which of two precisions is the vaguer (higher is vaguer).
PRECISION_RANK: dict[str, int] = {"day": 0, "reported": 1, "week": 2, "month": 3, "year": 4}

# --------------------------------------------------------------------------- places

# Two precise places (towns, districts) closer than this are one place: the same city's suburbs,
# a town and the district it lies in. Judgement (about a metropolitan area's radius).
PLACE_NEAR_KM = 40.0
# ... and farther than this are different places for certain: a different strike.
PLACE_FAR_KM = 150.0

# --------------------------------------------------------------------------- parties


# Sector families (data/sector_families.tsv, communique.sectors): parties of different families
# are different parties; within a family a different sector only weakens the match.


# Match strengths of one party against another (1 = certainly the same party). Judgement, in
# the order of how much each coincidence says; not fitted.
PARTY_SAME_NAME = 1.0  # the same identified name (person, organisation)
PARTY_SAME_CODE_SECTOR = 0.85  # same code, same sector (or one sector unknown), names not both
PARTY_SAME_CODE_NAMES_DIFFER = 0.7  # same code and sector, two different names (Rubio, Waltz)
PARTY_SAME_CODE_FAMILY = 0.6  # same code, sectors of one family (MIL, COP)
PARTY_NO_CODE = 0.35  # a side without a code: only the sector (or nothing) speaks for the match
# A role that one of the two reports leaves empty (no recipient found): neither for nor against.
ROLE_UNKNOWN = 0.45

# Types whose two sides can be coded either way round by different outlets: talks between A and
# B, cooperation of A and B. A visit (CONSULT mode `visit`) has a direction: the visitor is the
# actor. For every other type A -> B and B -> A are different events.
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE"})
DIRECTED_MODES = frozenset({"visit"})


# Modes of one type that cannot describe one event (data/incompatible_modes.tsv): a phone call
# is not a visit.
@cache
def incompatible_modes() -> frozenset[frozenset[str]]:
    rows = read_table("incompatible_modes.tsv")
    return frozenset(frozenset((row["mode_a"], row["mode_b"])) for row in rows)


# --------------------------------------------------------------------------- score

# The score of a compatible pair is a weighted sum of four agreements (each 0..1), minus
# penalties. Weights: judgement first (parties and evidence matter most), then the text weight
# compared on dev at 0.2, 0.3 and 0.4 (same-F1 0.918, 0.939, 0.936): 0.3 kept.
WEIGHT_PARTIES = 0.35
WEIGHT_DATE = 0.2
WEIGHT_PLACE = 0.15
WEIGHT_TEXT = 0.3

# Content-word Jaccard at or above this counts as full textual agreement (two outlets rarely
# share more than half their content words even when they report the same attack). Dev: 0.3,
# 0.45, 0.6 gave same-F1 0.936, 0.939, 0.918.
TEXT_FULL_AT = 0.45

PENALTY_MODE_DIFFERS = 0.1  # two different modes of one type (explosives, suicide-attack)
PENALTY_COUNTRY_DIFFERS = 0.25  # two different countries of the place
# Two records of one document: the coder keeps one record per event and document (`mentions`),
# so they are usually two events, but it misses some of its own repeats. Dev: 0, 0.1, 0.2, 0.3
# gave same-F1 0.940, 0.939, 0.924, 0.914 (precision 0.934, 0.944, 0.948, 0.947); 0.1 keeps
# most of the repeats at less cost to precision. (Two records of one sentence never merge.)
PENALTY_SAME_DOCUMENT = 0.1
PENALTY_AGREE_UNPLANNED = 0.1  # an AGREE without `planned` against a plan: maybe one agreement
# (judgement, as are the two penalties above: dev has too few such pairs to set them)

# A pair scoring at least this is one event. Set on dev: 0.4, 0.45, 0.5, 0.55, 0.6 gave
# precision 0.919, 0.929, 0.944, 0.963, 0.972 and recall 0.945, 0.934, 0.934, 0.856, 0.757.
SAME_THRESHOLD = 0.5
# A plan and an act scoring at least this are linked (the text of "will visit" and "visited"
# differ more than two reports of one visit, so the bar is lower). Dev link recall 1.0 up to
# 0.45, 0.97 at 0.55, 0.74 at 0.65, with 2 false links throughout up to 0.55.
LINK_THRESHOLD = 0.45

# --------------------------------------------------------------------------- clustering

# Members of a cluster a new report is compared with: the canonical report and the first few
# others in (date, id) order. Bounds the cost of a large cluster; the result depends only on the
# cluster's members, never on the order they came in. Dev: the canonical alone gave recall
# 0.82; 3, 6 and 20 members all 0.93 (6 leaves room for larger clusters than dev has).
MAX_COMPARED_MEMBERS = 6

# Blocking: clusters are filed by date bucket of this many days.
BUCKET_DAYS = 7
