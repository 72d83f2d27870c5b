"""Event locations against the PLOVER gold-standard records (eval/plover-gsr.jsonl).

Some gold events there name a place (`location: {"text": ...}`) without a country code, so the
harness (`communique.evaluate`) cannot score them. This benchmark codes the documents that hold
such events with one `Coder`, pairs gold and predicted events with the harness's own pairing
(`communique.evaluate.pair_events`, the one `score` uses), and for each located gold event reports:

- whether a predicted event is paired with it, and whether that prediction has an `event_loc`;
- country agreement: the gold place text is resolved with the coder's gazetteer
  (`Gazetteer().lookup` + `choose(candidates, {})`, no document context); texts that do not
  resolve to a country are counted as unresolvable and left out of the share; the others are
  compared with the prediction's `event_loc.country_code` (no prediction or no place = a miss);
- text agreement: the prediction's `extracted_place` equals or contains the gold text
  (case-insensitive; no prediction or no place = a miss).

Shares are given over every located gold event (`*_share`) and over the predictions that have
an `event_loc` (`*_share_given_loc`). Prints the figures and the mismatches, and writes
benchmarks/results/locations_gsr.json.

    .venv/bin/python benchmarks/locations_gsr.py
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from communique.evaluate import GoldDocument, load_gold, pair_events
from communique.gazetteer import Gazetteer, choose
from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "plover-gsr.jsonl"
OUT = ROOT / "benchmarks" / "results" / "locations_gsr.json"
COMMAND = ".venv/bin/python benchmarks/locations_gsr.py"


def _trim(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _share(agree: int, total: int) -> float | None:
    return round(agree / total, 4) if total else None


def _gold_place_texts(path: Path) -> dict[int, list[str | None]]:
    """Line number -> the location text of each gold event on that line (None when absent).

    `load_gold` keeps only `location.country_code`, so the texts are read from the raw lines;
    event order is the file's, as in `GoldDocument.events`."""
    texts: dict[int, list[str | None]] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        texts[number] = [
            (e.get("location") or {}).get("text") or None for e in row.get("events", [])
        ]
    return texts


