"""The face camera in demo mode: a real photo of a person who acts out the liveness prompt.

The demo shopper is Eileen Collins in NASA's public-domain portrait (``assets/demo/astronaut.jpg``,
see ``NOTICE.md`` next to it), cut out of her studio backdrop and placed in front of a plain
kiosk wall at a webcam's 640×480, with sensor noise and a slight sway, so the real face detector
sees something that behaves like a camera. ``act("left")`` / ``act("right")`` makes her turn her
head that way and back; ``face_camera()`` brings it back at once; ``follow(status)`` does what a
face-pay status asks, once per prompt. The turn is an image warp of the head, modelled as a
cylinder turning about its vertical axis with the nose, mouth and chin standing out of it; the
eyes and the nose then move apart as in a real head turn, so the landmarks MTCNN reports give
the yaw ratio the liveness check expects (measured: about 0.02 facing the camera, 0.3-0.4 turned
either way). The untouched photo never turns and keeps failing that check.

The head geometry below belongs to the shipped photo; another photo would need its own.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from checkout_app.camera.source import Frame, FrameSourceBase, SourceError
from checkout_app.faces.liveness import CHALLENGES
from checkout_app.paths import DEMO_FACE_PHOTO

if TYPE_CHECKING:
    from checkout_app.services.payment_flow import PayStatus

log = logging.getLogger(__name__)

DEMO_SHOPPER_NAME = "Eileen (demo)"
DEMO_FACE_FPS = 15.0
FRAME_SIZE = (640, 480)  # width, height

# Geometry of the photo, in pixels of the 512×512 original: landmarks measured with MTCNN (eyes
# at (205, 101) and (247, 103), nose tip at (225, 129), mouth corners at y 140), outline by eye.
_HEAD_AXIS_X = 227.0  # the vertical axis the head turns about
# Half width of the turning head (y, half width) down the photo: crown, hair at the temples, the
# jaw, the chin at y 178; the turn then fades out down the neck, above the suit's collar ring.
_HEAD_OUTLINE = ((10, 25), (25, 50), (45, 62), (70, 66), (118, 66), (150, 46), (178, 30))
_NECK_FADE_Y = (178.0, 196.0)
_TOP_OF_HEAD_Y = 15.0
# What stands out of the head's cylinder, and by how much (pixels): nose, mouth, chin. A real
# head turned by θ moves them sideways by depth·sin θ more than the eyes; MTCNN's nose landmark
# follows the whole lower face more than the nose tip alone, hence the mouth and chin.
_NOSE_PX = 12.0
_MOUTH_PX = 16.0
_CHIN_PX = 13.0

# Where the photo sits in the frame: head centred, hair 40 px below the top, shoulders running
# out of the bottom edge (below the scale 1.4 the helmet she holds would come into view).
_PLACEMENT_SCALE = 1.5
_HEAD_TOP_IN_FRAME_Y = 40.0
_NOISE_SIGMA = 2.0


@dataclass(frozen=True)
class HeadTurnTiming:
    """How the demo shopper acts out a head-turn prompt.

    ``reaction_s``: she reads the prompt first, so the frames the liveness check starts from still
    face the camera; then ``turn_s`` to turn, ``hold_s`` turned and ``turn_s`` back. The hold
    is long enough for a face worker at 2 fps (a loaded 2-core machine running the counter
    detector too) to see the two turned frames in a row that the check needs: at 0.6 s the
    kiosk payment test failed now and then in CI with "head turn too small". It ends early when
    the kiosk, having seen the turn, asks her to face the camera (``DemoFaceSource.face_camera``).
    ``max_angle_deg``: how far, as the angle of the head cylinder.
    """

    reaction_s: float = 0.25
    turn_s: float = 0.3
    hold_s: float = 1.5
    max_angle_deg: float = 45.0

    @property
    def total_s(self) -> float:
        return self.reaction_s + 2 * self.turn_s + self.hold_s


def head_turn_angle(elapsed_s: float, timing: HeadTurnTiming = HeadTurnTiming()) -> float:
    """The head's turn in degrees (≥ 0), ``elapsed_s`` after a prompt: eased in, held, eased out."""
    t = elapsed_s - timing.reaction_s
    if t <= 0 or t >= 2 * timing.turn_s + timing.hold_s:
        return 0.0
    if t < timing.turn_s:
        share = t / timing.turn_s
    elif t < timing.turn_s + timing.hold_s:
        share = 1.0
    else:
        share = (2 * timing.turn_s + timing.hold_s - t) / timing.turn_s
    return timing.max_angle_deg * share * share * (3 - 2 * share)  # smoothstep: no jerk


