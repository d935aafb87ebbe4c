"""Web-archive input: a WARC file written here with warcio, as CC-NEWS files are laid out (an
HTML page, an image, a redirect, an error status, a broken record, the crawl's bookkeeping)."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk import pipeline
from storydesk.cli import app
from storydesk.errors import InputError, SkippedItem
from storydesk.ingest import read_inputs
from storydesk.models import Analysis, Article
from tests.ingest.test_ingest import ARTICLE_HTML, PARAGRAPHS

CRAWLED = "2025-03-07T10:00:00Z"
OTHER_PAGE = (
    "<html><head><title>Ferry timetable changes</title></head><body><article><h1>Ferry timetable changes</h1>"
    + "".join(f"<p>{p.replace('bridge', 'ferry pier')}</p>" for p in reversed(PARAGRAPHS))
    + "</article></body></html>"
)


def _response(writer: WARCWriter, url: str, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": CRAWLED}
    )
    writer.write_record(record)


def write_crawl(path: Path, broken: bool = True) -> Path:
    """A .warc.gz: warcinfo, a request, a dated HTML page, an image, a redirect, a 404, an
    index page, a broken record (unless not ``broken``), then an undated HTML page after it."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "a test"}))
    request = StatusAndHeaders("GET /bridge HTTP/1.1", [("Host", "gazette.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://gazette.example/bridge", "request", http_headers=request))
    html = [("Content-Type", "text/html; charset=utf-8")]
    _response(writer, "https://gazette.example/bridge", "200 OK", html, ARTICLE_HTML.encode())
    _response(writer, "https://gazette.example/logo.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n")
    moved = [*html, ("Location", "https://gazette.example/bridge")]
    _response(writer, "https://gazette.example/old-bridge", "301 Moved Permanently", moved, b"")
    _response(writer, "https://gazette.example/gone", "404 Not Found", html, b"<html><body>Not found</body></html>")
    menu = b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    _response(writer, "https://gazette.example/", "200 OK", html, menu)
    if broken:
        out.write(gzip.compress(b"not a WARC record at all\r\n\r\n"))
    _response(writer, "https://www.courier.example/ferry", "200 OK", html, OTHER_PAGE.encode())
    path.write_bytes(out.getvalue())
    return path


def test_a_crawl_gives_its_html_pages_and_one_line_for_each_skipped_record(tmp_path: Path) -> None:
    items = list(read_inputs([str(write_crawl(tmp_path / "crawl.warc.gz"))]))
    articles = [i for i in items if isinstance(i, Article)]
    assert [(a.id, a.url) for a in articles] == [
        ("https://gazette.example/bridge", "https://gazette.example/bridge"),
        ("https://www.courier.example/ferry", "https://www.courier.example/ferry"),
    ]
    assert articles[0].date == "2023-05-04"  # the page's own date
    assert articles[1].date == CRAWLED  # none on the page: the crawl's
    assert "harbour bridge" in articles[0].text and articles[0].language == "en"
    skipped = [str(i) for i in items if isinstance(i, SkippedItem)]
    assert len(skipped) == 4
    assert "logo.png: not HTML (image/png)" in skipped[0] and "<urn:uuid:" in skipped[0]
    assert "old-bridge: HTTP 301 redirect to https://gazette.example/bridge" in skipped[1]
    assert "gone: HTTP status 404" in skipped[2]
    assert "gazette.example/: no article text found" in skipped[3]
    broken = [i for i in items if isinstance(i, InputError) and not isinstance(i, SkippedItem)]
    assert len(broken) == 1
    assert "record at byte" in str(broken[0]) and "broken WARC record" in str(broken[0])
    assert "not a WARC record" in str(broken[0])


def test_a_plain_warc_is_read_too_and_a_folder_holds_its_warc_files(tmp_path: Path) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    _response(
        writer, "https://gazette.example/bridge", "200 OK", [("Content-Type", "text/html")], ARTICLE_HTML.encode()
    )
    (tmp_path / "crawls").mkdir()
    (tmp_path / "crawls" / "a.warc").write_bytes(out.getvalue())
    found = list(read_inputs([str(tmp_path / "crawls")]))
    assert [a.id for a in found if isinstance(a, Article)] == ["https://gazette.example/bridge"]


def fake_analysis(articles: list[Article], *args: object, **kwargs: object) -> Iterator[Analysis]:
    for a in articles:
        yield Analysis(id=a.id, outlet=a.source, title=a.title, published=a.date)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, list(args))
    return result.exit_code, result.stderr


