"""Files that are not our store, newer schemas, migrations, and the CLI's exit 2 for them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.cli import commands as _commands  # noqa: F401  (registers the commands)
from communique.errors import StoreError
from communique.store import open_store, schema
from communique.store.schema import SCHEMA_VERSION, Migration

runner = CliRunner()


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes\n")
    with pytest.raises(StoreError, match="not a communique event store"):
        open_store(path)
    assert path.read_text() == "these are my notes\n"  # left as it was


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    path.touch()
    with pytest.raises(StoreError, match="not a communique event store"):
        open_store(path)


def test_duckdb_file_without_our_metadata_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (id INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="no communique_meta table"):
        open_store(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE communique_meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer communique"):
        open_store(path)


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `communique ingest"):
        open_store(tmp_path / "absent.duckdb", create=False)
    assert not (tmp_path / "absent.duckdb").exists()


def test_new_store_records_its_schema_version(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        meta = dict(store.con.execute("SELECT key, value FROM communique_meta").fetchall())
        versions = store.con.execute("SELECT version FROM schema_versions").fetchall()
    assert meta == {"application": "communique", "schema_version": str(SCHEMA_VERSION)}
    assert versions == [(v.version,) for v in schema.MIGRATIONS] == [(1,), (2,), (3,), (4,), (5,)]


def test_migrations_apply_in_order_and_roll_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    current = SCHEMA_VERSION
    broken = Migration(
        current + 1,
        "broken",
        ("ALTER TABLE events ADD COLUMN tone DOUBLE", "SELECT * FROM nowhere"),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    with pytest.raises(StoreError):
        open_store(path)
    con = duckdb.connect(str(path))
    columns = [row[0] for row in con.execute("DESCRIBE events").fetchall()]
    version = con.execute("SELECT value FROM communique_meta WHERE key = 'schema_version'")
    assert "tone" not in columns and version.fetchall() == [(str(current),)]
    con.close()

    good = Migration(current + 1, "tone", ("ALTER TABLE events ADD COLUMN tone DOUBLE",))
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS[:current], good))
    with open_store(path) as store:
        columns = [row[0] for row in store.con.execute("DESCRIBE events").fetchall()]
        versions = store.con.execute("SELECT version FROM schema_versions ORDER BY 1")
        assert "tone" in columns
        assert versions.fetchall() == [(v,) for v in range(1, current + 2)]


@pytest.mark.parametrize("command", ["events", "export", "aggregate", "recode"])
def test_cli_says_what_is_wrong_and_exits_2(tmp_path: Path, command: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    result = runner.invoke(app, [command, "--db", str(path)])
    assert result.exit_code == 2
    assert "not a communique event store" in result.output
    assert "Traceback" not in result.output


def test_cli_newer_schema_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE communique_meta SET value = '7' WHERE key = 'schema_version'")
    con.close()
    result = runner.invoke(app, ["events", "--db", str(path)])
    assert result.exit_code == 2 and "newer communique" in result.output


def test_cli_bad_filter_exits_2(tmp_path: Path) -> None:
    open_store(tmp_path / "s.duckdb").close()
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "s.duckdb"), "--event", "HUG"])
    assert result.exit_code == 2 and "unknown event type" in result.output


def test_a_damaged_store_is_named_as_damaged_never_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    db = tmp_path / "e.duckdb"
    story = tmp_path / "story.txt"
    story.write_text("Israeli troops attacked Palestinian protesters in Hebron.\n")
    assert runner.invoke(app, ["ingest", str(story), "--db", str(db)]).exit_code == 0
    data = bytearray(db.read_bytes())
    for i in range(4096, len(data), 499):  # bits flipped through the whole file
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))
    for command in (["events"], ["export", "--format", "jsonl"]):
        result = runner.invoke(app, [*command, "--db", str(db)])
        text = " ".join(result.output.split())
        assert result.exit_code == 2, result.output
        assert "damaged" in text and "in use" not in text and "Traceback" not in text


def test_a_full_disk_is_named_and_not_hidden_by_the_rollback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rollback after "No space left on device" fails too; the user must see the first
    error, say what to do, and lose nothing already committed."""
    from communique.store import db as db_module
    from test_store_fixtures import FixedCoder, make_document

    with open_store(tmp_path / "e.duckdb") as store:
        real_run = db_module.run

        def failing(con: object, sql: str, params: object = None) -> object:
            if sql.startswith("INSERT INTO documents"):
                raise duckdb.IOException("IO Error: No space left on device")
            if sql == "ROLLBACK":
                raise duckdb.TransactionException("cannot rollback: disk full")
            return real_run(con, sql, params)  # type: ignore[arg-type]

        monkeypatch.setattr(db_module, "run", failing)
        with pytest.raises(StoreError, match="disk is full") as caught:
            store.ingest([make_document(1)], FixedCoder([]))
        assert "No space left on device" in str(caught.value)
