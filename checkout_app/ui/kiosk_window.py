"""The kiosk window: shopper screens, the staff area behind a PIN, and the two cameras.

The counter camera runs all the time (capture + detection threads, ``CounterSession``); the face
camera only while a shopper pays or staff register a face. This module only routes: what happens
at the counter is ``services.counter_session``, a payment is ``services.payment_flow``.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import deque
from datetime import datetime
from functools import partial
from typing import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkout_app.app import KioskServices
from checkout_app.camera.source import FrameSource
from checkout_app.core.catalog import Catalog
from checkout_app.core.money import format_won
from checkout_app.services.count_review import learn_and_record_named, record_approved
from checkout_app.services.counter_items import unknown_item_pictures
from checkout_app.services.counter_session import CounterSnapshot, ScanEvent
from checkout_app.services.kiosk_settings import KioskSettings
from checkout_app.services.payment_flow import PayFailure, PaymentFlow, PayStatus, PayStep
from checkout_app.services.system_stats import SystemSampler
from checkout_app.ui import file_picker
from checkout_app.ui.chime import SCAN_TONES_HZ, play_chime
from checkout_app.ui.frame_view import BoxLabel
from checkout_app.ui.i18n import LANGUAGE_NAMES, LanguageSwitcher
from checkout_app.ui.payment_session import PaymentSession
from checkout_app.ui.shopper.pay import PayScreen
from checkout_app.ui.shopper.scanning import ScanningScreen
from checkout_app.ui.shopper.screens import AttractScreen, CompleteScreen, FailureScreen
from checkout_app.ui.staff.kiosk_stats import KioskStats, ModelFileInfo
from checkout_app.ui.staff.name_item_dialog import NameItemDialog
from checkout_app.ui.staff.pin_dialog import PinDialog
from checkout_app.ui.staff.staff_area import StaffArea
from checkout_app.ui.staff.teach_dialog import TeachDialog
from checkout_app.ui.view_models import BoxTexts, box_views, cart_rows, total_text
from checkout_app.ui.workers import CameraPipeline, JobQueue

log = logging.getLogger(__name__)

# Back to the welcome screen when the counter has been empty this long.
EMPTY_CART_RETURN_S = 12.0
TIMING_HISTORY = 90  # processed frames behind the per-stage medians
LIVENESS_FRAMES = 20
WINDOWED_SIZE = (1280, 800)  # the window's size on a screen with room for it


def windowed_rect(x: int, y: int, width: int, height: int) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the kiosk window centred in a screen's free area, shrunk to
    fit a small screen."""
    w, h = min(WINDOWED_SIZE[0], width), min(WINDOWED_SIZE[1], height)
    return x + (width - w) // 2, y + (height - h) // 2, w, h


# A failed payment's screen waits this long for the shopper to choose, then the visit ends: the
# next shopper must never find this one's cart.
FAILURE_RESET_S = 30.0


