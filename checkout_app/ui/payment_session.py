"""One face payment driven from two threads: frames in the face worker, taps in the GUI.

``PaymentFlow`` is plain single-threaded logic; this wrapper serialises every call with a lock.
A frame arriving while the shopper taps waits at most one face-recognition step; the timeout
tick never waits (it skips a beat instead).
"""

from __future__ import annotations

import threading

from checkout_app.camera.source import Frame
from checkout_app.services.payment_flow import PaymentFlow, PayStatus, PayStep


class PaymentSession:
    def __init__(self, flow: PaymentFlow) -> None:
        self.flow = flow
        self._lock = threading.Lock()

    @property
    def checkout_id(self) -> str:
        return self.flow.checkout_id

    def offer(self, frame: Frame) -> PayStatus | None:
        """Face-worker thread: one frame; None once the flow no longer wants frames."""
        with self._lock:
            if self.flow.status.step not in (PayStep.LOOKING, PayStep.LIVENESS):
                return None
            return self.flow.offer(frame.image)

    def confirm(self) -> PayStatus:
        with self._lock:
            return self.flow.confirm()

    def reject(self) -> PayStatus:
        with self._lock:
            return self.flow.reject()

    def cancel(self) -> PayStatus:
        with self._lock:
            return self.flow.cancel()

    def tick(self) -> PayStatus | None:
        """GUI timer: the timeout check, or None when a frame is being processed right now."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self.flow.tick()
        finally:
            self._lock.release()
