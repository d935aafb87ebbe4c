"""Stage ``storydesk_metadata``: outlet, wire dateline and credit lines from the text.

- A dateline opens the article (or its first lines, after a title): ``LISBON (Reuters) -``,
  ``WASHINGTON, Dec 3 (Reuters) -``, ``KYIV, Ukraine (AP) —`` or, without an outlet,
  ``LISBON —``. The city is kept as written; the outlet in brackets is resolved with
  ``data/outlets.yaml``.
- Credit lines (``(Reporting by A; Editing by B)``, ``Contributing: A, B``, ``A contributed to
  this report``) give the names in ``doc._.credits``.
- Without a dateline outlet, phrases such as "told Reuters" or "in an interview with The Hill"
  (``data/publisher_phrases.txt``) name the publisher; the most frequent wins. Both are the
  text's word only: an article's page (its site name, its URL) names its outlet first
  (:func:`storydesk.outlets.article_outlet`).

Dateline prefixes and credit lines go into ``doc._.boilerplate`` so later stages skip them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from storydesk import resources
from storydesk.annotate.doc import ensure_defaults
from storydesk.outlets import article_outlet, outlet_for, outlets, page_outlet, registered_domain, wire_outlets
from storydesk.text import ALIAS

__all__ = [
    "DATELINE_SEARCH",
    "article_outlet",
    "find_credits",
    "find_dateline",
    "find_metadata",
    "find_publisher",
    "outlet_for",
    "page_outlet",
    "registered_domain",
    "text_outlet",
    "wire_outlets",
]

DATELINE_SEARCH = 400  # chars from the start within which a dateline may open a line
Span = tuple[int, int]


@functools.cache
def _outlet_writers_re() -> re.Pattern[str]:
    """ "Associated Press writers " before the names in a "contributed" line."""
    aliases = "|".join(re.escape(a) for a in sorted(outlets().by_alias, key=len, reverse=True))
    return re.compile(rf"^(?:[Tt]he\s+)?(?:{aliases})\s+(?:writers?|reporters?|correspondents?)\s+")


@functools.cache
def _dateline_re() -> re.Pattern[str]:
    caps_city = r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}"
    region = r"(?:,\s*[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,2})?"
    when = r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    with_outlet = (
        rf"(?P<city>{caps_city}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?){region}{when}\s*\((?P<outlet>[^()\n]{{1,40}})\)"
    )
    bare = rf"(?P<bare>{caps_city}){region}{when}"
    return re.compile(rf"^[ \t]*(?:{with_outlet}|{bare})\s*(?:-{{1,2}}|–|—)[ \t]*", re.MULTILINE)


def find_dateline(text: str) -> tuple[str, str | None, Span] | None:
    """(city as written, canonical outlet or None, char range of the prefix) of the dateline."""
    for m in _dateline_re().finditer(text, 0, DATELINE_SEARCH):
        if m.group("city"):
            outlet = outlet_for(m.group("outlet"))
            if outlet is None and not m.group("city").isupper():
                continue  # "Lisbon (Monday) -" is no dateline; a known outlet or caps city is
            return m.group("city"), outlet, (m.start(), m.end())
        city = m.group("bare")
        if len(city) > 2 and any(c.isalpha() for c in city):
            return city, None, (m.start(), m.end())
    return None


@functools.cache
def _role_re() -> re.Pattern[str]:
    roles = "|".join(re.escape(r) for r in sorted(resources.lines("credit_roles.txt"), key=len, reverse=True))
    return re.compile(rf"\b(?:additional\s+)?(?:{roles})\s+by\s+", re.IGNORECASE)


@functools.cache
def _credit_line_res() -> tuple[re.Pattern[str], ...]:
    role = _role_re().pattern
    return (
        # "(Reporting by A; Editing by B)" anywhere, or such a line standing alone
        re.compile(rf"\((?=[^()\n]*?{role})[^()\n]*\)", re.IGNORECASE),
        re.compile(rf"^[ \t]*(?:{role}).*$", re.IGNORECASE | re.MULTILINE),
        re.compile(r"^[ \t]*Contributing(?: reporters?)?:.*$", re.MULTILINE),
        re.compile(
            r"^[ \t]*[-—–]*[^\n]{0,200}\bcontributed (?:reporting|to this (?:report|story|article))\b[^\n]{0,60}$",
            re.MULTILINE,
        ),
    )


_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")
_PLACE_TAIL = re.compile(r"\s+(?:in|from)\s+[A-Z].*$")  # "A in Lisbon"
_NAME = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|de|da|van|von|der|den|al|bin|le|la|di|du)){1,4}$")


def _names(segment: str) -> list[str]:
    """Person names in a credit segment "A, B and C in Lisbon"."""
    out = []
    for part in _SPLIT.split(segment):
        name = _PLACE_TAIL.sub("", part).strip(" .;:()—–-")
        if _NAME.match(name) and outlet_for(name) is None:
            out.append(name)
    return out


def _credit_names(line: str) -> list[str]:
    text = line.strip().strip("()").strip(" —–-")
    markers = list(_role_re().finditer(text))
    if markers:
        ends = [m.start() for m in markers[1:]] + [len(text)]
        return [n for m, end in zip(markers, ends, strict=True) for n in _names(text[m.end() : end])]
    if text.startswith("Contributing"):
        return _names(text.split(":", 1)[1])
    subject = re.split(r"\s+contributed\b", text, maxsplit=1)[0]
    subject = _outlet_writers_re().sub("", subject)
    return _names(subject)


def find_credits(text: str) -> tuple[list[str], list[Span]]:
    """Names from credit lines in order, without duplicates, and the lines' char ranges."""
    found: list[tuple[int, int, list[str]]] = []
    for pattern in _credit_line_res():
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), _credit_names(m.group())))
    found.sort()
    names = list(dict.fromkeys(n for _, _, ns in found for n in ns))
    return names, [(s, e) for s, e, _ in found]