def run() -> dict[str, Any]:
    gold = load_gold(GOLD)
    place_texts = _gold_place_texts(GOLD)
    located: list[tuple[GoldDocument, int, str]] = [
        (doc, i, text)
        for doc in gold.documents
        for i, text in enumerate(place_texts.get(doc.line, []))
        if text
    ]
    wanted = {doc.id: doc for doc, _, _ in located}
    items = [document_from_text(d.text, d.id, d.date) for d in wanted.values()]

    started = time.perf_counter()
    coder = Coder()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    predictions: dict[str, list[EventRecord]] = {}
    skipped: list[dict[str, str]] = []
    for outcome in coder.code(items):
        if outcome.skip is not None:
            skipped.append({"id": outcome.skip.doc_id, "reason": outcome.skip.reason})
        elif outcome.document is not None:
            predictions[outcome.document.id] = outcome.records
    code_s = time.perf_counter() - started
    documents = sum(isinstance(item, Document) for item in items)

    gazetteer = Gazetteer()
    pairs = {
        doc_id: pair_events(doc.events, predictions.get(doc_id, []))
        for doc_id, doc in wanted.items()
    }
    counts = dict.fromkeys(
        ("gold_located", "paired", "with_event_loc", "with_country_code", "resolvable",
         "unresolvable", "country_agree", "country_scored_given_loc", "country_agree_given_loc",
         "text_agree", "text_agree_given_loc", "unpaired_but_document_has_events"),
        0,
    )  # fmt: skip
    rows: list[dict[str, Any]] = []
    for doc, i, text in located:
        counts["gold_located"] += 1
        preds = predictions.get(doc.id, [])
        pair = pairs[doc.id].get(i)
        pred = preds[pair[0]] if pair is not None else None
        loc = pred.event_loc if pred is not None else None
        best, _ = choose(gazetteer.lookup(text), {})
        gold_country = best.country_code if best is not None else None
        got_country = loc.country_code if loc is not None else None
        got_place = loc.extracted_place if loc is not None else None
        text_ok = bool(got_place) and text.casefold() in (got_place or "").casefold()
        country_ok = gold_country is not None and got_country == gold_country

        counts["paired"] += pred is not None
        counts["unpaired_but_document_has_events"] += pred is None and bool(preds)
        counts["with_event_loc"] += loc is not None
        counts["with_country_code"] += bool(got_country)
        counts["text_agree"] += text_ok
        counts["text_agree_given_loc"] += loc is not None and text_ok
        if gold_country is None:
            counts["unresolvable"] += 1
        else:
            counts["resolvable"] += 1
            counts["country_agree"] += country_ok
            if loc is not None:
                counts["country_scored_given_loc"] += 1
                counts["country_agree_given_loc"] += country_ok
        rows.append(
            {
                "doc_id": doc.id,
                "gold_event": doc.events[i].label,
                "gold_text": text,
                "gold_country": gold_country,
                "predicted_event": pred.event if pred is not None else None,
                "predicted_events_in_document": [p.event for p in preds],
                "extracted_place": got_place,
                "resolved_place": loc.resolved_place if loc is not None else None,
                "country_code": got_country,
                "basis": loc.basis if loc is not None else None,
                "country_agree": country_ok if gold_country is not None else None,
                "text_agree": text_ok,
                "sentence": _trim(doc.text),
            }
        )

    figures = {
        **counts,
        "country_share": _share(counts["country_agree"], counts["resolvable"]),
        "country_share_given_loc": _share(
            counts["country_agree_given_loc"], counts["country_scored_given_loc"]
        ),
        "text_share": _share(counts["text_agree"], counts["gold_located"]),
        "text_share_given_loc": _share(counts["text_agree_given_loc"], counts["with_event_loc"]),
    }
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": COMMAND,
        "gold": str(GOLD.relative_to(ROOT)),
        "gold_sha256": gold.sha256,
        "pairing": "communique.evaluate.pair_events (the pairing of communique.evaluate.score)",
        "documents_coded": documents,
        "skipped": skipped,
        "coder_load_s": round(load_s, 2),
        "code_s": round(code_s, 2),
        "figures": figures,
        "mismatches": [r for r in rows if r["country_agree"] is False or not r["text_agree"]],
        "events": rows,
    }


def main() -> int:
    result = run()
    f = result["figures"]
    print(f"gold: {result['gold']}  documents coded: {result['documents_coded']}")
    print(f"gold events with a location        {f['gold_located']}")
    print(f"  paired with a predicted event    {f['paired']}")
    print(f"  prediction has an event_loc      {f['with_event_loc']}")
    print(f"  ... with a country_code          {f['with_country_code']}")
    print(f"gold text unresolvable (excluded)  {f['unresolvable']}")
    print(
        f"country agrees                     {f['country_agree']}/{f['resolvable']} = "
        f"{f['country_share']}  (given event_loc: {f['country_agree_given_loc']}/"
        f"{f['country_scored_given_loc']} = {f['country_share_given_loc']})"
    )
    print(
        f"extracted place contains gold text {f['text_agree']}/{f['gold_located']} = "
        f"{f['text_share']}  (given event_loc: {f['text_agree_given_loc']}/"
        f"{f['with_event_loc']} = {f['text_share_given_loc']})"
    )
    print("\nmismatches (gold text | gold country | predicted place / country | basis | sentence):")
    for r in result["mismatches"]:
        flags = ("C" if r["country_agree"] is False else "") + ("" if r["text_agree"] else "T")
        print(
            f"  [{flags:2}] {r['gold_text']} | {r['gold_country']} | "
            f"{r['extracted_place']} / {r['country_code']} | {r['basis']} | "
            f"{r['predicted_event'] or '-'} | {r['sentence']}"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
