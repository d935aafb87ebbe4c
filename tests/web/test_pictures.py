"""The web app's pictures and search: SVG charts laid out and drawn server-side (coverage over
time, facts by outlet, positions), speaker names beside highlighted quotes, "Who is quoted"
limited to named people and organisations, the search page and API; all escaping hostile text.

The chart story's dossier is written here and kept in the store as a built one, so the page
shows facts, coverage and positions without running the analysis."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from storydesk import __version__
from storydesk.models import (
    Analysis,
    Article,
    CoverageRow,
    DossierActor,
    DossierArticle,
    DossierQuote,
    Evidence,
    Fact,
    Position,
    Positions,
    Sourcing,
    Speaker,
    Story,
    Support,
)
from storydesk.store import Store
from storydesk.web import charts, create_app
from tests.web.test_web import TOKEN, seed

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_OUTLET = "<script>window.__xss = 6</script>Wire & Co"
HOSTILE_ACTOR = '<img src=x onerror="window.__xss = 7">Residents'
VOTE_ID = "s-vote"
LEDGER = "Northfield Ledger"
TIMES = "Riverside Times"

VOTE_TEXTS = {
    "vote/ledger.txt": (
        LEDGER,
        "2024-04-02",
        "County board votes to close the old bridge",
        '"It is no longer safe," said Dana Whitfield, the board chair. '
        "Concerns said the closure was rushed. Residents of the east bank said they would sue.",
    ),
    "vote/times.txt": (
        TIMES,
        "2024-04-02",
        "Old bridge to close in May",
        "The bridge will close in May after a 5-2 vote. Board member Luis Ortega voted against, "
        'saying "the detour is too long."',
    ),
    "vote/wire.txt": (
        HOSTILE_OUTLET,
        "2024-04-04",
        "Bridge closure: repairs to cost $12 million",
        "The old bridge closes in May. Whitfield said repairs would cost $12 million.",
    ),
}


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _quote(article: str, part: str, speaker: str, kind: str = "direct") -> DossierQuote:
    text = VOTE_TEXTS[article][3]
    return DossierQuote(
        article=article,
        text=part,
        span=_span(text, part),
        kind=kind,  # type: ignore[arg-type]
        speaker=Speaker(name=speaker),
    )


def _support(article: str, part: str) -> Support:
    outlet, _, _, text = VOTE_TEXTS[article]
    return Support(article=article, outlet=outlet, span=_span(text, part), text=part)


def _evidence(article: str, part: str) -> Evidence:
    return Evidence(article=article, span=_span(VOTE_TEXTS[article][3], part), text=part)


def vote_story() -> Story:
    """A story with facts, coverage, quotes (one by a speaker that is no actor) and stances."""
    articles = [
        DossierArticle(id=key, outlet=outlet, title=title, published=day)
        for key, (outlet, day, title, _) in VOTE_TEXTS.items()
    ]
    return Story(
        story=VOTE_ID,
        title="County board votes to close the old bridge",
        independent_origins=3,
        articles=articles,
        actors=[
            DossierActor(name="Dana Whitfield", kind="person", aliases=["Whitfield"], articles=["vote/ledger.txt"]),
            DossierActor(name="Luis Ortega", kind="person", articles=["vote/times.txt"]),
            DossierActor(name="County board", kind="organization", articles=["vote/ledger.txt"]),
        ],
        quotes=[
            _quote("vote/ledger.txt", "It is no longer safe,", "Dana Whitfield"),
            _quote("vote/ledger.txt", "the closure was rushed", "Concerns", "indirect"),
            _quote("vote/times.txt", "the detour is too long.", "Luis Ortega", "mixed"),
            _quote("vote/wire.txt", "repairs would cost $12 million", "Whitfield", "indirect"),
        ],
        facts=[
            Fact(
                text="The board voted 5-2 to close the bridge.",
                status="corroborated",
                support=[_support("vote/times.txt", "after a 5-2 vote")],
                independent_sources=2,
            ),
            Fact(
                text="Repairs would cost $12 million.",
                status="disputed",
                support=[_support("vote/wire.txt", "repairs would cost $12 million")],
                independent_sources=1,
            ),
        ],
        positions=Positions(
            question="Should the board close the bridge?",
            stances=[
                Position(
                    actor="Dana Whitfield",
                    stance="support",
                    evidence=[
                        _evidence("vote/ledger.txt", "It is no longer safe,"),
                        _evidence("vote/wire.txt", "repairs would cost $12 million"),
                        _evidence("vote/times.txt", "The bridge will close in May"),
                    ],
                ),
                Position(actor="Luis Ortega", stance="oppose", evidence=[_evidence("vote/times.txt", "voted against")]),
                Position(
                    actor=HOSTILE_ACTOR, stance="oppose", evidence=[_evidence("vote/ledger.txt", "they would sue")]
                ),
            ],
        ),
        sourcing=Sourcing(
            coverage=[
                CoverageRow(fact=0, outlets={LEDGER: "reports", TIMES: "reports", HOSTILE_OUTLET: "omits"}),
                CoverageRow(fact=1, outlets={LEDGER: "omits", TIMES: "disputes", HOSTILE_OUTLET: "reports"}),
            ]
        ),
    )


def seed_vote(store: Store) -> None:
    """The vote story's articles, and its dossier kept as built for them."""
    for key, (outlet, day, title, text) in VOTE_TEXTS.items():
        a = Article(id=key, text=text, title=title, source=outlet, date=day)
        store.add_article(f"key-{key}", a, Analysis(id=key, outlet=outlet, actors=[]), VOTE_ID, title)
    store.store_dossier(store.story_stamp(VOTE_ID), __version__, vote_story().model_dump_json())


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app("sqlite:///:memory:", TOKEN)
    seed(app.state.web.store)
    seed_vote(app.state.web.store)
    with TestClient(app) as c:
        yield c


