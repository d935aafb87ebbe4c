"""Long articles analysed in pieces: cut at boundaries, spans counted from the whole text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storydesk import chunks, embeddings, pipeline
from storydesk.crosscheck import clauses
from storydesk.models import Article

PARAGRAPH = (
    "The council voted on Tuesday to close the old harbour bridge for repairs. "
    '"We cannot wait any longer," Mayor Ann Lee said. The work will cost $4 million, officials said.\n\n'
)


@given(st.text(min_size=0, max_size=400), st.integers(min_value=5, max_value=60))
def test_pieces_cover_the_text_within_the_limit(text: str, limit: int) -> None:
    parts = chunks.pieces(text, limit)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= limit for _, p in parts)
    assert [o for o, _ in parts] == [sum(len(p) for _, p in parts[:i]) for i in range(len(parts))]


def test_pieces_end_at_paragraphs_first() -> None:
    text = PARAGRAPH * 6
    parts = chunks.pieces(text, len(PARAGRAPH) * 2 + 10)
    assert len(parts) == 3 and all(p.endswith("\n\n") for _, p in parts)


@pytest.mark.slow
def test_an_article_over_the_limit_is_analysed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    text = PARAGRAPH * 8
    whole = next(pipeline.analyze([Article(id="a", text=text)], tagger=False))
    monkeypatch.setattr(chunks, "CHUNK_CHARS", len(PARAGRAPH) * 3)
    cut = next(pipeline.analyze([Article(id="a", text=text)], tagger=False))
    assert len(chunks.pieces(text)) == 3
    assert [q.text for q in cut.quotes] == [q.text for q in whole.quotes]
    assert all(text[q.span[0] : q.span[1]] == q.text for q in cut.quotes)
    assert all(q.speaker and q.speaker.name == "Ann Lee" for q in cut.quotes if q.kind == "direct")
    assert all(text[m.span[0] : m.span[1]] == m.text for m in cut.amounts) and len(cut.amounts) == 8
    assert all(text[e.span[0] : e.span[1]] == e.text for e in cut.entities)
    assert len([a for a in cut.actors if a.name == "Ann Lee"]) == 1
    assert cut.parse is not None
    # The vectors of a long article are those of the joined record's statements.
    assert cut.vectors is not None
    rows = embeddings.from_bytes(cut.vectors)
    assert len(rows) == len(clauses.units(Article(id="a", text=text), cut)) > 8
