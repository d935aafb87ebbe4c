"""Coreference scores: MUC, B3, CEAFe and their mean (the CoNLL F1), and the clusters a set of
antecedent links makes. Mentions are any hashable keys (here: spaCy head tokens)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

Cluster = frozenset[Hashable]


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def clusters_from_links(links: Mapping[Hashable, Hashable | None]) -> list[Cluster]:
    """Clusters of two or more mentions from each mention's antecedent (union-find)."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m, ante in links.items():
        find(m)
        if ante is not None:
            parent[find(m)] = find(ante)
    groups: dict[Hashable, set[Hashable]] = {}
    for m in parent:
        groups.setdefault(find(m), set()).add(m)
    return [frozenset(g) for g in groups.values() if len(g) > 1]


def _muc_side(keys: Sequence[Cluster], other: Sequence[Cluster]) -> tuple[float, float]:
    where = {m: n for n, c in enumerate(other) for m in c}
    num = den = 0.0
    for c in keys:
        parts = {where.get(m, ("alone", m)) for m in c}
        num += len(c) - len(parts)
        den += len(c) - 1
    return num, den


def muc(gold: Sequence[Cluster], sys: Sequence[Cluster]) -> tuple[float, float, float, float]:
    """Recall numerator, denominator, precision numerator, denominator."""
    rn, rd = _muc_side(gold, sys)
    pn, pd = _muc_side(sys, gold)
    return rn, rd, pn, pd


def _b3_side(keys: Sequence[Cluster], other: Sequence[Cluster]) -> tuple[float, float]:
    where = {m: c for c in other for m in c}
    num = 0.0
    den = 0.0
    for c in keys:
        for m in c:
            num += len(c & where.get(m, frozenset())) / len(c)
            den += 1
    return num, den


def b3(gold: Sequence[Cluster], sys: Sequence[Cluster]) -> tuple[float, float, float, float]:
    rn, rd = _b3_side(gold, sys)
    pn, pd = _b3_side(sys, gold)
    return rn, rd, pn, pd


def ceafe(gold: Sequence[Cluster], sys: Sequence[Cluster]) -> tuple[float, float, float, float]:
    if not gold or not sys:
        return 0.0, float(len(gold)), 0.0, float(len(sys))
    sim = np.array([[2 * len(g & s) / (len(g) + len(s)) for s in sys] for g in gold])
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    return total, float(len(gold)), total, float(len(sys))


METRICS = {"muc": muc, "b3": b3, "ceafe": ceafe}


class Scorer:
    """Sums each metric's counts over documents (micro average), then reports F1s."""

    def __init__(self) -> None:
        self.counts = {name: np.zeros(4) for name in METRICS}

    def add(self, gold: Sequence[Cluster], sys: Sequence[Cluster]) -> None:
        for name, metric in METRICS.items():
            self.counts[name] += np.array(metric(gold, sys))

    def f1(self, name: str) -> float:
        rn, rd, pn, pd = self.counts[name]
        return _f1(pn / pd if pd else 0.0, rn / rd if rd else 0.0)

    def conll(self) -> float:
        return sum(self.f1(n) for n in METRICS) / len(METRICS)

    def line(self) -> str:
        parts = [f"{n} {self.f1(n):.3f}" for n in METRICS]
        return f"CoNLL F1 {self.conll():.3f} ({', '.join(parts)})"


def gold_clusters(chains: Iterable[Iterable[Hashable]]) -> list[Cluster]:
    return [c for c in (frozenset(ch) for ch in chains) if len(c) > 1]
