"""Working with the store: ingest articles into stories, list stories, build a stored story's
dossier. The CLI's ``ingest``, ``stories`` and ``show`` commands call these functions.

The language pipeline, the story clusterer and the dossier builder (spaCy, torch, scikit-learn:
seconds to import, hundreds of MB) are imported by the functions that use them: a story whose
dossier is stored and current is shown without them (:func:`dossier`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storydesk import __version__
from storydesk.errors import AnalysisError, InputError, NotFoundError, SkippedItem, StaleParseError, StoreError
from storydesk.models import Analysis, Article, ParsedQuestion, Story, StorySummary
from storydesk.store import Store, StoryPage, StoryStamp

if TYPE_CHECKING:
    from storydesk.positions import consensus
    from storydesk.stories.cluster import StoryClusterer


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # keys of newly stored articles
    read: list[str] = field(default_factory=list)  # keys of every article read, stored before or not
    duplicates: int = 0
    failed: list[InputError] = field(default_factory=list)
    skipped: int = 0  # items left out on purpose (SkippedItem: filters, web-archive records)
    stories: set[str] = field(default_factory=set)  # stories that gained (or lost) articles
    moved: int = 0  # articles moved to another story by later evidence


def _key(article: Article) -> str:
    """The article's store key (ingest's readers, with trafilatura, loaded on first use)."""
    from storydesk.ingest import article_key

    return article_key(article)


def _clusterer(store: Store, dates: Sequence[str | None]) -> tuple[StoryClusterer, bool]:
    """A clusterer that knows every stored article, so new ones join existing stories, and
    whether its state can be kept after articles with ``dates`` (in this order) are added.

    From the store's kept state when the new articles come after the stored ones (the
    clusterer then reads only what they need); else rebuilt from every stored article's text."""
    from storydesk.store import cluster_state  # the clusterer's types: spaCy, scikit-learn
    from storydesk.stories.cluster import StoryClusterer

    state = cluster_state.ClusterState(store.engine)
    if state.usable(dates):
        return StoryClusterer(state=state), True
    clusterer = StoryClusterer()
    last: cluster_state.Last | None = None
    for row in store.all_articles_for_clustering():
        clusterer.restore(row.key, row.text, row.title, row.date, row.story_id)
        last = (row.date is not None, row.date)
    return clusterer, cluster_state.follows(last, dates)


