"""Sourcing profiles, the facts-by-outlet matrix, the story brief, and how every format shows them."""

from __future__ import annotations

import re

from storydesk.dossier import brief, sourcing
from storydesk.models import (
    ActorRef,
    Analysis,
    Article,
    Dispute,
    DisputeSide,
    Fact,
    Quote,
    Speaker,
    Story,
    Support,
)
from storydesk.render import render


def quote(name: str, anonymous: bool = False) -> Quote:
    return Quote(text="words", span=(0, 5), kind="direct", speaker=Speaker(name=name, anonymous=anonymous))


def items() -> list[tuple[Article, Analysis]]:
    wire = Analysis(
        id="w",
        outlet="Wire",
        quotes=[quote("a senior official", True), quote("diplomats", True), quote("Ann Lee"), quote("Bo Chen")],
        actors=[ActorRef(name="Ann Lee", kind="person"), ActorRef(name="Bo Chen", kind="person")],
    )
    paper = Analysis(
        id="p",
        outlet="Paper",
        quotes=[quote("Ann Lee"), quote("Cy Diaz"), Quote(text="x", span=(0, 1), kind="direct")],
        actors=[ActorRef(name="Ann Lee", kind="person"), ActorRef(name="Cy Diaz", kind="person")],
    )
    return [(Article(id="w", text="words"), wire), (Article(id="p", text="words"), paper)]


def support(article: str, outlet: str, text: str = "t") -> Support:
    return Support(article=article, outlet=outlet, span=(0, 1), text=text)


FACTS = [
    Fact(
        text="both",
        status="corroborated",
        support=[support("w", "Wire", "both"), support("p", "Paper")],
        independent_sources=2,
    ),
    Fact(text="one", status="single-source", support=[support("w", "Wire", "one")], independent_sources=1),
    Fact(
        text="fig",
        status="disputed",
        support=[support("w", "Wire", "fig"), support("p", "Paper")],
        independent_sources=2,
    ),
]
DISPUTES = [
    Dispute(
        fact=2,
        about="amount",
        sides=[
            DisputeSide(value="12 people", outlets=["Wire", "Other"]),
            DisputeSide(value="19 people", outlets=["Paper"]),
        ],
    )
]


def test_profiles_count_named_anonymous_and_unattributed_quotes() -> None:
    s = sourcing.build_sourcing(items(), FACTS, DISPUTES)
    wire = next(a for a in s.articles if a.article == "w")
    assert (wire.quotes, wire.named, wire.anonymous, wire.unattributed) == (4, 2, 2, 0)
    assert wire.anonymous_sources == ["a senior official", "diplomats"]
    outlets = {o.outlet: o for o in s.outlets}
    assert outlets["Paper"].unattributed == 1 and outlets["Paper"].named_sources == ["Ann Lee", "Cy Diaz"]


def test_exclusive_sources_are_named_speakers_no_other_outlet_quotes() -> None:
    outlets = {o.outlet: o for o in sourcing.build_sourcing(items()).outlets}
    assert outlets["Wire"].exclusive_sources == ["Bo Chen"]
    assert outlets["Paper"].exclusive_sources == ["Cy Diaz"]


def test_the_dossiers_actor_merge_is_used_not_done_again() -> None:
    merged = sourcing.build_sourcing(items(), rename={("p", "Cy Diaz"): "Bo Chen"})  # as build_story merged them
    outlets = {o.outlet: o for o in merged.outlets}
    assert outlets["Paper"].named_sources == ["Ann Lee", "Bo Chen"]
    assert outlets["Wire"].exclusive_sources == []
    assert sourcing.build_sourcing(items(), rename={}) == sourcing.build_sourcing(items())


def test_coverage_matrix_reports_omits_disputes() -> None:
    rows = {r.fact: r.outlets for r in sourcing.build_sourcing(items(), FACTS, DISPUTES).coverage}
    assert 1 not in rows  # one article's statement is not a row of the matrix
    assert rows[0] == {"Wire": "reports", "Paper": "reports"}
    assert rows[2] == {"Wire": "reports", "Paper": "disputes"}


def test_brief_puts_disputed_and_widely_reported_facts_first_extractively() -> None:
    items_ = brief.build_brief(FACTS, DISPUTES, size=2)
    assert [i.fact for i in items_] == [2, 0]
    assert items_[0].text == "fig" and items_[0].status == "disputed" and items_[0].outlets == ["Wire", "Paper"]
    assert brief.build_brief([]) == []


BAD = "<script>alert(1)</script> | *x* [l](http://e) \x1b[31m\nnext"


def hostile_story() -> Story:
    facts = [Fact(text=BAD, status="disputed", support=[support(BAD, BAD, BAD)], independent_sources=1)]
    disputes = [Dispute(fact=0, about="amount", sides=[DisputeSide(value=BAD, outlets=[BAD]), DisputeSide(value=BAD)])]
    analysis = Analysis(id=BAD, outlet=BAD, quotes=[quote(BAD, True), quote(BAD)])
    return Story(
        story="s",
        facts=facts,
        disputes=disputes,
        brief=brief.build_brief(facts, disputes),
        sourcing=sourcing.build_sourcing([(Article(id=BAD, text="x"), analysis)], facts, disputes),
    )


def test_sections_show_in_every_format() -> None:
    story = Story(story="s", facts=FACTS, disputes=DISPUTES, brief=brief.build_brief(FACTS, DISPUTES))
    story.sourcing = sourcing.build_sourcing(items(), FACTS, DISPUTES)
    for fmt in ("text", "md", "html"):
        out = render(story, fmt)
        for heading in ("Brief", "Disputes", "Sourcing"):
            assert heading in out, (fmt, heading)
        assert "19 people" in out and "disputes" in out and "Cy Diaz" in out


def test_sections_are_left_out_when_empty() -> None:
    for fmt in ("text", "md", "html"):
        out = render(Story(story="s"), fmt)
        assert "Brief" not in out and "Disputes" not in out and "Sourcing" not in out


def test_hostile_text_in_new_sections_stays_inert() -> None:
    story = hostile_story()
    html = render(story, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = render(story, "md")
    assert "<script>" not in md and "\x1b" not in md
    assert not any(line.startswith("next") for line in md.splitlines())  # article newlines cannot end a row
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows and all(re.fullmatch(r"\|(?:(?:\\.|[^|\\])*\|)+", row) for row in rows)
    text = render(story, "text")
    assert "\x1b" not in text and "alert(1)" in text
