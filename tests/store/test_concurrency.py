"""Two writers at once (SQLite and PostgreSQL): a new store is created once, their
transactions take turns, and a store error names the article, never the SQL or the article's
text."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from storydesk.errors import StoreError
from storydesk.models import Analysis, Article
from storydesk.store import open_store

WRITER = textwrap.dedent("""
    import sys, time
    from storydesk.models import Analysis, Article
    from storydesk.store import open_store
    url, name, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    while time.time() < start_at:  # both open the new store at the same moment
        time.sleep(0.005)
    store = open_store(url)
    for n in range(40):
        a = Article(id=f"{name}-{n}", text=f"Article {n} of writer {name}: the council met on Monday.")
        store.add_article(f"{name}-{n}", a, Analysis(id=a.id), f"s-{name}-{n % 5}", None)
        store.set_origins({f"{name}-{n}": None})
""")


def test_two_processes_write_one_new_store_at_once(empty_store_url: str) -> None:
    import time

    url = empty_store_url
    start_at = f"{time.time() + 3:.3f}"  # past both interpreters' start-up
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, name, start_at], stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    store = open_store(url)
    assert sum(s.articles for s in store.stories()) == 80
    assert len(store.stories()) == 10


def test_a_store_error_names_the_article_not_the_sql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    secret = "A whole article text that must not be echoed back. " * 20

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT INTO articles ...", {"text": secret}, Exception("database is locked"))

    event.listen(store._writes, "after_flush", locked)
    with pytest.raises(StoreError) as caught:
        store.add_article("k1", Article(id="in/1.txt", text=secret), Analysis(id="in/1.txt"), "s-1", None)
    message = str(caught.value)
    assert message == "in/1.txt: cannot be stored: database is locked"


CACHER = textwrap.dedent("""
    import sys, time
    from storydesk.store import open_store
    url, start_at = sys.argv[1], float(sys.argv[2])
    while time.time() < start_at:
        time.sleep(0.005)
    store = open_store(url)
    written = 0
    while time.time() < start_at + 4:  # as the web server does: read each story, cache its dossier
        for story in store.stories():
            stamp = store.story_stamp(story.id)
            if store.stored_dossier(stamp, "v") is None:
                store.store_dossier(stamp, "v", "x" * 200_000)
                written += 1
    print(written)
""")


def test_an_ingest_goes_on_while_the_web_caches_dossiers(store_url: str) -> None:
    import time

    url = store_url
    open_store(url)  # the web serves a store that exists
    start_at = f"{time.time() + 3:.3f}"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, url, "a", start_at], stderr=subprocess.PIPE, text=True)
    cacher = subprocess.Popen(
        [sys.executable, "-c", CACHER, url, start_at], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    out, err = cacher.communicate(timeout=120)
    assert cacher.returncode == 0, err
    assert int(out) > 0  # it did cache while the ingest wrote
    assert sum(s.articles for s in open_store(url).stories()) == 40


def test_without_a_postgresql_server_its_tests_skip_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.store import postgres

    monkeypatch.delenv(postgres.ENV, raising=False)
    monkeypatch.setattr(postgres, "binaries", lambda: None)
    with postgres.server() as found:
        assert isinstance(found, str) and postgres.ENV in found and "apt-get install postgresql" in found
