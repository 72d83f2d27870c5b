"""Briefs: one statement per real-world event, quoted from a source, with every report cited;
most corroborated first; a plan linked to its act; Markdown, HTML and PDF; the CLI and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cluster_fixtures import REPORTS, ByDocument, documents_and_records
from communique.brief import build_brief, render, render_pdf
from communique.cli import app
from communique.cli import commands as _commands  # noqa: F401  (registers the commands)
from communique.store import EventFilter, open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief") / "events.duckdb"
    docs, records = documents_and_records()
    with open_store(path) as store:
        store.ingest(docs, ByDocument(records))
    return path


def test_one_statement_per_event_with_every_report_cited(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        brief = build_brief(store.con, EventFilter(), title="March")
    assert brief.events == 5 and brief.clusters == 3 and brief.sources == 4
    first = brief.sections[0]  # the most corroborated dyad comes first
    assert first.title == "Russia (RUS) → Qatar (QAT)"
    consult = next(t for t in first.topics if t.event == "CONSULT").statements
    assert len(consult) == 1
    meeting = consult[0]
    assert meeting.num_sources == 3 and meeting.num_articles == 3
    assert {c.doc_id for c in meeting.citations} == {"wire-2", "paper-1", "press-1"}
    sentences = {r[3] for r in REPORTS}
    assert meeting.sentence in sentences  # extractive: a source sentence, verbatim
    assert all(c.sentence in sentences and c.url for c in meeting.citations)
    assert meeting.status_words == "reported" and meeting.when == "2024-03-05"
    plan = next(t for t in first.topics if t.event == "AGREE").statements[0]
    assert plan.status_words == "planned" and plan.num_sources == 1
    assert any("consult" in line and "3 sources" in line for line in plan.linked)
    assert brief.sections[1].title == "Kenya (KEN) → Kenya (KEN)"


def test_limits_count_what_is_left_out(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        brief = build_brief(store.con, EventFilter(), max_sections=1, max_statements=1)
    assert len(brief.sections) == 1 and brief.left_out == 1


def test_markdown_html_and_pdf(db: Path, tmp_path: Path) -> None:
    with open_store(db, read_only=True) as store:
        brief = build_brief(store.con, EventFilter(since="2024-03"), title="Doha week")
    md = render(brief, "md")
    assert md.startswith("# Doha week")
    assert "(https://news.example/paper-1)" in md and "3 sources" in md
    assert "Lavrov met the Qatari prime minister in Doha on Tuesday." in md
    html = render(brief, "html")
    assert "<svg" in html and "https://news.example/press-1" in html
    assert "cdn" not in html.lower() and "<script" not in html
    target = tmp_path / "brief.pdf"
    render_pdf(brief, target)
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 5000


def test_brief_command(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["brief", "--db", str(db), "--event", "CONSULT"])
    assert result.exit_code == 0, result.output
    assert "## Russia (RUS) → Qatar (QAT)" in result.stdout and "Nairobi" not in result.stdout
    no_file = runner.invoke(app, ["brief", "--db", str(db), "--format", "pdf"])
    assert no_file.exit_code == 2 and "-o" in no_file.stderr
    out = tmp_path / "b.html"
    written = runner.invoke(app, ["brief", "--db", str(db), "--format", "html", "-o", str(out)])
    assert written.exit_code == 0 and "<h1>Brief</h1>" in out.read_text(encoding="utf-8")


def test_the_api_offers_the_same_brief(db: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from communique.web import ServeOptions, create_app

    with TestClient(create_app(ServeOptions(db=db))) as client:
        body = client.get("/api/brief", params={"title": "Doha week"}).json()
        assert body["clusters"] == 3 and body["sections"][0]["num_sources"] == 4
        md = client.get("/api/brief", params={"format": "md", "title": "Doha week"}).text
        with open_store(db, read_only=True) as store:
            same = render(build_brief(store.con, EventFilter(), title="Doha week"), "md")
        assert md == same
        assert client.get("/api/brief?format=pdf").status_code == 422


def test_a_filtered_brief_still_cites_every_report_of_a_stored_event(db: Path) -> None:
    with open_store(db, read_only=True) as store:
        brief = build_brief(store.con, EventFilter(source="Gulf Daily"))
        unique = store.query(EventFilter(source="Gulf Daily", unique=True))
    (statement,) = [s for section in brief.sections for t in section.topics for s in t.statements]
    assert statement.num_sources == 3 and len(statement.citations) == 3  # as the store counts
    assert statement.cluster_id.startswith("c-") and len(unique) == 1
