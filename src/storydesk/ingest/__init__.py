"""Reading articles in: files, folders, JSONL, HTML pages, RSS/Atom feeds and (with
``fetch``) URLs.

:func:`read_inputs` yields, in input order, an :class:`Article` for every usable item and an
:class:`InputError` (:class:`FetchError` for URLs) for every unusable one, so the caller reports
it in one line and goes on. What each item becomes:

- a folder: its files, recursively, sorted by path, skipping hidden files and folders and
  files of other types than those below;
- ``.txt``: the text, line ends made ``\\n``; ``id`` is the path as given, no title;
- ``.html``/``.htm``: the article trafilatura extracts, with title, authors, date, site name;
- ``.jsonl``: one article per line (see :func:`readers.record_article`); the cap applies to
  each line, not the file; a file with no line, or a binary one, is one error naming it;
- ``.xml``/``.rss``/``.atom``: a feed, one article per entry (see :mod:`.feeds`);
- ``.json``: a JSON Feed, one article per item (any other JSON is an error naming the file);
- ``.warc``/``.warc.gz``: a web archive (Common Crawl's CC-NEWS), one article per HTML page
  (see :mod:`.warc`); the cap applies to each page, not the file;
- a file of another type, named directly: a feed (RSS, Atom, JSON Feed) or HTML page if it
  looks like one, else text;
- an ``http(s)://`` URL: fetched only when ``fetch`` is true; the page is a feed, HTML or text
  by its media type and content.

Only regular files are read (a named pipe would block): anything else, and a folder that
cannot be listed, is an error naming it. Files over ``max_bytes`` are refused before they are
read; bytes that are not UTF-8 are decoded by detection, binary bytes refused. Every article
is cleaned (see :mod:`.clean`) before it is yielded: its text keeps its length, so spans
index it as given. A text too short to be an article is an error naming it (see
:mod:`.length`); every other article comes with its language, as given or detected (see
:mod:`storydesk.language`).

:func:`read_contents` reads files already in memory (a web upload), each given as its name and
bytes: the name's suffix picks the format as a file's does, and the articles and errors are
those of a file of that name.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from storydesk.errors import FetchError, InputError
from storydesk.ingest.clean import clean_article
from storydesk.ingest.decode import decode, read_capped, too_big
from storydesk.ingest.feeds import feed_articles, json_feed, json_feed_articles, looks_like_feed
from storydesk.ingest.fetch import Fetcher, check_scheme, is_url
from storydesk.ingest.length import MIN_ARTICLE_WORDS, too_short
from storydesk.ingest.readers import article_key, html_article, jsonl_articles, jsonl_stream_articles, text_article
from storydesk.ingest.warc import is_warc, warc_articles
from storydesk.language import detect_language
from storydesk.models import Article
from storydesk.settings import DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_MAX_FETCH_BYTES

__all__ = ["article_key", "read_contents", "read_inputs"]

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
FEED_SUFFIXES = (".xml", ".rss", ".atom")
JSON_FEED_SUFFIXES = (".json",)
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES + JSON_FEED_SUFFIXES
FEED_MEDIA_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
# Types whose content may be a feed, a page or text: servers label feeds as any of them.
SNIFFED_MEDIA_TYPES = (
    "",
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/feed+json",
    "application/json",
)
_SNIFF_BYTES = 4096


def read_inputs(
    paths: Sequence[str],
    *,
    fetch: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_FETCH_TIMEOUT,
    max_fetch_bytes: int = DEFAULT_MAX_FETCH_BYTES,
    client: httpx.Client | None = None,
    allow_private: bool = False,
    min_words: int = MIN_ARTICLE_WORDS,
) -> Iterator[Article | InputError]:
    """Every article of ``paths`` (files, folders, URLs), and an error for each unusable item.

    ``fetch`` allows HTTP(S) downloads: URLs given directly and, for feeds, each entry's
    linked page. ``timeout`` (seconds, to connect and per read) and ``max_fetch_bytes`` bound
    each download; ``client`` replaces the HTTP client (tests pass one with a mock transport).
    Hosts on loopback and private networks are refused unless ``allow_private``. A text of
    fewer than ``min_words`` words is refused (see :mod:`.length`).
    """
    reader = _Reader(fetch, max_bytes, timeout, max_fetch_bytes, client, allow_private)
    try:
        for path in paths:
            yield from _cleaned(reader.item(path), min_words)
    finally:
        reader.close()


def read_contents(
    contents: Iterable[tuple[str, bytes]], *, max_bytes: int = DEFAULT_MAX_BYTES, min_words: int = MIN_ARTICLE_WORDS
) -> Iterator[Article | InputError]:
    """Every article of files held in memory, each ``(name, bytes)``, and an error for each
    unusable one: read as :func:`read_inputs` reads a file of that name (format by its suffix,
    ``max_bytes`` for the file or, for JSONL, each line), ids and errors naming ``name``.
    Nothing is fetched: a feed's entries are the text it holds."""
    reader = _Reader(False, max_bytes, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_FETCH_BYTES, None)
    for name, data in contents:
        try:
            yield from _cleaned(reader.content(name, data), min_words)
        except InputError as exc:
            yield exc


def _cleaned(items: Iterator[Article | InputError], min_words: int) -> Iterator[Article | InputError]:
    """Each article cleaned, refused when too short, and with its language; errors as they come."""
    for item in items:
        if isinstance(item, InputError):
            yield item
            continue
        article = clean_article(item)
        if reason := too_short(article.text, min_words):
            yield InputError(article.id, reason)
            continue
        language = article.language or detect_language(article.text)
        yield article.model_copy(update={"language": language})


