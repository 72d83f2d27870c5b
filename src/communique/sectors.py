"""Families of PLOVER sectors (data/sector_families.tsv): parties whose sectors fall in different
families are different parties (soldiers are not the gunmen they fight), within a family a
different sector may name the same party ("Russia attacked" and "Russian troops attacked").
Read by the mention merge (`events.merge`) and by deduplication (`dedup`)."""

from __future__ import annotations

from functools import cache

from communique.datafiles import read_table


@cache
def sector_family() -> dict[str, str]:
    return {row["sector"]: row["family"] for row in read_table("sector_families.tsv")}
