"""Trains storydesk's coreference model (a mention-pair scorer ranked per anaphor) on GUM train.

usage: .venv/bin/python scripts/train_coref.py [--cache DIR] [--limit N] [--actors-only]

Reads ``../shared/bench/coref-gum`` at run time (exits 0 when it is absent; the texts are never
copied into the repo), parses the documents with the pipeline's spaCy model and actor stages
(``--cache DIR`` keeps the parses), extracts the pair features of
``storydesk.annotate.corefmodel`` and fits a logistic regression: a pair is positive when both
mentions' heads lie in one OntoGUM chain. Two rounds: the first model scores pairs alone; its
entities, decoded on the training documents, give the entity features of the second (the
features then see entities as the decoder will, mistakes included). Each round's "no
antecedent" threshold is the one with the best sum of CoNLL F1 and named-antecedent accuracy
on GUM dev (decoded at each). Writes the
weights (no text) to ``src/storydesk/data/coref/model.json``.

Then, with that model, the actor chooser (``coref.ActorChooser``, ``data/coref/actor_model.json``):
for each third-person pronoun of GUM train whose gold chain holds a name before it, each
candidate actor ``MentionIndex.actor_features`` offers is a row, positive when the actor's
mentions hold one of the chain's names; a logistic regression fits the rows, its regularisation
chosen by cross-validation over GUM train and dev grouped by document. ``--actors-only`` fits this chooser
alone, with the shipped model. Deterministic (lbfgs, fixed data order).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from sklearn.feature_extraction import DictVectorizer

from _corefscore import Scorer, clusters_from_links, gold_clusters
from _gum import GoldDoc, gold_mentions, mention_chains, parse, read_gold, split_names
from _shared import require_shared
from eval_coref import actor_heads, cases, link_named
from storydesk import resources
from storydesk.annotate.coref import ACTOR_MODEL_FILE, ActorChooser, MentionIndex
from storydesk.annotate.corefmodel import (
    MODEL_FILE,
    CorefModel,
    Mention,
    Resolution,
    candidate_features,
    find_mentions,
    load_model,
)
from storydesk.lexicon import pronoun_kinds

C_GRID = (0.3,)
ACTOR_C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
CV_FOLDS = 5
THRESHOLDS = tuple(x / 100 for x in range(10, 61, 5))
MIN_WEIGHT = 0.005  # smaller weights are dropped from the shipped file


def doc_mentions(doc: Doc) -> list[Mention]:
    return find_mentions(doc, MentionIndex(doc, learned=False).by_token)


class Pairs:
    """Sparse pair rows built as they come (the features of a million pairs stay small)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.indices: list[int] = []
        self.indptr = [0]
        self.labels: list[int] = []

    def add(self, feats: list[str], label: bool) -> None:
        for f in feats:
            self.indices.append(self.vocab.setdefault(f, len(self.vocab)))
        self.indptr.append(len(self.indices))
        self.labels.append(int(label))

    def matrix(self) -> csr_matrix:
        data = np.ones(len(self.indices), dtype=np.float32)
        return csr_matrix((data, self.indices, self.indptr), shape=(len(self.labels), len(self.vocab)))


def training_pairs(docs: list[Doc], golds: list[GoldDoc], decoded: list[Resolution] | None) -> Pairs:
    """Every (anaphor, candidate) pair, positive when both lie in one gold chain; with
    ``decoded`` (a first model's entities on the same docs) the entity features too, from the
    entities as the model will see them (true entities would tell which mentions have a chain)."""
    pairs = Pairs()
    for n, (doc, gold) in enumerate(zip(docs, golds, strict=True)):
        mentions = doc_mentions(doc)
        chains = mention_chains([m.head for m in mentions], list(gold_mentions(doc, gold)))
        entities = None if decoded is None else entity_lists(decoded[n])
        for i in range(len(mentions)):
            for j, feats in candidate_features(mentions, i, entities):
                pairs.add(feats, chains[i] is not None and chains[i] == chains[j])
    return pairs


