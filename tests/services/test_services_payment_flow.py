"""PaymentFlow: identify → two head turns by the same face → same face again → confirm → one
recorded sale.

Fast tests use a fake detector (a "frame" is the tuple of faces it will find) and a fake embedder
(a face's crop carries the seed of its embedding), with a real FaceRegistry and a real
TransactionRepository, each on SQLite in tmp_path.
"""

from __future__ import annotations

import threading
import time
from datetime import timezone

import cv2
import numpy as np
import pytest
from cryptography.fernet import Fernet

from checkout_app.core.cart import CartLine
from checkout_app.core.receipt import render_receipt
from checkout_app.faces.embedding_cipher import EmbeddingCipher
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.registry import FaceRegistry, NewTemplate
from checkout_app.faces.types import Face
from checkout_app.services.payment_flow import PayFailure, PaymentFlow, PayStep
from checkout_app.storage.db import close_database, default_database_url, open_database
from checkout_app.storage.face_repository import FaceRepository
from checkout_app.storage.transaction_repository import StoreUnavailable, TransactionRepository

LINES = [CartLine("cola", "Cola", 2, 1500), CartLine("chips", "Chips", 1, 2000)]
TOTAL = 5000
ALICE, BOB, STRANGER = 1, 2, 99  # embedding seeds


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=512)
    return (v / np.linalg.norm(v)).astype(np.float32)


def face(seed: int = ALICE, yaw: float = 0.0, size: float = 120, light: int = 128) -> Face:
    """A face whose embedding is ``unit(seed)`` and whose head-pose yaw ratio is ``yaw``."""
    # Eyes 40 px apart: the nose's offset from their midpoint, in eye distances, is the yaw.
    pts = np.array([[40, 40], [80, 40], [60 + 40 * yaw, 60], [45, 80], [75, 80]], np.float32)
    noise = np.random.default_rng(seed).integers(-40, 41, (160, 160, 1))
    crop = np.clip(light + noise, 0, 255).repeat(3, 2).astype(np.uint8)
    crop[0, 0, 0] = seed  # read back by FakeEmbedder
    return Face((10, 10, 10 + size, 10 + size), pts, 0.99, crop)


class FakeDetector:
    """A frame is the tuple of faces to find; counts calls; ``during_detect`` runs inside."""

    def __init__(self) -> None:
        self.calls = 0
        self.during_detect = None

    def detect(self, image) -> list[Face]:
        self.calls += 1
        if self.during_detect is not None:
            self.during_detect()
        return list(image)


class FakeEmbedder:
    name = "fake-embedder"

    def embed(self, crops) -> np.ndarray:
        return np.array([unit(int(c[0, 0, 0])) for c in crops], np.float32).reshape(-1, 512)


class DriftingEmbedder(FakeEmbedder):
    """Like FakeEmbedder, but seeds listed in ``vectors`` embed to the given vector."""

    def __init__(self, vectors: dict) -> None:
        self.vectors = vectors

    def embed(self, crops) -> np.ndarray:
        seeds = [int(c[0, 0, 0]) for c in crops]
        return np.array(
            [self.vectors[s] if s in self.vectors else unit(s) for s in seeds], np.float32
        ).reshape(-1, 512)


class FixedChallenge:
    """Stands in for the random generator: always asks for the same turn."""

    def __init__(self, challenge: str) -> None:
        self.challenge = challenge

    def choice(self, options):
        assert self.challenge in options
        return self.challenge


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def registry(tmp_path) -> FaceRegistry:
    sessions = open_database(f"sqlite:///{tmp_path / 'faces.db'}")
    store = FaceRepository(sessions, EmbeddingCipher(Fernet.generate_key()))
    reg = FaceRegistry(store, FakeEmbedder.name)
    reg.enroll("Alice", [NewTemplate(unit(ALICE), "front", "test")], consent=True)
    reg.enroll("Bob", [NewTemplate(unit(BOB), "front", "test")], consent=True)
    yield reg
    close_database(sessions)


