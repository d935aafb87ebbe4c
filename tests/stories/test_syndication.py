"""Near-duplicate (syndicated copy) detection on small texts written for the tests."""

from __future__ import annotations

import functools

import pytest
import spacy
from spacy.language import Language

from storydesk.annotate.doc import register_extensions
from storydesk.annotate.metadata import outlet_for
from storydesk.models import Analysis, Article
from storydesk.stories import syndication
from storydesk.stories.syndication import (
    Origin,
    body,
    copied_from,
    find_copies,
    independent_origins,
    origin_key,
    shingles,
)

WIRE = [
    "The city council of Harlow voted on Tuesday to close the old swimming baths on Mill Street after "
    "engineers found cracks in the roof beams that they said could not be repaired at a reasonable cost.",
    "Council leader Dana Morrow said the decision had been painful but that the safety of swimmers had "
    "to come first, and promised that a new leisure centre would open within four years.",
    "Residents who had campaigned to save the baths said they would ask for an independent survey of "
    "the building and collect signatures for a petition to the regional government.",
    "The baths opened in 1931 and were listed as a building of local interest a decade ago, which "
    "campaigners say should have protected them from demolition.",
]
OTHER = (
    "A regional orchestra announced a winter tour of twelve towns, with programmes of folk songs "
    "arranged for strings and a new piece written by a student composer from the music academy, "
    "and tickets will be sold at reduced prices for pupils and pensioners in every town on the route."
)


def article(i: str, text: str, title: str | None = None, date: str | None = None, source: str | None = None) -> Article:
    return Article(id=i, text=text, title=title, date=date, source=source)


def wire_story() -> list[Article]:
    return [
        article(
            "wire",
            "HARLOW, England (Reuters) - " + "\n".join(WIRE) + "\n(Reporting by Ann Lee; Editing by Bo Park)",
            "Harlow to close Mill Street baths",
            "2024-03-05",
            "Reuters",
        ),
        # another headline, no dateline, last paragraph trimmed
        article("trim", "\n".join(WIRE[:3]), "Council shuts historic pool over roof cracks", "2024-03-05", "Gazette"),
        # local paragraphs added before and after
        article(
            "extended",
            "Readers have written to us about the pool all week.\n"
            + "\n".join(WIRE)
            + "\nOur reporter will follow the petition.\nShare your memories of the baths with us.",
            "Baths to close",
            "2024-03-06",
            "Echo",
        ),
    ]


def test_copies_under_other_headlines_trimmed_or_extended_share_one_origin() -> None:
    arts = [*wire_story(), article("other", OTHER, "Orchestra tour", "2024-03-05")]
    copies = find_copies(arts)
    assert set(copies) == {"wire", "trim", "extended"}
    assert {copies[a] for a in ("wire", "trim", "extended")} == {Origin("wire", "Reuters")}


def test_without_wire_the_earliest_copy_is_the_origin() -> None:
    arts = [
        article("late", "\n".join(WIRE), "Pool closes", "2024-03-07"),
        article("early", "\n".join(WIRE[:3]), "Council vote", "2024-03-04"),
        article("undated", "\n".join(WIRE[1:]), "Baths"),
    ]
    copies = find_copies(arts)
    assert {o.article for o in copies.values()} == {"early"}
    assert all(o.wire is None for o in copies.values())


def test_wire_named_in_a_copy_dateline_without_the_wire_article() -> None:
    arts = [
        article("a", "HARLOW (AP) — " + "\n".join(WIRE), "Pool closes", "2024-03-05", "Gazette"),
        article("b", "\n".join(WIRE[:2]), "Council vote", "2024-03-04", "Echo"),
    ]
    copies = find_copies(arts)
    assert copies["a"] == copies["b"] == Origin("b", "Associated Press")


def test_same_event_written_independently_is_no_copy() -> None:
    rewritten = (
        "Harlow's historic Mill Street pool will shut for good. Councillors decided on Tuesday, "
        "after an engineering survey found the roof beams were cracked beyond affordable repair. "
        "Campaigners plan a petition and want their own survey; the leader promised a new centre."
    )
    assert find_copies([wire_story()[0], article("own", rewritten, "Pool to shut")]) == {}


def test_short_texts_sharing_a_stock_phrase_are_no_copies() -> None:
    stock = "Follow us on social media for the latest news from the region."
    arts = [article("x", "Fire at a bakery. " + stock), article("y", "Bus strike ends. " + stock)]
    assert find_copies(arts) == {}


