"""`communique code`, `communique actors` and `communique config`, run in-process on the real coder.

The spaCy pipeline is cached per process (`communique.nlp.load_pipeline`), so each command after
the first builds its coder cheaply.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from communique.cli import app
from communique.cli import commands as _commands  # noqa: F401  (registers the commands)
from communique.config import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "doha-briefing.txt")
REQUIRED = (
    "id", "doc_id", "event", "quad_code", "status", "actor", "recipient", "date",
    "date_precision", "event_loc", "text", "text_info", "attribution", "cite_info", "confidence",
)  # fmt: skip
PLOVER_FIELDS = (
    "id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text",
    "quad_code", "text", "text_info", "cite_info",
)  # fmt: skip

runner = CliRunner()


def invoke(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def flat(text: str) -> str:
    """Rich wraps stderr at the terminal width: compare with whitespace collapsed."""
    return " ".join(text.split())


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def jsonl() -> Result:
    return invoke("code", EXAMPLE, "--date", "2023-10-20", "--format", "jsonl")


def test_code_writes_json_lines_with_the_record_fields(jsonl: Result) -> None:
    assert jsonl.exit_code == 0, jsonl.output
    rows = json_lines(jsonl.stdout)
    assert len(rows) >= 3
    for row in rows:
        missing = [name for name in REQUIRED if name not in row]
        assert not missing, missing
        assert row["doc_id"] == "doha-briefing"
        assert row["cite_info"]["publication"] == "internal briefing"
        assert 0.0 < row["confidence"] <= 1.0
        assert {"sequence", "start", "end"} <= set(row["text_info"])
    assert "1 coded" in flat(jsonl.stderr)  # the summary goes to stderr, never into the data


def test_code_plover_has_the_manual_field_names() -> None:
    result = invoke("code", EXAMPLE, "--date", "2023-10-20", "--format", "plover")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert rows
    for row in rows:
        missing = [name for name in PLOVER_FIELDS if name not in row]
        assert not missing, missing
        assert "status" not in row  # the manual has none: non-asserted status goes to context
    contexts = [c for row in rows for c in row["context"]]
    assert "future" in contexts and "hypothetical" in contexts


def test_code_report_counts_documents(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = invoke("code", EXAMPLE, "--date", "2023-10-20", "--format", "jsonl", "--report",
                    str(report))  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["documents_read"] == 1
    assert data["documents_coded"] == 1
    assert data["documents_skipped"] == 0
    assert data["skipped_by_reason"] == {}
    assert data["events"] == len(json_lines(result.stdout))


def test_a_batch_with_bad_inputs_reports_each_skip_and_codes_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "french.txt").write_text(
        "Le gouvernement français a annoncé mardi une nouvelle série de mesures pour soutenir "
        "les agriculteurs touchés par la sécheresse dans le sud du pays, selon le ministre.",
        encoding="utf-8",
    )
    (folder / "rows.jsonl").write_text(
        '{"id": "good", "text": "Israeli troops attacked Palestinian protesters in Hebron."}\n'
        '{"id": "broken", "text": \n',
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = invoke("code", str(folder), "--date", "2024-03-10", "--format", "jsonl", "--report",
                    str(report))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert {row["doc_id"] for row in rows} == {"good"}
    assert any(row["event"] == "ASSAULT" for row in rows)
    data = json.loads(report.read_text(encoding="utf-8"))
    expected = {"empty": 1, "binary": 1, "not-english": 1, "malformed-json": 1}
    assert data["skipped_by_reason"] == expected
    assert (data["documents_read"], data["documents_coded"], data["documents_skipped"]) == (5, 1, 4)
    by_reason = {s["reason"]: s for s in data["skipped"]}
    assert Path(by_reason["binary"]["origin"]).name == "binary.txt"
    assert Path(by_reason["empty"]["origin"]).name == "empty.txt"
    assert Path(by_reason["not-english"]["origin"]).name == "french.txt"
    assert "rows.jsonl" in by_reason["malformed-json"]["origin"]
    assert all(s["detail"] for s in data["skipped"])  # a sentence for people, each time
    err = flat(result.stderr)
    for reason in expected:
        assert f": {reason}:" in err


def test_a_bad_date_exits_2_with_a_message() -> None:
    result = invoke("code", EXAMPLE, "--date", "2024-13-45")
    assert result.exit_code == 2
    assert "2024-13-45" in flat(result.stderr)
    assert "YYYY-MM-DD" in flat(result.stderr)
    assert result.stdout == ""


def test_an_unknown_format_exits_2() -> None:
    result = invoke("code", EXAMPLE, "--format", "xml")
    assert result.exit_code == 2
    assert "--format" in flat(result.stderr)
    assert result.stdout == ""


def test_a_missing_model_exits_2_naming_the_model() -> None:
    result = invoke("code", EXAMPLE, "--model", "no_such_model")
    assert result.exit_code == 2
    assert "no_such_model" in flat(result.stderr)
    assert "Traceback" not in result.output


def test_actors_prints_one_json_line_per_mention() -> None:
    result = invoke("actors", "Russia's deputy foreign minister", "yesterday")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert [row["input"] for row in rows] == ["Russia's deputy foreign minister", "yesterday"]
    first = rows[0]["actor"]
    assert (first["code"], first["sector"], first["office"]) == (
        "RUS", "GOV", "deputy foreign minister",
    )  # fmt: skip
    assert rows[1]["actor"] is None


def test_actors_reads_lines_from_stdin() -> None:
    result = invoke("actors", "-", input="Hamas\nthe Kremlin\nyesterday\n")
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert [row["input"] for row in rows] == ["Hamas", "the Kremlin", "yesterday"]
    assert rows[0]["actor"]["code"] == "PSE"
    assert (rows[1]["actor"]["code"], rows[1]["actor"]["sector"]) == ("RUS", "GOV")
    assert rows[2]["actor"] is None


def test_config_prints_the_default_settings() -> None:
    result = invoke("config")
    assert result.exit_code == 0, result.output
    assert f'model = "{DEFAULT_MODEL}"' in result.stdout
    for key in ("batch_size", "max_chars", "min_confidence", "db"):
        assert f"\n{key} = " in result.stdout
    assert result.stdout.lstrip().startswith("#")  # a commented file
    settings = tomllib.loads(result.stdout)  # usable as it is: communique config > file.toml
    assert settings["model"] == DEFAULT_MODEL


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "communique", "config"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f'model = "{DEFAULT_MODEL}"' in done.stdout


def test_a_missing_input_path_is_reported_and_exits_1_after_the_others(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = invoke("code", EXAMPLE, "missing.txt", "--format", "jsonl", "--report", str(report))
    assert result.exit_code == 1
    assert json_lines(result.stdout), "the existing document is still coded"
    assert "missing.txt" in flat(result.stderr) and "not found" in flat(result.stderr)
    assert json.loads(report.read_text())["skipped_by_reason"] == {"missing-file": 1}


def test_the_not_english_message_names_a_switch_that_exists(tmp_path: Path) -> None:
    french = tmp_path / "french.txt"
    french.write_text(
        "Le gouvernement français a annoncé mardi une nouvelle série de mesures pour soutenir "
        "les agriculteurs touchés par la sécheresse dans le sud du pays, selon le ministre.",
        encoding="utf-8",
    )
    checked = invoke("code", str(french), "--format", "jsonl")
    assert "--no-language-check" in flat(checked.stderr)
    unchecked = invoke("code", str(french), "--format", "jsonl", "--no-language-check")
    assert unchecked.exit_code == 0, unchecked.output
    assert "not-english" not in flat(unchecked.stderr)
    assert "1 coded" in flat(unchecked.stderr)


def test_starting_the_command_loads_no_parser_model_or_pandas() -> None:
    """`config`, `--help` and the query commands start in well under a second because the
    command modules import spaCy, the typer model and pandas only where a command codes."""
    import subprocess
    import sys

    probe = (
        "import sys, communique.cli.commands; "
        "print([m for m in ('spacy', 'pandas', 'onnxruntime', 'country_converter') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_piped_progress_prints_a_line_with_the_total_and_the_time_left() -> None:
    import io as _io

    from rich.console import Console

    from communique.cli.reporting import RunProgress

    buffer = _io.StringIO()
    with RunProgress(Console(file=buffer, force_terminal=False), total=10, every=0.0) as progress:
        progress.update(5, 7)
    line = flat(buffer.getvalue())
    assert "5/10 documents" in line and "7 events" in line and "s left" in line


def test_the_total_counts_files_and_rows(tmp_path: Path) -> None:
    from communique.cli.reporting import count_inputs

    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.txt").write_text("Two.")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "x"}\n{"text": "y"}\n\n{"text": "z"}\n')
    assert count_inputs([str(tmp_path)]) == 5
    assert count_inputs([str(rows)]) == 3
    assert count_inputs(["-"]) is None


def test_parsing_workers_keep_the_order_and_the_records(tmp_path: Path) -> None:
    """`--workers 2`: spaCy parses in two processes; results come back in input order, skips
    in their place, with the same records as one worker."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"id": "a", "text": "Israeli troops attacked Palestinian protesters in Hebron."}\n'
        '{"id": "b", "text": ""}\n'
        '{"id": "c", "text": "Russia and China held talks in Beijing on Monday."}\n',
        encoding="utf-8",
    )
    one = invoke("code", str(rows), "--date", "2024-03-10", "--format", "jsonl")
    two = invoke("code", str(rows), "--date", "2024-03-10", "--format", "jsonl", "--workers", "2")
    assert one.exit_code == two.exit_code == 0, two.output
    assert json_lines(one.stdout) and [
        (r["doc_id"], r["event"]) for r in json_lines(one.stdout)
    ] == [(r["doc_id"], r["event"]) for r in json_lines(two.stdout)]
    assert json_lines(two.stdout)[0]["doc_id"] == "a"
    assert "1 skipped (empty 1)" in flat(two.stderr)


