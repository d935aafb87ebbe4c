"""Readers for one input format each: plain text, an HTML page, JSONL of articles.

Each turns decoded input into :class:`Article` records or raises/yields :class:`InputError`.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from typing import IO, Any

import trafilatura
from trafilatura.settings import Document

from storydesk.errors import InputError
from storydesk.ingest.decode import BINARY, EMPTY, WIDE_BOMS, check_regular, decode, too_big
from storydesk.ingest.length import word_count
from storydesk.ingest.page import byline_names, clean_title, page_meta
from storydesk.models import Article

NO_ARTICLE = "no article text found"
NO_ARTICLES = "no articles"
# Lines read before a JSONL file most of whose lines are binary is given up as one error.
_BINARY_SAMPLE = 8
# trafilatura falls back to any text it finds (a menu, a list of links), so a page counts as
# an article only when a line of the extracted text reads as a sentence: some words (in Han
# or kana, counted as :func:`length.word_count` does), then a full stop, question or
# exclamation mark (maybe inside closing quotes or brackets).
MIN_SENTENCE_WORDS = 6
_CLOSERS = "\"'”’»)]」』）"
# Full stops, question and exclamation marks: Latin, CJK (。！？), Arabic (؟), Devanagari (।).
_SENTENCE_ENDS = (".", "!", "?", "。", "！", "？", "؟", "।")

# JSONL field -> the names it may go by: storydesk's own first, then news-please's.
TEXT_FIELDS = ("text", "maintext")
JSONL_FIELDS = {
    "id": ("id",),
    "title": ("title",),
    "url": ("url",),
    "source": ("source", "source_domain"),
    "date": ("date", "date_publish"),
    "language": ("language",),
}


def content_id(text: str) -> str:
    """An id for an article that came without one: a hash of its text exactly as given (lone
    surrogates, cleaned later, hashed as their code points)."""
    return "a-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def article_key(article: Article) -> str:
    """The store's key of an article: the SHA-256 of its text, NFC-normalised and with
    whitespace collapsed, so the same text read twice (from another file, with other line
    breaks) is stored once."""
    normal = " ".join(unicodedata.normalize("NFC", article.text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def text_article(item: str, data: bytes) -> Article:
    """A plain-text file: its text as Python's text mode reads it (line ends made ``\\n``)."""
    text = decode(data, item).replace("\r\n", "\n").replace("\r", "\n")
    return Article(id=item, text=text)


