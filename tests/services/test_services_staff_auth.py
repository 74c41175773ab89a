"""StaffPin: hashing, persistent lock-out with doubling, changing the PIN, damaged files."""

from __future__ import annotations

import json

import pytest

from checkout_app.services.staff_auth import (
    PBKDF2_ITERATIONS,
    SCRYPT_N,
    InvalidPinError,
    Pbkdf2Params,
    PinCheck,
    ScryptParams,
    StaffPin,
    StaffPinError,
    validate_pin,
)

# Real scrypt, tiny cost: the logic under test does not depend on the cost, and tests stay fast.
CHEAP = ScryptParams(n=16, r=1, p=1)
PIN = "482913"


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class CountingKdf(ScryptParams):
    """CHEAP scrypt that counts how often a PIN is hashed."""

    calls = 0

    def derive(self, pin: str, salt: bytes) -> bytes:
        CountingKdf.calls += 1
        return super().derive(pin, salt)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def pin_path(app_home):
    return app_home / "staff_pin.json"


def make(pin_path, clock, **kwargs) -> StaffPin:
    kwargs.setdefault("kdf", CHEAP)
    return StaffPin(pin_path, clock=clock, **kwargs)


def lock_out(staff: StaffPin, wrong: str = "0000") -> PinCheck:
    check = None
    for _ in range(staff.max_attempts):
        check = staff.verify(wrong)
    return check


def test_set_then_verify(pin_path, clock):
    staff = make(pin_path, clock)
    assert not staff.is_set()
    assert staff.set_pin(PIN) == PinCheck(ok=True, attempts_left=5, locked_for_s=0.0)
    assert staff.is_set()
    assert staff.verify(PIN) == PinCheck(ok=True, attempts_left=5, locked_for_s=0.0)
    assert staff.verify("482914") == PinCheck(ok=False, attempts_left=4, locked_for_s=0.0)
    assert staff.verify("48291") == PinCheck(ok=False, attempts_left=3, locked_for_s=0.0)


def test_the_file_holds_a_salted_hash_only_readable_by_the_owner(pin_path, clock):
    make(pin_path, clock).set_pin("73519086")
    first = pin_path.read_text(encoding="utf-8")
    assert "73519086" not in first
    assert pin_path.stat().st_mode & 0o777 == 0o600
    make(pin_path, clock).set_pin("73519086", current="73519086")
    second = json.loads(pin_path.read_text(encoding="utf-8"))
    assert second["salt"] != json.loads(first)["salt"]
    assert second["hash"] != json.loads(first)["hash"]


def test_the_default_cost_is_real_scrypt(pin_path, clock):
    staff = StaffPin(pin_path, clock=clock)
    staff.set_pin(PIN)
    assert json.loads(pin_path.read_text(encoding="utf-8"))["kdf"] == {
        "name": "scrypt",
        "n": SCRYPT_N,
        "r": 8,
        "p": 1,
    }
    assert staff.verify(PIN).ok and not staff.verify("000000").ok


def test_a_pin_is_checked_with_the_parameters_it_was_hashed_with(pin_path, clock):
    make(pin_path, clock, kdf=Pbkdf2Params(iterations=1000)).set_pin(PIN)
    assert PBKDF2_ITERATIONS >= 200_000
    # A kiosk whose defaults changed still checks the old PIN right.
    assert make(pin_path, clock, kdf=CHEAP).verify(PIN).ok


def test_lock_out_after_max_attempts_then_every_check_fails_unchecked(pin_path, clock):
    staff = make(pin_path, clock, kdf=CountingKdf(n=16, r=1, p=1))
    staff.set_pin(PIN)
    assert lock_out(staff) == PinCheck(ok=False, attempts_left=0, locked_for_s=60.0)
    hashed = CountingKdf.calls
    clock.now += 59.5
    assert staff.verify(PIN) == PinCheck(ok=False, attempts_left=0, locked_for_s=0.5)
    assert CountingKdf.calls == hashed  # the right PIN was not even looked at
    clock.now += 0.5
    assert staff.verify(PIN).ok


def test_the_lock_out_survives_a_restart(pin_path, clock):
    lock_out_staff = make(pin_path, clock)
    lock_out_staff.set_pin(PIN)
    lock_out(lock_out_staff)
    clock.now += 10
    restarted = make(pin_path, clock)
    assert restarted.status() == PinCheck(ok=False, attempts_left=0, locked_for_s=50.0)
    assert not restarted.verify(PIN).ok


