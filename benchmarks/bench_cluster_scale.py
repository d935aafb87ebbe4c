"""Story clustering at scale: speed, growth and peak memory on stories-gva grown by replication.

usage: .venv/bin/python benchmarks/bench_cluster_scale.py [--sizes 25000,50000,100000]

Replica r of each gva article gets its own id, every capitalised word marked with r (other
names and places: other events), one word in ten dropped at random, and its date moved by r
times the span of gva's dates, so the stream keeps gva's rate of articles per day and the
replicas are stories of their own. Each size runs in a fresh process (``--one N``), timing
``StoryClusterer.cluster`` alone (stream and revisit; reading and replicating excluded) and
reading the peak resident memory of the process.

Bars: >= 1,000 articles/s on the 5,917 gva articles (2 cores), time for 2x the articles <= 2.3x,
peak memory at 100k articles <= 2 GB.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

from _shared import read_jsonl, require_shared
from storydesk.models import Article
from storydesk.stories.cluster import StoryClusterer

_CAPITALISED = re.compile(r"\b([A-Z][a-z]+)\b")


def _replicas(base: list[Article], n: int) -> list[Article]:
    dates = sorted(date.fromisoformat(a.date[:10]) for a in base if a.date)
    span = (dates[-1] - dates[0]).days + 1
    rng = random.Random(n)
    out = list(base[:n])
    r = 0
    while len(out) < n:
        r += 1
        for a in base[: n - len(out)]:
            words = [w for w in _CAPITALISED.sub(rf"\g<1>{r}", a.text).split() if rng.random() >= 0.1]
            when = (date.fromisoformat(a.date[:10]) + timedelta(days=r * span)).isoformat() if a.date else None
            out.append(Article(id=f"{a.id}#{r}", text=" ".join(words), title=a.title, date=when))
    return out


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _one(n: int) -> None:
    rows = read_jsonl(require_shared() / "bench" / "stories-gva" / "articles.jsonl")
    base = [Article(id=r["id"], text=r["text"], title=r.get("title"), date=r.get("date")) for r in rows]
    articles = _replicas(base, n)
    clusterer = StoryClusterer()
    before = _peak_mib()
    start = time.perf_counter()
    cpu = time.process_time()
    result = clusterer.cluster(articles)
    secs, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{n} {secs:.2f} {cpu:.2f} {len(set(result.values()))} {before:.0f} {_peak_mib():.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5917,25000,50000,100000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    require_shared()
    if args.one:
        _one(args.one)
        return
    previous: tuple[int, float] | None = None
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True
        ).stdout.split()
        size, secs, cpu, stories, before, peak = int(out[0]), float(out[1]), float(out[2]), out[3], out[4], out[5]
        growth = ""
        if previous and size == 2 * previous[0]:
            growth = f"  {secs / previous[1]:.2f}x the time of {previous[0]}"
        print(
            f"{size:7d} articles: {size / secs:6.0f} articles/s ({size / cpu:.0f} per CPU second), "
            f"{stories} stories, peak memory {peak} MiB (before clustering {before}){growth}",
            flush=True,
        )
        previous = (size, secs)


if __name__ == "__main__":
    main()
