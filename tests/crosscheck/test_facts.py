"""Cross-checking: linking statements across articles, corroboration by independent origins, disputes."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from storydesk.crosscheck import facts
from storydesk.crosscheck.statements import Attribution, Statement, split_statements
from storydesk.models import Amount, Analysis, Article, Entity, Mention, Quote, Speaker

PLACES = ("Lowtown", "Highville", "Port Amber")


def item(aid: str, outlet: str, text: str) -> tuple[Article, Analysis]:
    """An article and a hand-made analysis: places from PLACES, counts of people, dollar amounts."""
    entities = [
        Entity(text=m.group(0), label="GPE", span=(m.start(), m.end()), actor=m.group(0))
        for m in re.finditer("|".join(PLACES), text)
    ]
    amounts = [
        Amount(text=m.group(0), span=(m.start(), m.end()), value=float(m.group(1)), unit="people")
        for m in re.finditer(r"(\d+) people", text)
    ]
    amounts += [
        Amount(text=m.group(0), span=(m.start(), m.end()), value=float(m.group(1)) * 1e6, unit="USD")
        for m in re.finditer(r"\$(\d+) million", text)
    ]
    return Article(id=aid, text=text), Analysis(id=aid, outlet=outlet, entities=entities, amounts=amounts)


FILLER = "Residents gathered at the town hall in the evening to hear from the rescue teams."


def linked(check: facts.CrossCheck) -> list[facts.Fact]:
    return [f for f in check.facts if len({s.article for s in f.support}) > 1]


def test_paraphrases_of_one_report_are_corroborated_by_two_outlets() -> None:
    a = item(
        "a",
        "Alpha News",
        f"A storm flooded the river valley near Lowtown on Monday, cutting power to 400 people. {FILLER}",
    )
    b = item(
        "b",
        "Beta Post",
        f"Monday's storm flooded the valley of the river near Lowtown and cut power to 400 people. {FILLER}",
    )
    check = facts.cross_check([a, b])
    (fact,) = [f for f in linked(check) if "storm" in f.text]
    assert fact.status == "corroborated" and fact.independent_sources == 2
    assert {s.outlet for s in fact.support} == {"Alpha News", "Beta Post"}
    assert not check.disputes


def test_statement_only_one_outlet_makes_is_single_source() -> None:
    a = item("a", "Alpha News", f"The mayor announced a new bridge over the river for next spring. {FILLER}")
    b = item("b", "Beta Post", f"Engineers will inspect every school building in the district this week. {FILLER}")
    check = facts.cross_check([a, b])
    bridge = next(f for f in check.facts if "bridge" in f.text)
    assert bridge.status == "single-source" and bridge.independent_sources == 1
    assert [s.article for s in bridge.support] == ["a"]


def test_copies_of_one_wire_story_count_once() -> None:
    text = f"A storm flooded the river valley near Lowtown on Monday, cutting power to 400 people. {FILLER}"
    a, b = item("a", "Wire One", text), item("b", "Local Daily", text)
    copied = facts.cross_check([a, b], origins={"b": "a"}).facts
    assert copied and all(f.status == "single-source" and f.independent_sources == 1 for f in copied)
    (fact, *_) = linked(facts.cross_check([a, b]))
    assert fact.status == "corroborated"


@pytest.mark.parametrize(
    ("first", "second", "about"),
    [
        (
            "The explosion at the chemical plant in Lowtown killed 12 people on Tuesday, police said.",
            "The explosion at the chemical plant in Lowtown killed 19 people on Tuesday, police said.",
            "amount",
        ),
        (
            "The city council approved the $40 million stadium plan for Lowtown on Tuesday.",
            "The city council approved the $65 million stadium plan for Lowtown on Tuesday.",
            "amount",
        ),
        (
            "The city council approved the stadium plan for Lowtown on March 3, officials said.",
            "The city council approved the stadium plan for Lowtown on March 9, officials said.",
            "date",
        ),
        (
            "The company opened the new factory in Lowtown, creating hundreds of jobs.",
            "The company denied it opened the new factory in Lowtown, creating hundreds of jobs.",
            "denial",
        ),
    ],
)
def test_same_event_with_incompatible_values_is_disputed_with_both_sides(first: str, second: str, about: str) -> None:
    check = facts.cross_check(
        [item("a", "Alpha News", f"{first} {FILLER}"), item("b", "Beta Post", f"{second} {FILLER}")]
    )
    (dispute,) = check.disputes
    fact = check.facts[dispute.fact]
    assert fact.status == "disputed" and dispute.about == about
    assert len(dispute.sides) == 2
    assert {o for side in dispute.sides for o in side.outlets} == {"Alpha News", "Beta Post"}


def test_equal_values_in_paraphrase_are_not_disputed() -> None:
    a = item("a", "Alpha News", f"The explosion at the chemical plant in Lowtown killed 12 people on Tuesday. {FILLER}")
    b = item(
        "b",
        "Beta Post",
        f"Twelve workers died as 12 people were killed by Tuesday's blast at the Lowtown chemical plant. {FILLER}",
    )
    check = facts.cross_check([a, b])
    assert not check.disputes
    assert all(f.status != "disputed" for f in check.facts)


def test_same_kind_of_event_elsewhere_on_another_day_stays_apart() -> None:
    a = item("a", "Alpha News", "The explosion at the chemical plant in Lowtown killed 12 people on Tuesday.")
    b = item("b", "Beta Post", "The explosion at the chemical plant in Highville killed 5 people on Friday.")
    check = facts.cross_check([a, b])
    assert not linked(check) and not check.disputes


def test_facts_most_widely_supported_first_and_contract_shape() -> None:
    a = item(
        "a",
        "Alpha News",
        f"A storm flooded the river valley near Lowtown on Monday. Schools closed early across the county. {FILLER}",
    )
    b = item("b", "Beta Post", f"Monday's storm flooded the river valley near Lowtown. {FILLER}")
    built = facts.build_facts([a, b])
    assert built[0].independent_sources == 2
    assert set(built[0].model_dump()) == {"text", "status", "support", "independent_sources", "according_to"}
    assert facts.build_facts([]) == []


def test_two_events_of_one_kind_in_one_story_are_grouped_apart() -> None:
    """Articles are grouped by the event they report before any sentence is linked: two reports
    of a Lowtown fire and two of a Highville fire on another day share no fact, even though
    their sentences are alike in words."""
    lowtown = "A fire destroyed the old textile mill in Lowtown on Monday night, firefighters said."
    highville = "A fire destroyed the old paper mill in Highville on Saturday night, firefighters said."
    arts = [
        item(
            "a",
            "Alpha News",
            f"{lowtown} The Lowtown mill had been empty since March 3. Owners of Lowtown mill plan repairs.",
        ),
        item("b", "Beta Post", f"{lowtown} Lowtown mill owners said the empty Lowtown building had been insured."),
        item(
            "c",
            "Gamma Times",
            f"{highville} The Highville mill employed 80 people. Highville paper mill workers were evacuated.",
        ),
        item(
            "d",
            "Delta Daily",
            f"{highville} Highville workers were evacuated from the paper mill, which employed 80 people.",
        ),
    ]
    s = facts.settings()
    statements = [st for art, an in arts for st in split_statements(art, an)]
    groups = facts.event_groups(statements, s)
    assert groups["a"] == groups["b"] and groups["c"] == groups["d"] and groups["a"] != groups["c"]
    for fact in linked(facts.cross_check(arts)):
        outlets = {sup.article for sup in fact.support}
        assert outlets <= {"a", "b"} or outlets <= {"c", "d"}


def _statement(text: str, *amounts: tuple[float, str]) -> Statement:
    found = [Amount(text=f"{v:g} {u}", span=(0, 1), value=v, unit=u) for v, u in amounts]
    return Statement(
        article="x", outlet=None, span=(0, len(text)), text=text, attribution=Attribution("narration"), amounts=found
    )


def test_one_figure_counted_in_different_words_is_a_shared_number() -> None:
    members = _statement("No agreement among the 40 members of the council.", (40, "members"))
    seats = _statement("We don't have 40 seats agreed on the council.", (40, "seats"))
    committee = _statement("The council has 12 members on its budget committee.", (12, "members"))
    assert facts.numbers_shared(members, seats)
    assert not facts.numbers_shared(members, committee)
    # a figure in other words raises the link score; it is not a dispute of the unit
    assert facts.amount_relation(members, seats, 0.05) == (False, False)


def test_paraphrase_sharing_few_words_is_linked_by_sentence_embeddings() -> None:
    """Two outlets say one thing in other words (TF-IDF cosine under the floor): the sentence
    embeddings link them; an unrelated sentence of each article in the same story stays alone."""
    a = item(
        "a",
        "Alpha News",
        "The Port Amber ferry company announced its winter timetable on Tuesday. "
        "The ferry service between the islands will stop running at the end of the month. "
        "A local bakery won a regional prize for its rye bread last week.",
    )
    b = item(
        "b",
        "Beta Post",
        "Port Amber's ferry company published the winter timetable on Tuesday. "
        "Boats linking the two isles are going to be cancelled from next month onwards. "
        "Fishermen worry that dredging the harbour will disturb the spring catch.",
    )
    statements = [st for art, an in (a, b) for st in split_statements(art, an)]
    service, boats = statements[1], statements[4]
    (words,) = facts._tfidf([st.terms for st in statements])
    floor = dataclasses.replace(facts.settings(), min_cosine=0.2)  # a words floor above their cosine
    assert facts._cosines(words, words)[1, 4] < floor.min_cosine
    assert facts.score_matrix(statements, dataclasses.replace(floor, min_embedding=2.0))[1, 4] == -np.inf
    assert facts.score_matrix(statements, floor)[1, 4] >= floor.link  # the embeddings get them scored
    check = facts.cross_check([a, b])
    fact = next(f for f in check.facts if service.text in {x.text for x in f.support})
    assert fact.status == "corroborated"
    assert {x.text for x in fact.support} == {service.text, boats.text}
    for unrelated in ("bakery", "Fishermen"):
        alone = next(f for f in check.facts if unrelated in f.text)
        assert alone.status == "single-source" and len(alone.support) == 1


def test_a_large_story_embeds_only_the_leads_of_its_articles() -> None:
    """Encoding is the costly step: past ``budget`` statements, only each article's first ones
    are embedded, and articles alone in their event group are never embedded."""
    texts = " ".join(f"Sentence number {k} of this long report is here." for k in range(10))
    arts = [item(aid, "Outlet " + aid, texts) for aid in "abcd"]
    statements = [st for art, an in arts for st in split_statements(art, an)]
    events = {"a": 1, "b": 1, "c": 1, "d": 2}
    kept = facts.embedded_statements(statements, events, budget=12)
    assert {statements[k].article for k in kept} == {"a", "b", "c"}
    assert [statements[k].span for k in kept if statements[k].article == "a"] == [st.span for st in statements[:4]]
    assert len(facts.embedded_statements(statements, events, budget=1000)) == 30


def test_a_place_in_a_speakers_title_is_no_place_conflict() -> None:
    """ "The director for Africa said ..." reports nothing that happened in Africa: only places of
    what two statements report can set them apart as two events."""
    quoted = _statement("The director for Africa said the talks on the treaty would resume in May.")
    quoted.places, quoted.claim_places = frozenset({"Africa"}), frozenset()
    narrated = _statement("Talks on the treaty in Lowtown will resume in May.")
    narrated.places = narrated.claim_places = frozenset({"Lowtown"})
    elsewhere = _statement("Talks on the treaty in Highville will resume in May.")
    elsewhere.places = elsewhere.claim_places = frozenset({"Highville"})
    ctx = facts.PairContext(cosine=0.5, embedding=0.7, embedding_rank=0, article_cosine=0.5, to_article=0.5, rank=0)
    conflict = facts.FEATURES.index("place_conflict")
    assert facts.pair_features(quoted, narrated, ctx, 0.05)[conflict] == 0.0
    assert facts.pair_features(elsewhere, narrated, ctx, 0.05)[conflict] == 1.0


def test_quoted_words_match_a_narration_despite_the_speakers_long_title() -> None:
    """What a speaker is reported to say is compared without the speaker's name and titles: the
    two statements are as close as the quoted words and the narration, not as the whole sentences."""
    speaker = "Mara Quill, deputy undersecretary of the regional transport authority and former mayor,"
    quoted = "the harbour tunnel will close for repairs in March"
    a_text = f"{speaker} said {quoted}. {FILLER}"
    b_text = f"The harbour tunnel is to close for repairs in March. {FILLER}"
    a_art, a_an = item("a", "Alpha News", a_text)
    start = a_text.index(quoted)
    a_an.quotes = [
        Quote(
            text=quoted,
            span=(start, start + len(quoted)),
            kind="indirect",
            speaker=Speaker(name="Mara Quill", mention=Mention(text="Mara Quill", span=(0, 10))),
        )
    ]
    statements = [st for art, an in ((a_art, a_an), item("b", "Beta Post", b_text)) for st in split_statements(art, an)]
    assert statements[2].article == "b"
    features = {(i, j): f for i, j, f in facts.candidate_pairs(statements, facts.settings())}
    (sentences,) = facts._tfidf([st.terms for st in statements])
    cosine = features[(0, 2)][facts.FEATURES.index("cosine")]
    assert facts._cosines(sentences, sentences)[0, 2] < 0.6 < cosine


def _claim(article: str, text: str, actors: set[str]) -> Statement:
    return Statement(
        article=article,
        outlet=article.upper(),
        span=(0, len(text)),
        text=text,
        attribution=Attribution("narration"),
        actors=frozenset(actors),
        claim_actors=frozenset(actors),
        places=frozenset({"Lowtown"}),
    )


def test_who_did_it_is_disputed_between_linked_statements_the_model_reads_as_one_report() -> None:
    """One actor swapped for another in what two linked statements report is a dispute when the
    pair model reads them as reporting one thing; merely related sentences, a name in full
    against its short form, or one outlet naming more actors are not."""
    police = _claim("a", "Police arrested the driver in Lowtown.", {"Police"})
    army = _claim("b", "Soldiers arrested the driver in Lowtown.", {"Army"})
    mayor = _claim("b", "Mayor Ann Lee thanked the volunteers in Lowtown.", {"Ann Lee"})
    lee = _claim("a", "Lee thanked the volunteers and police in Lowtown.", {"Lee", "Police"})
    group, sources, s = [police, army, mayor, lee], ["a", "b", "b", "a"], facts.settings()
    links = np.full((4, 4), 0.9)
    one_report = {(0, 1): facts.Verdict(same=0.9, contradicts=0.0), (1, 0): facts.Verdict(same=0.9, contradicts=0.0)}
    dispute = facts.find_dispute([0, 1], group, sources, links, one_report, s)
    assert dispute is not None and dispute.about == "actor"
    assert [side.value for side in dispute.sides] == ["Police", "Army"]
    related = {(0, 1): facts.Verdict(same=0.1, contradicts=0.1), (1, 0): facts.Verdict(same=0.1, contradicts=0.1)}
    assert facts.find_dispute([0, 1], group, sources, links, related, s) is None
    assert facts.find_dispute([0, 1], group, sources, links, {}, s) is None  # never read
    assert facts.actor_swap(mayor, lee) is None
    assert facts.find_dispute([0, 1], group, ["a", "a", "b", "a"], links, one_report, s) is None  # one outlet


def test_a_fact_is_one_statement_and_its_best_counterpart_per_other_source() -> None:
    """Statements 0-1 of source a, 2-3 of b, 4 of c: 0 links to 2 (best) and 3 and to 4; 1 has no
    link. The fact of 0 holds 0, 2 and 4, never both of b's statements; 3, linked to 0 only,
    keeps its own fact with 0, completed to c through 0's link there; 1 is a fact of its own."""
    links = np.full((5, 5), -np.inf)
    for i, j, p in ((0, 2, 0.9), (0, 3, 0.7), (0, 4, 0.8), (2, 4, 0.6)):
        links[i, j] = links[j, i] = p
    groups = facts.counterpart_groups(links, ["a", "a", "b", "b", "c"])
    assert sorted(groups) == [[0, 2, 4], [0, 3, 4], [1]]


