"""The scorer of eval/FORMAT.md, on hand-made gold and predictions (no spaCy needed)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from communique.errors import GoldFormatError
from communique.evaluate import (
    GoldActor,
    GoldDocument,
    GoldEvent,
    evaluate_file,
    load_gold,
    pair_events,
    score,
)
from communique.records import QUAD_OF_TYPE, Document, Entity, EventRecord, Location, Skip

REPO = Path(__file__).resolve().parent.parent


def rec(
    event: str,
    actor: Iterable[str] = (),
    recipient: Iterable[str] = (),
    *,
    doc: str = "d1",
    status: str = "asserted",
    country: str | None = None,
    sectors: Iterable[str | None] = (),
    text: str = "",
) -> EventRecord:
    actors = [Entity(entity_text=c, code=c) for c in actor]
    for entity, sector in zip(actors, sectors, strict=False):
        entity.sector = sector
    return EventRecord(
        id=f"{doc}-{event}",
        doc_id=doc,
        event=event,
        quad_code=QUAD_OF_TYPE[event],
        status=status,
        actor=actors,
        recipient=[Entity(entity_text=c, code=c) for c in recipient],
        event_loc=Location(extracted_place="x", country_code=country) if country else None,
        text=text,
    )


def gev(
    event: str | None,
    actor: Iterable[str] = (),
    recipient: Iterable[str] = (),
    *,
    quad: int | None = None,
    optional: bool = False,
    status: str | None = None,
    country: str | None = None,
    sector: str | None = None,
) -> GoldEvent:
    return GoldEvent(
        event=event,
        quad=quad if quad is not None else (QUAD_OF_TYPE[event] if event else None),
        actor=tuple(GoldActor(code=c, sector=sector) for c in actor),
        recipient=tuple(GoldActor(code=c) for c in recipient),
        optional=optional,
        status=status,
        country_code=country,
    )


def gdoc(*events: GoldEvent, doc: str = "d1", complete: bool = True) -> GoldDocument:
    return GoldDocument(id=doc, text=f"text of {doc}", complete=complete, events=list(events))


def test_perfect_prediction() -> None:
    gold = [
        gdoc(gev("AGREE", ["RUS"], ["QAT"]), gev("CONSULT", ["RUS"], ["PSE"])),
        gdoc(gev("ASSAULT", ["ISR"]), doc="d2", complete=False),
    ]
    preds = {
        "d1": [rec("CONSULT", ["RUS"], ["PSE"]), rec("AGREE", ["RUS"], ["QAT"])],
        "d2": [rec("ASSAULT", ["ISR"], ["PSE"], doc="d2")],
    }
    report = score(gold, preds).to_dict()
    for level in ("type", "dyad"):
        assert report[level]["precision"] == 1.0
        assert report[level]["recall"] == 1.0
        assert report[level]["f1"] == 1.0
        assert (report[level]["tp"], report[level]["fp"], report[level]["fn"]) == (3, 0, 0)
    assert report["events_per_document"] == 1.5
    assert report["documents"]["total"] == 2
    assert report["confusion"] == {
        "AGREE": {"AGREE": 1},
        "ASSAULT": {"ASSAULT": 1},
        "CONSULT": {"CONSULT": 1},
    }


def test_empty_prediction() -> None:
    gold = [gdoc(gev("AGREE", ["RUS"])), gdoc(gev("PROTEST"), doc="d2", complete=False)]
    report = score(gold, {}).to_dict(errors=True)
    assert report["type"]["recall"] == 0.0
    assert report["type"]["fp"] == 0
    assert report["type"]["fn"] == 2
    assert report["type"]["precision"] is None  # nothing predicted on the complete document
    assert report["type"]["f1"] is None
    assert report["events_per_document"] == 0.0
    assert [e["kind"] for e in report["errors"]] == ["missed", "missed"]
    assert report["confusion"] == {"AGREE": {"-": 1}, "PROTEST": {"-": 1}}


def test_no_events_complete_doc_counts_false_positives() -> None:
    report = score([gdoc()], {"d1": [rec("PROTEST", text="Rain in Oslo.")]}).to_dict(errors=True)
    assert report["type"]["fp"] == 1
    assert report["type"]["precision"] == 0.0
    assert report["type"]["recall"] is None
    assert report["confusion"] == {"-": {"PROTEST": 1}}
    (error,) = report["errors"]
    assert error["kind"] == "false"
    assert error["text"] == "Rain in Oslo."
    assert error["predicted"].startswith("PROTEST")


def test_optional_events() -> None:
    gold = [gdoc(gev("AGREE", ["RUS"]), gev("CONSULT", ["RUS"], optional=True))]
    # the optional event found: neither a true positive nor a false positive
    report = score(gold, {"d1": [rec("AGREE", ["RUS"]), rec("CONSULT", ["RUS"])]}).to_dict()
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (1, 0, 0)
    assert report["type"]["precision"] == 1.0
    # the optional event missed: not a false negative
    report = score(gold, {"d1": [rec("AGREE", ["RUS"])]}).to_dict()
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (1, 0, 0)
    assert report["documents"]["optional_gold_events"] == 1


def test_required_event_preferred_over_optional() -> None:
    gold = [gdoc(gev("CONSULT", ["RUS"], optional=True), gev("CONSULT", ["RUS"]))]
    report = score(gold, {"d1": [rec("CONSULT", ["RUS"])]}).to_dict()
    assert (report["type"]["tp"], report["type"]["fn"]) == (1, 0)


def test_precision_only_on_complete_documents() -> None:
    gold = [
        gdoc(gev("AGREE"), doc="c", complete=True),
        gdoc(gev("AGREE"), doc="i", complete=False),
    ]
    preds = {
        "c": [rec("AGREE", doc="c"), rec("REJECT", doc="c")],
        "i": [rec("AGREE", doc="i"), rec("REJECT", doc="i"), rec("ACCUSE", doc="i")],
    }
    report = score(gold, preds).to_dict(errors=True)
    t = report["type"]
    assert (t["tp"], t["fp"], t["fn"], t["tp_complete"]) == (2, 1, 0, 1)
    assert t["precision"] == 0.5
    assert t["recall"] == 1.0
    assert t["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert [e["doc_id"] for e in report["errors"] if e["kind"] == "false"] == ["c"]
    # only an incomplete document: precision has no value
    only = score([gold[1]], {"i": preds["i"]}).to_dict()
    assert only["type"]["precision"] is None
    assert only["type"]["fp"] == 0


def test_igo_uno_eur_are_one_class() -> None:
    gold = [gdoc(gev("REQUEST", ["UNO"], ["EUR"]))]
    report = score(gold, {"d1": [rec("REQUEST", ["IGO"], ["uno"])]}).to_dict()
    assert report["dyad"]["tp"] == 1
    report = score(gold, {"d1": [rec("REQUEST", ["NGO"], ["IGO"])]}).to_dict()
    assert (report["type"]["tp"], report["dyad"]["tp"], report["dyad"]["fn"]) == (1, 0, 1)


def test_quad_only_gold() -> None:
    gold = [gdoc(gev(None, ["USA"], quad=4))]
    report = score(gold, {"d1": [rec("SANCTION", ["USA"])]}).to_dict()
    assert report["type"]["tp"] == 1
    assert report["dyad"]["tp"] == 1
    assert report["confusion"] == {"quad 4": {"SANCTION": 1}}
    report = score(gold, {"d1": [rec("THREATEN", ["USA"])]}).to_dict()  # quad 3
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (0, 1, 1)


def test_one_to_one_pairing() -> None:
    gold = [gdoc(gev("ACCUSE", ["USA"]))]
    report = score(gold, {"d1": [rec("ACCUSE", ["USA"]), rec("ACCUSE", ["USA"])]}).to_dict()
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (1, 1, 0)
    assert report["type"]["precision"] == 0.5


def test_dyad_matches_paired_first() -> None:
    gold = [gdoc(gev("ACCUSE", ["USA"], ["IRN"]), gev("ACCUSE", ["IRN"], ["USA"]))]
    # output order would pair the first gold with the first prediction if type came first
    preds = [rec("ACCUSE", ["IRN"], ["USA"]), rec("ACCUSE", ["USA"], ["IRN"])]
    pairs = pair_events(gold[0].events, preds)
    assert pairs == {0: (1, True), 1: (0, True)}
    assert score(gold, {"d1": preds}).to_dict()["dyad"]["tp"] == 2


def test_pairing_is_maximal() -> None:
    # a greedy pairing in order would give the first prediction to the first gold event
    gold = [gdoc(gev(None, quad=1), gev("AGREE"))]
    preds = [rec("AGREE"), rec("CONSULT")]
    assert score(gold, {"d1": preds}).to_dict()["type"]["tp"] == 2


def test_dyad_vs_type() -> None:
    gold = [gdoc(gev("THREATEN", ["PRK"], ["KOR"]))]
    report = score(gold, {"d1": [rec("THREATEN", ["PRK"], ["USA"])]}).to_dict(errors=True)
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (1, 0, 0)
    assert (report["dyad"]["tp"], report["dyad"]["fp"], report["dyad"]["fn"]) == (0, 1, 1)
    assert [e["kind"] for e in report["errors"]] == ["dyad"]
    # gold without recipient codes: the recipient is not constrained
    gold = [gdoc(gev("THREATEN", ["PRK"]))]
    report = score(gold, {"d1": [rec("THREATEN", ["PRK"], ["USA"])]}).to_dict()
    assert report["dyad"]["tp"] == 1
    # some predicted actor among the gold actors is enough
    gold = [gdoc(gev("AGREE", ["USA", "JOR"]))]
    report = score(gold, {"d1": [rec("AGREE", ["GBR", "JOR"])]}).to_dict()
    assert report["dyad"]["tp"] == 1


def test_agreements() -> None:
    gold = [
        gdoc(
            gev("AGREE", ["RUS"], status="future", country="QAT", sector="GOV"),
            gev("CONSULT", ["RUS"], status="asserted", country="QAT", sector="GOV"),
            gev("PROTEST", ["FRA"]),
        )
    ]
    preds = [
        rec("AGREE", ["RUS"], status="future", country="QAT", sectors=["GOV"]),
        rec("CONSULT", ["RUS"], status="hypothetical", sectors=["MIL"]),
        rec("PROTEST", ["FRA"], status="negated"),
    ]
    agreement = score(gold, {"d1": preds}).to_dict()["agreement"]
    assert agreement["status"] == {"share": 0.5, "agree": 1, "scored": 2}
    assert agreement["country_code"] == {"share": 0.5, "agree": 1, "scored": 2}
    assert agreement["sector"] == {"share": 0.5, "agree": 1, "scored": 2}
    assert agreement["planned"] == {"share": None, "agree": 0, "scored": 0}


def test_report_json_shape() -> None:
    report = score([gdoc(gev("AGREE"))], {"d1": [rec("AGREE")], "zz": []}, gold_sha256="abc")
    data = json.loads(json.dumps(report.to_dict(errors=True)))
    for key in ("type", "dyad", "agreement", "events_per_document", "documents", "confusion"):
        assert key in data
    assert set(data["type"]) >= {"precision", "recall", "f1", "tp", "fp", "fn"}
    assert data["errors"] == []
    assert data["gold_sha256"] == "abc"
    assert data["documents"]["unknown_ids"] == ["zz"]
    assert "errors" not in report.to_dict()


# ------------------------------------------------------------------ gold files


def write(tmp_path: Path, *rows: Any, name: str = "gold.jsonl") -> Path:
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROW = {"id": "a", "text": "Protesters marched.", "complete": True, "events": [{"event": "PROTEST"}]}


def test_load_gold_text_and_file(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "b.txt").write_text("A long briefing.", encoding="utf-8")
    row_b = {"id": "b", "file": "docs/b.txt", "complete": False, "events": []}
    gold = load_gold(write(tmp_path, ROW, "", row_b))
    assert [d.id for d in gold.documents] == ["a", "b"]
    assert gold.documents[1].text == "A long briefing."
    assert gold.documents[1].line == 3
    assert len(gold.sha256) == 64


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ({**ROW, "text": None}, "exactly one of 'text' and 'file'"),
        ({**ROW, "file": "missing.txt"}, "exactly one"),
        ({"id": "b", "file": "missing.txt", "complete": True, "events": []}, "cannot be read"),
        ({**ROW, "complete": "yes"}, "'complete'"),
        ({**ROW, "events": [{"event": "PUNCH"}]}, "not a PLOVER 2.0 type"),
        ({**ROW, "events": [{"event": "AGREE", "quad": 4}]}, "quad 1, not 4"),
        ({**ROW, "events": [{"actor": [{"code": "USA"}]}]}, "needs 'event' or 'quad'"),
        ({**ROW, "events": [{"quad": 1, "status": "maybe"}]}, "'status'"),
        ({**ROW, "events": [{"quad": 1, "actor": "USA"}]}, "'actor' must be a list"),
        ({**ROW, "id": "a"}, "already used on line 1"),
    ],
)
def test_load_gold_errors_name_the_line(tmp_path: Path, bad: Any, message: str) -> None:
    path = write(tmp_path, ROW, bad)
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    assert f"{path}:2:" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize("name", ["seed-gold.jsonl", "plover-gsr.jsonl"])
def test_shipped_gold_files_load(name: str) -> None:
    gold = load_gold(REPO / "eval" / name)
    assert gold.documents
    report = score(gold, {}).to_dict()
    assert report["type"]["recall"] == 0.0
    assert report["gold_sha256"] == gold.sha256


@dataclass
class DocumentResult:
    """The shape of `communique.pipeline.DocumentResult` (that module loads spaCy)."""

    document: Document | None
    skip: Skip | None = None
    records: list[EventRecord] = field(default_factory=list)


class FakeCoder:
    """Predicts each gold event's type, with no actors: perfect type, partial dyad."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        for item in items:
            if isinstance(item, Skip):
                yield DocumentResult(document=None, skip=item)
                continue
            events = self.answers.get(item.id, [])
            yield DocumentResult(item, records=[rec(e, doc=item.id) for e in events])


