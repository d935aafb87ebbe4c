"""The web app in-process (FastAPI's TestClient, in-memory store): pages, JSON API, search and
filters, the actor page, ingest with its token, CSRF and limits, and escaping of hostile text."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient

from storydesk import desk, nlp
from storydesk.dossier import build as dossier
from storydesk.errors import InputError, StoreError
from storydesk.models import (
    ActorRef,
    Analysis,
    Article,
    Fact,
    Quote,
    Speaker,
    Story,
    Support,
)
from storydesk.store import Store, StoryFilter, open_store
from storydesk.store.models import Base, include_name
from storydesk.web import create_app, env_token
from storydesk.web.ingesting import Upload, safe_name, upload_problem
from storydesk.web.pages import Mark, segments, story_page

TOKEN = "test-token-0123456789"

FERRY_A = (
    "The Lakeside Port Authority voted on Monday to build a new ferry terminal costing $40 million.\n\n"
    '"This terminal will cut waiting times in half," said Maria Okafor, the authority\'s chair. '
    "An official who asked not to be named said the vote had been delayed twice."
)
FERRY_B = (
    "Local officials backed a $40 million ferry terminal on Monday. Maria Okafor said the project "
    'would "cut waiting times in half." Council member Tom Reyes said he opposed the cost.'
)
HOSTILE_TITLE = "<script>window.__xss = 1</script>Harbour <b>news</b>"
HOSTILE_SPEAKER = '<img src=x onerror="window.__xss = 3">'
HOSTILE_TEXT = (
    'Ferry talk continues. "<img src=x onerror="window.__xss = 2"> is fine," said the spokesperson '
    "</textarea><script>window.__xss = 4</script> & more."
)


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def quote(text: str, part: str, speaker: str | None, kind: str = "direct", anonymous: bool = False) -> Quote:
    return Quote(
        text=part,
        span=span_of(text, part),
        kind=kind,  # type: ignore[arg-type]
        speaker=Speaker(name=speaker, anonymous=anonymous) if speaker else None,
    )


def ferry_articles() -> list[tuple[Article, Analysis]]:
    a = Article(
        id="gazette/ferry.txt",
        text=FERRY_A,
        title="Port authority approves new ferry terminal",
        source="Harbor Gazette",
        date="2024-03-04",
        url="https://gazette.example/ferry",
    )
    b = Article(
        id="courier/ferry.txt",
        text=FERRY_B,
        title="Ferry terminal plan wins approval",
        source="Valley Courier",
        date="2024-03-05",
    )
    okafor = ActorRef(name="Maria Okafor", kind="person", aliases=["Okafor"])
    an_a = Analysis(
        id=a.id,
        outlet="Harbor Gazette",
        title=a.title,
        published=a.date,
        quotes=[
            quote(FERRY_A, "This terminal will cut waiting times in half,", "Maria Okafor"),
            quote(FERRY_A, "the vote had been delayed twice", "An official", "indirect", anonymous=True),
        ],
        actors=[okafor, ActorRef(name="Lakeside Port Authority", kind="organization")],
    )
    an_b = Analysis(
        id=b.id,
        outlet="Valley Courier",
        title=b.title,
        published=b.date,
        quotes=[
            quote(FERRY_B, "cut waiting times in half.", "Maria Okafor", "mixed"),
            quote(FERRY_B, "he opposed the cost", "Tom Reyes", "indirect"),
        ],
        actors=[okafor, ActorRef(name="Tom Reyes", kind="person")],
    )
    return [(a, an_a), (b, an_b)]


def hostile_article() -> tuple[Article, Analysis]:
    a = Article(
        id="hostile.txt", text=HOSTILE_TEXT, title=HOSTILE_TITLE, source="Evil <i>Outlet</i>", date="2024-03-06"
    )
    q = quote(HOSTILE_TEXT, '<img src=x onerror="window.__xss = 2"> is fine,', HOSTILE_SPEAKER)
    an = Analysis(
        id=a.id,
        outlet='"><svg onload="window.__xss = 5">',
        title=a.title,
        published=a.date,
        quotes=[q],
        actors=[ActorRef(name=HOSTILE_SPEAKER, kind="person")],
    )
    return a, an


def seed(store: Store) -> None:
    """Two articles of one ferry story, and a hostile article in a story of its own."""
    for a, an in ferry_articles():
        store.add_article(f"key-{a.id}", a, an, "s-ferry", a.title)
    a, an = hostile_article()
    store.add_article("key-hostile", a, an, "s-hostile", a.title)


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app("sqlite:///:memory:", TOKEN)
    seed(app.state.web.store)
    with TestClient(app) as c:
        yield c


def csrf_of(c: TestClient) -> str:
    page = c.get("/ingest")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


# --- the store's search -----------------------------------------------------------------------


@pytest.fixture
def store() -> Store:
    s = open_store("sqlite:///:memory:")
    seed(s)
    return s


def ids(store: Store, **kw: object) -> list[str]:
    return [s.id for s in store.find_stories(StoryFilter(**kw)).stories]  # type: ignore[arg-type]


def test_search_finds_words_in_title_text_and_outlet(store: Store) -> None:
    assert ids(store, query="ferry terminal") == ["s-ferry"]
    assert ids(store, query="delayed") == ["s-ferry"]  # in the text only
    assert ids(store, query="courier") == ["s-ferry"]  # the outlet
    assert ids(store, query="ferry") == ["s-hostile", "s-ferry"]  # newest first
    assert ids(store, query="submarine") == []


def test_search_reads_fts_syntax_as_words(store: Store) -> None:
    for hostile in ['"unbalanced', "title:ferry OR", "NEAR(ferry", "*", "ferry AND -x", "^"]:
        store.find_stories(StoryFilter(query=hostile))  # no FTS5 syntax error
    assert ids(store, query='ferry" OR "x') == []  # "OR" inside quotes is a word: all must occur
    assert ids(store, query="submarine OR delayed") == ["s-ferry"]  # OR outside them: either


def test_filters_by_outlet_actor_and_dates(store: Store) -> None:
    assert ids(store, outlet="valley courier") == ["s-ferry"]
    assert ids(store, actor="maria okafor") == ["s-ferry"]
    assert ids(store, actor="Okafor") == ["s-ferry"]  # an alias
    assert ids(store, actor="Nobody") == []
    assert ids(store, since="2024-03-06") == ["s-hostile"]
    assert ids(store, until="2024-03-04") == ["s-ferry"]
    assert ids(store, since="2024-03-05", until="2024-03-05") == ["s-ferry"]
    assert ids(store, query="ferry", outlet="Harbor Gazette", since="2024-03-01") == ["s-ferry"]


def test_find_stories_pages_and_counts(store: Store) -> None:
    first = store.find_stories(StoryFilter(limit=1))
    second = store.find_stories(StoryFilter(limit=1, offset=1))
    assert first.total == second.total == 2
    assert [s.id for s in first.stories + second.stories] == ["s-hostile", "s-ferry"]
    ferry = second.stories[0]
    assert (ferry.articles, ferry.outlets, ferry.first, ferry.last) == (
        2,
        ["Harbor Gazette", "Valley Courier"],
        "2024-03-04",
        "2024-03-05",
    )
    assert store.find_stories(StoryFilter()).stories == store.stories()


def test_actor_quotes_across_articles_by_date(store: Store) -> None:
    said = store.actor_quotes("okafor")  # an alias: the article's speakers carry the full name
    assert [(q.outlet, q.quote.text, q.story_id) for q in said] == [
        ("Harbor Gazette", "This terminal will cut waiting times in half,", "s-ferry"),
        ("Valley Courier", "cut waiting times in half.", "s-ferry"),
    ]
    assert [q.quote.text for q in store.actor_quotes("Tom Reyes")] == ["he opposed the cost"]
    assert store.actor_quotes("An Official")[0].quote.speaker.anonymous  # type: ignore[union-attr]
    assert store.actor_quotes("  ") == []
    assert len(store.actor_quotes("Maria Okafor", limit=1)) == 1


def test_outlets_and_story_updated(store: Store) -> None:
    assert store.outlets()[:2] == ['"><svg onload="window.__xss = 5">', "Harbor Gazette"]
    assert store.story_updated("s-ferry").tzinfo is not None


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_search_index_is_migrated_and_left_out_of_the_schema_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    s = open_store(url)
    seed(s)
    s.close()
    again = open_store(url)  # reopened: the index is kept, not rebuilt
    assert ids(again, query="delayed") == ["s-ferry"]
    with again.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
    assert include_name("articles", "table", {}) and not include_name("article_search_data", "table", {})


def test_search_on_a_store_without_the_index_is_a_store_error(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(store), "_searchable", property(lambda self: False))
    with pytest.raises(StoreError):
        store.find_stories(StoryFilter(query="ferry"))


# --- page building ----------------------------------------------------------------------------


def test_segments_split_text_at_every_mark_boundary() -> None:
    text = "abcdefghij"
    marks = [Mark(2, 6, "quote", "q", "q0"), Mark(4, 8, "corroborated", "f", "f0"), Mark(9, 30, "quote", "x", "bad")]
    parts = segments(text, marks)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.classes, p.anchors) for p in parts] == [
        ("ab", "", []),
        ("cd", "hl-quote", ["q0"]),
        ("ef", "hl-corroborated hl-quote", ["f0"]),
        ("gh", "hl-corroborated", []),
        ("ij", "", []),
    ]
    assert segments("", []) == []


def test_story_page_anchors_quotes_and_facts_in_their_article() -> None:
    items = ferry_articles()
    for (_, an), parse in zip(items, nlp.parse_texts(a.text for a, _ in items), strict=True):
        an.parse = parse  # as the analysis pass keeps it
    story = dossier.build_story("s-ferry", items)
    fact_span = span_of(FERRY_B, "Local officials backed a $40 million ferry terminal")
    story.facts = [
        Fact(
            text="A $40 million terminal was approved.",
            status="corroborated",
            support=[Support(article="courier/ferry.txt", outlet="Valley Courier", span=fact_span, text="…")],
            independent_sources=1,
        )
    ]
    page = story_page(story, [a for a, _ in items])
    assert [c.outlet for c in page.columns] == ["Harbor Gazette", "Valley Courier"]
    courier = page.columns[1]
    fact_segment = next(s for s in courier.segments if "hl-corroborated" in s.classes)
    assert fact_segment.text == "Local officials backed a $40 million ferry terminal"
    assert fact_segment.anchors == [page.facts[0].facts[0].anchors[0]]
    okafor = page.speakers[0]
    assert okafor.group.speaker == "Maria Okafor" and len(okafor.quotes) == 2
    anchors = {a for c in page.columns for s in c.segments for a in s.anchors}
    assert {q.anchor for sq in page.speakers for q in sq.quotes} <= anchors
    assert page.quoted_by.outlets == ["Harbor Gazette", "Valley Courier"]
    assert [(s.outlet, s.named, s.anonymous) for s in page.quoted_by.sources] == [
        ("Harbor Gazette", 1, 1),
        ("Valley Courier", 2, 0),
    ]
    assert [e.number for e in page.timeline] == [1, 2]


# --- pages ------------------------------------------------------------------------------------


def test_stories_page_lists_and_filters(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Port authority approves new ferry terminal" in page.text and "2 stories" in page.text
    filtered = client.get("/", params={"q": "delayed"})
    assert "1 story matching" in filtered.text and "Harbour" not in filtered.text
    assert "No story matches" in client.get("/", params={"actor": "Nobody"}).text
    assert client.get("/", params={"since": "not a date"}).status_code == 422


def test_story_page_shows_every_section(client: TestClient) -> None:
    page = client.get("/stories/s-ferry")
    assert page.status_code == 200
    text = page.text
    sections = ["Sources side by side", "Facts by outlet", "Who is quoted by whom", "Timeline", "Harbor Gazette"]
    for expected in sections:
        assert expected in text
    # A story whose articles give no stance says so rather than leaving the sections out.
    quiet = client.get("/stories/s-hostile").text
    assert "Stances: not analysed yet" in quiet and "Consensus: not analysed yet" in quiet
    okafor = r'<mark class="[^"]*hl-quote[^"]*" title="direct quote: Maria Okafor[^"]*">This terminal will cut waiting'
    assert re.search(okafor, text)
    assert 'href="/actor?name=Maria%20Okafor"' in text
    assert 'class="badge anon">anonymous' in text
    assert client.get("/stories/s-fe").status_code == 200  # a unique prefix
    missing = client.get("/stories/nothing")
    assert missing.status_code == 404 and "no story" in missing.text


def test_story_page_is_rebuilt_when_the_story_gains_an_article(client: TestClient) -> None:
    assert "Third outlet" not in client.get("/stories/s-ferry").text
    store = client.app.state.web.store  # type: ignore[attr-defined]
    extra = Article(id="third.txt", text="Another ferry report from a third outlet.", source="Third outlet")
    store.add_article("key-third", extra, Analysis(id=extra.id, outlet="Third outlet"), "s-ferry", None)
    assert "Third outlet" in client.get("/stories/s-ferry").text


def test_actor_page_lists_quotes_by_outlet(client: TestClient) -> None:
    page = client.get("/actor", params={"name": "Maria Okafor"})
    assert page.status_code == 200
    assert "2 quotes · 1 story · 2 outlets" in page.text
    assert "cut waiting times in half." in page.text
    assert "No quote attributed" in client.get("/actor", params={"name": "Nobody"}).text
    assert client.get("/actor").status_code == 422


def test_hostile_article_text_is_escaped_everywhere(client: TestClient) -> None:
    pages = [
        client.get("/").text,
        client.get("/stories/s-hostile").text,
        client.get("/actor", params={"name": HOSTILE_SPEAKER}).text,
        client.get("/", params={"outlet": '"><svg onload="window.__xss = 5">'}).text,
    ]
    for text in pages:
        assert "<script>window" not in text and "<img src=x" not in text and "<svg onload" not in text
        assert text.count("<svg") == text.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"')
    story = pages[1]
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;Harbour &lt;b&gt;news&lt;/b&gt;" in story
    assert "&lt;img src=x onerror=&#34;window.__xss = 2&#34;&gt;" in story
    assert "&lt;/textarea&gt;&lt;script&gt;window.__xss = 4&lt;/script&gt; &amp; more." in story


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ["/", "/stories/s-ferry", "/api/stories", "/static/app.css", "/nothing"]:
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/api/stories", "/actor", "/api/actor"])
def test_an_offset_past_any_store_is_a_request_error(client: TestClient, path: str) -> None:
    response = client.get(path, params={"offset": "99999999999999999999", "name": "Maria Okafor"})
    assert response.status_code == 422
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_unexpected_error_still_carries_the_security_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app("sqlite:///:memory:", TOKEN)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(app.state.web.store, "find_stories", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/stories")
    assert response.status_code == 500
    assert "boom" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_static_files_are_served_and_paths_cannot_escape(client: TestClient) -> None:
    assert client.get("/static/app.js").status_code == 200
    for path in ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"]:
        assert client.get(path).status_code == 404


def test_docs_page_is_local_and_lists_the_api(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/api/stories/{story_id}" in docs.text and "/openapi.json" in docs.text
    assert "cdn" not in docs.text.lower() and '<script src="http' not in docs.text
    schema = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/actor", "/api/ingest"} <= set(schema["paths"])


# --- JSON API ---------------------------------------------------------------------------------


def test_api_story_is_the_dossier_contract_shape(client: TestClient) -> None:
    got = client.get("/api/stories/s-ferry")
    assert got.status_code == 200
    store = client.app.state.web.store  # type: ignore[attr-defined]
    assert got.json() == desk.show(store, "s-ferry").model_dump(mode="json")
    Story.model_validate(got.json())
    assert client.get("/api/stories/nothing").json() == {"detail": "no story 'nothing'"}


def test_api_lists_filters_and_pages_stories(client: TestClient) -> None:
    body = client.get("/api/stories", params={"limit": 1}).json()
    assert body["total"] == 2 and len(body["stories"]) == 1
    ferry = client.get("/api/stories", params={"q": "terminal", "outlet": "Harbor Gazette"}).json()["stories"]
    assert [(s["id"], s["independent_origins"], s["articles"]) for s in ferry] == [("s-ferry", 2, 2)]
    assert client.get("/api/stories", params={"limit": 1000}).status_code == 422


def test_api_articles_and_actor(client: TestClient) -> None:
    articles = client.get("/api/stories/s-ferry/articles").json()
    assert [a["text"] for a in articles] == [FERRY_A, FERRY_B]
    actor = client.get("/api/actor", params={"name": "Tom Reyes"}).json()
    assert [q["quote"]["text"] for q in actor["quotes"]] == ["he opposed the cost"]
    assert actor["quotes"][0]["outlet"] == "Valley Courier"


# --- ingest -----------------------------------------------------------------------------------


def test_ingest_form_stores_uploads_with_the_token(client: TestClient, fake_analysis: None) -> None:
    csrf = csrf_of(client)
    files = [("files", ("../../etc/new story.txt", b"A lighthouse keeper retired after forty years.", "text/plain"))]
    done = client.post("/ingest", data={"token": TOKEN, "csrf": csrf}, files=files)
    assert done.status_code == 200 and "1 article added" in done.text
    listed = client.get("/api/stories", params={"q": "lighthouse"}).json()["stories"]
    assert len(listed) == 1
    articles = client.get(f"/api/stories/{listed[0]['id']}/articles").json()
    assert articles[0]["id"] == "upload/01-new_story.txt"  # the client's path is not kept
    stale = client.post("/ingest", data={"token": TOKEN, "csrf": csrf}, files=files)
    assert stale.status_code == 403  # each form's CSRF token is replaced when the form is sent
    again = client.post("/ingest", data={"token": TOKEN, "csrf": csrf_of(client)}, files=files)
    assert "0 articles added" in again.text and "1 already stored" in again.text


def test_ingest_form_refuses_without_token_or_csrf(client: TestClient, fake_analysis: None) -> None:
    files = [("files", ("a.txt", b"Some text about a marina.", "text/plain"))]
    csrf = csrf_of(client)
    no_token = client.post("/ingest", data={"token": "", "csrf": csrf}, files=files)
    assert no_token.status_code == 401
    wrong = client.post("/ingest", data={"token": "x" * 20, "csrf": csrf}, files=files)
    assert wrong.status_code == 403 and "wrong write token" in wrong.text
    client.cookies.clear()
    no_cookie = client.post("/ingest", data={"token": TOKEN, "csrf": csrf}, files=files)
    assert no_cookie.status_code == 403 and "form has expired" in no_cookie.text
    csrf = csrf_of(client)
    forged = client.post("/ingest", data={"token": TOKEN, "csrf": "forged"}, files=files)
    assert forged.status_code == 403
    assert client.get("/api/stories", params={"q": "marina"}).json()["total"] == 0


def test_ingest_form_sets_a_strict_csrf_cookie(client: TestClient) -> None:
    cookie = client.get("/ingest").headers["set-cookie"]
    assert "samesite=strict" in cookie.lower() and "httponly" in cookie.lower()


def test_read_only_server_refuses_every_write(fake_analysis: None) -> None:
    with TestClient(create_app("sqlite:///:memory:", None)) as c:
        form = c.get("/ingest")
        assert "read-only" in form.text and "<fieldset disabled>" in form.text
        files = [("files", ("a.txt", b"Some text.", "text/plain"))]
        refused = c.post("/ingest", data={"token": "anything-at-all-here", "csrf": csrf_of(c)}, files=files)
        assert refused.status_code == 403 and "read-only" in refused.text
        api = c.post("/api/ingest", files=files, headers={"Authorization": "Bearer anything-at-all-here"})
        assert api.status_code == 403


def test_api_ingest_needs_the_bearer_token(client: TestClient, fake_analysis: None) -> None:
    files = [("files", ("a.txt", b"The old bridge reopened on Monday after repairs.", "text/plain"))]
    assert client.post("/api/ingest", files=files).status_code == 401
    assert client.post("/api/ingest", files=files, headers={"Authorization": TOKEN}).status_code == 401
    ok = client.post("/api/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["added"] == 1 and len(ok.json()["stories"]) == 1


def test_uploads_of_other_types_and_over_the_limits_are_refused(client: TestClient, fake_analysis: None) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    files = [
        ("files", ("tool.exe", b"MZ\x90\x00", "application/octet-stream")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("ok.txt", b"A ferry ran aground near the pier.", "text/plain")),
    ]
    body = client.post("/api/ingest", files=files, headers=auth).json()
    assert body["added"] == 1
    assert [f.split(":")[0] for f in body["failed"]] == ["tool.exe", "empty.txt"]
    too_many = [("files", (f"{n}.txt", f"Story number {n}.".encode(), "text/plain")) for n in range(21)]
    assert client.post("/api/ingest", files=too_many, headers=auth).status_code == 400


def test_uploads_are_read_in_memory_and_bad_ones_named_in_one_line(
    client: TestClient, fake_analysis: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_temporary_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was written to a temporary file")

    for name in ("mkstemp", "mkdtemp", "TemporaryDirectory", "NamedTemporaryFile", "TemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_temporary_file)
    batch = b'{"id": "n1", "text": "A tram line opened in the old town on Sunday."}\n{bad\n'
    files = [
        ("files", ("dir/harbour.txt", b"The harbour master retired after thirty years.", "text/plain")),
        ("files", ("batch.jsonl", batch, "application/x-ndjson")),
        ("files", ("bin.txt", b"\x00\x01\x02", "text/plain")),
        ("files", ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html")),
    ]
    body = client.post("/api/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert body["added"] == 2
    assert body["failed"] == [
        "upload/02-batch.jsonl:2: malformed JSON: Expecting property name enclosed in double quotes at column 2",
        "upload/03-bin.txt: binary or undecodable",
        "upload/04-menu.html: no article text found",
    ]
    listed = client.get("/api/stories", params={"q": "harbour master"}).json()["stories"]
    articles = client.get(f"/api/stories/{listed[0]['id']}/articles").json()
    assert [a["id"] for a in articles] == ["upload/01-harbour.txt"]


def test_a_body_over_the_limit_is_refused_with_413(fake_analysis: None) -> None:
    with TestClient(create_app("sqlite:///:memory:", TOKEN)) as c:
        huge = b"x" * (101 * 1024 * 1024)
        got = c.post("/api/ingest", content=huge, headers={"Authorization": f"Bearer {TOKEN}"})
        assert got.status_code == 413


def test_feed_url_is_fetched_through_the_client_and_other_schemes_refused(fake_analysis: None) -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour feed</title>'
        b"<item><title>Tug boat race</title><link>https://news.example/tug</link>"
        b"<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
        b"<description>The annual tug boat race drew a record crowd along the waterfront.</description></item>"
        b"</channel></rss>"
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/feed.xml":
            return httpx.Response(200, content=feed, headers={"content-type": "application/rss+xml"})
        return httpx.Response(404)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with TestClient(create_app("sqlite:///:memory:", TOKEN, http_client=http)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        body = c.post("/api/ingest", data={"feed_url": "https://news.example/feed.xml"}, headers=auth).json()
        assert seen[0] == "https://news.example/feed.xml"
        assert body["added"] == 1
        for bad in ["file:///etc/passwd", "/etc/passwd", "ftp://news.example/feed", "../../secret.txt"]:
            refused = c.post("/api/ingest", data={"feed_url": bad}, headers=auth).json()
            assert refused["added"] == 0 and len(refused["failed"]) == 1, bad
        assert len(seen) == 2  # the feed and its entry's page: nothing for the refused ones


def test_safe_names_and_upload_checks() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\me\\notes today.txt") == "notes_today.txt"
    assert safe_name("..") == "upload" and safe_name("") == "upload"
    assert len(safe_name("a" * 500 + ".txt")) <= 80
    assert upload_problem(Upload("x.TXT", b"text")) is None
    assert "file type" in (upload_problem(Upload("x.php", b"<?php")) or "")


def test_weak_token_is_refused_and_env_token_reads_the_variable() -> None:
    with pytest.raises(InputError):
        create_app("sqlite:///:memory:", "short")
    assert env_token({"STORYDESK_TOKEN": TOKEN}) == TOKEN
    assert env_token({"STORYDESK_TOKEN": ""}) is None and env_token({}) is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/feed.xml", "http://10.1.2.3/rss", "http://[::1]/a", "http://localhost/x"]
)
def test_feed_urls_into_private_networks_are_refused(url: str) -> None:
    from storydesk.web.ingesting import feed_problem

    assert "local or private" in (feed_problem(url) or "")


def test_public_or_unresolvable_feed_urls_pass_the_check() -> None:
    from storydesk.web.ingesting import feed_problem

    assert feed_problem("https://93.184.216.34/feed.xml") is None
    assert feed_problem("https://no-such-host.invalid/feed.xml") is None


def test_each_server_worker_builds_the_app_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from storydesk.web.app import app_from_env

    monkeypatch.setenv("STORYDESK_DB", "sqlite:///:memory:")
    monkeypatch.setenv("STORYDESK_TOKEN", "a-token-of-enough-length")
    client = TestClient(app_from_env())
    assert client.get("/api/stories").json()["total"] == 0
    assert client.post("/api/ingest", headers={"Authorization": "Bearer wrong-token-but-long"}).status_code in {
        401,
        403,
    }


def test_actor_page_pages_and_filters_by_outlet(client: TestClient) -> None:
    first = client.get("/actor", params={"name": "Maria Okafor", "limit": 1}).text
    assert "1–1 of 2" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "This terminal will cut waiting times in half," in first  # the earliest first
    second = client.get("/actor", params={"name": "Maria Okafor", "limit": 1, "offset": 1}).text
    assert 'rel="prev"' in second and "cut waiting times in half." in second
    only = client.get("/actor", params={"name": "okafor", "outlet": "Valley Courier"}).text
    assert "Quoted by Valley Courier" in only and "1–1 of 1" in only
    assert "This terminal" not in only
    assert "2 quotes · 1 story · 2 outlets" in only  # the counts cover every outlet


def test_api_actor_pages_with_counts(client: TestClient) -> None:
    data = client.get("/api/actor", params={"name": "okafor", "limit": 1}).json()
    assert (data["total"], data["stories"], data["offset"], data["limit"]) == (2, 1, 0, 1)
    assert [q["outlet"] for q in data["quotes"]] == ["Harbor Gazette"]
    assert [(o["outlet"], o["quotes"]) for o in data["outlets"]] == [("Harbor Gazette", 1), ("Valley Courier", 1)]
    assert client.get("/api/actor", params={"name": "okafor", "limit": 1000}).status_code == 422


def test_story_dossier_is_built_once_and_kept_in_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    show = desk.show

    def counted(store: Store, story: str, *args: object, **kw: object) -> Story:
        built.append(story)
        return show(store, story)

    monkeypatch.setattr(desk, "show", counted)
    url = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    first = create_app(url, None)
    seed(first.state.web.store)
    with TestClient(first) as c:
        page = c.get("/stories/s-ferry").text
        assert c.get("/api/stories/s-fer").json()["story"] == "s-ferry"
    assert built == ["s-ferry"]
    with TestClient(create_app(url, None)) as c:  # another server process over the same store
        assert c.get("/stories/s-ferry").text == page
    assert built == ["s-ferry"]  # read from the store, not built again
