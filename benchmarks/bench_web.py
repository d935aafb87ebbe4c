"""Web app latency over a store of 10,000 synthetic articles (2,000 stories of 5).

The articles and their analyses are generated here (no spaCy) and written with the store's own
``add_article``, so the full-text index is filled as in use. The app runs under uvicorn on
loopback; ``hey`` (Debian package ``hey``) sends a bounded number of requests from 20
concurrent clients to each endpoint and the p95 latencies are printed beside the 100 ms
target. First (cold) views of distinct stories are timed separately with one client.

    .venv/bin/python benchmarks/bench_web.py [--articles 10000] [--requests 2000] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from storydesk.models import ActorRef, Analysis, Article, Quote, Speaker
from storydesk.store import open_store

PER_STORY = 5
CONCURRENCY = 20
TARGET_P95_MS = 100.0
WORDS = [
    *("council", "budget", "river", "bridge", "harbour", "school", "hospital", "election", "minister", "union"),
    *("strike", "court", "ruling", "police", "report", "market", "price", "energy", "grid", "water"),
    *("transport", "rail", "airport", "festival", "museum", "storm", "flood"),
]
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJ"]
PEOPLE = [f"{first} {last}" for first in ("Ana", "Ben", "Chloe", "Dev", "Eli") for last in ("Moss", "Reyes", "Kato")]


def synthetic(n: int, rng: random.Random) -> tuple[Article, Analysis]:
    """Article ``n``: ten sentences of generated words, two quotes, two actors."""
    speaker, other = rng.sample(PEOPLE, 2)
    sentences = [" ".join(rng.choices(WORDS, k=14)).capitalize() + "." for _ in range(10)]
    words = " ".join(rng.choices(WORDS, k=10))
    said = f'"{words}," said {speaker}.'
    reported = f"{other} said the {rng.choice(WORDS)} plan would go ahead."
    text = " ".join(sentences[:4]) + "\n\n" + said + " " + " ".join(sentences[4:]) + "\n\n" + reported
    first = text.index(said) + 1  # after the opening quotation mark
    second = text.index(reported)
    article = Article(
        id=f"synthetic/{n:05d}.txt",
        text=text,
        title=f"{' '.join(rng.choices(WORDS, k=6)).capitalize()} ({n})",
        source=OUTLETS[n % len(OUTLETS)],
        date=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
    )
    quotes = [
        Quote(text=words, span=(first, first + len(words)), kind="direct", speaker=Speaker(name=speaker)),
        Quote(text=reported, span=(second, second + len(reported)), kind="indirect", speaker=Speaker(name=other)),
    ]
    actors = [ActorRef(name=speaker, kind="person"), ActorRef(name=other, kind="person")]
    analysis = Analysis(
        id=article.id, outlet=article.source, title=article.title, published=article.date, quotes=quotes, actors=actors
    )
    return article, analysis


def build_store(url: str, articles: int) -> None:
    store = open_store(url)
    rng = random.Random(7)
    started = time.perf_counter()
    for n in range(articles):
        article, analysis = synthetic(n, rng)
        store.add_article(f"k{n:05d}", article, analysis, f"story-{n // PER_STORY:05d}", article.title)
    store.close()
    print(f"stored {articles} articles in {time.perf_counter() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(url: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    code = f"from storydesk.web import serve; serve({url!r}, '127.0.0.1', {port}, None, workers={workers})"
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def hey_p95(url: str, requests: int) -> tuple[float, float]:
    """p95 latency (ms) and requests per second of ``requests`` GETs from 20 concurrent clients."""
    out = subprocess.run(
        ["hey", "-n", str(requests), "-c", str(CONCURRENCY), "-t", "20", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    p95 = re.search(r"95% in ([\d.]+) secs", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Status code distribution:\n((?:\s+\[\d+\].*\n)+)", out)
    if not p95 or not rps or not errors or "[200]" not in errors.group(1) or errors.group(1).count("[") != 1:
        raise SystemExit(f"unexpected hey output for {url}:\n{out}")
    return float(p95.group(1)) * 1000, float(rps.group(1))


def cold_views(base: str, stories: int) -> list[float]:
    """Latencies (ms) of the first view of ``stories`` distinct story pages, one client."""
    times = []
    with httpx.Client(base_url=base) as client:
        for n in range(100, 100 + stories):
            started = time.perf_counter()
            client.get(f"/stories/story-{n:05d}").raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--db", type=Path, help="keep the generated store here (default: a temporary folder)")
    args = parser.parse_args()
    if shutil.which("hey") is None:
        print("skipped: the load generator 'hey' is not installed (apt-get install hey)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.sqlite"
        url = f"sqlite:///{path}"
        if not path.exists():
            build_store(url, args.articles)
        port = free_port()
        server = start_server(url, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            cold = cold_views(base, 100)
            median, p95 = statistics.median(cold), statistics.quantiles(cold, n=20)[-1]
            print(f"story page, first view (100 stories, 1 client): median {median:.1f} ms, p95 {p95:.1f} ms")
            # the targets' endpoints get every request; the others a tenth (the actor page and a
            # search matching every synthetic article are slow, and the run must stay bounded)
            endpoints = {
                "story page": ("/stories/story-00042", args.requests),
                "story API (JSON dossier)": ("/api/stories/story-00042", args.requests),
                "stories list": ("/", args.requests // 10),
                "search (FTS5)": ("/?q=harbour+bridge", args.requests // 10),
                "actor page": ("/actor?name=Ana+Moss", args.requests // 10),
            }
            print(f"{'endpoint':28} {'p95 ms':>8} {'req/s':>8}  target p95 <= {TARGET_P95_MS:.0f} ms")
            for name, (path_, requests) in endpoints.items():
                httpx.get(base + path_, timeout=60).raise_for_status()  # first views are timed above
                p95, rps = hey_p95(base + path_, max(requests, CONCURRENCY))
                verdict = "ok" if p95 <= TARGET_P95_MS else "over"
                print(f"{name:28} {p95:8.1f} {rps:8.1f}  {verdict}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
