"""The actor index: each article's actor names and aliases, and each attributed quote under
every name that finds it, so an actor page and the stories list's actor filter are lookups
instead of a scan of every stored analysis. Filled from the stored analyses here; ingest fills
it from then on (:mod:`storydesk.store.actor_index` says what goes in).

Revision ID: 0005_actor_index
Revises: 0004_origins
"""

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from storydesk.store.actor_index import actor_names, actor_quotes

revision = "0005_actor_index"
down_revision = "0004_origins"
branch_labels = None
depends_on = None

BATCH = 2000

# As this revision writes them, whatever later models say; dates are copied as stored.
NAMES = sa.table("actor_names", sa.column("name"), sa.column("article_key"))
QUOTES = sa.table(
    "actor_quotes",
    sa.column("name"),
    sa.column("article_key"),
    sa.column("position"),
    sa.column("article_id"),
    sa.column("outlet"),
    sa.column("published"),
    sa.column("ingested_at"),
    sa.column("quote", sa.JSON()),
)


def upgrade() -> None:
    op.create_table(
        "actor_names",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("article_key", sa.String(64), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "actor_quotes",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("article_key", sa.String(64), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quote", sa.JSON(), nullable=False),
    )
    op.create_index("ix_actor_quotes_outlets", "actor_quotes", ["name", "outlet", "published"])
    op.create_index(
        "ix_actor_quotes_order", "actor_quotes", ["name", "published", "ingested_at", "article_key", "position"]
    )
    _backfill(op.get_bind())


def _stored(bind: sa.Connection) -> Iterator[sa.Row[Any]]:
    query = sa.text(
        "SELECT a.key, a.input_id, a.outlet, a.published, a.ingested_at, an.payload "
        "FROM articles a JOIN analyses an ON an.article_key = a.key"
    )
    yield from bind.execute(query)


def _backfill(bind: sa.Connection) -> None:
    names: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for key, article_id, outlet, published, ingested_at, payload in _stored(bind):
        analysis = json.loads(payload) if isinstance(payload, str | bytes) else payload
        names.extend({"name": n, "article_key": key} for n in actor_names(analysis))
        quotes.extend(
            {
                "name": q.name,
                "article_key": key,
                "position": q.position,
                "article_id": article_id,
                "outlet": outlet,
                "published": published,
                "ingested_at": ingested_at,
                "quote": q.quote,
            }
            for q in actor_quotes(analysis)
        )
        if len(names) >= BATCH or len(quotes) >= BATCH:
            _flush(bind, names, quotes)
    _flush(bind, names, quotes)


def _flush(bind: sa.Connection, names: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> None:
    if names:
        bind.execute(NAMES.insert(), names)
    if quotes:
        bind.execute(QUOTES.insert(), quotes)
    names.clear()
    quotes.clear()


def downgrade() -> None:
    op.drop_index("ix_actor_quotes_order", "actor_quotes")
    op.drop_index("ix_actor_quotes_outlets", "actor_quotes")
    op.drop_table("actor_quotes")
    op.drop_table("actor_names")
