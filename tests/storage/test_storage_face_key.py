"""Every kiosk of a store must hold the same face key. The key of the stored templates is
recorded (by a one-way id) with the first of them; a kiosk holding another key keeps face pay
off with a message that says how to fix it, instead of decrypting nothing or mixing two keys.
On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from checkout_app.core.catalog import Catalog
from checkout_app.faces.embedding_cipher import EmbeddingKeyError, key_path
from checkout_app.faces.registry import FaceRegistry, NewTemplate
from checkout_app.services.store_refresh import StoreRefresher
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.face_repository import FaceRepository

FOREIGN = "is not the key the store's database records"


def vector(seed: int, near: np.ndarray | None = None) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=512)
    if near is not None:
        v = near + 0.3 * v / np.linalg.norm(v)
    return (v / np.linalg.norm(v)).astype(np.float32)


ALICE, BOB = vector(1), vector(2)


def faces(seed_face: np.ndarray) -> list[NewTemplate]:
    return [NewTemplate(vector(k, near=seed_face), "front", "camera") for k in (10, 11)]


@pytest.fixture
def store(database_url, tmp_path):
    """Opens registries on one database for kiosks with their own homes (their own keys)."""
    opened = []

    def registry(kiosk: str, embedder: str | None = "test-embedder") -> FaceRegistry:
        home = tmp_path / kiosk
        home.mkdir(exist_ok=True)
        sessions = open_database(database_url)
        opened.append(sessions)
        return FaceRegistry(FaceRepository.for_home(sessions, home), embedder)

    registry.home = lambda kiosk: tmp_path / kiosk
    registry.url = database_url
    yield registry
    for sessions in opened:
        close_database(sessions)


def own_key(store, kiosk: str) -> None:
    """A key file of the kiosk's own, as a kiosk set up on its own before joining the store."""
    path = key_path(store.home(kiosk))
    path.parent.mkdir(parents=True)
    path.write_bytes(Fernet.generate_key())
    os.chmod(path, 0o600)


def test_a_kiosk_with_another_key_keeps_face_pay_off_until_it_has_the_stores(store):
    alice = store("till-1").enroll("Alice", faces(ALICE), consent=True)
    with pytest.raises(EmbeddingKeyError, match="copy the key file from another kiosk"):
        store("till-2")  # a new kiosk without a key: never makes one of its own here
    assert not key_path(store.home("till-2")).exists()
    own_key(store, "till-2")

    with pytest.raises(EmbeddingKeyError, match=FOREIGN) as refused:
        store("till-2")
    assert str(key_path(store.home("till-2"))) in str(refused.value)
    assert "Copy it from a kiosk where face pay works" in str(refused.value)
    assert [p.display_name for p in store("till-2", embedder=None).people()] == ["Alice"]

    shutil.copyfile(key_path(store.home("till-1")), key_path(store.home("till-2")))
    os.chmod(key_path(store.home("till-2")), 0o600)
    assert store("till-2").identify(vector(50, near=ALICE)).person == alice


def test_two_new_kiosks_with_their_own_keys_cannot_both_enroll(store):
    till_1, till_2 = store("till-1"), store("till-2")  # nothing stored yet: both open
    till_1.enroll("Alice", faces(ALICE), consent=True)
    with pytest.raises(EmbeddingKeyError, match=FOREIGN):
        till_2.enroll("Bob", faces(BOB), consent=True)
    assert [p.display_name for p in store("till-1").people()] == ["Alice"]  # nothing half


def test_a_running_kiosk_whose_key_became_foreign_turns_face_pay_off_and_says_why(store):
    """Two kiosks set up at once, each with its own key, before anyone enrolled: the one that
    did not enroll first finds out at its next check, not at its next restart."""
    till_1, till_2 = store("till-1"), store("till-2")  # nothing stored yet: both open
    refresher = StoreRefresher(lambda: Catalog([]), Catalog([]), till_2)
    till_1.enroll("Alice", faces(ALICE), consent=True)
    refresher.check_once()
    problem = refresher.take_face_pay_problem()
    assert problem is not None and FOREIGN in problem and "Copy it from a kiosk" in problem
    assert str(key_path(store.home("till-2"))) in problem
    assert refresher.take_face_pay_problem() is None  # said once
    refresher.check_once()
    assert refresher.take_face_pay_problem() is None


def test_a_database_from_before_key_ids_records_the_key_that_reads_it(store):
    store("till-1").enroll("Alice", faces(ALICE), consent=True)
    sessions = open_database(store.url)
    with sessions.begin() as session:
        session.execute(text("DELETE FROM face_key"))  # as before revision 0004
    close_database(sessions)

    own_key(store, "till-2")
    with pytest.raises(EmbeddingKeyError, match="cannot be decrypted with this key file"):
        store("till-2")  # no record to compare with: the templates themselves refuse it
    till_1 = store("till-1")
    till_1.enroll("Bob", faces(BOB), consent=True)  # records till-1's key again
    with pytest.raises(EmbeddingKeyError, match=FOREIGN):
        store("till-2")


def test_a_store_that_lost_its_key_and_deleted_everyone_goes_on_with_a_new_one(store):
    store("till-1").enroll("Alice", faces(ALICE), consent=True)
    key_path(store.home("till-1")).unlink()
    store("till-1", embedder=None).delete("Alice")
    till_1 = store("till-1")  # a new key: nothing is encrypted with the old one
    bob = till_1.enroll("Bob", faces(BOB), consent=True)
    assert store("till-1").identify(vector(51, near=BOB)).person == bob
