"""A shopper's tap never waits for face recognition running in the face worker."""

from __future__ import annotations

import threading
import time

import numpy as np

from checkout_app.camera.source import Frame
from checkout_app.core.cart import CartLine
from checkout_app.services.payment_flow import PayFailure, PaymentFlow, PayStep
from checkout_app.ui.payment_session import PaymentSession


class SlowPipeline:
    """Face recognition that takes as long as the test says (until ``release`` is set)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def identify(self, image, registry):
        self.started.set()
        self.release.wait(10)
        return []


def test_cancel_answers_while_a_frame_is_being_recognised():
    pipeline = SlowPipeline()
    flow = PaymentFlow(
        [CartLine("C", "Cola", 1, 1500)], 1500, pipeline, registry=None, record_sale=None
    )
    session = PaymentSession(flow)
    frame = Frame(np.zeros((120, 160, 3), np.uint8), 0, 0.0)
    worker = threading.Thread(target=session.offer, args=(frame,))
    worker.start()
    try:
        assert pipeline.started.wait(5)
        started = time.monotonic()
        status = session.cancel()  # the GUI thread, mid-recognition
        waited = time.monotonic() - started
        assert status.step is PayStep.FAILED and status.failure is PayFailure.CANCELLED
        assert waited < 1.0, f"the tap waited {waited:.1f} s for recognition"
        assert session.tick().step is PayStep.FAILED
    finally:
        pipeline.release.set()
        worker.join(5)
    assert flow.status.failure is PayFailure.CANCELLED, "the late frame changed nothing"
    assert session.offer(frame) is None, "a finished payment takes no more frames"
