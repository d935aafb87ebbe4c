"""The indexed lookups that keep long texts linear give the answers of the scans they replace
(random spans, hypothesis): actors by position, quote linking, a sentence's quote, entities and
amounts, the words before a full stop."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storydesk.annotate.actors import Actor, ActorIndex
from storydesk.crosscheck.statements import _Located
from storydesk.models import Amount, Analysis, Entity, Mention, Quote, Speaker
from storydesk.quotes.assembly import Linker, nearest_cue, nearest_source
from storydesk.text import sentence_spans

spans = st.tuples(st.integers(0, 300), st.integers(1, 60)).map(lambda p: (p[0], p[0] + p[1]))


def scan_actor_at(actors: list[Actor], start: int, end: int) -> Actor | None:
    best, best_key = None, (0, 0)
    for actor in actors:
        for s, e in actor.mentions:
            shared = min(e, end) - max(s, start)
            if shared > 0 and (shared, -(e - s)) > best_key:
                best, best_key = actor, (shared, -(e - s))
    return best


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(spans, min_size=1, max_size=4), max_size=8), st.lists(spans, max_size=10))
def test_the_actor_index_answers_as_a_scan_of_every_mention(
    mentions: list[list[tuple[int, int]]], asked: list[tuple[int, int]]
) -> None:
    actors = [Actor(name=f"a{i}", kind="person", mentions=m) for i, m in enumerate(mentions)]
    index = ActorIndex(actors)
    for start, end in asked:
        assert index.at(start, end) is scan_actor_at(actors, start, end)


text_chars = st.sampled_from(list("ab .\n"))


@settings(max_examples=200, deadline=None)
@given(
    st.text(text_chars, min_size=300, max_size=400),
    st.lists(spans, max_size=8),
    st.lists(spans, max_size=8),
    st.lists(spans, max_size=8),
)
def test_linking_answers_as_a_scan_of_every_cue_and_source(
    text: str, contents: list[tuple[int, int]], cues: list[tuple[int, int]], sources: list[tuple[int, int]]
) -> None:
    linked = Linker(text, cues, sources)(contents)
    for found in linked:
        cue = nearest_cue(text, found.content, cues)
        assert found.cue == cue
        assert found.source == nearest_source(text, found.content, cue or found.content, sources)


def scan_quote_at(quotes: list[Quote], span: tuple[int, int]) -> Quote | None:
    best: tuple[int, Quote] | None = None
    for q in quotes:
        overlap = min(q.span[1], span[1]) - max(q.span[0], span[0])
        mention = q.speaker.mention if q.speaker else None
        if overlap <= 0 and mention is not None and span[0] <= mention.span[0] < span[1]:
            overlap = 1
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, q)
    return best[1] if best else None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(spans, st.none() | spans), max_size=8),
    st.lists(spans, max_size=8),
    st.lists(spans, min_size=1, max_size=12),
)
def test_a_sentences_quote_entities_and_amounts_are_those_a_scan_finds(
    quoted: list[tuple[tuple[int, int], tuple[int, int] | None]],
    marked: list[tuple[int, int]],
    cuts: list[tuple[int, int]],
) -> None:
    quotes = [
        Quote(
            text="q",
            span=span,
            kind="direct",
            speaker=Speaker(name="x", mention=Mention(text="x", span=m) if m else None),
        )
        for span, m in quoted
    ]
    analysis = Analysis(
        id="a",
        quotes=quotes,
        entities=[Entity(text="e", label="PERSON", span=s, actor="e") for s in marked],
        amounts=[Amount(text="1", span=s, value=1, unit="people") for s in marked],
    )
    located = _Located(analysis)
    sentences = sorted({s for s in cuts})  # in text order, as the split gives them
    sentences = [s for i, s in enumerate(sentences) if i == 0 or s[0] >= sentences[i - 1][0]]
    for span in sentences:
        assert located.quote_at(span) is scan_quote_at(quotes, span)
        inside = [i for i, s in enumerate(marked) if span[0] <= s[0] and s[1] <= span[1]]
        assert located.entities(span) == inside == located.amounts(span)


def scan_sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentence split as it was written first: the word before a stop found by a regex
    search of the text up to it."""
    from storydesk.text import _ACRONYM, _BOUNDARY, _LINE, _abbreviations, _strip

    def ends(line: str, stop: int) -> bool:
        if line[stop] != ".":
            return True
        word = re.search(r"[\w.]*$", line[: stop + 1])
        token = word.group(0) if word else ""
        bare = token.rstrip(".")
        if _ACRONYM.match(token) or (len(bare) == 1 and bare.isupper()):
            return False
        return bare.lower() not in _abbreviations()

    out = []
    for line in _LINE.finditer(text):
        start = line.start()
        for m in _BOUNDARY.finditer(line.group(0)):
            if ends(line.group(0), m.start()):
                out.append((start, line.start() + m.end()))
                start = line.start() + m.end()
        out.append((start, line.end()))
    return [t for s, e in out if (t := _strip(text, s, e))[1] > t[0]]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"aZ1_é. \n!?\"'", "Mr", "U.S.", " Mr.", " Dr. ", ". The "]), max_size=60).map("".join)
)
def test_sentences_end_where_the_regex_search_ended_them(text: str) -> None:
    assert sentence_spans(text) == scan_sentence_spans(text)
