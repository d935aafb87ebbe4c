"""Fetching a URL over HTTP(S) with timeouts, a size cap and redirects checked hop by hop.

Every failure becomes a :class:`FetchError` with a short reason ("timed out", "HTTP 404",
"unreachable: ...", "larger than N bytes", "refused: ... private"), so one bad URL never stops
a batch. Unless private addresses are allowed, every hop's host is checked after DNS, and the
address actually connected to is checked again before the body is read (a name may resolve
differently the second time), against loopback, private, link-local and reserved ranges: a
feed's link or a redirect never makes storydesk reach into its own machine or network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from typing import Any

import httpx

from storydesk import __version__
from storydesk.errors import FetchError

USER_AGENT = f"storydesk/{__version__}"
MAX_REDIRECTS = 5
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
WEB_SCHEMES = ("http", "https")
# A download's whole time, whatever each read takes: a server that sends a byte every few
# seconds never trips the per-read timeout. As a multiple of that timeout.
DEADLINE_READS = 6


@dataclass(frozen=True)
class Page:
    """A fetched resource: the URL it came from after redirects, its bytes and media type."""

    url: str
    content: bytes
    media_type: str  # lower case, without parameters; "" when the server named none
    charset: str | None


def is_url(item: str) -> bool:
    """True for ``scheme://...`` items (a web URL or one storydesk refuses)."""
    return _URL.match(item) is not None


def check_scheme(item: str, url: str) -> None:
    """Raises :class:`FetchError` unless ``url`` is http or https."""
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme not in WEB_SCHEMES:
        shown = f"'{scheme}'" if scheme else "none"
        raise FetchError(item, f"unsupported URL scheme {shown} (only http and https are fetched)")


def _not_global(address: str) -> bool:
    try:
        return not ipaddress.ip_address(address.split("%", 1)[0]).is_global
    except ValueError:
        return False


def private_address(host: str) -> str | None:
    """The loopback, private, link-local or reserved address that ``host`` is or resolves to,
    or None (also when it does not resolve: the fetch itself then fails and says so)."""
    host = host.strip("[]")
    if _not_global(host):
        return host
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return None
    return next((str(info[4][0]) for info in infos if _not_global(str(info[4][0]))), None)


def _peer(response: httpx.Response) -> str | None:
    """The address the response came from, where the transport tells it (not a test's mock)."""
    stream: Any = response.extensions.get("network_stream")
    if stream is None:
        return None
    peer = stream.get_extra_info("server_addr")
    return str(peer[0]) if isinstance(peer, tuple) and peer else None


class Fetcher:
    """Downloads URLs through ``client``, refusing bodies over ``max_bytes``; ``timeout`` is
    the seconds allowed to connect and for each read, ``deadline`` those for a whole download
    (``DEADLINE_READS`` timeouts when None). ``allow_private`` lets hosts on loopback and
    private networks be fetched. The User-Agent, timeout and redirect policy are set per
    request, so any client (a test's mock included) gets them."""

    def __init__(
        self,
        client: httpx.Client,
        max_bytes: int,
        timeout: float,
        *,
        allow_private: bool = False,
        deadline: float | None = None,
    ) -> None:
        self.client = client
        self.max_bytes = max_bytes
        self.timeout = httpx.Timeout(timeout)
        self.allow_private = allow_private
        self.deadline = DEADLINE_READS * timeout if deadline is None else deadline

    def get(self, url: str) -> Page:
        """The page at ``url``, following up to :data:`MAX_REDIRECTS` redirects to http(s) URLs."""
        target = url
        ends = time.monotonic() + self.deadline
        for _ in range(MAX_REDIRECTS + 1):
            check_scheme(url, target)
            self._check_host(url, httpx.URL(target).host)
            try:
                page, target = self._get_once(url, target, ends)
            except httpx.TimeoutException as exc:
                raise FetchError(url, "timed out") from exc
            except httpx.HTTPError as exc:  # connection refused, DNS failure, protocol error, bad URL
                raise FetchError(url, f"unreachable: {exc or type(exc).__name__}") from exc
            if page is not None:
                return page
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _check_host(self, url: str, host: str) -> None:
        address = None if self.allow_private else private_address(host)
        if address is not None:
            raise FetchError(url, f"refused: {host} is a local or private address ({address})")

    def _get_once(self, url: str, target: str, ends: float) -> tuple[Page | None, str]:
        """One request: the page, or None and the URL a redirect points to."""
        # Redirects are followed by get(), which checks each target's scheme.
        headers = {"User-Agent": USER_AGENT}
        with self.client.stream(
            "GET", target, headers=headers, timeout=self.timeout, follow_redirects=False
        ) as response:
            peer = _peer(response)
            if peer is not None:
                self._check_host(url, peer)
            if response.is_redirect:
                return None, str(response.url.join(response.headers["location"]))
            if not response.is_success:
                raise FetchError(url, f"HTTP {response.status_code}")
            content = self._body(url, response, ends)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Page(str(response.url), content, media_type, response.charset_encoding), target

    def _body(self, url: str, response: httpx.Response, ends: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"larger than {self.max_bytes} bytes ({declared} bytes)")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:  # the server sent no length or a wrong one
                raise FetchError(url, f"larger than {self.max_bytes} bytes")
            chunks.append(chunk)
            if time.monotonic() > ends:
                raise FetchError(url, f"took longer than {self.deadline:g} s")
        return b"".join(chunks)
