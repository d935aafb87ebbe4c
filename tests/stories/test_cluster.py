"""Story clustering on small texts written for the tests."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.errors import InputError
from storydesk.models import Article
from storydesk.stories.cluster import Move, StoryClusterer, story_id, stream_order

FLOOD = [
    (
        "f1",
        "River floods Dresden",
        "The Elbe river burst its banks in Dresden, flooding the old town and forcing "
        "thousands of residents to leave their homes as rescue crews used boats.",
        "2024-05-01",
    ),
    (
        "f2",
        "Dresden flooded as Elbe rises",
        "Rescue crews in boats moved thousands of Dresden residents after the "
        "Elbe flooded the old town and its banks gave way overnight.",
        "2024-05-02",
    ),
    (
        "f3",
        "Elbe flood: Dresden residents evacuated",
        "Thousands of residents of Dresden left their homes when the "
        "Elbe burst its banks; boats carried rescue crews through the flooded old town.",
        None,
    ),
]
CHESS = [
    (
        "c1",
        "Oslo chess final",
        "Magnus Carlsen won the rapid chess final in Oslo after a tense endgame against a "
        "young challenger, taking the title and the prize.",
        "2024-05-02",
    ),
    (
        "c2",
        "Carlsen takes Oslo title",
        "In Oslo the young challenger lost a tense endgame to Magnus Carlsen, who "
        "took the rapid chess title and the prize.",
        "2024-05-03",
    ),
]


def articles(rows: list[tuple[str, str, str, str | None]]) -> list[Article]:
    return [Article(id=i, title=t, text=x, date=d) for i, t, x, d in rows]


def test_two_topics_two_stories() -> None:
    result = StoryClusterer().cluster(articles(FLOOD + CHESS))
    assert len({result[i] for i in ("f1", "f2", "f3")}) == 1
    assert len({result[i] for i in ("c1", "c2")}) == 1
    assert result["f1"] != result["c1"]


def test_ids_derive_from_first_article() -> None:
    result = StoryClusterer().cluster(articles(FLOOD + CHESS))
    assert result["f2"] == story_id("f1") and result["c2"] == story_id("c1")
    assert story_id("f1").startswith("s-") and story_id("f1") != story_id("c1")


def test_window_separates_distant_dates() -> None:
    rows = [FLOOD[0], (FLOOD[1][0], FLOOD[1][1], "Years later: " + FLOOD[1][2], "2026-05-02")]
    far = StoryClusterer(far_threshold=1.01).cluster(articles(rows))
    assert far["f1"] != far["f2"]
    near = StoryClusterer(far_threshold=1.01).cluster(articles([FLOOD[0], FLOOD[1]]))
    assert near["f1"] == near["f2"]


def test_streaming_add_matches_batch() -> None:
    batch = StoryClusterer().cluster(articles(FLOOD + CHESS))
    stream = StoryClusterer()
    for a in stream_order(articles(FLOOD + CHESS)):
        assert stream.add(a.id, a.text, a.title, a.date) == batch[a.id]
    assert stream.add("f1", "anything", None, None) == batch["f1"]  # added again: same story


def test_stream_order_dated_first_then_input_order() -> None:
    order = [a.id for a in stream_order(articles([FLOOD[2], CHESS[1], FLOOD[0], CHESS[0]]))]
    assert order == ["f1", "c1", "c2", "f3"]


def test_bad_date_is_an_input_error() -> None:
    with pytest.raises(InputError):
        StoryClusterer().add("x", "text", None, "yesterday")


def test_empty_text_starts_own_story() -> None:
    clusterer = StoryClusterer()
    first = clusterer.add("a", "", None, None)
    assert clusterer.add("b", "", None, None) != first


def restored(rows: list[tuple[tuple[str, str, str, str | None], str]]) -> StoryClusterer:
    clusterer = StoryClusterer()
    for (i, t, x, d), story in rows:
        clusterer.restore(i, x, t, d, story)
    return clusterer


def test_revisit_moves_an_article_to_the_story_it_fits() -> None:
    clusterer = restored([(FLOOD[0], "s-flood"), (FLOOD[1], "s-flood"), (CHESS[0], "s-flood"), (CHESS[1], "s-chess")])
    assert clusterer.revisit() == [Move("c1", "s-flood", "s-chess")]
    assert clusterer.assignments["c1"] == "s-chess" and clusterer.assignments["f1"] == "s-flood"
    assert clusterer.revisit() == []  # settled


def test_revisit_moves_a_misfit_out_and_the_story_keeps_its_id() -> None:
    clusterer = restored([(CHESS[0], "s-x"), (FLOOD[0], "s-x"), (FLOOD[1], "s-x")])
    (move,) = clusterer.revisit()
    assert move.article == "c1" and move.source == "s-x" and move.target == story_id("c1")
    assert clusterer.assignments["f1"] == clusterer.assignments["f2"] == "s-x"


def test_revisit_of_chosen_articles_only() -> None:
    clusterer = restored([(FLOOD[0], "s-flood"), (FLOOD[1], "s-flood"), (CHESS[0], "s-flood")])
    assert clusterer.revisit(["f1", "unknown"]) == []
    assert [m.article for m in clusterer.revisit(["c1"])] == ["c1"]


def test_added_articles_join_restored_stories() -> None:
    clusterer = restored([(FLOOD[0], "s-flood"), (CHESS[0], "s-chess")])
    i, t, x, d = FLOOD[1]
    assert clusterer.add(i, x, t, d) == "s-flood"
    assert StoryClusterer().cluster(articles(FLOOD + CHESS)) == {
        **dict.fromkeys(("f1", "f2", "f3"), story_id("f1")),
        **dict.fromkeys(("c1", "c2"), story_id("c1")),
    }


def test_same_kind_different_event_is_another_story() -> None:
    quake = [
        (
            "q1",
            "Earthquake strikes Aceh",
            "A magnitude 6.1 earthquake struck Aceh province on Tuesday, killing 24 people in Bener Meriah "
            "and Central Aceh as houses collapsed, officials said.",
            None,
        ),
        (
            "q2",
            "Aceh quake kills 24",
            "At least 24 people died in Bener Meriah and Central Aceh when a 6.1 quake struck Aceh on Tuesday "
            "and houses collapsed, officials said.",
            None,
        ),
        (
            "q3",
            "Earthquake strikes Papua",
            "A magnitude 7.6 earthquake struck Papua province on Sunday, killing 4 people in Manokwari "
            "as hotels collapsed, officials said.",
            None,
        ),
        (
            "q4",
            "Papua quake kills 4",
            "At least 4 people died in Manokwari when a 7.6 quake struck Papua on Sunday and hotels "
            "collapsed, officials said.",
            None,
        ),
    ]
    result = StoryClusterer().cluster(articles(quake))
    assert result["q1"] == result["q2"] and result["q3"] == result["q4"] and result["q1"] != result["q3"]


def test_centroids_stay_the_sum_of_their_members_after_moves() -> None:
    clusterer = restored([(FLOOD[0], "s-x"), (CHESS[0], "s-x"), (FLOOD[1], "s-x"), (CHESS[1], "s-chess")])
    i, t, x, d = FLOOD[2]
    clusterer.add(i, x, t, d)
    assert clusterer.revisit()  # c1 leaves s-x: terms removed, others inserted elsewhere
    for story in clusterer._stories.values():
        dense = np.zeros(clusterer._vocabulary.size)
        for member in story.members:
            vector = clusterer._vectors[member]
            dense[vector.indices] += vector.data
        indices, data = clusterer._centroids.get(story.index)
        assert indices.tolist() == sorted(set(indices.tolist()))
        assert np.allclose(dense[indices], data, atol=1e-6)
        assert np.allclose(np.delete(dense, indices), 0.0, atol=1e-6)
        assert story.sq_norm == pytest.approx(float(dense @ dense), abs=1e-5)
