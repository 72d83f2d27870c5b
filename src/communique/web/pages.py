"""The web explorer's pages: server-rendered HTML over the same queries as the API.

Every view is a URL with its filters in the query string (the filters of `communique events`),
so a view can be bookmarked and shared. Facet links add or remove one filter value; chips show
the active filters, each with a link that removes it. Charts are Vega specs drawn by the bundle
that vl-convert-python ships (`/assets/vega.js`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import UploadFile

from communique import __version__, charts
from communique.records import EventRecord
from communique.store import EventFilter
from communique.store import explore as queries
from communique.store.query import where_clause
from communique.web.api import event_filter
from communique.web.errors import ApiError
from communique.web.highlight import highlights
from communique.web.marks import segments
from communique.web.service import PASTED, CodedText, Explorer

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
# the filters a page reads; the facets that set each, and which take several values
FILTER_PARAMS = ("event", "quad", "status", "actor", "recipient", "sector", "source", "country",
                 "since", "until", "text", "unique")  # fmt: skip
MULTI = frozenset({"event", "quad", "status", "sector", "country"})
FORM_FIELDS = frozenset({"text", "actor", "recipient", "since", "until"})  # filters_bar.html
FACET_TITLES = {
    "event": "Event type",
    "quad": "Quad",
    "status": "Status",
    "actor": "Actor",
    "recipient": "Recipient",
    "sector": "Actor sector",
    "source": "Source",
    "country": "Event country",
}
SORTS = (("date", "oldest"), ("-date", "newest"), ("-confidence", "most confident"))

_env = Environment(
    loader=PackageLoader("communique.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _explorer(request: Request) -> Explorer:
    found: Explorer = request.app.state.explorer
    return found


def _pairs(request: Request) -> list[tuple[str, str]]:
    """The page's filter parameters, in order, empty values left out."""
    return [(k, v) for k, v in request.query_params.multi_items() if k in FILTER_PARAMS and v]


def _filter(request: Request) -> EventFilter:
    pairs = _pairs(request)

    def many(name: str) -> list[str]:
        return [v for k, v in pairs if k == name]

    def one(name: str) -> str | None:
        values = many(name)
        return values[-1] if values else None

    try:
        quads = [int(q) for q in many("quad")]
    except ValueError:
        raise ApiError(400, "bad_filter", "quad must be 1, 2, 3 or 4") from None
    return event_filter(
        actor=one("actor"), recipient=one("recipient"), event=many("event"), quad=quads,
        status=many("status"), since=one("since"), until=one("until"), country=many("country"),
        text=one("text"), source=one("source"), sector=many("sector"),
        unique=one("unique") in ("1", "true"),
    )  # fmt: skip


def _href(path: str, pairs: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(pairs) if pairs else "")


def _toggle(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """The filters with `name=value` added, or removed when already there; a single-valued
    filter is replaced."""
    if (name, value) in pairs:
        return [p for p in pairs if p != (name, value)]
    kept = pairs if name in MULTI else [p for p in pairs if p[0] != name]
    return [*kept, (name, value)]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = _explorer(request)
    with state.cursor() as cursor:
        ((documents, events),) = cursor.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)"
        ).fetchall()
    pairs = _pairs(request)
    base: dict[str, Any] = {
        "request": request,
        "version": __version__,
        "store_path": state.options.db,
        "counts": {"documents": documents, "events": events},
        "charts": {},
        "nav": request.url.path,
        "title": "",
        "linkable": True,  # records are stored: each has an event page
        # the filters the form has no field for ride along, so submitting it keeps the facets
        "hidden": [(k, v) for k, v in pairs if k not in FORM_FIELDS],
        "action": None,
        "chips": [
            (f"{name}: {value}", _href(request.url.path, [p for p in pairs if p != (name, value)]))
            for name, value in pairs
        ],
        "link": lambda **more: charts.events_link(_as_query(pairs), **more),
    }
    html = _env.get_template(template).render(**{**base, **context})
    return HTMLResponse(html, status_code=status)


