"""Main text and metadata of an HTML page, through trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from communique.ingest.text import decode_bytes

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Dates from the page's metadata only: no search of the body text, so none is guessed.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


@dataclass
class HtmlPage:
    text: str
    title: str | None = None
    date: str | None = None  # as trafilatura found it in the page's metadata
    url: str | None = None
    source: str | None = None  # the site name


def decode_html(data: bytes) -> str | tuple[str, str]:
    """The page as text: UTF-8/UTF-16 as for text files, else the charset the page declares."""
    decoded = decode_bytes(data)
    if isinstance(decoded, str) or decoded[0] != "undecodable":
        return decoded
    declared = _CHARSET.search(data[:4096])
    if declared is None:
        return decoded
    charset = declared.group(1).decode("ascii")
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return "undecodable", (
            f"is neither UTF-8 nor valid in the charset it declares ({charset}); "
            f"re-save it as UTF-8"
        )


def extract_html(html: str) -> HtmlPage:
    """The main text (boilerplate removed) and metadata; all visible text if none is found."""
    if not html.strip():
        return HtmlPage(text="")
    import trafilatura  # heavy import, only when an HTML file is read

    found = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = str(getattr(found, "text", None) or "")
    if not text.strip():
        text = str(trafilatura.html2txt(html) or "")
    if not text.strip():
        text = visible_text(html)  # lxml gives up on very deep nesting (255+ levels)
    if found is None:
        return HtmlPage(text=text)
    return HtmlPage(
        text=text,
        title=_str(getattr(found, "title", None)),
        date=_str(getattr(found, "date", None)),
        url=_str(getattr(found, "url", None)),
        source=_str(getattr(found, "sitename", None)),
    )


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


class _TextCollector(HTMLParser):
    """The text of a page outside scripts and styles, block by block (no depth limit)."""

    _HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """All visible text of a page, by the standard library's tolerant parser."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)
