"""Engine and session set-up shared by every repository.

One kiosk uses an SQLite file under the app home (WAL journal, so a reader never blocks the
writer); several kiosks can share one PostgreSQL database by giving its URL instead. The SQLite
file holds names, sales and encrypted faces: it is created owner-only (0600; SQLite gives its
WAL files the same mode), and a wider mode is reported at every start.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

# Every table module, so that create_all below makes them all.
from checkout_app.storage import face_tables, tables  # noqa: F401
from checkout_app.storage.base import Base

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "CHECKOUT_APP_DATABASE_URL"


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


def open_database(url: str) -> sessionmaker:
    """Connect, create missing tables, and return a session factory.

    Raises ``DatabaseError`` with the cause and what to do when the database cannot be used.
    """
    engine: Engine = create_engine(url)
    sqlite_file = engine.dialect.name == "sqlite" and engine.url.database not in (
        None,
        "",
        ":memory:",
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if sqlite_file:
        _protect_sqlite_file(Path(engine.url.database))
    try:
        Base.metadata.create_all(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        cause = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        where = engine.url.database if sqlite_file else engine.url.render_as_string()
        fix = (
            "if it is damaged, move it aside and restore your backup (a new, empty one is made "
            "when none is there)"
            if sqlite_file
            else "check the URL, the server and the account's rights"
        )
        raise DatabaseError(f"cannot use the database {where} ({cause}): {fix}") from None
    if sqlite_file:
        # Finish what an earlier delete could not while another reader was open (see
        # FaceRepository.delete_person); without waiting, as a kiosk may be reading right now.
        with engine.connect() as connection:
            checkpoint_sqlite(connection, wait_ms=0)
    return sessionmaker(engine, expire_on_commit=False)


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
