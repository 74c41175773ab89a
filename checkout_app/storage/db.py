"""Engine and session set-up shared by every repository.

One kiosk uses an SQLite file under the app home (WAL journal, so a reader never blocks the
writer); several kiosks can share one PostgreSQL database by giving its URL instead. The SQLite
file holds names, sales and encrypted faces: it is created owner-only (0600; SQLite gives its
WAL files the same mode), and a wider mode is reported at every start.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

# Every table module, so that the schema check knows them all.
from checkout_app.storage import face_tables, tables  # noqa: F401
from checkout_app.storage.schema_state import (
    BEHIND,
    CURRENT,
    EMPTY,
    UNVERSIONED,
    SchemaState,
    mismatch_message,
)

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "CHECKOUT_APP_DATABASE_URL"
# An unreachable server is reported after this long instead of the system's minutes.
POSTGRES_CONNECT_TIMEOUT_S = 10
# A server that vanished without closing its connections (power cut, network gone) is noticed
# in about 15 s, not after the system's TCP retries (many minutes), so a payment waiting on it
# can say so and try again: keepalive probes on an idle connection, and a limit on data sent and
# never acknowledged (libpq's tcp_user_timeout, in milliseconds).
POSTGRES_CONNECTION_CHECKS = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}


class DatabaseError(RuntimeError):
    """The database cannot be opened: not a database, unreadable, or not writable."""


def default_database_url(home: Path) -> str:
    return f"sqlite:///{home / 'checkout.db'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _protect_sqlite_file(path: Path) -> None:
    """Create the database file owner-only; warn when an existing one is readable by others."""
    if not path.parent.is_dir():
        return  # create_engine reports the missing folder
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    except FileExistsError:
        pass
    except OSError:
        return  # a read-only folder: opening the database says so
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        log.warning(
            "%s holds shoppers' names and encrypted faces but is readable by other users "
            "(mode %o): run chmod 600 %s",
            path,
            mode,
            path,
        )


def connect(url: str) -> Engine:
    """An engine for ``url`` with the app's SQLite set-up (WAL, foreign keys, an owner-only
    file); nothing is read or created yet."""
    parsed = make_url(url)
    connect_args = {}
    if parsed.drivername == "postgresql":
        # psycopg (3) is the driver installed; SQLAlchemy 2.0 would look for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S, **POSTGRES_CONNECTION_CHECKS}
    engine: Engine = create_engine(parsed, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if is_sqlite_file(engine):
        _protect_sqlite_file(Path(engine.url.database))
    return engine


def _connect_or_fail(url: str) -> Engine:
    """``connect``, with a ``DatabaseError`` for a URL that names no usable database."""
    try:
        return connect(url)
    except SQLAlchemyError as exc:  # not a URL, or an unknown kind of database
        where = _without_password(url)
        raise DatabaseError(f"cannot use the database URL {where}: {exc}") from None
    except ImportError as exc:  # a kind of database whose driver is not installed
        raise DatabaseError(
            f"cannot use the database URL {_without_password(url)}: its driver is not installed "
            f"({exc}); the app comes with SQLite (sqlite:///FILE) and PostgreSQL (postgresql://)"
        ) from None


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "given (not a URL: dialect://user@host/database)"


def is_sqlite_file(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def describe(engine: Engine) -> str:
    """Where the database is, for messages: the file, or the URL without its password (and
    without the driver name ``connect`` adds)."""
    if is_sqlite_file(engine):
        return engine.url.database
    return engine.url.set(drivername=engine.url.get_backend_name()).render_as_string()


def database_error(engine: Engine, exc: SQLAlchemyError) -> DatabaseError:
    """The one-line ``DatabaseError`` for a failure to open or read the database."""
    cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    fix = (
        "if it is damaged, move it aside and restore your backup (a new, empty one is made "
        "when none is there)"
        if is_sqlite_file(engine)
        else "check the URL, the server and the account's rights"
    )
    return DatabaseError(f"cannot use the database {describe(engine)} ({cause}): {fix}")


def open_database(url: str) -> sessionmaker:
    """Connect, check the schema's version (creating a new database's), and return a session
    factory.

    Raises ``DatabaseError`` with the cause and what to do when the database cannot be used:
    unreadable, or at another schema version than this release's (``storage/schema.py``).
    """
    from checkout_app.storage import schema  # Alembic: only where a database is opened

    engine = _connect_or_fail(url)
    try:
        with engine.begin() as connection:
            schema.lock_schema(connection)
            state = schema.read_state(connection)
            if state.status == EMPTY:
                schema.create_new(connection)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise database_error(engine, exc) from None
    if state.status not in (EMPTY, CURRENT):
        engine.dispose()
        raise DatabaseError(mismatch_message(state, describe(engine), _without_password(url)))
    if is_sqlite_file(engine):
        # Finish what an earlier delete could not while another reader was open (see
        # FaceRepository.delete_person); without waiting, as a kiosk may be reading right now.
        with engine.connect() as connection:
            checkpoint_sqlite(connection, wait_ms=0)
    return sessionmaker(engine, expire_on_commit=False)


@dataclass(frozen=True)
class SchemaReport:
    """What ``checkout-app db status`` and ``db upgrade`` tell: where, and which revision."""

    where: str
    before: SchemaState
    after: SchemaState
    backup: Path | None = None  # the copy of an SQLite file taken before upgrading


def schema_status(url: str) -> SchemaReport:
    """Read the schema's revision without changing anything."""
    from checkout_app.storage import schema

    engine = _connect_or_fail(url)
    try:
        with engine.connect() as connection:
            state = schema.read_state(connection)
    except SQLAlchemyError as exc:
        raise database_error(engine, exc) from None
    finally:
        engine.dispose()
    return SchemaReport(describe(engine), state, state)


def upgrade_database(url: str) -> SchemaReport:
    """Bring the database to this release's schema; an SQLite file is copied first."""
    from checkout_app.storage import schema

    engine = _connect_or_fail(url)
    try:
        with engine.connect() as connection:
            before = schema.read_state(connection)
        backup = None
        if before.status == EMPTY:
            with engine.begin() as connection:
                schema.lock_schema(connection)
                schema.create_new(connection)
                after = schema.read_state(connection)
        elif before.status in (UNVERSIONED, BEHIND):
            if is_sqlite_file(engine):
                backup = backup_sqlite_file(engine, before.revision or "unversioned")
            after = schema.upgrade(engine)
        else:
            after = before
    except SQLAlchemyError as exc:
        raise database_error(engine, exc) from None
    finally:
        engine.dispose()
    return SchemaReport(describe(engine), before, after, backup)


def backup_sqlite_file(engine: Engine, label: str) -> Path:
    """A consistent copy of the SQLite file (its WAL included) beside it, owner-only."""
    path = Path(engine.url.database)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.{label}.{stamp}.bak")
    os.close(os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # closing(): sqlite3's own context manager ends a transaction but leaves the file open.
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(backup)) as target:
        source.backup(target)
    return backup


def checkpoint_sqlite(connection: Connection, wait_ms: int) -> bool:
    """Copy the WAL into the SQLite file and empty it, waiting at most ``wait_ms`` for readers
    of an older state. True when it got everything (nothing of the WAL is left on disk)."""
    previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_ms)}")
    try:
        busy, wal_frames, copied = connection.exec_driver_sql(
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).one()
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(previous)}")
    return not busy and wal_frames == copied


def close_database(sessions: sessionmaker) -> None:
    """Close every pooled connection of a session factory made by ``open_database``."""
    sessions.kw["bind"].dispose()
