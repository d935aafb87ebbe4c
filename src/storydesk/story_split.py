"""When a story is two events: the bisection test that the revisit applies to a story.

Articles about two events of one kind (two earthquakes, two patches for one browser) share
the kind's vocabulary, so the first article of the second event can join the first event's
story, and then the rest of the second event follows it there. Inside such a story the
articles form two groups that are each close-knit and clearly less similar to each other:
split in two by a few rounds of average-link 2-means from its two most distant members, the
story's average cross-group similarity is well below the average similarity within either
group. A story of one event has no such cut: its best bisection leaves halves about as similar
to each other as within themselves.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ROUNDS = 10  # 2-means rounds at most (it settles in two or three)

BoolArray = npt.NDArray[np.bool_]


def bisect(gram: npt.NDArray[np.float64], ratio: float, min_size: int) -> BoolArray | None:
    """The members (rows of the ``gram`` matrix of their cosines) of the second group when
    the story is two groups, each of at least ``min_size`` members, whose average cross
    similarity is below ``ratio`` times the average similarity within the looser group; else
    None."""
    n = len(gram)
    if n < 2 * min_size:
        return None
    a = int(np.argmin(gram.sum(axis=1)))  # the member least like the rest
    b = int(np.argmin(gram[a]))  # and the one least like it
    second = gram[:, b] > gram[:, a]
    for _ in range(ROUNDS):
        size = int(second.sum())
        if size < min_size or n - size < min_size:
            return None
        moved = gram[:, second].mean(axis=1) > gram[:, ~second].mean(axis=1)
        if np.array_equal(moved, second):
            break
        second = moved
    size = int(second.sum())
    if size < min_size or n - size < min_size:
        return None
    cross = float(gram[np.ix_(second, ~second)].mean())
    return second if cross < ratio * min(_within(gram, second), _within(gram, ~second)) else None


def _within(gram: npt.NDArray[np.float64], group: BoolArray) -> float:
    """Average cosine between distinct members of ``group``."""
    sub = gram[np.ix_(group, group)]
    k = len(sub)
    return float((sub.sum() - np.trace(sub)) / (k * (k - 1)))
