"""The store's database connections: SQLite set up for several processes at once.

SQLite in WAL mode lets readers go on while one process writes; writers take turns. Each
write transaction starts with ``BEGIN IMMEDIATE`` (an engine with :data:`WRITE` set), so a
writer that must wait does so at its start, where SQLite's busy timeout applies, instead of
failing with "database is locked" when a read turns into a write (a deferred ``BEGIN`` cannot
wait there). Two first runs on a new file take turns at creating its tables (a lock file).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import StaticPool

WRITE = "storydesk_write"  # execution option: this connection's transactions write
# How long a writer waits for another to finish its transaction: an ingest writes one article
# per transaction (milliseconds), a first ingest's clusterer state at most some seconds.
BUSY_SECONDS = 120


def create(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url)
    if url.database in (None, "", ":memory:"):
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def writing(engine: Engine) -> Engine:
    """``engine`` for transactions that write (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(**{WRITE: True})


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens transactions implicitly and only before writes, so DDL and the
    # reads before a write would run outside them; storydesk emits BEGIN itself (_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (stories, show) never wait for an ingest
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextlib.contextmanager
def migration_lock(url: URL) -> Iterator[None]:
    """Held while the schema is created or migrated, so that two processes opening one new
    SQLite file do not both create its tables (other databases lock inside the migration)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    path = Path(str(url.database)).expanduser()
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