@pytest.fixture
def transactions(tmp_path) -> TransactionRepository:
    sessions = open_database(default_database_url(tmp_path))
    yield TransactionRepository(sessions)
    close_database(sessions)


class RecordSpy:
    """``record_sale`` that counts calls and can fail; passes through to a real repository.

    ``error`` is raised on every call; ``outages`` (a list) are raised one per call, in order,
    before calls pass through."""

    def __init__(
        self,
        repository: TransactionRepository,
        error: Exception | None = None,
        outages: list | None = None,
    ):
        self.repository, self.error, self.calls = repository, error, []
        self.outages = list(outages or [])

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error
        if self.outages:
            raise self.outages.pop(0)
        return self.repository.record(**kwargs)


def down(sale_may_be_recorded: bool = False) -> StoreUnavailable:
    return StoreUnavailable("connection refused", sale_may_be_recorded=sale_may_be_recorded)


class FakeSleep:
    """Moves the fake clock on instead of sleeping; ``during`` runs inside each pause (what the
    GUI thread may do while the worker waits)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock, self.pauses, self.during = clock, [], None

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if self.during is not None:
            self.during()
        self.clock.now += seconds


@pytest.fixture
def make_flow(registry, transactions):
    detector = FakeDetector()

    def build(
        challenge="left",
        error=None,
        lines=LINES,
        embedder=None,
        outages=None,
        record_sale=None,
        **kwargs,
    ) -> PaymentFlow:
        """A flow that records through a RecordSpy, or through ``record_sale`` when given."""
        spy = RecordSpy(transactions, error, outages)
        kwargs.setdefault("clock", FakeClock())
        kwargs.setdefault("sleep", FakeSleep(kwargs["clock"]))
        pipeline = FacePipeline(detector, embedder or FakeEmbedder())
        flow = PaymentFlow(
            lines,
            TOTAL,
            pipeline,
            registry,
            record_sale or spy,
            rng=FixedChallenge(challenge),
            **kwargs,
        )
        flow.spy, flow.clock, flow.sleep, flow.detector = (
            spy,
            kwargs["clock"],
            kwargs["sleep"],
            detector,
        )
        return flow

    return build


def turn_frames(challenge: str) -> list[tuple]:
    sign = 1.0 if challenge == "left" else -1.0  # yaw > 0: turned to the person's left
    return [(face(yaw=0.0),), (face(yaw=0.35 * sign),), (face(yaw=0.35 * sign),)]


def offer_all(flow: PaymentFlow, frames):
    return [flow.offer(frame) for frame in frames]


def to_liveness(flow: PaymentFlow) -> None:
    offer_all(flow, [(face(),), (face(),)])
    assert flow.status.step is PayStep.LIVENESS


def to_confirm(flow: PaymentFlow, challenge: str = "left") -> None:
    to_liveness(flow)
    for _turn in range(2):
        offer_all(flow, turn_frames(challenge))
    offer_all(flow, [(face(),), (face(),)])
    assert flow.status.step is PayStep.CONFIRM


@pytest.mark.parametrize("challenge", ["left", "right"])
def test_full_payment_records_exactly_one_transaction(make_flow, transactions, challenge):
    flow = make_flow(challenge)
    assert flow.status.step is PayStep.LOOKING and flow.status.seconds_left == 30.0

    first = flow.offer((face(),))
    assert (first.step, first.hint, first.person_name) == (PayStep.LOOKING, "hold_still", None)
    assert first.face_box == (10.0, 10.0, 130.0, 130.0)
    looking = flow.offer((face(),))
    assert looking.step is PayStep.LIVENESS
    assert (looking.person_name, looking.challenge, looking.hint, looking.turn) == (
        "Alice",
        challenge,
        f"turn_{challenge}",
        1,
    )

    first = offer_all(flow, turn_frames(challenge))
    # The next turn is asked once the head faces the camera again (the next frame here).
    assert (first[-1].hint, first[-1].challenge, first[-1].turn) == ("face_camera", None, None)
    statuses = offer_all(flow, turn_frames(challenge))
    assert (statuses[0].hint, statuses[0].challenge, statuses[0].turn) == (
        f"turn_{challenge}",
        challenge,
        2,
    )
    assert [s.step for s in first + statuses] == [PayStep.LIVENESS] * 6
    assert statuses[-1].hint == "face_camera"  # turned twice: now be identified once more
    assert statuses[-1].challenge is None and statuses[-1].turn is None
    calls = flow.detector.calls
    assert flow.offer((face(),)).step is PayStep.LIVENESS
    ready = flow.offer((face(),))
    assert flow.detector.calls == calls + 2
    assert (ready.step, ready.hint, ready.challenge) == (PayStep.CONFIRM, "confirm", None)
    assert flow.spy.calls == []  # nothing recorded before the shopper confirms

    done = flow.confirm()
    assert (done.step, done.hint, done.failure, done.seconds_left) == (
        PayStep.COMPLETE,
        "done",
        None,
        0.0,
    )
    record = done.record
    assert record.checkout_id == flow.checkout_id and len(flow.checkout_id) == 32
    assert record.total == TOTAL and list(record.lines) == LINES
    assert (record.paid_by_name, record.paid_by_person_id) == ("Alice", "1")
    assert transactions.count() == 1

    # Pressing again, late cancels and frames never record a second time.
    assert flow.confirm().step is PayStep.COMPLETE
    assert flow.cancel().step is PayStep.COMPLETE
    assert flow.reject().step is PayStep.COMPLETE
    assert flow.offer((face(),)).step is PayStep.COMPLETE
    assert len(flow.spy.calls) == 1 and transactions.count() == 1


def test_receipt_is_rendered_by_core_receipt_at_the_recorded_time(make_flow, transactions):
    flow = make_flow(store_name="Corner Shop", lang="ko")
    to_confirm(flow)
    record = flow.confirm().record
    call = flow.spy.calls[0]
    assert call["created_at"].tzinfo is not None and call["created_at"] == record.created_at
    expected = render_receipt(
        LINES,
        TOTAL,
        store_name="Corner Shop",
        when=call["created_at"].astimezone(),
        receipt_id=flow.checkout_id,
        paid_by="Alice",
        lang="ko",
    )
    assert record.receipt_text == expected and "Alice" in expected
    assert transactions.get(flow.checkout_id).receipt_text == expected


def test_a_given_receipt_callable_gets_the_name_and_time(make_flow):
    seen = []
    flow = make_flow(receipt=lambda name, when: seen.append((name, when)) or "RECEIPT")
    to_confirm(flow)
    record = flow.confirm().record
    assert record.receipt_text == "RECEIPT"
    assert seen == [("Alice", flow.spy.calls[0]["created_at"])]
    assert seen[0][1].tzinfo is timezone.utc


def test_a_failed_write_fails_the_flow_and_is_never_retried(make_flow, transactions):
    flow = make_flow(error=OSError("disk full"))
    to_confirm(flow)
    failed = flow.confirm()
    assert (failed.step, failed.failure, failed.hint) == (PayStep.FAILED, PayFailure.ERROR, "error")
    assert failed.record is None and failed.person_name == "Alice"
    assert flow.confirm().failure is PayFailure.ERROR
    assert len(flow.spy.calls) == 1 and transactions.count() == 0


def test_every_attempt_passes_the_same_checkout_id(make_flow, transactions):
    """The repository's own exactly-once guard holds too: a retry with the flow's id is a no-op."""
    flow = make_flow()
    to_confirm(flow)
    record = flow.confirm().record
    again = transactions.record(**flow.spy.calls[0])
    assert again.id == record.id and transactions.count() == 1


def test_a_database_that_comes_back_gets_the_sale_once_under_the_same_id(make_flow, transactions):
    flow = make_flow(outages=[down(), down(), down()], retry_interval_s=1.0)
    to_confirm(flow)
    seen = []
    flow.sleep.during = lambda: seen.append(flow.status)
    done = flow.confirm()
    assert done.step is PayStep.COMPLETE and transactions.count() == 1
    assert flow.sleep.pauses == [1.0, 1.0, 1.0]
    assert [(s.step, s.hint) for s in seen] == [(PayStep.RECORDING, "store_retrying")] * 3
    assert [round(s.seconds_left) for s in seen] == [30, 29, 28]  # until "nothing charged"
    assert len(flow.spy.calls) == 4
    assert all(call == flow.spy.calls[0] for call in flow.spy.calls)  # same id, cart, time
    assert done.record.checkout_id == flow.checkout_id


def test_a_database_that_stays_away_means_nothing_was_charged(make_flow, transactions):
    flow = make_flow(outages=[down()] * 100, record_timeout_s=5.0, retry_interval_s=1.0)
    to_confirm(flow)
    failed = flow.confirm()
    assert (failed.step, failed.failure, failed.hint) == (
        PayStep.FAILED,
        PayFailure.STORE_DOWN,
        "store_down",
    )
    assert len(flow.spy.calls) == 6 and flow.sleep.pauses == [1.0] * 5
    assert transactions.count() == 0
    assert flow.confirm().failure is PayFailure.STORE_DOWN  # a second tap tries nothing more
    assert len(flow.spy.calls) == 6


def test_once_the_sale_may_be_stored_the_flow_waits_for_the_database(make_flow, transactions):
    """The sale went out and the answer was lost: only the database knows whether the shopper
    paid, so the flow never says "nothing charged" and keeps the same checkout id."""
    flow = make_flow(
        outages=[down(), down(sale_may_be_recorded=True)] + [down()] * 60,
        record_timeout_s=5.0,
    )
    to_confirm(flow)
    seen = []
    flow.sleep.during = lambda: seen.append((flow.status.hint, flow.status.seconds_left))
    done = flow.confirm()
    assert done.step is PayStep.COMPLETE and transactions.count() == 1
    assert len(flow.spy.calls) == 63 and sum(flow.sleep.pauses) == 62.0  # far past 5 s
    assert seen[0] == ("store_retrying", 5.0)
    assert set(seen[1:]) == {("store_checking", 0.0)}


@pytest.mark.parametrize("action", ["cancel", "reject", "tick"])
def test_nothing_stops_a_payment_whose_write_has_begun(make_flow, transactions, action):
    flow = make_flow(outages=[down()], timeout_s=10.0)
    to_confirm(flow)
    answers = []

    def gui_thread_meanwhile():
        flow.clock.now += 60.0  # far past the payment's own deadline
        answers.append(getattr(flow, action)())

    flow.sleep.during = gui_thread_meanwhile
    assert flow.confirm().step is PayStep.COMPLETE
    assert [(a.step, a.failure) for a in answers] == [(PayStep.RECORDING, None)]
    assert transactions.count() == 1


def test_a_receipt_that_cannot_be_made_fails_before_anything_is_written(make_flow, transactions):
    def broken(name, when):
        raise KeyError("template")

    flow = make_flow(receipt=broken)
    to_confirm(flow)
    assert flow.confirm().failure is PayFailure.ERROR
    assert flow.spy.calls == [] and transactions.count() == 0


class ServerAway:
    """A payment confirmed on a real PostgreSQL server that the test stops: ``confirm`` runs in
    a thread, as in the kiosk, and waits (real time) while the server is away."""

    def __init__(self, make_flow, server, **flow_options) -> None:
        self.server = server
        self.sessions = open_database(server.create_database("store"))
        self.repository = TransactionRepository(self.sessions)
        self.flow = make_flow(
            record_sale=self.repository.record_payment,
            clock=time.monotonic,
            sleep=time.sleep,
            retry_interval_s=0.1,
            **flow_options,
        )
        to_confirm(self.flow)
        self.outcome = None
        self._thread = threading.Thread(target=self._confirm)

    def _confirm(self) -> None:
        self.outcome = self.flow.confirm()

    def confirm(self) -> None:
        self._thread.start()

    def wait_for_hint(self, hint: str, timeout_s: float = 20.0) -> None:
        end = time.monotonic() + timeout_s
        while self.flow.status.hint != hint:
            assert time.monotonic() < end, self.flow.status
            time.sleep(0.02)

    def outcome_after(self, timeout_s: float = 30.0):
        self._thread.join(timeout_s)
        assert not self._thread.is_alive(), self.flow.status
        return self.outcome

    def close(self) -> None:
        close_database(self.sessions)


@pytest.fixture
def server_away(make_flow, stoppable_postgres):
    made = []

    def make(**flow_options) -> ServerAway:
        made.append(ServerAway(make_flow, stoppable_postgres, **flow_options))
        return made[-1]

    yield make
    for payment in made:
        payment.close()


def test_a_server_that_goes_away_and_comes_back_records_the_payment_once(
    server_away, stoppable_postgres
):
    payment = server_away()
    stoppable_postgres.stop()
    payment.confirm()
    payment.wait_for_hint("store_retrying")  # the shopper is told; the cart is in the flow
    assert payment.flow.status.step is PayStep.RECORDING
    assert payment.flow.cancel().step is PayStep.RECORDING
    time.sleep(1.0)
    stoppable_postgres.start()
    done = payment.outcome_after()
    assert done.step is PayStep.COMPLETE and done.record.checkout_id == payment.flow.checkout_id
    assert payment.repository.count() == 1
    assert list(payment.repository.get(payment.flow.checkout_id).lines) == LINES


def test_a_server_that_stays_away_means_nothing_was_charged(server_away, stoppable_postgres):
    payment = server_away(record_timeout_s=1.5)
    stoppable_postgres.stop()
    payment.confirm()
    failed = payment.outcome_after()
    assert failed.failure is PayFailure.STORE_DOWN
    stoppable_postgres.start()
    assert payment.repository.count() == 0
    assert payment.repository.interrupted_payments() == []  # no journal entry was written


def test_a_server_lost_between_journal_and_sale_is_waited_for(server_away, stoppable_postgres):
    """The journal entry is written, then the server goes: the sale may or may not have reached
    it, so the flow waits past its give-up time and records exactly once when it is back."""
    payment = server_away(record_timeout_s=0.5)
    begin, begun = payment.repository.begin_payment, []

    def begin_then_lose_the_server(*args, **kwargs):
        begin(*args, **kwargs)
        begun.append(args[0])
        if len(begun) == 1:
            stoppable_postgres.stop()

    payment.repository.begin_payment = begin_then_lose_the_server
    payment.confirm()
    payment.wait_for_hint("store_checking")
    time.sleep(1.5)  # three times the give-up time: still waiting
    assert payment.flow.status.step is PayStep.RECORDING
    stoppable_postgres.start()
    done = payment.outcome_after()
    assert done.step is PayStep.COMPLETE and payment.repository.count() == 1
    assert set(begun) == {payment.flow.checkout_id}  # every try under the one checkout id
    (pending,) = payment.repository.interrupted_payments()  # the kiosk ends it once shown
    assert pending.checkout_id == payment.flow.checkout_id and pending.charged


@pytest.mark.parametrize("step", ["looking", "liveness", "confirm"])
def test_timeout_before_complete_fails_and_records_nothing(make_flow, transactions, step):
    flow = make_flow(timeout_s=10.0)
    if step == "liveness":
        to_liveness(flow)
    elif step == "confirm":
        to_confirm(flow)
    flow.clock.now += 4.0
    assert flow.tick().step is not PayStep.FAILED
    assert flow.status.seconds_left == pytest.approx(6.0)
    flow.clock.now += 6.0
    after = flow.confirm() if step == "confirm" else flow.tick()
    assert (after.step, after.failure, after.seconds_left) == (
        PayStep.FAILED,
        PayFailure.TIMEOUT,
        0.0,
    )
    calls = flow.detector.calls
    assert flow.offer((face(),)).failure is PayFailure.TIMEOUT
    assert flow.detector.calls == calls  # no detection once finished
    assert flow.spy.calls == [] and transactions.count() == 0


def test_an_unknown_face_fails_after_unknown_frames_in_a_row(make_flow):
    flow = make_flow(unknown_frames=3)
    unknown = (face(STRANGER),)
    offer_all(flow, [unknown, unknown, (), unknown, unknown])  # "no face" broke the run
    assert flow.status.step is PayStep.LOOKING and flow.status.hint == "hold_still"
    failed = flow.offer(unknown)
    assert (failed.step, failed.failure, failed.person_name) == (
        PayStep.FAILED,
        PayFailure.UNKNOWN_FACE,
        None,
    )


def test_identification_needs_consecutive_frames_of_the_same_person(make_flow):
    flow = make_flow(identify_frames=2)
    statuses = offer_all(flow, [(face(ALICE),), (face(BOB),), (face(ALICE),)])
    assert [s.step for s in statuses] == [PayStep.LOOKING] * 3
    assert flow.offer((face(ALICE),)).person_name == "Alice"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ((), "no_face"),
        ((face(), face(BOB)), "many_faces"),
        ((face(size=40),), "too_small"),
        ((face(light=20),), "too_dark"),
    ],
)
def test_quality_problems_keep_looking_with_their_code(make_flow, frame, code):
    flow = make_flow()
    flow.offer((face(),))
    status = flow.offer(frame)
    assert (status.step, status.hint, status.failure) == (PayStep.LOOKING, code, None)
    # The problem frame broke the run: one more good frame is not yet enough.
    assert flow.offer((face(),)).step is PayStep.LOOKING
    assert flow.offer((face(),)).step is PayStep.LIVENESS


@pytest.mark.parametrize(
    "yaws",
    [
        [-0.35, -0.35, -0.35],  # asked left, turned right
        [0.0, 0.0, 0.0],  # a photo held still
        [0.1, 0.12, 0.1],  # a turn too small
    ],
)
def test_a_missing_or_wrong_head_turn_fails_when_the_window_is_full(make_flow, transactions, yaws):
    flow = make_flow("left", liveness_frames=4)
    to_liveness(flow)  # its last frame, facing the camera, is the first of the turn's four
    statuses = offer_all(flow, [(face(yaw=y),) for y in yaws])
    assert [s.step for s in statuses[:-1]] == [PayStep.LIVENESS] * 2
    assert (statuses[-1].step, statuses[-1].failure) == (PayStep.FAILED, PayFailure.LIVENESS_FAILED)
    assert flow.confirm().step is PayStep.FAILED and transactions.count() == 0


def test_the_next_turn_waits_for_the_head_to_face_the_camera(make_flow, transactions):
    """A slow face worker may see the head only turned, first one way, then the other: each
    turn starts from a frame facing the camera, seen before the turn is asked."""
    flow = make_flow("left", liveness_frames=4)
    to_liveness(flow)
    offer_all(flow, [(face(yaw=0.35),), (face(yaw=0.35),)])  # the first turn
    waiting = offer_all(flow, [(face(yaw=0.35),)] * 3)  # still turned: nothing asked
    assert [(s.hint, s.challenge) for s in waiting] == [("face_camera", None)] * 3
    failed = flow.offer((face(yaw=0.35),))
    assert (failed.step, failed.failure) == (PayStep.FAILED, PayFailure.LIVENESS_FAILED)
    assert transactions.count() == 0

    flow = make_flow("left", liveness_frames=4)
    to_liveness(flow)
    offer_all(flow, [(face(yaw=0.35),), (face(yaw=0.35),), (face(yaw=0.3),)])
    assert flow.offer((face(yaw=0.05),)).challenge == "left"  # faces the camera: asked again
    assert flow.offer((face(yaw=0.35),)).turn == 2
    assert flow.offer((face(yaw=0.35),)).hint == "face_camera"  # both turns done


def test_losing_the_face_during_the_turn_fails(make_flow):
    flow = make_flow("left", liveness_frames=6)
    to_liveness(flow)
    offer_all(flow, [(face(),), (), (), ()])  # three frames without a face: over the limit of 2
    offer_all(flow, [(face(yaw=0.35),), (face(yaw=0.35),)])
    assert flow.status.failure is PayFailure.LIVENESS_FAILED


def test_another_registered_face_after_the_turns_fails(make_flow):
    flow = make_flow("left")
    to_liveness(flow)
    for _turn in range(2):
        offer_all(flow, turn_frames("left"))
    failed = flow.offer((face(BOB),))
    assert (failed.step, failed.failure) == (PayStep.FAILED, PayFailure.LIVENESS_FAILED)


def test_a_stranger_doing_the_turn_for_a_photo_fails_at_once(make_flow, transactions):
    """A photo of Alice identified, then a stranger's live head turn in the same place."""
    flow = make_flow("left")
    to_liveness(flow)
    failed = flow.offer((face(STRANGER),))
    assert (failed.step, failed.failure) == (PayStep.FAILED, PayFailure.LIVENESS_FAILED)
    assert transactions.count() == 0


