"""Top-down counter scenes with exact YOLO labels.

A ``Scene`` says what lies where (products, distractors) and how the camera sees it
(``CounterLook``: counter surface, lighting, perspective). ``render_scene`` turns it into a BGR
camera image plus one box per product, taken from the visible pixels after occlusion and
perspective, so the labels are exact. ``sample_scene`` draws random scenes for training and
evaluation; the demo scenario (scenario.py) renders one still scene per frame as it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import cv2
import numpy as np

from checkout_app.vision.synthetic.distractors import (
    DISTRACTOR_KINDS,
    VARIANTS_PER_KIND,
    distractor_sprite,
)
from checkout_app.vision.synthetic.packaging import (
    BARCODE_SIDE_PX_PER_CM,
    SPRITE_PX_PER_CM,
    barcode_side_sprite,
    product_sprite,
)

FRAME_SIZE = (640, 480)  # width, height of a rendered camera frame
MIN_VISIBLE_FRACTION = 0.6  # occlusion cap: every product keeps at least this much in view
_DISTRACTOR_ID = 255  # id-map value for pixels covered by a non-product
_EMPTY_ID = 0
HAND_CENTRE_TO_TIP_CM = 19.5  # see distractors._hand: 48 cm sprite, tips at 43.5 cm


@dataclass(frozen=True)
class Placed:
    """One object on the counter: a product class or a distractor kind, and its pose."""

    name: str  # product class name, or distractor kind
    x: float  # centre, pixels of the flat counter frame
    y: float
    angle_deg: float
    scale: float = 1.0  # relative to true size at the look's px_per_cm
    variant: int = 0  # distractor variant / product brightness variant
    is_product: bool = True
    # "top": the product lying on the counter; "barcode": its barcode side held up to the
    # camera (not on the counter: is_product False, so it is no detection target).
    side: str = "top"


@dataclass(frozen=True)
class CounterLook:
    """What stays the same while the camera and lights are still."""

    seed: int
    px_per_cm: float = 6.0
    surface: int = 0  # index into _SURFACES
    light_angle_deg: float = 45.0
    light_strength: float = 0.15
    vignette: float = 0.15
    white_balance: tuple[float, float, float] = (1.0, 1.0, 1.0)  # B, G, R gains
    corner_shift: tuple[float, ...] = (0.0,) * 8  # perspective: 4 corners × (dx, dy), pixels
    blur_sigma: float = 0.0
    noise_sigma: float = 2.0
    shadow_strength: float = 0.35


@dataclass
class Scene:
    look: CounterLook
    objects: list[Placed] = field(default_factory=list)  # bottom to top

    @property
    def products(self) -> list[Placed]:
        return [o for o in self.objects if o.is_product]


@dataclass
class RenderedScene:
    image: np.ndarray  # H×W×3 uint8 BGR
    boxes: np.ndarray  # n×4 float32 xyxy pixels, one per product in ``Scene.products`` order
    class_names: list[str]
    visible_fraction: np.ndarray  # n float32, share of each product's pixels in view


_SURFACES = [  # BGR base colour, texture kind
    ((150, 150, 148), "speckle"),
    ((95, 130, 170), "wood"),
    ((205, 205, 200), "speckle"),
    ((60, 62, 66), "speckle"),
    ((120, 160, 200), "wood"),
    ((170, 185, 190), "plain"),
]


# --- rasterising ------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _rasterize(obj: Placed, px_per_cm: float) -> tuple[np.ndarray, np.ndarray, int, int]:
    """The object's BGR patch, its alpha (float32 0..1) and the patch's top-left corner."""
    sprite_px_per_cm = SPRITE_PX_PER_CM
    if obj.side == "barcode":
        rgba, sprite_px_per_cm = barcode_side_sprite(obj.name), BARCODE_SIDE_PX_PER_CM
    elif obj.is_product:
        rgba = product_sprite(obj.name)
    else:
        rgba = distractor_sprite(obj.name, obj.variant)
    factor = px_per_cm / sprite_px_per_cm * obj.scale
    h, w = rgba.shape[:2]
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), obj.angle_deg, factor)
    cos, sin = abs(rotation[0, 0]), abs(rotation[0, 1])
    out_w = int(np.ceil(w * cos + h * sin)) + 2
    out_h = int(np.ceil(w * sin + h * cos)) + 2
    rotation[0, 2] += out_w / 2 - w / 2
    rotation[1, 2] += out_h / 2 - h / 2
    patch = cv2.warpAffine(
        rgba,
        rotation,
        (out_w, out_h),
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0, 0),
    )
    bgr = cv2.cvtColor(patch[..., :3], cv2.COLOR_RGB2BGR).astype(np.float32)
    if obj.is_product:
        bgr *= 0.92 + 0.04 * (obj.variant % 5)  # per-instance print/brightness variation
    alpha = patch[..., 3].astype(np.float32) / 255.0
    x0 = round(obj.x - out_w / 2)
    y0 = round(obj.y - out_h / 2)
    return bgr, alpha, x0, y0


def _clip(x0: int, y0: int, h: int, w: int, size: tuple[int, int]):
    """Slices of image and patch where a patch at (x0, y0) overlaps a frame of ``size``."""
    fw, fh = size
    ix0, iy0 = max(0, x0), max(0, y0)
    ix1, iy1 = min(fw, x0 + w), min(fh, y0 + h)
    if ix0 >= ix1 or iy0 >= iy1:
        return None
    image_part = (slice(iy0, iy1), slice(ix0, ix1))
    return image_part, (slice(iy0 - y0, iy1 - y0), slice(ix0 - x0, ix1 - x0))


@lru_cache(maxsize=32)
def _background(look: CounterLook, size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    w, h = size
    rng = np.random.default_rng(look.seed)
    base, texture = _SURFACES[look.surface % len(_SURFACES)]
    img = np.empty((h, w, 3), np.float32)
    img[:] = base
    low = cv2.resize(
        rng.normal(0, 1, (6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    img += low[..., None] * 8
    if texture == "wood":
        yy = np.arange(h, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        grain = np.sin(yy / rng.uniform(5, 9) + 3 * np.sin(xx / rng.uniform(60, 120)))
        img += (grain * 10)[..., None]
    elif texture == "speckle":
        speck = rng.normal(0, 1, (h, w)).astype(np.float32)
        img += (cv2.GaussianBlur(speck, (0, 0), 0.8) * 9)[..., None]
    return img


@lru_cache(maxsize=32)
def _lighting(look: CounterLook, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    nx, ny = (xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2)
    a = np.deg2rad(look.light_angle_deg)
    gain = 1.0 + look.light_strength * (np.cos(a) * nx + np.sin(a) * ny) / 2
    gain *= 1.0 - look.vignette * (nx**2 + ny**2) / 2
    return gain[..., None] * np.asarray(look.white_balance, np.float32)


def _homography(look: CounterLook, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + np.float32(look.corner_shift).reshape(4, 2)
    return cv2.getPerspectiveTransform(src, dst)


# --- rendering --------------------------------------------------------------------------------


def render_scene(
    scene: Scene,
    rng: np.random.Generator | None = None,
    size: tuple[int, int] = FRAME_SIZE,
) -> RenderedScene:
    """Draw the scene as the counter camera sees it. ``rng`` adds per-frame sensor noise."""
    look = scene.look
    rng = rng or np.random.default_rng(look.seed)
    img = _background(look, size).copy()
    ids = np.full((size[1], size[0]), _EMPTY_ID, np.uint8)
    product_ids: list[int] = []
    full_area: list[float] = []
    shadow_dx = 0.6 * look.px_per_cm * np.cos(np.deg2rad(look.light_angle_deg + 180))
    shadow_dy = 0.6 * look.px_per_cm * np.sin(np.deg2rad(look.light_angle_deg + 180))
    for obj in scene.objects:
        bgr, alpha, x0, y0 = _rasterize(obj, look.px_per_cm)
        h, w = alpha.shape
        shadow = _clip(int(x0 + shadow_dx), int(y0 + shadow_dy), h, w, size)
        if shadow is not None:
            soft = cv2.GaussianBlur(alpha, (0, 0), look.px_per_cm * 0.4)
            (iy, ix), (py, px) = shadow
            img[iy, ix] *= (1.0 - look.shadow_strength * soft[py, px])[..., None]
        region = _clip(x0, y0, h, w, size)
        if region is None:
            continue
        (iy, ix), (py, px) = region
        a = alpha[py, px][..., None]
        img[iy, ix] = img[iy, ix] * (1.0 - a) + bgr[py, px] * a
        covered = alpha[py, px] > 0.5
        if obj.is_product:
            product_ids.append(len(product_ids) + 1)
            full_area.append(float((alpha > 0.5).sum()))
            ids[iy, ix][covered] = product_ids[-1]
        else:
            ids[iy, ix][covered] = _DISTRACTOR_ID

    img *= _lighting(look, size)
    matrix = _homography(look, size)
    img = cv2.warpPerspective(
        img, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    )
    ids = cv2.warpPerspective(
        ids,
        matrix,
        size,
        flags=cv2.INTER_NEAREST,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=_EMPTY_ID,
    )
    if look.blur_sigma > 0.05:
        img = cv2.GaussianBlur(img, (0, 0), look.blur_sigma)
    img += rng.normal(0.0, look.noise_sigma, img.shape).astype(np.float32)
    image = np.clip(img, 0, 255).astype(np.uint8)

    # Labels from the warped id map: the exact visible extent of every product.
    area_scale = abs(np.linalg.det(matrix[:2, :2]))
    boxes, visible = [], []
    for pid, area in zip(product_ids, full_area):
        mask = (ids == pid).astype(np.uint8)
        x, y, bw, bh = cv2.boundingRect(mask)
        boxes.append((x, y, x + bw, y + bh))
        visible.append(min(1.0, float(mask.sum()) / max(1.0, area * area_scale)))
    names = [o.name for o in scene.products]
    return RenderedScene(
        image=image,
        boxes=np.asarray(boxes, np.float32).reshape(-1, 4),
        class_names=names,
        visible_fraction=np.asarray(visible, np.float32),
    )


# --- sampling ---------------------------------------------------------------------------------


def sample_look(rng: np.random.Generator, size: tuple[int, int] = FRAME_SIZE) -> CounterLook:
    w = size[0]
    return CounterLook(
        seed=int(rng.integers(0, 2**31 - 1)),
        px_per_cm=float(rng.uniform(5.2, 6.8)),
        surface=int(rng.integers(0, len(_SURFACES))),
        light_angle_deg=float(rng.uniform(0, 360)),
        light_strength=float(rng.uniform(0.0, 0.45)),
        vignette=float(rng.uniform(0.0, 0.35)),
        white_balance=tuple(float(g) for g in rng.uniform(0.93, 1.07, 3)),
        corner_shift=tuple(float(v) for v in rng.uniform(-0.05 * w, 0.05 * w, 8)),
        blur_sigma=float(rng.choice([0.0, 0.0, rng.uniform(0.3, 1.6)])),
        noise_sigma=float(rng.uniform(1.0, 7.0)),
        shadow_strength=float(rng.uniform(0.15, 0.5)),
    )


def _footprint(obj: Placed, look: CounterLook, size: tuple[int, int]) -> np.ndarray | None:
    """The object's mask in the flat frame, or None if it does not lie fully inside."""
    _, alpha, x0, y0 = _rasterize(obj, look.px_per_cm)
    h, w = alpha.shape
    margin = int(0.06 * size[0])  # room for the perspective warp to move it without cutting it
    if x0 < margin or y0 < margin or x0 + w > size[0] - margin or y0 + h > size[1] - margin:
        return None
    mask = np.zeros((size[1], size[0]), bool)
    mask[y0 : y0 + h, x0 : x0 + w] = alpha > 0.5
    return mask


