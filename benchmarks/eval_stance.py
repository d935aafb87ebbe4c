#!/usr/bin/env python3
"""Sentence stance on GWSD through storydesk.stance.sentence_stance, scored with
../shared/eval/score_stance.py (neutral is sent as "discuss", as `storydesk check` writes it).

usage: .venv/bin/python benchmarks/eval_stance.py [--cv] [GOLD.jsonl]

Default: the shipped model on GOLD (GWSD train by default: in-sample, so optimistic).
--cv: 5-fold cross-validation on GOLD, each fold's model trained as scripts/train_stance.py
trains the shipped one: the honest figure for unseen sentences.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sklearn.model_selection import StratifiedKFold

from _shared import read_jsonl, require_shared
from storydesk import stance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from train_stance import pipeline

TO_CHECK = {"agree": "agree", "disagree": "disagree", "neutral": "discuss"}


def predict(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"id": r["id"], "stance": TO_CHECK[stance.sentence_stance(r["claim"], r["text"])[0]]} for r in rows]


def cross_validated(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    preds: list[dict[str, str]] = []
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    labels = [r["label"] for r in rows]
    shipped = stance.model
    try:
        for train, test in folds.split(rows, labels):
            fold_model = pipeline().fit([rows[i]["text"] for i in train], [labels[i] for i in train])
            stance.model = lambda m=fold_model: m  # type: ignore[misc]
            preds += predict([rows[i] for i in test])
    finally:
        stance.model = shipped  # type: ignore[misc]
    return preds


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
