"""Vega and Vega-Lite specifications of the charts of the explorer and of briefs.

The data travel inside the spec (no second request), except the country outlines, which every
map loads from `/assets/countries.geojson`. Marks link to the events behind them (`href`), so a
click on a month, a country or a partner opens the filtered table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

QUAD_NAMES = {
    "1": "verbal cooperation",
    "2": "material cooperation",
    "3": "verbal conflict",
    "4": "material conflict",
}
QUAD_COLOURS = ["#7fbf7b", "#1b7837", "#f1a340", "#b2182b"]
SCHEMA_LITE = "https://vega.github.io/schema/vega-lite/v6.json"  # an id, never fetched
SCHEMA_VEGA = "https://vega.github.io/schema/vega/v6.json"


def events_link(base: dict[str, Any], **more: Any) -> str:
    """/events with the filters of `base` and `more` (lists become repeated parameters)."""
    merged = {**{k: v for k, v in base.items() if v not in (None, "", [], ())}, **more}
    return "/events?" + urlencode(merged, doseq=True)


def timeline(series: list[dict[str, Any]], freq: str, base: dict[str, Any]) -> dict[str, Any]:
    """Stacked bars: events per period, coloured by quad; a bar opens its events."""
    values = []
    for point in series:
        period = point["period"]
        values.append(
            {
                "period": period,
                "quad": QUAD_NAMES.get(point["key"], point["key"]),
                "count": point["count"],
                "href": events_link(base, since=_period_start(period, freq),
                                    until=_period_end(period, freq), quad=point["key"]),
            }
        )  # fmt: skip
    unit = {"day": "yearmonthdate", "week": "yearweek", "month": "yearmonth", "year": "year"}
    return {
        "$schema": SCHEMA_LITE,
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "timeUnit": unit[freq], "title": None},
            "y": {"field": "count", "type": "quantitative", "title": "events"},
            "color": {
                "field": "quad",
                "type": "nominal",
                "scale": {"domain": list(QUAD_NAMES.values()), "range": QUAD_COLOURS},
                "legend": {"orient": "top", "title": None},
            },
            "href": {"field": "href"},
        },
    }


def readable_freq(first: dt.date | None, last: dt.date | None) -> str:
    """The period that gives a readable chart of events from `first` to `last`: days for a
    month, weeks for a season, months for up to ten years, else years."""
    if first is None or last is None:
        return "month"
    span = (last - first).days
    return "day" if span <= 45 else "week" if span <= 200 else "month" if span <= 3650 else "year"


def _period_start(period: str, freq: str) -> str:
    return period[:4] if freq == "year" else period[:7] if freq == "month" else period


def _period_end(period: str, freq: str) -> str:
    if freq in ("year", "month"):
        return _period_start(period, freq)
    if freq == "day":
        return period
    return (dt.date.fromisoformat(period) + dt.timedelta(days=6)).isoformat()


def world_map(
    places: dict[str, list[dict[str, Any]]], base: dict[str, Any], height: int = 360
) -> dict[str, Any]:
    """Countries shaded by the events located in them, and a circle per city or region."""
    countries = [
        {**c, "href": events_link(base, country=c["country"])} for c in places["countries"]
    ]
    points = [
        {**p, "href": events_link(base, country=p["country"]) if p["country"] else None}
        for p in places["points"]
        if p["resolution"] != "country"  # a country's events shade it; no dot at its capital
    ]
    outline = {
        "url": "/assets/countries.geojson",
        "format": {"type": "json", "property": "features"},
    }
    return {
        "$schema": SCHEMA_LITE,
        "width": "container",
        "height": height,
        "projection": {"type": "equalEarth"},
        "layer": [
            {
                "data": outline,
                "transform": [
                    {
                        "lookup": "id",
                        "from": {
                            "data": {"values": countries},
                            "key": "country",
                            "fields": ["events", "href"],
                        },
                    },
                    {"calculate": "datum.events || 0", "as": "events"},
                    {"calculate": "datum.properties.name", "as": "name"},
                ],
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
                "encoding": {
                    "color": {
                        "field": "events",
                        "type": "quantitative",
                        "scale": {"scheme": "blues", "type": "symlog"},
                        "legend": {"title": "events", "orient": "bottom-left"},
                    },
                    "tooltip": [
                        {"field": "name", "type": "nominal", "title": "country"},
                        {"field": "events", "type": "quantitative"},
                    ],
                    "href": {"field": "href"},
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "circle", "color": "#b2182b", "opacity": 0.7},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "size": {
                        "field": "events",
                        "type": "quantitative",
                        "scale": {"range": [20, 400]},
                        "legend": None,
                    },
                    "tooltip": [
                        {"field": "place", "type": "nominal"},
                        {"field": "country", "type": "nominal"},
                        {"field": "events", "type": "quantitative"},
                    ],
                    "href": {"field": "href"},
                },
            },
        ],
    }


def network(key: str, edges: list[dict[str, Any]], base: dict[str, Any]) -> dict[str, Any]:
    """The actor and its partners as a force-directed graph: an edge's width is its events,
    its colour the balance of cooperation (green) and conflict (red); a node opens its view."""
    names = sorted({key} | {e["actor"] for e in edges} | {e["recipient"] for e in edges})
    index = {name: i for i, name in enumerate(names)}
    nodes = [
        {"name": n, "centre": n == key, "href": f"/actors/{n}", "index": i}
        for n, i in index.items()
    ]
    links = [
        {
            "source": index[e["actor"]],
            "target": index[e["recipient"]],
            "events": e["events"],
            "balance": e["balance"],
            "label": f"{e['actor']} → {e['recipient']}: {e['events']} events",
            "href": events_link(base, actor=e["actor"], recipient=e["recipient"]),
        }
        for e in edges
        if e["actor"] != e["recipient"]
    ]
    return {
        "$schema": SCHEMA_VEGA,
        "width": 560,
        "height": 380,
        "autosize": "none",
        "signals": [{"name": "cx", "update": "width / 2"}, {"name": "cy", "update": "height / 2"}],
        "data": [{"name": "node-data", "values": nodes}, {"name": "link-data", "values": links}],
        "scales": [
            {
                "name": "balance",
                "type": "linear",
                "domain": [-1, 0, 1],
                "range": ["#b2182b", "#bbbbbb", "#1b7837"],
            },
            {
                "name": "width",
                "type": "sqrt",
                "domain": {"data": "link-data", "field": "events"},
                "range": [1, 10],
            },
        ],
        "marks": [
            {
                "name": "nodes",
                "type": "symbol",
                "zindex": 1,
                "from": {"data": "node-data"},
                "encode": {
                    "enter": {
                        "fill": {"signal": "datum.centre ? '#08306b' : '#6baed6'"},
                        "size": {"signal": "datum.centre ? 600 : 250"},
                        "href": {"field": "href"},
                        "tooltip": {"field": "name"},
                        "cursor": {"value": "pointer"},
                    }
                },
                "transform": [
                    {
                        "type": "force",
                        "iterations": 300,
                        "static": True,
                        "forces": [
                            {"force": "center", "x": {"signal": "cx"}, "y": {"signal": "cy"}},
                            {"force": "collide", "radius": 22},
                            {"force": "nbody", "strength": -120},
                            {"force": "link", "links": "link-data", "distance": 110},
                        ],
                    }
                ],
            },
            {
                "type": "text",
                "from": {"data": "nodes"},
                "zindex": 2,
                "encode": {
                    "enter": {
                        "text": {"field": "datum.name"},
                        "x": {"field": "x"},
                        "y": {"field": "y", "offset": -14},
                        "align": {"value": "center"},
                        "fontSize": {"value": 12},
                    }
                },
            },
            {
                "type": "path",
                "from": {"data": "link-data"},
                "interactive": True,
                "encode": {
                    "update": {
                        "stroke": {"scale": "balance", "field": "balance"},
                        "strokeWidth": {"scale": "width", "field": "events"},
                        "strokeOpacity": {"value": 0.8},
                        "tooltip": {"field": "label"},
                        "href": {"field": "href"},
                    }
                },
                "transform": [
                    {
                        "type": "linkpath",
                        "shape": "line",
                        "sourceX": "datum.source.x",
                        "sourceY": "datum.source.y",
                        "targetX": "datum.target.x",
                        "targetY": "datum.target.y",
                    }
                ],
            },
        ],
    }
