"""A story that is two events of one kind splits in two (texts written for the tests)."""

from __future__ import annotations

import numpy as np

from storydesk.stories.cluster import Move, StoryClusterer, story_id
from storydesk.stories.split import bisect

ACEH = [
    ("q1", "A magnitude 6.1 earthquake struck Aceh on Tuesday, killing 24 people in Bener Meriah as houses collapsed."),
    ("q2", "At least 24 people died in Bener Meriah when a 6.1 earthquake struck Aceh on Tuesday and houses fell."),
    ("q3", "Rescuers in Bener Meriah searched collapsed houses after Tuesday's 6.1 earthquake in Aceh killed 24."),
]
PAPUA = [
    ("q4", "A magnitude 7.6 earthquake struck Papua on Sunday, killing 4 people in Manokwari as hotels collapsed."),
    ("q5", "At least 4 people died in Manokwari when a 7.6 earthquake struck Papua on Sunday and hotels fell."),
    ("q6", "Rescuers in Manokwari searched collapsed hotels after Sunday's 7.6 earthquake in Papua killed 4."),
]


def test_bisect_splits_two_blocks_only() -> None:
    two = np.full((6, 6), 0.1)
    two[:3, :3] = two[3:, 3:] = 0.6
    np.fill_diagonal(two, 1.0)
    second = bisect(two, 0.7, 3)
    assert second is not None and sorted(np.flatnonzero(second).tolist()) in ([0, 1, 2], [3, 4, 5])
    one = np.full((6, 6), 0.5)
    np.fill_diagonal(one, 1.0)
    assert bisect(one, 0.7, 3) is None
    assert bisect(two, 0.7, 4) is None  # groups of three are too small here


def test_bisect_finds_the_spectral_cut_when_the_most_distant_members_share_an_event() -> None:
    gram = np.full((8, 8), 0.1)
    gram[:4, :4] = gram[4:, 4:] = 0.5
    gram[0, 1] = gram[1, 0] = -0.1  # two outlying members of the first event, unlike each other
    gram[0, 2:4] = gram[2:4, 0] = gram[1, 2:4] = gram[2:4, 1] = 0.3
    np.fill_diagonal(gram, 1.0)
    second = bisect(gram, 0.7, 3)
    assert second is not None and sorted(np.flatnonzero(second).tolist()) in ([0, 1, 2, 3], [4, 5, 6, 7])


def test_bisect_makes_no_cut_where_a_group_shares_nothing() -> None:
    gram = np.zeros((6, 6))  # six articles without terms
    gram[:3, :3] = 0.6
    np.fill_diagonal(gram[:3, :3], 1.0)
    assert bisect(gram, 0.7, 3) is None


def test_bisect_keeps_groups_whose_figures_agree_whole() -> None:
    two = np.full((6, 6), 0.1)
    two[:3, :3] = two[3:, 3:] = 0.6
    np.fill_diagonal(two, 1.0)
    same = np.full((6, 6), 0.04)  # every member repeats the same figures
    other = np.zeros((6, 6))  # each group its own figures
    other[:3, :3] = other[3:, 3:] = 0.04
    assert bisect(two, 0.7, 3, same, 0.4) is None
    assert bisect(two, 0.7, 3, other, 0.4) is not None
    assert bisect(two, 0.7, 3, np.zeros((6, 6)), 0.4) is not None  # no figures: no evidence either way


def test_revisit_splits_a_story_of_two_events_and_keeps_its_id() -> None:
    clusterer = StoryClusterer()
    for article_id, text in ACEH + PAPUA:
        clusterer.restore(article_id, text, None, None, story_id("q1"))
    moves = clusterer.revisit()
    assert moves == [Move(a, story_id("q1"), story_id("q4")) for a in ("q4", "q5", "q6")]
    assert {clusterer.assignments[a] for a, _ in ACEH} == {story_id("q1")}
    assert {clusterer.assignments[a] for a, _ in PAPUA} == {story_id("q4")}
    assert clusterer.revisit() == []


def test_a_story_of_one_event_stays_whole() -> None:
    clusterer = StoryClusterer()
    for article_id, text in [*ACEH, ("q7", ACEH[0][1]), ("q8", ACEH[1][1])]:
        clusterer.restore(article_id, text, None, None, "s-aceh")
    assert clusterer.revisit() == []


def test_revisit_keeps_a_story_whole_when_both_groups_report_the_same_figures() -> None:
    clusterer = StoryClusterer()
    same_figures = [(a, t.replace("7.6", "6.1").replace(" 4 ", " 24 ").replace(" 4.", " 24.")) for a, t in PAPUA]
    assert same_figures[0][1] != PAPUA[0][1]
    for article_id, text in ACEH + same_figures:
        clusterer.restore(article_id, text, None, None, "s-quakes")
    assert clusterer.revisit() == []
