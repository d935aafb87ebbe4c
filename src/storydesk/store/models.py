"""The store's tables as SQLAlchemy models. A change here needs a migration in
``migrations/versions/`` (tests check the two agree)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, also on SQLite (which keeps no time zone: it comes back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class ArticleRow(Base):
    """An article as read. ``key`` is :func:`storydesk.ingest.article_key`, a hash of the text."""

    __tablename__ = "articles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    input_id: Mapped[str] = mapped_column(String, index=True)  # the id it was read under
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String)
    url: Mapped[str | None] = mapped_column(String)
    source: Mapped[str | None] = mapped_column(String)
    outlet: Mapped[str | None] = mapped_column(String)  # the analysis's outlet, else the source
    published: Mapped[str | None] = mapped_column(String)  # ISO 8601 as given
    authors: Mapped[list[str]]
    ingested_at: Mapped[datetime]
    origin_key: Mapped[str | None] = mapped_column(String(64))  # the article it copies (wire syndication)
    language: Mapped[str | None] = mapped_column(String)  # ISO 639 code; None: unknown (read as English)

    __table_args__ = (
        Index("ix_articles_outlet", "outlet"),  # the outlets menu, in order, without a sort
        # date filters read the keys from the index alone, not from each article's (long) row
        Index("ix_articles_published_key", "published", "key"),
        # the stories list's figures per article, read from the index alone (migration 0009)
        Index("ix_articles_summary", "key", "outlet", "published", "origin_key"),
    )


# The outlet filter matches case-insensitively, as SQLite's lower() folds; keys from the index.
Index("ix_articles_outlet_folded", func.lower(ArticleRow.outlet), ArticleRow.key)


class AnalysisRow(Base):
    """An article's :class:`storydesk.models.Analysis` as JSON, and the version that made it."""

    __tablename__ = "analyses"

    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    payload: Mapped[dict[str, Any]]
    pipeline_version: Mapped[str] = mapped_column(String)


class ParseRow(Base):
    """An article's parse as the analysis pass made it (:mod:`storydesk.annotate.parse` bytes),
    so that building a dossier reads it instead of parsing the article again."""

    __tablename__ = "article_parses"

    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    parse: Mapped[bytes] = mapped_column(LargeBinary)


class VectorRow(Base):
    """The sentence vectors of an article's statements as the analysis pass computed them
    (:mod:`storydesk.crosscheck.vectors`), so that cross-checking a story never encodes."""

    __tablename__ = "statement_vectors"

    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str | None] = mapped_column(String)
    question: Mapped[str | None] = mapped_column(String)  # stated by the user; None: proposed
    question_parse: Mapped[bytes | None] = mapped_column(LargeBinary)  # the stated question's parse
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Its wire copies were found since it last gained or lost an article (migration 0010).
    copies_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)


Index("ix_stories_updated", StoryRow.updated_at.desc(), StoryRow.id)  # the list's order


class StoryArticleRow(Base):
    """Which story an article belongs to: one story per article (``article_key`` is unique)."""

    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    article_key: Mapped[str] = mapped_column(
        ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True, unique=True
    )


class ActorNameRow(Base):
    """The actor index's names: each casefolded name or alias of an article's actors and
    speakers (:mod:`storydesk.store.actor_index`), so finding an actor's articles is a lookup."""

    __tablename__ = "actor_names"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)


class ActorQuoteRow(Base):
    """The actor index's quotes: each attributed quote under every name that finds it, with
    the article's details an actor page lists (they never change once stored)."""

    __tablename__ = "actor_quotes"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # in the analysis's quotes
    article_id: Mapped[str] = mapped_column(String)  # the article's id as read
    outlet: Mapped[str | None] = mapped_column(String)
    published: Mapped[str | None] = mapped_column(String)
    ingested_at: Mapped[datetime]
    quote: Mapped[dict[str, Any]]  # :class:`storydesk.models.Quote` as JSON

    __table_args__ = (
        # an actor's outlets, and a page of quotes in date order, each read from an index alone
        Index("ix_actor_quotes_outlets", "name", "outlet", "published"),
        Index("ix_actor_quotes_order", "name", "published", "ingested_at", "article_key", "position"),
    )


class SearchRow(Base):
    """Which article each row of the full-text index holds: matches come back as the index's
    integer row ids, and reading them is far cheaper than reading the key column stored in it."""

    __tablename__ = "search_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the row id in the full-text index
    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), unique=True)


class DossierRow(Base):
    """A story's dossier as built for the story's ``updated_at`` and question by storydesk
    ``version``: read instead of rebuilt until the story changes (a cache; losing it is harmless)."""

    __tablename__ = "dossiers"

    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    built_for: Mapped[datetime]
    question: Mapped[str | None] = mapped_column(String)
    version: Mapped[str] = mapped_column(String)
    payload: Mapped[str] = mapped_column(Text)  # :class:`storydesk.models.Story` as JSON text


class ClusterMetaRow(Base):
    """The kept clustering state's counts (:mod:`storydesk.store.cluster_state`); one row.
    ``valid`` is false while an ingest changes the store and the state is not yet written back:
    then the next ingest rebuilds the state from the articles."""

    __tablename__ = "cluster_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    valid: Mapped[bool] = mapped_column(Boolean)
    generation: Mapped[int] = mapped_column(Integer)  # counts ingests, so two at once notice each other
    docs: Mapped[int] = mapped_column(Integer)  # articles in the state
    terms: Mapped[int] = mapped_column(Integer)  # term ids handed out
    numbers: Mapped[int] = mapped_column(Integer)  # story numbers handed out


class ClusterTermRow(Base):
    """A clustering term: its id, channel (words, names, numbers) and document frequency."""

    __tablename__ = "cluster_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String)
    channel: Mapped[int] = mapped_column(Integer)
    df: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_cluster_terms_term", "term", "channel", unique=True),)


class ClusterVectorRow(Base):
    """An article's clustering vector as computed when it came (float32 weights by ascending
    int32 term id), its place in the clustering order and date ordinal."""

    __tablename__ = "cluster_vectors"

    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    published: Mapped[str | None] = mapped_column(String)  # as stored: later articles must sort after it
    day: Mapped[float | None] = mapped_column(Float)
    indices: Mapped[bytes] = mapped_column(LargeBinary)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    channels: Mapped[bytes] = mapped_column(LargeBinary)


class ClusterStoryRow(Base):
    """A story as the clusterer keeps it: its number, rank, size, date range and centroid."""

    __tablename__ = "cluster_stories"

    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[str] = mapped_column(String, unique=True)
    rank: Mapped[int] = mapped_column(Integer)  # its first member's position
    members: Mapped[int] = mapped_column(Integer)
    first: Mapped[float | None] = mapped_column(Float)
    last: Mapped[float | None] = mapped_column(Float)
    sq_norm: Mapped[float] = mapped_column(Float)
    indices: Mapped[bytes] = mapped_column(LargeBinary)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ClusterPostingRow(Base):
    """A story posted under a term: candidate stories for an article are found through these."""

    __tablename__ = "cluster_postings"

    term: Mapped[int] = mapped_column(Integer, primary_key=True)
    story: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = (Index("ix_cluster_postings_story", "story"),)


# The full-text index (migration 0002_search) is an SQLite FTS5 virtual table with shadow tables
# of its own; no model describes them, so schema comparisons (autogenerate, the tests) skip them.
SEARCH_TABLE = "article_search"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: every name but the full-text index and its shadow tables."""
    return not (type_ == "table" and name is not None and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")))
