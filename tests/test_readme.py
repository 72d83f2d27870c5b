"""The README's promises: its Python snippet runs as pasted, and its example table is what the
coder prints for the shipped example."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_python_snippet_runs_as_pasted(monkeypatch: pytest.MonkeyPatch) -> None:
    snippet = re.search(r"```python\n(.*?)```", README, re.DOTALL)
    assert snippet is not None, "the README has no Python snippet"
    monkeypatch.chdir(ROOT)  # the snippet reads examples/ from the repository root
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(snippet.group(1), "README.md", "exec"), {})
    assert "CONSULT" in printed.getvalue() or "AGREE" in printed.getvalue()


def test_the_example_table_matches_the_coder() -> None:
    from communique.cli.code import event_table
    from communique.ingest import document_from_text
    from communique.pipeline import Coder

    text = (ROOT / "examples" / "doha-briefing.txt").read_text(encoding="utf-8")
    document = document_from_text(text, "doha-briefing", date="2023-10-20")
    records = Coder().code_document(document)  # type: ignore[arg-type]
    block = re.search(r"The example gives:\n\n```\n(.*?)```", README, re.DOTALL)
    assert block is not None, "the README shows no example table"
    shown = [line.split() for line in block.group(1).strip().splitlines()[1:]]
    assert len(shown) == len(records)
    for words, record in zip(shown, sorted(records, key=lambda r: r.text_info.start), strict=True):
        assert words[1] == record.event and record.status in words
        assert record.actor and record.actor[0].code in " ".join(words)
        recipient = record.recipient[0]
        assert (recipient.identifier_text or recipient.entity_text) in " ".join(words)
    assert event_table(records).row_count == len(records)
