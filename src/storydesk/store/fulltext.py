"""The full-text index, each database through its own machinery.

SQLite: an FTS5 table (migrations 0002 and 0013: porter stems) holding each article's title,
text and outlet, ranked by BM25 with title words weighing four times the others, snippets cut
by FTS5. PostgreSQL: a ``tsvector`` per article (``english`` configuration, the title weighted
``A``, the text and outlet ``B``) under a GIN index (migration 0014), ranked by ``ts_rank_cd``
with the same four-to-one weights, snippets cut by ``ts_headline``. Both index the row ids of
``search_rows`` (the article of each row), so the store's queries around them are the same.

Either backend takes a :class:`storydesk.store.search.SearchQuery` (one user query, read once
into both syntaxes) and gives back matches as row ids, scores where higher is better, and
snippets marked with :data:`storydesk.store.search.MATCH_OPEN` and ``MATCH_CLOSE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Select, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from storydesk.store.models import SEARCH_TABLE, ArticleRow, SearchRow, StoryArticleRow
from storydesk.store.search import MATCH_CLOSE, MATCH_OPEN, SearchQuery

SNIPPET_WORDS = 24
OPENING_CHARS = 200  # the snippet of a hit of an excluding-only query: the text's opening

# A hit's details, then its text's snippet and its best field's snippet (marked).
Hit = tuple[int, str, str, "str | None", "str | None", "str | None", "str | None", "str | None"]
_HIT_COLUMNS = "a.key, m.story_id, a.title, a.outlet, a.published"
_HIT_JOINS = "JOIN articles AS a ON a.key = r.article_key JOIN story_articles AS m ON m.article_key = a.key"


class FullText(Protocol):
    """A database's full-text index of the stored articles."""

    def index(self, s: Session, row_id: int, key: str, title: str | None, body: str, outlet: str | None) -> None:
        """Indexes an article under ``row_id`` (its ``search_rows`` id)."""

    def matches(self, query: SearchQuery, excluded: bool = False) -> Select[Any]:
        """The row ids of the articles matching ``query`` (with ``excluded``: its excluded part)."""

    def ranked(self, s: Session, query: SearchQuery, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best matches' row ids and scores (higher is better), from the index."""

    def snippets(self, s: Session, query: SearchQuery, ids: Sequence[int]) -> list[Hit]:
        """Rows ``ids``' articles, each with a snippet of its text and of its best field."""


def for_dialect(name: str) -> FullText | None:
    """The full-text index of a database (None: a database without one)."""
    if name == "sqlite":
        return Fts5()
    if name == "postgresql":
        return PostgresText()
    return None


def excluding(s: Session, query: SearchQuery, index: FullText, limit: int) -> list[Any]:
    """An excluding-only query's hits: no match to rank or cut a snippet around, so the newest
    articles without the excluded words first, their text's opening as the snippet."""
    a, m, r = ArticleRow, StoryArticleRow, SearchRow
    found = (
        select(a.key, m.story_id, a.title, a.outlet, a.published, func.substr(a.text, 1, OPENING_CHARS))
        .select_from(r)
        .join(a, a.key == r.article_key)
        .join(m, m.article_key == a.key)
        .where(r.id.not_in(index.matches(query, excluded=True)))
        .order_by(a.published.is_(None), a.published.desc(), a.key)
        .limit(limit)
    )
    return list(s.execute(found))


# --- SQLite: FTS5 ------------------------------------------------------------------------------

_FTS5 = table(SEARCH_TABLE, column("rowid"), column("key"), column("title"), column("text"), column("outlet"))
# BM25 weights of the index's columns (key, title, text, outlet): a word of the title says more
# of what the article is about than one of its body; the key is not indexed.
_BM25_WEIGHTS = "0.0, 4.0, 1.0, 1.0"
_FTS5_RANKED = text(
    f"SELECT rowid, bm25({SEARCH_TABLE}, {_BM25_WEIGHTS}) AS score FROM {SEARCH_TABLE} "
    f"WHERE {SEARCH_TABLE} MATCH :query ORDER BY score, rowid LIMIT :limit"
)
_FTS5_SNIPPETS = text(
    f"SELECT r.id, {_HIT_COLUMNS}, snippet({SEARCH_TABLE}, 2, :open, :close, '…', {SNIPPET_WORDS}), "
    f"snippet({SEARCH_TABLE}, -1, :open, :close, '…', {SNIPPET_WORDS}) "
    f"FROM {SEARCH_TABLE} JOIN search_rows AS r ON r.id = {SEARCH_TABLE}.rowid {_HIT_JOINS} "
    f"WHERE {SEARCH_TABLE} MATCH :query AND {SEARCH_TABLE}.rowid IN :ids"
).bindparams(bindparam("ids", expanding=True))


class Fts5:
    """SQLite's FTS5 index (a virtual table keeping its own copy of the indexed text)."""

    def index(self, s: Session, row_id: int, key: str, title: str | None, body: str, outlet: str | None) -> None:
        s.execute(_FTS5.insert().values(rowid=row_id, key=key, title=title or "", text=body, outlet=outlet or ""))

    def matches(self, query: SearchQuery, excluded: bool = False) -> Select[Any]:
        expression = query.exclude if excluded else query.expression
        return select(_FTS5.c.rowid).where(literal_column(SEARCH_TABLE).op("MATCH")(expression or ""))

    def ranked(self, s: Session, query: SearchQuery, limit: int) -> list[tuple[int, float]]:
        rows = s.execute(_FTS5_RANKED, {"query": query.expression, "limit": limit})
        return [(row_id, -float(score)) for row_id, score in rows]  # BM25: lower is better

    def snippets(self, s: Session, query: SearchQuery, ids: Sequence[int]) -> list[Hit]:
        values = {"query": query.expression, "ids": list(ids), "open": MATCH_OPEN, "close": MATCH_CLOSE}
        return [tuple(row) for row in s.execute(_FTS5_SNIPPETS, values)]


def backfill_fts5(c: Connection) -> int:
    """Indexes every article that has no row in the index yet (a store written in bulk)."""
    c.exec_driver_sql(
        "INSERT INTO search_rows (article_key) SELECT key FROM articles "
        "WHERE key NOT IN (SELECT article_key FROM search_rows)"
    )
    done = c.exec_driver_sql(
        f"INSERT INTO {SEARCH_TABLE} (rowid, key, title, text, outlet) "
        "SELECT r.id, a.key, coalesce(a.title, ''), a.text, coalesce(a.outlet, '') "
        f"FROM search_rows AS r JOIN articles AS a ON a.key = r.article_key "
        f"WHERE r.id NOT IN (SELECT rowid FROM {SEARCH_TABLE})"
    )
    return int(done.rowcount or 0)


# --- PostgreSQL: tsvector ------------------------------------------------------------------------

CONFIG = "english"
# ts_rank_cd's weights of D, C, B, A: the title (A) four times the text and outlet (B), as on SQLite.
_TS_WEIGHTS = "{0, 0, 0.25, 1}"
# Rank normalisation 1: divided by 1 + the log of the document's length, as BM25 favours a
# match in a short document over one lost in a long one.
_TS_NORMALISATION = 1
DOCUMENT = (
    f"setweight(to_tsvector('{CONFIG}', coalesce(:title, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', :text), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce(:outlet, '')), 'B')"
)
_PG_SEARCH = table(SEARCH_TABLE, column("id"), column("document"))
_PG_INSERT = text(f"INSERT INTO {SEARCH_TABLE} (id, document) VALUES (:id, {DOCUMENT})")
_PG_RANKED = text(
    f"SELECT s.id, ts_rank_cd('{_TS_WEIGHTS}', s.document, q, {_TS_NORMALISATION}) AS score "
    f"FROM {SEARCH_TABLE} AS s, to_tsquery('{CONFIG}', :query) AS q "
    "WHERE s.document @@ q ORDER BY score DESC, s.id LIMIT :limit"
)
_PG_SNIPPETS = text(
    f"SELECT r.id, {_HIT_COLUMNS}, ts_headline('{CONFIG}', a.text, q, :options), "
    f"ts_headline('{CONFIG}', coalesce(a.title, ''), q, :options), "
    f"ts_headline('{CONFIG}', coalesce(a.outlet, ''), q, :options), a.text "
    f"FROM search_rows AS r {_HIT_JOINS}, to_tsquery('{CONFIG}', :query) AS q WHERE r.id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_HEADLINE_OPTIONS = (
    f'StartSel="{MATCH_OPEN}", StopSel="{MATCH_CLOSE}", MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, '
    "ShortWord=2, HighlightAll=false"
)


class PostgresText:
    """PostgreSQL's text search: a weighted tsvector per article under a GIN index."""

    def index(self, s: Session, row_id: int, key: str, title: str | None, body: str, outlet: str | None) -> None:
        s.execute(_PG_INSERT, {"id": row_id, "title": title, "text": body, "outlet": outlet})

    def matches(self, query: SearchQuery, excluded: bool = False) -> Select[Any]:
        expression = query.ts_exclude if excluded else query.ts_expression
        tsquery = func.to_tsquery(literal_column(f"'{CONFIG}'"), expression or "")
        return select(_PG_SEARCH.c.id).where(_PG_SEARCH.c.document.op("@@")(tsquery))

    def ranked(self, s: Session, query: SearchQuery, limit: int) -> list[tuple[int, float]]:
        rows = s.execute(_PG_RANKED, {"query": query.ts_expression, "limit": limit})
        return [(row_id, float(score)) for row_id, score in rows]

    def snippets(self, s: Session, query: SearchQuery, ids: Sequence[int]) -> list[Hit]:
        values = {"query": query.ts_expression, "ids": list(ids), "options": _HEADLINE_OPTIONS}
        hits: list[Hit] = []
        for row_id, key, story_id, title, outlet, published, in_text, in_title, in_outlet, body in s.execute(
            _PG_SNIPPETS, values
        ):
            best = in_title if MATCH_OPEN in in_title else in_outlet if MATCH_OPEN in in_outlet else in_text
            hits.append((row_id, key, story_id, title, outlet, published, _cut_marks(in_text, body), best))
        return hits


def _cut_marks(headline: str, body: str) -> str:
    """``headline`` with "…" where it cuts ``body`` (ts_headline marks no cut; FTS5 does)."""
    plain = " ".join(headline.replace(MATCH_OPEN, "").replace(MATCH_CLOSE, "").split())
    whole = " ".join(body.split())
    if not plain or plain == whole:
        return headline
    start, end = whole.find(plain), -1
    if start >= 0:
        end = start + len(plain)
    before = "… " if start != 0 else ""
    after = " …" if end != len(whole) else ""
    return before + headline.strip() + after


def backfill_postgres(c: Connection) -> int:
    """Indexes every article that has no row in the index yet (a store written in bulk)."""
    c.exec_driver_sql(
        "INSERT INTO search_rows (article_key) SELECT key FROM articles "
        "WHERE key NOT IN (SELECT article_key FROM search_rows)"
    )
    document = DOCUMENT.replace(":title", "a.title").replace(":text", "a.text").replace(":outlet", "a.outlet")
    done = c.exec_driver_sql(
        f"INSERT INTO {SEARCH_TABLE} (id, document) SELECT r.id, {document} "
        "FROM search_rows AS r JOIN articles AS a ON a.key = r.article_key "
        f"WHERE r.id NOT IN (SELECT id FROM {SEARCH_TABLE})"
    )
    return int(done.rowcount or 0)


def backfill(c: Connection) -> int:
    """Indexes every stored article not yet in the full-text index; how many were added."""
    if c.dialect.name == "sqlite":
        return backfill_fts5(c)
    if c.dialect.name == "postgresql":
        return backfill_postgres(c)
    return 0
