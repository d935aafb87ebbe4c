"""Statement vectors kept with their analyses: the sentence embeddings of each article's
statements from the analysis pass, so that building a dossier never runs the sentence encoder.
Rows stored before this have none: the first dossier of their story computes them once and
keeps them.

Revision ID: 0011_statement_vectors
Revises: 0010_copies_current
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_statement_vectors"
down_revision = "0010_copies_current"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_vectors",
        sa.Column("article_key", sa.String(), sa.ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    # A plain drop, not batch mode: no other table references this one, and batch mode's copy
    # of a referenced table would cascade deletes (see 0008).
    op.drop_table("statement_vectors")
