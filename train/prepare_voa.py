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

ROOT = Path(__file__).resolve().parent.parent


def split_of(story_id: str) -> str:
    return "heldout" if int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % 5 == 0 else "train"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stories", type=Path)
    parser.add_argument("--chunks", type=int, default=5)
    args = parser.parse_args()
    stories = [json.loads(line) for line in args.stories.read_text().splitlines() if line.strip()]
    coder = Coder()
    rows: list[list[dict[str, object]]] = []
    for story in stories:
        date = story["published"][:10]
        document = document_from_text(story["text"], f"voa-{story['id']}", date=date)
        doc = coder.nlp(document.text)
        records = coder.records_for(document, doc)
        by_sentence: dict[int, list[dict[str, object]]] = {}
        for record in records:
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
        story_rows = []
        for n, sent in enumerate(doc.sents):
            text = sent.text.strip()
            if not text:
                continue
            story_rows.append(
                {
                    "id": f"voa-{story['id']}-s{n:03d}",
                    "text": text,
                    "origin": f"voa:{story['id']}",
                    "url": story["url"],
                    "date": date,
                    "split": split_of(story["id"]),
                    "proposals": by_sentence.get(n, []),
                }
            )
        rows.append(story_rows)
    out = ROOT / "data" / "train" / "drafts"
    out.mkdir(parents=True, exist_ok=True)
    total = sum(len(r) for r in rows)
    per_chunk = total / args.chunks
    chunk, count, handle = 0, 0, None
    for story_rows in rows:
        if handle is None or (count >= per_chunk * (chunk + 1) and chunk < args.chunks - 1):
            if handle is not None:
                handle.close()
                chunk += 1
            handle = (out / f"voa-{chunk:02d}.jsonl").open("w")
        for row in story_rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    if handle is not None:
        handle.close()
    print(f"{len(stories)} stories, {total} sentences, {args.chunks} chunks")


if __name__ == "__main__":
    main()