def _face_relief(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """How far each point of the photo's face stands out of the head's cylinder, in pixels."""
    rise = np.clip((ys - 98.0) / (129.0 - 98.0), 0.0, 1.0)  # nose: bridge at y 98, tip at 129
    along = np.where(ys <= 129.0, rise * rise * (3 - 2 * rise), np.clip((139.0 - ys) / 10, 0, 1))
    across = np.exp(-((np.abs(xs - 225.0) / (5.0 + 8.0 * rise)) ** 4))  # wider at the nostrils
    mouth = np.exp(-(((xs - 224.0) / 26.0) ** 2 + ((ys - 143.0) / 14.0) ** 2) / 2)
    chin = np.exp(-(((xs - 224.0) / 24.0) ** 2 + ((ys - 172.0) / 14.0) ** 2) / 2)
    return _NOSE_PX * along * across + _MOUTH_PX * mouth + _CHIN_PX * chin


def head_turn_maps(angle_deg: float) -> tuple[tuple[int, int], np.ndarray, np.ndarray]:
    """``cv2.remap`` maps that turn the photo's head by ``angle_deg`` (> 0: nose to the image's
    right, the person's left), for the region around the head: its (x0, y0) and the float32
    maps, in photo pixels.

    Each row is mapped forward, then inverted: a point at angle φ on the head's cylinder
    (x = r·sin φ) is seen at φ + angle·cos φ, so the turn fades out towards the outline (the
    head keeps its silhouette and nothing from behind it must be invented), plus its relief
    (``_face_relief``) times sin(angle). Where the forward map folds back, the points are behind
    the nose or the far cheek: scanning from the side the face turns away from, a point is
    visible only if it lands beyond every point before it.
    """
    cx = _HEAD_AXIS_X
    outline_y, outline_half_width = np.array(_HEAD_OUTLINE, np.float64).T
    widest = outline_half_width.max()
    x0, x1 = int(cx - widest) - 1, int(cx + widest) + 2
    y0, y1 = 0, int(_NECK_FADE_Y[1]) + 1
    rows = np.arange(y0, y1, dtype=np.float64)
    xs, ys = np.meshgrid(np.arange(x0, x1, 0.5), rows)  # half-pixel steps: folds resolve finely
    angle = math.radians(angle_deg)
    radius = np.interp(ys, outline_y, outline_half_width)
    seen = np.arcsin(np.clip((xs - cx) / radius, -1.0, 1.0))
    on_head = np.abs(xs - cx) < radius
    turned = np.where(on_head, cx + radius * np.sin(seen + angle * np.cos(seen)), xs)
    # The relief stays inside the outline (it would drag the collar ring and the backdrop along).
    inside = np.clip((radius - np.abs(xs - cx)) / 6.0, 0.0, 1.0)
    shift = turned - xs + inside * math.sin(angle) * _face_relief(xs, ys)
    fade = np.clip((_NECK_FADE_Y[1] - ys) / (_NECK_FADE_Y[1] - _NECK_FADE_Y[0]), 0.0, 1.0)
    forward = xs + fade * shift
    sign = 1.0 if angle >= 0 else -1.0
    order = slice(None, None, 1 if angle >= 0 else -1)
    landing, source = sign * forward[:, order], xs[:, order]
    visible = landing >= np.maximum.accumulate(landing, axis=1)
    out_x = sign * np.arange(x0, x1, dtype=np.float64)
    map_x = np.empty((len(rows), x1 - x0), np.float32)
    for r in range(len(rows)):
        map_x[r] = np.interp(out_x, landing[r, visible[r]], source[r, visible[r]])
    map_y = np.repeat(rows[:, None].astype(np.float32), x1 - x0, axis=1)
    return (x0, y0), map_x, map_y


def turn_head(layer: np.ndarray, angle_deg: float) -> np.ndarray:
    """A copy of the photo layer (512×512, any channels) with the head turned by ``angle_deg``."""
    if angle_deg == 0:
        return layer
    (x0, y0), map_x, map_y = head_turn_maps(angle_deg)
    h, w = map_x.shape
    turned = layer.copy()
    turned[y0 : y0 + h, x0 : x0 + w] = cv2.remap(
        layer, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return turned


@lru_cache(maxsize=2)
def person_layer(photo: Path = DEMO_FACE_PHOTO) -> np.ndarray:
    """The photo's person cut out of the studio backdrop: BGRA uint8, alpha feathered.

    GrabCut, seeded with a head-and-shoulders outline and run at half size (a quarter of a
    second, once per process; the feathered edge hides the lower resolution).
    """
    data = np.fromfile(str(photo), np.uint8) if photo.is_file() else np.empty(0, np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise SourceError(f"demo face photo missing or unreadable: {photo}")
    h, w = image.shape[:2]
    small = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    seeds = np.full(small.shape[:2], cv2.GC_BGD, np.uint8)
    # Outline in half-size pixels: probably the person inside, surely the person in the core.
    cv2.ellipse(seeds, (113, 52), (43, 53), 0, 0, 360, cv2.GC_PR_FGD, -1)
    cv2.rectangle(seeds, (15, 75), (185, 255), cv2.GC_PR_FGD, -1)
    cv2.ellipse(seeds, (112, 55), (20, 28), 0, 0, 360, cv2.GC_FGD, -1)
    cv2.rectangle(seeds, (75, 115), (150, 255), cv2.GC_FGD, -1)
    cv2.setRNGSeed(0)  # GrabCut's colour models start from k-means: same cut-out every run
    bgd_model, fgd_model = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.grabCut(small, seeds, None, bgd_model, fgd_model, 3, cv2.GC_INIT_WITH_MASK)
    person = np.isin(seeds, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.float32)
    alpha = cv2.GaussianBlur(cv2.resize(person, (w, h)), (0, 0), 2.0)
    layer = np.dstack([image, np.round(alpha * 255).astype(np.uint8)])
    layer.flags.writeable = False  # shared by every source through the cache
    return layer


def kiosk_background(size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    """A plain, softly lit kiosk wall behind the shopper: float32 BGR."""
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    wall_top = np.array([226, 230, 232], np.float32)
    wall_bottom = np.array([196, 202, 206], np.float32)
    shade = (ys / (h - 1))[..., None]
    wall = wall_top * (1 - shade) + wall_bottom * shade
    # A ceiling light above the kiosk: brighter in the middle, darker towards the corners.
    r2 = ((xs - w / 2) / w) ** 2 + ((ys - h / 3) / h) ** 2
    return (wall * (1.06 - 0.35 * r2)[..., None]).astype(np.float32)


@dataclass(frozen=True)
class Pose:
    """Where the person sits in the frame: photo scale, shift from the home spot (frame px),
    roll in degrees, and a brightness gain (the camera's exposure)."""

    scale: float = _PLACEMENT_SCALE
    dx: float = 0.0
    dy: float = 0.0
    roll_deg: float = 0.0
    gain: float = 1.0


def compose_frame(
    layer: np.ndarray, background: np.ndarray, pose: Pose, noise: np.ndarray | None = None
) -> np.ndarray:
    """The person ``layer`` (BGRA photo) over ``background`` at ``pose``: BGR uint8 frame."""
    h, w = background.shape[:2]
    cx = _HEAD_AXIS_X
    target = (w / 2 + pose.dx, _HEAD_TOP_IN_FRAME_Y + pose.dy)
    matrix = cv2.getRotationMatrix2D((cx, _TOP_OF_HEAD_Y), pose.roll_deg, pose.scale)
    matrix[:, 2] += np.array(target) - np.array([cx, _TOP_OF_HEAD_Y])
    placed = cv2.warpAffine(layer, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    alpha = placed[..., 3:].astype(np.float32) * (1 / 255)
    person = placed[..., :3].astype(np.float32)
    frame = (background + (person - background) * alpha) * pose.gain
    if noise is not None:
        frame += noise
    return np.clip(frame, 0, 255).astype(np.uint8)


def sway(t: float) -> Pose:
    """The small, slow movements of someone standing still in front of the camera at ``t`` s."""
    return Pose(
        dx=3.0 * math.sin(2 * math.pi * t / 4.3),
        dy=1.5 * math.sin(2 * math.pi * t / 3.1 + 1.0),  # breathing
        roll_deg=0.8 * math.sin(2 * math.pi * t / 5.7 + 2.0),
    )


def _sensor_noise(rng: np.random.Generator) -> np.ndarray:
    shape = (FRAME_SIZE[1], FRAME_SIZE[0], 3)
    return rng.standard_normal(shape, dtype=np.float32) * np.float32(_NOISE_SIGMA)


class DemoFaceSource(FrameSourceBase):
    """The demo shopper in front of the face camera, forever (until ``close``).

    ``act(challenge)`` is safe to call from another thread than ``read``'s (the GUI's while a
    camera thread reads): it swaps one attribute. ``realtime`` paces frames at ``fps`` as a
    camera would; off, frames come as fast as they render (tests). The timeline of the sway and
    of a head turn runs on frame timestamps, so it is the same paced or not.
    """

    name = "demo-face"

    def __init__(
        self,
        fps: float = DEMO_FACE_FPS,
        *,
        realtime: bool = True,
        noise_seed: int = 0,
        timing: HeadTurnTiming = HeadTurnTiming(),
    ) -> None:
        if fps <= 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        self.fps = fps
        self.realtime = realtime
        self.timing = timing
        self._layer = person_layer()
        self._background = kiosk_background()
        self._noise = np.random.default_rng(noise_seed)
        # (turn sign, frame index it starts at; a fraction where the hold was cut short)
        self._action: tuple[float, float] | None = None
        self._prompt: tuple | None = None  # the (turn, challenge) of the status followed last
        self._index = 0
        self._closed = False
        self._started = time.monotonic()

    def act(self, challenge: str) -> None:
        """Turn the head to the person's ``challenge`` side ("left"/"right") from the next frame
        on and back (``timing.total_s``); replaces a turn still going on."""
        if challenge not in CHALLENGES:
            raise ValueError(f"challenge must be one of {CHALLENGES}, got {challenge!r}")
        # The person's left is the image's right in an unmirrored camera (faces/pose.py).
        self._action = (1.0 if challenge == "left" else -1.0, self._index)
        log.debug("demo shopper acts out a turn to the %s", challenge)

    def follow(self, status: PayStatus) -> None:
        """Act out a face-pay status: a turn prompt when it appears, "look at the camera" at
        once. Statuses without a prompt in between (a new payment, the wait to face the camera
        between turns) make the same prompt a new one."""
        prompt = None if status.challenge is None else (status.turn, status.challenge)
        if prompt is not None and prompt != self._prompt:
            self.act(status.challenge)
        self._prompt = prompt
        if status.hint == "face_camera":  # payment_flow.HINT_FACE_CAMERA, like the pay screen's
            self.face_camera()

    def face_camera(self) -> None:
        """Turn back to the camera now when the head is held turned (the kiosk saw the turn and
        asks to face it): the rest of the hold is skipped. Safe to call on every frame."""
        action = self._action
        if action is None:
            return
        sign, start = action
        index, timing = self._index, self.timing
        held_until_s = timing.reaction_s + timing.turn_s + timing.hold_s
        if timing.reaction_s + timing.turn_s <= (index - start) / self.fps < held_until_s:
            self._action = (sign, index - held_until_s * self.fps)

    def yaw_angle(self, index: int) -> float:
        """The head's turn at frame ``index`` in degrees (> 0: to the person's left)."""
        action = self._action
        if action is None:
            return 0.0
        sign, start = action
        return sign * head_turn_angle((index - start) / self.fps, self.timing)

    def read(self) -> Frame | None:
        if self._closed:
            return None
        index = self._index
        if self.realtime:
            now = time.monotonic()
            due = self._started + index / self.fps
            if due < now - 1 / self.fps:
                # The reader stalled: carry on from now, like a camera, instead of a burst.
                self._started = now - index / self.fps
            time.sleep(max(0.0, due - now))
        t = index / self.fps
        layer = turn_head(self._layer, self.yaw_angle(index))
        image = compose_frame(layer, self._background, sway(t), _sensor_noise(self._noise))
        self._index += 1
        return Frame(image=image, timestamp=t, index=index)

    def close(self) -> None:
        self._closed = True


def demo_enrollment_images(n: int = 4, seed: int = 7) -> list[np.ndarray]:
    """``n`` BGR 640×480 shots of the demo shopper, each a little different (distance, place,
    tilt, exposure, noise), to register her through the normal enrollment path."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    rng = np.random.default_rng(seed)
    layer, background = person_layer(), kiosk_background()
    images = []
    for i in range(n):
        pose = Pose(
            scale=_PLACEMENT_SCALE if i == 0 else float(rng.uniform(1.42, 1.6)),
            dx=0.0 if i == 0 else float(rng.uniform(-40, 40)),
            dy=0.0 if i == 0 else float(rng.uniform(-10, 15)),
            roll_deg=0.0 if i == 0 else float(rng.uniform(-3, 3)),
            gain=1.0 if i == 0 else float(rng.uniform(0.88, 1.05)),
        )
        images.append(compose_frame(layer, background, pose, _sensor_noise(rng)))
    return images
