"""Full-text search over articles: an SQLite FTS5 index of each article's title, text and outlet.

The index keeps its own copy of the indexed text (an external-content index would follow the
articles' implicit rowids, which VACUUM may renumber). Other databases get no index: the store
refuses full-text queries there.

Revision ID: 0002_search
Revises: 0001_initial
"""

from alembic import op

revision = "0002_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE article_search USING fts5("
        "key UNINDEXED, title, text, outlet, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO article_search (key, title, text, outlet) "
        "SELECT key, coalesce(title, ''), text, coalesce(outlet, '') FROM articles"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE article_search")
