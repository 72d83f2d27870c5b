"""communique: an offline political event coder (PLOVER 2.0 with a CAMEO crosswalk).

The public surface:

    from communique import Coder, code_batch, EventRecord, open_store

`Coder` and `code_batch` code documents (see `communique.pipeline`); `read_documents` and
`document_from_text` make documents (`communique.ingest`); `open_store` opens the event store
(`communique.store`). Heavy modules (spaCy, DuckDB) are imported on first use of these names,
never by `import communique` itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from communique.errors import (
    CommuniqueError,
    ConfigError,
    GoldFormatError,
    InputError,
    ModelError,
    StoreError,
)
from communique.records import (
    SCHEMA_VERSION,
    Attribution,
    Document,
    Entity,
    EventRecord,
    Location,
    PlannedAct,
    Skip,
    TextSpan,
)

__version__ = "0.1.0"

_LAZY = {
    "Coder": "communique.pipeline",
    "DocumentResult": "communique.pipeline",
    "code_batch": "communique.pipeline",
    "read_documents": "communique.ingest",
    "document_from_text": "communique.ingest",
    "ReadOptions": "communique.ingest",
    "open_store": "communique.store",
    "Config": "communique.config",
    "load_config": "communique.config",
}

__all__ = [
    "SCHEMA_VERSION",
    "Attribution",
    "Coder",
    "CommuniqueError",
    "Config",
    "ConfigError",
    "Document",
    "DocumentResult",
    "Entity",
    "EventRecord",
    "GoldFormatError",
    "InputError",
    "Location",
    "ModelError",
    "PlannedAct",
    "ReadOptions",
    "Skip",
    "StoreError",
    "TextSpan",
    "code_batch",
    "document_from_text",
    "load_config",
    "open_store",
    "read_documents",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'communique' has no attribute {name!r}")
    return getattr(import_module(module), name)
