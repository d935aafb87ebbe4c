"""Cross-checking a story: which facts independent outlets corroborate, which rest on one source,
and where outlets disagree.

Statements (see :mod:`storydesk.crosscheck.statements`) of different articles are scored as
reporting the same information, paraphrase included: TF-IDF similarity of their content terms and
the cosine of their sentence embeddings (MiniLM, :mod:`storydesk.embeddings`, for paraphrases
that share few words), raised by shared actors and agreeing amounts, lowered when they name
different places or dates (the same kind of event elsewhere or another day is another event).
Two statements of different sources link when they score high enough and each is the other's
best match in its source; a fact is one statement and its linked counterpart of each other
source, never a bag of related sentences. A fact is *corroborated* when two or more independent
origins support it (copies of one wire story count once, as do articles of one outlet),
*single-source* otherwise, and *disputed* when two of its statements from different sources
give incompatible figures, dates or actors for it (confirmed by the pair model,
:mod:`storydesk.crosscheck.pairs`), or one denies what the other reports.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from storydesk import embeddings, resources
from storydesk.crosscheck import clauses, vectors
from storydesk.crosscheck import pairs as pair_model
from storydesk.crosscheck.statements import Statement, stem
from storydesk.models import (
    Amount,
    Analysis,
    Article,
    Dispute,
    DisputeKind,
    DisputeSide,
    Fact,
    FactStatus,
    Span,
    Support,
)
from storydesk.text import fold

FEATURES = (
    "cosine",
    "embedding_cosine",
    "embedding_rank",
    "article_cosine",
    "cosine_x_article",
    "to_article",
    "mutual_rank",
    "actors",
    "amounts_agree",
    "numbers_shared",
    "place_conflict",
    "date_conflict",
)
PLACE_CONFLICT, DATE_CONFLICT = FEATURES.index("place_conflict"), FEATURES.index("date_conflict")


@dataclass(frozen=True)
class LinkSettings:
    weights: tuple[float, ...]  # one per name in FEATURES
    bias: float
    link: float
    min_cosine: float
    min_embedding: float
    max_embedding_rank: int
    max_embedded: int
    amount_tolerance: float
    event_distance: float
    max_rank: int
    predicate_repeats: int
    pair_budget: int
    counterpart_rank: int


@functools.cache
def settings() -> LinkSettings:
    data = resources.yaml_data("fact_linking.yaml")
    model = resources.yaml_data("facts/pair_model.yaml")
    return LinkSettings(
        weights=tuple(float(model["weights"][name]) for name in FEATURES),
        bias=float(model["bias"]),
        link=float(data["link"]),
        min_cosine=float(data["min_cosine"]),
        min_embedding=float(data["min_embedding"]),
        max_embedding_rank=int(data["max_embedding_rank"]),
        max_embedded=int(data["max_embedded"]),
        amount_tolerance=float(data["amount_tolerance"]),
        event_distance=float(data["event_distance"]),
        max_rank=int(data["max_rank"]),
        predicate_repeats=int(data["predicate_repeats"]),
        counterpart_rank=int(data["counterpart_rank"]),
        pair_budget=int(data["pair_budget"]),
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


def numbers_shared(a: Statement, b: Statement) -> bool:
    """Both statements give one figure, whatever they count: "40 members" and "40 states"."""
    return bool({m.value for m in a.amounts} & {m.value for m in b.amounts})


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


@dataclass(frozen=True)
class PairContext:
    """What a statement pair is scored against: the similarities of the whole story."""

    cosine: float  # the two statements' TF-IDF cosine
    embedding: float  # the cosine of their sentence embeddings
    embedding_rank: int  # the worse rank of each among the other's article's statements, by embedding
    article_cosine: float  # their articles' TF-IDF cosine
    to_article: float  # the lower cosine of each statement with the other's article
    rank: int  # the worse rank of each statement among the other's article's statements


def pair_features(a: Statement, b: Statement, ctx: PairContext, tol: float) -> list[float]:
    """The linking features of statements ``a`` and ``b`` (named in ``FEATURES``)."""
    agree, _ = amount_relation(a, b, tol)
    return [
        ctx.cosine,
        ctx.embedding,
        1.0 / (1.0 + ctx.embedding_rank),
        ctx.article_cosine,
        ctx.cosine * ctx.article_cosine,
        ctx.to_article,
        1.0 / (1.0 + ctx.rank),
        _overlap(a.actors, b.actors),
        float(agree),
        float(numbers_shared(a, b)),
        float(bool(a.claim_places and b.claim_places and not a.claim_places & b.claim_places)),
        float(date_conflict(a.dates, b.dates)),
    ]


def link_probability(features: Sequence[float], s: LinkSettings) -> float:
    """How likely the two statements report the same information (a logistic model)."""
    z = s.bias + sum(w * x for w, x in zip(s.weights, features, strict=True))
    return float(1.0 / (1.0 + np.exp(-z)))


def _identity(terms: list[str]) -> list[str]:
    return terms


def _tfidf(fit_on: Sequence[Sequence[str]], *others: Sequence[Sequence[str]]) -> list[Any]:
    """TF-IDF rows (unit length) of ``fit_on`` and of each of ``others`` with IDF from ``fit_on``."""
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    first = vectorizer.fit_transform([list(d) for d in fit_on])
    return [first, *(vectorizer.transform([list(d) for d in o]) for o in others)]


def _cosines(x: Any, y: Any) -> NDArray[np.float64]:
    return np.asarray((x @ y.T).toarray(), dtype=np.float64)


def event_groups(statements: Sequence[Statement], s: LinkSettings) -> dict[str, int]:
    """Articles of a story grouped by the event they report, so that sentences alike in words
    about two events of one kind (two earthquakes, two arrests) are never linked. Articles are
    compared by their words and by what pins an event down (actors, places, dates, figures),
    and grouped by average linkage."""
    articles = sorted({st.article for st in statements})
    if len(articles) < 2:
        return dict.fromkeys(articles, 0)
    words: dict[str, list[str]] = {a: [] for a in articles}
    anchors: dict[str, list[str]] = {a: [] for a in articles}
    for st in statements:
        words[st.article] += st.terms
        anchors[st.article] += sorted(st.actors | st.places | st.dates) + [f"#{m.value:g}" for m in st.amounts]
    (w,) = _tfidf([words[a] for a in articles])
    (e,) = _tfidf([anchors[a] or ["-"] for a in articles])
    similarity = 0.5 * _cosines(w, w) + 0.5 * _cosines(e, e)
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), "average")
    labels = fcluster(tree, s.event_distance, "distance")
    return {a: int(g) for a, g in zip(articles, labels, strict=True)}


def _ranks(cos: NDArray[np.float64], article_of: NDArray[np.int64]) -> NDArray[np.int64]:
    """``ranks[i, j]``: how many statements of ``j``'s article are closer to ``i`` than ``j`` is."""
    ranks = np.zeros(cos.shape, dtype=np.int64)
    for art in np.unique(article_of):
        cols = np.flatnonzero(article_of == art)
        block = cos[:, cols]
        ranks[:, cols] = np.argsort(np.argsort(-block, axis=1, kind="stable"), axis=1, kind="stable")
    return ranks


