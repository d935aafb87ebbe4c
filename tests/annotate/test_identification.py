"""Delayed identification: a lede's unnamed source named in a following paragraph."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

pytestmark = pytest.mark.slow

LEDE_THEN_NAME = (
    "A senior aide to Prime Minister Karlsson said on Monday that the budget vote would be delayed "
    "until spring.\nThe decision follows weeks of talks.\nBut Maria Lindqvist, chief of staff to "
    "Karlsson, said the government still hoped to pass the bill this year."
)


def lede_speaker(doc: Doc) -> tuple[str, bool]:
    first = min(doc._.quotes, key=lambda q: q.span[0])
    assert first.speaker is not None
    return first.speaker.name, first.speaker.anonymous


def test_lede_descriptor_is_the_person_named_soon_after(pipeline: Language) -> None:
    doc = pipeline(LEDE_THEN_NAME)
    assert lede_speaker(doc) == ("Maria Lindqvist", False)
    assert not any(a.anonymous for a in doc._.actors)


def test_unrelated_person_named_later_leaves_the_source_anonymous(pipeline: Language) -> None:
    doc = pipeline(LEDE_THEN_NAME.replace("chief of staff to Karlsson", "a lawmaker from the opposition"))
    assert lede_speaker(doc) == ("a senior aide to Prime Minister Karlsson", True)


def test_a_definite_descriptor_is_not_a_delayed_lede(pipeline: Language) -> None:
    doc = pipeline(LEDE_THEN_NAME.replace("A senior aide", "The senior aide", 1))
    assert lede_speaker(doc)[1] is True


def test_a_name_beyond_the_next_two_paragraphs_is_too_far(pipeline: Language) -> None:
    far = LEDE_THEN_NAME.replace("\nBut Maria", "\nTalks went on.\nMore talks came.\nBut Maria")
    assert lede_speaker(pipeline(far))[1] is True
