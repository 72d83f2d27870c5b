"""From raw bytes or text to a `Document`: decoding, cleaning, language, hash, date checks."""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import threading
from functools import cache
from typing import Any

from communique.datafiles import read_table
from communique.ingest.options import ReadOptions, normalise_date
from communique.records import Document, Skip
from communique.wire import dateline_agency

log = logging.getLogger("communique.ingest")

# "... (attribution: internal briefing)" closing a text: the document's source.
_ATTRIBUTION = re.compile(r"\(\s*attribution\s*:\s*([^()]*?)\s*\)\s*\Z", re.IGNORECASE)
# C0 control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LANGUAGE_SAMPLE = 4000  # characters handed to the language identifier
_CUT_SLACK = 200  # how far back from max_chars a cut may move to end on whitespace

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> str | tuple[str, str]:
    """The text of `data`, or (reason, detail) for a Skip.

    UTF-8 (with or without a BOM) and UTF-16/32 with a BOM are read; anything else is
    `undecodable` (no silent guessing of Latin-1 or code pages), NUL bytes make it `binary`.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return "undecodable", (
                    f"starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} ({exc.reason} at byte {exc.start}); re-save it as UTF-8"
                )
            return _check_text(text)
    if b"\x00" in data:
        return "binary", (
            "contains NUL bytes, so it is not a text file; give a .txt, .html, .jsonl or .csv "
            "file (extract text from PDF or Word files first)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "undecodable", (
            f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it, "
            f"e.g. `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`, and read that"
        )
    return _check_text(text)


def _check_text(text: str) -> str | tuple[str, str]:
    controls = len(_CONTROL.findall(text[:8192]))
    if "\x00" in text or controls > max(8, len(text[:8192]) // 20):
        return "binary", (
            "is mostly control characters, so it is not text; give a .txt, .html, .jsonl or "
            ".csv file"
        )
    return text


def split_attribution(text: str) -> tuple[str, str | None]:
    """Remove a closing "(attribution: ...)" from `text`: (text without it, the attribution)."""
    match = _ATTRIBUTION.search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), match.group(1).strip() or None


def clean_text(text: str, max_chars: int) -> tuple[str, bool]:
    """Normalised line ends, no control characters, outer whitespace stripped, cut at max_chars.

    Returns the text and whether it was cut.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _CONTROL.sub("", text).strip()
    if len(text) <= max_chars:
        return text, False
    cut = text[:max_chars]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= max_chars - _CUT_SLACK:
        cut = cut[:space]
    return cut.rstrip(), True


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_identifier: Any = None
_identifier_lock = threading.Lock()


def _language_identifier() -> Any:
    """py3langid's identifier, loaded on first use (about 2 s) and then shared."""
    global _identifier
    with _identifier_lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language, from its first few thousand chars."""
    code, confidence = _language_identifier().classify(text[:_LANGUAGE_SAMPLE])
    return str(code), float(confidence)


_MIN_LATIN_SHARE = 0.5  # of a text's letters, for it to be read as English at all
_MIN_ENGLISH_WORDS = 0.05  # of a text's words that are English function words
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _function_words() -> frozenset[str]:
    return frozenset(row["word"] for row in read_table("english_function_words.tsv"))


def english_word_share(text: str, sample: int = 2000) -> float:
    """The share of the words (in the first `sample` characters) that are English function
    words; 1.0 for a text of fewer than eight words, too short to tell (a headline may have
    none)."""
    words = [w.lower() for w in _WORD.findall(text[:sample])]
    if len(words) < 8:
        return 1.0
    common = _function_words()
    return sum(1 for w in words if w in common) / len(words)


def latin_share(text: str, sample: int = 4000) -> float:
    """The share of the letters (in the first `sample` characters) that are Latin script."""
    letters = [ch for ch in text[:sample] if ch.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for ch in letters if ch < "\u0250" or "\u1e00" <= ch <= "\u1eff")
    return latin / len(letters)


def without_lone_surrogates(text: str) -> str:
    """`text` with each unpaired UTF-16 surrogate replaced by U+FFFD (pairs become the
    character they encode)."""
    if text.isascii() or not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def build_document(
    text: str,
    doc_id: str,
    date: object = None,
    *,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    origin: str | None = None,
    options: ReadOptions | None = None,
    read_cut: bool = False,
) -> Document | Skip:
    """A cleaned `Document` from text and metadata, or a `Skip` saying why not. `read_cut`:
    the reader already left out the end of a text longer than `max_chars`."""
    options = options or ReadOptions()
    # JSON may carry lone surrogates ("\ud800"): no UTF-8 can hold them, so they become U+FFFD
    # here, once, rather than crash the hash, the parse or the output of the whole batch.
    text, doc_id = without_lone_surrogates(text), without_lone_surrogates(doc_id)
    url, title, source = (without_lone_surrogates(v) if v else v for v in (url, title, source))
    where = origin or doc_id

    def skip(reason: str, detail: str) -> Skip:
        return Skip(doc_id=doc_id, reason=reason, detail=detail, origin=origin)

    doc_date = options.date
    if date is not None and not (isinstance(date, str) and not date.strip()):
        doc_date = normalise_date(date)
        if doc_date is None:
            return skip(
                "bad-date",
                f"date {date!r} is not a date; write it as YYYY-MM-DD (e.g. 2023-10-20) "
                f"or leave it out",
            )
    body, attribution = split_attribution(text)
    body, was_cut = clean_text(body, options.max_chars)
    was_cut = was_cut or read_cut
    if not body:
        return skip("empty", "the text is empty (or whitespace only); nothing to code")
    if was_cut:
        log.warning(
            "%s: text longer than %d characters, cut there (raise max_chars to keep more)",
            where,
            options.max_chars,
        )
    code, confidence = detect_language(body)
    sure = confidence >= options.min_language_confidence
    latin = latin_share(body)
    unsure_english = code != "en" and sure and len(body) >= options.short_text_chars
    # Short texts: the identifier is unsure of them, but English ones hold English function
    # words ("El gobierno de Colombia anunció un acuerdo" holds none).
    no_english_words = code != "en" and english_word_share(body) < _MIN_ENGLISH_WORDS
    if options.require_english and (unsure_english or latin < _MIN_LATIN_SHARE or no_english_words):
        # The identifier is unsure of short texts and of some scripts (it let Chinese through
        # as English): a text mostly in another script is no English whatever it says.
        why = (
            f"only {latin:.0%} of its letters are Latin"
            if latin < _MIN_LATIN_SHARE
            else f"language detected as {code!r} ({confidence:.0%} sure)"
            + ("" if unsure_english else ", and it has almost no English function words")
        )
        return skip(
            "not-english",
            f"{why}, and the coder reads English only; translate it first, or, if it is "
            f"English, pass --no-language-check (setting language_check = false)",
        )
    return Document(
        id=doc_id,
        text=body,
        date=doc_date,
        url=url or None,
        title=title or None,
        source=source or attribution or dateline_agency(body),
        language=code if sure or code == "en" else None,
        content_hash=content_hash(body),
        origin=origin,
        cut_at=len(body) if was_cut else None,
    )
