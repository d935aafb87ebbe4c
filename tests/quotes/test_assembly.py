"""Linking the tagger's spans (content, cue, source) into attributions, and reading its tags."""

from __future__ import annotations

import itertools
import re

import numpy as np

from storydesk.quotes.assembly import Linked, link, nearest_cue, nearest_source, paragraph_pieces
from storydesk.quotes.tagger import bio_spans, merged_spans, prepare, windows


def span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def test_cue_and_source_before_the_content() -> None:
    text = "The mayor said that the bridge would reopen."
    content = span(text, "the bridge would reopen")
    (linked,) = link(text, [content], [span(text, "said")], [span(text, "The mayor")])
    assert linked.cue == span(text, "said") and linked.source == span(text, "The mayor")


def test_nearest_cue_wins_and_a_sentence_end_counts_as_far() -> None:
    text = "Lee spoke first. Prices will fall, the bank said."
    content = span(text, "Prices will fall")
    cues = [span(text, "spoke"), span(text, "said")]
    sources = [span(text, "Lee"), span(text, "the bank")]
    (linked,) = link(text, [content], cues, sources)
    assert linked.cue == span(text, "said") and linked.source == span(text, "the bank")


def test_split_quote_takes_the_cue_inside_it() -> None:
    text = 'Ana Ruiz spoke. "We are ready," she said, "and we will win."'
    content = (text.index('"We'), len(text) - 1)
    cues = [span(text, "spoke"), span(text, "said")]
    (linked,) = link(text, [content], cues, [span(text, "Ana Ruiz"), span(text, "she")])
    assert linked.cue == span(text, "said") and linked.source == span(text, "she")


def test_nested_attribution_keeps_its_own_cue() -> None:
    text = "The minister said he believes the deal is dead."
    outer, inner = span(text, "he believes the deal is dead"), span(text, "the deal is dead")
    cues = [span(text, "said"), span(text, "believes")]
    he = span(text, "he", after=text.index("said"))
    sources = [span(text, "The minister"), he]
    first, second = link(text, [outer, inner], cues, sources)
    assert first.cue == span(text, "said") and first.source == span(text, "The minister")
    assert second.cue == span(text, "believes") and second.source == he


def test_no_cue_across_a_paragraph_break() -> None:
    text = "The mayor said so.\n\nThe bridge is closed."
    (linked,) = link(text, [span(text, "The bridge is closed")], [span(text, "said")], [span(text, "The mayor")])
    assert linked.cue is None and linked.source is None


def test_bio_spans_reads_b_i_and_a_stray_i() -> None:
    tags = np.array([0, 1, 2, 2, 0, 2, 2, 1, 1, 0])
    assert bio_spans(tags) == [(1, 3), (5, 6), (7, 7), (8, 8)]


def test_merged_spans_bridge_short_gaps_but_not_a_new_beginning() -> None:
    o, b, i = [0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]
    probs = np.array([o, b, i, o, i, i, o, o, o, o, i, b, i])
    assert merged_spans(probs, inside=0.5, gap=2) == [(1, 5), (10, 10), (11, 12)]


def test_windows_cover_every_piece_with_overlap() -> None:
    spans = windows(600, size=254, step=160)
    assert spans[0] == (0, 254) and spans[-1] == (346, 600)
    assert all(b[0] < a[1] for a, b in itertools.pairwise(spans))


def test_prepare_keeps_offsets() -> None:
    text = "One.\n\nTwo.\r\n"
    assert len(prepare(text)) == len(text) and "\n" not in prepare(text)


def test_linking_looks_only_near_but_chooses_as_over_all() -> None:
    # Many cues and sources far apart: each content's choice equals the choice over every span.
    text = " ".join(f"Person{i} said the plan {i} was fine." for i in range(300))
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    cues = [w for w in words if text[w[0] : w[1]] == "said"]
    sources = [w for w in words if text[w[0] : w[1]].startswith("Person")]
    contents = [(c[1] + 1, c[1] + 20) for c in cues[::7]]
    expected = []
    for content in contents:
        cue = nearest_cue(text, content, cues)
        expected.append(Linked(content, cue, nearest_source(text, content, cue or content, sources)))
    assert link(text, contents, cues, sources) == expected
    assert all(linked.cue is not None and linked.source is not None for linked in expected)


def test_a_full_stop_closing_the_content_keeps_the_next_sentences_cue_away() -> None:
    text = 'Ana Ruiz said in a letter that "the plan is dead." He said talks would go on.'
    content = span(text, '"the plan is dead."')
    cues = [span(text, "said in a"), span(text, "said", after=text.index("He"))]
    (linked,) = link(text, [content], cues, [span(text, "Ana Ruiz"), span(text, "He")])
    assert linked.cue == span(text, "said in a") and linked.source == span(text, "Ana Ruiz")


def test_a_title_abbreviation_is_no_sentence_end_between_cue_and_content() -> None:
    text = "Lena Ortiz told Sens. Ann Lee and Bo Park of Maine and Ohio that the vote would be delayed again."
    content = span(text, "the vote would be delayed again")
    assert nearest_cue(text, content, [span(text, "told")]) == span(text, "told")


def test_a_content_is_cut_at_its_paragraph_ends() -> None:
    text = '"The plan is sound," Ana Ruiz said.\n\nYet the board voted no.'
    pieces = paragraph_pieces(text, (0, text.index("voted")))
    assert pieces == [(0, text.index("\n")), (text.index("Yet"), text.index("voted"))]