def entity_lists(res: Resolution) -> dict[int, list[int]]:
    """Each mention -> its decoded entity's mentions."""
    return {n: res.members[e] for n, e in enumerate(res.entity)}


def dev_scores(model: CorefModel, docs: list[Doc], golds: list[GoldDoc]) -> dict[float, tuple[float, float]]:
    """Dev CoNLL F1 and named-antecedent accuracy at each threshold (each decoded anew: the
    entities a mention may join depend on the links before it)."""
    scorers = {t: Scorer() for t in THRESHOLDS}
    hits = dict.fromkeys(THRESHOLDS, 0)
    total = 0
    for doc, gold in zip(docs, golds, strict=True):
        mentions = doc_mentions(doc)
        gm = list(gold_mentions(doc, gold))
        chains: dict[int, set[int]] = {}
        for g in gm:
            chains.setdefault(g.chain, set()).add(g.head)
        key = gold_clusters(chains.values())
        todo = cases(doc, gm)
        total += len(todo)
        for t, scorer in scorers.items():
            found = CorefModel(model.weights, model.bias, t).resolve(mentions)
            links = {m.head: (None if j is None else mentions[j].head) for m, j in zip(mentions, found, strict=True)}
            scorer.add(key, clusters_from_links(links))
            named = link_named(mentions, found)
            hits[t] += sum(named(c.head) in c.chain for c in todo)
    return {t: (s.conll(), hits[t] / max(total, 1)) for t, s in scorers.items()}


def fit(pairs: Pairs, c: float) -> CorefModel:
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(pairs.matrix(), np.array(pairs.labels))
    names = sorted(pairs.vocab, key=pairs.vocab.__getitem__)
    weights = {n: round(float(w), 4) for n, w in zip(names, lr.coef_[0], strict=True) if abs(w) >= MIN_WEIGHT}
    return CorefModel(weights, round(float(lr.intercept_[0]), 4), 0.5)


def select(pairs: Pairs, dev_docs: list[Doc], dev_gold: list[GoldDoc], stage: str) -> CorefModel:
    """The regularisation and threshold with the best sum of dev CoNLL F1 and named-antecedent
    accuracy (the two figures the model is judged by)."""
    print(f"{stage}: {len(pairs.labels)} pairs ({sum(pairs.labels)} positive), {len(pairs.vocab)} features")
    best: tuple[float, CorefModel] | None = None
    for c in C_GRID:
        model = fit(pairs, c)
        for t, (f1, named) in dev_scores(model, dev_docs, dev_gold).items():
            print(f"  C={c} threshold={t:.2f}: dev CoNLL F1 {f1:.4f}, named antecedent {named:.4f}", flush=True)
            if best is None or f1 + named > best[0]:
                best = (f1 + named, CorefModel(model.weights, model.bias, t))
    assert best is not None
    print(f"{stage}: kept threshold {best[1].threshold:.2f} (dev CoNLL F1 + named antecedent {best[0]:.4f})")
    return best[1]


ActorCase = list[tuple[dict[str, float], bool]]  # an anaphor's candidate actors: features, right


def actor_cases(docs: list[Doc], golds: list[GoldDoc], first_doc: int = 0) -> list[tuple[int, ActorCase]]:
    """The candidate actors of each pronoun the chooser decides (one with a gold name before it,
    no actor of its own), with whether each is right, each with its document's number (counted
    from ``first_doc``)."""
    found: list[tuple[int, ActorCase]] = []
    for d, (doc, gold) in enumerate(zip(docs, golds, strict=True), start=first_doc):
        index = MentionIndex(doc)
        index.mentions()
        for case in cases(doc, list(gold_mentions(doc, gold))):
            tok = doc[case.head]
            n = index.mention_number(tok)
            if case.kind != "pronoun" or tok.i in index.by_token or n is None:
                continue
            found.append(
                (
                    d,
                    [
                        (feats, not actor.anonymous and bool(actor_heads(doc, actor) & case.chain))
                        for actor, feats in index.actor_features(tok, n, pronoun_kinds().get(tok.lower_))
                    ],
                )
            )
    return found


