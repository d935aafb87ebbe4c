"""Coreference for speakers: the learned model through ``MentionIndex`` and the quote extractor."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Token

from storydesk.annotate.coref import MentionIndex
from storydesk.annotate.corefmodel import find_mentions, load_model
from tests.conftest import run_stages as run

pytestmark = pytest.mark.slow


def token(doc: Doc, text: str, nth: int = 0) -> Token:
    hits = [t for t in doc if t.text == text]
    assert len(hits) > nth, f"no {text!r} #{nth} in {doc.text!r}"
    return hits[nth]


def speaker_of(doc: Doc, words: str) -> str | None:
    hits = [q for q in doc._.quotes if words in q.text]
    assert hits, f"no quote holds {words!r}: {[q.text for q in doc._.quotes]}"
    return hits[0].speaker.name if hits[0].speaker is not None else None


def test_he_after_a_woman_and_a_man_goes_to_the_man(pipeline: Language) -> None:
    text = (
        "Ms. Ingrid Solberg, the mayor, met Erik Dahl, a farmer, on Monday. "
        "Solberg promised that the town would repair the dam before winter. "
        '"We cannot wait another season," he added.'
    )
    doc = run(pipeline, text)
    actor = MentionIndex(doc).actor_of(token(doc, "he"))
    assert actor is not None and actor.name == "Erik Dahl"
    assert speaker_of(doc, "another season") == "Erik Dahl"


def test_she_after_a_man_goes_to_the_woman(pipeline: Language) -> None:
    text = (
        "Mr. Erik Dahl spoke first at the meeting, and Ingrid Solberg, the chairwoman, answered him. "
        "Dahl asked for more money for the farms. "
        '"The budget is already spent," she said.'
    )
    doc = run(pipeline, text)
    assert speaker_of(doc, "budget") == "Ingrid Solberg"


def test_pronoun_across_sentences_prefers_the_salient_subject(pipeline: Language) -> None:
    text = (
        "Peter Lindqvist said on Tuesday that the minister would resign. "
        "The announcement surprised many lawmakers in the capital. "
        '"It is the right moment," he said.'
    )
    doc = run(pipeline, text)
    assert speaker_of(doc, "right moment") == "Peter Lindqvist"


def test_description_goes_to_its_named_actor(pipeline: Language) -> None:
    text = (
        "The Fjordland Farmers Association raised its milk prices on Friday. "
        "Shoppers in several towns complained about the change. "
        'The association said, "Our costs have doubled."'
    )
    doc = run(pipeline, text)
    actor = MentionIndex(doc).actor_of(token(doc, "association"))
    assert actor is not None and actor.name == "Fjordland Farmers Association"
    assert speaker_of(doc, "costs have doubled") == "Fjordland Farmers Association"


def test_description_of_a_person_goes_to_the_name(pipeline: Language) -> None:
    text = (
        "Governor Lisa Hartmann visited the flooded valley on Sunday. "
        "Hundreds of homes were damaged by the water. "
        "The governor said the state would pay for the repairs."
    )
    doc = run(pipeline, text)
    actor = MentionIndex(doc).actor_of(token(doc, "governor"))
    assert actor is not None and actor.name == "Lisa Hartmann"


def test_no_antecedent_when_there_is_none(pipeline: Language) -> None:
    text = 'Mr. Tomas Berg sold his farm in May. "It was time," she said.'
    doc = run(pipeline, text)
    assert MentionIndex(doc).actor_of(token(doc, "she")) is None


def test_pronoun_without_any_person_resolves_to_nothing(pipeline: Language) -> None:
    doc = run(pipeline, 'Heavy rain fell on the coast overnight. "It will pass," he said.')
    assert MentionIndex(doc).actor_of(token(doc, "he")) is None


def test_relative_pronoun_stays_a_rule(pipeline: Language) -> None:
    doc = run(pipeline, "The report was written by Anna Kowalski, who said the data were clear.")
    actor = MentionIndex(doc).actor_of(token(doc, "who"))
    assert actor is not None and actor.name == "Anna Kowalski"


def test_every_mention_gets_at_most_an_earlier_antecedent(pipeline: Language) -> None:
    text = "Anna Kowalski met the board. She said it had failed. The board denied that it had failed."
    doc = run(pipeline, text)
    index = MentionIndex(doc)
    mentions = find_mentions(doc, index.by_token)
    links = load_model().resolve(mentions)
    assert any(a is not None for a in links)
    assert all(a is None or a < i for i, a in enumerate(links))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_resolves_without_error(pipeline: Language, text: str) -> None:
    doc = run(pipeline, text)
    index = MentionIndex(doc)
    for tok in doc:
        actor = index.actor_of(tok)
        assert actor is None or actor in doc._.actors
