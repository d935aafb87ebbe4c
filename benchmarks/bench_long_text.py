"""One long paragraph of reported speech through ``analyze`` and ``dossier``: the time, and how
it grows when the text doubles (issue 16: 5,000 "X said" sentences, about 220 KB, in under 30 s;
every stage linear or close to it).

The paragraph is written here: sentence ``i`` is "<first> <last><i> said the plan was good
today." with names from two short lists (no copyrighted text). Each run is a new
``storydesk`` process of this checkout, timed from start to exit (model loading included):
``analyze`` in the default mode (the tagger) and with ``--fast``, ``dossier`` in rules mode (the
fuzz benchmark's setting). Run on a quiet machine: timings are wall-clock.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_long_text.py [--sentences 5000] [--skip-dossier]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _shared import CLI, ROOT

FIRST = ["Mara", "Tomas", "Ines", "Kofi", "Lena", "Ravi", "Noor", "Pavel", "Amara", "Jonas", "Yuki", "Sofia"]
LAST = ["Quill", "Ashgrove", "Okafor", "Brandt", "Lindqvist", "Mehta", "Haddad", "Novak", "Reyes", "Tanaka"]
BAR_SECONDS = 30.0


def paragraph(sentences: int) -> str:
    return " ".join(
        f"{FIRST[i % 12]} {LAST[i % 10]}{i} said the plan was {('good', 'bad')[i % 2]} today." for i in range(sentences)
    )


def timed(args: list[str], rules: bool = False) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("STORYDESK_QUOTES", None)
    if rules:
        env["STORYDESK_QUOTES"] = "rules"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CLI, *args], env=env, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=5000)
    ap.add_argument("--skip-dossier", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = []
        for n in (args.sentences // 2, args.sentences):
            path = work / f"said-{n}.jsonl"
            text = paragraph(n)
            path.write_text(json.dumps({"id": f"said-{n}", "text": text}) + "\n", encoding="utf-8")
            out = str(work / "out")
            row = {
                "sentences": n,
                "kb": len(text.encode()) / 1000,
                "analyze": timed(["analyze", str(path), "-o", out, "-j", "1"]),
                "analyze --fast": timed(["analyze", str(path), "-o", out, "-j", "1", "--fast"]),
            }
            if not args.skip_dossier:
                row["dossier (rules)"] = timed(["dossier", str(path), "-o", out], rules=True)
            rows.append(row)
            print("  " + "  ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()))
    half, full = rows
    for key in [k for k in full if k not in ("sentences", "kb")]:
        print(f"  {key:<16} x{full[key] / half[key]:.2f} for twice the text (2.0: linear; start-up included)")
    verdict = "PASS" if full["analyze"] < BAR_SECONDS else "FAIL"
    size = f"{full['sentences']} sentences ({full['kb']:.0f} KB)"
    print(f"{verdict}  analyze of {size}: {full['analyze']:.1f} s (bar < {BAR_SECONDS:.0f} s)")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
