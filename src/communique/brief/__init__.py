"""Briefs: what happened in a period, grouped by dyad and topic, most corroborated first.

    from communique.brief import build_brief, render
    with open_store("events.duckdb", read_only=True) as store:
        brief = build_brief(store.con, EventFilter(since="2025-03-01"))
    text = render(brief, "md")          # or "html"; render_pdf(brief, path) for a PDF

A brief is extractive: every statement in it is a sentence of a stored document, quoted as it
stands, with its date, its status (reported, planned, conditional, denied ...) and citations to
every document that reports the same event (`communique.dedup` decides which those are).
"""

from __future__ import annotations

from communique.brief.build import Brief, Citation, Section, Statement, Topic, build_brief
from communique.brief.render import BRIEF_FORMATS, render, render_pdf

__all__ = [
    "BRIEF_FORMATS",
    "Brief",
    "Citation",
    "Section",
    "Statement",
    "Topic",
    "build_brief",
    "render",
    "render_pdf",
]
