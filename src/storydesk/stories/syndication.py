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

The dateline prefix and credit lines are the ranges the metadata stage found
(``Analysis.boilerplate``), the dateline's outlet read from its range: searching the text again
(``annotate.metadata``'s regexes, which took most of the time) is left to articles without
them, not analysed or analysed before the ranges were kept.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

from storydesk.annotate.metadata import DATELINE_SEARCH, find_credits, find_dateline, outlet_for, wire_outlets
from storydesk.models import Analysis, Article, Span
from storydesk.text import WORD

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.15  # Jaccard at which LSH proposes a pair (a trimmed and extended copy is low)
CONTAINMENT = 0.6
MIN_SHARED = 12  # shingles: short texts sharing a stock phrase are no copies
LONG_SHARED = 40  # shingles: about three sentences word for word make a copy whatever else differs
_DASHES = ("-", "–", "—")  # a dateline prefix ends with one (then spaces or tabs)


@dataclass(frozen=True)
class Origin:
    """Where a copy comes from: the origin article's id (its own id for the origin itself)
    and the wire service, when a member names one."""

    article: str
    wire: str | None = None


@dataclass(frozen=True)
class _Marks:
    """What differs between copies of one text: the ranges to cut (dateline prefix, credit
    lines) and the outlet the dateline names, if any."""

    cuts: list[Span]
    dateline_outlet: str | None


def _marks(article: Article, analysis: Analysis | None) -> _Marks:
    if analysis is None or analysis.boilerplate is None:
        # Not analysed, or analysed before the ranges were kept: the metadata stage's search again.
        found = find_dateline(article.text)
        cuts = ([found[2]] if found else []) + find_credits(article.text)[1]
        return _Marks(cuts, found[1] if found else None)
    return _Marks(list(analysis.boilerplate), _dateline_outlet(article.text, analysis, analysis.boilerplate))


def _dateline_outlet(text: str, analysis: Analysis, boilerplate: list[Span]) -> str | None:
    """The outlet in brackets in the dateline prefix, read from its boilerplate range.

    The prefix is the range that opens a line within ``DATELINE_SEARCH``, starts with the
    dateline's city and ends with a dash. Its first bracket opens the outlet: a city, region or
    date before it holds none (see ``annotate.metadata``)."""
    if analysis.dateline is None:
        return None
    for start, end in boilerplate:
        prefix = text[start:end]
        if (
            end <= DATELINE_SEARCH
            and (start == 0 or text[start - 1] == "\n")
            and prefix.lstrip(" \t").startswith(analysis.dateline)
            and prefix.rstrip(" \t").endswith(_DASHES)
        ):
            opening = prefix.find("(")
            closing = prefix.find(")", opening + 1)
            return outlet_for(prefix[opening + 1 : closing]) if 0 <= opening < closing else None
    # Only a guard: the metadata stage puts every dateline prefix among the ranges.
    found = find_dateline(text)
    return found[1] if found else None


def _cut(text: str, cuts: list[Span]) -> str:
    for start, end in sorted(cuts, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def body(article: Article, analysis: Analysis | None = None) -> str:
    """The text without its dateline prefix and credit lines, which differ between copies:
    the ranges of ``analysis`` where it has them, else found again."""
    return _cut(article.text, _marks(article, analysis).cuts)


def shingles(text: str) -> set[bytes]:
    """Overlapping runs of ``SHINGLE_WORDS`` lower-cased words (one run for a shorter text)."""
    words = WORD.findall(text.lower())
    n = max(len(words) - SHINGLE_WORDS + 1, 1 if words else 0)
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(n)}


def _wire(article: Article, marks: _Marks) -> str | None:
    """The wire service that the dateline or ``source`` names, if any."""
    wires = wire_outlets()
    if marks.dateline_outlet in wires:
        return marks.dateline_outlet
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


def _all_marks(articles: Sequence[Article], analyses: Sequence[Analysis | None] | None) -> list[_Marks]:
    each: Sequence[Analysis | None] = [None] * len(articles) if analyses is None else analyses
    return [_marks(a, an) for a, an in zip(articles, each, strict=True)]


def copy_pairs(articles: Sequence[Article], analyses: Sequence[Analysis | None] | None = None) -> list[tuple[int, int]]:
    """Index pairs (earlier, later in input order) of articles whose bodies are copies;
    ``analyses``, one per article where given, hold their dateline and credit ranges."""
    return _pairs([_cut(a.text, m.cuts) for a, m in zip(articles, _all_marks(articles, analyses), strict=True)])


@functools.cache
def _lsh_bands() -> tuple[int, int]:
    """The LSH index's bands and rows for ``LSH_THRESHOLD``: datasketch finds them by numerical
    integration each time an index is made (70 ms), once a story at ingest; made once here."""
    probe = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return probe.b, probe.r


def _pairs(bodies: list[str]) -> list[tuple[int, int]]:
    if len(bodies) < 2:
        return []
    sets = [shingles(text) for text in bodies]
    lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_bands())
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


def find_copies(articles: Sequence[Article], analyses: Sequence[Analysis | None] | None = None) -> dict[str, Origin]:
    """Article id -> :class:`Origin` for every article that has a copy among ``articles``
    (the origin article included, with its own id); articles without copies are left out.
    ``analyses``, one per article where given, hold their dateline and credit ranges."""
    marks = _all_marks(articles, analyses)
    parent = list(range(len(articles)))
    for i, j in _pairs([_cut(a.text, m.cuts) for a, m in zip(articles, marks, strict=True)]):
        parent[_find_root(parent, j)] = _find_root(parent, i)
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(_find_root(parent, i), []).append(i)
    result = {}
    for members in groups.values():
        if len(members) > 1:
            origin = _origin([(articles[i], marks[i]) for i in members])
            result.update({articles[i].id: origin for i in members})
    return result


def _origin(members: list[tuple[Article, _Marks]]) -> Origin:
    """The group's wire (the first named, earliest first) and origin article."""
    ordered = sorted(members, key=lambda m: _ordinal(m[0].date))  # stable: ties keep input order
    order = [a for a, _ in ordered]
    wires = [_wire(a, m) for a, m in ordered]
    wire = next((w for w in wires if w), None)
    own = [a for a in order if wire and a.source and outlet_for(a.source) == wire]
    return Origin((own or order)[0].id, wire)


def origin_key(article_id: str, copies: Mapping[str, Origin]) -> str:
    """The article a report goes back to: its group's origin article, else itself."""
    origin = copies.get(article_id)
    return article_id if origin is None else origin.article


def copied_from(
    articles: Sequence[Article], analyses: Sequence[Analysis | None] | None = None
) -> dict[str, str | None]:
    """Article id -> the id of the article it copies (None: it is its own origin), for every
    article of ``articles`` (``analyses`` as for :func:`find_copies`)."""
    copies = find_copies(articles, analyses)
    return {a.id: None if (origin := origin_key(a.id, copies)) == a.id else origin for a in articles}


def independent_origins(article_ids: Iterable[str], copies: Mapping[str, Origin]) -> int:
    """How many independent reports the articles are, each group of copies counted once."""
    return len({origin_key(a, copies) for a in article_ids})
