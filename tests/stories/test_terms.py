"""Story terms by channel (texts written for the tests)."""

from __future__ import annotations

from storydesk.stories.terms import Terms, Vocabulary


def counts(terms: Terms) -> dict[int, float]:
    return dict(zip(terms.ids.tolist(), terms.counts.tolist(), strict=True))


def channels(vocabulary: Vocabulary, text: str) -> list[dict[str, float]]:
    terms = vocabulary.terms(text)
    names = [{i: t for t, i in table.items()} for table in vocabulary._terms]
    out: list[dict[str, float]] = [{}, {}, {}]
    for term, count, channel in zip(terms.ids.tolist(), terms.counts.tolist(), terms.channels.tolist(), strict=True):
        out[channel][names[channel][term]] = count
    return out


def test_words_names_and_numbers() -> None:
    words, names, numbers = channels(Vocabulary(), "The police said Smith's 17-year-old son paid $1,200. Police left.")
    assert words["police"] == 2 and "the" not in words and words["year"] == 1
    assert names == {"Smith": 1, "Police": 1}  # "The" opens a sentence: no name
    assert numbers == {"17": 1, "1,200": 1}


def test_same_tokens_same_ids_in_order_of_first_sight() -> None:
    vocabulary = Vocabulary()
    first = vocabulary.terms("Rain in Oslo", "Oslo rain")
    again = vocabulary.terms("Oslo rain", "Rain in Oslo")
    assert sorted(first.ids.tolist()) == sorted(again.ids.tolist())
    assert counts(first) == counts(again)


def test_title_weight_counts_the_title_more() -> None:
    vocabulary = Vocabulary()
    terms = vocabulary.terms("storm hits coast", "Storm", title_weight=2.0)
    assert sorted(terms.counts[terms.channels == 0].tolist()) == [1.0, 1.0, 3.0]


def test_punctuation_around_a_chunk_does_not_change_its_terms() -> None:
    vocabulary = Vocabulary()
    wrapped = channels(vocabulary, '"Rain," said (Oslo\'s) mayor — “U.S.” 1,200.')
    plain = channels(vocabulary, "Rain said Oslo's mayor U.S 1,200")
    assert wrapped == plain
    assert wrapped[1] == {"Rain": 1, "Oslo": 1} and wrapped[2] == {"1,200": 1}
