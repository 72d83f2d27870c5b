"""`ReadOptions` and the date rule shared by every reader."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from communique.errors import InputError

# The fields a row may carry. `file` is a path (relative to the row file's folder) read instead
# of `text`, as in a gold file (eval/FORMAT.md).
FIELDS: tuple[str, ...] = ("id", "text", "file", "date", "url", "title", "source")

_SLASHED = re.compile(r"\d{4}/\d{2}/\d{2}")


@dataclass(frozen=True)
class ReadOptions:
    """How `read_documents` reads its inputs.

    - `date`: the document date (YYYY-MM-DD, or an ISO timestamp) used when a row or file has none.
    - `field_map`: our field name -> the input column that holds it, e.g. `{"text": "body"}`.
      Our fields: id, text, file, date, url, title, source.
    - `max_chars`: longer texts are cut here (at a word boundary) and kept; the cut is logged.
    - `require_english`: skip documents confidently detected as another language.
    - `min_language_confidence`: how sure the language identifier must be (0-1) before a
      document is skipped as not English, or its language recorded.
    - `short_text_chars`: texts shorter than this are never skipped on language (too short to tell).
    - `files_outside`: let a row's `file` field name a file outside the row file's own folder
      (an absolute path or `..`); off by default, so an untrusted feed cannot read `/etc/passwd`.
    - `exclude`: files a folder read leaves out (the run's `-o` and `--report` files, which
      would otherwise be read back as input when written inside the input folder).
    """

    date: str | None = None
    field_map: dict[str, str] = field(default_factory=dict)
    max_chars: int = 200_000
    require_english: bool = True
    min_language_confidence: float = 0.9
    short_text_chars: int = 40
    files_outside: bool = False
    exclude: frozenset[str] = frozenset()  # resolved paths never read: the run's own outputs

    def __post_init__(self) -> None:
        if self.date is not None:
            normal = normalise_date(self.date)
            if normal is None:
                raise InputError(
                    f"--date {self.date!r} is not a date; give it as YYYY-MM-DD, e.g. 2023-10-20"
                )
            object.__setattr__(self, "date", normal)
        unknown = sorted(set(self.field_map) - set(FIELDS))
        if unknown:
            raise InputError(
                f"field map: unknown field(s) {', '.join(unknown)}; map one of "
                f"{', '.join(FIELDS)} to your column name, e.g. text=body"
            )
        if self.max_chars < 1:
            raise InputError(f"max_chars must be at least 1, not {self.max_chars}")
        if not 0.0 <= self.min_language_confidence <= 1.0:
            raise InputError(
                f"min_language_confidence must lie between 0 and 1, not "
                f"{self.min_language_confidence}"
            )

    def column(self, name: str) -> str:
        """The input column that holds our field `name`."""
        return self.field_map.get(name, name)


def normalise_date(value: object) -> str | None:
    """YYYY-MM-DD for an ISO-ish date or timestamp (its date part, as written); else None.

    Accepted: 2023-10-20, 2023/10/20, 20231020, 2023-10-20T08:30:00Z, 2023-10-20 08:30+03:00.
    The caller decides what an unparseable value means; this never guesses.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _SLASHED.fullmatch(text):
        text = text.replace("/", "-")
    try:
        if len(text) in (8, 10):
            return dt.date.fromisoformat(text).isoformat()
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None
