"""The store: articles with their analyses, grouped in stories, in SQLite (or any database
SQLAlchemy speaks to).

:func:`open_store` creates the database and migrates it to the current schema (Alembic, run
in-process). Each :class:`Store` method is one short transaction: an article is written with
its analysis and story membership at once or not at all, so an interrupted ingest leaves every
stored article whole and a re-run adds nothing twice.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, Row, Select, delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storydesk import __version__, listing
from storydesk.errors import NotFoundError, StoreError
from storydesk.models import Analysis, Article, Quote, StorySummary
from storydesk.store import actor_index, fulltext
from storydesk.store import engine as store_engine
from storydesk.store.models import (
    ActorNameRow,
    ActorQuoteRow,
    AnalysisRow,
    ArticleRow,
    DossierRow,
    ParseRow,
    SearchRow,
    StoryArticleRow,
    StoryRow,
    VectorRow,
)
from storydesk.store.search import SearchHit, SearchQuery, parse_query, read_snippet

__all__ = [
    "ActorOutlet",
    "ActorQuote",
    "ActorSummary",
    "ClusterRow",
    "SearchHit",
    "Store",
    "StoryFilter",
    "StoryPage",
    "StoryStamp",
    "StorySummary",
    "open_store",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class StoryFilter:
    """Which stories to list: each given condition must hold for some article of the story."""

    query: str | None = None  # a search of title, text and outlet (:mod:`storydesk.store.search`)
    outlet: str | None = None  # an outlet that covers the story (case-insensitive)
    actor: str | None = None  # an actor of an article, by name or alias (case-insensitive)
    since: str | None = None  # ISO dates: an article published on or after ``since`` and on or
    until: str | None = None  # before ``until`` (one article within the range, when both are given)
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class StoryPage:
    stories: list[StorySummary]  # the page asked for, the most recently updated first
    total: int  # stories matching the filter, on every page


@dataclass(frozen=True)
class ActorQuote:
    """Something an actor said, as one stored article reports it."""

    quote: Quote
    story_id: str
    story_title: str | None
    article: str  # the article's id as read
    outlet: str | None
    published: str | None


@dataclass(frozen=True)
class ActorOutlet:
    """How often an outlet quotes an actor, and the dates of the first and last of them."""

    outlet: str | None
    quotes: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class ActorSummary:
    """What the store holds of an actor's quotes: counts, by outlet (most quoting first)."""

    quotes: int
    stories: int
    outlets: list[ActorOutlet]


@dataclass(frozen=True)
class StoryStamp:
    """A story's identity and state: a dossier built for this stamp is current."""

    id: str
    updated: datetime
    question: str | None


class ClusterRow(NamedTuple):
    """What the story clusterer needs to know of a stored article."""

    key: str
    story_id: str
    text: str
    title: str | None
    date: str | None


def open_store(url: str) -> Store:
    """The store at the SQLAlchemy ``url``, created and migrated to the latest schema.

    For SQLite, the file's folder is created; ``sqlite:///:memory:`` keeps one connection so
    the database lives as long as the store. Raises :class:`StoreError` when it cannot be
    opened or migrated."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url}") from exc
    shown = parsed.render_as_string(hide_password=True)
    try:
        engine = store_engine.create(parsed)
        with store_engine.migration_lock(parsed):
            _migrate(engine)
    except (OSError, SQLAlchemyError) as exc:
        raise StoreError(f"cannot open the store {shown}: {exc}") from exc
    return Store(engine)


def _current(engine: Engine) -> str | None:
    """The store's revision, or None for a new or unversioned database."""
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except SQLAlchemyError:
        return None


