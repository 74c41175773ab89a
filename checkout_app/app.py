"""The one place that picks concrete implementations (model runtime, database) for the app."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy.orm import sessionmaker

from checkout_app.core.catalog import Catalog
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.registry import FaceRegistry
from checkout_app.models_meta import ModelFileError
from checkout_app.paths import DEFAULT_PRODUCT_MODEL
from checkout_app.services.counter_session import CounterSession
from checkout_app.services.kiosk_settings import KioskSettings
from checkout_app.services.product_teaching import ProductTeacher
from checkout_app.services.staff_auth import StaffPin
from checkout_app.services.store_refresh import StoreRefresher
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database
from checkout_app.storage.override_repository import NamedItemRepository, OverrideRepository
from checkout_app.storage.product_photo_repository import ProductPhotoRepository
from checkout_app.storage.transaction_repository import TransactionRepository
from checkout_app.vision.detections import ProductDetector

log = logging.getLogger(__name__)

# The counter camera's picture of the empty counter: what taught products and unknown items are
# told apart from (staff take it in Products → Teach a product).
EMPTY_COUNTER_FILE = "counter_empty.png"

DEFAULT_MODEL_REBUILD = "checkout-app train products --out models/products_yolov8n.pt"
TORCH_BACKEND_DESCRIPTION = "torch (ultralytics, facenet-pytorch)"


def load_product_detector(
    model_path: Path | None,
    home: Path,
    *,
    min_confidence: float | None = None,
    backend: str | None = "torch",
    device: str = "cpu",
) -> ProductDetector:
    """The product detector from ``model_path`` (default: the shipped model) on ``backend``.

    ``backend``: "torch", "onnxruntime", "onnxruntime-int8", "tensorrt" or "auto"; None means
    ``$CHECKOUT_APP_BACKEND``, else "auto". onnxruntime and TensorRT run the ONNX export of
    ``model_path`` (``checkout-app export``) and refuse one exported from another version of it.
    ``device`` (torch only): "cpu", "cuda", a CUDA index or "auto".
    """
    from checkout_edge.defaults import MIN_CONFIDENCE

    from checkout_app.backends.registry import (
        ONNXRUNTIME,
        ONNXRUNTIME_INT8,
        TENSORRT,
        TORCH,
        BackendError,
        onnx_model_path,
        resolve_backend,
    )
    from checkout_app.backends.torch_device import resolve_device

    path = model_path or DEFAULT_PRODUCT_MODEL
    confidence = MIN_CONFIDENCE if min_confidence is None else min_confidence
    name = resolve_backend(backend, home, path)
    if name != TORCH and device != "cpu":
        raise BackendError(f"--device {device} applies to the torch backend, not {name}")
    if name == ONNXRUNTIME:
        from checkout_app.backends.onnxruntime_models import load_onnx_detector

        return load_onnx_detector(onnx_model_path(home, path), path, min_confidence=confidence)
    if name == ONNXRUNTIME_INT8:
        from checkout_app.backends.onnxruntime_models import load_int8_detector

        return load_int8_detector(onnx_model_path(home, path), path, min_confidence=confidence)
    if name == TENSORRT:
        from checkout_app.backends.tensorrt_models import load_tensorrt_detector

        return load_tensorrt_detector(onnx_model_path(home, path), path, min_confidence=confidence)
    from checkout_app.backends.ultralytics_detector import UltralyticsProductDetector

    hint = (
        DEFAULT_MODEL_REBUILD
        if model_path is None
        else (f"checkout-app train products --out {path}")
    )
    return UltralyticsProductDetector(
        path, home, rebuild_hint=hint, min_confidence=confidence, device=resolve_device(device)
    )


def load_face_embedder(
    home: Path,
    backend: str,
    progress: Callable[[int, int], None] | None = None,
):
    """FaceNet on a concrete ``backend`` (see ``resolve_backend``), preparing the weights on
    first use. onnxruntime and TensorRT need the export of exactly these weights."""
    from checkout_app.backends.facenet_convert import (
        prepare_facenet_weights,
        prepared_weights_path,
    )
    from checkout_app.backends.registry import ONNXRUNTIME, ONNXRUNTIME_INT8, TENSORRT, onnx_dir

    if backend not in (ONNXRUNTIME, ONNXRUNTIME_INT8, TENSORRT):
        from checkout_app.backends.facenet_torch import load_torch_embedder

        return load_torch_embedder(home, progress=progress)
    weights = prepared_weights_path(home) or prepare_facenet_weights(home, progress)
    onnx_path = onnx_dir(home) / f"{weights.stem}.onnx"
    if backend == TENSORRT:
        from checkout_app.backends.tensorrt_models import load_tensorrt_embedder

        return load_tensorrt_embedder(onnx_path, weights)
    if backend == ONNXRUNTIME_INT8:
        from checkout_app.backends.onnxruntime_models import load_int8_embedder

        return load_int8_embedder(onnx_path, weights)
    from checkout_app.backends.onnxruntime_models import load_onnx_embedder

    return load_onnx_embedder(onnx_path, weights)


def load_appearance_encoder(home: Path, progress: Callable[[int, int], None] | None = None):
    """The product appearance encoder: colour, FaceNet's trunk (weights prepared on first use)
    and printed text."""
    from checkout_app.backends.facenet_convert import (
        prepare_facenet_weights,
        prepared_weights_path,
    )
    from checkout_app.backends.facenet_trunk import FacenetTrunkDescriptor
    from checkout_app.backends.ocr_reader import OcrReader
    from checkout_app.products.appearance import AppearanceEncoder

    weights = prepared_weights_path(home) or prepare_facenet_weights(home, progress)
    try:
        reader = OcrReader()
    except ModelFileError as exc:  # no OCR wheel for this Python: products by their looks only
        log.warning("%s", exc)
        reader = None
    return AppearanceEncoder(FacenetTrunkDescriptor(weights), reader)


def describe_backend(backend: str, model_files: list) -> str:
    """What the status bar and the staff system page show, e.g. "onnxruntime (a.onnx, b.onnx)"."""
    if backend == "torch":
        return TORCH_BACKEND_DESCRIPTION
    return f"{backend} ({', '.join(name for name, _meta in model_files)})"


def open_catalog(home: Path, database_url: str | None = None) -> Catalog:
    """The store catalog from the database; a new database starts with the demo catalog."""
    from checkout_app.core.catalog_csv import load_catalog_csv
    from checkout_app.paths import DEMO_CATALOG_PATH
    from checkout_app.storage.catalog_repository import CatalogRepository
    from checkout_app.storage.db import default_database_url, open_database

    repository = CatalogRepository(open_database(database_url or default_database_url(home)))
    repository.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH))
    return repository.load()


@dataclass
class KioskServices:
    """Everything the kiosk window drives, built once at start-up (off the GUI thread)."""

    home: Path
    settings: KioskSettings
    sessions: sessionmaker
    catalog_repository: CatalogRepository
    transactions: TransactionRepository
    counter: CounterSession
    # None when the face models could not be prepared: the kiosk still sells, without face pay.
    face_pipeline: FacePipeline | None
    registry: FaceRegistry | None
    staff_pin: StaffPin
    teacher: ProductTeacher  # staff teach products from photos; its models load on first use
    model_files: list = field(default_factory=list)  # (file name, sidecar dict) per loaded model
    backend: str = TORCH_BACKEND_DESCRIPTION
    face_pay_problem: str | None = None  # why face pay is off, for staff (None: it works)
    # Payments a crash interrupted before this start, until staff mark them as seen.
    interrupted_payments: list = field(default_factory=list)
    # Brings in what other kiosks of the store change: faces at once, prices between shoppers.
    refresher: StoreRefresher | None = None

    @property
    def overrides(self) -> OverrideRepository:
        """Counts staff approved below the camera's (a thin wrapper: no state of its own)."""
        return OverrideRepository(self.sessions)

    @property
    def named_items(self) -> NamedItemRepository:
        """Unknown items staff named at the counter (a thin wrapper, like ``overrides``)."""
        return NamedItemRepository(self.sessions)

    def close(self) -> None:
        if self.refresher is not None:
            self.refresher.stop()
        close_database(self.sessions)


