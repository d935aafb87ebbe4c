"""Fits how a statement's counterpart in another source is chosen (src/storydesk/data/facts/
counterpart_model.yaml): which of the statements that link to it carries the same information.

usage: .venv/bin/python scripts/train_counterparts.py [--cache FILE]

The link model (facts/pair_model.yaml) was fitted on ECB+, whose labels say "same event": nearly
every sentence of one story is positive, and the lead that names everyone scores high with any
of them. The counterpart is instead picked by a score of "same information", fitted here on the
MRPC train pairs (sentences of different outlets on one event; a negative often differs only in
a figure, a name or a detail): a logistic regression over the two similarities the dossier
compares statements by, their words (TF-IDF cosine of content stems and predicate classes, as
``storydesk.crosscheck.facts.candidate_pairs`` weighs them) and their sentence embeddings
(MiniLM). Five-fold cross-validated AUC is reported first. ``--cache FILE`` keeps the embeddings.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _shared import read_jsonl, require_shared  # noqa: E402
from storydesk import embeddings  # noqa: E402
from storydesk.crosscheck import facts  # noqa: E402
from storydesk.crosscheck.statements import content_terms, predicate_terms  # noqa: E402

OUT = ROOT / "src" / "storydesk" / "data" / "facts" / "counterpart_model.yaml"


def _terms(text: str, repeats: int) -> list[str]:
    return list(content_terms(text)) + list(predicate_terms(text)) * repeats


def _identity(terms: list[str]) -> list[str]:
    return terms


def features(pairs: list[dict[str, object]], cache: Path | None) -> np.ndarray:
    """Per pair: the TF-IDF cosine of its two sentences' terms, their embedding cosine."""
    texts = sorted({str(p[k]) for p in pairs for k in ("a", "b")})
    if cache and cache.exists():
        with cache.open("rb") as f:
            vectors: dict[str, np.ndarray] = pickle.load(f)
    else:
        vectors = dict(zip(texts, embeddings.encode(texts), strict=True))
        if cache:
            with cache.open("wb") as f:
                pickle.dump(vectors, f)
    repeats = facts.settings().predicate_repeats
    tfidf = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit([_terms(t, repeats) for t in texts])
    rows = []
    for p in pairs:
        a, b = str(p["a"]), str(p["b"])
        x = tfidf.transform([_terms(a, repeats), _terms(b, repeats)])
        rows.append([float((x[0] @ x[1].T).toarray()[0, 0]), float(vectors[a] @ vectors[b])])
    return np.array(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path)
    args = ap.parse_args()
    pairs = read_jsonl(require_shared() / "bench" / "paraphrase-mrpc" / "train.jsonl")
    x = features(pairs, args.cache)
    y = np.array([int(p["label"]) for p in pairs])
    model = LogisticRegression(C=1.0)
    auc = cross_val_score(model, x, y, cv=5, scoring="roc_auc")
    print(f"MRPC train, 5-fold AUC {auc.mean():.3f}")
    for k, name in enumerate(("words", "embedding")):
        only = cross_val_score(LogisticRegression(C=1.0), x[:, [k]], y, cv=5, scoring="roc_auc")
        print(f"  {name} alone: {only.mean():.3f}")
    model.fit(x, y)
    weights = {"cosine": round(float(model.coef_[0][0]), 4), "embedding_cosine": round(float(model.coef_[0][1]), 4)}
    header = (
        "# How a statement's counterpart in another source is chosen (storydesk/facts.py): among the\n"
        "# statements that link to it, the one with the highest score of the same information, a\n"
        "# logistic regression over their word (TF-IDF) and embedding cosines fitted on MRPC train by\n"
        "# scripts/train_counterparts.py. Numbers only, no text.\n"
    )
    OUT.write_text(header + yaml.safe_dump({"weights": weights, "bias": round(float(model.intercept_[0]), 4)}))
    print(f"wrote {OUT}: {weights}")


if __name__ == "__main__":
    main()
