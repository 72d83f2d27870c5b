"""Split the VOA stories into sentences with the rule coder's proposals, as drafts for labelling.

Writes `data/train/drafts/voa-NN.jsonl` (one sentence a line, story order) for the labellers, who
correct each proposal into a label (see data/train/GUIDE.md). The held-out split is fixed here, by
story, so that no sentence of a held-out story is ever trained on: a story whose id hashes to 0
mod 5 (sha1) is held out (about 20 % of stories).

    python train/prepare_voa.py corpus/voa_stories.jsonl --chunks 5
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, Skip

ROOT = Path(__file__).resolve().parent.parent


def split_of(story_id: str) -> str:
    return "heldout" if int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % 5 == 0 else "train"


def sentence_rows(
    coder: Coder, document: Document | Skip, origin: str, url: str | None, split: str
) -> list[dict[str, object]]:
    """One draft a sentence of the document: its text, where it comes from, its split and the
    rule coder's proposals for the labellers to correct."""
    if not isinstance(document, Document):
        raise SystemExit(f"{origin}: {document.reason}")
    doc = coder.nlp(document.text)
    by_sentence: dict[int, list[dict[str, object]]] = {}
    for record in coder.records_for(document, doc):
        assert record.text_info is not None
        by_sentence.setdefault(record.text_info.sequence, []).append(
            {
                "event": record.event,
                "mode": record.mode,
                "trigger": record.event_text,
                "source": ", ".join(a.entity_text for a in record.actor) or None,
                "target": ", ".join(r.entity_text for r in record.recipient) or None,
                "status": record.status,
            }
        )
    rows: list[dict[str, object]] = []
    for n, sent in enumerate(doc.sents):
        text = sent.text.strip()
        if text:
            rows.append(
                {
                    "id": f"{document.id}-s{n:03d}",
                    "text": text,
                    "origin": origin,
                    "url": url,
                    "date": document.date,
                    "split": split,
                    "proposals": by_sentence.get(n, []),
                }
            )
    return rows


def write_chunks(rows: list[list[dict[str, object]]], prefix: str, chunks: int) -> int:
    """The drafts in `chunks` files of about equal size, a document never split across two."""
    out = ROOT / "data" / "train" / "drafts"
    out.mkdir(parents=True, exist_ok=True)
    total = sum(len(r) for r in rows)
    per_chunk = total / chunks
    chunk, count, handle = 0, 0, None
    for story_rows in rows:
        if handle is None or (count >= per_chunk * (chunk + 1) and chunk < chunks - 1):
            if handle is not None:
                handle.close()
                chunk += 1
            handle = (out / f"{prefix}-{chunk:02d}.jsonl").open("w")
        for row in story_rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    if handle is not None:
        handle.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stories", type=Path)
    parser.add_argument("--chunks", type=int, default=5)
    args = parser.parse_args()
    stories = [json.loads(line) for line in args.stories.read_text().splitlines() if line.strip()]
    coder = Coder()
    rows = [
        sentence_rows(
            coder,
            document_from_text(story["text"], f"voa-{story['id']}", date=story["published"][:10]),
            origin=f"voa:{story['id']}",
            url=story["url"],
            split=split_of(story["id"]),
        )
        for story in stories
    ]
    total = write_chunks(rows, "voa", args.chunks)
    print(f"{len(stories)} stories, {total} sentences, {args.chunks} chunks")


if __name__ == "__main__":
    main()
