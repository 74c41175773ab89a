"""RegistrationPage: guided poses with a scripted flow, registration outcomes, image files, and
one run with the real MTCNN + FaceNet on the shared photos."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from checkout_app.camera.source import Frame
from checkout_app.faces import quality
from checkout_app.faces.registry import DuplicatePersonError, Person, SameFaceError
from checkout_app.paths import DEMO_FACE_PHOTO
from checkout_app.services.enrollment_flow import EnrollmentStep
from checkout_app.ui import file_picker
from checkout_app.ui.staff.registration import RegistrationPage, feedback_text
from checkout_app.vision.image_files import ImageError

FACES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "faces"
ASTRONAUT = DEMO_FACE_PHOTO
ASTRONAUT_FACE = (178.0, 60.0, 268.0, 174.0)  # MTCNN's box on that photo
POSES = ("front", "right", "down", "left")


def step(code: str, poses_done: int, box=ASTRONAUT_FACE) -> EnrollmentStep:
    pose = POSES[poses_done] if poses_done < len(POSES) else None
    accepted = code in ("accepted", "done")
    return EnrollmentStep(accepted, code, pose, poses_done, len(POSES), box)


# Every frame the flow sees, in order: a few problems, then one good frame per pose.
SCRIPT = [
    step("no_face", 0, None),
    step("too_small", 0),
    step("accepted", 0),
    step("accepted", 1),  # front done: "right" needed now
    step("wrong_pose", 1),
    step("accepted", 2),
    step("accepted", 3),
    step("done", 4),
]


class ScriptedFlow:
    """Stands in for EnrollmentFlow: answers offers from a script and records every call."""

    def __init__(self, script=SCRIPT) -> None:
        self.script = list(script)
        self.offers = 0
        self.calls: list = []
        self.threads: set = set()
        self.at_once = self.most_at_once = 0  # offers running together
        self.finish_error: Exception | None = None
        self.images_error: Exception | None = None
        self.step = EnrollmentStep(False, "no_face", "front", 0, len(POSES), None)

    def offer(self, image):
        self.threads.add(threading.current_thread())
        self.at_once += 1
        self.most_at_once = max(self.most_at_once, self.at_once)
        time.sleep(0.002)  # long enough for a second offer to overlap, were one let in
        self.step = self.script[min(self.offers, len(self.script) - 1)]
        self.offers += 1
        self.at_once -= 1
        return self.step

    def finish(self, name, member_id, consent, same_face_confirmed=False):
        self.threads.add(threading.current_thread())
        self.calls.append(
            ("finish", name, member_id, consent) + ("confirmed",) * same_face_confirmed
        )
        if self.finish_error is not None and not (
            same_face_confirmed and isinstance(self.finish_error, SameFaceError)
        ):
            raise self.finish_error
        return person(name, member_id)

    def enroll_images(self, paths, name, member_id, consent, same_face_confirmed=False):
        self.calls.append(("enroll_images", [Path(p).name for p in paths], name, member_id))
        if self.images_error is not None:
            raise self.images_error
        return person(name, member_id)

    def restart(self):
        self.calls.append(("restart",))
        self.offers = 0


def person(name: str, member_id: str | None) -> Person:
    return Person(7, name, member_id, None, None, POSES)


@pytest.fixture
def frame() -> Frame:
    image = cv2.imread(str(ASTRONAUT))
    return Frame(image, 0.0, 0)


@pytest.fixture
def flow() -> ScriptedFlow:
    return ScriptedFlow()


@pytest.fixture
def page(qtbot, flow):
    widget = RegistrationPage(flow)
    qtbot.addWidget(widget)
    widget.resize(1200, 720)
    widget.show()
    yield widget
    widget.shutdown()


def child(page, name: str) -> QWidget:
    """The page's widget of that object name (what staff see, found without private names)."""
    found = page.findChild(QWidget, name)
    assert found is not None, name
    return found


def drawn_labels(page) -> list:
    """The labels of the boxes drawn over the face camera's picture."""
    return [box.text for box in child(page, "view").boxes()]


def feed(qtbot, page, frame, until, timeout_ms=3000) -> None:
    """Send frames like a camera until ``until()`` holds."""

    def offered_and_done() -> bool:
        if until():
            return True
        page.show_face_frame(frame)
        return False

    qtbot.waitUntil(offered_and_done, timeout=timeout_ms)


def fill_form(page, name="  Alice Kim ", member_id="M-100", consent=True) -> None:
    child(page, "name").setText(name)
    child(page, "member_id").setText(member_id)
    child(page, "consent").setChecked(consent)


def complete_poses(qtbot, page, flow, frame) -> None:
    progress = child(page, "progress")
    feed(qtbot, page, frame, lambda: progress.value() == progress.maximum())


