"""The trained attribution model: which tokens cue an attribution, and which span each reports.

Two logistic regressions over :mod:`storydesk.quotes.features`, trained on PolNeAR's train split
by ``scripts/train_quotes.py`` and shipped as feature weights in ``data/quotes/model.json``
(no text). Scoring is a sum of weights per token, so it costs little beside the parse.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from storydesk import resources
from storydesk.errors import ModelError
from storydesk.quotes.features import (
    Candidate,
    DocMarks,
    content_candidates,
    content_features,
    cue_features,
    is_cue_candidate,
)

MODEL_PATH = resources.path("quotes", "model.json")
MIN_CONTENT_TOKENS = 2
# A clausal complement is at least an even bet as the content: the model scores each candidate
# alone and may otherwise prefer a modifier after the cue ("said on Tuesday").
CLAUSE = "ccomp"
CLAUSE_FLOOR = 0.5


class LinearScorer:
    """A logistic regression over binary string features."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.bias = float(raw["bias"])
        self.weights: dict[str, float] = {str(k): float(v) for k, v in raw["weights"].items()}

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Attribution:
    cue: Token
    cue_score: float
    content_score: float
    candidate: Candidate
    chars: tuple[int, int]  # content, trimmed of edge punctuation

    @property
    def score(self) -> float:
        return self.cue_score * self.content_score


def candidate_chars(doc: Doc, cand: Candidate, marks: DocMarks) -> tuple[int, int] | None:
    """Char span of a candidate without edge punctuation and spaces (a closing mark stays)."""
    start, end = marks.content_edges(cand.start, cand.end)
    if end - start < MIN_CONTENT_TOKENS:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


class AttributionModel:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.cue = LinearScorer(raw["cue"])
        self.content = LinearScorer(raw["content"])
        self.threshold = float(raw["threshold"])

    def cue_score(self, tok: Token, marks: DocMarks) -> float:
        return self.cue.probability(cue_features(tok, marks)) if is_cue_candidate(tok) else 0.0

    def best_content(self, cue: Token, marks: DocMarks) -> tuple[float, Candidate, tuple[int, int]] | None:
        """The likeliest content span of ``cue`` with its score, or None when the parse offers none."""
        best: tuple[float, Candidate, tuple[int, int]] | None = None
        for cand in content_candidates(cue, marks):
            chars = candidate_chars(cue.doc, cand, marks)
            if chars is None:
                continue
            score = self.content.probability(content_features(cue, cand, marks))
            if CLAUSE in cand.relation:
                score = max(score, CLAUSE_FLOOR)
            if best is None or score > best[0]:
                best = (score, cand, chars)
        return best

    def attributions(self, doc: Doc, marks: DocMarks, threshold: float | None = None) -> list[Attribution]:
        """Every cue whose score times its best content's score reaches ``threshold`` (default: the
        trained one): a cue with no convincing content is rarely one."""
        floor = self.threshold if threshold is None else threshold
        out: list[Attribution] = []
        for tok in doc:
            score = self.cue_score(tok, marks)
            if score < floor:  # content scores are at most 1: no content can lift it
                continue
            content = self.best_content(tok, marks)
            if content is not None and score * content[0] >= floor:
                out.append(Attribution(tok, score, *content))
        return out


@functools.cache
def load_model() -> AttributionModel:
    """The shipped model (read once per process)."""
    try:
        raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"quote model {MODEL_PATH} is missing or unreadable: {exc}") from exc
    return AttributionModel(raw)
