"""The text toolkit: sentence spans over the text as read, and the word patterns the stages share."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storydesk.text import (
    ALIAS,
    CONTRACTED,
    LATIN,
    LETTERS,
    TOKEN,
    WORD,
    closes_sentence,
    fold,
    plain_words,
    sentence_ends,
    sentence_spans,
)

TEXT = (
    "Mr. Smith met officials in the U.S. capital on Tuesday. "
    "The storm killed 12 people in Lowtown, officials said.\n"
    "“We will rebuild the bridge,” Mayor Ann Lee said. "
    "An aide who asked not to be named said the budget was 3 million dollars."
)


def test_sentences_split_at_stops_and_line_breaks_not_after_abbreviations() -> None:
    texts = [TEXT[s:e] for s, e in sentence_spans(TEXT)]
    assert texts[0] == "Mr. Smith met officials in the U.S. capital on Tuesday."
    assert texts[1].startswith("The storm") and texts[1].endswith("officials said.")
    assert texts[2] == "“We will rebuild the bridge,” Mayor Ann Lee said."
    assert len(texts) == 4


def test_sentence_spans_are_exact_offsets_without_edge_spaces() -> None:
    text = "  One two three four.  Five six seven eight!\n\nNine ten eleven twelve?"
    texts = [text[s:e] for s, e in sentence_spans(text)]
    assert texts == ["One two three four.", "Five six seven eight!", "Nine ten eleven twelve?"]


def test_an_initial_or_a_lower_case_start_does_not_end_a_sentence() -> None:
    text = "John F. Kennedy spoke. it went on. A third."
    assert [text[s:e] for s, e in sentence_spans(text)] == ["John F. Kennedy spoke. it went on.", "A third."]


WORDS = "Don't cut U.S. aid: 3,000.5 to AT&T's café_2 cease-fire"


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (WORD, WORDS, "Don t cut U S aid 3 000 5 to AT T s café_2 cease fire"),
        (TOKEN, WORDS, "Don t cut U.S aid 3,000.5 to AT T s café_2 cease-fire"),
        (LATIN, WORDS, "Don't cut U S aid 3,000.5 to AT T's caf 2 cease-fire"),
        (CONTRACTED, WORDS.lower(), "don't cut u s aid to at t's caf cease fire"),
        (LETTERS, WORDS, "Don t cut U S aid to AT T s caf cease fire"),
        (ALIAS, WORDS, "Don't cut U.S. aid 3 000.5 to AT&T's café_2 cease-fire"),
    ],
)
def test_word_patterns_differ_where_their_stages_need_it(pattern: re.Pattern[str], text: str, expected: str) -> None:
    assert pattern.findall(text) == expected.split()


@given(st.text(min_size=1, max_size=40))
def test_any_name_with_a_letter_or_digit_keeps_a_key(name: str) -> None:
    if any(c.isalnum() for c in name):
        assert fold(name).strip()
        assert plain_words(name)


def test_fold_keeps_other_scripts_whole_and_plain_words_transliterate_them() -> None:
    assert fold("Zoë  O'Brien") == "zoe  o'brien"
    assert fold("Владимир Путин") == "владимир путин"
    assert fold("김정은 met Xi") == "김정은 met xi"
    assert fold("— Olsen") == " olsen"  # a dash alone has no letters: nothing, as always
    assert plain_words("The O'Brien's report") == ["the", "o", "brien", "report"]
    assert plain_words("Путин") == plain_words("Putin") == ["putin"]
    assert plain_words("習近平") == ["xijinping"] and plain_words("Путин") != plain_words("Медведев")
    assert plain_words("Søren Ærø 😀") == ["soren", "aero"]  # a symbol is no letter of a name


def test_sentence_ends_skip_title_stops_and_see_a_closing_full_stop() -> None:
    text = 'Sens. Ann Lee and Bo Park agreed. Then they left. "It is over." He said so.'
    assert sentence_ends(text, 0, text.index("Then")) == 1  # "agreed." only, not "Sens."
    assert closes_sentence(text, text.index(" He"))
    assert not closes_sentence(text, text.index(" agreed"))
