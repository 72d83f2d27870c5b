"""The accuracy harness: read a gold file, pair gold and predicted events, report the figures.

The scoring rules are those of `eval/FORMAT.md`; this module is their only implementation.

Pairing. Within one document, gold and predicted events are paired one to one in four rounds,
best first: (1) required gold events with predictions that *dyad*-match them, (2) the required
gold events still unpaired with the predictions still free that *type*-match them, (3) and (4)
the same for optional gold events. Each round is a maximum bipartite matching (augmenting paths,
gold events taken in file order, predictions in output order), and a round never undoes the pairs
of an earlier one. So dyad matches come before type-only matches, and required events before
optional ones.

Counting. A required gold event that is paired counts as a true positive of `type`, and of `dyad`
if the pair is a dyad match; unpaired (or only type-paired, for `dyad`) it is a false negative.
Optional gold events are never false negatives, and a prediction paired with one is neither a
true nor a false positive. Only documents marked `complete: true` give false positives: there a
prediction left unpaired is a `type` (and `dyad`) false positive, and one only type-paired is a
`dyad` false positive. Precision is `tp / (tp + fp)` over complete documents only; recall is over
the required gold events of every document. A figure whose denominator is 0 is `None` (JSON null).

Agreement figures are shares over every pair (required or optional) where the gold event gives
the field. Confusion: for each required gold event, the type of the prediction paired with it;
an unpaired one counts once against each distinct predicted type left unpaired in its document,
or against "-" when none is left; predictions that are false positives count in the row "-".
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from communique.errors import GoldFormatError
from communique.records import (
    PLOVER_TYPES,
    QUAD_OF_TYPE,
    STATUSES,
    Document,
    Entity,
    EventRecord,
    Skip,
)

IGO_CLASS = frozenset({"IGO", "UNO", "EUR"})  # counted as one class
NONE_LABEL = "-"
_AGREEMENTS = ("status", "country_code", "sector", "planned")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldActor:
    text: str | None = None
    code: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    event: str | None = None  # PLOVER 2.0 type; None where the gold gives only the quad
    quad: int | None = None
    actor: tuple[GoldActor, ...] = ()
    recipient: tuple[GoldActor, ...] = ()
    status: str | None = None
    planned: str | None = None  # the intended event type of a future/hypothetical AGREE
    country_code: str | None = None  # location.country_code
    optional: bool = False
    note: str | None = None

    @property
    def label(self) -> str:
        return self.event if self.event is not None else f"quad {self.quad}"


@dataclass
class GoldDocument:
    id: str
    text: str
    complete: bool
    events: list[GoldEvent] = field(default_factory=list)
    date: str | None = None
    line: int = 0


@dataclass
class GoldFile:
    path: str
    sha256: str
    documents: list[GoldDocument]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_gold(path: str | Path) -> GoldFile:
    """Read and check a gold file. Raises `GoldFormatError` naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GoldFormatError(f"gold file {path} cannot be read: {exc.strerror}") from None
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise GoldFormatError(f"gold file {path} is not UTF-8 text") from None
    docs: list[GoldDocument] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: not valid JSON ({exc.msg})") from None
        doc = _gold_document(row, path.parent, where)
        doc.line = number
        if doc.id in seen:
            raise GoldFormatError(f"{where}: id {doc.id!r} already used on line {seen[doc.id]}")
        seen[doc.id] = number
        docs.append(doc)
    return GoldFile(str(path), hashlib.sha256(raw).hexdigest(), docs)


