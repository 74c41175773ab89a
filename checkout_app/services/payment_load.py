"""Several processes recording payments into one database at once, as a store's kiosks do.

The load behind ``checkout-app bench --payments`` (payments per second) and the exactly-once
test under contention (tests/storage/test_storage_contention.py). Each writer is its own process
with its own connections, like a kiosk. Besides new sales, a writer makes the duplicates a
payment must survive:

- a **retap**: a checkout id it paid before, paid again (the kiosk retrying after it lost the
  confirmation): must return the sale already stored, never store a second;
- a **shared** checkout id that every writer pays, racing the others on the same key (harder
  than anything two kiosks do, since each makes its own ids);
- a **same cart** under a new checkout id: a second, separate sale of the same products.

A database error (a locked SQLite file, a dropped connection) is retried after a short pause,
up to ``MAX_TRIES`` times per attempt; what still fails is counted as failed, not hidden.
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import statistics
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from checkout_app.core.cart import CartLine
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.transaction_repository import StoreUnavailable, TransactionRepository

MAX_TRIES = 20
RETRY_PAUSE_S = 0.05
# Products a generated cart is drawn from: (sku, name, unit price in won).
PRODUCTS = (
    ("A1", "Hot Cup Ramen", 1300),
    ("B2", "Cola Can", 1500),
    ("C3", "Crispy Chips", 1700),
    ("D4", "Banana Milk", 1400),
    ("E5", "Water 500ml", 900),
)
# Shares of a writer's attempts (the rest are new sales with a new cart).
RETAP_SHARE = 0.15
SHARED_SHARE = 0.15
SAME_CART_SHARE = 0.10


@dataclass(frozen=True)
class LoadPlan:
    writers: int
    attempts_per_writer: int
    max_delay_s: float = 0.0  # a random pause up to this long before each attempt
    seed: int = 0


def cart_for(cart_key: str) -> list[CartLine]:
    """The cart a key always stands for, in any process (``random`` seeds a str stably)."""
    rng = random.Random(cart_key)
    picked = rng.sample(PRODUCTS, rng.randint(1, 3))
    return [CartLine(sku, name, rng.randint(1, 3), price) for sku, name, price in picked]


def planned_attempts(plan: LoadPlan, writer: int) -> list[tuple[str, str]]:
    """The ``(checkout_id, cart_key)`` pairs writer ``writer`` pays, in order."""
    rng = random.Random(f"{plan.seed}-{writer}")
    shared_ids = max(1, plan.attempts_per_writer // 10)
    attempts: list[tuple[str, str]] = []
    for number in range(plan.attempts_per_writer):
        roll = rng.random()
        if attempts and roll < RETAP_SHARE:
            attempts.append(rng.choice(attempts))
        elif roll < RETAP_SHARE + SHARED_SHARE:
            key = f"shared-{plan.seed}-{rng.randrange(shared_ids)}"
            attempts.append((key, key))
        elif attempts and roll < RETAP_SHARE + SHARED_SHARE + SAME_CART_SHARE:
            attempts.append((f"w{writer}-{plan.seed}-{number}", rng.choice(attempts)[1]))
        else:
            checkout_id = f"w{writer}-{plan.seed}-{number}"
            attempts.append((checkout_id, checkout_id))
    return attempts


@dataclass(frozen=True)
class LoadReport:
    """What the writers did. ``expected`` maps every checkout id paid to its cart key."""

    plan: LoadPlan
    seconds: float
    attempts: int
    retried: Counter  # database errors that were retried: "Type: first line" -> times
    failed: list[str]  # checkout ids still failing after MAX_TRIES
    expected: dict[str, str]
    latencies_ms: list[float]

    def summary(self) -> dict:
        latencies = sorted(self.latencies_ms)
        return {
            "writers": self.plan.writers,
            "attempts": self.attempts,
            "distinct_sales": len(self.expected),
            "seconds": round(self.seconds, 3),
            "payments_per_s": round(self.attempts / self.seconds, 1),
            "sales_per_s": round(len(self.expected) / self.seconds, 1),
            "retried": sum(self.retried.values()),
            "retried_errors": dict(self.retried.most_common()),
            "failed": len(self.failed),
            "latency_ms": {
                "median": round(statistics.median(latencies), 2),
                "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
                "max": round(latencies[-1], 2),
            },
        }


def _pay(repository, checkout_id: str, cart_key: str, retried: Counter) -> None:
    """Record one payment as the kiosk does, counting each error retried in ``retried``;
    raises the error that is still there after ``MAX_TRIES``."""
    lines = cart_for(cart_key)
    total = sum(line.line_total for line in lines)
    tries = 0
    while True:
        try:
            repository.record_payment(checkout_id, lines, total, paid_by_name="Load")
            repository.end_payment(checkout_id)
            return
        except (SQLAlchemyError, StoreUnavailable) as exc:
            tries += 1
            if tries == MAX_TRIES:
                raise
            cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            retried[f"{type(exc).__name__}: {cause}"] += 1
            time.sleep(RETRY_PAUSE_S * tries)


def _writer(url: str, plan: LoadPlan, writer: int, barrier, results) -> None:
    """One writer process: open the database, wait for the others, pay every planned attempt."""
    try:
        sessions = open_database(url)
        repository = TransactionRepository(sessions)
        rng = random.Random(f"delays-{plan.seed}-{writer}")
        retried, failed, latencies = Counter(), [], []
        barrier.wait()
        for checkout_id, cart_key in planned_attempts(plan, writer):
            if plan.max_delay_s:
                time.sleep(rng.uniform(0, plan.max_delay_s))
            started = time.monotonic()
            try:
                _pay(repository, checkout_id, cart_key, retried)
            except SQLAlchemyError:
                failed.append(checkout_id)
            latencies.append((time.monotonic() - started) * 1000)
        # CLOCK_MONOTONIC is one clock for every process: the parent compares the stamps.
        results.put(("done", writer, retried, failed, latencies, time.monotonic()))
        close_database(sessions)
    except BaseException:
        results.put(("error", writer, traceback.format_exc()))
        barrier.abort()  # the parent stops waiting for the others to be ready
        raise


def run_payment_load(url: str, plan: LoadPlan, timeout_s: float = 600) -> LoadReport:
    """Start ``plan.writers`` processes on the database at ``url`` (made beforehand) and wait for
    them; raises RuntimeError with the writer's traceback if one fails."""
    context = multiprocessing.get_context("spawn")  # no forked connections or threads
    barrier = context.Barrier(plan.writers + 1)
    results = context.Queue()
    processes = [
        context.Process(target=_writer, args=(url, plan, writer, barrier, results))
        for writer in range(plan.writers)
    ]
    for process in processes:
        process.start()
    try:
        barrier.wait(timeout=timeout_s)  # every writer has opened the database
        started = time.monotonic()
        done = [results.get(timeout=timeout_s) for _ in processes]
    except threading.BrokenBarrierError:
        # A writer failed before the start (it broke the barrier): its traceback is on its way.
        done = [results.get(timeout=30)]
    except queue.Empty:
        raise RuntimeError(f"the payment writers did not finish in {timeout_s} s") from None
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    errors = [item[2] for item in done if item[0] == "error"]
    if errors:
        raise RuntimeError(f"a payment writer failed:\n{errors[0]}")
    expected = {
        checkout_id: cart_key
        for writer in range(plan.writers)
        for checkout_id, cart_key in planned_attempts(plan, writer)
    }
    return LoadReport(
        plan=plan,
        seconds=max(item[5] for item in done) - started,
        attempts=plan.writers * plan.attempts_per_writer,
        retried=sum((item[2] for item in done), Counter()),
        failed=[checkout_id for item in done for checkout_id in item[3]],
        expected=expected,
        latencies_ms=[ms for item in done for ms in item[4]],
    )
