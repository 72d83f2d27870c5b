"""Code lookups the exports need: Goldstein values of CAMEO codes, COW numbers of countries.

Goldstein values come from `data/goldstein.tsv` (see its header for the source). COW numbers
come from country_converter: the version we pin ships no COW column, so we take its
Gleditsch-Ward numbers (GW, a revision of the Correlates of War state list that keeps COW's
numbering) and correct the few current states where GW and COW differ, listed below.
"""

from __future__ import annotations

from functools import lru_cache

from communique.countries import country_code_of_name, country_name, fips_code
from communique.datafiles import read_table

__all__ = ["country_code_of_name", "country_name", "fips_code"]

# Current states whose COW number differs from country_converter's GWcode (COW State System
# Membership list, v2016): unified Germany, Serbia, unified Yemen, unified Vietnam.
_COW_NOT_GW: dict[str, int] = {"DEU": 255, "SRB": 345, "YEM": 679, "VNM": 816}


@lru_cache(maxsize=1)
def _goldstein() -> dict[str, float]:
    return {row["cameo"]: float(row["goldstein"]) for row in read_table("goldstein.tsv")}


def goldstein(cameo: str | None) -> float | None:
    """The Goldstein value of a CAMEO code, or of its base or root code; None if unknown."""
    if not cameo:
        return None
    table = _goldstein()
    code = cameo.strip()
    for candidate in (code, code[:3], code[:2]):
        if candidate in table:
            return table[candidate]
    return None


@lru_cache(maxsize=1)
def _countries() -> dict[str, int | None]:
    import country_converter as coco

    data = coco.CountryConverter().data
    table: dict[str, int | None] = {}
    for iso3, gw in zip(data["ISO3"], data["GWcode"], strict=True):
        number = None if gw != gw or gw in ("", None) else int(float(gw))  # NaN: no GW code
        table[str(iso3)] = _COW_NOT_GW.get(str(iso3), number)
    return table


def is_country(code: str | None) -> bool:
    """True for an ISO 3166 alpha-3 country code (False for IGO, UNO, NGO ... and None)."""
    return bool(code) and code in _countries()


def cow_code(iso3: str | None) -> int | None:
    """The Correlates of War state number of an ISO3 country; None when it has none."""
    if not iso3:
        return None
    return _countries().get(iso3)


def cameo_parts(cameo: str | None) -> tuple[str, str, str]:
    """(EventCode, EventBaseCode, EventRootCode) of a CAMEO code, as strings."""
    if not cameo:
        return "", "", ""
    code = cameo.strip()
    return code, code[:3], code[:2]
