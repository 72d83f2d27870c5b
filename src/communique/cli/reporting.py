"""What `code` and `ingest` say about a run: one line per skipped document, a summary line, and
the same JSON report (`--report FILE`), so that both commands account for every input alike."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from communique.records import Document, Skip

_errors = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error that names the problem and the next step; the caller raises the result.
    The message is escaped: "pip install 'communique[spark]'" must not read as markup."""
    _errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def print_skip(console: Console, skip: Skip) -> None:
    where = skip.origin or skip.doc_id
    console.print(f"skipped {where}: {skip.reason}: {skip.detail}", highlight=False)


def reasons_text(skips: list[Skip]) -> str:
    """ " (missing-file 1, not-english 2)", or "" when nothing was skipped."""
    by_reason = Counter(s.reason for s in skips)
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(by_reason.items()))
    return f" ({reasons})" if reasons else ""


def print_cut(console: Console, cut: list[Document]) -> None:
    if cut:
        names = ", ".join(d.origin or d.id for d in cut[:5]) + (" ..." if len(cut) > 5 else "")
        console.print(
            f"{len(cut)} documents longer than max_chars were cut (only their start is coded): "
            f"{names}; raise max_chars to code more",
            highlight=False,
        )


def write_report(
    path: Path,
    *,
    read: int,
    coded: int,
    skips: list[Skip],
    events: int,
    cut: list[Document] | None = None,
    **extra: Any,
) -> None:
    """The JSON report of a run: counts, skips by reason, every skip with its detail, and the
    documents cut at max_chars (coded, but only in part)."""
    summary: dict[str, Any] = {
        "documents_read": read,
        "documents_coded": coded,
        "documents_skipped": len(skips),
        "skipped_by_reason": dict(Counter(s.reason for s in skips)),
        "events": events,
        **extra,
        "documents_cut": [
            {"doc_id": d.id, "origin": d.origin, "kept_chars": d.cut_at} for d in cut or []
        ],
        "skipped": [s.__dict__ for s in skips],
    }
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def count_inputs(paths: list[str]) -> int | None:
    """How many documents the inputs hold, where that is cheap to know: files (a JSONL or CSV
    file counts its lines) and folders of them; None for stdin."""
    from communique.ingest.sources import folder_files

    total = 0
    for name in paths:
        path = Path(name)
        if name == "-" or not path.exists():
            return None if name == "-" else total
        files = folder_files(path) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() in (".jsonl", ".csv", ".tsv"):
                with file.open("rb") as handle:
                    lines = sum(1 for line in handle if line.strip())
                total += lines - (file.suffix.lower() != ".jsonl")  # a header row
            else:
                total += 1
    return total


class RunProgress:
    """Progress of a coding run: on a terminal a bar with the count, the total (where known) and
    the time left; when stderr is piped, a line every `every` seconds, so that a long run is
    never silent."""

    def __init__(self, console: Console, total: int | None, every: float = 5.0) -> None:
        self.console, self.total, self.every = console, total, every
        self.started = self.last = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> RunProgress:
        if self.console.is_terminal:
            columns = (
                TextColumn("coding"), BarColumn(), MofNCompleteColumn(),
                TextColumn("documents"), TimeRemainingColumn(),
            )  # fmt: skip
            self.bar = Progress(*columns, console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("coding", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, done: int, events: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=done)
            return
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        of = f"/{self.total}" if self.total else ""
        left = ""
        if self.total and rate > 0 and done < self.total:
            left = f", about {int((self.total - done) / rate)} s left"
        self.console.print(
            f"coding: {done}{of} documents, {events} events, {rate:.1f} documents/s{left}",
            highlight=False,
        )
