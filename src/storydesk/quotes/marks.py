"""Pairs quotation marks in raw text: curly and straight, mixed within one quote.

Apostrophes (``Ukraine’s``, ``don't``, ``ministers'``) are told apart from single quotation
marks by their neighbours; two apostrophes (``''``) and two backticks are one double mark, as
archives of typeset papers and treebank-style text write them. A quote that runs over several
paragraphs (each paragraph re-opened, only the last one closed, as news style has it) comes back
as one span.
One linear scan per text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
OPEN_CONTEXT = " \t\n([{—–-/"  # what may stand just before an opening mark
MARK = re.compile("''|``|[\"'“”„«»‘’‹›]")
MAX_SINGLE = 300  # single-quoted passages longer than this are apostrophes gone astray

Side = Literal["open", "close"]


@dataclass(frozen=True)
class QuoteSpan:
    """Characters ``[start, end)`` from the opening mark to just after the closing mark."""

    start: int
    end: int
    opening: int = 1  # chars of the opening mark (two for ``''``)
    closing: int = 1

    @property
    def inner(self) -> tuple[int, int]:
        """The quoted words, without the marks."""
        return self.start + self.opening, self.end - self.closing


def _side(text: str, i: int, mark: str) -> Side | None:
    """Whether ``mark``, at ``i``, opens or closes a quote (None: an apostrophe or unclear)."""
    if mark == "``":
        return "open"
    ch = '"' if mark == "''" else mark
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + len(mark)] if i + len(mark) < len(text) else "\n"
    opens_here = prev in OPEN_CONTEXT or prev in DOUBLE_OPEN + SINGLE_OPEN + '"'
    if ch in DOUBLE_OPEN + SINGLE_OPEN:
        return "close" if ch in "“" and not opens_here and (nxt.isspace() or nxt in ".,;:!?") else "open"
    if ch == "”" and opens_here and not nxt.isspace():
        return "open"  # a closing mark typed where an opening one belongs
    if ch in DOUBLE_CLOSE:
        return "close"
    if ch in SINGLE_CLOSE + "'" and prev.isalnum() and nxt.isalnum():
        return None  # Ukraine’s, don't
    if ch == '"' or ch in SINGLE_CLOSE + "'":
        if opens_here and not nxt.isspace():
            return "open"
        if not prev.isspace():
            return "close"
    return None


def _is_possessive(text: str, i: int) -> bool:
    """``ministers' meeting``: an s, the mark, a space and a lower-case word."""
    return text[i - 1 : i] == "s" and text[i + 1 : i + 2] == " " and text[i + 2 : i + 3].islower()


def _pair(text: str, marks: list[tuple[int, Side, int]], single: bool) -> list[QuoteSpan]:
    """Quotes from (position, side, width) marks."""
    spans: list[QuoteSpan] = []
    start, opening = -1, 1
    for i, side, width in marks:
        if side == "open":
            # news style: an unclosed paragraph whose next paragraph re-opens continues the quote
            continues = start >= 0 and not single and "\n" in text[start:i] and text[i - 1] == "\n"
            if not continues:
                start, opening = i, width
        elif start >= 0:
            if single and (i - start > MAX_SINGLE or "\n" in text[start:i]):
                start = -1
                continue
            if i - start > opening:
                spans.append(QuoteSpan(start, i + width, opening, width))
            start = -1
    return spans


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quoted passage of ``text``, in order; single quotes nested in double ones are left out."""
    doubles: list[tuple[int, Side, int]] = []
    singles: list[tuple[int, Side, int]] = []
    for match in MARK.finditer(text):
        i, mark = match.start(), match.group()
        side = _side(text, i, mark)
        if side is None:
            continue
        if len(mark) == 2 or mark in '"“”„«»':
            doubles.append((i, side, len(mark)))
        elif not (side == "close" and _is_possessive(text, i)):
            singles.append((i, side, 1))
    outer = _pair(text, doubles, single=False)
    inner = [q for q in _pair(text, singles, single=True) if not any(o.start < q.start < o.end for o in outer)]
    return sorted(outer + inner, key=lambda q: q.start)
