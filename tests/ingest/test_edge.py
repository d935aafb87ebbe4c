"""The reading edge: every item read, checked and cleaned on its own, so no bad item stops a
batch, hangs it or slips into the store; each bad one is one error naming it."""

from __future__ import annotations

import codecs
import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storydesk.errors import InputError
from storydesk.ingest import article_key, read_contents, read_inputs
from storydesk.ingest.clean import MAX_WORD, REPLACEMENT
from storydesk.ingest.decode import BINARY, decode
from storydesk.models import Article

TEXT = (
    "The harbour bridge in the town of Elmsport reopened to traffic on Thursday after eight months "
    "of repairs, the town council said in a statement."
)
GOOD = json.dumps({"id": "good", "text": TEXT})
ANY_TEXT = st.text(alphabet=st.characters(categories=("Cs", "Cc", "Cf", "L", "M", "N", "P", "S", "Z")))
SURROGATE = st.characters(categories=("Cs",))
WITH_SURROGATE = st.tuples(ANY_TEXT, SURROGATE, ANY_TEXT).map("".join)  # a lone surrogate somewhere


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


def jsonl(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def read_jsonl(data: bytes) -> tuple[list[Article], list[InputError]]:
    # Any strings, of any length: texts too short to be an article are tested in test_length.py.
    return split(list(read_contents([("batch.jsonl", data)], min_words=0)))


def test_a_lone_surrogate_in_any_field_is_replaced_and_the_article_stored() -> None:
    row = {"id": "s\ud800", "text": "Before \ud800 after.", "title": "T\udfff", "source": "\ud800", "date": "\ud800"}
    articles, errors = read_jsonl(jsonl(json.dumps(row), GOOD))
    assert not errors and [a.id for a in articles] == [f"s{REPLACEMENT}", "good"]
    assert articles[0].text == f"Before {REPLACEMENT} after." and articles[0].date is None
    article_key(articles[0])  # raised UnicodeEncodeError before


FIELDS = st.sampled_from(["id", "title", "source", "url", "date", "authors"])


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(FIELDS, WITH_SURROGATE), WITH_SURROGATE)
def test_any_strings_in_a_record_give_a_storable_article(fields: dict[str, str], text: str) -> None:
    line = json.dumps({**fields, "text": f"Some text. {text}"})
    articles, errors = read_jsonl(jsonl(line))
    assert not errors
    (article,) = articles
    for value in (article.id, article.text, article.title, article.source, article.url, article.date):
        if value is not None:
            value.encode("utf-8")
    article_key(article)


def test_a_line_nested_too_deep_is_one_error_and_reading_goes_on() -> None:
    articles, errors = read_jsonl(jsonl("[" * 100_000, GOOD))
    assert [a.id for a in articles] == ["good"]
    assert [e.item for e in errors] == ["batch.jsonl:1"] and "nested too deep" in errors[0].reason


@pytest.mark.parametrize(
    ("given_date", "kept"),
    [("January 31, 2018", "2018-01-31"), ("yesterday-ish 99:99", None), ("2018-01-31", "2018-01-31")],
)
def test_a_date_is_iso_or_dropped_and_the_article_kept(given_date: str, kept: str | None) -> None:
    articles, errors = read_jsonl(jsonl(json.dumps({"id": "d", "text": TEXT, "date": given_date}), GOOD))
    assert not errors and [a.id for a in articles] == ["d", "good"]
    assert articles[0].date == kept


def test_a_huge_date_is_dropped_not_echoed() -> None:
    articles, errors = read_jsonl(jsonl(json.dumps({"id": "d", "text": TEXT, "date": "9" * 100_000})))
    assert not errors and articles[0].date is None


def test_a_file_name_that_is_not_utf8_gives_a_storable_id(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as f:
        f.write(TEXT.encode("utf-8"))
    articles, errors = split(list(read_inputs([str(tmp_path)])))
    assert not errors
    (article,) = articles
    article.id.encode("utf-8")  # raised UnicodeEncodeError (a surrogate-escaped byte) before
    assert article.id == str(tmp_path / f"caf{REPLACEMENT}.txt")


def test_an_empty_jsonl_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"\n  \n")
    articles, errors = split(list(read_inputs([str(tmp_path / "empty.jsonl")])))
    assert not articles and [str(e) for e in errors] == [f"{tmp_path / 'empty.jsonl'}: no articles"]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x89PNG\r\n\x1a\n",
        b"\x1f\x8b\x08\x08\xa7",
        b"GIF89a\x01\x00\x01\x80\xff",
    ],
)
def test_tiny_binary_files_are_refused(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "image.txt").write_bytes(data)
    articles, errors = split(list(read_inputs([str(tmp_path)])))
    assert not articles and [e.reason for e in errors] == [BINARY]


