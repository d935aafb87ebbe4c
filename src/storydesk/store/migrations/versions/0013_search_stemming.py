"""Search by word stems: the full-text index rebuilt with FTS5's porter tokenizer, so that
"protest" finds "protests" and "protesting". Existing stores get their index rebuilt from the
stored articles, keeping each row id (``search_rows`` maps them to articles).

Revision ID: 0013_search_stemming
Revises: 0012_article_language
"""

from alembic import op

revision = "0013_search_stemming"
down_revision = "0012_article_language"
branch_labels = None
depends_on = None

COLUMNS = "key UNINDEXED, title, text, outlet"


def _rebuild(tokenizer: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other databases have no full-text index (0002_search)
    op.execute("DROP TABLE IF EXISTS article_search")
    op.execute(f"CREATE VIRTUAL TABLE article_search USING fts5({COLUMNS}, tokenize = '{tokenizer}')")
    # Every article has a row id in search_rows (0006); one stored without would not be found.
    op.execute(
        "INSERT INTO search_rows (article_key) SELECT key FROM articles "
        "WHERE key NOT IN (SELECT article_key FROM search_rows)"
    )
    op.execute(
        "INSERT INTO article_search (rowid, key, title, text, outlet) "
        "SELECT r.id, a.key, coalesce(a.title, ''), a.text, coalesce(a.outlet, '') "
        "FROM search_rows AS r JOIN articles AS a ON a.key = r.article_key"
    )


def upgrade() -> None:
    _rebuild("porter unicode61 remove_diacritics 2")


def downgrade() -> None:
    _rebuild("unicode61 remove_diacritics 2")