def test_failures_before_a_restart_still_count(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    staff.verify("1111")
    staff.verify("2222")
    assert make(pin_path, clock).status() == PinCheck(ok=False, attempts_left=3, locked_for_s=0.0)


def test_each_further_lock_out_doubles_up_to_the_cap(pin_path, clock):
    staff = make(pin_path, clock, lockout_s=60, max_lockout_s=200)
    staff.set_pin(PIN)
    durations = []
    for _ in range(4):
        check = lock_out(staff)
        durations.append(check.locked_for_s)
        clock.now += check.locked_for_s
        # After a lock-out ends, a full set of attempts again.
        assert staff.status() == PinCheck(ok=False, attempts_left=5, locked_for_s=0.0)
    assert durations == [60.0, 120.0, 200.0, 200.0]


def test_the_right_pin_resets_the_doubling(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    clock.now += lock_out(staff).locked_for_s
    assert staff.verify(PIN).ok
    assert lock_out(staff).locked_for_s == 60.0


def test_a_clock_set_back_does_not_lengthen_a_lock_out(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    lock_out(staff)
    clock.now -= 3600
    assert staff.status().locked_for_s == 60.0
    clock.now += 60
    assert staff.verify(PIN).ok


def test_changing_the_pin_needs_the_current_one(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    with pytest.raises(ValueError, match="give the current PIN"):
        staff.set_pin("1234")
    wrong = staff.set_pin("1234", current="999999")
    assert wrong == PinCheck(ok=False, attempts_left=4, locked_for_s=0.0)
    assert staff.verify(PIN).ok  # unchanged
    assert staff.set_pin("1234", current=PIN).ok
    assert staff.verify("1234").ok and not staff.verify(PIN).ok


def test_changing_the_pin_is_refused_while_locked_out(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    lock_out(staff)
    assert staff.set_pin("1234", current=PIN) == PinCheck(False, 0, 60.0)
    clock.now += 60
    assert staff.verify(PIN).ok


def test_an_invalid_new_pin_costs_no_attempt(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    with pytest.raises(InvalidPinError):
        staff.set_pin("12", current="999999")
    assert staff.status().attempts_left == 5


def test_a_current_pin_with_none_set_is_a_mistake(pin_path, clock):
    with pytest.raises(ValueError, match="no staff PIN is set yet"):
        make(pin_path, clock).set_pin("1234", current="1234")
    assert not pin_path.exists()


def test_checking_with_no_pin_set_raises(pin_path, clock):
    staff = make(pin_path, clock)
    with pytest.raises(StaffPinError, match="no staff PIN is set"):
        staff.verify("1234")
    with pytest.raises(StaffPinError):
        staff.status()


@pytest.mark.parametrize(
    ("pin", "code"),
    [
        ("123", "too_short"),
        ("123456789", "too_long"),
        ("12a4", "not_digits"),
        ("12 34", "not_digits"),
        ("１２３４", "not_digits"),  # full-width digits: isdigit() but not 0-9
        ("", "not_digits"),
    ],
)
def test_validate_pin_codes(pin, code):
    with pytest.raises(InvalidPinError) as caught:
        validate_pin(pin)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("pin", ["0000", "0077", "12345678"])
def test_a_pin_of_4_to_8_digits_is_accepted_and_opens_staff_mode(pin, pin_path, clock):
    validate_pin(pin)
    staff = make(pin_path, clock)
    assert staff.set_pin(pin).ok
    assert staff.verify(pin).ok
    assert not staff.verify(pin[:-1] + str((int(pin[-1]) + 1) % 10)).ok


def test_a_non_string_pin_is_a_type_error(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    with pytest.raises(TypeError):
        staff.verify(482913)
    with pytest.raises(TypeError):
        staff.set_pin(1234)


def _edit(pin_path, **changes):
    data = json.loads(pin_path.read_text(encoding="utf-8"))
    data.update(changes)
    pin_path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_text("{not json", encoding="utf-8"),
        lambda p: p.write_text("", encoding="utf-8"),
        lambda p: p.write_text("[]", encoding="utf-8"),
        lambda p: p.write_bytes(b"\xff\xfe"),
        lambda p: _edit(p, hash="***"),
        lambda p: _edit(p, hash="AAAA"),
        lambda p: _edit(p, salt=None),
        lambda p: _edit(p, failures=-1),
        lambda p: _edit(p, failures=True),
        lambda p: _edit(p, locked_at="soon"),
        lambda p: _edit(p, lock_s=-5),
        lambda p: _edit(p, kdf={"name": "md5"}),
        lambda p: _edit(p, kdf={"name": "scrypt", "n": 2**30, "r": 8, "p": 1}),
        lambda p: _edit(p, kdf={"name": "scrypt", "n": 1000, "r": 8, "p": 1}),
        lambda p: _edit(p, kdf={"name": "pbkdf2_sha256"}),
        lambda p: _edit(p, locks=None),
    ],
)
def test_a_damaged_file_is_an_error_that_says_how_to_reset(pin_path, clock, damage):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    damage(pin_path)
    for call in (staff.is_set, lambda: staff.verify(PIN), staff.status):
        with pytest.raises(StaffPinError) as caught:
            call()
        message = str(caught.value)
        assert str(pin_path) in message and "deletes" in message
    with pytest.raises(StaffPinError):
        staff.set_pin("1234", current=PIN)


def test_settings_in_range_that_openssl_refuses_together_are_a_damaged_file(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    # Each value is within its bounds; together they ask scrypt for 16 GiB.
    _edit(pin_path, kdf={"name": "scrypt", "n": 2**20, "r": 64, "p": 1})
    with pytest.raises(StaffPinError, match="hash settings cannot be used") as caught:
        staff.verify(PIN)
    assert "deletes" in str(caught.value)


def test_a_pin_file_readable_by_others_is_refused(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    pin_path.chmod(0o644)
    with pytest.raises(StaffPinError, match="chmod 600"):
        staff.verify(PIN)
    pin_path.chmod(0o600)
    assert staff.verify(PIN).ok


def test_deleting_the_file_resets_the_pin(pin_path, clock):
    staff = make(pin_path, clock)
    staff.set_pin(PIN)
    lock_out(staff)
    pin_path.unlink()
    assert not staff.is_set()
    assert staff.set_pin("1234").ok and staff.verify("1234").ok


@pytest.mark.parametrize(
    "kwargs", [{"max_attempts": 0}, {"lockout_s": 0}, {"lockout_s": 100, "max_lockout_s": 50}]
)
def test_bad_policy_is_rejected(pin_path, clock, kwargs):
    with pytest.raises(ValueError):
        make(pin_path, clock, **kwargs)
