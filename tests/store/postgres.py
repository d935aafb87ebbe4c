"""A PostgreSQL server for the store's tests: the one named by ``STORYDESK_TEST_PG_URL``, else a
throwaway cluster started here from the installed binaries (Debian's ``postgresql`` package),
else none (the tests that need one skip, saying why).

The throwaway cluster lives in a temporary folder owned by the ``postgres`` user when the tests
run as root (PostgreSQL refuses to run as root), listens only on a Unix socket in that folder
and trusts local connections; it runs without fsync (nothing in it needs to survive a crash of
the machine). Each test gets a database of its own, copied from a template migrated once.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import random
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

ENV = "STORYDESK_TEST_PG_URL"
TEMPLATE = "storydesk_template"


@dataclass
class Server:
    url: URL  # a database on the server to administer it from (create and drop databases)

    def database(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def admin(self, sql: str) -> None:
        """Runs ``sql`` outside a transaction (CREATE and DROP DATABASE need that)."""
        import psycopg

        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def make_template(self) -> None:
        """A database migrated to the newest schema, to copy for each test."""
        from storydesk.store import open_store

        self.admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        self.admin(f"CREATE DATABASE {TEMPLATE}")
        open_store(self.database(TEMPLATE)).close()

    def fresh_database(self) -> contextlib.AbstractContextManager[str]:
        """A new database copied from the template, dropped after use."""
        return self._scratch("t_", f" TEMPLATE {TEMPLATE}")

    def empty_database(self) -> contextlib.AbstractContextManager[str]:
        """A new database without tables (for the tests of migrations and first opens)."""
        return self._scratch("e_", "")

    @contextlib.contextmanager
    def _scratch(self, prefix: str, template: str) -> Iterator[str]:
        name = prefix + uuid.uuid4().hex[:16]
        self.admin(f"CREATE DATABASE {name}{template}")
        try:
            yield self.database(name)
        finally:
            self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def binaries() -> Path | None:
    """The folder of the newest installed PostgreSQL's initdb and pg_ctl, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextlib.contextmanager
def throwaway_cluster(bin_dir: Path) -> Iterator[Server]:
    """A new cluster in a temporary folder, stopped and removed after use."""
    owner = None
    folder = Path(tempfile.mkdtemp(prefix="storydesk-pg-"))
    if os.geteuid() == 0:  # PostgreSQL will not run as root: as the postgres user
        owner = "postgres"
        user = pwd.getpwnam(owner)
        os.chown(folder, user.pw_uid, user.pw_gid)
    data = folder / "data"
    port = random.randrange(20000, 60000)  # only names the socket: no TCP port is opened
    run = {"cwd": folder, "check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        subprocess.run(_as_owner([*initdb, "--locale=C.UTF-8"], owner), **run)  # type: ignore[call-overload]
        options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
        options += " -c full_page_writes=off -c max_connections=100"
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"]
        subprocess.run(_as_owner(start, owner), **run)  # type: ignore[call-overload]
        try:
            url = URL.create("postgresql+psycopg", username="postgres", database="postgres")
            yield Server(url.update_query_dict({"host": str(folder), "port": str(port)}))
        finally:
            stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            subprocess.run(_as_owner(stop, owner), cwd=folder, capture_output=True, timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def server() -> Iterator[Server | str]:
    """The server to test against, or why there is none."""
    given = os.environ.get(ENV)
    if given:
        yield Server(make_url(given).set(drivername="postgresql+psycopg"))
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        yield "psycopg is not installed (scripts/setup installs it)"
        return
    bin_dir = binaries()
    if bin_dir is None:
        yield f"no PostgreSQL: set {ENV}, or install PostgreSQL's server (apt-get install postgresql)"
        return
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _has_user("postgres")):
        yield "running as root without a postgres user to run PostgreSQL as"
        return
    try:
        cluster = throwaway_cluster(bin_dir)
        started = cluster.__enter__()
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        yield f"could not start a throwaway PostgreSQL cluster: {str(detail).strip()[-300:]}"
        return
    try:
        yield started
    finally:
        cluster.__exit__(None, None, None)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
