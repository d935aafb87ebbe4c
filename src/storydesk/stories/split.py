"""When a story is two events: the bisection test that the revisit applies to a story.

Articles about two events of one kind (two earthquakes, two patches for one browser) share
the kind's vocabulary, so the first article of the second event can join the first event's
story, and then the rest of the second event follows it there. Inside such a story the
articles form two groups that are each close-knit and clearly less similar to each other:
the story's average cross-group similarity is well below the average similarity within either
group. A story of one event has no such cut: its best bisection leaves halves about as similar
to each other as within themselves.

Two cuts are tried, each settled by a few rounds of average-link 2-means, and the one with the
lower cross/within ratio is tested: one grown from the story's two most distant members, and
the spectral cut (the sign of the Fiedler vector of the similarity graph), which finds the
groups when the most distant members are outliers of one event rather than one from each (on
ECB+ it found the two events in stories where the first cut did not).

Numbers: two events of one kind differ in their figures (a magnitude and a death toll, an
amount, a date), while one event reported from two angles (the check-in and the lawyer's
statement about it) repeats them. A cut whose groups' figures agree (the cosine of their
centroids over the numbers terms reaches ``agree``) leaves the story whole. On ECB+ the cuts
between events had numbers cosines of 0 to 0.33, the cuts of one event 0.49 to 0.70.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import scipy.linalg

ROUNDS = 10  # 2-means rounds at most (it settles in two or three)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def bisect(
    gram: FloatArray, ratio: float, min_size: int, numbers: FloatArray | None = None, agree: float = 1.0
) -> BoolArray | None:
    """The members (rows of the ``gram`` matrix of their cosines) of the second group when
    the story is two groups, each of at least ``min_size`` members, whose average cross
    similarity is below ``ratio`` times the average similarity within the looser group, and
    (given ``numbers``, the dot products of the members' numbers terms) whose figures do not
    agree; else None."""
    if len(gram) < 2 * min_size:
        return None
    cuts = [c for c in (_settled(gram, s, min_size) for s in (_from_extremes(gram), _spectral(gram))) if c is not None]
    if not cuts:
        return None
    ratios = [_ratio(gram, c) for c in cuts]
    second = cuts[int(np.argmin(ratios))]
    if min(ratios) >= ratio or (numbers is not None and _centroid_cosine(numbers, second) >= agree):
        return None
    return second


def _centroid_cosine(gram: FloatArray, group: BoolArray) -> float:
    """Cosine between the centroids of ``group`` and the rest, from the ``gram`` matrix of
    their members' dot products (0 when either centroid is 0)."""
    inside = float(gram[np.ix_(group, group)].sum())
    outside = float(gram[np.ix_(~group, ~group)].sum())
    if inside <= 0 or outside <= 0:
        return 0.0
    return float(gram[np.ix_(group, ~group)].sum()) / math.sqrt(inside * outside)


def _from_extremes(gram: FloatArray) -> BoolArray:
    """Members closer to the one least like the member least like the rest than to that one."""
    a = int(np.argmin(gram.sum(axis=1)))
    b = int(np.argmin(gram[a]))
    return np.asarray(gram[:, b] > gram[:, a])


def _spectral(gram: FloatArray) -> BoolArray:
    """The sign of the Fiedler vector of the normalised Laplacian of the graph whose edge
    weights are the (non-negative) cosines: the relaxed minimum normalised cut."""
    weights = np.maximum(gram, 0.0)
    np.fill_diagonal(weights, 0.0)
    degree = np.maximum(weights.sum(axis=1), 1e-9)
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(len(gram)) - weights * np.outer(scale, scale)
    _, vector = scipy.linalg.eigh(laplacian, subset_by_index=[1, 1])
    return np.asarray(vector[:, 0] * scale > 0)


def _settled(gram: FloatArray, second: BoolArray, min_size: int) -> BoolArray | None:
    """``second`` after rounds of average-link 2-means; None when a group gets too small."""
    n = len(gram)
    for _ in range(ROUNDS):
        size = int(second.sum())
        if size < min_size or n - size < min_size:
            return None
        moved = gram[:, second].mean(axis=1) > gram[:, ~second].mean(axis=1)
        if np.array_equal(moved, second):
            break
        second = moved
    size = int(second.sum())
    return None if size < min_size or n - size < min_size else second


def _ratio(gram: FloatArray, group: BoolArray) -> float:
    """Average cross similarity over the average within the looser group (inf when that is
    not positive: members without terms, no cut to make)."""
    within = min(_within(gram, group), _within(gram, ~group))
    return _cross(gram, group) / within if within > 0 else math.inf


def _cross(gram: FloatArray, group: BoolArray) -> float:
    """Average cosine between members of ``group`` and the rest."""
    return float(gram[np.ix_(group, ~group)].mean())


def _within(gram: FloatArray, group: BoolArray) -> float:
    """Average cosine between distinct members of ``group``."""
    sub = gram[np.ix_(group, group)]
    k = len(sub)
    return float((sub.sum() - np.trace(sub)) / (k * (k - 1)))