def test_independent_origins_count_each_group_once() -> None:
    arts = [*wire_story(), article("other", OTHER)]
    copies = find_copies(arts)
    assert origin_key("trim", copies) == "wire" and origin_key("other", copies) == "other"
    assert independent_origins([a.id for a in arts], copies) == 2


def test_body_drops_dateline_and_credits() -> None:
    text = body(wire_story()[0])
    assert "Reuters" not in text and "Editing" not in text and "Harlow voted" in text


def test_shingles_of_a_short_text() -> None:
    assert shingles("Two words") == {b"two words"}
    assert shingles("") == set()


def test_copied_from_names_each_copy_origin_and_none_for_the_rest() -> None:
    arts = [*wire_story(), article("other", OTHER)]
    assert copied_from(arts) == {"wire": None, "trim": "wire", "extended": "wire", "other": None}


# --- the metadata stage's ranges, carried in the analysis -------------------------------------


@functools.cache
def metadata_stage() -> Language:
    """The metadata stage alone on a blank pipeline (no model loads)."""
    register_extensions()
    pipe = spacy.blank("en")
    pipe.add_pipe("storydesk_metadata")
    return pipe


def analysed(a: Article) -> Analysis:
    """The fields syndication reads, as ``pipeline.to_analysis`` takes them from the Doc."""
    doc = metadata_stage()(a.text)
    return Analysis(
        id=a.id,
        outlet=doc._.outlet or outlet_for(a.source or a.url or "") or a.source,
        dateline=doc._.dateline,
        credits=list(doc._.credits),
        boilerplate=list(doc._.boilerplate),
    )


def copies_under_datelines() -> list[list[Article]]:
    """Groups of copies whose origin depends on the dateline: a wire in brackets, a bare
    dateline in a text that names a wire only in a phrase and a credit line, one with an
    unknown outlet in brackets, and credit lines before and after the dateline."""
    text = "\n".join(WIRE)
    return [
        [*wire_story(), article("other", OTHER)],
        [
            article("a", "HARLOW (AP) — " + text, "Pool closes", "2024-03-05", "Gazette"),
            article("b", "\n".join(WIRE[:2]), "Council vote", "2024-03-04", "Echo"),
        ],
        [
            article(
                "c",
                "HARLOW — " + text + "\nThe mayor told Reuters.\nReporting by Ann Lee (Reuters)",
                None,
                "2024-03-04",
            ),
            article("d", text, None, "2024-03-04", "Reuters"),
        ],
        [
            article("e", "HARLOW (Monday) - " + text, None, "2024-03-05", "Echo"),
            article("f", "(Writing by Bo Park)\nHARLOW, England, March 5 (AFP) -- " + text, None, "2024-03-05"),
        ],
    ]


@pytest.mark.parametrize("group", range(4))
def test_analysed_ranges_give_the_copies_found_by_searching_the_text(
    group: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    arts = copies_under_datelines()[group]
    analyses = [analysed(a) for a in arts]
    searched = find_copies(arts)
    bodies = [body(a) for a in arts]
    assert len(set(searched)) >= 2

    def no_search(text: str) -> None:
        raise AssertionError("searched the text again")

    monkeypatch.setattr(syndication, "find_dateline", no_search)
    monkeypatch.setattr(syndication, "find_credits", no_search)
    assert find_copies(arts, analyses) == searched
    assert [body(a, an) for a, an in zip(arts, analyses, strict=True)] == bodies


def test_a_wire_named_only_in_a_phrase_or_credit_line_is_no_dateline_wire() -> None:
    arts = copies_under_datelines()[2]
    analyses = [analysed(a) for a in arts]
    assert analyses[0].outlet == "Reuters" and analyses[0].dateline == "HARLOW"  # the phrase's outlet
    assert find_copies(arts, analyses) == {"c": Origin("d", "Reuters"), "d": Origin("d", "Reuters")}  # by source
    assert find_copies([arts[0], article("d", arts[1].text, None, "2024-03-04")], analyses) == {
        "c": Origin("c"),
        "d": Origin("c"),
    }


def test_analyses_stored_before_the_ranges_were_kept_are_searched_again() -> None:
    arts = [*wire_story(), article("other", OTHER)]
    old = [Analysis(id=a.id) for a in arts]  # no boilerplate: stored before it was kept
    assert find_copies(arts, old) == find_copies(arts)
    text = body(arts[0], old[0])
    assert "Reuters" not in text and "Editing" not in text and "Harlow voted" in text