def _visible_enough(masks: list[np.ndarray], areas: list[float], top: np.ndarray) -> bool:
    return all((m & ~top).sum() >= MIN_VISIBLE_FRACTION * a for m, a in zip(masks, areas))


def sample_scene(
    rng: np.random.Generator,
    class_names: Sequence[str],
    n_items: int,
    *,
    n_distractors: int | None = None,
    look: CounterLook | None = None,
    size: tuple[int, int] = FRAME_SIZE,
    max_tries: int = 60,
    touching: float = 0.0,
    extra_distractors: int = 0,
) -> Scene:
    """A random counter with up to ``n_items`` products (fewer only if they cannot fit).

    Products often repeat (a shopper buys three cans); every product stays at least
    ``MIN_VISIBLE_FRACTION`` visible, distractors included.

    ``touching`` is the share of products put down against one already on the counter (half
    of them a second one of the same product), and ``extra_distractors`` adds that many
    non-products: training scenes use them to see more of the crowded counters a single-frame
    detector gets wrong. At their defaults no extra random numbers are drawn, so the held-out
    scenes and older training commands render exactly as before.
    """
    look = look or sample_look(rng, size)
    kinds = list(rng.choice(class_names, size=int(rng.integers(1, max(1, n_items) + 1))))
    scene = Scene(look)
    masks: list[np.ndarray] = []  # visible part of each placed product so far
    areas: list[float] = []
    for _ in range(n_items):
        name = str(rng.choice(kinds))
        neighbour = None
        if touching > 0 and scene.objects and rng.random() < touching:
            neighbour = scene.objects[int(rng.integers(len(scene.objects)))]
            if rng.random() < 0.5:
                name = neighbour.name
        for _try in range(max_tries):
            x, y = _position(rng, neighbour, look, size)
            obj = Placed(
                name,
                x,
                y,
                float(rng.uniform(0, 360)),
                float(rng.uniform(0.95, 1.05)),
                variant=int(rng.integers(0, 5)),
            )
            mask = _footprint(obj, look, size)
            if mask is not None and _visible_enough(masks, areas, mask):
                masks = [m & ~mask for m in masks]
                masks.append(mask)
                areas.append(float(mask.sum()))
                scene.objects.append(obj)
                break
    if n_distractors is None:
        n_distractors = int(rng.choice([0, 0, 1, 1, 2])) + extra_distractors
    for _ in range(n_distractors):
        _add_distractor(scene, rng, masks, areas, size)
    return scene


