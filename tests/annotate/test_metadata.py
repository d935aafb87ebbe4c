"""Datelines, credit lines, publisher phrases and outlet lookup (texts written for the tests)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storydesk.annotate.metadata import (
    article_outlet,
    find_credits,
    find_dateline,
    find_publisher,
    outlet_for,
    page_outlet,
    registered_domain,
    text_outlet,
    wire_outlets,
)


@pytest.mark.parametrize(
    ("text", "city", "outlet"),
    [
        ("BRUSSELS (Reuters) - Ministers met.", "BRUSSELS", "Reuters"),
        ("WASHINGTON, Dec 3 (Reuters) - The bill passed.", "WASHINGTON", "Reuters"),
        ("LONDON (AP) — Rain fell.", "LONDON", "Associated Press"),
        ("NEW YORK, March 5 (AFP) -- Stocks rose.", "NEW YORK", "AFP"),
        ("ST. LOUIS, Mo. (AP) — A storm hit.", "ST. LOUIS", "Associated Press"),
        ("BERLIN (dpa) - Trains stopped.", "BERLIN", "dpa"),
        ("Storm hits coast\n\nMADRID (EFE) - A storm hit.", "MADRID", "EFE"),
        ("PARIS — The strike went on.", "PARIS", None),
    ],
)
def test_dateline_forms(text: str, city: str, outlet: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    assert found[:2] == (city, outlet)
    start, end = found[2]
    assert text[start:end].startswith(city) and text[end:].strip()[0].isupper()


@pytest.mark.parametrize("text", ["The council - a small body - met.", "Paris (France) - no wire here."])
def test_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


def test_credit_line_forms() -> None:
    text = (
        "The talks went on late.\n"
        "(Additional reporting by Anna Berg and Tom Hale in Oslo; Writing by Carl Moss, editing by Dana Fry)\n"
        "Contributing: Jane Doe, USA TODAY; Rob Lane\n"
        "Associated Press writers Kim Ash and Pat O'Neil in Rome contributed to this report.\n"
        "— The Associated Press contributed to this report\n"
        "Compiled by Mia Stone. Editing by Dana Fry"
    )
    names, ranges = find_credits(text)
    assert names == [
        "Anna Berg",
        "Tom Hale",
        "Carl Moss",
        "Dana Fry",
        "Jane Doe",
        "Rob Lane",
        "Kim Ash",
        "Pat O'Neil",
        "Mia Stone",
    ]
    assert len(ranges) == 5
    assert all(text[s:e].strip() for s, e in ranges)
    assert "talks" not in "".join(text[s:e] for s, e in ranges)


def test_publisher_most_frequent_phrase() -> None:
    text = "She told Reuters on Monday. He told The Hill, and said in an interview with The Hill that it was over."
    assert find_publisher(text) == "The Hill"
    assert find_publisher("Officials told reporters that The Hill reported it.") is None
    assert find_publisher("The minister said in conversation with Politico that he would resign.") == "Politico"


@pytest.mark.parametrize(
    ("given", "outlet"),
    [
        ("reuters", "Reuters"),
        ("www.reuters.com", "Reuters"),
        ("https://www.nytimes.com/2024/01/01/world/x.html", "The New York Times"),
        ("edition.cnn.com", "CNN"),
        ("The Associated Press", "Associated Press"),
        ("AP", "Associated Press"),
        ("news.bbc.co.uk", "BBC"),
        ("example.org", None),
        ("", None),
    ],
)
def test_outlet_for(given: str, outlet: str | None) -> None:
    assert outlet_for(given) == outlet


def test_wire_outlets_marked() -> None:
    assert {"Reuters", "Associated Press", "AFP", "Xinhua"} <= wire_outlets()
    assert "The New York Times" not in wire_outlets()


@pytest.mark.slow
def test_component_sets_extensions(pipeline: Language) -> None:
    text = "OSLO (Reuters) - The minister told Reuters the deal held.\n(Reporting by Anna Berg; Editing by Tom Hale)"
    doc = pipeline(text)
    assert (doc._.dateline, doc._.outlet) == ("OSLO", "Reuters")
    assert doc._.credits == ["Anna Berg", "Tom Hale"]
    assert doc._.boilerplate[0] == (0, len("OSLO (Reuters) - "))
    assert text[doc._.boilerplate[1][0] :].startswith("(Reporting")


@pytest.mark.slow
def test_publisher_used_without_dateline(pipeline: Language) -> None:
    doc = pipeline("The senator told The Hill on Tuesday that the vote would slip.")
    assert (doc._.dateline, doc._.outlet) == (None, "The Hill")


# The outlet: the page's site name and URL first, the text's dateline or phrases only without them.
@pytest.mark.parametrize(
    ("source", "url", "want"),
    [
        ("CNN", None, "CNN"),
        ("fox", "https://www.foxnews.com/politics/x", "Fox News"),  # a source outlets.yaml lacks, a known URL
        (None, "https://thecaucus.blogs.nytimes.com/x", "The New York Times"),
        ("The Nassau Guardian", "https://thenassauguardian.com/x", "The Nassau Guardian"),  # unknown: as given
        ("chicago.suntimes.com", None, "suntimes.com"),  # a host: its registered domain
        (None, "https://www.lakeshoretribune.co.uk/a", "lakeshoretribune.co.uk"),
        (None, None, None),
        (None, "file:///tmp/page.html", None),
    ],
)
def test_page_outlet(source: str | None, url: str | None, want: str | None) -> None:
    assert page_outlet(source, url) == want


def test_the_page_decides_and_the_text_only_when_it_says_nothing() -> None:
    text = "The host told CBS that she would retire next year."
    assert text_outlet(text) == "CBS News"
    assert article_outlet("CNN", "https://edition.cnn.com/x", text_outlet(text)) == "CNN"
    assert article_outlet(None, None, text_outlet(text)) == "CBS News"
    assert text_outlet("LISBON (Reuters) - The talks ended without a deal on Monday.") == "Reuters"


def test_registered_domain_reads_multi_part_suffixes_offline() -> None:
    assert registered_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert registered_domain("www.abc.net.au") == "abc.net.au"
    assert registered_domain("Reuters") is None and registered_domain("localhost") is None
