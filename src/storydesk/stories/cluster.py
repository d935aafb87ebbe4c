"""Story clustering: which articles report the same story.

A single pass over articles in date order, then a revisit. Each article becomes a TF-IDF vector
over terms (:mod:`storydesk.stories.terms`) in three channels, each scaled to its own weight:
lower-cased words,
capitalised words (names, places) and numbers. Names and numbers tell one event from another of
the same kind (two earthquakes, two boxing title fights) better than common words do; giving
them channels of their own keeps a long article's many common words from drowning them. IDF
comes from running document frequencies, so the vocabulary grows as articles stream in.

The article joins the story whose centroid is most similar if that cosine reaches
``threshold``, else it starts a new story. A story whose dates lie within ``window_days`` of
the article's date needs ``threshold``; one up to ``horizon_days`` away needs ``far_threshold``
(follow-ups: a trial months after a crime); older ones are not compared. An article or story
without a date is compared with every story. Candidates are the stories that share one of the
article's most heavily weighted terms (an inverted index), so the cost grows with the stories
that could match, not with all stories; the cosines with all candidates come from one sparse
matrix-vector product over the stories' centroids (:mod:`storydesk.stories.centroids`).

A single pass decides on what it has seen so far: an early article can join a story that later
articles show to be another event. :meth:`StoryClusterer.revisit` looks at articles again
against the current stories and moves an article when another story is clearly more similar
(by ``move_margin``) than the rest of its own, or out into a story of its own when the rest of
its story no longer reaches ``threshold``. Before that it looks at each story that holds one of
those articles: a story whose members fall in two groups much less alike across than within
(``split_ratio``) and whose groups' figures differ (``split_numbers``, see
:mod:`storydesk.stories.split`) is two events of one kind, and the group
without the story's first article moves to a new story. Moves are reported as :class:`Move`
records.

Order: :meth:`StoryClusterer.cluster` takes dated articles first, oldest first (ties in input
order), then undated ones in input order, so that undated articles can join the stories the
dated ones have built; then it revisits. Streaming the same articles through
:meth:`StoryClusterer.add` in that order and calling :meth:`StoryClusterer.revisit` gives the
same stories and the same ids.

A clusterer can go on from a state kept apart from it (in the store: ``state``, see
:mod:`storydesk.stories.state`), reading only what the articles added need: their terms' ids
and document frequencies, the postings of the terms that find their candidates, those
stories' dates, sizes and centroids, and the members of the stories it changes. Candidates
then come in the order a clusterer rebuilt from every article would have registered them, so
that ties go the same way, and :meth:`StoryClusterer.changes` hands back what to keep.

Story ids derive from the id of the story's first article (``"s-"`` + a hash), so rebuilding
from a store in the same order yields the same ids; a story keeps its id while it has articles,
even when its first article moves away.

Measured with the settings below (``benchmarks/bench_cluster.py``), B-cubed F1: BASIL dev
0.977, ECB+ 0.926, gva 0.898. The split's spectral cut and its numbers test (see
:mod:`storydesk.stories.split`) gave ECB+ +0.014 (spectral cut alone +0.004, numbers test alone
+0.009; numbers agreement 0.3: 0.920, 0.5: 0.923); on the ECB+ train topics alone 0.889 ->
0.905, on the other topics 0.913 -> 0.935; BASIL and gva the same. With the first cut only and
no numbers test: 0.977, 0.912, 0.898; before the split 0.977, 0.874, 0.898 (split ratio 0.6:
ECB+ 0.905, 0.65: 0.904; BASIL and gva unchanged; groups of two instead of three: the same); before
(one channel, no revisit) 0.984, 0.860, 0.890. On ECB+ the names and numbers channels gave
+0.01 and the revisit +0.015; a penalty for stories whose heaviest names conflict with the
article's cost more recall than it gained precision, and so did a bar on joining a story whose
members are much more alike among themselves than with the article (the split's test applied
to each join). Speed and memory at scale: ``benchmarks/bench_cluster_scale.py``.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from storydesk.errors import InputError
from storydesk.models import Article
from storydesk.stories.centroids import Centroids
from storydesk.stories.split import bisect
from storydesk.stories.state import (
    Float32Array,
    Int32Array,
    SavedStory,
    StateChanges,
    StateSource,
    StoredStory,
    StoredVector,
)
from storydesk.stories.terms import NUMBERS, Terms, Vocabulary

THRESHOLD = 0.27  # one value for every corpus (see benchmarks/bench_cluster.py)
WINDOW_DAYS = 7
TITLE_WEIGHT = 1.0
NAMES_WEIGHT = 2.0  # channel weights relative to the words channel
NUMBERS_WEIGHT = 1.0
FAR_THRESHOLD = 0.5
HORIZON_DAYS = 90
MOVE_MARGIN = 0.02
SPLIT_RATIO = 0.7  # a story splits in two groups this much less alike across than within
SPLIT_MIN = 3  # members in each group at least
SPLIT_NUMBERS = 0.4  # unless the groups' figures agree this much (numbers cosine of centroids)
RETRIEVE_TERMS = 16  # an article's heaviest terms that find candidate stories
POST_TERMS = 96  # a member's heaviest terms under which its story is indexed
MIN_SHARED = 3  # of those terms a candidate story must hold (fewer when the article has fewer)
MAX_POSTING = 2000  # stories under a term beyond which it does not find candidates
NEW_ORDER = 1 << 40  # rank of stories made after a kept state was read: after every kept one

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Move(NamedTuple):
    """An article that :meth:`StoryClusterer.revisit` moved from one story to another."""

    article: str
    source: str
    target: str


@dataclass
class _Story:
    id: str
    index: int  # position in StoryClusterer._stories
    members: set[str] = field(default_factory=set)
    first: float = math.inf  # date ordinals of its dated members; first > last while there are none
    last: float = -math.inf
    sq_norm: float = 0.0  # of its centroid (the sum of its members' unit vectors; in StoryClusterer._centroids)


@dataclass
class _Vector:
    """One article's unit vector (kept for revisiting: 32-bit halves the memory), date and
    heaviest terms (that find its candidate stories)."""

    indices: npt.NDArray[np.int32]
    data: npt.NDArray[np.float32]
    when: float | None
    retrieve: list[int]
    position: int  # in the order articles came (restored or added): 0, 1, ...


def story_id(first_article_id: str) -> str:
    """The id of a story that starts with article ``first_article_id``."""
    return "s-" + hashlib.blake2b(first_article_id.encode("utf-8"), digest_size=6).hexdigest()


def _ordinal(article_id: str, value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(date.fromisoformat(value.strip()[:10]).toordinal())
    except ValueError as exc:
        raise InputError(article_id, f"date {value!r} is not an ISO 8601 date") from exc


def stream_order(articles: Iterable[Article]) -> list[Article]:
    """Dated articles oldest first (stable), then undated ones in input order."""
    items = list(articles)
    dated = sorted(
        (a for a in items if a.date), key=lambda a: _ordinal(a.id, a.date) or 0.0
    )  # sorted() is stable: same-day articles keep input order
    return dated + [a for a in items if not a.date]


def _gram(vectors: list[_Vector], keep: Callable[[Int32Array], npt.NDArray[np.bool_]] | None = None) -> FloatArray:
    """Dot products between the vectors, all pairs (cosines, as they are unit vectors); with
    ``keep``, of their parts at the terms that ``keep`` marks."""
    ends = np.cumsum([0] + [len(v.indices) for v in vectors])
    indices = np.concatenate([v.indices for v in vectors])
    data = np.concatenate([v.data for v in vectors])
    if keep is not None:
        data = np.where(keep(indices), data, np.float32(0.0))
    matrix = sp.csr_matrix((data, indices, ends), shape=(len(vectors), int(indices.max(initial=0)) + 1))
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def _held_by(stories: IntArray, times: int, count: int) -> IntArray:
    """The stories (ascending) that occur at least ``times`` times in ``stories``, numbers
    below ``count``."""
    if count <= 2 * len(stories):  # a count per story costs less than finding the range
        return np.flatnonzero(np.bincount(stories) >= times)
    low, high = int(stories.min()), int(stories.max())
    if high - low < 8 * len(stories):  # a count per story in the range costs less than sorting
        return np.flatnonzero(np.bincount(stories - low) >= times) + low
    found, shared = np.unique(stories, return_counts=True)
    return found[shared >= times]


def _heaviest_positions(data: Float32Array, k: int) -> IntArray | slice:
    """Where the ``k`` largest of ``data`` are."""
    return slice(None) if len(data) <= k else np.argpartition(-data, k)[:k]


def _inserted(
    indices: Int32Array, data: Float32Array, positions: IntArray, terms: Int32Array
) -> tuple[Int32Array, Float32Array]:
    """``indices`` with ``terms`` inserted before ``positions`` (both ascending), and ``data``
    with a 0 for each (np.insert, without its overhead)."""
    size = len(indices) + len(terms)
    at = positions + np.arange(len(terms))
    merged = np.empty(size, dtype=np.int32)
    merged[at] = terms
    old = np.ones(size, dtype=bool)
    old[at] = False
    merged[old] = indices
    weights = np.zeros(size, dtype=np.float32)
    weights[old] = data
    return merged, weights


def _locate(indices: Int32Array, terms: Int32Array) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Where ``terms`` (ascending) are or would go in ``indices`` (ascending), and which are there."""
    positions = np.searchsorted(indices, terms)
    if not len(indices):
        return positions, np.zeros(len(terms), dtype=bool)
    return positions, indices[np.minimum(positions, len(indices) - 1)] == terms