@pytest.mark.parametrize(
    ("code", "pose", "text"),
    [
        ("too_small", "front", "Move closer"),
        ("too_dark", "front", "Too dark — more light on the face"),
        ("many_faces", "left", "Only one person please"),
        ("too_blurry", "down", "Hold still — too blurry"),
        ("wrong_pose", "right", "Turn a little more to your right"),
        ("wrong_pose", "left", "Turn a little more to your left"),
        ("wrong_pose", "down", "Tilt your head down a little more"),
        ("accepted", "right", "Good — hold that pose"),
        ("something_new", "front", "Adjust your position"),
    ],
)
def test_feedback_text(code, pose, text):
    assert feedback_text(code, pose) == text


def test_every_quality_code_has_its_own_text():
    codes = [
        quality.NO_FACE, quality.MANY_FACES, quality.TOO_SMALL,
        quality.TOO_BLURRY, quality.TOO_DARK, quality.TOO_BRIGHT,
    ]  # fmt: skip
    texts = {feedback_text(code, "front") for code in codes}
    assert len(texts) == len(codes) and "Adjust your position" not in texts


def test_guidance_follows_the_flow_through_four_poses(qtbot, page, flow, frame):
    assert child(page, "progress_text").text() == "Pose 1/4"
    assert child(page, "instruction").text() == "Look straight at the camera"
    assert child(page, "view").message() == "Waiting for the face camera…"
    feed(qtbot, page, frame, lambda: drawn_labels(page) == ["Move closer"])
    assert child(page, "view").message() == ""
    assert child(page, "view").boxes()[0].xyxy == ASTRONAUT_FACE
    feed(
        qtbot,
        page,
        frame,
        lambda: child(page, "feedback").text() == "Turn a little more to your right",
    )
    assert child(page, "progress_text").text() == "Pose 2/4"
    assert child(page, "instruction").text() == "Turn your head to your right"
    assert child(page, "feedback").text() == "Turn a little more to your right"
    assert not child(page, "register").isEnabled()
    complete_poses(qtbot, page, flow, frame)
    assert child(page, "progress_text").text() == "Pose 4/4"
    assert child(page, "progress").value() == child(page, "progress").maximum() == 4
    page.show_face_frame(frame)
    assert drawn_labels(page) == []  # every pose is in: no more box over the face
    assert child(page, "hint").text() == "Still needed: a name, the shopper's consent"
    assert not child(page, "register").isEnabled()
    child(page, "name").setText("Alice")
    assert not child(page, "register").isEnabled()  # consent still missing
    child(page, "consent").setChecked(True)
    assert child(page, "register").isEnabled() and child(page, "hint").text() == ""
    # Offers ran in the worker thread, one at a time, and stop once every pose is in.
    assert threading.main_thread() not in flow.threads
    assert flow.most_at_once == 1
    offers = flow.offers
    for _ in range(5):
        page.show_face_frame(frame)
        qtbot.wait(5)
    assert flow.offers == offers


def test_register_finishes_with_the_form_and_emits_the_person(qtbot, page, flow, frame):
    complete_poses(qtbot, page, flow, frame)
    fill_form(page)
    with qtbot.waitSignal(page.person_registered) as signal:
        child(page, "register").click()
        assert (
            not child(page, "register").isEnabled()
            and child(page, "message").text() == "Registering…"
        )
    assert flow.calls == [("finish", "Alice Kim", "M-100", True)]
    assert threading.main_thread() not in flow.threads
    assert signal.args[0].display_name == "Alice Kim"
    assert child(page, "message").text() == "Alice Kim is registered."
    assert (
        child(page, "name").text(),
        child(page, "member_id").text(),
        child(page, "consent").isChecked(),
    ) == (
        "",
        "",
        False,
    )
    assert (
        child(page, "progress_text").text() == "Pose 1/4"
        and not child(page, "register").isEnabled()
    )


def test_an_empty_member_id_is_none(qtbot, page, flow, frame):
    complete_poses(qtbot, page, flow, frame)
    fill_form(page, name="Bob", member_id="   ")
    with qtbot.waitSignal(page.person_registered):
        child(page, "register").click()
    assert flow.calls == [("finish", "Bob", None, True)]


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            DuplicatePersonError("a person named 'Alice Kim' is already registered"),
            "Could not register: a person named 'Alice Kim' is already registered",
        ),
        (
            OSError("database is locked"),
            "Could not register: the database could not be written; see the log",
        ),
    ],
)
def test_a_failed_registration_keeps_the_form(qtbot, page, flow, frame, error, shown):
    complete_poses(qtbot, page, flow, frame)
    fill_form(page)
    flow.finish_error = error
    with qtbot.assertNotEmitted(page.person_registered):
        child(page, "register").click()
        qtbot.waitUntil(lambda: child(page, "message").text() == shown)
    assert child(page, "message").property("role") == "error"
    assert (
        child(page, "name").text() == "  Alice Kim " and child(page, "member_id").text() == "M-100"
    )
    assert child(page, "consent").isChecked() and child(page, "register").isEnabled()
    assert child(page, "progress_text").text() == "Pose 4/4"  # the collected poses are kept


