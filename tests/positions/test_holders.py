"""Positions from texts written for the tests: each cue family, negation, hedges, reported
stances, coordination into two actors, quotes and the question's relevance."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storydesk import nlp, pipeline
from storydesk.annotate import parse
from storydesk.errors import StaleParseError
from storydesk.models import Analysis, Article, Position
from storydesk.positions import holders as positions
from storydesk.positions import question

pytestmark = pytest.mark.slow

QUESTION = "Should the bloc admit Freedonia as a member?"


def stances(text: str, question: str | None = QUESTION) -> dict[str, Position]:
    art = Article(id="t", text=text)
    items: list[tuple[Article, Analysis]] = [(art, next(iter(pipeline.analyze([art]))))]
    asked = nlp.parse_question(question) if question else None
    return {p.actor: p for p in positions.build_positions(items, [], asked).stances}


def test_support_verb_phrase() -> None:
    got = stances("Poland argued in favor of Freedonia's membership of the bloc on Monday.")
    assert got["Poland"].stance == "support"
    assert "in favor of" in got["Poland"].evidence[0].text


def test_oppose_verb() -> None:
    assert stances("Austria rejects Freedonia joining the bloc.")["Austria"].stance == "oppose"


def test_noun_cue_with_possessor() -> None:
    got = stances("The bloc ignored Freedonia's call for membership at the summit.")
    assert got["Freedonia"].stance == "support"


def test_negated_support_opposes() -> None:
    assert stances("Spain does not support Freedonia's membership.")["Spain"].stance == "oppose"


def test_negated_opposition_is_neutral() -> None:
    assert stances("Spain does not oppose Freedonia's membership.")["Spain"].stance == "neutral"


def test_hedged_support_is_unclear() -> None:
    assert stances("Portugal may back Freedonia's membership.")["Portugal"].stance == "unclear"


def test_reported_stance_goes_to_the_subject_not_the_reporters() -> None:
    got = stances("According to diplomats, Belgium opposes Freedonia's membership.")
    assert set(got) == {"Belgium"}
    assert got["Belgium"].stance == "oppose"


def test_reversal_object_flips_the_cue() -> None:
    got = stances("Ireland has proposed postponing Freedonia's membership until next year.")
    assert got["Ireland"].stance == "oppose"


def test_coordination_and_examples_yield_each_state() -> None:
    text = (
        "Some members have voiced opposition to Freedonia joining the bloc. Others signalled they do not "
        "think the time is right, such as the French and Italian governments."
    )
    got = stances(text)
    assert got["France"].stance == "oppose"
    assert got["Italy"].stance == "oppose"


def test_support_and_opposition_make_mixed() -> None:
    text = "Greece backs Freedonia's membership. Later Greece rejected Freedonia's membership."
    assert stances(text)["Greece"].stance == "mixed"


def test_cue_about_something_else_is_ignored() -> None:
    assert stances("Norway rejects the new fishing quota.") == {}


def test_benefit_in_a_speakers_words_supports() -> None:
    got = stances("Chancellor Anna Berg said membership would strengthen the whole region.")
    assert got["Anna Berg"].stance == "support"


def test_official_is_affiliated_with_the_state() -> None:
    got = stances("Hungarian Foreign Minister Peter Kovacs rejected Freedonia's membership.")
    assert got["Peter Kovacs"].affiliation == "Hungary"


def test_question_is_proposed_from_the_contested_object() -> None:
    art = Article(id="t", text="Freedonia called for membership in the bloc. Spain opposes its membership.")
    items = [(art, next(iter(pipeline.analyze([art]))))]
    result = positions.build_positions(items, [], None)
    assert result.question is not None and "membership" in result.question


def test_combine() -> None:
    assert positions.combine(["support", "unclear"]) == "support"
    assert positions.combine(["support", "oppose"]) == "mixed"
    assert positions.combine(["unclear"]) == "unclear"


def test_cue_touching_only_a_side_word_of_the_question_is_ignored() -> None:
    # Shares "bloc" with the question, but is about a quota, not about admitting Freedonia.
    assert stances("Norway criticized the bloc's new fishing quota.") == {}


def test_hedge_above_the_cue_makes_it_unclear() -> None:
    got = stances("Portugal appears ready to block Freedonia's membership.")
    assert got["Portugal"].stance == "unclear"
    assert "appears" in got["Portugal"].evidence[0].text


def test_holder_of_a_relative_clause_is_what_it_modifies() -> None:
    got = stances("Poland, which backs Freedonia's membership, hosted the talks.")
    assert got["Poland"].stance == "support"


def test_relative_clause_on_a_thing_has_no_holder() -> None:
    got = stances("Spain praised rules that favor Freedonia's membership.")
    # The rules' favour is no one's: Spain, speaking on the question, takes no side by it.
    assert all(p.stance == "neutral" for p in got.values())


def test_evidence_reaches_the_verb_that_holds_the_stance() -> None:
    got = stances("Spain encouraged Freedonia to seek membership of the bloc.")
    assert got["Spain"].stance == "support"
    assert got["Spain"].evidence[0].text.startswith("encouraged")


def test_unnamed_holders_are_not_actors() -> None:
    assert positions.named("Republicans")
    assert positions.named("Hungary")
    assert not positions.named("one senator")
    assert not positions.named("Dozens")
    assert not positions.named("Even some justices")
    assert not positions.named('"Wal-Mart Way')


def test_a_nations_people_are_not_its_state() -> None:
    assert "Austria" not in stances("Most Austrians oppose Freedonia's membership, a poll found.")


def test_negated_object_verb_flips_the_cue() -> None:
    assert stances("Spain urged Freedonia not to seek membership.")["Spain"].stance == "oppose"


def test_what_someone_should_do_is_the_speakers_stance() -> None:
    got = stances("Austria should back Freedonia's membership, Anna Berg said.")
    assert "Austria" not in got
    assert got["Anna Berg"].stance == "support"


def test_an_open_question_is_unclear() -> None:
    got = stances("Reporters asked whether Austria backs Freedonia's membership.")
    assert got["Austria"].stance == "unclear"


def test_a_dateline_is_no_holder() -> None:
    doc = nlp.load_base()("VIENNA — NATO backs Freedonia's membership.")
    assert positions._dateline(doc[0])
    assert not positions._dateline(doc[2])


@pytest.mark.parametrize(
    "text",
    [
        "Austria argued in favor of the fishing quota at talks on Freedonia's membership of the bloc.",
        "Austria rejected the fishing quota during the debate over admitting Freedonia to the bloc.",
    ],
)
def test_the_object_ends_before_the_verbs_own_phrases(text: str) -> None:
    """Where and when the holder spoke ("at talks on X") is no part of what the stance is on."""
    assert stances(text) == {}


def test_a_cue_in_a_verbless_line_stops_at_its_root() -> None:
    doc = nlp.load_base()("Talks on the bloc, the time right for Freedonia.")
    assert not any(t.pos_ in ("VERB", "AUX") for t in doc)
    verb = positions._verb_of(doc[3])  # it climbed forever before: no verb above, the root its own head
    assert verb.head.i == verb.i


def test_a_dossier_parses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions read the parses the analyses keep, and the given question's own parse."""
    art = Article(id="t", text="Austria rejects Freedonia joining the bloc. Spain backs Freedonia's membership.")
    items = [(art, next(iter(pipeline.analyze([art]))))]
    asked = nlp.parse_question(QUESTION)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("spaCy ran while building positions")

    monkeypatch.setattr(Language, "__call__", no_parsing)
    monkeypatch.setattr(Language, "pipe", no_parsing)
    given = {p.actor: p.stance for p in positions.build_positions(items, [], asked).stances}
    assert given == {"Austria": "oppose", "Spain": "support"}
    assert positions.build_positions(items, [], None).question is not None


