"""Sentence stance toward a claim: the shipped model loads and answers in its label set."""

from __future__ import annotations

from storydesk import stance

CLAIM = "Rising sea levels are a serious threat."


def test_stance_labels_and_probability() -> None:
    label, prob = stance.sentence_stance(CLAIM, "Scientists warn the threat is real and urgent action is needed.")
    assert label in ("agree", "neutral", "disagree")
    assert 0.0 < prob <= 1.0


def test_alarm_agrees_and_denial_disagrees() -> None:
    agree, _ = stance.sentence_stance(CLAIM, "The warming of the planet is a grave danger that demands action now.")
    disagree, _ = stance.sentence_stance(CLAIM, "The so-called crisis is an exaggerated hoax pushed by alarmists.")
    assert agree == "agree"
    assert disagree == "disagree"


def test_empty_sentence_is_neutral() -> None:
    assert stance.sentence_stance(CLAIM, "   ") == ("neutral", 1.0)
