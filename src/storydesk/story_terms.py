"""Terms of an article for story clustering, in three channels, as ids of a growing vocabulary.

Channels: lower-cased words of two or more characters (English stop words left out),
capitalised words (names and places; sentence-initial stop words such as "The" left out) and
numbers. A text is split into tokens once (runs of word characters, joined by inner hyphens,
dots and commas: "Jean-Pierre", "1,200", "U.S"; an apostrophe splits, so "Smith's" counts as
"Smith") and counted; each distinct token is classified once for the whole stream and
remembered as the term ids it stands for in each channel ("Jean-Pierre" is the name
"Jean-Pierre" and the words "jean" and "pierre"; "17-year-old" is the number "17" and the
words "17", "year" and "old"). So the work in Python grows with the vocabulary, not with the
text; the per-article work is a regular expression, a count and array lookups.

Ids are handed out in order of first sight: the same articles in the same order get the same
ids, there are no hash collisions, and arrays indexed by term stay as small as the vocabulary.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

CHANNELS = 3  # words, names, numbers

_TOKEN = re.compile(r"\w+(?:[.,-]\w+)*")
_WORD = re.compile(r"\w\w+")
_NAME = re.compile(r"[A-Z][\w.-]*[a-z][\w.-]*")
_NUMBER = re.compile(r"\b\d[\d.,]*\d\b|\b\d\b")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_NAME_STOP = frozenset(w.capitalize() for w in ENGLISH_STOP_WORDS)
_MAX_WORDS = 4  # words a token stands for at most ("a-b-c-d-e" counts as its first four)
_MAX_NUMBERS = 2  # numbers likewise ("17-year-old" stands for 17)


class Terms:
    """One article's terms: ids, counts, and how many of them fall in each channel (in
    channel order: the first ``lengths[0]`` ids are words, and so on)."""

    __slots__ = ("counts", "ids", "lengths")

    def __init__(self, ids: npt.NDArray[np.int64], counts: npt.NDArray[np.float64], lengths: list[int]) -> None:
        self.ids = ids
        self.counts = counts
        self.lengths = lengths


class Vocabulary:
    """Token -> its term ids in each channel, growing as articles arrive."""

    def __init__(self) -> None:
        self._terms: list[dict[str, int]] = [{}, {}, {}]  # term -> id, per channel
        self._tokens: dict[str, int] = {}  # token -> row of the tables below
        # Row r: the token's word ids (-1: none), its name id and its number id.
        self._words: list[array[int]] = [array("q") for _ in range(_MAX_WORDS)]
        self._names = array("q")
        self._numbers: list[array[int]] = [array("q") for _ in range(_MAX_NUMBERS)]
        self.size = 0  # term ids handed out

    def terms(self, text: str, title: str | None = None, title_weight: float = 1.0) -> Terms:
        """The terms of ``title`` and ``text``, the title's counted ``title_weight`` times."""
        if title_weight == 1.0:  # one pass over both
            counter: Mapping[str, float] = Counter(_TOKEN.findall(f"{title or ''}\n{text}"))
        else:
            merged: dict[str, float] = dict(Counter(_TOKEN.findall(text)))
            for token, n in Counter(_TOKEN.findall(title or "") if title_weight else ()).items():
                merged[token] = merged.get(token, 0) + title_weight * n
            counter = merged
        rows = list(map(self._tokens.get, counter))  # a lookup in C for tokens seen before
        if None in rows:
            rows = [self._row(token) if row is None else row for token, row in zip(counter, rows, strict=True)]
        at = np.array(rows, dtype=np.int64)
        counts = np.fromiter(counter.values(), dtype=np.float64, count=len(at))
        parts = [
            _summed(_gather(self._words, at), np.tile(counts, _MAX_WORDS)),
            _summed(np.frombuffer(self._names, dtype=np.int64)[at], counts),
            _summed(_gather(self._numbers, at), np.tile(counts, _MAX_NUMBERS)),
        ]
        return Terms(
            np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), [len(p[0]) for p in parts]
        )

    def _row(self, token: str) -> int:
        """Classifies a token seen for the first time."""
        row = self._tokens[token] = len(self._names)
        words = [w for w in _WORD.findall(token.lower()) if w not in ENGLISH_STOP_WORDS]
        for k, column in enumerate(self._words):
            column.append(self._id(0, words[k]) if k < len(words) else -1)
        name = _NAME.fullmatch(token) is not None and token not in _NAME_STOP
        self._names.append(self._id(1, token) if name else -1)
        numbers = _NUMBER.findall(token)
        for k, column in enumerate(self._numbers):
            column.append(self._id(2, numbers[k]) if k < len(numbers) else -1)
        return row

    def _id(self, channel: int, term: str) -> int:
        table = self._terms[channel]
        term_id = table.get(term)
        if term_id is None:
            term_id = table[term] = self.size
            self.size += 1
        return term_id


def _gather(columns: list[array[int]], rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.concatenate([np.frombuffer(column, dtype=np.int64)[rows] for column in columns])


def _summed(ids: IntArray, counts: FloatArray) -> tuple[IntArray, FloatArray]:
    """Counts summed by id, ids of -1 (none) left out: "Police" and "police" are one word."""
    keep = ids >= 0
    unique, inverse = np.unique(ids[keep], return_inverse=True)
    summed: FloatArray = np.bincount(inverse, weights=counts[keep], minlength=len(unique)).astype(np.float64)
    return unique, summed
