"""A stored story's dossier takes the copies recorded at ingest (texts written for the tests;
analysis faked; the parses positions read are made by the base model)."""

from __future__ import annotations

import pytest

from storydesk import desk, nlp
from storydesk.dossier import build_story
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import Store, open_store
from storydesk.stories import syndication
from tests.stories.test_syndication import wire_story


def parsed(items: list[tuple[Article, Analysis]]) -> list[tuple[Article, Analysis]]:
    """Stored items with the parses positions read (the faked analysis keeps none)."""
    parses = nlp.parse_texts(a.text for a, _ in items)
    return [(a, an.model_copy(update={"parse": p})) for (a, an), p in zip(items, parses, strict=True)]


def no_search(*args: object) -> None:
    raise AssertionError("copies searched again")


def stored(articles: list[Article]) -> tuple[Store, str]:
    store = open_store("sqlite:///:memory:")
    report = desk.ingest(store, articles)
    assert len(report.added) == len(articles) and len(report.stories) == 1
    return store, report.stories.pop()


def test_show_takes_the_origins_recorded_at_ingest(fake_analysis: None, monkeypatch: pytest.MonkeyPatch) -> None:
    store, story_id = stored(wire_story())
    found = build_story(story_id, parsed(store.story_articles(story_id)))  # copies found again, by id
    monkeypatch.setattr(syndication, "find_copies", no_search)
    shown = desk.show(store, story_id)
    assert shown == found
    # stored by key, shown by the id each article was read with
    assert {a.id: a.origin for a in shown.articles} == {"wire": None, "trim": "wire", "extended": "wire"}
    assert shown.independent_origins == 1


def test_show_reads_what_the_store_records(fake_analysis: None, monkeypatch: pytest.MonkeyPatch) -> None:
    store, story_id = stored(wire_story())
    extended = next(a for a in wire_story() if a.id == "extended")
    store.set_origins({article_key(extended): None})
    monkeypatch.setattr(syndication, "find_copies", no_search)
    shown = desk.show(store, story_id)
    assert {a.id: a.origin for a in shown.articles} == {"wire": None, "trim": "wire", "extended": None}
    assert shown.independent_origins == 2


def test_a_copy_read_under_its_origin_id_counts_as_that_origin(fake_analysis: None) -> None:
    # Two uploads both named upload/01-baths.txt: as when copies were found by id, the copy of
    # an article of the same id is no copy of another report.
    same = [a.model_copy(update={"id": "upload/01-baths.txt"}) for a in wire_story()[:2]]
    store, story_id = stored(same)
    found = build_story(story_id, parsed(store.story_articles(story_id)))
    shown = desk.show(store, story_id)
    assert shown == found
    assert [a.origin for a in shown.articles] == [None, None] and shown.independent_origins == 1


def test_a_rerun_finds_the_copies_an_interrupted_ingest_left_unfound(
    fake_analysis: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, _ = stored(wire_story())  # one uninterrupted run
    store = open_store("sqlite:///:memory:")

    def killed(*args: object) -> None:  # the process dies after storing, before finding copies
        raise KeyboardInterrupt

    record = desk._record_copies
    monkeypatch.setattr(desk, "_record_copies", killed)
    with pytest.raises(KeyboardInterrupt):
        desk.ingest(store, wire_story())
    assert store.stories_without_copies()
    monkeypatch.setattr(desk, "_record_copies", record)
    report = desk.ingest(store, wire_story())  # the re-run: every article already stored
    assert report.added == [] and report.duplicates == 3
    assert store.stories_without_copies() == []
    assert [s.origins for s in store.stories()] == [s.origins for s in whole.stories()] == [1]
