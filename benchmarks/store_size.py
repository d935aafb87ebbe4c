"""A store's size per article on SQLite and on PostgreSQL, table by table.

Copies an SQLite store (one that ``storydesk ingest`` filled: real analyses, parses, statement
vectors) row by row into a new PostgreSQL database migrated by storydesk, indexes its articles
for PostgreSQL's full-text search, then prints each store's bytes per article: the SQLite file
(a vacuumed copy) and the PostgreSQL database less an empty one at the same schema, and the
largest tables of each. The SQLite store itself is only read.

    PYTHONPATH=src .venv/bin/python benchmarks/store_size.py STORE.sqlite [--postgres URL|local]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import insert, select

from bench_ingest_scale import Place, postgres_server
from storydesk.store import fulltext, open_store
from storydesk.store.models import Base

BATCH = 500


def sqlite_sizes(path: Path) -> tuple[int, dict[str, int]]:
    """The vacuumed file's bytes and each table's (with its indexes)."""
    with sqlite3.connect(path) as con:
        con.execute("VACUUM")
        tables: dict[str, int] = {}
        try:
            rows = con.execute("SELECT name, tbl_name, pgsize FROM dbstat, sqlite_master USING (name)").fetchall()
        except sqlite3.OperationalError:  # built without the dbstat table
            rows = []
        for _, table, size in rows:
            tables[table] = tables.get(table, 0) + size
    return path.stat().st_size, tables


def copy_rows(source: str, target: str) -> int:
    """Copies every table the models describe; the articles' count."""
    src, dst = open_store(source), open_store(target)
    with src.engine.connect() as read, dst.engine.begin() as write:
        for table in Base.metadata.sorted_tables:  # parents before children
            result = read.execution_options(yield_per=BATCH).execute(select(table))
            for rows in result.partitions():
                write.execute(insert(table), [dict(r._mapping) for r in rows])
        fulltext.backfill(write)
        write.exec_driver_sql("SELECT setval('search_rows_id_seq', (SELECT coalesce(max(id), 1) FROM search_rows))")
    with dst.engine.connect() as c:
        articles = int(c.exec_driver_sql("SELECT count(*) FROM articles").scalar_one())
    src.close()
    dst.close()
    return articles


def postgres_sizes(url: str) -> tuple[int, dict[str, int]]:
    store = open_store(url)
    with store.engine.connect() as c:
        total = int(c.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())
        rows = c.exec_driver_sql(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' AND relnamespace = "
            "'public'::regnamespace"
        ).all()
    store.close()
    return total, {name: int(size) for name, size in rows}


def show(label: str, total: int, tables: dict[str, int], articles: int) -> None:
    print(f"{label}: {total / 2**20:.1f} MiB, {total / articles / 1024:.1f} KiB per article")
    for name, size in sorted(tables.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {name:<20} {size / articles / 1024:8.1f} KiB per article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="an SQLite store filled by storydesk ingest")
    parser.add_argument("--postgres", default="local", help="a PostgreSQL server's URL, or 'local'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres_server(args.postgres) as server:
        copy = Path(tmp) / "copy.sqlite"
        with sqlite3.connect(f"file:{args.store}?mode=ro", uri=True) as con, sqlite3.connect(copy) as out:
            con.backup(out)  # the store and its write-ahead log, read only
        place = Place(Path(tmp), server)
        try:
            empty = place.url(0)
            base, _ = postgres_sizes(empty)  # the schema alone
            target = place.url(1)
            articles = copy_rows(f"sqlite:///{copy}", target)
            total, tables = sqlite_sizes(copy)
            show(f"SQLite, {articles} articles", total, tables, articles)
            total, tables = postgres_sizes(target)
            show(f"PostgreSQL (less an empty database of {base / 2**20:.1f} MiB)", total - base, tables, articles)
        finally:
            place.drop()


if __name__ == "__main__":
    main()
