"""Titles without the site's name around them, bylines that are names, site names from the
page's meta tags and JSON-LD."""

from __future__ import annotations

import json

import pytest

from storydesk.ingest.page import byline_names, clean_title, page_meta


@pytest.mark.parametrize(
    ("title", "sites", "url", "want"),
    [
        (
            "Headline here - WSVN 7News | Miami News, Weather, Sports | Fort Lauderdale",
            ["WSVN 7News"],
            None,
            "Headline here",
        ),
        ("Headline here | Valley Courier", ["Valley Courier"], None, "Headline here"),
        ("Valley Courier: Headline here", ["Valley Courier"], None, "Headline here"),
        ("Headline here - BBC News", [], "https://www.bbc.co.uk/news/x", "Headline here"),  # known by its URL
        ("Headline here | thelocalpaper.com", [], "https://thelocalpaper.com/a", "Headline here"),
        ("Mayor race - a close call | Courier", ["Courier"], None, "Mayor race - a close call"),
        ("Rates: the bank holds | Courier", ["Courier"], None, "Rates: the bank holds"),
        ("Rates: the bank holds", ["Courier"], None, "Rates: the bank holds"),  # a colon inside, no site
        ("Headline here | Other Paper", ["Valley Courier"], None, "Headline here | Other Paper"),
        ("一季度经济增长_新华网", ["新华网"], None, "一季度经济增长"),
        ("Courier", ["Courier"], None, "Courier"),
        ("Headline here - WSVN 7News | Miami", ["WSVN"], None, "Headline here"),  # the site name and more
        ("Headline here | Local News | Valley Courier", ["Valley Courier"], None, "Headline here"),  # a section
        ("Rise of the Courier empire - a history", ["Courier"], None, "Rise of the Courier empire - a history"),
        ("Headline here - Courier Journal reporting team finds more", ["Courier"], None, None),
    ],
)
def test_site_names_are_cut_from_titles(title: str, sites: list[str], url: str | None, want: str | None) -> None:
    assert clean_title(title, sites, url) == (want or title)


def test_a_headline_given_elsewhere_cuts_an_unknown_suffix() -> None:
    assert clean_title("Bridge reopens - Some Site", [], None, ["Bridge reopens"]) == "Bridge reopens"


@pytest.mark.parametrize(
    ("bylines", "want"),
    [
        (["By Ann Smith"], ["Ann Smith"]),
        (["By Ann Smith and Bo Lee"], ["Ann Smith", "Bo Lee"]),
        (["Ann Smith, Staff Writer"], ["Ann Smith"]),
        (["By Staff", "Updated March 4, 2025", "news@paper.com", "Associated Press"], []),
        (["Valley Courier Staff", "Valley Courier"], []),
        (["Omar al-Sayed", "Ludwig van Beethoven"], ["Omar al-Sayed", "Ludwig van Beethoven"]),
        (["王小明"], ["王小明"]),
        (["admin", "ann smith"], []),
        (["Ann Smith | Staff Writer"], ["Ann Smith"]),
    ],
)
def test_bylines_that_are_names(bylines: list[str], want: list[str]) -> None:
    assert byline_names(bylines, ["Valley Courier"]) == want


def test_site_names_and_headline_from_meta_tags_and_json_ld() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "headline": "Bridge reopens", "datePublished": "2025-01-02",
             "publisher": {"@type": "Organization", "name": "Courier"}, "author": [{"name": "Ann Smith"}]},
        ],
    }  # fmt: skip
    html = (
        '<html><head><title>Bridge reopens | Courier</title><meta property="og:site_name" content="The Courier">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body><h1>Bridge</h1></body></html>'
    )
    meta = page_meta(html)
    assert meta.site_names == ["The Courier", "Courier"]
    assert meta.titles == ["Bridge reopens", "Bridge", "Bridge reopens | Courier"]
    assert meta.authors == ["Ann Smith"] and meta.date == "2025-01-02"


def test_a_page_without_meta_gives_nothing() -> None:
    meta = page_meta("<html><body><p>Text.</p><script type='application/ld+json'>{bad json</script></body></html>")
    assert meta.site_names == [] and meta.titles == [] and meta.authors == []
