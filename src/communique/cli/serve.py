"""`communique serve`: the JSON API and the web explorer over an event store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from communique.cli import app
from communique.cli.reporting import fail
from communique.cli.store import ConfigOption, DbOption, _config
from communique.errors import CommuniqueError

err = Console(stderr=True)


@app.command("serve")
def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; other than loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="COMMUNIQUE_TOKEN",
            help="Secret every request must carry (Authorization: Bearer, or ?token= once).",
        ),
    ] = None,
    allow_writes: Annotated[
        bool,
        typer.Option("--allow-writes", help="Let POST /api/code?store=true add documents."),
    ] = False,
    max_upload: Annotated[
        int, typer.Option("--max-upload", min=1, help="Largest request body, in bytes.")
    ] = 2_000_000,
    config_file: ConfigOption = None,
) -> None:
    """Serve the explorer (http://HOST:PORT/) and its API (/api, documented at /docs)."""
    config = _config(config_file, db)
    try:
        import uvicorn

        from communique.web.app import create_app
        from communique.web.service import ServeOptions
    except ImportError as exc:
        raise fail(
            f"the explorer needs its extra ({exc.name} is missing): pip install 'communique[serve]'"
        ) from None
    if not Path(config.db).exists() and not allow_writes:
        raise fail(
            f"no event database at {config.db}; run `communique ingest FILES --db {config.db}` "
            "first, or start with --allow-writes to code into a new one"
        )
    try:
        options = ServeOptions(
            db=Path(config.db),
            host=host,
            token=token or None,
            allow_writes=allow_writes,
            max_upload=max_upload,
            config=config,
        )
        application = create_app(options)
    except CommuniqueError as exc:
        raise fail(str(exc)) from None
    mode = "read-write" if allow_writes else "read-only"
    err.print(f"communique explorer on http://{host}:{port}/ ({config.db}, {mode}); Ctrl-C stops")
    uvicorn.run(application, host=host, port=port, log_level="warning")
