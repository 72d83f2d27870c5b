"""What `code` and `ingest` say about a run: one line per skipped document, a summary line, and
the same JSON report (`--report FILE`), so that both commands account for every input alike."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console

from communique.records import Skip


def print_skip(console: Console, skip: Skip) -> None:
    where = skip.origin or skip.doc_id
    console.print(f"skipped {where}: {skip.reason}: {skip.detail}", highlight=False)


def reasons_text(skips: list[Skip]) -> str:
    """ " (missing-file 1, not-english 2)", or "" when nothing was skipped."""
    by_reason = Counter(s.reason for s in skips)
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(by_reason.items()))
    return f" ({reasons})" if reasons else ""


def write_report(
    path: Path, *, read: int, coded: int, skips: list[Skip], events: int, **extra: Any
) -> None:
    """The JSON report of a run: counts, skips by reason, and every skip with its detail."""
    summary: dict[str, Any] = {
        "documents_read": read,
        "documents_coded": coded,
        "documents_skipped": len(skips),
        "skipped_by_reason": dict(Counter(s.reason for s in skips)),
        "events": events,
        **extra,
        "skipped": [s.__dict__ for s in skips],
    }
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
