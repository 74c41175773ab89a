"""What the app writes is the owner's alone: HOME 0700, the database 0600 (its WAL files
follow), and a warning for wider modes."""

from __future__ import annotations

import logging
import stat

from checkout_app.paths import resolve_home
from checkout_app.storage.db import close_database, open_database


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_home_and_database_are_owner_only(tmp_path):
    home = resolve_home(tmp_path / "new_home")
    assert mode(home) == 0o700
    sessions = open_database(f"sqlite:///{home / 'checkout.db'}")
    close_database(sessions)
    files = sorted(home.glob("checkout.db*"))
    assert files and all(mode(f) == 0o600 for f in files), [(f.name, oct(mode(f))) for f in files]


def test_wider_modes_are_reported_not_changed(tmp_path, caplog):
    home = tmp_path / "shared_home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    db = home / "checkout.db"
    close_database(open_database(f"sqlite:///{db}"))
    db.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        resolve_home(home)
        close_database(open_database(f"sqlite:///{db}"))
    assert f"chmod 700 {home}" in caplog.text and f"chmod 600 {db}" in caplog.text
    assert mode(home) == 0o755 and mode(db) == 0o644