# One statement's kept sentence vector (:mod:`storydesk.crosscheck.vectors`), None where none was kept.
Kept = Sequence[NDArray[np.float32] | None]


def statement_vectors(statements: Sequence[Statement], kept: Kept | None = None) -> NDArray[np.float32]:
    """Unit sentence embeddings of the statements' texts (one row each): the ``kept`` ones as
    they are, the others encoded now (in one call, in order)."""
    rows = list(kept) if kept is not None else [None] * len(statements)
    missing = [k for k, row in enumerate(rows) if row is None]
    if len(missing) == len(rows):
        return embeddings.encode([st.compared for st in statements])
    if missing:
        for k, row in zip(missing, embeddings.encode([statements[k].compared for k in missing]), strict=True):
            rows[k] = row
    return np.stack([np.asarray(row, dtype=np.float32) for row in rows])


def _lead_share(sizes: Sequence[int], budget: int) -> int:
    """The most statements per article (from its start) that keep the total within ``budget``
    (at least one)."""
    k = max(sizes, default=0)
    while k > 1 and sum(min(k, n) for n in sizes) > budget:
        k -= 1
    return k


def embedded_statements(statements: Sequence[Statement], events: Mapping[str, int], budget: int) -> list[int]:
    """Indices of the statements worth embedding: those of articles that share their event group
    with another article (no other statement is ever paired), at most the first few of each
    article so that a story embeds at most ``budget`` statements. Encoding is the costly step of
    cross-checking, and the facts several outlets report are mostly in their articles' leads."""
    size = Counter(events.values())
    by_article: dict[str, list[int]] = {}
    for k, st in enumerate(statements):
        if size[events[st.article]] > 1:
            by_article.setdefault(st.article, []).append(k)
    lead = _lead_share([len(ks) for ks in by_article.values()], budget)
    return sorted(k for ks in by_article.values() for k in ks[:lead])