def _gold_document(row: Any, folder: Path, where: str) -> GoldDocument:
    if not isinstance(row, dict):
        raise GoldFormatError(f"{where}: each line must be a JSON object (see eval/FORMAT.md)")
    doc_id = row.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise GoldFormatError(f"{where}: 'id' must be a non-empty string")
    text, file = row.get("text"), row.get("file")
    if (text is None) == (file is None):
        raise GoldFormatError(f"{where}: give exactly one of 'text' and 'file'")
    if file is not None:
        if not isinstance(file, str) or not file:
            raise GoldFormatError(f"{where}: 'file' must be a path relative to the gold file")
        try:
            text = (folder / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldFormatError(
                f"{where}: 'file' {file} cannot be read as UTF-8: {exc}"
            ) from None
    if not isinstance(text, str):
        raise GoldFormatError(f"{where}: 'text' must be a string")
    complete = row.get("complete")
    if not isinstance(complete, bool):
        raise GoldFormatError(f"{where}: 'complete' must be true or false")
    date = row.get("date")
    if date is not None and not (isinstance(date, str) and len(date) == 10):
        raise GoldFormatError(f"{where}: 'date' must be YYYY-MM-DD")
    events = row.get("events")
    if not isinstance(events, list):
        raise GoldFormatError(f"{where}: 'events' must be a list (empty when the text has none)")
    parsed = [_gold_event(e, f"{where}: event {i + 1}") for i, e in enumerate(events)]
    return GoldDocument(doc_id, text, complete, parsed, date)


def _gold_event(data: Any, where: str) -> GoldEvent:
    if not isinstance(data, dict):
        raise GoldFormatError(f"{where}: must be a JSON object")
    event, quad = data.get("event"), data.get("quad")
    if event is not None and event not in PLOVER_TYPES:
        raise GoldFormatError(f"{where}: 'event' {event!r} is not a PLOVER 2.0 type")
    if quad is not None and (isinstance(quad, bool) or quad not in (1, 2, 3, 4)):
        raise GoldFormatError(f"{where}: 'quad' must be 1, 2, 3 or 4")
    if event is None and quad is None:
        raise GoldFormatError(f"{where}: needs 'event' or 'quad'")
    if event is not None and quad is not None and QUAD_OF_TYPE[event] != quad:
        raise GoldFormatError(f"{where}: {event} is quad {QUAD_OF_TYPE[event]}, not {quad}")
    status = data.get("status")
    if status is not None and status not in STATUSES:
        raise GoldFormatError(f"{where}: 'status' must be one of {', '.join(STATUSES)}")
    planned = data.get("planned")
    if planned is not None and not (
        isinstance(planned, dict) and planned.get("event") in PLOVER_TYPES
    ):
        raise GoldFormatError(f"{where}: 'planned' must be an object with a PLOVER 'event'")
    location = data.get("location")
    if location is not None and not isinstance(location, dict):
        raise GoldFormatError(f"{where}: 'location' must be an object")
    country = (location or {}).get("country_code")
    optional = data.get("optional", False)
    if not isinstance(optional, bool):
        raise GoldFormatError(f"{where}: 'optional' must be true or false")
    note = data.get("note")
    return GoldEvent(
        event=event,
        quad=quad,
        actor=_gold_actors(data.get("actor"), f"{where}: 'actor'"),
        recipient=_gold_actors(data.get("recipient"), f"{where}: 'recipient'"),
        status=status,
        planned=planned["event"] if planned else None,
        country_code=_optional_str(country, f"{where}: 'location.country_code'"),
        optional=optional,
        note=note if isinstance(note, str) else None,
    )


def _gold_actors(data: Any, where: str) -> tuple[GoldActor, ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(a, dict) for a in data):
        raise GoldFormatError(f"{where} must be a list of objects")
    return tuple(
        GoldActor(
            _optional_str(a.get("text"), f"{where} text"),
            _optional_str(a.get("code"), f"{where} code"),
            _optional_str(a.get("sector"), f"{where} sector"),
        )
        for a in data
    )


def _optional_str(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise GoldFormatError(f"{where} must be a string")
    return value


# --------------------------------------------------------------------------- matching


def _code_class(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    return "IGO" if code in IGO_CLASS else code


def type_match(gold: GoldEvent, pred: EventRecord) -> bool:
    if gold.event is not None:
        return pred.event == gold.event
    return pred.quad_code == gold.quad


def _side_match(gold: Sequence[GoldActor], predicted: Sequence[Entity]) -> bool:
    """Codes decide where the gold gives codes; where it gives only the parties' text (the
    project's own labelled sentences), a predicted entity must share a word with it."""
    wanted = {c for c in (_code_class(a.code) for a in gold) if c}
    if wanted:
        return any(_code_class(e.code) in wanted for e in predicted)
    texts = [_words(a.text) for a in gold if a.text]
    if not texts:
        return True
    return any(_words(e.entity_text) & text for e in predicted for text in texts)


def _words(text: str | None) -> set[str]:
    """Content words of a party's text, for overlap: "the Iraqi army" ~ "Iraqi army"."""
    words = {w.strip(".,;:'\"()").lower() for w in (text or "").split()}
    return {w for w in words if w and w not in _FUNCTION_WORDS}


_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "'s", "its", "their", "his", "her"})


def dyad_match(gold: GoldEvent, pred: EventRecord) -> bool:
    return (
        type_match(gold, pred)
        and _side_match(gold.actor, pred.actor)
        and _side_match(gold.recipient, pred.recipient)
    )


def _max_matching(
    left: Sequence[int], right: Sequence[int], edge: Callable[[int, int], bool]
) -> dict[int, int]:
    """A maximum matching (left -> right) by augmenting paths; earlier `left` items win ties."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in right:
            if j in seen or not edge(i, j):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in left:
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _at_least(quality: list[list[int]], need: int) -> Callable[[int, int], bool]:
    return lambda i, j: quality[i][j] >= need


def pair_events(
    gold: Sequence[GoldEvent], preds: Sequence[EventRecord]
) -> dict[int, tuple[int, bool]]:
    """Gold index -> (prediction index, whether the pair is a dyad match). See module doc."""
    quality = [
        [2 if dyad_match(g, p) else 1 if type_match(g, p) else 0 for p in preds] for g in gold
    ]
    pairs: dict[int, tuple[int, bool]] = {}
    for optional in (False, True):
        for need in (2, 1):
            left = [i for i, g in enumerate(gold) if g.optional == optional and i not in pairs]
            taken = {j for j, _ in pairs.values()}
            right = [j for j in range(len(preds)) if j not in taken]
            found = _max_matching(left, right, _at_least(quality, need))
            pairs.update({i: (j, quality[i][j] == 2) for i, j in found.items()})
    return pairs


# --------------------------------------------------------------------------- report


@dataclass
class Counts:
    """`tp` and `fn` over every document; `fp` and `tp_complete` over complete documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_complete: int = 0

    @property
    def precision(self) -> float | None:
        total = self.tp_complete + self.fp
        return self.tp_complete / total if total else None

    @property
    def recall(self) -> float | None:
        total = self.tp + self.fn
        return self.tp / total if total else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tp_complete": self.tp_complete,
        }


