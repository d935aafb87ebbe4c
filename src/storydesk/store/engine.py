"""The store's database connections: SQLite set up for several processes at once.

SQLite in WAL mode lets readers go on while one process writes; writers take turns. Each
write transaction starts with ``BEGIN IMMEDIATE`` (an engine with :data:`WRITE` set), so a
writer that must wait does so at its start, where SQLite's busy timeout applies, instead of
failing with "database is locked" when a read turns into a write (a deferred ``BEGIN`` cannot
wait there). Two first runs on a new file take turns at creating its tables (a lock file).

PostgreSQL (``postgresql://...``) is reached through psycopg 3. Its writers never wait for one
another but on the same rows; two first runs on a new database take turns at migrating it
through an advisory lock held by the migration's transaction (:func:`migration_lock_sql`).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import StaticPool

WRITE = "storydesk_write"  # execution option: this connection's transactions write
# How long a writer waits for another to finish its transaction: an ingest writes one article
# per transaction (milliseconds), a first ingest's clusterer state at most some seconds.
BUSY_SECONDS = 120


# An advisory lock's key (any 64-bit number of storydesk's own): held while the schema is
# migrated, so that two processes opening one new PostgreSQL database create its tables once.
MIGRATION_LOCK = 0x5D_0001
# Held by an ingest while it clusters and stores articles (storydesk.desk.ingest).
INGEST_LOCK = 0x5D_0002


def with_driver(url: URL) -> URL:
    """``url`` with the driver storydesk ships for its database: psycopg 3 for PostgreSQL
    (SQLAlchemy's default driver for a bare ``postgresql://`` is psycopg2, not installed)."""
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def create(url: URL) -> Engine:
    url = with_driver(url)
    if url.get_backend_name() == "postgresql":
        # pool_pre_ping: a connection the server closed (restarted, idle timeout) is replaced
        return create_engine(url, pool_pre_ping=True)
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


def lock_in_transaction(connection: Connection, key: int) -> None:
    """Waits for, and takes until the transaction ends, PostgreSQL's advisory lock ``key`` (on
    other databases nothing: SQLite's writers take turns anyway)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")


@contextlib.contextmanager
def session_lock(engine: Engine, key: int) -> Iterator[bool]:
    """PostgreSQL's advisory lock ``key`` held while the block runs, on a connection of its own
    (released by the server should this process die); yields whether it had to wait for another
    holder. On other databases nothing is locked (yields False)."""
    if engine.dialect.name != "postgresql":
        yield False
        return
    with engine.connect() as connection:
        waited = not connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({int(key)})").scalar()
        if waited:
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({int(key)})")
        connection.commit()  # no transaction held open (and no snapshot kept) while locked
        try:
            yield waited
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({int(key)})")
            connection.commit()


@contextlib.contextmanager
def migration_lock(url: URL) -> Iterator[None]:
    """Held while the schema is created or migrated, so that two processes opening one new
    SQLite file do not both create its tables (PostgreSQL locks inside the migration's
    transaction: :func:`lock_in_transaction`)."""
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
