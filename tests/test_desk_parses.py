"""A stored story's dossier reads the parses and statement vectors kept at ingest; articles and
questions stored before they were kept are parsed (encoded) once, when their story is first shown,
and kept."""

from __future__ import annotations

import pytest

from storydesk import desk, embeddings, nlp, pipeline
from storydesk.annotate import parse
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import Store, open_store

pytestmark = pytest.mark.slow

ARTICLES = [
    Article(id="a1", date="2024-05-01", text="Austria rejects Freedonia joining the bloc, its chancellor said."),
    Article(id="a2", date="2024-05-02", text="Spain backs Freedonia's membership of the bloc, officials said."),
]
QUESTION = "Should the bloc admit Freedonia?"


def kept(an: Analysis) -> tuple[list[tuple[str, str, str, int]], list[str]]:
    """What a kept parse holds: each word's lemma, dependency and head, and the questions."""
    assert an.parse is not None
    got = parse.from_bytes(an.parse)
    return [(t.text, t.lemma_, t.dep_, t.head.i) for t in got.doc], list(got.questions)


def stored(keep_parses: bool) -> Store:
    store = open_store("sqlite:///:memory:")
    for a, an in zip(ARTICLES, pipeline.analyze(ARTICLES), strict=True):
        if not keep_parses:
            an.parse = None  # as stored before migration 0008
        store.add_article(article_key(a), a, an, "s-1", None)
    return store


def test_old_articles_are_parsed_once_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh, old = stored(keep_parses=True), stored(keep_parses=False)
    assert all(an.parse is None for _, an in old.story_articles("s-1"))
    assert desk.show(old, "s-1") == desk.show(fresh, "s-1")
    assert [kept(an) for _, an in old.story_articles("s-1")] == [kept(an) for _, an in fresh.story_articles("s-1")]

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(nlp, "parse_texts", no_parsing)
    desk.show(old, "s-1")  # kept: not parsed again


def without_vectors(store: Store) -> Store:
    """``store`` as it was before migration 0011: no statement vectors."""
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM statement_vectors")
    return store


def no_encoding(*args: object, **kwargs: object) -> None:
    raise AssertionError("encoded again")


def test_a_stored_dossier_reads_the_kept_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored(keep_parses=True)
    assert all(an.vectors for _, an in store.story_articles("s-1"))
    expected = desk.show(without_vectors(stored(keep_parses=True)), "s-1")
    monkeypatch.setattr(embeddings, "encode", no_encoding)
    assert desk.show(store, "s-1") == expected


def test_old_articles_are_encoded_once_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh, old = stored(keep_parses=True), without_vectors(stored(keep_parses=True))
    assert all(an.vectors is None for _, an in old.story_articles("s-1"))
    assert desk.show(old, "s-1") == desk.show(fresh, "s-1")
    assert all(an.vectors for _, an in old.story_articles("s-1"))
    monkeypatch.setattr(embeddings, "encode", no_encoding)
    desk.show(old, "s-1")  # kept: not encoded again


def test_a_question_is_parsed_when_stated_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored(keep_parses=True)
    given = desk.show(store, "s-1", question=QUESTION)
    assert given.positions.question == QUESTION
    text, parse = store.question_and_parse("s-1")
    assert text == QUESTION and parse == nlp.parse_question(QUESTION).parse

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(nlp, "parse_question", no_parsing)
    assert desk.show(store, "s-1") == given


def test_a_question_stated_before_parses_were_kept_is_parsed_once() -> None:
    old = stored(keep_parses=True)
    old.set_question("s-1", QUESTION)  # as stored before migration 0008: no parse
    shown = desk.show(old, "s-1")
    assert shown.positions.question == QUESTION
    assert old.question_and_parse("s-1") == (QUESTION, nlp.parse_question(QUESTION).parse)
    assert shown == desk.show(stored(keep_parses=True), "s-1", question=QUESTION)


def worded_otherwise(store: Store) -> Store:
    """``store`` as kept by a version whose proposed questions were worded otherwise: each
    article's parse without the parses of its questions."""
    bare = {}
    for a, an in store.story_articles("s-1"):
        assert an.parse is not None
        bare[article_key(a)] = parse.to_bytes(parse.from_bytes(an.parse).doc)
    store.replace_parses(bare)
    assert all(not kept(an)[1] for _, an in store.story_articles("s-1"))
    return store


def test_parses_kept_with_other_questions_get_this_versions_questions_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh, old = stored(keep_parses=True), worded_otherwise(stored(keep_parses=True))
    shown = desk.show(old, "s-1")
    assert shown.positions.question is not None
    assert shown == desk.show(fresh, "s-1")
    assert [kept(an) for _, an in old.story_articles("s-1")] == [kept(an) for _, an in fresh.story_articles("s-1")]

    def no_refresh(*args: object) -> None:
        raise AssertionError("refreshed again")

    monkeypatch.setattr(nlp, "refresh_question_parses", no_refresh)
    assert desk.show(old, "s-1") == shown  # kept: not parsed again
