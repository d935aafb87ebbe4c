"""One-article ingest time against the store's size, and the stories list at 20,000 articles.

Builds two stores of synthetic articles, 1,000 and 20,000 (by default), at the same rate of
articles per day (so the larger store spans more time, as a store that has been in use does,
and an article has as many stories near its date to compare with in both). Stories of one to
eight articles share topic words, names and figures; all articles share a Zipf-weighted common
vocabulary. The stores are written in bulk (articles, analyses with nothing found, stories and
memberships: no spaCy), then a first ``desk.ingest`` builds the clusterer's kept state from the
stored texts (as the first ingest after the migration does in a store made before it), and a
second one loads the spaCy model. Then one article at a time is ingested through the real
``desk.ingest`` (rules mode: ``STORYDESK_QUOTES=rules``), each a follow-up, dated the day after
every stored article, of a stored story of three articles on the last day (so that the work
that grows with the story it joins, such as finding wire copies, is the same in both stores),
and the median of ``--runs`` is printed for each store (the two take turns) with their ratio (issue 15's bar: at
most 1.2). Last, on the large store, ``desk.stories`` in-process
and the ``storydesk stories`` command (a new process: start-up included; bar: 0.5 s).

Issue 21's bars at ``--articles 100000``: besides the ratio, the peak memory of a one-article
``storydesk ingest`` into the large store (a new process, its maximum resident set: bar 2 GB),
and the web app's stories list (the first page) and a story page (its dossier stored, as every
view after the first reads it) each under 100 ms, through the app's own routes in-process. The
stores' size per article is printed (the full-text index included: the bulk-written articles
are indexed as ingest indexes them). ``--postgres URL`` (a server where the URL's user may create
databases; ``local``: a throwaway cluster, as the tests start one) measures PostgreSQL stores
instead of SQLite files.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_ingest_scale.py [--small 1000] [--articles 20000] [--runs 5]
        [--postgres URL|local]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("STORYDESK_QUOTES", "rules")  # before storydesk reads its settings

import contextlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import make_url

import storydesk
from storydesk import __version__, desk
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import Store, fulltext, open_store
from storydesk.store.models import AnalysisRow, ArticleRow, StoryArticleRow, StoryRow

PER_DAY = 25  # articles a day in both stores
START = date(2021, 1, 1)
SYLLABLES = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
RATIO_BAR = 1.2
STORIES_BAR_S = 0.5
PAGE_BAR_S = 0.1  # the web's stories list and story page
MEMORY_BAR_MB = 2048
BATCH = 20000  # rows per bulk insert
SIZES: dict[int, float] = {}  # each store's bytes, by its articles


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choices(SYLLABLES, k=parts))


class Generator:
    """Synthetic stories: each with topic words, names and figures of its own."""

    def __init__(self, seed: int) -> None:
        rng = self.rng = random.Random(seed)
        self.common = [_word(rng, 2) for _ in range(3000)]
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.common))]
        self.rare = [_word(rng, 3) for _ in range(40000)]

    def story(self) -> tuple[list[str], list[str], list[str]]:
        rng = self.rng
        topic = rng.sample(self.rare, 12)
        names = [_word(rng, 2).capitalize() + " " + _word(rng, 3).capitalize() for _ in range(3)]
        figures = [str(rng.randrange(2, 9000)) for _ in range(2)]
        return topic, names, figures

    def article(self, n: int, story: tuple[list[str], list[str], list[str]], day: date) -> Article:
        rng = self.rng
        topic, names, figures = story
        sentences = []
        for _ in range(8):
            words = rng.choices(self.common, weights=self.weights, k=10) + rng.sample(topic, 4)
            words.append(rng.choice(names))
            if rng.random() < 0.4:
                words.append(rng.choice(figures))
            rng.shuffle(words)
            sentences.append(" ".join(words).capitalize() + ".")
        title = " ".join([*rng.sample(topic, 3), names[0]]).capitalize()
        return Article(
            id=f"synthetic/{n:06d}",
            text=" ".join(sentences),
            title=title,
            source=f"Outlet {n % 9}",
            date=day.isoformat(),
        )


FOLLOWED = 3  # stored articles of each story that a timed article follows up


def corpus(size: int, extra: int, seed: int = 7) -> tuple[list[tuple[Article, int]], list[Article]]:
    """``size`` articles in date order with their story's number, and ``extra`` follow-ups,
    each of a story of ``FOLLOWED`` articles on the last stored day (stored among the
    ``size``), dated the day after: so each timed article joins a story of the same size,
    near its date, in a small store as in a large one."""
    gen = Generator(seed)
    days = max(1, size // PER_DAY)
    last = START + timedelta(days=days - 1)
    placed: list[tuple[date, int, Article, int]] = []
    followed = [gen.story() for _ in range(extra)]
    n = 0
    number = extra  # story numbers; those below are the followed ones
    while n < size - FOLLOWED * extra:
        story = gen.story()
        number += 1
        first = START + timedelta(days=gen.rng.randrange(days))
        for _ in range(min(gen.rng.randint(1, 8), size - FOLLOWED * extra - n)):
            day = min(first + timedelta(days=gen.rng.randrange(4)), last)
            placed.append((day, n, gen.article(n, story, day), number))
            n += 1
    for k, story in enumerate(followed):
        for _ in range(FOLLOWED):
            placed.append((last, n, gen.article(n, story, last), k))
            n += 1
    placed.sort(key=lambda x: (x[0], x[1]))
    follow = [gen.article(n + k, story, last + timedelta(days=1)) for k, story in enumerate(followed)]
    return [(a, story) for _, _, a, story in placed], follow


def build(url: str, articles: list[tuple[Article, int]]) -> Store:
    """A store holding ``articles`` in their stories, written in bulk."""
    store = open_store(url)
    now = datetime.now(UTC) - timedelta(days=1)
    payload = Analysis(id="x").model_dump(mode="json")
    rows: list[dict[str, Any]] = []
    analyses: list[dict[str, Any]] = []
    stories: dict[str, dict[str, Any]] = {}
    members: list[dict[str, Any]] = []
    for i, (a, number) in enumerate(articles):
        key = article_key(a)
        stamp = now + timedelta(microseconds=i)
        story = f"s-bulk{number:06d}"
        rows.append(
            {
                "key": key,
                "input_id": a.id,
                "text": a.text,
                "title": a.title,
                "url": None,
                "source": a.source,
                "outlet": a.source,
                "published": a.date,
                "authors": [],
                "ingested_at": stamp,
            }
        )
        analyses.append({"article_key": key, "payload": {**payload, "id": a.id}, "pipeline_version": __version__})
        stories.setdefault(story, {"id": story, "title": a.title, "created_at": stamp, "updated_at": stamp})
        stories[story]["updated_at"] = stamp
        members.append({"story_id": story, "article_key": key})
    with store.engine.begin() as c:
        for table, values in (
            (ArticleRow, rows),
            (AnalysisRow, analyses),
            (StoryRow, list(stories.values())),
            (StoryArticleRow, members),
        ):
            for start in range(0, len(values), BATCH):
                c.execute(insert(table), values[start : start + BATCH])
        fulltext.backfill(c)  # the full-text index, as ingest fills it
    return store


def timed_ingest(store: Store, article: Article, story: int) -> tuple[float, bool]:
    """Seconds to ingest ``article``, and whether it joined stored story number ``story``."""
    started = time.perf_counter()
    report = desk.ingest(store, [article])
    elapsed = time.perf_counter() - started
    assert len(report.added) == 1, report
    return elapsed, report.stories == {f"s-bulk{story:06d}"}


class Place:
    """Where the stores are made: SQLite files in a folder, or databases on a PostgreSQL server."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder = folder
        self.postgres = postgres
        self.made: list[str] = []

    def url(self, size: int) -> str:
        if self.postgres is None:
            return f"sqlite:///{self.folder / f'store-{size}.db'}"
        name = f"storydesk_bench_{size}"
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin(f"CREATE DATABASE {name}")
        self.made.append(name)
        return make_url(self.postgres).set(database=name).render_as_string(hide_password=False)

    def _admin(self, sql: str) -> None:
        import psycopg

        conninfo = make_url(self.postgres or "").set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def drop(self) -> None:
        for name in self.made:
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def size_per_article(store: Store, url: str, articles: int) -> float:
    """The store's bytes per article: the SQLite file (checkpointed), or the PostgreSQL database."""
    with store.engine.connect() as c:
        if store.engine.dialect.name == "postgresql":
            c.exec_driver_sql("CHECKPOINT")
            total = int(c.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())
        else:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            path = Path(make_url(url).database or "")
            total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    return total / max(articles, 1)


