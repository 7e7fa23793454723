"""Threads share one ledger (calls release the GIL); values and ledgers pickle."""

from __future__ import annotations

import pickle
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import apotheca


def stocked(qty: int) -> apotheca.Ledger:
    l = apotheca.Ledger()
    l.load_catalog({
        "locations": [{"id": "S1", "name": "Store"}],
        "products": [{"id": "P", "name": "Mox", "generic_name": "Amoxicillin 500 mg", "form": "capsule", "pack_size": 10,
                      "schedule": "prescription", "tax_category": "3004", "storage": "ambient"}],
        "batches": [{"product": "P", "batch": b, "expiry": date(2027, m, 28), "unit_cost": Decimal("2.10"), "mrp": Decimal("4.50")}
                    for b, m in (("B1", 1), ("B2", 6))],
    })
    l.post({"key": "grn", "date": date(2026, 1, 5), "lines": [
        {"type": "receipt", "product": "P", "batch": b, "location": "S1", "qty": qty} for b in ("B1", "B2")]})
    return l


def test_eight_threads_never_oversell() -> None:
    ledger = stocked(1500)  # 3,000 units, 4,000 asked for
    ok = [0] * 8

    def worker(t: int) -> None:
        for i in range(t, 4000, 8):
            try:
                ledger.dispense({"key": f"rx-{i}", "date": date(2026, 6, 1), "product": "P", "location": "S1", "qty": 1,
                                 "policy": {"allow_partial": False}})
                ok[t] += 1
            except apotheca.StockError:
                pass

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(ok) == 3000
    assert ledger.stock_totals(product="P")["on_hand"] == 0


def test_ledger_and_values_pickle() -> None:
    ledger = stocked(10)
    result: Any = ledger.dispense({"key": "rx", "date": date(2026, 6, 1), "product": "P", "location": "S1", "qty": 12})
    clone = pickle.loads(pickle.dumps(ledger))
    assert clone.digest() == ledger.digest()
    assert pickle.loads(pickle.dumps(result)) == result
    assert result["posting"]["lines"][0]["cost_fifo"] == Decimal("21.00")
    err = apotheca.StockError("msg", "INSUFFICIENT_STOCK")
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.code, again.message) == (apotheca.StockError, "INSUFFICIENT_STOCK", "msg")


def _worker_digest_after_dispense(ledger: apotheca.Ledger) -> tuple[str, int]:
    """Runs in another process: the ledger arrived by pickle and works there."""
    ledger.dispense({"key": "rx-remote", "date": date(2026, 6, 1), "product": "P", "location": "S1", "qty": 3})
    return ledger.digest(), ledger.stock_totals(product="P")["on_hand"]


def test_a_ledger_ships_to_another_process() -> None:
    import multiprocessing

    ledger = stocked(10)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        digest, on_hand = pool.apply(_worker_digest_after_dispense, (ledger,))
    assert on_hand == 17
    ledger.dispense({"key": "rx-remote", "date": date(2026, 6, 1), "product": "P", "location": "S1", "qty": 3})
    assert ledger.digest() == digest, "the same dispense here gives the same state as there"
