"""The test corpus of tests/ingest/pages/ (pages written for it: site names in og: tags, in
JSON-LD, or none; titles with site names around them; junk bylines; eight languages; a JSON
Feed; JSONL records; a text too short to be an article), read in one batch and held against
expected.csv: outlet, title, date and language of each item."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from storydesk.annotate.metadata import article_outlet, text_outlet
from storydesk.errors import InputError
from storydesk.ingest import read_inputs
from storydesk.models import Article

PAGES = Path(__file__).parent / "pages"
REFUSED = "(refused)"


def expected() -> dict[str, dict[str, str]]:
    with (PAGES / "expected.csv").open(encoding="utf-8", newline="") as f:
        return {row["item"]: row for row in csv.DictReader(f)}


def item_name(article: Article) -> str:
    """The expected.csv key of an article: its file name, its feed or record id, else the last
    part of its URL (a news-please record has no id)."""
    if article.id.startswith("a-") and article.url:
        return article.url.rstrip("/").rsplit("/", 1)[-1]
    return Path(article.id).name if "/" in article.id else article.id


def found(item: Article | InputError) -> tuple[str, dict[str, str]]:
    if isinstance(item, InputError):
        return Path(item.item).name, {"outlet": REFUSED, "title": "", "date": "", "language": ""}
    outlet = article_outlet(item.source, item.url, text_outlet(item.text))
    row = {"outlet": outlet or "", "title": item.title or "", "date": item.date or "", "language": item.language or ""}
    return item_name(item), row


@pytest.fixture(scope="module")
def batch() -> dict[str, dict[str, str]]:
    return dict(found(item) for item in read_inputs([str(PAGES)]))


def test_the_corpus_has_thirty_items_and_eight_languages() -> None:
    rows = expected().values()
    assert len(rows) >= 30
    assert len({r["language"] for r in rows if r["language"]}) >= 8


def test_every_item_is_read_in_one_batch(batch: dict[str, dict[str, str]]) -> None:
    assert sorted(batch) == sorted(expected())


@pytest.mark.parametrize("field", ["outlet", "title", "date", "language"])
def test_each_item_as_expected(batch: dict[str, dict[str, str]], field: str) -> None:
    wrong = {item: (batch.get(item, {}).get(field), row[field]) for item, row in expected().items()}
    assert {item: pair for item, pair in wrong.items() if pair[0] != pair[1]} == {}


def test_the_page_names_its_outlet_before_the_text_does(batch: dict[str, dict[str, str]]) -> None:
    # "told CBS", "in an interview with NBC News", "with Le Figaro": the page's site decides
    assert batch["og-site-name-over-phrase.html"]["outlet"] == "CNN"
    assert batch["ld-publisher-only.html"]["outlet"] == "BBC"
    assert batch["sister-paper.html"]["outlet"] == "The Guardian"
    # and the text names it when the page says nothing
    assert batch["no-metadata-dateline.html"]["outlet"] == "Reuters"
    assert batch["no-metadata-phrase.html"]["outlet"] == "The Hill"


def test_bylines_are_names_only() -> None:
    articles = {item_name(a): a for a in read_inputs([str(PAGES)]) if isinstance(a, Article)}
    assert articles["ld-graph-bylines.html"].authors == ["Priya Ramanathan"]
    assert articles["long-suffix-junk-byline.html"].authors == []
    assert articles["em-dash-two-bylines.html"].authors == ["Ann Smith", "Bo Lee"]
    assert articles["section-and-site-variant.html"].authors == ["Lena Ortiz"]


@pytest.mark.slow
def test_the_corpus_ingests_in_one_batch_with_the_full_pipeline(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storydesk.cli import app
    from storydesk.store import open_store

    db = tmp_path / "pages.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(PAGES), "--db", str(db)])
    rows = expected()
    refused = [item for item, row in rows.items() if row["outlet"] == REFUSED]
    assert result.exit_code == 1  # the tiny text failed; nothing stopped the batch
    assert f"{len(rows) - len(refused)} article(s) added" in result.stderr
    assert f"{len(refused)} failed" in result.stderr and "too short to be an article" in result.stderr
    assert "French (fr) text: stored and listed, left out of actors, quotes and stances" in result.stderr
    store = open_store(f"sqlite:///{db}")
    stored = {item_name(a): (a, an) for s in store.stories() for a, an in store.story_articles(s.id)}
    assert sorted(stored) == sorted(item for item in rows if item not in refused)
    for item, (article, analysis) in stored.items():
        row = rows[item]
        got = (analysis.outlet or "", article.title or "", article.date or "", article.language or "")
        assert got == (row["outlet"], row["title"], row["date"], row["language"]), item
        if row["language"] != "en":  # no junk actors or quotes from text the stages cannot read
            assert analysis.actors == [] and analysis.quotes == [] and analysis.entities == []
