"""Registry over the real database: enroll, identify, delete, retrain, encryption at rest."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
from cryptography.fernet import Fernet
from face_vectors import unit

from checkout_app.faces.embedding_cipher import EmbeddingKeyError, key_path
from checkout_app.faces.registry import (
    DuplicatePersonError,
    EmbedderMismatchError,
    NewTemplate,
    PersonNotFoundError,
    RegistryError,
    SameFaceError,
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

    deletion = registry.delete("Alice")
    assert deletion.person == alice and deletion.purged
    assert [p.display_name for p in registry.people()] == ["Bob"]
    gone = registry.identify(unit(53, near=ALICE, spread=0.3))
    assert gone.person is None and gone.candidate == bob
    assert len(make_registry().people()) == 1


def test_a_second_kiosk_sees_enrollments_and_deletions_at_its_next_refresh(make_registry):
    kiosk_a, kiosk_b = make_registry(), make_registry()  # one database, two registries
    assert kiosk_b.refresh_if_changed() is False  # nothing changed: one query, no reload

    alice = kiosk_a.enroll("Alice", templates(ALICE, 2), consent=True)
    assert kiosk_b.identify(unit(60, near=ALICE, spread=0.3)).person is None  # not yet
    assert kiosk_b.refresh_if_changed() is True
    assert kiosk_b.identify(unit(60, near=ALICE, spread=0.3)).person == alice

    kiosk_a.enroll("Bob", templates(BOB, 2, seed=10), consent=True)
    kiosk_a.delete("Alice")
    kiosk_a.enroll("Carol", templates(unit(3), 2, seed=20), consent=True)
    assert kiosk_b.refresh_if_changed() is True
    assert [p.display_name for p in kiosk_b.people()] == ["Bob", "Carol"]
    assert kiosk_b.identify(unit(61, near=ALICE, spread=0.3)).person is None  # no cached Alice
    assert kiosk_b.refresh_if_changed() is False


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
        ("Zed\x1b[2J", None, True, RegistryError),  # an escape that would clear a terminal
        ("Zed\nAdmin", None, True, RegistryError),
        ("Z" * 500, None, True, RegistryError),
        ("Zed", "M\x00-2", True, RegistryError),
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
    os.chmod(path, 0o600)
    path.write_bytes(Fernet.generate_key())  # another kiosk's key: nothing decrypts
    with pytest.raises(EmbeddingKeyError, match="is not the key the store's database records"):
        make_registry()


def test_a_lost_key_is_never_replaced_while_templates_exist(make_registry):
    make_registry().enroll("Alice", templates(ALICE), consent=True)
    path = key_path(make_registry.home)
    path.unlink()
    with pytest.raises(EmbeddingKeyError, match="is missing, but the database holds 2 face"):
        make_registry()
    assert not path.exists()  # no new key was made behind the staff's back
    manager = make_registry(None)  # listing and deleting need no key
    assert [p.display_name for p in manager.people()] == ["Alice"]
    manager.delete("Alice")
    fresh = make_registry()  # nothing stored any more: a new key may be made
    assert path.exists() and fresh.people() == []


def _sql(home, statement: str, *args) -> None:
    import sqlite3

    with sqlite3.connect(home / "faces.db") as db:
        db.execute(statement, args)


def test_a_template_moved_to_another_person_is_refused_and_logged(make_registry, caplog):
    registry = make_registry()
    victim = registry.enroll("Victim", templates(ALICE), consent=True)
    attacker = registry.enroll("Attacker", templates(BOB, seed=10), consent=True)
    assert registry.identify(unit(60, near=BOB, spread=0.3)).person == attacker
    # With write access to the database but not the key: the attacker's templates go to the
    # victim, who would then be paid for by the attacker's face.
    _sql(make_registry.home, "UPDATE face_templates SET person_id = ? WHERE person_id = ?",
         victim.id, attacker.id)  # fmt: skip
    reopened = make_registry()
    match = reopened.identify(unit(60, near=BOB, spread=0.3))
    assert match.person != victim
    assert "bound to someone else" in caplog.text


def test_names_swapped_in_the_database_unbind_the_templates(make_registry):
    registry = make_registry()
    registry.enroll("Victim", templates(ALICE), consent=True)
    attacker = registry.enroll("Attacker", templates(BOB, seed=10), consent=True)
    _sql(
        make_registry.home,
        "UPDATE face_people SET display_name = 'tmp' WHERE display_name = 'Victim'",
    )
    _sql(
        make_registry.home,
        "UPDATE face_people SET display_name = 'Victim' WHERE id = ?",
        attacker.id,
    )
    match = make_registry().identify(unit(61, near=BOB, spread=0.3))
    assert match.person is None or match.person.display_name != "Victim"


def test_templates_from_before_binding_are_bound_once(make_registry, caplog):
    registry = make_registry()
    alice = registry.enroll("Alice", templates(ALICE), consent=True)
    cipher = Fernet(key_path(make_registry.home).read_bytes())
    legacy = cipher.encrypt(np.asarray(unit(70, near=ALICE, spread=0.1), "<f4").tobytes())
    _sql(make_registry.home, "UPDATE face_templates SET embedding_encrypted = ?", legacy)
    with caplog.at_level("WARNING"):
        reopened = make_registry()
    assert "bound 2 face templates" in caplog.text
    assert reopened.identify(unit(71, near=ALICE, spread=0.3)).person == alice
    tokens = _encrypted_tokens(make_registry.home)
    assert legacy not in tokens and len(tokens) == 2


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


def test_a_deleted_persons_id_is_never_given_again(make_registry):
    """Else an old sale's paid_by_person_id would point at whoever enrolled next."""
    registry = make_registry()
    first = registry.enroll("Ana", templates(ALICE), consent=True)
    registry.delete("Ana")
    second = registry.enroll("Ben", templates(BOB, seed=10), consent=True)
    assert second.id > first.id


def test_a_delete_under_an_open_reader_says_so_and_finishes_at_the_next_start(make_registry):
    """Another program in the middle of a read keeps the old pages in the database file."""
    import sqlite3

    registry = make_registry()
    registry.enroll("Secretname", templates(ALICE), consent=True, member_id="M-777")
    db = make_registry.home / "faces.db"

    def on_disk() -> bytes:
        return b"".join(p.read_bytes() for p in db.parent.glob("faces.db*"))

    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM face_people").fetchone()  # holds its snapshot
    try:
        deletion = registry.delete("Secretname")
        assert not deletion.purged
        assert b"Secretname" in on_disk()  # honest: still in the files
    finally:
        reader.close()
    make_registry()  # the next start checkpoints
    assert b"Secretname" not in on_disk() and b"M-777" not in on_disk()


def test_the_same_face_under_a_second_name_needs_confirming(make_registry):
    """Enrolled twice by mistake, the real person would turn into "unknown (ambiguous)"."""
    registry = make_registry()
    alice = registry.enroll("Alice", templates(ALICE), consent=True)
    with pytest.raises(SameFaceError, match="already registered as 'Alice'") as caught:
        registry.enroll("Alicia", templates(ALICE, seed=30), consent=True)
    assert caught.value.existing == alice
    assert [p.display_name for p in make_registry().people()] == ["Alice"]
    twin = registry.enroll(
        "Alicia", templates(ALICE, seed=30), consent=True, same_face_confirmed=True
    )
    assert [p.display_name for p in registry.people()] == ["Alice", "Alicia"] and twin.id > alice.id
