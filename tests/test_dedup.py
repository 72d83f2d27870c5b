"""Cross-document deduplication (communique.dedup): what users of clusters rely on."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from communique.dedup import (
    ClusterIndex,
    EventReport,
    Party,
    Place,
    cluster_id_for,
    compare,
    match_window,
    report_from_dict,
    report_of,
)
from communique.dedup.evaluate import evaluate, load_pairs, main
from communique.errors import GoldFormatError
from communique.records import CiteInfo, Entity, EventRecord, Location, PlannedAct

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "eval" / "dedup-pairs.jsonl"
FLOORS = REPO / "eval" / "dedup-floors.json"

USA = Party("USA", "GOV", "marco rubio")
UKR = Party("UKR", "GOV", None)
JEDDAH = Place("SAU", 21.543, 39.173, "jeddah", True)


def report(event_id: str, **changes: object) -> EventReport:
    """A report of US-Ukraine talks in Jeddah on 2025-03-11, with `changes`."""
    base = EventReport(
        event_id=event_id,
        doc_id=f"doc-{event_id}",
        publisher=f"outlet {event_id}",
        event="CONSULT",
        mode=None,
        status="asserted",
        planned=None,
        planned_mode=None,
        actors=(USA,),
        recipients=(UKR,),
        date=dt.date(2025, 3, 11),
        enddate=dt.date(2025, 3, 11),
        date_precision="day",
        place=JEDDAH,
        text="US and Ukrainian officials held more than eight hours of talks in Jeddah.",
        published=dt.date(2025, 3, 11),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def strike(event_id: str, **changes: object) -> EventReport:
    """A report of an air strike by Israel's military on Gaza City on 2024-05-02."""
    base = report(
        event_id,
        event="ASSAULT",
        mode="aerial",
        actors=(Party("ISR", "MIL", None),),
        recipients=(Party("PSE", "CVL", None),),
        date=dt.date(2024, 5, 2),
        enddate=dt.date(2024, 5, 2),
        place=Place("PSE", 31.50, 34.47, "gaza", True),
        text="An Israeli air strike hit a residential building in Gaza City, killing six people.",
        published=dt.date(2024, 5, 2),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def partition(index: ClusterIndex) -> set[frozenset[str]]:
    return {frozenset(c.member_ids) for c in index.clusters()}


def links_by_members(index: ClusterIndex) -> set[frozenset[frozenset[str]]]:
    members = {c.id: frozenset(c.member_ids) for c in index.clusters()}
    return {frozenset((members[a], members[b])) for a, b in index.links()}


# --------------------------------------------------------------------------- behaviour


def test_ten_outlets_reporting_one_meeting_are_one_cluster_with_ten_sources() -> None:
    wordings = [
        "US and Ukrainian officials held more than eight hours of talks in Jeddah.",
        "Rubio led talks with a Ukrainian delegation in Jeddah on Tuesday.",
        "American and Ukrainian delegations met in Jeddah, Saudi Arabia.",
        "Talks between the US and Ukraine in Jeddah lasted more than eight hours.",
        "Secretary of State Rubio met Ukrainian officials in the Saudi city of Jeddah.",
    ]
    reports = [
        report(
            f"r{n}",
            text=wordings[n % len(wordings)],
            date_precision="reported" if n % 3 == 0 else "day",
            date=dt.date(2025, 3, 11 + (n % 3 == 0)),
            enddate=dt.date(2025, 3, 11 + (n % 3 == 0)),
            recipients=() if n == 4 else (UKR,),
            place=None if n == 7 else JEDDAH,
        )
        for n in range(10)
    ]
    index = ClusterIndex()
    assignments = index.add(reports)
    assert len({a.cluster_id for a in assignments}) == 1
    (cluster,) = index.clusters()
    assert cluster.num_sources == 10 and cluster.num_articles == 10
    assert sorted(cluster.member_ids) == sorted(r.event_id for r in reports)
    assert cluster.event == "CONSULT" and cluster.kind == "act"
    assert (cluster.date_start, cluster.date_end) == (dt.date(2025, 3, 11), dt.date(2025, 3, 12))


def test_sources_count_publishers_and_an_unknown_publisher_counts_its_document() -> None:
    reports = [
        report("a", publisher="meridian wire", doc_id="d1"),
        report("b", publisher="meridian wire", doc_id="d2"),
        report("c", publisher=None, doc_id="d3"),
        report("d", publisher=None, doc_id="d4"),
    ]
    index = ClusterIndex()
    index.add(reports)
    (cluster,) = index.clusters()
    assert cluster.num_articles == 4
    assert cluster.num_sources == 3  # one wire, two documents of unknown origin


def test_reversed_direction_is_another_event() -> None:
    a_to_b = strike("a")
    b_to_a = strike(
        "b",
        actors=(Party("PSE", "REB", "hamas"),),
        recipients=(Party("ISR", "CVL", None),),
        mode=None,
        text="Hamas fired rockets at southern Israel, wounding two people.",
    )
    assert compare(a_to_b, b_to_a).verdict == "different"
    index = ClusterIndex()
    index.add([a_to_b, b_to_a])
    assert len(index) == 2


def test_talks_coded_either_way_round_are_one_meeting_but_visits_have_a_direction() -> None:
    forward = report("a")
    backward = report("b", actors=(UKR,), recipients=(USA,))
    assert compare(forward, backward).verdict == "same"
    visit = report("c", mode="visit", text="Rubio visited Kyiv.", place=None)
    return_visit = report("d", mode="visit", actors=(UKR,), recipients=(USA,), place=None)
    assert compare(visit, return_visit).verdict == "different"
    assert compare(visit, return_visit).reason == "reversed direction"


def test_a_planned_visit_is_linked_to_the_visit_not_merged() -> None:
    plan = report(
        "plan",
        event="AGREE",
        status="future",
        planned="CONSULT",
        planned_mode="visit",
        date=dt.date(2025, 3, 7),
        enddate=dt.date(2025, 3, 7),
        date_precision="reported",
        text="Rubio will travel to Jeddah next week for talks with Ukrainian officials.",
        published=dt.date(2025, 3, 7),
    )
    visit = report("visit", mode="visit")
    assert compare(plan, visit).verdict == "linked"
    index = ClusterIndex()
    first = index.add([plan])
    second = index.add([visit])
    plan_cluster, visit_cluster = first[0].cluster_id, second[0].cluster_id
    assert plan_cluster != visit_cluster
    assert second[0].linked_to == (plan_cluster,)
    assert index.cluster(plan_cluster).links == (visit_cluster,)
    assert index.cluster(plan_cluster).kind == "plan"
    assert index.links() == [tuple(sorted((plan_cluster, visit_cluster)))]


def test_an_act_before_the_planned_day_is_not_its_realisation() -> None:
    plan = report(
        "plan",
        event="AGREE",
        status="future",
        planned="CONSULT",
        date=dt.date(2025, 3, 20),
        enddate=dt.date(2025, 3, 20),
    )
    assert compare(plan, report("earlier")).verdict == "different"


def test_same_dyad_days_apart_is_another_event() -> None:
    first = strike("a")
    later = strike("b", date=dt.date(2024, 5, 9), enddate=dt.date(2024, 5, 9))
    assert compare(first, later).reason == "dates apart"
    index = ClusterIndex()
    index.add([first, later])
    assert len(index) == 2


def test_a_follow_up_dated_by_its_publication_meets_the_event() -> None:
    follow_up = strike(
        "b",
        date=dt.date(2024, 5, 4),
        enddate=dt.date(2024, 5, 4),
        date_precision="reported",
        text="The death toll from the Israeli air strike on a Gaza City building rose to nine.",
    )
    assert compare(strike("a"), follow_up).verdict == "same"


def test_a_different_strike_in_another_town_is_another_event() -> None:
    khan_younis = strike("b", place=Place("PSE", 31.34, 34.30, "khan younis", True))
    assert compare(strike("a"), khan_younis).verdict == "same"  # 23 km: one area
    rafah_far = strike("c", place=Place("EGY", 30.0, 32.5, "suez", True))
    assert compare(strike("a"), rafah_far).reason == "places apart"


def test_a_denial_never_corroborates_the_act() -> None:
    denial = strike("b", status="negated", text="Israel denied striking the building.")
    assert compare(strike("a"), denial).verdict == "different"


def test_two_events_of_one_sentence_stay_two() -> None:
    text = "Forces killed six attackers at the hotel and 50 militants in airstrikes."
    a = strike("a", doc_id="d", text=text)
    b = strike("b", doc_id="d", text=text)
    assert compare(a, b).reason == "same sentence"


def test_readding_the_same_reports_changes_nothing() -> None:
    reports = [strike("a"), strike("b"), strike("c", date=dt.date(2024, 6, 1))]
    index = ClusterIndex()
    first = index.add(reports)
    before = list(index.clusters())
    again = index.add(list(reversed(reports)))
    assert {a.event_id: a.cluster_id for a in again} == {a.event_id: a.cluster_id for a in first}
    assert not any(a.founded for a in again)
    assert list(index.clusters()) == before
    assert index.num_events == 3 and "a" in index and "zzz" not in index


def test_cluster_ids_come_from_the_founding_event_and_are_deterministic() -> None:
    reports = [strike("b"), strike("a")]
    index = ClusterIndex()
    out = index.add(reports)
    (cluster,) = index.clusters()
    founder = next(a for a in out if a.founded)
    assert cluster.id == cluster_id_for(founder.event_id)
    assert cluster.id.startswith("c-") and len(cluster.id) == 18
    other = ClusterIndex()
    other.add(list(reversed(reports)))  # one batch: its order does not matter
    assert [c.id for c in other.clusters()] == [cluster.id]


def test_canonical_event_is_the_best_specified_asserted_report() -> None:
    vague = strike("a", date_precision="reported", mode=None, place=None)
    full = strike("z")
    denial = strike("b", status="negated")
    index = ClusterIndex()
    index.add([vague, full, denial])
    cluster = index.cluster(index.cluster_of("a") or "")
    assert cluster.canonical_id == "z"


def labelled_reports() -> list[EventReport]:
    seen: dict[str, EventReport] = {}
    for pair in load_pairs(PAIRS):
        for r in (pair.a, pair.b):
            seen.setdefault(r.event_id, r)
    return sorted(seen.values(), key=lambda r: (r.published or dt.date.min, r.event_id))


def test_continuing_from_stored_members_equals_one_run() -> None:
    reports = labelled_reports()
    cut = dt.date(2025, 3, 12)
    first = [r for r in reports if r.published and r.published <= cut]
    second = [r for r in reports if not (r.published and r.published <= cut)]
    assert first and second

    one_run = ClusterIndex()
    one_run.add(first)
    stored_members = list(one_run.members())
    stored_links = one_run.links()
    stored_spans = {c.id: (c.date_start, c.date_end) for c in one_run.clusters()}
    one_run.add(second)

    # the store loads only the clusters in the new reports' window, then continues
    window = match_window(second)
    assert window is not None
    loaded = {
        cid
        for cid, (start, end) in stored_spans.items()
        if start is None or end is None or (end >= window[0] and start <= window[1])
    }
    assert loaded < set(stored_spans)  # some clusters are out of the window and stay unloaded
    resumed = ClusterIndex.from_members(
        [(r, cid) for r, cid in stored_members if cid in loaded], stored_links
    )
    resumed.add(second)

    unloaded = set(stored_spans) - loaded
    unloaded_members = {
        frozenset(r.event_id for r, cid in stored_members if cid == u) for u in unloaded
    }
    assert partition(resumed) == partition(one_run) - unloaded_members
    for r in second:
        assert resumed.cluster_of(r.event_id) == one_run.cluster_of(r.event_id)
    kept = {c.id for c in resumed.clusters()}
    assert set(resumed.links()) == {
        link for link in one_run.links() if link[0] in kept or link[1] in kept
    }


def test_one_batch_gives_one_result_whatever_its_order() -> None:
    reports = labelled_reports()
    base = ClusterIndex()
    base.add(reports)
    shuffled = reports[:]
    random.Random(3).shuffle(shuffled)
    other = ClusterIndex()
    other.add(shuffled)
    assert partition(other) == partition(base)
    assert sorted(c.id for c in other.clusters()) == sorted(c.id for c in base.clusters())
    assert other.links() == base.links()


def test_blocking_finds_what_a_full_scan_would() -> None:
    """Every report that joins no cluster has no `same` verdict with any earlier cluster's
    canonical report: blocking never hides a candidate the scoring would take."""
    reports = labelled_reports()
    index = ClusterIndex()
    for r in reports:
        (assignment,) = index.add([r])
        if not assignment.founded:
            continue
        for cluster in index.clusters():
            if cluster.id == assignment.cluster_id:
                continue
            canonical = next(x for x in reports if x.event_id == cluster.canonical_id)
            assert compare(r, canonical).verdict != "same" or r.doc_id == canonical.doc_id


# --------------------------------------------------------------------------- records in


def test_report_of_reads_an_event_record() -> None:
    record = EventRecord(
        id="e1",
        doc_id="d1",
        event="AGREE",
        quad_code=1,
        status="future",
        planned=PlannedAct("CONSULT", "visit"),
        actor=[Entity("Mikhail Bogdanov", "RUS", "GOV", identifier_text="Mikhail Bogdanov")],
        recipient=[Entity("the Qatari government", "qat", "unk")],
        date="2023-10-23",
        enddate="2023-10-29",
        date_precision="week",
        event_loc=Location("Doha", "Doha", 290030, 25.2854, 51.531, "QAT", "PPLC", "city"),
        text="Bogdanov will visit Doha next week.",
        cite_info=CiteInfo(publication="  The  Moscow-Times ", publication_date="2023-10-20"),
    )
    r = report_of(record)
    assert r.publisher == "moscow times"
    assert r.planned == "CONSULT" and r.planned_mode == "visit"
    assert r.actors == (Party("RUS", "GOV", "mikhail bogdanov"),)
    assert r.recipients == (Party("QAT", None, "qatari government"),)
    assert (r.date, r.enddate) == (dt.date(2023, 10, 23), dt.date(2023, 10, 29))
    assert r.place == Place("QAT", 25.2854, 51.531, "doha", True)
    assert r.published == dt.date(2023, 10, 20)
    assert report_from_dict(record.to_dict()) == r
    unknown = report_of(EventRecord(id="e2", doc_id="d2", event="PROTEST", quad_code=4))
    assert unknown.publisher is None and unknown.source_key == "doc:d2"
    assert unknown.date is None and unknown.place is None


def test_undated_reports_only_meet_undated_ones() -> None:
    undated = strike("a", date=None, enddate=None, date_precision=None)
    assert compare(undated, strike("b")).verdict == "different"
    assert match_window([undated]) is None


# --------------------------------------------------------------------------- the labelled set


def test_labelled_pairs_file_is_well_formed() -> None:
    pairs = load_pairs(PAIRS)
    labels = [p.label for p in pairs]
    assert len(pairs) >= 350
    assert labels.count("same") >= 120
    assert labels.count("different") >= 150
    assert labels.count("linked") >= 30
    heldout = sum(p.split == "heldout" for p in pairs) / len(pairs)
    assert 0.25 <= heldout <= 0.35
    stories = {
        json.loads(line)["id"]
        for line in (REPO / "eval" / "dedup-stories.jsonl").read_text("utf-8").splitlines()
    }
    for line in PAIRS.read_text("utf-8").splitlines():
        data = json.loads(line)
        for side in ("a", "b"):
            source = data["provenance"][side]
            if source["source"] == "written for communique":
                assert source["story"] in stories


def test_bad_pairs_line_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "pairs.jsonl"
    bad.write_text('{"pair_id": "x", "a": {}, "b": {}, "label": "same", "split": "dev"}\n')
    with pytest.raises(GoldFormatError, match="line 1"):
        load_pairs(bad)


def test_dev_split_meets_its_floors() -> None:
    floors = json.loads(FLOORS.read_text("utf-8"))["eval/dedup-pairs.jsonl"]
    assert hashlib.sha256(PAIRS.read_bytes()).hexdigest() == floors["sha256"], (
        "eval/dedup-pairs.jsonl changed: rerun the evaluator and update eval/dedup-floors.json"
    )
    result = evaluate(load_pairs(PAIRS), "dev")
    for name, floor in floors["dev"].items():
        section, figure = name.split(".")
        assert result[section][figure] >= floor, f"dev {name} {result[section][figure]} < {floor}"


def test_evaluate_entry_point_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(PAIRS), "--split", "dev", "--batches", "one"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["split"] == "dev" and out["labels"]["linked"] > 0
    assert set(out["same"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert "errors" not in out
    assert main([str(REPO / "no-such-file.jsonl")]) == 2


def test_dates_at_the_ends_of_the_calendar_cluster_without_error() -> None:
    first = report("a", date=dt.date.min, enddate=dt.date.min)
    last = report("b", date=dt.date.max, enddate=dt.date.max)
    assert match_window([first, last]) == (dt.date.min, dt.date.max)
    index = ClusterIndex()
    assert len({a.cluster_id for a in index.add([first, last])}) == 2


def test_undated_reports_merge_only_as_the_same_sentence() -> None:
    def undated(event_id: str, text: str) -> EventReport:
        return report(event_id, date=None, enddate=None, published=None, place=None, text=text)

    condemn = "The United States strongly condemns the terrorist attack in Baghdad."
    elsewhere = "We condemn ISIL's multiple suicide bombings in the town of Tel Tamer in Hasaka."
    assert compare(undated("a", condemn), undated("b", condemn)).verdict == "same"
    assert compare(undated("a", condemn), undated("c", elsewhere)).verdict == "different"
    killed = condemn.replace("attack", "attack that killed 23")
    other_day = killed.replace("23", "15")  # a daily release's template, another day's number
    assert compare(undated("d", killed), undated("e", other_day)).verdict == "different"
