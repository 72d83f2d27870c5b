"""The JSON API under /api: thin endpoints over `communique.store.explore` and the coder.

Every list endpoint takes the filters of `communique events` as query parameters (repeat a
parameter for several values: `?event=PROTEST&event=ASSAULT`). Failures have one shape,
`{"error": {"status", "code", "message"}}` (see `communique.web.errors`).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field

from communique.records import EventRecord
from communique.store import EventFilter
from communique.store import explore as queries
from communique.store.aggregate import Freq
from communique.store.clusters import cluster_rows
from communique.web.errors import ApiError
from communique.web.highlight import highlights
from communique.web.service import PASTED, CodedText, Explorer

router = APIRouter(prefix="/api", tags=["events"])

MAX_PAGE = 500


class SeriesBy(StrEnum):
    quad = "quad"
    event = "event"
    total = "total"


class Sort(StrEnum):
    date = "date"
    newest = "-date"
    confidence = "-confidence"


def explorer(request: Request) -> Explorer:
    found: Explorer = request.app.state.explorer
    return found


def event_filter(
    actor: str | None = None,
    recipient: str | None = None,
    event: Annotated[list[str], Query(description="PLOVER types (any)")] = [],  # noqa: B006
    quad: Annotated[list[int], Query(description="quad classes 1-4 (any)")] = [],  # noqa: B006
    status: Annotated[
        list[str], Query(description="statuses (any); default all but negated; 'all'")
    ] = [],  # noqa: B006
    since: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    country: Annotated[list[str], Query(description="event location, ISO alpha-3")] = [],  # noqa: B006
    text: Annotated[str | None, Query(description="words the sentence must hold")] = None,
    source: str | None = None,
    sector: Annotated[list[str], Query(description="actor sectors (any)")] = [],  # noqa: B006
    document: Annotated[str | None, Query(description="a document id")] = None,
    unique: Annotated[
        bool, Query(description="one event per cluster: real-world events, not reports")
    ] = False,
) -> EventFilter:
    """The filters of `communique events`; a bad value is a 400 `bad_filter`."""
    return EventFilter(
        actor=actor or None,
        recipient=recipient or None,
        event=tuple(event),
        quad=tuple(quad),
        status=tuple(status),
        since=since or None,
        until=until or None,
        country=tuple(country),
        text=text or None,
        source=source or None,
        sector=tuple(sector),
        document=document or None,
        unique=unique,
    )


Filters = Annotated[EventFilter, Depends(event_filter)]
State = Annotated[Explorer, Depends(explorer)]
Page = Annotated[int, Query(ge=1, le=10_000_000)]
PerPage = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Limit = Annotated[int, Query(ge=1, le=1000)]


def record_json(record: EventRecord, document_text: str | None = None) -> dict[str, Any]:
    """The record as JSON, with the marked parts of its sentence (`highlights`)."""
    out = record.to_dict()
    out["highlights"] = [
        {"kind": h.kind, "start": h.start, "end": h.end, "text": h.text}
        for h in highlights(record, document_text)
    ]
    return out


@router.get("/health", summary="The store's counts and the server's mode")
def health(state: State) -> dict[str, Any]:
    with state.cursor() as cursor:
        ((documents, events),) = cursor.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)"
        ).fetchall()
    return {
        "status": "ok",
        "documents": int(documents),
        "events": int(events),
        "writes": state.options.allow_writes,
    }


@router.get("/events", summary="Events, filtered, sorted and paged")
def list_events(
    state: State,
    flt: Filters,
    page: Page = 1,
    per_page: PerPage = 50,
    sort: Sort = Sort.date,
) -> dict[str, Any]:
    with state.cursor() as cursor:
        total, records = queries.event_page(cursor, flt, page, per_page, sort.value)
        clusters = cluster_rows(cursor, [r.id for r in records])
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "items": [{**record_json(r), "cluster": clusters.get(r.id)} for r in records],
    }


@router.get("/events/{event_id}", summary="One event with its document and evidence offsets")
def get_event(state: State, event_id: str) -> dict[str, Any]:
    with state.cursor() as cursor:
        record = queries.event_by_id(cursor, event_id)
        if record is None:
            raise ApiError(404, "not_found", f"no event {event_id!r} in the store")
        found = queries.document(cursor, record.doc_id)
        cluster = cluster_rows(cursor, [record.id]).get(record.id)
    text = found.pop("text") if found else None
    return {
        "event": {**record_json(record, text), "cluster": cluster},
        "document": found,
        "evidence": {
            "sentence": asdict(record.text_info) if record.text_info else None,
            "mentions": [asdict(m) for m in record.mentions],
        },
    }


@router.get("/documents", summary="Stored documents, newest first (skips with their reason)")
def list_documents(
    state: State,
    page: Page = 1,
    per_page: PerPage = 50,
    q: Annotated[str | None, Query(description="words in the title or text")] = None,
) -> dict[str, Any]:
    with state.cursor() as cursor:
        total, items = queries.document_page(cursor, page, per_page, q or None)
    return {"total": total, "page": page, "per_page": per_page, "items": items}


@router.get("/documents/{doc_id}", summary="One document: its text and its events")
def get_document(state: State, doc_id: str) -> dict[str, Any]:
    with state.cursor() as cursor:
        found = queries.document(cursor, doc_id)
        if found is None:
            raise ApiError(404, "not_found", f"no document {doc_id!r} in the store")
        records = queries.document_events(cursor, doc_id)
    found["events"] = [record_json(r, found["text"]) for r in records]
    return found


@router.get("/facets", summary="Counts of each filter's values among the matching events")
def get_facets(state: State, flt: Filters, limit: Limit = 12) -> dict[str, Any]:
    with state.cursor() as cursor:
        return {"total": queries.count_events(cursor, flt), **queries.facets(cursor, flt, limit)}


@router.get("/actors", summary="Actors by events, with their main partners")
def list_actors(state: State, flt: Filters, limit: Limit = 50) -> dict[str, Any]:
    with state.cursor() as cursor:
        return {
            "codes": queries.actors(cursor, flt, limit),
            "named": queries.named_actors(cursor, flt, limit),
        }


@router.get("/actors/{key}", summary="One actor (a code or a name): events over time, partners")
def get_actor(
    state: State, key: str, flt: Filters, freq: Freq = Freq.month, limit: Limit = 25
) -> dict[str, Any]:
    as_either = [replace(flt, actor=key), replace(flt, recipient=key)]
    with state.cursor() as cursor:
        counts = [queries.count_events(cursor, f) for f in as_either]
        if not any(counts):
            raise ApiError(404, "not_found", f"no events with {key!r} as actor or recipient")
        series = [
            {**point, "role": role}
            for role, f in zip(("actor", "recipient"), as_either, strict=True)
            for point in queries.series(cursor, f, freq.value, "quad")
        ]
        edges = queries.partners(cursor, key, flt, limit)
    return {
        "key": key,
        "as_actor": counts[0],
        "as_recipient": counts[1],
        "series": series,
        "partners": [e.as_json() for e in edges],
    }


@router.get("/dyads", summary="(actor, recipient) code pairs by events, with counts by quad")
def list_dyads(state: State, flt: Filters, limit: Limit = 50) -> list[dict[str, Any]]:
    with state.cursor() as cursor:
        return [e.as_json() for e in queries.dyads(cursor, flt, limit)]


@router.get("/timeseries", summary="Event counts per day, week, month or year")
def timeseries(
    state: State, flt: Filters, freq: Freq = Freq.month, by: SeriesBy = SeriesBy.quad
) -> list[dict[str, Any]]:
    with state.cursor() as cursor:
        return queries.series(cursor, flt, freq.value, by.value)


@router.get("/places", summary="Event places (points) and counts per country")
def list_places(state: State, flt: Filters, limit: Limit = 500) -> dict[str, Any]:
    with state.cursor() as cursor:
        return queries.places(cursor, flt, limit)


class BriefFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


@router.get("/brief", summary="A brief of the matching events: by dyad and topic, cited")
def get_brief(
    state: State,
    flt: Filters,
    fmt: Annotated[BriefFormat, Query(alias="format")] = BriefFormat.json,
    title: Annotated[str, Query(max_length=200)] = "Brief",
    sections: Annotated[int, Query(ge=1, le=200)] = 20,
    per_topic: Annotated[int, Query(ge=1, le=100)] = 8,
) -> Any:
    """The same brief as `communique brief`: JSON, Markdown or a self-contained HTML page."""
    from fastapi.responses import HTMLResponse, PlainTextResponse

    from communique.brief import build_brief, render

    with state.cursor() as cursor:
        brief = build_brief(
            cursor, flt, title=title, max_sections=sections, max_statements=per_topic
        )
    if fmt is BriefFormat.md:
        return PlainTextResponse(render(brief, "md"), media_type="text/markdown")
    if fmt is BriefFormat.html:
        return HTMLResponse(render(brief, "html"))
    return {
        **asdict(brief),
        "period": brief.period,
        "sections": [
            {**asdict(section), "title": section.title, "num_sources": section.num_sources}
            for section in brief.sections
        ],
    }


class TextIn(BaseModel):
    """A text to code."""

    text: str = Field(min_length=1, description="the article or briefing")
    id: str = Field(PASTED, min_length=1, max_length=200)
    date: str | None = Field(None, description="publication date, YYYY-MM-DD")
    title: str | None = None
    source: str | None = None
    url: str | None = None


def coded_json(coded: CodedText) -> dict[str, Any]:
    document = coded.document
    text = document.text if document else None
    return {
        "document": None
        if document is None
        else {
            "id": document.id,
            "date": document.date,
            "title": document.title,
            "source": document.source,
            "text": document.text,
        },
        "skipped": None
        if coded.skip is None
        else {"reason": coded.skip.reason, "detail": coded.skip.detail},
        "stored": coded.stored,
        "events": [record_json(r, text) for r in coded.records],
    }


def _code(state: Explorer, body: TextIn, store: bool) -> dict[str, Any]:
    if store and not state.options.allow_writes:
        raise ApiError(
            403, "read_only", "this server is read-only; start it with --allow-writes to store"
        )
    coded = state.code_text(
        body.text,
        doc_id=body.id,
        date=body.date,
        title=body.title,
        source=body.source,
        url=body.url,
        store=store,
    )
    return coded_json(coded)


StoreFlag = Annotated[bool, Query(description="also add the document to the store")]


@router.post("/code", summary="Code a pasted text (JSON) without storing it, or storing it")
def code_text(state: State, body: TextIn, store: StoreFlag = False) -> dict[str, Any]:
    return _code(state, body, store)


@router.post("/code/file", summary="Code an uploaded UTF-8 text file")
async def code_file(
    state: State,
    file: Annotated[UploadFile, File(description="a UTF-8 text file")],
    date: Annotated[str | None, Form()] = None,
    store: StoreFlag = False,
) -> dict[str, Any]:
    data = await file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(
            422, "invalid", "the file is not UTF-8 text; save it as UTF-8 and upload it again"
        ) from None
    name = (file.filename or "upload").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "upload"
    body = TextIn(text=text or " ", id=name, date=date or None)
    return _code(state, body, store)
