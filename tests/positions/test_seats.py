"""Bodies that decide by seats: members found in the text, blocs, thresholds (issue 19)."""

from __future__ import annotations

import pytest

from storydesk import pipeline
from storydesk.errors import InputError
from storydesk.models import Article, Position, Positions
from storydesk.positions import consensus, seats
from storydesk.positions.bodies import _body

# A legislature story written for these tests: named members of two parties, a vote.
SENATE_STORY = [
    Article(
        id="w1",
        date="2026-03-02",
        text=(
            "WASHINGTON - The Senate is expected to vote this week on the clean water bill, which would fund "
            "new treatment plants in rural towns.\n\n"
            'Sen. Ann Berry (R-Ohio) said she would vote for the clean water bill. "Families in my state '
            'deserve safe water," Berry said.\n\n'
            'Sen. Tom Hale, D-Maine, opposes the clean water bill. "It spends too little, too late," Hale '
            "told reporters.\n\n"
            "Senate Republicans support the clean water bill, their leader said on Monday. Republican Sen. "
            "Carl Ogden said he opposes the bill because of its cost."
        ),
    ),
    Article(
        id="w2",
        date="2026-03-03",
        text=(
            "WASHINGTON - A clean water bill heads for a Senate vote with Republicans backing it.\n\n"
            "Sen. Ann Berry, a Republican from Ohio, supports the clean water bill, her office said.\n\n"
            "Sen. Tom Hale (D-Maine) said he would vote against the clean water bill. Democrats oppose the "
            "clean water bill, party leaders said."
        ),
    ),
]


def bodies() -> dict[str, consensus.Body]:
    return {b.name: b for b in consensus.load_bodies()}


def test_the_us_congress_and_supreme_court_are_bundled_with_their_rules() -> None:
    found = bodies()
    senate, house, court = found["U.S. Senate"], found["U.S. House of Representatives"], found["U.S. Supreme Court"]
    assert (senate.seats, senate.votes, dict(senate.supermajorities)["cloture (to end a filibuster)"]) == (100, 51, 60)
    assert (house.seats, house.votes) == (435, 218) and sum(b.seats for b in house.blocs.values()) == 435
    assert (court.seats, court.votes, len(court.members)) == (9, 5, 9)


def test_members_and_their_parties_are_found_in_the_text() -> None:
    items = list(zip(SENATE_STORY, pipeline.analyze(SENATE_STORY), strict=True))
    found = seats.members(bodies()["U.S. Senate"], items)
    assert {n: s.bloc for n, s in found.items()} == {
        "Ann Berry": "Republicans",  # (R-Ohio)
        "Tom Hale": "Democrats",  # , D-Maine,
        "Carl Ogden": "Republicans",  # Republican Sen. Carl Ogden
    }


def test_a_bloc_carries_its_seats_less_its_members_on_the_other_side() -> None:
    senate = bodies()["U.S. Senate"]
    items = list(zip(SENATE_STORY, pipeline.analyze(SENATE_STORY), strict=True))
    stances = {"Senate Republicans": "support", "Carl Ogden": "oppose", "Tom Hale": "oppose", "Ann Berry": "support"}
    positions = Positions(stances=[Position(actor=a, stance=s) for a, s in stances.items()])  # type: ignore[arg-type]
    result = seats.tally(senate, positions, items)
    assert (result.votes_for, result.votes_against) == (52, 2)  # 53 Republicans less Ogden; Hale alone
    assert result.supporting == ["Republicans (52)"] and sorted(result.opposed) == ["Carl Ogden", "Tom Hale"]
    assert result.reached and result.blocking == []
    cloture = result.thresholds[1]
    assert (cloture.votes, cloture.reached, cloture.blocked) == (60, False, False)  # 46 seats unknown


def test_house_blocs_do_not_count_for_the_senate() -> None:
    senate = bodies()["U.S. Senate"]
    assert seats.bloc_named(senate, "House Republicans") is None
    assert seats.bloc_named(senate, "Senate Democrats") == "Democrats"


def test_a_senate_story_gets_the_body_the_rule_and_a_tally() -> None:
    result = pipeline.dossier(SENATE_STORY, question="Should the Senate pass the clean water bill?")
    (story,) = result.stories
    held = {p.actor: p.stance for p in story.positions.stances}
    assert held["Ann Berry"] == "support" and held["Tom Hale"] == "oppose" and held["Carl Ogden"] == "oppose"
    tally = story.consensus
    assert tally is not None and tally.body == "U.S. Senate" and tally.rule == "majority (51 of 100)"
    assert (tally.votes_for, tally.votes_against) == (52, 48)  # Republicans less Ogden; Democrats and Ogden
    assert tally.reached and [t.blocked for t in tally.thresholds] == [False, True, True]


def test_the_white_house_is_not_the_house() -> None:
    house = bodies()["U.S. House of Representatives"]
    assert consensus._mentions(house, "The White House said the White House would wait.") == 0
    assert consensus._mentions(house, "The House votes on Friday; the White House waits.") == 1


def test_a_seat_body_needs_votes_within_its_seats() -> None:
    with pytest.raises(InputError, match="seat_majority needs"):
        _body({"name": "Tiny", "rule": "seat_majority", "seats": 3, "votes": 5}, "bodies.yaml")
