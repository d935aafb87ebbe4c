"""Two ``storydesk ingest`` processes writing one new SQLite store at once (issue 16's bar).

Writes two JSONL files of ``--articles`` (300) short, distinct articles each, generated here,
then:

1. both files ingested at once, by two ``storydesk ingest`` processes, into one new store;
2. the same into another new store, but one process is killed with SIGKILL (with its worker
   processes) once ``--kill-after`` of its articles (50) are stored, and then run again to the end.

After each, prints the exit codes, the time taken, the articles stored (expected: every one,
once), articles without a story or in two, and SQLite's integrity check; any traceback's last
lines or error lines. The bar: both exit 0 (1 is allowed only for bad items, and there are none
here), 600 stored, no duplicates. Exits 1 when a bar is missed. Quotes are found with the rules (faster).

    PYTHONPATH=src .venv/bin/python benchmarks/two_writers.py [--articles 300] [--kill-after 50]
        [--processes 0] [--timeout 600] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _shared import start_storydesk

PLACES = ["Brenmoor", "Castleford", "Port Aven", "Lakemere", "Dunhill", "Westbridge", "Harrowgate", "Kilnsea"]
NAMES = ["Mara Quill", "Tomas Ashgrove", "Ines Okafor", "Kofi Brandt", "Lena Mehta", "Ravi Novak", "Noor Reyes"]
THINGS = ["a new bridge", "bus fares", "the library", "a harbour wall", "school meals", "street lights"]


def articles(prefix: str, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Short articles, each with a serial of its own (so no two texts are alike)."""
    rows = []
    for n in range(count):
        place, name, thing = rng.choice(PLACES), rng.choice(NAMES), rng.choice(THINGS)
        text = (
            f"The council of {place} voted on {thing} on Monday, meeting number {prefix}{n}. "
            f'"We will spend {rng.randrange(2, 900)} thousand pounds on it," said {name}. '
            f"Critics said the vote came too late for {rng.randrange(10, 5000)} residents."
        )
        rows.append({"id": f"{prefix}-{n:04d}", "text": text, "date": f"2024-{rng.randrange(1, 13):02d}-10"})
    return rows


@dataclass
class Writer:
    name: str
    inputs: Path
    db: Path
    processes: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    rc: int | None = None
    seconds: float = 0.0
    stderr: str = ""

    def start(self) -> None:
        args = ["ingest", str(self.inputs), "--db", str(self.db), "--processes", str(self.processes)]
        self.started = time.perf_counter()
        # a kill -9 of its group reaches its worker processes too, as a crash of the machine would
        self.process = start_storydesk(args)

    def wait(self, timeout: float) -> None:
        assert self.process is not None
        try:
            _, err = self.process.communicate(timeout=timeout)
            self.rc = self.process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            _, err = self.process.communicate()
            self.rc = None
        self.seconds = time.perf_counter() - self.started
        self.stderr = err.decode("utf-8", "replace")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.wait(60)

    def line(self) -> str:
        rc = "timeout" if self.rc is None else str(self.rc)
        summary = [ln for ln in self.stderr.splitlines() if "added to" in ln]
        return f"{self.name}: exit {rc} in {self.seconds:.1f} s" + (f"; {summary[-1].strip()}" if summary else "")


