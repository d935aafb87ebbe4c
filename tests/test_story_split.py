"""A story that is two events of one kind splits in two (texts written for the tests)."""

from __future__ import annotations

import numpy as np

from storydesk.stories import Move, StoryClusterer, story_id
from storydesk.story_split import bisect

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


def test_bisect_keeps_groups_reported_over_the_same_days_whole() -> None:
    two = np.full((6, 6), 0.1)
    two[:3, :3] = two[3:, 3:] = 0.6
    np.fill_diagonal(two, 1.0)
    assert bisect(two, 0.7, 3, [1.0, 2.0, 3.0, 3.0, 4.0, 5.0]) is None  # the ranges meet on day 3
    assert bisect(two, 0.7, 3, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]) is not None  # one after the other
    assert bisect(two, 0.7, 3, [1.0, None, 3.0, None, None, None]) is not None  # one group undated


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


def test_revisit_keeps_a_story_whole_when_both_groups_come_from_the_same_days() -> None:
    split, whole = StoryClusterer(), StoryClusterer()
    for k, (article_id, text) in enumerate(ACEH + PAPUA):
        split.restore(article_id, text, None, f"2024-03-{1 + k:02d}", "s-quakes")  # Papua's after Aceh's
        whole.restore(article_id, text, None, f"2024-03-0{1 + k % 3}", "s-quakes")  # the same three days
    assert {m.article for m in split.revisit()} == {"q4", "q5", "q6"}
    assert whole.revisit() == []
