"""StoreRefresher: hands over a changed catalog once, refreshes the face registry, and rides out
a database that stops answering (logged once, and its return)."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from checkout_app.core.catalog import Catalog, Product
from checkout_app.services.store_refresh import StoreRefresher

COLA = Product("B2", "콜라", "Cola Can", 1500, "cola_can")
CHIPS = Product("C3", "칩", "Chips", 1700, "chips")


class FakeRegistry:
    def __init__(self) -> None:
        self.refreshes = 0

    def refresh_if_changed(self) -> bool:
        self.refreshes += 1
        return False


class Database:
    """The catalog as stored; ``down`` makes every read fail as an unreachable server does."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.down = False

    def load(self) -> Catalog:
        if self.down:
            raise ConnectionError("server closed the connection unexpectedly")
        return self.catalog


def test_a_changed_catalog_is_handed_over_once_and_faces_are_checked_each_round():
    database, registry = Database(Catalog([COLA])), FakeRegistry()
    refresher = StoreRefresher(database.load, database.catalog, registry)
    refresher.check_once()
    assert refresher.take_catalog() is None and registry.refreshes == 1

    database.catalog = Catalog([replace(COLA, price=1600), CHIPS])
    refresher.check_once()
    refresher.check_once()  # the same change again is not a new one
    taken = refresher.take_catalog()
    assert taken is not None and taken.get("B2").price == 1600 and "C3" in taken
    assert refresher.take_catalog() is None
    assert registry.refreshes == 3


def test_an_outage_is_logged_once_and_its_end_too(caplog):
    database = Database(Catalog([COLA]))
    refresher = StoreRefresher(database.load, database.catalog, None)
    caplog.set_level(logging.INFO, logger="checkout_app.services.store_refresh")
    database.down = True
    for _ in range(3):
        refresher.check_once()  # never raises: the kiosk goes on with what it has
    database.down = False
    refresher.check_once()
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "cannot bring in changes from the store database: server closed the connection "
        "unexpectedly",
        "the store database answers again",
    ]


def test_the_thread_checks_until_stopped():
    database = Database(Catalog([COLA]))
    refresher = StoreRefresher(database.load, database.catalog, None, interval_s=0.01)
    refresher.start()
    database.catalog = Catalog([CHIPS])
    taken, deadline = None, time.monotonic() + 5
    while taken is None and time.monotonic() < deadline:
        taken = refresher.take_catalog()
        time.sleep(0.01)
    refresher.stop()
    assert taken is not None and list(taken) == [CHIPS]


class FakeTeacher:
    def __init__(self, error: Exception | None = None) -> None:
        self.refreshes = 0
        self.error = error

    def refresh_if_changed(self) -> bool:
        self.refreshes += 1
        if self.error is not None:
            raise self.error
        return False


def test_the_taught_products_are_checked_in_their_own_round_and_a_failure_logged_once(caplog):
    database = Database(Catalog([COLA]))
    teacher = FakeTeacher()
    refresher = StoreRefresher(database.load, database.catalog, None, teacher=teacher)
    refresher.check_once()
    assert teacher.refreshes == 0, "a rebuild takes seconds: never in the faces' round"
    refresher.check_taught_products_once()
    refresher.check_taught_products_once()
    assert teacher.refreshes == 2

    broken = FakeTeacher(ConnectionError("server closed the connection unexpectedly"))
    refresher = StoreRefresher(database.load, database.catalog, None, teacher=broken)
    caplog.set_level(logging.WARNING, logger="checkout_app.services.store_refresh")
    for _ in range(3):
        refresher.check_taught_products_once()  # never raises
    assert broken.refreshes == 3
    assert caplog.text.count("could not bring in the taught products' changes") == 1
    broken.error = None
    refresher.check_taught_products_once()
    broken.error = OSError("model file is truncated")
    refresher.check_taught_products_once()
    assert caplog.text.count("could not bring in the taught products' changes") == 2


def test_a_slow_gallery_rebuild_does_not_hold_up_the_faces():
    """While another kiosk's new product is being built into the gallery (seconds), a person
    deleted elsewhere is still dropped here within the interval."""
    import threading

    release = threading.Event()

    class SlowTeacher:
        def refresh_if_changed(self) -> bool:
            release.wait(10)
            return True

    registry = FakeRegistry()
    database = Database(Catalog([COLA]))
    refresher = StoreRefresher(
        database.load, database.catalog, registry, interval_s=0.05, teacher=SlowTeacher()
    )
    refresher.start()
    try:
        deadline = time.monotonic() + 5
        while registry.refreshes < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert registry.refreshes >= 5, "the faces kept being checked during the rebuild"
    finally:
        release.set()
        refresher.stop()
