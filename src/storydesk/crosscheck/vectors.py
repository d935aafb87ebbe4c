"""Statement embeddings derived once: the sentence vectors of an article's statements are
computed in the analysis pass and kept with the analysis (``Analysis.vectors``, and in the store
beside it), so that cross-checking a story reads them instead of running the encoder on every
dossier build, where encoding was most of the time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from storydesk import embeddings
from storydesk.crosscheck import clauses
from storydesk.crosscheck.statements import Statement
from storydesk.models import Analysis, Article


def encode_statements(items: Sequence[tuple[Article, Analysis]]) -> list[bytes]:
    """The kept vectors (:func:`storydesk.embeddings.to_bytes`) of each analysed article's
    statements (its sentences, or their clauses: :func:`storydesk.crosscheck.clauses.units`),
    in their order; all the articles' statements are encoded in one call."""
    counts = []
    texts: list[str] = []
    for article, analysis in items:
        statements = clauses.units(article, analysis)
        counts.append(len(statements))
        texts += [st.compared for st in statements]
    vectors = embeddings.encode(texts)
    out = []
    start = 0
    for n in counts:
        out.append(embeddings.to_bytes(vectors[start : start + n]))
        start += n
    return out


def kept_rows(analysis: Analysis, statements: Sequence[Statement]) -> list[NDArray[np.float32] | None]:
    """The kept vector of each of ``statements`` (the analysis's own, in order); None for each
    when the analysis keeps none (stored before vectors were kept) or keeps another number of
    rows (statements split otherwise since: into clauses, say)."""
    if analysis.vectors is not None:
        rows = embeddings.from_bytes(analysis.vectors)
        if len(rows) == len(statements):
            return list(rows)
    return [None] * len(statements)
