"""Staff → Products → "Teach a product…": a new product learned from 3-10 photos.

Staff fill in SKU, name and price (and a barcode, scanned or typed), then add photos: shots
from the counter camera, guided one view at a time (front, back, top, sides, turned over, in a
hand), or image files. Each photo is checked as it comes (too small, blurred, nothing there);
with a shot of the empty counter, camera shots are cut out of the counter, which also refuses
a shot with several objects. That shot is kept: at checkout, what differs from it is a taught
product or an unknown item (``services.counter_items``). Teach stores the product and its photos
in one go, in a background job with a progress bar; the product is recognised from then on. A
refusal keeps everything entered, and nothing is stored half.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkout_app.core.money import parse_price_input
from checkout_app.products import photo_quality
from checkout_app.services.product_teaching import (
    MAX_TEACH_PHOTOS,
    MIN_TEACH_PHOTOS,
    NewProduct,
    TeachError,
    TeachResult,
    check_shot,
)
from checkout_app.ui import file_picker
from checkout_app.ui.frame_view import bgr_thumbnail
from checkout_app.ui.theme import ROLE_ERROR, ROLE_HINT, ROLE_PRIMARY, ROLE_TITLE, set_role
from checkout_app.ui.workers import JobQueue
from checkout_app.vision.image_files import IMAGE_SUFFIXES, ImageError, load_image_bgr

if TYPE_CHECKING:
    from checkout_app.services.product_teaching import ProductTeacher

log = logging.getLogger(__name__)

THUMBNAIL_PX = 88
# The views the guide asks for, in order; a product taught from several sides is recognised
# whichever way it lies on the counter.
SHOT_VIEWS = 10


class TeachDialog(QDialog):
    """Teach one product. ``counter_frame()`` gives the counter camera's newest BGR frame (None
    while it has none); without it only image files can be added. Emits ``taught(Product)``,
    and ``empty_counter_taken(image)`` once the teacher kept a new empty-counter shot (for the
    checkout's visit under way: the next ones read it from the teacher)."""

    taught = Signal(object)
    empty_counter_taken = Signal(object)
    _progress = Signal(int, int)  # photos encoded, from the job thread

    def __init__(
        self,
        teacher: ProductTeacher,
        counter_frame: Callable[[], np.ndarray | None] | None,
        parent: QWidget | None = None,
        *,
        barcode: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teach_dialog")
        self._teacher = teacher
        self._counter_frame = counter_frame
        self._photos: list[tuple[str, np.ndarray]] = []  # (source, usable image)
        self._teaching = False
        self._jobs = JobQueue("teach", self)
        self._jobs.failed.connect(self._on_job_failed)

        self.title_label = QLabel()
        set_role(self.title_label, ROLE_TITLE)
        self.sku_edit = QLineEdit()
        self.name_edit = QLineEdit()
        self.price_edit = QLineEdit()
        self.barcode_edit = QLineEdit(barcode)
        self._labels = [QLabel() for _ in range(4)]
        form = QGridLayout()
        for i, (label, edit) in enumerate(
            zip(self._labels, (self.sku_edit, self.barcode_edit, self.name_edit, self.price_edit))
        ):
            edit.setMinimumHeight(44)
            edit.textChanged.connect(self._update_buttons)
            form.addWidget(label, i // 2, (i % 2) * 2)
            form.addWidget(edit, i // 2, (i % 2) * 2 + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)

        self.guide_label = QLabel()
        self.guide_label.setWordWrap(True)
        self.photo_list = QListWidget()
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setFlow(QListView.Flow.LeftToRight)
        self.photo_list.setWrapping(False)
        self.photo_list.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        self.photo_list.setFixedHeight(THUMBNAIL_PX + 36)
        self.photo_list.setMovement(QListView.Movement.Static)
        self.photo_list.itemSelectionChanged.connect(self._update_buttons)

        self.empty_button = QPushButton()
        self.cutout_check = QCheckBox()
        self.cutout_check.setChecked(teacher.empty_counter is not None)
        self.shot_button = QPushButton()
        set_role(self.shot_button, ROLE_PRIMARY)
        self.files_button = QPushButton()
        self.remove_button = QPushButton()
        self.empty_button.clicked.connect(self._on_empty_clicked)
        self.shot_button.clicked.connect(self._on_shot_clicked)
        self.files_button.clicked.connect(self._on_files_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        shots = QHBoxLayout()
        for button in (self.empty_button, self.shot_button, self.files_button, self.remove_button):
            shots.addWidget(button)
        shots.addStretch(1)
        empty_row = QHBoxLayout()
        empty_row.addWidget(self.cutout_check)
        empty_row.addStretch(1)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self._progress.connect(self._on_progress)
        self.teach_button = QPushButton()
        set_role(self.teach_button, ROLE_PRIMARY)
        self.cancel_button = QPushButton()
        self.teach_button.clicked.connect(self._on_teach_clicked)
        self.cancel_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_bar, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.teach_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(form)
        layout.addWidget(self.guide_label)
        layout.addWidget(self.photo_list)
        layout.addLayout(shots)
        layout.addLayout(empty_row)
        layout.addWidget(self.message_label)
        layout.addLayout(bottom)
        self.setMinimumWidth(960)  # four photo buttons side by side; a 1024 px screen fits it
        self.retranslate()
        self._update_buttons()

    # ----- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Teach a product"))
        self.title_label.setText(self.tr("Teach a product"))
        texts = (self.tr("SKU"), self.tr("Barcode"), self.tr("Name"), self.tr("Price (won)"))
        for label, text in zip(self._labels, texts):
            label.setText(text)
        self.barcode_edit.setPlaceholderText(self.tr("scan or type (optional)"))
        self.price_edit.setPlaceholderText("1500")
        self.files_button.setText(self.tr("Add photos…"))
        self.remove_button.setText(self.tr("Remove photo"))
        self.shot_button.setText(self.tr("Take photo"))
        self.cutout_check.setText(self.tr("Cut the product out of the empty counter"))
        self.teach_button.setText(self.tr("Teach"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._show_guide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def view_text(self, index: int) -> str:
        """What the guide asks for as photo ``index`` (0-based)."""
        views = (
            self.tr("the front"),
            self.tr("the back"),
            self.tr("the top"),
            self.tr("the left side"),
            self.tr("the right side"),
            self.tr("turned over"),
            self.tr("in a hand"),
            self.tr("lying on its side"),
            self.tr("from an angle"),
            self.tr("closer, filling the picture"),
        )
        return views[min(index, SHOT_VIEWS - 1)]

    def problem_text(self, code: str) -> str:
        """A ``photo_quality`` problem in words staff can act on."""
        texts = {
            photo_quality.TOO_SMALL: self.tr("too small: move the camera closer"),
            photo_quality.NOTHING_THERE: self.tr("nothing there: put the product on the counter"),
            photo_quality.BLURRED: self.tr("blurred: hold the product and the camera still"),
            photo_quality.SEVERAL_OBJECTS: self.tr(
                "several objects: leave only this product on the counter"
            ),
        }
        return texts.get(code, code)

    def _show_guide(self) -> None:
        self.empty_button.setText(
            self.tr("Retake empty counter")
            if self._teacher.empty_counter is not None
            else self.tr("Take empty counter")
        )
        count = len(self._photos)
        if count >= MAX_TEACH_PHOTOS:
            text = self.tr("%1 photos: that is enough. Teach when the fields are filled in.")
            self.guide_label.setText(text.replace("%1", str(count)))
            return
        text = self.tr("Photo %1 of up to %2 (at least %3): show %4.")
        for placeholder, value in (
            ("%1", str(count + 1)),
            ("%2", str(MAX_TEACH_PHOTOS)),
            ("%3", str(MIN_TEACH_PHOTOS)),
            ("%4", self.view_text(count)),
        ):
            text = text.replace(placeholder, value)
        self.guide_label.setText(text)

    def _say(self, text: str, error: bool = False) -> None:
        set_role(self.message_label, ROLE_ERROR if error else ROLE_HINT)
        self.message_label.setText(text)

    # ----- photos ------------------------------------------------------------------------------

    @property
    def photos(self) -> list[tuple[str, np.ndarray]]:
        """The photos that will teach: (where it came from, the image kept)."""
        return list(self._photos)

    @property
    def photo_count(self) -> int:
        return len(self._photos)

    def add_photo(self, source: str, image: np.ndarray, from_camera: bool = False) -> bool:
        """Check a photo and keep it if it can teach; say why not otherwise."""
        if len(self._photos) >= MAX_TEACH_PHOTOS:
            text = self.tr("Already %1 photos: remove one to add another.")
            self._say(text.replace("%1", str(MAX_TEACH_PHOTOS)), error=True)
            return False
        cut = from_camera and self.cutout_check.isChecked()
        empty = self._teacher.empty_counter if cut else None
        if empty is not None and empty.shape != image.shape:
            self._say(self.tr("The camera changed: take the empty counter again."), error=True)
            return False
        shot = check_shot(image, empty)
        if shot.image is None:
            text = self.tr("%1 was not added: %2").replace("%1", source)
            self._say(text.replace("%2", self.problem_text(shot.problem)), error=True)
            return False
        self._photos.append((source, shot.image))
        item = QListWidgetItem(
            QIcon(bgr_thumbnail(shot.image, THUMBNAIL_PX)), str(len(self._photos))
        )
        item.setToolTip(source)
        self.photo_list.addItem(item)
        self.photo_list.scrollToItem(item)
        self._say(self.tr("%1 added.").replace("%1", source))
        self._show_guide()
        self._update_buttons()
        return True

    def _on_shot_clicked(self) -> None:
        frame = self._counter_frame() if self._counter_frame else None
        if frame is None:
            self._say(self.tr("No picture from the counter camera yet."), error=True)
            return
        source = self.tr("Photo %1").replace("%1", str(len(self._photos) + 1))
        self.add_photo(source, frame, from_camera=True)

    def _on_empty_clicked(self) -> None:
        """Keep the counter camera's picture now as the empty counter (for checkout too)."""
        frame = self._counter_frame() if self._counter_frame else None
        if frame is None:
            self._say(self.tr("No picture from the counter camera yet."), error=True)
            return
        try:
            self._teacher.set_empty_counter(frame)
        except OSError as exc:
            log.error("cannot keep the empty-counter shot: %s", exc)
            text = self.tr("The empty-counter shot was not kept: %1").replace("%1", str(exc))
            self._say(text, error=True)
            return
        self.empty_counter_taken.emit(frame)
        self.cutout_check.setChecked(True)
        self._say(
            self.tr(
                "Empty counter taken: products are cut out of it, here and at checkout. "
                "Take it again when the light or the camera changes."
            )
        )
        self._show_guide()
        self._update_buttons()

    def _on_files_clicked(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
        paths = file_picker.choose(
            self,
            self.tr("Choose photos of one product"),
            self.tr("Images (%1)").replace("%1", patterns),
            file_picker.PICTURES,
            many=True,
        )
        for path in paths:
            try:
                image = load_image_bgr(Path(path))
            except ImageError as exc:
                self._say(str(exc), error=True)
                continue
            if not self.add_photo(Path(path).name, image):
                break  # the message says why; the rest of the files wait for staff

    def _on_remove_clicked(self) -> None:
        rows = sorted((i.row() for i in self.photo_list.selectedIndexes()), reverse=True)
        for row in rows:
            del self._photos[row]
            self.photo_list.takeItem(row)
        for row in range(self.photo_list.count()):
            self.photo_list.item(row).setText(str(row + 1))
        self._show_guide()
        self._update_buttons()

    # ----- teaching ----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        idle = not self._teaching
        camera = self._counter_frame is not None
        room = len(self._photos) < MAX_TEACH_PHOTOS
        self.shot_button.setEnabled(idle and camera and room)
        self.empty_button.setEnabled(idle and camera)
        self.cutout_check.setEnabled(idle and camera and self._teacher.empty_counter is not None)
        self.files_button.setEnabled(idle and room)
        self.remove_button.setEnabled(idle and bool(self.photo_list.selectedIndexes()))
        filled = all(e.text().strip() for e in (self.sku_edit, self.name_edit, self.price_edit))
        self.teach_button.setEnabled(idle and filled and len(self._photos) >= MIN_TEACH_PHOTOS)
        for edit in (self.sku_edit, self.name_edit, self.price_edit, self.barcode_edit):
            edit.setReadOnly(not idle)

    def new_product(self) -> NewProduct | None:
        """The form as a new product, or None after saying what is wrong."""
        try:
            price = parse_price_input(self.price_edit.text())
        except ValueError:
            self._say(self.tr("A price is a whole, non-negative number of won, e.g. 1500."), True)
            return None
        barcode = self.barcode_edit.text().strip()
        new = NewProduct(
            self.sku_edit.text().strip(),
            self.name_edit.text().strip(),
            price,
            (barcode,) if barcode else (),
        )
        try:
            new.product()
        except ValueError as exc:
            self._say(str(exc), error=True)
            return None
        return new

    def _on_teach_clicked(self) -> None:
        new = self.new_product()
        if new is None:
            return
        self._teaching = True
        self._update_buttons()
        self.progress_bar.setRange(0, 0)  # busy until the first photo is encoded
        self.progress_bar.show()
        self._say(
            self.tr("Learning the product…")
            if self._teacher.models_loaded
            else self.tr("Loading the recognition models, then learning the product…")
        )
        images = list(self._photos)
        self._jobs.submit(partial(self._teach, new, images), self._on_taught)

    def _teach(self, new: NewProduct, images: list) -> TeachResult | TeachError:
        """In the job thread: a refusal comes back as the error, to be shown."""
        try:
            return self._teacher.teach(new, images, progress=self._progress.emit)
        except TeachError as exc:
            return exc

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(done)

    def _on_taught(self, outcome: TeachResult | TeachError) -> None:
        self._teaching = False
        self.progress_bar.hide()
        self._update_buttons()
        if isinstance(outcome, TeachError):
            self._say(str(outcome), error=True)
            return
        log.info("staff taught %s from %d photos", outcome.product.sku, outcome.photos)
        self.taught.emit(outcome.product)
        self.accept()

    def _on_job_failed(self, message: str) -> None:
        self._teaching = False
        self.progress_bar.hide()
        self._update_buttons()
        self._say(self.tr("Teaching failed, nothing was stored: %1").replace("%1", message), True)

    def done(self, result: int) -> None:
        if self._teaching:  # closing would drop the job's answer; it finishes in seconds
            return
        self._jobs.shutdown()
        super().done(result)
