"""Decision bodies and the consensus tally."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.models import Analysis, Article, Evidence, Position, Positions
from storydesk.positions import consensus

TRIO = consensus.Body(name="Trio", rule="unanimity", members=("Aland", "Borduria", "Carpathia"))


def positions_of(**stances: str) -> Positions:
    return Positions(question="Should Trio act?", stances=[Position(actor=a, stance=s) for a, s in stances.items()])  # type: ignore[arg-type]


def test_bundled_bodies_load_with_their_members() -> None:
    bodies = {b.name: b for b in consensus.load_bodies()}
    assert len(bodies["NATO"].members) == 32
    assert len(bodies["Council of the European Union"].members) == 27
    assert len(bodies["UN Security Council"].veto) == 5


def test_unanimity_blocked_by_one() -> None:
    result = consensus.tally(TRIO, positions_of(Aland="support", Borduria="oppose"))
    assert not result.reached
    assert result.opposed == ["Borduria"] and result.blocking == ["Borduria"]
    assert result.unknown == ["Carpathia"]


def test_unanimity_reached_when_no_one_objects() -> None:
    result = consensus.tally(TRIO, positions_of(Aland="support", Borduria="neutral", Carpathia="support"))
    assert result.reached and result.blocking == []


def test_official_counts_for_the_state() -> None:
    pos = Positions(stances=[Position(actor="Ann Ode", stance="oppose", affiliation="Aland")])
    assert consensus.tally(TRIO, pos).opposed == ["Aland"]


def test_veto_majority() -> None:
    council = consensus.Body(
        name="C", rule="veto_majority", votes=3, veto=("Aland",), members=("Aland", "Borduria", "Carpathia", "Dacia")
    )
    vetoed = consensus.tally(
        council, positions_of(Aland="oppose", Borduria="support", Carpathia="support", Dacia="support")
    )
    assert not vetoed.reached and vetoed.blocking == ["Aland"]
    passed = consensus.tally(
        council, positions_of(Aland="support", Borduria="support", Carpathia="support", Dacia="oppose")
    )
    assert passed.reached


def test_qualified_majority_needs_population() -> None:
    council = consensus.Body(
        name="Q", rule="qualified_majority", members_share=0.5, population_share=0.65, blocking_members=1,
        members=("Aland", "Borduria", "Carpathia", "Dacia"),
        population={"Aland": 70.0, "Borduria": 10.0, "Carpathia": 10.0, "Dacia": 10.0},
    )  # fmt: skip
    small = consensus.tally(council, positions_of(Borduria="support", Carpathia="support", Dacia="support"))
    assert not small.reached
    big = consensus.tally(council, positions_of(Aland="support", Borduria="support"))
    assert big.reached
    blocked = consensus.tally(council, positions_of(Aland="oppose"))
    assert blocked.blocking == ["Aland"]


def test_assess_finds_the_body_named_in_evidence() -> None:
    art = Article(id="a", text="The Trio met. Borduria rejects the plan for the Trio.")
    pos = Positions(
        question="Should the plan go ahead?",
        stances=[
            Position(
                actor="Borduria",
                stance="oppose",
                evidence=[Evidence(article="a", span=(14, 52), text="Borduria rejects the plan for the Trio")],
            )
        ],
    )
    result = consensus.assess(pos, [(art, Analysis(id="a"))], [TRIO])
    assert result is not None and result.body == "Trio" and not result.reached


def test_assess_none_when_no_body_is_named() -> None:
    art = Article(id="a", text="Nothing about any body.")
    assert consensus.assess(positions_of(Aland="oppose"), [(art, Analysis(id="a"))], [TRIO]) is None


def test_user_bodies_file_adds_and_is_checked(tmp_path: Path) -> None:
    good = tmp_path / "bodies.yaml"
    good.write_text("- {name: Duo, rule: unanimity, members: [Aland, Borduria]}\n", encoding="utf-8")
    assert "Duo" in {b.name for b in consensus.load_bodies(good)}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {name: Duo, rule: coin toss, members: [Aland]}\n", encoding="utf-8")
    with pytest.raises(InputError):
        consensus.load_bodies(bad)