def test_the_face_may_not_jump_to_another_place(make_flow):
    flow = make_flow("left")
    to_liveness(flow)
    jumped = face(yaw=0.0)
    jumped = Face((300, 200, 420, 320), jumped.landmarks, jumped.score, jumped.crop)
    assert flow.offer((jumped,)).failure is PayFailure.LIVENESS_FAILED


def test_a_turned_face_may_drift_further_from_the_front_view_than_a_facing_one(make_flow):
    """The same person turned embeds up to ``max_turned_distance`` away; facing, much closer."""
    from checkout_app.faces.continuity import ContinuityPolicy

    drifted = 0.4  # cosine distance of the turned frames' embedding from Alice's front view
    policy = ContinuityPolicy(max_front_distance=0.3, max_turned_distance=0.5)

    def near_alice(seed: int) -> np.ndarray:
        other = unit(seed) - unit(ALICE) * float(unit(seed) @ unit(ALICE))
        other /= np.linalg.norm(other)
        vector = (1 - drifted) * unit(ALICE) + np.sqrt(1 - (1 - drifted) ** 2) * other
        return vector.astype(np.float32)

    flow = make_flow("left", continuity=policy, embedder=DriftingEmbedder({50: near_alice(50)}))
    to_liveness(flow)
    turned = [(face(50, yaw=0.35),), (face(50, yaw=0.35),)]
    offer_all(flow, [(face(),), *turned])
    assert flow.status.hint == "face_camera"  # the drifted, turned frames made the first turn
    assert flow.offer((face(50, yaw=0.0),)).failure is PayFailure.LIVENESS_FAILED


