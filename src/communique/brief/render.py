"""A brief as Markdown, as one self-contained HTML page, or as a PDF.

The chart of event counts is drawn by vl-convert-python (an SVG inside the HTML, a PNG inside the
PDF), so no format needs a browser or a network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from communique import charts
from communique.brief.build import Brief

BRIEF_FORMATS: tuple[str, ...] = ("md", "html", "pdf")
CHART_WIDTH = 640


def chart_spec(brief: Brief) -> dict[str, Any]:
    spec = charts.timeline(brief.series, brief.freq, {})
    spec["width"] = CHART_WIDTH
    spec["encoding"].pop("href", None)  # a static chart links nowhere
    return spec


def chart_svg(brief: Brief) -> str:
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(chart_spec(brief))
    return svg


def chart_png(brief: Brief) -> bytes:
    import vl_convert

    png: bytes = vl_convert.vegalite_to_png(chart_spec(brief), scale=2)
    return png


_env = Environment(
    loader=PackageLoader("communique.brief", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _md(text: str) -> str:
    """Text as Markdown shows it: the characters that would format escaped."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def render(brief: Brief, fmt: str) -> str:
    """The brief as Markdown ("md") or HTML ("html")."""
    if fmt == "html":
        return _env.get_template("brief.html").render(
            brief=brief, chart=chart_svg(brief) if brief.series else "", today=dt.date.today()
        )
    if fmt != "md":
        raise ValueError(f"a text brief is md or html, not {fmt!r}")
    lines = [f"# {_md(brief.title)}", ""]
    lines.append(
        f"{brief.period}: {brief.clusters} events reported {brief.events} times in "
        f"{brief.documents} documents from {brief.sources} sources. Every statement below "
        "quotes a source sentence; the most corroborated come first."
    )
    for section in brief.sections:
        lines += ["", f"## {_md(section.title)}"]
        for topic in section.topics:
            lines += ["", f"### {topic.event}", ""]
            for s in topic.statements:
                lines.append(
                    f"- **{s.when}**, {_md(s.status_words)}, {s.num_sources} source"
                    f"{'' if s.num_sources == 1 else 's'}: “{_md(s.sentence)}”"
                )
                for linked in s.linked:
                    lines.append(f"  - linked: {_md(linked)}")
                for c in s.citations:
                    name = _md(c.title or c.doc_id)
                    where = f"[{name}]({c.url})" if c.url else name
                    extra = ", ".join(_md(x) for x in (c.source, c.published) if x)
                    lines.append(
                        f"  - {where}{f' ({extra})' if extra else ''}: “{_md(c.sentence)}”"
                    )
    if brief.left_out:
        lines += ["", f"{brief.left_out} less corroborated events are left out."]
    if not brief.sections:
        lines += ["", "No events match the filters."]
    return "\n".join(lines) + "\n"


def render_pdf(brief: Brief, target: Path) -> None:
    """The brief as a PDF (fpdf2, with its core fonts; text outside Latin-1 is transliterated
    to the nearest Latin-1 character)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value: str, size: float = 10, style: str = "", height: float = 5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(width, height, _latin1(value))

    text(brief.title, 18, "B", 9)
    text(
        f"{brief.period}: {brief.clusters} events reported {brief.events} times in "
        f"{brief.documents} documents from {brief.sources} sources."
    )
    if brief.series:
        import io

        pdf.image(io.BytesIO(chart_png(brief)), w=width)
    for section in brief.sections:
        pdf.ln(3)
        text(section.title, 13, "B", 7)
        for topic in section.topics:
            text(topic.event, 11, "B", 6)
            for s in topic.statements:
                sources = f"{s.num_sources} source{'' if s.num_sources == 1 else 's'}"
                text(f"{s.when} - {s.status_words} - {sources}", 9, "B")
                text(f'"{s.sentence}"', 10)
                for linked in s.linked:
                    text(f"linked: {linked}", 8, "I")
                for c in s.citations:
                    bits = ", ".join(x for x in (c.title or c.doc_id, c.source, c.published) if x)
                    text(f"- {bits}{f' <{c.url}>' if c.url else ''}", 8)
    if brief.left_out:
        text(f"{brief.left_out} less corroborated events are left out.", 9, "I")
    pdf.output(str(target))


_LATIN1 = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
                         "→": "->", "…": "...", "\u00a0": " "})  # fmt: skip


def _latin1(value: str) -> str:
    return value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
