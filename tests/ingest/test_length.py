"""Texts too short to be an article are refused, each with one line naming it; the batch goes on."""

from __future__ import annotations

from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest import read_contents, read_inputs
from storydesk.ingest.length import MIN_ARTICLE_WORDS, too_short, word_count
from storydesk.models import Article

SENTENCE = "The council voted on Tuesday to close the old bridge for repairs."


def test_word_count_counts_spaced_words_and_han_characters() -> None:
    assert word_count("Hello, world!  -- ") == 2
    assert word_count("国家统计局周二公布") == 4  # nine Han characters, two to a word
    assert word_count("Reuters 报道") == 2


def test_a_few_words_are_too_short_and_a_sentence_is_not() -> None:
    assert too_short(SENTENCE) is None
    reason = too_short("Breaking news!")
    assert reason == f"too short to be an article (2 words; at least {MIN_ARTICLE_WORDS})"


def test_a_tiny_file_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello there.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(SENTENCE, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert [str(i) for i in items if isinstance(i, InputError)] == [
        f"{tmp_path / 'a.txt'}: too short to be an article (2 words; at least 6)"
    ]
    assert [a.id for a in items if isinstance(a, Article)] == [str(tmp_path / "b.txt")]


def test_a_tiny_jsonl_record_is_refused_by_its_id() -> None:
    data = b'{"id": "r1", "text": "Short."}\n{"id": "r2", "text": "' + SENTENCE.encode() + b'"}\n'
    items = list(read_contents([("batch.jsonl", data)]))
    assert isinstance(items[0], InputError) and items[0].item == "r1"
    assert isinstance(items[1], Article) and items[1].id == "r2"


def test_the_least_is_a_parameter() -> None:
    (item,) = read_contents([("a.txt", b"Short text.")], min_words=0)
    assert isinstance(item, Article)
