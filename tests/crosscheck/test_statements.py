"""Statements: sentences of an analysed article with their attribution, actors, amounts and dates."""

from __future__ import annotations

import pytest

from storydesk.crosscheck import statements
from storydesk.crosscheck.statements import (
    content_terms,
    dates_in,
    predicate_terms,
    split_statements,
    stem,
)
from storydesk.models import Amount, Analysis, Article, Entity, Mention, Quote, Speaker

TEXT = (
    "Mr. Smith met officials in the U.S. capital on Tuesday. "
    "The storm killed 12 people in Lowtown, officials said.\n"
    "“We will rebuild the bridge,” Mayor Ann Lee said. "
    "An aide who asked not to be named said the budget was 3 million dollars."
)


def analysis() -> Analysis:
    lee = TEXT.index("We will")
    aide = TEXT.index("the budget")
    return Analysis(
        id="a1",
        outlet="Daily Test",
        entities=[
            Entity(text="Smith", label="PERSON", span=(4, 9), actor="John Smith"),
            Entity(
                text="Lowtown", label="GPE", span=(TEXT.index("Lowtown"), TEXT.index("Lowtown") + 7), actor="Lowtown"
            ),
        ],
        quotes=[
            Quote(
                text="We will rebuild the bridge,",
                span=(lee, lee + 27),
                kind="direct",
                speaker=Speaker(name="Ann Lee", mention=Mention(text="Ann Lee", span=(lee + 35, lee + 42))),
            ),
            Quote(
                text="the budget was 3 million dollars",
                span=(aide, aide + 32),
                kind="indirect",
                speaker=Speaker(name="an aide", anonymous=True),
            ),
        ],
        amounts=[
            Amount(
                text="12 people", span=(TEXT.index("12 people"), TEXT.index("12 people") + 9), value=12, unit="people"
            )
        ],
    )


def test_statements_carry_attribution_amounts_actors_places_and_dates() -> None:
    sts = split_statements(Article(id="a1", text=TEXT), analysis())
    assert [st.attribution.kind for st in sts] == ["narration", "narration", "named", "anonymous"]
    assert sts[2].attribution.speaker == "Ann Lee" and "Ann Lee" in sts[2].actors
    assert sts[3].attribution.speaker == "an aide"
    assert sts[0].actors == {"John Smith"} and "weekday:tuesday" in sts[0].dates
    assert sts[1].places == {"Lowtown"} and [m.value for m in sts[1].amounts] == [12]
    assert all(TEXT[st.span[0] : st.span[1]] == st.text for st in sts)


def test_short_fragments_and_credit_lines_are_not_statements() -> None:
    text = (
        "Breaking news.\nReporting by Jo Writer; editing by Al Editor\nThe council approved the new budget on Monday."
    )
    an = Analysis(id="b", credits=["Jo Writer", "Al Editor"])
    assert [st.text for st in split_statements(Article(id="b", text=text), an)] == [
        "The council approved the new budget on Monday."
    ]


def test_dates_are_normalised() -> None:
    assert dates_in("On March 3, 2024, and on Friday") == {"month:3-3", "year:2024", "weekday:friday"}
    assert dates_in("on Dec. 25") == {"month:12-25"}


def test_stems_and_terms_match_inflections_without_stop_words() -> None:
    assert stem("killed") == stem("kills") == stem("killing") == "kill"
    assert stem("countries") == "country"
    assert content_terms("The soldiers said they were killed") == ("soldier", "kill")


def _reported(text: str, quoted: str) -> Analysis:
    start = text.index(quoted)
    africa = text.index("Africa")
    return Analysis(
        id="r",
        entities=[Entity(text="Africa", label="LOC", span=(africa, africa + 6), actor="Africa")],
        quotes=[
            Quote(
                text=quoted,
                span=(start, start + len(quoted)),
                kind="indirect",
                speaker=Speaker(name="Jo Park", mention=Mention(text="Jo Park", span=(0, 7))),
            )
        ],
    )


