"""Record layouts shared by `communique code` and the store's exports."""

from __future__ import annotations

from typing import Any

_ENTITY_KEYS = ("code", "sector", "entity_text", "identifier_id", "identifier_text", "office")
# The manual's names for the auxiliary modes that communique states in `status`.
_STATUS_CONTEXT = {"future": "future", "hypothetical": "hypothetical", "negated": "negation",
                   "historical": "historical"}  # fmt: skip


def plover_dict(row: dict[str, Any], coded_date: str | None = None) -> dict[str, Any]:
    """Strict PLOVER JSON from a record's dict form (`EventRecord.to_dict()` or a stored row).

    Only the manual's field names. The manual has no `status`: its auxiliary modes are contexts,
    so a non-asserted status is added to `context`; the CAMEO code, the planned act and the
    attribution, which have no manual field, are summed up in `comment`.
    """
    cite = dict(row.get("cite_info") or {})
    loc = row.get("event_loc")
    info = row.get("text_info")
    context = list(row.get("context") or [])
    status = row.get("status") or "asserted"
    if status in _STATUS_CONTEXT and _STATUS_CONTEXT[status] not in context:
        context.append(_STATUS_CONTEXT[status])
    comment = [f"status: {status}"] if status != "asserted" else []
    if row.get("cameo"):
        comment.append(f"cameo: {row['cameo']}")
    planned = row.get("planned")
    if planned:
        comment.append(
            f"planned: {' '.join(p for p in (planned['event'], planned.get('mode')) if p)}"
        )
    for role in ("actor", "recipient"):
        for entity in row.get(role) or []:
            if entity.get("inferred"):  # the manual has no field for a party the text implies
                comment.append(f"{role} inferred: {entity.get('entity_text')}")
    attribution = row.get("attribution")
    if attribution and attribution.get("speaker"):
        comment.append(
            f"attribution: {attribution['speaker'].get('entity_text')} ({attribution.get('cue')})"
        )
    return {
        "id": row["id"],
        "date": row.get("date"),
        "time": None,
        "enddate": row.get("enddate"),
        "endtime": None,
        "actor": [{k: e.get(k) for k in _ENTITY_KEYS} for e in row.get("actor") or []],
        "recipient": [{k: e.get(k) for k in _ENTITY_KEYS} for e in row.get("recipient") or []],
        "event": row["event"],
        "mode": row.get("mode"),
        "context": context,
        "event_loc": {k: v for k, v in loc.items() if k != "basis"} if loc else None,
        "event_text": row.get("event_text"),
        "quad_code": row["quad_code"],
        "event_scale": None,
        "link": cite.get("url"),
        "text": row.get("text"),
        "text_info": dict(info) if info else None,
        "cite_info": cite,
        "coder": cite.get("coder") or "communique",
        "coded_date": coded_date,
        "comment": "; ".join(comment) or None,
        "has_event": True,
    }
