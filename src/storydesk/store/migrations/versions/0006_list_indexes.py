"""Indexes for the stories list: stories by last update, the outlets menu, the outlet filter
(case-insensitive), and the article of each full-text index row (``search_rows``: a search
reads the matches' integer row ids instead of the key column stored in the index).

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
    op.create_index("ix_articles_outlet_folded", "articles", [sa.text("lower(outlet)")])
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
    op.drop_index("ix_articles_outlet_folded", "articles")
    op.drop_index("ix_articles_outlet", "articles")
    op.drop_index("ix_stories_updated", "stories")
