"""Indexes for the stories list: stories by last update, the outlets menu, the outlet filter
(case-insensitive) and the date filter (each with the article keys, read without the rows),
and the article of each full-text index row (``search_rows``: a search reads the matches'
integer row ids instead of the key column stored in the index).

Revision ID: 0006_list_indexes
Revises: 0005_actor_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_list_indexes"
down_revision = "0005_actor_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_stories_updated", "stories", [sa.text("updated_at DESC"), "id"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_outlet_folded", "articles", [sa.text("lower(outlet)"), "key"])
    # date filters read the matching keys from the index alone, not from each article's row
    op.drop_index("ix_articles_published", "articles")
    op.create_index("ix_articles_published_key", "articles", ["published", "key"])
    op.create_table(
        "search_rows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_key", sa.String(64), sa.ForeignKey("articles.key", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("article_key"),
    )
    if op.get_bind().dialect.name == "sqlite":  # the full-text index is SQLite's (0002_search)
        op.execute("INSERT INTO search_rows (id, article_key) SELECT rowid, key FROM article_search")


def downgrade() -> None:
    op.drop_table("search_rows")
    op.drop_index("ix_articles_published_key", "articles")
    op.create_index("ix_articles_published", "articles", ["published"])
    op.drop_index("ix_articles_outlet_folded", "articles")
    op.drop_index("ix_articles_outlet", "articles")
    op.drop_index("ix_stories_updated", "stories")
