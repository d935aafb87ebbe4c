"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storydesk import nlp
from storydesk import pipeline as orchestrator
from storydesk.models import Analysis, Article


@pytest.fixture
def fake_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest without loading spaCy: each article is analysed as having no quotes or actors."""

    def analyze(
        articles: list[Article], processes: int = 1, on_done: object = None, tagger: bool = False
    ) -> Iterator[Analysis]:
        for a in articles:
            yield Analysis(id=a.id, outlet=a.source, title=a.title, published=a.date)

    monkeypatch.setattr(orchestrator, "analyze", analyze)


@pytest.fixture(scope="session")
def pipeline() -> Language:
    """The full storydesk pipeline (loaded once per test session)."""
    return nlp.load()


def run_stages(language: Language, text: str, boilerplate: list[tuple[int, int]] | None = None) -> Doc:
    """Runs the pipeline, setting ``doc._.boilerplate`` as the metadata stage would."""
    doc = language.make_doc(text)
    for name, proc in language.pipeline:
        doc = proc(doc)
        if name == "storydesk_metadata" and boilerplate is not None:
            doc._.boilerplate = boilerplate
    return doc
