"""Records payments one after another, printing each step, until it is killed.

Run by test_storage_kill.py: ``python payment_worker.py DATABASE_URL FIRST_NUMBER``.
"""

from __future__ import annotations

import sys

from checkout_app.core.cart import CartLine
from checkout_app.storage.db import open_database
from checkout_app.storage.transaction_repository import TransactionRepository

LINES = [CartLine("A1", "Hot Cup Ramen", 2, 1300), CartLine("B2", "Cola Can", 1, 1500)]
TOTAL = 4100


def main() -> None:
    url, first = sys.argv[1], int(sys.argv[2])
    repository = TransactionRepository(open_database(url))
    print("ready", flush=True)
    for number in range(first, first + 1_000_000):
        checkout_id = f"co-{number}"
        print("begin", checkout_id, flush=True)
        repository.record_payment(checkout_id, LINES, TOTAL, paid_by_name="Kim")
        print("recorded", checkout_id, flush=True)
        repository.end_payment(checkout_id)  # the kiosk has shown "Payment complete"
        print("ended", checkout_id, flush=True)


if __name__ == "__main__":
    main()
