"""Knowledge compiled once and kept on disk: tables that cost a second or more to build from
text (the gazetteer's 68 k names, the actor knowledge base) are built on first use, written with
`marshal` to the user's cache folder, and read back in a fraction of that time by later runs.

The folder is `COMMUNIQUE_CACHE_DIR`, else `$XDG_CACHE_HOME/communique` or
`~/.cache/communique`. A file's name carries a hash of everything the tables are built from
(the builder's source, its data files, library versions, the Python version, since marshal's
format is Python's), so an edit or an upgrade is picked up at the next start. An unwritable
folder only means the tables are built in memory on every run.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def cache_folder() -> Path:
    configured = os.environ.get("COMMUNIQUE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "communique"


def compiled(name: str, inputs: Iterable[bytes], build: Callable[[], Any]) -> Any:
    """The tables `build` makes (plain dicts, lists, tuples, str, numbers, None), from the
    cache when one built from the same `inputs` exists, else built now and cached."""
    digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
    for part in inputs:
        digest.update(hashlib.sha256(part).digest())
    path = cache_folder() / f"{name}-{digest.hexdigest()[:16]}.marshal"
    try:
        return marshal.loads(path.read_bytes())  # our own file, written below
    except (OSError, ValueError, EOFError, TypeError):
        pass  # no cache yet, or a damaged one: build it
    tables = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(marshal.dumps(tables))
        os.replace(handle.name, path)  # atomic: a parallel worker never reads half a file
    except (OSError, ValueError):
        pass  # a read-only home (some Spark workers): the tables live in memory only
    return tables


def library_version(name: str) -> str:
    """An installed distribution's version, for cache keys; "unknown" where it has no metadata
    (a vendored copy), whose upgrades the key then cannot see: clear the cache folder after one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
