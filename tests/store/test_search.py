"""Full-text search: the query language read into safe FTS5, stemming, phrases, OR and NOT,
ranking, snippets with their matches marked, story search, and the migration to stems."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from storydesk.models import Analysis, Article
from storydesk.store import MIGRATIONS, Store, StoryFilter, open_store
from storydesk.store import engine as store_engine
from storydesk.store.search import SearchHit, parse_query, read_snippet
from tests.store import postgres
from tests.store.conftest import BACKENDS

TEXTS = {
    "rally": (
        "Students protest tuition rise",
        "Thousands of students were protesting on Monday. The protests went on.",
    ),
    "budget": ("Council passes the city budget", "The council passed the budget after a long debate on taxes."),
    "harbour": ("New ferry for the harbour", "The harbour ferry carries protest banners, a council member said."),
    "strike": ("Dock workers strike", "Dock workers went on strike over pay; the port authority said talks continue."),
}


def stored(store: Store) -> Store:
    for n, (key, (title, text)) in enumerate(TEXTS.items(), start=1):
        a = Article(id=f"{key}.txt", text=text, title=title, source="Example Post", date=f"2024-05-0{n}")
        store.add_article(key, a, Analysis(id=a.id, outlet="Example Post"), f"s-{key}", title)
    return store


@pytest.fixture
def store(store_url: str) -> Store:
    return stored(open_store(store_url))


def keys(store: Store, query: str) -> list[str]:
    return [h.article_key for h in store.search_articles(query)]


def test_query_words_phrases_or_not_and_prefixes_are_read_as_fts5() -> None:
    assert parse_query("ferry terminal").include == '"ferry" AND "terminal"'
    assert parse_query('"ferry terminal" vote').include == '"ferry terminal" AND "vote"'
    assert parse_query("strike OR protest budget").include == '("strike" OR "protest") AND "budget"'
    assert parse_query("strike | protest").include == '("strike" OR "protest")'
    q = parse_query("council -budget NOT taxes")
    assert (q.include, q.exclude) == ('"council"', '"budget" OR "taxes"')
    assert q.expression == '("council") NOT ("budget" OR "taxes")'
    assert parse_query("ferr*").include == '"ferr"*'
    assert parse_query("cease-fire").include == '"cease fire"'  # one token as the index splits it
    only_not = parse_query("-budget")
    assert only_not.include is None and only_not.expression is None and not only_not.empty
    assert parse_query('OR AND NOT * "" -').empty


def test_queries_are_read_as_tsquery_alike() -> None:
    assert parse_query("ferry terminal").ts_include == "'ferry' & 'terminal'"
    assert parse_query('"ferry terminal" vote').ts_include == "('ferry' <-> 'terminal') & 'vote'"
    assert parse_query("strike OR protest budget").ts_include == "('strike' | 'protest') & 'budget'"
    q = parse_query("council -budget NOT taxes")
    assert (q.ts_include, q.ts_exclude) == ("'council'", "'budget' | 'taxes'")
    assert q.ts_expression == "('council') & !('budget' | 'taxes')"
    assert parse_query("ferr*").ts_include == "'ferr':*"
    assert parse_query('"harbour fer"*').ts_include == "('harbour' <-> 'fer')"  # a quoted phrase is no prefix
    assert parse_query("it's").ts_include == "('it' <-> 's')"  # no quote of the user's reaches the query
    assert parse_query("-budget").ts_expression is None


@pytest.mark.parametrize(
    "hostile",
    ['"unbalanced', "title:ferry OR", "NEAR(ferry", "*", "ferry AND -x", "^", "a:b:c", '"a" "" OR', "NOT", "x NOT"],
)
def test_hostile_queries_never_raise(store: Store, hostile: str) -> None:
    store.search_articles(hostile)
    store.find_stories(StoryFilter(query=hostile))


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """One store of each kind for every example (hypothesis runs them in one test call)."""
    if request.param == "sqlite":
        yield stored(open_store("sqlite:///:memory:"))
        return
    server: postgres.Server = request.getfixturevalue("pg_server")
    with server.fresh_database() as url:
        store = stored(open_store(url))
        yield store
        store.close()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \"-*|():^+NOTRA\\'.{}[]!&<>")) | st.characters(), max_size=40))
def test_any_text_is_a_valid_query(fuzz_store: Store, text: str) -> None:
    fuzz_store.search_articles(text)
    fuzz_store.find_stories(StoryFilter(query=text))


def test_stems_find_other_forms_of_a_word(store: Store) -> None:
    assert set(keys(store, "protest")) == {"rally", "harbour"}  # "protesting", "protests", "protest"
    assert keys(store, "passes") == ["budget"]  # "passes" and "passed" share the stem
    assert keys(store, "submarine") == []


def test_phrases_or_and_not(store: Store) -> None:
    assert keys(store, '"port authority"') == ["strike"]
    assert keys(store, '"authority port"') == []  # a phrase keeps its order
    assert set(keys(store, "strike OR budget")) == {"strike", "budget"}
    assert keys(store, "council -ferry") == ["budget"]
    assert keys(store, "council NOT budget") == ["harbour"]
    assert set(keys(store, "-protest")) == {"budget", "strike"}  # excluding only: the rest, newest first
    assert keys(store, "-protest") == ["strike", "budget"]


def test_hits_are_ranked_title_words_first(store: Store) -> None:
    hits = store.search_articles("protest")
    assert [h.article_key for h in hits] == ["rally", "harbour"]  # in its title, and twice in its text
    assert hits[0].rank > hits[1].rank > 0
    assert (hits[0].story_id, hits[0].title, hits[0].outlet, hits[0].published) == (
        "s-rally",
        "Students protest tuition rise",
        "Example Post",
        "2024-05-01",
    )
    assert len(store.search_articles("protest", limit=1)) == 1 and store.search_articles("protest", limit=0) == []


def test_snippets_mark_the_matched_words_only(store: Store) -> None:
    (hit,) = store.search_articles("strike pay")
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert marked and {w.lower() for w in marked} <= {"strike", "pay"}
    assert "".join(text for text, _ in hit.parts()) == hit.snippet
    assert [text for text, is_match in hit.parts() if is_match] == marked


def test_read_snippet_drops_unbalanced_marks() -> None:
    assert read_snippet("a \ue000b\ue001 c") == ("a b c", ((2, 3),))
    assert read_snippet("x\ue001 y \ue000") == ("x y ", ())
    hit = SearchHit("k", "s", None, None, None, "no match here", 0.0)
    assert hit.parts() == [("no match here", False)]


def test_story_search_uses_the_same_language(store: Store) -> None:
    def stories(query: str) -> set[str]:
        return {s.id for s in store.find_stories(StoryFilter(query=query)).stories}

    assert stories("protest") == {"s-rally", "s-harbour"}
    assert stories("strike OR budget") == {"s-strike", "s-budget"}
    assert stories("council -ferry") == {"s-budget"}
    assert stories("-protest -council") == {"s-strike"}


def test_a_store_indexed_before_stems_is_reindexed_by_the_migration(tmp_path: Path) -> None:  # SQLite's FTS5
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = store_engine.create(make_url(url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store_engine.writing(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0012_article_language")
    old = stored(Store(engine))
    assert keys(old, "protests") == ["rally"]  # whole words only before the migration
    old.close()
    migrated = open_store(url)
    assert set(keys(migrated, "protests")) == {"rally", "harbour"}
    assert keys(migrated, "delayed OR strike") == ["strike"]
    a = Article(id="late.txt", text="Protesters marched again.", title="Another march", source="Example Post")
    migrated.add_article("late", a, Analysis(id=a.id), "s-late", None)  # new rows go to the new index
    assert "late" in keys(migrated, "protesters")


def test_search_coverage_counts_every_match_by_outlet_and_day(store: Store) -> None:
    assert sorted(store.search_coverage("protest OR strike")) == [
        ("Example Post", "2024-05-01", 1),
        ("Example Post", "2024-05-03", 1),
        ("Example Post", "2024-05-04", 1),
    ]
    assert store.search_coverage("-council") == [("Example Post", "2024-05-01", 1), ("Example Post", "2024-05-04", 1)]
    assert store.search_coverage("") == [] and store.search_coverage("submarine") == []


def test_snippets_come_from_the_text_where_it_matches(store: Store) -> None:
    (rally,) = [h for h in store.search_articles("tuition OR protests") if h.article_key == "rally"]
    assert rally.snippet.startswith("Thousands of students")  # the text's match, not the title's
    (title_only,) = store.search_articles("tuition")
    assert title_only.snippet == "Students protest tuition rise"  # only the title matches
    assert [title_only.snippet[s:e] for s, e in title_only.highlights] == ["tuition"]


def test_a_postgresql_snippet_says_where_it_cuts_the_text() -> None:
    from storydesk.store.fulltext import _cut_marks

    body = "One two three four five six."
    assert _cut_marks("One two \ue000three\ue001", body) == "One two \ue000three\ue001 …"
    assert _cut_marks("\ue000four\ue001 five six.", body) == "… \ue000four\ue001 five six."
    assert _cut_marks("two \ue000three\ue001 four", body) == "… two \ue000three\ue001 four …"
    assert _cut_marks("One  two three\nfour five six.", body) == "One  two three\nfour five six."  # the whole text
