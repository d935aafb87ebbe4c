"""Copies in a story's dossier: found among the articles, or taken as the caller recorded them
(texts written for the tests)."""

from __future__ import annotations

import pytest

from storydesk import nlp
from storydesk.dossier import build_story
from storydesk.models import ActorRef, Analysis, Article, Quote, Speaker
from storydesk.stories import syndication
from tests.stories.test_syndication import OTHER, analysed, article, wire_story


def items() -> list[tuple[Article, Analysis]]:
    """The articles with the fields syndication reads and the parses positions read."""
    arts = [*wire_story(), article("other", OTHER, "Orchestra tour", "2024-03-05")]
    parses = nlp.parse_texts(a.text for a in arts)
    return [(a, analysed(a).model_copy(update={"parse": p})) for a, p in zip(arts, parses, strict=True)]


def test_copies_are_found_when_no_origins_are_given() -> None:
    story = build_story("s-baths", items())
    assert {a.id: a.origin for a in story.articles} == {
        "wire": None,
        "trim": "wire",
        "extended": "wire",
        "other": None,
    }
    assert story.independent_origins == 2


def test_given_origins_are_used_and_copies_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    found = build_story("s-baths", items())

    def no_search(*args: object) -> None:
        raise AssertionError("copies searched again")

    monkeypatch.setattr(syndication, "find_copies", no_search)
    origins = {"wire": None, "trim": "wire", "extended": "wire", "other": None}
    assert build_story("s-baths", items(), origins=origins) == found
    apart = build_story("s-baths", items(), origins={**origins, "extended": None})
    assert [a.origin for a in apart.articles] == ["wire" if a.id == "trim" else None for a in apart.articles]
    assert apart.independent_origins == 3


def test_thoughts_are_kept_apart_from_quotes_and_speakers_renamed_in_both() -> None:
    said = Quote(text="the baths would close", span=(0, 5), kind="indirect", speaker=Speaker(name="Lee"))
    hoped = said.model_copy(update={"text": "the pool would stay", "act": "thought"})
    arts = items()
    first, an = arts[0]
    lee = [ActorRef(name="Lee", kind="person")]  # an outlet that only gives the surname
    arts[0] = (first, an.model_copy(update={"quotes": [said, hoped], "actors": lee}))
    arts[1] = (arts[1][0], arts[1][1].model_copy(update={"actors": [ActorRef(name="Ann Lee", kind="person")]}))
    story = build_story("s-baths", arts)
    assert [(q.text, q.speaker and q.speaker.name) for q in story.quotes] == [("the baths would close", "Ann Lee")]
    assert [(q.text, q.speaker and q.speaker.name) for q in story.thoughts] == [("the pool would stay", "Ann Lee")]
    assert sum(a.quotes for a in story.sourcing.articles) == 1  # a hope is nobody's quote


def test_co_speakers_take_the_names_merged_across_outlets() -> None:
    from storydesk.models import ActorRef, Quote, Speaker

    (wire, first), (trim, second), *rest = items()
    lopez = ActorRef(name="Maria Lopez", kind="person")
    quote = Quote(
        text="words",
        span=(0, 5),
        kind="direct",
        speaker=Speaker(name="Jo Park", co_speakers=["Lopez"]),
    )
    first = first.model_copy(update={"actors": [lopez]})
    second = second.model_copy(
        update={
            "actors": [ActorRef(name="Lopez", kind="person"), ActorRef(name="Jo Park", kind="person")],
            "quotes": [quote],
        }
    )
    story = build_story("s-baths", [(wire, first), (trim, second), *rest])
    (found,) = [q for q in story.quotes if q.speaker is not None and q.speaker.name == "Jo Park"]
    assert found.speaker is not None and found.speaker.co_speakers == ["Maria Lopez"]
