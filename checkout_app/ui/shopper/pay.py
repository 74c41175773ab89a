"""The "pay with face" screen: face camera, what to do now, and "Is this you?"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkout_app.services.payment_flow import PayStatus, PayStep
from checkout_app.ui.frame_view import FrameView
from checkout_app.ui.pose_indicator import PoseIndicator
from checkout_app.ui.view_models import CartRow

PANEL_WIDTH_PX = 520
ITEM_LINES = 3  # the products listed above the total; more become "… and 2 more"


class PayScreen(QWidget):
    """Shows a ``PayStatus``; the window feeds it statuses and face frames."""

    confirmed = Signal()
    rejected = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.face_view = FrameView(mirrored=True)
        self.face_view.setObjectName("face_view")
        self._step = QLabel()
        self._step.setProperty("role", "hint")
        self._step.setObjectName("pay_step")
        self._instruction = QLabel()
        self._instruction.setProperty("role", "title")
        self._instruction.setObjectName("pay_instruction")
        self._instruction.setWordWrap(True)
        self._detail = QLabel()
        self._detail.setObjectName("pay_detail")
        self._detail.setWordWrap(True)
        self._turn = PoseIndicator()  # the liveness head turn, drawn as well as written
        self._turn.setObjectName("pay_turn")
        self._turn.setFixedSize(120, 120)
        self._items = QLabel()
        self._items.setObjectName("pay_items")
        self._items.setProperty("role", "hint")
        self._items.setWordWrap(True)
        self._total = QLabel()
        self._total.setProperty("role", "total")
        self._total.setObjectName("pay_total")
        self._countdown = QLabel()
        self._countdown.setProperty("role", "hint")
        self._countdown.setObjectName("pay_countdown")
        self._yes = QPushButton()
        self._yes.setObjectName("confirm_button")
        self._yes.setProperty("role", "pay")
        self._yes.setMinimumHeight(64)
        self._no = QPushButton()
        self._no.setObjectName("not_me_button")
        self._no.setMinimumHeight(64)
        self._cancel = QPushButton()
        self._cancel.setObjectName("cancel_pay_button")
        self._cancel.setProperty("role", "danger")
        self._cancel.setMinimumHeight(64)
        self._yes.clicked.connect(self.confirmed)
        self._no.clicked.connect(self.rejected)
        self._cancel.clicked.connect(self.cancelled)
        self._status: PayStatus | None = None
        self._total_text = ""
        self._rows: list[CartRow] = []

        # "Yes, pay ₩123,400" gets the whole width; "No, not me" and Cancel share the row below,
        # so the confirm step fits a 600 px high screen.
        others = QHBoxLayout()
        others.addWidget(self._no, 1)
        others.addWidget(self._cancel, 1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self._step)
        right.addWidget(self._instruction)
        right.addWidget(self._detail)
        right.addWidget(self._turn, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addStretch(1)
        right.addWidget(self._items)
        right.addWidget(self._total)
        right.addWidget(self._yes)
        right.addLayout(others)
        right.addWidget(self._countdown)
        panel = QWidget()
        panel.setFixedWidth(PANEL_WIDTH_PX)  # steady while the prompts change length
        panel.setLayout(right)
        self._step.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.addWidget(self.face_view, 1)
        layout.addWidget(panel)
        self.retranslate()

    def start(self, total_text: str, rows: list[CartRow]) -> None:
        """A new payment of ``rows`` (what the shopper is paying for, listed above the total)."""
        self._total_text = total_text
        self._rows = [r for r in rows if r.qty > 0]
        self._status = None
        self.face_view.set_message(self.tr("Starting the face camera…"))
        self.retranslate()

    def _items_text(self) -> str:
        """What is being paid for, in at most ``ITEM_LINES`` lines (a small screen has no room
        for a long cart here; the cart itself is one tap back)."""
        rows = self._rows
        if len(rows) > ITEM_LINES:
            shown = [f"{r.name} × {r.qty}" for r in rows[: ITEM_LINES - 1]]
            more = self.tr("… and %n more product(s)", "", len(rows) - len(shown))
            return "\n".join([*shown, more])
        return "\n".join(f"{r.name} × {r.qty}" for r in rows)

    def show_status(self, status: PayStatus) -> None:
        self._status = status
        self.retranslate()

    def instruction_text(self, status: PayStatus | None) -> str:
        """What the shopper should do now, for a status (one place for all the wording)."""
        if status is None:
            return self.tr("Look at the camera")
        if status.step == PayStep.CONFIRM:
            return self.tr("Is this you, {name}?").format(name=status.person_name or "")
        if status.step == PayStep.RECORDING:
            if status.hint == "store_retrying":
                return self.tr("The store's system is not answering")
            if status.hint == "store_checking":
                return self.tr("Checking your payment…")
            return self.tr("Recording your payment…")
        if status.step == PayStep.LIVENESS:
            if status.hint == "face_camera":
                return self.tr("Thank you! Now look at the camera again")
            if status.turn is not None and status.turn > 1:
                if status.challenge == "left":
                    return self.tr("Once more: slowly turn your head to your LEFT")
                return self.tr("Once more: slowly turn your head to your RIGHT")
            if status.challenge == "left":
                return self.tr("Now slowly turn your head to your LEFT")
            return self.tr("Now slowly turn your head to your RIGHT")
        hints = {
            "no_face": self.tr("Look at the camera"),
            "many_faces": self.tr("One person at a time, please"),
            "too_small": self.tr("Please come a little closer"),
            "too_blurry": self.tr("Hold still for a moment"),
            "too_dark": self.tr("It is too dark: face the light"),
            "too_bright": self.tr("Too much light behind or on you"),
            "hold_still": self.tr("Hold still, we are checking who you are…"),
        }
        return hints.get(status.hint, self.tr("Looking for your face…"))

    def detail_text(self, status: PayStatus | None) -> str:
        """More words under the instruction, when the store's system keeps the shopper waiting."""
        if status is None or status.step != PayStep.RECORDING:
            return ""
        if status.hint == "store_retrying":
            return self.tr("Trying again… Nothing has been charged yet.")
        if status.hint == "store_checking":
            return self.tr(
                "The store's system stopped answering while your payment was being recorded. "
                "Please wait: we are making sure you pay exactly once. If this takes long, call "
                "staff."
            )
        return ""

    def retranslate(self) -> None:
        status = self._status
        step = status.step if status is not None else PayStep.LOOKING
        steps = {
            PayStep.LOOKING: self.tr("Step 1 of 3 · finding your face"),
            PayStep.LIVENESS: self.tr("Step 2 of 3 · checking you are here in person"),
            PayStep.CONFIRM: self.tr("Step 3 of 3 · confirm"),
            PayStep.RECORDING: self.tr("Step 3 of 3 · paying"),
        }
        self._step.setText(steps.get(step, ""))
        self._instruction.setText(self.instruction_text(status))
        detail = self.detail_text(status)
        self._detail.setText(detail)
        self._detail.setVisible(bool(detail))
        turning = (
            status is not None
            and step == PayStep.LIVENESS
            and status.hint != "face_camera"
            and status.challenge in ("left", "right")
        )
        self._turn.setVisible(turning)
        if turning:
            self._turn.set_pose(status.challenge)
        self._items.setText(self._items_text())
        self._total.setText(self.tr("To pay: {total}").format(total=self._total_text))
        confirming = step == PayStep.CONFIRM
        # The products matter when deciding to pay; while turning, the prompt has the room.
        self._items.setVisible(confirming)
        self._yes.setVisible(confirming)
        self._no.setVisible(confirming)
        self._yes.setText(self.tr("Yes, pay {total}").format(total=self._total_text))
        self._no.setText(self.tr("No, not me"))
        self._cancel.setText(self.tr("Cancel"))
        # Once the sale is being written there is nothing to cancel, and no time limit to show.
        recording = step == PayStep.RECORDING
        self._cancel.setVisible(not recording)
        seconds = int(status.seconds_left) if status is not None else 0
        self._countdown.setText(
            self.tr("%n second(s) left", "", seconds)
            if status is not None and not recording
            else ""
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
