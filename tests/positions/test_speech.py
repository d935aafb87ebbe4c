"""Stances from what actors say and do, on texts written for the tests (issue 19): a quote's
judgement words, a call for the question's own action, a question that undoes something, a
proposal taken up without its name, and a group quoted through "the group"."""

from __future__ import annotations

import pytest

from storydesk import nlp, pipeline
from storydesk.models import Analysis, Article, Position
from storydesk.positions import holders as positions
from storydesk.positions import speech

pytestmark = pytest.mark.slow


def stances(text: str, asked: str) -> dict[str, Position]:
    art = Article(id="s", text=text)
    items: list[tuple[Article, Analysis]] = [(art, next(iter(pipeline.analyze([art]))))]
    return {p.actor: p for p in positions.build_positions(items, [], nlp.parse_question(asked)).stances}


def test_an_actor_quoted_through_the_group_gets_the_groups_stance() -> None:
    text = (
        "The Coastal Anglers Alliance has fought the harbour dredging plan for a year. "
        '"The dredging plan is reckless and dangerous," the group said in a statement on Monday.'
    )
    got = stances(text, "Should the council approve the harbour dredging plan?")
    assert got["Coastal Anglers Alliance"].stance == "oppose"
    assert "reckless" in got["Coastal Anglers Alliance"].evidence[0].text


def test_a_quote_judging_the_proposal_well_is_support() -> None:
    text = 'Mayor Lena Ortiz praised the dredging plan. "The harbour dredging plan is a welcome step," Ortiz said.'
    got = stances(text, "Should the council approve the harbour dredging plan?")
    assert got["Lena Ortiz"].stance == "support"


def test_a_quote_on_the_question_without_judgement_is_neutral() -> None:
    text = 'Engineer Paul Grant described the works. "The harbour dredging plan takes two years," Grant said.'
    assert stances(text, "Should the council approve the harbour dredging plan?")["Paul Grant"].stance == "neutral"


def test_a_negated_judgement_counts_the_other_way() -> None:
    text = 'Senator Mia Stone spoke on Tuesday. "The harbour dredging plan is not dangerous," Stone said.'
    assert stances(text, "Should the council approve the harbour dredging plan?")["Mia Stone"].stance == "support"


def test_a_command_of_the_questions_action_is_support() -> None:
    text = 'Senator Rob Kane wrote to the governor about the festival. "Cancel the festival now," Kane said.'
    assert stances(text, "Should the governor cancel the festival?")["Rob Kane"].stance == "support"


def test_urging_a_reversal_supports_a_question_that_asks_for_it() -> None:
    text = "Senator Rob Kane urged the governor to cancel the river festival on Friday."
    assert stances(text, "Should the governor cancel the river festival?")["Rob Kane"].stance == "support"


def test_calling_for_a_reversal_noun_opposes_the_thing_undone() -> None:
    text = "Senator Rob Kane called for the cancellation of the river festival on Friday."
    assert stances(text, "Should the river festival go ahead?")["Rob Kane"].stance == "oppose"


def test_judging_what_a_reversal_would_undo_badly_supports_it() -> None:
    text = 'Attorney General Ana Ruiz filed the suit. "The river festival has damaged the town," Ruiz said.'
    assert stances(text, "Should the court halt the river festival?")["Ana Ruiz"].stance == "support"


def test_judging_the_lawsuit_itself_keeps_its_sign() -> None:
    text = 'Governor Tom Reyes answered the suit. "This lawsuit to halt the river festival is reckless," Reyes said.'
    assert stances(text, "Should the court halt the river festival?")["Tom Reyes"].stance == "oppose"


def test_a_cue_on_this_action_is_on_the_question_as_asked() -> None:
    text = "Two states asked the court to halt the river festival. Mayor Jo Lin said she backs this action."
    assert stances(text, "Should the court halt the river festival?")["Jo Lin"].stance == "support"


def test_a_one_word_name_the_tagger_missed_is_its_actor() -> None:
    from storydesk.models import ActorRef

    doc = nlp.load_base()("Zorvex said on Friday that it was open to talks. Officials met Zorvex later.")
    analysis = Analysis(id="z", actors=[ActorRef(name="Zorvex", kind="organization")])
    found = positions._token_actors(doc, analysis)
    assert {doc[i].text for i in found} == {"Zorvex"} and set(found.values()) == {"Zorvex"}
    assert len(found) == sum(t.pos_ == "PROPN" and t.text == "Zorvex" for t in doc)


def test_a_name_of_several_words_the_tagger_missed_is_its_actor() -> None:
    from storydesk.models import ActorRef

    doc = nlp.load_base()("Third Path said it favors cuts. Critics of Third Path disagreed. Third Pathway did not.")
    analysis = Analysis(id="z", actors=[ActorRef(name="Third Path", kind="organization")])
    found = positions._missed_names(doc, analysis, {0: "Other"})
    assert {doc[i].text for i in found} == {"Third", "Path"} and set(found.values()) == {"Third Path"}
    assert 0 not in found and 1 not in found  # a mention already read is kept
    assert not any(doc[i].text == "Pathway" for i in found)  # whole words only


