"""Gazetteer repair of place entities (texts written for the tests)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storydesk.annotate.doc import ensure_defaults
from storydesk.annotate.places import gazetteer, repair_places

pytestmark = pytest.mark.slow  # loads the spaCy model


def ents(doc: Doc) -> dict[str, str]:
    return {e.text: e.label_ for e in doc.ents}


def with_ents(pipeline: Language, text: str, spans: list[tuple[str, str]]) -> Doc:
    """``text`` tokenised, with the given (text, label) entities forced, then repaired."""
    doc = pipeline.make_doc(text)
    ensure_defaults(doc)
    out = []
    for surface, label in spans:
        at = text.index(surface)
        span = doc.char_span(at, at + len(surface), label=label)
        assert span is not None
        out.append(span)
    doc.set_ents(out)
    return repair_places(doc)


def test_wrong_labels_become_gpe(pipeline: Language) -> None:
    doc = with_ents(
        pipeline,
        "Hungary and Syria spoke for the U.S. in Kyiv.",
        [("Hungary", "PERSON"), ("Syria", "ORG"), ("U.S.", "NORP")],
    )
    assert ents(doc) == {"Hungary": "GPE", "Syria": "GPE", "U.S.": "GPE", "Kyiv": "GPE"}


def test_larger_entity_untouched(pipeline: Language) -> None:
    doc = with_ents(
        pipeline,
        "The Bank of England and Paris Saint-Germain met.",
        [("Bank of England", "ORG"), ("Paris Saint-Germain", "ORG")],
    )
    assert ents(doc) == {"Bank of England": "ORG", "Paris Saint-Germain": "ORG"}


def test_person_like_place_kept_as_person(pipeline: Language) -> None:
    doc = with_ents(pipeline, "Jordan said he would play in Jordan.", [("Jordan", "PERSON")])
    labels = [(e.start_char, e.label_) for e in doc.ents]
    assert labels == [(0, "PERSON"), (29, "GPE")]


def test_lowercase_word_not_added(pipeline: Language) -> None:
    doc = with_ents(pipeline, "They ate turkey in Turkey.", [])
    assert [(e.text, e.start_char) for e in doc.ents] == [("Turkey", 19)]


def test_dateline_city_not_org(pipeline: Language) -> None:
    doc = pipeline("BRUSSELS (Reuters) - Ministers from Hungary met on Monday.")
    assert ents(doc)["BRUSSELS"] == "GPE"


def test_gazetteer_has_countries_and_cities() -> None:
    places, person_like = gazetteer()
    assert {"France", "South Korea", "Britain", "Brussels", "Mumbai"} <= places
    assert "Jordan" in person_like and "France" not in person_like
