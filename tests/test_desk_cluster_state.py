"""Ingest with the clusterer's state kept in the store (texts written for the tests; analysis
faked, so no language model loads): the stories are those a clusterer rebuilt from every
stored article gives, ingest after ingest; the state kept is the one a rebuild would keep; a
store without a state (made before the migration) is rebuilt from its texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config

from storydesk import desk
from storydesk.ingest import article_key
from storydesk.models import Analysis, Article
from storydesk.store import MIGRATIONS, Store, cluster_state, open_store
from storydesk.stories.cluster import StoryClusterer, story_id
from tests.test_desk_split import ACEH, PAPUA


def _article(n: int, date: str | None, title: str, text: str) -> Article:
    return Article(id=f"t{n}", title=title, date=date, text=text, source=f"Outlet {n % 3}")


QUAKE_A = (
    "A magnitude 6.1 earthquake struck Aceh on Tuesday, killing 24 people in Bener Meriah; rescuers searched houses."
)
QUAKE_P = "A magnitude 7.6 earthquake struck Papua on Sunday, killing 4 people in Manokwari; rescuers searched hotels."
FLOOD = "The Elbe river burst its banks in Dresden, flooding the old town; boats carried thousands of residents away."
CHESS = "Magnus Carlsen won the rapid chess final in Oslo after a tense endgame, taking the title and the prize."
BUDGET = "The Lisbon council passed a budget of 400 million euros for trams, schools and the harbour front."

# Dated in order, except t9 (dated before stored ones: a rebuild) and t10, t11 (undated).
ARTICLES = [
    _article(1, "2024-05-01", "Aceh quake", QUAKE_A),
    _article(2, "2024-05-01", "Dresden floods", FLOOD),
    _article(3, "2024-05-02", "Papua quake", QUAKE_P),
    _article(4, "2024-05-02", "Bener Meriah toll", "At least 24 died in Bener Meriah after the 6.1 Aceh earthquake."),
    _article(5, "2024-05-03", "Carlsen wins in Oslo", CHESS),
    _article(6, "2024-05-03", "Manokwari toll", "At least 4 died in Manokwari when a 7.6 earthquake struck Papua."),
    _article(7, "2024-05-04", "Elbe rises", "Dresden residents left as the Elbe flooded the old town overnight."),
    _article(8, "2024-05-05", "Lisbon budget", BUDGET),
    _article(9, "2024-05-02", "Aceh rescue", "Rescuers in Bener Meriah searched houses after the Aceh earthquake."),
    _article(10, None, "Papua rescue", "Rescuers in Manokwari searched hotels after Sunday's 7.6 earthquake in Papua."),
    _article(11, None, "Oslo chess", "Carlsen took the Oslo rapid chess title after a tense endgame and the final."),
    _article(12, "2024-05-06", "Trams for Lisbon", "Lisbon council budget: 400 million euros, trams and schools."),
    _article(13, "2024-05-07", "Dresden clean-up", "After the Elbe flood, Dresden's old town cleans up; boats leave."),
]
BATCHES = [[0], [1, 2], [3], [4, 5], [6], [7], [8], [9], [10], [11, 12]]


def _ingest_all(
    store: Store, rebuild: bool, monkeypatch: pytest.MonkeyPatch, batches: list[list[int]] = BATCHES
) -> tuple[list[Any], list[bool]]:
    """Ingests the batches; returns each report's figures and whether the kept state was used."""
    used: list[bool] = []
    usable = cluster_state.ClusterState.usable

    def spy(self: cluster_state.ClusterState, dates: list[str | None]) -> bool:
        used.append(not rebuild and usable(self, dates))
        return used[-1]

    monkeypatch.setattr(cluster_state.ClusterState, "usable", spy)
    reports = []
    for batch in batches:
        report = desk.ingest(store, [ARTICLES[i] for i in batch])
        reports.append((report.added, report.moved, sorted(report.stories)))
    monkeypatch.setattr(cluster_state.ClusterState, "usable", usable)
    return reports, used


def _members(store: Store) -> dict[str, list[str]]:
    return {s.id: sorted(a.id for a, _ in store.story_articles(s.id)) for s in desk.stories(store)}


def _kept(store: Store) -> dict[str, Any]:
    """The kept state, by article key and story id (story numbers differ between histories)."""
    with store.engine.connect() as c:
        ids = dict(c.exec_driver_sql("SELECT number, story_id FROM cluster_stories").all())
        postings = c.exec_driver_sql("SELECT term, story FROM cluster_postings").all()
        return {
            "meta": c.exec_driver_sql("SELECT valid, docs, terms FROM cluster_meta").all(),
            "terms": sorted(c.exec_driver_sql("SELECT id, term, channel, df FROM cluster_terms").all()),
            "vectors": sorted(c.exec_driver_sql("SELECT * FROM cluster_vectors").all()),
            "stories": sorted(
                c.exec_driver_sql(
                    "SELECT story_id, rank, members, first, last, sq_norm, indices, data FROM cluster_stories"
                ).all()
            ),
            "postings": sorted((term, ids[story]) for term, story in postings),
        }


def _rebuild_state(store: Store) -> None:
    """Writes the state a clusterer rebuilt from every stored article holds."""
    clusterer = StoryClusterer()
    for row in store.all_articles_for_clustering():
        clusterer.restore(row.key, row.text, row.title, row.date, row.story_id)
    generation = cluster_state.begin(store.engine)
    assert cluster_state.save(store.engine, clusterer.changes(), generation)


