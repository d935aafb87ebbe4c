"""Parses kept with their analyses: each article's parse from the analysis pass, and a stated
question's parse, so that building a dossier never runs the parser. Rows stored before this
have none: the first dossier of their story parses them once and keeps the result.

Revision ID: 0008_article_parses
Revises: 0007_dossier_cache
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_article_parses"
down_revision = "0007_dossier_cache"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_parses",
        sa.Column("article_key", sa.String(), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
        sa.Column("parse", sa.LargeBinary(), nullable=False),
    )
    op.add_column("stories", sa.Column("question_parse", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: that copies the table, and dropping the old copy would cascade to
    # every story's articles. SQLite drops a column in place since 3.35.
    op.drop_column("stories", "question_parse")
    op.drop_table("article_parses")
