"""communique: an offline political event coder (PLOVER 2.0 with a CAMEO crosswalk)."""

from __future__ import annotations

__version__ = "0.1.0"
