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
from sqlalchemy.engine import make_url
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


# `storydesk ingest` as a new process, with each article's analysis replaced by an empty one
# (no spaCy: seconds instead of minutes) that takes ``pause`` seconds.
INGEST = textwrap.dedent("""
    import sys, time
    from storydesk import pipeline
    from storydesk.models import Analysis

    PAUSE = float(sys.argv[1])

    def analyze_each(articles, processes=1, on_done=None, tagger=None, vectors=True, dask=None):
        for a in articles:
            time.sleep(PAUSE)
            yield Analysis(id=a.id, outlet=a.source, title=a.title, published=a.date)

    pipeline.analyze_each = analyze_each
    from storydesk.cli import main
    sys.argv = ["storydesk", *sys.argv[2:]]
    main()
""")
TOPICS = [
    ("harbour", "The harbour authority of Kelmport approved a new ferry terminal on Monday."),
    ("budget", "The city council of Brenmoor passed its budget after a debate on school meals."),
    ("strike", "Dock workers in Lakemere went on strike over pay, the union said."),
]


def _articles(prefix: str, count: int) -> list[dict[str, str]]:
    """Articles on a few topics (so stories gather several), each text its own."""
    rows = []
    for n in range(count):
        name, opening = TOPICS[n % len(TOPICS)]
        text = f"{opening} Report {prefix}{n} on the {name}: {n * 37 % 101} people came, and talks go on."
        rows.append({"id": f"{prefix}-{n:03d}", "text": text, "date": f"2024-05-{1 + n % 20:02d}"})
    return rows


def _ingest(path: Path, url: str, pause: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", INGEST, str(pause), "ingest", str(path), "--db", url]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine

    from storydesk.store.engine import with_driver

    queries = {
        "articles": "SELECT count(*) FROM articles",
        "victims": "SELECT count(*) FROM articles WHERE substr(input_id, 1, 2) = 'A-'",
        "ids": "SELECT count(DISTINCT input_id) FROM articles",
        "analyses": "SELECT count(*) FROM analyses",
        "members": "SELECT count(*) FROM story_articles",
        "in_a_story": "SELECT count(DISTINCT article_key) FROM story_articles",
        "indexed": "SELECT count(*) FROM search_rows",
        "empty_stories": "SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)",
    }
    engine = create_engine(with_driver(make_url(url)))
    try:
        with engine.connect() as c:
            return {name: int(c.exec_driver_sql(query).scalar_one()) for name, query in queries.items()}
    except OperationalError:
        return {}  # not created yet
    finally:
        engine.dispose()


@pytest.mark.slow  # three ingest processes, each importing spaCy (SQLite: benchmarks/two_writers.py)
def test_two_ingests_into_postgresql_then_one_killed_and_run_again_lose_and_repeat_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    import json
    import os
    import signal
    import time

    store_url = pg_url
    files = {}
    for prefix in ("A", "B"):
        files[prefix] = tmp_path / f"{prefix}.jsonl"
        files[prefix].write_text("".join(json.dumps(r) + "\n" for r in _articles(prefix, 40)), encoding="utf-8")
    victim = _ingest(files["A"], store_url, pause=0.1)
    other = _ingest(files["B"], store_url, pause=0.02)
    deadline = time.monotonic() + 120
    while _counts(store_url).get("victims", 0) < 8 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert victim.poll() is None, victim.communicate()[1]  # still running: killed mid-run
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=60)
    _, err = other.communicate(timeout=180)
    assert other.returncode == 0, err
    assert 8 <= _counts(store_url)["victims"] < 40  # killed with some of its articles stored, not all
    again = _ingest(files["A"], store_url, pause=0.0)
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    counts = _counts(store_url)
    every = {"articles": 80, "ids": 80, "analyses": 80, "members": 80, "in_a_story": 80, "indexed": 80}
    assert counts == {**every, "victims": 40, "empty_stories": 0}
    store = open_store(store_url)
    assert sum(s.articles for s in store.stories()) == 80
    harbour = sum(1 for prefix in "AB" for r in _articles(prefix, 40) if "ferry" in r["text"])
    assert len(store.search_articles("ferry", limit=100)) == harbour == 28  # each indexed once
