"""Which version of the schema a database has, and the Alembic migrations that bring it to
this release's (``checkout_app/storage/migrations/versions``, one module per revision).

Every start checks the version (``open_database``): a new, empty database is created at the
newest revision; a database at an older or a newer revision is refused with the command that
fixes it, so two kiosks of different releases never write one database in two shapes. Only
``checkout-app db upgrade`` changes the schema of a database that holds data.

A revision is forward-only (go back by restoring the backup taken before upgrading) and must
keep every row: SQLite rebuilds a table to alter it, so foreign keys are off while revisions
run and checked before they are turned on again.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from checkout_app.storage.base import Base
from checkout_app.storage.schema_state import (
    AHEAD,
    BEHIND,
    CURRENT,
    EMPTY,
    UNVERSIONED,
    SchemaState,
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Any fixed number: the PostgreSQL advisory lock every kiosk takes around schema work.
SCHEMA_LOCK_KEY = 0x636B6F7574  # "ckout"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@functools.lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    return _scripts().get_current_head()


def read_state(connection: Connection) -> SchemaState:
    head = head_revision()
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None:
        tables = inspect(connection).get_table_names()
        return SchemaState(UNVERSIONED if tables else EMPTY, None, head)
    if revision == head:
        return SchemaState(CURRENT, revision, head)
    known = {script.revision for script in _scripts().walk_revisions()}
    return SchemaState(BEHIND if revision in known else AHEAD, revision, head)


def create_new(connection: Connection) -> None:
    """Make the whole schema in an empty database and mark it as the newest revision.

    The models make it (the revisions would give the same tables, which a test checks), so a new
    kiosk does not run every revision from the first.
    """
    Base.metadata.create_all(connection)
    MigrationContext.configure(connection).stamp(_scripts(), head_revision())


def lock_schema(connection: Connection) -> None:
    """Hold off other kiosks' schema checks and upgrades until this transaction ends.

    Two kiosks starting together on one new PostgreSQL database would otherwise both create the
    tables. (SQLite: one kiosk per file, and its writers queue on the file lock anyway.)
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})")


def check_foreign_keys(connection: Connection) -> None:
    """Raise if a revision left a row whose foreign key points nowhere (SQLite checks none
    while they are off; PostgreSQL never lets such a row in)."""
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the upgrade left rows pointing nowhere: {broken[:5]}")


def upgrade(engine: Engine, revision: str = "head") -> SchemaState:
    """Run every revision the database lacks up to ``revision``, in one transaction; returns the
    state it ends in."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Python's sqlite3 commits each CREATE, DROP and ALTER at once unless it leaves
            # transactions to the caller: then one BEGIN covers every revision. Foreign keys
            # are switched off outside it, where SQLite honours that (module docstring).
            raw = connection.connection.dbapi_connection
            previous_isolation = raw.isolation_level
            raw.isolation_level = None
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if sqlite:
                    connection.exec_driver_sql("BEGIN")
                command.upgrade(_config(connection), revision)
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
                raw.isolation_level = previous_isolation
        return read_state(connection)
