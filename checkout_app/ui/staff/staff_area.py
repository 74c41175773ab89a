"""The staff area: register faces, people, products, review, system health and settings, as
tabs, under a banner that stays on every page while a shopper's call for help is unanswered."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from checkout_app.app import KioskServices
from checkout_app.services.count_review import recent_reviews
from checkout_app.services.enrollment_flow import EnrollmentFlow
from checkout_app.services.system_stats import SystemSampler
from checkout_app.ui.staff.catalog_page import CatalogPage
from checkout_app.ui.staff.kiosk_stats import KioskStats
from checkout_app.ui.staff.people import PeoplePage
from checkout_app.ui.staff.registration import RegistrationPage
from checkout_app.ui.staff.review_page import ReviewPage
from checkout_app.ui.staff.settings_page import SettingsPage
from checkout_app.ui.staff.system_page import SystemPage
from checkout_app.ui.theme import DANGER, ROLE_ERROR, TEXT_ON_DANGER, set_role


class StaffArea(QWidget):
    closed = Signal()
    catalog_changed = Signal()
    settings_saved = Signal(object)
    face_camera_wanted = Signal(bool)  # the registration tab shows the face camera
    call_answered = Signal()  # staff tapped "Done" on the shopper's call

    def __init__(
        self,
        services: KioskServices,
        stats_provider: Callable[[], KioskStats],
        sampler: SystemSampler,
        *,
        counter_frame: Callable[[], object] | None = None,
    ) -> None:
        """``counter_frame()``: the counter camera's newest BGR frame, for teaching products."""
        super().__init__()
        # Without face models (see KioskServices.face_pay_problem) both face tabs say why instead.
        self.registration: RegistrationPage | None = None
        self.people: PeoplePage | None = None
        if services.face_pipeline is not None and services.registry is not None:
            self.registration = RegistrationPage(
                EnrollmentFlow(services.face_pipeline, services.registry)
            )
            self.people = PeoplePage(services.registry)
        self._face_pay_problem = services.face_pay_problem or ""
        face_pages = (
            (self.registration, self.people)
            if self.registration is not None
            else (self._unavailable_page(), self._unavailable_page())
        )
        self.catalog = CatalogPage(
            services.catalog_repository,
            services.counter.class_names,
            teacher=services.teacher,
            counter_frame=counter_frame,
        )
        self.review = ReviewPage(
            lambda limit: recent_reviews(services.overrides, services.named_items, limit),
            unlearn=services.teacher.unlearn,
        )
        self.system = SystemPage(stats_provider, sampler)
        self.system.interrupted_seen.connect(self._on_interrupted_seen)
        self._services = services
        self.settings = SettingsPage(services.home, services.settings)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("staff_tabs")
        self._pages = (*face_pages, self.catalog, self.review, self.system, self.settings)
        for page in self._pages:
            if page is self.registration:  # it scrolls its form and keeps the camera still
                self.tabs.addTab(page, "")
                continue
            # Scrollable, so a tall page (settings) still fits a small kiosk screen.
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, "")
        self._title = QLabel()
        self._title.setProperty("role", "title")
        self._close = QPushButton()
        self._close.setObjectName("leave_staff_button")
        self._close.setProperty("role", "primary")
        self._close.clicked.connect(self._leave)
        self._call = QLabel()
        self._call.setObjectName("staff_call_banner")
        self._call.setWordWrap(True)
        self._call_done = QPushButton()
        self._call_done.setObjectName("staff_call_done")
        self._call_done.clicked.connect(self._answer_call)
        self._call_box = QFrame()
        self._call_box.setStyleSheet(
            f"QFrame {{ background-color: {DANGER}; border-radius: 12px; }}"
            f" QLabel {{ color: {TEXT_ON_DANGER}; font-weight: bold; }}"
        )
        call_row = QHBoxLayout(self._call_box)
        call_row.addWidget(self._call, 1)
        call_row.addWidget(self._call_done)
        self._call_box.setVisible(False)
        self._called_at = ""
        # The call sits in the header row, not above the tabs: a short screen has no room.
        header = QHBoxLayout()
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(self._call_box, 4)
        header.addWidget(self._close)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.tabs.currentChanged.connect(self._tab_changed)
        if self.registration is not None:
            self.registration.person_registered.connect(lambda _person: self.people.refresh())
        self.catalog.catalog_changed.connect(self.catalog_changed)
        self.settings.settings_saved.connect(self.settings_saved)
        self.retranslate()

    def _unavailable_page(self) -> QLabel:
        page = QLabel()
        page.setObjectName("face_pages_unavailable")
        page.setWordWrap(True)
        page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        page.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(page, ROLE_ERROR)
        return page

    def opened(self) -> None:
        if self.people is not None:
            self.people.refresh()
        self.review.refresh()
        self._tab_changed(self.tabs.currentIndex())

    def show_face_frame(self, frame) -> None:
        if self.registration is not None and self._on_registration_tab():
            self.registration.show_face_frame(frame)

    def show_face_camera_message(self, text: str | None) -> None:
        if self.registration is not None:
            self.registration.set_camera_message(text)

    def shutdown(self) -> None:
        if self.registration is not None:
            self.registration.shutdown()
        if self.people is not None:
            self.people.shutdown()
        self.review.shutdown()

    def _on_registration_tab(self) -> bool:
        return self.registration is not None and (
            self._pages[self.tabs.currentIndex()] is self.registration
        )

    def _tab_changed(self, _index: int) -> None:
        self.face_camera_wanted.emit(self._on_registration_tab())

    def _on_interrupted_seen(self) -> None:
        """Staff have read the interrupted payments: close their journal entries."""
        for payment in self._services.interrupted_payments:
            self._services.transactions.end_payment(payment.checkout_id)
        self._services.interrupted_payments.clear()
        self.system.refresh()

    def show_call(self, called_at: str) -> None:
        """A shopper called for help at ``called_at`` (a clock time): shown until answered."""
        self._called_at = called_at
        self._call_box.setVisible(True)
        self.retranslate()

    def _answer_call(self) -> None:
        self._call_box.setVisible(False)
        self.call_answered.emit()

    @property
    def call_waiting(self) -> bool:
        return self._call_box.isVisibleTo(self)

    def _leave(self) -> None:
        self.face_camera_wanted.emit(False)
        self.closed.emit()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Staff"))
        self._close.setText(self.tr("Back to checkout"))
        self._call.setText(
            self.tr("A shopper called for help at {time}.").format(time=self._called_at)
        )
        self._call_done.setText(self.tr("Done"))
        names = (
            self.tr("Register a face"),
            self.tr("People"),
            self.tr("Products"),
            self.tr("Review"),
            self.tr("System"),
            self.tr("Settings"),
        )
        for i, name in enumerate(names):
            self.tabs.setTabText(i, name)
        if self.registration is None:
            text = self.tr(
                "Face pay is off on this kiosk, so faces cannot be registered or managed here."
                "\n\n{reason}\n\nThe System tab shows the same reason."
            ).format(reason=self._face_pay_problem)
            for page in self._pages[:2]:
                page.setText(text)
        # The language switcher sets the default locale; prices follow it (1,500원 / ₩1,500).
        korean = QLocale().language() == QLocale.Language.Korean
        self.catalog.set_language("ko" if korean else "en")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
