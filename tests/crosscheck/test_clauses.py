"""Clauses: one sentence cut into the pieces of information it holds, each compared on its own."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from storydesk import embeddings, nlp, pipeline
from storydesk.annotate import parse
from storydesk.crosscheck import clauses, facts, statements
from storydesk.crosscheck.statements import split_statements
from storydesk.models import Analysis, Article, Entity


def _clauses(text: str) -> list[str]:
    (kept,) = nlp.parse_texts([text])
    doc = parse.from_bytes(kept).doc
    return [" ".join(text[a:b] for a, b in c.ranges) for c in clauses.sentence_clauses(doc, 0, len(text))]


def test_a_sentence_with_a_clausal_modifier_holds_two_clauses() -> None:
    found = _clauses(
        "The concert, scheduled for June 9, was organised by the mayor without consulting the town council."
    )
    assert len(found) == 2
    assert any("scheduled for June 9" in c and "mayor" not in c for c in found)
    assert any("mayor" in c and "June" not in c for c in found)


def test_what_is_said_is_a_clause_of_its_own_beside_where_it_was_said() -> None:
    found = _clauses("The governor warned on Tuesday's evening radio show that the bridge will stay closed until May.")
    assert any("bridge will stay closed until May" in c and "governor" not in c for c in found)


def test_a_bare_attribution_is_no_clause_of_its_own() -> None:
    # "Officials said" frames what it reports and carries nothing to check by itself.
    assert len(_clauses("Officials said the bridge over the river will reopen to traffic on Friday.")) == 1


def test_an_infinitive_stays_with_the_word_it_completes() -> None:
    found = _clauses("The minister turned down an invitation to meet the opposition leaders in private.")
    assert len(found) == 1


def test_a_statement_without_a_parse_is_its_own_only_clause() -> None:
    text = "The concert, scheduled for June 9, was organised by the mayor without consulting the council."
    article, analysis = Article(id="a", text=text), Analysis(id="a")
    units = clauses.clause_units(article, analysis, split_statements(article, analysis))
    assert [len(u) for u in units] == [1] and not units[0][0].clause


@pytest.fixture(scope="module")
def analysed() -> list[tuple[Article, Analysis]]:
    texts = {
        "a": (
            "Alpha News",
            "The open-air concert, scheduled for June 9, was organised by the mayor without consulting the "
            "town council. Residents gathered at the town hall in the evening.",
        ),
        "b": (
            "Beta Post",
            "The open-air concert is set for June 9 on the market square. Critics said the mayor organised "
            "the event without asking the town council first. Residents gathered at the town hall in the evening.",
        ),
    }
    arts = [Article(id=k, text=t, source=o) for k, (o, t) in texts.items()]
    return list(zip(arts, pipeline.analyze(arts), strict=True))


@pytest.fixture(scope="module")
def one_sentence_two_facts(analysed: list[tuple[Article, Analysis]]) -> facts.CrossCheck:
    return facts.cross_check(analysed)


def test_the_analysis_keeps_one_vector_per_clause_and_cross_checking_encodes_none(
    analysed: list[tuple[Article, Analysis]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for article, analysis in analysed:
        units = clauses.units(article, analysis)
        assert len(embeddings.from_bytes(analysis.vectors or b"")) == len(units)
    assert any(u.clause for a, an in analysed for u in clauses.units(a, an))

    def no_encoding(texts: object, batch_size: int = 64) -> np.ndarray:
        raise AssertionError("encoded while cross-checking")

    monkeypatch.setattr(embeddings, "encode", no_encoding)
    assert facts.cross_check(analysed).facts


def test_one_sentence_sits_in_two_facts_with_two_counterparts(one_sentence_two_facts: facts.CrossCheck) -> None:
    lead = "The open-air concert, scheduled for June 9"
    corroborated = [f for f in one_sentence_two_facts.facts if f.status == "corroborated"]
    partners = {
        s.text.split(" ")[1]
        for f in corroborated
        if any(s.text.startswith(lead) for s in f.support)
        for s in f.support
        if s.article == "b"
    }
    assert partners == {"open-air", "said"}  # "The open-air concert is set ..." and "Critics said ..."
    for fact in corroborated:
        assert len(fact.support) == 2  # one statement and its counterpart, never a bag


def test_a_clause_of_attribution_names_no_actor_of_the_claim_and_a_frame_denies_its_clause() -> None:
    text = "The council rejected reports that Northwind Bank lost the town's savings, officials posted on Twitter."
    entities = [
        Entity(text=name, label="ORG", span=(text.index(name), text.index(name) + len(name)), actor=name)
        for name in ("Northwind Bank", "Twitter")
    ]
    article, analysis = Article(id="a", text=text), Analysis(id="a", entities=entities)
    (sentence,) = split_statements(article, analysis)
    sentence = dataclasses.replace(sentence, claim_actors=frozenset({"Northwind Bank"}))  # what is reported
    lost = text.index("Northwind"), text.index(",")
    frame = (0, text.index(" that"))
    clause = statements.clause_statement(sentence, [lost], [frame], text, analysis)
    assert clause.claim_actors == {"Northwind Bank"} and clause.denial and clause.whole is sentence
    posted = text.index("officials"), len(text)
    attribution = statements.clause_statement(sentence, [posted], [], text, analysis)
    assert "Twitter" in attribution.actors and not attribution.claim_actors and not attribution.denial
