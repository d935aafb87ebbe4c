"""The web app in a real browser: Chromium (Debian's /usr/bin/chromium) driven by Playwright
against the app served by uvicorn on loopback. Each page is screenshotted under
test-artifacts/screenshots/ for review. Skipped when Chromium is not installed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from storydesk.web import create_app
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


def shot(page: sync_api.Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_stories_list(page: sync_api.Page) -> None:
    page.goto("/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 2
    assert page.locator("#result-count").inner_text().startswith("1–2 of 2 stories")
    assert "Harbor Gazette" in rows.nth(1).inner_text()
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
        assert page.locator("img, svg").count() == 0
    page.goto("/stories/s-hostile")
    assert page.locator("h1").inner_text() == "<script>window.__xss = 1</script>Harbour <b>news</b>"
    text = page.locator(".article-text").inner_text()
    assert '<img src=x onerror="window.__xss = 2"> is fine,' in text
    assert "</textarea><script>window.__xss = 4</script> & more." in text
    assert HOSTILE_SPEAKER in page.locator("#quoted").inner_text()
    shot(page, "hostile")