def _embedding_cosines(statements: Sequence[Statement], keep: Sequence[int], kept: Kept | None) -> NDArray[np.float64]:
    """Embedding cosines of the statements ``keep`` indexes; NaN for any other."""
    cos = np.full((len(statements), len(statements)), np.nan)
    if keep:
        chosen = [kept[k] for k in keep] if kept is not None else None
        vectors = statement_vectors([statements[k] for k in keep], chosen).astype(np.float64)
        cos[np.ix_(keep, keep)] = vectors @ vectors.T
    return cos


def candidate_pairs(
    statements: Sequence[Statement], s: LinkSettings, kept: Kept | None = None
) -> Iterator[tuple[int, int, list[float]]]:
    """Statement pairs of different articles reporting one event that are worth scoring, with
    their features. The article cosine says how close the two reports are as a whole; the
    statement-to-article cosine whether each statement is about what the other article reports;
    the rank whether the two are each other's best match. A pair is scored when its words overlap
    (TF-IDF cosine >= ``min_cosine``) or, for paraphrases that share few words, when its sentence
    embeddings are close (>= ``min_embedding``) and each is the other's best match by them.
    ``kept`` gives the statements' kept sentence vectors, if any; the others are encoded."""
    if not statements:
        return
    articles = sorted({st.article for st in statements})
    position = {a: k for k, a in enumerate(articles)}
    terms: dict[str, list[str]] = {a: [] for a in articles}
    for st in statements:
        terms[st.article] += st.terms
    # A statement's predicate classes (storydesk/statements.py) count as terms of it, not of its
    # article: they say what kind of thing is reported, which the articles of one event share.
    # Each counts as ``predicate_repeats`` occurrences: a class stands for what a whole phrase says.
    k = s.predicate_repeats
    sent, art, claim = _tfidf(
        [st.terms + st.predicates * k for st in statements],
        [terms[a] for a in articles],
        [st.claim_terms + st.claim_predicates * k for st in statements],
    )
    # Two statements are as close as their sentences or as what they report (quoted words without
    # the speaker's name and titles), whichever is closer.
    cos = np.maximum(_cosines(sent, sent), _cosines(claim, claim))
    article_cos, to_article = _cosines(art, art), _cosines(sent, art)
    article_of = np.array([position[st.article] for st in statements], dtype=np.int64)
    ranks = _ranks(cos, article_of)
    events = event_groups(statements, s)
    ecos = _embedding_cosines(statements, embedded_statements(statements, events, s.max_embedded), kept)
    embedded = ~np.isnan(ecos)
    ecos = np.where(embedded, ecos, -1.0)
    eranks = _ranks(ecos, article_of)
    worded = (cos >= s.min_cosine) & (np.maximum(ranks, ranks.T) <= s.max_rank)
    paraphrased = (ecos >= s.min_embedding) & (np.maximum(eranks, eranks.T) <= s.max_embedding_rank)
    for i, j in np.argwhere(np.triu(worded | paraphrased, 1)).tolist():
        a, b = statements[i], statements[j]
        if a.article == b.article or events[a.article] != events[b.article]:
            continue
        ai, bj = article_of[i], article_of[j]
        # A statement past the lead embedded falls back on its words for the embedding features.
        e, r = (ecos, eranks) if embedded[i, j] else (cos, ranks)
        ctx = PairContext(
            cosine=float(cos[i, j]),
            embedding=float(e[i, j]),
            embedding_rank=int(max(r[i, j], r[j, i])),
            article_cosine=float(article_cos[ai, bj]),
            to_article=float(min(to_article[i, bj], to_article[j, ai])),
            rank=int(max(ranks[i, j], ranks[j, i])),
        )
        features = pair_features(a, b, ctx, s.amount_tolerance)
        if features[PLACE_CONFLICT] and features[DATE_CONFLICT]:
            continue  # the same kind of event elsewhere on another day is another event, however alike the words
        yield i, j, features