@pytest.mark.parametrize("step", ["looking", "liveness", "confirm"])
@pytest.mark.parametrize(
    ("action", "failure"), [("cancel", PayFailure.CANCELLED), ("reject", PayFailure.NOT_ME)]
)
def test_cancel_or_not_me_at_any_step_before_complete(
    make_flow, transactions, step, action, failure
):
    flow = make_flow()
    if step == "liveness":
        to_liveness(flow)
    elif step == "confirm":
        to_confirm(flow)
    stopped = getattr(flow, action)()
    assert (stopped.step, stopped.failure, stopped.hint) == (PayStep.FAILED, failure, failure.value)
    assert flow.confirm().failure is failure  # the first ending stays
    assert flow.spy.calls == [] and transactions.count() == 0


def test_a_frame_still_in_work_when_the_flow_moves_on_is_dropped(make_flow):
    """offer() runs its detection without the lock; a cancel meanwhile must win."""
    flow = make_flow()
    # What the GUI thread does while the processing thread works on the frame.
    flow.detector.during_detect = flow.cancel
    status = flow.offer((face(),))
    assert (status.step, status.failure, status.face_box) == (
        PayStep.FAILED,
        PayFailure.CANCELLED,
        None,
    )


@pytest.mark.parametrize(
    ("lines", "total", "message"),
    [([], 0, "empty cart"), (LINES, TOTAL + 1, "not the sum")],
)
def test_a_cart_that_cannot_be_paid_is_refused_at_once(registry, lines, total, message):
    pipeline = FacePipeline(FakeDetector(), FakeEmbedder())
    with pytest.raises(ValueError, match=message):
        PaymentFlow(lines, total, pipeline, registry, lambda **kw: None)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"identify_frames": 0},
        {"unknown_frames": 0},
        {"liveness_frames": 0},
        {"timeout_s": 0},
        {"record_timeout_s": 0},
        {"retry_interval_s": -1},
    ],
)
def test_settings_that_could_never_finish_are_refused(registry, kwargs):
    pipeline = FacePipeline(FakeDetector(), FakeEmbedder())
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        PaymentFlow(LINES, TOTAL, pipeline, registry, lambda **kw: None, **kwargs)