def test_a_proposed_question_is_read_as_if_typed() -> None:
    """The proposed question's terms come from its own parse, made with its article's."""
    art = Article(id="t", text="Freedonia called for membership in the bloc. Spain opposes its membership.")
    an = next(iter(pipeline.analyze([art])))
    assert an.parse is not None
    result = positions.build_positions([(art, an)], [], None)
    assert result.question is not None
    kept = parse.from_bytes(an.parse).questions[result.question]
    typed = nlp.load_base()(result.question)
    assert question.terms(kept) == question.terms(typed) and question.core(kept) == question.core(typed)


def test_an_analysis_without_its_parse_is_refused() -> None:
    art = Article(id="t", text="Spain backs Freedonia's membership.")
    with pytest.raises(ValueError, match="keeps no parse"):
        positions.build_positions([(art, Analysis(id="t"))], [], None)


def test_a_parse_kept_without_the_proposed_question_is_refused() -> None:
    art = Article(id="t", text="Freedonia called for membership in the bloc. Spain opposes its membership.")
    an = next(iter(pipeline.analyze([art])))
    an.parse = parse.to_bytes(nlp.load_base()(art.text))  # the article's parse alone
    with pytest.raises(StaleParseError, match="no kept parse of the proposed question"):
        positions.build_positions([(art, an)], [], None)


