"""Claim checking on FNC-1 (the scoreboard's `claims` section), without the CLI.

usage: .venv/bin/python benchmarks/eval_claims.py [--limit N]

Runs ``claims.check_many`` on the claim-body pairs of ../shared/bench/claims-fnc1 and scores the
stances with ../shared/eval/score_claims.py. The shipped model was trained on these pairs, so this
figure is in-sample; the honest estimate is the grouped cross-validation that
scripts/train_claims.py prints. Bars: FNC score >= 0.80, macro-F1 >= 0.55.
"""

from __future__ import annotations

import argparse
import sys
import time

from _shared import read_jsonl, require_shared
from storydesk.crosscheck import claims


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    shared = require_shared()
    sys.path.insert(0, str(shared / "eval"))
    import score_claims  # the scorer's own code, read at run time

    base = shared / "bench" / "claims-fnc1"
    bodies = {b["body_id"]: b["body"] for b in read_jsonl(base / "bodies.jsonl")}
    pairs = read_jsonl(base / "pairs.jsonl")[: args.limit]
    t = time.perf_counter()
    results = claims.check_many([(p["claim"], bodies[p["body_id"]]) for p in pairs])
    dt = time.perf_counter() - t
    preds = [{"id": p["id"], "stance": r.stance} for p, r in zip(pairs, results, strict=True)]
    res = score_claims.score(pairs, preds)
    print(
        f"fnc1 (in-sample): FNC score {res['fnc_score']:.3f} (bar 0.80), macro-F1 {res['macro_f1']:.3f} (bar 0.55) "
        f"{res['f1']}; {len(pairs)} pairs in {dt:.1f} s ({len(pairs) / dt:.0f} pairs/s)"
    )


if __name__ == "__main__":
    main()