class KioskWindow(QMainWindow):
    def __init__(
        self,
        services: KioskServices,
        languages: LanguageSwitcher,
        open_counter_source: Callable[[], FrameSource],
        open_face_source: Callable[[], FrameSource],
        *,
        opener_for: Callable[[str, bool], Callable[[], FrameSource]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``opener_for(spec, face)`` turns a camera setting into an opener, so a camera changed
        in the settings page takes effect at once (None: the cameras stay as given)."""
        super().__init__()
        self.setObjectName("kiosk_window")
        self.services = services
        self.languages = languages
        self._clock = clock
        self._snapshot: CounterSnapshot = services.counter.snapshot()
        self._timings: deque = deque(maxlen=TIMING_HISTORY)
        self._empty_since: float | None = clock()
        self._new_catalog: Catalog | None = None  # changed under an open cart: for the next shopper
        self._payment: PaymentSession | None = None
        self._face_source: FrameSource | None = None
        self._counter_image = None  # the last counter frame, kept as evidence for overrides
        self.teach_wizard: TeachDialog | None = None  # teaching an unknown item, once opened
        self._open_face_source = open_face_source
        self._opener_for = opener_for
        self._sampler = SystemSampler()
        self.counter_camera = CameraPipeline(
            open_counter_source, services.counter.process, parent=self
        )
        self.face_camera = CameraPipeline(self._open_face, None, parent=self)

        self.attract = AttractScreen()
        self.scanning = ScanningScreen()
        self.pay = PayScreen()
        self.complete = CompleteScreen(clock=clock)
        self.failure = FailureScreen(clock=clock)
        self.staff = StaffArea(
            services, self._stats, self._sampler, counter_frame=lambda: self._counter_image
        )
        self.stack = QStackedWidget()
        for screen in (
            self.attract,
            self.scanning,
            self.pay,
            self.complete,
            self.failure,
            self.staff,
        ):
            self.stack.addWidget(screen)
        self._title = QLabel()
        self._title.setProperty("role", "title")
        self._call_notice = QLabel()  # "Staff are on their way", while a call is unanswered
        self._call_notice.setObjectName("call_notice")
        self._call_notice.setWordWrap(True)
        self._call_notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._call_notice.setProperty("role", "error")
        self._language_button = QPushButton()
        self._language_button.setObjectName("language_button")
        self._language_button.clicked.connect(self._toggle_language)
        self._staff_button = QPushButton()
        self._staff_button.setObjectName("staff_button")
        self._staff_button.clicked.connect(self.open_staff_area)
        self._header = QWidget()  # hidden in the staff area, which has its own
        header = QHBoxLayout(self._header)
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self._title)
        header.addWidget(self._call_notice, 1)
        header.addWidget(self._language_button)
        header.addWidget(self._staff_button)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self._header)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.counter_camera.frame.connect(self._show_counter_frame)
        self.counter_camera.result.connect(self._show_snapshot)
        self.counter_camera.failed.connect(self._counter_failed)
        self.counter_camera.recovered.connect(lambda: self.scanning.counter_view.set_message(None))
        self.counter_camera.ended.connect(self._counter_ended)
        self.counter_camera.error.connect(lambda text: log.error("detection failed: %s", text))
        self.face_camera.frame.connect(self._show_face_frame)
        self.face_camera.result.connect(self._show_pay_status)
        self.face_camera.failed.connect(self._face_failed)
        self.face_camera.recovered.connect(self._face_recovered)

        self.attract.start_requested.connect(lambda: self.stack.setCurrentWidget(self.scanning))
        cart = self.scanning.cart
        cart.quantity_requested.connect(self._set_quantity)
        cart.undo_requested.connect(
            lambda sku: self._apply(self.services.counter.undo_correction(sku))
        )
        cart.pay_requested.connect(self.start_payment)
        cart.set_face_pay_available(services.face_pipeline is not None)
        cart.help_requested.connect(self._call_staff)
        cart.approval_requested.connect(self._approve_shortfalls)
        cart.name_unknown_requested.connect(self._name_unknown_item)
        cart.retake_requested.connect(self._retake_empty_counter)
        self.pay.confirmed.connect(self._confirm_payment)
        self.pay.rejected.connect(lambda: self._payment_call("reject"))
        self.pay.cancelled.connect(lambda: self._payment_call("cancel"))
        self.complete.finished.connect(self._next_shopper)
        self.failure.retry_requested.connect(self.start_payment)
        self.failure.back_requested.connect(self._back_to_cart)
        self.failure.staff_requested.connect(self._call_staff)
        self.failure.expired.connect(self._next_shopper)  # the shopper walked away
        self.staff.closed.connect(self._leave_staff_area)
        self.staff.catalog_changed.connect(self._on_catalog_changed)
        self.staff.catalog.empty_counter_taken.connect(self._use_empty_counter)
        self.staff.settings_saved.connect(self.apply_settings)
        self.staff.face_camera_wanted.connect(self._face_camera_for_staff)
        self.staff.call_answered.connect(self._call_answered)

        self._pay_timer = QTimer(self)
        self._pay_timer.setInterval(250)
        self._pay_timer.timeout.connect(self._tick_payment)
        # Payments are written here, not on the GUI thread: a store's server that stops
        # answering must not freeze the screen (the pay timer shows "recording…" meanwhile).
        self._recorder = JobQueue("record-payment", self)
        # The kiosk learns an unknown item staff named (encoding, gallery rebuild: seconds).
        self._learner = JobQueue("learn-named-item", self)
        self._stats_timer = QTimer(self)
        self._stats_timer.setInterval(1000)
        self._stats_timer.timeout.connect(self._refresh_stats_overlay)
        self._stats_timer.start()
        # What other kiosks of the store changed (services.store_refresh checks, off this thread).
        self._store_timer = QTimer(self)
        self._store_timer.setInterval(1000)
        self._store_timer.timeout.connect(self._take_store_changes)
        self._store_timer.start()
        self._backend_label = QLabel()
        self._backend_label.setProperty("role", "hint")
        self.statusBar().addPermanentWidget(self._backend_label)
        self.retranslate()
        self.apply_settings(services.settings)

    # --- start / stop -------------------------------------------------------------------------

    def start(self) -> None:
        self.counter_camera.start()

    def closeEvent(self, event) -> None:
        self._pay_timer.stop()
        self._store_timer.stop()
        self.face_camera.stop()
        self.counter_camera.stop()
        self.staff.shutdown()
        # A payment being written gets a moment to finish; one still waiting for the store's
        # server stays in the payment journal, and the next start tells staff about it.
        self._recorder.shutdown()
        self._learner.shutdown()
        self._sampler.close()
        super().closeEvent(event)

    def apply_settings(self, settings: KioskSettings) -> None:
        previous = self.services.settings
        self.services.settings = settings
        if self._opener_for is not None:
            if settings.counter_source != previous.counter_source:
                log.info("counter camera: %s", settings.counter_source)
                self.counter_camera.set_source(self._opener_for(settings.counter_source, False))
            if settings.face_source != previous.face_source:
                log.info("face camera: %s", settings.face_source)
                self._open_face_source = self._opener_for(settings.face_source, True)
        if settings.language != self.languages.language:
            self.languages.set_language(settings.language)
        self.scanning.stats.setVisible(settings.show_stats)
        file_picker.set_confined(settings.fullscreen)  # a kiosk screen: no browsing the disk
        self._show_technical_footer()
        if self.isVisible() and settings.fullscreen != self.isFullScreen():
            self.show_on_screen()

    def show_on_screen(self) -> None:
        """Fullscreen, or a window centred on the screen and no larger than it.

        The geometry is set as well as the fullscreen request: without a window manager (a bare
        X server on a kiosk) nobody acts on the request, and the window would stay small in a
        corner.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        if self.services.settings.fullscreen:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            area = screen.availableGeometry()
            x, y, width, height = windowed_rect(area.x(), area.y(), area.width(), area.height())
            self.showNormal()
            self.setGeometry(x, y, width, height)

    # --- counter ------------------------------------------------------------------------------

    def _show_counter_frame(self, frame) -> None:
        texts = BoxTexts(
            not_for_sale=self.tr("not for sale"),
            unknown_item=self.tr("Unknown item"),
            not_a_product=self.tr("Not a product"),
            # Short: it labels a box on the counter view.
            items_touching=self.tr("Move apart"),
        )
        views = box_views(self._snapshot, self.services.counter.class_names, self._lang, texts)
        boxes = [BoxLabel(v.xyxy, v.text, v.colour, v.confirmed) for v in views]
        self._counter_image = frame.image
        self.scanning.counter_view.set_frame(frame.image, boxes)

    def _show_snapshot(self, snapshot: CounterSnapshot) -> None:
        self._timings.append(snapshot.timings_ms)
        self._apply(snapshot)
        for scan in snapshot.scans:
            self._show_scan(scan)

    def _show_scan(self, scan: ScanEvent) -> None:
        """A beep and a line in the cart for each barcode scan, whatever it did."""
        if scan.outcome == "added":
            name = self._snapshot.catalog.get(scan.sku).name(self._lang)
            text, ok = self.tr("Added {name} by its barcode.").format(name=name), True
        elif scan.outcome == "resolved":
            name = self._snapshot.catalog.get(scan.sku).name(self._lang)
            text = self.tr("The unknown item is {name}: added by its barcode.").format(name=name)
            ok = True
        elif scan.outcome == "inactive":
            name = self._snapshot.catalog.get(scan.sku).name(self._lang)
            text = self.tr("{name} is not for sale. Please call staff.").format(name=name)
            ok = False
        else:
            text = self.tr("Barcode {code} is not in this store's catalog.").format(code=scan.code)
            ok = False
        play_chime(SCAN_TONES_HZ)
        self.scanning.cart.show_scan(text, ok)

    def _apply(self, snapshot: CounterSnapshot) -> None:
        self._snapshot = snapshot
        self.scanning.cart.set_rows(
            cart_rows(snapshot, self._lang),
            total_text(snapshot, self._lang),
            unknown_items=snapshot.unknown_items,
            touching_items=snapshot.touching_items,
            empty_counter_stale=snapshot.empty_counter_stale,
            counter_full=snapshot.counter_full,
        )
        now = self._clock()
        if snapshot.occupied:
            self._empty_since = None
            if self.stack.currentWidget() is self.attract:
                self.stack.setCurrentWidget(self.scanning)
        elif self._empty_since is None:
            self._empty_since = now
        elif (
            self.stack.currentWidget() is self.scanning
            and now - self._empty_since > EMPTY_CART_RETURN_S
        ):
            self.stack.setCurrentWidget(self.attract)

    def _set_quantity(self, sku: str, qty: int) -> None:
        self._apply(self.services.counter.set_quantity(sku, qty))

    def _approve_shortfalls(self) -> None:
        """Staff (PIN) let the shopper pay for fewer than the camera sees; the counter frame
        is kept with each approved product for the Review page."""
        if not self._snapshot.shortfalls:
            return
        if not self._staff_pin_entered(self.tr("Staff approval")):
            return
        snapshot, approved = self.services.counter.approve_shortfalls()
        try:
            record_approved(
                self.services.overrides, snapshot, approved, self._counter_image, self._lang
            )
        except Exception:  # the database is down: the sale goes on, the log keeps the facts
            log.exception("could not record the approved counts %s", approved)
        self.staff.review.refresh()
        self._apply(snapshot)

    def _name_unknown_item(self) -> None:
        """Staff (PIN) say what an unknown item on the counter is, offered the products it
        looked most like first; it is added at its price and no longer holds the payment."""
        if not self._snapshot.unknown_items:
            return
        if not self._staff_pin_entered(self.tr("Staff: add the unknown item")):
            return
        snapshot = self.services.counter.snapshot()  # the counter may have changed meanwhile
        offered = snapshot.unknown_suggestions
        frame = self._counter_image
        boxes = snapshot.boxes
        items = [] if frame is None else unknown_item_pictures(frame, boxes, snapshot.nameable)
        pictures = [picture for _item, picture in items]
        chooser = NameItemDialog(
            snapshot.catalog, offered, self._lang, self, pictures, can_teach=True
        )
        if not chooser.exec():
            return
        # The item whose picture staff named; None (several, none tapped): one of them.
        item = None if chooser.chosen_index is None else items[chooser.chosen_index][0]
        if chooser.teach_requested:
            self._teach_unknown_item(item, chooser.chosen_picture)
            return
        if chooser.set_aside_requested:
            self._set_aside_unknown_item(item, chooser.chosen_picture, frame)
            return
        if chooser.chosen_sku is None:
            return
        sku = chooser.chosen_sku
        snapshot = self._staff_change(
            partial(self.services.counter.name_unknown_item, sku, item),
            self.tr("Nothing added: the item left the counter, or its product is off sale."),
        )
        if snapshot is None:
            return
        name = snapshot.catalog.get(sku).name(self._lang)
        self._learn_in_background(offered, sku, name, chooser.chosen_picture, frame)
        self.scanning.cart.show_scan(
            self.tr("The unknown item is {name}: added by staff.").format(name=name), True
        )

    def _retake_empty_counter(self) -> None:
        """Staff (PIN) take the empty counter again after the light or the camera moved: once
        they cleared the counter, its picture now is the one items are found against, in this
        visit and the next ones."""
        if not self._snapshot.empty_counter_stale:
            return
        title = self.tr("Staff: retake the empty counter")
        if not self._staff_pin_entered(title):
            return
        ask = QMessageBox(QMessageBox.Icon.Question, title, "", parent=self)
        ask.setText(
            self.tr(
                "Take everything off the counter (the shopper's products too, for a moment), "
                "then tap Take empty counter. Put the products back afterwards."
            )
        )
        take = ask.addButton(self.tr("Take empty counter"), QMessageBox.ButtonRole.AcceptRole)
        ask.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        ask.exec()
        frame = self._counter_image
        if ask.clickedButton() is not take or frame is None:
            return
        log.info("staff took the empty counter again")
        text, ok = self.tr("Empty counter taken again: put the products back on the counter."), True
        try:
            self.services.teacher.set_empty_counter(frame)
        except OSError as exc:  # kept in memory all the same: lost at the next start
            log.error("cannot keep the empty-counter shot: %s", exc)
            text = self.tr("The empty-counter shot was not saved: take it again after a restart.")
            ok = False
        self._use_empty_counter(frame)
        self.scanning.cart.show_scan(text, ok)

    def _use_empty_counter(self, image) -> None:
        """Staff took the empty counter again (here or in the teaching wizard): this visit's
        items are found against it from the next frame on, not only the next shopper's."""
        self._apply(self.services.counter.set_empty_counter(image.copy()))

    def _learn_in_background(self, offered: tuple, sku, name, picture, frame) -> None:
        """Learn the look of an unknown item staff named ``sku`` (None: no product) and record
        the naming for the Review page (``learn_and_record_named``), off the GUI thread. A
        failure (the database is down) is logged by the queue: the sale goes on."""
        self._learner.submit(
            partial(
                learn_and_record_named,
                self.services.teacher,
                self.services.named_items,
                offered,
                sku,
                name,
                picture,
                frame,
            ),
            lambda _learned: self.staff.review.refresh(),
        )

    def _staff_change(
        self, change: Callable[[], CounterSnapshot], refused: str
    ) -> CounterSnapshot | None:
        """Make a staff change to the counter's cart and show it. The cart refuses one that no
        longer fits the counter (the item left meanwhile, the product left the sale): then
        ``refused`` is said on the cart, and None returned."""
        try:
            snapshot = change()
        except ValueError as exc:
            log.info("staff change to the cart refused: %s", exc)
            self.scanning.cart.show_scan(refused, False)
            return None
        self._apply(snapshot)
        return snapshot

    def _set_aside_unknown_item(self, item: int | None, picture, frame) -> None:
        """Staff say the unknown item is no product: it no longer holds the payment, and the
        kiosk learns its look (in the background), so the next one like it is ignored."""
        refused = self.tr("Nothing changed: the item left the counter, or which one was unclear.")
        if self._staff_change(partial(self.services.counter.set_aside, item), refused) is None:
            return
        self._learn_in_background((), None, None, picture, frame)
        self.scanning.cart.show_scan(
            self.tr("Not a product, staff say: it no longer holds the payment."),
            True,
        )

    def _teach_unknown_item(self, item: int | None, picture) -> None:
        """Staff teach an unknown item as a new product: the teaching wizard, the item's
        picture as its first photo (more are taken from the counter camera); once taught, the
        item is added to the cart as it (``_on_taught_unknown_item``)."""
        wizard = TeachDialog(self.services.teacher, lambda: self._counter_image, self)
        if picture is not None:
            wizard.add_photo(self.tr("The unknown item's picture"), picture)
        wizard.taught.connect(partial(self._on_taught_unknown_item, item))
        wizard.taught.connect(self.staff.catalog.product_taught)  # then the next visit's catalog
        wizard.empty_counter_taken.connect(self._use_empty_counter)
        wizard.open()
        self.teach_wizard = wizard

    def _on_taught_unknown_item(self, item: int | None, product) -> None:
        name = product.name(self._lang)
        refused = self.tr("{name} is taught; the item left the counter: not added.")
        added = self._staff_change(
            partial(self.services.counter.name_unknown_item_as_new, product, item),
            refused.format(name=name),
        )
        if added is None:
            return
        self.scanning.cart.show_scan(
            self.tr("The unknown item is {name}: taught and added by staff.").format(name=name),
            True,
        )

    def _counter_failed(self, message: str) -> None:
        log.warning("counter camera: %s", message)
        self.scanning.counter_view.set_message(
            self.tr("Counter camera unavailable, retrying…\n{reason}").format(reason=message)
        )

    def _counter_ended(self) -> None:
        self.scanning.counter_view.set_message(self.tr("The video has ended."))

    def _on_catalog_changed(self, catalog: Catalog | None = None) -> None:
        """Staff changed the catalog here (``catalog`` None: read it) or another kiosk did."""
        if catalog is None:
            catalog = self.services.catalog_repository.load()
        # Prices change between shoppers, never under someone's open cart; nor while anything
        # of theirs lies on the counter (a new visit would forget that two items lie touching,
        # and take the pair for one).
        if self._snapshot.occupied:
            self._new_catalog = catalog
        else:
            self._apply(self.services.counter.reset(catalog))

    def _take_store_changes(self) -> None:
        refresher = self.services.refresher
        if refresher is None:
            return
        catalog = refresher.take_catalog()
        if catalog is not None:
            self._on_catalog_changed(catalog)
        problem = refresher.take_face_pay_problem()
        if problem is not None:  # said on the System page; a payment under way finishes
            self.services.face_pay_problem = problem
            self.scanning.cart.set_face_pay_available(False)

    def _next_shopper(self) -> None:
        catalog, self._new_catalog = self._new_catalog, None
        self._apply(self.services.counter.reset(catalog))
        self._empty_since = self._clock()
        self.stack.setCurrentWidget(self.attract)

    # --- face pay -----------------------------------------------------------------------------

    def start_payment(self) -> None:
        snapshot = self.services.counter.snapshot()
        face_pay_off = (
            self.services.face_pipeline is None or self.services.face_pay_problem is not None
        )
        if not snapshot.can_pay or face_pay_off:
            self._back_to_cart()
            return
        settings = self.services.settings
        flow = PaymentFlow(
            snapshot.lines(self._lang),
            snapshot.total,
            self.services.face_pipeline,
            self.services.registry,
            partial(self.services.transactions.record_payment, kiosk_id=settings.kiosk_id),
            timeout_s=settings.payment_timeout_s,
            # About 2-4 s of face frames: time to read the prompt and turn slowly.
            liveness_frames=LIVENESS_FRAMES,
            lang=self._lang,
        )
        self._payment = PaymentSession(flow)
        self.pay.start(format_won(snapshot.total, self._lang), cart_rows(snapshot, self._lang))
        self.pay.show_status(flow.status)
        self.stack.setCurrentWidget(self.pay)
        self.face_camera.set_process(partial(self._offer_face_frame, self._payment))
        self.face_camera.start()
        self._pay_timer.start()
        log.info("payment %s started: %d won", flow.checkout_id, snapshot.total)

    def _offer_face_frame(self, payment: PaymentSession, frame) -> PayStatus | None:
        """In the face worker: a frame to the payment; the demo shopper follows a new prompt at
        once, here rather than a signal later on a GUI thread that a busy machine may hold up
        for longer than a turn is watched."""
        status = payment.offer(frame)
        follow = getattr(self._face_source, "follow", None)
        if status is not None and follow is not None:
            follow(status)
        return status

    def _payment_call(self, action: str) -> None:
        if self._payment is None:
            return
        self._show_pay_status(getattr(self._payment, action)())

    def _confirm_payment(self) -> None:
        """ "Yes, pay": the sale is written in the recorder's thread (it may wait for the store's
        server); its outcome comes back to ``_show_recorded``, or the pay timer sees it first."""
        payment = self._payment
        if payment is not None:
            self._recorder.submit(payment.confirm, partial(self._show_recorded, payment))

    def _show_recorded(self, payment: PaymentSession, status: PayStatus) -> None:
        if payment is self._payment:  # else the pay timer has shown this outcome already
            self._show_pay_status(status)

    def _tick_payment(self) -> None:
        if self._payment is not None:
            self._show_pay_status(self._payment.tick())

    def _show_pay_status(self, status: PayStatus | None) -> None:
        if status is None or self._payment is None:
            return
        if self.stack.currentWidget() is self.pay:
            self.pay.show_status(status)
        if status.step not in (PayStep.COMPLETE, PayStep.FAILED):
            return
        checkout_id = self._payment.flow.checkout_id
        self._end_payment()
        if status.step == PayStep.COMPLETE:
            record = status.record
            self.complete.show_payment(
                format_won(record.total, self._lang),
                record.receipt_text,
                record.paid_by_name or "",
                round(self.services.settings.complete_reset_s),
            )
            self.stack.setCurrentWidget(self.complete)
        else:
            self._show_failure(status.failure)
        self._close_payment_journal(checkout_id)

    def _close_payment_journal(self, checkout_id: str) -> None:
        """The shopper sees how the payment ended: nothing is left for staff to find later."""
        try:
            self.services.transactions.end_payment(checkout_id)
        except Exception:  # the database is down: staff see it at the next start, no crash now
            log.exception("could not close the journal entry of payment %s", checkout_id)

    def _end_payment(self) -> None:
        self._pay_timer.stop()
        self.face_camera.set_process(None)
        self.face_camera.stop()
        self._payment = None

    def _show_failure(self, failure: PayFailure | None) -> None:
        texts = {
            PayFailure.UNKNOWN_FACE: (
                self.tr("We don't recognise your face"),
                self.tr(
                    "Try again facing the camera, or ask staff: they can register you or take "
                    "your payment."
                ),
            ),
            PayFailure.LIVENESS_FAILED: (
                self.tr("We could not confirm you are here in person"),
                self.tr("Try again and turn your head slowly the way the screen asks."),
            ),
            PayFailure.TIMEOUT: (
                self.tr("Payment timed out"),
                self.tr("Nothing was charged. Try again when you are ready."),
            ),
            PayFailure.CANCELLED: (
                self.tr("Payment cancelled"),
                self.tr("Nothing was charged. Your cart is still here."),
            ),
            PayFailure.NOT_ME: (
                self.tr("Sorry about that!"),
                self.tr("Nothing was charged. Try again, looking straight at the camera."),
            ),
            PayFailure.STORE_DOWN: (
                self.tr("We can't reach the store's system"),
                self.tr(
                    "Nothing was charged. Your cart is still here: try again in a moment, or "
                    "call staff."
                ),
            ),
            PayFailure.ERROR: (
                self.tr("The payment could not be completed"),
                self.tr("Nothing was charged. Please call staff."),
            ),
        }
        title, advice = texts.get(failure, texts[PayFailure.ERROR])
        self.failure.show_failure(
            title, advice, can_retry=failure != PayFailure.ERROR, reset_after_s=FAILURE_RESET_S
        )
        self.stack.setCurrentWidget(self.failure)

    def _back_to_cart(self) -> None:
        self.stack.setCurrentWidget(self.scanning)

    def _call_staff(self) -> None:
        """The shopper asked for help: a chime, a line on the shopper's screen, and a banner on
        every staff page until staff tap Done."""
        if self.staff.call_waiting:
            return  # already called: one chime per call
        called_at = datetime.now().strftime("%H:%M")
        sound = play_chime()
        log.warning("a shopper called staff at %s (chime: %s)", called_at, sound)
        self.staff.show_call(called_at)
        self.retranslate()

    def _call_answered(self) -> None:
        log.info("staff answered the shopper's call")
        self.retranslate()

    def _open_face(self) -> FrameSource:
        """In the capture thread: (re)open the face camera and remember it for the demo act."""
        self._face_source = self._open_face_source()
        return self._face_source

    def _show_face_frame(self, frame) -> None:
        if self.stack.currentWidget() is self.pay:
            status = self._payment.flow.status if self._payment is not None else None
            box = status.face_box if status is not None else None
            colour = "#1F8A4C" if status is not None and status.person_name else "#4FB3E8"
            boxes = [BoxLabel(box, "", colour)] if box is not None else []
            self.pay.face_view.set_message(None)  # frames arrive: the camera works
            self.pay.face_view.set_frame(frame.image, boxes)
        else:
            self.staff.show_face_frame(frame)

    def _face_failed(self, message: str) -> None:
        text = self.tr("Face camera unavailable, retrying…\n{reason}").format(reason=message)
        self.pay.face_view.set_message(text)
        self.staff.show_face_camera_message(text)

    def _face_recovered(self) -> None:
        self.pay.face_view.set_message(None)
        self.staff.show_face_camera_message(None)

    # --- staff --------------------------------------------------------------------------------

    def open_staff_area(self) -> None:
        if self._payment is not None:
            return
        if self._staff_pin_entered():
            log.info("staff area opened")
            self.show_staff_area()

    def _staff_pin_entered(self, title: str | None = None) -> bool:
        """Ask for the staff PIN (``title``: what it is for); True once it was entered."""
        dialog = PinDialog(self.services.staff_pin, self)
        if title is not None:
            dialog.setWindowTitle(title)
        return bool(dialog.exec())

    def show_staff_area(self) -> None:
        """The staff pages, once the PIN was given."""
        self.stack.setCurrentWidget(self.staff)
        self._header.setVisible(False)
        self._show_technical_footer()
        self.staff.opened()

    def _leave_staff_area(self) -> None:
        self.face_camera.stop()
        self._header.setVisible(True)
        self.stack.setCurrentWidget(self.scanning if self._snapshot.occupied else self.attract)
        self._show_technical_footer()

    def _face_camera_for_staff(self, wanted: bool) -> None:
        if wanted:
            self.face_camera.set_process(None)
            self.face_camera.start()
        else:
            self.face_camera.stop()

    # --- language and stats -------------------------------------------------------------------

    def _show_technical_footer(self) -> None:
        """The backend line is for staff and presenters, not for shoppers."""
        technical = self.services.settings.show_stats or self.stack.currentWidget() is self.staff
        self.statusBar().setVisible(technical)

    @property
    def snapshot(self) -> CounterSnapshot:
        """The counter's cart as the window shows it now."""
        return self._snapshot

    @property
    def _lang(self) -> str:
        return self.languages.language

    def _toggle_language(self) -> None:
        # A shopper's choice for this session; the store's default stays in the settings file.
        self.languages.set_language("en" if self._lang == "ko" else "ko")
        self._apply(self._snapshot)

    def _stats(self) -> KioskStats:
        counter = self.counter_camera.stats()
        intervals = self.scanning.counter_view.paint_intervals_ms()
        paint_fps = 1000.0 / statistics.median(intervals) if intervals else 0.0
        stages: dict[str, list] = {}
        for timings in self._timings:
            for stage, ms in timings.items():
                stages.setdefault(stage, []).append(ms)
        return KioskStats(
            detection_fps=counter.processing_fps,
            capture_fps=counter.capture_fps,
            ui_fps=paint_fps,
            dropped_frames=counter.dropped_frames,
            stage_latency_ms={stage: statistics.median(v) for stage, v in stages.items()},
            backend=self.services.backend,
            models=[ModelFileInfo.from_sidecar(n, meta) for n, meta in self.services.model_files],
            face_pay_problem=self.services.face_pay_problem,
            interrupted_payments=tuple(self.services.interrupted_payments),
        )

    def _refresh_stats_overlay(self) -> None:
        if not self.scanning.stats.isVisible():
            return
        stats = self._stats()
        sample = self._sampler.sample()
        self.scanning.stats.setText(
            self.tr(
                "camera {camera:.1f} fps · detection {detection:.1f} fps · screen {ui:.1f} fps · "
                "CPU {cpu:.0f}% · RAM {ram:.1f} GB"
            ).format(
                camera=stats.capture_fps,
                detection=stats.detection_fps,
                ui=stats.ui_fps,
                cpu=sample.cpu_percent,
                ram=sample.process_rss_mb / 1024,
            )
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Self-checkout"))
        self._title.setText(self.tr("Self-checkout"))
        other = "en" if self._lang == "ko" else "ko"
        self._language_button.setText(LANGUAGE_NAMES[other])
        self._staff_button.setText(self.tr("Staff"))
        waiting = self.staff.call_waiting
        self._call_notice.setText(
            self.tr("Staff have been called and will be with you shortly.") if waiting else ""
        )
        self._backend_label.setText(self.tr("backend: {name}").format(name=self.services.backend))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
