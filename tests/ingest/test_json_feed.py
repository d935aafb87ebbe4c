"""A JSON Feed (https://jsonfeed.org/version/1.1) is read as a feed: one article per item."""

from __future__ import annotations

import json
from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest import read_contents, read_inputs
from storydesk.models import Article

TEXT = "The ferry resumed service on Monday after a three-day halt caused by the storm."
FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Harbor Ledger",
    "items": [
        {"id": "1", "url": "https://ledger.example/a", "title": "Ferry resumes", "content_html": f"<p>{TEXT}</p>",
         "date_published": "2025-02-10T08:00:00Z", "authors": [{"name": "Mara Quill"}]},
        {"id": 2, "title": "Library hours", "content_text": f"An item. {TEXT}\n\nSecond paragraph here."},
        {"id": "3", "title": "No text"},
        "not an object",
    ],
}  # fmt: skip


def test_items_become_articles_with_their_metadata(tmp_path: Path) -> None:
    (tmp_path / "feed.json").write_text(json.dumps(FEED), encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))  # a folder: .json files are read as feeds
    first, second = (i for i in items if isinstance(i, Article))
    assert (first.id, first.title, first.source, first.date, first.authors) == (
        "1", "Ferry resumes", "Harbor Ledger", "2025-02-10T08:00:00Z", ["Mara Quill"]
    )  # fmt: skip
    assert first.text == TEXT and first.url == "https://ledger.example/a"
    assert second.id == "2" and second.text.endswith("\n\nSecond paragraph here.")  # plain text kept as given
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [
        f"{tmp_path / 'feed.json'}#3: entry has no text",
        f"{tmp_path / 'feed.json'}#4: feed item is not a JSON object",
    ]


def test_a_json_feed_of_another_name_is_sniffed_and_other_json_refused() -> None:
    sniffed = list(read_contents([("feed.data", json.dumps(FEED).encode())]))
    assert [i.title for i in sniffed if isinstance(i, Article)] == ["Ferry resumes", "Library hours"]
    (refused,) = read_contents([("other.json", b'{"a": 1}')])
    assert str(refused) == "other.json: not a JSON Feed (https://jsonfeed.org)"


def test_a_feed_without_items_is_one_error() -> None:
    empty = {"version": "https://jsonfeed.org/version/1", "title": "T", "items": []}
    (error,) = read_contents([("f.json", json.dumps(empty).encode())])
    assert str(error) == "f.json: feed has no entries"