def svgs(page: str) -> dict[str, ET.Element]:
    """Each chart of ``page`` by its figure's id, parsed as XML: a label that broke out of its
    escaping would leave the SVG malformed or add elements."""
    found = {}
    for figure, svg in re.findall(r'<figure class="chart" id="([^"]+)">\s*(<svg.*?</svg>)', page, re.S):
        found[figure] = ET.fromstring(svg)
    return found


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def tips(svg: ET.Element, shape: str) -> list[str]:
    return [el.findtext(f"{SVG}title") or "" for el in svg.iter(f"{SVG}{shape}")]


# --- the story page ---------------------------------------------------------------------------


def test_story_page_draws_three_accessible_charts(client: TestClient) -> None:
    page = client.get(f"/stories/{VOTE_ID}").text
    charts_ = svgs(page)
    assert set(charts_) == {"coverage-chart", "fact-matrix", "positions-chart"}
    for name, svg in charts_.items():
        assert svg.get("role") == "img", name
        labelled = (svg.get("aria-labelledby") or "").split()
        assert labelled == [f"{name}-title", f"{name}-desc"]
        assert svg.findtext(f"{SVG}title") and svg.findtext(f"{SVG}desc")
        for el in svg.iter():
            assert el.tag.removeprefix(SVG) in {"svg", "title", "desc", "line", "rect", "circle", "text"}, name
            assert not any(attr.startswith("on") or attr == "style" for attr in el.attrib), name
    assert "<script>window" not in page and "<img" not in page and page.count("<svg") == 3


def test_coverage_chart_counts_articles_per_outlet_per_day(client: TestClient) -> None:
    svg = svgs(client.get(f"/stories/{VOTE_ID}").text)["coverage-chart"]
    assert "3 dated articles from 3 outlets, 2024-04-02 to 2024-04-04" in (svg.findtext(f"{SVG}desc") or "")
    assert sorted(tips(svg, "circle")) == [
        f"{HOSTILE_OUTLET}, 2024-04-04: 1 article",
        f"{LEDGER}, 2024-04-02: 1 article",
        f"{TIMES}, 2024-04-02: 1 article",
    ]
    labels = texts(svg)
    assert LEDGER in labels and TIMES in labels and "Apr 2" in labels
    assert any(label.startswith("<script>window") for label in labels)  # as text, cut to fit


def test_fact_matrix_shows_reports_omits_and_disputes(client: TestClient) -> None:
    svg = svgs(client.get(f"/stories/{VOTE_ID}").text)["fact-matrix"]
    cells = [t for t in tips(svg, "rect") if " F" in t]
    assert f"{TIMES} disputes F2: Repairs would cost $12 million." in cells
    assert f"{LEDGER} reports F1: The board voted 5-2 to close the bridge." in cells
    assert f"{HOSTILE_OUTLET} omits F1: The board voted 5-2 to close the bridge." in cells
    labels = texts(svg)
    assert {"F1", "F2", "reports", "omits", "disputes"} <= set(labels)
    assert labels.count("✗") == 2  # the disputing cell and the legend: not told by colour alone
    classes = [r.get("class") for r in svg.iter(f"{SVG}rect")]
    assert classes.count("cell cell-disputes") == 2 and classes.count("cell cell-reports") == 4