@pytest.mark.parametrize("staff_say", ["yes", "no"])
def test_a_face_already_registered_asks_staff_before_registering(
    qtbot, page, flow, frame, monkeypatch, staff_say
):
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        yes = QMessageBox.StandardButton.Yes
        return yes if staff_say == "yes" else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    complete_poses(qtbot, page, flow, frame)
    fill_form(page)
    flow.finish_error = SameFaceError("Alice Kim", person("Ann Kim", None))
    if staff_say == "yes":
        with qtbot.waitSignal(page.person_registered) as signal:
            child(page, "register").click()
        assert signal.args[0].display_name == "Alice Kim"
        assert flow.calls[-1] == ("finish", "Alice Kim", "M-100", True, "confirmed")
    else:
        with qtbot.assertNotEmitted(page.person_registered):
            child(page, "register").click()
            qtbot.waitUntil(
                lambda: "already registered as 'Ann Kim'" in child(page, "message").text()
            )
        assert all("confirmed" not in call for call in flow.calls)
    assert len(asked) == 1 and "twins" in asked[0] and "Ann Kim" in asked[0]


def test_image_files_error_is_shown_with_the_file_name(qtbot, page, flow, monkeypatch):
    files = ["/photos/alice1.jpg", "/photos/broken.jpg"]
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: files)
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text: warnings.append(text))
    )
    flow.images_error = ImageError(
        "cannot enroll: /photos/broken.jpg is not a readable image (corrupt or unsupported format)"
    )
    assert not child(page, "from_files").isEnabled()  # no name or consent yet
    fill_form(page)
    assert child(page, "from_files").isEnabled()
    with qtbot.assertNotEmitted(page.person_registered):
        child(page, "from_files").click()
        qtbot.waitUntil(lambda: bool(warnings))
    assert flow.calls == [("enroll_images", ["alice1.jpg", "broken.jpg"], "Alice Kim", "M-100")]
    assert "broken.jpg is not a readable image" in warnings[0]
    assert child(page, "name").text() == "  Alice Kim "


def test_image_files_register_and_start_the_poses_over(qtbot, page, flow, frame, monkeypatch):
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: ["/p/a.jpg"])
    feed(qtbot, page, frame, lambda: child(page, "progress_text").text() == "Pose 2/4")
    fill_form(page, member_id="")
    with qtbot.waitSignal(page.person_registered):
        child(page, "from_files").click()
    # The restart runs in the worker thread after the person is registered.
    expected = [("enroll_images", ["a.jpg"], "Alice Kim", None), ("restart",)]
    qtbot.waitUntil(lambda: flow.calls == expected, timeout=2000)
    qtbot.waitUntil(lambda: child(page, "progress_text").text() == "Pose 1/4", timeout=2000)


def test_cancelled_file_dialog_does_nothing(qtbot, page, flow, monkeypatch):
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: [])
    fill_form(page)
    child(page, "from_files").click()
    qtbot.wait(20)
    assert flow.calls == [] and child(page, "message").text() == ""


def test_start_over_restarts_the_flow_and_the_guidance(qtbot, page, flow, frame):
    feed(qtbot, page, frame, lambda: child(page, "progress_text").text() == "Pose 3/4")
    child(page, "start_over").click()
    assert (
        child(page, "progress_text").text() == "Pose 1/4" and child(page, "feedback").text() == ""
    )
    qtbot.waitUntil(lambda: ("restart",) in flow.calls)
    feed(
        qtbot, page, frame, lambda: child(page, "feedback").text() == "Move closer"
    )  # script from 0


def test_camera_message_overlays_the_view(page):
    page.set_camera_message("Face camera unavailable — retrying")
    assert child(page, "view").message() == "Face camera unavailable — retrying"
    page.set_camera_message("")
    assert child(page, "view").message() == ""


def test_hidden_page_ignores_frames(qtbot, page, flow, frame):
    page.hide()
    for _ in range(3):
        page.show_face_frame(frame)
    qtbot.wait(20)
    assert flow.offers == 0


def register_button(page) -> QPushButton:
    (found,) = [b for b in page.findChildren(QPushButton) if b.text() == "Register"]
    return found


