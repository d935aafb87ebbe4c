"""Terms of an article for story clustering, in three channels, as ids of a growing vocabulary.

Channels: lower-cased words of two or more characters (English stop words left out),
capitalised words (names and places; sentence-initial stop words such as "The" left out) and
numbers. A text is split at white space and the chunks counted (both in C); each distinct
chunk is tokenised and classified once for the whole stream and remembered as the term ids it
stands for in each channel (a chunk is first stripped of the punctuation around it, so that
"police," and "(police" are classified once, as "police"). Tokens are runs of word characters
joined by inner hyphens, dots and commas ("Jean-Pierre", "1,200", "U.S"); an apostrophe
splits, so "Smith's" counts as "Smith"; "Jean-Pierre" is the name "Jean-Pierre" and the words
"jean" and "pierre"; "17-year-old," is the number "17" and the words "17", "year" and "old".
So the work in Python grows with the vocabulary, not with the text; per article there is a
split, a count and array lookups.

Ids are handed out in order of first sight: the same articles in the same order get the same
ids, there are no hash collisions, and arrays indexed by term stay as small as the vocabulary.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storydesk.text import TOKEN, WORD

CHANNELS = 3  # words, names, numbers
WORDS, NAMES, NUMBERS = range(CHANNELS)

_NAME = re.compile(r"[A-Z][\w.-]*[a-z][\w.-]*")
_NUMBER = re.compile(r"\b\d[\d.,]*\d\b|\b\d\b")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_NAME_STOP = frozenset(w.capitalize() for w in ENGLISH_STOP_WORDS)
_MAX_WORDS = 4  # words a token stands for at most ("a-b-c-d-e" counts as its first four)
_MAX_NAMES = 2  # names likewise ("Smith/Jones")
_MAX_NUMBERS = 2  # numbers likewise ("17-year-old" stands for 17)
_WIDTH = _MAX_WORDS + _MAX_NAMES + _MAX_NUMBERS  # term ids of a chunk: its words, names and numbers
# Characters that are never part of a token, stripped from a chunk's ends before it is
# classified: tokens start and end with a word character, so the chunk's tokens stay the same.
_QUOTES_AND_DASHES = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb"
_PUNCTUATION = "".join(sorted(set(string.punctuation) - {"_"})) + _QUOTES_AND_DASHES


class Terms:
    """One article's terms: ids, counts and the channel of each (0 words, 1 names, 2 numbers)."""

    __slots__ = ("channels", "counts", "ids")

    def __init__(self, ids: IntArray, counts: FloatArray, channels: IntArray) -> None:
        self.ids = ids
        self.counts = counts
        self.channels = channels


