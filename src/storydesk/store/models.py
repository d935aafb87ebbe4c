"""The store's tables as SQLAlchemy models. A change here needs a migration in
``migrations/versions/`` (tests check the two agree)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Dialect, ForeignKey, String, Text, TypeDecorator
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
    published: Mapped[str | None] = mapped_column(String, index=True)  # ISO 8601 as given
    authors: Mapped[list[str]]
    ingested_at: Mapped[datetime]
    origin_key: Mapped[str | None] = mapped_column(String(64))  # the article it copies (wire syndication)


class AnalysisRow(Base):
    """An article's :class:`storydesk.models.Analysis` as JSON, and the version that made it."""

    __tablename__ = "analyses"

    article_key: Mapped[str] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    payload: Mapped[dict[str, Any]]
    pipeline_version: Mapped[str] = mapped_column(String)


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    title: Mapped[str | None] = mapped_column(String)
    question: Mapped[str | None] = mapped_column(String)  # stated by the user; None: proposed
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class StoryArticleRow(Base):
    """Which story an article belongs to: one story per article (``article_key`` is unique)."""

    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    article_key: Mapped[str] = mapped_column(
        ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True, unique=True
    )


# The full-text index (migration 0002_search) is an SQLite FTS5 virtual table with shadow tables
# of its own; no model describes them, so schema comparisons (autogenerate, the tests) skip them.
SEARCH_TABLE = "article_search"


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: every name but the full-text index and its shadow tables."""
    return not (type_ == "table" and name is not None and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")))