def prepare(size: int, runs: int, place: Place) -> tuple[Store, list[Article], str]:
    """A store of ``size`` articles with its kept state built, warm, and the articles to time."""
    articles, follow = corpus(size, runs + 3)  # the last one: for the ingest as a new process
    path = place.url(size)
    started = time.perf_counter()
    store = build(path, articles)
    print(f"{size} articles stored in bulk (and indexed) in {time.perf_counter() - started:.1f} s", flush=True)
    per_article = size_per_article(store, path, size)
    SIZES[size] = per_article * size
    print(f"  store size: {per_article / 1024:.1f} KiB per article", flush=True)
    first, _ = timed_ingest(store, follow[0], 0)
    print(f"  first ingest (builds the kept clustering state from the texts): {first:.2f} s", flush=True)
    timed_ingest(store, follow[1], 1)  # warm: the model is loaded
    return store, follow, path


def measure(sizes: tuple[int, int], runs: int, place: Place) -> tuple[list[float], str, Article]:
    """Median one-article ingest time into each store. The two stores take turns, article by
    article, so that the machine's load (shared) weighs on both alike."""
    prepared = [prepare(size, runs, place) for size in sizes]
    timed: list[list[tuple[float, bool]]] = [[] for _ in sizes]
    for k in range(2, runs + 2):
        for (store, follow, _), times in zip(prepared, timed, strict=True):
            times.append(timed_ingest(store, follow[k], k))
    medians = []
    for size, times in zip(sizes, timed, strict=True):
        seconds = [t for t, _ in times]
        medians.append(statistics.median(seconds))
        joined = sum(j for _, j in times)
        print(f"{size} stored: one-article ingest, median of {runs}: {medians[-1]:.3f} s")
        print(f"  ({', '.join(f'{t:.3f}' for t in seconds)}; {joined} of {runs} joined the story they follow up)")
    for store, _, _ in prepared:
        store.close()
    return medians, prepared[-1][2], prepared[-1][1][-1]