def html_article(item: str, html: str, url: str | None = None) -> Article:
    """The article of an HTML page, with its metadata, extracted by trafilatura.

    ``url`` (where the page came from) helps trafilatura and is the article's URL when the
    page names no canonical one."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    found: dict[str, Any] = doc.as_dict() if isinstance(doc, Document) else {}
    text: str = found.get("text") or ""
    if not any(_is_sentence(line) for line in text.splitlines()):
        raise InputError(item, NO_ARTICLE)
    meta = page_meta(html)
    page_url: str | None = found.get("url") or url
    sites = meta.site_names or [n for n in (found.get("sitename"),) if n]
    # The page's own title, whole: trafilatura cuts a <title> at its last separator, which may
    # be inside the headline ("Retraites : le gouvernement ...").
    title = clean_title(next(iter(meta.titles), None) or found.get("title"), sites, page_url, meta.headlines)
    # The JSON-LD authors when one is a name, else trafilatura's (joined with "; ").
    authors = byline_names(meta.authors, sites) or byline_names((found.get("author") or "").split(";"), sites)
    return Article(
        id=item,
        text=_without_heading(text, title),
        title=title,
        url=page_url,
        source=next(iter(sites), None) or found.get("hostname") or None,
        date=found.get("date") or meta.date or None,
        authors=authors,
    )


def _is_sentence(line: str) -> bool:
    return line.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_ENDS) and word_count(line) >= MIN_SENTENCE_WORDS


def _without_heading(text: str, title: str | None) -> str:
    """The text less a first line that repeats the title: the title is kept apart, and the
    body should start at the lead, where datelines and credits are looked for."""
    first, sep, rest = text.partition("\n")
    if title and sep and rest.strip() and first.strip() == title.strip():
        return rest
    return text


def jsonl_articles(path: str, max_bytes: int) -> Iterator[Article | InputError]:
    """One article per line of the JSONL file at ``path``, streamed: ``max_bytes`` caps each
    line, not the file, so big batches are fine. A bad line yields an :class:`InputError`
    naming ``path:LINE`` and reading goes on; blank lines are skipped."""
    check_regular(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the with below, after the error check
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    with f:
        yield from jsonl_stream_articles(path, f, max_bytes)


def jsonl_stream_articles(item: str, f: IO[bytes], max_bytes: int) -> Iterator[Article | InputError]:
    """One article per line of the JSONL bytes ``f`` (a file or bytes in memory) named
    ``item``, as :func:`jsonl_articles` reads them: errors name ``item:LINE``."""
    for record in jsonl_records(item, f, max_bytes, NO_ARTICLES):
        if isinstance(record, InputError):
            yield record
            continue
        where, fields = record
        try:
            yield record_article(fields, where)
        except InputError as exc:
            yield exc


def jsonl_records(
    item: str, f: IO[bytes], max_bytes: int, empty: str
) -> Iterator[tuple[str, dict[str, Any]] | InputError]:
    """``(item:LINE, object)`` for each non-blank line of the JSONL bytes ``f`` named ``item``,
    or an :class:`InputError` naming ``item:LINE``; reading goes on after a bad line.

    Each line is decoded on its own (a UTF-8 BOM, else UTF-8, else detection), so a file is
    streamed; a file with a UTF-16 or UTF-32 BOM is decoded whole first (its newline bytes
    are not b"\\n"). A file with no line at all is an error ``empty``; a binary file (its
    first line, or most lines, binary) is one error naming the file, not one per line."""
    seen = binary = 0
    held: list[InputError] = []  # binary lines before any readable one: the file may be binary
    for number, line in enumerate(_lines(item, f, max_bytes), 1):
        where = f"{item}:{number}"
        if isinstance(line, int):
            seen += 1
            yield InputError(where, too_big(line, max_bytes))
            continue
        try:
            text = decode(line, where) if isinstance(line, bytes) else line
        except InputError as exc:
            if exc.reason == EMPTY:  # a blank line
                continue
            seen += 1
            binary += exc.reason == BINARY
            if binary == seen and binary < _BINARY_SAMPLE:
                held.append(exc)  # a binary head: decided once a readable line or the sample comes
                continue
            if binary == seen or (seen >= _BINARY_SAMPLE and 2 * binary > seen):
                raise InputError(item, f"{BINARY}, not JSONL") from None
            yield exc
            continue
        if not text.strip():
            continue
        seen += 1
        yield from held  # a readable line after a few binary ones: those are bad lines, not a bad file
        held = []
        try:
            yield where, _json(text, where)
        except InputError as exc:
            yield exc
    if held:
        raise InputError(item, f"{BINARY}, not JSONL")
    if not seen:
        raise InputError(item, empty)


def _lines(item: str, f: IO[bytes], cap: int) -> Iterator[bytes | str | int]:
    """The lines of ``f``, less their line ends: bytes, or str when the file was decoded whole;
    a line over ``cap`` bytes comes as its size alone."""
    start = f.tell()
    head = f.read(4)
    f.seek(start)
    if head.startswith(WIDE_BOMS):
        text = decode(f.read(), item)
        for line in text.split("\n"):
            line = line.rstrip("\r")
            size = len(line.encode("utf-8", "surrogatepass"))
            yield size if size > cap else line
        return
    for raw, size in _capped_lines(f, cap):
        yield size if size > cap else raw


def _capped_lines(f: IO[bytes], cap: int) -> Iterator[tuple[bytes, int]]:
    """(line, size) for each line of ``f``; a line over ``cap`` bytes comes as ``b""`` with its
    size and is skipped over, never held in memory."""
    while line := f.readline(cap + 1):
        if line.endswith(b"\n") or len(line) <= cap:
            content = line.rstrip(b"\r\n")
            yield content, len(content)
            continue
        size = len(line)
        while not line.endswith(b"\n") and (line := f.readline(1 << 16)):
            size += len(line.rstrip(b"\r\n"))
        yield b"", size


def _json(line: str, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"malformed JSON: {exc.msg} at column {exc.colno}") from exc
    except RecursionError:  # arrays or objects nested deeper than Python's stack goes
        raise InputError(where, "malformed JSON: nested too deep") from None
    if not isinstance(record, dict):
        raise InputError(where, "not a JSON object")
    return record


def record_article(record: dict[str, Any], where: str) -> Article:
    """The article of one JSONL record (storydesk's or news-please's field names)."""
    fields = {name: _field(record, names, where) for name, names in JSONL_FIELDS.items()}
    text = next((record[n] for n in TEXT_FIELDS if record.get(n) is not None), None)
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "no text")
    return Article(
        id=fields["id"] or content_id(text),
        text=text,  # exactly as given: the caller's spans index it
        title=clean_title(fields["title"], [s for s in (fields["source"],) if s], fields["url"]),
        url=fields["url"],
        source=fields["source"],
        date=fields["date"],
        authors=_authors(record.get("authors")),
        language=fields["language"],
    )


def _field(record: dict[str, Any], names: tuple[str, ...], where: str) -> str | None:
    """The first of ``names`` given in ``record``, as a string; numbers are spelled out."""
    for name in names:
        value = record.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise InputError(where, f"field {name!r} is not a string")
    return None


def _authors(value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [a.strip() for a in value if isinstance(a, str) and a.strip()]
