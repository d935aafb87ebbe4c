"""Money, percentages and counts (texts written for the tests)."""

from __future__ import annotations

import pytest
from spacy.language import Language

pytestmark = pytest.mark.slow  # loads the spaCy model


def amounts(pipeline: Language, text: str) -> list[tuple[str, float, str]]:
    doc = pipeline(text)
    for a in doc._.amounts:
        assert text[a.span[0] : a.span[1]] == a.text
    return [(a.text, a.value, a.unit) for a in doc._.amounts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The city will get $725 million for roads.", ("$725 million", 725e6, "USD")),
        ("The fund pledged €1.2bn to the scheme.", ("€1.2bn", 1.2e9, "EUR")),
        ("The club paid £30,000 in fines.", ("£30,000", 30000, "GBP")),
        ("The plan costs 5 billion euros over ten years.", ("5 billion euros", 5e9, "EUR")),
        ("The deficit reached $1.5 trillion last year.", ("$1.5 trillion", 1.5e12, "USD")),
        ("The state spent Rs 500 crore on the dam.", ("Rs 500 crore", 5e9, "INR")),
        ("They raised US$5 million from donors.", ("US$5 million", 5e6, "USD")),
        ("Inflation rose 5% in the spring.", ("5%", 5, "percent")),
        ("Turnout fell 2.5 percent from the spring.", ("2.5 percent", 2.5, "percent")),
        ("The army sent 12,000 troops to the border.", ("12,000", 12000, "troops")),
        ("All 32 members backed the motion.", ("32", 32, "members")),
        ("Police said three people were hurt.", ("three", 3, "people")),
    ],
)
def test_amount_forms(pipeline: Language, text: str, expected: tuple[str, float, str]) -> None:
    assert expected in amounts(pipeline, text)


def test_dates_years_ordinals_skipped(pipeline: Language) -> None:
    found = amounts(pipeline, "On March 3, 2023, for the third time since 1998, the council met at 5 pm.")
    assert found == []


def test_boilerplate_numbers_skipped(pipeline: Language) -> None:
    text = "WASHINGTON, Dec 3 (Reuters) - Two officials resigned."
    assert amounts(pipeline, text) == [("Two", 2, "officials")]
