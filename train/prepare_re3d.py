"""Split the re3d documents whose licences allow reuse into sentences, as drafts for labelling.

Writes `data/train/drafts/re3d-NN.jsonl` like `prepare_voa.py` does for VOA: one sentence a
line with the rule coder's proposals. Every re3d sentence is held out: the set measures the
coder on another register than news (press releases and ministry statements), and a rebuild of
the typer that trained on four fifths of it coded no better end to end (docs/accuracy.md), so
it serves best as a second yardstick (`eval/heldout-re3d.jsonl`). The Wikipedia part (CC
BY-SA) is left out, so that every labelled line can sit under the project's licence with its
source's attribution; the rest is public domain
(CENTCOM, US State Department), Open Government Licence v3.0 (UK Government) or CC BY 3.0 AU
(Australian DFAT), each line keeping its document's `url`.

    python train/prepare_re3d.py corpus/re3d-docs.jsonl --chunks 6
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from prepare_voa import sentence_rows, write_chunks

from communique.ingest import document_from_text
from communique.pipeline import Coder

SHARE_ALIKE = "CC BY-SA"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", type=Path)
    parser.add_argument("--chunks", type=int, default=6)
    args = parser.parse_args()
    documents = [json.loads(line) for line in args.documents.read_text().splitlines() if line]
    kept = [d for d in documents if not d["license"].startswith(SHARE_ALIKE)]
    coder = Coder()
    rows = [
        sentence_rows(
            coder,
            document_from_text(d["text"], d["id"], title=d["title"]),
            origin=f"re3d:{d['id']}",
            url=d["url"],
            split="heldout",
        )
        for d in kept
    ]
    total = write_chunks(rows, "re3d", args.chunks)
    print(f"{len(kept)} of {len(documents)} documents, {total} sentences, {args.chunks} chunks")


if __name__ == "__main__":
    main()
