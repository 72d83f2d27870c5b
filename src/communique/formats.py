"""Record layouts shared by `communique code` and the store's exports."""

from __future__ import annotations

from typing import Any

from communique.records import EventRecord


def plover_dict(record: EventRecord) -> dict[str, Any]:
    """Strict PLOVER JSONL: the manual's field names, with status kept in `context`.

    The manual has no `status`: its auxiliary modes (future, hypothetical, negation, historical)
    are contexts, so a non-asserted status is added there; `planned` and `attribution` have no
    manual field and go under `comment`.
    """
    data = record.to_dict()
    context = list(record.context)
    if record.status != "asserted":
        context.append("negation" if record.status == "negated" else record.status)
    comment: dict[str, Any] = {}
    if data["planned"]:
        comment["planned"] = data["planned"]
    if data["attribution"]:
        comment["attribution"] = data["attribution"]
    return {
        "id": record.id,
        "date": record.date,
        "enddate": record.enddate,
        "actor": data["actor"],
        "recipient": data["recipient"],
        "event": record.event,
        "mode": record.mode or "",
        "context": context,
        "event_loc": data["event_loc"] or {},
        "event_text": record.event_text,
        "quad_code": record.quad_code,
        "text": record.text,
        "text_info": data["text_info"] or {},
        "cite_info": {**data["cite_info"], "doc_id": record.doc_id, "cameo": record.cameo},
        "coder": "communique",
        "comment": comment,
        "has_event": True,
    }
