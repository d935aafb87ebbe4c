"""Syndication: copies of one story's text (a wire story republished by other outlets under
other headlines, trimmed, or with paragraphs added) and where each copy comes from.

Each article's body, without its headline, dateline prefix and credit lines, becomes a set of
overlapping word shingles. MinHash signatures in an LSH index (datasketch) find candidate pairs
cheaply; a pair is a copy when the shingles they share make up at least ``CONTAINMENT`` of the
shorter body: a trimmed copy or one with paragraphs added still contains most of the other,
while Jaccard similarity would fall with every added or cut paragraph. Copies group
transitively.

A group's origin is the wire service named in a member's dateline (``CITY (Reuters) -``) or
``source``, where there is one; the origin article is the earliest member published by that
service, else the earliest member (by date, then input order). Counting a group once,
:func:`independent_origins` tells how many independent reports a set of articles holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

from storydesk.annotate.metadata import find_credits, find_dateline, outlet_for, wire_outlets
from storydesk.models import Article
from storydesk.text import WORD

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.15  # Jaccard at which LSH proposes a pair (a trimmed and extended copy is low)
CONTAINMENT = 0.6
MIN_SHARED = 12  # shingles: short texts sharing a stock phrase are no copies
LONG_SHARED = 40  # shingles: about three sentences word for word make a copy whatever else differs


@dataclass(frozen=True)
class Origin:
    """Where a copy comes from: the origin article's id (its own id for the origin itself)
    and the wire service, when a member names one."""

    article: str
    wire: str | None = None


def body(article: Article) -> str:
    """The text without its dateline prefix and credit lines, which differ between copies."""
    text = article.text
    cut = []
    if found := find_dateline(text):
        cut.append(found[2])
    cut += find_credits(text)[1]
    for start, end in sorted(cut, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def shingles(text: str) -> set[bytes]:
    """Overlapping runs of ``SHINGLE_WORDS`` lower-cased words (one run for a shorter text)."""
    words = WORD.findall(text.lower())
    n = max(len(words) - SHINGLE_WORDS + 1, 1 if words else 0)
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(n)}


def _wire(article: Article) -> str | None:
    """The wire service that the dateline or ``source`` names, if any."""
    wires = wire_outlets()
    found = find_dateline(article.text)
    if found and found[1] in wires:
        return found[1]
    source = outlet_for(article.source) if article.source else None
    return source if source in wires else None


def _ordinal(value: str | None) -> float:
    try:
        return float(date.fromisoformat(value.strip()[:10]).toordinal()) if value else np.inf
    except ValueError:
        return np.inf  # an unreadable date sorts with the undated


def _find_root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def copy_pairs(articles: Sequence[Article]) -> list[tuple[int, int]]:
    """Index pairs (earlier, later in input order) of articles whose bodies are copies."""
    sets = [shingles(body(a)) for a in articles]
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    pairs = []
    for i, items in enumerate(sets):
        if len(items) < MIN_SHARED:
            continue
        signature = MinHash(num_perm=NUM_PERM)
        signature.update_batch(list(items))
        for j in lsh.query(signature):
            shared = len(items & sets[j])
            if shared >= LONG_SHARED or shared >= max(MIN_SHARED, CONTAINMENT * min(len(items), len(sets[j]))):
                pairs.append((j, i))
        lsh.insert(i, signature)
    return pairs


def find_copies(articles: Sequence[Article]) -> dict[str, Origin]:
    """Article id -> :class:`Origin` for every article that has a copy among ``articles``
    (the origin article included, with its own id); articles without copies are left out."""
    parent = list(range(len(articles)))
    for i, j in copy_pairs(articles):
        parent[_find_root(parent, j)] = _find_root(parent, i)
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(_find_root(parent, i), []).append(i)
    result = {}
    for members in groups.values():
        if len(members) > 1:
            origin = _origin([articles[i] for i in members])
            result.update({articles[i].id: origin for i in members})
    return result


def _origin(members: list[Article]) -> Origin:
    """The group's wire (the first named, earliest first) and origin article."""
    order = sorted(members, key=lambda a: _ordinal(a.date))  # stable: ties keep input order
    wires = [_wire(a) for a in order]
    wire = next((w for w in wires if w), None)
    own = [a for a in order if wire and a.source and outlet_for(a.source) == wire]
    return Origin((own or order)[0].id, wire)


def origin_key(article_id: str, copies: Mapping[str, Origin]) -> str:
    """The article a report goes back to: its group's origin article, else itself."""
    origin = copies.get(article_id)
    return article_id if origin is None else origin.article


def independent_origins(article_ids: Iterable[str], copies: Mapping[str, Origin]) -> int:
    """How many independent reports the articles are, each group of copies counted once."""
    return len({origin_key(a, copies) for a in article_ids})
