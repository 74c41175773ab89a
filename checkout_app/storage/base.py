"""The declarative base every table module builds on: a module of its own, so the table modules
and ``db.py`` (which imports them all before creating the schema) never import each other."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for every table of the app."""
