"""Reading articles in: every input kind and every bad-input case. No network: URLs are served
by an httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from storydesk.errors import FetchError, InputError
from storydesk.ingest import article_key, read_inputs
from storydesk.ingest.decode import decode
from storydesk.ingest.feeds import html_to_text, looks_like_feed
from storydesk.ingest.fetch import USER_AGENT, Fetcher
from storydesk.models import Article

PARAGRAPHS = [
    "The old harbour bridge in the fictional town of Elmsport reopened to traffic on Thursday after"
    " eight months of repairs, the town council said in a statement.",
    "Engineers replaced the rusted steel girders and resurfaced the deck, which had been closed since"
    " a delivery lorry struck one of its support columns last autumn.",
    '"We are relieved to have our shortest route to the market back," said a shopkeeper who runs a'
    " bakery near the eastern end of the bridge.",
    "The council said the work cost about 2 million euros, slightly less than first estimated, and"
    " that a weight limit would remain in place for heavy vehicles until spring.",
]
ARTICLE_HTML = f"""<!DOCTYPE html><html><head><title>Harbour bridge reopens | Elmsport Gazette</title>
<meta name="author" content="Jane Doe; John Roe">
<meta property="article:published_time" content="2023-05-04T10:00:00Z">
<meta property="og:site_name" content="Elmsport Gazette"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour bridge reopens after repairs</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article><footer>All rights reserved</footer></body></html>"""
EMPTY_HTML = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Elmsport Gazette</title><link>https://gazette.example/</link>
<description>Local news</description>
<item><title>Bridge reopens</title><link>https://gazette.example/bridge</link>
<guid>https://gazette.example/bridge</guid><pubDate>Thu, 04 May 2023 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The harbour bridge &lt;b&gt;reopened&lt;/b&gt; on Thursday.&lt;/p&gt;&lt;p&gt;Repairs took eight
months.&lt;/p&gt;</description></item>
<item><title>Market moves</title><link>https://gazette.example/market</link>
<description>The weekly market moves to the square.</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title><id>urn:courier</id>
<updated>2023-05-05T08:00:00Z</updated>
<entry><title>Council votes on budget</title><id>urn:courier:budget</id>
<link href="https://courier.example/budget"/><updated>2023-05-05T08:00:00Z</updated>
<author><name>Ann Smith</name></author>
<content type="html">&lt;p&gt;The council approved its budget by seven votes to two.&lt;/p&gt;</content></entry>
</feed>"""


def read(*items: str, **kwargs: Any) -> list[Article | InputError]:
    # These tests are about reading and decoding, with texts of a word or two; texts too short
    # to be an article are refused by default (tests/ingest/test_length.py).
    kwargs.setdefault("min_words", 0)
    return list(read_inputs(list(items), **kwargs))


def write(path: Path, data: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


def only_error(items: list[Article | InputError]) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


def only_article(items: list[Article | InputError]) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# --- text files and decoding ---------------------------------------------------------------


def test_txt_id_is_path_as_given_and_text_as_read(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"First line.\r\nSecond line.\n")
    article = only_article(read(path))
    assert article.id == path
    assert article.text == "First line.\nSecond line.\n"
    assert article.title is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\t\r\n ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary")],
)
def test_unusable_text_files(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.txt", data)
    error = only_error(read(path))
    assert error.item == path and reason in error.reason


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "legacy.txt", "The café served a naïve crème brûlée.".encode(encoding))
    assert only_article(read(path)).text == "The café served a naïve crème brûlée."


def test_short_cp1252_text_prefers_cp1252(tmp_path: Path) -> None:
    path = write(tmp_path / "short.txt", b"caf\xe9 na\xefve")
    assert only_article(read(path)).text == "café naïve"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", "\ufeffZürich news".encode())
    assert only_article(read(path)).text == "Zürich news"


def test_utf16_with_bom_is_text_not_binary() -> None:
    assert decode("Olá mundo".encode("utf-16"), "x") == "Olá mundo"


def test_declared_charset_is_used_before_detection() -> None:
    assert decode("Ωμέγα".encode("cp1253"), "x", declared="windows-1253") == "Ωμέγα"


