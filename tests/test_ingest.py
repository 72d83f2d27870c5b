"""The ingest stage: every reader, every skip reason, ids, dates, cleaning."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from communique.errors import InputError
from communique.ingest import ReadOptions, document_from_text, normalise_date, read_documents
from communique.records import Document, Skip

REPO = Path(__file__).parent.parent
EVAL = REPO / "eval"
EXAMPLES = REPO / "examples"

ENGLISH = (
    "The foreign minister of Qatar met the Russian deputy foreign minister in Doha on Tuesday "
    "to discuss humanitarian access and the release of captives."
)
ENGLISH_2 = (
    "Hungarian and Romanian officials agreed on Wednesday that their countries should cooperate "
    "to encourage refugees to return home."
)
FRENCH = (
    "Le ministre des Affaires étrangères a annoncé mardi que la France enverrait une délégation "
    "à Doha la semaine prochaine pour discuter de la situation humanitaire dans la région."
)


def read(*paths: str | Path, **options: object) -> list[Document | Skip]:
    return list(read_documents([str(p) for p in paths], ReadOptions(**options)))  # type: ignore[arg-type]


def only(items: list[Document | Skip]) -> Document | Skip:
    assert len(items) == 1, items
    return items[0]


def doc(item: Document | Skip) -> Document:
    assert isinstance(item, Document), item
    return item


def skip(item: Document | Skip, reason: str) -> Skip:
    assert isinstance(item, Skip), item
    assert item.reason == reason, item
    assert item.detail, "a skip must say what is wrong"
    return item


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


# --- plain text files ---------------------------------------------------------------------------


def test_text_file_id_is_stem_and_fields_are_filled(tmp_path: Path) -> None:
    path = tmp_path / "qatar-talks.txt"
    path.write_text(f"  {ENGLISH}\r\n\r\n", encoding="utf-8")
    d = doc(only(read(path)))
    assert d.id == "qatar-talks"
    assert d.text == ENGLISH
    assert d.language == "en"
    assert d.content_hash == hashlib.sha256(ENGLISH.encode()).hexdigest()
    assert d.origin == str(path)
    assert d.date is None  # never invented


def test_attribution_line_becomes_source_and_is_removed() -> None:
    d = doc(only(read(EXAMPLES / "doha-briefing.txt")))
    assert d.id == "doha-briefing"
    assert d.source == "internal briefing"
    assert "attribution" not in d.text
    assert d.text.endswith("peace and security in the region.")
    assert d.content_hash == hashlib.sha256(d.text.encode()).hexdigest()


def test_given_source_wins_but_attribution_still_removed() -> None:
    d = doc(document_from_text(f"{ENGLISH} (attribution: wire)  \n", "a", source="Reuters"))
    assert d.source == "Reuters"
    assert d.text == ENGLISH


def test_utf16_with_bom_and_utf8_bom_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF16_LE + ENGLISH.encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF8 + ENGLISH.encode("utf-8"))
    a, b = read(tmp_path / "a.txt", tmp_path / "b.txt")
    assert doc(a).text == ENGLISH
    assert doc(b).text == ENGLISH


def test_too_long_text_is_cut_not_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "long.txt"
    path.write_text(" ".join([ENGLISH] * 20), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="communique.ingest"):
        d = doc(only(read(path, max_chars=300)))
    assert len(d.text) <= 300
    assert ENGLISH.startswith(d.text[:100])
    assert d.text == d.text.rstrip()
    assert not d.text.endswith("discu")  # cut on a word boundary
    assert "cut" in caplog.text


# --- skip reasons -------------------------------------------------------------------------------


def test_empty_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    s = skip(only(read(tmp_path / "blank.txt")), "empty")
    assert s.doc_id == "blank"
    assert s.origin == str(tmp_path / "blank.txt")


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02\x00binary")
    s = skip(only(read(tmp_path / "scan.txt")), "binary")
    assert "NUL" in s.detail


def test_latin1_file_is_undecodable_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes("Le café est fermé à Genève.".encode("latin-1"))
    s = skip(only(read(tmp_path / "old.txt")), "undecodable")
    assert "UTF-8" in s.detail
    assert "iconv" in s.detail  # names the fix


def test_french_paragraph_is_not_english() -> None:
    s = skip(document_from_text(FRENCH, "fr-1"), "not-english")
    assert "'fr'" in s.detail
    assert s.doc_id == "fr-1"


def test_short_foreign_text_is_kept() -> None:
    short = "Merci beaucoup, Paris."
    assert len(short) < 40
    d = doc(document_from_text(short, "short"))
    assert d.text == short


def test_language_check_can_be_turned_off() -> None:
    d = doc(document_from_text(FRENCH, "fr", options=ReadOptions(require_english=False)))
    assert d.language == "fr"


def test_missing_file_is_a_skip_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    missing, ok = read(tmp_path / "nope.txt", tmp_path / "ok.txt")
    s = skip(missing, "missing-file")
    assert s.doc_id == "nope"
    assert "does not exist" in s.detail
    assert doc(ok).id == "ok"


def test_malformed_json_line_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": ENGLISH}) + "\n{not json\n\n[1, 2]\n", encoding="utf-8"
    )
    a, bad, array = read(path)
    assert doc(a).origin == f"{path}:line 1"
    s = skip(bad, "malformed-json")
    assert s.origin == f"{path}:line 2"
    assert s.doc_id == "rows:L2"
    assert "not valid JSON" in s.detail
    assert "array" in skip(array, "malformed-json").detail


def test_row_without_text_is_no_text(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "rows.jsonl", [{"id": "x", "body": ENGLISH}, {"id": "y", "text": 7}]
    )
    x, y = read(path)
    s = skip(x, "no-text")
    assert s.doc_id == "x"
    assert "body" in s.detail  # lists the columns it does have
    assert "int" in skip(y, "no-text").detail


def test_bad_date_is_skipped_with_the_value_and_fix() -> None:
    s = skip(document_from_text(ENGLISH, "d", date="20 Oct 2023"), "bad-date")
    assert "'20 Oct 2023'" in s.detail
    assert "YYYY-MM-DD" in s.detail


def test_undecodable_jsonl_line_does_not_lose_the_others(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "g", "text": ENGLISH}).encode()
    path.write_bytes(good + b"\n" + '{"id": "b", "text": "caf\xe9"}'.encode("latin-1") + b"\n")
    g, b = read(path)
    assert doc(g).id == "g"
    assert skip(b, "undecodable").origin == f"{path}:line 2"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-10-20", "2023-10-20"),
        ("2023/10/20", "2023-10-20"),
        ("20231020", "2023-10-20"),
        ("2023-10-20T23:30:00+03:00", "2023-10-20"),  # the date as written, not moved to UTC
        ("2023-10-20T08:30:00Z", "2023-10-20"),
        ("2023-10-20 08:30", "2023-10-20"),
        ("2023-02-30", None),
        ("Oct 20, 2023", None),
        (20231020, None),
    ],
)
def test_normalise_date(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_row_date_wins_then_option_date_then_none(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [
            {"id": "a", "text": ENGLISH, "date": "2021-05-01T10:00:00Z"},
            {"id": "b", "text": ENGLISH_2, "date": ""},
            {"id": "c", "text": ENGLISH_2},
        ],
    )
    a, b, c = read(path, date="2024-01-02")
    assert doc(a).date == "2021-05-01"
    assert doc(b).date == "2024-01-02"
    assert doc(c).date == "2024-01-02"
    assert doc(read(path)[2]).date is None  # no option date: none, never invented


def test_bad_option_date_and_field_map_are_usage_errors() -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        ReadOptions(date="yesterday")
    with pytest.raises(InputError, match="unknown field"):
        ReadOptions(field_map={"body": "text"})
    assert ReadOptions(date="2023-10-20T12:00:00").date == "2023-10-20"


# --- rows: JSONL, CSV, JSON ---------------------------------------------------------------------


def test_seed_gold_file_reads_its_file_field() -> None:
    d = doc(only(read(EVAL / "seed-gold.jsonl", files_outside=True)))  # ../examples/
    assert d.id == "doha-briefing"
    assert d.date == "2023-10-20"
    assert d.source == "internal briefing"
    assert d.text.startswith("Deputy Head of the Russian Foreign Ministry Mikhail Bogdanov")
    assert d.origin == f"{EVAL / 'seed-gold.jsonl'}:line 1"
    direct = doc(only(read(EXAMPLES / "doha-briefing.txt")))
    assert d.content_hash == direct.content_hash


def test_gold_file_with_missing_file_ref(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", [{"id": "g1", "file": "texts/none.txt"}])
    s = skip(only(read(path)), "missing-file")
    assert s.doc_id == "g1"
    assert "none.txt" in s.detail


def test_plover_gold_file_reads_every_row() -> None:
    items = read(EVAL / "plover-gsr.jsonl")
    lines = [ln for ln in (EVAL / "plover-gsr.jsonl").read_text().splitlines() if ln.strip()]
    assert len(items) == len(lines)
    assert all(isinstance(i, Document) for i in items)
    assert len({i.id for i in items if isinstance(i, Document)}) == len(lines)


def test_row_without_id_gets_a_stable_line_id(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [{"text": ENGLISH}, {"text": ENGLISH_2}])
    first = [doc(i).id for i in read(path)]
    assert first == ["feed:L1", "feed:L2"]
    assert [doc(i).id for i in read(path)] == first


def test_field_map_renames_columns(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "m.jsonl",
        [{"doc_id": "n1", "body": ENGLISH, "published": "2022-03-04", "outlet": "AP", "url": "u"}],
    )
    fmap = {"id": "doc_id", "text": "body", "date": "published", "source": "outlet"}
    d = doc(only(read(path, field_map=fmap)))
    assert (d.id, d.text, d.date, d.source, d.url) == ("n1", ENGLISH, "2022-03-04", "AP", "u")


def test_csv_rows_with_big_and_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    big = " ".join([ENGLISH] * 1200)  # over csv's default 128 KiB field limit
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,text,date,title\n")
        out.write(f'a,"{ENGLISH}\nSecond line.",2023-01-02,First\n')
        out.write(f",{ENGLISH_2},,\n")
        out.write(f'c,"{big}",,\n')
        out.write("d,,,\n")
    a, b, c, d = read(path)
    assert doc(a).text == f"{ENGLISH}\nSecond line."
    assert (doc(a).date, doc(a).title, doc(a).origin) == ("2023-01-02", "First", f"{path}:line 2")
    assert doc(b).id == "news:L4"  # the row starts on line 4 (row a spans lines 2-3)
    assert doc(b).date is None
    assert len(doc(c).text) > 131072
    assert skip(d, "empty").doc_id == "d"


def test_csv_field_map(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"key,body\nk1,{ENGLISH}\n", encoding="utf-8")
    d = doc(only(read(path, field_map={"id": "key", "text": "body"})))
    assert (d.id, d.text) == ("k1", ENGLISH)


def test_json_array_and_object(tmp_path: Path) -> None:
    (tmp_path / "arr.json").write_text(
        json.dumps([{"id": "a", "text": ENGLISH}, "oops", {"text": ENGLISH_2}]), encoding="utf-8"
    )
    (tmp_path / "one.json").write_text(json.dumps({"text": ENGLISH}), encoding="utf-8")
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    a, oops, third, one, broken = read(
        tmp_path / "arr.json", tmp_path / "one.json", tmp_path / "broken.json"
    )
    assert doc(a).id == "a"
    skip(oops, "malformed-json")
    assert doc(third).id == "arr:I3"
    assert doc(one).id == "one"
    skip(broken, "malformed-json")


def test_one_bad_row_does_not_stop_the_batch(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "1", "text": ENGLISH}),
                "{broken",
                json.dumps({"id": "3", "text": FRENCH}),
                json.dumps({"id": "4", "text": "   "}),
                json.dumps({"id": "5", "text": ENGLISH_2, "date": "soon"}),
                json.dumps({"id": "6", "text": ENGLISH_2}),
            ]
        ),
        encoding="utf-8",
    )
    items = read(path)
    kinds = [i.id if isinstance(i, Document) else i.reason for i in items]
    assert kinds == ["1", "malformed-json", "not-english", "empty", "bad-date", "6"]


def test_repeated_ids_get_a_suffix(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "dup.jsonl",
        [
            {"id": "x", "text": ENGLISH},
            {"id": "x", "text": ENGLISH_2},
            {"id": "x#2", "text": "Hi."},
        ],
    )
    assert [doc(i).id for i in read(path)] == ["x", "x#2", "x#2#2"]


# --- HTML ---------------------------------------------------------------------------------------

PAGE = f"""<!DOCTYPE html>
<html><head><title>Talks in Doha | World News</title>
<meta property="og:title" content="Talks in Doha">
<meta property="article:published_time" content="2023-10-20T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks in Doha</h1><p>{ENGLISH}</p><p>{ENGLISH_2}</p></article>
<footer>Copyright 2023 World News. All rights reserved.</footer>
</body></html>"""


def test_html_file_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(PAGE, encoding="utf-8")
    d = doc(only(read(tmp_path / "story.html")))
    assert d.id == "story"
    assert ENGLISH in d.text and ENGLISH_2 in d.text
    assert "Copyright" not in d.text
    assert d.title == "Talks in Doha"
    assert d.date == "2023-10-20"


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "Doha on", "Doha café on"
    )
    (tmp_path / "cp.htm").write_bytes(page.encode("cp1252"))
    assert "café" in doc(only(read(tmp_path / "cp.htm"))).text


# --- folders and stdin --------------------------------------------------------------------------


def test_folder_is_read_recursively_sorted_and_filtered(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "a.md").write_text(ENGLISH_2, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.text").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "sub" / "rows.jsonl").write_text(json.dumps({"text": ENGLISH_2}), encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / ".hidden.txt").write_text(ENGLISH, encoding="utf-8")
    ids = [doc(i).id for i in read(tmp_path)]
    assert ids == ["a", "b", "c", "rows:L1"]


def test_empty_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    skip(only(read(tmp_path)), "empty")


def test_stdin_text(tmp_path: Path) -> None:
    items = list(read_documents(["-"], stdin=io.StringIO(f"{ENGLISH}\n(attribution: desk)\n")))
    d = doc(only(items))
    assert (d.id, d.text, d.source, d.origin) == ("stdin", ENGLISH, "desk", "<stdin>")


def test_stdin_jsonl() -> None:
    first, last = json.dumps({"id": "s1", "text": ENGLISH}), json.dumps({"text": ENGLISH_2})
    lines = f"\n{first}\nnot json\n{last}\n"
    items = list(read_documents(["-"], ReadOptions(date="2020-01-01"), stdin=io.StringIO(lines)))
    a, bad, c = items
    assert (doc(a).id, doc(a).date) == ("s1", "2020-01-01")
    assert skip(bad, "malformed-json").origin == "<stdin>:line 3"
    assert doc(c).id == "stdin:L4"


def test_language_model_is_not_loaded_at_import() -> None:
    code = (
        "import sys, communique.ingest, communique.ingest.text as t;"
        "assert t._identifier is None; assert 'py3langid' not in sys.modules;"
        "assert 'trafilatura' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_csv_undecodable_line_is_skipped_and_later_rows_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"id,text\n"
        + f"a,{ENGLISH}\n".encode()
        + "b,caf\xe9 is served in the morning by the staff\n".encode("latin-1")
        + f"c,{ENGLISH_2}\n".encode()
    )
    a, b, c = read(path)
    assert doc(a).origin == f"{path}:line 2"
    assert skip(b, "undecodable").origin == f"{path}:line 3"
    assert doc(c).origin == f"{path}:line 4"


def test_row_files_without_rows_say_so(tmp_path: Path) -> None:
    (tmp_path / "header.csv").write_text("id,text\n", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "bin.jsonl").write_bytes(b"\x00\x01{}")
    header, blank, binary = read(
        tmp_path / "header.csv", tmp_path / "blank.jsonl", tmp_path / "bin.jsonl"
    )
    assert skip(header, "empty").doc_id == "header"
    assert skip(blank, "empty").doc_id == "blank"
    assert skip(binary, "binary").origin == str(tmp_path / "bin.jsonl")


def test_a_wire_dateline_names_the_source() -> None:
    from communique.ingest import document_from_text

    document = document_from_text(
        "DOHA (Reuters) - Qatar's foreign minister met Hamas officials on Sunday.", "wire"
    )
    assert isinstance(document, Document)
    assert document.source == "Reuters"
    assert document.text.startswith("DOHA (Reuters)")  # offsets still point into the original


def test_a_row_source_wins_over_the_dateline() -> None:
    from communique.ingest import document_from_text

    document = document_from_text(
        "WASHINGTON, Oct 3 (AP) — The Senate passed the bill.", "wire", source="Desk"
    )
    assert isinstance(document, Document)
    assert document.source == "Desk"


def test_a_lone_surrogate_in_json_is_replaced_not_fatal() -> None:
    from communique.ingest.text import build_document

    document = build_document("Bad \ud800 text. Russia attacked Ukraine.", "s\udc00")
    assert isinstance(document, Document)
    assert "\ufffd" in document.text and document.text.encode("utf-8")
    assert document.id.encode("utf-8") and document.content_hash


def test_text_in_another_script_is_not_english_even_when_the_identifier_is_unsure() -> None:
    text = "中国外交部发言人周一表示，中方坚决反对美国的制裁。中国将采取必要措施维护自身权益。"
    assert skip(document_from_text(text, "zh"), "not-english")
    english = document_from_text("Russia attacked Ukraine, officials said.", "en")
    assert isinstance(english, Document)


def test_a_pipe_inside_a_folder_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Russia attacked Ukraine, officials said.")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block for ever
    items = list(read_documents([str(tmp_path)], ReadOptions()))
    reasons = sorted(i.reason for i in items if isinstance(i, Skip))
    assert reasons == ["not-a-file"] and sum(isinstance(i, Document) for i in items) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Russia attacked Ukraine, officials said.")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("China met Japan.")
    locked.chmod(0)
    try:
        items = list(read_documents([str(tmp_path)], ReadOptions()))
    finally:
        locked.chmod(0o755)
    assert any(isinstance(i, Skip) and i.reason == "unreadable" for i in items)


def test_a_row_file_outside_the_feed_folder_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (tmp_path / "secret.txt").write_text("Russia attacked Ukraine, officials said.")
    (feed / "ok.txt").write_text("China met Japan in Tokyo on Monday.")
    rows = write_jsonl(
        feed / "rows.jsonl",
        [{"id": "a", "file": "../secret.txt"}, {"id": "b", "file": "/etc/hostname"},
         {"id": "c", "file": "ok.txt"}],
    )  # fmt: skip
    items = list(read_documents([str(rows)], ReadOptions()))
    assert [getattr(i, "reason", "coded") for i in items] == [
        "file-outside",
        "file-outside",
        "coded",
    ]
    allowed = list(read_documents([str(rows)], ReadOptions(files_outside=True)))
    assert isinstance(allowed[0], Document)


def test_an_unterminated_csv_quote_is_reported_not_swallowed(tmp_path: Path) -> None:
    lines = ["id,text"] + [f"r{i},Troops attacked village {i} on Monday" for i in range(60)]
    lines[11] = 'r10,"Troops attacked village 10 on Monday'  # the quote never closes
    path = tmp_path / "feed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_documents([str(path)], ReadOptions()))
    bad = [i for i in items if isinstance(i, Skip)]
    assert [s.reason for s in bad] == ["malformed-csv"]
    assert "line 12" in bad[0].detail and "quote" in bad[0].detail
    assert sum(isinstance(i, Document) for i in items) == 10  # the rows before it are read


def test_deeply_nested_html_keeps_its_text(tmp_path: Path) -> None:
    body = "<p>Russia attacked Ukraine on Monday, officials said in a statement.</p>"
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 300 + body + "</div>" * 300 + "</body></html>")
    item = only(read(page))
    assert isinstance(item, Document) and "Russia attacked Ukraine" in item.text


@pytest.mark.parametrize(
    "text",
    [
        "El gobierno de Colombia anunció un acuerdo con los rebeldes.",
        "Le gouvernement français a annoncé un accord avec les rebelles.",
    ],
)
def test_a_short_text_in_another_latin_language_is_not_english(text: str) -> None:
    assert skip(document_from_text(text, "es"), "not-english")


def test_short_english_with_function_words_is_english() -> None:
    assert isinstance(document_from_text("Putin met Xi in Beijing on Monday.", "en"), Document)
