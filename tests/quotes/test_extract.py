"""Quote extraction: one small hand-written text per pattern."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storydesk import nlp
from storydesk.models import Quote
from storydesk.quotes.marks import find_quotes
from tests.conftest import run_stages as run

pytestmark = pytest.mark.slow


def quote_with(doc: Doc, words: str) -> Quote:
    hits = [q for q in doc._.quotes if words in q.text]
    assert hits, f"no quote holds {words!r}: {[q.text for q in doc._.quotes]}"
    return hits[0]


def test_direct_quote_before_cue(pipeline: Language) -> None:
    text = '"We will rebuild the bridge by spring," Mayor Anna Kowalski said on Monday.'
    q = quote_with(run(pipeline, text), "rebuild")
    assert q.kind == "direct"
    assert q.text == "We will rebuild the bridge by spring,"
    assert text[q.span[0] : q.span[1]] == q.text
    assert q.cue is not None and q.cue.text == "said"
    assert q.speaker is not None and q.speaker.name == "Anna Kowalski" and not q.speaker.anonymous
    assert q.speaker.mention is not None and "Kowalski" in q.speaker.mention.text


def test_direct_quote_after_cue_with_colon(pipeline: Language) -> None:
    text = 'Peter Lindqvist said: "The harbour will reopen next week."'
    q = quote_with(run(pipeline, text), "harbour")
    assert q.kind == "direct"
    assert q.speaker is not None and q.speaker.name == "Peter Lindqvist"


def test_colon_intro_in_previous_paragraph(pipeline: Language) -> None:
    text = 'The city council wrote:\n\n"Residents should expect delays on the ring road."'
    q = quote_with(run(pipeline, text), "Residents")
    assert q.cue is not None and q.cue.text == "wrote"


def test_split_quote_around_cue_is_one_quote(pipeline: Language) -> None:
    text = 'Peter Lindqvist arrived late. "It is a long road," he said, "and we are walking it."'
    q = quote_with(run(pipeline, text), "long road")
    assert "walking" in q.text
    assert q.speaker is not None and q.speaker.name == "Peter Lindqvist"
    assert q.speaker.mention is not None and q.speaker.mention.text == "he"


def test_continued_paragraph_keeps_speaker_without_mention(pipeline: Language) -> None:
    text = '"The dam held," engineer Maria Santos said.\n\n"We were lucky this time, and the next flood will be worse."'
    q = quote_with(run(pipeline, text), "lucky")
    assert q.kind == "direct" and q.cue is None
    assert q.speaker is not None and q.speaker.name == "Maria Santos" and q.speaker.mention is None


def test_indirect_that_clause(pipeline: Language) -> None:
    text = "Finance Minister Jonas Berg said that the budget would be balanced next year."
    q = quote_with(run(pipeline, text), "budget")
    assert q.kind == "indirect"
    assert q.text.startswith("that the budget")
    assert q.speaker is not None and q.speaker.name == "Jonas Berg"


def test_inverted_cue(pipeline: Language) -> None:
    text = "The talks will resume on Friday, said diplomats, speaking on condition of anonymity."
    q = quote_with(run(pipeline, text), "talks will resume")
    assert "said" not in q.text
    assert q.speaker is not None and q.speaker.anonymous and q.speaker.name == "diplomats"


def test_according_to(pipeline: Language) -> None:
    text = "The factory will close in March, according to two people familiar with the plans."
    q = quote_with(run(pipeline, text), "factory")
    assert q.cue is not None and q.cue.text == "according to"
    assert "according" not in q.text
    assert q.speaker is not None and q.speaker.anonymous


def test_holder_naming_no_one_takes_the_cited_source(pipeline: Language) -> None:
    text = "Two unions back the deal, while several others have warned they will strike, according to officials."
    doc = run(pipeline, text)
    warned = [q for q in doc._.quotes if q.cue is not None and q.cue.text == "warned"]
    assert warned and warned[0].speaker is not None and warned[0].speaker.name == "officials"


def test_named_holder_keeps_its_words_despite_a_cited_source(pipeline: Language) -> None:
    text = "Mayor Anna Kowalski said the bridge will reopen in May, according to the city's newsletter."
    doc = run(pipeline, text)
    said = [q for q in doc._.quotes if q.cue is not None and q.cue.text == "said"]
    assert said and said[0].speaker is not None and said[0].speaker.name == "Anna Kowalski"


def test_holder_naming_no_one_without_a_cited_source_stays(pipeline: Language) -> None:
    q = quote_with(run(pipeline, "Many said the deal was dead."), "deal was dead")
    assert q.speaker is not None and q.speaker.mention is not None and q.speaker.mention.text == "Many"


def test_mixed_quote(pipeline: Language) -> None:
    text = 'Senator Ruth Adler said the proposal was "a gift to polluters" and should be dropped.'
    q = quote_with(run(pipeline, text), "gift")
    assert q.kind == "mixed"
    assert q.text.startswith("the proposal")


def test_pronoun_speaker_resolves_to_the_person(pipeline: Language) -> None:
    text = "Governor Lena Hart visited the flooded town on Sunday. She said the state would pay for repairs."
    q = quote_with(run(pipeline, text), "repairs")
    assert q.speaker is not None and q.speaker.name == "Lena Hart"
    assert q.speaker.mention is not None and q.speaker.mention.text == "She"


def test_anonymous_descriptor_and_later_the_official(pipeline: Language) -> None:
    text = (
        "A senior defence official said the exercise would go ahead. The official added that more troops could be sent."
    )
    doc = run(pipeline, text)
    first, second = quote_with(doc, "exercise"), quote_with(doc, "troops")
    assert first.speaker is not None and first.speaker.anonymous
    assert first.speaker.name == "a senior defence official"
    assert second.speaker is not None and second.speaker.name == "a senior defence official"
    assert second.speaker.mention is not None and second.speaker.mention.text == "The official"


def test_curly_straight_and_mixed_marks() -> None:
    text = '“Curly quote,” he said. "Straight quote," she said. “Mixed marks," they said.'
    assert [text[q.start : q.end] for q in find_quotes(text)] == [
        "“Curly quote,”",
        '"Straight quote,"',
        '“Mixed marks,"',
    ]


def test_doubled_apostrophes_and_backticks_are_double_marks() -> None:
    text = "''Rates will rise,'' the banker said, and ``soon.'' The traders' mood ''soured''."
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["''Rates will rise,''", "``soon.''", "''soured''"]
    assert [text[slice(*q.inner)] for q in quotes] == ["Rates will rise,", "soon.", "soured"]


def test_doubled_apostrophes_make_a_direct_quote(pipeline: Language) -> None:
    q = quote_with(run(pipeline, "''We will not sell the farm,'' Ingrid Holm said on Monday."), "sell")
    assert q.kind == "direct" and q.text == "We will not sell the farm,"
    assert q.speaker is not None and q.speaker.name == "Ingrid Holm"


def test_possessive_apostrophes_do_not_break_pairing() -> None:
    text = "The ministers' meeting on Norway’s plan ended. ‘It failed,’ an aide said."
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["‘It failed,’"]


def test_multi_paragraph_quote_is_one_span() -> None:
    text = "He said: “First part.\n\n“Second part.”"
    quotes = find_quotes(text)
    assert len(quotes) == 1 and text[quotes[0].start : quotes[0].end] == text[9:]


def test_possessive_inside_quote(pipeline: Language) -> None:
    text = "“Norway’s ministers' patience is running out,” Erik Dahl said."
    q = quote_with(run(pipeline, text), "patience")
    assert q.text == "Norway’s ministers' patience is running out,"
    assert q.speaker is not None and q.speaker.name == "Erik Dahl"


def test_an_agentless_passive_is_an_unnamed_source_named_by_no_words(pipeline: Language) -> None:
    text = "It was said that the bridge would be repaired."
    q = quote_with(run(pipeline, text), "bridge")
    assert q.speaker is not None and q.speaker.anonymous and q.speaker.mention is None


def test_an_agentless_passive_is_not_the_subject_of_the_clause_above(pipeline: Language) -> None:
    text = "The decision comes two days after it was announced that the ferry would stop running."
    q = quote_with(run(pipeline, text), "ferry")
    assert q.speaker is not None and q.speaker.anonymous and q.speaker.mention is None


def test_whoever_was_quoted_as_saying_is_the_speaker(pipeline: Language) -> None:
    text = "Mayor Ann Lee was quoted as saying that the ferry would stop running."
    q = quote_with(run(pipeline, text), "ferry")
    assert q.speaker is not None and q.speaker.name == "Ann Lee"


def test_as_another_reported_the_words_are_the_later_speakers(pipeline: Language) -> None:
    text = (
        "As the Harbor Daily Ledger reported Wednesday, the port chose to close the pier after finding "
        "that repairs would cost too much, a spokesperson for the port authority said."
    )
    q = quote_with(run(pipeline, text), "repairs")
    assert q.speaker is not None and q.speaker.anonymous
    assert "spokesperson" in q.speaker.name


def test_headline_colon_attribution(pipeline: Language) -> None:
    text = "Mayor Kowalski: Bridge Repairs Will Take Two Years\n\nThe mayor spoke on Monday."
    q = quote_with(run(pipeline, text), "Repairs")
    assert q.cue is not None and q.cue.text == ":"
    assert q.speaker is not None and q.speaker.mention is not None and q.speaker.mention.text == "Mayor Kowalski"


def test_object_of_a_reporting_verb(pipeline: Language) -> None:
    text = "Opposition leader Karin Moe criticized the new fishing quotas."
    q = quote_with(run(pipeline, text), "quotas")
    assert q.speaker is not None and q.speaker.name == "Karin Moe"


def test_credit_line_names_are_not_speakers(pipeline: Language) -> None:
    body = "Officials said the port would reopen.\n"
    credit = "(Reporting by Tom Becker; Editing by Sara Lund said)"
    text = body + credit
    doc = run(pipeline, text, boilerplate=[(len(body), len(text))])
    names = {q.speaker.name for q in doc._.quotes if q.speaker}
    assert names == {"officials"}
    assert not any(a.name in ("Tom Becker", "Sara Lund") for a in doc._.actors)


def test_second_sentence_of_a_split_quote_is_its_own_quote_with_the_speaker(pipeline: Language) -> None:
    # PolNeAR spans "A," he said. "B." as one attribution; storydesk keeps two quotes (each
    # sentence readable on its own in a dossier), the second with the first one's speaker mention.
    text = '"The levee will hold," engineer Maria Santos said. "We checked every metre of it."'
    doc = run(pipeline, text)
    first, second = quote_with(doc, "levee"), quote_with(doc, "metre")
    assert first is not second and second.cue is None
    assert second.speaker is not None and second.speaker.name == "Maria Santos"
    assert first.speaker is not None and second.speaker.mention == first.speaker.mention


def test_belief_is_an_attribution(pipeline: Language) -> None:
    text = "Most economists believe the recession ended in the spring."
    q = quote_with(run(pipeline, text), "recession")
    assert q.kind == "indirect" and q.cue is not None and q.cue.text == "believe"
    assert q.speaker is not None and q.speaker.mention is not None and "economists" in q.speaker.mention.text


def test_report_as_source(pipeline: Language) -> None:
    text = "A new survey by the university shows that most voters oppose the fuel tax."
    q = quote_with(run(pipeline, text), "voters")
    assert q.text.startswith("that most voters")
    assert q.speaker is not None and q.speaker.mention is not None and "survey" in q.speaker.mention.text


def test_nominal_cue_takes_its_owner_as_source(pipeline: Language) -> None:
    text = "The senator's call for tougher sanctions drew applause in the chamber."
    q = quote_with(run(pipeline, text), "sanctions")
    assert q.cue is not None and q.cue.text == "call"
    assert q.speaker is not None and q.speaker.mention is not None and "senator" in q.speaker.mention.text


def test_content_never_holds_its_own_cue(pipeline: Language) -> None:
    text = "Prices will fall next month, the central bank said on Tuesday."
    q = quote_with(run(pipeline, text), "Prices")
    assert q.text == "Prices will fall next month"


@pytest.fixture(scope="module")
def tagging() -> Language:
    return nlp.load(tagger=True)


def test_tagger_mode_links_content_cue_and_speaker(tagging: Language) -> None:
    text = (
        "Finance Minister Jonas Berg said that the budget would be balanced next year.\n\n"
        "He added that taxes would rise."
    )
    doc = run(tagging, text)
    first, second = quote_with(doc, "budget"), quote_with(doc, "taxes")
    assert "said" not in first.text and first.kind == "indirect"
    assert first.cue is not None and first.cue.text == "said"
    assert first.speaker is not None and first.speaker.name == "Jonas Berg"
    assert second.cue is not None and second.cue.text == "added"
    assert second.speaker is not None and second.speaker.name == "Jonas Berg"
    assert second.speaker.mention is not None and second.speaker.mention.text == "He"


def test_tagger_mode_takes_a_name_after_a_dash_as_speaker(tagging: Language) -> None:
    text = (
        "Readers sent us their views on the new stadium.\n"
        "“We deserve better schools before we get a new stadium.” ― Maria Lopez\n"
        "“The traffic will be a nightmare for everyone on the east side.” ― Tom Becker"
    )
    doc = run(tagging, text)
    first, second = quote_with(doc, "schools"), quote_with(doc, "traffic")
    assert "Lopez" not in first.text  # the dash and the name are not the quote
    assert first.speaker is not None and first.speaker.name == "Maria Lopez"
    assert second.speaker is not None and second.speaker.name == "Tom Becker"


def test_tagger_mode_finds_an_attribution_nested_by_a_second_verb(tagging: Language) -> None:
    text = (
        "Health Minister Karl Jensen said he had not yet seen the final report and called for an "
        "independent inquiry into the hospital deaths."
    )
    doc = run(tagging, text)
    nested = [q for q in doc._.quotes if q.text.startswith("for an independent inquiry")]
    assert nested and nested[0].speaker is not None and nested[0].speaker.name == "Karl Jensen"
    assert any(q.text.startswith("he had not yet seen") for q in doc._.quotes)


def test_tagger_mode_gives_a_vague_holder_the_cited_source(tagging: Language) -> None:
    text = (
        "Some unions back the deal.\n"
        "Many have warned that they will not sign before the summer, according to people close "
        "to the negotiations."
    )
    q = quote_with(run(tagging, text), "will not sign")
    assert q.speaker is not None and q.speaker.mention is not None
    assert q.speaker.mention.text == "people close to the negotiations"


def test_a_colon_ending_the_previous_paragraph_names_the_speaker(pipeline: Language) -> None:
    from storydesk.quotes.extract import _colon_source, _Context

    text = "The governor added:\n\nIt is typical of the council. They never listen to us."
    ctx = _Context(run(pipeline, text))
    speaker = _colon_source(ctx, text.index("It is"))
    assert speaker is not None and speaker.text == "governor"
    assert _colon_source(ctx, text.index("They")) is None  # no colon before it


TRANSCRIPT = (
    "The station aired the exchange.\n\n"
    '"HOST: What will the council do about the flooding?"\n\n'
    '"KOWALSKI: We will rebuild the bridge by spring. Residents told me they want it sooner."'
)


@pytest.mark.parametrize("mode", ["rules", "tagger"])
def test_a_transcript_turn_is_a_quote_of_its_label(pipeline: Language, tagging: Language, mode: str) -> None:
    doc = run(tagging if mode == "tagger" else pipeline, TRANSCRIPT)
    host, mayor = quote_with(doc, "flooding"), quote_with(doc, "rebuild")
    assert host.text == "What will the council do about the flooding?"
    assert host.speaker is not None and host.speaker.mention is not None and host.speaker.mention.text == "HOST"
    assert mayor.text.startswith("We will rebuild") and mayor.text.endswith("sooner.")
    assert mayor.kind == "direct" and mayor.cue is not None and mayor.cue.text == ":"
    assert mayor.speaker is not None and mayor.speaker.name == "KOWALSKI"
    assert not any("KOWALSKI" in q.text or "HOST" in q.text for q in doc._.quotes)


def test_a_time_or_figure_never_speaks(pipeline: Language) -> None:
    from storydesk.quotes.extract import _may_speak

    doc = run(pipeline, "5:45 p.m.\nThe governor said 300 people had left.")
    assert not _may_speak(doc[0])  # the live blog's time stamp
    assert not _may_speak(next(t for t in doc if t.text == "300"))
    assert _may_speak(next(t for t in doc if t.text == "governor"))


@pytest.mark.parametrize(("confidence", "kept"), [(0.9, True), (0.55, False)])
def test_tagger_mode_leaves_out_an_unsure_content(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch, confidence: float, kept: bool
) -> None:
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    text = "The council said the bridge would reopen in May."
    content = (text.index("the bridge"), len(text) - 1, confidence)
    _fake_tagger(monkeypatch, Tagged([content], [(text.index("said"), text.index("said") + 4, 0.9)], []))
    doc = quotes.extract(run(pipeline, text), tagger=True)
    assert any(q.text == "the bridge would reopen in May" for q in doc._.quotes) is kept


def _fake_tagger(monkeypatch: pytest.MonkeyPatch, tagged: object) -> None:
    from storydesk.quotes import extract as quotes

    monkeypatch.setattr(quotes, "load_tagger", lambda: type("Fake", (), {"tag": lambda self, t: tagged})())


def _at(text: str, words: str, confidence: float = 0.9) -> tuple[int, int, float]:
    return (text.index(words), text.index(words) + len(words), confidence)


def test_tagger_spans_cut_inside_words_widen_to_whole_words(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    text = "Sen. Ann Lee called Okonkwo's speech a reckless stunt in a statement."
    # word pieces: the tagger's spans may open inside "Okonkwo" and "called"
    _fake_tagger(monkeypatch, Tagged([_at(text, "konkwo's speech a reckless stunt")], [_at(text, "lled")], []))
    q = quote_with(quotes.extract(run(pipeline, text), tagger=True), "speech")
    assert q.text == "Okonkwo's speech a reckless stunt"
    assert q.cue is not None and q.cue.text == "called"


@pytest.mark.parametrize(
    ("text", "source", "mention"),
    [
        ("Residents like Mr. Clarke expect the mine to reopen in the spring.", "like Mr. Clarke", "Mr. Clarke"),
        ("Dr. Okafor's letter: the clinic would close in the spring.", "'s", "Dr. Okafor"),
        ("Since 2012, the mine has been expected to reopen in the spring.", "2012,", None),
        ("Since then, the mine has been expected to reopen in the spring.", ", ", None),
    ],
)
def test_a_tagged_source_speaks_through_its_head_word(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch, text: str, source: str, mention: str | None
) -> None:
    """The words a tagged source names its speaker by: a name, never a preposition, a
    possessive's "'s", a year or a comma."""
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    content = text[text.index("the ") : -1]
    _fake_tagger(monkeypatch, Tagged([_at(text, content)], [], [_at(text, source)]))
    q = quote_with(quotes.extract(run(pipeline, text), tagger=True), content)
    got = q.speaker.mention.text if q.speaker is not None and q.speaker.mention is not None else None
    assert got == mention


