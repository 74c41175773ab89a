"""Registry over the real database: enroll, identify, delete, retrain, encryption at rest."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
from face_vectors import unit

from checkout_app.faces.embedding_cipher import EmbeddingKeyError, key_path
from checkout_app.faces.registry import (
    DuplicatePersonError,
    EmbedderMismatchError,
    NewTemplate,
    PersonNotFoundError,
    RegistryError,
)

ALICE, BOB = unit(1), unit(2)


def templates(base: np.ndarray, n: int = 2, seed: int = 0) -> list:
    poses = ("front", "right", "down", "left")
    return [
        NewTemplate(unit(seed + k, near=base, spread=0.3), poses[k], "camera") for k in range(n)
    ]


def test_enroll_identify_delete_retrain(make_registry):
    registry = make_registry()
    alice = registry.enroll("Alice", templates(ALICE, 4), consent=True, member_id="M-1")
    assert alice.template_labels == ("front", "right", "down", "left")
    assert registry.identify(unit(50, near=ALICE, spread=0.3)).person == alice  # one person

    bob = registry.enroll("Bob", templates(BOB, 2, seed=10), consent=True)
    match = registry.identify(unit(51, near=BOB, spread=0.3))
    assert match.person == bob and match.svm_margin is not None

    # A new registry on the same database sees the same people (persisted, decrypted).
    reopened = make_registry()
    assert [p.display_name for p in reopened.people()] == ["Alice", "Bob"]
    assert reopened.identify(unit(52, near=ALICE, spread=0.3)).person.display_name == "Alice"

    assert registry.delete("Alice") == alice
    assert [p.display_name for p in registry.people()] == ["Bob"]
    gone = registry.identify(unit(53, near=ALICE, spread=0.3))
    assert gone.person is None and gone.candidate == bob
    assert len(make_registry().people()) == 1


def test_delete_by_id_and_unknown_person(make_registry):
    registry = make_registry()
    person = registry.enroll("Carol", templates(ALICE), consent=True)
    with pytest.raises(PersonNotFoundError):
        registry.delete("Nobody")
    registry.delete(str(person.id))
    assert registry.people() == []


@pytest.mark.parametrize(
    "name, member_id, consent, error",
    [
        ("Alice", None, True, DuplicatePersonError),
        ("  Alice ", None, True, DuplicatePersonError),
        ("Zed", "M-1", True, DuplicatePersonError),
        ("   ", None, True, RegistryError),
        ("Zed", None, False, RegistryError),
    ],
)
def test_bad_enrollment_stores_nothing(make_registry, name, member_id, consent, error):
    registry = make_registry()
    registry.enroll("Alice", templates(ALICE), consent=True, member_id="M-1")
    with pytest.raises(error):
        registry.enroll(name, templates(BOB), consent=consent, member_id=member_id)
    assert [p.display_name for p in make_registry().people()] == ["Alice"]
    assert len(make_registry()._store.templates().person_ids) == 2


def test_bad_embedding_stores_nothing(make_registry):
    registry = make_registry()
    with pytest.raises(RegistryError, match="shape"):
        registry.enroll("Alice", [NewTemplate(np.ones(128), "image", "a.jpg")], consent=True)
    with pytest.raises(RegistryError, match="no usable face"):
        registry.enroll("Alice", [], consent=True)
    assert make_registry().people() == []


def test_embeddings_are_encrypted_at_rest_and_gone_after_delete(make_registry):
    registry = make_registry()
    vectors = templates(ALICE, 2)
    registry.enroll("Alice", vectors, consent=True)
    registry.enroll("Bob", templates(BOB, 2, seed=10), consent=True)
    db_files = list(make_registry.home.glob("faces.db*"))

    def raw_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in db_files if p.exists())

    for template in vectors:
        floats = np.asarray(template.embedding, "<f4").tobytes()
        assert floats[:64] not in raw_bytes()
    tokens = [row for row in _encrypted_tokens(make_registry.home)]
    assert tokens and all(t in raw_bytes() for t in tokens)
    registry.delete("Alice")
    remaining = _encrypted_tokens(make_registry.home)
    assert not any(t in raw_bytes() for t in tokens if t not in remaining)
    assert b"Alice" not in raw_bytes()


def _encrypted_tokens(home) -> list:
    import sqlite3

    with sqlite3.connect(home / "faces.db") as db:
        return [row[0] for row in db.execute("SELECT embedding_encrypted FROM face_templates")]


def test_key_file_is_owner_only_and_a_wrong_key_is_reported(make_registry):
    registry = make_registry()
    registry.enroll("Alice", templates(ALICE), consent=True)
    path = key_path(make_registry.home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    with pytest.raises(EmbeddingKeyError, match="chmod 600"):
        make_registry()
    path.unlink()  # a new key is created: the stored tokens no longer decrypt
    with pytest.raises(EmbeddingKeyError, match="cannot be decrypted"):
        make_registry()


def test_templates_of_other_weights_are_refused_but_can_still_be_deleted(make_registry):
    make_registry("facenet-a").enroll("Alice", templates(ALICE), consent=True)
    with pytest.raises(EmbedderMismatchError, match="re-enroll"):
        make_registry("facenet-b")
    manager = make_registry(None)  # list/delete only: no model involved
    assert [p.display_name for p in manager.people()] == ["Alice"]
    with pytest.raises(RegistryError, match="listing and deleting only"):
        manager.identify(ALICE)
    manager.delete("Alice")
    assert make_registry("facenet-b").people() == []
