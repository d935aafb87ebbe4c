"""Near-duplicate (syndicated copy) detection on small texts written for the tests."""

from __future__ import annotations

from storydesk.models import Article
from storydesk.stories.syndication import Origin, body, find_copies, independent_origins, origin_key, shingles

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
