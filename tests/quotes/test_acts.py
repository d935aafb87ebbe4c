"""Speech and thought acts, and titles of works that are no quotes."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storydesk.quotes.acts import act_of, names_a_work
from tests.conftest import run_stages as run


@pytest.mark.parametrize("lemmas", [["say"], ["tell"], ["write"], ["announce"], ["according", "to"], [":"], []])
def test_saying_and_writing_are_speech(lemmas: list[str]) -> None:
    assert act_of(lemmas) == "speech"


@pytest.mark.parametrize("lemmas", [["hope"], ["believe"], ["plan"], ["want"], ["fear"], ["know"], ["Expect"]])
def test_hoping_believing_and_intending_are_thoughts(lemmas: list[str]) -> None:
    assert act_of(lemmas) == "thought"


def span_of(text: str, inner: str) -> tuple[int, int]:
    start = text.index(inner)
    return start, start + len(inner)


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ('Her new book "The Long Road Home" sold well.', "The Long Road Home"),
        ("He starred in the film “Night of the Tides” last year.", "Night of the Tides"),
        ('The "Harbor Lights" series returns in May.', "Harbor Lights"),
        ('A documentary titled "Salt and Iron," aired Sunday.', "Salt and Iron,"),
        ('His favourite show, "The Harbor," ended, he said.', 'His favourite show, "The Harbor,"'),
    ],
)
def test_a_title_case_span_next_to_a_work_word_names_a_work(text: str, inner: str) -> None:
    assert names_a_work(text, *span_of(text, inner))


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ('The report said "Yes" to the plan.', "Yes"),  # a report's words: a work word two words back
        ('Her book "was written in a hurry," the critic said.', "was written in a hurry,"),  # not title case
        ('"We Will Win," the mayor said.', "We Will Win,"),  # no work word
        ("Her new book The Long Road Home sold well.", "The Long Road Home"),  # no quotation marks
        ('She wrote the book "The Long Winter," her publisher said.', 'She wrote the book "The Long Winter'),
    ],
)
def test_speech_and_unquoted_words_name_no_work(text: str, inner: str) -> None:
    assert not names_a_work(text, *span_of(text, inner))


@pytest.mark.slow
def test_the_stage_marks_each_attribution_with_its_act(pipeline: Language) -> None:
    text = (
        "Mayor Anna Kowalski said the bridge would reopen in May. "
        "Kowalski hopes that the new budget will pass next week."
    )
    acts = {q.text: q.act for q in run(pipeline, text)._.quotes}
    said = next(a for t, a in acts.items() if "bridge" in t)
    hoped = next(a for t, a in acts.items() if "budget" in t)
    assert (said, hoped) == ("speech", "thought")


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        'The band closed with their hit single, "Harbor Lights," Olsen said.',
        'Olsen recalled the title of his first novel: "The Long Winter."',
    ],
)
def test_a_quoted_title_of_a_work_is_no_quote(pipeline: Language, text: str) -> None:
    assert run(pipeline, text)._.quotes == []
