"""Fetching stays outside the private network and within its time: every hop's host is checked
after DNS, the address connected to before the body is read, and a download has a deadline."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from storydesk.errors import FetchError, InputError
from storydesk.ingest import fetch, read_inputs
from storydesk.ingest.fetch import Fetcher, private_address
from storydesk.models import Article

PAGE = (
    "<html><head><title>Harbour bridge reopens</title></head><body><article>"
    + "<p>The harbour bridge reopened on Monday after three months of repairs, the council said.</p>" * 4
    + "</article></body></html>"
)


def feed(link: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
        f"<item><title>Bridge</title><link>{link}</link></item></channel></rss>"
    )


def mock(pages: dict[str, httpx.Response]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        return pages.get(str(request.url), httpx.Response(404))

    return httpx.Client(transport=httpx.MockTransport(handler))


def html() -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/html"}, content=PAGE.encode())


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "[::1]", "169.254.169.254", "localhost", "0.0.0.0"])
def test_local_and_private_hosts_are_found(host: str) -> None:
    assert private_address(host) is not None


def test_public_and_unresolvable_hosts_are_not_private() -> None:
    assert private_address("93.184.216.34") is None
    assert private_address("no-such-host.invalid") is None  # the fetch fails on its own


def test_a_feed_entry_linking_into_the_private_network_is_refused() -> None:
    pages = {
        "https://news.example/feed.xml": httpx.Response(
            200, headers={"content-type": "application/rss+xml"}, content=feed("http://127.0.0.1/admin").encode()
        ),
        "http://127.0.0.1/admin": html(),
    }
    items = list(read_inputs(["https://news.example/feed.xml"], fetch=True, client=mock(pages)))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert "refused" in items[0].reason and "127.0.0.1" in items[0].reason


def test_a_redirect_into_the_private_network_is_refused() -> None:
    pages = {
        "https://news.example/a": httpx.Response(302, headers={"location": "http://10.0.0.5/secret"}),
        "http://10.0.0.5/secret": html(),
    }
    items = list(read_inputs(["https://news.example/a"], fetch=True, client=mock(pages)))
    assert len(items) == 1 and isinstance(items[0], InputError) and "refused" in items[0].reason


def test_private_hosts_may_be_allowed() -> None:
    pages = {"http://127.0.0.1/a": html()}
    items = list(read_inputs(["http://127.0.0.1/a"], fetch=True, client=mock(pages), allow_private=True))
    assert len(items) == 1 and isinstance(items[0], Article)


class _Slow(BaseHTTPRequestHandler):
    """A page of many bytes, one every 50 ms: each read is quick, the whole is not."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.end_headers()
        try:
            for _ in range(400):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_trickling_server_meets_the_overall_deadline(slow_server: str) -> None:
    with httpx.Client() as client:
        fetcher = Fetcher(client, 1_000_000, timeout=2.0, allow_private=True, deadline=0.5)
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"took longer than 0\.5 s"):
            fetcher.get(slow_server)
    assert time.monotonic() - started < 5


def test_the_address_connected_to_is_checked_again(slow_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The name looked public when checked, but the connection reached a loopback address
    # (DNS rebinding): refused before the body is read.
    checked: list[str] = []
    real = fetch.private_address

    def first_lookup_public(host: str) -> str | None:
        checked.append(host)
        return None if len(checked) == 1 else real(host)

    monkeypatch.setattr(fetch, "private_address", first_lookup_public)
    with httpx.Client() as client, pytest.raises(FetchError, match="refused"):
        Fetcher(client, 1_000_000, timeout=2.0).get(slow_server)
    assert checked == ["127.0.0.1", "127.0.0.1"]
