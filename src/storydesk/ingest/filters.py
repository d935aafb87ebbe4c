"""Which of the articles read an ingest keeps: those of some web domains, published within a
date range, in some languages. Each article left out is a :class:`SkippedItem` naming it and
why, said in one line and not counted as a failure.

A domain keeps its subdomains (``example.com`` keeps ``news.example.com``); an article is
matched by its URL's host, and one without a URL is left out when domains are asked for. Dates
are the article's own (a web-archive page without one has its crawl date), compared by day, both
ends included; an article without a date is left out when a range is asked for. Languages are
ISO 639 codes as :mod:`storydesk.language` detects them; an article whose language the detector
could not tell is kept only when English is asked for (it is read as English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from storydesk.errors import InputError, SkippedItem
from storydesk.language import ENGLISH, normalise_language
from storydesk.models import Article


@dataclass(frozen=True)
class Filters:
    domains: frozenset[str] = frozenset()
    since: dt.date | None = None
    until: dt.date | None = None
    languages: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.domains or self.since or self.until or self.languages)

    def reason(self, article: Article) -> str | None:
        """Why ``article`` is left out, or None when it is kept."""
        if self.domains and not _in_domains(article.url, self.domains):
            return f"not from the domains asked for ({_host(article.url) or 'no URL'})"
        if self.since or self.until:
            day = article_day(article.date)
            if day is None:
                return f"no date to compare with the range asked for ({article.date or 'none given'})"
            if (self.since and day < self.since) or (self.until and day > self.until):
                return f"dated {day.isoformat()}, outside the range asked for"
        if self.languages and (article.language or ENGLISH) not in self.languages:
            return f"in another language than those asked for ({article.language})"
        return None


def filtered(items: Iterable[Article | InputError], filters: Filters) -> Iterator[Article | InputError]:
    """``items`` with each article that ``filters`` leave out made a :class:`SkippedItem`."""
    for item in items:
        if isinstance(item, Article) and (why := filters.reason(item)):
            yield SkippedItem(item.id, why)
        else:
            yield item


def domains(value: str) -> frozenset[str]:
    """The domains of ``value``: a file (one a line, ``#`` starts a comment) or a comma-separated
    list; each lower case, without a leading ``www.``."""
    path = Path(value)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else value.split(",")
    found = (line.split("#", 1)[0].strip().lower().removeprefix("www.").strip(".") for line in lines)
    return frozenset(d for d in found if d)


def languages(value: str) -> frozenset[str]:
    """The ISO 639 codes of a comma-separated list ("en,fr")."""
    return frozenset(code for part in value.split(",") if (code := normalise_language(part.strip())))


def article_day(date: str | None) -> dt.date | None:
    """The day of an ISO 8601 date or datetime ("2025-03-07", "2025-03-07T10:00:00Z"), or None."""
    try:
        return dt.date.fromisoformat(date[:10]) if date else None
    except ValueError:
        return None


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""


def _in_domains(url: str | None, wanted: frozenset[str]) -> bool:
    host = _host(url).lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in wanted)
