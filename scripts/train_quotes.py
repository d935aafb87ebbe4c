"""Trains storydesk's attribution model (cue and content scorers) on PolNeAR's train split.

usage: .venv/bin/python scripts/train_quotes.py [--cache DIR] [--limit N]

Reads ``../shared/bench/quotes-polnear/{train,dev}.jsonl`` at run time (the texts are never
copied into the repo), parses them with the pinned spaCy model, fits two logistic regressions
over the string features of ``storydesk.quotes.features`` and writes their weights (no text) to
``src/storydesk/data/quotes/model.json``. An attribution scores its cue's probability times its
best content's; the threshold is the one with the best loose F1 of those spans on dev. About
8 minutes on 2 busy CPU cores: 5 parsing (``--cache DIR`` keeps the parses), 3 fitting.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin, Token

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _shared import read_jsonl, require_shared
from storydesk import nlp
from storydesk.quotes.features import (
    DocMarks,
    content_candidates,
    content_features,
    cue_features,
    is_cue_candidate,
)
from storydesk.quotes.model import MODEL_PATH, AttributionModel, candidate_chars

CONTENT_COVER = 0.5  # a candidate is right when it and the gold content each cover this share of the other
BEST_MARGIN = 0.05  # candidates this close to the best cover count as right too
MIN_WEIGHT = 0.02  # smaller weights are dropped from the shipped file
THRESHOLDS = [x / 100 for x in range(10, 60, 2)]


def _parse(split: str, docs: list[dict[str, Any]], cache: Path | None) -> list[Doc]:
    base = nlp.load_base()
    path = cache / f"{split}.spacy" if cache else None
    if path is not None and path.exists():
        return list(DocBin().from_disk(path).get_docs(base.vocab))
    parsed = list(base.pipe((d["text"] for d in docs), batch_size=16))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(store_user_data=False)
        for d in parsed:
            db.add(d)
        db.to_disk(path)
    return parsed


def _cover(a: tuple[int, int], b: list[int] | tuple[int, int]) -> float:
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return min(shared / max(1, a[1] - a[0]), shared / max(1, b[1] - b[0]))


def _gold_by_cue(doc: Doc, quotes: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Gold attribution by the token heading its cue."""
    out: dict[int, dict[str, Any]] = {}
    for q in quotes:
        if not q.get("verb_span"):
            continue
        start, end = q["verb_span"]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            out.setdefault(span.root.i, q)
    return out


def _cue_rows(doc: Doc, marks: DocMarks, gold: dict[int, dict[str, Any]]) -> Iterator[tuple[dict[str, int], int]]:
    for tok in doc:
        if is_cue_candidate(tok):
            yield dict.fromkeys(cue_features(tok, marks), 1), int(tok.i in gold)


def _content_rows(cue: Token, marks: DocMarks, quote: dict[str, Any]) -> Iterator[tuple[dict[str, int], int]]:
    for cand in content_candidates(cue, marks):
        chars = candidate_chars(cue.doc, cand, marks)
        if chars is not None:
            yield (
                dict.fromkeys(content_features(cue, cand, marks), 1),
                int(_cover(chars, quote["quote_span"]) > CONTENT_COVER),
            )


def _fit(rows: list[tuple[dict[str, int], int]], c: float) -> dict[str, Any]:
    vec = DictVectorizer()
    x = vec.fit_transform([r[0] for r in rows]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear wants 32-bit
    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    model.fit(x, [r[1] for r in rows])
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= MIN_WEIGHT}
    return {"bias": round(float(model.intercept_[0]), 4), "weights": weights}


def _training_rows(gold: list[dict[str, Any]], docs: list[Doc]) -> tuple[list[Any], list[Any]]:
    cue_rows: list[tuple[dict[str, int], int]] = []
    content_rows: list[tuple[dict[str, int], int]] = []
    for g, doc in zip(gold, docs, strict=True):
        marks = DocMarks(doc)
        by_cue = _gold_by_cue(doc, g["quotes"])
        cue_rows.extend(_cue_rows(doc, marks, by_cue))
        for i, quote in by_cue.items():
            content_rows.extend(_content_rows(doc[i], marks, quote))
    return cue_rows, content_rows


def _best_threshold(model: dict[str, Any], gold: list[dict[str, Any]], docs: list[Doc]) -> float:
    """The attribution threshold with the best loose F1 of the model's own content spans on ``gold``."""
    scorer = AttributionModel(model)
    scored: list[tuple[dict[str, Any], list[tuple[float, tuple[int, int]]]]] = []
    for g, doc in zip(gold, docs, strict=True):
        attributions = scorer.attributions(doc, DocMarks(doc), threshold=min(THRESHOLDS))
        scored.append((g, [(a.score, a.chars) for a in attributions]))
    best = (-1.0, 0.5)
    for th in THRESHOLDS:
        tp = n_pred = n_gold = 0
        for g, found in scored:
            spans = [chars for score, chars in found if score >= th]
            n_pred += len(spans)
            n_gold += len(g["quotes"])
            tp += _matched(spans, [q["quote_span"] for q in g["quotes"]])
        f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
        print(f"  threshold {th:.2f}: predicted {n_pred}, matched {tp}, loose F1 {f1:.3f}")
        best = max(best, (f1, th))
    return best[1]


def _matched(pred: list[tuple[int, int]], gold: list[list[int]]) -> int:
    used: set[int] = set()
    for p in pred:
        j = next((j for j, g in enumerate(gold) if j not in used and _cover(p, g) > 0.3), None)
        if j is not None:
            used.add(j)
    return len(used)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder keeping the parsed splits between runs")
    parser.add_argument("--limit", type=int, help="train on the first N articles only")
    parser.add_argument("--c", type=float, default=0.1, help="inverse L2 regularisation strength")
    args = parser.parse_args()
    bench = require_shared() / "bench" / "quotes-polnear"
    t0 = time.perf_counter()
    train = read_jsonl(bench / "train.jsonl")[: args.limit]
    dev = read_jsonl(bench / "dev.jsonl")
    train_docs = _parse("train", train, args.cache if args.limit is None else None)
    dev_docs = _parse("dev", dev, args.cache)
    print(f"parsed in {time.perf_counter() - t0:.0f}s")
    cue_rows, content_rows = _training_rows(train, train_docs)
    print(f"{len(cue_rows)} cue rows, {len(content_rows)} content rows")
    model: dict[str, Any] = {"cue": _fit(cue_rows, args.c), "content": _fit(content_rows, args.c), "threshold": 0.5}
    model["threshold"] = _best_threshold(model, dev, dev_docs)
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    size = MODEL_PATH.stat().st_size
    print(
        f"threshold {model['threshold']}; wrote {MODEL_PATH} ({size / 1e3:.0f} kB) in {time.perf_counter() - t0:.0f}s"
    )


if __name__ == "__main__":
    main()