def test_welcoming_a_reversal_is_against_what_it_undoes() -> None:
    text = (
        "Senator Mia Stone spoke about the harbour dredging plan. "
        '"It is great that the council was forced to reconsider the dredging plan," Stone said.'
    )
    assert stances(text, "Should the council approve the harbour dredging plan?")["Mia Stone"].stance == "oppose"


def test_the_speakers_own_intention_to_act_is_support() -> None:
    text = 'Mayor Jo Lin spoke on Monday. "I will go to the capital to open the river festival," Lin said.'
    assert stances(text, "Should the mayor open the river festival?")["Jo Lin"].stance == "support"


def test_a_judgement_of_something_else_through_a_relative_pronoun_does_not_count() -> None:
    text = (
        "Mayor Jo Lin spoke about the river festival on Monday. "
        '"I worry about a storm that could threaten the town," Lin said.'
    )
    assert stances(text, "Should the mayor open the river festival?")["Jo Lin"].stance == "neutral"


def test_a_harm_participle_judges_the_subject_of_its_clause() -> None:
    doc = nlp.load_base()("The cheap gas flows into the valley, undermining the local farms.")
    participle = next(t for t in doc if t.lower_ == "undermining")
    assert [t.lower_ for t in speech.judged(participle)][:1] == ["gas"]


def test_a_call_to_act_on_what_is_asked_about_is_for_it() -> None:
    asked = "Should the agency make the water report public?"
    text = 'Senator Mia Stone spoke on Tuesday about the water report. "The report must be released now," Stone said.'
    assert stances(text, asked)["Mia Stone"].stance == "support"
    text = 'Senator Mia Stone spoke about the water report. "The water report needs to be released," Stone said.'
    assert stances(text, asked)["Mia Stone"].stance == "support"
    # A preview of the report is a preview: what the call acts on is named by its head.
    text = 'Senator Mia Stone spoke about the report. "Give nobody a preview of the water report," Stone said.'
    assert stances(text, asked)["Mia Stone"].stance == "neutral"


def test_a_call_to_keep_what_a_question_would_undo_is_against_undoing_it() -> None:
    text = 'Senator Rob Kane wrote about the river festival. "We must hold the river festival," Kane said.'
    assert stances(text, "Should the governor cancel the river festival?")["Rob Kane"].stance == "oppose"


def test_a_law_called_unconstitutional_is_for_striking_it_down() -> None:
    text = 'Governor Ann Vale filed the suit on Monday. "The parking ordinance is unconstitutional," Vale said.'
    got = stances(text, "Should the court strike down the parking ordinance?")
    assert got["Ann Vale"].stance == "support"


def test_a_pronoun_judged_in_a_story_about_undoing_is_the_thing_undone() -> None:
    text = 'Governor Ann Vale sued over the parking ordinance. "It is illegal," Vale said of the parking ordinance.'
    got = stances(text, "Should the court strike down the parking ordinance?")
    assert got["Ann Vale"].stance == "support"


def test_co_speakers_share_the_quotes_stance() -> None:
    text = (
        "Mayor Tom Reyes and Governor Ann Vale spoke on Monday. "
        '"The parking ordinance is reckless," Reyes and Vale said.'
    )
    got = stances(text, "Should the council approve the parking ordinance?")
    assert got["Tom Reyes"].stance == "oppose"
    assert got["Ann Vale"].stance == "oppose"


def test_a_participle_after_a_reporting_verb_judges_the_quotes_subject() -> None:
    doc = nlp.load_base()('"The smoke drifts into the valley," the report says, harming the farms.')
    harming = next(t for t in doc if t.lower_ == "harming")
    assert [t.lower_ for t in speech.judged(harming)][:1] == ["smoke"]


def test_a_spokesman_speaks_for_the_organisation_named_beside_him() -> None:
    text = (
        "The Harbour Trust has campaigned on the river for years. "
        'Tom Reyes, a spokesman for the Harbour Trust, said on Monday: "The dredging plan is reckless."'
    )
    got = stances(text, "Should the council approve the dredging plan?")
    assert got["Tom Reyes"].stance == "oppose"
    assert got["Harbour Trust"].stance == "oppose"


def test_an_organisation_is_listed_before_its_spokesman() -> None:
    text = (
        "Tom Reyes, president of the Harbour Trust, opposed the dredging plan on Monday. "
        "The Harbour Trust has long opposed the dredging plan."
    )
    names = list(stances(text, "Should the council approve the dredging plan?"))
    assert names.index("Harbour Trust") < names.index("Tom Reyes")


def test_principal_first_moves_only_organisations_with_a_spokesperson() -> None:
    order = positions.principal_first(["A", "Reyes", "B", "Trust"], {"Reyes": "Trust"})
    assert order == ["A", "Trust", "Reyes", "B"]