def test_evaluate_file_codes_the_gold_documents() -> None:
    ingest = pytest.importorskip("communique.ingest")
    if not hasattr(ingest, "read_documents"):
        pytest.skip("communique.ingest.read_documents is not written yet")
    gold = REPO / "eval" / "seed-gold.jsonl"
    coder = FakeCoder({"doha-briefing": ["AGREE", "AGREE", "CONSULT", "PROTEST"]})
    report = evaluate_file(gold, coder).to_dict()
    assert report["documents"]["skipped"] == []
    assert report["documents"]["unknown_ids"] == []
    assert (report["type"]["tp"], report["type"]["fp"], report["type"]["fn"]) == (3, 1, 0)
    assert report["dyad"]["tp"] == 0  # every gold event gives actor codes; no prediction has any


# ------------------------------------------------ the project's own labelled sentences


def test_parties_given_by_text_match_by_shared_content_word() -> None:
    """Held-out labels name parties by text only: "the Iraqi army" matches "Iraqi army"."""
    gold = [GoldDocument("s1", "t", True, [
        GoldEvent(event="ASSAULT", actor=(GoldActor(text="the Iraqi army"),),
                  recipient=(GoldActor(text="Islamic State fighters"),)),
    ])]  # fmt: skip
    right = EventRecord(id="p1", doc_id="s1", event="ASSAULT", quad_code=4,
                        actor=[Entity(entity_text="Iraqi army")],
                        recipient=[Entity(entity_text="fighters")])  # fmt: skip
    wrong = EventRecord(id="p2", doc_id="s1", event="ASSAULT", quad_code=4,
                        actor=[Entity(entity_text="the government")],
                        recipient=[Entity(entity_text="fighters")])  # fmt: skip
    assert score(gold, {"s1": [right]}).dyad.tp == 1
    report = score(gold, {"s1": [wrong]})
    assert (report.type.tp, report.dyad.tp) == (1, 0)


def test_macro_f1_weighs_each_type_alike_and_no_event_is_scored() -> None:
    gold = [
        GoldDocument("a", "t", True, [GoldEvent(event="ASSAULT")]),
        GoldDocument("b", "t", True, [GoldEvent(event="ASSAULT")]),
        GoldDocument("c", "t", True, [GoldEvent(event="AID")]),
        GoldDocument("d", "t", True, []),  # no event, none predicted: a no-event hit
        GoldDocument("e", "t", True, []),  # no event, one predicted: a no-event miss
    ]
    predictions = {
        "a": [rec("ASSAULT", doc="a")],
        "b": [rec("ASSAULT", doc="b")],
        "c": [],  # AID missed: predicted "no event" where there is one
        "e": [rec("PROTEST", doc="e")],
    }
    report = score(gold, predictions)
    # ASSAULT F1 1.0, AID F1 0.0 (PROTEST has no gold, so it is not averaged but costs nothing
    # here beyond its false positive)
    assert report.type_macro_f1 == pytest.approx(0.5)
    assert report.by_type["PROTEST"].fp == 1
    no_event = report.to_dict()["no_event"]
    assert (no_event["precision"], no_event["recall"]) == (0.5, 0.5)
