"""Alembic migrations of the database schema (see ``checkout_app.storage.schema``)."""