@dataclass
class _Reader:
    fetch: bool
    max_bytes: int
    timeout: float
    max_fetch_bytes: int
    _client: httpx.Client | None
    allow_private: bool = False
    _own_client: httpx.Client | None = field(default=None, init=False)  # made on first use, closed by close()

    def item(self, item: str) -> Iterator[Article | InputError]:
        try:
            if is_url(item):
                yield from self._url(item)
            elif os.path.isdir(item):
                for path in _folder_files(item):
                    if isinstance(path, InputError):
                        yield path
                    else:
                        yield from self._guarded(path)
            elif os.path.exists(item):
                yield from self.file(item)
            else:
                yield InputError(item, "no such file or folder")
        except InputError as exc:
            yield exc

    def _guarded(self, path: str) -> Iterator[Article | InputError]:
        """One file of a folder: its error is yielded and the folder goes on."""
        try:
            yield from self.file(path)
        except InputError as exc:
            yield exc

    def file(self, path: str) -> Iterator[Article | InputError]:
        if Path(path).suffix.lower() in JSONL_SUFFIXES:
            yield from jsonl_articles(path, self.max_bytes)
        elif is_warc(path):
            yield from warc_articles(path, self.max_bytes)
        else:
            yield from self._typed(path, read_capped(path, self.max_bytes))

    def content(self, name: str, data: bytes) -> Iterator[Article | InputError]:
        """A file's bytes already in memory, named ``name``."""
        if Path(name).suffix.lower() in JSONL_SUFFIXES:
            yield from jsonl_stream_articles(name, io.BytesIO(data), self.max_bytes)
            return
        if len(data) > self.max_bytes:
            raise InputError(name, too_big(len(data), self.max_bytes))
        yield from self._typed(name, data)

    def _typed(self, item: str, data: bytes) -> Iterator[Article | InputError]:
        """The articles of a file's bytes, by the suffix of its name ``item``."""
        suffix = Path(item).suffix.lower()
        if suffix in TEXT_SUFFIXES:
            yield text_article(item, data)
        elif suffix in HTML_SUFFIXES:
            yield html_article(item, decode(data, item))
        elif suffix in FEED_SUFFIXES:
            yield from self._feed(item, data, sniff=suffix == ".xml")
        elif suffix in JSON_FEED_SUFFIXES:
            feed = json_feed(decode(data, item))
            if feed is None:
                raise InputError(item, "not a JSON Feed (https://jsonfeed.org)")
            yield from json_feed_articles(item, feed, self._page if self.fetch else None)
        else:  # only a file named directly: folders are read for the known types alone
            yield from self._sniffed(item, data, None, None)

    def _feed(self, item: str, data: bytes, sniff: bool) -> Iterator[Article | InputError]:
        if sniff and not looks_like_feed(decode(data, item)):
            raise InputError(item, "not an RSS or Atom feed")
        yield from feed_articles(item, data, self._page if self.fetch else None)

    def _sniffed(self, item: str, data: bytes, url: str | None, charset: str | None) -> Iterator[Article | InputError]:
        """A feed, an HTML page or plain text, by what the content looks like."""
        text = decode(data, item, charset)
        head = text[:_SNIFF_BYTES].lstrip().lower()
        if looks_like_feed(text):
            yield from feed_articles(item, data, self._page if self.fetch else None)
        elif (feed := json_feed(text)) is not None:
            yield from json_feed_articles(item, feed, self._page if self.fetch else None)
        elif head.startswith(("<!doctype html", "<html")) or "<body" in head:
            yield html_article(item, text, url)
        else:
            yield Article(id=item, text=text, url=url)

    def _url(self, url: str) -> Iterator[Article | InputError]:
        check_scheme(url, url)
        if not self.fetch:
            raise InputError(url, "a URL: pass --fetch to download it")
        page = self._fetcher().get(url)
        if page.media_type in FEED_MEDIA_TYPES:
            yield from feed_articles(url, page.content, self._page)
        elif page.media_type in SNIFFED_MEDIA_TYPES:
            yield from self._sniffed(url, page.content, page.url, page.charset)
        else:
            raise FetchError(url, f"unsupported content type {page.media_type}")

    def _page(self, url: str) -> Article:
        """The article of the web page at ``url`` (a feed entry's link)."""
        page = self._fetcher().get(url)
        return html_article(url, decode(page.content, url, page.charset), page.url)

    def _fetcher(self) -> Fetcher:
        if self._client is None:
            self._own_client = self._client = httpx.Client()
        return Fetcher(self._client, self.max_fetch_bytes, self.timeout, allow_private=self.allow_private)

    def close(self) -> None:
        if self._own_client is not None:
            self._own_client.close()


def _folder_files(folder: str) -> list[str | InputError]:
    """The files of known types under ``folder``, sorted by path, hidden files and folders left
    out, and an error, in its place, for each folder that cannot be listed.

    Paths start with ``folder`` as given, so an article's id is the path the user would type."""
    found: list[tuple[tuple[str, ...], str | InputError]] = []

    def unreadable(exc: OSError) -> None:
        path = str(exc.filename or folder)
        error = InputError(path, f"cannot read folder: {exc.strerror or exc}")
        found.append((Path(os.path.relpath(path, folder)).parts, error))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and (Path(name).suffix.lower() in KNOWN_SUFFIXES or is_warc(name)):
                path = os.path.join(root, name)
                found.append((Path(os.path.relpath(path, folder)).parts, path))
    return [path for _, path in sorted(found, key=lambda f: f[0])]