def test_screenshot(qtbot, flow, frame, themed, screenshot):
    """Renders with the kiosk theme."""
    page = RegistrationPage(flow)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    try:
        feed(
            qtbot,
            page,
            frame,
            lambda: child(page, "feedback").text() == "Turn a little more to your right",
        )
        child(page, "name").setText("Eileen Collins")
        screenshot(page, "staff_registration_pose.png")
        assert not register_button(page).isEnabled()  # poses still needed
        complete_poses(qtbot, page, flow, frame)
        child(page, "consent").setChecked(True)
        picture = screenshot(page, "staff_registration_done.png")
        assert (picture.width(), picture.height()) == (1280, 760)
        assert register_button(page).isEnabled()
    finally:
        page.shutdown()


@pytest.mark.integration
def test_real_models_register_from_photos_and_check_a_camera_frame(
    qtbot, tmp_path, monkeypatch, frame
):
    """Real MTCNN + FaceNet (converted offline) and a real registry in a temporary database."""
    if not (FACES_DIR / "train").is_dir():
        pytest.skip(f"shared face photos not found at {FACES_DIR} (only in the workspace and CI)")
    import torch

    from checkout_app.backends.facenet_convert import prepare_facenet_weights
    from checkout_app.backends.facenet_torch import load_torch_embedder
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.faces.embedding_cipher import EmbeddingCipher
    from checkout_app.faces.pipeline import FacePipeline
    from checkout_app.faces.registry import FaceRegistry
    from checkout_app.services.enrollment_flow import EnrollmentFlow
    from checkout_app.storage.db import open_database
    from checkout_app.storage.face_repository import FaceRepository

    # One torch thread: on a small shared machine torch's spinning threads slow FaceNet 30x.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))  # the converted weights only
    prepare_facenet_weights(tmp_path)
    pipeline = FacePipeline(MtcnnFaceDetector(), load_torch_embedder(tmp_path))
    repository = FaceRepository(
        open_database(f"sqlite:///{tmp_path / 'faces.db'}"), EmbeddingCipher.for_home(tmp_path)
    )
    registry = FaceRegistry(repository, pipeline.embedder.name)
    page = RegistrationPage(EnrollmentFlow(pipeline, registry))
    qtbot.addWidget(page)
    page.show()
    photos = sorted(str(p) for p in (FACES_DIR / "train" / "obama").iterdir())
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: photos)
    try:
        # A real camera frame: the astronaut photo faces the camera, so "front" is accepted.
        feed(qtbot, page, frame, lambda: bool(drawn_labels(page)), timeout_ms=20000)
        assert drawn_labels(page) == ["Good — hold that pose"]  # the face, boxed and accepted
        fill_form(page, name="Barack Obama", member_id="M-44")
        with qtbot.waitSignal(page.person_registered, timeout=20000) as signal:
            child(page, "from_files").click()
    finally:
        page.shutdown()
        torch.set_num_threads(threads)
    registered = signal.args[0]
    assert registered.template_labels == ("image", "image")
    assert [p.display_name for p in registry.people()] == ["Barack Obama"]
    other = cv2.imread(str(FACES_DIR / "train" / "obama" / "obama2.jpg"))
    [result] = pipeline.identify(other, registry)
    assert result.person_name == "Barack Obama"
    assert np.isfinite(result.match.distance)


def test_a_failing_face_check_is_shown_and_the_next_frame_tried(qtbot, page, flow, frame):
    real_offer = flow.offer
    failures = []

    def offer_failing_once(image):
        if not failures:
            failures.append(1)
            raise RuntimeError("MTCNN exploded")
        return real_offer(image)

    flow.offer = offer_failing_once
    feed(
        qtbot,
        page,
        frame,
        lambda: child(page, "feedback").text() == "Face check failed — trying again",
    )
    feed(qtbot, page, frame, lambda: child(page, "feedback").text() == "Move closer")


class ShoutingTranslator(QTranslator):
    """A stand-in for the Korean .qm: every text of the page in capitals."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return source.upper() if context == "RegistrationPage" else ""

    def isEmpty(self):  # Qt skips an empty translator
        return False


def test_language_change_retranslates_every_text(qtbot, qapp, page, flow, frame):
    feed(qtbot, page, frame, lambda: child(page, "feedback").text() == "Move closer")
    translator = ShoutingTranslator()
    qapp.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: child(page, "register").text() == "REGISTER")
        assert child(page, "feedback").text() == "MOVE CLOSER"
        assert child(page, "instruction").text() == "LOOK STRAIGHT AT THE CAMERA"
        assert child(page, "progress_text").text() == "POSE 1/4"
        assert child(page, "hint").text().startswith("STILL NEEDED: ALL FOUR POSES")
    finally:
        qapp.removeTranslator(translator)
    qtbot.waitUntil(lambda: child(page, "register").text() == "Register")
