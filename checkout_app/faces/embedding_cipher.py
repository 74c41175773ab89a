"""Encryption at rest for face embeddings: Fernet (AES-128-CBC + HMAC-SHA256) with a key file.

The key lives in ``HOME/keys/face_embeddings.key``, created on first use with owner-only
permissions (0600). Without that file the stored embeddings are unreadable: back it up with the
database, and give every kiosk sharing one database the same key file. A key file readable by
group or others is refused rather than silently used.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KEY_RELATIVE_PATH = Path("keys") / "face_embeddings.key"


class EmbeddingKeyError(RuntimeError):
    """The key file is unusable (bad permissions, wrong key, corrupt)."""


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


class EmbeddingCipher:
    """Encrypts float32 embeddings to Fernet tokens and back."""

    def __init__(self, key: bytes) -> None:
        from cryptography.fernet import Fernet

        try:
            self._fernet = Fernet(key)
        except ValueError as exc:
            raise EmbeddingKeyError(f"face embedding key is corrupt: {exc}") from None

    @classmethod
    def for_home(cls, home: Path) -> EmbeddingCipher:
        return cls(load_or_create_key(key_path(home)))

    def encrypt(self, embedding: np.ndarray) -> bytes:
        return self._fernet.encrypt(np.asarray(embedding, "<f4").tobytes())

    def decrypt(self, token: bytes) -> np.ndarray:
        from cryptography.fernet import InvalidToken

        try:
            raw = self._fernet.decrypt(token)
        except InvalidToken:
            raise EmbeddingKeyError(
                "stored face embeddings cannot be decrypted with this key file: it is not the key "
                "they were encrypted with"
            ) from None
        return np.frombuffer(raw, "<f4").copy()
