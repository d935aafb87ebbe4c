"""The stories list read straight from an SQLite store with the standard library: for
``storydesk stories`` in scripts and pipes, where importing SQLAlchemy and the record models
(most of a second on a small machine) would cost more than the query. The same list as
:meth:`storydesk.store.Store.story_page` (a test holds them equal); a store that needs a
migration, or another database, is read through :class:`~storydesk.store.Store` instead.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

VERSIONS = Path(__file__).resolve().parent / "store" / "migrations" / "versions"
_PAGE = "SELECT id, title, updated_at FROM stories ORDER BY updated_at DESC, id"
_FIGURES = (
    "SELECT m.story_id, count(*), count(DISTINCT coalesce(a.origin_key, a.key)), "
    "min(nullif(a.published, '')), max(nullif(a.published, '')) "
    "FROM story_articles AS m JOIN articles AS a ON a.key = m.article_key "
    "WHERE m.story_id IN ({ids}) GROUP BY m.story_id"
)
_OUTLETS = (
    "SELECT DISTINCT m.story_id, a.outlet FROM story_articles AS m JOIN articles AS a ON a.key = m.article_key "
    "WHERE m.story_id IN ({ids}) AND a.outlet IS NOT NULL AND a.outlet != ''"
)


def head() -> str:
    """The newest migration's revision: each file under ``versions/`` is named for its revision
    (``0009_cluster_state.py``), numbered in order."""
    return max(p.stem for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def sqlite_path(url: str) -> str | None:
    """The file of an ``sqlite:///`` URL without options, else None."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or url[len(prefix) :] in ("", ":memory:"):
        return None
    return url[len(prefix) :]


def story_rows(url: str, limit: int | None) -> tuple[list[dict[str, Any]], int] | None:
    """The ``limit`` most recently updated stories (all with None) as list rows, and how many
    there are; None when ``url`` is not an SQLite store at the newest revision."""
    path = sqlite_path(url)
    if path is None or not Path(path).expanduser().is_file():
        return None
    try:
        with sqlite3.connect(f"file:{Path(path).expanduser().resolve()}?mode=ro", uri=True, timeout=30) as con:
            if con.execute("SELECT version_num FROM alembic_version").fetchone() != (head(),):
                return None
            return _rows(con, limit)
    except sqlite3.Error:
        return None


def _rows(con: sqlite3.Connection, limit: int | None) -> tuple[list[dict[str, Any]], int]:
    total = con.execute("SELECT count(*) FROM stories").fetchone()[0]
    stories = con.execute(_PAGE + (" LIMIT ?" if limit is not None else ""), () if limit is None else (limit,))
    page = stories.fetchall()
    ids = [story for story, _, _ in page]
    figures: dict[str, tuple[int, int, str | None, str | None]] = {}
    outlets: dict[str, list[str]] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):  # SQLite's parameter limit
        marks = ",".join("?" * len(chunk))
        for story, n, origins, first, last in con.execute(_FIGURES.format(ids=marks), chunk):
            figures[story] = (n, origins, first, last)
        for story, outlet in con.execute(_OUTLETS.format(ids=marks), chunk):
            outlets.setdefault(story, []).append(outlet)
    rows = []
    for story, title, updated in page:
        n, origins, first, last = figures.get(story, (0, 0, None, None))
        rows.append(
            {
                "id": story,
                "title": title,
                "outlets": sorted(outlets.get(story, [])),
                "articles": n,
                "origins": origins,
                "first": first,
                "last": last,
                "updated": _utc(updated).isoformat(),
            }
        )
    return rows, total


def _utc(stored: str) -> datetime:
    """A stored time (SQLAlchemy writes UTC without a zone on SQLite) as an aware datetime."""
    value = datetime.fromisoformat(stored)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
