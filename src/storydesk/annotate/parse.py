"""An article's parse kept as bytes, so that the dossier's stages (positions) read the analysis
pass's parse instead of running spaCy again: the Doc is derived once, at ingest.

What is kept is what the parse gives and later stages read: words and their spacing, lemmas,
part-of-speech tags, morphology, dependency arcs and sentence starts. Entities are left out
(the analysis holds the actors). Beside the article's parse are the parses of the questions its
stance cues could propose (:func:`storydesk.positions.holders.proposable_questions`): the story's
question is proposed from one of them, and its terms come from its own parse, as if it had been
typed. Reading the bytes back needs only a blank English vocabulary (for the words' lexical
attributes, such as ``is_stop``), never the model.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

ATTRS = ("ORTH", "SPACY", "LEMMA", "POS", "TAG", "MORPH", "DEP", "HEAD", "SENT_START")


@dataclass(frozen=True)
class Parse:
    """A text's parse and the parses of the questions it could propose, by question text."""

    doc: Doc
    questions: dict[str, Doc] = field(default_factory=dict)


@functools.cache
def vocab() -> Vocab:
    """English lexical attributes (stop words, ``like_num``) without the model (built once)."""
    from spacy.lang.en import English

    return English().vocab


def to_bytes(doc: Doc, questions: Iterable[Doc] = ()) -> bytes:
    """``doc``'s parse and the ``questions``' parses as compressed bytes (about 15 bytes a word)."""
    bin_ = DocBin(attrs=list(ATTRS), store_user_data=False)
    for d in (doc, *questions):
        bin_.add(d)
    return bin_.to_bytes()


def from_bytes(data: bytes) -> Parse:
    """The parses kept by :func:`to_bytes`."""
    doc, *questions = DocBin().from_bytes(data).get_docs(vocab())
    return Parse(doc, {q.text: q for q in questions})