def _accumulate(
    indices: Int32Array, data: Float32Array, vector: _Vector
) -> tuple[Int32Array, Float32Array, float, Int32Array | None]:
    """A centroid (ascending term ids, weights) with ``vector`` added: its arrays (``data``
    changed in place when the vector brings no new terms), the dot product of the centroid
    before with the vector, and the new terms to post the story under (the vector's heaviest
    among those the centroid lacked; None when it lacked none)."""
    positions, inside = _locate(indices, vector.indices)
    dot = 0.0
    if len(data):  # the centroid's weights at the article's terms (0 where it has none)
        held = np.where(inside, data[np.minimum(positions, len(data) - 1)], np.float32(0.0))
        dot = float(held @ vector.data)
    if inside.all():
        data[positions] += vector.data
        return indices, data, dot, None
    outside = ~inside
    heavy = np.zeros(len(inside), dtype=bool)
    heavy[_heaviest_positions(vector.data, POST_TERMS)] = True
    posted = vector.indices[outside & heavy]
    indices, data = _inserted(indices, data, positions[outside], vector.indices[outside])
    data[np.searchsorted(indices, vector.indices)] += vector.data
    return indices, data, dot, posted


class _Index:
    """Stories by term (posting lists of story numbers, appended as stories gain terms) and
    each story's date range as arrays, for filtering candidates without a Python loop."""

    def __init__(self) -> None:
        self.count = 0  # stories
        self.postings: defaultdict[int, array[int]] = defaultdict(partial(array, "q"))
        self.unread: dict[int, int] = {}  # term -> stories posted under it in a kept state, not read yet
        self.first = np.zeros(64)
        self.last = np.zeros(64)
        self.members = np.zeros(64, dtype=np.int64)  # by story: members
        self.sq_norm = np.zeros(64)  # and squared norm of its centroid
        self.order = np.zeros(64, dtype=np.int64)  # and rank (ties go to the first); with a kept state only

    def grow(self, n: int) -> None:
        """Room for ``n`` stories."""
        self.count = n
        if n > len(self.first):
            extra = max(n, 2 * len(self.first)) - len(self.first)
            self.first = np.concatenate([self.first, np.zeros(extra)])
            self.last = np.concatenate([self.last, np.zeros(extra)])
            self.members = np.concatenate([self.members, np.zeros(extra, dtype=np.int64)])
            self.sq_norm = np.concatenate([self.sq_norm, np.zeros(extra)])
            self.order = np.concatenate([self.order, np.zeros(extra, dtype=np.int64)])

    def sync(self, story: int, members: int, sq_norm: float) -> None:
        self.members[story], self.sq_norm[story] = members, sq_norm

    def post(self, story: int, terms: npt.NDArray[np.integer]) -> None:
        for posting in map(self.postings.__getitem__, terms.tolist()):  # a new term: a new posting
            posting.append(story)

    def chosen(self, terms: list[int]) -> list[int]:
        """Those of ``terms`` whose postings find candidates (stories posted in a kept state
        and not read yet count)."""
        sized = [(t, n) for t in terms if (n := len(self.postings.get(t, ())) + self.unread.get(t, 0))]
        if not sized:
            return []
        # A term that most stories hold finds nothing in particular and costs the most.
        return [t for t, n in sized if n <= MAX_POSTING] or [min(sized, key=lambda tn: tn[1])[0]]

    def candidates(
        self,
        terms: list[int],
        when: float | None,
        horizon: float,
        state: _Reader | None = None,
    ) -> IntArray:
        """Stories holding one of ``terms`` whose dates lie within ``horizon`` days of ``when``
        (any date when ``when`` is None; an undated story spans every date). With a kept
        ``state``, what they need of it is read first, and they come in rank order."""
        if state is not None:
            state.probe(terms)
        chosen = self.chosen(terms)
        if not chosen:
            return np.zeros(0, dtype=np.int64)
        if state is not None:
            state.read_postings([t for t in chosen if t in self.unread])
        lists = [self.postings[t] for t in chosen]
        found = _held_by(np.frombuffer(b"".join(lists), dtype=np.int64), min(MIN_SHARED, len(lists)), self.count)
        if state is not None:
            state.read_stories(found)
        found = found[self.members[found] > 0]
        if when is not None:
            keep = (self.last[found] >= when - horizon) & (self.first[found] <= when + horizon)
            found = found[keep]
        if state is not None:  # numbers do not follow the order a rebuilt clusterer would give them
            found = found[np.argsort(self.order[found], kind="stable")]
        return found


