"""PostgreSQL as a store: its own full-text index, and byte-order text comparisons.

On PostgreSQL, ``article_search`` is a table of one ``tsvector`` per ``search_rows`` id (the
title weighted A, the text and outlet B, ``english`` configuration) under a GIN index; every
stored article is indexed here (stores made before had no full-text index on PostgreSQL).
The columns that the store sorts, compares by range or matches by prefix (dates, keys, story
ids) are given the "C" collation: as in SQLite, strings then compare by their bytes whatever
the database's locale ("2024-05-01T18:30" sorts between "2024-05-01" and "2024-05-02", a story
id prefix is found through the index). SQLite keeps its FTS5 index (0002, 0013): nothing to do.

Revision ID: 0014_postgres_search
Revises: 0013_search_stemming
"""

from alembic import op

from storydesk.store.fulltext import backfill_postgres

revision = "0014_postgres_search"
down_revision = "0013_search_stemming"
branch_labels = None
depends_on = None

# (table, column, type) whose values the store orders, compares by range or by prefix.
BYTE_ORDERED = [
    ("articles", "key", "varchar(64)"),
    ("articles", "published", "varchar"),
    ("stories", "id", "varchar"),
    ("story_articles", "story_id", "varchar"),
    ("story_articles", "article_key", "varchar(64)"),
    ("actor_quotes", "article_key", "varchar(64)"),
    ("actor_quotes", "published", "varchar"),
    ("cluster_vectors", "published", "varchar"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, type_ in BYTE_ORDERED:
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE {type_} COLLATE "C"')
    op.execute(
        "CREATE TABLE article_search (id integer PRIMARY KEY REFERENCES search_rows (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_article_search_document ON article_search USING gin (document)")
    backfill_postgres(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE article_search")
    for table, column, type_ in BYTE_ORDERED:
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE {type_} COLLATE "default"')