def test_file_over_cap_is_refused_naming_size_and_cap(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x" * 101)
    error = only_error(read(path, max_bytes=100))
    assert "101 bytes" in error.reason and "100 bytes" in error.reason


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    assert only_error(read(missing)).reason == "no such file or folder"


def test_folder_recursion_sorted_skipping_hidden_and_unknown(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "c.html.bak", ".hidden.txt", ".git/x.txt", "a0.txt"]:
        write(tmp_path / rel, f"text of {rel}")
    write(tmp_path / "a" / "empty.txt", "")
    folder = str(tmp_path) + "/"
    items = read(folder)
    assert [a.id if isinstance(a, Article) else a.item for a in items] == [
        folder + p for p in ["a/b/c.txt", "a/empty.txt", "a/z.txt", "a0.txt", "b.txt"]
    ]
    assert [type(i) for i in items].count(InputError) == 1


def test_bad_item_does_not_stop_the_batch(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Some news.")
    items = read(str(tmp_path / "missing.txt"), write(tmp_path / "empty.txt", ""), good)
    assert [type(i) for i in items] == [InputError, InputError, Article]


def test_named_file_of_unknown_type_is_sniffed(tmp_path: Path) -> None:
    assert only_article(read(write(tmp_path / "note.md", "A plain note."))).text == "A plain note."
    assert only_article(read(write(tmp_path / "page.php", ARTICLE_HTML))).source == "Elmsport Gazette"
    assert only_article(read(write(tmp_path / "feed", ATOM))).id == "urn:courier:budget"


# --- JSONL -----------------------------------------------------------------------------------


def jsonl(tmp_path: Path, *lines: object) -> str:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    return write(tmp_path / "batch.jsonl", text + "\n")


def test_jsonl_fields_and_text_exactly_as_given(tmp_path: Path) -> None:
    text = "  Lead\r\n\u2028para  "
    fields = {"id": "n1", "text": text, "title": "T", "url": "https://x.example/1", "source": "X", "date": "2024-02-03"}
    article = only_article(read(jsonl(tmp_path, {**fields, "extra": [1]})))
    assert article == Article(**fields)


def test_malformed_jsonl_line_among_good_ones(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"id": "1", "text": "one"}, "{not json", "", {"id": "3", "text": "three"}, "[1, 2]")
    items = read(path)
    assert [i.id for i in items if isinstance(i, Article)] == ["1", "3"]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.item for e in errors] == [f"{path}:2", f"{path}:5"]
    assert "malformed JSON" in errors[0].reason and errors[1].reason == "not a JSON object"


@pytest.mark.parametrize("record", [{"id": "1", "title": "no text"}, {"id": "1", "text": "   "}, {"text": 42}])
def test_jsonl_line_without_text(tmp_path: Path, record: dict[str, object]) -> None:
    path = jsonl(tmp_path, record)
    error = only_error(read(path))
    assert error.item == f"{path}:1" and error.reason == "no text"


def test_jsonl_line_without_id_gets_content_hash(tmp_path: Path) -> None:
    items = read(jsonl(tmp_path, {"text": "same text"}, {"text": "same text"}, {"text": "other"}))
    ids = [i.id for i in items if isinstance(i, Article)]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].startswith("a-") and len(ids[0]) == 18


def test_news_please_fields_are_mapped(tmp_path: Path) -> None:
    record = {
        "maintext": "Body.",
        "title": "Head",
        "date_publish": "2024-03-01 09:30:00",
        "source_domain": "paper.example",
        "authors": ["Ann Smith", ""],
        "url": "https://paper.example/a",
    }
    article = only_article(read(jsonl(tmp_path, record)))
    assert article == Article(
        id=article.id,
        text="Body.",
        title="Head",
        url="https://paper.example/a",
        source="paper.example",
        date="2024-03-01 09:30:00",
        authors=["Ann Smith"],
    )


def test_jsonl_number_id_is_spelled_out_and_bad_field_type_refused(tmp_path: Path) -> None:
    items = read(jsonl(tmp_path, {"id": 7, "text": "a"}, {"id": "x", "text": "b", "title": ["list"]}))
    assert isinstance(items[0], Article) and items[0].id == "7"
    assert isinstance(items[1], InputError) and "'title'" in items[1].reason


