"""One text or HTML file -> one `Document` (or a `Skip`)."""

from __future__ import annotations

from pathlib import Path

from communique.ingest.html import decode_html, extract_html
from communique.ingest.options import ReadOptions
from communique.ingest.text import build_document, decode_bytes
from communique.records import Document, Skip

HTML_SUFFIXES = frozenset({".html", ".htm"})


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_file(path: Path, doc_id: str, origin: str, hint: str) -> Skip:
    return Skip(
        doc_id=doc_id,
        reason="missing-file",
        detail=f"{path} does not exist; check the path ({hint})",
        origin=origin,
    )


def read_file_document(
    path: Path,
    options: ReadOptions,
    *,
    doc_id: str | None = None,
    origin: str | None = None,
    date: object = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Document | Skip:
    """Read a text or HTML file (HTML by its .html/.htm suffix).

    `doc_id` defaults to the file name without its extension and `origin` to the path; the
    metadata arguments (from a row that names this file) win over what an HTML page says.
    """
    doc_id = doc_id or path.stem or path.name
    origin = origin or str(path)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    try:
        # Plain text is read only as far as it will be coded (4 bytes hold any UTF-8
        # character): a 50 MB file is not held whole, then copied, to keep 200 k characters.
        data, read_cut = _read_head(path, None if is_html else options.max_chars * 4 + 4096)
    except FileNotFoundError:
        return missing_file(path, doc_id, origin, "relative paths are read from the current folder")
    except OSError as exc:
        return Skip(
            doc_id=doc_id,
            reason="unreadable",
            detail=f"cannot read {path} ({exc.strerror or exc}); check its permissions",
            origin=origin,
        )
    decoded = decode_html(data) if is_html else decode_bytes(data)
    if isinstance(decoded, tuple):
        reason, detail = decoded
        detail = f"the file {detail}" if origin == str(path) else f"{path} {detail}"
        return Skip(doc_id=doc_id, reason=reason, detail=detail, origin=origin)
    text = decoded
    if is_html:
        page = extract_html(text)
        text = page.text
        date = page.date if is_blank(date) else date
        url = url or page.url
        title = title or page.title
        source = source or page.source
    return build_document(
        text,
        doc_id,
        None if is_blank(date) else date,
        url=url,
        title=title,
        source=source,
        origin=origin,
        options=options,
        read_cut=read_cut,
    )


def _read_head(path: Path, limit: int | None) -> tuple[bytes, bool]:
    """The file's bytes, at most `limit` of them, ending on a whole UTF-8 character; and
    whether bytes were left out. A UTF-16/32 file (a byte-order mark) is read whole."""
    with path.open("rb") as handle:
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is None or len(data) <= limit or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        if limit is not None and len(data) > limit:
            with path.open("rb") as handle:
                data = handle.read()
        return data, False
    data = data[:limit]
    end = len(data)
    while end > 0 and (data[end - 1] & 0xC0) == 0x80:  # continuation bytes of a cut character
        end -= 1
    if end > 0 and data[end - 1] >= 0xC0:  # the cut character's first byte
        end -= 1
    return data[:end], True