def test_a_fact_is_completed_to_a_third_source_through_its_counterpart() -> None:
    """0 (source a) links to 1 (b) only, 1 to 2 (c), 2 to 4 (d), 4 to 3 (c): the fact of 0
    reaches c through 1; the fact of 1 reaches d through 2; 3, of a source the fact has, never
    joins it."""
    links = np.full((5, 5), -np.inf)
    for i, j, p in ((0, 1, 0.9), (1, 2, 0.8), (2, 4, 0.9), (3, 4, 0.7)):
        links[i, j] = links[j, i] = p
    groups = facts.counterpart_groups(links, ["a", "b", "c", "c", "d"])
    assert [0, 1, 2, 4] in groups
    assert not any(0 in g and 3 in g for g in groups)


def test_a_statement_every_outlet_quotes_from_one_speaker_rests_on_that_speaker() -> None:
    def quote(article: str, speaker: str | None, kind: str = "named") -> Statement:
        text = "The bridge will reopen in May, the mayor said."
        return Statement(
            article=article,
            outlet=article,
            span=(0, len(text)),
            text=text,
            attribution=Attribution(kind, speaker),  # type: ignore[arg-type]
        )

    assert facts.quoted_speaker([quote("a", "Ann Lee"), quote("b", "Lee")]) == "Ann Lee"
    assert facts.quoted_speaker([quote("a", "Ann Lee"), quote("b", "Tom Roe")]) is None
    assert facts.quoted_speaker([quote("a", "Ann Lee"), quote("b", None, "narration")]) is None


