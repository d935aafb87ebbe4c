"""Centroids in shared arrays: growth, moves and products (numbers made up for the tests)."""

from __future__ import annotations

import numpy as np

from storydesk.stories.centroids import Centroids


def test_dots_match_dense_products_after_growth_and_rebuilds() -> None:
    rng = np.random.default_rng(7)
    terms = 5000
    centroids = Centroids()
    centroids.grow(40)
    dense: dict[int, np.ndarray] = {}
    for step in range(1200):  # stories grow in turns, outgrowing their room and the arrays
        story = step % 40
        vector = dense.setdefault(story, np.zeros(terms, dtype=np.float32))
        vector[rng.choice(terms, 60, replace=False)] += rng.random(60, dtype=np.float32)
        indices = np.flatnonzero(vector).astype(np.int32)
        centroids.put(story, indices, vector[indices])
    assert len(centroids.indices) > 1 << 16  # the arrays were rebuilt larger
    query = np.zeros(terms, dtype=np.float32)
    query[rng.choice(terms, 200, replace=False)] = 1.0
    stories = np.array([3, 17, 0, 39, 8], dtype=np.int64)
    expected = np.array([dense[s] @ query for s in stories.tolist()], dtype=np.float32)
    assert np.allclose(centroids.dots(stories, query), expected, rtol=1e-5)
    indices, data = centroids.get(17)
    assert indices.tolist() == np.flatnonzero(dense[17]).tolist()
    assert np.array_equal(data, dense[17][indices])


def test_a_story_without_terms_has_a_zero_product() -> None:
    centroids = Centroids()
    centroids.grow(3)
    centroids.put(1, np.array([2, 5], dtype=np.int32), np.array([1.0, 2.0], dtype=np.float32))
    query = np.ones(8, dtype=np.float32)
    assert centroids.dots(np.array([0, 1, 2]), query).tolist() == [0.0, 3.0, 0.0]
