"""The orchestrator: records in input order, the same in worker processes as in one."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from storydesk import embeddings, pipeline
from storydesk.crosscheck import clauses
from storydesk.errors import AnalysisError
from storydesk.models import Analysis, Article
from storydesk.settings import Settings
from tests.stories.test_syndication import metadata_stage

TEXTS = [
    "The mayor of Leeds, Hannah Cole, said on Monday that the bridge would reopen in May.",
    '"We are not giving up," coach Luis Moreno told reporters after the defeat.',
    "Officials said 40 homes were damaged by the storm, which caused $3 million in losses.",
]


def test_worker_count_defaults_to_one_for_small_batches() -> None:
    assert pipeline.worker_count(10) == 1
    assert pipeline.worker_count(10, requested=3) == 3
    assert 1 <= pipeline.worker_count(10_000) <= 4


@pytest.mark.slow
def test_worker_processes_give_the_same_records_in_order() -> None:
    articles = [Article(id=f"t{i}", text=t) for i, t in enumerate(TEXTS)]
    one = list(pipeline.analyze(articles))
    two = list(pipeline.analyze(articles, processes=2))
    assert [a.id for a in two] == ["t0", "t1", "t2"]
    assert one == two  # the kept parses too: they travel from the workers
    assert one[2].amounts and one[2].amounts[-1].unit == "USD"
    assert all(a.parse for a in two)
    assert "parse" not in one[0].contract() and "parse" not in one[0].model_dump(mode="json")
    assert all(a.vectors for a in two)  # the statements' vectors travel from the workers too
    assert "vectors" not in one[0].contract() and "vectors" not in one[0].model_dump(mode="json")


@pytest.mark.slow
def test_analysis_keeps_one_vector_per_statement() -> None:
    articles = [Article(id=f"t{i}", text=t) for i, t in enumerate(TEXTS)]
    analyses = list(pipeline.analyze(articles))
    for article, analysis in zip(articles, analyses, strict=True):
        statements = clauses.units(article, analysis)  # the sentences, or their clauses
        assert analysis.vectors is not None and statements
        rows = embeddings.from_bytes(analysis.vectors)
        assert rows.shape == (len(statements), embeddings.DIMENSIONS)
        alone = embeddings.encode([st.compared for st in statements])
        assert np.allclose(rows, alone, atol=1e-5)  # as encoded one article at a time
    assert all(a.vectors is None for a in pipeline.analyze(articles, vectors=False))


@pytest.mark.slow
def test_quotes_setting_picks_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "Readers wrote in about the stadium plan.\n"
        "“We deserve better schools before we get a new stadium.” ― Maria Lopez"
    )
    articles = [Article(id="t", text=text)]
    tagged = next(iter(pipeline.analyze(articles))).quotes
    monkeypatch.setenv("STORYDESK_QUOTES", "rules")
    ruled = next(iter(pipeline.analyze(articles))).quotes
    assert any(q.speaker and q.speaker.name == "Maria Lopez" for q in tagged)  # the tagger mode's dash rule
    assert not any(q.speaker and q.speaker.name == "Maria Lopez" for q in ruled)


def test_tagger_threads_share_the_cores_among_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline.os, "sched_getaffinity", lambda _pid: set(range(8)))
    assert pipeline.tagger_threads(1) == pipeline.MAX_TAGGER_THREADS == 4
    assert pipeline.tagger_threads(4) == 2
    assert pipeline.tagger_threads(16) == 1


def test_analysis_keeps_the_dateline_and_credit_ranges() -> None:
    text = "OSLO (Reuters) - Ministers met on Monday.\n(Reporting by Ann Lee; Editing by Bo Park)"
    analysis = pipeline.to_analysis(Article(id="a", text=text), metadata_stage()(text))
    assert analysis.boilerplate == [(0, len("OSLO (Reuters) - ")), (text.index("(Rep"), len(text))]


def slow_or_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes the record of article "slow" take 30 s and that of "broken" fail."""
    real = pipeline.to_analysis

    def to_analysis(article: Article, *args: object, **kwargs: object) -> object:
        if article.id == "slow":
            time.sleep(30)
        if article.id == "broken":
            raise ValueError("a stage's defect")
        return real(article, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "to_analysis", to_analysis)
    # Only "slow" gets a 1 s budget: on a loaded machine the others may take more than that.
    real_one = pipeline._analyze_one

    def analyze_one(nlp: Any, article: Article, settings: Settings, limit: int) -> object:
        if article.id == "slow":
            settings = settings.model_copy(update={"analysis_timeout": 1.0})
        return real_one(nlp, article, settings, limit)

    monkeypatch.setattr(pipeline, "_analyze_one", analyze_one)


def test_an_article_past_its_budget_or_failing_is_named_and_the_batch_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    slow_or_broken(monkeypatch)
    articles = [Article(id=i, text=TEXTS[0]) for i in ("slow", "ok", "broken")]
    started = time.monotonic()
    results = list(pipeline.analyze_each(articles, tagger=False))
    assert time.monotonic() - started < 20
    slow, ok, broken = results
    assert isinstance(slow, AnalysisError) and str(slow) == "slow: analysis timed out after 1 s"
    assert isinstance(ok, Analysis) and ok.id == "ok" and ok.vectors
    assert isinstance(broken, AnalysisError) and str(broken) == "broken: analysis failed: ValueError: a stage's defect"
    with pytest.raises(AnalysisError, match="slow"):
        list(pipeline.analyze(articles, tagger=False))


def test_the_budget_grows_with_the_text() -> None:
    settings = Settings(analysis_timeout=60)
    assert settings.analysis_budget(0) == 60
    assert settings.analysis_budget(200_000) == 180
