"""Long articles analysed in pieces: cut at paragraph (else sentence, else word) boundaries
below spaCy's length limit, analysed one piece at a time, and their records joined again with
every span counted from the start of the whole text.

A piece's actors are its own: a surname in one piece is not resolved to a full name in
another. That matters only past :data:`CHUNK_CHARS` characters, far beyond a news article.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

from storydesk.models import ActorRef, Analysis

# The longest text analysed whole. spaCy refuses texts over 1,000,000 characters (its parser
# needs memory in proportion); the longest benchmark article has 100,000, a long news article
# about 30,000, so no real article is cut.
CHUNK_CHARS = 200_000
_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))

M = TypeVar("M", bound=BaseModel)


def pieces(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """``text`` as (offset, piece) pairs of at most ``limit`` (:data:`CHUNK_CHARS`) characters
    whose concatenation is ``text``; one piece when it fits."""
    limit = limit or CHUNK_CHARS
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        out.append((start, text[start:end]))
        start = end
    out.append((start, text[start:]))
    return out


def prefix_end(text: str, limit: int) -> int:
    """Where the first at most ``limit`` characters of ``text`` end, at a boundary as a piece's
    end is chosen (:func:`pieces`); ``len(text)`` when it fits."""
    return len(text) if len(text) <= limit else _cut(text, 0, limit)


def _cut(text: str, start: int, most: int) -> int:
    """Where a piece from ``start`` ends: after the last boundary of the strongest kind found
    in its second half, else at ``most``."""
    for boundary in _BOUNDARIES:
        ends = [m.end() for m in boundary.finditer(text, (start + most) // 2, most)]
        if ends:
            return ends[-1]
    return most


def shifted(record: M, offset: int) -> M:
    """``record`` with every ``span`` in it, at any depth, moved by ``offset`` characters."""
    if not offset:
        return record
    update: dict[str, Any] = {}
    for name, value in record:
        moved = _shift(value, offset, name == "span")
        if moved is not value:
            update[name] = moved
    return record.model_copy(update=update)


def _shift(value: Any, offset: int, is_span: bool) -> Any:
    if is_span and isinstance(value, tuple):
        return (value[0] + offset, value[1] + offset)
    if isinstance(value, BaseModel):
        return shifted(value, offset)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return [shifted(v, offset) for v in value]
    return value


def joined(parts: list[tuple[int, Analysis]], parse: bytes | None) -> Analysis:
    """One article's record from its pieces' records (offset, analysis), in text order."""
    first = parts[0][1]
    moved = [(offset, shifted(an, offset)) for offset, an in parts]
    actors: dict[tuple[str, str], ActorRef] = {}
    for _, an in moved:
        for ref in an.actors:
            known = actors.setdefault((ref.name, ref.kind), ref)
            if known is not ref:
                aliases = sorted(set(known.aliases) | set(ref.aliases))
                actors[(ref.name, ref.kind)] = known.model_copy(
                    update={"aliases": aliases, "anonymous": known.anonymous and ref.anonymous}
                )
    return first.model_copy(
        update={
            "outlet": next((an.outlet for _, an in moved if an.outlet), None),
            "credits": list(dict.fromkeys(c for _, an in moved for c in an.credits)),
            "entities": [e for _, an in moved for e in an.entities],
            "quotes": [q for _, an in moved for q in an.quotes],
            "amounts": [m for _, an in moved for m in an.amounts],
            "actors": list(actors.values()),
            "boilerplate": [(s + offset, e + offset) for offset, an in parts for s, e in an.boilerplate or []],
            "parse": parse,
        }
    )
