"""Cross-checking a story: which facts independent outlets corroborate, which rest on one source,
and where outlets disagree.

Statements (see :mod:`storydesk.statements`) of different articles are linked when they report
the same information, paraphrase included: TF-IDF similarity of their content terms, raised by
shared actors and agreeing amounts, lowered when they name different places or dates (the same
kind of event elsewhere or another day is another event). Linked statements are grouped by
average linkage, so a chain of loosely similar neighbours does not become one fact. A fact is
*corroborated* when two or more independent origins support it (copies of one wire story count
once, as do articles of one outlet), *single-source* otherwise, and *disputed* when its
statements report incompatible figures, dates or actors for it, or one of them denies it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from storydesk import resources
from storydesk.models import (
    Amount,
    Analysis,
    Article,
    Dispute,
    DisputeKind,
    DisputeSide,
    Fact,
    FactStatus,
    Support,
)
from storydesk.statements import Statement, split_statements, stem

FEATURES = (
    "cosine",
    "article_cosine",
    "cosine_x_article",
    "actors",
    "amounts_agree",
    "place_conflict",
    "date_conflict",
)


@dataclass(frozen=True)
class LinkSettings:
    weights: tuple[float, ...]  # one per name in FEATURES
    bias: float
    link: float
    merge: float
    min_cosine: float
    amount_tolerance: float


@functools.cache
def settings() -> LinkSettings:
    data = resources.yaml_data("fact_linking.yaml")
    return LinkSettings(
        weights=tuple(float(data["weights"][name]) for name in FEATURES),
        bias=float(data["bias"]),
        link=float(data["link"]),
        merge=float(data["merge"]),
        min_cosine=float(data["min_cosine"]),
        amount_tolerance=float(data["amount_tolerance"]),
    )


@dataclass
class CrossCheck:
    """A story's facts, the disputes among them (``Dispute.fact`` indexes ``facts``) and the
    statements behind each fact (same order as ``facts``)."""

    facts: list[Fact] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    statements: list[list[Statement]] = field(default_factory=list)


# --- pair scores ---------------------------------------------------------------------------


def _unit(amount: Amount) -> str:
    return stem(amount.unit)


def amounts_agree(a: Amount, b: Amount, tolerance: float) -> bool:
    top = max(abs(a.value), abs(b.value))
    return top == 0 or abs(a.value - b.value) <= tolerance * top


def amount_relation(a: Statement, b: Statement, tolerance: float) -> tuple[bool, bool]:
    """(some amount of one unit agrees, some amount of one unit conflicts) between ``a`` and ``b``.

    A unit conflicts only when no value of it agrees: "12 dead" against "at least 12 dead, 3 of
    them children" is no conflict."""
    agree = conflict = False
    units = {_unit(m) for m in a.amounts} & {_unit(m) for m in b.amounts}
    for unit in units:
        xs = [m for m in a.amounts if _unit(m) == unit]
        ys = [m for m in b.amounts if _unit(m) == unit]
        if any(amounts_agree(x, y, tolerance) for x in xs for y in ys):
            agree = True
        else:
            conflict = True
    return agree, conflict


