"""Teach the kiosk a product from photos, and build the gallery that recognises taught products.

Teaching checks every photo first (``products.photo_quality``), encodes the usable ones, and
stores the product (when it is new) with its photos in one transaction: a bad photo, an existing
SKU or a failure half-way leaves nothing behind. The gallery is built from the stored photos of
active products; photos encoded by an older encoder are encoded again (and stored) first.

``check_shot`` is what the staff wizard runs on each photo as it is taken (cut out from the
counter when an empty-counter shot was given); ``ProductTeacher`` holds what teaching needs in
the kiosk, loading the appearance models on first use.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from checkout_app.core.barcode import normalize_barcode
from checkout_app.core.catalog import Product, taught_class_name
from checkout_app.products.cutout import cut_out
from checkout_app.products.gallery import MAX_PHOTOS_PER_PRODUCT, MatchPolicy, ProductGallery
from checkout_app.products.photo_quality import photo_problem, photo_problem_code
from checkout_app.services.counter_items import CounterItemDetector
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.product_photo_repository import ProductPhotoRepository, TaughtPhoto

log = logging.getLogger(__name__)

MIN_TEACH_PHOTOS = 3
MAX_TEACH_PHOTOS = 10
# Looks staff said are no product (set aside at the counter), at most: the gallery compares an
# unknown item with each, and a store has a few such things (its trays, bags, receipts).
MAX_NOT_PRODUCT_LOOKS = 60

# Why the picture of an item staff named was not learned, besides ``photo_quality``'s codes.
DETECTOR_PRODUCT = "detector_product"  # the product detector finds it: no gallery to learn in
GALLERY_FULL = "gallery_full"  # MAX_PHOTOS_PER_PRODUCT photos (MAX_NOT_PRODUCT_LOOKS) already

ProgressCallback = Callable[[int, int], None]


class TeachError(ValueError):
    """Teaching refused; nothing was stored."""


class NotLearned(Exception):
    """The picture of an item staff named was not learned; ``code`` says why (a
    ``photo_quality`` code, ``DETECTOR_PRODUCT`` or ``GALLERY_FULL``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NewProduct:
    sku: str
    name: str
    price: int
    barcodes: tuple = ()  # as typed or scanned; checked and made canonical by ``product``

    def product(self) -> Product:
        """The catalog product; ValueError (with what is wrong) for a bad field or barcode."""
        return Product(
            sku=self.sku,
            name_ko=self.name,
            name_en=self.name,
            price=self.price,
            class_name=taught_class_name(self.sku),
            barcodes=tuple(normalize_barcode(code) for code in self.barcodes),
        )


@dataclass(frozen=True)
class TeachResult:
    product: Product
    photos: int
    seconds: float


def teach_product(
    catalog: CatalogRepository,
    photos: ProductPhotoRepository,
    encoder,
    new: NewProduct,
    images: Sequence[tuple],
    progress: ProgressCallback | None = None,
) -> TeachResult:
    """Add ``new`` to the catalog, taught from ``(source, BGR image)`` pairs; or TeachError."""
    try:
        product = new.product()
    except ValueError as exc:
        raise TeachError(str(exc)) from None
    stored = catalog.load()
    if product.sku in stored:
        raise TeachError(
            f"SKU {product.sku} is already in the catalog: teach the new product under another "
            "SKU (a product already taught cannot be taught twice)"
        )
    for code in product.barcodes:
        owner = stored.for_barcode(code)
        if owner is not None:
            raise TeachError(f"barcode {code} already belongs to {owner.sku} ({owner.name_en})")
    if not MIN_TEACH_PHOTOS <= len(images) <= MAX_TEACH_PHOTOS:
        raise TeachError(
            f"{len(images)} photos given: teach a product from {MIN_TEACH_PHOTOS} to "
            f"{MAX_TEACH_PHOTOS} photos (top, sides, turned over, in a hand)"
        )
    started = time.perf_counter()
    encoded = _checked_and_encoded(encoder, images, progress, "nothing was taught")
    try:
        photos.add_product(product, encoded, encoder.name)
    except ValueError as exc:  # taken by another kiosk since the check above
        raise TeachError(str(exc)) from None
    seconds = time.perf_counter() - started
    log.info("taught %s (%s) from %d photos in %.1f s", product.sku, new.name, len(images), seconds)
    return TeachResult(product, len(images), seconds)


def learn_not_products(
    photos: ProductPhotoRepository,
    encoder,
    images: Sequence[tuple],
    progress: ProgressCallback | None = None,
) -> int:
    """Keep the looks of ``(source, BGR image)`` photos of things that are no product (a store's
    trays, bags, receipts): items like them are ignored at the counter, as if staff had set one
    aside. Every photo is checked first; all are stored or none (TeachError). Returns how many."""
    if not images:
        raise TeachError("no photos given")
    encoded = _checked_and_encoded(encoder, images, progress, "nothing was learned")
    try:
        photos.add_not_product_looks(encoded, encoder.name, MAX_NOT_PRODUCT_LOOKS)
    except ValueError as exc:
        raise TeachError(f"{exc}; nothing was learned") from None
    log.info("learned %d looks of things that are no product", len(encoded))
    return len(encoded)


def _checked_and_encoded(
    encoder, images: Sequence[tuple], progress: ProgressCallback | None, nothing: str
) -> list:
    """``(jpeg, appearance)`` of every ``(source, BGR image)``, once every photo passed the
    checks; else TeachError naming each bad one, ending in ``nothing`` (what was not done)."""
    problems = [
        f"{source}: {problem}" for source, image in images if (problem := photo_problem(image))
    ]
    if problems:
        raise TeachError(f"some photos cannot be used, {nothing}: " + "; ".join(problems))
    encoded = []
    for i, (_source, image) in enumerate(images):
        encoded.append((encode_jpeg(image), encoder.encode_taught([image])[0]))
        if progress:
            progress(i + 1, len(images))
    return encoded


@dataclass(frozen=True)
class Shot:
    """A photo offered for teaching: what would be stored, or why it cannot be used."""

    image: np.ndarray | None  # the photo, or the product cut out of the counter shot
    problem: str | None  # a ``photo_quality`` code (too small, nothing there, several objects …)


def check_shot(image: np.ndarray, empty_counter: np.ndarray | None = None) -> Shot:
    """Check a teaching photo as it is taken; with ``empty_counter`` (a shot of the same camera
    with nothing on the counter) cut the product out of it first. Fast: no model runs."""
    if empty_counter is not None:
        cut = cut_out(image, empty_counter)
        if cut.problem is not None:
            return Shot(None, cut.problem)
        image = cut.crop
    problem = photo_problem_code(image)
    return Shot(None if problem else image, problem)


class ProductTeacher:
    """Taught products in the kiosk: teaching them, and finding them on the counter.

    Holds the catalog and photo repositories, the appearance encoder (FaceNet's trunk and the
    OCR models: seconds to load, so on first use, or in ``prepare`` at start-up), the gallery of
    taught products (rebuilt by the thread that teaches) and the shot of the empty counter
    (kept at ``empty_counter_path``, so it outlives a restart). Thread-safe. Photos taught or
    learned on another kiosk of the store (or from a shell) reach this one through
    ``refresh_if_changed``.
    """

    def __init__(
        self,
        catalog: CatalogRepository,
        photos: ProductPhotoRepository,
        load_encoder: Callable,
        empty_counter_path: Path | None = None,
    ) -> None:
        self.catalog = catalog
        self._photos = photos
        self._load_encoder = load_encoder
        self._empty_counter_path = empty_counter_path
        self._encoder = None
        self._gallery: ProductGallery | None = None
        self._revision: tuple | None = None  # of the photos the gallery was built from
        self._empty_counter = _read_image(empty_counter_path)
        # Storing a photo takes a moment, building the gallery seconds: apart, so that photos
        # stored during a build (staff naming three items in a row) wait for one more build
        # together instead of one build each (``_rebuild_if_stale``).
        self._store_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._encoder_lock = threading.Lock()  # both may need the models first

    @property
    def models_loaded(self) -> bool:
        return self._encoder is not None

    def prepare(self) -> None:
        """Load the encoder and the gallery now if any product is taught (at start-up, off the
        GUI thread), so the first shopper's taught products are found at once."""
        if self._photos.photo_counts():
            self._rebuild_if_stale()

    def teach(
        self, new: NewProduct, images: Sequence[tuple], progress: ProgressCallback | None = None
    ) -> TeachResult:
        """``teach_product`` with the kiosk's repositories, then a new gallery with it."""
        with self._store_lock:
            result = teach_product(
                self.catalog, self._photos, self._encoder_now(), new, images, progress
            )
        self._rebuild_if_stale()
        return result

    def learn(self, sku: str | None, image: np.ndarray) -> int:
        """Staff named an unknown item ``sku``: its picture (cut from the counter) joins the
        product's photos and the gallery is rebuilt, for the next shopper. ``sku`` None: staff
        said the item is no product; its look is kept, and the next item like it is ignored
        (``ProductGallery._not_a_product``). Returns the new photo's id (``unlearn`` takes it
        back); raises ``NotLearned`` with the reason. Seconds: call it off the GUI thread.

        Measured on the shared grocery photos (``eval real-products --learn-from``, all 59
        products taught from 10 photos, then the other 1,394 training photos put on the counter
        and each unknown one named): right answers on the test photos rose from 25 to 34 % for
        fruit, 62 to 63 % for juices, 47 to 52 % for vegetables; wrong ones 5.4 to 6.2, 1.4 to
        0.5, 3.1 to 2.0 %.
        """
        problem = photo_problem_code(image)
        if problem is not None:
            raise NotLearned(problem)
        if sku is not None and self.catalog.load().get(sku).class_name != taught_class_name(sku):
            raise NotLearned(DETECTOR_PRODUCT)
        limit = MAX_NOT_PRODUCT_LOOKS if sku is None else MAX_PHOTOS_PER_PRODUCT
        with self._store_lock:
            encoder = self._encoder_now()
            appearance = encoder.encode_taught([image])[0]
            jpeg = encode_jpeg(image)
            photo_id = self._photos.add_photo(sku, jpeg, encoder.name, appearance, limit)
        if photo_id is None:
            raise NotLearned(GALLERY_FULL)
        self._rebuild_if_stale()
        log.info(
            "learned the look of %s from an unknown item staff named: photo %d",
            sku or "no product",
            photo_id,
        )
        return photo_id

    def refresh_if_changed(self) -> bool:
        """Rebuild the gallery when the stored photos changed since it was built (another kiosk
        taught, learned or forgot a product); True when it rebuilt. Nothing taught anywhere:
        nothing loads. One small query when nothing changed; seconds when something did, so off
        the GUI thread (``StoreRefresher``). A failed rebuild raises, and is tried again only
        when the photos change again (a model that will not load would load every round)."""
        revision = self._photos.revision()
        if revision == self._revision or (self._gallery is None and revision[0] == 0):
            return False
        try:
            if not self._rebuild_if_stale():
                return False
        except Exception:
            self._revision = revision
            raise
        log.info("taught products changed in the database: the gallery was rebuilt")
        return True

    def unlearn(self, photo_id: int) -> bool:
        """Staff undo a learning (the item was named wrongly): the photo ``learn`` stored is
        deleted and the gallery rebuilt. False when it was gone already. Seconds: off the GUI
        thread."""
        with self._store_lock:
            if not self._photos.delete_photo(photo_id):
                return False
        self._rebuild_if_stale()
        log.info("forgot the learned photo %d", photo_id)
        return True

    @property
    def empty_counter(self) -> np.ndarray | None:
        return self._empty_counter

    def set_empty_counter(self, image: np.ndarray | None) -> None:
        """The counter camera's picture of the empty counter (None: forget it), kept on disk."""
        self._empty_counter = None if image is None else image.copy()
        path = self._empty_counter_path
        if path is None:
            return
        if image is None:
            path.unlink(missing_ok=True)
            return
        import cv2

        partial = path.with_suffix(".part.png")
        if not cv2.imwrite(str(partial), image):
            raise OSError(f"could not write {partial}")
        partial.replace(path)  # never half a picture, even if the kiosk stops right now

    def counter_items(self) -> CounterItemDetector | None:
        """A detector of taught products and unknown items for the next visit, or None while
        there is no empty-counter shot or no taught product in the gallery. Cheap: nothing loads
        here.

        With none (never taught, or every one forgotten) the kiosk is the demo store it was at
        install, whose detector counts what it knows: the same before a restart as after it
        (which builds no gallery then)."""
        gallery, empty = self._gallery, self._empty_counter
        if gallery is None or not gallery.skus or empty is None or self._encoder is None:
            return None
        return CounterItemDetector(empty, gallery, self._encoder)

    def _encoder_now(self):
        with self._encoder_lock:
            if self._encoder is None:
                self._encoder = self._load_encoder()
            return self._encoder

    def _rebuild_if_stale(self) -> bool:
        """Build the gallery from the stored photos unless the last build already saw them
        (a build that started after they were stored); True when it built."""
        with self._build_lock:
            # Read before the photos: a photo stored meanwhile makes the next call build again.
            revision = self._photos.revision()
            if revision == self._revision and self._gallery is not None:
                return False
            self._gallery = load_gallery(self._photos, self._encoder_now())
            self._revision = revision
            return True


def load_gallery(
    photos: ProductPhotoRepository, encoder, policy: MatchPolicy | None = None
) -> ProductGallery:
    """The gallery of every active taught product and of the looks that are no product,
    re-encoding photos of an older encoder."""
    appearances: dict = {}
    for photo in _encoded_by(photos, encoder, photos.active_photos()):
        appearances.setdefault(photo.sku, []).append(photo.appearance)
    looks = [p.appearance for p in _encoded_by(photos, encoder, photos.not_product_looks())]
    return ProductGallery(appearances, policy or MatchPolicy(), looks)


def _encoded_by(photos: ProductPhotoRepository, encoder, stored: list) -> list:
    """``stored`` photos with appearances of ``encoder``: those of an older one encoded again
    (and stored)."""
    stale = [p for p in stored if p.encoder != encoder.name]
    if not stale:
        return stored
    log.info("encoding %d taught photos again for %s", len(stale), encoder.name)
    fresh = [
        TaughtPhoto(p.id, p.sku, p.photo_jpeg, encoder.name, reencode(encoder, p.photo_jpeg))
        for p in stale
    ]
    photos.replace_appearances(fresh)
    by_id = {p.id: p for p in fresh}
    return [by_id.get(p.id, p) for p in stored]


def encode_jpeg(image: np.ndarray) -> bytes:
    import cv2

    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise TeachError("could not store the photo as JPEG")
    return data.tobytes()


def reencode(encoder, jpeg: bytes):
    import cv2

    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return encoder.encode_taught([image])[0]


def _read_image(path: Path | None) -> np.ndarray | None:
    """A stored picture, or None when there is none (or it cannot be read: logged)."""
    if path is None or not path.is_file():
        return None
    import cv2

    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        log.warning("the empty-counter shot %s cannot be read: take it again", path)
    return image
