"""A small real event store for the explorer's tests: the worked example and 16 documents of the
repository's corpus, coded by the real coder (dates spread over 2024, so series have shape)."""

from __future__ import annotations

import json
from pathlib import Path

from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document
from communique.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "doha-briefing.txt"
CORPUS = ROOT / "corpus" / "re3d-docs.jsonl"
CORPUS_DOCUMENTS = 16


def documents() -> list[Document]:
    items = [document_from_text(EXAMPLE.read_text(encoding="utf-8"), "doha-briefing", "2023-10-20")]
    with CORPUS.open(encoding="utf-8") as rows:
        for number, line in enumerate(rows):
            if number == CORPUS_DOCUMENTS:
                break
            row = json.loads(line)
            date = f"2024-{number % 6 + 1:02d}-{number % 27 + 1:02d}"
            items.append(
                document_from_text(
                    row["text"],
                    row["id"],
                    date,
                    title=row["title"],
                    url=row["url"],
                    source=row["source"],
                )
            )
    coded = [item for item in items if isinstance(item, Document)]
    assert len(coded) == len(items)
    return coded


def build(path: Path) -> Path:
    with open_store(path) as store:
        report = store.ingest(documents(), Coder())
    assert report.coded == CORPUS_DOCUMENTS + 1 and report.events > 30
    return path