def _barcode_reader():
    """zxing-cpp's reader, or None (logged) where the wheel is missing: the kiosk still sells."""
    from checkout_app.vision.barcode_reader import BarcodeReader, BarcodeUnavailable

    try:
        return BarcodeReader()
    except BarcodeUnavailable as exc:
        log.warning("barcode scanning is off: %s", exc)
        return None


def build_kiosk_services(
    home: Path,
    settings: KioskSettings,
    database_url: str | None = None,
    model_path: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    backend: str | None = None,
) -> KioskServices:
    """Open the database, load every model and, in demo face mode, register the demo shopper.

    ``progress(step, done, total)`` reports the steps (and the FaceNet conversion on first use).
    ``backend`` runs the product detector and FaceNet (None: ``$CHECKOUT_APP_BACKEND``, else
    "auto"; MTCNN stays on torch). Raises ``ModelFileError`` for a missing or broken product
    model and ``BackendError`` for a backend that cannot run here. Face models that cannot be
    prepared or loaded do not stop the kiosk: face pay is then off and ``face_pay_problem``
    says why.
    """
    from checkout_app.core.catalog_csv import load_catalog_csv
    from checkout_app.paths import DEMO_CATALOG_PATH
    from checkout_app.storage.db import default_database_url, open_database
    from checkout_app.vision.tracker import TrackerConfig

    def report(step: str, done: int = 0, total: int = 0) -> None:
        if progress:
            progress(step, done, total)

    report("database")
    sessions = open_database(database_url or default_database_url(home))
    catalog_repository = CatalogRepository(sessions)
    catalog_repository.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH))
    report("product_model")
    detector = load_product_detector(
        model_path, home, min_confidence=settings.min_confidence, backend=backend
    )
    backend_name = detector.backend  # "auto" resolved once, by the loader; FaceNet follows it
    report("taught_products")
    teacher = ProductTeacher(
        catalog_repository,
        ProductPhotoRepository(sessions),
        lambda: load_appearance_encoder(home),
        empty_counter_path=home / EMPTY_COUNTER_FILE,
    )
    try:
        teacher.prepare()
    except Exception as exc:  # taught products are optional: the kiosk must start regardless
        log.error("taught products are not recognised on the counter: %s", exc, exc_info=True)
    tracker_config = TrackerConfig.for_fps(15.0, min_confidence=settings.min_confidence)
    counter = CounterSession(
        detector,
        catalog_repository.load(),
        tracker_config,
        barcode_reader=_barcode_reader(),
        counter_items=teacher.counter_items,
    )
    model_files = [(detector.model_path.name, detector.meta)]
    report("face_models")
    face_pipeline = registry = None
    face_pay_problem = None
    try:
        face_pipeline, registry = _load_face_pay(home, settings, sessions, backend_name, report)
        model_files.append((face_pipeline.embedder.weights_path.name, face_pipeline.embedder.meta))
    except Exception as exc:  # face pay is optional: product checkout must start regardless
        log.error("face pay is unavailable: %s", exc, exc_info=not isinstance(exc, ModelFileError))
        face_pay_problem = str(exc)
    transactions = TransactionRepository(sessions)
    interrupted = transactions.interrupted_payments(settings.kiosk_id)
    for payment in interrupted:
        log.warning(
            "payment %s (%d won, %s) was interrupted by a crash: %s",
            payment.checkout_id,
            payment.total,
            payment.paid_by_name,
            "charged" if payment.charged else "not charged",
        )
    refresher = StoreRefresher(catalog_repository.load, counter.catalog, registry, teacher=teacher)
    refresher.start()
    return KioskServices(
        home=home,
        settings=settings,
        sessions=sessions,
        catalog_repository=catalog_repository,
        transactions=transactions,
        counter=counter,
        face_pipeline=face_pipeline,
        registry=registry,
        staff_pin=StaffPin(home / "staff_pin.json"),
        teacher=teacher,
        model_files=model_files,
        backend=describe_backend(backend_name, model_files),
        face_pay_problem=face_pay_problem,
        interrupted_payments=interrupted,
        refresher=refresher,
    )


def _load_face_pay(
    home: Path,
    settings: KioskSettings,
    sessions: sessionmaker,
    backend_name: str,
    report: Callable[..., None],
) -> tuple[FacePipeline, FaceRegistry]:
    """MTCNN + FaceNet on ``backend_name`` and the face registry; in demo face mode, with the
    demo shopper registered. FaceNet's weights are prepared on first use."""
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.faces.matcher import RecognitionPolicy
    from checkout_app.storage.face_repository import FaceRepository

    embedder = load_face_embedder(
        home, backend_name, progress=lambda done, total: report("face_weights", done, total)
    )
    pipeline = FacePipeline(MtcnnFaceDetector(), embedder)
    policy = RecognitionPolicy(
        unknown_distance_threshold=settings.face_distance_threshold,
        min_svm_margin=settings.face_min_margin,
    )
    registry = FaceRegistry(FaceRepository.for_home(sessions, home), embedder.name, policy)
    if settings.face_source == "demo":
        from checkout_app.services.demo_shopper import ensure_demo_shopper

        report("demo_shopper")
        ensure_demo_shopper(pipeline, registry)
    return pipeline, registry
