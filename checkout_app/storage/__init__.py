"""Database access (SQLAlchemy 2): SQLite by default, any SQLAlchemy URL (e.g. PostgreSQL)."""
