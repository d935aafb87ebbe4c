"""The centroids of all stories in two shared arrays, for comparing an article with many at once.

A centroid is a sparse vector: ascending term ids and their weights. Every story's centroid
lies in one stretch of two shared arrays (ids and weights) with room to grow, so the
centroids of any set of stories are rows of one sparse matrix over those arrays: comparing an
article with its candidate stories is one sparse matrix-vector product, with no copying of
the candidates' centroids. A centroid that outgrows its room moves to the end, with half as
much room again; when the arrays are full they are rebuilt with only the stretches in use.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

try:  # the product without a matrix's checks; private in scipy, hence the fallback below
    from scipy.sparse._sparsetools import csr_matvec
except ImportError:  # pragma: no cover - only on a scipy that moved it

    def csr_matvec(n_row: int, n_col: int, indptr: Any, indices: Any, data: Any, x: Any, y: Any) -> None:
        """``y += A @ x`` for the CSR matrix ``A`` (the same contract, through the public API)."""
        y += sp.csr_matrix((data, indices, indptr), shape=(n_row, n_col)) @ x


Int32Array = npt.NDArray[np.int32]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
MIN_ROOM = 16  # entries a centroid gets at least


class Centroids:
    """Centroids by story number; see the module docstring."""

    def __init__(self) -> None:
        self.indices = np.zeros(1 << 16, dtype=np.int32)
        self.data = np.zeros(1 << 16, dtype=np.float32)
        self.start = np.zeros(64, dtype=np.int64)  # by story: where its stretch starts,
        self.size = np.zeros(64, dtype=np.int64)  # how many entries it holds
        self.room = np.zeros(64, dtype=np.int64)  # and how many it may
        self.count = 0  # stories
        self.end = 0  # entries up to here are stretches
        self.used = 0  # entries in the stretches of stories

    def grow(self, n: int) -> None:
        """Room for ``n`` stories (new ones empty)."""
        self.count = n
        if n > len(self.start):
            extra = max(n, 2 * len(self.start)) - len(self.start)
            self.start = np.concatenate([self.start, np.zeros(extra, dtype=np.int64)])
            self.size = np.concatenate([self.size, np.zeros(extra, dtype=np.int64)])
            self.room = np.concatenate([self.room, np.zeros(extra, dtype=np.int64)])

    def get(self, story: int) -> tuple[Int32Array, Float32Array]:
        """A story's term ids and weights: views, valid until the next :meth:`put`."""
        start = int(self.start[story])
        end = start + int(self.size[story])
        return self.indices[start:end], self.data[start:end]

    def put(self, story: int, indices: Int32Array, data: Float32Array) -> None:
        """Replaces a story's centroid."""
        size = len(indices)
        if size > self.room[story]:
            room = max(MIN_ROOM, size + size // 2)
            self.used -= int(self.room[story])
            self.room[story] = 0
            if self.end + room > len(self.indices):
                self._rebuild(room)
            self.start[story], self.room[story] = self.end, room
            self.end += room
            self.used += room
        start = int(self.start[story])
        self.indices[start : start + size] = indices
        self.data[start : start + size] = data
        self.size[story] = size

    def dots(self, stories: IntArray, dense: Float32Array) -> Float32Array:
        """Dot products of the centroids of ``stories`` with ``dense`` (a vector over all terms).

        The stories' stretches, last first, are the even rows of a sparse matrix whose odd
        rows run backwards from one stretch's end to the next one's start: empty."""
        order = np.argsort(-self.start[stories], kind="stable")
        starts = self.start[stories[order]]
        bounds = np.empty(2 * len(stories), dtype=np.int32)
        bounds[0::2] = starts
        bounds[1::2] = starts + self.size[stories[order]]
        rows = np.zeros(2 * len(stories) - 1, dtype=np.float32)
        csr_matvec(len(rows), len(dense), bounds, self.indices, self.data, dense, rows)
        dots = np.empty(len(stories), dtype=np.float32)
        dots[order] = rows[0::2]
        return dots

    def _rebuild(self, extra: int) -> None:
        """New arrays with the stretches in use packed at the front and room for ``extra``."""
        capacity = max(1 << 16, 2 * (self.used + extra))
        indices = np.zeros(capacity, dtype=np.int32)
        data = np.zeros(capacity, dtype=np.float32)
        end = 0
        for story in np.flatnonzero(self.room[: self.count]).tolist():
            start, size, room = int(self.start[story]), int(self.size[story]), int(self.room[story])
            indices[end : end + size] = self.indices[start : start + size]
            data[end : end + size] = self.data[start : start + size]
            self.start[story] = end
            end += room
        self.indices, self.data, self.end = indices, data, end
