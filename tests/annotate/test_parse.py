"""The parse kept with an analysis: it reads back as the parser made it, with no model."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from storydesk import nlp
from storydesk.annotate import parse

pytestmark = pytest.mark.slow

TEXT = (
    "BRUSSELS — Hungary's foreign minister said on Monday that his government would not back\n"
    'Freedonia\'s membership. "We are not ready," he told reporters.'
)


def words(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.text, t.whitespace_, t.lemma_, t.pos_, t.tag_, str(t.morph), t.dep_, t.head.i, t.is_sent_start, t.is_stop)
        for t in doc
    ]


def test_a_kept_parse_reads_back_as_the_parser_made_it() -> None:
    doc = nlp.load_base()(TEXT)
    kept = parse.from_bytes(parse.to_bytes(doc)).doc
    assert kept.text == TEXT
    assert words(kept) == words(doc)
    assert [s.text for s in kept.sents] == [s.text for s in doc.sents]
    assert not kept.ents  # the analysis holds the actors


def test_question_parses_are_kept_by_their_text() -> None:
    doc = nlp.load_base()(TEXT)
    asked = nlp.load_base()("Should Freedonia join the bloc?")
    kept = parse.from_bytes(parse.to_bytes(doc, [asked]))
    assert list(kept.questions) == ["Should Freedonia join the bloc?"]
    assert words(kept.questions["Should Freedonia join the bloc?"]) == words(asked)


def test_the_full_pipelines_parse_is_the_parsers() -> None:
    """storydesk's components and the entity recognizer change no word of the parse, so the
    analysis pass's Doc is kept as it is."""
    full = nlp.load()(TEXT)
    assert words(parse.from_bytes(nlp.kept_parses(nlp.load(), [full])[0]).doc) == words(
        nlp.load_base()(TEXT, disable=["ner"])
    )
