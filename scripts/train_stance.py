#!/usr/bin/env python3
"""Trains the sentence stance model on GWSD train and ships it to src/storydesk/data/stance/.

usage: scripts/train_stance.py [--cv]     (--cv: print the 5-fold cross-validated macro-F1 first)

Reproducible: fixed folds and a deterministic solver. GWSD's text is not shipped, only weights.
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_union

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "bench" / "stance-gwsd" / "train.jsonl"
OUT = ROOT / "src" / "storydesk" / "data" / "stance" / "model.pkl"


def pipeline() -> Pipeline:
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    return Pipeline(
        [("features", features), ("clf", LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced"))]
    )


def main(argv: list[str]) -> None:
    if not TRAIN.is_file():
        sys.exit(f"{TRAIN} not found (the shared benchmark data sits beside the repo)")
    rows = [json.loads(line) for line in TRAIN.open(encoding="utf-8") if line.strip()]
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    if "--cv" in argv:
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        pred = cross_val_predict(pipeline(), texts, labels, cv=folds)
        print(f"5-fold CV macro-F1 {f1_score(labels, pred, average='macro'):.4f} on {len(rows)} sentences")
    model = pipeline().fit(texts, labels)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as f:
        pickle.dump(model, f, protocol=5)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv)
