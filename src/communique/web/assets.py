"""The page's third-party assets, served from installed packages (no CDN, nothing copied in).

- `/assets/vega.js`: Vega, Vega-Lite and vega-embed as one script, from vl-convert-python's
  `javascript_bundle()`, which exposes `window.vega`, `window.vegaLite` and `window.vegaEmbed`.
- `/assets/countries.geojson`: the countries' outlines (Natural Earth-derived GeoJSON in lon/lat,
  MIT, from the countryinfo package), each feature's id its ISO 3166 alpha-3 code: the offline
  basemap of every map.

Both are built once per process and kept in memory.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

# the bundle holds what this snippet uses: the three libraries, exposed as globals for app.js
_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


@lru_cache(maxsize=1)
def vega_bundle() -> bytes:
    import vl_convert

    bundle: str = vl_convert.javascript_bundle(_GLOBALS)
    return bundle.encode("utf-8")


@lru_cache(maxsize=1)
def countries_geojson() -> bytes:
    import countryinfo

    features: list[dict[str, Any]] = []
    for country in countryinfo.all_countries():
        shape = country.geo_json()
        for feature in (shape or {}).get("features", []):
            iso3 = (country.iso() or {}).get("alpha3") or feature.get("id")
            features.append(
                {
                    "type": "Feature",
                    "id": iso3,
                    "properties": {"iso3": iso3, "name": country.name()},
                    "geometry": feature["geometry"],
                }
            )
    features.sort(key=lambda f: str(f["id"]))
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, separators=(",", ":")).encode("utf-8")
