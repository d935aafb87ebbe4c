"""The attribution model: features, content candidates, scoring and the shipped weights."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storydesk import nlp
from storydesk.quotes.features import (
    CLOSING_MARKS,
    Candidate,
    DocMarks,
    content_candidates,
    cue_features,
    is_cue_candidate,
)
from storydesk.quotes.model import MODEL_PATH, LinearScorer, candidate_chars, load_model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base() -> Language:
    return nlp.load_base()


def token(doc: Doc, text: str) -> int:
    return next(t.i for t in doc if t.text == text)


def test_linear_scorer_is_a_logistic_over_present_features() -> None:
    scorer = LinearScorer({"bias": -1.0, "weights": {"a": 2.0, "b": 0.5}})
    assert scorer.probability([]) == pytest.approx(1 / (1 + math.e))
    assert scorer.probability(["a", "unknown"]) == pytest.approx(1 / (1 + math.exp(-1.0)))


def test_shipped_model_is_small_and_loads() -> None:
    assert MODEL_PATH.stat().st_size < 5_000_000
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert model.cue.weights and model.content.weights


def test_doc_marks_know_quoted_tokens(base: Language) -> None:
    doc = base('He said "we will win" today.')
    marks = DocMarks(doc)
    assert marks.quoted(token(doc, "win")) and not marks.quoted(token(doc, "today"))
    assert marks.share(0, 2) == 0.0


def test_cue_features_name_lemma_and_clause(base: Language) -> None:
    doc = base("The minister said that taxes would rise.")
    said = doc[token(doc, "said")]
    feats = cue_features(said, DocMarks(doc))
    assert "l=say" in feats and "lc=say|ccomp" in feats and "lex=bare" in feats
    assert is_cue_candidate(said) and not is_cue_candidate(doc[token(doc, "The")])


def test_candidates_offer_the_clause_and_the_interrupted_sentence(base: Language) -> None:
    doc = base("The minister said that taxes would rise.")
    said = doc[token(doc, "said")]
    spans = {doc[c.start : c.end].text for c in content_candidates(said)}
    assert "that taxes would rise" in spans
    inverted = base("Taxes will rise next year, the minister said.")
    cue = inverted[token(inverted, "said")]
    texts = {inverted[c.start : c.end].text for c in content_candidates(cue)}
    assert any(t.startswith("Taxes will rise next year") and "said" not in t for t in texts)


def test_candidate_chars_trim_edge_punctuation_but_keep_a_closing_mark(base: Language) -> None:
    doc = base('He said, "we will win." Then he left.')
    marks = DocMarks(doc)
    close = [t.i for t in doc if t.text == '"'][-1]
    chars = candidate_chars(doc, Candidate("test", 2, close + 1), marks)
    assert chars is not None and doc.text[chars[0] : chars[1]] == '"we will win."'
    assert candidate_chars(doc, Candidate("test", 2, 3), marks) is None  # a comma alone is no content


def test_model_finds_a_belief_and_its_content(base: Language) -> None:
    doc = base("Many farmers believe the new tariff will ruin them.")
    found = load_model().attributions(doc, DocMarks(doc))
    assert [a.cue.text for a in found] == ["believe"]
    assert doc.text[found[0].chars[0] : found[0].chars[1]] == "the new tariff will ruin them"


def test_threshold_applies_to_cue_times_content_score(base: Language) -> None:
    doc = base("Many farmers believe the new tariff will ruin them, the union said.")
    model, marks = load_model(), DocMarks(doc)
    assert model.attributions(doc, marks, threshold=1.0) == []
    loose = model.attributions(doc, marks, threshold=0.01)
    assert all(a.score == pytest.approx(a.cue_score * a.content_score) for a in loose)
    assert len(loose) >= len(model.attributions(doc, marks))


Drop = Callable[[int], bool]


def _trimmed(start: int, end: int, drop_start: Drop, drop_end: Drop) -> tuple[int, int]:
    """The token-by-token trimming that DocMarks' tables replace."""
    while start < end and drop_start(start):
        start += 1
    while end > start and drop_end(end - 1):
        end -= 1
    return start, end


def test_doc_marks_tables_give_what_token_walks_give(base: Language) -> None:
    text = 'Headline: -- "Yes," she said.\n\n: : The plan, he added , "is done." ( ok ) ...\nEnd: “fine” -'
    doc = base(text)
    marks = DocMarks(doc)
    edge = [t.is_punct or t.is_space for t in doc]

    def drops_start(i: int) -> bool:
        return edge[i] and not marks.quoted(i)

    def drops_end(i: int) -> bool:
        return edge[i] and doc[i].text not in CLOSING_MARKS

    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            assert marks.without_edge_punct(start, end) == _trimmed(start, end, edge.__getitem__, edge.__getitem__)
            assert marks.content_edges(start, end) == _trimmed(start, end, drops_start, drops_end)
            quoted = sum(1 for i in range(start, end) if marks.quoted(i)) / max(1, end - start)
            assert marks.share(start, end) == quoted
            assert marks.has_verb(start, end) == any(t.pos_ in ("VERB", "AUX") for t in doc[start:end])
    for tok in doc:
        assert marks.sentence[tok.i] == (tok.sent.start, tok.sent.end)
        if tok.i + 1 < tok.sent.end:
            breaks = [t.i for t in doc[tok.i + 1 : tok.sent.end] if "\n" in t.text]
            assert marks.paragraph_end(tok.i, tok.sent.end) == (breaks[0] if breaks else tok.sent.end)
