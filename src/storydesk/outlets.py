"""News outlets: ``data/outlets.yaml`` indexed by name, alias and domain, and the outlet of an
article's page (its site name, its URL). Free of spaCy, so that reading inputs stays light;
:mod:`storydesk.annotate.metadata` finds the outlet a text names (datelines, phrases).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from storydesk import resources


@dataclass(frozen=True)
class Outlets:
    by_alias: dict[str, str]  # name or alias as written -> canonical name
    by_folded: dict[str, str]  # casefolded name or alias -> canonical name
    by_domain: dict[str, str]  # domain -> canonical name
    wire: frozenset[str]


@functools.cache
def outlets() -> Outlets:
    """The outlets of ``data/outlets.yaml``, indexed by name, alias and domain."""
    by_alias: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    wire = set()
    for entry in resources.yaml_data("outlets.yaml"):
        name = entry["name"]
        for alias in [name, *entry.get("aliases", [])]:
            by_alias.setdefault(alias, name)
        for domain in entry.get("domains", []):
            by_domain[domain.lower()] = name
        if entry.get("wire"):
            wire.add(name)
    by_folded: dict[str, str] = {}
    for alias, name in by_alias.items():
        by_folded.setdefault(alias.casefold(), name)
    return Outlets(by_alias, by_folded, by_domain, frozenset(wire))


def outlet_for(name_or_domain: str) -> str | None:
    """The canonical outlet for a ``source`` field or URL: "Reuters", "reuters",
    "www.reuters.com" and "https://www.reuters.com/world/..." all give "Reuters"."""
    text = name_or_domain.strip()
    if not text:
        return None
    data = outlets()
    name = data.by_alias.get(text) or data.by_folded.get(text.casefold())
    if name or " " in text or "." not in text:
        return name
    host = (urlsplit(text if "//" in text else "//" + text).hostname or "").lower()
    labels = host.split(".")
    for i in range(len(labels) - 1):  # news.example.com, then example.com
        if found := data.by_domain.get(".".join(labels[i:])):
            return found
    return None


@functools.cache
def _domains() -> Any:
    import tldextract

    # The suffix list bundled with tldextract: nothing is fetched, nothing cached on disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url_or_host: str) -> str | None:
    """The domain a URL or host name is registered under: "https://www.bbc.co.uk/news" and
    "news.bbc.co.uk" give "bbc.co.uk"; None for what is no web address."""
    text = url_or_host.strip()
    if not text or " " in text or "." not in text:
        return None
    host = (urlsplit(text if "//" in text else "//" + text).hostname or "").lower()
    parts = _domains()(host) if host else None
    if parts is None or not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"


def outlet_names(outlet: str) -> list[str]:
    """The canonical name and every alias of ``outlet`` (a canonical name)."""
    return [alias for alias, name in outlets().by_alias.items() if name == outlet]


def page_outlet(source: str | None, url: str | None) -> str | None:
    """The outlet an article's page names: its site name or URL, known to ``data/outlets.yaml``
    ("BBC News", "www.bbc.co.uk" -> "BBC"), else the site name as the page gives it, else the
    domain its URL is registered under; None when the page says nothing."""
    for given in (source, url):
        if given and (known := outlet_for(given)):
            return known
    if source and (name := source.strip()):
        return registered_domain(name) or name
    return registered_domain(url) if url else None


def article_outlet(source: str | None, url: str | None, from_text: str | None) -> str | None:
    """The outlet of an article: what its page says (:func:`page_outlet`) first; what its text
    says (a dateline's outlet, "told Reuters") only when the page says nothing. A page that
    quotes another outlet ("Winfrey told CBS") is still its own outlet's."""
    return page_outlet(source, url) or from_text


def wire_outlets() -> frozenset[str]:
    """Canonical names of the wire services (news agencies)."""
    return outlets().wire
