"""A throwaway PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` in a temporary folder.

The server binaries come from Debian's ``postgresql`` package (``.ci/run`` installs it); where
they are missing the tests that need a server skip and say so. PostgreSQL refuses to run as
root, so as root the server runs as the ``postgres`` user the package creates. It listens on
127.0.0.1 only, trusts local connections (or asks for a password, when made with one), and skips
fsync: a test server, not a store's.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

USER = "checkout"


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql."""
    on_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(on_path):
        return Path(on_path[0]).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One server; ``url(name)`` for a database made by ``create_database(name)``."""

    def __init__(self, binaries: Path, password: str | None = None) -> None:
        self._binaries = binaries
        self.password = password
        self._run_as: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="checkout-pg-"))
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")  # KeyError: no such user, see available_server()
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        self.running = False
        auth = "-A trust"
        if password is not None:
            password_file = self.folder / "password"
            password_file.write_text(password + "\n")
            if self._run_as:
                os.chown(password_file, owner.pw_uid, owner.pw_gid)
            auth = f"--auth-local=trust --auth-host=scram-sha-256 --pwfile={password_file}"
        self._pg_ctl("initdb", "-o", f"-U {USER} {auth} -E UTF8 --no-sync")

    def _pg_ctl(self, *args: str) -> None:
        command = [*self._run_as, str(self._binaries / "pg_ctl"), "-D", str(self.folder / "data")]
        subprocess.run([*command, *args], check=True, capture_output=True, timeout=120)

    def start(self, durable: bool = False) -> None:
        """Start the server; ``durable``: with fsync, as a store's server (for measurements)."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=100"
        )
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._pg_ctl("start", "-w", "-l", str(self.folder / "server.log"), "-o", options)
        self.running = True

    def stop(self) -> None:
        """Stop at once, as a server going away: open sessions are cut off."""
        self._pg_ctl("stop", "-w", "-m", "fast")
        self.running = False

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str, driver: str = "postgresql") -> str:
        account = USER if self.password is None else f"{USER}:{self.password}"
        return f"{driver}://{account}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(sql)

    def create_database(self, name: str) -> str:
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def available_server(
    durable: bool = False, password: str | None = None
) -> tuple[PostgresServer | None, str]:
    """A started server, or None and why there is none (the reason a test skips with)."""
    binaries = find_binaries()
    if binaries is None:
        return None, "PostgreSQL server binaries (initdb, pg_ctl) not found: apt install postgresql"
    try:
        server = PostgresServer(binaries, password)
    except KeyError:
        return None, "running as root without a 'postgres' user to run the server as"
    server.start(durable)
    return server, ""
