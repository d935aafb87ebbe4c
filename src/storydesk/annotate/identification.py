"""Delayed identification: a lede's unnamed source who is named a paragraph or two later.

News writing often opens with "A senior aide to the president said ..." and names the aide in
the next paragraphs: "Jane Roe, special assistant to the president, said ...". That is one
person, not an anonymous source. The descriptor is linked to the name only when all hold:
- the descriptor is indefinite ("a"/"an") and in the article's first paragraph;
- the person is first named within the next ``PARAGRAPHS_AHEAD`` paragraphs;
- the descriptor and the words around the name's first mention share a proper noun (the
  organisation or person both attach to: "aide to Prime Minister Smith" / "adviser to Smith").
A source whose paper keeps them unnamed is never described this way, so it stays anonymous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from storydesk.annotate.actors import Actor

PARAGRAPHS_AHEAD = 2
INDEFINITE = frozenset({"a", "an"})
CONTEXT_TOKENS = 25  # words after a name's first mention that may describe the person


def _paragraph_ends(doc: Doc) -> list[int]:
    ends = [i for i, ch in enumerate(doc.text) if ch == "\n"]
    return [*ends, len(doc.text)]


def _paragraph_of(ends: list[int], at: int) -> int:
    return next(k for k, end in enumerate(ends) if at <= end)


def _proper_nouns(span: Span) -> set[str]:
    return {t.lower_ for t in span if t.pos_ == "PROPN"}


def _described_by(doc: Doc, start: int, end: int) -> set[str]:
    """Proper nouns in the apposition or clause right after a name (not the name's own)."""
    name = doc.char_span(start, end, alignment_mode="expand")
    if name is None:
        return set()
    return _proper_nouns(doc[name.end : min(len(doc), name.end + CONTEXT_TOKENS)])


def identify(doc: Doc, actors: list[Actor]) -> list[Actor]:
    """The actors with each lede descriptor folded into the person it describes, if named soon."""
    ends = _paragraph_ends(doc)
    named = sorted(
        (a for a in actors if a.kind == "person" and not a.anonymous and a.mentions),
        key=lambda a: min(a.mentions)[0],
    )
    folded: set[int] = set()
    for source in actors:
        if not (source.anonymous and source.kind == "person" and source.mentions):
            continue
        start, end = min(source.mentions)
        words = doc.char_span(start, end, alignment_mode="expand")
        if words is None or words[0].lower_ not in INDEFINITE or _paragraph_of(ends, start) != 0:
            continue
        anchors = _proper_nouns(words)
        for person in named:
            first_start, first_end = min(person.mentions)
            paragraph = _paragraph_of(ends, first_start)
            if first_start <= end or paragraph > PARAGRAPHS_AHEAD:
                continue
            if anchors & _described_by(doc, first_start, first_end):
                person.mentions.extend(source.mentions)
                folded.add(id(source))
                break
    return [a for a in actors if id(a) not in folded]
