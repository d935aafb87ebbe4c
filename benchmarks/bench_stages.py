"""What one article costs, stage by stage, and what it takes in the store (docs/scaling.md).

The first ``--articles`` (300) readable articles of the bench corpora (BASIL dev, ECB+, GVA) go
through the stages a local ingest runs, one article at a time on one thread (torch, BLAS), each
stage timed alone: spaCy's parse (tokenizer, tagger, parser, lemmas, entities); storydesk's
components (metadata, places, actors, quotes and speakers by the rules, amounts), and within
them coreference (timed again alone); the quote tagger (the default quote finder, on the same
docs); the parse kept for dossiers; the statement vectors (one encoder call per 64 articles, as
a batch runs); story clustering (in date order, as ingest adds); the store write (one
transaction an article, SQLite). Prints, per stage, CPU and wall milliseconds per article (mean
and median), and the store's bytes per article. CPU time is this thread's
(``time.thread_time``): on a machine shared with other work it moves less than wall time.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_stages.py [--articles 300]
"""

from __future__ import annotations

import argparse
import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from _shared import corpus_articles, require_shared
from storydesk import nlp, pipeline
from storydesk.annotate.coref import MentionIndex
from storydesk.crosscheck import vectors
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import open_store
from storydesk.stories import StoryClusterer
from storydesk.stories.title import story_title

T = TypeVar("T")
PARSE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
STAGE_NAMES = {
    "parse": "parse (spaCy: tokens, tags, dependencies, lemmas, entities)",
    "storydesk_metadata": "metadata (dateline, credits, boilerplate)",
    "storydesk_places": "places",
    "storydesk_actors": "actors (names merged within the article)",
    "storydesk_quotes": "quotes and speakers, rules and linear model (--fast)",
    "coref": "  of which: coreference (learned mentions; timed again alone)",
    "quote_tagger": "quotes, fine-tuned tagger (the default; instead of the rules)",
    "storydesk_amounts": "amounts",
    "kept_parse": "parse kept for dossiers (serialised)",
    "vectors": "statement vectors (MiniLM, 64 articles a call)",
    "clustering": "story clustering (one add, date order)",
    "store_write": "store write (one transaction, SQLite)",
}


class Timer:
    """CPU and wall seconds per stage, one entry per article."""

    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wall: dict[str, list[float]] = defaultdict(list)

    @contextmanager
    def stage(self, name: str, share: int = 1) -> Iterator[None]:
        """Times the block as ``name``; a block that serves ``share`` articles counts its time
        divided among them."""
        cpu, wall = time.thread_time(), time.perf_counter()
        yield
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        self.cpu[name] += [cpu / share] * share
        self.wall[name] += [wall / share] * share

    def add(self, name: str, cpu: float, wall: float) -> None:
        self.cpu[name].append(cpu)
        self.wall[name].append(wall)


def timed(timer: Timer, name: str, call: Callable[[], T]) -> T:
    with timer.stage(name):
        return call()


def analyse(timer: Timer, articles: list[Article]) -> list[Analysis]:
    """Each article through the pipeline a component at a time, as the local path runs it."""
    from storydesk.quotes.tagger import load_tagger

    language = nlp.load(tagger=False)
    tagging = nlp.load(tagger=True).get_pipe("storydesk_quotes")
    load_tagger().threads = 1
    out = []
    for article in articles:
        cpu, wall = time.thread_time(), time.perf_counter()
        doc = language.make_doc(article.text)
        for name, component in language.pipeline:
            if name in PARSE:
                doc = component(doc)
        timer.add("parse", time.thread_time() - cpu, time.perf_counter() - wall)
        for name, component in language.pipeline:
            if name not in PARSE:
                doc = timed(timer, name, lambda c=component, d=doc: c(d))  # type: ignore[misc]
        (parse,) = timed(timer, "kept_parse", lambda d=doc: nlp.kept_parses(language, [d]))  # type: ignore[misc]
        analysis = pipeline.to_analysis(article, doc, parse)
        timed(timer, "coref", lambda d=doc: MentionIndex(d).resolution())  # type: ignore[misc]
        # The tagger's quotes replace the rules' in the default mode: timed on a fresh copy.
        timed(timer, "quote_tagger", lambda d=doc: tagging(d.copy()))  # type: ignore[misc]
        out.append(analysis)
    for start in range(0, len(articles), pipeline.BATCH):
        items = list(zip(articles[start : start + pipeline.BATCH], out[start : start + pipeline.BATCH], strict=True))
        with timer.stage("vectors", share=len(items)):
            found = vectors.encode_statements(items)
        for (_, analysis), kept in zip(items, found, strict=True):
            analysis.vectors = kept
    return out