def fit_chooser(train: list[ActorCase], c: float) -> ActorChooser:
    vec = DictVectorizer()
    x = vec.fit_transform([f for case in train for f, _ in case])
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(x, np.array([int(y) for case in train for _, y in case]))
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, lr.coef_[0], strict=True) if abs(w) >= MIN_WEIGHT}
    return ActorChooser(weights, round(float(lr.intercept_[0]), 4))


def chooser_accuracy(chooser: ActorChooser, found: list[ActorCase]) -> float:
    """The share of anaphors whose best-scored actor is right."""
    right = sum(bool(case) and max(case, key=lambda fy: chooser.score(fy[0]))[1] for case in found)
    return right / max(len(found), 1)


def select_chooser(train: list[tuple[int, ActorCase]], dev: list[tuple[int, ActorCase]]) -> ActorChooser:
    """The regularisation with the most pronouns right in a five-fold cross-validation over
    train and dev together, grouped by document (a document's pronouns share one fold), fitted
    then on train: dev alone (some 200 pronouns) moves by a handful between settings, noise next
    to what a setting changes."""
    both = train + dev
    best: tuple[int, float] | None = None
    for c in ACTOR_C_GRID:
        right = 0
        for k in range(CV_FOLDS):
            chooser = fit_chooser([case for d, case in both if d % CV_FOLDS != k], c)
            held = [case for d, case in both if d % CV_FOLDS == k]
            right += round(chooser_accuracy(chooser, held) * len(held))
        print(f"  C={c}: cross-validated {right}/{len(both)}", flush=True)
        if best is None or right > best[0]:
            best = (right, c)
    assert best is not None
    chooser = fit_chooser([case for _, case in train], best[1])
    on_train = chooser_accuracy(chooser, [case for _, case in train])
    on_dev = chooser_accuracy(chooser, [case for _, case in dev])
    print(f"  kept C={best[1]}: train {on_train:.4f}, dev {on_dev:.4f}")
    return chooser


def train_chooser(
    train_docs: list[Doc], train_gold: list[GoldDoc], dev_docs: list[Doc], dev_gold: list[GoldDoc]
) -> None:
    """Fits the actor chooser with the shipped model and writes it."""
    load_model.cache_clear()
    train = actor_cases(train_docs, train_gold)
    dev = actor_cases(dev_docs, dev_gold, first_doc=len(train_docs))
    print(f"actor chooser: {len(train)} train, {len(dev)} dev pronouns")
    chooser = select_chooser(train, dev)
    out = resources.path(*ACTOR_MODEL_FILE)
    out.write_text(json.dumps(chooser.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"actor chooser: {len(chooser.weights)} weights -> {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=None, help="folder for the spaCy parses (outside the repo)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N training documents")
    ap.add_argument("--actors-only", action="store_true", help="fit the actor chooser alone, with the shipped model")
    args = ap.parse_args()
    shared = require_shared()
    split = split_names(shared)
    names = split["train"][: args.limit] if args.limit else split["train"]
    t0 = time.perf_counter()
    train_gold = [read_gold(shared, n) for n in names]
    dev_gold = [read_gold(shared, n) for n in split["dev"]]
    train_docs = parse(train_gold, args.cache, f"train{args.limit or ''}")
    dev_docs = parse(dev_gold, args.cache, "dev")
    print(f"parsed {len(train_docs)} train, {len(dev_docs)} dev documents in {time.perf_counter() - t0:.0f} s")
    if args.actors_only:
        train_chooser(train_docs, train_gold, dev_docs, dev_gold)
        return
    first = select(training_pairs(train_docs, train_gold, None), dev_docs, dev_gold, "pairs only")
    decoded = [first.resolve_entities(doc_mentions(doc)) for doc in train_docs]
    model = select(training_pairs(train_docs, train_gold, decoded), dev_docs, dev_gold, "with entities")
    out = resources.path(*MODEL_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(model.weights)} weights -> {out}")
    train_chooser(train_docs, train_gold, dev_docs, dev_gold)


if __name__ == "__main__":
    main()
