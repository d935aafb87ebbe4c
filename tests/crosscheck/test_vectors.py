"""Statement vectors derived once: cross-checking reads the vectors kept with the analyses and
encodes only for analyses that keep none (stored before they were kept)."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk import embeddings
from storydesk.crosscheck import facts, vectors
from storydesk.crosscheck.statements import split_statements
from storydesk.models import Analysis, Article
from tests.crosscheck.test_facts import FILLER, item, linked

STORM = [
    ("a", "Alpha News", f"A storm flooded the valley near Lowtown on Monday, cutting power to 400 people. {FILLER}"),
    ("b", "Beta Post", f"Monday's storm flooded the valley near Lowtown and cut power to 400 people. {FILLER}"),
    ("c", "Gamma Daily", f"Power was cut to 400 people when floods hit the Lowtown valley on Monday. {FILLER}"),
]


def items() -> list[tuple[Article, Analysis]]:
    return [item(*args) for args in STORM]


def with_vectors(pairs: list[tuple[Article, Analysis]]) -> list[tuple[Article, Analysis]]:
    for (_, an), kept in zip(pairs, vectors.encode_statements(pairs), strict=True):
        an.vectors = kept
    return pairs


def no_encoding(texts: object, batch_size: int = 64) -> np.ndarray:
    raise AssertionError("encoded while cross-checking")


def test_kept_vectors_are_one_per_statement_in_order() -> None:
    pairs = with_vectors(items())
    for art, an in pairs:
        statements = split_statements(art, an)
        rows = embeddings.from_bytes(an.vectors or b"")
        assert rows.shape == (len(statements), embeddings.DIMENSIONS)
        assert np.allclose(rows, embeddings.encode([st.text for st in statements]), atol=1e-5)


def test_vectors_round_trip_as_bytes() -> None:
    rows = np.random.default_rng(0).standard_normal((3, embeddings.DIMENSIONS)).astype(np.float32)
    assert np.array_equal(embeddings.from_bytes(embeddings.to_bytes(rows)), rows)
    assert embeddings.from_bytes(embeddings.to_bytes(rows[:0])).shape == (0, embeddings.DIMENSIONS)


def test_a_cross_check_from_kept_vectors_encodes_nothing_and_equals_one_that_encodes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoded = facts.cross_check(items())
    pairs = with_vectors(items())
    monkeypatch.setattr(embeddings, "encode", no_encoding)
    kept = facts.cross_check(pairs)
    assert kept.facts == encoded.facts and kept.disputes == encoded.disputes
    assert len(linked(kept)[0].support) == 3  # the three reports of the storm are one fact


def test_analyses_without_vectors_are_encoded_the_others_read(monkeypatch: pytest.MonkeyPatch) -> None:
    encoded = facts.cross_check(items())
    pairs = with_vectors(items())
    pairs[1][1].vectors = None  # stored before vectors were kept
    pairs[2][1].vectors = pairs[2][1].vectors[: 4 * embeddings.DIMENSIONS]  # split otherwise since: one row
    asked: list[list[str]] = []
    encode = embeddings.encode

    def counting(texts: list[str], batch_size: int = 64) -> np.ndarray:
        asked.append(list(texts))
        return encode(texts, batch_size)

    monkeypatch.setattr(embeddings, "encode", counting)
    mixed = facts.cross_check(pairs)
    assert mixed.facts == encoded.facts and mixed.disputes == encoded.disputes
    (texts,) = asked  # one call, for the statements of "b" and "c" alone
    assert texts == [st.text for art, an in pairs[1:] for st in split_statements(art, an)]