def stored_count(db: Path, prefix: str = "") -> int:
    """Articles stored in ``db`` (those whose input id starts with ``prefix``)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            query = "SELECT count(*) FROM articles WHERE input_id LIKE ?"
            return int(con.execute(query, (prefix + "%",)).fetchone()[0])
    except sqlite3.Error:
        return 0  # not created or not migrated yet, or locked for the moment


@dataclass
class Tally:
    stored: int
    distinct_ids: int
    expected_missing: int
    no_story: int
    two_stories: int
    integrity: str


def tally(db: Path, expected: set[str]) -> Tally:
    with sqlite3.connect(db) as con:
        ids = [r[0] for r in con.execute("SELECT input_id FROM articles")]
        no_story = con.execute(
            "SELECT count(*) FROM articles WHERE key NOT IN (SELECT article_key FROM story_articles)"
        ).fetchone()[0]
        two = con.execute(
            "SELECT count(*) FROM (SELECT article_key FROM story_articles GROUP BY article_key HAVING count(*) > 1)"
        ).fetchone()[0]
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    return Tally(len(ids), len(set(ids)), len(expected - set(ids)), no_story, two, integrity)


def report(label: str, writers: list[Writer], db: Path, expected: set[str], seconds: float) -> bool:
    """Prints one phase's figures; True when it met the bar."""
    print(f"\n{label} ({seconds:.1f} s in all)")
    ok = True
    for w in writers:
        print(f"  {w.line()}")
        if w.rc != 0 or "Traceback" in w.stderr:  # no bad items here: anything but 0 is a failure
            ok = False
            lines = [ln for ln in w.stderr.strip().splitlines() if ln.strip()]
            # what went wrong: the error line and the exception's own line (SQLAlchemy puts it apart)
            first = [ln for ln in lines if ln.startswith(("error", "Traceback"))][:1]
            first += [ln for ln in lines if re.match(r"\(\w+\.\w*Error\)", ln.strip())][:1]
            for ln in first + lines[-4:]:
                print(f"    | {ascii(ln)[1:-1][:200]}")
    t = tally(db, expected)
    print(
        f"  stored {t.stored} articles ({t.distinct_ids} distinct ids; expected {len(expected)}, "
        f"{t.expected_missing} missing); without a story {t.no_story}, in two stories {t.two_stories}; "
        f"integrity {t.integrity}"
    )
    ok = ok and t.stored == len(expected) == t.distinct_ids and not t.expected_missing
    ok = ok and not t.no_story and not t.two_stories and t.integrity == "ok"
    print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles per writer")
    parser.add_argument("--kill-after", type=int, default=50, help="stored articles before the kill -9")
    parser.add_argument("--processes", type=int, default=0, help="each ingest's -j (0: its own choice)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds an ingest may run")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--keep", type=Path, help="write the inputs and stores here and keep them")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storydesk-writers-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    try:
        files = {}
        expected: set[str] = set()
        for prefix in ("A", "B"):
            rows = articles(prefix, args.articles, rng)
            files[prefix] = work / f"{prefix}.jsonl"
            files[prefix].write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            expected |= {r["id"] for r in rows}
        print(f"two writers of {args.articles} articles each; inputs and stores in {work}", flush=True)

        db = work / "both.sqlite"
        writers = [Writer(p, files[p], db, args.processes) for p in ("A", "B")]
        started = time.perf_counter()
        for w in writers:
            w.start()
        for w in writers:
            w.wait(args.timeout)
        ok = report("two writers at once", writers, db, expected, time.perf_counter() - started)

        db = work / "killed.sqlite"
        writers = [Writer(p, files[p], db, args.processes) for p in ("A", "B")]
        started = time.perf_counter()
        for w in writers:
            w.start()
        victim = writers[0]
        assert victim.process is not None
        # the victim's own articles: killed with some of its batch stored and the rest not
        while stored_count(db, "A-") < args.kill_after and victim.process.poll() is None:
            if time.perf_counter() - started > args.timeout:
                break
            time.sleep(0.2)
        at = stored_count(db, "A-")
        victim.kill()
        print(f"\nkilled writer A (kill -9) at {time.perf_counter() - started:.1f} s with {at} of its articles stored")
        writers[1].wait(args.timeout)
        rerun = Writer("A again", files["A"], db, args.processes)
        rerun.start()
        rerun.wait(args.timeout)
        writers.append(rerun)
        label = "kill -9 of one writer, then a re-run"
        ok = report(label, writers[1:], db, expected, time.perf_counter() - started) and ok
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
