"""Keeps a kiosk in step with the store database that other kiosks and staff commands change.

Every ``interval_s`` a background thread checks for

- people enrolled or deleted elsewhere: the face registry reloads at once, so a new shopper can
  pay and a deleted one is identified nowhere, with nothing of them left cached;
- a changed catalog (prices, names, products, barcodes): it is handed to the kiosk
  (``take_catalog``), which puts it in place between shoppers, never under an open cart;
- photos of taught products taught, learned from staff or forgotten elsewhere: the gallery of
  taught products is rebuilt here (``ProductTeacher.refresh_if_changed``), and the kiosk uses
  it from the next shopper. A rebuild takes seconds, so this check has a thread of its own: a
  person deleted elsewhere must stop paying here within the interval, rebuild or not;
- faces this kiosk's key cannot read (another kiosk enrolled first, with a key of its own): the
  reason is handed to the kiosk (``take_face_pay_problem``), which turns face pay off and says
  why, instead of failing to recognise everyone enrolled there.

The checks run off the GUI thread because a database server that went away makes a check wait
for the connection timeout; meanwhile the kiosk goes on with what it has. An outage is logged
once, and its end too.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from checkout_app.core.catalog import Catalog
from checkout_app.faces.embedding_cipher import EmbeddingKeyError
from checkout_app.faces.registry import FaceRegistry

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 2.0  # a change made on one kiosk reaches the others within about this


def _products(catalog: Catalog) -> tuple:
    return tuple(sorted(catalog, key=lambda product: product.sku))


class StoreRefresher:
    """Polls the database for changes made elsewhere; ``start``/``stop`` its threads."""

    def __init__(
        self,
        load_catalog: Callable[[], Catalog],
        catalog: Catalog,
        registry: FaceRegistry | None,
        interval_s: float = DEFAULT_INTERVAL_S,
        teacher=None,
    ) -> None:
        self._load_catalog = load_catalog
        self._teacher = teacher  # a ProductTeacher, or None where products are not taught
        self._seen = _products(catalog)
        self._registry = registry
        self._interval_s = interval_s
        self._pending: Catalog | None = None
        self._face_pay_problem: str | None = None
        self._face_pay_refused = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[tuple[threading.Thread, float]] = []  # with its join timeout, s
        self._failing = False
        self._gallery_failing = False

    def check_once(self) -> None:
        """One round of the faces and catalog checks (the first thread's loop body); database
        errors are logged, not raised."""
        try:
            self._refresh_faces()
            catalog = self._load_catalog()
        except Exception as exc:
            if not self._failing:
                log.warning("cannot bring in changes from the store database: %s", exc)
            self._failing = True
            return
        if self._failing:
            log.info("the store database answers again")
            self._failing = False
        products = _products(catalog)
        if products != self._seen:
            log.info("the catalog changed in the database: applied from the next shopper")
            with self._lock:
                self._seen = products
                self._pending = catalog

    def check_taught_products_once(self) -> None:
        """One round of the taught products' check (the second thread's loop body): errors are
        logged once until a round succeeds again, not raised; the kiosk goes on with the
        gallery it has."""
        if self._teacher is None:
            return
        try:
            self._teacher.refresh_if_changed()
        except Exception as exc:  # the database is away, or a model will not load
            if not self._gallery_failing:
                log.warning("could not bring in the taught products' changes: %s", exc)
            self._gallery_failing = True
            return
        self._gallery_failing = False

    def _refresh_faces(self) -> None:
        if self._registry is None or self._face_pay_refused:
            return
        try:
            self._registry.refresh_if_changed()
        except EmbeddingKeyError as exc:
            log.error("face pay turned off: %s", exc)
            with self._lock:
                self._face_pay_refused = True
                self._face_pay_problem = str(exc)

    def take_face_pay_problem(self) -> str | None:
        """Why face pay must stop here (once), or None."""
        with self._lock:
            problem, self._face_pay_problem = self._face_pay_problem, None
            return problem

    def take_catalog(self) -> Catalog | None:
        """The catalog as changed since the last call, or None when it did not change."""
        with self._lock:
            catalog, self._pending = self._pending, None
            return catalog

    def start(self) -> None:
        # The faces' round waits at most one check, bounded by the connect timeout; a gallery
        # rebuild under way is left to finish or fail on its own (a daemon thread: the kiosk
        # does not wait for it).
        rounds = [("store-refresh", self.check_once, 15.0)]
        if self._teacher is not None:
            rounds.append(("store-refresh-products", self.check_taught_products_once, 1.0))
        self._threads = [
            (threading.Thread(target=self._run, args=(check,), name=name, daemon=True), timeout)
            for name, check, timeout in rounds
        ]
        for thread, _timeout in self._threads:
            thread.start()

    def _run(self, check: Callable[[], None]) -> None:
        while not self._stop.wait(self._interval_s):
            check()

    def stop(self) -> None:
        self._stop.set()
        for thread, timeout in self._threads:
            thread.join(timeout)