def _position(
    rng: np.random.Generator,
    neighbour: Placed | None,
    look: CounterLook,
    size: tuple[int, int],
) -> tuple[float, float]:
    """Where to try the next product: anywhere, or within a few cm of ``neighbour``."""
    if neighbour is None:
        return float(rng.uniform(0, size[0])), float(rng.uniform(0, size[1]))
    spread = 6.0 * look.px_per_cm  # about half a small product: touching or just overlapping
    return (
        float(neighbour.x + rng.normal(0.0, spread)),
        float(neighbour.y + rng.normal(0.0, spread)),
    )


def _add_distractor(
    scene: Scene,
    rng: np.random.Generator,
    masks: list[np.ndarray],
    areas: list[float],
    size: tuple[int, int],
    max_tries: int = 30,
) -> None:
    kind = str(rng.choice(DISTRACTOR_KINDS))
    variant = int(rng.integers(0, VARIANTS_PER_KIND))
    w, h = size
    for _ in range(max_tries):
        if kind == "hand":  # reaches in from an edge: the forearm runs off the frame
            angle = float(rng.uniform(0, 360))
            reach = scene.look.px_per_cm * rng.uniform(4, 18)
            dx, dy = np.cos(np.deg2rad(angle)), -np.sin(np.deg2rad(angle))  # finger direction
            # Fingertips land `reach` pixels inside the edge they come from; the sprite's
            # centre lies HAND_CENTRE_TO_TIP_CM behind them, so the forearm leaves the frame.
            tip_x = w / 2 - dx * (w / 2 - reach)
            tip_y = h / 2 - dy * (h / 2 - reach)
            back = HAND_CENTRE_TO_TIP_CM * scene.look.px_per_cm
            obj = Placed(
                "hand",
                float(tip_x - dx * back),
                float(tip_y - dy * back),
                angle,
                1.0,
                variant,
                is_product=False,
            )
            _, alpha, x0, y0 = _rasterize(obj, scene.look.px_per_cm)
            mask = np.zeros((h, w), bool)
            region = _clip(x0, y0, *alpha.shape, size)
            if region is None:
                continue
            (iy, ix), (py, px) = region
            mask[iy, ix] = alpha[py, px] > 0.5
        else:
            obj = Placed(
                kind,
                float(rng.uniform(0, w)),
                float(rng.uniform(0, h)),
                float(rng.uniform(0, 360)),
                1.0,
                variant,
                is_product=False,
            )
            mask = _footprint(obj, scene.look, size)
            if mask is None:
                continue
        on_top = kind == "hand" or rng.random() < 0.5
        if on_top and _visible_enough(masks, areas, mask):
            scene.objects.append(obj)
            for i, m in enumerate(masks):
                masks[i] = m & ~mask
            return
        if not on_top:  # lies under the products: changes nothing about their visibility
            scene.objects.insert(0, obj)
            return
