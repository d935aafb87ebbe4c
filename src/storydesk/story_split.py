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

Dates: a second event starts after the first, so its articles come later. When both groups
hold dated articles and their date ranges overlap, the groups were reported over the same
days: one event covered from two angles (the check-in and the lawyer's statement about it),
and the story stays whole. Undated articles say nothing either way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.linalg

ROUNDS = 10  # 2-means rounds at most (it settles in two or three)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def bisect(
    gram: FloatArray, ratio: float, min_size: int, dates: Sequence[float | None] | None = None
) -> BoolArray | None:
    """The members (rows of the ``gram`` matrix of their cosines) of the second group when
    the story is two groups, each of at least ``min_size`` members, whose average cross
    similarity is below ``ratio`` times the average similarity within the looser group, and
    (given the members' ``dates``, day ordinals or None) not reported over the same days; else
    None."""
    if len(gram) < 2 * min_size:
        return None
    cuts = [c for c in (_settled(gram, s, min_size) for s in (_from_extremes(gram), _spectral(gram))) if c is not None]
    if not cuts:
        return None
    ratios = [_cross(gram, c) / min(_within(gram, c), _within(gram, ~c)) for c in cuts]
    second = cuts[int(np.argmin(ratios))]
    if min(ratios) >= ratio or (dates is not None and _concurrent(dates, second)):
        return None
    return second


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


def _concurrent(dates: Sequence[float | None], second: BoolArray) -> bool:
    """Whether both groups have dated members and their date ranges overlap."""
    inside = [d for d, x in zip(dates, second.tolist(), strict=True) if x and d is not None]
    outside = [d for d, x in zip(dates, second.tolist(), strict=True) if not x and d is not None]
    return bool(inside and outside) and min(inside) <= max(outside) and min(outside) <= max(inside)


def _cross(gram: FloatArray, group: BoolArray) -> float:
    """Average cosine between members of ``group`` and the rest."""
    return float(gram[np.ix_(group, ~group)].mean())


def _within(gram: FloatArray, group: BoolArray) -> float:
    """Average cosine between distinct members of ``group``."""
    sub = gram[np.ix_(group, group)]
    k = len(sub)
    return float((sub.sum() - np.trace(sub)) / (k * (k - 1)))
