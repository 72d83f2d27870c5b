"""The explorer's pages as HTML (TestClient): shareable filtered views, facet links that narrow
the table, the document view's marks, the code-a-text form and HTML error pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from communique.web import ServeOptions, create_app
from web_store import EXAMPLE


@pytest.fixture(scope="module")
def client(web_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(db=web_store))) as test_client:
        yield test_client


def specs(html: str) -> dict[str, dict[str, object]]:
    found = re.findall(
        r'<script type="application/json" id="spec-(\w+)">(.*?)</script>', html, re.S
    )
    return {name: json.loads(unescape(body)) for name, body in found}


def links(html: str, css_class: str = "") -> list[str]:
    return [
        unescape(h) for h in re.findall(rf'<a (?:class="{css_class}[^"]*" )?href="([^"]+)"', html)
    ]


def total_of(html: str) -> int:
    match = re.search(r'<small id="total">(\d+) found</small>', html)
    assert match, "the events page shows its total"
    return int(match.group(1))


def test_overview_has_timeline_dyads_and_map(client: TestClient) -> None:
    html = client.get("/").text
    charts = specs(html)
    assert set(charts) == {"timeline", "map"}
    bars = charts["timeline"]["data"]["values"]  # type: ignore[index]
    api_total = sum(p["count"] for p in client.get("/api/timeseries?by=total").json())
    assert sum(b["count"] for b in bars) == api_total  # type: ignore[index]
    assert all(b["href"].startswith("/events?") for b in bars)  # type: ignore[index]
    assert 'id="dyads"' in html


def test_a_facet_link_narrows_the_table_and_its_chip_removes_it(client: TestClient) -> None:
    everything = client.get("/events").text
    facet = re.search(r'data-facet="event">.*?<a class="" href="([^"]+)" data-value="(\w+)"',
                      everything, re.S)  # fmt: skip
    assert facet, "the event-type facet lists its values"
    href, kind = unescape(facet.group(1)), facet.group(2)
    narrowed = client.get(href).text
    api = client.get("/api/events", params={"event": kind}).json()
    assert total_of(narrowed) == api["total"] < total_of(everything)
    assert f"{kind} ✕" in narrowed.replace("event: ", "")  # the active filter shows as a chip
    rows = re.findall(r'<tr data-event="([^"]+)">', narrowed)
    assert rows == [item["id"] for item in api["items"]]
    chip = re.search(r'<a class="chip" href="([^"]+)"', narrowed)
    assert chip and total_of(client.get(unescape(chip.group(1))).text) == total_of(everything)


def test_filters_in_the_url_are_the_view(client: TestClient) -> None:
    html = client.get("/events?status=future&status=hypothetical&text=Doha").text
    api = client.get("/api/events?status=future&status=hypothetical&text=Doha").json()
    assert total_of(html) == api["total"] >= 1
    assert client.get("/events?quad=9").status_code == 400


def test_event_page_marks_its_sentence_and_parts(client: TestClient) -> None:
    item = client.get("/api/events", params={"document": "doha-briefing"}).json()["items"][0]
    page = client.get(f"/events/{item['id']}").text
    html = page[page.index('<div class="doctext">') :]  # the text, not the legend
    lit = re.findall(r'<span class="([^"]*\blit\b[^"]*)"[^>]*>([^<]*)</span>', html)
    marked = {unescape(text) for _, text in lit}
    assert {h["text"] for h in item["highlights"]} <= marked
    sentence = "".join(
        unescape(t)
        for t in re.findall(r'<span class="[^"]*m-sentence[^"]*"[^>]*>([^<]*)</span>', html)
    )
    assert sentence == item["text"]
    assert f'id="record-{item["id"]}"' in page and "record active" in page


def test_actor_view_has_series_and_network(client: TestClient) -> None:
    top = client.get("/api/actors?limit=1").json()["codes"][0]["code"]
    charts = specs(client.get(f"/actors/{top}").text)
    assert set(charts) == {"timeline", "network"}
    nodes = charts["network"]["data"][0]["values"]  # type: ignore[index]
    assert any(n["name"] == top and n["centre"] for n in nodes)  # type: ignore[index]
    assert client.get("/actors/NOBODY-AT-ALL").status_code == 404


def test_code_form_shows_the_example_events(client: TestClient) -> None:
    assert 'name="text"' in client.get("/code").text
    html = client.post(
        "/code", data={"text": EXAMPLE.read_text(encoding="utf-8"), "date": "2023-10-20"}
    ).text
    assert html.count('<article class="record') == 3
    assert "event page" not in html  # nothing stored: no links to stored events
    assert "m-trigger" in html


def test_missing_pages_are_html_errors(client: TestClient) -> None:
    response = client.get("/events/no-such-event")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "no event 'no-such-event'" in unescape(response.text)


def test_the_filter_form_keeps_the_facets_it_has_no_field_for(client: TestClient) -> None:
    html = client.get("/events?event=CONSULT&quad=1&text=talks").text
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', html)
    assert ("event", "CONSULT") in hidden and ("quad", "1") in hidden
    assert ("text", "talks") not in hidden  # the words have their own field


def test_serve_refuses_a_missing_store_and_an_open_bind_without_token(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from communique.cli import app
    from communique.cli import commands as _commands  # noqa: F401  (registers the commands)

    runner = CliRunner()
    missing = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "communique ingest" in " ".join(missing.stderr.split())
    (tmp_path / "some.duckdb").write_bytes(b"")
    open_bind = runner.invoke(
        app, ["serve", "--db", str(tmp_path / "some.duckdb"), "--host", "0.0.0.0"],
        env={"COMMUNIQUE_TOKEN": ""},
    )  # fmt: skip
    assert open_bind.exit_code == 2 and "--token" in " ".join(open_bind.stderr.split())
    (tmp_path / "notes.duckdb").write_bytes(b"these are my notes, not a database" * 200)
    not_ours = runner.invoke(app, ["serve", "--db", str(tmp_path / "notes.duckdb")])
    assert not_ours.exit_code == 2
    assert "not a communique event store" in " ".join(not_ours.stderr.split())