def score_matrix(statements: Sequence[Statement], s: LinkSettings, kept: Kept | None = None) -> NDArray[np.float64]:
    """Link probabilities of statements of different articles; ``-inf`` where not scored."""
    n = len(statements)
    scores = np.full((n, n), -np.inf)
    for i, j, features in candidate_pairs(statements, s, kept):
        scores[i, j] = scores[j, i] = link_probability(features, s)
    return scores


# --- pair verdicts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What the pair model (:mod:`storydesk.crosscheck.pairs`) reads in two statements: how
    likely they carry the same information, and how likely they contradict each other."""

    same: float
    contradicts: float


def read_pairs(statements: Sequence[Statement], chosen: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Verdict]:
    """The pair model's verdict on each chosen pair, keyed both ways; the model reads the two
    whole sentences, once for all the pairs of clauses of the same two sentences."""
    texts = [(statements[i].whole.text, statements[j].whole.text) for i, j in chosen]
    unique = sorted(set(texts), key=texts.index)
    probs = pair_model.probabilities(unique)
    same, contradicts = pair_model.LABELS.index("same"), pair_model.LABELS.index("contradicts")
    verdict = {
        pair: Verdict(same=float(row[same]), contradicts=float(row[contradicts]))
        for pair, row in zip(unique, probs.tolist(), strict=True)
    }
    out: dict[tuple[int, int], Verdict] = {}
    for (i, j), pair in zip(chosen, texts, strict=True):
        out[(i, j)] = out[(j, i)] = verdict[pair]
    return out


def _near_best_per_source(links: NDArray[np.float64], sources: Sequence[str], rank: int) -> NDArray[np.bool_]:
    """``near[i, j]``: ``j`` is among the ``rank + 1`` strongest links of ``i`` among the
    statements of ``j``'s source."""
    near = np.zeros(links.shape, dtype=bool)
    codes = {k: n for n, k in enumerate(sorted(set(sources)))}
    source_of = np.array([codes[k] for k in sources], dtype=np.int64)
    for code in range(len(codes)):
        cols = np.flatnonzero(source_of == code)
        block = links[:, cols]
        order = np.argsort(-block, axis=1, kind="stable")[:, : rank + 1]
        for r in range(order.shape[1]):
            rows = np.flatnonzero(np.isfinite(block[np.arange(block.shape[0]), order[:, r]]))
            near[rows, cols[order[rows, r]]] = True
    return near


def link_matrix(scores: NDArray[np.float64], sources: Sequence[str], s: LinkSettings) -> NDArray[np.float64]:
    """The link probability of each pair of statements that are each other's counterparts;
    ``-inf`` elsewhere. Two statements link when the link model scores them at or above
    ``s.link`` and each is the other's best-scored statement of its source: a statement only
    one outlet makes finds some sentence of the other outlet about the same event, but that
    sentence has a closer counterpart of its own.

    The pair model is not asked here: trained on whole-sentence paraphrases, it reads most
    counterparts that share one clause of two longer sentences ("... reported Friday that X was
    softening its opposition, ..." / "X, one of the leading opponents of the cuts, said on
    Friday ...") as merely related (see data/fact_linking.yaml)."""
    links = np.where(scores >= s.link, scores, -np.inf)
    near = _near_best_per_source(links, sources, s.counterpart_rank)
    return np.where(near & near.T, links, -np.inf)


