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

    PYTHONPATH=src .venv/bin/python benchmarks/bench_ingest_scale.py [--small 1000] [--large 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("STORYDESK_QUOTES", "rules")  # before storydesk reads its settings

import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

import storydesk
from storydesk import __version__, desk
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import Store, open_store
from storydesk.store.models import AnalysisRow, ArticleRow, StoryArticleRow, StoryRow

PER_DAY = 25  # articles a day in both stores
START = date(2021, 1, 1)
SYLLABLES = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
RATIO_BAR = 1.2
STORIES_BAR_S = 0.5


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
            c.execute(insert(table), values)
    return store


def timed_ingest(store: Store, article: Article, story: int) -> tuple[float, bool]:
    """Seconds to ingest ``article``, and whether it joined stored story number ``story``."""
    started = time.perf_counter()
    report = desk.ingest(store, [article])
    elapsed = time.perf_counter() - started
    assert len(report.added) == 1, report
    return elapsed, report.stories == {f"s-bulk{story:06d}"}


def prepare(size: int, runs: int, folder: Path) -> tuple[Store, list[Article], Path]:
    """A store of ``size`` articles with its kept state built, warm, and the articles to time."""
    articles, follow = corpus(size, runs + 2)
    path = folder / f"store-{size}.db"
    started = time.perf_counter()
    store = build(f"sqlite:///{path}", articles)
    print(f"{size} articles stored in bulk in {time.perf_counter() - started:.1f} s", flush=True)
    first, _ = timed_ingest(store, follow[0], 0)
    print(f"  first ingest (builds the kept clustering state from the texts): {first:.2f} s", flush=True)
    timed_ingest(store, follow[1], 1)  # warm: the model is loaded
    return store, follow, path


def measure(sizes: tuple[int, int], runs: int, folder: Path) -> tuple[list[float], Path]:
    """Median one-article ingest time into each store. The two stores take turns, article by
    article, so that the machine's load (shared) weighs on both alike."""
    prepared = [prepare(size, runs, folder) for size in sizes]
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
    return medians, prepared[-1][2]


def stories_times(path: Path, runs: int) -> tuple[float, float, int]:
    store = open_store(f"sqlite:///{path}")
    desk.stories(store)  # warm
    inner = []
    for _ in range(runs):
        started = time.perf_counter()
        listed = desk.stories(store)
        inner.append(time.perf_counter() - started)
    store.close()
    src = Path(storydesk.__file__).resolve().parents[1]  # the storydesk measured, wherever it is
    code = 'import sys; from storydesk.cli import main; sys.argv[0] = "storydesk"; main()'
    command = [sys.executable, "-c", code, "stories", "--db", str(path)]
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200"}
    outer = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        outer.append(time.perf_counter() - started)
    return statistics.median(inner), statistics.median(outer), len(listed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        (small, large), path = measure((args.small, args.large), args.runs, Path(tmp))
        ratio = large / small
        verdict = "ok" if ratio <= RATIO_BAR else "SHORT"
        print(f"one-article ingest: {args.small} stored {small:.3f} s, {args.large} stored {large:.3f} s")
        print(f"  ratio {ratio:.2f} (bar {RATIO_BAR}) {verdict}")
        inner, outer, listed = stories_times(path, 3)
        print(f"stories with {args.large} stored ({listed} stories), median of 3:")
        print(
            f"  desk.stories in-process {inner:.3f} s; `storydesk stories` command {outer:.3f} s (bar {STORIES_BAR_S})"
        )


if __name__ == "__main__":
    main()
