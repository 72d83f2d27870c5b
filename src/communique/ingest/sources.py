"""Where documents come from: paths (files and folders) and stdin."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import TextIO

from communique.ingest.files import HTML_SUFFIXES, missing_file, read_file_document
from communique.ingest.html import extract_html
from communique.ingest.options import ReadOptions
from communique.ingest.rows import (
    is_json_object,
    read_csv,
    read_json,
    read_jsonl,
    read_jsonl_lines,
)
from communique.ingest.text import build_document
from communique.records import Document, Skip

# The files a folder read picks up; a file named on its own is read whatever its suffix
# (as plain text unless it is .html/.htm, .jsonl, .csv or .json).
FOLDER_SUFFIXES = frozenset({".txt", ".text", ".md", ".jsonl", ".csv", ".json"} | HTML_SUFFIXES)
STDIN_ID = "stdin"
_HTML_START = re.compile(r"\s*<(!doctype\s+html|html)\b", re.IGNORECASE)


def read_path(name: str, options: ReadOptions, stdin: TextIO | None) -> Iterator[Document | Skip]:
    if name == "-":
        if stdin is None:  # started with stdin closed (`<&-`)
            yield Skip(
                doc_id="stdin", reason="no-input", origin="<stdin>",
                detail="standard input is closed; pipe the documents in or name files instead",
            )  # fmt: skip
            return
        yield from read_stdin(_utf8_lines(stdin), options)
        return
    path = Path(name)
    if path.is_dir():
        yield from read_folder(path, options)
    elif not path.exists():
        yield missing_file(path, path.stem or name, name, f"looked for it from {Path.cwd()}")
    else:
        yield from read_file(path, options)


def read_file(path: Path, options: ReadOptions) -> Iterator[Document | Skip]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from read_jsonl(path, options)
    elif suffix == ".csv":
        yield from read_csv(path, options)
    elif suffix == ".json":
        yield from read_json(path, options)
    else:
        yield read_file_document(path, options)


def folder_files(root: Path, errors: list[OSError] | None = None) -> list[Path]:
    """The readable files under `root`, recursively, sorted by path; hidden ones left out.
    Folders that cannot be listed are added to `errors`."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append if errors is not None else None):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(folder) / f
            for f in files
            if not f.startswith(".") and Path(f).suffix.lower() in FOLDER_SUFFIXES
        )
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def read_folder(root: Path, options: ReadOptions) -> Iterator[Document | Skip]:
    errors: list[OSError] = []
    paths = folder_files(root, errors)
    for error in errors:  # an unreadable subfolder is reported, never left out in silence
        where = str(error.filename or root)
        yield Skip(
            doc_id=Path(where).name or where, reason="unreadable", origin=where,
            detail=f"cannot list {where} ({error.strerror or error}); check its permissions",
        )  # fmt: skip
    if not paths and not errors:
        yield Skip(
            doc_id=root.name or str(root),
            reason="empty",
            detail=(
                f"the folder holds no {', '.join(sorted(FOLDER_SUFFIXES))} files; nothing to read"
            ),
            origin=str(root),
        )
    for path in paths:
        if str(path.resolve()) in options.exclude:
            continue  # this run's own output file
        if not path.is_file():  # a FIFO or device named like a document: reading it would hang
            yield Skip(
                doc_id=path.stem, reason="not-a-file", origin=str(path),
                detail=f"{path} is not a regular file (a pipe or device); it was not read",
            )  # fmt: skip
            continue
        yield from read_file(path, options)


def read_stdin(stream: Iterable[str], options: ReadOptions) -> Iterator[Document | Skip]:
    """Standard input: JSONL when its first non-empty line is a JSON object, else one document.

    As JSONL, every line is then a row (a bad line is a `malformed-json` skip, the rest go on);
    as text, the whole input is one document with id "stdin" (HTML when it starts like a page).
    """
    origin = "<stdin>"
    try:
        lines = iter(stream)
        head: list[str] = []
        for line in lines:
            head.append(line)
            if line.strip():
                break
        if head and is_json_object(head[-1]):
            numbered = enumerate(chain(head, lines), 1)
            yield from read_jsonl_lines(
                numbered, name=STDIN_ID, label=origin, base=Path.cwd(), options=options
            )
            return
        text = "".join(chain(head, lines))
    except UnicodeDecodeError as exc:
        yield Skip(
            doc_id=STDIN_ID,
            reason="undecodable",
            detail=f"the input is not UTF-8 ({exc.reason}); convert it to UTF-8 first",
            origin=origin,
        )
        return
    if "\x00" in text:
        yield Skip(
            doc_id=STDIN_ID,
            reason="binary",
            detail="the input holds NUL bytes, so it is not text; pipe text, JSONL or HTML",
            origin=origin,
        )
        return
    title = date = None
    if _HTML_START.match(text):
        page = extract_html(text)
        text, title, date = page.text, page.title, page.date
    yield build_document(text, STDIN_ID, date, title=title, origin=origin, options=options)


def _utf8_lines(stream: TextIO) -> Iterator[str]:
    """The lines of standard input decoded as UTF-8 whatever the locale says, a bad byte
    becoming U+FFFD: one stray byte must not turn a whole stream of good rows into one skip."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream given by the caller (tests, the API): already str
        yield from stream
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace")


def missing_paths(names: list[str]) -> list[str]:
    """The input paths named on a command line that do not exist ("-" is stdin)."""
    return [name for name in names if name != "-" and not Path(name).exists()]
