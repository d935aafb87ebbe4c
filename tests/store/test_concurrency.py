"""Two writers at once: a new SQLite store is created once, their transactions take turns, and
a store error names the article, never the SQL or the article's text."""

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


def test_two_processes_write_one_new_store_at_once(tmp_path: Path) -> None:
    import time

    url = f"sqlite:///{tmp_path / 'new' / 'desk.sqlite'}"
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
