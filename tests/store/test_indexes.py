"""The store's indexes for the web app: the actor index (filled at ingest, backfilled by its
migration, reversible), full-text row ids, date ranges, and dossiers kept per story state."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from storydesk.models import ActorRef, Analysis, Article, Quote, Speaker
from storydesk.store import MIGRATIONS, Store, StoryFilter, open_store
from storydesk.store.actor_index import actor_names, actor_quotes

TEXT = 'The council met. "We will reopen the bridge," said Rosa Lind. Omar Haddad said the cost was too high.'


def quote(part: str, speaker: str | None) -> Quote:
    start = TEXT.index(part)
    return Quote(
        text=part,
        span=(start, start + len(part)),
        kind="direct",
        speaker=Speaker(name=speaker) if speaker else None,
    )


def article(n: int, outlet: str, date: str | None) -> tuple[Article, Analysis]:
    a = Article(id=f"art-{n}.txt", text=f"{TEXT} ({n})", title=f"Bridge {n}", source=outlet, date=date)
    an = Analysis(
        id=a.id,
        outlet=outlet,
        published=date,
        quotes=[
            quote("We will reopen the bridge,", "Rosa Lind"),
            quote("the cost was too high", "Omar Haddad"),
            quote("The council met.", None),
        ],
        actors=[ActorRef(name="Rosa Lind", kind="person", aliases=["Lind", "R. Lind"])],
    )
    return a, an


def fill(store: Store) -> None:
    rows = [
        (1, "Harbor Gazette", "2024-05-02", "s-one"),
        (2, "Valley Courier", "2024-05-01T18:30:00Z", "s-one"),
        (3, "Harbor Gazette", None, "s-two"),
        (4, "Third Outlet", "2024-06-10", "s-three"),
    ]
    for n, outlet, date, story in rows:
        a, an = article(n, outlet, date)
        store.add_article(f"key-{n}", a, an, story, a.title)


@pytest.fixture
def store(store_url: str) -> Store:
    s = open_store(store_url)
    fill(s)
    return s


def said(store: Store, name: str, **kw: object) -> list[tuple[str, str | None, str]]:
    return [(q.article, q.published, q.quote.text) for q in store.actor_quotes(name, **kw)]  # type: ignore[arg-type]


def test_index_names_actors_aliases_and_speakers() -> None:
    _, an = article(1, "Harbor Gazette", "2024-05-02")
    payload = an.model_dump(mode="json")
    assert actor_names(payload) == {"rosa lind", "lind", "r. lind", "omar haddad"}
    found = {(q.name, q.position) for q in actor_quotes(payload)}
    # the alias finds the quote of the actor's speaker name; unattributed quotes are left out
    assert found == {("rosa lind", 0), ("lind", 0), ("r. lind", 0), ("omar haddad", 1)}


def test_actor_quotes_by_date_undated_last_and_by_alias(store: Store) -> None:
    expected = [
        ("art-2.txt", "2024-05-01T18:30:00Z", "We will reopen the bridge,"),
        ("art-1.txt", "2024-05-02", "We will reopen the bridge,"),
        ("art-4.txt", "2024-06-10", "We will reopen the bridge,"),
        ("art-3.txt", None, "We will reopen the bridge,"),
    ]
    assert said(store, "Rosa Lind") == expected
    assert said(store, "  LIND ") == expected  # an alias, any case
    assert said(store, "Lind", limit=2, offset=1) == expected[1:3]
    assert said(store, "Lind", outlet="Harbor Gazette") == [expected[1], expected[3]]
    assert said(store, "Nobody") == [] and said(store, " ") == []
    assert [q.story_id for q in store.actor_quotes("lind")] == ["s-one", "s-one", "s-three", "s-two"]


def test_actor_summary_counts_every_page(store: Store) -> None:
    summary = store.actor_summary("omar haddad")
    assert (summary.quotes, summary.stories) == (4, 3)
    assert [(o.outlet, o.quotes, o.first, o.last) for o in summary.outlets] == [
        ("Harbor Gazette", 2, "2024-05-02", "2024-05-02"),
        ("Third Outlet", 1, "2024-06-10", "2024-06-10"),
        ("Valley Courier", 1, "2024-05-01T18:30:00Z", "2024-05-01T18:30:00Z"),
    ]
    assert store.actor_summary("nobody").quotes == 0


def test_story_filters_use_the_indexes(store: Store) -> None:
    def ids(**kw: object) -> list[str]:
        return sorted(s.id for s in store.find_stories(StoryFilter(**kw)).stories)  # type: ignore[arg-type]

    assert ids(actor="r. lind") == ["s-one", "s-three", "s-two"]
    assert ids(actor="omar haddad", outlet="third outlet") == ["s-three"]
    assert ids(until="2024-05-01") == ["s-one"]  # a time of day on that date still counts
    assert ids(since="2024-05-03") == ["s-three"]
    assert ids(since="2024-05-02", until="2024-05-02") == ["s-one"]
    assert ids(query="bridge 3") == ["s-two"]  # full text, through the index's row ids
    a, an = article(7, "Third Outlet", "2024-04-01")
    store.add_article("key-7", a, an, "s-three", a.title)  # s-three: April and June
    assert ids(since="2024-05-03", until="2024-06-01") == []  # no article within the range
    page = store.find_stories(StoryFilter(query="bridge", limit=2, offset=1))
    assert page.total == 3 and len(page.stories) == 2


def _migrate(store: Store, revision: str, up: bool) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.upgrade if up else command.downgrade)(config, revision)


def test_actor_index_migration_backfills_stored_articles_and_reverses(store: Store, store_url: str) -> None:
    before = said(store, "lind")
    _migrate(store, "0004_origins", up=False)  # as stored before the index existed
    tables = set(inspect(store.engine).get_table_names())
    assert not {"actor_names", "actor_quotes", "dossiers", "search_rows"} & tables
    assert {"articles", "stories"} <= tables
    store.close()
    reopened = open_store(store_url)  # migrates up again
    assert said(reopened, "lind") == before
    assert [s.id for s in reopened.find_stories(StoryFilter(actor="omar haddad", query="bridge 4")).stories] == [
        "s-three"
    ]
    a, an = article(5, "Harbor Gazette", "2024-07-01")
    reopened.add_article("key-5", a, an, "s-one", a.title)  # ids follow the backfilled rows
    assert [s.id for s in reopened.find_stories(StoryFilter(query="bridge 5")).stories] == ["s-one"]


def test_dossiers_are_kept_for_the_story_state_they_were_built_for(store: Store) -> None:
    stamp = store.story_stamp("s-on")  # a unique prefix
    assert stamp.id == "s-one" and store.stored_dossier(stamp, "1") is None
    store.store_dossier(stamp, "1", '{"story": "s-one"}')
    assert store.stored_dossier(stamp, "1") == '{"story": "s-one"}'
    assert store.stored_dossier(stamp, "2") is None  # another storydesk version builds anew
    store.set_question("s-one", "Should the bridge reopen?")
    asked = store.story_stamp("s-one")
    assert store.stored_dossier(asked, "1") is None  # another question
    a, an = article(6, "Valley Courier", "2024-07-02")
    store.add_article("key-6", a, an, "s-one", a.title)
    assert store.story_stamp("s-one").updated > asked.updated  # a new article: a new state


def test_a_thought_is_not_indexed_as_a_quote() -> None:
    _, an = article(1, "Harbor Gazette", "2024-05-02")
    payload = an.model_dump(mode="json")
    payload["quotes"][1]["act"] = "thought"  # "Haddad hopes ..." is nothing Haddad said
    assert {q.name for q in actor_quotes(payload)} == {"rosa lind", "lind", "r. lind"}
    assert "omar haddad" in actor_names(payload)  # the article is still found by the name
