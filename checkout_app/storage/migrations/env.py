"""Alembic's entry point: runs the migrations on the connection ``storage.schema`` hands over.

There is no ``sqlalchemy.url`` here: the app always passes an open connection (in
``config.attributes["connection"]``), so a migration runs with the same engine set-up (SQLite
pragmas, file permissions) as the kiosk.
"""

from __future__ import annotations

from alembic import context

from checkout_app.storage import face_tables, tables  # noqa: F401  (register every table)
from checkout_app.storage.base import Base
from checkout_app.storage.schema import check_foreign_keys, lock_schema

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters a table by copying it into a new one ("batch" mode).
    render_as_batch=connection.dialect.name == "sqlite",
)
# storage.schema.upgrade holds one transaction around every revision (SQLite and PostgreSQL
# both roll DDL back): an upgrade that fails anywhere leaves the database as it was. Alembic
# sees that transaction and leaves committing to it.
with context.begin_transaction():
    lock_schema(connection)
    context.run_migrations()
    check_foreign_keys(connection)