@pytest.mark.parametrize("tagger", [False, True])
def test_a_dateline_never_speaks(pipeline: Language, monkeypatch: pytest.MonkeyPatch, tagger: bool) -> None:
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    # the parser takes the dateline for a second subject of "said" here
    text = "LAGOS -- Real estate tycoon Jane Okoro said Thursday he has doubts about the bridge."
    tagged = Tagged(
        [_at(text, "he has doubts about the bridge")],
        [_at(text, "said")],
        [_at(text, "LAGOS -- Real estate tycoon Jane Okoro")],
    )
    _fake_tagger(monkeypatch, tagged)
    q = quote_with(quotes.extract(run(pipeline, text), tagger=tagger), "doubts about the bridge")
    assert q.speaker is not None and q.speaker.name == "Jane Okoro"


def _tagged_run(pipeline: Language, monkeypatch: pytest.MonkeyPatch, text: str, content: str, cues: list[str]) -> Doc:
    """Extraction in tagger mode with a fake tagger that marks ``content`` and ``cues``."""
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    _fake_tagger(monkeypatch, Tagged([_at(text, content)], [_at(text, c) for c in cues], []))
    return quotes.extract(run(pipeline, text), tagger=True)


def test_a_title_after_the_cue_is_no_more_of_the_quote(pipeline: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    text = '"I do not see how that is possible," Mr. Lund said on the radio program "Morning Edition."'
    doc = _tagged_run(pipeline, monkeypatch, text, text, ["said"])
    assert [q.text for q in doc._.quotes] == ["I do not see how that is possible,"]


def test_a_sentence_end_after_the_cue_parts_another_attribution(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        '"We will not sign the deal," Ann Lee said after the vote. '
        'The plan "failed the farmers," she added on the radio. "It has to go."'
    )
    doc = _tagged_run(pipeline, monkeypatch, text, text, ["said", "added"])
    got = {q.text: q.cue.text if q.cue else None for q in doc._.quotes}
    assert got["We will not sign the deal,"] == "said"
    assert got['The plan "failed the farmers,"'] == "added"
    assert "It has to go." in got
    assert not any("Ann Lee" in q.text or "added" in q.text for q in doc._.quotes)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ('"We will not sign," she said, but "we will talk to them."', "said"),
        ('The new rules, he added, are like "a tax on every farmer."', "added"),
    ],
)
def test_a_quote_split_around_its_cue_stays_whole(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch, text: str, cue: str
) -> None:
    doc = _tagged_run(pipeline, monkeypatch, text, text, [cue])
    assert [q.text for q in doc._.quotes] == [text]


