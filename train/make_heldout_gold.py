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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    out_lines = []
    for path in sorted((ROOT / "data" / "train" / "labels").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["split"] != "heldout" or row.get("note") == "fragment":
                continue
            events = []
            for event in row["events"]:
                gold = {
                    "event": event["event"],
                    "actor": [{"text": event["source"]}] if event.get("source") else [],
                    "recipient": [{"text": event["target"]}] if event.get("target") else [],
                    "status": event["status"],
                }
                if event.get("planned"):
                    gold["planned"] = {"event": event["planned"]}
                events.append(gold)
            document = {
                "id": row["id"],
                "text": row["text"],
                "date": row.get("date"),
                "complete": True,
                "events": events,
            }
            out_lines.append(json.dumps(document, ensure_ascii=False))
    target = ROOT / "eval" / "heldout.jsonl"
    target.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    print(f"{len(out_lines)} held-out sentences -> {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
