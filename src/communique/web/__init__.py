"""The HTTP API and the web explorer (`communique serve`): thin layers over the store.

    from communique.web import ServeOptions, create_app
    app = create_app(ServeOptions(db=Path("events.duckdb")))   # an ASGI app (FastAPI)

Modules: `app` (the app, its safety middleware), `api` (JSON endpoints), `pages` (HTML views),
`queries` (what both read from the store), `charts` (Vega specs), `highlight` and `marks` (where
an event's parts lie in its text), `assets` (Vega and the country outlines from installed
packages), `service` (the store and the coder behind an app), `errors` (the one error shape).
Needs the `serve` extra.
"""

from __future__ import annotations

from communique.web.app import create_app
from communique.web.service import ServeOptions

__all__ = ["ServeOptions", "create_app"]
