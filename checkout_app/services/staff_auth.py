"""The staff PIN: a salted hash with a persistent lock-out, kept in HOME/staff_pin.json.

The PIN itself is never stored or logged. A 4–8 digit PIN has at most 10^8 values, so the hash
only keeps the PIN from being read off the file; what stops guessing at the kiosk is the
lock-out: after ``max_attempts`` wrong PINs every check fails without looking at the PIN for
``lockout_s`` seconds, doubled on each further lock (up to ``max_lockout_s``). The failure count
and lock-out live in the same file (mode 0600, written atomically), so restarting the app does
not reset them, and the file is read again on every call, so deleting it takes effect at once.

A damaged or edited file raises :class:`StaffPinError` — never "no PIN set", which would hand
the staff area to whoever is at the kiosk. The way back is for the store owner to delete the
file (the message names it) and set a new PIN.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import math
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Union

from checkout_app.services.kiosk_settings import write_text_atomically

logger = logging.getLogger(__name__)

STAFF_PIN_FILENAME = "staff_pin.json"
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
SALT_BYTES = 16
HASH_BYTES = 32

# scrypt N=2^14, r=8, p=1: 16 MiB and ~40 ms per check on a laptop core, a few times that on a
# Jetson Nano — slow enough to make a stolen file costly per guess, fast enough for a keypad.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
# Only where Python's OpenSSL lacks scrypt; ~50 ms here, the plan's floor of 200k.
PBKDF2_ITERATIONS = 200_000

# Bounds for cost parameters read back from a file: an edited file must not make one check
# take minutes or gigabytes.
_MAX_SCRYPT_N = 2**20
_MAX_SCRYPT_RP = 64
_MAX_PBKDF2_ITERATIONS = 10_000_000


class StaffPinError(Exception):
    """The PIN file cannot be trusted or used; the message says how to reset it."""


class InvalidPinError(ValueError):
    """A new PIN is not 4–8 digits. ``code``: "not_digits", "too_short" or "too_long"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ScryptParams:
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def derive(self, pin: str, salt: bytes) -> bytes:
        # OpenSSL's default memory cap (32 MiB) is below what larger N needs; allow twice the
        # 128·r·N bytes scrypt uses.
        maxmem = 2 * 128 * self.r * self.n + 1024 * 1024
        return hashlib.scrypt(
            pin.encode("utf-8"),
            salt=salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=maxmem,
            dklen=HASH_BYTES,
        )

    def to_json(self) -> dict[str, Any]:
        return {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p}


@dataclass(frozen=True)
class Pbkdf2Params:
    iterations: int = PBKDF2_ITERATIONS

    def derive(self, pin: str, salt: bytes) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, self.iterations, HASH_BYTES)

    def to_json(self) -> dict[str, Any]:
        return {"name": "pbkdf2_sha256", "iterations": self.iterations}


KdfParams = Union[ScryptParams, Pbkdf2Params]


def default_kdf() -> KdfParams:
    """scrypt where this Python's OpenSSL has it (1.1+), else PBKDF2-SHA256."""
    return ScryptParams() if hasattr(hashlib, "scrypt") else Pbkdf2Params()


@dataclass(frozen=True)
class PinCheck:
    """The outcome of a check. ``attempts_left`` before the next lock-out (0 while locked);
    ``locked_for_s`` > 0 while locked: seconds until the next check can succeed."""

    ok: bool
    attempts_left: int
    locked_for_s: float


def validate_pin(pin: str) -> None:
    """Raise :class:`InvalidPinError` unless ``pin`` is 4–8 ASCII digits."""
    if not isinstance(pin, str):
        raise TypeError(f"PIN must be a str, got {type(pin).__name__}")
    if not (pin.isascii() and pin.isdigit()):
        raise InvalidPinError("not_digits", "PIN must contain only the digits 0-9")
    if len(pin) < PIN_MIN_DIGITS:
        raise InvalidPinError(
            "too_short", f"PIN must be at least {PIN_MIN_DIGITS} digits, got {len(pin)}"
        )
    if len(pin) > PIN_MAX_DIGITS:
        raise InvalidPinError(
            "too_long", f"PIN must be at most {PIN_MAX_DIGITS} digits, got {len(pin)}"
        )


@dataclass
class _Record:
    """What the file holds. ``locks``: lock-outs since the last right PIN (for the doubling)."""

    kdf: KdfParams
    salt: bytes
    pin_hash: bytes
    failures: int = 0
    locks: int = 0
    locked_at: float | None = None
    lock_s: float = 0.0


