"""Trains the statement-pair model shipped in src/storydesk/data/facts/pair_model.yaml.

usage: .venv/bin/python scripts/train_facts.py [--cache FILE]

Reads the ECB+ train split (../shared/bench/facts-ecbplus), analyses its articles and clusters
them into stories as the dossier does, then takes every pair of statements of different articles
of one event group (``storydesk.crosscheck.facts.candidate_pairs`` with its word and embedding floors
lifted), not only the pairs the dossier scores: those are 90% positive, so a model fitted on
them learns nothing from the negatives (leave-topic-out AUC 0.49-0.60); over all pairs of an
event group (77% positive) it reaches 0.71 (0.75 on dev pairs). A pair is labelled 1 when its
sentences share a cross-document event cluster of the train annotations, 0 when both sentences
are annotated but share none; unannotated pairs are left out. A logistic regression over the
pair features is fitted and its weights written (no text). Leave-topic-out cross-validation
reports the pairwise AUC first. ``--cache FILE`` keeps the analyses between runs (the same
pickle as benchmarks/eval_facts.py). Statements are embedded as the dossier embeds them
(``storydesk.embeddings``), which takes a few minutes on CPU.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _shared import read_jsonl, require_shared  # noqa: E402
from eval_facts import group_by_story, prepare, train_pairs  # noqa: E402
from storydesk.crosscheck import facts  # noqa: E402
from storydesk.crosscheck.statements import split_statements  # noqa: E402

LOOSE = 10**6  # a rank no statement reaches: every pair of an event group is taken
OUT = ROOT / "src" / "storydesk" / "data" / "facts" / "pair_model.yaml"
# Set by hand, not fitted: an event elsewhere or on another day is another event, but ECB+ has too
# few such pairs inside one event's articles for the fit to learn it (it even comes out positive).
FIXED = {"place_conflict": -2.0, "date_conflict": -2.0}
HEADER = (
    "# Statement-pair linking model (storydesk/facts.py): a logistic regression over the pair\n"
    "# features, fitted on all statement pairs of one event group of ECB+ train by\n"
    "# scripts/train_facts.py (place and date conflicts set by hand). Numbers only, no text.\n"
)


def sentence_ids(doc: dict[str, Any], span: tuple[int, int], rebuild: Any) -> list[int]:
    offsets = rebuild(doc)[1]
    return [sid for sid, (a, b) in offsets.items() if span[0] < b and span[1] > a]


def pair_table(shared: Path, cache: Path | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and topic (for grouped folds) of every labelled candidate pair."""
    sys.path.insert(0, str(shared / "eval"))
    import score_facts  # the scorer's own article rebuild

    docs = {d["doc_id"]: d for d in read_jsonl(shared / "bench" / "facts-ecbplus" / "documents.jsonl")}
    labels: dict[tuple[str, int, str, int], int] = {}
    for p in train_pairs(shared):
        labels[(p["doc_a"], p["sent_a"], p["doc_b"], p["sent_b"])] = p["label"]
        labels[(p["doc_b"], p["sent_b"], p["doc_a"], p["sent_a"])] = p["label"]
    arts, analyses, assignment = prepare("train", cache, score_facts.write_input)
    s = dataclasses.replace(
        facts.settings(), min_cosine=-1.0, min_embedding=-2.0, max_rank=LOOSE, max_embedding_rank=LOOSE
    )
    xs, ys, topics = [], [], []
    for items in group_by_story(arts, analyses, assignment).values():
        statements = [st for art, an in items for st in split_statements(art, an)]
        sents = [sentence_ids(docs[st.article], st.span, score_facts.rebuild) for st in statements]
        for i, j, features in facts.candidate_pairs(statements, s):
            a, b = statements[i].article, statements[j].article
            found = [labels[k] for x in sents[i] for y in sents[j] if (k := (a, x, b, y)) in labels]
            if found:
                xs.append(features)
                ys.append(max(found))
                topics.append(docs[a]["topic"])
    return np.array(xs), np.array(ys), np.array(topics)


def model() -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=2000)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path)
    args = ap.parse_args()
    x, y, topics = pair_table(require_shared(), args.cache)
    fitted_names = [name for name in facts.FEATURES if name not in FIXED]
    x = x[:, [facts.FEATURES.index(name) for name in fitted_names]]
    print(f"{len(y)} labelled candidate pairs, {y.mean():.1%} positive")
    scores = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, topics):
        scores[test] = model().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    print(f"leave-topic-out pairwise AUC {roc_auc_score(y, scores):.3f}")
    fitted = model().fit(x, y)
    learned = dict(zip(fitted_names, fitted.coef_[0], strict=True))
    weights = {name: round(float(FIXED.get(name, learned.get(name, 0.0))), 4) for name in facts.FEATURES}
    body = yaml.safe_dump({"weights": weights, "bias": round(float(fitted.intercept_[0]), 4)}, sort_keys=False)
    OUT.write_text(HEADER + body, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {weights}")


if __name__ == "__main__":
    main()
