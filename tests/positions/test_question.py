"""The question's terms and its proposal from cue objects."""

from __future__ import annotations

import pytest

from storydesk import nlp
from storydesk.positions import question, speech

pytestmark = pytest.mark.slow


def test_stem_joins_derivations() -> None:
    assert question.stem("invitation") == question.stem("invite")
    assert question.stem("join") == "join"


def test_terms_widen_by_related_words() -> None:
    terms = question.terms(nlp.load_base()("Should the alliance grant membership?"))
    assert question.stem("join") in terms and question.stem("accession") in terms
    assert question.stem("sanction") not in terms


def test_the_one_who_would_act_is_no_core_word() -> None:
    core = question.core(nlp.load_base()("Should the president cancel the summit?"))
    assert question.stem("summit") in core
    assert question.stem("president") not in core


def test_a_cut_is_a_reduction_and_a_summit_a_meeting() -> None:
    core = question.core(nlp.load_base()("Should pensions be cut?"))
    assert question.stem("reduction") in core and question.stem("slash") in core
    assert question.stem("meeting") in question.terms(nlp.load_base()("Should the summit go ahead?"))


def test_propose_prefers_the_object_others_share() -> None:
    doc = nlp.load_base()("They want a trade deal. Others demand a new trade deal. He seeks a pay rise.")
    objects = [doc[2:5], doc[8:12], doc[15:18]]
    assert question.propose(objects, None) == "Should there be a trade deal?"


def test_propose_turns_a_clause_into_a_question() -> None:
    doc = nlp.load_base()("Critics oppose Freedonia joining the bloc.")
    assert question.propose([doc[2:6]], None) == "Should Freedonia join the bloc?"


def test_propose_nothing_without_objects() -> None:
    assert question.propose([], None) is None


def test_propose_asks_about_a_name_and_leaves_out_the_clause_adjuncts() -> None:
    doc = nlp.load_base()("The mayor endorsed Jane Roe on Tuesday.")
    assert question.propose([doc[3:7]], None) == "Should Jane Roe be backed?"


def test_core_is_what_the_question_asks_about() -> None:
    core = question.core(nlp.load_base()("Should there be a membership invitation?"))
    assert {question.stem("invitation"), question.stem("membership"), question.stem("join")} <= core
    admit = question.core(nlp.load_base()("Should the bloc admit Freedonia?"))
    assert question.stem("admit") in admit and question.stem("bloc") not in admit


def test_propose_asks_whether_someone_told_to_act_should_act() -> None:
    doc = nlp.load_base()("Senators urged the governor to cancel the river festival.")
    obj = doc[2:9]  # "the governor to cancel the river festival"
    assert question.propose([obj], None) == "Should the governor cancel the river festival?"


def test_a_noun_with_an_infinitive_is_asked_about_as_a_noun() -> None:
    doc = nlp.load_base()("Critics opposed the decision to expand the airport.")
    obj = doc[2:8]  # "the decision to expand the airport"
    assert question.propose([obj], None) == "Should the decision to expand the airport go ahead?"


def test_an_object_in_the_opening_sentences_outranks_a_shared_later_one() -> None:
    doc = nlp.load_base()(
        "Unions demanded a wage freeze. The mayor spoke. Critics want a tax cut. Others seek a tax cut."
    )
    objects = [doc[12:15], doc[18:21], doc[2:5]]
    assert [o.text for o in objects] == ["a tax cut", "a tax cut", "a wage freeze"]
    ranked = question.candidates(objects, None)
    assert ranked == ["Should there be a wage freeze?", "Should there be a tax cut?"]


def test_a_clause_cut_short_leaves_no_dangling_words() -> None:
    doc = nlp.load_base()("Critics opposed the import of trophies that were")
    assert question.as_question(doc[2:8]) == "Should the import of trophies go ahead?"


def test_a_story_opening_on_a_judgement_is_about_the_thing_judged() -> None:
    doc = nlp.load_base()("The mayor said the planned stadium will be a destructive force for the town.")
    assert [p.text for p in speech.judged_phrases(doc.sents)] == ["the planned stadium"]


def test_making_something_so_asks_about_the_thing() -> None:
    # However the parse hangs "the report public" on "make", the report is asked about.
    core = question.core(nlp.load_base()("Should the agency make the full water report public as soon as possible?"))
    assert question.stem("report") in core
    assert question.stem("agency") not in core


def test_a_phrasal_reversal_asks_about_its_object() -> None:
    """ "Strike down" is a stance verb as "overturn" is: the question asks about the ordinance."""
    core = question.core(nlp.load_base()("Should the court strike down the city's parking ordinance?"))
    assert question.stem("ordinance") in core
    assert question.stem("strike") not in core


def test_a_description_of_the_object_is_no_part_of_its_question() -> None:
    doc = nlp.load_base()("The agency defended its decision as \u201cpart of a wider plan for the coast.\u201d")
    assert doc[5].head.text == "decision"  # the description hangs on the noun, inside the object
    obj = doc[3:-2]  # "its decision as part of a wider plan for the coast"
    assert question.as_question(obj) == "Should its decision go ahead?"
    assert question.as_question(obj, challenged=True) == "Should its decision be overturned?"


def test_a_named_thing_is_asked_about_as_going_ahead_and_the_question_keeps_its_core() -> None:
    doc = nlp.load_base()(
        "Residents opposed the mayor's plan for a toll bridge. Others want a ban on the council's plan."
    )
    named = doc[2:10]  # "the mayor's plan for a toll bridge"
    asked = question.as_question(named)
    assert asked == "Should the mayor's plan for a toll bridge go ahead?"
    # The light words asked with add nothing to what the question is about.
    assert question.core(nlp.load_base()(asked)) == question.core(nlp.load_base()("Should there be the mayor's plan?"))
    assert question.stem("go") not in question.terms(nlp.load_base()(asked))
    # A possessor inside the object's own phrase does not make the object definite.
    ban = doc[13:20]  # "a ban on the council's plan"
    assert ban.text == "a ban on the council's plan"
    assert question.as_question(ban) == "Should there be a ban on the council's plan?"
