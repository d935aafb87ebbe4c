"""Ingest splits a stored story that later articles show to be two events (texts written for
the tests; analysis faked, so no language model loads)."""

from __future__ import annotations

from storydesk import desk
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import open_store

ACEH = [
    Article(
        id="a1",
        title="Aceh quake",
        date="2024-05-01",
        text="A magnitude 6.1 earthquake struck Aceh on Tuesday, killing 24 people in Bener Meriah.",
    ),
    Article(
        id="a2",
        title="Bener Meriah toll",
        date="2024-05-01",
        text="At least 24 people died in Bener Meriah when a 6.1 earthquake struck Aceh on Tuesday.",
    ),
    Article(
        id="a3",
        title="Rescue in Aceh",
        date="2024-05-02",
        text="Rescuers in Bener Meriah searched houses after Tuesday's 6.1 earthquake in Aceh killed 24.",
    ),
]
PAPUA = [
    Article(
        id="p1",
        title="Papua quake",
        date="2024-05-02",
        text="A magnitude 7.6 earthquake struck Papua on Sunday, killing 4 people in Manokwari.",
    ),
    Article(
        id="p2",
        title="Manokwari toll",
        date="2024-05-02",
        text="At least 4 people died in Manokwari when a 7.6 earthquake struck Papua on Sunday.",
    ),
    Article(
        id="p3",
        title="Rescue in Papua",
        date="2024-05-03",
        text="Rescuers in Manokwari searched hotels after Sunday's 7.6 earthquake in Papua killed 4.",
    ),
]


def test_ingest_splits_a_stored_story_of_two_events(fake_analysis: None) -> None:
    store = open_store("sqlite:///:memory:")
    for article in ACEH + PAPUA[:2]:  # stored, wrongly, as one story
        analysis = Analysis(id=article.id, title=article.title, published=article.date)
        store.add_article(article_key(article), article, analysis, "s-quakes", "Quakes")
    report = desk.ingest(store, [PAPUA[2]])
    assert report.moved >= 2
    by_title = {s.title: s for s in desk.stories(store)}
    assert set(by_title) == {"Quakes", "Papua quake"}  # the new story titled by its first article
    assert by_title["Quakes"].id == "s-quakes"
    members = {a.id for a, _ in store.story_articles(by_title["Papua quake"].id)}
    assert members == {"p1", "p2", "p3"}