def test_a_name_after_the_closing_mark_is_the_speakers(pipeline: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    text = '"I do not see how that is possible," Rep. Ann Lund, D-Ore., said on the radio.'
    doc = _tagged_run(pipeline, monkeypatch, text, text[: text.index(" said")], ["said"])
    q = quote_with(doc, "possible")
    assert q.text == "I do not see how that is possible,"
    assert q.speaker is not None and q.speaker.name == "Ann Lund"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The plan was opposed by Rep. Ann Lund, who said it would ruin the farmers.", "Ann Lund"),
        ("Delays were blamed on the water agency, which said the pipes had burst.", "the water agency"),
    ],
)
def test_a_relative_pronoun_speaks_for_what_it_stands_for(pipeline: Language, text: str, name: str) -> None:
    doc = run(pipeline, text)
    q = next(q for q in doc._.quotes if q.cue is not None and q.cue.text == "said")
    assert q.speaker is not None and q.speaker.mention is not None
    assert q.speaker.mention.text in ("who", "which")  # the words as written
    assert q.speaker.name == name


def test_a_content_that_opens_with_its_cue_starts_after_it(pipeline: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Lund said he had handled the gun before and always cleared it."
    doc = _tagged_run(pipeline, monkeypatch, text, text[text.index("said") : -1], ["said"])
    q = quote_with(doc, "handled")
    assert q.text == "he had handled the gun before and always cleared it"
    assert q.speaker is not None and q.speaker.name == "Lund"


def test_words_in_quotation_marks_do_not_speak_for_a_cue_outside_them(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = 'Hatlen told police "the (expletive) idiot shot me" and said that he saw Lund pull the trigger.'
    doc = _tagged_run(pipeline, monkeypatch, text, "that he saw Lund pull the trigger", ["said"])
    q = quote_with(doc, "pull the trigger")
    assert q.speaker is None or "idiot" not in q.speaker.name


def test_tagger_mode_stops_a_content_at_its_paragraph_end(pipeline: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    """A content run on over a paragraph's end, into a quote re-opened there (news style),
    keeps to its paragraph: the unclosed quote after the cue's sentence is a quote of its own."""
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    text = (
        "Ana Ruiz spoke to the host.\n\n"
        "“I will not guess at motives,” she told the host. “The point is, we want strong ties.\n\n"
        "“We have worked hard for that,” she said."
    )
    content = (text.index("“I will"), text.index("for that"), 0.9)
    tagged = Tagged([content], [_at(text, "told")], [_at(text, "she")])
    _fake_tagger(monkeypatch, tagged)
    doc = quotes.extract(run(pipeline, text), tagger=True)
    q = quote_with(doc, "The point is")
    assert q.text == "The point is, we want strong ties."
    first = quote_with(doc, "motives")
    assert q.speaker is not None and first.speaker is not None and q.speaker.name == first.speaker.name
    assert not any("worked hard" in x.text and "motives" in x.text for x in doc._.quotes)


def test_tagger_mode_takes_the_name_not_its_title_as_source(
    pipeline: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storydesk.quotes import extract as quotes
    from storydesk.quotes.tagger import Tagged

    text = "Sens. Ann Lee and Bo Park of Ohio said in a joint letter that the plant must close."
    tagged = Tagged([_at(text, "the plant must close")], [], [_at(text, "Sens. Ann Lee and Bo Park of Ohio")])
    _fake_tagger(monkeypatch, tagged)
    q = quote_with(quotes.extract(run(pipeline, text), tagger=True), "plant")
    assert q.speaker is not None and q.speaker.name == "Ann Lee"


def test_a_passive_participle_names_what_was_named_not_who_spoke(pipeline: Language) -> None:
    text = (
        "The bill, known as the Harbor Act, passed. Comments made by Mayor Ann Lee suggested that the park would close."
    )
    doc = run(pipeline, text)
    named = [q for q in doc._.quotes if "Harbor Act" in q.text]
    assert all(q.speaker is None or q.speaker.mention is None or q.speaker.name != "The bill" for q in named)
    q = quote_with(doc, "park would close")
    assert q.speaker is not None and q.speaker.name == "Ann Lee"
