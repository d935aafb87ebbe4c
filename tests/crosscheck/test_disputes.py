"""Disputes on statement pairs written for the project (dispute_pairs.yaml): two outlets report
one invented event with a different figure, date or actor, or one denies what the other reports
(disputes); one value in other words, figures of different things, or one outlet against itself
(no dispute). Each pair is analysed as two articles (the whole pipeline) and cross-checked as
one story; precision and recall of "disputed" must reach 0.9, and every dispute shows two
outlets side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from storydesk import pipeline
from storydesk.crosscheck import facts
from storydesk.models import Analysis, Article

PAIRS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "dispute_pairs.yaml").read_text("utf-8"))["pairs"]
FILLER = "Residents gathered at the town hall in the evening to hear from officials."


def _articles(k: int, pair: dict[str, Any]) -> list[Article]:
    second = "Alpha News" if pair.get("same_outlet") else "Beta Post"
    return [
        Article(id=f"p{k}a", text=f"{pair['a']} {FILLER}", source="Alpha News"),
        Article(id=f"p{k}b", text=f"{pair['b']} {FILLER}", source=second),
    ]


@pytest.fixture(scope="module")
def checked() -> list[facts.CrossCheck]:
    arts = [a for k, pair in enumerate(PAIRS) for a in _articles(k, pair)]
    analyses = list(pipeline.analyze(arts))
    by_id: dict[str, tuple[Article, Analysis]] = {a.id: (a, an) for a, an in zip(arts, analyses, strict=True)}
    return [facts.cross_check([by_id[f"p{k}a"], by_id[f"p{k}b"]]) for k in range(len(PAIRS))]


def test_the_pair_set_covers_every_kind_and_sixty_pairs() -> None:
    kinds = {p["kind"] for p in PAIRS}
    assert kinds == {"figure", "date", "actor", "denial", "same_value", "other_slot", "same_outlet"}
    assert len(PAIRS) >= 60
    assert all(p["dispute"] == (p["kind"] in {"figure", "date", "actor", "denial"}) for p in PAIRS)


def test_disputes_have_precision_and_recall_of_at_least_0_9(checked: list[facts.CrossCheck]) -> None:
    found = [bool(c.disputes) for c in checked]
    gold = [bool(p["dispute"]) for p in PAIRS]
    hits = sum(f and g for f, g in zip(found, gold, strict=True))
    precision = hits / max(sum(found), 1)
    recall = hits / sum(gold)
    wrong = [(p["kind"], p["a"][:40]) for p, f, g in zip(PAIRS, found, gold, strict=True) if f != g]
    assert precision >= 0.9 and recall >= 0.9, (precision, recall, wrong)


def test_one_outlet_is_never_disputed_against_itself(checked: list[facts.CrossCheck]) -> None:
    for pair, check in zip(PAIRS, checked, strict=True):
        if pair.get("same_outlet"):
            assert not check.disputes


def test_a_dispute_shows_two_outlets_side_by_side(checked: list[facts.CrossCheck]) -> None:
    for check in checked:
        for dispute in check.disputes:
            assert check.facts[dispute.fact].status == "disputed"
            (left, right) = dispute.sides
            assert left.outlets != right.outlets and left.value and right.value
            assert len(left.support) == len(right.support) == 1
