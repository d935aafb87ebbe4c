"""The initial tables: articles, their analyses, stories and story membership.

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("input_id", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_input_id", "articles", ["input_id"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "analyses",
        sa.Column("article_key", sa.String(64), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("pipeline_version", sa.String(), nullable=False),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.String(), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_key", sa.String(64), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
        sa.UniqueConstraint("article_key"),
    )


def downgrade() -> None:
    op.drop_table("story_articles")
    op.drop_table("stories")
    op.drop_table("analyses")
    op.drop_index("ix_articles_published", "articles")
    op.drop_index("ix_articles_input_id", "articles")
    op.drop_table("articles")