def test_an_output_path_in_a_missing_folder_fails_before_coding(tmp_path: Path) -> None:
    result = invoke("code", EXAMPLE, "-o", str(tmp_path / "nowhere" / "out.jsonl"))
    assert result.exit_code == 2
    message = flat(result.output.replace("│", " "))
    assert "does not exist" in message and "Traceback" not in result.output
    report = invoke("code", EXAMPLE, "--report", str(tmp_path / "nowhere" / "r.json"))
    assert report.exit_code == 2


def test_mentions_never_repeat_the_record_sentence(jsonl: Result) -> None:
    for row in json_lines(jsonl.stdout):
        own = (row["text_info"]["start"], row["text_info"]["end"])
        spans = [(m["start"], m["end"]) for m in row.get("mentions") or []]
        assert own not in spans and len(spans) == len(set(spans))


def test_a_closed_stdin_is_a_skip_with_a_reason_not_a_crash() -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "communique", "code", "-", "--format", "jsonl"]
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert "Traceback" not in done.stderr
    closed = subprocess.run(
        [*command], capture_output=True, text=True, preexec_fn=lambda: __import__("os").close(0)
    )
    assert "Traceback" not in closed.stderr, closed.stderr[-500:]
    assert "no-input" in flat(closed.stderr)


def test_an_output_inside_the_input_folder_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Israeli troops attacked Palestinian protesters in Hebron.")
    out = tmp_path / "events.jsonl"
    out.write_text('{"id": "old", "text": "China met Japan in Tokyo on Monday."}\n')  # a rerun
    result = invoke("code", str(tmp_path), "--date", "2024-03-10", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "1 documents read" in flat(result.stderr)


def test_undecodable_bytes_on_stdin_cost_no_good_rows() -> None:
    """A stray byte, under any locale, becomes U+FFFD in its own row; the others are coded."""
    import os
    import subprocess
    import sys

    rows = (
        b'{"id": "a", "text": "Israeli troops attacked Palestinian protesters in Hebron."}\n'
        b'{"id": "b", "text": "bad \xff\xfe bytes. Russia and China held talks in Beijing."}\n'
    )
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    done = subprocess.run(
        [sys.executable, "-m", "communique", "code", "-", "--format", "jsonl", "--date",
         "2024-03-10"],
        input=rows, capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert "2 documents read, 2 coded" in flat(done.stderr.decode())
