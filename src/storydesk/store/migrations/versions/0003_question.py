"""A story's central question, as the user stated it (positions are taken toward it).

Revision ID: 0003_question
Revises: 0002_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_question"
down_revision = "0002_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("question", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("question")
