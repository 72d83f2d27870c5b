"""Fixtures shared by test modules (the others live in each module)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real event store (the example and 16 corpus documents), built once per session."""
    from web_store import build

    return build(tmp_path_factory.mktemp("web") / "events.duckdb")
