"""Each article's language (ISO 639 code, as given or detected when read). Articles stored
before this have none: they were analysed as English, and an unknown language reads as English.

Revision ID: 0012_article_language
Revises: 0011_statement_vectors
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_article_language"
down_revision = "0011_statement_vectors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("language", sa.String(), nullable=True))


def downgrade() -> None:
    # Batch mode copies the table on SQLite, which (see 0008) would cascade deletes through the
    # tables that reference articles: the column is dropped in place (SQLite 3.35+).
    op.drop_column("articles", "language")