@dataclass
class Agreement:
    agree: int = 0
    scored: int = 0

    @property
    def share(self) -> float | None:
        return self.agree / self.scored if self.scored else None

    def add(self, agrees: bool) -> None:
        self.scored += 1
        self.agree += int(agrees)

    def to_dict(self) -> dict[str, Any]:
        return {"share": _round(self.share), "agree": self.agree, "scored": self.scored}


@dataclass
class EvalReport:
    type: Counts = field(default_factory=Counts)
    dyad: Counts = field(default_factory=Counts)
    agreement: dict[str, Agreement] = field(
        default_factory=lambda: {name: Agreement() for name in _AGREEMENTS}
    )
    documents: int = 0
    complete_documents: int = 0
    predicted_events: int = 0
    required_gold_events: int = 0
    optional_gold_events: int = 0
    confusion: dict[str, Counter[str]] = field(default_factory=dict)
    by_type: dict[str, Counts] = field(default_factory=dict)  # complete documents' required events
    no_event: Counts = field(default_factory=Counts)  # complete documents: "holds no event"
    errors: list[dict[str, Any]] = field(default_factory=list)
    gold_path: str | None = None
    gold_sha256: str | None = None
    skipped: list[dict[str, str]] = field(default_factory=list)  # gold documents not coded
    unknown_ids: list[str] = field(default_factory=list)  # predictions for ids not in the gold

    @property
    def events_per_document(self) -> float | None:
        return self.predicted_events / self.documents if self.documents else None

    @property
    def type_macro_f1(self) -> float | None:
        """Mean F1 over the types the complete documents' gold holds (each type weighs the same)."""
        # F1 as 2tp / (2tp + fp + fn), so a type never predicted scores 0, not "undefined"
        scores = [2 * c.tp / (2 * c.tp + c.fp + c.fn) for c in self.by_type.values() if c.tp + c.fn]
        return sum(scores) / len(scores) if scores else None

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "gold": self.gold_path,
            "gold_sha256": self.gold_sha256,
            "type": self.type.to_dict(),
            "dyad": self.dyad.to_dict(),
            "agreement": {k: v.to_dict() for k, v in self.agreement.items()},
            "events_per_document": _round(self.events_per_document),
            "type_macro_f1": _round(self.type_macro_f1),
            "no_event": self.no_event.to_dict(),
            "by_type": {t: c.to_dict() for t, c in sorted(self.by_type.items())},
            "documents": {
                "total": self.documents,
                "complete": self.complete_documents,
                "predicted_events": self.predicted_events,
                "required_gold_events": self.required_gold_events,
                "optional_gold_events": self.optional_gold_events,
                "skipped": self.skipped,
                "unknown_ids": self.unknown_ids,
            },
            "confusion": {
                g: dict(sorted(row.items())) for g, row in sorted(self.confusion.items())
            },
        }
        if errors:
            out["errors"] = self.errors
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score(
    gold_docs: GoldFile | Sequence[GoldDocument],
    predictions: Mapping[str, Sequence[EventRecord]],
    *,
    gold_sha256: str | None = None,
) -> EvalReport:
    """Score predictions (document id -> its records) against gold documents, per FORMAT.md.

    A gold document absent from `predictions` counts as coded with no events.
    """
    report = EvalReport(gold_sha256=gold_sha256)
    if isinstance(gold_docs, GoldFile):
        report.gold_path, report.gold_sha256 = gold_docs.path, gold_sha256 or gold_docs.sha256
        gold_docs = gold_docs.documents
    ids = {d.id for d in gold_docs}
    report.unknown_ids = sorted(k for k in predictions if k not in ids)
    for doc in gold_docs:
        _score_document(report, doc, list(predictions.get(doc.id, ())))
    return report


