"""RSS, Atom and JSON feeds: one article per entry, from the entry's own text or its linked page.

A JSON Feed (https://jsonfeed.org/version/1.1, and 1.0) is read by :func:`json_feed_articles`:
each item is an entry (``content_html`` or ``content_text``, else ``summary``; ``url``, else
``external_url``; ``date_published``; ``authors``, or 1.0's ``author``), the feed's title its
source.

With a page reader (``--fetch``), each entry's link is fetched and its article extracted. When
that fails, the entry yields the :class:`FetchError` and then its summary-based article, so
the caller reports the failure and the story still gets the entry's text.
"""

from __future__ import annotations

import calendar
import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from storydesk.errors import InputError
from storydesk.ingest.readers import content_id
from storydesk.models import Article

# The root element of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom document, after an optional XML
# declaration, comments and processing instructions.
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>/]")
_SNIFF_CHARS = 4096
_SPACES = re.compile(r"\s+")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre")

PageReader = Callable[[str], Article]  # URL -> the article of the page it points to


def looks_like_feed(text: str) -> bool:
    """True when ``text`` starts like an RSS or Atom document."""
    head = text[:_SNIFF_CHARS]
    match = _FEED_ROOT.search(head)
    return match is not None and "<html" not in head[: match.start()].lower()


def feed_articles(item: str, data: bytes, read_page: PageReader | None = None) -> Iterator[Article | InputError]:
    """The entries of the feed in ``data`` as articles, in feed order.

    Raises :class:`InputError` when the feed is malformed or has no entries; an entry without
    text yields an :class:`InputError` naming it and the others still come."""
    parsed = feedparser.parse(data)  # bytes, never a str: feedparser would take a str for a URL
    if not parsed.entries:
        if parsed.bozo:
            raise InputError(item, f"malformed feed: {parsed.get('bozo_exception') or 'unreadable'}")
        raise InputError(item, "feed has no entries")
    source = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, 1):
        yield from _entry_articles(entry, f"{item}#{number}", source, read_page)


def _entry_articles(
    entry: Any, where: str, source: str | None, read_page: PageReader | None, text: str | None = None
) -> Iterator[Article | InputError]:
    """The article of one entry (feedparser's fields); ``text`` replaces the entry's own."""
    link = entry.get("link") or None
    text = _entry_text(entry) if text is None else text
    meta: dict[str, Any] = {
        "id": entry.get("id") or link or (content_id(text) if text else where),
        "title": entry.get("title") or None,
        "url": link,
        "source": source,
        "date": _entry_date(entry),
        "authors": [a["name"] for a in entry.get("authors", []) if a.get("name")],
    }
    if read_page is not None and link:
        try:
            yield _merged(read_page(link), meta)
            return
        except InputError as exc:
            yield exc  # and then the summary-based article, if the entry has text
            if not text:
                return
    if not text:
        yield InputError(link or where, "entry has no text")
        return
    yield Article(text=text, **meta)


def _merged(page: Article, entry: dict[str, Any]) -> Article:
    """The linked page's article under the entry's id; the entry fills what the page lacks."""
    return page.model_copy(
        update={
            "id": entry["id"],
            "title": page.title or entry["title"],
            "source": page.source or entry["source"],
            "date": page.date or entry["date"],
            "authors": page.authors or entry["authors"],
        }
    )


def _entry_text(entry: Any) -> str:
    """The entry's fullest text (content over summary), as plain text."""
    candidates = [c.get("value", "") for c in entry.get("content", [])]
    candidates.append(entry.get("summary", ""))
    texts = [html_to_text(c) for c in candidates if c]
    return max(texts, key=len, default="")


def _entry_date(entry: Any) -> str | None:
    """The entry's date as ISO 8601 (feedparser parses RSS and Atom dates to UTC)."""
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return entry.get("published") or entry.get("updated") or None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment: one line per block, spaces collapsed, entities decoded."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in root.iter():  # line breaks in HTML source are spaces
        element.text = _SPACES.sub(" ", element.text) if element.text else element.text
        element.tail = _SPACES.sub(" ", element.tail) if element.tail else element.tail
    for element in root.iter(*_BLOCKS, "br"):  # a block starts and ends a line
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


JSON_FEED_VERSION = "https://jsonfeed.org/version/"


def json_feed(text: str) -> dict[str, Any] | None:
    """The JSON Feed object ``text`` holds, or None when it holds none."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        return None
    return data


def json_feed_articles(
    item: str, feed: dict[str, Any], read_page: PageReader | None = None
) -> Iterator[Article | InputError]:
    """The items of the JSON Feed ``feed`` as articles, in feed order (as :func:`feed_articles`)."""
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        raise InputError(item, "feed has no entries")
    title = feed.get("title")
    source = title if isinstance(title, str) and title.strip() else None
    for number, entry in enumerate(items, 1):
        where = f"{item}#{number}"
        if not isinstance(entry, dict):
            yield InputError(where, "feed item is not a JSON object")
            continue
        yield from _entry_articles(_json_entry(entry), where, source, read_page, _json_item_text(entry))


def _json_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A JSON Feed item with feedparser's field names, as :func:`_entry_articles` reads them."""
    authors = entry.get("authors") or ([entry["author"]] if isinstance(entry.get("author"), dict) else [])
    return {
        "id": _string(entry.get("id")),
        "link": _string(entry.get("url")) or _string(entry.get("external_url")),
        "title": _string(entry.get("title")),
        "published": _string(entry.get("date_published")) or _string(entry.get("date_modified")),
        "authors": [{"name": a["name"]} for a in authors if isinstance(a, dict) and _string(a.get("name"))],
    }


def _json_item_text(entry: dict[str, Any]) -> str:
    """The item's fullest text: its HTML as text, its plain text as given, or its summary."""
    html = _string(entry.get("content_html"))
    plain = _string(entry.get("content_text"))
    texts = [html_to_text(html) if html else "", plain.replace("\r\n", "\n").strip() if plain else ""]
    texts.append(_string(entry.get("summary")) or "")
    return max(texts, key=len)


def _string(value: Any) -> str | None:
    """A JSON value as a string: numbers spelled out (JSON Feed ids may be numbers)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
