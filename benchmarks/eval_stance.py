#!/usr/bin/env python3
"""Sentence stance on GWSD through storydesk.crosscheck.stance, scored with ../shared/eval/score_stance.py
(neutral is sent as "discuss", as `storydesk check` writes it).

usage: .venv/bin/python benchmarks/eval_stance.py [--cv] [GOLD.jsonl]

Default: the shipped model on GOLD (GWSD train by default: in-sample, so optimistic).
--cv: stratified 5-fold cross-validation on GOLD, each fold's model trained as
scripts/train_stance.py trains the shipped one: the honest figure for unseen sentences.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

from _shared import read_jsonl, require_shared
from storydesk.crosscheck import stance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from train_stance import cross_validate

TO_CHECK = {"agree": "agree", "disagree": "disagree", "neutral": "discuss"}
BATCH = 64


def predict(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for i in range(0, len(rows), BATCH):
        chunk = rows[i : i + BATCH]
        best = stance.probabilities([r["text"] for r in chunk]).argmax(1).tolist()
        out += [{"id": r["id"], "stance": TO_CHECK[stance.LABELS[b]]} for r, b in zip(chunk, best, strict=True)]
    return out


def cross_validated(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    probs, scores = cross_validate(rows)
    print(f"per fold macro-F1 {[round(s, 3) for s in scores]}: mean {np.mean(scores):.3f} ± {np.std(scores):.3f}")
    best = probs.argmax(1).tolist()
    return [{"id": r["id"], "stance": TO_CHECK[stance.LABELS[b]]} for r, b in zip(rows, best, strict=True)]


def main(argv: list[str]) -> None:
    shared = require_shared()
    sys.path.insert(0, str(shared / "eval"))
    from score_stance import score

    args = [a for a in argv[1:] if not a.startswith("--")]
    gold = read_jsonl(Path(args[0]) if args else shared / "bench/stance-gwsd/train.jsonl")
    preds = cross_validated(gold) if "--cv" in argv else predict(gold)
    res = score(gold, preds)
    kind = "5-fold CV" if "--cv" in argv else "shipped model"
    print(f"stance ({kind}, {res['items']} sentences): macro-F1 {res['macro_f1']:.3f}, accuracy {res['accuracy']:.3f}")
    print(f"  per label F1 {res['f1']}")


if __name__ == "__main__":
    main(sys.argv)