def test_kept_state_gives_the_stories_a_rebuild_gives(fake_analysis: None, monkeypatch: pytest.MonkeyPatch) -> None:
    kept, rebuilt = open_store("sqlite:///:memory:"), open_store("sqlite:///:memory:")
    reports, used = _ingest_all(kept, rebuild=False, monkeypatch=monkeypatch)
    expected, _ = _ingest_all(rebuilt, rebuild=True, monkeypatch=monkeypatch)  # as every ingest did before
    assert reports == expected
    assert _members(kept) == _members(rebuilt)
    # t9, dated before stored articles, needs a rebuild, and so does the next ingest (the
    # state was left invalid); so does t12, dated after undated stored ones (undated sort
    # last); the rest go on from the kept state.
    assert used == [False, True, True, True, True, True, False, False, True, False]
    assert len(_members(kept)) >= 4


def test_kept_state_is_the_one_a_rebuild_keeps(fake_analysis: None, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store("sqlite:///:memory:")
    _, used = _ingest_all(store, rebuild=False, monkeypatch=monkeypatch, batches=BATCHES[:6])
    assert all(used[1:])
    incremental = _kept(store)
    assert incremental["meta"] == [(1, 8, len(incremental["terms"]))]
    _rebuild_state(store)
    assert _kept(store) == incremental
    _ingest_all(store, rebuild=False, monkeypatch=monkeypatch, batches=BATCHES[6:])
    assert not cluster_state.ClusterState(store.engine).valid  # t12 came after undated ones
    extra = _article(14, None, "Lisbon trams", "Trams for Lisbon: the council's 400 million euro budget.")
    desk.ingest(store, [extra])  # rebuilt, then kept (undated: after every stored article)
    incremental = _kept(store)
    assert incremental["meta"] == [(1, len(ARTICLES) + 1, len(incremental["terms"]))]
    _rebuild_state(store)
    assert _kept(store) == incremental


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_split_from_the_kept_state(rebuild: bool, fake_analysis: None, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store("sqlite:///:memory:")
    for article in ACEH + PAPUA[:2]:  # stored, wrongly, as one story
        analysis = Analysis(id=article.id, title=article.title, published=article.date)
        store.add_article(article_key(article), article, analysis, "s-quakes", "Quakes")
    desk.ingest(store, [ARTICLES[4]])  # the state built, and kept
    if rebuild:  # as every ingest did before
        monkeypatch.setattr(cluster_state.ClusterState, "usable", lambda self, dates: False)
    late = PAPUA[2].model_copy(update={"date": "2024-05-04"})
    assert cluster_state.ClusterState(store.engine).usable([late.date]) is not rebuild
    report = desk.ingest(store, [late])
    assert report.moved == 3  # the Papua articles split off, from the kept state as from a rebuild
    papua = {a.id for a, _ in store.story_articles(story_id(article_key(PAPUA[0])))}
    assert papua == {"p1", "p2", "p3"}
    incremental = _kept(store)
    _rebuild_state(store)
    assert _kept(store) == incremental


def test_an_interrupted_ingest_leaves_the_state_to_be_rebuilt(fake_analysis: None) -> None:
    store = open_store("sqlite:///:memory:")
    desk.ingest(store, ARTICLES[:2])
    assert cluster_state.ClusterState(store.engine).valid
    cluster_state.begin(store.engine)  # an ingest that never finished
    assert not cluster_state.ClusterState(store.engine).valid
    report = desk.ingest(store, [ARTICLES[3]])
    assert report.stories == {desk.stories(store)[-1].id} or len(report.stories) == 1
    assert cluster_state.ClusterState(store.engine).valid


def test_articles_stored_without_state_are_read_from_their_texts(tmp_path: Path, fake_analysis: None) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = open_store(url)
    for article in ARTICLES[:4]:  # stored as a store before the migration held them: no state
        analysis = Analysis(id=article.id, title=article.title, published=article.date)
        store.add_article(article_key(article), article, analysis, "s-" + article.id, article.title)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008_article_parses")
        tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "cluster_vectors" not in tables
    store.close()
    store = open_store(url)  # migrated up again: tables, no state
    assert not cluster_state.ClusterState(store.engine).valid
    report = desk.ingest(store, [ARTICLES[5]])  # Manokwari: joins the stored Papua story
    assert report.stories == {"s-t3"}
    assert cluster_state.ClusterState(store.engine).valid
    report = desk.ingest(store, [ARTICLES[6]])  # from the kept state now: joins the stored flood story
    assert report.stories == {"s-t2"}
    incremental = _kept(store)
    _rebuild_state(store)
    assert _kept(store) == incremental


def test_stories_list_figures(fake_analysis: None) -> None:
    store = open_store("sqlite:///:memory:")
    wire = Article(id="w", title="Wire", date="2024-05-02", text=QUAKE_A, source="Wire")
    copy = Article(id="c", title="Copy", date="2024-05-03", text=QUAKE_A + " (copy)", source="Paper")
    undated = Article(id="u", title="Undated", date=None, text=QUAKE_A + " More.", source="")
    for n, a in enumerate((wire, copy, undated)):
        store.add_article(article_key(a), a, Analysis(id=a.id, outlet=a.source or None), "s-q", "Quake")
        if n == 1:
            store.set_origins({article_key(copy): article_key(wire)})
    store.add_article("k-empty", ARTICLES[4], Analysis(id="t5"), "s-chess", None)
    listed = desk.stories(store)
    assert [(s.id, s.title, s.outlets, s.articles, s.origins, s.first, s.last) for s in listed] == [
        ("s-chess", None, ["Outlet 2"], 1, 1, "2024-05-03", "2024-05-03"),
        ("s-q", "Quake", ["Paper", "Wire"], 3, 2, "2024-05-02", "2024-05-03"),
    ]
    assert listed[0].updated > listed[1].updated
