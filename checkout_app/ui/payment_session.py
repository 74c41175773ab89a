"""One face payment driven from two threads: frames in the face worker, taps in the GUI.

``PaymentFlow`` guards its own state with a lock that it releases while a frame goes through
face recognition, so a Confirm / Cancel tap or the timeout tick never waits for recognition;
a frame whose payment moved on meanwhile is dropped by the flow. This wrapper only adds what the
face worker needs: no more frames once the flow stops asking for them.
"""

from __future__ import annotations

from checkout_app.camera.source import Frame
from checkout_app.services.payment_flow import PaymentFlow, PayStatus, PayStep


class PaymentSession:
    def __init__(self, flow: PaymentFlow) -> None:
        self.flow = flow

    @property
    def checkout_id(self) -> str:
        return self.flow.checkout_id

    def offer(self, frame: Frame) -> PayStatus | None:
        """Face-worker thread: one frame; None once the flow no longer wants frames."""
        if self.flow.status.step not in (PayStep.LOOKING, PayStep.LIVENESS):
            return None
        return self.flow.offer(frame.image)

    def confirm(self) -> PayStatus:
        return self.flow.confirm()

    def reject(self) -> PayStatus:
        return self.flow.reject()

    def cancel(self) -> PayStatus:
        return self.flow.cancel()

    def tick(self) -> PayStatus:
        """GUI timer: the timeout check."""
        return self.flow.tick()