def test_ingest_of_a_crawl_fails_only_for_the_broken_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "analyze_each", fake_analysis)
    crawl = str(write_crawl(tmp_path / "crawl.warc.gz"))
    code, stderr = run("ingest", crawl, "--db", str(tmp_path / "s.sqlite"))
    assert code == 1  # the broken record
    lines = stderr.splitlines()
    assert sum("warning: skipped" in line for line in lines) == 4
    assert sum(line.startswith("error:") for line in lines) == 1
    assert "2 article(s) added" in stderr and "1 failed, 4 skipped" in stderr
    clean = str(write_crawl(tmp_path / "clean.warc.gz", broken=False))
    code, stderr = run("ingest", clean, "--db", str(tmp_path / "s.sqlite"))
    assert code == 0, stderr  # skipped records alone are no failure
    assert "0 article(s) added" in stderr and "2 already stored, 0 failed, 4 skipped" in stderr


def test_filters_keep_the_domains_dates_and_languages_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "analyze_each", fake_analysis)
    crawl = str(write_crawl(tmp_path / "crawl.warc.gz"))
    domains = tmp_path / "domains.txt"
    domains.write_text("# outlets\ncourier.example\n", encoding="utf-8")
    code, stderr = run("ingest", crawl, "--db", str(tmp_path / "a.sqlite"), "--domains", str(domains))
    assert "1 article(s) added" in stderr and "5 skipped" in stderr
    assert "gazette.example/bridge: not from the domains asked for (gazette.example)" in stderr
    code, stderr = run("ingest", crawl, "--db", str(tmp_path / "b.sqlite"), "--since", "2025-01-01")
    assert "1 article(s) added" in stderr and "dated 2023-05-04, outside the range asked for" in stderr
    code, stderr = run("ingest", crawl, "--db", str(tmp_path / "c.sqlite"), "--until", "2024-12-31", "--language", "en")
    assert "1 article(s) added" in stderr
    code, stderr = run("ingest", crawl, "--db", str(tmp_path / "d.sqlite"), "--language", "fr")
    assert "0 article(s) added" in stderr and "in another language than those asked for (en)" in stderr
    code, stderr = run("ingest", crawl, "--db", str(tmp_path / "e.sqlite"), "--since", "March")
    assert code == 2 and "not a date" in stderr


def test_a_record_whose_bytes_do_not_decompress_is_one_error_and_the_next_is_read(tmp_path: Path) -> None:
    def record(url: str, body: bytes) -> bytes:
        out = io.BytesIO()
        _response(WARCWriter(out, gzip=True), url, "200 OK", [("Content-Type", "text/html")], body)
        return out.getvalue()

    first = record("https://gazette.example/bridge", ARTICLE_HTML.encode())
    middle = bytearray(record("https://gazette.example/other", ARTICLE_HTML.replace("bridge", "tunnel").encode()))
    middle[40:80] = bytes(40)  # inside the deflate stream
    last = record("https://www.courier.example/ferry", OTHER_PAGE.encode())
    crawl = tmp_path / "cut.warc.gz"
    crawl.write_bytes(first + bytes(middle) + last)
    items = list(read_inputs([str(crawl)]))
    assert [i.id for i in items if isinstance(i, Article)] == [
        "https://gazette.example/bridge",
        "https://www.courier.example/ferry",
    ]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [errors[0]] and f"record at byte {len(first)}: broken WARC record" in errors[0]
