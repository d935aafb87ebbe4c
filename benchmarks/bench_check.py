"""Claim-checking speed: pairs per second through ``claims.check_many`` (bar >= 50 pairs/s).

usage: .venv/bin/python benchmarks/bench_check.py [--pairs N]

Uses FNC-1 claim-body pairs from ../shared (news-length bodies); model loading (the claim
model, the sentence-pair and the sentence stance models, and the libraries they import) is timed
apart: a server or a batch run loads them once.
"""

from __future__ import annotations

import argparse
import time

from _shared import read_jsonl, require_shared
from storydesk.crosscheck import claims, pairs, stance


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=1000)
    args = ap.parse_args()
    base = require_shared() / "bench" / "claims-fnc1"
    bodies = {b["body_id"]: b["body"] for b in read_jsonl(base / "bodies.jsonl")}
    items = [(p["claim"], bodies[p["body_id"]]) for p in read_jsonl(base / "pairs.jsonl")[: args.pairs]]
    t = time.perf_counter()
    claims.default_model()
    pairs.model()
    stance.model()
    load = time.perf_counter() - t
    t = time.perf_counter()
    claims.check_many(items)
    dt = time.perf_counter() - t
    print(
        f"check: {len(items)} pairs in {dt:.2f} s = {len(items) / dt:.0f} pairs/s (bar >= 50); model load {load:.2f} s"
    )


if __name__ == "__main__":
    main()