@given(st.binary(min_size=8, max_size=200))
def test_bytes_mostly_control_characters_are_binary(data: bytes) -> None:
    controls = bytes(b for b in range(1, 32) if b not in b"\t\n\r\x0c")
    padded = bytes(controls[b % len(controls)] if i % 4 == 0 else b for i, b in enumerate(data))
    with pytest.raises(InputError, match=BINARY):
        decode(padded, "x")


def test_control_bytes_are_never_read_as_ebcdic() -> None:
    # charset_normalizer guesses cp037 for these, which turns the controls into letters.
    with pytest.raises(InputError, match=BINARY):
        decode(b"\x15@@@\x15@@\x80", "x")


def test_text_with_a_stray_control_character_is_still_text() -> None:
    assert decode(TEXT.encode("utf-8") + b"\x1b", "x").endswith("\x1b")


def test_a_short_line_of_mojibake_is_still_text() -> None:
    line = json.dumps({"id": 1, "text": "It\u00e2\x80\x99s"}, ensure_ascii=False).encode("utf-8")
    assert "\x80\x99" in decode(line, "x")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_jsonl_with_a_utf16_or_utf32_bom_is_read(encoding: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(
        encoding, codecs.BOM_UTF32_LE if encoding == "utf-32-le" else codecs.BOM_UTF32_BE
    )
    rows = [json.dumps({"id": "é1", "text": TEXT}, ensure_ascii=False), "", GOOD]
    data = bom + "\r\n".join(rows).encode(encoding)
    articles, errors = read_jsonl(data)
    assert not errors and [a.id for a in articles] == ["é1", "good"] and articles[0].text == TEXT


def test_a_binary_jsonl_file_is_one_error_naming_it() -> None:
    data = bytes((i * 131 + 7) % 256 for i in range(64 * 1024))  # 64 KB of every byte value
    articles, errors = read_jsonl(data)
    assert not articles and [e.item for e in errors] == ["batch.jsonl"] and BINARY in errors[0].reason


def test_a_binary_first_line_is_one_bad_line_when_readable_lines_follow() -> None:
    data = b"\x89\xac\xd6\x00\x10\xbd\xe8]\n" + jsonl(GOOD) + b"\xff\x00\x01\n"
    articles, errors = read_jsonl(data)
    assert [a.id for a in articles] == ["good"]
    assert [e.item for e in errors] == ["batch.jsonl:1", "batch.jsonl:3"]


def test_a_jsonl_file_of_mostly_binary_lines_stops_with_one_error() -> None:
    binary_line = b"\x01\x02\x03\x04\x05\x06\x07\x08"
    data = jsonl(GOOD) + (binary_line + b"\n") * 300
    articles, errors = read_jsonl(data)
    assert [a.id for a in articles] == ["good"]
    assert len(errors) < 10 and errors[-1].item == "batch.jsonl"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_folder_is_reported_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    os.mkfifo(tmp_path / "c.jsonl")
    found: list[Article | InputError] = []
    reader = threading.Thread(target=lambda: found.extend(read_inputs([str(tmp_path), str(tmp_path / "b.txt")])))
    reader.daemon = True  # a blocked open() cannot be interrupted: let the test process end anyway
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "reading blocked on a named pipe"
    articles, errors = split(found)
    assert [a.id for a in articles] == [str(tmp_path / "a.txt")]
    assert [(e.item, e.reason) for e in errors] == [
        (str(tmp_path / "b.txt"), "not a regular file (a named pipe)"),
        (str(tmp_path / "c.jsonl"), "not a regular file (a named pipe)"),
        (str(tmp_path / "b.txt"), "not a regular file (a named pipe)"),
    ]


def test_an_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(TEXT, encoding="utf-8")
    scandir = os.scandir

    def refusing(path: str) -> object:  # as a chmod-000 folder does (root may read one anyway)
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    articles, errors = split(list(read_inputs([str(tmp_path)])))
    top, top_errors = split(list(read_inputs([str(locked)])))
    assert [a.id for a in articles] == [str(tmp_path / "a.txt")]
    assert [str(e) for e in errors] == [f"{locked}: cannot read folder: Permission denied"]
    assert not top and [e.item for e in top_errors] == [str(locked)]


def test_a_page_of_100000_escaped_ampersands_is_read_without_an_endless_word() -> None:
    page = (
        "<html><body><article><p>" + "&amp;" * 100_000 + f"</p><p>{TEXT}</p><p>{TEXT}</p></article></body></html>"
    ).encode()
    articles, errors = split(list(read_contents([("page.html", page)])))
    assert not errors
    (article,) = articles
    assert TEXT in article.text  # the real page is still read
    # The tokenizer's work is quadratic in a space-free run's length: none is left over MAX_WORD.
    assert max(len(word) for word in article.text.split()) <= MAX_WORD
