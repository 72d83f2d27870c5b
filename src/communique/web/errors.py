"""One error shape for every failure of the API.

    {"error": {"status": 404, "code": "not_found", "message": "no event 'x' in the store"}}

`code` is one of: bad_filter (400), unauthorized (401), read_only (403), not_found (404),
too_large (413), invalid (422), store (503), internal (500). The message says what was wrong and
what to do. Pages (outside /api) show the same message on an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from communique.errors import InputError, StoreError

log = logging.getLogger("communique.web")

CODE_OF_STATUS = {
    400: "bad_filter",
    401: "unauthorized",
    403: "read_only",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid",
    500: "internal",
    503: "store",
}


class ApiError(Exception):
    """A failure the API reports as it is: status, machine code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors()[:5]:
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("query", "body"))
        parts.append(f"{where or 'request'}: {problem.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install(app: FastAPI, render_page: Any) -> None:
    """Register the handlers: JSON under /api (and for API clients), an HTML page otherwise."""

    def respond(request: Request, status: int, code: str, message: str) -> Response:
        if request.url.path.startswith("/api") or render_page is None:
            return JSONResponse(error_body(status, code, message), status_code=status)
        page: Response = render_page(request, status, message)
        return page

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.code, exc.message)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return respond(request, 400, "bad_filter", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return respond(request, 503, "store", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, "invalid", _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = CODE_OF_STATUS.get(exc.status_code, "error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; the API is described at /docs"
        return respond(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        message = (
            f"internal error ({type(exc).__name__}); the server log has the details, and a "
            "report with the request helps us fix it"
        )
        return respond(request, 500, "internal", message)
