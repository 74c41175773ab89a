"""Engine and session set-up shared by every repository.

One kiosk uses an SQLite file under the app home (WAL journal, so a reader never blocks the
writer); several kiosks can share one PostgreSQL database by giving its URL instead.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker

DATABASE_URL_ENV = "CHECKOUT_APP_DATABASE_URL"


class Base(DeclarativeBase):
    """Declarative base for every table of the app."""


def default_database_url(home: Path) -> str:
    return f"sqlite:///{home / 'checkout.db'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_database(url: str) -> sessionmaker:
    """Connect, create missing tables, and return a session factory."""
    engine: Engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    # Import every table module so create_all sees them.
    from checkout_app.storage import face_tables, tables  # noqa: F401

    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def close_database(sessions: sessionmaker) -> None:
    """Close every pooled connection of a session factory made by ``open_database``."""
    sessions.kw["bind"].dispose()
