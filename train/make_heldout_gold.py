"""Write the held-out split of the project's labelled sentences as a gold file (eval/FORMAT.md).

    python train/make_heldout_gold.py      # -> eval/heldout.jsonl

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


def main() -> None:
    out_lines = [
        json.dumps(gold_document(row), ensure_ascii=False)
        for row in read_labels()
        if row["split"] == "heldout" and row.get("note") != "fragment"
    ]
    target = ROOT / "eval" / "heldout.jsonl"
    target.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    print(f"{len(out_lines)} held-out sentences -> {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
