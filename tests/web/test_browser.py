"""The web app in a real browser: Chromium (Debian's /usr/bin/chromium) driven by Playwright
against the app served by uvicorn on loopback. Each page (and each chart) is screenshotted under
test-artifacts/screenshots/ for review, its path printed (``pytest -s`` shows them). Skipped
when Chromium is not installed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from storydesk.web import create_app
from tests.web.test_pictures import HOSTILE_ACTOR, HOSTILE_OUTLET, VOTE_ID, seed_vote
from tests.web.test_web import HOSTILE_SPEAKER, TOKEN, seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a seeded file store, served on a free loopback port for the module's tests."""
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('web') / 'desk.sqlite'}", TOKEN)
    seed(app.state.web.store)
    seed_vote(app.state.web.store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: sync_api.Browser, base_url: str) -> Iterator[sync_api.Page]:
    """A fresh page that records every script error, dialog and failed asset: article text must
    start no script, and the page's own assets must all load (refused pages are documents)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("response", lambda r: problems.append(f"{r.status} {r.url}") if failed_asset(r) else None)
    yield pg
    context.close()
    assert problems == []


def failed_asset(response: sync_api.Response) -> bool:
    return response.status >= 400 and response.request.resource_type != "document"


def shot(page: sync_api.Page | sync_api.Locator, name: str) -> Path:
    """A screenshot of the whole page (or of one element), its path printed."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if isinstance(page, sync_api.Page):
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    assert path.stat().st_size > 0
    return path