# --- facts ---------------------------------------------------------------------------------


def _best_links(i: int, links: NDArray[np.float64], sources: Sequence[str]) -> dict[str, int]:
    """The strongest linked counterpart of statement ``i`` in each other source."""
    best: dict[str, int] = {}
    for j in np.flatnonzero(np.isfinite(links[i])).tolist():
        key = sources[j]
        if key != sources[i] and (key not in best or links[i, j] > links[i, best[key]]):
            best[key] = j
    return best


def _anchored(component: Sequence[int], links: NDArray[np.float64], sources: Sequence[str]) -> set[tuple[int, ...]]:
    """Each statement of ``component`` with its best linked counterpart of each other source; a
    source it has no link with is completed through a counterpart's own link there, the
    strongest (three outlets word one fact three ways: the first may be closer to the second,
    and the second to the third, than the first to the third)."""
    groups: set[tuple[int, ...]] = set()
    for i in component:
        best = _best_links(i, links, sources)
        reached: dict[str, tuple[float, int]] = {}
        for j in best.values():
            for key, k in _best_links(j, links, sources).items():
                if key != sources[i] and key not in best and (key not in reached or links[j, k] > reached[key][0]):
                    reached[key] = (float(links[j, k]), k)
        groups.add(tuple(sorted([i, *best.values(), *(k for _, k in reached.values())])))
    return groups


def _maximal(groups: set[tuple[int, ...]]) -> list[list[int]]:
    """``groups`` without those inside a larger one."""
    containing: dict[int, list[frozenset[int]]] = {}
    for g in sorted(groups, key=len, reverse=True):
        members = frozenset(g)
        if any(members < other for other in containing.get(g[0], [])):
            continue
        for k in g:
            containing.setdefault(k, []).append(members)
    return [list(g) for g in sorted({tuple(sorted(m)) for ms in containing.values() for m in ms})]


def counterpart_groups(links: NDArray[np.float64], sources: Sequence[str]) -> list[list[int]]:
    """Facts as statement indices: each statement with its best linked counterpart of each other
    source (``sources[k]``: what counts once towards corroboration). A fact is thus one statement
    and its counterparts, never a chain of related sentences; a group inside a larger one is left
    out, and a statement with no link is a fact of its own."""
    return _maximal(_anchored(range(links.shape[0]), links, sources))


def independent_key(article: str, outlets: Mapping[str, str | None], origins: Mapping[str, str]) -> str:
    """What counts once towards corroboration: the outlet of the article's origin (a wire copy
    counts as its origin), else the origin itself."""
    origin = origins.get(article, article)
    return outlets.get(origin) or outlets.get(article) or origin


def _support(st: Statement) -> Support:
    return Support(article=st.article, outlet=st.outlet, span=st.span, text=st.text)


def _central(group: Sequence[Statement], links: NDArray[np.float64], index: Sequence[int]) -> Statement:
    """The statement that best stands for the group: most strongly linked to the others, the
    outlet's own narration preferred over quotes."""
    if len(group) == 1:
        return group[0]
    sub = links[np.ix_(index, index)]
    means = np.where(np.isfinite(sub), sub, 0.0).sum(axis=1)
    best = max(range(len(group)), key=lambda k: (group[k].attribution.kind == "narration", means[k]))
    return group[best]


def _side(st: Statement, key: str, value: str) -> DisputeSide:
    return DisputeSide(value=value, outlets=[st.outlet or key], support=[_support(st)])


def _amount_values(a: Statement, b: Statement, tol: float) -> tuple[str, str] | None:
    """The two statements' figures of one unit when no figure of that unit agrees."""
    if not amount_relation(a, b, tol)[1]:
        return None
    units = {_unit(m) for m in a.amounts} & {_unit(m) for m in b.amounts}
    for unit in sorted(units):
        xs = [m for m in a.amounts if _unit(m) == unit]
        ys = [m for m in b.amounts if _unit(m) == unit]
        if not any(amounts_agree(x, y, tol) for x in xs for y in ys):
            return xs[0].text, ys[0].text
    return None


