"""The MiniLM sentence encoder: loads offline from its PyPI package, unit vectors, paraphrase-aware."""

import numpy as np
import pytest

from storydesk import embeddings


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return embeddings.encode(
        [
            "The allies do not agree on inviting the country into the alliance.",
            "Members of the alliance are divided over an invitation to the country.",
            "Heavy rain flooded the village and closed two schools.",
        ]
    )


def test_vectors_are_unit_length(vectors: np.ndarray) -> None:
    assert vectors.shape == (3, embeddings.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_paraphrases_are_closer_than_unrelated_sentences(vectors: np.ndarray) -> None:
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.3


def test_empty_input_gives_an_empty_matrix() -> None:
    assert embeddings.encode([]).shape == (0, embeddings.DIMENSIONS)


def test_long_texts_are_windowed_not_truncated() -> None:
    head = "Heavy rain flooded the village. " * 60
    tail = "The central bank raised interest rates by half a point. " * 60
    long_vec = embeddings.encode_long([head + tail])[0]
    head_vec, tail_vec = embeddings.encode([head, tail])
    # Truncation would keep only the head; windows let the tail count too.
    assert float(long_vec @ tail_vec) > float(head_vec @ tail_vec) + 0.2
    assert len(embeddings.windows(head + tail)) > 1