def test_a_reported_statement_claims_the_quoted_words_not_the_speakers_titles() -> None:
    text = "Jo Park, the senior director for Africa at the agency, said the bridge would reopen to traffic in May."
    (st,) = split_statements(Article(id="r", text=text), _reported(text, "the bridge would reopen to traffic in May"))
    assert st.claim == "the bridge would reopen to traffic in May"
    assert "bridge" in st.claim_terms and "director" not in st.claim_terms and "director" in st.terms
    # the place in the speaker's title is in the sentence, not in what it reports
    assert st.places == {"Africa"} and not st.claim_places


def test_a_quote_too_short_to_stand_alone_claims_the_whole_sentence() -> None:
    text = "Jo Park, the director for Africa, called the plan simply unworkable on Monday."
    (st,) = split_statements(Article(id="r", text=text), _reported(text, "unworkable"))
    assert st.claim == text and st.claim_places == {"Africa"}


def test_narration_claims_the_whole_sentence() -> None:
    (first, *_) = split_statements(Article(id="a1", text=TEXT), analysis())
    assert first.claim == first.text and first.claim_terms == first.terms


def test_paraphrased_predicates_share_one_class() -> None:
    """Words and phrases of one kind of happening map to one class term, whatever their form;
    a word in another sense ("named" as in called) maps to none."""
    assert predicate_terms("Two climbers were killed on the ridge") == ("=death",)
    assert predicate_terms("The death toll rose to nine") == ("=death",)
    assert predicate_terms("the choice is now in the hands of the new board") == ("=responsibility",)
    assert predicate_terms("that will be a matter for the next government") == ("=responsibility",)
    assert predicate_terms("The chief stepped down and was later arrested") == ("=resignation", "=arrest")
    assert predicate_terms("a farmer named Olsen sold his barn") == ()


def test_statements_carry_the_predicate_classes_of_their_claim() -> None:
    text = "Jo Park, the director for Africa, said the decision now rests with the new council."
    (st,) = split_statements(Article(id="r", text=text), _reported(text, "the decision now rests with the new council"))
    assert st.predicates == st.claim_predicates == ("=responsibility",)
    assert not any(t.startswith("=") for t in st.terms)


def test_a_very_long_text_is_cross_checked_on_its_first_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statements, "MAX_STATEMENTS", 3)
    text = " ".join(f"Council member number {i} voted for the plan." for i in range(10))
    found = split_statements(Article(id="long", text=text), Analysis(id="long"))
    assert [st.text for st in found] == [f"Council member number {i} voted for the plan." for i in range(3)]


def test_headings_questions_and_page_furniture_are_not_statements() -> None:
    """A fact is a checkable statement: a line without a sentence end (a heading), a question,
    a promotion, a caption credit or a helpline box asserts nothing to check."""
    kept = "The council voted on Monday to close the harbour bridge for repairs."
    text = (
        "Harbour Bridge To Close For Two Months After Council Vote\n"
        f"{kept}\n"
        "So what happens to the ferry after that?\n"
        "Sign up for our morning newsletter to get the top stories in your inbox.\n"
        "If you or someone you know needs support, call the helpline on 0800 555 0199.\n"
        "Call 555-013-4477 for the emergency crisis line at any time.\n"
        "The mayor said the works would start in May."
    )
    found = [st.text for st in split_statements(Article(id="a", text=text), Analysis(id="a"))]
    assert found == [kept, "The mayor said the works would start in May."]


def test_a_line_introducing_a_quote_and_a_reported_question_stay() -> None:
    assert statements.checkable("The minister said in a statement:\nWe act.", (0, 33))
    asked = "Reporters asked whether the bridge would reopen in May."
    assert statements.checkable(asked, (0, len(asked)))
    assert statements.is_question("Will the bridge reopen in May?”")
    assert statements.is_heading("Bridge closes\nIt does.", (0, 13))
    assert not statements.is_heading("The bridge closes. It does.", (0, 18))
