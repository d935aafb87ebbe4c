"""Throughput of `analyze` against bare spaCy `nlp.pipe` on the same texts, side by side.

usage: .venv/bin/python benchmarks/bench_analyze.py [--repeat N] [--limit N]

Also timed: ``analyze`` with the quote speakers' coreference done by the rules alone (the
learned mention ranker of ``annotate.corefmodel`` off), for the cost of the learned coreference
(issue 17's bar: at most 25% more).

Texts: PolNeAR dev from ../shared (news articles). Both pipelines are loaded and warmed up
first; model loading is excluded. Runs alternate (bare, default, fast, bare, ...) so machine
noise hits all; the best run of each is compared. The bar: ratio analyze/bare >= 0.6, or the cost
of the better model reported as a trade-off with a faster mode that meets it: the default finds
quotes with the fine-tuned tagger, ``--fast`` (STORYDESK_QUOTES=rules) with the rules alone.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable

from _shared import read_jsonl, require_shared
from storydesk import nlp, pipeline
from storydesk.annotate.coref import MentionIndex
from storydesk.models import Article
from storydesk.quotes import extract


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    args = ap.parse_args()
    docs = read_jsonl(require_shared() / "bench" / "quotes-polnear" / "dev.jsonl")
    if args.limit:
        docs = docs[: args.limit]
    articles = [Article(id=d["id"], text=d["text"]) for d in docs]
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    base = nlp.load_base()
    list(base.pipe(texts[:5]))
    runs = {
        "bare nlp.pipe": lambda: list(base.pipe(texts)),
        "analyze": lambda: list(pipeline.analyze(articles, tagger=True)),
        "analyze --fast": lambda: list(pipeline.analyze(articles, tagger=False)),
        "analyze, rules coref": lambda: rules_coref(lambda: list(pipeline.analyze(articles, tagger=True))),
        "--fast, rules coref": lambda: rules_coref(lambda: list(pipeline.analyze(articles, tagger=False))),
    }
    for tagger in (True, False):
        list(pipeline.analyze(articles[:5], tagger=tagger))

    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):
        for name, job in runs.items():
            t = time.perf_counter()
            job()
            best[name] = min(best[name], time.perf_counter() - t)

    print(f"{len(texts)} articles, {words} words, best of {args.repeat}, one process")
    for name, secs in best.items():
        print(f"  {name:20} {secs:7.2f} s  {words / secs:8.0f} words/s")
    for name, rules in (("analyze", "analyze, rules coref"), ("analyze --fast", "--fast, rules coref")):
        cost = best[name] / best[rules] - 1
        print(f"  learned coreference adds {cost:+.0%} to {name}  (bar <= +25%: {'ok' if cost <= 0.25 else 'SHORT'})")
    for name in ("analyze", "analyze --fast"):
        ratio = best["bare nlp.pipe"] / best[name]
        print(f"  ratio {name}/bare throughput: {ratio:.2f}  (bar >= 0.60: {'ok' if ratio >= 0.6 else 'SHORT'})")


def rules_coref(job: Callable[[], object]) -> object:
    """``job`` run with the quote extractor's coreference by the rules alone."""
    learned = extract.MentionIndex
    extract.MentionIndex = functools.partial(MentionIndex, learned=False)  # type: ignore[misc,assignment]
    try:
        return job()
    finally:
        extract.MentionIndex = learned  # type: ignore[misc]


if __name__ == "__main__":
    main()
