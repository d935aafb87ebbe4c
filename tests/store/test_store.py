"""The store: migrations, idempotent ingest, crash safety, queries; and the settings."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event
from sqlalchemy.orm import Session

from storydesk import embeddings, listing
from storydesk.errors import NotFoundError, StoreError, StorydeskError
from storydesk.models import Analysis, Article, Quote
from storydesk.settings import DEFAULT_MAX_BYTES, load_settings
from storydesk.store import ClusterRow, Store, open_store
from storydesk.store.models import Base, include_name


def article(n: int, date: str | None = None, source: str | None = "Daily Example") -> Article:
    return Article(id=f"in/{n}.txt", text=f"Text of article {n}.", title=f"Title {n}", source=source, date=date)


def analysis(a: Article, outlet: str | None = None) -> Analysis:
    quote = Quote(text="words", span=(0, 5), kind="direct")
    return Analysis(id=a.id, outlet=outlet, quotes=[quote], title=a.title, published=a.date)


def add(store: Store, n: int, story: str, date: str | None = None, outlet: str | None = None) -> bool:
    a = article(n, date)
    return store.add_article(f"k{n}", a, analysis(a, outlet), story, f"Story {story}")


@pytest.fixture
def store(store_url: str) -> Store:
    return open_store(store_url)


def test_an_sqlite_store_in_memory_works(tmp_path: Path) -> None:
    store = open_store("sqlite:///:memory:")
    assert add(store, 1, "s-a") and [s.id for s in store.stories()] == ["s-a"]


# SQLite cannot reflect expression indexes (the outlet filter's lower(outlet)), so the
# comparison leaves that one out, and says so.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        assert (
            compare_metadata(MigrationContext.configure(connection, opts={"include_name": include_name}), Base.metadata)
            == []
        )


def test_add_article_round_trips_and_is_idempotent(store: Store) -> None:
    a = article(1, "2024-05-01")
    an = analysis(a, outlet="Example Wire")
    assert store.add_article("k1", a, an, "s-1", "First story") is True
    assert store.add_article("k1", a, an, "s-1", "First story") is False
    assert store.has_article("k1") and not store.has_article("k2")
    assert store.story_articles("s-1") == [(a, an)]


def test_stories_summaries_newest_first(store: Store) -> None:
    add(store, 1, "s-a", "2024-05-02", outlet="Wire A")
    add(store, 2, "s-b", "2024-05-01")
    add(store, 3, "s-a", "2024-05-01", outlet="Wire B")
    add(store, 4, "s-a", None, outlet="Wire A")
    a, b = store.stories()
    summary = (a.id, a.title, a.outlets, a.articles, a.first, a.last)
    assert summary == ("s-a", "Story s-a", ["Wire A", "Wire B"], 3, "2024-05-01", "2024-05-02")
    assert (b.id, b.outlets, b.articles) == ("s-b", ["Daily Example"], 1)  # the source when no outlet
    assert a.updated > b.updated and a.updated.tzinfo is not None


def test_story_articles_in_date_order_undated_last(store: Store) -> None:
    add(store, 1, "s-a", None)
    add(store, 2, "s-a", "2024-05-03")
    add(store, 3, "s-a", "2024-05-01")
    assert [a.id for a, _ in store.story_articles("s-a")] == ["in/3.txt", "in/2.txt", "in/1.txt"]
    with pytest.raises(NotFoundError):
        store.story_articles("s-missing")


def test_all_articles_for_clustering_in_date_order(store: Store) -> None:
    add(store, 1, "s-a", "2024-05-03")
    add(store, 2, "s-b", "2024-05-01")
    rows = list(store.all_articles_for_clustering())
    assert rows == [
        ClusterRow("k2", "s-b", "Text of article 2.", "Title 2", "2024-05-01"),
        ClusterRow("k1", "s-a", "Text of article 1.", "Title 1", "2024-05-03"),
    ]
    assert rows[0].story_id == "s-b"


def test_find_story_by_id_or_unique_prefix(store: Store) -> None:
    for n, story in enumerate(["s-1a2b", "s-1a3c", "s-9f00", "s_x"], 1):
        add(store, n, story)
    assert store.find_story("s-1a2b") == "s-1a2b"
    assert store.find_story("s-9") == "s-9f00"
    with pytest.raises(NotFoundError, match="several"):
        store.find_story("s-1a")
    with pytest.raises(NotFoundError):
        store.find_story("s-7")
    with pytest.raises(NotFoundError):  # "_" is no wildcard
        store.find_story("s-_")
    with pytest.raises(NotFoundError):
        store.find_story("")


def test_story_of_article(store: Store) -> None:
    add(store, 1, "s-a")
    add(store, 2, "s-b")
    assert store.story_of_article("k2") == "s-b"
    with pytest.raises(NotFoundError):
        store.story_of_article("k3")


def test_move_article_between_stories(store: Store) -> None:
    add(store, 1, "s-a")
    add(store, 2, "s-a")
    store.move_article("k1", "s-b", "Split off")
    by_id = {s.id: s for s in store.stories()}
    assert (by_id["s-a"].articles, by_id["s-b"].articles, by_id["s-b"].title) == (1, 1, "Split off")
    store.move_article("k2", "s-b")
    assert [s.id for s in store.stories()] == ["s-b"]  # the emptied story is gone
    with pytest.raises(NotFoundError):
        store.move_article("k-missing", "s-b")


def test_an_article_belongs_to_one_story(store: Store) -> None:
    add(store, 1, "s-a")
    assert add(store, 1, "s-b") is False
    assert [s.id for s in store.stories()] == ["s-a"]


def test_file_store_is_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "desk.sqlite"
    store = open_store(f"sqlite:///{path}")
    add(store, 1, "s-a")
    store.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(listing.head(),)]
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reopening_a_store_keeps_its_articles(store_url: str) -> None:
    url = store_url
    first = open_store(url)
    add(first, 1, "s-a")
    first.close()
    again = open_store(url)  # migrations already at head: nothing to do
    assert again.has_article("k1") and add(again, 1, "s-a") is False


def test_exception_inside_the_transaction_leaves_nothing_half_written(store_url: str) -> None:
    url = store_url
    store = open_store(url)
    add(store, 1, "s-a")

    def crash(session: Session, _context: Any) -> None:  # after the rows reached the database
        raise RuntimeError("power cut")

    event.listen(store._writes, "after_flush", crash)
    with pytest.raises(RuntimeError):
        add(store, 2, "s-b")
    event.remove(store._writes, "after_flush", crash)

    reopened = open_store(url)
    assert not reopened.has_article("k2")
    assert [s.id for s in reopened.stories()] == ["s-a"]
    assert [a.id for a, _ in reopened.story_articles("s-a")] == ["in/1.txt"]
    assert add(reopened, 1, "s-a") is False and add(reopened, 2, "s-b") is True  # the re-run
    assert sorted(s.id for s in reopened.stories()) == ["s-a", "s-b"]


def test_process_killed_mid_transaction_leaves_earlier_articles_whole(store_url: str) -> None:
    url = store_url
    child = textwrap.dedent(f"""
        import os
        from sqlalchemy import event
        from storydesk.models import Analysis, Article
        from storydesk.store import open_store
        store = open_store({url!r})
        for n in (1, 2):
            a = Article(id=f"in/{{n}}.txt", text=f"Text {{n}}.")
            if n == 2:
                event.listen(store._writes, "after_flush", lambda *_: os._exit(3))
            store.add_article(f"k{{n}}", a, Analysis(id=a.id), f"s-{{n}}", None)
    """)
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    store = open_store(url)
    assert store.has_article("k1") and not store.has_article("k2")
    assert [(s.id, s.articles) for s in store.stories()] == [("s-1", 1)]
    assert len(store.story_articles("s-1")) == 1


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://x"])
def test_bad_store_url(url: str) -> None:
    with pytest.raises(StoreError):
        open_store(url)


def test_store_in_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{blocker / 'desk.sqlite'}")


# --- settings --------------------------------------------------------------------------------


def test_settings_defaults_use_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"XDG_DATA_HOME": str(tmp_path)})
    assert settings.db_url == f"sqlite:///{tmp_path}/storydesk/storydesk.sqlite"
    assert settings.max_bytes == DEFAULT_MAX_BYTES
    assert (settings.fetch_timeout, settings.max_fetch_bytes) == (10.0, 5 * 1024 * 1024)
    home = load_settings({"HOME": str(tmp_path)}).db_url
    assert home.endswith("/.local/share/storydesk/storydesk.sqlite")


def test_settings_from_environment(tmp_path: Path) -> None:
    env = {"STORYDESK_DB": str(tmp_path / "x.db"), "STORYDESK_MAX_BYTES": "1000", "STORYDESK_FETCH_TIMEOUT": "2.5"}
    settings = load_settings(env)
    assert (settings.db_url, settings.max_bytes, settings.fetch_timeout) == (f"sqlite:///{tmp_path}/x.db", 1000, 2.5)
    assert load_settings({"STORYDESK_DB": "postgresql://u@h/db"}).db_url == "postgresql://u@h/db"


@pytest.mark.parametrize("value", ["lots", "-5", "0"])
def test_bad_setting_names_the_variable(value: str) -> None:
    with pytest.raises(StorydeskError, match="STORYDESK_MAX_BYTES"):
        load_settings({"STORYDESK_MAX_BYTES": value})


def test_quotes_setting_picks_the_tagger_unless_told_rules() -> None:
    assert load_settings({}).quotes == "tagger"
    assert load_settings({"STORYDESK_QUOTES": "rules"}).quotes == "rules"
    with pytest.raises(StorydeskError, match="STORYDESK_QUOTES"):
        load_settings({"STORYDESK_QUOTES": "fastest"})


def test_concurrent_duplicate_is_not_an_error(store: Store) -> None:
    """Another process may store the same article between the check and the insert."""
    add(store, 1, "s-a")
    real_get = Session.get
    blinded: list[Any] = []

    def racing_get(self: Session, entity: Any, ident: Any, **kwargs: Any) -> Any:
        if entity.__name__ == "ArticleRow" and not blinded:  # the first check misses the stored row
            blinded.append(ident)
            return None
        return real_get(self, entity, ident, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Session, "get", racing_get)
        assert add(store, 1, "s-a") is False
    assert blinded == ["k1"]
    assert len(store.story_articles("s-a")) == 1


def test_a_parse_is_kept_with_its_analysis(store: Store) -> None:
    a, b = article(1, "2024-05-01"), article(2, "2024-05-02")
    store.add_article("k1", a, analysis(a).model_copy(update={"parse": b"parse of 1"}), "s-1", None)
    store.add_article("k2", b, analysis(b), "s-1", None)  # as stored before parses were kept
    assert [an.parse for _, an in store.story_articles("s-1")] == [b"parse of 1", None]
    assert "parse" not in store.story_articles("s-1")[0][1].model_dump(mode="json")  # not in the JSON payload
    store.set_parses({"k1": b"another", "k2": b"parse of 2"})  # the first kept stays
    assert [an.parse for _, an in store.story_articles("s-1")] == [b"parse of 1", b"parse of 2"]


def test_statement_vectors_are_kept_with_their_analysis(store: Store) -> None:
    a, b = article(1, "2024-05-01"), article(2, "2024-05-02")
    rows = np.arange(2 * embeddings.DIMENSIONS, dtype=np.float32).reshape(2, -1) / 1000
    kept = embeddings.to_bytes(rows)
    store.add_article("k1", a, analysis(a).model_copy(update={"vectors": kept}), "s-1", None)
    store.add_article("k2", b, analysis(b), "s-1", None)  # as stored before vectors were kept
    assert [an.vectors for _, an in store.story_articles("s-1")] == [kept, None]
    first = store.story_articles("s-1")[0][1]
    assert np.array_equal(embeddings.from_bytes(first.vectors or b""), rows)
    assert "vectors" not in first.model_dump(mode="json")  # not in the JSON payload
    store.set_vectors({"k1": b"another", "k2": kept[: 4 * embeddings.DIMENSIONS]})  # the first kept stays
    assert [an.vectors for _, an in store.story_articles("s-1")] == [kept, kept[: 4 * embeddings.DIMENSIONS]]


def test_a_stated_question_is_kept_with_its_parse(store: Store) -> None:
    add(store, 1, "s-1")
    assert store.question_and_parse("s-1") == (None, None)
    store.set_question("s-1", "Should the bridge reopen?", b"its parse")
    assert store.question_and_parse("s-1") == ("Should the bridge reopen?", b"its parse")
    assert store.question("s-1") == "Should the bridge reopen?"
    store.set_question("s-1", None, b"ignored")
    assert store.question_and_parse("s-1") == (None, None)


def test_an_articles_language_is_stored_with_it(store: Store) -> None:
    a = Article(id="in/fr.txt", text="Le conseil a voté mardi.", language="fr")
    an = Analysis(id=a.id, language="fr")
    assert store.add_article("kfr", a, an, "s-fr", None)
    ((stored, stored_analysis),) = store.story_articles("s-fr")
    assert stored.language == "fr" and stored_analysis.language == "fr"
    assert store.stored_article("kfr").language == "fr"


def test_a_postgresql_url_gets_the_psycopg_driver() -> None:
    from sqlalchemy.engine import make_url

    from storydesk.store.engine import with_driver

    assert with_driver(make_url("postgresql://u@h/db")).drivername == "postgresql+psycopg"
    assert with_driver(make_url("postgresql+psycopg://u@h/db")).drivername == "postgresql+psycopg"
    assert with_driver(make_url("sqlite:///x.db")).drivername == "sqlite"


def test_postgresql_compares_dates_keys_and_story_ids_by_their_bytes(pg_url: str) -> None:
    store = open_store(pg_url.replace("postgresql+psycopg://", "postgresql://"))  # as a user writes it
    with store.engine.connect() as c:
        collations = dict(
            c.exec_driver_sql(
                "SELECT table_name || '.' || column_name, collation_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name IN ('published', 'key', 'id', 'story_id')"
            ).all()
        )
    assert collations["articles.published"] == collations["articles.key"] == collations["stories.id"] == "C"
    assert collations["actor_quotes.published"] == collations["story_articles.story_id"] == "C"
