"""Pay with face: a state machine fed one face-camera frame at a time.

LOOKING (the same registered person in ``identify_frames`` good frames in a row) → LIVENESS (head
turns asked for at random, ``turns`` of them, each once the head faces the camera, then the same
person facing the camera again) →
CONFIRM (the shopper presses "pay") → RECORDING (the sale is written; while the store's database
does not answer, tried again under the same checkout id) → COMPLETE, or FAILED with a
``PayFailure`` at any step before COMPLETE.

Every decision is made by the faces modules (quality gates, registry match, liveness verdict,
face track); this module only orders them, counts frames, keeps the deadline and records the
sale once. From the identifying frames to the confirmation every frame is held to one face
(``faces.continuity``): a victim's photo cannot be identified while a bystander does the turning,
and the re-identification at the end must find the same registered person again.

Thread use: ``offer`` may run on a processing thread and ``confirm`` on a worker thread (it waits
for the database) while ``status``/``reject``/``cancel``/``tick`` come from the GUI thread. The
slow parts (detection and embedding in ``offer``, the write in ``confirm``) run without the lock;
a frame's result is dropped when the flow moved on meanwhile (e.g. cancelled), and nothing stops
a payment once its write has begun.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from checkout_app.core.cart import CartLine
from checkout_app.core.receipt import render_receipt
from checkout_app.faces.continuity import ContinuityPolicy, FaceTrack
from checkout_app.faces.liveness import (
    LivenessPolicy,
    choose_challenge,
    frame_yaw,
    verify_head_turn,
)
from checkout_app.faces.pipeline import FacePipeline, FaceResult
from checkout_app.faces.quality import MANY_FACES, NO_FACE
from checkout_app.faces.registry import FaceRegistry, Person
from checkout_app.faces.types import Face
from checkout_app.storage.transaction_repository import StoreUnavailable

if TYPE_CHECKING:
    from checkout_app.storage.transaction_repository import TransactionRecord

log = logging.getLogger(__name__)

DEFAULT_STORE_NAME = "Self-checkout"

# Hint codes for the UI besides the quality codes of faces.quality ("no_face", "too_small", …)
# and the failure codes (PayFailure values).
HINT_HOLD_STILL = "hold_still"  # a good face is being identified
HINT_TURN = {"left": "turn_left", "right": "turn_right"}
HINT_FACE_CAMERA = "face_camera"  # look at the camera again: before the next turn, or at the end
HINT_CONFIRM = "confirm"
HINT_RECORDING = "recording"  # the sale is being written
HINT_STORE_RETRYING = "store_retrying"  # the database did not answer; nothing charged yet
HINT_STORE_CHECKING = "store_checking"  # it stopped answering while the sale was being stored
HINT_DONE = "done"


class PayStep(str, Enum):
    LOOKING = "looking"
    LIVENESS = "liveness"
    CONFIRM = "confirm"
    RECORDING = "recording"
    COMPLETE = "complete"
    FAILED = "failed"


class PayFailure(str, Enum):
    UNKNOWN_FACE = "unknown_face"
    LIVENESS_FAILED = "liveness_failed"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    NOT_ME = "not_me"
    STORE_DOWN = "store_down"  # the database did not answer; nothing can have been charged
    ERROR = "error"


@dataclass(frozen=True)
class PayStatus:
    """What the pay screen shows. ``hint`` is a code the UI turns into text; ``challenge`` (and
    ``turn``, its number from 1) is set only during LIVENESS; ``record`` only on COMPLETE;
    ``face_box`` is (x1, y1, x2, y2) of the only face in the last frame, None when there was not
    exactly one. In RECORDING, ``seconds_left`` is how long the flow still waits for a database
    that does not answer before it says nothing was charged (0 once the sale may be stored: then
    it waits as long as it takes)."""

    step: PayStep
    hint: str
    person_name: str | None
    challenge: str | None
    failure: PayFailure | None
    face_box: tuple | None
    record: TransactionRecord | None
    seconds_left: float
    turn: int | None = None

    @property
    def finished(self) -> bool:
        return self.step in (PayStep.COMPLETE, PayStep.FAILED)


class PaymentFlow:
    """One face-pay attempt for one cart; make a new flow for the next attempt.

    ``record_sale`` is called with keyword arguments (``TransactionRepository.record`` fits):
    checkout_id, lines, total, paid_by_person_id, paid_by_name, receipt_text, created_at. It is
    called once per flow, always with this flow's ``checkout_id``, and again with the very same
    arguments only when it raised ``StoreUnavailable`` (every ``retry_interval_s``). When no try
    can have recorded the sale, the flow gives up after ``record_timeout_s`` (STORE_DOWN: nothing
    charged); once one may have, it tries until the database answers, since only the database
    knows whether the shopper paid. ``receipt(paid_by_name, created_at)`` makes the receipt
    text; by default ``core.receipt.render_receipt`` with ``store_name`` and ``lang``, local
    time, and the checkout id as receipt number.
    """

    def __init__(
        self,
        cart_lines: Sequence[CartLine],
        total: int,
        pipeline: FacePipeline,
        registry: FaceRegistry,
        record_sale: Callable[..., TransactionRecord],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        timeout_s: float = 30.0,
        record_timeout_s: float = 30.0,
        retry_interval_s: float = 1.0,
        identify_frames: int = 2,
        unknown_frames: int = 3,
        liveness_policy: LivenessPolicy | None = None,
        liveness_frames: int = 12,
        turns: int = 2,
        continuity: ContinuityPolicy | None = None,
        receipt: Callable[[str, datetime], str] | None = None,
        store_name: str = DEFAULT_STORE_NAME,
        lang: str = "en",
    ) -> None:
        if not cart_lines:
            raise ValueError("cannot pay for an empty cart")
        if total != sum(line.line_total for line in cart_lines):
            raise ValueError(f"total {total} is not the sum of the cart lines")
        for name, value in (
            ("identify_frames", identify_frames),
            ("unknown_frames", unknown_frames),
            ("liveness_frames", liveness_frames),
            ("turns", turns),
        ):
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        for name, seconds in (
            ("timeout_s", timeout_s),
            ("record_timeout_s", record_timeout_s),
            ("retry_interval_s", retry_interval_s),
        ):
            if seconds <= 0:
                raise ValueError(f"{name} must be > 0, got {seconds}")
        # A snapshot: what the shopper agreed to pay is what gets recorded, whatever the
        # counter camera sees meanwhile.
        self._lines = tuple(cart_lines)
        self._total = total
        self._pipeline = pipeline
        self._registry = registry
        self._record_sale = record_sale
        self._clock = clock
        self._sleep = sleep
        self._rng = rng
        self._record_timeout_s = record_timeout_s
        self._retry_interval_s = retry_interval_s
        self._identify_frames = identify_frames
        self._unknown_frames = unknown_frames
        self._liveness_policy = liveness_policy or LivenessPolicy()
        self._liveness_frames = liveness_frames
        self._turns = turns
        self._continuity = continuity or ContinuityPolicy()
        self._receipt = receipt or self._default_receipt
        self._store_name = store_name
        self._lang = lang
        self.checkout_id = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._deadline = clock() + timeout_s

        self._step = PayStep.LOOKING
        self._phase = 0  # bumped on every state change: a slow offer() started before is stale
        self._hint = NO_FACE
        self._failure: PayFailure | None = None
        self._face_box: tuple | None = None
        self._record: TransactionRecord | None = None
        # LOOKING
        self._candidate: Person | None = None
        self._candidate_frames = 0
        self._candidate_embeddings: list = []
        self._unknown_run = 0
        # LIVENESS
        self._person: Person | None = None
        self._track: FaceTrack | None = None
        self._challenges: list[str] = []
        self._turn = 0  # index into _challenges of the turn asked now
        self._yaws: list[float | None] = []
        self._facing = False  # the head faced the camera since the last turn: ask the next one
        self._turned = False
        self._reid_frames = 0
        self._reid_run = 0
        # RECORDING
        self._give_up_at: float | None = None  # None once a try may have stored the sale

    @property
    def status(self) -> PayStatus:
        with self._lock:
            return self._status()

    def offer(self, image_bgr: Any) -> PayStatus:
        """Feed one face-camera frame (ignored outside LOOKING and LIVENESS)."""
        with self._lock:
            self._check_timeout()
            if self._step not in (PayStep.LOOKING, PayStep.LIVENESS):
                return self._status()
            step, phase, turned = self._step, self._phase, self._turned
        # The slow part, outside the lock. Every frame is embedded, during the turns too: the
        # face track compares each one with the face that was identified.
        results = self._pipeline.identify(image_bgr, self._registry)
        faces: list[Face] = [r.face for r in results]
        with self._lock:
            self._check_timeout()
            if self._phase != phase:
                return self._status()
            self._face_box = faces[0].box if len(faces) == 1 else None
            if step is PayStep.LOOKING:
                self._look(results)
            elif self._follow(results):
                if not turned:
                    self._watch_turn(faces)
                else:
                    self._reidentify(results)
            return self._status()

    def confirm(self) -> PayStatus:
        """Record the sale (only in CONFIRM; a second call never records again).

        Blocks until the sale is stored, or the flow gives up on a database that does not answer:
        call it off the GUI thread. ``status``, ``tick``, ``cancel`` and ``reject`` answer
        meanwhile; cancel and reject change nothing once RECORDING began."""
        with self._lock:
            self._check_timeout()
            if self._step is not PayStep.CONFIRM:
                return self._status()
            person = self._person
            assert person is not None  # CONFIRM is only reached with an identified person
            created_at = datetime.now(timezone.utc)
            try:
                receipt_text = self._receipt(person.display_name, created_at)
            except Exception:
                log.exception("the receipt of checkout %s could not be made", self.checkout_id)
                self._fail(PayFailure.ERROR)
                return self._status()
            self._give_up_at = self._clock() + self._record_timeout_s
            self._enter(PayStep.RECORDING, HINT_RECORDING)
        sale = dict(
            checkout_id=self.checkout_id,
            lines=self._lines,
            total=self._total,
            paid_by_person_id=str(person.id),
            paid_by_name=person.display_name,
            receipt_text=receipt_text,
            created_at=created_at,
        )
        # Only this thread leaves RECORDING, so the writes below need no lock held; every try
        # carries the same checkout id, and the repository stores a checkout id once.
        while True:
            try:
                record = self._record_sale(**sale)
            except StoreUnavailable as exc:
                if not self._wait_for_store(exc):
                    return self.status
                continue
            except Exception:
                # A conflict or a bug: trying again does not help. The staff fallback screen,
                # never a crashed kiosk or a retry loop.
                log.exception("recording checkout %s failed", self.checkout_id)
                with self._lock:
                    self._fail(PayFailure.ERROR)
                    return self._status()
            with self._lock:
                self._record = record
                self._enter(PayStep.COMPLETE, HINT_DONE)
                log.info("checkout %s paid by person %s", self.checkout_id, person.id)
                return self._status()

    def _wait_for_store(self, exc: StoreUnavailable) -> bool:
        """After a try the database did not answer: True to try again (after a pause), False
        when the flow gave up (STORE_DOWN)."""
        with self._lock:
            if exc.sale_may_be_recorded and self._give_up_at is not None:
                log.warning(
                    "checkout %s may be stored; trying until the database answers",
                    self.checkout_id,
                )
                self._give_up_at = None
            if self._give_up_at is not None and self._clock() >= self._give_up_at:
                log.warning(
                    "checkout %s: the database did not answer for %.0f s; nothing was charged",
                    self.checkout_id,
                    self._record_timeout_s,
                )
                self._fail(PayFailure.STORE_DOWN)
                return False
            if self._hint == HINT_RECORDING:
                log.warning("checkout %s: the database did not answer (%s)", self.checkout_id, exc)
            nothing_sent = self._give_up_at is not None
            self._hint = HINT_STORE_RETRYING if nothing_sent else HINT_STORE_CHECKING
        self._sleep(self._retry_interval_s)
        return True

    def reject(self) -> PayStatus:
        """The shopper says the name shown is not them."""
        return self._stop(PayFailure.NOT_ME)

    def cancel(self) -> PayStatus:
        return self._stop(PayFailure.CANCELLED)

    def tick(self) -> PayStatus:
        """Check the deadline without a frame (e.g. from a UI timer while the camera is stalled)."""
        with self._lock:
            self._check_timeout()
            return self._status()

    # -- steps (called with the lock held) ---------------------------------------------------

    def _look(self, results: Sequence[FaceResult]) -> None:
        good, person = self._single_good_face(results)
        if not good:
            self._candidate, self._candidate_frames, self._unknown_run = None, 0, 0
            self._hint = self._quality_code(results)
            return
        if person is None:
            self._candidate, self._candidate_frames = None, 0
            self._unknown_run += 1
            if self._unknown_run >= self._unknown_frames:
                log.info("face pay: unknown face in %d frames", self._unknown_run)
                self._fail(PayFailure.UNKNOWN_FACE)
            else:
                self._hint = HINT_HOLD_STILL
            return
        self._unknown_run = 0
        if self._candidate is not None and self._candidate.id == person.id:
            self._candidate_frames += 1
        else:
            self._candidate, self._candidate_frames = person, 1
            self._candidate_embeddings = []
        self._candidate_embeddings.append(results[0].embedding)
        if self._candidate_frames < self._identify_frames:
            self._hint = HINT_HOLD_STILL
            return
        self._person = person
        # The face of this session's identifying frames is the one every later frame must be.
        reference = np.mean(self._candidate_embeddings, axis=0)
        self._track = FaceTrack(reference, results[0].face.box, self._continuity)
        self._challenges = [choose_challenge(self._rng) for _ in range(self._turns)]
        self._turn, self._yaws, self._facing, self._turned = 0, [], False, False
        log.info("face pay: person %s identified, asking turns %s", person.id, self._challenges)
        self._enter(PayStep.LIVENESS, HINT_FACE_CAMERA)
        self._face_camera(frame_yaw([results[0].face]))  # usually the first turn at once

    def _follow(self, results: Sequence[FaceResult]) -> bool:
        """Hold the frame to the identified face; fail the flow when it is another one."""
        assert self._track is not None
        single = results[0] if len(results) == 1 else None
        reason = self._track.add(
            None if single is None else single.face.box,
            None if single is None else single.embedding,
            frame_yaw([r.face for r in results]),
        )
        if reason is None:
            return True
        log.warning("face pay: the face track broke (%s)", reason)
        self._fail(PayFailure.LIVENESS_FAILED)
        return False

    def _face_camera(self, yaw: float | None) -> None:
        """Before each turn: ask it once a frame faces the camera, and let that frame start the
        turn. A slow face worker (one frame in 0.4 s on a loaded kiosk) would otherwise often
        miss the moment the head passes the camera between two turns, and a shopper asked to
        turn the same way twice would not know to come back first. The wait has its own
        ``liveness_frames``: a photo held turned fails in it."""
        if yaw is not None and abs(yaw) <= self._liveness_policy.front_max_yaw_ratio:
            self._facing, self._yaws = True, [yaw]
            self._enter(PayStep.LIVENESS, HINT_TURN[self._challenges[self._turn]])
            return
        self._yaws.append(yaw)  # frames waited for
        if len(self._yaws) >= self._liveness_frames:
            log.info("face pay: the head did not face the camera before turn %d", self._turn + 1)
            self._fail(PayFailure.LIVENESS_FAILED)

    def _watch_turn(self, faces: Sequence[Face]) -> None:
        if not self._facing:
            self._face_camera(frame_yaw(faces))
            return
        challenge = self._challenges[self._turn]
        self._yaws.append(frame_yaw(faces))
        verdict = verify_head_turn(challenge, self._yaws, self._liveness_policy)
        if verdict.passed:
            self._turn += 1
            self._yaws = []
            if self._turn < len(self._challenges):
                self._facing = False
                self._enter(PayStep.LIVENESS, HINT_FACE_CAMERA)
            else:
                self._turned, self._reid_frames, self._reid_run = True, 0, 0
                self._enter(PayStep.LIVENESS, HINT_FACE_CAMERA)
        elif len(self._yaws) >= self._liveness_frames:
            log.info(
                "face pay: liveness failed at turn %d (%s; yaws %s)",
                self._turn + 1,
                verdict.reason,
                [None if y is None else round(y, 2) for y in self._yaws],
            )
            self._fail(PayFailure.LIVENESS_FAILED)

    def _reidentify(self, results: Sequence[FaceResult]) -> None:
        assert self._person is not None
        self._reid_frames += 1
        _, person = self._single_good_face(results)
        if person is not None and person.id != self._person.id:
            log.warning("face pay: another registered person appeared after the head turn")
            self._fail(PayFailure.LIVENESS_FAILED)
            return
        self._reid_run = self._reid_run + 1 if person is not None else 0
        if self._reid_run >= self._identify_frames:
            self._enter(PayStep.CONFIRM, HINT_CONFIRM)
        elif self._reid_frames >= self._liveness_frames:
            log.info("face pay: the person who turned was not identified again")
            self._fail(PayFailure.LIVENESS_FAILED)

    @staticmethod
    def _single_good_face(results: Sequence[FaceResult]) -> tuple[bool, Person | None]:
        """(exactly one face that passed the quality gates?, the person it matched or None)."""
        if len(results) != 1 or results[0].issues or results[0].match is None:
            return False, None
        return True, results[0].match.person

    @staticmethod
    def _quality_code(results: Sequence[FaceResult]) -> str:
        if not results:
            return NO_FACE
        if len(results) > 1:
            return MANY_FACES
        return results[0].issues[0].code

    # -- state -------------------------------------------------------------------------------

    def _stop(self, failure: PayFailure) -> PayStatus:
        with self._lock:
            self._check_timeout()
            if self._step not in (PayStep.RECORDING, PayStep.COMPLETE, PayStep.FAILED):
                log.info("face pay: %s", failure.value)
                self._fail(failure)
            return self._status()

    def _check_timeout(self) -> None:
        if self._step in (PayStep.RECORDING, PayStep.COMPLETE, PayStep.FAILED):
            return  # the shopper has agreed to pay: only the database ends RECORDING
        if self._clock() >= self._deadline:
            log.info("face pay timed out in step %s", self._step.value)
            self._fail(PayFailure.TIMEOUT)

    def _fail(self, failure: PayFailure) -> None:
        self._failure = failure
        self._enter(PayStep.FAILED, failure.value)

    def _enter(self, step: PayStep, hint: str) -> None:
        self._step, self._hint = step, hint
        self._phase += 1

    def _status(self) -> PayStatus:
        turning = self._step is PayStep.LIVENESS and self._facing and not self._turned
        return PayStatus(
            step=self._step,
            hint=self._hint,
            person_name=None if self._person is None else self._person.display_name,
            challenge=self._challenges[self._turn] if turning else None,
            turn=self._turn + 1 if turning else None,
            failure=self._failure,
            face_box=self._face_box,
            record=self._record,
            seconds_left=self._seconds_left(),
        )

    def _seconds_left(self) -> float:
        if self._step is PayStep.RECORDING:
            end = self._give_up_at
        elif self._step in (PayStep.COMPLETE, PayStep.FAILED):
            end = None
        else:
            end = self._deadline
        return 0.0 if end is None else max(0.0, end - self._clock())

    def _default_receipt(self, paid_by_name: str, created_at: datetime) -> str:
        return render_receipt(
            self._lines,
            self._total,
            store_name=self._store_name,
            when=created_at.astimezone(),  # printed in the kiosk's local time
            receipt_id=self.checkout_id,
            paid_by=paid_by_name,
            lang=self._lang,
        )