def test_jsonl_cap_applies_per_line(tmp_path: Path) -> None:
    path = jsonl(tmp_path, {"id": "1", "text": "short"}, {"id": "2", "text": "y" * 200}, {"id": "3", "text": "ok"})
    items = read(path, max_bytes=100)
    assert [i.id for i in items if isinstance(i, Article)] == ["1", "3"]
    error = next(i for i in items if isinstance(i, InputError))
    assert error.item == f"{path}:2" and "larger than the cap of 100 bytes" in error.reason


def test_jsonl_with_bom_and_latin1_line(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"id": "1", "text": "first"}\n{"id": "2", "text": "caf\xe9 cr\xe8me"}\n'
    items = read(write(tmp_path / "b.jsonl", data))
    assert [i.text for i in items if isinstance(i, Article)] == ["first", "café crème"]


# --- HTML ------------------------------------------------------------------------------------


def test_html_article_with_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", ARTICLE_HTML)
    article = only_article(read(path))
    assert article.id == path
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.text.startswith("The old harbour bridge")  # the repeated headline is dropped
    assert all(p in article.text for p in PARAGRAPHS)
    assert "Home" not in article.text and "rights reserved" not in article.text
    assert article.source == "Elmsport Gazette"
    assert article.authors == ["Jane Doe", "John Roe"]
    assert article.date == "2023-05-04"


def test_html_without_article(tmp_path: Path) -> None:
    path = write(tmp_path / "menu.htm", EMPTY_HTML)
    assert only_error(read(path)).reason == "no article text found"


# --- feeds -----------------------------------------------------------------------------------


def test_rss_feed_entries(tmp_path: Path) -> None:
    path = write(tmp_path / "news.rss", RSS)
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == first.url == "https://gazette.example/bridge"
    assert first.title == "Bridge reopens" and first.source == "Elmsport Gazette"
    assert first.text == "The harbour bridge reopened on Thursday.\nRepairs took eight months."
    assert first.date == "2023-05-04T10:00:00+00:00"
    assert second.id == "https://gazette.example/market" and second.date is None


def test_atom_feed_sniffed_from_xml(tmp_path: Path) -> None:
    article = only_article(read(write(tmp_path / "courier.xml", ATOM)))
    assert article.id == "urn:courier:budget" and article.url == "https://courier.example/budget"
    assert article.text == "The council approved its budget by seven votes to two."
    assert article.authors == ["Ann Smith"] and article.source == "Valley Courier"


def test_malformed_feed(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.rss", '<rss version="2.0"><channel><title>x</title></chan')
    error = only_error(read(path))
    assert error.item == path and error.reason.startswith("malformed feed:")


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = write(tmp_path / "data.xml", "<?xml version='1.0'?><catalog><book/></catalog>")
    assert only_error(read(path)).reason == "not an RSS or Atom feed"


def test_feed_entry_without_text_is_reported_others_kept(tmp_path: Path) -> None:
    feed = RSS.replace("<description>The weekly market moves to the square.</description>", "")
    items = read(write(tmp_path / "news.rss", feed))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], InputError) and items[1].reason == "entry has no text"


def test_html_to_text_and_feed_sniffing() -> None:
    assert html_to_text("a &amp; b<br>c<ul><li>d</li><li>e</li></ul>") == "a & b\nc\nd\ne"
    assert looks_like_feed("<?xml version='1.0'?>\n<!-- c -->\n<rss version='2.0'>")
    assert not looks_like_feed("<!DOCTYPE html><html><body><p>about <feed> tags</p>")


