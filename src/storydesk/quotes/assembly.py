"""Attributions from the tagger's spans: each content span with its cue and its source.

The tagger (:mod:`storydesk.quotes.tagger`) marks content, cue and source spans independently;
this module links them by position, on characters only:

* a content's cue is the nearest cue outside it, before or after, in the same paragraph; a
  sentence end between them counts as a long way (the cue of the previous sentence rarely
  reports this one): a full stop that closes the content counts ("... democracy." He said),
  and one of a title ("Sens. A and B") does not. A cue inside the content is taken only when
  no outside cue is near: it is the cue of a quote split around it (``"A," he said, "B."``),
  whose content runs from the first fragment to the last;
* the source is the nearest source span to the cue, outside the content and in the same
  paragraph (the cue's subject is next to it: "X said", "said X", "according to X").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storydesk.text import closes_sentence, sentence_ends

Span = tuple[int, int]

MAX_GAP = 160  # chars between a content and its cue, or a cue and its source
_LINE = re.compile(r"[^\n]+")
SENTENCE_COST = 120  # an extra cost for each sentence end between them
INSIDE_COST = 40  # a cue inside the content loses to an outside cue nearer than this


@dataclass(frozen=True)
class Linked:
    content: Span
    cue: Span | None
    source: Span | None


@dataclass
class _Window:
    """Spans looked up by position: those that may lie within ``MAX_GAP`` chars of a span, in
    their given order (so ties still go to the first). Every other span costs more than
    ``MAX_GAP`` (a gap costs at least its length), so the choice is the same as over all of
    them, and linking stays linear in the text rather than contents x cues."""

    spans: list[Span]
    _order: list[int] = field(init=False)
    _starts: list[int] = field(init=False)
    _longest: int = field(init=False)

    def __post_init__(self) -> None:
        self._order = sorted(range(len(self.spans)), key=lambda i: self.spans[i][0])
        self._starts = [self.spans[i][0] for i in self._order]
        self._longest = max((e - s for s, e in self.spans), default=0)

    def near(self, around: Span) -> list[Span]:
        lo = bisect.bisect_left(self._starts, around[0] - MAX_GAP - self._longest)
        hi = bisect.bisect_right(self._starts, around[1] + MAX_GAP)
        found = sorted(i for i in self._order[lo:hi] if self.spans[i][1] >= around[0] - MAX_GAP)
        return [self.spans[i] for i in found]


def _gap(text: str, a: Span, b: Span) -> int | None:
    """Cost of the text between two spans, or None when a paragraph break lies between."""
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    if hi <= lo:
        return 0
    between = text[lo:hi]
    if "\n" in between:
        return None
    ends = sentence_ends(text, lo, hi) + closes_sentence(text, lo)
    return (hi - lo) + SENTENCE_COST * ends


def paragraph_pieces(text: str, span: Span) -> list[Span]:
    """A span cut at its line breaks: the tagger's content may run on over a paragraph's end
    into the next one, whose words have cues of their own."""
    start, end = span
    pieces = []
    for line in _LINE.finditer(text, start, end):
        pieces.append((line.start(), line.end()))
    return pieces


def _inside(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _cheapest(costed: Iterable[tuple[int | None, Span]]) -> Span | None:
    """The span of least cost within ``MAX_GAP`` (the first one on ties), or None."""
    best: tuple[int, Span] | None = None
    for cost, span in costed:
        if cost is not None and cost <= MAX_GAP and (best is None or cost < best[0]):
            best = (cost, span)
    return None if best is None else best[1]


def _cue_cost(text: str, content: Span, cue: Span) -> int | None:
    if _inside(cue, content):
        return INSIDE_COST
    return 0 if _overlaps(cue, content) else _gap(text, content, cue)


def nearest_cue(text: str, content: Span, cues: list[Span]) -> Span | None:
    """The cue nearest the content: outside it before inside it (see the module's docstring)."""
    return _cheapest((_cue_cost(text, content, cue), cue) for cue in cues)


def nearest_source(text: str, content: Span, anchor: Span, sources: list[Span]) -> Span | None:
    """The source nearest ``anchor`` (the cue, or the content when it has none), not inside the
    content unless the anchor is (a cue inside a split quote has its source beside it)."""
    anchor_inside = _inside(anchor, content) and anchor != content
    allowed = (src for src in sources if anchor_inside or not _overlaps(src, content))
    return _cheapest((_gap(text, anchor, src), src) for src in allowed)


class Linker:
    """Links contents to the cues and sources of one text; the lookup tables are built once,
    so contents found later (the parts :func:`link` splits off) cost no rebuild."""

    def __init__(self, text: str, cues: list[Span], sources: list[Span]) -> None:
        self.text = text
        self._cues, self._sources = _Window(cues), _Window(sources)

    def __call__(self, contents: Iterable[Span]) -> list[Linked]:
        out = []
        for content in contents:
            cue = nearest_cue(self.text, content, self._cues.near(content))
            anchor = cue or content
            source = nearest_source(self.text, content, anchor, self._sources.near(anchor))
            out.append(Linked(content, cue, source))
        return out


def link(text: str, contents: list[Span], cues: list[Span], sources: list[Span]) -> list[Linked]:
    """Each content with its cue and source (either may be None)."""
    return Linker(text, cues, sources)(contents)