def test_paraphrase_sharing_a_predicate_class_is_linked_and_other_events_of_that_class_are_not() -> None:
    """ "A matter for the mayor" and "in the hands of the mayor's office" share one content word:
    with sentence embeddings left out, only their shared predicate class gets the pair scored and
    linked. Two deaths of different people, places and years share the class too, and stay apart."""
    a = item(
        "a",
        "Alpha News",
        "The Lowtown council voted on Monday to close the old harbour bridge for repairs. "
        "What happens to the ferry after that will soon be a matter for the mayor. "
        "A fisherman died at sea near Highville last spring, the coroner said.",
    )
    b = item(
        "b",
        "Beta Post",
        "Lowtown's council decided on Monday that the old harbour bridge will close for repairs. "
        "Any plan for boats is now firmly in the hands of the mayor's office, a spokesman said. "
        "Two hikers were killed by a rockfall in the Lowtown hills in 1998.",
    )
    # a words floor (0.2) that one shared content word does not reach, no sentence embeddings
    words_only = dataclasses.replace(facts.settings(), min_embedding=2.0, min_cosine=0.2)
    statements = [st for art, an in (a, b) for st in split_statements(art, an)]
    assert statements[1].predicates == statements[4].predicates == ("=responsibility",)
    assert statements[2].predicates == statements[5].predicates == ("=death",)
    bare = [dataclasses.replace(st, predicates=(), claim_predicates=()) for st in statements]
    assert facts.score_matrix(bare, words_only)[1, 4] == -np.inf
    scores = facts.score_matrix(statements, words_only)
    assert scores[1, 4] >= words_only.link
    assert scores[2, 5] < words_only.link
    check = facts.cross_check([a, b])
    ferry = next(f for f in check.facts if statements[1].text in {x.text for x in f.support})
    assert ferry.status == "corroborated"
    assert {x.text for x in ferry.support} == {statements[1].text, statements[4].text}
    for death in (statements[2], statements[5]):
        alone = next(f for f in check.facts if death.text in {x.text for x in f.support})
        assert alone.status == "single-source" and len(alone.support) == 1


def test_a_pair_sharing_one_word_is_scored_and_one_sharing_none_never_is() -> None:
    """The words floor is only there to keep out pairs that share no content word at all (among
    statements that share none, closeness ranks are ties); one shared word is enough to be
    scored when the two are among each other's closest by words (``max_rank``)."""
    lead = "The Lowtown council closed the old harbour bridge for repairs on Monday. "
    a = item("a", "Alpha News", lead + "Engineers praised the sturdy steel frame. Shopkeepers expect fewer visitors.")
    b = item("b", "Beta Post", lead + "Every beam of the frame will be inspected. Tourism officials said nothing.")
    s = dataclasses.replace(facts.settings(), min_embedding=2.0)  # words only
    statements = [st for art, an in (a, b) for st in split_statements(art, an)]
    (words,) = facts._tfidf([st.terms for st in statements])
    cos = facts._cosines(words, words)
    assert s.min_cosine <= cos[1, 4] < 0.2 and cos[2, 5] == 0.0
    scores = facts.score_matrix(statements, s)
    assert np.isfinite(scores[0, 3]) and np.isfinite(scores[1, 4])
    assert scores[2, 5] == -np.inf
