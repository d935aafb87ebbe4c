"""Sentence stance toward a claim: does one sentence agree with the claim, disagree, or neither?

The model is a logistic regression over word and character TF-IDF n-grams of the sentence,
trained on GWSD (opinion sentences from news coverage labelled for one claim) by
``scripts/train_stance.py`` and shipped in ``data/stance/``. GWSD has one claim, so the model
learns how news sentences voice agreement and disagreement with a concern, not how a sentence
relates to a given claim: the claim is taken as the topic the sentence is about.
"""

from __future__ import annotations

import functools
import pickle
from importlib import resources
from typing import Literal, cast

from sklearn.pipeline import Pipeline

from storydesk.errors import StorydeskError

SentenceStance = Literal["agree", "neutral", "disagree"]
MODEL_FILE = "model.pkl"


class StanceModelError(StorydeskError):
    """The shipped stance model is missing or unreadable: a set-up problem."""


@functools.cache
def model() -> Pipeline:
    """The trained classifier (loaded once per process)."""
    path = resources.files("storydesk").joinpath("data", "stance", MODEL_FILE)
    try:
        with path.open("rb") as f:
            return cast(Pipeline, pickle.load(f))
    except (OSError, pickle.UnpicklingError) as exc:
        raise StanceModelError(f"stance model {MODEL_FILE!r} unreadable; run scripts/train_stance.py") from exc


def sentence_stance(claim: str, sentence: str) -> tuple[SentenceStance, float]:
    """The sentence's stance toward ``claim`` and the model's probability for it."""
    if not sentence.strip():
        return "neutral", 1.0
    clf = model()
    probs = clf.predict_proba([sentence])[0]
    best = int(probs.argmax())
    return cast(SentenceStance, str(clf.classes_[best])), float(probs[best])