class Vocabulary:
    """Token -> the term ids it stands for, and term -> id per channel, growing as articles
    arrive."""

    def __init__(self) -> None:
        self._terms: list[dict[str, int]] = [{}, {}, {}]  # term -> id, per channel
        self._tokens: dict[str, int] = {}  # chunk -> its row in _table
        self._rows = 0  # rows of _table filled
        self._table = np.full((1024, _WIDTH), -1, dtype=np.int64)  # a row per token: term ids, -1 for none
        self._channel = np.zeros(1024, dtype=np.int64)  # term id -> channel
        self.size = 0  # term ids handed out

    def terms(self, text: str, title: str | None = None, title_weight: float = 1.0) -> Terms:
        """The terms of ``title`` and ``text``, the title's counted ``title_weight`` times."""
        if title_weight == 1.0:  # one pass over both
            counter: Mapping[str, float] = Counter(f"{title or ''}\n{text}".split())
        else:
            merged: dict[str, float] = dict(Counter(text.split()))
            for token, n in Counter((title or "").split() if title_weight else ()).items():
                merged[token] = merged.get(token, 0) + title_weight * n
            counter = merged
        found = list(map(self._tokens.get, counter))  # a lookup in C for tokens seen before
        if None in found:
            found = [self._row(t) if r is None else r for t, r in zip(counter, found, strict=True)]
        rows = found
        ids = self._table[np.array(rows, dtype=np.int64)].ravel()
        counts = np.repeat(np.fromiter(counter.values(), dtype=np.float64, count=len(rows)), _WIDTH)
        keep = ids >= 0
        if not keep.any():
            return Terms(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64))
        # Summed by term ("Police" and "police" are one word): sorted, then each run summed.
        order = np.argsort(ids[keep])
        ordered = ids[keep][order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        unique = ordered[starts]
        summed: FloatArray = np.add.reduceat(counts[keep][order], starts)
        return Terms(unique, summed, self._channel[unique])

    def channels(self, ids: npt.NDArray[np.integer]) -> IntArray:
        """The channel of each term id (0 words, 1 names, 2 numbers)."""
        channels: IntArray = self._channel[ids]
        return channels

    def _row(self, chunk: str) -> int:
        """The row of a chunk (text between white space) seen for the first time: that of the
        chunk without the punctuation around it ("police," is "police"), classified if new."""
        core = chunk.strip(_PUNCTUATION)
        row = self._tokens.get(core)
        if row is None:
            row = self._tokens[core] = self._classify(core)
        self._tokens[chunk] = row
        return row

    def _classify(self, chunk: str) -> int:
        """A new row for a chunk not seen before, filled with the term ids it stands for."""
        row = self._rows
        self._rows += 1
        if row == len(self._table):
            self._table = np.concatenate([self._table, np.full_like(self._table, -1)])
        entry = self._table[row]
        for slot, channel, term in _classified(chunk):
            entry[slot] = self._id(channel, term)
        return row

    def unseen(self, text: str, title: str | None = None) -> list[tuple[int, str]]:
        """The (channel, term) pairs of ``title`` and ``text`` that have no id yet, in the order
        :meth:`terms` would hand ids out (a store-backed clusterer looks these up first)."""
        found: dict[tuple[int, str], None] = {}
        for chunk in dict.fromkeys(f"{title or ''}\n{text}".split()):
            if chunk in self._tokens:
                continue
            core = chunk.strip(_PUNCTUATION)
            if core in self._tokens:
                continue
            for _, channel, term in _classified(core):
                if term not in self._terms[channel]:
                    found[channel, term] = None
        return list(found)

    def seed(self, known: Iterable[tuple[int, str, int]]) -> None:
        """Takes (channel, term, id) triples as known: ids handed out before, by a stored vocabulary."""
        for channel, term, term_id in known:
            self._terms[channel][term] = term_id
            self._fit(term_id + 1)
            self._channel[term_id] = channel
            self.size = max(self.size, term_id + 1)

    def start_at(self, size: int) -> None:
        """Hands out ids from ``size`` on (ids below it belong to a stored vocabulary)."""
        self.size = max(self.size, size)
        self._fit(self.size)

    def note_channels(self, ids: npt.NDArray[np.integer], channels: npt.NDArray[np.integer]) -> None:
        """Records the channel of stored term ids (of a vector read back from a store)."""
        if len(ids):
            self._fit(int(ids.max()) + 1)
            self._channel[ids] = channels

    def entries(self, since: int = 0) -> list[tuple[int, int, str]]:
        """(id, channel, term) of the terms with ids from ``since`` on, by id."""
        return sorted((i, c, t) for c, table in enumerate(self._terms) for t, i in table.items() if i >= since)

    def _fit(self, n: int) -> None:
        """Room in the channel array for ids below ``n`` (doubling)."""
        if n > len(self._channel):
            grown = max(n, 2 * len(self._channel))
            self._channel = np.concatenate([self._channel, np.zeros(grown - len(self._channel), dtype=np.int64)])

    def _id(self, channel: int, term: str) -> int:
        table = self._terms[channel]
        term_id = table.get(term)
        if term_id is None:
            term_id = table[term] = self.size
            self._fit(term_id + 1)
            self._channel[term_id] = channel
            self.size += 1
        return term_id


def _classified(chunk: str) -> list[tuple[int, int, str]]:
    """(slot in a row, channel, term) for each term a chunk stands for, in the order ids are
    handed out: words, names, numbers."""
    if chunk.isascii() and chunk.isalpha():  # most chunks: one plain word
        plain = []
        lower = chunk.lower()
        if len(chunk) > 1 and lower not in ENGLISH_STOP_WORDS:
            plain.append((0, WORDS, lower))
        if chunk[0].isupper() and not chunk.isupper() and chunk not in _NAME_STOP:
            plain.append((_MAX_WORDS, NAMES, chunk))
        return plain
    tokens = TOKEN.findall(chunk)
    words = [w for t in tokens for w in WORD.findall(t.lower()) if len(w) > 1 and w not in ENGLISH_STOP_WORDS]
    names = [t for t in tokens if _NAME.fullmatch(t) is not None and t not in _NAME_STOP]
    numbers = [n for t in tokens for n in _NUMBER.findall(t)]
    slots = ((0, words, _MAX_WORDS), (_MAX_WORDS, names, _MAX_NAMES), (_WIDTH - _MAX_NUMBERS, numbers, _MAX_NUMBERS))
    return [
        (start + k, channel, term)
        for channel, (start, found, most) in enumerate(slots)
        for k, term in enumerate(found[:most])
    ]