def table_bytes(db: Path) -> dict[str, int]:
    """Bytes of each table of the SQLite file, its indexes and full-text shadow tables counted
    with it (by the table name they start with), from SQLite's dbstat."""
    import sqlite3

    with sqlite3.connect(db) as connection:
        sizes = dict(connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall())
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        owner = dict(connection.execute("SELECT name, tbl_name FROM sqlite_master").fetchall())
    out: dict[str, int] = defaultdict(int)
    for name, size in sizes.items():
        table = owner.get(name, name)
        table = max((t for t in tables if table.startswith(t)), key=len, default=table)
        out[table] += size
    return dict(out)


def cluster_and_store(
    timer: Timer, articles: list[Article], analyses: list[Analysis], db: Path
) -> tuple[int, dict[str, int]]:
    """Clusters in date order and writes each article as ingest does; the store's bytes, all
    and by table."""
    store = open_store(f"sqlite:///{db}")
    clusterer = StoryClusterer()
    order = sorted(range(len(articles)), key=lambda i: (articles[i].date is None, articles[i].date or ""))
    for i in order:
        article, analysis = articles[i], analyses[i]
        key = article_key(article)
        story = timed(timer, "clustering", lambda: clusterer.add(key, article.text, article.title, article.date))  # noqa: B023
        timed(timer, "store_write", lambda: store.add_article(key, article, analysis, story, story_title([article])))  # noqa: B023
    store.engine.dispose()
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")), table_bytes(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles timed (300)")
    args = parser.parse_args()
    shared = require_shared()
    import torch

    torch.set_num_threads(1)
    articles = [a for a in corpus_articles(shared, args.articles) if len(a.text) < 100_000]
    # Models loaded, and each stage run once, before the clock starts.
    analyse(Timer(), articles[:2])
    load = os.getloadavg()
    timer = Timer()
    analyses = analyse(timer, articles)
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as tmp:
        size, tables = cluster_and_store(timer, articles, analyses, Path(tmp) / "store.sqlite")
    chars = statistics.mean(len(a.text) for a in articles)
    print(f"{len(articles)} articles (mean {chars:,.0f} characters), one thread; load average {load[0]:.1f} at start")
    print(f"{'stage':<66} {'CPU ms mean':>11} {'median':>7} {'wall ms':>8}")
    total = 0.0
    for name, label in STAGE_NAMES.items():
        cpu, wall = timer.cpu[name], timer.wall[name]
        if name not in ("quote_tagger", "coref"):
            total += statistics.mean(cpu)
        print(
            f"{label:<66} {1000 * statistics.mean(cpu):11.1f} {1000 * statistics.median(cpu):7.1f} "
            f"{1000 * statistics.mean(wall):8.1f}"
        )
    print(f"{'all stages, rules mode (the tagger line left out)':<66} {1000 * total:11.1f}")
    tagger = total - statistics.mean(timer.cpu["storydesk_quotes"]) + statistics.mean(timer.cpu["quote_tagger"])
    print(f"{'all stages, tagger mode (the rules line left out)':<66} {1000 * tagger:11.1f}")
    print(f"store: {size / len(articles) / 1024:.1f} KiB an article ({size / 1e6:.1f} MB for {len(articles)})")
    for table, used in sorted(tables.items(), key=lambda kv: -kv[1]):
        if used >= 0.01 * size:
            print(f"  {table:<24} {used / len(articles) / 1024:6.1f} KiB an article")


if __name__ == "__main__":
    main()