def test_stories_list(page: sync_api.Page) -> None:
    page.goto("/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 3
    assert page.locator("#result-count").inner_text().startswith("1–3 of 3 stories")
    assert "Harbor Gazette" in rows.filter(has_text="Port authority approves").inner_text()
    shot(page, "stories")


def test_search_and_outlet_filter(page: sync_api.Page) -> None:
    page.goto("/")
    page.fill(".filters input[name=q]", "delayed")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/?q=delayed**")
    assert page.locator("table.stories tbody tr").count() == 1
    assert "Port authority approves new ferry terminal" in page.locator("table.stories").inner_text()
    shot(page, "search")
    page.goto("/")
    page.select_option(".filters select[name=outlet]", "Valley Courier")  # submits by itself (app.js)
    page.wait_for_url("**outlet=Valley+Courier**")
    assert page.locator("table.stories tbody tr").count() == 1


def test_story_page_sources_side_by_side(page: sync_api.Page) -> None:
    page.goto("/stories/s-ferry")
    columns = page.locator(".source-column")
    assert columns.count() == 2
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert first and second and first["x"] < second["x"] and abs(first["y"] - second["y"]) < 2  # side by side
    marks = page.locator("#article-1 mark.hl-quote")
    assert marks.first.inner_text() == "This terminal will cut waiting times in half,"
    assert page.locator("#facts h2").inner_text().startswith("Facts by outlet")
    assert "anonymous" in page.locator("#quoted").inner_text()
    shot(page, "story")
    page.locator("#quotes a.jump").first.click()
    assert page.locator("mark.flash").count() == 1
    page.uncheck("#show-quotes")  # hides the quote highlights (CSS only)
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent")


def test_actor_page(page: sync_api.Page) -> None:
    page.goto("/stories/s-ferry")
    page.locator("#quoted a.actor", has_text="Maria Okafor").click()
    page.wait_for_url("**/actor?name=Maria**")
    assert page.locator("h1").inner_text() == "Maria Okafor"
    assert page.locator("table.said tbody tr").count() == 2
    shot(page, "actor")


def test_ingest_needs_the_token(page: sync_api.Page, fake_analysis: None, tmp_path: Path) -> None:
    upload = tmp_path / "lighthouse.txt"
    upload.write_text("The lighthouse on the north pier was repainted for its centenary.")
    page.goto("/ingest")
    page.set_input_files("input[type=file]", str(upload))
    page.fill("input[name=token]", "not-the-right-token")
    page.click("form.ingest button[type=submit]")
    page.wait_for_load_state()
    assert "wrong write token" in page.locator(".notice.error").inner_text()
    shot(page, "ingest-refused")
    page.goto("/ingest")
    page.set_input_files("input[type=file]", str(upload))
    page.fill("input[name=token]", TOKEN)
    page.click("form.ingest button[type=submit]")
    page.wait_for_selector("#ingest-result")
    assert "1 article added" in page.locator("#ingest-result").inner_text()
    shot(page, "ingest-done")
    page.locator("#ingest-result a").first.click()
    assert "lighthouse on the north pier" in page.locator(".article-text").inner_text()


def test_hostile_article_renders_inert(page: sync_api.Page) -> None:
    for path in ["/", "/stories/s-hostile", f"/actor?name={HOSTILE_SPEAKER}"]:
        page.goto(path)
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("script:not([src])").count() == 0
        assert (
            page.locator("img, svg:not(.chart-svg), svg.chart-svg :not(title, desc, line, rect, circle, text)").count()
            == 0
        )
    page.goto("/stories/s-hostile")
    assert page.locator("h1").inner_text() == "<script>window.__xss = 1</script>Harbour <b>news</b>"
    text = page.locator(".article-text").inner_text()
    assert '<img src=x onerror="window.__xss = 2"> is fine,' in text
    assert "</textarea><script>window.__xss = 4</script> & more." in text
    assert HOSTILE_SPEAKER in page.locator("#quoted").inner_text()
    shot(page, "hostile")


def test_story_charts_are_drawn_with_text_labels(page: sync_api.Page) -> None:
    page.goto(f"/stories/{VOTE_ID}")
    assert page.evaluate("typeof window.__xss") == "undefined"
    for chart, shows in [
        ("coverage-chart", ["Northfield Ledger", "Riverside Times", "Apr 2"]),
        ("fact-matrix", ["F1", "F2", "reports", "omits", "disputes"]),
        ("positions-chart", ["oppose", "support", "Dana Whitfield", "Luis Ortega"]),
    ]:
        figure = page.locator(f"#{chart}")
        figure.scroll_into_view_if_needed()
        box = figure.locator("svg").bounding_box()
        assert box and box["width"] > 150 and box["height"] > 60, chart
        labels = figure.locator("svg text").all_text_contents()  # SVG text has no innerText
        assert set(shows) <= {t.strip() for t in labels}, chart
        assert figure.get_by_role("img").count() == 1  # named by its title for screen readers
        shot(figure, f"chart-{chart}")
    # the dots are drawn: each with a visible size and a fill from the stylesheet
    dot = page.locator("#coverage-chart circle").first
    assert dot.evaluate("c => getComputedStyle(c).fill") not in ("none", "rgb(0, 0, 0)")
    disputed = page.locator("#fact-matrix rect.cell-disputes").first
    assert disputed.evaluate("r => getComputedStyle(r).fill") != page.locator(
        "#fact-matrix rect.cell-omits"
    ).first.evaluate("r => getComputedStyle(r).fill")
    assert HOSTILE_OUTLET[:20] in (page.locator("#coverage-chart").text_content() or "")  # shown as text
    assert HOSTILE_ACTOR in page.locator("#stances").inner_text()
    shot(page, "story-charts")


def test_speaker_names_stand_beside_their_quotes(page: sync_api.Page) -> None:
    page.goto(f"/stories/{VOTE_ID}")
    tags = page.locator(".source-column .speaker-tag")
    assert tags.all_inner_texts() == ["Dana Whitfield", "Concerns", "Luis Ortega", "Whitfield"]
    for i in range(tags.count()):
        tag = tags.nth(i)
        assert tag.is_visible()
        mark = tag.locator("xpath=preceding-sibling::mark[1]")
        quote_box, tag_box = mark.bounding_box(), tag.bounding_box()
        assert quote_box and tag_box
        # right after the quote's end: on its last line, or at the start of the next
        assert tag_box["y"] >= quote_box["y"] - 2 and tag_box["y"] - (quote_box["y"] + quote_box["height"]) < 30
    shot(page.locator("#article-1"), "speaker-labels")
    quoted = page.locator("#quoted").inner_text()
    assert "Other speakers" in quoted and page.locator("#quoted a.actor", has_text="Concerns").count() == 0
    page.uncheck("#show-quotes")  # hides the highlights and their speaker labels
    assert not tags.first.is_visible()


def test_search_page_shows_snippets_and_a_chart(page: sync_api.Page) -> None:
    page.goto("/")
    page.fill(".quick-search input[name=q]", "bridge OR ferry")
    page.press(".quick-search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=bridge+OR+ferry**")
    assert page.locator("li.hit").count() == 6
    marks = page.locator("li.hit .snippet mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} <= {"bridge", "ferry"}
    chart = page.locator("#search-chart svg")
    assert chart.is_visible() and page.locator("#search-chart circle").count() == 6
    assert page.evaluate("typeof window.__xss") == "undefined"
    shot(page, "search-results")
