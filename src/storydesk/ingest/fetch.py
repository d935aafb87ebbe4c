"""Fetching a URL over HTTP(S) with timeouts, a size cap and redirects checked hop by hop.

Every failure becomes a :class:`FetchError` with a short reason ("timed out", "HTTP 404",
"unreachable: ...", "larger than N bytes"), so one bad URL never stops a batch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from storydesk import __version__
from storydesk.errors import FetchError

USER_AGENT = f"storydesk/{__version__}"
MAX_REDIRECTS = 5
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
WEB_SCHEMES = ("http", "https")


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


class Fetcher:
    """Downloads URLs through ``client``, refusing bodies over ``max_bytes``; ``timeout`` is
    the seconds allowed to connect and for each read. The User-Agent, timeout and redirect
    policy are set per request, so any client (a test's mock included) gets them."""

    def __init__(self, client: httpx.Client, max_bytes: int, timeout: float) -> None:
        self.client = client
        self.max_bytes = max_bytes
        self.timeout = httpx.Timeout(timeout)

    def get(self, url: str) -> Page:
        """The page at ``url``, following up to :data:`MAX_REDIRECTS` redirects to http(s) URLs."""
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            check_scheme(url, target)
            try:
                page, target = self._get_once(url, target)
            except httpx.TimeoutException as exc:
                raise FetchError(url, "timed out") from exc
            except httpx.HTTPError as exc:  # connection refused, DNS failure, protocol error, bad URL
                raise FetchError(url, f"unreachable: {exc or type(exc).__name__}") from exc
            if page is not None:
                return page
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _get_once(self, url: str, target: str) -> tuple[Page | None, str]:
        """One request: the page, or None and the URL a redirect points to."""
        # Redirects are followed by get(), which checks each target's scheme.
        headers = {"User-Agent": USER_AGENT}
        with self.client.stream(
            "GET", target, headers=headers, timeout=self.timeout, follow_redirects=False
        ) as response:
            if response.is_redirect:
                return None, str(response.url.join(response.headers["location"]))
            if not response.is_success:
                raise FetchError(url, f"HTTP {response.status_code}")
            content = self._body(url, response)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Page(str(response.url), content, media_type, response.charset_encoding), target

    def _body(self, url: str, response: httpx.Response) -> bytes:
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
        return b"".join(chunks)
