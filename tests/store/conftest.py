"""The store's tests run against SQLite and against PostgreSQL (:mod:`tests.store.postgres`):
``store_url`` is a new, empty store of each kind in turn (one PostgreSQL server per session, a
database per test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store import postgres

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[postgres.Server]:
    """The PostgreSQL server of the session (its template database migrated), or a skip."""
    with postgres.server() as found:
        if isinstance(found, str):
            pytest.skip(f"PostgreSQL store tests skipped: {found}")
        found.make_template()
        yield found


@pytest.fixture
def pg_url(pg_server: postgres.Server) -> Iterator[str]:
    """A new PostgreSQL database at the newest schema, dropped after the test."""
    with pg_server.fresh_database() as url:
        yield url


@pytest.fixture
def pg_empty_url(pg_server: postgres.Server) -> Iterator[str]:
    """A new PostgreSQL database without tables, dropped after the test."""
    with pg_server.empty_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A new store's URL: an SQLite file, or a PostgreSQL database at the newest schema."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'desk.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def empty_store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A URL where no store is yet: an SQLite file to create, an empty PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'new' / 'desk.sqlite'}"
    return str(request.getfixturevalue("pg_empty_url"))