def _score_document(report: EvalReport, doc: GoldDocument, preds: list[EventRecord]) -> None:
    report.documents += 1
    report.complete_documents += doc.complete
    report.predicted_events += len(preds)
    pairs = pair_events(doc.events, preds)
    paired_preds = {j: i for i, (j, _) in pairs.items()}
    leftover = sorted({p.event for j, p in enumerate(preds) if j not in paired_preds})
    for i, gold in enumerate(doc.events):
        pair = pairs.get(i)
        if gold.optional:
            report.optional_gold_events += 1
        else:
            report.required_gold_events += 1
            _count_gold(report, doc, gold, pair)
            row = report.confusion.setdefault(gold.label, Counter())
            if pair is not None:
                row[preds[pair[0]].event] += 1
            else:
                row.update(leftover or [NONE_LABEL])
        if pair is None:
            if not gold.optional:
                report.errors.append(_error("missed", doc, gold, None))
            continue
        pred, is_dyad = preds[pair[0]], pair[1]
        _agree(report.agreement, gold, pred)
        if not is_dyad:
            report.errors.append(_error("dyad", doc, gold, pred))
            report.dyad.fp += doc.complete
    if doc.complete:
        _count_complete(report, doc, preds, pairs)
    for j, pred in enumerate(preds):
        if j in paired_preds or not doc.complete:
            continue
        report.type.fp += 1
        report.dyad.fp += 1
        report.confusion.setdefault(NONE_LABEL, Counter())[pred.event] += 1
        report.errors.append(_error("false", doc, None, pred))


def _count_complete(
    report: EvalReport, doc: GoldDocument, preds: list[EventRecord], pairs: dict[int, Any]
) -> None:
    """Per-type counts (for macro-F1) and the no-event decision, on a complete document."""
    required = [(i, g) for i, g in enumerate(doc.events) if not g.optional]
    optional_preds = {pairs[i][0] for i, g in enumerate(doc.events) if g.optional and i in pairs}
    for i, gold in required:
        counts = report.by_type.setdefault(gold.label, Counts())
        if i in pairs and preds[pairs[i][0]].event == gold.event:
            counts.tp += 1
            counts.tp_complete += 1
        else:
            counts.fn += 1
    for j, pred in enumerate(preds):
        paired_with = next((g for i, g in required if i in pairs and pairs[i][0] == j), None)
        if j in optional_preds or (paired_with is not None and pred.event == paired_with.event):
            continue
        report.by_type.setdefault(pred.event, Counts()).fp += 1
    gold_none, predicted_none = not required, not preds
    if gold_none and predicted_none:
        report.no_event.tp += 1
        report.no_event.tp_complete += 1
    elif gold_none:
        report.no_event.fn += 1
    elif predicted_none:
        report.no_event.fp += 1