def stories_times(url: str, runs: int) -> tuple[float, float, int]:
    store = open_store(url)
    desk.stories(store)  # warm
    inner = []
    for _ in range(runs):
        started = time.perf_counter()
        listed = desk.stories(store)
        inner.append(time.perf_counter() - started)
    store.close()
    outer = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(_command("stories", "--db", url), env=_env(), check=True, stdout=subprocess.DEVNULL)
        outer.append(time.perf_counter() - started)
    return statistics.median(inner), statistics.median(outer), len(listed)


def _command(*args: str) -> list[str]:
    code = 'import sys; from storydesk.cli import main; sys.argv[0] = "storydesk"; main()'
    return [sys.executable, "-c", code, *args]


def _env() -> dict[str, str]:
    src = Path(storydesk.__file__).resolve().parents[1]  # the storydesk measured, wherever it is
    return {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200"}


def ingest_process(url: str, article: Article, folder: Path) -> tuple[float, float]:
    """A one-article ``storydesk ingest`` into the store as a new process: its seconds (start-up
    and model loading included) and its peak resident memory in MB."""
    path = folder / "one.jsonl"
    record = {"id": article.id, "text": article.text, "title": article.title, "date": article.date}
    path.write_text(__import__("json").dumps(record) + "\n", encoding="utf-8")
    # Started by a small process: Linux counts the memory of the process that forked a child
    # (this benchmark's, with both stores' corpus) in the child's peak.
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *_command("ingest", str(path), "--db", url)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    return seconds, int(done.stdout.split()[-1]) / 1024  # Linux: kilobytes


_MEASURED = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def web_times(url: str, runs: int) -> tuple[float, float, float]:
    """Median seconds of the web app's stories list (first page), of a story page whose dossier
    is stored (a new app: nothing kept in its memory) and of one it keeps, and the first view
    of that story (its dossier built)."""
    from fastapi.testclient import TestClient

    from storydesk.web.app import create_app

    with TestClient(create_app(url, None)) as client:
        client.get("/").raise_for_status()  # warm
        listed = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get("/").raise_for_status()
            listed.append(time.perf_counter() - started)
        story = open_store(url).story_page(1).stories[0].id
        started = time.perf_counter()
        client.get(f"/stories/{story}").raise_for_status()
        first = time.perf_counter() - started
    stored = []
    for _ in range(runs):
        with TestClient(create_app(url, None)) as client:
            client.get("/").raise_for_status()
            started = time.perf_counter()
            client.get(f"/stories/{story}").raise_for_status()
            stored.append(time.perf_counter() - started)
    return statistics.median(listed), statistics.median(stored), first


@contextlib.contextmanager
def postgres_server(given: str | None) -> Iterator[str | None]:
    """The PostgreSQL server's URL (``local``: a throwaway cluster started here), or None."""
    if given != "local":
        yield given
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.store.postgres import binaries, throwaway_cluster

    bin_dir = binaries()
    if bin_dir is None:
        sys.exit("no PostgreSQL server binaries installed (apt-get install postgresql)")
    with throwaway_cluster(bin_dir) as server:
        yield server.url.render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", "--articles", dest="large", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL, or 'local' (a throwaway cluster)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres_server(args.postgres) as server:
        place = Place(Path(tmp), server)
        try:
            report(args, place, Path(tmp))
        finally:
            place.drop()


def report(args: argparse.Namespace, place: Place, folder: Path) -> None:
    (small, large), url, spare = measure((args.small, args.large), args.runs, place)
    ratio = large / small
    verdict = "ok" if ratio <= RATIO_BAR else "SHORT"
    print(f"one-article ingest: {args.small} stored {small:.3f} s, {args.large} stored {large:.3f} s")
    print(f"  ratio {ratio:.2f} (bar {RATIO_BAR}) {verdict}")
    marginal = (SIZES[args.large] - SIZES[args.small]) / max(args.large - args.small, 1)
    print(f"store size per article beyond the first {args.small} (no fixed overhead): {marginal / 1024:.1f} KiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this benchmark's own peak memory (the corpus and both stores built in it): {peak:.0f} MB")
    seconds, memory = ingest_process(url, spare, folder)
    verdict = "ok" if memory <= MEMORY_BAR_MB else "SHORT"
    print(f"`storydesk ingest` of one article into {args.large} stored (a new process): {seconds:.1f} s,")
    print(f"  peak memory {memory:.0f} MB (bar {MEMORY_BAR_MB} MB) {verdict}")
    inner, outer, listed = stories_times(url, 3)
    print(f"stories with {args.large} stored ({listed} stories), median of 3:")
    print(f"  desk.stories in-process {inner:.3f} s; `storydesk stories` command {outer:.3f} s (bar {STORIES_BAR_S})")
    listing, page, first = web_times(url, 5)
    verdicts = ["ok" if t <= PAGE_BAR_S else "SHORT" for t in (listing, page)]
    print(f"web app with {args.large} stored, median of 5 (bar {PAGE_BAR_S * 1000:.0f} ms):")
    print(f"  stories list (first page) {listing * 1000:.1f} ms {verdicts[0]}")
    print(f"  story page, its dossier stored {page * 1000:.1f} ms {verdicts[1]} (first view, built: {first:.1f} s)")


if __name__ == "__main__":
    main()
