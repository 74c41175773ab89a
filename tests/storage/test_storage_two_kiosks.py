"""Two kiosks on one store database (an SQLite file, a PostgreSQL server), each with its own
connections, registry and StoreRefresher at the kiosk's default interval: a face enrolled on one
pays at the other within 5 s, a person deleted on one is identified nowhere within 5 s (nothing
left cached), and a price changed on one reaches the other for its next shopper."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from checkout_app.core.catalog_csv import load_catalog_csv
from checkout_app.faces.registry import FaceRegistry, NewTemplate
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.services.store_refresh import StoreRefresher
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.face_repository import FaceRepository

WITHIN_S = 5.0


def vector(seed: int, near: np.ndarray | None = None) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=512)
    if near is not None:
        v = near + 0.3 * v / np.linalg.norm(v)
    return (v / np.linalg.norm(v)).astype(np.float32)


ALICE = vector(1)


def wait_for(condition, timeout_s: float = WITHIN_S) -> float:
    """Seconds until ``condition()`` held; fails after ``timeout_s``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            pytest.fail(f"not within {timeout_s} s")
        time.sleep(0.05)
    return time.monotonic() - started


class Kiosk:
    """What build_kiosk_services gives a kiosk, less the models: its own engine and registry."""

    def __init__(self, url: str, home) -> None:
        self.sessions = open_database(url)
        self.catalog = CatalogRepository(self.sessions)
        self.catalog.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH))
        self.registry = FaceRegistry(FaceRepository.for_home(self.sessions, home), "test-embedder")
        self.refresher = StoreRefresher(self.catalog.load, self.catalog.load(), self.registry)
        self.refresher.start()

    def close(self) -> None:
        self.refresher.stop()
        close_database(self.sessions)


@pytest.fixture
def kiosks(database_url, tmp_path):
    # One home: the two kiosks hold the same face key, as the README tells a store to set up.
    pair = Kiosk(database_url, tmp_path), Kiosk(database_url, tmp_path)
    yield pair
    for kiosk in pair:
        kiosk.close()


def test_faces_enrolled_or_deleted_on_one_kiosk_reach_the_other_within_5_s(kiosks):
    till_1, till_2 = kiosks
    probe = vector(50, near=ALICE)
    templates = [NewTemplate(vector(k, near=ALICE), "front", "camera") for k in (2, 3)]

    alice = till_1.registry.enroll("Alice", templates, consent=True)
    enrolled_s = wait_for(lambda: till_2.registry.identify(probe).person == alice)

    till_1.registry.delete("Alice")
    deleted_s = wait_for(
        lambda: till_2.registry.identify(probe).person is None and not till_2.registry.people()
    )
    print(f"enrolled seen after {enrolled_s:.2f} s, deletion after {deleted_s:.2f} s")


def test_a_price_changed_on_one_kiosk_reaches_the_other(kiosks):
    till_1, till_2 = kiosks
    product = next(iter(till_1.catalog.load()))
    till_1.catalog.upsert(replace(product, price=product.price + 100))

    taken = []
    wait_for(lambda: taken.append(till_2.refresher.take_catalog()) or taken[-1] is not None)
    assert taken[-1].get(product.sku).price == product.price + 100
    assert till_2.refresher.take_catalog() is None  # handed over once