def _count_gold(
    report: EvalReport, doc: GoldDocument, gold: GoldEvent, pair: tuple[int, bool] | None
) -> None:
    for counts, hit in ((report.type, pair is not None), (report.dyad, bool(pair and pair[1]))):
        if hit:
            counts.tp += 1
            counts.tp_complete += doc.complete
        else:
            counts.fn += 1


def _agree(agreement: dict[str, Agreement], gold: GoldEvent, pred: EventRecord) -> None:
    if gold.status is not None:
        agreement["status"].add(pred.status == gold.status)
    if gold.country_code is not None:
        got = pred.event_loc.country_code if pred.event_loc else None
        agreement["country_code"].add(_code_class(got) == _code_class(gold.country_code))
    wanted = {a.sector.upper() for a in gold.actor if a.sector}
    if wanted:
        agreement["sector"].add(any((e.sector or "").upper() in wanted for e in pred.actor))
    if gold.planned is not None:
        agreement["planned"].add(pred.planned is not None and pred.planned.event == gold.planned)


# --------------------------------------------------------------------------- errors


def _side(actors: Iterable[tuple[str | None, str | None, str | None]]) -> str:
    parts = []
    for text, code, sector in actors:
        name = code or "?"
        if sector:
            name += f"/{sector}"
        if text:
            name += f" ({text})"
        parts.append(name)
    return ", ".join(parts) or "-"


def summarize_gold(gold: GoldEvent) -> str:
    out = f"{gold.label} {_side((a.text, a.code, a.sector) for a in gold.actor)}"
    out += f" -> {_side((a.text, a.code, a.sector) for a in gold.recipient)}"
    extras = [("status", gold.status), ("planned", gold.planned), ("loc", gold.country_code)]
    out += "".join(f" {k}={v}" for k, v in extras if v)
    return out + (" [optional]" if gold.optional else "")


def summarize_prediction(pred: EventRecord) -> str:
    def side(es: list[Any]) -> str:
        return _side((e.entity_text, e.code, e.sector) for e in es)

    out = f"{pred.event} {side(pred.actor)} -> {side(pred.recipient)} status={pred.status}"
    if pred.planned is not None:
        out += f" planned={pred.planned.event}"
    if pred.event_loc is not None and pred.event_loc.country_code:
        out += f" loc={pred.event_loc.country_code}"
    return out + f" conf={pred.confidence:.2f}"


def _shorten(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error(
    kind: str, doc: GoldDocument, gold: GoldEvent | None, pred: EventRecord | None
) -> dict[str, Any]:
    """One entry of `errors`: kind is missed (gold unpaired), dyad (type-paired, dyad wrong)
    or false (a prediction unpaired on a complete document)."""
    sentence = pred.text if pred is not None and pred.text else doc.text
    return {
        "kind": kind,
        "doc_id": doc.id,
        "text": _shorten(sentence),
        "gold": summarize_gold(gold) if gold is not None else None,
        "gold_note": gold.note if gold is not None else None,
        "predicted": summarize_prediction(pred) if pred is not None else None,
    }


# --------------------------------------------------------------------------- running the coder


class DocumentOutcome(Protocol):
    """What `communique.pipeline.DocumentResult` provides."""

    @property
    def document(self) -> Document | None: ...
    @property
    def skip(self) -> Skip | None: ...
    @property
    def records(self) -> list[EventRecord]: ...


class EventCoder(Protocol):
    """What `communique.pipeline.Coder` provides."""

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentOutcome]: ...


def evaluate_file(gold_path: str | Path, coder: EventCoder) -> EvalReport:
    """Code the documents of a gold file with `coder` and score them.

    The gold is checked first (`GoldFormatError`); the documents are read with
    `communique.ingest.read_documents`, so the coder sees them exactly as `communique code` would
    (with `--files-outside`: a gold file is the project's own data and may name texts beside its
    folder, as the seed names `../examples/doha-briefing.txt`).
    """
    from communique.ingest import ReadOptions, read_documents

    gold = load_gold(gold_path)
    predictions: dict[str, list[EventRecord]] = {}
    skipped: list[dict[str, str]] = []
    for outcome in coder.code(read_documents([str(gold_path)], ReadOptions(files_outside=True))):
        if outcome.skip is not None:
            skipped.append({"id": outcome.skip.doc_id, "reason": outcome.skip.reason})
        elif outcome.document is not None:
            predictions.setdefault(outcome.document.id, []).extend(outcome.records)
    report = score(gold, predictions)
    report.skipped = skipped
    return report