def test_a_town_beside_a_lawyer_is_where_she_is_from_not_her_principal() -> None:
    text = 'Ann Vale, a Denver lawyer, said on Monday: "The dredging plan is reckless."'
    got = stances(text, "Should the council approve the dredging plan?")
    assert "Denver" not in got


def test_gratitude_for_a_reconsidered_plan_is_against_the_plan() -> None:
    text = (
        "Ann Vale, head of the Harbour Trust, said she was grateful "
        "that the council would reconsider the dredging plan."
    )
    got = stances(text, "Should the council approve the dredging plan?")
    assert got["Ann Vale"].stance == "oppose"


def test_a_word_of_the_question_is_no_judgement() -> None:
    text = 'Ann Vale spoke on Monday. "Benefits for pensioners would be cut next year," Vale said.'
    got = stances(text, "Should pension benefits be cut?")
    assert got["Ann Vale"].stance == "neutral"


def test_undoing_the_unnamed_proposal_is_on_the_question() -> None:
    text = "The harbour board met on Tuesday. Ann Vale said she was grateful that the board would reconsider."
    got = stances(text, "Should the dredging plan be approved?")
    assert got["Ann Vale"].stance == "oppose"


def test_undoing_something_named_otherwise_is_not_on_the_question() -> None:
    text = "The harbour board met on Tuesday. Ann Vale said she was grateful that the board would cancel the regatta."
    assert "Ann Vale" not in stances(text, "Should the dredging plan be approved?")


def test_a_speaker_left_at_a_surname_is_the_one_person_bearing_it() -> None:
    from storydesk.models import DossierActor

    actors = [
        DossierActor(name="Jo Lin", kind="person", articles=["a"]),
        DossierActor(name="Ann Vale", kind="person", articles=["a"]),
        DossierActor(name="Tom Vale", kind="person", articles=["a"]),
        DossierActor(name="Lin Harbour Trust", kind="organization", articles=["a"]),
    ]
    rename = positions._rename_map(actors)
    assert rename["Lin"] == "Jo Lin"
    assert "Vale" not in rename  # two people bear it: no one in particular
    assert "Trust" not in rename  # an organisation has no surname


LAWSUIT = "Two towns sued the city over the parking ordinance. "
ORDINANCE = "Should the court strike down the parking ordinance?"


@pytest.mark.parametrize(
    ("quote", "stance"),
    [
        ("Filing a lawsuit is the most constructive way to settle this", "support"),
        ("I am not sure filing a lawsuit is the most constructive way to settle this", "oppose"),
        ("I think the parking ordinance is fair", "oppose"),
        ("I do not think the parking ordinance is fair", "support"),
        ("I doubt the parking ordinance is fair", "support"),
    ],
)
def test_a_judgement_in_a_clause_its_speaker_doubts_counts_the_other_way(quote: str, stance: str) -> None:
    got = stances(f'{LAWSUIT}"{quote}," Mayor Ann Vale said.', ORDINANCE)
    assert got["Ann Vale"].stance == stance


FESTIVAL = "Should the mayor cancel the river festival?"


def test_a_thing_said_not_to_go_ahead_is_for_cancelling_it() -> None:
    text = 'Mayor Jo Lin spoke on Monday. Senator Mia Stone said: "The river festival should not go ahead."'
    assert stances(text, FESTIVAL)["Mia Stone"].stance == "support"


def test_a_call_on_a_condition_is_mixed_even_beside_a_reported_side() -> None:
    condition = '"If the mayor cannot keep the town safe, the river festival should not go ahead."'
    text = f"Mayor Jo Lin spoke on Monday. Senator Mia Stone said: {condition}"
    assert stances(text, FESTIVAL)["Mia Stone"].stance == "mixed"
    text = f"Senator Mia Stone called on the mayor to cancel the river festival. Stone said: {condition}"
    assert stances(text, FESTIVAL)["Mia Stone"].stance == "mixed"
    text = 'Senator Mia Stone called on the mayor to cancel the river festival. "The mayor must act," Stone said.'
    assert stances(text, FESTIVAL)["Mia Stone"].stance == "support"


def test_own_words_both_ways_make_a_reported_side_mixed() -> None:
    assert positions.actor_stance(["support"], [1, -1]) == "mixed"
    assert positions.actor_stance(["support"], [1, -1, 1]) == "support"
    assert positions.actor_stance(["oppose"], [0]) == "oppose"


AUDIT = "Should the city release the full audit?"
ON_AUDIT = "Mayor Jo Lin spoke about the full audit on Monday. "


def test_a_judgement_noun_naming_what_someone_did_judges_nothing() -> None:
    text = ON_AUDIT + '"The audit covers the storm\'s damage to the harbour," Lin said.'
    assert stances(text, AUDIT)["Jo Lin"].stance == "neutral"
    text = ON_AUDIT + '"The full audit would be a disaster for the city," Lin said.'
    assert stances(text, AUDIT)["Jo Lin"].stance == "oppose"