def test_committing_verb_with_a_vote_count_supports_its_infinitive() -> None:
    # "voted 3-1 to": the count between the verb and its infinitive breaks a phrase cue.
    got = stances("Poland voted 25-2 to admit Freedonia as a member of the bloc.")
    assert got["Poland"].stance == "support"
    assert "voted" in got["Poland"].evidence[0].text


def test_committing_to_a_reversal_opposes() -> None:
    got = stances("Austria decided to put Freedonia's membership of the bloc on hold.")
    assert got["Austria"].stance == "oppose"


def test_a_meeting_is_the_summit_asked_about() -> None:
    got = stances(
        "Poland called for the cancellation of the meeting with Freedonia.",
        "Should the bloc cancel its summit with Freedonia?",
    )
    assert got["Poland"].stance == "support"


def test_a_participle_stance_belongs_to_the_noun_it_describes() -> None:
    # "X, a member opposed to Y": the apposition's participle is X's stance.
    got = stances("Austria, a member opposed to Freedonia's membership, met the bloc on Monday.")
    assert got["Austria"].stance == "oppose"
    got = stances("Diplomats met Poland, a member pushing for Freedonia's membership of the bloc.")
    assert got["Poland"].stance == "support"


def test_a_passive_participle_is_not_the_described_nouns_stance() -> None:
    got = stances("Freedonia's membership, backed by Poland, was discussed on Monday.")
    assert got.get("Freedonia") is None


def test_the_members_of_a_body_acting_together_are_the_body() -> None:
    got = stances("Members of the Ruritanian Parliament voted 300-0 to admit Freedonia as a member of the bloc.")
    assert got["Ruritanian Parliament"].stance == "support"


def test_some_members_of_a_body_are_not_the_body() -> None:
    got = stances("Twelve members of the Ruritanian Parliament voted to admit Freedonia as a member of the bloc.")
    assert "Ruritanian Parliament" not in got


def test_conditional_support_is_mixed() -> None:
    got = stances("Poland would back Freedonia's membership if Freedonia meets the bloc's rules.")
    assert got["Poland"].stance == "mixed"


def test_a_stance_adjective_after_its_verb_is_a_cue() -> None:
    got = stances("Austria remains opposed to Freedonia's membership of the bloc.")
    assert got["Austria"].stance == "oppose"
    got = stances("Poland is supportive of Freedonia's membership of the bloc.")
    assert got["Poland"].stance == "support"


def test_an_actors_cues_and_words_are_read_together() -> None:
    # A cue that takes a side decides; words decide where cues take none; both kinds count.
    assert positions.actor_stance(["support"], [-1]) == "support"
    assert positions.actor_stance(["support", "oppose"], [1]) == "mixed"
    assert positions.actor_stance(["unclear"], [1, 1, -1]) == "support"
    assert positions.actor_stance(["neutral"], [-1]) == "oppose"
    assert positions.actor_stance([], [0, 0]) == "neutral"
    assert positions.actor_stance(["unclear"], [0]) == "neutral"
    assert positions.actor_stance([], []) == "unclear"