@functools.cache
def _publisher_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Phrases before an outlet ("told") and after one ("has learned"), each as one regex."""
    before: list[str] = []
    after: list[str] = []
    for phrase in resources.lines("publisher_phrases.txt"):
        head, _, tail = phrase.partition("{outlet}")
        words = r"\s+".join(re.escape(w) for w in (head or tail).split())
        (before if head.strip() else after).append(words)
    return (
        re.compile(rf"\b(?:{'|'.join(before)})\s+", re.IGNORECASE),
        re.compile(rf"\s+(?:{'|'.join(after)})\b", re.IGNORECASE),
    )


MAX_ALIAS_WORDS = 6


def _alias(words: list[str]) -> str | None:
    """The outlet named by ``words`` exactly (an alias as written, "the" optional)."""
    phrase = " ".join(words).rstrip(".,;:")
    if phrase.lower().startswith("the ") and phrase not in outlets().by_alias:
        phrase = phrase[4:]
    return outlets().by_alias.get(phrase)


def find_publisher(text: str) -> str | None:
    """The outlet that phrases like "told Reuters" name most often (the first on ties)."""
    before, after = _publisher_res()
    hits: list[tuple[int, str]] = []
    for m in before.finditer(text):
        words = ALIAS.findall(text, m.end(), m.end() + 80)[:MAX_ALIAS_WORDS]
        found = next((name for n in range(len(words), 0, -1) if (name := _alias(words[:n]))), None)
        if found:
            hits.append((m.start(), found))
    for m in after.finditer(text):
        words = ALIAS.findall(text, max(0, m.start() - 80), m.start())[-MAX_ALIAS_WORDS:]
        found = next((name for n in range(len(words)) if (name := _alias(words[n:]))), None)
        if found:
            hits.append((m.start(), found))
    if not hits:
        return None
    return Counter(name for _, name in sorted(hits)).most_common(1)[0][0]


def text_outlet(text: str) -> str | None:
    """The outlet the text names: its dateline's, else the one publisher phrases name."""
    dateline = find_dateline(text)
    return (dateline[1] if dateline else None) or find_publisher(text)


@Language.component(
    "storydesk_metadata",
    assigns=["doc._.outlet", "doc._.dateline", "doc._.credits", "doc._.boilerplate"],
)
def find_metadata(doc: Doc) -> Doc:
    ensure_defaults(doc)
    text = doc.text
    boilerplate: list[Span] = []
    outlet = None
    if dateline := find_dateline(text):
        doc._.dateline, outlet, prefix = dateline
        boilerplate.append(prefix)
    doc._.credits, lines = find_credits(text)
    boilerplate += lines
    doc._.outlet = outlet or find_publisher(text)
    doc._.boilerplate = sorted(boilerplate)
    return doc