# --- URLs and fetching -----------------------------------------------------------------------

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def serve(pages: dict[str, httpx.Response]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        return pages.get(str(request.url), httpx.Response(404))

    return client(handler)


def html_response(body: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, content=body.encode())


def test_url_without_fetch_is_refused() -> None:
    error = only_error(read("https://news.example/a"))
    assert not isinstance(error, FetchError) and "--fetch" in error.reason


@pytest.mark.parametrize("url", ["ftp://files.example/a.txt", "file:///etc/passwd"])
def test_non_http_scheme_is_refused(url: str) -> None:
    error = only_error(read(url, fetch=True, client=serve({})))
    assert isinstance(error, FetchError) and "scheme" in error.reason


def test_fetch_html_page_sends_user_agent() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return html_response(ARTICLE_HTML)

    article = only_article(read("https://gazette.example/bridge", fetch=True, client=client(handler)))
    assert article.id == "https://gazette.example/bridge" == article.url
    assert article.title == "Harbour bridge reopens after repairs"
    assert seen == [USER_AGENT]


def test_fetch_http_404() -> None:
    error = only_error(read("https://news.example/gone", fetch=True, client=serve({})))
    assert isinstance(error, FetchError) and error.reason == "HTTP 404"


def test_fetch_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    error = only_error(read("https://news.example/slow", fetch=True, client=client(handler)))
    assert isinstance(error, FetchError) and error.reason == "timed out"


def test_fetch_unreachable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("name does not resolve", request=request)

    error = only_error(read("https://nowhere.example/", fetch=True, client=client(handler)))
    assert isinstance(error, FetchError) and error.reason == "unreachable: name does not resolve"


def test_fetch_oversize_by_length_and_by_stream() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/declared":
            return html_response("x" * 500)  # Content-Length: 500
        return httpx.Response(200, content=iter([b"x" * 60, b"x" * 60]))  # no length: counted

    for path in ("/declared", "/streamed"):
        error = only_error(read(f"https://news.example{path}", fetch=True, max_fetch_bytes=100, client=client(handler)))
        assert isinstance(error, FetchError) and error.reason.startswith("larger than 100 bytes")


def test_redirects_followed_to_http_only() -> None:
    pages = {
        "https://news.example/old": httpx.Response(301, headers={"location": "/new"}),
        "https://news.example/new": html_response(ARTICLE_HTML),
        "https://news.example/sneaky": httpx.Response(302, headers={"location": "file:///etc/passwd"}),
    }
    article = only_article(read("https://news.example/old", fetch=True, client=serve(pages)))
    assert article.url == "https://news.example/new"
    error = only_error(read("https://news.example/sneaky", fetch=True, client=serve(pages)))
    assert isinstance(error, FetchError) and "'file'" in error.reason


def test_redirect_loop_is_cut() -> None:
    loop = serve({"https://news.example/a": httpx.Response(302, headers={"location": "/a"})})
    error = only_error(read("https://news.example/a", fetch=True, client=loop))
    assert "redirects" in error.reason


def test_fetcher_returns_media_type_and_charset() -> None:
    response = httpx.Response(200, headers={"content-type": "Text/HTML; charset=ISO-8859-1"}, content=b"caf\xe9")
    page = Fetcher(serve({"https://x.example/": response}), 1000, 5.0).get("https://x.example/")
    assert (page.media_type, page.charset, page.content) == ("text/html", "iso-8859-1", b"caf\xe9")


def test_fetched_feed_fetches_entry_pages_and_falls_back_to_summary() -> None:
    pages = {
        "https://gazette.example/feed": httpx.Response(200, headers={"content-type": "application/rss+xml"}, text=RSS),
        "https://gazette.example/bridge": html_response(ARTICLE_HTML),
    }  # /market is missing: HTTP 404
    bridge, error, market = read("https://gazette.example/feed", fetch=True, client=serve(pages))
    assert isinstance(bridge, Article) and bridge.id == "https://gazette.example/bridge"
    assert bridge.text.startswith("The old harbour bridge")  # the page, not the summary
    assert bridge.date == "2023-05-04"
    assert isinstance(error, FetchError) and error.item == "https://gazette.example/market"
    assert isinstance(market, Article) and market.text == "The weekly market moves to the square."


def test_fetched_page_of_unsupported_type() -> None:
    pdf = serve({"https://x.example/a.pdf": httpx.Response(200, headers={"content-type": "application/pdf"})})
    error = only_error(read("https://x.example/a.pdf", fetch=True, client=pdf))
    assert isinstance(error, FetchError) and "application/pdf" in error.reason


# --- article keys ----------------------------------------------------------------------------


def test_article_key_ignores_whitespace_layout_and_id() -> None:
    a = Article(id="a.txt", text="Same  words\nhere. ")
    b = Article(id="b.txt", text="Same words here.")
    c = Article(id="a.txt", text="Other words here.")
    assert article_key(a) == article_key(b) != article_key(c)
    assert len(article_key(a)) == 64