@functools.lru_cache(maxsize=1 << 14)  # one story names its actors again and again
def _surname(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""


def actor_swap(a: Statement, b: Statement) -> tuple[str, str] | None:
    """The one actor each statement names in what it reports where the other names another
    ("Governor A signed the bill" / "Governor B signed the bill"). Speakers do not count (two
    people saying one thing is no dispute), nor extra actors on one side only (one outlet names
    more of those involved); names are compared by their last word, as outlets shorten them
    ("Vladimir V. Putin" / "Putin")."""
    surnames_a = {_surname(n) for n in a.claim_actors}
    surnames_b = {_surname(n) for n in b.claim_actors}
    only_a = [n for n in a.claim_actors if _surname(n) not in surnames_b]
    only_b = [n for n in b.claim_actors if _surname(n) not in surnames_a]
    return (only_a[0], only_b[0]) if len(only_a) == 1 and len(only_b) == 1 else None


def slot_conflict(a: Statement, b: Statement, tol: float) -> tuple[DisputeKind, str, str] | None:
    """Where two statements fill one slot differently, with the value each gives: figures of one
    unit that never agree, dates of one kind that differ, or one actor swapped for another.
    Figures and dates are compared as parsed values ("12" / "twelve" agree)."""
    if (values := _amount_values(a, b, tol)) is not None:
        return "amount", *values
    if date_conflict(a.dates, b.dates):
        return "date", ", ".join(sorted(a.dates)), ", ".join(sorted(b.dates))
    if (swap := actor_swap(a, b)) is not None:
        return "actor", *swap
    return None


def dispute_between(
    a: Statement, b: Statement, verdict: Verdict | None, tol: float
) -> tuple[DisputeKind, str, str] | None:
    """How two linked statements of different sources disagree, with the value each gives: one
    denies what the other reports, or they fill one slot differently (:func:`slot_conflict`) and
    the pair model, reading both (``verdict``; None: not read), confirms it: for figures, it
    reads a contradiction more likely than the same information; for dates and actors, which it
    was not trained to tell apart (it reads "on Tuesday" / "on Thursday" as the same), it reads
    the two as reporting one thing, the same or contradicting, so that two sentences merely
    related (another detail, another speaker) never dispute. A difference in wording alone is
    never a dispute."""
    if a.denial != b.denial:
        return "denial", ("denies" if a.denial else "reports"), ("denies" if b.denial else "reports")
    if verdict is None:
        return None
    found = slot_conflict(a, b, tol)
    if found is None:
        return None
    if found[0] == "amount":
        return found if verdict.contradicts > verdict.same else None
    return found if verdict.same + verdict.contradicts >= 0.5 else None


def _linked_pairs(
    index: Sequence[int], sources: Sequence[str], links: NDArray[np.float64]
) -> Iterator[tuple[int, int]]:
    """Pairs of a fact's statements from different sources that link directly (never one
    outlet against itself)."""
    for i, j in combinations(index, 2):
        if sources[i] != sources[j] and np.isfinite(links[i, j]):
            yield i, j


def pairs_to_read(
    groups: Sequence[Sequence[int]],
    statements: Sequence[Statement],
    sources: Sequence[str],
    links: NDArray[np.float64],
    s: LinkSettings,
) -> list[tuple[int, int]]:
    """The linked pairs whose slots conflict, which the pair model must read before a dispute
    is declared: few in a story, at most ``s.pair_budget`` pairs of sentences (the strongest
    links first)."""
    linked = {pair for index in groups for pair in _linked_pairs(index, sources, links)}
    found = {(i, j) for i, j in linked if slot_conflict(statements[i], statements[j], s.amount_tolerance) is not None}
    # Clauses keep their sentence's span: the budget counts pairs of sentences, each read once.
    chosen: list[tuple[int, int]] = []
    sentences: set[tuple[str, Span, str, Span]] = set()
    for i, j in sorted(found, key=lambda p: (-links[p], p)):
        pair = (statements[i].article, statements[i].span, statements[j].article, statements[j].span)
        if pair not in sentences and len(sentences) == s.pair_budget:
            continue
        sentences.add(pair)
        chosen.append((i, j))
    return chosen


def find_dispute(
    index: Sequence[int],
    statements: Sequence[Statement],
    sources: Sequence[str],
    links: NDArray[np.float64],
    verdicts: Mapping[tuple[int, int], Verdict],
    s: LinkSettings,
) -> Dispute | None:
    """The first disagreement between two directly linked statements of the fact ``index`` from
    different sources, its two sides shown side by side; ``Dispute.fact`` is 0 until placed."""
    for i, j in _linked_pairs(index, sources, links):
        found = dispute_between(statements[i], statements[j], verdicts.get((i, j)), s.amount_tolerance)
        if found is not None:
            kind, x, y = found
            sides = [_side(statements[i], sources[i], x), _side(statements[j], sources[j], y)]
            return Dispute(fact=0, about=kind, sides=sides)
    return None


def quoted_speaker(group: Sequence[Statement]) -> str | None:
    """The one named speaker whom every statement of ``group`` quotes (outlets name them in full
    or by surname: "Jane Roe" / "Roe"), in their fullest name; None when any statement is the
    outlet's own narration, an unnamed source's, or another speaker's."""
    names = [st.attribution.speaker for st in group if st.attribution.kind == "named" and st.attribution.speaker]
    if len(names) < len(group) or len({_surname(n) for n in names}) != 1:
        return None
    return max(names, key=len)


def _fact(group: list[Statement], keys: Mapping[str, str], central: Statement, disputed: bool) -> Fact:
    sources = len({keys[st.article] for st in group})
    status: FactStatus = "disputed" if disputed else ("corroborated" if sources >= 2 else "single-source")
    ordered = sorted(group, key=lambda st: (st is not central, st.article, st.span))
    return Fact(
        text=central.text,
        status=status,
        support=[_support(st) for st in ordered],
        independent_sources=sources,
        according_to=quoted_speaker(group),
    )


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


def units_of(items: Sequence[tuple[Article, Analysis]]) -> tuple[list[Statement], list[Any]]:
    """The statements compared across articles (:func:`storydesk.crosscheck.clauses.units`:
    sentences or their clauses), with their kept vectors (None where none is kept)."""
    statements: list[Statement] = []
    kept: list[Any] = []
    for art, an in items:
        units = clauses.units(art, an)
        statements += units
        kept += vectors.kept_rows(an, units)
    return statements, kept


def cross_check(items: Sequence[tuple[Article, Analysis]], origins: Mapping[str, str] | None = None) -> CrossCheck:
    """Facts and disputes of one story's analysed articles.

    ``origins`` maps an article id to the id of the article it copies (wire syndication); an
    article not in it is its own origin."""
    s = settings()
    statements, kept = units_of(items)
    outlets = {an.id: an.outlet for _, an in items}
    keys = {an.id: independent_key(an.id, outlets, origins or {}) for _, an in items}
    sources = [keys[st.article] for st in statements]
    links = link_matrix(score_matrix(statements, s, kept), sources, s)
    groups = counterpart_groups(links, sources)
    verdicts = read_pairs(statements, pairs_to_read(groups, statements, sources, links, s))
    check = CrossCheck()
    seen: set[tuple[tuple[str, Span], ...]] = set()
    for index in groups:
        group = [statements[k] for k in index]
        shown = tuple(sorted((st.article, st.span) for st in group))
        if shown in seen:
            continue  # two clauses of one sentence with counterparts in the same sentences: one fact
        seen.add(shown)
        dispute = find_dispute(index, statements, sources, links, verdicts, s)
        central = _central(group, links, index)
        check.facts.append(_fact(group, keys, central, dispute is not None))
        check.statements.append(group)
        if dispute is not None:
            check.disputes.append(dispute.model_copy(update={"fact": len(check.facts) - 1}))
    return _rank(check)


def build_facts(items: Sequence[tuple[Article, Analysis]], origins: Mapping[str, str] | None = None) -> list[Fact]:
    """The facts of one story (see :func:`cross_check`)."""
    return cross_check(items, origins).facts