def _migrate(engine: Engine) -> None:
    # A store at the newest revision is used as it is: Alembic (a fifth of a second to import)
    # loads only when there is something to create or migrate.
    if _current(engine) == listing.head():
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store_engine.writing(engine).begin() as connection:
        store_engine.lock_in_transaction(connection, store_engine.MIGRATION_LOCK)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _failure(exc: SQLAlchemyError, item: str | None) -> str:
    """The database's own reason, first line, cut: SQLAlchemy's message holds the statement and
    its parameters, which may be a whole article."""
    reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0][:200]
    return f"{item}: cannot be stored: {reason}" if item else f"store error: {reason}"


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Stored articles, analyses and stories. Every method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(store_engine.writing(engine), expire_on_commit=False)
        self._fulltext = fulltext.for_dialect(engine.dialect.name)

    @contextmanager
    def _session(self, write: bool = False, item: str | None = None) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back when it raises. One that
        ``write``s waits its turn among writers from its start. A failure is a StoreError
        naming ``item`` (an article) and the database's reason, never the SQL or its values."""
        try:
            with (self._writes if write else self._sessions).begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(_failure(exc, item)) from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def ingest_lock(self) -> Iterator[bool]:
        """Held by an ingest while it clusters and stores its articles; yields whether it waited
        for another. On PostgreSQL another ingest waits for it (an advisory lock, released by the
        server should this process die), so that each one clusters its articles against every
        article stored before, as one ingest after the other would. SQLite's writers take turns
        transaction by transaction, and its kept clustering state notices an ingest that ran
        meanwhile (:mod:`storydesk.store.cluster_state`): nothing is locked there."""
        with store_engine.session_lock(self.engine, store_engine.INGEST_LOCK) as waited:
            yield waited

    def has_article(self, key: str) -> bool:
        with self._session() as s:
            return s.get(ArticleRow, key) is not None

    def add_article(
        self, key: str, article: Article, analysis: Analysis, story_id: str, story_title: str | None
    ) -> bool:
        """Stores the article, its analysis and its membership of story ``story_id`` (created,
        titled ``story_title``, when new) in one transaction. False when ``key`` is stored."""
        now = _now()
        try:
            with self._session(write=True, item=article.id) as s:
                if s.get(ArticleRow, key) is not None:
                    return False
                # The models have no relationships to order inserts by, so parents are flushed
                # first for the foreign keys; the commit at the end makes it all durable at once.
                s.add(_article_row(key, article, analysis, now))
                _touch_story(s, story_id, story_title, now)
                s.flush()
                payload = analysis.model_dump(mode="json")
                s.add(AnalysisRow(article_key=key, payload=payload, pipeline_version=__version__))
                if analysis.parse is not None:
                    s.add(ParseRow(article_key=key, parse=analysis.parse))
                if analysis.vectors is not None:
                    s.add(VectorRow(article_key=key, vectors=analysis.vectors))
                s.add(StoryArticleRow(story_id=story_id, article_key=key))
                self._index_article(s, key, article, analysis.outlet or article.source)
                _index_actors(s, key, article, analysis.outlet or article.source, payload, now)
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError) and self.has_article(key):
                return False  # another process stored it meanwhile
            raise
        return True

    def stories(self) -> list[StorySummary]:
        """Every story, the most recently updated first."""
        with self._session() as s, _collector_paused():
            rows = s.execute(_story_lines().order_by(StoryRow.updated_at.desc(), StoryRow.id)).all()
            return _summarise(s, rows, None)

    def story_articles(self, story_id: str) -> list[tuple[Article, Analysis]]:
        """The articles of a story with their analyses, kept parses and statement vectors (an
        analysis stored before they were kept has none), by date (undated last)."""
        with self._session() as s:
            if s.get(StoryRow, story_id) is None:
                raise NotFoundError(f"no story {story_id}")
            rows = s.execute(
                select(ArticleRow, AnalysisRow, ParseRow.parse, VectorRow.vectors)
                .join(StoryArticleRow, StoryArticleRow.article_key == ArticleRow.key)
                .join(AnalysisRow, AnalysisRow.article_key == ArticleRow.key)
                .outerjoin(ParseRow, ParseRow.article_key == ArticleRow.key)
                .outerjoin(VectorRow, VectorRow.article_key == ArticleRow.key)
                .where(StoryArticleRow.story_id == story_id)
                .order_by(*_date_order())
            ).all()
        out = []
        for a, an, parse, vectors in rows:
            analysis = Analysis.model_validate(an.payload)
            analysis.parse = parse
            analysis.vectors = vectors
            out.append((_article(a), analysis))
        return out

    def set_parses(self, parses: Mapping[str, bytes]) -> None:
        """Keeps the parses of stored articles, by key, that have none (another process may
        have kept one meanwhile: the first stays)."""
        self._keep_first(ParseRow, parses, lambda key, parse: ParseRow(article_key=key, parse=parse))

    def replace_parses(self, parses: Mapping[str, bytes]) -> None:
        """Keeps the parses of stored articles, by key, in place of those they have (parses
        refreshed by a newer version: :func:`storydesk.nlp.refresh_question_parses`)."""
        if not parses:
            return
        with self._session(write=True) as s:
            for key, parse in parses.items():
                s.merge(ParseRow(article_key=key, parse=parse))

    def set_vectors(self, vectors: Mapping[str, bytes]) -> None:
        """Keeps the statement vectors of stored articles, by key, that have none (another
        process may have kept them meanwhile: the first stay)."""
        self._keep_first(VectorRow, vectors, lambda key, data: VectorRow(article_key=key, vectors=data))

    def _keep_first(
        self, row_type: type[ParseRow] | type[VectorRow], values: Mapping[str, bytes], row: Callable[[str, bytes], Any]
    ) -> None:
        """Adds a ``row`` for each article key of ``values`` that has none of ``row_type``."""
        if not values:
            return
        try:
            with self._session(write=True) as s:
                kept = set(s.scalars(select(row_type.article_key).where(row_type.article_key.in_(list(values)))))
                s.add_all(row(key, value) for key, value in values.items() if key not in kept)
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise

    def story_texts(self, story_id: str) -> list[Article]:
        """The articles of a story as read (their analyses left unread), by date (undated last)."""
        with self._session() as s:
            rows = s.scalars(
                select(ArticleRow)
                .join(StoryArticleRow, StoryArticleRow.article_key == ArticleRow.key)
                .where(StoryArticleRow.story_id == story_id)
                .order_by(*_date_order())
            ).all()
            return [_article(a) for a in rows]

    def all_articles_for_clustering(self) -> Iterator[ClusterRow]:
        """Every stored article with its story, in date order (undated last, then as stored)."""
        query = (
            select(ArticleRow.key, StoryArticleRow.story_id, ArticleRow.text, ArticleRow.title, ArticleRow.published)
            .join(StoryArticleRow, StoryArticleRow.article_key == ArticleRow.key)
            .order_by(*_date_order())
        )
        with self._session() as s:
            for row in s.execute(query.execution_options(yield_per=500)):
                yield ClusterRow(*row)

    def stored_article(self, key: str) -> Article:
        """A stored article as read."""
        with self._session() as s:
            row = s.get(ArticleRow, key)
            if row is None:
                raise NotFoundError(f"no stored article {key}")
            return _article(row)

    def find_story(self, prefix_or_id: str) -> str:
        """The id of the story named by its id or a unique prefix of it."""
        with self._session() as s:
            if s.get(StoryRow, prefix_or_id) is not None:
                return prefix_or_id
            ids = s.scalars(
                select(StoryRow.id).where(StoryRow.id.startswith(prefix_or_id, autoescape=True)).limit(6)
            ).all()
        if not ids or not prefix_or_id:
            raise NotFoundError(f"no story {prefix_or_id!r}")
        if len(ids) > 1:
            raise NotFoundError(f"{prefix_or_id!r} names several stories: {', '.join(ids[:5])}")
        return ids[0]

    def set_origins(self, origins: Mapping[str, str | None], story_id: str | None = None) -> None:
        """Records, for each article key, the key of the article it copies (None: none); the
        kept dossiers of stories whose copies changed are dropped, to be built again. With
        ``story_id``, these are all of that story's copies: it is marked as having them."""
        with self._session(write=True) as s:
            story = s.get(StoryRow, story_id) if story_id is not None else None
            if story is not None:
                story.copies_current = True
            changed = []
            for key, origin in origins.items():
                row = s.get(ArticleRow, key)
                if row is not None and row.origin_key != origin:
                    row.origin_key = origin
                    changed.append(key)
            if changed:
                stories = select(StoryArticleRow.story_id).where(StoryArticleRow.article_key.in_(changed))
                s.execute(delete(DossierRow).where(DossierRow.story_id.in_(stories)))

    def stories_without_copies(self) -> list[str]:
        """Stories whose wire copies were not found since they last changed (an ingest that
        stopped before finding them, or a store migrated from before they were kept)."""
        with self._session() as s:
            return list(s.scalars(select(StoryRow.id).where(StoryRow.copies_current.is_(False))))

    def story_origins(self, story_id: str) -> dict[str, str | None]:
        """Per article key of the story, the key of the article it copies (None: none)."""
        with self._session() as s:
            rows = s.execute(
                select(ArticleRow.key, ArticleRow.origin_key)
                .join(StoryArticleRow, StoryArticleRow.article_key == ArticleRow.key)
                .where(StoryArticleRow.story_id == story_id)
            ).all()
        return {key: origin for key, origin in rows}

    def set_question(self, story_id: str, question: str | None, parse: bytes | None = None) -> None:
        """States (or, with None, clears) the central question of a story, with its parse
        (:mod:`storydesk.annotate.parse` bytes) when known."""
        with self._session(write=True) as s:
            story = s.get(StoryRow, story_id)
            if story is None:
                raise NotFoundError(f"no story {story_id}")
            story.question = question
            story.question_parse = parse if question is not None else None

    def question(self, story_id: str) -> str | None:
        """The question the user stated for a story, if any."""
        return self.question_and_parse(story_id)[0]

    def question_and_parse(self, story_id: str) -> tuple[str | None, bytes | None]:
        """The question the user stated for a story and its parse (None for a question stated
        before parses were kept), or two Nones."""
        with self._session() as s:
            story = s.get(StoryRow, story_id)
            if story is None:
                raise NotFoundError(f"no story {story_id}")
            return story.question, story.question_parse

    def story_of_article(self, key: str) -> str:
        """The story a stored article belongs to."""
        with self._session() as s:
            story = s.scalars(select(StoryArticleRow.story_id).where(StoryArticleRow.article_key == key)).first()
        if story is None:
            raise NotFoundError(f"no stored article {key}")
        return story

    def move_article(self, key: str, story_id: str, story_title: str | None = None) -> None:
        """Moves an article to story ``story_id`` (created, titled ``story_title``, when new).
        A story left without articles is deleted."""
        now = _now()
        with self._session(write=True) as s:
            member = s.scalars(select(StoryArticleRow).where(StoryArticleRow.article_key == key)).first()
            if member is None:
                raise NotFoundError(f"no stored article {key}")
            old = member.story_id
            if old == story_id:
                return
            _touch_story(s, story_id, story_title, now)
            s.delete(member)
            s.flush()  # the story first (foreign key), and the old membership gone (unique key)
            s.add(StoryArticleRow(story_id=story_id, article_key=key))
            remaining = s.scalar(select(func.count()).where(StoryArticleRow.story_id == old))
            old_story = s.get(StoryRow, old)
            if old_story is not None:
                if remaining:
                    old_story.updated_at = now
                    old_story.copies_current = False
                else:
                    s.delete(old_story)

    @property
    def _searchable(self) -> bool:
        return self._fulltext is not None  # SQLite's FTS5, PostgreSQL's text search (fulltext)

    def _index_article(self, s: Session, key: str, article: Article, outlet: str | None) -> None:
        if self._fulltext is not None:
            row = SearchRow(article_key=key)
            s.add(row)
            s.flush()  # its id, the row id the full-text index gives the article
            self._fulltext.index(s, row.id, key, article.title, article.text, outlet)

    def story_page(self, limit: int | None = None) -> StoryPage:
        """The ``limit`` most recently updated stories (all with None) and how many are stored."""
        if limit is None:
            found = self.stories()
            return StoryPage(stories=found, total=len(found))
        return self.find_stories(StoryFilter(limit=limit))

    def find_stories(self, story_filter: StoryFilter) -> StoryPage:
        """One page of the stories that match ``story_filter``, the most recently updated first."""
        f = story_filter
        conditions = self._story_conditions(f)
        matching = select(StoryRow.id)
        for condition in conditions:
            matching = matching.where(StoryRow.id.in_(condition))
        ordered = matching.order_by(StoryRow.updated_at.desc(), StoryRow.id)
        start, end = max(f.offset, 0), max(f.offset, 0) + max(f.limit, 0)
        with self._session() as s:
            if conditions:
                # Every match's id, once: counting them apart would evaluate the conditions twice.
                found = s.scalars(ordered).all()
                ids, total = list(found[start:end]), len(found)
            else:
                ids = list(s.scalars(ordered.limit(end - start).offset(start)).all())
                total = s.scalar(select(func.count()).select_from(StoryRow)) or 0
            summaries = _summaries(s, ids)
        return StoryPage(stories=summaries, total=total)

    def _story_conditions(self, f: StoryFilter) -> list[Select[str]]:
        """For each condition of ``f``, the stories with an article meeting it; each is an
        indexed lookup of articles (full-text index, outlet, date, actor index)."""
        articles: list[Select[str]] = []
        searched = parse_query(f.query or "")
        if not searched.empty:
            articles.append(self._matching_articles(searched))
        if f.outlet:
            articles.append(select(ArticleRow.key).where(func.lower(ArticleRow.outlet) == func.lower(f.outlet)))
        if f.since or f.until:
            dated = select(ArticleRow.key).where(ArticleRow.published.is_not(None))
            if f.since:
                dated = dated.where(ArticleRow.published >= f.since)
            if f.until:  # on or before that day: a time of day after the date still counts
                dated = dated.where(ArticleRow.published < f.until + _AFTER_ANY)
            articles.append(dated)
        if f.actor:
            wanted = actor_index.name_key(f.actor)
            articles.append(select(ActorNameRow.article_key).where(ActorNameRow.name == wanted))
        return [select(StoryArticleRow.story_id).where(StoryArticleRow.article_key.in_(keys)) for keys in articles]

    def _matching_articles(self, wanted: SearchQuery) -> Select[str]:
        """The keys of the articles that match ``wanted``, from the full-text index."""
        index = self._index()
        return select(SearchRow.article_key).where(
            SearchRow.id.in_(index.matches(wanted))
            if wanted.expression is not None
            else SearchRow.id.not_in(index.matches(wanted, excluded=True))
        )

    def _index(self) -> fulltext.FullText:
        if not self._searchable or self._fulltext is None:
            raise StoreError("full-text search needs an SQLite or PostgreSQL store")
        return self._fulltext

    def search_articles(self, query: str, limit: int = 50) -> list[SearchHit]:
        """The ``limit`` stored articles that best match ``query`` (words in any inflection,
        "phrases", OR, NOT or -word: :func:`storydesk.store.search.parse_query`), best first
        (BM25 on SQLite, ts_rank_cd on PostgreSQL, title words weighing more), each with a
        snippet of its best-matching field. A query that only excludes lists the newest
        articles without those words. Raises :class:`StoreError` on a store without a
        full-text index (neither SQLite nor PostgreSQL)."""
        wanted = parse_query(query)
        if wanted.empty or limit <= 0:
            return []
        index = self._index()
        with self._session() as s:
            if wanted.expression is None:
                return [
                    SearchHit(key, story_id, title, outlet, published, _opening(opening or ""), 0.0)
                    for key, story_id, title, outlet, published, opening in fulltext.excluding(s, wanted, index, limit)
                ]
            # Ranked first, from the index alone; snippets are cut for the page of hits only (a
            # snippet in the ranking query would be cut for every match before the sort).
            scores = dict(index.ranked(s, wanted, limit))
            if not scores:
                return []
            found = index.snippets(s, wanted, list(scores))
        hits = []
        for row_id, key, story_id, title, outlet, published, in_text, best in found:
            # From the text where it matches (the title is shown anyway), else where it matches.
            snippet, highlights = read_snippet(in_text or "")
            if not highlights:
                snippet, highlights = read_snippet(best or "")
            hits.append(SearchHit(key, story_id, title, outlet, published, snippet, scores[row_id], highlights))
        return sorted(hits, key=lambda h: (-h.rank, h.article_key))

    def search_coverage(self, query: str) -> list[tuple[str | None, str | None, int]]:
        """How many stored articles match ``query`` (as :meth:`search_articles` reads it), by
        outlet and day of publication (None: undated): every match, not a page of them."""
        wanted = parse_query(query)
        if wanted.empty:
            return []
        day = func.substr(ArticleRow.published, 1, 10)
        counted = (
            select(ArticleRow.outlet, day, func.count())
            .where(ArticleRow.key.in_(self._matching_articles(wanted)))
            .group_by(ArticleRow.outlet, day)
        )
        with self._session() as s:
            found = [(outlet, published or None, n) for outlet, published, n in s.execute(counted)]
        # by outlet and day, unknown first (as SQLite groups them; PostgreSQL's groups come unordered)
        return sorted(found, key=lambda r: (r[0] is not None, r[0] or "", r[1] is not None, r[1] or ""))

    def outlets(self) -> list[str]:
        """Every outlet of a stored article, sorted."""
        with self._session() as s:
            names = s.scalars(select(ArticleRow.outlet).where(ArticleRow.outlet.is_not(None)).distinct()).all()
        return sorted({n for n in names if n}, key=str.casefold)

    def last_change(self) -> datetime | None:
        """When a story last gained or lost an article (None: no story): what is derived from
        the set of stored articles (the outlets menu) is current until this changes."""
        with self._session() as s:
            return s.scalar(select(StoryRow.updated_at).order_by(StoryRow.updated_at.desc()).limit(1))

    def story_updated(self, story_id: str) -> datetime:
        """When story ``story_id`` last changed: a cache of its dossier is stale after that."""
        return self.story_stamp(story_id).updated

    def story_stamp(self, ref: str) -> StoryStamp:
        """The story named by id or unique id prefix, with what its dossier depends on."""
        query = select(StoryRow.id, StoryRow.updated_at, StoryRow.question)
        with self._session() as s:
            row = s.execute(query.where(StoryRow.id == ref)).first()
        if row is None:
            story_id = self.find_story(ref)
            with self._session() as s:
                row = s.execute(query.where(StoryRow.id == story_id)).first()
        if row is None:
            raise NotFoundError(f"no story {ref}")
        return StoryStamp(*row)

    def stored_dossier(self, stamp: StoryStamp, version: str) -> str | None:
        """The dossier (JSON) stored for the story as of ``stamp`` by ``version``, if any."""
        with self._session() as s:
            row = s.get(DossierRow, stamp.id)
            if row is None or (row.built_for, row.question, row.version) != (stamp.updated, stamp.question, version):
                return None
            return row.payload

    def store_dossier(self, stamp: StoryStamp, version: str, payload: str) -> None:
        """Keeps the dossier (JSON) built for the story as of ``stamp``, replacing any other."""
        with self._session(write=True) as s:
            if s.get(StoryRow, stamp.id) is None:
                return  # deleted meanwhile (emptied by a move)
            row = DossierRow(
                story_id=stamp.id, built_for=stamp.updated, question=stamp.question, version=version, payload=payload
            )
            s.merge(row)

    def actor_summary(self, name: str) -> ActorSummary:
        """How often actor ``name`` (a name or alias, case-insensitive) is quoted, in how many
        stories, and by which outlets (the most quoting first)."""
        quoted = ActorQuoteRow.name == actor_index.name_key(name)
        published = ActorQuoteRow.published
        with self._session() as s:
            rows = s.execute(
                select(ActorQuoteRow.outlet, func.count(), func.min(published), func.max(published))
                .where(quoted)
                .group_by(ActorQuoteRow.outlet)
            ).all()
            stories = s.scalar(
                select(func.count(StoryArticleRow.story_id.distinct())).where(
                    StoryArticleRow.article_key.in_(select(ActorQuoteRow.article_key).where(quoted))
                )
            )
        outlets = sorted((ActorOutlet(*row) for row in rows), key=lambda o: (-o.quotes, o.outlet or ""))
        return ActorSummary(quotes=sum(o.quotes for o in outlets), stories=stories or 0, outlets=outlets)

    def actor_quotes(
        self, name: str, limit: int = 1000, offset: int = 0, outlet: str | None = None
    ) -> list[ActorQuote]:
        """What actor ``name`` (a name or alias, case-insensitive) is quoted saying in stored
        articles, in date order (undated last): ``limit`` quotes from ``offset`` on, only those
        of ``outlet`` when given."""
        wanted = actor_index.name_key(name)
        if not wanted or limit <= 0:
            return []
        keys = ActorQuoteRow.article_key, ActorQuoteRow.position, ActorQuoteRow.published, ActorQuoteRow.ingested_at
        page = select(*keys).where(ActorQuoteRow.name == wanted)
        if outlet is not None:
            page = page.where(ActorQuoteRow.outlet == outlet)
        # the page's keys in order come from an index alone; only the page's rows are read
        chosen = page.order_by(*_quote_order(ActorQuoteRow)).limit(limit).offset(max(offset, 0)).subquery()
        q = ActorQuoteRow
        with self._session() as s:
            rows = s.execute(
                select(q.quote, StoryRow.id, StoryRow.title, q.article_id, q.outlet, q.published)
                .join(chosen, (chosen.c.article_key == q.article_key) & (chosen.c.position == q.position))
                .join(StoryArticleRow, StoryArticleRow.article_key == q.article_key)
                .join(StoryRow, StoryRow.id == StoryArticleRow.story_id)
                .where(q.name == wanted)
                .order_by(*_quote_order(chosen.c))
            ).all()
        return [ActorQuote(Quote.model_validate(quote), *rest) for quote, *rest in rows]