class StoryClusterer:
    """Assigns articles to stories one at a time; see the module docstring."""

    def __init__(
        self,
        threshold: float = THRESHOLD,
        window_days: float = WINDOW_DAYS,
        title_weight: float = TITLE_WEIGHT,
        names_weight: float = NAMES_WEIGHT,
        far_threshold: float = FAR_THRESHOLD,
        horizon_days: float = HORIZON_DAYS,
        numbers_weight: float = NUMBERS_WEIGHT,
        move_margin: float = MOVE_MARGIN,
        split_ratio: float = SPLIT_RATIO,
        split_numbers: float = SPLIT_NUMBERS,
        state: StateSource | None = None,
    ) -> None:
        """With ``state``, the clusterer goes on from a kept state (see :mod:`storydesk.stories.state`),
        reading of it only what the articles added need."""
        self.split_ratio = split_ratio
        self.split_numbers = split_numbers
        self.threshold = threshold
        self.window_days = window_days
        self.title_weight = title_weight
        self.far_threshold = far_threshold
        self.horizon_days = horizon_days
        self.move_margin = move_margin
        self._scales = np.sqrt([1.0, names_weight, numbers_weight])
        self._vocabulary = Vocabulary()
        self._df = np.zeros(1024, dtype=np.float64)  # document frequency by term id, grown with the vocabulary
        self._docs = 0
        self._stories: dict[int, _Story] = {}  # by number (read from a kept state only when needed)
        self._numbers = 0  # story numbers handed out
        self._centroids = Centroids()
        self._ids: set[str] = set()
        self._by_id: dict[str, _Story] = {}
        self._index = _Index()
        self._vectors: dict[str, _Vector] = {}
        self._unsettled: dict[str, None] = {}  # added or restored since the last revisit, in order
        # Scratch for one query vector, as long as _df; 32-bit like the centroids: less to move.
        self._dense = np.zeros(1024, dtype=np.float32)
        self.assignments: dict[str, str] = {}
        self._dirty: dict[int, None] = {}  # stories that gained or lost members
        self._reader = None if state is None else _Reader(self, state)
        self._base = (self._docs, self._vocabulary.size)  # the kept state's articles and terms

    def changes(self) -> StateChanges:
        """The state to keep: what changed since the clusterer was made from a kept state, or
        (made without one) all of it."""
        docs, terms = self._base
        vectors = sorted(
            ((k, v) for k, v in self._vectors.items() if v.position >= docs), key=lambda kv: kv[1].position
        )
        ids = np.unique(np.concatenate([v.indices for _, v in vectors] or [np.zeros(0, dtype=np.int32)]))
        return StateChanges(
            full=self._reader is None,
            docs=self._docs,
            terms=self._vocabulary.size,
            numbers=self._numbers,
            new_terms=self._vocabulary.entries(terms),
            frequencies=list(zip(ids.tolist(), self._df[ids].astype(np.int64).tolist(), strict=True)),
            vectors=[self._stored(k, v) for k, v in vectors],
            stories=[self._saved(self._stories[n]) for n in self._dirty],
        )

    def _stored(self, key: str, vector: _Vector) -> StoredVector:
        channels = self._vocabulary.channels(vector.indices).astype(np.int8)
        return StoredVector(key, vector.position, vector.when, vector.indices, vector.data, channels)

    def _saved(self, story: _Story) -> SavedStory:
        """A story's state as a clusterer rebuilt from its members in order would hold it."""
        vectors = sorted((self._vectors[m] for m in story.members), key=lambda v: v.position)
        indices, data = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        sq_norm, posted = 0.0, []
        for vector in vectors:
            indices, data, dot, new = _accumulate(indices, data, vector)
            sq_norm += 2 * dot + float(vector.data @ vector.data)
            if new is not None:
                posted.append(new)
        dates = [v.when for v in vectors if v.when is not None]
        summary = StoredStory(
            story.index,
            story.id,
            vectors[0].position if vectors else 0,
            len(vectors),
            min(dates) if dates else None,
            max(dates) if dates else None,
            sq_norm,
        )
        return SavedStory(summary, indices, data, np.concatenate(posted or [np.zeros(0, dtype=np.int32)]))

    def add(self, article_id: str, text: str, title: str | None = None, date: str | None = None) -> str:
        """Adds one article and returns the id of its story (the same if added again)."""
        if article_id in self.assignments:
            return self.assignments[article_id]
        if self._reader is not None:
            self._reader.prime(text, title)
        return self._add_terms(article_id, self._terms(text, title), _ordinal(article_id, date))

    def restore(self, article_id: str, text: str, title: str | None, date: str | None, story: str) -> None:
        """Adds an article already assigned to ``story`` (from a store), keeping that id."""
        if article_id in self.assignments:
            return
        vector = self._vector(self._terms(text, title), _ordinal(article_id, date))
        target = self._by_id.get(story)
        if target is None:
            target = self._register(story)
        self._join(target, article_id, vector)
        self._unsettled[article_id] = None

    def cluster(self, articles: Iterable[Article]) -> dict[str, str]:
        """Streams ``articles`` in :func:`stream_order`, then revisits them; returns article
        id -> story id for every article this clusterer holds."""
        ordered = [a for a in stream_order(articles) if a.id not in self.assignments]
        for article in ordered:
            self._add_terms(article.id, self._terms(article.text, article.title), _ordinal(article.id, article.date))
        self.revisit()
        return dict(self.assignments)

    def revisit(self, article_ids: Sequence[str] | None = None) -> list[Move]:
        """Looks at ``article_ids`` again against the current stories and moves those that
        fit elsewhere better; returns the moves. By default the articles added or restored
        since the last revisit, in that order."""
        if article_ids is None:
            article_ids, self._unsettled = list(self._unsettled), {}
        moves = []
        touched = {self.assignments[a]: None for a in article_ids if a in self.assignments}
        for sid in touched:
            moves.extend(self._split(self._by_id[sid]))
        for article_id in article_ids:
            vector = self._vectors.get(article_id)
            if vector is None:
                continue
            source = self._by_id[self.assignments[article_id]]
            target = self._better_story(article_id, vector, source)
            if target is not source:
                self._leave(source, article_id, vector)
                self._join(target, article_id, vector)
                moves.append(Move(article_id, source.id, target.id))
        return moves

    def _split(self, story: _Story) -> list[Move]:
        """Splits a story that is two events (see :mod:`storydesk.stories.split`); the part
        without the article the story's id comes from moves to a new story."""
        if len(story.members) < 2 * SPLIT_MIN:
            return []
        members = sorted(story.members)
        vectors = [self._vectors[m] for m in members]
        numbers = _gram(vectors, lambda ids: self._vocabulary.channels(ids) == NUMBERS)
        second = bisect(_gram(vectors), self.split_ratio, SPLIT_MIN, numbers, self.split_numbers)
        if second is None:
            return []
        if any(story_id(m) == story.id for m in np.array(members)[second].tolist()):
            second = ~second  # the id stays with its first article
        moving = sorted(  # oldest first: the new story takes its id (and in a store its title) from it
            ((m, v) for m, v, out in zip(members, vectors, second.tolist(), strict=True) if out),
            key=lambda mv: (math.inf if mv[1].when is None else mv[1].when, mv[0]),
        )
        target = self._new_story(moving[0][0])
        for article_id, vector in moving:
            self._leave(story, article_id, vector)
            self._join(target, article_id, vector)
        return [Move(article_id, story.id, target.id) for article_id, _ in moving]

    def _terms(self, text: str, title: str | None) -> Terms:
        terms = self._vocabulary.terms(text, title, self.title_weight)
        self._fit()
        return terms

    def _fit(self) -> None:
        """Room for every term id handed out, doubling."""
        if self._vocabulary.size > len(self._df):
            grown = max(self._vocabulary.size, 2 * len(self._df))
            self._df = np.concatenate([self._df, np.zeros(grown - len(self._df))])
            self._dense = np.zeros(grown, dtype=np.float32)  # all zero between queries

    def _vector(self, terms: Terms, when: float | None) -> _Vector:
        """Unit TF-IDF vector: sublinear TF, smoothed IDF from the documents seen so far, each
        channel scaled to unit length times its weight before the whole is made unit."""
        indices = terms.ids
        self._docs += 1
        self._df[indices] += 1
        idf = np.log((self._docs + 1) / (self._df[indices] + 1)) + 1
        weights: FloatArray = (1 + np.log(terms.counts)) * idf
        norms = np.sqrt(np.bincount(terms.channels, weights=weights * weights, minlength=len(self._scales)))
        weights *= np.divide(self._scales, norms, out=np.zeros_like(norms), where=norms > 0)[terms.channels]
        norm = math.sqrt(float(weights @ weights))
        unit = weights / norm if norm else weights
        data = unit.astype(np.float32)
        retrieve = indices[_heaviest_positions(data, RETRIEVE_TERMS)].tolist()
        return _Vector(indices.astype(np.int32), data, when, retrieve, self._docs - 1)

    def _add_terms(self, article_id: str, terms: Terms, when: float | None) -> str:
        vector = self._vector(terms, when)
        found, sims = self._similarities(vector)
        best = self._best(found, sims, vector.when, exclude=-1)
        story = self._new_story(article_id) if best is None else self._story(best)
        self._join(story, article_id, vector)
        self._unsettled[article_id] = None
        return story.id

    def _similarities(self, vector: _Vector) -> tuple[IntArray, FloatArray]:
        """Candidate stories for ``vector`` and the cosine with each one's centroid."""
        none = np.zeros(0, dtype=np.int64), np.zeros(0)
        if not len(vector.indices):
            return none
        found = self._index.candidates(vector.retrieve, vector.when, self.horizon_days, self._reader)
        if not len(found):
            return none
        if self._reader is not None:
            self._reader.read_centroids(found)
        self._dense[vector.indices] = vector.data
        dots = self._centroids.dots(found, self._dense)
        self._dense[vector.indices] = 0.0
        return found, dots / np.sqrt(self._index.sq_norm[found])

    def _best(self, found: IntArray, sims: FloatArray, when: float | None, exclude: int) -> int | None:
        """The most similar story that passes its threshold (the first on ties), other than
        ``exclude``. Beyond the window a story passes only when very similar (a follow-up)."""
        if when is None:
            need = np.full(len(found), self.threshold)
        else:  # within the window of ``when``: some date of the story lies that close
            near = (self._index.first[found] <= when + self.window_days) & (
                self._index.last[found] >= when - self.window_days
            )
            need = np.where(near, self.threshold, self.far_threshold)
        passing = np.where((sims >= need) & (found != exclude), sims, -1.0)
        if not len(passing):
            return None
        best = int(np.argmax(passing))
        return None if passing[best] < 0 else int(found[best])

    def _better_story(self, article_id: str, vector: _Vector, source: _Story) -> _Story:
        """Where the article belongs now: its own story, another one, or a new one."""
        found, sims = self._similarities(vector)
        best = self._best(found, sims, vector.when, exclude=source.index)
        if len(source.members) == 1:
            return source if best is None else self._story(best)
        rest = self._cosine_without(source, vector)
        if best is not None and float(sims[found == best][0]) >= rest + self.move_margin:
            return self._story(best)
        if rest < self.threshold - self.move_margin:
            return self._new_story(article_id)
        return source

    def _cosine_without(self, story: _Story, vector: _Vector) -> float:
        """Cosine of a member's vector with the centroid of the story's other members."""
        indices, data = self._centroids.get(story.index)
        dot = float(data[np.searchsorted(indices, vector.indices)] @ vector.data)
        sq_norm = story.sq_norm - 2 * dot + float(vector.data @ vector.data)
        return (dot - float(vector.data @ vector.data)) / math.sqrt(sq_norm) if sq_norm > 1e-12 else 0.0

    def _new_story(self, article_id: str) -> _Story:
        sid = story_id(article_id)
        n = 2
        while sid in self._ids or (self._reader is not None and self._reader.state.has_story(sid)):
            # a hash collision or a moved first article: still deterministic
            sid, n = f"{story_id(article_id)}-{n}", n + 1
        return self._register(sid)

    def _story(self, number: int) -> _Story:
        story = self._stories.get(number)
        if story is None:  # only with a kept state: every other story is registered
            assert self._reader is not None
            story = self._reader.read_story(number)
        return story

    def _register(self, sid: str, number: int | None = None) -> _Story:
        """A new story, or (``number`` given) one read from a kept state."""
        made = number is None
        if number is None:
            number = self._numbers
            self._numbers += 1
        self._ids.add(sid)
        story = _Story(sid, number)
        self._stories[number] = story
        self._centroids.grow(max(self._numbers, self._centroids.count))
        self._by_id[sid] = story
        self._index.grow(max(self._numbers, self._index.count))
        if made and self._reader is not None:  # after every kept story, as in a rebuilt clusterer
            self._index.order[number] = NEW_ORDER + number
            self._reader.known(number)
        return story

    def _join(self, story: _Story, article_id: str, vector: _Vector) -> None:
        indices, data = self._centroids.get(story.index)
        indices, data, dot, posted = _accumulate(indices, data, vector)
        if posted is not None:  # new terms: inserted in order; the heaviest of them posted
            self._index.post(story.index, posted)
            self._centroids.put(story.index, indices, data)
        self._dirty[story.index] = None
        story.sq_norm += 2 * dot + float(vector.data @ vector.data)  # |c + v|^2 = |c|^2 + 2 c.v + |v|^2
        story.members.add(article_id)
        self._index.sync(story.index, len(story.members), story.sq_norm)
        self.assignments[article_id] = story.id
        self._vectors[article_id] = vector
        self._update_dates(story, vector.when)

    def _leave(self, story: _Story, article_id: str, vector: _Vector) -> None:
        """Takes a member's vector out of the centroid (its terms stay posted: the exact
        cosine decides, so a stale posting only costs a comparison)."""
        indices, data = self._centroids.get(story.index)
        positions = np.searchsorted(indices, vector.indices)  # a member's terms are all there
        dot = float(data[positions] @ vector.data)
        data[positions] -= vector.data
        story.sq_norm = max(story.sq_norm - 2 * dot + float(vector.data @ vector.data), 0.0)
        self._dirty[story.index] = None
        story.members.discard(article_id)
        self._index.sync(story.index, len(story.members), story.sq_norm)
        story.first = story.last = math.nan  # recomputed from the members left
        self._update_dates(story, None)

    def _update_dates(self, story: _Story, when: float | None) -> None:
        """A story's date range in the index, widened to ``when`` (or, after a member left,
        recomputed); a story without dated members spans every date."""
        if when is not None:
            story.first, story.last = min(story.first, when), max(story.last, when)
        elif math.isnan(story.first):
            dates = [w for m in story.members if (w := self._vectors[m].when) is not None]
            story.first, story.last = (min(dates), max(dates)) if dates else (math.inf, -math.inf)
        dated = story.last >= story.first
        self._index.first[story.index] = story.first if dated else -math.inf
        self._index.last[story.index] = story.last if dated else math.inf


