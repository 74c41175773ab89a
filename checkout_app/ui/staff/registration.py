"""Staff page to register a shopper's face: guided poses from the face camera, or image files.

The page shows the live face camera with the face box, says which pose comes next (front →
right → down → left) and why a frame was not taken, and registers the person with a name, an
optional member id and their recorded consent. Every call into the EnrollmentFlow (detection,
embedding, the registry) runs in a ProcessingWorker thread, one job at a time, so the camera view
never stalls; the GUI thread only paints and reacts to results.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Union

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from checkout_app.faces.registry import Person, RegistryError, SameFaceError
from checkout_app.ui import file_picker, theme
from checkout_app.ui.frame_view import BoxLabel, FrameView
from checkout_app.ui.pose_indicator import PoseIndicator
from checkout_app.ui.workers import ProcessingWorker
from checkout_app.vision.image_files import IMAGE_SUFFIXES, ImageError

if TYPE_CHECKING:
    from checkout_app.camera.source import Frame
    from checkout_app.services.enrollment_flow import EnrollmentFlow, EnrollmentStep

log = logging.getLogger(__name__)

_GOOD_CODES = ("accepted", "done")
PANEL_MAX_WIDTH_PX = 560  # the camera view gets the rest of the width


def feedback_text(code: str, pose_needed: str | None) -> str:
    """The one line telling the person what to change (or that the frame was good).

    The only place that turns an EnrollmentStep code into words; the context is the page's so
    the translations sit with its other texts.
    """
    texts = {
        "no_face": QCoreApplication.translate(
            "RegistrationPage", "No face found — look at the camera"
        ),
        "many_faces": QCoreApplication.translate("RegistrationPage", "Only one person please"),
        "too_small": QCoreApplication.translate("RegistrationPage", "Move closer"),
        "too_blurry": QCoreApplication.translate("RegistrationPage", "Hold still — too blurry"),
        "too_dark": QCoreApplication.translate(
            "RegistrationPage", "Too dark — more light on the face"
        ),
        "too_bright": QCoreApplication.translate(
            "RegistrationPage", "Too bright — move out of the glare"
        ),
        "accepted": QCoreApplication.translate("RegistrationPage", "Good — hold that pose"),
        "done": QCoreApplication.translate("RegistrationPage", "All poses captured"),
    }
    if code == "wrong_pose":
        return _wrong_pose_text(pose_needed)
    if code not in texts:
        log.warning("no text for enrollment code %r", code)
        return QCoreApplication.translate("RegistrationPage", "Adjust your position")
    return texts[code]


def _wrong_pose_text(pose_needed: str | None) -> str:
    texts = {
        "front": QCoreApplication.translate("RegistrationPage", "Look straight at the camera"),
        "right": QCoreApplication.translate("RegistrationPage", "Turn a little more to your right"),
        "down": QCoreApplication.translate("RegistrationPage", "Tilt your head down a little more"),
        "left": QCoreApplication.translate("RegistrationPage", "Turn a little more to your left"),
    }
    return texts.get(pose_needed or "", texts["front"])


def pose_instruction(pose_needed: str | None) -> str:
    """The big instruction for the pose asked for next (None: every pose is collected)."""
    texts = {
        "front": QCoreApplication.translate("RegistrationPage", "Look straight at the camera"),
        "right": QCoreApplication.translate("RegistrationPage", "Turn your head to your right"),
        "down": QCoreApplication.translate("RegistrationPage", "Tilt your head down"),
        "left": QCoreApplication.translate("RegistrationPage", "Turn your head to your left"),
    }
    if pose_needed is None:
        return QCoreApplication.translate("RegistrationPage", "Done — fill in the form below")
    return texts[pose_needed]


# Jobs for the worker thread, and what they give back. The page keeps one job in flight at a
# time, so the flow is only ever used by one thread at once.
@dataclass(frozen=True, eq=False)
class _OfferJob:
    image: np.ndarray
    generation: int  # a restart bumps the page's generation; older results are ignored


@dataclass(frozen=True)
class _RegisterJob:
    register: Callable[[bool], Person]  # called with "staff confirmed a look-alike"
    from_images: bool
    same_face_confirmed: bool = False


@dataclass(frozen=True)
class _RestartJob:
    pass


_Job = Union[_OfferJob, _RegisterJob, _RestartJob]


@dataclass(frozen=True)
class _Offered:
    step: EnrollmentStep | None  # None: the face check raised (logged)
    generation: int


@dataclass(frozen=True)
class _Registered:
    person: Person | None
    # The registry's or the image loader's message; None with person None for an unexpected
    # failure (logged).
    error: str | None
    from_images: bool
    # The face is someone already registered: this job, to run again once staff confirm.
    same_face: _RegisterJob | None = None


class RegistrationPage(QWidget):
    """Guided face registration; emits ``person_registered(Person)`` after each success.

    The owner feeds face-camera frames to :meth:`show_face_frame` and calls :meth:`shutdown`
    before the application ends (it is also connected to ``aboutToQuit``).
    """

    person_registered = Signal(object)

    def __init__(self, flow: EnrollmentFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flow = flow
        # What to ask for before the first frame is checked (and after each start over).
        self._first_step: EnrollmentStep = flow.step
        self._step: EnrollmentStep | None = None  # None: no frame checked since the last start
        self._generation = 0
        self._in_flight = False
        self._queued: _Job | None = None
        self._registering = False
        self._seen_frame = False
        # The last registration's outcome: a function giving its text (so a language switch
        # re-translates it) and whether it is an error.
        self._status: tuple = (str, None)

        # ProcessingWorker.run is a loop that owns its thread; submit() is thread-safe.
        self._worker = ProcessingWorker(self._run_job)
        self._worker.result.connect(self._on_result)
        self._thread = QThread()
        self._thread.setObjectName("registration")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self._build()
        self.retranslate()

    # ---- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self._view = FrameView(self, mirrored=True)
        self._view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self._title = QLabel(self)
        theme.set_role(self._title, theme.ROLE_TITLE)
        self._pose_indicator = PoseIndicator(self)
        self._instruction = QLabel(self)
        self._instruction.setStyleSheet(
            f"font-size: {theme.TITLE_FONT_PT - 4}pt; font-weight: bold;"
        )
        self._instruction.setWordWrap(True)
        self._feedback = QLabel(self)
        self._feedback.setWordWrap(True)
        self._progress_text = QLabel(self)
        self._progress = QProgressBar(self)
        self._progress.setTextVisible(False)

        guide = QHBoxLayout()
        guide.addWidget(self._pose_indicator)
        words = QVBoxLayout()
        words.addWidget(self._instruction)
        words.addWidget(self._feedback)
        guide.addLayout(words, 1)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self._progress_text)
        progress_row.addWidget(self._progress, 1)

        self._name = QLineEdit(self)
        self._member_id = QLineEdit(self)
        self._name_label = QLabel(self)
        self._member_label = QLabel(self)
        self._consent = QCheckBox(self)
        # A check box cannot wrap its text: the short label goes on it, the terms below it.
        self._consent_text = QLabel(self)
        theme.set_role(self._consent_text, theme.ROLE_HINT)
        self._consent_text.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self._name_label, self._name)
        form.addRow(self._member_label, self._member_id)

        self._register = QPushButton(self)
        theme.set_role(self._register, theme.ROLE_PRIMARY)
        self._start_over = QPushButton(self)
        self._from_files = QPushButton(self)  # the second way in: a link, not a big button
        theme.set_role(self._from_files, theme.ROLE_LINK)
        buttons = QHBoxLayout()
        buttons.addWidget(self._register, 2)
        buttons.addWidget(self._start_over, 1)
        self._hint = QLabel(self)
        theme.set_role(self._hint, theme.ROLE_HINT)
        self._hint.setWordWrap(True)
        self._message = QLabel(self)
        self._message.setWordWrap(True)

        # The guide and the form scroll on a short screen; what staff act on (the result,
        # what is still needed, Register) stays in view at the bottom of the card.
        card = QFrame(self)
        theme.set_role(card, theme.ROLE_CARD)
        card.setMaximumWidth(PANEL_MAX_WIDTH_PX)
        fields = QWidget()
        fields.setObjectName("registration_fields")
        line = QFrame(fields)
        line.setFrameShape(QFrame.Shape.HLine)
        upper = QVBoxLayout(fields)
        upper.setContentsMargins(0, 0, 8, 0)
        upper.addWidget(self._title)
        upper.addLayout(guide)
        upper.addLayout(progress_row)
        upper.addWidget(line)
        upper.addLayout(form)
        upper.addWidget(self._consent)
        upper.addWidget(self._consent_text)
        upper.addStretch(1)
        scroll = QScrollArea(card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet(theme.TRANSPARENT_SCROLL)
        scroll.setMinimumHeight(80)  # below the scroll bar's own minimum: fits 600 px screens
        scroll.setWidget(fields)
        panel = QVBoxLayout(card)
        panel.setContentsMargins(20, 16, 20, 16)
        panel.addWidget(scroll, 1)
        panel.addWidget(self._message)
        panel.addWidget(self._hint)
        panel.addLayout(buttons)
        panel.addWidget(self._from_files, 0, Qt.AlignmentFlag.AlignLeft)

        # Object names: how tests (and style sheets) find what staff see and use.
        for name in (
            "view",
            "instruction",
            "feedback",
            "progress_text",
            "progress",
            "name",
            "member_id",
            "consent",
            "register",
            "start_over",
            "from_files",
            "hint",
            "message",
        ):
            getattr(self, f"_{name}").setObjectName(name)

        root = QHBoxLayout(self)
        root.addWidget(self._view, 1)
        root.addWidget(card)

        self._name.textChanged.connect(self._update_buttons)
        self._consent.toggled.connect(self._update_buttons)
        self._register.clicked.connect(self._on_register_clicked)
        self._start_over.clicked.connect(self._on_start_over_clicked)
        self._from_files.clicked.connect(self._on_from_files_clicked)

    def retranslate(self) -> None:
        self._title.setText(self.tr("Register a shopper"))
        self._name_label.setText(self.tr("Name"))
        self._member_label.setText(self.tr("Member ID"))
        self._name.setPlaceholderText(self.tr("Shown when they pay"))
        self._member_id.setPlaceholderText(self.tr("Optional"))
        self._consent.setText(self.tr("The shopper agrees"))
        self._consent_text.setText(
            self.tr(
                "Their face data is stored encrypted on this store's system, used only to pay"
                " by face, and deleted whenever they ask."
            )
        )
        self._register.setText(self.tr("Register"))
        self._start_over.setText(self.tr("Start over"))
        self._from_files.setText(self.tr("Register from image files…"))
        if not self._seen_frame:
            self._view.set_message(self.tr("Waiting for the face camera…"))
        self._refresh_guidance()
        self._update_buttons()
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- frames -------------------------------------------------------------------------
    @Slot(object)
    def show_face_frame(self, frame: Frame) -> None:
        """Paint a face-camera frame; offer it to the flow when nothing else is being worked on.

        Frames are ignored while the page is hidden, so a face camera that feeds several pages
        costs nothing here.
        """
        if not self.isVisible():
            return
        if not self._seen_frame:
            self._seen_frame = True
            self._view.set_message("")
        self._view.set_frame(frame.image, self._face_boxes())
        if not self._all_poses_done() and not self._registering:
            self._dispatch(_OfferJob(frame.image, self._generation))

    @Slot(str)
    def set_camera_message(self, text: str | None) -> None:
        """Show why the face camera is unavailable over the view (empty or None hides it)."""
        self._view.set_message(text)

    def _face_boxes(self) -> list:
        step = self._step
        if step is None or step.face_box is None or step.done:
            return []
        colour = theme.SUCCESS if step.code in _GOOD_CODES else theme.PAY
        text = feedback_text(step.code, step.pose_needed)
        return [BoxLabel(tuple(step.face_box), text, colour)]

    def _all_poses_done(self) -> bool:
        return self._step is not None and self._step.done

    # ---- the worker ---------------------------------------------------------------------
    def _dispatch(self, job: _Job) -> None:
        """Hand ``job`` to the worker, or keep a registration/restart job until it is free.

        A frame is dropped while something runs: the next frame will be newer anyway.
        """
        if self._in_flight:
            if not isinstance(job, _OfferJob):
                self._queued = job
            return
        self._in_flight = True
        self._worker.submit(job)

    def _run_job(self, job: _Job) -> object:
        """Runs in the worker thread: the only place that calls into the flow.

        It never raises: every outcome, failures included, comes back as a result (the jobs
        are not camera Frames, which the worker's own error report expects).
        """
        if isinstance(job, _RegisterJob):
            return self._run_registration(job)
        try:
            if isinstance(job, _OfferJob):
                return _Offered(self._flow.offer(job.image), job.generation)
            self._flow.restart()
        except Exception:
            log.exception("the enrollment flow failed (%s)", type(job).__name__)
            if isinstance(job, _OfferJob):
                return _Offered(None, job.generation)
        return job

    def _run_registration(self, job: _RegisterJob) -> _Registered:
        try:
            person = job.register(job.same_face_confirmed)
        except SameFaceError as exc:
            return _Registered(None, str(exc), job.from_images, same_face=job)
        except (RegistryError, ImageError) as exc:
            return _Registered(None, str(exc), job.from_images)
        except Exception:  # a database or model failure: report it, keep the form
            log.exception("registering a person failed")
            return _Registered(None, None, job.from_images)
        return _Registered(person, None, job.from_images)

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self._in_flight = False
        if isinstance(result, _Offered):
            if result.generation == self._generation:
                self._on_offered(result.step)
        elif isinstance(result, _Registered):
            self._on_registered(result)
        queued, self._queued = self._queued, None
        if queued is not None:
            self._dispatch(queued)

    def _on_offered(self, step: EnrollmentStep | None) -> None:
        if step is None:
            self._feedback.setText(self.tr("Face check failed — trying again"))
            self._show_feedback_colour(good=False)
            return
        self._step = step
        self._refresh_guidance()
        self._update_buttons()

    # ---- buttons ------------------------------------------------------------------------
    def _form_values(self) -> tuple:
        member_id = self._member_id.text().strip() or None
        return self._name.text().strip(), member_id, self._consent.isChecked()

    @Slot()
    def _on_register_clicked(self) -> None:
        name, member_id, consent = self._form_values()
        flow = self._flow
        self._start_registration(
            _RegisterJob(
                lambda confirmed: flow.finish(name, member_id, consent, confirmed),
                from_images=False,
            )
        )

    @Slot()
    def _on_from_files_clicked(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
        files = file_picker.choose(
            self,
            self.tr("Choose photos of one person"),
            self.tr("Images (%1)").replace("%1", patterns),
            file_picker.PICTURES,
            many=True,
        )
        if not files:
            return
        paths = [Path(f) for f in files]
        name, member_id, consent = self._form_values()
        flow = self._flow
        self._start_registration(
            _RegisterJob(
                lambda confirmed: flow.enroll_images(paths, name, member_id, consent, confirmed),
                from_images=True,
            )
        )

    def _start_registration(self, job: _RegisterJob) -> None:
        self._registering = True
        self._set_status(lambda: self.tr("Registering…"), None)
        self._update_buttons()
        self._dispatch(job)

    def _on_registered(self, result: _Registered) -> None:
        self._registering = False
        person = result.person
        if result.same_face is not None and self._confirm_look_alike(result.error or ""):
            self._start_registration(replace(result.same_face, same_face_confirmed=True))
            return
        if person is None:
            error = result.error

            def text() -> str:
                detail = error or self.tr("the database could not be written; see the log")
                return self.tr("Could not register: %1").replace("%1", detail)

            self._set_status(text, theme.ROLE_ERROR)
            if result.from_images:
                QMessageBox.warning(self, self.tr("Register from image files"), text())
            self._update_buttons()
            return
        self._name.clear()
        self._member_id.clear()
        self._consent.setChecked(False)
        self._reset_guidance()
        if result.from_images:
            # finish() starts the poses over itself; after registering from files the form is
            # cleared for the next person, so the poses start over too.
            self._dispatch(_RestartJob())
        name = person.display_name
        self._set_status(
            lambda: self.tr("%1 is registered.").replace("%1", name), theme.ROLE_SUCCESS
        )
        self.person_registered.emit(person)

    def _confirm_look_alike(self, detail: str) -> bool:
        """Staff say whether the registered look-alike is really another person."""
        answer = QMessageBox.question(
            self,
            self.tr("Register a face"),
            self.tr(
                "%1\n\nRegister anyway only if they are two different people (twins, for "
                "example): otherwise the person already registered can no longer pay by face."
            ).replace("%1", detail),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def _on_start_over_clicked(self) -> None:
        self._reset_guidance()
        self._set_status(str, None)
        self._dispatch(_RestartJob())

    def _reset_guidance(self) -> None:
        # The flow restarts in the worker (after a registration, or queued as a job); results
        # of frames offered before that are ignored by their generation.
        self._generation += 1
        self._step = None
        self._refresh_guidance()
        self._update_buttons()

    # ---- state -> widgets ---------------------------------------------------------------
    def _refresh_guidance(self) -> None:
        step = self._step
        pose = (step or self._first_step).pose_needed
        done = 0 if step is None else step.poses_done
        total = self._first_step.poses_total
        self._pose_indicator.set_pose(pose)
        self._instruction.setText(pose_instruction(pose))
        if step is None:
            self._feedback.setText("")
        else:
            self._feedback.setText(feedback_text(step.code, step.pose_needed))
        self._show_feedback_colour(step is not None and step.code in _GOOD_CODES)
        current = total if done >= total else done + 1
        self._progress_text.setText(
            self.tr("Pose %1/%2").replace("%1", str(current)).replace("%2", str(total))
        )
        self._progress.setRange(0, total)
        self._progress.setValue(done)

    def _missing(self) -> list:
        name, _, consent = self._form_values()
        missing = []
        if not self._all_poses_done():
            missing.append(self.tr("all four poses"))
        if not name:
            missing.append(self.tr("a name"))
        if not consent:
            missing.append(self.tr("the shopper's consent"))
        return missing

    @Slot()
    def _update_buttons(self) -> None:
        name, _, consent = self._form_values()
        idle = not self._registering
        self._register.setEnabled(idle and not self._missing())
        self._from_files.setEnabled(idle and bool(name) and consent)
        self._start_over.setEnabled(idle)
        self._name.setEnabled(idle)
        self._member_id.setEnabled(idle)
        self._consent.setEnabled(idle)
        missing = self._missing() if idle else []  # while registering, the status says it
        self._hint.setText(
            self.tr("Still needed: %1").replace("%1", ", ".join(missing)) if missing else ""
        )
        self._hint.setVisible(bool(missing))

    def _show_feedback_colour(self, good: bool) -> None:
        # A coloured chip: green once a frame is taken, amber while something must change.
        if not self._feedback.text():
            self._feedback.setStyleSheet("")
            return
        background = theme.SUCCESS if good else theme.PAY
        self._feedback.setStyleSheet(
            f"background-color: {background}; color: {theme.text_colour_on(background)};"
            " border-radius: 10px; padding: 8px 14px; font-weight: bold;"
        )

    def _set_status(self, text: Callable[[], str], role: str | None) -> None:
        """``text`` is called again when the language changes; ``role``: error, success."""
        self._status = (text, role)
        self._show_status()

    def _show_status(self) -> None:
        text, role = self._status
        self._message.setText(text())
        self._message.setVisible(bool(self._message.text()))
        theme.set_role(self._message, role)

    # ---- lifetime -----------------------------------------------------------------------
    @Slot()
    def shutdown(self) -> None:
        """Stop the worker thread (waits for the job in progress); safe to call twice."""
        self._worker.request_stop()
        self._thread.wait()
