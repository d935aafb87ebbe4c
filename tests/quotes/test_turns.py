"""Transcript turns: which line openings are a speaker's label."""

from __future__ import annotations

from storydesk.quotes.turns import find_turns


def labels(text: str) -> list[tuple[str, str]]:
    return [(text[slice(*t.label)], text[slice(*t.content)]) for t in find_turns(text)]


def test_labels_in_capitals_open_turns_inside_or_outside_quotation_marks() -> None:
    text = 'Intro.\n\n"MODERATOR: Why now?"\nDR. O\'NEIL: Because the data changed.\nJANE DOE:  Yes.'
    assert labels(text) == [
        ("MODERATOR", "Why now?"),
        ("DR. O'NEIL", "Because the data changed."),
        ("JANE DOE", "Yes."),
    ]


def test_news_labels_headlines_and_mid_line_colons_are_not_turns() -> None:
    text = (
        "UPDATE: The road reopened.\nEDITOR'S NOTE: This story was corrected.\n"
        "Mayor Lee: the plan is dead\nThe reason was simple: MONEY: none.\nQ: And then?\nX: no"
    )
    assert labels(text) == []


def test_a_turn_keeps_its_inner_quotation_marks_without_an_opening_one() -> None:
    text = 'SMITH: He told me "never again"'
    assert labels(text) == [("SMITH", 'He told me "never again"')]
