"""Wire syndication: the key of the article each stored article copies (None: its own origin),
so story lists can count independent origins.

Revision ID: 0004_origins
Revises: 0003_question
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_origins"
down_revision = "0003_question"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("origin_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("origin_key")
