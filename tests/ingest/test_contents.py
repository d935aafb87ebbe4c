"""Reading files held in memory (a web upload): each item reads as a file of its name would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.ingest import read_contents, read_inputs
from storydesk.models import Article
from tests.ingest.test_ingest import ARTICLE_HTML, ATOM, EMPTY_HTML, RSS

BATCH = "\n".join(
    [json.dumps({"id": "1", "text": "one"}), "{not json", "", json.dumps({"text": "no id"}), "[1]", '{"title": "x"}']
)
CONTENTS = [
    ("crlf.txt", b"First line.\r\nSecond line.\n"),
    ("latin.txt", "Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade, r\xe9sum\xe9.".encode("latin-1")),
    ("binary.txt", b"\x00\x01\x02"),
    ("blank.txt", b"  \n"),
    ("page.html", ARTICLE_HTML.encode()),
    ("menu.htm", EMPTY_HTML.encode()),
    ("batch.jsonl", BATCH.encode()),
    ("news.rss", RSS.encode()),
    ("courier.xml", ATOM.encode()),
    ("catalog.xml", b"<?xml version='1.0'?><catalog><book/></catalog>"),
    ("broken.atom", b"<feed><entry>"),
    ("note.md", b"A plain note."),
]


def as_read(items: list[Article | InputError]) -> list[object]:
    return [str(i) if isinstance(i, InputError) else i for i in items]


def test_contents_read_as_files_of_their_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, data in CONTENTS:
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)  # files named as the contents are: ids and errors alike
    from_files = as_read(list(read_inputs([name for name, _ in CONTENTS], min_words=0)))
    from_memory = as_read(list(read_contents(CONTENTS, min_words=0)))
    assert from_memory == from_files
    errors = [i for i in from_memory if isinstance(i, str)]
    assert [e.split(":")[0] for e in errors] == [
        "binary.txt",
        "blank.txt",
        "menu.htm",
        "batch.jsonl",
        "batch.jsonl",
        "batch.jsonl",
        "catalog.xml",
        "broken.atom#1",
    ]
    assert errors[0] == "binary.txt: binary or undecodable" and errors[3].startswith("batch.jsonl:2: malformed JSON")


def test_contents_over_the_cap_are_refused_per_file_or_per_jsonl_line() -> None:
    line = json.dumps({"id": "2", "text": "y" * 200})
    items = list(
        read_contents(
            [
                ("big.txt", b"x" * 101),
                ("ok.txt", b"x" * 100),
                ("b.jsonl", f'{{"id": "1", "text": "short"}}\n{line}\n'.encode()),
            ],
            max_bytes=100,
            min_words=0,
        )
    )
    assert as_read(items) == [
        "big.txt: 101 bytes, larger than the cap of 100 bytes",
        Article(id="ok.txt", text="x" * 100),
        Article(id="1", text="short"),
        f"b.jsonl:2: {len(line)} bytes, larger than the cap of 100 bytes",
    ]
