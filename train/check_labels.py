"""Check labelled training files against data/train/GUIDE.md; print problems and counts.

    python train/check_labels.py data/train/labels/*.jsonl
Exits 1 when any line breaks the format (so it can gate a commit).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip
STATUSES = {"asserted", "future", "hypothetical", "negated", "historical"}


def problems_of(row: dict[str, object]) -> list[str]:
    found = []
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return ["no text"]
    for key in ("id", "origin", "split"):
        if not isinstance(row.get(key), str):
            found.append(f"missing {key}")
    if row.get("split") not in ("train", "heldout"):
        found.append("split must be train or heldout")
    events = row.get("events")
    if not isinstance(events, list):
        return [*found, "events must be a list"]
    for event in events:
        if not isinstance(event, dict):
            found.append("event must be an object")
            continue
        if event.get("event") not in TYPES:
            found.append(f"bad type {event.get('event')!r}")
        if event.get("status") not in STATUSES:
            found.append(f"bad status {event.get('status')!r}")
        for key in ("trigger", "source", "target"):
            value = event.get(key)
            if value is not None and (not isinstance(value, str) or value not in text):
                found.append(f"{key} {value!r} is not a substring of the text")
        if not event.get("trigger"):
            found.append("no trigger")
        planned = event.get("planned")
        if planned is not None and planned not in TYPES:
            found.append(f"bad planned {planned!r}")
    return found


def main(paths: list[str]) -> int:
    bad = 0
    types: Counter[str] = Counter()
    sentences = negatives = 0
    seen: set[str] = set()
    for path in paths:
        for number, line in enumerate(Path(path).read_text().splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{number}: not JSON ({exc})")
                bad += 1
                continue
            issues = problems_of(row)
            if row.get("id") in seen:
                issues.append(f"duplicate id {row.get('id')}")
            seen.add(str(row.get("id")))
            for issue in issues:
                print(f"{path}:{number}: {issue}")
            bad += bool(issues)
            sentences += 1
            events = row.get("events") or []
            negatives += not events
            types.update(e.get("event", "?") for e in events if isinstance(e, dict))
    print(f"{sentences} sentences, {negatives} without event, {bad} with problems")
    print(" ".join(f"{t}:{types.get(t, 0)}" for t in sorted(TYPES)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