def ingest(
    store: Store,
    items: Iterable[Article | InputError],
    processes: int = 1,
    on_error: Callable[[InputError], None] | None = None,
    on_done: Callable[[int], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    dask: str | None = None,
) -> IngestReport:
    """Stores new articles with their analysis, each joining a story (one transaction each).

    Articles already stored (same text) are skipped, so a repeated or resumed run adds nothing
    twice. Bad items are collected in the report (and passed to ``on_error`` as they come);
    ``on_note`` gets the note of each text analysed only in part (stored whole) and of each
    article left out of the English-only stages for its language.
    The clusterer's state is kept in the store (:mod:`storydesk.store.cluster_state`), so an
    ingest of articles newer than the stored ones reads only what they need. Two ingests into
    one PostgreSQL store take turns at clustering and storing (:meth:`Store.ingest_lock`).
    ``dask`` analyses on a Dask cluster (``local:N`` or a scheduler's address; see
    :mod:`storydesk.dask_workers`) instead of ``processes`` here: the records come back in
    input order, so clustering and the store's writes are those of a local run."""
    report = IngestReport()
    fresh: dict[str, Article] = {}
    for item in items:
        if isinstance(item, SkippedItem):
            report.skipped += 1
            if on_note:
                on_note(f"skipped {item}")
            continue
        if isinstance(item, InputError):
            report.failed.append(item)
            if on_error:
                on_error(item)
            continue
        key = _key(item)
        report.read.append(key)
        if key in fresh or store.has_article(key):
            report.duplicates += 1
            continue
        fresh[key] = item
    with store.ingest_lock() as waited:
        if waited:  # the ingest it waited for may have stored some of these
            stored = {key for key in fresh if store.has_article(key)}
            report.duplicates += len(stored)
            fresh = {key: a for key, a in fresh.items() if key not in stored}
        _cluster_and_store(store, fresh, report, processes, on_error, on_done, on_note, dask)
    return report


def _cluster_and_store(
    store: Store,
    fresh: dict[str, Article],
    report: IngestReport,
    processes: int,
    on_error: Callable[[InputError], None] | None,
    on_done: Callable[[int], None] | None,
    on_note: Callable[[str], None] | None,
    dask: str | None = None,
) -> None:
    """Analyses the ``fresh`` articles, clusters them in date order and stores each with its
    story, noting what was done in ``report``; then finds the wire copies of the stories."""
    from storydesk import pipeline
    from storydesk.store import cluster_state
    from storydesk.stories.title import story_title

    if not fresh:
        _record_all_copies(store, set())
        return
    ordered = sorted(fresh.items(), key=lambda kv: (kv[1].date is None, kv[1].date or ""))
    clusterer, keep = _clusterer(store, [a.date for _, a in ordered])
    generation = cluster_state.begin(store.engine)
    articles = [a for _, a in ordered]
    for (key, article), analysis in zip(
        ordered, pipeline.analyze_each(articles, processes, on_done, dask=dask), strict=True
    ):
        if isinstance(analysis, AnalysisError):  # not stored: a re-run tries it again
            report.failed.append(analysis)
            if on_error:
                on_error(analysis)
            continue
        if on_note:
            for note in (pipeline.cut_note(article, analysis), pipeline.language_note(analysis)):
                if note:
                    on_note(note)
        story_id = clusterer.add(key, article.text, article.title, article.date)
        if store.add_article(key, article, analysis, story_id, story_title([article])):
            report.added.append(key)
            report.stories.add(story_id)
        else:  # stored meanwhile by another process: the state no longer matches the store
            keep = False
    # Later articles can show that an earlier one belongs elsewhere; ids stay stable.
    for move in clusterer.revisit(report.added):
        moved = fresh.get(move.article) or store.stored_article(move.article)
        store.move_article(move.article, move.target, story_title([moved]))
        report.stories |= {move.source, move.target}
        report.moved += 1
    if keep:  # else left invalid: the next ingest rebuilds it
        cluster_state.save(store.engine, clusterer.changes(), generation)
    _record_all_copies(store, report.stories)


def _record_all_copies(store: Store, stories: set[str]) -> None:
    """Finds the copies of ``stories`` and of every story whose copies an earlier, interrupted
    ingest left unfound, so that a re-run converges to what one uninterrupted run stores."""
    for story_id in sorted(stories | set(store.stories_without_copies())):
        _record_copies(store, story_id)


def _record_copies(store: Store, story_id: str) -> None:
    """Finds the wire copies among a story's articles and stores each copy's origin (by key)."""
    from storydesk.stories import syndication

    try:
        items = store.story_articles(story_id)
    except NotFoundError:  # emptied by a move and deleted
        return
    articles = [a.model_copy(update={"id": _key(a)}) for a, _ in items]
    store.set_origins(syndication.copied_from(articles, [an for _, an in items]), story_id)


def _stored_origins(store: Store, story_id: str, articles: Sequence[Article]) -> dict[str, str | None]:
    """Article id -> the id of the article it copies (None: none), as recorded at ingest.

    The store records origins by key, a story's articles come with the ids they were read
    with; a copy whose origin has its own id (two files of one name) counts as its own origin,
    as it would were copies found by id."""
    recorded = store.story_origins(story_id)
    keys = [_key(a) for a in articles]
    ids = dict(zip(keys, (a.id for a in articles), strict=True))
    origins: dict[str, str | None] = {}
    for key, article in zip(keys, articles, strict=True):
        origin = recorded.get(key)
        origin_id = ids.get(origin) if origin is not None else None
        origins[article.id] = None if origin_id == article.id else origin_id
    return origins


def stories(store: Store) -> list[StorySummary]:
    """Every stored story, newest first."""
    return store.stories()


def story_page(store: Store, limit: int | None = None) -> StoryPage:
    """The ``limit`` most recently updated stories (all with None) and how many are stored."""
    return store.story_page(limit)


def show(
    store: Store, story: str, question: str | None = None, bodies: Sequence[consensus.Body] | None = None
) -> Story:
    """The dossier of a stored story, by id or unique id prefix. A ``question`` given is stored
    with the story; without one the stored question is used, else one is proposed. Always
    built from the articles (:func:`dossier` reads the stored one when it is current)."""
    from storydesk import nlp
    from storydesk.dossier import build as dossiers

    story_id = store.find_story(story)
    if question:
        store.set_question(story_id, question, nlp.parse_question(question).parse)
    items = _with_parses(store, store.story_articles(story_id))
    origins = _stored_origins(store, story_id, [a for a, _ in items])
    asked = _asked(store, story_id)
    try:
        return dossiers.build_story(story_id, items, question=asked, bodies=bodies, origins=origins)
    except StaleParseError:
        # Parses kept by a version that words its questions otherwise: their questions are
        # parsed anew, once, and kept.
        _refresh_question_parses(store, items)
        return dossiers.build_story(story_id, items, question=asked, bodies=bodies, origins=origins)


def _refresh_question_parses(store: Store, items: list[tuple[Article, Analysis]]) -> None:
    from storydesk import nlp

    kept = [(_key(a), an, an.parse) for a, an in items if an.parse is not None]
    fresh = nlp.refresh_question_parses([parse for _, _, parse in kept])
    for (_, an, _), parse in zip(kept, fresh, strict=True):
        an.parse = parse
    # Kept for later dossiers where the store can be written; a read-only one builds from them now.
    with contextlib.suppress(StoreError):
        store.replace_parses({key: parse for (key, _, _), parse in zip(kept, fresh, strict=True)})


def dossier(
    store: Store, story: str, question: str | None = None, bodies: Sequence[consensus.Body] | None = None
) -> Story:
    """The dossier of a stored story, by id or unique id prefix, as :func:`show` builds it: the
    one stored for the story as it now is (by any earlier ``show``, ``export`` or the web app)
    when there is one, else built and stored. A ``question`` that differs from the stored one
    changes the story, and so builds it again; extra ``bodies`` build it afresh, not stored."""
    if bodies:
        return show(store, story, question=question, bodies=bodies)
    stamp = store.story_stamp(story)
    if question and question != stamp.question:
        store.set_question(stamp.id, question, _parsed(question))
        stamp = store.story_stamp(stamp.id)
    return stored_or_built(store, stamp)[0]


def stored_or_built(store: Store, stamp: StoryStamp) -> tuple[Story, str]:
    """The dossier of the story as of ``stamp`` and its JSON: the one stored when current, else
    built and stored (kept in memory only where the database file is read-only)."""
    stored = store.stored_dossier(stamp, __version__)
    if stored is not None:
        return Story.model_validate_json(stored), stored
    built = show(store, stamp.id)
    payload = built.model_dump_json()
    # Stored for ``stamp``: an ingest meanwhile leaves it older than the story, to be built again.
    with contextlib.suppress(StoreError):
        store.store_dossier(stamp, __version__, payload)
    return built, payload


def _parsed(question: str) -> bytes | None:
    from storydesk import nlp

    return nlp.parse_question(question).parse


def _with_parses(store: Store, items: list[tuple[Article, Analysis]]) -> list[tuple[Article, Analysis]]:
    """``items`` with a parse and statement vectors each: articles stored before parses (store
    migration 0008) or vectors (0011) were kept are parsed or encoded now, once, and what is
    found kept for every later dossier."""
    from storydesk import nlp
    from storydesk.crosscheck import vectors

    # An article in another language than English is left out of the stages: nothing to parse.
    missing = [(_key(a), a, an) for a, an in items if an.parse is None and an.language is None]
    if missing:
        for (_, _, an), parse in zip(missing, nlp.parse_texts(a.text for _, a, _ in missing), strict=True):
            an.parse = parse
        store.set_parses({key: an.parse for key, _, an in missing if an.parse is not None})
    unencoded = [(_key(a), a, an) for a, an in items if an.vectors is None and an.language is None]
    if unencoded:
        found = vectors.encode_statements([(a, an) for _, a, an in unencoded])
        for (_, _, an), kept in zip(unencoded, found, strict=True):
            an.vectors = kept
        store.set_vectors({key: kept for (key, _, _), kept in zip(unencoded, found, strict=True)})
    return items


def _asked(store: Store, story_id: str) -> ParsedQuestion | None:
    """The question stated for the story with its parse (a question stated before parses were
    kept is parsed now, once, and kept), or None."""
    from storydesk import nlp

    text, parse = store.question_and_parse(story_id)
    if not text:
        return None
    if parse is None:
        asked = nlp.parse_question(text)
        store.set_question(story_id, text, asked.parse)
        return asked
    return ParsedQuestion(text, parse)