def date_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both statements date the event with the same kind of date (month-day, weekday, year), differently."""
    for kind in ("month", "weekday", "year"):
        xs = {d for d in a if d.startswith(kind + ":")}
        ys = {d for d in b if d.startswith(kind + ":")}
        if xs and ys and not xs & ys:
            return True
    return False


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def pair_features(a: Statement, b: Statement, cosine: float, article_cosine: float, tol: float) -> list[float]:
    """The linking features of statements ``a`` and ``b`` (named in ``FEATURES``)."""
    agree, _ = amount_relation(a, b, tol)
    return [
        cosine,
        article_cosine,
        cosine * article_cosine,
        _overlap(a.actors, b.actors),
        float(agree),
        float(bool(a.places and b.places and not a.places & b.places)),
        float(date_conflict(a.dates, b.dates)),
    ]


def link_probability(features: Sequence[float], s: LinkSettings) -> float:
    """How likely the two statements report the same information (a logistic model)."""
    z = s.bias + sum(w * x for w, x in zip(s.weights, features, strict=True))
    return float(1.0 / (1.0 + np.exp(-z)))


def _tfidf_cosine(docs: Sequence[Sequence[str]]) -> NDArray[np.float64]:
    """Pairwise TF-IDF cosine of term lists (IDF from these documents themselves)."""
    if not any(docs):
        return np.zeros((len(docs), len(docs)))
    matrix = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform([list(d) for d in docs])
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def _identity(terms: list[str]) -> list[str]:
    return terms


def candidate_pairs(statements: Sequence[Statement], s: LinkSettings) -> Iterator[tuple[int, int, list[float]]]:
    """Statement pairs of different articles worth scoring, with their features. The article
    cosine says whether the two articles report the same event at all: two sentences alike in
    words may still belong to two events of one kind."""
    cos = _tfidf_cosine([st.terms for st in statements])
    articles = sorted({st.article for st in statements})
    position = {a: k for k, a in enumerate(articles)}
    terms: dict[str, list[str]] = {a: [] for a in articles}
    for st in statements:
        terms[st.article] += st.terms
    article_cos = _tfidf_cosine([terms[a] for a in articles])
    for i, j in np.argwhere(np.triu(cos, 1) >= s.min_cosine).tolist():
        a, b = statements[i], statements[j]
        if a.article != b.article:
            doc = float(article_cos[position[a.article], position[b.article]])
            yield i, j, pair_features(a, b, float(cos[i, j]), doc, s.amount_tolerance)


def score_matrix(statements: Sequence[Statement], s: LinkSettings) -> NDArray[np.float64]:
    """Link probabilities of statements of different articles; ``-inf`` where not scored."""
    n = len(statements)
    scores = np.full((n, n), -np.inf)
    for i, j, features in candidate_pairs(statements, s):
        scores[i, j] = scores[j, i] = link_probability(features, s)
    return scores


# --- grouping ------------------------------------------------------------------------------


def group_statements(scores: NDArray[np.float64], s: LinkSettings) -> list[list[int]]:
    """Groups of statement indices: links taken best first, two groups merged only while the mean
    score of their finite cross pairs stays at or above ``s.merge``."""
    n = scores.shape[0]
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    owner = list(range(n))
    pairs = np.argwhere(np.triu(scores >= s.link, 1))
    order = sorted(pairs.tolist(), key=lambda p: -scores[p[0], p[1]])
    for i, j in order:
        gi, gj = owner[i], owner[j]
        if gi == gj:
            continue
        cross = scores[np.ix_(members[gi], members[gj])]
        finite = cross[np.isfinite(cross)]
        if finite.size and finite.mean() < s.merge:
            continue
        for k in members[gj]:
            owner[k] = gi
        members[gi] += members.pop(gj)
    return [sorted(m) for m in members.values()]


# --- facts ---------------------------------------------------------------------------------


def independent_key(article: str, outlets: Mapping[str, str | None], origins: Mapping[str, str]) -> str:
    """What counts once towards corroboration: the outlet of the article's origin (a wire copy
    counts as its origin), else the origin itself."""
    origin = origins.get(article, article)
    return outlets.get(origin) or outlets.get(article) or origin


def _support(st: Statement) -> Support:
    return Support(article=st.article, outlet=st.outlet, span=st.span, text=st.text)


def _central(group: Sequence[Statement], scores: NDArray[np.float64], index: Sequence[int]) -> Statement:
    """The statement that best stands for the group: most similar to the others, the outlet's own
    narration preferred over quotes."""
    if len(group) == 1:
        return group[0]
    sub = scores[np.ix_(index, index)]
    means = np.where(np.isfinite(sub), sub, 0.0).sum(axis=1)
    best = max(range(len(group)), key=lambda k: (group[k].attribution.kind == "narration", means[k]))
    return group[best]


def _sides(group: Sequence[Statement], keys: Mapping[str, str], values: Mapping[int, str]) -> list[DisputeSide]:
    by_value: dict[str, list[Statement]] = {}
    for k, st in enumerate(group):
        if k in values:
            by_value.setdefault(values[k], []).append(st)
    return [
        DisputeSide(
            value=v,
            outlets=sorted({st.outlet or keys[st.article] for st in sts}),
            support=[_support(st) for st in sts],
        )
        for v, sts in by_value.items()
    ]


def _amount_dispute(group: Sequence[Statement], keys: Mapping[str, str], tol: float) -> list[DisputeSide] | None:
    """Sides when independent statements give one unit incompatible values."""
    for a, b in combinations(group, 2):
        if keys[a.article] == keys[b.article]:
            continue
        _, conflict = amount_relation(a, b, tol)
        if not conflict:
            continue
        unit = next(u for u in {_unit(m) for m in a.amounts} & {_unit(m) for m in b.amounts})
        values = {}
        for k, st in enumerate(group):
            ms = [m for m in st.amounts if _unit(m) == unit]
            if ms:
                values[k] = ms[0].text
        return _sides(group, keys, values)
    return None


def _date_dispute(group: Sequence[Statement], keys: Mapping[str, str]) -> list[DisputeSide] | None:
    for a, b in combinations(group, 2):
        if keys[a.article] != keys[b.article] and date_conflict(a.dates, b.dates):
            values = {k: ", ".join(sorted(st.dates)) for k, st in enumerate(group) if st.dates}
            return _sides(group, keys, values)
    return None


def _actor_dispute(group: Sequence[Statement], keys: Mapping[str, str]) -> list[DisputeSide] | None:
    """Independent statements of one fact, anchored to one event (a place or date in common), that
    name wholly different actors: the outlets disagree on who did it."""
    for a, b in combinations(group, 2):
        if keys[a.article] == keys[b.article] or not a.actors or not b.actors or a.actors & b.actors:
            continue
        if not (a.places & b.places or a.dates & b.dates):
            continue
        values = {k: ", ".join(sorted(st.actors)) for k, st in enumerate(group) if st.actors}
        return _sides(group, keys, values)
    return None


def _denial_dispute(group: Sequence[Statement], keys: Mapping[str, str]) -> list[DisputeSide] | None:
    denials = {keys[st.article] for st in group if st.denial}
    reports = {keys[st.article] for st in group if not st.denial}
    if not denials or not reports or denials == reports:
        return None
    values = {k: ("denies" if st.denial else "reports") for k, st in enumerate(group)}
    return _sides(group, keys, values)


def find_dispute(group: Sequence[Statement], keys: Mapping[str, str], tol: float) -> Dispute | None:
    """The first disagreement among independent statements of one fact (index 0 until placed)."""
    checks: list[tuple[DisputeKind, list[DisputeSide] | None]] = [
        ("amount", _amount_dispute(group, keys, tol)),
        ("date", _date_dispute(group, keys)),
        ("actor", _actor_dispute(group, keys)),
        ("denial", _denial_dispute(group, keys)),
    ]
    for kind, sides in checks:
        if sides is not None and len(sides) >= 2:
            return Dispute(fact=0, about=kind, sides=sides)
    return None


def _fact(group: list[Statement], keys: Mapping[str, str], central: Statement, disputed: bool) -> Fact:
    sources = len({keys[st.article] for st in group})
    status: FactStatus = "disputed" if disputed else ("corroborated" if sources >= 2 else "single-source")
    ordered = sorted(group, key=lambda st: (st is not central, st.article, st.span))
    return Fact(text=central.text, status=status, support=[_support(st) for st in ordered], independent_sources=sources)


def _rank(check: CrossCheck) -> CrossCheck:
    """Facts most widely supported first (disputed ones among them), then in text order."""
    order = sorted(
        range(len(check.facts)),
        key=lambda k: (-check.facts[k].independent_sources, -len(check.facts[k].support), k),
    )
    new_index = {old: new for new, old in enumerate(order)}
    disputes = [d.model_copy(update={"fact": new_index[d.fact]}) for d in check.disputes]
    return CrossCheck(
        facts=[check.facts[k] for k in order],
        disputes=sorted(disputes, key=lambda d: d.fact),
        statements=[check.statements[k] for k in order],
    )


def cross_check(items: Sequence[tuple[Article, Analysis]], origins: Mapping[str, str] | None = None) -> CrossCheck:
    """Facts and disputes of one story's analysed articles.

    ``origins`` maps an article id to the id of the article it copies (wire syndication); an
    article not in it is its own origin."""
    s = settings()
    statements = [st for art, an in items for st in split_statements(art, an)]
    outlets = {an.id: an.outlet for _, an in items}
    keys = {an.id: independent_key(an.id, outlets, origins or {}) for _, an in items}
    scores = score_matrix(statements, s)
    check = CrossCheck()
    for index in group_statements(scores, s):
        group = [statements[k] for k in index]
        dispute = find_dispute(group, keys, s.amount_tolerance) if len(group) > 1 else None
        central = _central(group, scores, index)
        check.facts.append(_fact(group, keys, central, dispute is not None))
        check.statements.append(group)
        if dispute is not None:
            check.disputes.append(dispute.model_copy(update={"fact": len(check.facts) - 1}))
    return _rank(check)


def build_facts(items: Sequence[tuple[Article, Analysis]], origins: Mapping[str, str] | None = None) -> list[Fact]:
    """The facts of one story (see :func:`cross_check`)."""
    return cross_check(items, origins).facts
