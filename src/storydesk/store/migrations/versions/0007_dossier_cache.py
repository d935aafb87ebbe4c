"""Built dossiers kept with their story: a story's dossier is rebuilt only after the story
changes (new or moved articles, another question, another storydesk version), by whichever
process shows it first, and read by every other.

Revision ID: 0007_dossier_cache
Revises: 0006_list_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_dossier_cache"
down_revision = "0006_list_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("story_id", sa.String(), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("built_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.String(), nullable=True),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("dossiers")
