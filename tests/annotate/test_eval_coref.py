"""The coreference benchmark's miss causes (benchmarks/eval_coref.py): which part of the pipeline
a pronoun or description the benchmark counts wrong is lost in."""

from __future__ import annotations

from types import ModuleType

import pytest

from storydesk.annotate.actors import Actor
from storydesk.annotate.corefmodel import Mention
from tests import benchmark_modules


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/eval_coref.py."""
    return benchmark_modules.load("eval_coref")


def mention(head: int, kind: str) -> Mention:
    return Mention(
        start=head,
        end=head + 1,
        head=head,
        kind=kind,
        pclass="he" if kind == "pron" else "",
        sem="person",
        gender="m",
        number="sg",
        norm="",
        head_lemma="",
        words=frozenset(),
        sent=head,
        dep="subj",
        main_subj=True,
        speaks=False,
        actor=False,
        appos_of=-1,
    )


def test_a_link_miss_says_where_the_chain_broke(bench: ModuleType) -> None:
    # tokens: 0 "Erik Dahl" (gold), 2 "Mr. Berg", 5 "he", 8 "he"
    mentions = [mention(0, "name"), mention(2, "name"), mention(5, "pron"), mention(8, "pron")]
    case = bench.Case(head=8, chain=frozenset({0}))
    assert bench.link_cause(mentions, [None, None, None, 0], case, 0) == bench.RIGHT
    assert bench.link_cause(mentions, [None, None, None, 1], case, 2) == "wrong name"
    assert bench.link_cause(mentions, [None, None, None, 2], case, None) == "chain without a name"
    assert bench.link_cause(mentions, [None, None, None, None], case, None) == "no antecedent"
    elsewhere = bench.Case(head=7, chain=frozenset({0}))  # a token no mention heads
    assert bench.link_cause(mentions, [None] * 4, elsewhere, None) == "not a mention"


def test_an_actor_miss_tells_the_actor_table_gap_from_coreference(bench: ModuleType) -> None:
    case = bench.Case(head=8, chain=frozenset({0}), kind="description")
    dahl, berg = Actor(name="Erik Dahl", kind="person"), Actor(name="Berg", kind="person")
    assert bench.actor_cause(dahl, frozenset({0}), case, True) == bench.RIGHT
    assert bench.actor_cause(berg, frozenset({2}), case, True) == "wrong actor"
    assert bench.actor_cause(None, frozenset(), case, True) == "no actor"
    assert bench.actor_cause(berg, frozenset({2}), case, False) == "name not an actor"
    someone = Actor(name="a spokesman", kind="person", anonymous=True)
    assert bench.actor_cause(someone, frozenset({0}), case, True) == "wrong actor"  # a description is no name