class StaffPin:
    """Set and check the staff PIN stored at ``path`` (see the module docstring).

    ``clock``: wall-clock seconds (``time.time``), not monotonic, because the lock-out deadline
    must survive a restart. If the clock is set back, a lock still ends ``lock_s`` after the
    moment it is first seen, never later. Not thread-safe: call it from one thread (the GUI's).
    """

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 5,
        lockout_s: float = 60.0,
        max_lockout_s: float = 3600.0,
        kdf: KdfParams | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        if not 0 < lockout_s <= max_lockout_s:
            raise ValueError(
                f"need 0 < lockout_s <= max_lockout_s, got {lockout_s} and {max_lockout_s}"
            )
        self.path = Path(path)
        self._clock = clock
        self.max_attempts = max_attempts
        self.lockout_s = float(lockout_s)
        self.max_lockout_s = float(max_lockout_s)
        # Used for PINs set from now on; a stored PIN is checked with the parameters it was
        # hashed with, so changing these never locks staff out.
        self._kdf = kdf or default_kdf()

    def is_set(self) -> bool:
        """Whether a PIN exists; raises :class:`StaffPinError` for a damaged file."""
        return self._load() is not None

    def status(self) -> PinCheck:
        """The lock state without trying a PIN (``ok`` False), e.g. to show a countdown after a
        restart. Raises :class:`StaffPinError` when no PIN is set or the file is damaged."""
        record = self._require()
        locked_for = self._locked_for(record)
        if locked_for > 0:
            attempts_left = 0
        elif record.locked_at is not None:
            attempts_left = self.max_attempts  # the lock-out is over: a fresh set of attempts
        else:
            attempts_left = max(0, self.max_attempts - record.failures)
        return PinCheck(ok=False, attempts_left=attempts_left, locked_for_s=locked_for)

    def verify(self, pin: str) -> PinCheck:
        """Check ``pin``. While locked out it fails without checking. Raises
        :class:`StaffPinError` when no PIN is set or the file is damaged."""
        if not isinstance(pin, str):
            raise TypeError(f"PIN must be a str, got {type(pin).__name__}")
        record = self._require()
        locked_for = self._locked_for(record)
        if locked_for > 0:
            return PinCheck(ok=False, attempts_left=0, locked_for_s=locked_for)
        if record.locked_at is not None:
            # The last lock-out is over: a fresh set of attempts, but ``locks`` stays, so the
            # next lock-out lasts twice as long.
            record.locked_at = None
            record.failures = 0
        try:
            derived = record.kdf.derive(pin, record.salt)
        except ValueError as exc:  # settings each in range that OpenSSL refuses together
            raise self._damaged(f"its hash settings cannot be used ({exc})") from exc
        if hmac.compare_digest(derived, record.pin_hash):
            if record.failures or record.locks:
                record.failures = 0
                record.locks = 0
                record.lock_s = 0.0
                self._save(record)
            return PinCheck(ok=True, attempts_left=self.max_attempts, locked_for_s=0.0)

        record.failures += 1
        if record.failures >= self.max_attempts:
            record.locks += 1
            record.locked_at = self._clock()
            doublings = min(record.locks - 1, 32)  # the cap is reached long before; no overflow
            record.lock_s = min(self.lockout_s * 2**doublings, self.max_lockout_s)
            logger.warning(
                "staff PIN: %d wrong attempts, locked for %.0f s", record.failures, record.lock_s
            )
            self._save(record)
            return PinCheck(ok=False, attempts_left=0, locked_for_s=record.lock_s)
        self._save(record)
        return PinCheck(
            ok=False, attempts_left=self.max_attempts - record.failures, locked_for_s=0.0
        )

    def set_pin(self, new: str, current: str | None = None) -> PinCheck:
        """Set the PIN to ``new``; changing an existing PIN needs the ``current`` one.

        Returns the check of ``current`` (``ok`` True when the PIN was set; a wrong ``current``
        counts as a failed attempt and may lock). Raises :class:`InvalidPinError` for a ``new``
        PIN that is not 4–8 digits (before ``current`` is tried, so a typo costs no attempt) and
        ValueError when ``current`` is missing but needed, or given with no PIN set.
        """
        validate_pin(new)
        existing = self._load()
        if existing is not None:
            if current is None:
                raise ValueError("a staff PIN is already set: give the current PIN to change it")
            check = self.verify(current)
            if not check.ok:
                return check
        elif current is not None:
            raise ValueError("no staff PIN is set yet, so there is no current PIN to give")
        salt = os.urandom(SALT_BYTES)
        self._save(_Record(kdf=self._kdf, salt=salt, pin_hash=self._kdf.derive(new, salt)))
        logger.info("staff PIN %s", "changed" if existing else "set")
        return PinCheck(ok=True, attempts_left=self.max_attempts, locked_for_s=0.0)

    def _locked_for(self, record: _Record) -> float:
        if record.locked_at is None:
            return 0.0
        now = self._clock()
        if now < record.locked_at:
            # The clock went back: restart the lock from now rather than extend it.
            record.locked_at = now
            self._save(record)
        return max(0.0, record.locked_at + record.lock_s - now)

    def _require(self) -> _Record:
        record = self._load()
        if record is None:
            raise StaffPinError(f"no staff PIN is set ({self.path} does not exist)")
        return record

    def _load(self) -> _Record | None:
        try:
            text = self.path.read_text(encoding="utf-8")
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise self._damaged(f"cannot read it ({exc})") from exc
        try:
            record = _parse_record(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            raise self._damaged(f"it is damaged or was edited ({exc})") from exc
        if os.name == "posix" and mode & 0o077:
            # A PIN of 4-8 digits falls to an offline search of its hash: like the face key, the
            # file must be the kiosk user's alone.
            raise StaffPinError(
                f"The staff PIN file {self.path} is readable by other users (mode {mode:o}): "
                f"run chmod 600 {self.path}"
            )
        return record

    def _save(self, record: _Record) -> None:
        data = {
            "kdf": record.kdf.to_json(),
            "salt": base64.b64encode(record.salt).decode("ascii"),
            "hash": base64.b64encode(record.pin_hash).decode("ascii"),
            "failures": record.failures,
            "locks": record.locks,
            "locked_at": record.locked_at,
            "lock_s": record.lock_s,
        }
        write_text_atomically(self.path, json.dumps(data, indent=2) + "\n", mode=0o600)

    def _damaged(self, why: str) -> StaffPinError:
        return StaffPinError(
            f"The staff PIN file {self.path} cannot be used: {why}. To reset the staff PIN, the "
            f"store owner deletes {self.path} (as the user the kiosk runs as) and sets a new PIN "
            "at the next start."
        )


def _parse_record(data: Any) -> _Record:
    """A :class:`_Record` from the file's JSON; ValueError/KeyError/TypeError when malformed."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    record = _Record(
        kdf=_parse_kdf(data["kdf"]),
        salt=_b64(data["salt"], "salt"),
        pin_hash=_b64(data["hash"], "hash"),
        failures=_int(data["failures"], "failures", 0, 1_000_000),
        locks=_int(data["locks"], "locks", 0, 1_000_000),
        locked_at=None if data["locked_at"] is None else _number(data["locked_at"], "locked_at"),
        lock_s=_number(data["lock_s"], "lock_s"),
    )
    if len(record.salt) < SALT_BYTES or len(record.pin_hash) != HASH_BYTES:
        raise ValueError("salt or hash has the wrong length")
    if record.lock_s < 0:
        raise ValueError("negative lock_s")
    return record


def _parse_kdf(data: Any) -> KdfParams:
    if not isinstance(data, dict):
        raise ValueError("kdf is not an object")
    name = data["name"]
    if name == "scrypt":
        if not hasattr(hashlib, "scrypt"):
            raise ValueError("the PIN was hashed with scrypt, which this Python lacks")
        params = ScryptParams(
            n=_int(data["n"], "n", 2, _MAX_SCRYPT_N),
            r=_int(data["r"], "r", 1, _MAX_SCRYPT_RP),
            p=_int(data["p"], "p", 1, _MAX_SCRYPT_RP),
        )
        if params.n & (params.n - 1):
            raise ValueError("scrypt n is not a power of two")
        return params
    if name == "pbkdf2_sha256":
        return Pbkdf2Params(_int(data["iterations"], "iterations", 1, _MAX_PBKDF2_ITERATIONS))
    raise ValueError(f"unknown kdf {name!r}")


def _b64(value: Any, name: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{name} is not text")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{name} is not base64") from exc


def _int(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return value


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)
