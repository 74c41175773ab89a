"""Encryption at rest for face embeddings: Fernet (AES-128-CBC + HMAC-SHA256) with a key file.

The key lives in ``HOME/keys/face_embeddings.key``, created on first use with owner-only
permissions (0600). Without that file the stored embeddings are unreadable: back it up with the
database, and give every kiosk sharing one database the same key file. A key file readable by
group or others is refused rather than silently used, a missing key is never replaced by a
new one while templates encrypted with the old one exist, and a key other than the one the
store's database records (by its ``key_id``) is not used at all (``open_cipher``).

Each token is bound to its owner: the plaintext starts with a digest of the person's id, name
and member id, checked on decryption. A template row moved to another person, or a person row
renamed, no longer decrypts as theirs: without the key nobody can re-bind it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KEY_RELATIVE_PATH = Path("keys") / "face_embeddings.key"


class EmbeddingKeyError(RuntimeError):
    """The key file is unusable (bad permissions, wrong key, corrupt, missing)."""


class TemplateOwnerError(ValueError):
    """A decrypted template is bound to another person than the row that holds it."""


# Plaintext layout: MAGIC + 16-byte owner digest + float32 embedding. Tokens made before binding
# hold the bare embedding (2,048 bytes); ``is_bound`` tells them apart.
_MAGIC = b"OWN1"
_DIGEST_BYTES = 16


def key_path(home: Path) -> Path:
    return home / KEY_RELATIVE_PATH


def load_or_create_key(path: Path) -> bytes:
    """The Fernet key in ``path``; a new one is written (mode 0600) if the file does not exist."""
    from cryptography.fernet import Fernet

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Fernet.generate_key()
        # O_EXCL: two processes starting at once cannot both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_or_create_key(path)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        log.info("created face embedding key %s (mode 0600)", path)
        return key
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise EmbeddingKeyError(
            f"{path} is readable by other users (mode {mode:o}): run chmod 600 {path}"
        )
    return path.read_bytes().strip()


def owner_digest(person_id: int, display_name: str, member_id: str | None) -> bytes:
    """What a template is bound to: the person's id, name and member id."""
    owner = "\x1f".join((str(person_id), display_name, member_id or ""))
    return hashlib.sha256(owner.encode("utf-8")).digest()[:_DIGEST_BYTES]


class EmbeddingCipher:
    """Encrypts float32 embeddings, bound to their owner, to Fernet tokens and back."""

    def __init__(self, key: bytes, path: Path | None = None) -> None:
        from cryptography.fernet import Fernet

        self.path = path  # the key file, for messages (None: a key made in memory)
        try:
            self._fernet = Fernet(key)
        except ValueError as exc:
            raise EmbeddingKeyError(f"face embedding key is corrupt: {exc}") from None
        # Names the key in the database and in messages; one-way, so it gives the key away no
        # more than the encrypted templates beside it do.
        self.key_id = hashlib.sha256(b"checkout-app face key id\0" + key).hexdigest()[:16]

    @classmethod
    def for_home(cls, home: Path) -> EmbeddingCipher:
        path = key_path(home)
        return cls(load_or_create_key(path), path)

    def encrypt(self, embedding: np.ndarray, owner: bytes) -> bytes:
        """A token for ``embedding`` bound to ``owner`` (``owner_digest``)."""
        return self._fernet.encrypt(_MAGIC + owner + np.asarray(embedding, "<f4").tobytes())

    def decrypt(self, token: bytes, owner: bytes) -> tuple[np.ndarray, bool]:
        """(embedding, bound) from ``token``; ``TemplateOwnerError`` when it is bound to another
        owner. ``bound`` is False for a token made before binding (the repository re-binds it
        once, to the person whose row holds it)."""
        raw = self._plaintext(token)
        if not raw.startswith(_MAGIC):
            return np.frombuffer(raw, "<f4").copy(), False
        if raw[len(_MAGIC) : len(_MAGIC) + _DIGEST_BYTES] != owner:
            raise TemplateOwnerError("the template is bound to another person")
        return np.frombuffer(raw[len(_MAGIC) + _DIGEST_BYTES :], "<f4").copy(), True

    def _plaintext(self, token: bytes) -> bytes:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise EmbeddingKeyError(
                "stored face embeddings cannot be decrypted with this key file: it is not the key "
                "they were encrypted with"
            ) from None


class UnusableKey:
    """Stands in for the cipher when this kiosk has no usable key: the key file is gone while
    encrypted templates remain, or it is not the key the store's database records.

    Listing and deleting people still work; anything that needs an embedding raises
    ``EmbeddingKeyError`` with ``message``, which says what to do. A new key is never made in
    this state: it would turn every stored template into unreadable data without a word.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def encrypt(self, embedding: np.ndarray, owner: bytes) -> bytes:
        raise EmbeddingKeyError(self.message)

    def decrypt(self, token: bytes, owner: bytes) -> tuple[np.ndarray, bool]:
        raise EmbeddingKeyError(self.message)


def open_cipher(
    home: Path, stored_templates: int, store_key_id: str | None = None
) -> EmbeddingCipher | UnusableKey:
    """The home's cipher; a key is created only while no template is stored, and it is used
    only if it is the store's (``store_key_id``, None where the store has recorded none)."""
    path = key_path(home)
    if stored_templates and not path.exists():
        log.error("face key %s missing with %d stored templates", path, stored_templates)
        return UnusableKey(
            f"the face key {path} is missing, but the database holds {stored_templates} face "
            "templates encrypted with it: copy the key file from another kiosk of the store, or "
            "restore it from your backup (face pay stays off until then). If it is lost for "
            "good, delete every registered person (checkout-app faces delete NAME) and register "
            "them again"
        )
    cipher = EmbeddingCipher.for_home(home)
    if store_key_id is not None and cipher.key_id != store_key_id:
        log.error("face key %s (%s) is not the store's (%s)", path, cipher.key_id, store_key_id)
        return UnusableKey(foreign_key_message(path, cipher.key_id, store_key_id))
    return cipher


def foreign_key_message(path: Path | None, key_id: str, store_key_id: str) -> str:
    return (
        f"this kiosk's face key {path or ''} (id {key_id}) is not the key the store's database "
        f"records (id {store_key_id}): every kiosk sharing the database needs the same key file. "
        "Copy it from a kiosk where face pay works (owner-only, chmod 600) and restart this one; "
        "face pay stays off until then"
    )
