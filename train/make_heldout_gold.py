"""Write the held-out split of the project's labelled sentences as a gold file (eval/FORMAT.md).

    python train/make_heldout_gold.py      # -> eval/heldout.jsonl, eval/heldout-re3d.jsonl

One file a source, so that each keeps its own floors and history: the VOA news sentences in
`heldout.jsonl`, the re3d press releases and statements (added later) in `heldout-re3d.jsonl`.

Each held-out sentence becomes one complete document (its date the story's date): every event
it holds is listed, so a predicted event that matches none is a false positive, and a sentence
with `events: []` scores the coder's no-event decisions. Actors and recipients are given by their
text only (the labels carry no codes), so a dyad matches when the coder's party shares a content
word with the labelled one. These sentences are never trained on (train/train_typer.py skips
`split: heldout`).
"""

from __future__ import annotations

import json

from labels import ROOT, gold_document, read_labels

# Gold file of each source of real sentences, by the `origin` prefix of their labels.
TARGETS = {"voa": "heldout.jsonl", "re3d": "heldout-re3d.jsonl"}


def main() -> None:
    by_target: dict[str, list[str]] = {name: [] for name in TARGETS.values()}
    for row in read_labels():
        if row["split"] != "heldout" or row.get("note") == "fragment":
            continue
        source = row["origin"].split(":", 1)[0]
        if source not in TARGETS:
            raise SystemExit(f"{row['id']}: held-out sentence of unknown origin {row['origin']!r}")
        by_target[TARGETS[source]].append(json.dumps(gold_document(row), ensure_ascii=False))
    for name, lines in by_target.items():
        target = ROOT / "eval" / name
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} held-out sentences -> {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
