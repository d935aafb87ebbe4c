"""The text toolkit the stages read words and sentences with: over the text as read, so a span is
an exact character offset into it.

A word is a run of letters, digits or underscores (:data:`WORD`) unless a stage compares
something that a plain run would cut or join wrongly; each such variant is named here, with the
stage that needs it and why, so that no stage writes a word pattern of its own (a stage calls
the pattern's ``findall``/``finditer``):

=================  ============================  ==============================================
pattern            a word is                     used by, and why not :data:`WORD`
=================  ============================  ==============================================
:data:`WORD`       a run of ``\\w``               wire-copy shingles, search queries
:data:`TOKEN`      "U.S", "3,000", "cease-fire"  story terms: a name or number stays one token
:data:`LATIN`      "don't", "cease-fire", "3.5"  statements' stems and word counts: English
                                                 words keep apostrophes and hyphens
:data:`CONTRACTED` "don't", in lower case        claims' lexicon rates: a contraction is one word
:data:`LETTERS`    a run of ASCII letters        claims: the words a claim's names are sought in
:data:`ALIAS`      "AT&T", "U.S.", "Reuters'"    metadata: outlet aliases as written
=================  ============================  ==============================================

The variants differ on real text (digits, accents, apostrophes), and the trained models and
clustering thresholds were fitted on their output: merging two would change every figure.

Names are compared through :func:`fold`, which keeps a key for a name in any script.

Sentences are found by a small rule splitter (:func:`sentence_spans`), so no second spaCy pass is
needed after analysis.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

from storydesk import resources
from storydesk.models import Span

WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\w+(?:[.,-]\w+)*")
LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
CONTRACTED = re.compile(r"[a-z]+(?:'[a-z]+)?")  # of lower-cased text
LETTERS = re.compile(r"[A-Za-z]+")
ALIAS = re.compile(r"[\w&'’./-]+")

_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}$")  # "U.S." / "a.m.": the stop belongs to the word
_LINE = re.compile(r"[^\n]+")
_NEXT_SENTENCE = re.compile(r"[ \t]+[\"“‘'(\[]?[A-Z]")


@functools.cache
def _abbreviations() -> frozenset[str]:
    return frozenset(resources.lines("sentence_abbreviations.txt"))


def _ends_sentence(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends a sentence (not "Mr." or "U.S." or an initial)."""
    if text[stop] != ".":
        return True
    start = stop  # the word ending at the stop, found backwards: a search from the text's
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._"):  # start is quadratic
        start -= 1
    token = text[start : stop + 1]
    bare = token.rstrip(".")
    if _ACRONYM.match(token) or (len(bare) == 1 and bare.isupper()):
        return False
    return bare.lower() not in _abbreviations()


def sentence_ends(text: str, start: int, end: int) -> int:
    """How many sentences end within ``text[start:end]``: full stops, question and exclamation
    marks before a capital, not those of "Mr." or "Sens." or an initial (the words after
    ``end`` are read to see what follows a stop at its end)."""
    window = text[start : end + 4]
    return sum(
        1 for m in _BOUNDARY.finditer(window) if m.start() < end - start and _ends_sentence(text, start + m.start())
    )


def closes_sentence(text: str, end: int) -> bool:
    """Whether the words ending at ``end`` close their sentence with a full stop (maybe inside
    closing quotation marks) and the next starts after it: "... our democracy.” He said"."""
    i = end
    while i > 0 and text[i - 1] in "\"”’')":
        i -= 1
    return i > 0 and text[i - 1] == "." and _ends_sentence(text, i - 1) and bool(_NEXT_SENTENCE.match(text, end))


def sentence_spans(text: str) -> list[Span]:
    """The sentences of ``text`` as ``(start, end)`` spans; a line break always ends one."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for m in _BOUNDARY.finditer(line.group(0)):
            if _ends_sentence(line.group(0), m.start()):
                spans.append((start, line.start() + m.end()))
                start = line.start() + m.end()
        spans.append((start, line.end()))
    return [t for s, e in spans if (t := _strip(text, s, e))[1] > t[0]]


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ascii_word(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def fold(text: str) -> str:
    """``text`` lower-cased and without accents, for comparing names ("Zoë" and "Zoe" agree).

    Each word is folded to its ASCII letters; a word of another script, which has none
    ("Путин", "김정은", "習近平"), is kept, case-folded, so that any name keeps a usable key
    instead of folding to nothing. Spacing is kept as written."""
    return re.sub(r"\S+", lambda m: _fold_word(m.group()), text)


def _fold_word(word: str) -> str:
    folded = _ascii_word(word)
    if not any(c.isalnum() for c in folded) and any(c.isalnum() for c in word):
        return word.casefold()
    return folded.lower()


def _transliterated(word: str) -> str:
    # letters and digits only: a symbol's transliteration is a word of its own (an emoji's name)
    return "".join(anyascii(c) if c.isalnum() else c for c in word)


def plain_words(text: str) -> list[str]:
    """The words of ``text`` in lower-case ASCII with punctuation and possessive "'s" dropped:
    letters and digits only ("O'Brien's" is "o brien"). A word of another script is
    transliterated ("Путин" is "putin", "習近平" "xijinping"), so that a name in any script has a
    key that the same name in Latin letters may share; a word of which no letter can be read
    that way is kept whole, case-folded."""
    words: list[str] = []
    for word in text.split():
        ascii_form = re.sub(r"[^a-z0-9 ]", " ", _transliterated(word).lower().replace("'s", ""))
        if ascii_form.strip():
            words += ascii_form.split()
        elif any(c.isalnum() for c in word):
            words.append("".join(c for c in word.casefold() if c.isalnum()))
    return words