def test_the_paid_lines_are_a_snapshot_of_the_cart(make_flow):
    lines = list(LINES)
    flow = make_flow(lines=lines)
    lines.append(CartLine("gum", "Gum", 1, 500))  # the counter camera saw one more meanwhile
    to_confirm(flow)
    done = flow.confirm()
    assert done.step is PayStep.COMPLETE and list(done.record.lines) == LINES


@pytest.mark.integration
def test_real_models_refuse_a_turn_made_of_other_photos_and_a_stranger(
    real_pipeline, real_registry, faces_dir, transactions
):
    """Genuine payments and the other spoofs with the real models are in
    test_services_liveness_spoofs.py; here, the registered person's own photos."""
    from checkout_app.faces.liveness import LivenessPolicy
    from checkout_app.vision.image_files import load_image_bgr

    kit = faces_dir / "train" / "kit_harington"
    obama = faces_dir / "train" / "obama"
    for name, folder in (("kit", kit), ("obama", obama)):
        paths = sorted(folder.iterdir())
        real_registry.enroll(name, real_pipeline.templates_from_images(paths), consent=True)
    probe = load_image_bgr(faces_dir / "test" / "johnsnow_test1.jpg")  # kit, not enrolled
    # Photos of kit facing the camera (mirrored: MTCNN yaw ≈ +0.03) and turned to his right
    # (yaw ≈ -0.28), shown one after the other: a head turn by landmarks, but a face that jumps
    # between photos. The turn-only check paid for this; the face track refuses it.
    facing = cv2.flip(load_image_bgr(kit / "john1.jpeg"), 1)
    turned = load_image_bgr(kit / "john2.jpeg")
    policy = LivenessPolicy(turn_yaw_ratio=0.2, min_yaw_swing=0.2)

    def new_flow(**kwargs) -> PaymentFlow:
        return PaymentFlow(
            LINES, TOTAL, real_pipeline, real_registry, transactions.record,
            rng=FixedChallenge("right"), liveness_policy=policy, **kwargs,
        )  # fmt: skip

    flow = new_flow()
    assert [flow.offer(probe).step for _ in range(2)] == [PayStep.LOOKING, PayStep.LIVENESS]
    assert (flow.status.person_name, flow.status.hint) == ("kit", "turn_right")
    for frame in (facing, turned, turned, probe, probe):
        if flow.offer(frame).step is PayStep.FAILED:
            break
    assert flow.status.failure is PayFailure.LIVENESS_FAILED

    stranger = load_image_bgr(faces_dir / "unknown" / "paul_rudd.jpg")
    assert new_flow(unknown_frames=1).offer(stranger).failure is PayFailure.UNKNOWN_FACE
    assert transactions.count() == 0
