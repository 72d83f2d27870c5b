"""`create_app(options)`: the explorer's ASGI app (the API, the pages, the assets).

Safety, in the order a request meets it:
1. The body-size limit: a request whose declared or streamed body passes `max_upload` gets 413
   before anything reads it.
2. The token, when one is set: `Authorization: Bearer TOKEN`, the `communique_token` cookie, or
   `?token=TOKEN` (which then sets the cookie, so that a browser opened on a shared link keeps
   working). Compared in constant time. Without it: 401.
3. Read-only unless `allow_writes`: the store is opened read-only and `?store=true` is refused.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.responses import JSONResponse

from communique import __version__
from communique.web import api, assets, errors, pages
from communique.web.service import Explorer, ServeOptions

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "communique_token"
DESCRIPTION = """The event store of communique as JSON: events (filtered, sorted, paged), one event
with its document and evidence offsets, documents, actors, dyads, time series, places, and coding
a text on request. Filters are those of `communique events`; every error has the shape
`{"error": {"status", "code", "message"}}`."""


class _TooLarge(Exception):
    pass


def _reply(status: int, code: str, message: str) -> Response:
    return JSONResponse(errors.error_body(status, code, message), status_code=status)


class Guard:
    """ASGI middleware: the body-size limit, then the token (see the module's docstring)."""

    def __init__(self, app: ASGIApp, token: str | None, max_body: int) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(scope, receive, send)
            return
        from_query = None
        if self.token is not None:
            from_query = (parse_qs(scope.get("query_string", b"").decode()).get("token") or [""])[0]
            if not self._allowed(headers, from_query):
                await _reply(
                    401,
                    "unauthorized",
                    "this explorer needs its token: send 'Authorization: Bearer TOKEN', or open "
                    "the page once with ?token=TOKEN",
                )(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        remember = self.token is not None and from_query == self.token

        async def sending(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message["headers"] = [*message["headers"], (b"set-cookie", cookie.encode())]
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except _TooLarge:
            await self._too_large(scope, receive, send)

    def _allowed(self, headers: dict[str, str], from_query: str | None) -> bool:
        assert self.token is not None
        offered = []
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            offered.append(bearer[7:].strip())
        cookie = SimpleCookie(headers.get("cookie", ""))
        if COOKIE in cookie:
            offered.append(cookie[COOKIE].value)
        if from_query:
            offered.append(from_query)
        return any(hmac.compare_digest(o.encode(), self.token.encode()) for o in offered)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = (
            f"the request body is over the limit of {self.max_body:,} bytes; send a shorter "
            "text, or start the server with a larger --max-upload"
        )
        await _reply(413, "too_large", message)(scope, receive, send)


def create_app(options: ServeOptions) -> FastAPI:
    """The app over the store `options.db`, opened here, so that a store that cannot be read
    (missing, locked, too new) is a `StoreError` for the caller, not a failed server start; it
    is closed when the app shuts down."""
    explorer = Explorer(options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            explorer.close()

    app = FastAPIOffline(
        title="communique explorer",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.explorer = explorer
    errors.install(app, pages.error_page)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("communique.web", "static")]), name="static")

    @app.get("/assets/vega.js", include_in_schema=False)
    def vega_js() -> Response:
        return Response(assets.vega_bundle(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400"})  # fmt: skip

    @app.get("/assets/countries.geojson", include_in_schema=False)
    def countries() -> Response:
        return Response(assets.countries_geojson(), media_type="application/geo+json",
                        headers={"Cache-Control": "max-age=86400"})  # fmt: skip

    app.add_middleware(Guard, token=options.token, max_body=options.max_upload)
    return app
