"""What an attribution reports, and which quoted words are no one's speech.

* The act (:func:`act_of`): ``speech`` (said, told, wrote, announced, "according to", a
  statement said) or ``thought`` (hopes, believes, plans, wants, fears, knew), from the cue's
  lemma (``data/quote_acts.yaml``). The stage keeps both: attribution as PolNeAR scores it
  covers beliefs and intentions; the dossier shows speech as quotes and thoughts apart.
* Titles of works (:func:`names_a_work`): a short title-case span in quotation marks next to a
  work word ('his book "Fire and Ice"', 'the "Night Watch" series', ``data/work_words.txt``)
  names a film, book, show or song; it is not a quote.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from storydesk.models import QuoteAct
from storydesk.resources import lines, yaml_data

MAX_TITLE_WORDS = 8  # a work's title is short; a longer title-case passage is a slogan or speech
OPENING = "\"“‘'«„"
CLOSING = "\"”’'»"
# The words that open a noun phrase naming a work ("the film", "his latest book").
DETERMINERS = frozenset(["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that"])
MAX_LEAD_WORDS = 6  # "the title of his first novel: "X"": the words naming the work before its title
_WORD = re.compile(r"[\w'’-]+")
_CLOSES = re.compile(r"[.,;:!?]?[\"”’'»]")
_OPENS = re.compile(r"(?:^|(?<=[\s,:;(]))[\"“‘«„']")


@functools.cache
def _thought_lemmas() -> frozenset[str]:
    return frozenset(str(w).lower() for w in yaml_data("quote_acts.yaml")["thought"])


def _forms(word: str) -> set[str]:
    """``word`` and the stems its regular endings leave ("hopes", "hoped", "hoping": "hope"):
    the lemmatiser misreads some cues ("hopes" as a form of "hop")."""
    w = word.lower()
    forms = {w}
    for ending, back in (("s", ""), ("es", ""), ("d", ""), ("ed", ""), ("ing", ""), ("ing", "e")):
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            forms.add(w[: -len(ending)] + back)
    return forms


def act_of(cue_words: Iterable[str]) -> QuoteAct:
    """``thought`` when one of the cue's words (lemmas or as written) is one of believing,
    hoping, fearing or intending, else ``speech`` (a cue of saying or writing, or no cue)."""
    thought = _thought_lemmas()
    return "thought" if any(_forms(w) & thought for w in cue_words) else "speech"


@functools.cache
def work_words() -> frozenset[str]:
    return frozenset(lines("work_words.txt"))


@functools.cache
def _minor_words() -> frozenset[str]:
    return frozenset(lines("title_minor_words.txt"))


def _title_case(words: list[str]) -> bool:
    """Title case: every word capitalised (or a number) but the articles and short prepositions
    (``data/title_minor_words.txt``) after the first."""
    if not words or len(words) > MAX_TITLE_WORDS or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w in _minor_words() for w in words[1:])


def _opening(content: str) -> int:
    """Where the first opening quotation mark of ``content`` is (one that opens a word, not an
    apostrophe), or -1."""
    m = _OPENS.search(content)
    return m.start() if m else -1


def _work_word_beside(text: str, start: int, end: int, lead: str) -> bool:
    """A work word ends the words before the title within the quote ("his book, "), else stands
    right before the quote or right after its closing mark."""
    if lead.strip():
        words = _WORD.findall(lead)
        noun_phrase = words[0].lower() in DETERMINERS or len(words) == 1  # not "She wrote the book"
        return noun_phrase and len(words) <= MAX_LEAD_WORDS and words[-1] in work_words()
    prev = _WORD.findall(text[:start].rstrip().rstrip(OPENING).rstrip(" ,:")[-40:])[-1:]
    nxt = _WORD.findall(text[end:].lstrip(CLOSING + ",. ")[:40])[:1]
    return any(w in work_words() for w in prev + nxt)  # as written: a work word is lower case


def names_a_work(text: str, start: int, end: int) -> bool:
    """Whether the quote ``text[start:end]`` is the title of a work in quotation marks: short, in
    title case, with a work word right before it ('his book "X"', 'a film titled "X"', the
    quote's own 'the film, "X"') or right after it ('the "X" series'). Only the word next to
    the title counts: in 'the report said "Yes"' the report speaks."""
    content = text[start:end].strip()
    if text[:start].rstrip().endswith(tuple(OPENING)):
        lead, inner = "", content  # the span lies inside the marks
    elif (i := _opening(content)) >= 0:
        lead, inner = content[:i], content[i + 1 :]
    else:
        return False
    title = inner.rstrip(" .,;:!?" + CLOSING)
    closed = any(c in CLOSING for c in inner[len(title) :]) or _CLOSES.match(text, end) is not None
    if not closed or not _title_case(_WORD.findall(title)):
        return False
    return _work_word_beside(text, start, end, lead)