def _as_query(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in MULTI:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message,
                  title=f"Error {status}")  # fmt: skip


def _freq(flt: EventFilter, cursor: Any) -> str:
    """The readable chart period for the events `flt` selects (`charts.readable_freq`)."""
    where, params = where_clause(flt)
    ((first, last),) = cursor.execute(
        f"SELECT min(event_day), max(event_day) FROM events e WHERE {where}", params
    ).fetchall()
    return charts.readable_freq(first, last)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    flt = _filter(request)
    with _explorer(request).cursor() as cursor:
        freq = _freq(flt, cursor)
        series = queries.series(cursor, flt, freq, "quad")
        dyads = [e.as_json() for e in queries.dyads(cursor, flt, 15)]
        places = queries.places(cursor, flt)
    base = _as_query(_pairs(request))
    specs = {
        "timeline": charts.timeline(series, freq, base),
        "map": charts.world_map(places, base, height=300),
    }
    return render(request, "overview.html", title="Overview", flt=flt, dyads=dyads,
                  charts=specs)  # fmt: skip


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, page: int = 1, sort: str = "date") -> HTMLResponse:
    flt = _filter(request)
    if sort not in queries.ORDERS:
        raise ApiError(400, "bad_filter", f"sort must be one of {', '.join(queries.ORDERS)}")
    pairs = _pairs(request)
    with _explorer(request).cursor() as cursor:
        total, records = queries.event_page(cursor, flt, max(page, 1), PER_PAGE, sort)
        found = queries.facets(cursor, flt)
    facets = {
        name: [
            {
                "value": v["value"],
                "label": charts.QUAD_NAMES.get(v["value"], v["value"])
                if name == "quad"
                else v["value"],
                "count": v["count"],
                "active": (name, str(v["value"])) in pairs,
                "href": _href("/events", _toggle(pairs, name, str(v["value"]))),
            }
            for v in values
        ]
        for name, values in found.items()
    }
    pages = max(1, math.ceil(total / PER_PAGE))
    with_sort = [*pairs, ("sort", sort)] if sort != "date" else pairs
    return render(
        request, "events.html", title="Events", flt=flt, total=total, records=records,
        facets=facets, facet_titles=FACET_TITLES, page=page, pages=pages, sort=sort,
        sorts=SORTS, query=urlencode(with_sort),
        unique_link=_href("/events", _toggle(pairs, "unique", "1")), unique=flt.unique,
        sort_link=lambda key: _href("/events", [*pairs, ("sort", key)] if key != "date" else pairs),
        prev_link=_href("/events", [*with_sort, ("page", str(page - 1))]) if page > 1 else None,
        next_link=_href("/events", [*with_sort, ("page", str(page + 1))]) if page < pages else None,
    )  # fmt: skip


def _document_view(
    request: Request,
    document: dict[str, Any] | None,
    records: list[EventRecord],
    *,
    focus: str | None = None,
    **context: Any,
) -> HTMLResponse:
    text = (document or {}).get("text") or ""
    marks = {r.id: highlights(r, text) for r in records}
    sentences = {
        r.id: (r.text_info.start, r.text_info.end)
        for r in records
        if r.text_info is not None and (focus is None or r.id == focus)
    }
    title = (document or {}).get("title") or (document or {}).get("id") or "Document"
    return render(request, "document.html", title=title, document=document, records=records,
                  segments=segments(text, marks, sentences), focus=focus,
                  **context)  # fmt: skip


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    with _explorer(request).cursor() as cursor:
        record = queries.event_by_id(cursor, event_id)
        if record is None:
            raise ApiError(404, "not_found", f"no event {event_id!r} in the store")
        document = queries.document(cursor, record.doc_id)
        records = queries.document_events(cursor, record.doc_id)
    return _document_view(request, document, records, focus=event_id)


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, page: int = 1, q: str | None = None) -> HTMLResponse:
    with _explorer(request).cursor() as cursor:
        total, items = queries.document_page(cursor, max(page, 1), PER_PAGE, q or None)
    pages = max(1, math.ceil(total / PER_PAGE))
    extra = [("q", q)] if q else []
    return render(
        request, "documents.html", title="Documents", total=total, items=items, q=q,
        page=page, pages=pages,
        prev_link=_href("/documents", [*extra, ("page", str(page - 1))]) if page > 1 else None,
        next_link=_href("/documents", [*extra, ("page", str(page + 1))]) if page < pages else None,
    )  # fmt: skip


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    with _explorer(request).cursor() as cursor:
        document = queries.document(cursor, doc_id)
        if document is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r} in the store")
        records = queries.document_events(cursor, doc_id)
    return _document_view(request, document, records)


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request) -> HTMLResponse:
    flt = _filter(request)
    with _explorer(request).cursor() as cursor:
        codes = queries.actors(cursor, flt, 40)
        named = queries.named_actors(cursor, flt, 40)
    return render(request, "actors.html", title="Actors", flt=flt, codes=codes, named=named)


