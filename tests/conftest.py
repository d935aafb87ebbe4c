"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storydesk import pipeline
from storydesk.models import Analysis, Article


@pytest.fixture
def fake_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest without loading spaCy: each article is analysed as having no quotes or actors."""

    def analyze(
        articles: list[Article], processes: int = 1, on_done: object = None, tagger: bool = False
    ) -> Iterator[Analysis]:
        for a in articles:
            yield Analysis(id=a.id, outlet=a.source, title=a.title, published=a.date)

    monkeypatch.setattr(pipeline, "analyze", analyze)
