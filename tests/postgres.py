"""A real, throwaway PostgreSQL server for the shared-gradebook tests.

``postgres_server`` (session-scoped) runs Debian's ``initdb`` and ``pg_ctl`` on a
fresh folder, listening only on a unix socket in that folder (no TCP port to
collide with), and stops it at the end of the session. ``postgres_db`` hands each
test its own empty database and returns its SQLAlchemy URL.

PostgreSQL refuses to run as root, and tests in CI run as root: then the server
runs as the unprivileged ``postgres`` user that Debian's package creates, through
``setpriv``. If the server cannot start, the tests fail (in CI) or skip (locally)
through tests/prereqs.py, with the server's own log, never silently.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from prereqs import missing, require_program

SERVICE_USER = "postgres"


def _as_server_user() -> tuple[list[str], int | None]:
    """Command prefix that drops root to the server's user, and that user's uid."""
    if os.geteuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        missing(
            f"running as root and there is no `{SERVICE_USER}` user for the server; "
            "install it with `apt-get install postgresql` (which creates the user)"
        )
    setpriv = require_program("setpriv")
    return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"], user.pw_uid


class PostgresServer:
    def __init__(self, folder: Path, prefix: list[str]):
        self.folder, self.prefix = folder, prefix
        self.data, self.log = folder / "data", folder / "server.log"
        self.port = 5432  # only names the socket file (.s.PGSQL.5432); no TCP listener

    def url(self, database: str = "postgres") -> str:
        # psycopg 3 through SQLAlchemy; the socket folder is passed as `host`.
        return f"postgresql+psycopg://{SERVICE_USER}@/{database}?host={self.folder}&port={self.port}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(
            host=str(self.folder), port=self.port, user=SERVICE_USER, dbname=database, autocommit=True
        )

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.prefix, *argv], capture_output=True, text=True)

    def start(self) -> None:
        initdb, pg_ctl = require_program("initdb"), require_program("pg_ctl")
        made = self._run(initdb, "-D", str(self.data), "-U", SERVICE_USER, "--auth=trust", "-E", "UTF8", "--no-sync")
        if made.returncode != 0:
            missing(f"initdb failed (exit {made.returncode}): {made.stderr.strip()[-1500:]}")
        options = (
            f"-k {self.folder} -p {self.port} -c listen_addresses='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = self._run(pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", "-o", options, "start")
        if started.returncode != 0:
            log = self.log.read_text()[-1500:] if self.log.exists() else "(no log)"
            missing(
                f"PostgreSQL did not start (pg_ctl exit {started.returncode}): "
                f"{started.stderr.strip()[-500:]}\nserver log:\n{log}"
            )

    def stop(self) -> None:
        self._run(require_program("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="session")
def postgres_server():
    prefix, uid = _as_server_user()
    # Not under pytest's tmp_path: that folder is root-only (0700), and a unix
    # socket path must stay under ~100 characters.
    folder = Path(tempfile.mkdtemp(prefix="borderdesk-pg-"))
    if uid is not None:
        os.chown(folder, uid, -1)
    server = PostgresServer(folder, prefix)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_db(postgres_server) -> str:
    """SQLAlchemy URL of a new, empty database on the session's server."""
    return postgres_server.url(postgres_server.create_database())
