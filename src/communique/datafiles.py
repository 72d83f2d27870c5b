"""Read the package's knowledge files (src/communique/data/*.tsv).

Each file is tab-separated: `#` lines are comments (what the file is, where it comes from), the
first other line names the columns, and every later line is one reviewable entry. Empty fields
read as "".
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of data file `name` as dicts keyed by the header's column names."""
    text = resources.files("communique").joinpath("data", name).read_text(encoding="utf-8")
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise ValueError(
                f"data/{name} line {number}: {len(cells)} fields, header has {len(header)}"
            )
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells, strict=True)))
    return tuple(rows)