class _Reader:
    """What a clusterer reads of a kept state, when it first needs it: the ids and document
    frequencies of an article's terms, the postings of the terms that find its candidates,
    the candidates' dates, sizes and centroids, and the members of a story it changes."""

    def __init__(self, clusterer: StoryClusterer, state: StateSource) -> None:
        self.clusterer = clusterer
        self.state = state
        self.probed: set[int] = set()  # terms whose postings' size is known
        self.summarised = np.zeros(state.numbers, dtype=bool)  # stories whose dates and sizes are read
        self.with_centroid = np.zeros(state.numbers, dtype=bool)
        self.ids: dict[int, str] = {}
        clusterer._docs = state.docs
        clusterer._vocabulary.start_at(state.terms)
        clusterer._fit()
        clusterer._numbers = state.numbers
        clusterer._index.grow(state.numbers)
        clusterer._centroids.grow(state.numbers)

    def known(self, number: int) -> None:
        """A story made here: nothing of it to read."""
        if number >= len(self.summarised):
            grown = max(number + 1, 2 * len(self.summarised))
            self.summarised = np.concatenate([self.summarised, np.zeros(grown - len(self.summarised), dtype=bool)])
            self.with_centroid = np.concatenate(
                [self.with_centroid, np.zeros(grown - len(self.with_centroid), dtype=bool)]
            )
        self.summarised[number] = self.with_centroid[number] = True

    def prime(self, text: str, title: str | None) -> None:
        """The kept ids and document frequencies of the article's terms the clusterer lacks."""
        vocabulary = self.clusterer._vocabulary
        wanted = vocabulary.unseen(text, title)
        if not wanted:
            return
        found = self.state.term_ids(wanted)
        vocabulary.seed((channel, term, term_id) for channel, term, term_id, _ in found)
        self.clusterer._fit()
        for _, _, term_id, df in found:
            self.clusterer._df[term_id] = df

    def probe(self, terms: list[int]) -> None:
        index = self.clusterer._index
        new = [t for t in terms if t not in self.probed]
        if new:
            index.unread.update(self.state.posting_sizes(new))
            self.probed.update(new)

    def read_postings(self, terms: list[int]) -> None:
        """The kept postings of ``terms``, before those made here."""
        if not terms:
            return
        index = self.clusterer._index
        kept: dict[int, array[int]] = {t: array("q") for t in terms}
        for term, story in self.state.postings(terms):
            kept[term].append(story)
        for term, stories in kept.items():
            made = index.postings.get(term)
            index.postings[term] = stories + made if made is not None else stories
            del index.unread[term]

    def read_stories(self, numbers: IntArray) -> None:
        """The dates, sizes and ranks of those of ``numbers`` not read yet."""
        unread = numbers[~self.summarised[numbers]].tolist()
        if not unread:
            return
        index = self.clusterer._index
        for story in self.state.stories(unread):
            n = story.number
            index.members[n], index.sq_norm[n], index.order[n] = story.members, story.sq_norm, story.order
            index.first[n] = -math.inf if story.first is None else story.first
            index.last[n] = math.inf if story.last is None else story.last
            self.ids[n] = story.id
        self.summarised[unread] = True

    def read_centroids(self, numbers: IntArray) -> None:
        unread = numbers[~self.with_centroid[numbers]].tolist()
        if not unread:
            return
        for number, indices, data in self.state.centroids(unread):
            self.clusterer._centroids.put(number, indices, data)
        self.with_centroid[unread] = True

    def read_story(self, number: int) -> _Story:
        """A kept story with its members, registered with the clusterer."""
        found = np.array([number])
        self.read_stories(found)
        self.read_centroids(found)
        clusterer = self.clusterer
        story = clusterer._register(self.ids[number], number)
        index = clusterer._index
        story.sq_norm = float(index.sq_norm[number])
        for member in self.state.members(number):
            clusterer._vocabulary.note_channels(member.indices, member.channels)
            retrieve = member.indices[_heaviest_positions(member.data, RETRIEVE_TERMS)].astype(np.int64).tolist()
            vector = _Vector(member.indices, member.data, member.when, retrieve, member.position)
            clusterer._vectors[member.key] = vector
            clusterer.assignments[member.key] = story.id
            story.members.add(member.key)
            if member.when is not None:
                story.first, story.last = min(story.first, member.when), max(story.last, member.when)
        return story
