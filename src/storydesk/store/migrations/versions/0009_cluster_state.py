"""The story clusterer's state kept in the store, so that an ingest reads only what its
articles need instead of re-reading every stored article (storydesk.store.cluster_state); and
an index that the stories list reads its figures from. Stores made before have no state: the
first ingest after this migration builds it from the stored articles (as every ingest did
before), so nothing is backfilled here.

Revision ID: 0009_cluster_state
Revises: 0008_article_parses
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_cluster_state"
down_revision = "0008_article_parses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_meta",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("docs", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Integer(), nullable=False),
        sa.Column("numbers", sa.Integer(), nullable=False),
    )
    op.create_table(
        "cluster_terms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
    )
    op.create_index("ix_cluster_terms_term", "cluster_terms", ["term", "channel"], unique=True)
    op.create_table(
        "cluster_vectors",
        sa.Column("article_key", sa.String(64), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False, unique=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("day", sa.Float(), nullable=True),
        sa.Column("indices", sa.LargeBinary(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("channels", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "cluster_stories",
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("story_id", sa.String(), nullable=False, unique=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("first", sa.Float(), nullable=True),
        sa.Column("last", sa.Float(), nullable=True),
        sa.Column("sq_norm", sa.Float(), nullable=False),
        sa.Column("indices", sa.LargeBinary(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "cluster_postings",
        sa.Column("term", sa.Integer(), primary_key=True),
        sa.Column("story", sa.Integer(), primary_key=True),
    )
    op.create_index("ix_cluster_postings_story", "cluster_postings", ["story"])
    # The stories list reads each article's outlet, date and origin: from this index alone, not
    # from the article's row, whose text comes first (and long texts spill to overflow pages).
    op.create_index("ix_articles_summary", "articles", ["key", "outlet", "published", "origin_key"])


def downgrade() -> None:
    op.drop_index("ix_articles_summary", table_name="articles")
    op.drop_index("ix_cluster_postings_story", table_name="cluster_postings")
    op.drop_table("cluster_postings")
    op.drop_table("cluster_stories")
    op.drop_table("cluster_vectors")
    op.drop_index("ix_cluster_terms_term", table_name="cluster_terms")
    op.drop_table("cluster_terms")
    op.drop_table("cluster_meta")