_AFTER_ANY = "\U0010ffff"  # sorts after every character: "day" + this follows every "day…"


_OPENING_CHARS = fulltext.OPENING_CHARS


def _opening(text: str) -> str:
    """The first words of an article's text (as much as :data:`_OPENING_CHARS` of it holds)."""
    text = " ".join(text.split())
    if len(text) < _OPENING_CHARS - 1:
        return text
    return text.rsplit(" ", 1)[0] + " …"


def _index_actors(
    s: Session, key: str, article: Article, outlet: str | None, payload: Mapping[str, Any], now: datetime
) -> None:
    """Fills the actor index (:mod:`storydesk.store.actor_index`) for a new article."""
    for name in sorted(actor_index.actor_names(payload)):
        s.add(ActorNameRow(name=name, article_key=key))
    for q in actor_index.actor_quotes(payload):
        s.add(
            ActorQuoteRow(
                name=q.name,
                article_key=key,
                position=q.position,
                article_id=article.id,
                outlet=outlet,
                published=article.date,
                ingested_at=now,
                quote=dict(q.quote),
            )
        )


def _quote_order(q: Any) -> tuple[Any, ...]:
    """An actor's quotes by date (undated last), then as stored and as they occur."""
    return (q.published.is_(None), q.published, q.ingested_at, q.article_key, q.position)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: while tens of thousands of rows and list lines, all
    kept, are made, it would scan them again and again for nothing (it took about half of the
    list's time at 20,000 stories)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _story_lines() -> Select[str, str | None, datetime]:
    """Per story: what its list line shows of the story itself (read as rows, not objects:
    a list of every story builds no ORM object per story)."""
    return select(StoryRow.id, StoryRow.title, StoryRow.updated_at)


def _members() -> Select[Any]:
    """Stored articles joined with their stories, for the stories list's figures (an article's
    outlet, date and origin are also in ``ix_articles_summary``: no need to read its long row)."""
    return select().select_from(ArticleRow).join(StoryArticleRow, ArticleRow.key == StoryArticleRow.article_key)


def _figures(ids: list[str] | None = None) -> tuple[Select[Any], Select[Any]]:
    """Per story (of ``ids``, else every one): its article count, independent origins (each
    group of wire copies counted once) and first and last date, summed up by the database;
    and its distinct outlets. Rows per story rather than per article: far fewer to read."""
    figures = _members().add_columns(
        StoryArticleRow.story_id,
        func.count(),
        func.count(func.coalesce(ArticleRow.origin_key, ArticleRow.key).distinct()),
        func.min(func.nullif(ArticleRow.published, "")),
        func.max(func.nullif(ArticleRow.published, "")),
    )
    outlets = _members().add_columns(StoryArticleRow.story_id, ArticleRow.outlet).distinct()
    outlets = outlets.where(ArticleRow.outlet.is_not(None), ArticleRow.outlet != "")
    if ids is not None:
        figures = figures.where(StoryArticleRow.story_id.in_(ids))
        outlets = outlets.where(StoryArticleRow.story_id.in_(ids))
    return figures.group_by(StoryArticleRow.story_id), outlets


def _summaries(s: Session, ids: list[str]) -> list[StorySummary]:
    """The list lines of stories ``ids``, in that order: three indexed queries for the page."""
    if not ids:
        return []
    rows = {r.id: r for r in s.execute(_story_lines().where(StoryRow.id.in_(ids)))}
    return _summarise(s, [rows[i] for i in ids if i in rows], ids)


def _summarise(s: Session, rows: Sequence[Row[str, str | None, datetime]], ids: list[str] | None) -> list[StorySummary]:
    """The list lines of stories ``rows`` (of ``ids``, None: all stories), in that order."""
    figures_query, outlets_query = _figures(ids)
    figures = {story: (n, origins, first, last) for story, n, origins, first, last in s.execute(figures_query)}
    outlets: dict[str, list[str]] = {}
    for story, outlet in s.execute(outlets_query):
        outlets.setdefault(story, []).append(outlet)
    none = (0, 0, None, None)
    lines = []
    for story, title, updated in rows:
        n, origins, first, last = figures.get(story, none)
        found = outlets.get(story)
        lines.append(StorySummary(story, title, sorted(found) if found else [], n, origins, first, last, updated))
    return lines


def _date_order() -> tuple[Any, ...]:
    return (ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.ingested_at, ArticleRow.key)


def _touch_story(s: Session, story_id: str, title: str | None, now: datetime) -> None:
    """Creates the story if new, else marks it updated (and titles it if it had no title)."""
    story = s.get(StoryRow, story_id)
    if story is None:
        s.add(StoryRow(id=story_id, title=title, created_at=now, updated_at=now, copies_current=False))
        return
    story.updated_at = now
    story.title = story.title or title
    story.copies_current = False


def _article_row(key: str, article: Article, analysis: Analysis, now: datetime) -> ArticleRow:
    return ArticleRow(
        key=key,
        input_id=article.id,
        text=article.text,
        title=article.title,
        url=article.url,
        source=article.source,
        outlet=analysis.outlet or article.source,
        published=article.date,
        authors=list(article.authors),
        ingested_at=now,
        language=article.language,
    )


def _article(row: ArticleRow) -> Article:
    return Article(
        id=row.input_id,
        text=row.text,
        title=row.title,
        url=row.url,
        source=row.source,
        date=row.published,
        authors=list(row.authors),
        language=row.language,
    )
