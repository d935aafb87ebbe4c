"""Web-archive input: the HTML pages of a WARC file (``.warc``, ``.warc.gz``), as Common Crawl's
CC-NEWS files hold them, each extracted as an HTML file is (:func:`readers.html_article`).

Each ``response`` record of a page (HTTP 200, an HTML media type) becomes an article: its id and
URL are the record's target URI, its date the page's own, else the crawl's (``WARC-Date``). The
crawl's other records (``warcinfo``, ``request``, ``metadata``, ``revisit``) hold no page and
are passed over without a word. A response that is no article is skipped, in one line naming
the record (its ``WARC-Record-ID`` and URL) and why: a redirect, another HTTP status, a media
type other than HTML, a page without article text. A crawl is full of these: they are not
failures (:class:`SkippedItem`). A broken record (a header that is no WARC header, bytes that do
not decompress) is a failure (:class:`InputError`) naming the file and the record's offset; the
reading goes on at the next record boundary found after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from storydesk.errors import InputError, SkippedItem
from storydesk.ingest.decode import check_regular, decode, too_big
from storydesk.ingest.readers import html_article
from storydesk.models import Article

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"  # each record of a .warc.gz is a gzip member of its own
_WARC_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1 << 20


def is_warc(name: str) -> bool:
    """Whether a file's name says it is a WARC file."""
    return name.lower().endswith(WARC_SUFFIXES)


def warc_articles(path: str, max_bytes: int) -> Iterator[Article | InputError]:
    """The articles of the WARC file at ``path``, a :class:`SkippedItem` for each response that
    is no article and an :class:`InputError` for each broken record (see the module's
    docstring). A page's content over ``max_bytes`` is an error naming its record."""
    check_regular(path)
    compressed = path.lower().endswith(".gz")
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below: the reading yields as it goes)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    with f:
        start: int | None = 0
        while start is not None:
            f.seek(start)
            reading = _Records(path, f, max_bytes)
            try:
                yield from reading.items()
                return
            # warcio's ArchiveLoadFailed, zlib's error, a cut-off stream: whatever a broken
            # record raises, the file goes on at the next record boundary.
            except Exception as exc:
                broken = reading.next_offset
                yield InputError(f"{path}: record at byte {broken}", f"broken WARC record: {_first_line(exc)}")
                start = _next_record(f, broken + 1, compressed)


class _BrokenRecord(Exception):
    """A record warcio reads without complaint, but with no WARC header."""


class _Records:
    """One pass of warcio over a WARC file from where ``f`` stands, remembering where the record
    after the last one read starts (where a broken record is)."""

    def __init__(self, path: str, f: IO[bytes], max_bytes: int) -> None:
        self.path = path
        self.f = f
        self.max_bytes = max_bytes
        self.next_offset = f.tell()

    def items(self) -> Iterator[Article | InputError]:
        from warcio.archiveiterator import ArchiveIterator

        base = self.f.tell()
        records = ArchiveIterator(self.f)
        for record in records:
            item = self._item(record)
            # The record was read whole: a failure from here on is in the next one.
            records.read_to_end(record)
            self.next_offset = base + records.get_record_offset() + records.get_record_length()
            if item is not None:
                yield item

    def _item(self, record: Any) -> Article | InputError | None:
        headers = record.rec_headers
        if record.rec_type is None or not headers.get_header("WARC-Record-ID"):
            raise _BrokenRecord("no WARC header")
        if record.rec_type != "response":
            return None  # the crawl's bookkeeping (warcinfo, request, metadata, revisit)
        url: str = headers.get_header("WARC-Target-URI") or ""
        name = f"{self.path}: record {headers.get_header('WARC-Record-ID')} {url}".rstrip()
        if record.http_headers is None:
            return SkippedItem(name, "not an HTTP response")
        status = record.http_headers.get_statuscode() or "?"
        if status.startswith("3"):
            location = record.http_headers.get_header("Location") or "nowhere"
            return SkippedItem(name, f"HTTP {status} redirect to {location}")
        if status != "200":
            return SkippedItem(name, f"HTTP status {status}")
        media_type, charset = _media_type(record.http_headers.get_header("Content-Type") or "")
        if media_type not in HTML_MEDIA_TYPES:
            return SkippedItem(name, f"not HTML ({media_type or 'no content type'})")
        data = record.content_stream().read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            return InputError(name, too_big(len(data), self.max_bytes))
        try:
            article = html_article(url or name, decode(data, name, charset), url or None)
        except InputError as exc:  # an index page, an empty body: a crawl holds many
            return SkippedItem(name, exc.reason)
        if article.date is None:
            article = article.model_copy(update={"date": headers.get_header("WARC-Date")})
        return article


def _media_type(content_type: str) -> tuple[str, str | None]:
    """The media type of a Content-Type header, lower case, and its charset (None: not named)."""
    kind, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return kind.strip().lower(), charset


def _next_record(f: IO[bytes], start: int, compressed: bool) -> int | None:
    """The offset of the first record boundary at or after ``start`` (a gzip member's start in a
    compressed file, ``WARC/1.`` in a plain one), or None at the end of the file."""
    magic = _GZIP_MAGIC if compressed else _WARC_MAGIC
    f.seek(start)
    position = start
    tail = b""
    while chunk := f.read(_SCAN_CHUNK):
        window = tail + chunk
        found = window.find(magic)
        if found >= 0:
            return position - len(tail) + found
        tail = window[-(len(magic) - 1) :]
        position += len(chunk)
    return None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