@router.get("/actors/{key}", response_class=HTMLResponse)
def actor(request: Request, key: str) -> HTMLResponse:
    flt = _filter(request)
    as_actor, as_recipient = replace(flt, actor=key), replace(flt, recipient=key)
    with _explorer(request).cursor() as cursor:
        counts = [queries.count_events(cursor, f) for f in (as_actor, as_recipient)]
        if not any(counts):
            raise ApiError(404, "not_found", f"no events with {key!r} as actor or recipient")
        freq = _freq(as_actor, cursor)
        series = queries.series(cursor, as_actor, freq, "quad")
        edges = [e.as_json() for e in queries.partners(cursor, key, flt, 25)]
    base = _as_query(_pairs(request))
    specs = {
        "timeline": charts.timeline(series, freq, {**base, "actor": key}),
        "network": charts.network(key, edges, base),
    }
    return render(request, "actor.html", title=key, key=key, as_actor=counts[0],
                  as_recipient=counts[1], partners=edges, charts=specs)  # fmt: skip


@router.get("/map", response_class=HTMLResponse)
def world(request: Request) -> HTMLResponse:
    flt = _filter(request)
    with _explorer(request).cursor() as cursor:
        places = queries.places(cursor, flt)
    specs = {"map": charts.world_map(places, _as_query(_pairs(request)), height=520)}
    return render(request, "map.html", title="Map", flt=flt, charts=specs)


@router.get("/code", response_class=HTMLResponse)
def code_form(request: Request) -> HTMLResponse:
    return render(request, "code.html", title="Code a text",
                  writes=_explorer(request).options.allow_writes)  # fmt: skip


@router.post("/code", response_class=HTMLResponse, response_model=None)
async def code_submit(request: Request) -> HTMLResponse | RedirectResponse:
    state = _explorer(request)
    form = await request.form()
    text = str(form.get("text") or "")
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            text = (await upload.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(422, "invalid", "the file is not UTF-8 text; save it as UTF-8") from None
    if not text.strip():
        return RedirectResponse("/code", status_code=303)
    store = bool(form.get("store")) and state.options.allow_writes
    coded: CodedText = state.code_text(
        text,
        doc_id=str(form.get("id") or PASTED),
        date=str(form.get("date") or "") or None,
        title=str(form.get("title") or "") or None,
        store=store,
    )
    document = None
    if coded.document is not None:
        doc = coded.document
        document = {"id": doc.id, "title": doc.title, "date": doc.date, "source": doc.source,
                    "url": doc.url, "text": doc.text}  # fmt: skip
    skipped = None if coded.skip is None else {"reason": coded.skip.reason,
                                               "detail": coded.skip.detail}  # fmt: skip
    return _document_view(request, document, coded.records, skipped=skipped,
                          stored=coded.stored, linkable=coded.stored, nav="/code")  # fmt: skip
