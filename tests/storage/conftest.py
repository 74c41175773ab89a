"""A fresh database per test, closed afterwards: an SQLite file, and a PostgreSQL database on
the test server (tests/postgres_server.py), so every repository test runs on both."""

from __future__ import annotations

import pytest

from checkout_app.storage.db import close_database, default_database_url, open_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return default_database_url(tmp_path)
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def session_factory(database_url):
    factory = open_database(database_url)
    yield factory
    close_database(factory)
