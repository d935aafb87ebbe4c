"""Story clustering quality (B-cubed) and speed on the story benchmarks from ../shared.

usage: .venv/bin/python benchmarks/bench_cluster.py [--threshold T] [--names-weight W] ... [--only NAME]

Each corpus is clustered by one fresh StoryClusterer (articles streamed in date order, then
revisited, as `storydesk cluster` does) and scored with ``bcubed`` from
../shared/eval/score_stories.py. Bars: stories-basil-dev F1 >= 0.97, stories-ecbplus >= 0.92,
stories-gva >= 0.85 (noisy labels); speed >= 1,000 articles/s on gva (2 cores). Speed is shown
per wall-clock second and per CPU second (the second is steadier on a shared machine).

ecbplus-train (no bar; a check that a change carries over to other articles) is built at run
time from the ECB+ train topics of ../shared/bench/facts-ecbplus/documents.jsonl: each
document's text rebuilt from its tokens as ../shared/eval/score_facts.py does (no title, no
date), its story the ECB+ subtopic.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from _shared import read_jsonl, require_shared
from storydesk.models import Article
from storydesk.stories import cluster as stories

CORPORA: dict[str, float | None] = {
    "stories-basil-dev": 0.97,
    "stories-ecbplus": 0.92,
    "stories-gva": 0.85,
    "ecbplus-train": None,
}


def _rows(shared: Path, name: str) -> list[dict[str, Any]]:
    """The articles of a corpus: ``{"id", "text", "title", "date", "story_id"}``."""
    if name != "ecbplus-train":
        return read_jsonl(shared / "bench" / name / "articles.jsonl")
    from score_facts import rebuild  # the scorer's own code, read at run time

    docs = read_jsonl(shared / "bench" / "facts-ecbplus" / "documents.jsonl")
    return [
        {"id": d["doc_id"], "text": rebuild(d)[0], "story_id": d["subtopic"]} for d in docs if d["split"] == "train"
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threshold", type=float, default=stories.THRESHOLD)
    ap.add_argument("--window", type=float, default=stories.WINDOW_DAYS, help="days")
    ap.add_argument("--title-weight", type=float, default=stories.TITLE_WEIGHT)
    ap.add_argument("--names-weight", type=float, default=stories.NAMES_WEIGHT)
    ap.add_argument("--far-threshold", type=float, default=stories.FAR_THRESHOLD)
    ap.add_argument("--horizon", type=float, default=stories.HORIZON_DAYS, help="days")
    ap.add_argument("--numbers-weight", type=float, default=stories.NUMBERS_WEIGHT)
    ap.add_argument("--move-margin", type=float, default=stories.MOVE_MARGIN)
    ap.add_argument("--split-ratio", type=float, default=stories.SPLIT_RATIO, help="0: never split")
    ap.add_argument(
        "--split-numbers", type=float, default=stories.SPLIT_NUMBERS, help="1: figures never keep a story whole"
    )
    ap.add_argument("--only", choices=sorted(CORPORA), action="append", help="only these corpora")
    args = ap.parse_args()
    shared = require_shared()
    sys.path.insert(0, str(shared / "eval"))
    from score_stories import bcubed  # the scorer's own code, read at run time

    failed = False
    for name, bar in CORPORA.items():
        if args.only and name not in args.only:
            continue
        rows = _rows(shared, name)
        articles = [
            Article(id=r["id"], text=r["text"], title=r.get("title"), date=r.get("date"), source=r.get("source"))
            for r in rows
        ]
        clusterer = stories.StoryClusterer(
            args.threshold,
            args.window,
            args.title_weight,
            args.names_weight,
            args.far_threshold,
            args.horizon,
            args.numbers_weight,
            args.move_margin,
            args.split_ratio,
            args.split_numbers,
        )
        start, cpu = time.perf_counter(), time.process_time()
        pred = clusterer.cluster(articles)
        secs, cpu = time.perf_counter() - start, time.process_time() - cpu
        gold = {r["id"]: r["story_id"] for r in rows}
        p, r = bcubed(gold, pred)
        f = 2 * p * r / (p + r) if p + r else 0.0
        verdict = "" if bar is None else ("  ok" if f >= bar else f"  BELOW BAR {bar}")
        failed |= bar is not None and f < bar
        print(
            f"{name:18} B3 P {p:.3f} R {r:.3f} F1 {f:.3f}  stories {len(set(pred.values())):5d}"
            f" (gold {len(set(gold.values())):5d})  {len(rows) / secs:5.0f} articles/s"
            f" ({len(rows) / cpu:.0f} per CPU second){verdict}"
        )
    print(
        f"threshold {args.threshold}, window {args.window} days, title weight {args.title_weight}, "
        f"names weight {args.names_weight}, numbers weight {args.numbers_weight}, move margin {args.move_margin}, "
        f"split ratio {args.split_ratio}, split unless numbers agree {args.split_numbers}, "
        f"beyond the window threshold {args.far_threshold} up to {args.horizon} days"
    )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
