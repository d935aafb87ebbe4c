"""Coreference for speakers: the learned model through ``MentionIndex`` and the quote extractor."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Token

from storydesk.annotate.actors import Actor
from storydesk.annotate.coref import ActorChooser, MentionIndex, actor_gender, load_actor_chooser
from storydesk.annotate.corefmodel import (
    NAME_WINDOW,
    PRONOUN_WINDOW,
    CorefModel,
    Mention,
    candidates,
    find_mentions,
    load_model,
    quoted_tokens,
    share_names,
)
from tests.conftest import run_stages as run

pytestmark = pytest.mark.slow


def token(doc: Doc, text: str, nth: int = 0) -> Token:
    hits = [t for t in doc if t.text == text]
    assert len(hits) > nth, f"no {text!r} #{nth} in {doc.text!r}"
    return hits[nth]


def speaker_of(doc: Doc, words: str) -> str | None:
    hits = [q for q in doc._.quotes if words in q.text]
    assert hits, f"no quote holds {words!r}: {[q.text for q in doc._.quotes]}"
    return hits[0].speaker.name if hits[0].speaker is not None else None


def test_he_after_a_woman_and_a_man_goes_to_the_man(pipeline: Language) -> None:
    text = (
        "Ms. Ingrid Solberg, the mayor, met Erik Dahl, a farmer, on Monday. "
        "Solberg promised that the town would repair the dam before winter. "
        '"We cannot wait another season," he added.'
    )
    doc = run(pipeline, text)
    actor = MentionIndex(doc).actor_of(token(doc, "he"))
    assert actor is not None and actor.name == "Erik Dahl"
    assert speaker_of(doc, "another season") == "Erik Dahl"


def test_she_after_a_man_goes_to_the_woman(pipeline: Language) -> None:
    text = (
        "Mr. Erik Dahl spoke first at the meeting, and Ingrid Solberg, the chairwoman, answered him. "
        "Dahl asked for more money for the farms. "
        '"The budget is already spent," she said.'
    )
    doc = run(pipeline, text)
    assert speaker_of(doc, "budget") == "Ingrid Solberg"


def test_pronoun_across_sentences_prefers_the_salient_subject(pipeline: Language) -> None:
    text = (
        "Peter Lindqvist said on Tuesday that the minister would resign. "
        "The announcement surprised many lawmakers in the capital. "
        '"It is the right moment," he said.'
    )
    doc = run(pipeline, text)
    assert speaker_of(doc, "right moment") == "Peter Lindqvist"


def test_description_goes_to_its_named_actor(pipeline: Language) -> None:
    text = (
        "The Fjordland Farmers Association raised its milk prices on Friday. "
        "Shoppers in several towns complained about the change. "
        'The association said, "Our costs have doubled."'
    )
    doc = run(pipeline, text)
    actor = MentionIndex(doc).actor_of(token(doc, "association"))
    assert actor is not None and actor.name == "Fjordland Farmers Association"
    assert speaker_of(doc, "costs have doubled") == "Fjordland Farmers Association"


def test_description_of_a_person_goes_to_the_name(pipeline: Language) -> None:
    text = (
        "Governor Lisa Hartmann visited the flooded valley on Sunday. "
        "Hundreds of homes were damaged by the water. "
        "The governor said the state would pay for the repairs."
    )
    doc = run(pipeline, text)
    actor = MentionIndex(doc).actor_of(token(doc, "governor"))
    assert actor is not None and actor.name == "Lisa Hartmann"


def test_no_antecedent_when_there_is_none(pipeline: Language) -> None:
    text = 'Mr. Tomas Berg sold his farm in May. "It was time," she said.'
    doc = run(pipeline, text)
    assert MentionIndex(doc).actor_of(token(doc, "she")) is None


def test_pronoun_without_any_person_resolves_to_nothing(pipeline: Language) -> None:
    doc = run(pipeline, 'Heavy rain fell on the coast overnight. "It will pass," he said.')
    assert MentionIndex(doc).actor_of(token(doc, "he")) is None


def test_relative_pronoun_stays_a_rule(pipeline: Language) -> None:
    doc = run(pipeline, "The report was written by Anna Kowalski, who said the data were clear.")
    actor = MentionIndex(doc).actor_of(token(doc, "who"))
    assert actor is not None and actor.name == "Anna Kowalski"


def test_every_mention_gets_at_most_an_earlier_antecedent(pipeline: Language) -> None:
    text = "Anna Kowalski met the board. She said it had failed. The board denied that it had failed."
    doc = run(pipeline, text)
    index = MentionIndex(doc)
    mentions = find_mentions(doc, index.by_token)
    links = load_model().resolve(mentions)
    assert any(a is not None for a in links)
    assert all(a is None or a < i for i, a in enumerate(links))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_resolves_without_error(pipeline: Language, text: str) -> None:
    doc = run(pipeline, text)
    index = MentionIndex(doc)
    for tok in doc:
        actor = index.actor_of(tok)
        assert actor is None or actor in doc._.actors


def mention(head: int, kind: str, **kw: object) -> Mention:
    """A hand-built mention (the decoder and the sharing rules read only these fields)."""
    base: dict[str, object] = {
        "start": head,
        "end": head + 1,
        "head": head,
        "kind": kind,
        "pclass": "",
        "sem": "thing",
        "gender": "",
        "number": "sg",
        "norm": "",
        "head_lemma": "",
        "words": frozenset(),
        "sent": head,
        "dep": "subj",
        "main_subj": True,
        "speaks": False,
        "actor": False,
        "appos_of": -1,
    }
    base.update(kw)
    return Mention(**base)  # type: ignore[arg-type]


def test_a_bare_surname_takes_the_person_and_gender_of_the_full_name() -> None:
    full = mention(0, "name", sem="person", gender="f", norm="ingrid solberg", head_lemma="solberg")
    bare = mention(5, "name", sem="thing", norm="solberg", head_lemma="solberg")
    other = mention(9, "name", sem="thing", norm="oslo fjord", head_lemma="fjord")
    mentions = [full, bare, other]
    share_names(mentions)
    assert (bare.sem, bare.gender) == ("person", "f")
    assert other.sem == "thing"


def test_a_name_of_blanks_only_is_passed_over() -> None:
    blank = mention(0, "name", sem="thing", norm=" ", head_lemma="-")
    full = mention(2, "name", sem="person", gender="m", norm="ian roe", head_lemma="roe")
    bare = mention(5, "name", sem="thing", norm="roe", head_lemma="roe")
    share_names([blank, full, bare])
    assert blank.sem == "thing" and (bare.sem, bare.gender) == ("person", "m")


def parsed(pipeline: Language, words: list[str], tags: list[str], heads: list[int], deps: list[str]) -> Doc:
    """A doc with a given parse and no entities (what the NER missed stays missed)."""
    pos = {"NNP": "PROPN", "VBD": "VERB", "DT": "DET", "NN": "NOUN", ".": "PUNCT"}
    return Doc(pipeline.vocab, words=words, tags=tags, pos=[pos[t] for t in tags], heads=heads, deps=deps)


def test_a_name_the_ner_missed_counts_as_a_person_by_its_first_name(pipeline: Language) -> None:
    words = ["Kendra", "Vaszquerelli", "met", "the", "board", "."]
    tags = ["NNP", "NNP", "VBD", "DT", "NN", "."]
    doc = parsed(pipeline, words, tags, [1, 2, 2, 4, 2, 2], ["compound", "nsubj", "ROOT", "det", "dobj", "punct"])
    name = next(m for m in find_mentions(doc, {}) if m.head == 1)
    assert (name.kind, name.sem, name.gender) == ("name", "person", "f")
    words[0] = "Vaszquerelli"  # no first name: an unknown proper noun stays a thing
    doc = parsed(pipeline, words, tags, [1, 2, 2, 4, 2, 2], ["compound", "nsubj", "ROOT", "det", "dobj", "punct"])
    name = next(m for m in find_mentions(doc, {}) if m.head == 1)
    assert (name.sem, name.gender) == ("thing", "")


def test_quoted_tokens_lie_between_the_marks(pipeline: Language) -> None:
    doc = run(pipeline, 'He said "we will win" and left. She wrote \u201cI agree\u201d.')
    inside = {doc[i].text for i in quoted_tokens(doc)}
    assert {"we", "will", "win", "I", "agree"} <= inside
    assert not {"He", "said", "left", "She", "wrote"} & inside


def test_a_pronoun_does_not_join_an_entity_of_the_other_gender() -> None:
    # "Maria Lopez ... her ... he": "he" scores best against "her", whose entity is a woman's
    model = CorefModel({"k:pron>pron": 2.0, "k:pron>name": 1.0, "e_clash:he:True": -5.0}, 0.0, 0.5)
    maria = mention(0, "name", sem="person", gender="f", norm="maria lopez", head_lemma="lopez")
    her = mention(1, "pron", pclass="she", sem="pron", gender="f", norm="her", head_lemma="her")
    he = mention(2, "pron", pclass="he", sem="pron", gender="m", norm="he", head_lemma="he")
    res = model.resolve_entities([maria, her, he])
    assert res.entity[1] == res.entity[0]
    assert res.links[1] == 0  # a pronoun links to its entity's name
    assert res.entity[2] == 2 and res.links[2] is None


def test_a_pronoun_links_to_the_latest_name_of_the_entity_it_joins() -> None:
    model = CorefModel({"k:pron>pron": 2.0, "k:pron>name": 1.0, "k:name>name": 2.0}, 0.0, 0.5)
    first = mention(0, "name", sem="person", gender="m", norm="erik dahl", head_lemma="dahl")
    again = mention(1, "name", sem="person", gender="m", norm="dahl", head_lemma="dahl")
    he = mention(2, "pron", pclass="he", sem="pron", gender="m", norm="he", head_lemma="he")
    his = mention(3, "pron", pclass="he", sem="pron", gender="m", norm="his", head_lemma="his")
    res = model.resolve_entities([first, again, he, his])
    assert res.members[0] == [0, 1, 2, 3]
    assert res.links[2:] == [1, 1]


def test_a_pronoun_sees_agreeing_names_beyond_its_window_once_each() -> None:
    dahl_first = mention(0, "name", sem="person", gender="m", norm="dahl", sent=0)
    berg = mention(1, "name", sem="person", gender="f", norm="berg", sent=1)
    dahl = mention(2, "name", sem="person", gender="m", norm="dahl", sent=2)
    dam = mention(3, "def", sem="thing", norm="dam", sent=3)
    he = mention(4, "pron", pclass="he", sem="pron", gender="m", norm="he", sent=PRONOUN_WINDOW + 8)
    assert candidates([dahl_first, berg, dahl, dam, he], 4) == [2]
    far = mention(4, "pron", pclass="he", sem="pron", gender="m", norm="he", sent=NAME_WINDOW + 3)
    assert candidates([dahl_first, berg, dahl, dam, far], 4) == []


def test_a_possessor_inside_a_phrase_is_a_mention(pipeline: Language) -> None:
    doc = run(pipeline, "His daughter's condition worsened over the winter.")
    heads = {doc[m.head].text for m in find_mentions(doc, {})}
    assert "daughter" in heads


def test_actor_gender_comes_from_a_title_or_a_first_name() -> None:
    assert actor_gender(Actor(name="Maria Solberg", kind="person")) == "f"
    assert actor_gender(Actor(name="Solberg", kind="person", titles={"ms."})) == "f"
    assert actor_gender(Actor(name="Vaszquerelli", kind="person")) == ""


def test_the_salient_actor_fallback_keeps_to_the_pronoun_gender(pipeline: Language) -> None:
    doc = run(pipeline, "Ms. Ingrid Solberg thanked Erik Dahl on Monday. Later he left the hall.")
    index = MentionIndex(doc)
    he = token(doc, "he")
    assert index.antecedent(he) is not None and index.antecedent(he).name == "Ingrid Solberg"  # type: ignore[union-attr]
    agreeing = index.antecedent(he, agree=True)
    assert agreeing is not None and agreeing.name == "Erik Dahl"


def pronoun_candidates(index: MentionIndex, tok: Token) -> dict[str, dict[str, float]]:
    """The candidate actors the chooser weighs for pronoun ``tok``, by name."""
    index.mentions()
    n = index.mention_number(tok)
    assert n is not None
    return {actor.name: f for actor, f in index.actor_features(tok, n, frozenset({"person"}))}


def test_a_she_is_never_offered_a_man_named_before(pipeline: Language) -> None:
    doc = run(pipeline, "Mr. Tomas Berg met Anna Lind at the port. Later she sold the boat.")
    found = pronoun_candidates(MentionIndex(doc), token(doc, "she"))
    assert "Anna Lind" in found
    assert "Tomas Berg" not in found


def test_the_candidates_of_a_pronoun_carry_the_model_probabilities_and_ranks(pipeline: Language) -> None:
    doc = run(pipeline, "Anna Lind met Eva Strand in Oslo. Lind said she would return in May.")
    found = pronoun_candidates(MentionIndex(doc), token(doc, "she"))
    assert found
    for feats in found.values():
        assert 0.0 <= feats["pair"] <= 1.0 and 0.0 <= feats["entity"] <= 1.0
        assert sum(k.startswith("pair_rank:") for k in feats) == 1
    best = max(found, key=lambda name: found[name]["pair"])
    assert "pair_rank:0" in found[best]


def test_an_actor_joined_by_and_is_marked_coordinated(pipeline: Language) -> None:
    doc = run(pipeline, "Norland and Westmark sued the Eastvale Corporation. They said the firm broke the deal.")
    index = MentionIndex(doc)
    index.mentions()
    they = token(doc, "They")
    n = index.mention_number(they)
    assert n is not None
    feats = {a.name: f for a, f in index.actor_features(they, n, None)}
    coordinated = [name for name, f in feats.items() if any(k.endswith(":True") and k.startswith("number:") for k in f)]
    assert "Eastvale Corporation" not in coordinated
    assert coordinated and set(coordinated) <= {"Norland", "Westmark"}


def test_the_actor_chooser_round_trips_and_prefers_the_likelier_candidate() -> None:
    chooser = ActorChooser({"pair": 2.0, "rule": 0.5}, -1.0)
    assert ActorChooser.from_json(chooser.to_json()) == chooser
    assert chooser.score({"pair": 0.9}) > chooser.score({"pair": 0.2})
    shipped = load_actor_chooser()
    assert shipped.score({"pair": 0.9, "entity": 0.9}) > shipped.score({"pair": 0.1, "entity": 0.1})


def test_a_pronoun_goes_to_the_chosen_candidate(pipeline: Language) -> None:
    doc = run(pipeline, "Anna Lind met Tomas Berg in Oslo. Lind said she would return in May.")
    index = MentionIndex(doc)
    she = token(doc, "she")
    chooser = load_actor_chooser()
    found = pronoun_candidates(index, she)
    best = max(found, key=lambda name: chooser.score(found[name]))
    actor = index.actor_of(she)
    assert actor is not None and actor.name == best == "Anna Lind"


def test_the_subject_of_the_verb_above_a_pronoun_is_marked_as_governing_it(pipeline: Language) -> None:
    doc = run(pipeline, "Anna Lind met Eva Strand in Oslo. Strand said that she would return in May.")
    found = pronoun_candidates(MentionIndex(doc), token(doc, "she"))
    assert "governs:she" in found["Eva Strand"]
    assert "governs:she" not in found.get("Anna Lind", {})


def test_the_speaker_of_a_quotation_is_marked_for_a_pronoun_inside_it(pipeline: Language) -> None:
    doc = run(pipeline, 'Tomas Berg met Erik Dahl on Monday. Berg said: "He never paid for the boat."')
    found = pronoun_candidates(MentionIndex(doc), token(doc, "He"))
    assert "quote_speaker:he" in found["Tomas Berg"]
    assert all("quote_speaker:he" not in f for name, f in found.items() if name != "Tomas Berg")


def test_an_actor_is_counted_by_its_mentions_before_a_token(pipeline: Language) -> None:
    doc = run(pipeline, "Anna Lind met Tomas Berg. Lind left. Berg stayed. Lind came back.")
    index = MentionIndex(doc)
    lind = next(a for a in doc._.actors if a.name == "Anna Lind")
    assert index._count_before(lind, 0) == 0
    assert index._count_before(lind, token(doc, "stayed").i) == 2
    assert index._count_before(lind, len(doc)) == 3
