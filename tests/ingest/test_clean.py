"""Every article cleaned once at the edge: text the same length with unusable characters
replaced, metadata one storable NFC line, dates ISO or dropped; error messages one line."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storydesk.errors import InputError, one_line
from storydesk.ingest import article_key
from storydesk.ingest.clean import (
    MAX_DATE,
    MAX_ID,
    MAX_WORD,
    REPLACEMENT,
    clean_article,
    clean_date,
    clean_field,
    clean_text,
)
from storydesk.models import Article

ALLOWED_CONTROLS = "\t\n\r"
# Every kind of character, lone surrogates (category Cs) and controls included.
ANY_CHAR = st.characters(categories=("Cs", "Cc", "Cf", "L", "M", "N", "P", "S", "Z"))


def unusable(c: str) -> bool:
    return (unicodedata.category(c) in ("Cc", "Cs")) and c not in ALLOWED_CONTROLS


def unusable_in_text(c: str) -> bool:  # C1 controls are kept in the text (see clean.py)
    return unusable(c) and not "\x80" <= c <= "\x9f"


@given(st.text(alphabet=ANY_CHAR))
def test_clean_text_keeps_every_offset_and_leaves_nothing_unusable(text: str) -> None:
    cleaned = clean_text(text)
    assert len(cleaned) == len(text)  # spans index the text as given
    assert not any(unusable_in_text(c) for c in cleaned)
    assert all(len(word) <= MAX_WORD for word in cleaned.split())
    cleaned.encode("utf-8")  # storable: no lone surrogate left
    for given_char, kept in zip(text, cleaned, strict=True):
        assert kept == given_char or kept in (REPLACEMENT, " ")


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=400))
def test_clean_text_leaves_clean_text_as_it_is(text: str) -> None:
    assert clean_text(text) == text


def test_clean_text_is_not_nfc_normalised() -> None:
    decomposed = "Cafe\u0301 au lait"
    assert clean_text(decomposed) == decomposed


def test_a_lone_surrogate_becomes_one_replacement_character() -> None:
    assert clean_text("a\ud800b\x00c\x1bd\te\n") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d\te\n"


def test_c1_controls_stay_in_the_text_and_leave_the_metadata() -> None:
    assert clean_text("Caf\x83 au lait") == "Caf\x83 au lait"  # mojibake, as PolNeAR has it
    assert clean_field("Caf\x83", 100) == f"Caf{REPLACEMENT}"


def test_a_long_space_free_run_gets_a_space_every_max_word_characters() -> None:
    run = "&" * (3 * MAX_WORD)
    cleaned = clean_text(f"Before {run} after.")
    assert len(cleaned) == len(run) + len("Before  after.")
    assert cleaned.startswith("Before ") and cleaned.endswith(" after.")
    assert [len(w) for w in cleaned.split()[1:-1]] == [MAX_WORD, MAX_WORD, len(run) - 2 * MAX_WORD - 2]


@given(st.text(alphabet=ANY_CHAR), st.integers(2, 2000))
def test_a_field_is_one_storable_nfc_line_within_its_limit(value: str, limit: int) -> None:
    cleaned = clean_field(value, limit)
    assert len(cleaned) <= limit
    assert "\n" not in cleaned and "\r" not in cleaned
    assert not any(unusable(c) for c in cleaned)
    cleaned.encode("utf-8")
    assert unicodedata.is_normalized("NFC", cleaned[:-1] if cleaned.endswith("…") else cleaned)


@pytest.mark.parametrize(
    ("given_date", "expected"),
    [
        ("2018-01-31", "2018-01-31"),  # ISO dates and datetimes are kept exactly as given
        ("2018-01-31T10:00:00Z", "2018-01-31T10:00:00Z"),
        ("2018-01-31 10:00:00+01:00", "2018-01-31 10:00:00+01:00"),
        ("2018-01", "2018-01"),
        ("January 31, 2018", "2018-01-31"),
        ("Jan 31, 2018", "2018-01-31"),
        ("31 January 2018", "2018-01-31"),
        ("2018/01/31", "2018-01-31"),
        ("Wed, 31 Jan 2018 10:00:00 +0000", "2018-01-31T10:00:00+00:00"),
        ("yesterday-ish 99:99", None),
        ("2018-13-45", None),
        ("", None),
        ("2018-01-31" + "x" * 100_000, None),
        ("2018-01-31\x00", None),
    ],
)
def test_dates_are_iso_as_given_converted_or_dropped(given_date: str, expected: str | None) -> None:
    assert clean_date(given_date) == expected


@given(st.text(max_size=200))
def test_a_cleaned_date_is_none_or_short_iso(value: str) -> None:
    cleaned = clean_date(value)
    assert cleaned is None or (len(cleaned) <= MAX_DATE and cleaned[:4].isdigit())


def test_clean_article_cleans_every_field() -> None:
    article = Article(
        id="x\ud800" + "i" * (2 * MAX_ID),
        text="Text\ud800 here.",
        title="A\nTitle\x00",
        url="https://example.org/\x7f",
        source="Out\u0065\u0301let",
        date="January 31, 2018",
        authors=["Ann\x1b", "  ", "Bo\ud83d"],
    )
    cleaned = clean_article(article)
    assert len(cleaned.id) == MAX_ID and cleaned.id.startswith("x" + REPLACEMENT)
    assert cleaned.text == f"Text{REPLACEMENT} here."
    assert cleaned.title == f"A Title{REPLACEMENT}"
    assert cleaned.url == f"https://example.org/{REPLACEMENT}"
    assert cleaned.source == "Out\u00e9let"  # NFC: e and the combining acute made one
    assert cleaned.date == "2018-01-31"
    assert cleaned.authors == [f"Ann{REPLACEMENT}", f"Bo{REPLACEMENT}"]
    article_key(cleaned)  # the store's key: no UnicodeEncodeError


@given(st.text(alphabet=ANY_CHAR, max_size=1000))
def test_error_messages_are_one_printable_line(name: str) -> None:
    message = str(InputError(name, "reason\nwith a line break"))
    assert "\n" not in message and "\r" not in message
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in message)
    message.encode("utf-8")
    assert len(one_line(name)) <= 200 * len("\\udcff") + 1


def test_a_long_value_is_cut_with_an_ellipsis() -> None:
    assert one_line("x" * 500) == "x" * 200 + "…"
    assert one_line("a\nb\x1bc\udcff") == "a\\nb\\x1bc\\udcff"
