"""Story clustering on small texts written for the tests."""

from __future__ import annotations

import pytest

from storydesk.errors import InputError
from storydesk.models import Article
from storydesk.stories import StoryClusterer, story_id, stream_order

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
