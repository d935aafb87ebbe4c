"""What the actor index (migration 0005_actor_index) holds for one article: the names it can be
found by, and each attributed quote under every name that finds it.

Both ingest (:meth:`storydesk.store.Store.add_article`) and the migration's backfill read the
analysis as stored (its JSON payload), so an index filled either way is the same. Names are
matched casefolded: an actor is found by its name or any alias it has in the article, and a
quote by its speaker's name or an alias of the article's actor of that name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple


class IndexedQuote(NamedTuple):
    name: str  # casefolded name the quote is found by
    position: int  # the quote's index in the analysis's quotes
    quote: Mapping[str, Any]  # the quote as stored


def name_key(name: str) -> str:
    """How a name is matched: surrounding space dropped, casefolded."""
    return name.strip().casefold()


def _aliases(payload: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each actor's name key, with the keys of its name and aliases."""
    found: dict[str, set[str]] = {}
    for actor in payload.get("actors") or []:
        key = name_key(str(actor.get("name") or ""))
        if key:
            keys = found.setdefault(key, {key})
            keys.update(name_key(str(a)) for a in actor.get("aliases") or [])
    return {k: {n for n in v if n} for k, v in found.items()}


def _speaker(quote: Mapping[str, Any]) -> str:
    speaker = quote.get("speaker") or {}
    return name_key(str(speaker.get("name") or ""))


def actor_names(payload: Mapping[str, Any]) -> set[str]:
    """Every name key the article is found by: its actors' names and aliases, its speakers."""
    names = {n for keys in _aliases(payload).values() for n in keys}
    names.update(_speaker(q) for q in payload.get("quotes") or [])
    names.discard("")
    return names


def actor_quotes(payload: Mapping[str, Any]) -> Iterator[IndexedQuote]:
    """Each attributed quote of the article, once for every name key that finds it; a thought
    ("X hopes ...") is no quote of X's."""
    aliases = _aliases(payload)
    for position, quote in enumerate(payload.get("quotes") or []):
        speaker = _speaker(quote)
        if speaker and quote.get("act", "speech") == "speech":
            for name in sorted(aliases.get(speaker, set()) | {speaker}):
                yield IndexedQuote(name, position, quote)
