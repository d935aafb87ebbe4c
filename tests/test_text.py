"""The text toolkit: sentence spans over the text as read, and the word patterns the stages share."""

from __future__ import annotations

import re

import pytest

from storydesk.text import ALIAS, CONTRACTED, LATIN, LETTERS, TOKEN, WORD, sentence_spans

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
