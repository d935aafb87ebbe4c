"""Web app latency over a store of 10,000 synthetic articles (2,000 stories of 5), under 20
concurrent clients on loopback, for every page kind a user hits: the stories list, a filtered
list, a full-text search (the stories list's, the search page's, the search API's), a story
page, an actor page and a story's JSON dossier.

The articles and their analyses are generated here (no spaCy) and written with the store's own
``add_article``, so the full-text and actor indexes are filled as in use. The app runs under
uvicorn; ``hey`` (Debian package ``hey``) sends requests from 20 concurrent clients to each
endpoint for a fixed time, and p50/p95/p99 are printed beside the 100 ms target. The first
views of distinct stories (their dossiers built) are timed with one client, then again in a
restarted server, where they are read from the store.

Given ``--baseline-src`` (the root of another storydesk checkout, e.g. ``git archive`` of an
older commit), that version serves the same synthetic store (built by it, in its schema) in
turn with this one, endpoint by endpoint and round by round, so both see the same machine load.

    .venv/bin/python benchmarks/bench_web.py [--workers 2] [--rounds 3] [--seconds 5]
        [--db PATH] [--baseline-src DIR --baseline-db PATH]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from storydesk.models import ActorRef, Analysis, Article, Quote, Speaker
from storydesk.store import open_store

PER_STORY = 5
CONCURRENCY = 20
TARGET_P95_MS = 100.0
COLD_STORIES = 20
WORDS = [
    *("council", "budget", "river", "bridge", "harbour", "school", "hospital", "election", "minister", "union"),
    *("strike", "court", "ruling", "police", "report", "market", "price", "energy", "grid", "water"),
    *("transport", "rail", "airport", "festival", "museum", "storm", "flood"),
]
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJ"]
PEOPLE = [f"{first} {last}" for first in ("Ana", "Ben", "Chloe", "Dev", "Eli") for last in ("Moss", "Reyes", "Kato")]
# Each page kind and the request that stands for it. The second search matches most synthetic
# articles (a 27-word vocabulary): the worst case for the full-text index.
ENDPOINTS = {
    "stories list": "/",
    "list, filtered": "/?outlet=Outlet+C&actor=Ben+Kato&since=2024-03-01&until=2024-09-30",
    "search, 1 match": "/?q=harbour+4242",
    "search, 90% match": "/?q=harbour+bridge",
    "search page, 90% match": "/search?q=harbour+bridge",
    "search API, OR -word": "/api/search?q=harbour+OR+flood+-storm",
    "story page": "/stories/story-00042",
    "actor page": "/actor?name=Ana+Moss",
    "story API (JSON)": "/api/stories/story-00042",
}


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
    print(f"stored {articles} articles in {time.perf_counter() - started:.1f} s", flush=True)


def _env(src: Path | None) -> dict[str, str]:
    """The environment that runs storydesk from ``src`` (a checkout's root; None: this one)."""
    root = src or Path(__file__).resolve().parents[1]
    return {**os.environ, "PYTHONPATH": str(root / "src")}


def ensure_store(path: Path, articles: int, src: Path | None) -> str:
    """The store at ``path``, built (by the storydesk of ``src``) when absent."""
    url = f"sqlite:///{path}"
    if not path.exists():
        code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_web; "
        code += f"bench_web.build_store({url!r}, {articles})"
        subprocess.run([sys.executable, "-c", code], env=_env(src), check=True)
    return url


def forget_dossiers(url: str) -> None:
    """Drops the dossiers a store keeps (if its version keeps any), so first views build them."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'dossiers'").fetchone():
            db.execute("DELETE FROM dossiers")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    url: str  # the store
    src: Path | None
    workers: int
    process: subprocess.Popen[bytes] | None = None
    base: str = ""

    def start(self) -> None:
        port = free_port()
        code = f"from storydesk.web import serve; serve({self.url!r}, '127.0.0.1', {port}, None, {self.workers})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], env=_env(self.src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300  # each worker imports spaCy: slow on a busy machine
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.base}/api/stories?limit=1", timeout=5).raise_for_status()
                return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the {self.name} server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@dataclass
class Latency:
    p50: float  # ms
    p95: float
    p99: float
    rps: float


def hey(url: str, seconds: float) -> Latency:
    """Latencies of GETs of ``url`` from 20 concurrent clients for ``seconds``."""
    out = subprocess.run(
        ["hey", "-z", f"{seconds}s", "-c", str(CONCURRENCY), "-t", "60", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # with few requests (a slow endpoint) hey leaves out the percentiles it cannot tell apart
    slowest = re.search(r"Slowest:\s+([\d.]+) secs", out)
    found = {p: re.search(rf"\b{p}% in ([\d.]+) secs", out) or slowest for p in (50, 95, 99)}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    codes = re.search(r"Status code distribution:\n((?:\s+\[\d+\].*\n)+)", out)
    # hey stops at the deadline: requests then in flight may end as errors; others may not
    errors = re.search(r"Error distribution:\n((?:\s+\[\d+\].*\n?)+)", out)
    unexpected = errors and any("deadline" not in e and "canceled" not in e for e in errors.group(1).splitlines())
    if (
        not all(found.values())
        or not rps
        or not codes
        or codes.group(1).count("[") != 1
        or "[200]" not in codes.group(1)
    ):
        raise SystemExit(f"unexpected hey output for {url}:\n{out}")
    if unexpected:
        raise SystemExit(f"failed requests for {url}:\n{out}")
    p50, p95, p99 = (float(m.group(1)) * 1000 for m in found.values() if m)
    return Latency(p50, p95, p99, float(rps.group(1)))


def first_views(base: str, count: int, first: int) -> list[float]:
    """Latencies (ms) of the first view of ``count`` distinct story pages, one client."""
    times = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for n in range(first, first + count):
            started = time.perf_counter()
            client.get(f"/stories/story-{n:05d}").raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        names = [line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def _stats(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return f"median {statistics.median(times):7.1f} ms, p95 {p95:7.1f} ms"


def measure_first_views(servers: list[Server], count: int, stories: int) -> None:
    first = max(0, min(100, stories - count))  # stories the load test leaves alone
    print(f"\nstory page, first views of {count} stories (1 client):")
    for server in servers:
        forget_dossiers(server.url)
        server.start()
        try:
            built = first_views(server.base, count, first)
        finally:
            server.stop()
        server.start()  # a new process: whatever it kept in memory is gone
        try:
            again = first_views(server.base, count, first)
        finally:
            server.stop()
        print(f"  {server.name:9} dossier built:               {_stats(built)}")
        print(f"  {server.name:9} same stories, new process:   {_stats(again)}")


def measure_load(servers: list[Server], rounds: int, seconds: float) -> dict[tuple[str, str], list[Latency]]:
    results: dict[tuple[str, str], list[Latency]] = {}
    for server in servers:
        server.start()
    try:
        for server in servers:  # every page viewed once: the timed requests are not first views
            for path in ENDPOINTS.values():
                httpx.get(server.base + path, timeout=600).raise_for_status()
        for r in range(rounds):
            print(f"  round {r + 1}/{rounds}, load average {load()}", flush=True)
            for kind, path in ENDPOINTS.items():
                for server in servers:
                    results.setdefault((kind, server.name), []).append(hey(server.base + path, seconds))
    finally:
        for server in servers:
            server.stop()
    return results


def report(results: dict[tuple[str, str], list[Latency]], servers: list[Server]) -> None:
    print(f"\n{'page':18} {'version':9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}  p95 per round (ms)")
    for kind in ENDPOINTS:
        for server in servers:
            runs = results[(kind, server.name)]
            p50, p95, p99, rps = (statistics.median(getattr(x, f) for x in runs) for f in ("p50", "p95", "p99", "rps"))
            rounds = " / ".join(f"{x.p95:.0f}" for x in runs)
            verdict = "ok" if p95 <= TARGET_P95_MS else "over"
            print(f"{kind:18} {server.name:9} {p50:8.1f} {p95:8.1f} {p99:8.1f} {rps:7.0f}  {rounds}  {verdict}")
    print(f"(medians over rounds; target p95 <= {TARGET_P95_MS:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--rounds", type=int, default=3, help="times each endpoint is measured")
    parser.add_argument("--seconds", type=float, default=5.0, help="load per endpoint per round")
    parser.add_argument("--cold", type=int, default=COLD_STORIES, help="stories viewed for the first time")
    parser.add_argument("--db", type=Path, help="keep the generated store here (default: a temporary folder)")
    parser.add_argument("--baseline-src", type=Path, help="root of another storydesk checkout to compare with")
    parser.add_argument("--baseline-db", type=Path, help="keep the baseline's store here")
    parser.add_argument("--build-only", action="store_true", help="build the store(s) and stop")
    args = parser.parse_args()
    if shutil.which("hey") is None:
        print("skipped: the load generator 'hey' is not installed (apt-get install hey)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        servers = []
        if args.baseline_src:
            path = args.baseline_db or Path(tmp) / "baseline.sqlite"
            servers.append(
                Server(
                    "baseline", ensure_store(path, args.articles, args.baseline_src), args.baseline_src, args.workers
                )
            )
        url = ensure_store(args.db or Path(tmp) / "bench.sqlite", args.articles, None)
        servers.append(Server("this", url, None, args.workers))
        if args.build_only:
            return
        print(f"machine: {machine()}; load average {load()}")
        print(
            f"server: uvicorn, {args.workers} worker process(es), loopback; hey: {CONCURRENCY} concurrent clients, "
            f"{args.seconds:.0f} s per endpoint per round, {args.rounds} rounds; {args.articles} articles"
        )
        measure_first_views(servers, args.cold, args.articles // PER_STORY)
        print(f"\nunder load (load average {load()}):")
        results = measure_load(servers, args.rounds, args.seconds)
        report(results, servers)
        print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