def test_positions_chart_places_actors_on_the_axis_sized_by_evidence(client: TestClient) -> None:
    page = client.get(f"/stories/{VOTE_ID}").text
    svg = svgs(page)["positions-chart"]
    assert "Should the board close the bridge?" in (svg.findtext(f"{SVG}title") or "")
    dots = {(c.findtext(f"{SVG}title") or "").split(":")[0]: c for c in svg.iter(f"{SVG}circle")}
    whitfield, ortega, hostile = dots["Dana Whitfield"], dots["Luis Ortega"], dots[HOSTILE_ACTOR]
    assert float(whitfield.get("r", 0)) > float(ortega.get("r", 0))  # three pieces of evidence to one
    assert float(ortega.get("cx", 0)) < float(whitfield.get("cx", 0))  # oppose left of support
    assert ortega.get("cx") == hostile.get("cx")
    assert {"oppose", "support", "Dana Whitfield", "Luis Ortega"} <= set(texts(svg))
    # beside the evidence list, in one block
    block = page[page.index('<div class="positions">') : page.index('<h3>Actors <span class="count">')]
    assert 'id="positions-chart"' in block and "they would sue" in block


def test_every_highlighted_quote_shows_its_speaker(client: TestClient) -> None:
    page = client.get(f"/stories/{VOTE_ID}").text
    tagged = re.findall(r'</mark><span class="speaker-tag">([^<]*)</span>', page)
    assert tagged == ["Dana Whitfield", "Concerns", "Luis Ortega", "Whitfield"]
    ferry = client.get("/stories/s-ferry").text
    assert re.search(r"in half,</mark><span class=\"speaker-tag\">Maria Okafor</span>", ferry)


def test_who_is_quoted_lists_only_named_people_and_organisations(client: TestClient) -> None:
    page = client.get(f"/stories/{VOTE_ID}").text
    quoted = page[page.index('<section id="quoted">') : page.index('<section id="quotes">')]
    assert 'href="/actor?name=Concerns"' not in quoted  # a phrase, no actor
    assert "Other speakers" in quoted and "not a named person or organisation: Concerns" in quoted
    assert 'href="/actor?name=Dana%20Whitfield"' in quoted and 'href="/actor?name=Whitfield"' in quoted
    named = re.search(r"<th>Named sources</th><td></td>(.*?)</tr>", quoted)
    assert named and re.findall(r">(\d+)<", named.group(1)) == ["1", "1", "1"]
    other = re.search(r"<th>Other speakers</th><td></td>(.*?)</tr>", quoted)
    assert other and re.findall(r">(\d+)<", other.group(1)) == ["1", "0", "0"]


# --- search -----------------------------------------------------------------------------------


def test_search_page_lists_ranked_hits_with_marked_snippets_and_a_chart(client: TestClient) -> None:
    page = client.get("/search", params={"q": "bridges -May"}).text  # "bridge" stems alike
    hits = re.findall(r'<li class="hit">(.*?)</li>', page, re.S)
    assert len(hits) == 1 and "County board votes to close the old bridge" in hits[0]
    assert "<mark>bridge</mark>" in hits[0]
    either = client.get("/search", params={"q": "ferry OR bridge"}).text
    assert "6 articles match" in either  # three of the ferry, three of the bridge
    first = client.get("/search", params={"q": "ferry OR bridge", "limit": 1}).text
    assert len(re.findall(r'<li class="hit">', first)) == 1 and "6 articles match" in first
    assert len(svgs(first)["search-chart"].findall(f"{SVG}circle")) == 6  # every match, not the page
    chart = svgs(either)["search-chart"]
    assert "6 dated articles from 6 outlets" in (chart.findtext(f"{SVG}desc") or "")


def test_search_snippets_escape_article_text_and_mark_only_the_match(client: TestClient) -> None:
    page = client.get("/search", params={"q": "spokesperson"}).text
    hit = re.findall(r'<div class="snippet">(.*?)</div>', page, re.S)[0]
    assert hit.count("<mark>") == 1 and "<mark>spokesperson</mark>" in hit
    assert "<img" not in hit and "&lt;img src=x onerror=&#34;window.__xss = 2&#34;&gt;" in hit
    assert "&lt;script&gt;window.__xss = 4&lt;/script&gt;" in hit and "<script>window" not in page


