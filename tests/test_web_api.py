"""The explorer's JSON API (FastAPI TestClient over a real coded store): every endpoint, the
one error shape, the size limit, the token and read-only mode, and the OpenAPI schema."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from communique.errors import InputError
from communique.store import EventFilter, open_store
from communique.web import ServeOptions, create_app
from web_store import EXAMPLE

TOKEN = "s3cret-token-for-tests-0123"


@pytest.fixture(scope="module")
def client(web_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(db=web_store))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def stored(web_store: Path) -> dict[str, Any]:
    """What the store holds, read through the library (not the API) to compare with."""
    with open_store(web_store, read_only=True) as store:
        return {"records": store.query(EventFilter()), "counts": store.counts()}


def error_of(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message
    return message


def test_health_counts_the_store(client: TestClient, stored: dict[str, Any]) -> None:
    body = client.get("/api/health").json()
    assert body["events"] == stored["counts"]["events"]
    assert body["documents"] == stored["counts"]["documents"]
    assert body["writes"] is False


def test_events_pages_cover_the_filtered_events_once(
    client: TestClient, stored: dict[str, Any]
) -> None:
    expected = [r.id for r in stored["records"]]  # every status but negated, by date then id
    seen: list[str] = []
    page = 1
    while True:
        body = client.get("/api/events", params={"page": page, "per_page": 7}).json()
        assert body["total"] == len(expected)
        if not body["items"]:
            break
        assert len(body["items"]) <= 7
        seen += [item["id"] for item in body["items"]]
        page += 1
    assert seen == expected


def test_events_filter_and_sort(client: TestClient, stored: dict[str, Any]) -> None:
    counts = Counter(r.event for r in stored["records"])
    kind, n = counts.most_common(1)[0]
    body = client.get("/api/events", params={"event": kind, "per_page": 500}).json()
    assert body["total"] == n and {item["event"] for item in body["items"]} == {kind}
    two = client.get("/api/events", params=[("quad", 1), ("quad", 4), ("per_page", 500)]).json()
    assert {item["quad_code"] for item in two["items"]} <= {1, 4}
    assert two["total"] == sum(1 for r in stored["records"] if r.quad_code in (1, 4))
    newest = client.get("/api/events", params={"sort": "-date", "per_page": 500}).json()
    dates = [item["date"][:10] for item in newest["items"] if item["date"]]
    assert dates == sorted(dates, reverse=True)


def test_one_event_has_its_document_and_evidence(client: TestClient) -> None:
    first = client.get("/api/events", params={"document": "doha-briefing"}).json()["items"][0]
    body = client.get(f"/api/events/{first['id']}").json()
    document = client.get("/api/documents/doha-briefing").json()
    sentence = body["evidence"]["sentence"]
    assert document["text"][sentence["start"] : sentence["end"]] == body["event"]["text"]
    assert body["document"]["id"] == "doha-briefing" and "text" not in body["document"]
    kinds = {h["kind"] for h in body["event"]["highlights"]}
    assert {"trigger", "actor"} <= kinds
    for mark in body["event"]["highlights"]:
        assert sentence["start"] <= mark["start"] < mark["end"] <= sentence["end"]
        assert document["text"][mark["start"] : mark["end"]] == mark["text"]


def test_documents_list_and_one(client: TestClient, stored: dict[str, Any]) -> None:
    body = client.get("/api/documents", params={"per_page": 100}).json()
    assert body["total"] == stored["counts"]["documents"] == len(body["items"])
    assert sum(d["events"] for d in body["items"]) == stored["counts"]["events"]
    found = client.get("/api/documents", params={"q": "Bogdanov"}).json()
    assert [d["id"] for d in found["items"]] == ["doha-briefing"]
    one = client.get("/api/documents/doha-briefing").json()
    assert one["text"].startswith(EXAMPLE.read_text(encoding="utf-8")[:40])
    assert len(one["events"]) >= 3 and all(e["doc_id"] == "doha-briefing" for e in one["events"])


def test_facets_count_the_matching_events(client: TestClient, stored: dict[str, Any]) -> None:
    body = client.get("/api/facets", params={"limit": 50}).json()
    assert body["total"] == len(stored["records"])
    assert sum(v["count"] for v in body["event"]) == body["total"]  # one type per event
    assert {v["value"]: v["count"] for v in body["status"]} == dict(
        Counter(r.status for r in stored["records"])
    )
    actor_codes = Counter(c for r in stored["records"] for c in {e.code for e in r.actor if e.code})
    assert {v["value"]: v["count"] for v in body["actor"]} == dict(actor_codes)


def test_dyads_and_timeseries_agree_with_the_records(
    client: TestClient, stored: dict[str, Any]
) -> None:
    pairs: Counter[tuple[str, str]] = Counter()
    for r in stored["records"]:
        for a in sorted({e.code for e in r.actor if e.code}):
            for b in sorted({e.code for e in r.recipient if e.code}):
                pairs[(a, b)] += 1
    dyads = client.get("/api/dyads", params={"limit": 1000}).json()
    assert {(d["actor"], d["recipient"]): d["events"] for d in dyads} == dict(pairs)
    for d in dyads:
        assert d["events"] == d["quad1"] + d["quad2"] + d["quad3"] + d["quad4"]
        assert -1.0 <= d["balance"] <= 1.0
    series = client.get("/api/timeseries", params={"freq": "month", "by": "total"}).json()
    assert sum(p["count"] for p in series) == sum(1 for r in stored["records"] if r.date)
    assert all(p["period"].endswith("-01") for p in series)


def test_actors_and_one_actor(client: TestClient) -> None:
    body = client.get("/api/actors", params={"limit": 5}).json()
    events = [a["events"] for a in body["codes"]]
    assert events == sorted(events, reverse=True) and events
    top = body["codes"][0]
    assert top["events"] == top["as_actor"] + top["as_recipient"]
    one = client.get(f"/api/actors/{top['code']}").json()
    assert one["as_actor"] + one["as_recipient"] >= 1
    assert all(top["code"] in (e["actor"], e["recipient"]) for e in one["partners"])
    error_of(client.get("/api/actors/NOBODY-AT-ALL"), 404, "not_found")


def test_places_points_and_countries(client: TestClient, stored: dict[str, Any]) -> None:
    body = client.get("/api/places").json()
    located = Counter(
        r.event_loc.country_code
        for r in stored["records"]
        if r.event_loc and r.event_loc.country_code
    )
    assert {c["country"]: c["events"] for c in body["countries"]} == dict(located)
    for point in body["points"]:
        assert -90 <= point["lat"] <= 90 and -180 <= point["lon"] <= 180


def test_code_a_pasted_text_without_storing(client: TestClient, stored: dict[str, Any]) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    body = client.post("/api/code", json={"text": text, "date": "2023-10-20", "id": "x"}).json()
    assert sorted((e["event"], e["status"]) for e in body["events"]) == [
        ("AGREE", "future"),
        ("AGREE", "hypothetical"),
        ("CONSULT", "asserted"),
    ]
    assert body["stored"] is False and body["skipped"] is None
    assert client.get("/api/health").json()["events"] == stored["counts"]["events"]
    upload = client.post(
        "/api/code/file",
        files={"file": ("brief.txt", text.encode(), "text/plain")},
        data={"date": "2023-10-20"},
    ).json()
    assert len(upload["events"]) == 3 and upload["document"]["id"] == "brief"


def test_code_reports_a_skip_with_its_reason(client: TestClient) -> None:
    body = client.post("/api/code", json={"text": "Officials met.", "date": "20 Foo"}).json()
    assert body["skipped"]["reason"] == "bad-date" and body["events"] == []


def test_errors_have_one_shape(client: TestClient) -> None:
    assert "quad" in error_of(client.get("/api/events?quad=7"), 400, "bad_filter")
    assert "YYYY" in error_of(client.get("/api/events?since=soon"), 400, "bad_filter")
    assert "PROTEST" in error_of(client.get("/api/events?event=RIOT"), 400, "bad_filter")
    error_of(client.get("/api/events?per_page=0"), 422, "invalid")
    error_of(client.get("/api/timeseries?freq=hour"), 422, "invalid")
    error_of(client.get("/api/events/no-such-event"), 404, "not_found")
    error_of(client.get("/api/documents/no-such-document"), 404, "not_found")
    error_of(client.get("/api/no-such-endpoint"), 404, "not_found")
    error_of(client.post("/api/code", json={"text": ""}), 422, "invalid")
    error_of(client.post("/api/code", content=b"{not json", headers=_json), 422, "invalid")
    bad_file = client.post("/api/code/file", files={"file": ("x.txt", b"\xff\xfe\x00bad")})
    assert "UTF-8" in error_of(bad_file, 422, "invalid")
    refused = client.post("/api/code?store=true", json={"text": "Officials met."})
    assert "--allow-writes" in error_of(refused, 403, "read_only")


_json = {"content-type": "application/json"}


def test_a_body_over_the_limit_is_refused(web_store: Path) -> None:
    app = create_app(ServeOptions(db=web_store, max_upload=1000))
    with TestClient(app) as small:
        big = json.dumps({"text": "word " * 400})
        message = error_of(small.post("/api/code", content=big, headers=_json), 413, "too_large")
        assert "1,000 bytes" in message
        assert small.post("/api/code", json={"text": "Talks.", "id": "t"}).status_code == 200


def test_writes_store_the_coded_text(tmp_path: Path, web_store: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(web_store.read_bytes())
    with TestClient(create_app(ServeOptions(db=db, allow_writes=True))) as writer:
        text = EXAMPLE.read_text(encoding="utf-8").replace("Doha", "Doha city")
        body = writer.post(
            "/api/code?store=true", json={"text": text, "id": "new-brief", "date": "2023-10-21"}
        ).json()
        assert body["stored"] is True and len(body["events"]) >= 3
        stored_doc = writer.get("/api/documents/new-brief").json()
        assert {e["id"] for e in stored_doc["events"]} == {e["id"] for e in body["events"]}
        again = writer.post(
            "/api/code?store=true", json={"text": text, "id": "new-brief", "date": "2023-10-21"}
        ).json()
        assert sorted(e["id"] for e in again["events"]) == sorted(e["id"] for e in body["events"])
        total = writer.get("/api/events", params={"document": "new-brief"}).json()["total"]
        assert total == len([e for e in body["events"] if e["status"] != "negated"])


def test_binding_beyond_loopback_needs_a_token(web_store: Path) -> None:
    with pytest.raises(InputError, match="token"):
        ServeOptions(db=web_store, host="0.0.0.0")
    with pytest.raises(InputError, match="16 characters"):
        ServeOptions(db=web_store, host="0.0.0.0", token="short")


def test_the_token_is_checked_on_every_request(web_store: Path) -> None:
    app = create_app(ServeOptions(db=web_store, host="0.0.0.0", token=TOKEN))
    with TestClient(app) as guarded:
        for path in ("/api/health", "/", "/assets/vega.js", "/docs", "/openapi.json"):
            error_of(guarded.get(path), 401, "unauthorized")
        error_of(guarded.get("/api/health", headers={"Authorization": "Bearer nope"}), 401,
                 "unauthorized")  # fmt: skip
        ok = guarded.get("/api/health", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        first = guarded.get(f"/?token={TOKEN}")  # a shared link: the cookie keeps the token
        assert first.status_code == 200 and "communique_token" in first.headers["set-cookie"]
        assert guarded.get("/events").status_code == 200


def test_openapi_schema_is_valid_and_docs_are_offline(client: TestClient) -> None:
    from openapi_spec_validator import validate

    schema = client.get("/openapi.json").json()
    validate(schema)
    paths = set(schema["paths"])
    endpoints = {"/api/events", "/api/events/{event_id}", "/api/documents", "/api/actors",
                 "/api/dyads", "/api/timeseries", "/api/places", "/api/facets",
                 "/api/code"}  # fmt: skip
    assert endpoints <= paths
    docs = client.get("/docs").text
    scripts = [part.split('"')[1] for part in docs.split("src=")[1:]]
    assert scripts and all(src.startswith("/") for src in scripts), scripts
    for src in scripts:
        assert client.get(src).status_code == 200


def test_assets_come_from_installed_packages(client: TestClient) -> None:
    bundle = client.get("/assets/vega.js")
    assert bundle.status_code == 200 and b"window.vegaEmbed" in bundle.content
    shapes = client.get("/assets/countries.geojson").json()
    ids = {feature["id"] for feature in shapes["features"]}
    assert {"QAT", "RUS", "USA", "SYR", "UKR"} <= ids and len(ids) > 150


def test_unique_counts_clusters_and_items_carry_their_cluster(web_store: Path) -> None:
    with open_store(web_store, read_only=True) as store:
        clusters = len(store.query(EventFilter(unique=True)))
        events = len(store.query(EventFilter()))
    with TestClient(create_app(ServeOptions(db=web_store))) as client:
        body = client.get("/api/events", params={"unique": "true", "per_page": 500}).json()
        assert body["total"] == clusters <= events
        assert len({item["cluster"]["id"] for item in body["items"]}) == clusters
        every = client.get("/api/events", params={"per_page": 500}).json()["items"]
        assert all(item["cluster"]["num_sources"] >= 1 for item in every)
        sizes = {item["cluster"]["id"]: item["cluster"]["num_events"] for item in every}
        assert sum(sizes.values()) == events