def test_words_on_the_question_decide_where_the_cue_is_hedged() -> None:
    text = (
        "Portugal may back Freedonia's membership of the bloc. "
        '"Freedonia\'s membership would be a welcome step," Portuguese Foreign Minister Ana Silva said.'
    )
    got = stances(text)
    assert got["Portugal"].stance == "unclear"
    assert got["Ana Silva"].stance == "support"


def test_a_proposals_purpose_is_part_of_its_object() -> None:
    # What is wanted is Freedonia joining; a clause with a conjunction is no purpose.
    got = stances("Poland said it wanted to bring in Freedonia to join the bloc.")
    assert got["Poland"].stance == "support"
    got = stances("Poland wanted to bring in Freedonia because it could join the bloc later.")
    assert "Poland" not in got


def test_judging_whom_the_undone_thing_is_with_is_no_stance_on_undoing_it() -> None:
    # Cancelling the summit with Freedonia's president: challenging him is not judging the
    # summit; calling the summit dangerous is being for cancelling it.
    asked = "Should the bloc cancel its summit with President Rudolf Kessler?"
    said = "said Jan Nowak, the foreign minister of Poland."
    got = stances(f'"We have to challenge President Rudolf Kessler at the summit," {said}', asked)
    assert got["Jan Nowak"].stance == "neutral"
    got = stances(f'"The summit is dangerous," {said}', asked)
    assert got["Jan Nowak"].stance == "support"


def test_one_of_two_courses_offered_is_mixed() -> None:
    asked = "Should the bloc cancel its summit with Freedonia?"
    got = stances("Poland told the bloc to set clear terms for Freedonia, or cancel the summit.", asked)
    assert got["Poland"].stance == "mixed"
    got = stances("Poland told the bloc to postpone or cancel the summit with Freedonia.", asked)
    assert got["Poland"].stance == "support"


def test_a_relative_clause_on_an_apposition_is_the_named_actors() -> None:
    # "X, a member state that has backed Y": the state the apposition describes holds it.
    got = stances("Poland, a large member state that has backed Freedonia's membership of the bloc, met the bloc.")
    assert got["Poland"].stance == "support"


def test_skipping_the_event_opposes_it() -> None:
    text = (
        "Mayor Lena Ortiz will address the city council on Friday. Councilwoman Ann Vale said she will skip the event."
    )
    got = stances(text, "Should Lena Ortiz address the city council?")
    assert got["Ann Vale"].stance == "oppose"


def test_defending_a_decision_supports_it() -> None:
    text = "The Harbour Agency defended its decision to approve the dredging plan on Monday."
    got = stances(text, "Should the council approve the dredging plan?")
    assert got["Harbour Agency"].stance == "support"


def test_defending_against_a_challenge_to_the_law_opposes_striking_it_down() -> None:
    text = "Attorney General Tom Reyes vowed to defend against the lawsuit challenging the parking ordinance."
    got = stances(text, "Should the court strike down the parking ordinance?")
    assert got["Tom Reyes"].stance == "oppose"


def test_steering_clear_of_the_question_is_neutral() -> None:
    text = (
        "Senators urged the governor to cancel the river festival. "
        "Senator Ann Vale steered clear of discussing whether the governor should cancel the river festival."
    )
    got = stances(text, "Should the governor cancel the river festival?")
    assert got["Ann Vale"].stance == "neutral"


def test_a_stance_noun_with_an_infinitive_takes_its_object() -> None:
    text = "Mayor Lena Ortiz repeated her call to release the water report on Monday."
    got = stances(text, "Should the water report be released?")
    assert got["Lena Ortiz"].stance == "support"


def test_a_conjoined_verb_takes_its_first_verbs_subject() -> None:
    text = (
        'Ann Vale said: "Those are people who never liked the harbour and want to stop the dredging plan." '
        '"The dredging plan is a welcome step," Vale said.'
    )
    got = stances(text, "Should the council approve the dredging plan?")
    assert got["Ann Vale"].stance == "support"


def test_a_relative_clause_on_a_pronoun_object_is_what_the_cue_is_about() -> None:
    text = "Governor Ann Vale does not support anything that would close the harbour."
    got = stances(text, "Should the council close the harbour?")
    assert got["Ann Vale"].stance == "oppose"


