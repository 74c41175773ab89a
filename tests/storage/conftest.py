"""A fresh SQLite database per test, closed afterwards."""

from __future__ import annotations

import pytest

from checkout_app.storage.db import close_database, default_database_url, open_database


@pytest.fixture
def session_factory(tmp_path):
    factory = open_database(default_database_url(tmp_path))
    yield factory
    close_database(factory)
