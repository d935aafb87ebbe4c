"""Whether a story's wire copies were found since it last changed: an ingest interrupted after
storing its articles but before finding their copies leaves the flag unset, and the next ingest
finds them, so a re-run converges to what an uninterrupted run stores. Existing stories start
unset: their copies are found once more (stores made before 0004 never had them found).

Revision ID: 0010_copies_current
Revises: 0009_cluster_state
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_copies_current"
down_revision = "0009_cluster_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("copies_current", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_stories_copies_current", "stories", ["copies_current"])


def downgrade() -> None:
    # Not in batch mode: that copies the table, and dropping the old copy would cascade to
    # every story's articles. SQLite drops a column in place since 3.35.
    op.drop_index("ix_stories_copies_current", table_name="stories")
    op.drop_column("stories", "copies_current")
