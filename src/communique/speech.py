"""Verbs of saying (data/attribution_cues.tsv, kind "verb"): shared by events and attribution.

An event inside the clause of a verb of saying keeps its own subject and status ("X said Y will
attack Z" codes Y -> Z as future), so the event stage needs the same list the attribution stage
uses to find the speaker.
"""

from __future__ import annotations

from functools import lru_cache

from communique.datafiles import read_table


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return frozenset(
        row["cue"] for row in read_table("attribution_cues.tsv") if row["kind"] == "verb"
    )
