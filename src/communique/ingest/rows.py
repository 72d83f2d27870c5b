"""Files of rows, one document per row: JSONL (gold files too), CSV and JSON."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from communique.ingest.files import is_blank, missing_file, read_file_document
from communique.ingest.options import ReadOptions
from communique.ingest.text import build_document, decode_bytes
from communique.records import Document, Skip

Item = Document | Skip
# A numbered input line: its text, or (reason, detail) where it could not be decoded.
Line = tuple[int, str | tuple[str, str]]

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SNIFF = 8192

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a whole article fits in one field


def row_document(
    row: dict[str, Any], *, row_id: str, origin: str, base: Path, options: ReadOptions
) -> Item:
    """The document a row describes: its `text`, or the file its `file` field names."""
    col = options.column
    raw_id = row.get(col("id"))
    doc_id = row_id if is_blank(raw_id) else str(raw_id).strip()
    text, ref = row.get(col("text")), row.get(col("file"))
    url, title, source = (_scalar(row.get(col(name))) for name in ("url", "title", "source"))
    date = row.get(col("date"))
    if isinstance(text, str) and (text.strip() or is_blank(ref)):
        return build_document(
            text, doc_id, date, url=url, title=title, source=source, origin=origin, options=options
        )
    if isinstance(ref, str) and ref.strip():
        path = base / ref.strip()
        if not options.files_outside and not path.resolve().is_relative_to(base.resolve()):
            return Skip(
                doc_id=doc_id, reason="file-outside", origin=origin,
                detail=(
                    f"the row's file {ref.strip()!r} is outside {base}, the folder of the file "
                    f"that names it; move it there, or allow it with --files-outside"
                ),
            )  # fmt: skip
        if not path.exists():
            return missing_file(path, doc_id, origin, f"a row's file is read relative to {base}")
        return read_file_document(
            path,
            options,
            doc_id=doc_id,
            origin=origin,
            date=date,
            url=url,
            title=title,
            source=source,
        )
    if text is None:
        have = ", ".join(str(k) for k in row if k is not None) or "none"
        detail = (
            f"row has no {col('text')!r} field and no {col('file')!r} field (it has: {have}); "
            f"name the text column with the field map, e.g. text=body"
        )
    else:
        detail = f"field {col('text')!r} holds a {type(text).__name__}, not a string of text"
    return Skip(doc_id=doc_id, reason="no-text", detail=detail, origin=origin)


def _scalar(value: object) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def read_jsonl_lines(
    lines: Iterable[Line], *, name: str, label: str, base: Path, options: ReadOptions
) -> Iterator[Item]:
    """One document per non-empty line; a line that is not a JSON object is `malformed-json`."""
    for number, line in lines:
        row_id, origin = f"{name}:L{number}", f"{label}:line {number}"
        if isinstance(line, tuple):
            reason, detail = line
            yield Skip(doc_id=row_id, reason=reason, detail=f"the line is {detail}", origin=origin)
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _malformed(row_id, origin, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield _malformed(row_id, origin, f"a JSON {_json_type(row)}, not an object")
            continue
        yield row_document(row, row_id=row_id, origin=origin, base=base, options=options)


def _malformed(row_id: str, origin: str, problem: str) -> Skip:
    return Skip(
        doc_id=row_id,
        reason="malformed-json",
        detail=f"the line is {problem}; each line must be one JSON object with a text field",
        origin=origin,
    )


def _json_type(value: object) -> str:
    names = {list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Item]:
    with path.open("rb") as stream:
        lines = _open_lines(path, stream)
        if isinstance(lines, Skip):
            yield lines
            return
        rows = 0
        for item in read_jsonl_lines(
            lines, name=path.stem, label=str(path), base=path.parent, options=options
        ):
            rows += 1
            yield item
    if rows == 0:
        yield _file_skip(path, "empty", "has no rows (no non-empty lines); nothing to code")


def _open_lines(path: Path, stream: BinaryIO) -> Iterator[Line] | Skip:
    """The file's numbered lines, or a Skip when the file as a whole is not UTF-8/16/32 text.

    UTF-8 is decoded line by line, so that one bad line does not lose the rest.
    """
    head = stream.read(_SNIFF)
    stream.seek(0)
    if head.startswith(_WIDE_BOMS) or b"\x00" in head:
        decoded = decode_bytes(stream.read())
        if isinstance(decoded, tuple):
            return _file_skip(path, *decoded)
        return enumerate(io.StringIO(decoded, newline=""), 1)
    return _utf8_lines(stream)


def _utf8_lines(stream: BinaryIO) -> Iterator[Line]:
    for number, raw in enumerate(stream, 1):
        line = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = f"not UTF-8 (byte 0x{line[exc.start]:02x}); convert the file to UTF-8"
            yield number, ("undecodable", problem)


def read_csv(path: Path, options: ReadOptions) -> Iterator[Item]:
    """One document per row; the first row names the columns. Line numbers count from 1.

    A line that is not UTF-8 is an `undecodable` skip and left out; the other rows are read.
    """
    with path.open("rb") as stream:
        lines = _open_lines(path, stream)
        if isinstance(lines, Skip):
            yield lines
            return
        yield from _csv_rows(lines, path, options)


def _csv_rows(lines: Iterator[Line], path: Path, options: ReadOptions) -> Iterator[Item]:
    bad: list[tuple[int, Skip]] = []  # undecodable lines, reported before the next row
    consumed = 0  # physical lines handed to the csv reader so far

    def text_lines() -> Iterator[str]:
        nonlocal consumed
        for number, line in lines:
            consumed = number
            if isinstance(line, tuple):
                origin = f"{path}:line {number}"
                reason, detail = line
                skip = Skip(f"{path.stem}:L{number}", reason, f"the line is {detail}", origin)
                bad.append((number, skip))
            else:
                yield line

    reader = csv.DictReader(text_lines())
    rows = 0
    try:
        if not reader.fieldnames:
            yield from (skip for _, skip in bad)
            yield _file_skip(path, "empty", "has no header row and no rows; nothing to code")
            return
        before = consumed
        for row in reader:
            if bad:
                before = max(before, bad[-1][0])
                yield from (skip for _, skip in bad)
                bad.clear()
            number, before = before + 1, consumed
            rows += 1
            swallowed = _swallowed_rows(row, len(reader.fieldnames))
            if swallowed:
                yield Skip(
                    f"{path.stem}:L{number}", "malformed-csv",
                    f"the row at line {number} runs on to line {consumed}: a quote left open "
                    f"made {swallowed} lines that look like rows of their own into one field; "
                    f"close the quote and read the file again",
                    f"{path}:line {number}",
                )  # fmt: skip
                continue
            yield row_document(
                row,
                row_id=f"{path.stem}:L{number}",
                origin=f"{path}:line {number}",
                base=path.parent,
                options=options,
            )
    except csv.Error as exc:
        yield from (skip for _, skip in bad)
        yield _file_skip(
            path, "malformed-csv", f"has a CSV error at line {consumed} ({exc}); fix the file"
        )
        return
    yield from (skip for _, skip in bad)
    if rows == 0:
        yield _file_skip(path, "empty", "has a header row but no rows; nothing to code")


def _swallowed_rows(row: dict[str | Any, Any], columns: int) -> int:
    """How many lines inside the row's fields look like CSV rows of their own (as many commas
    as the header has separators): the sign of an unterminated quote, not of a long text."""
    if columns < 2:
        return 0
    found = 0
    for value in row.values():
        if isinstance(value, str) and "\n" in value:
            found += sum(1 for line in value.split("\n")[1:] if line.count(",") >= columns - 1)
    return found


def _file_skip(path: Path, reason: str, detail: str) -> Skip:
    return Skip(doc_id=path.stem, reason=reason, detail=f"the file {detail}", origin=str(path))


def read_json(path: Path, options: ReadOptions) -> Iterator[Item]:
    """A JSON array of row objects, or one row object; a .json file holding JSONL is read so."""
    try:
        decoded = decode_bytes(path.read_bytes())
    except OSError as exc:
        yield _file_skip(path, "unreadable", f"cannot be read ({exc.strerror or exc})")
        return
    if isinstance(decoded, tuple):
        yield _file_skip(path, *decoded)
        return
    try:
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
        if _looks_like_jsonl(decoded):
            lines: list[Line] = list(enumerate(io.StringIO(decoded), 1))
            yield from read_jsonl_lines(
                lines, name=path.stem, label=str(path), base=path.parent, options=options
            )
            return
        problem = f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        yield _file_skip(path, "malformed-json", f"{problem}; fix it, or give rows as JSONL")
        return
    if isinstance(data, dict):
        origin = str(path)
        yield row_document(data, row_id=path.stem, origin=origin, base=path.parent, options=options)
    elif isinstance(data, list):
        if not data:
            yield _file_skip(path, "empty", "holds an empty array; nothing to code")
        for number, row in enumerate(data, 1):
            row_id, origin = f"{path.stem}:I{number}", f"{path}:item {number}"
            if isinstance(row, dict):
                yield row_document(
                    row, row_id=row_id, origin=origin, base=path.parent, options=options
                )
            else:
                yield Skip(
                    doc_id=row_id,
                    reason="malformed-json",
                    detail=f"item {number} is a JSON {_json_type(row)}, not an object",
                    origin=origin,
                )
    else:
        yield _file_skip(
            path,
            "malformed-json",
            f"holds a JSON {_json_type(data)}; give an array of objects or one object",
        )


def _looks_like_jsonl(text: str) -> bool:
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    return is_json_object(first)


def is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False