def test_pushing_someone_to_act_supports_the_act_and_pushing_back_does_not() -> None:
    asked = "Should the council approve the dredging plan?"
    got = stances("Mayor Jo Lin is pushing the council to approve the dredging plan.", asked)
    assert got["Jo Lin"].stance == "support"
    got = stances("Mayor Jo Lin pushed back against the dredging plan on Monday.", asked)
    assert got["Jo Lin"].stance == "oppose"


def test_defending_its_decision_described_as_something_supports_it() -> None:
    text = "The Harbour Agency defended its decision as part of a wider plan for the coast."
    got = stances(text, "Should the council approve the dredging plan?")
    assert got["Harbour Agency"].stance == "support"


@pytest.mark.parametrize("text", ["the move", "its decision", "its decision as a first step"])
def test_a_proposal_noun_alone_takes_up_the_proposal(text: str) -> None:
    doc = nlp.load_base()(f"They backed {text}.")
    assert positions.takes_up(list(doc[2:-1]))


@pytest.mark.parametrize("text", ["its decision to close the port", "the plan of the mayor", "the new mayor"])
def test_a_proposal_noun_that_says_which_takes_up_nothing(text: str) -> None:
    doc = nlp.load_base()(f"They backed {text}.")
    assert not positions.takes_up(list(doc[2:-1]))


def test_a_negated_cue_set_against_the_same_cue_affirmed_is_a_correction() -> None:
    asked = "Should the city release the full audit?"
    text = 'Mayor Jo Lin said: "I do not want a summary of the audit. I want the full audit released."'
    assert stances(text, asked)["Jo Lin"].stance == "support"
    text = 'Mayor Jo Lin said: "I do not want the full audit released. I want a summary of it."'
    assert stances(text, asked)["Jo Lin"].stance == "oppose"
    assert stances("Mayor Jo Lin does not want the full audit released.", asked)["Jo Lin"].stance == "oppose"


def _story_contexts(text: str) -> list[positions.ArticleContext]:
    art = Article(id="t", text=text)
    return positions._contexts([(art, next(iter(pipeline.analyze([art]))))], [])[0]


def test_a_defended_thing_the_story_attacks_is_asked_about_as_its_undoing() -> None:
    text = (
        "Attorney General Tom Reyes vowed to defend the parking ordinance on Monday. "
        "Riverton and Lakeside sued the city to overturn the parking ordinance."
    )
    ctx = _story_contexts(text)[0]
    _, challenged = positions._all_objects([ctx])
    assert [o.text for o in challenged] == ["the parking ordinance"]
    assert challenged[0].sent.start == 0  # the defended one, not the attacked one
    asked = question.as_question(challenged[0], challenged=True)
    assert asked == "Should the parking ordinance be overturned?"
    assert asked in positions.proposable_questions(ctx.doc)
    assert question.as_question(challenged[0]) == "Should the parking ordinance go ahead?"


def test_a_defended_thing_no_one_attacks_is_asked_about_as_it_is() -> None:
    ctx = _story_contexts("Attorney General Tom Reyes defended the parking ordinance. Mayor Ann Vale backs it.")[0]
    assert positions._all_objects([ctx])[1] == []


def test_what_a_question_undoes_takes_the_participle_naming_it() -> None:
    doc = parse.from_bytes(nlp.parse_question("Should the city's old law banning kites be overturned?").parse).doc
    topic = positions._topic(doc)
    assert topic.reverses and {"law", "ban", "kite"} <= topic.undone


def test_a_passage_is_shown_once_as_evidence() -> None:
    # "called on X to cancel Y" holds two cues of one stance in one passage.
    text = 'Senator Ann Lee called on President Bob Hart to cancel the summit. "He should cancel it," Lee said.'
    found = stances(text, "Should the president cancel the summit?")
    spans = [(e.article, tuple(e.span)) for e in found["Ann Lee"].evidence]
    assert found["Ann Lee"].stance == "support"
    assert len(spans) == len(set(spans)) >= 1
