"""The labelled sentences of data/train/labels, shared by the training, tuning and gold scripts.

Torch-free on purpose: `make_heldout_gold.py` runs without the [train] extra.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "data" / "train" / "labels"
CALIBRATION_SHARE = 0.1  # of the training split, by id hash: never trained on, tunes the policy


def read_labels(folder: Path = LABELS) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def fraction(key: str) -> float:
    """A stable number in [0, 1] for a sentence id: which part of the split it falls in."""
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def is_calibration(row: dict[str, Any]) -> bool:
    return row["split"] == "train" and fraction(row["id"]) < CALIBRATION_SHARE


def gold_document(row: dict[str, Any]) -> dict[str, Any]:
    """A labelled sentence as one complete gold document (eval/FORMAT.md), parties by text."""
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
    return {
        "id": row["id"],
        "text": row["text"],
        "date": row.get("date"),
        "complete": True,
        "events": events,
    }