def test_search_api_returns_hits_with_highlight_offsets(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": '"old bridge"', "limit": 5}).json()
    assert (body["query"], body["total"], body["limit"]) == ('"old bridge"', 3, 5)  # two titles and a text
    assert {h["story"] for h in body["hits"]} == {VOTE_ID}
    for h in body["hits"]:
        marked = [h["snippet"][s:e].lower() for s, e in h["highlights"]]
        assert marked and set(marked) == {"old bridge"}  # the phrase, marked whole
        assert h["rank"] > 0
    assert client.get("/api/search", params={"q": 'NEAR( "x'}).status_code == 200
    assert client.get("/api/search", params={"q": "bridge", "limit": 1000}).status_code == 422
    assert client.get("/search").status_code == 200  # the empty form
    assert "/api/search" in client.get("/openapi.json").json()["paths"]
    listed = client.get("/", params={"q": "bridge"}).text
    assert 'href="/search?q=bridge"' in listed  # from the stories found to the articles


# --- the chart layouts ------------------------------------------------------------------------


def test_coverage_chart_buckets_by_week_or_month_and_keeps_undated_out() -> None:
    days = [("A", "2024-01-01"), ("A", "2024-01-02T09:00:00Z"), ("B", "2024-03-30"), ("B", None), ("C", "bad")]
    chart = charts.coverage_chart("c", "test", days)
    assert chart is not None and chart.title == "Articles per outlet per week: test"
    assert chart.caption == "2 undated articles not shown."
    assert sorted(c.tip for c in chart.circles) == [
        "A, week of 2024-01-01: 2 articles",
        "B, week of 2024-03-25: 1 article",
    ]
    two = next(c for c in chart.circles if c.tip.startswith("A"))
    one = next(c for c in chart.circles if c.tip.startswith("B"))
    assert two.r > one.r
    long = charts.coverage_chart("c", "t", [("A", "2022-01-05"), ("A", "2024-02-01")])
    assert long is not None and "per month" in long.title and len(long.circles) == 2
    assert charts.coverage_chart("c", "t", [("A", None)]) is None


def test_coverage_chart_gathers_outlets_past_the_row_limit() -> None:
    many = [(f"Outlet {n:02}", "2024-05-01") for n in range(charts.MAX_ROWS + 5)]
    chart = charts.coverage_chart("c", "t", many)
    assert chart is not None
    rows = [t.text for t in chart.texts if t.cls == "row-label"]
    assert len(rows) == charts.MAX_ROWS and rows[-1] == charts.OTHER_OUTLETS
    assert f"{charts.OTHER_OUTLETS}, 2024-05-01: 6 articles" in [c.tip for c in chart.circles]


def test_long_labels_are_cut_with_the_whole_text_as_tooltip() -> None:
    chart = charts.coverage_chart("c", "t", [("A very long outlet name that goes on and on", "2024-05-01")])
    assert chart is not None
    label = next(t for t in chart.texts if t.cls == "row-label")
    assert label.text.endswith("…") and len(label.text) <= 26
    assert label.tip == "A very long outlet name that goes on and on"
    assert charts.px(12.04) == "12" and charts.px(3.25) == "3.2" and charts.day_of("2024-05-01") == date(2024, 5, 1)


def test_no_chart_without_data() -> None:
    empty = Story(story="s-empty")
    assert charts.story_coverage_chart(empty) is None
    assert charts.fact_matrix_chart(empty) is None
    assert charts.positions_chart(None, []) is None


def test_named_sources_are_named_people_and_organisations_only() -> None:
    from storydesk.web.pages import named_sources

    actors = [
        DossierActor(name="Dana Whitfield", kind="person", aliases=["Whitfield"]),
        DossierActor(name="Northfield", kind="place"),
        DossierActor(name="a board official", kind="person", anonymous=True),
        DossierActor(name="Jon Bruning", kind="person"),
        DossierActor(name="Harbour Trust", kind="organization"),
    ]
    assert named_sources(actors) == {"dana whitfield", "whitfield", "jon bruning", "bruning", "harbour trust"}


def test_hostile_title_and_outlet_are_text_inside_the_svg(client: TestClient) -> None:
    svg = svgs(client.get("/stories/s-hostile").text)["coverage-chart"]
    title = svg.findtext(f"{SVG}title") or ""
    assert title == "Articles per outlet per day: <script>window.__xss = 1</script>Harbour <b>news</b>"
    tags = [el.tag.removeprefix(SVG) for el in svg]
    assert set(tags) == {"title", "desc", "line", "circle", "text"} and tags.count("circle") == 1
    assert any(label.startswith('"><svg onload=') for label in texts(svg))
