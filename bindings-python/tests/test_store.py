"""A stored ledger from Python: durable writes, reopen, threads sharing commits, typed errors,
and PostgreSQL (the test command starts a throw-away server; without one the PostgreSQL test is
reported as skipped with its reason)."""

from __future__ import annotations

import os
import pickle
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import apotheca

CATALOG: Any = {
    "locations": [{"id": "S1", "name": "Store"}],
    "products": [{"id": "P", "name": "Crocin 500", "generic_name": "Paracetamol 500 mg", "form": "tablet",
                  "pack_size": 15, "schedule": "otc", "tax_category": "3004", "storage": "ambient"}],
    "batches": [{"product": "P", "batch": "B", "expiry": date(2027, 12, 31), "unit_cost": Decimal("0.60"),
                 "mrp": Decimal("1.36")}],
}


def receipt(key: str, qty: int = 10) -> Any:
    return {"key": key, "date": date(2026, 11, 20), "reference": f"GRN-{key}",
            "lines": [{"type": "receipt", "product": "P", "batch": "B", "location": "S1", "qty": qty}]}


def dispense(key: str) -> Any:
    return {"key": key, "date": date(2026, 11, 21), "product": "P", "location": "S1", "qty": 1,
            "policy": {"allow_partial": False}}


def exercise(url: str) -> None:
    with apotheca.Ledger.open(url) as ledger:
        assert ledger.stored
        ledger.load_catalog(CATALOG)
        first = ledger.post(receipt("r1", 100))
        assert ledger.post(receipt("r1", 100)) == first
        # Eight threads at once share commits (the GIL is released while they wait).
        results: list[Any] = []

        def work(t: int) -> None:
            for i in range(25):
                try:
                    results.append(ledger.dispense(dispense(f"d{t}-{i}")))
                except apotheca.StockError:
                    results.append(None)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r is not None for r in results) == 100
        assert ledger.stock_totals(product="P")["on_hand"] == 0
        assert ledger.snapshot() == len(ledger)
        digest, count = ledger.digest(), len(ledger)
        card = ledger.stock_card("P")
    with pytest.raises(apotheca.StoreUnavailableError) as e:
        ledger.post(receipt("r2"))
    assert e.value.code == "STORE_UNAVAILABLE"
    again = apotheca.Ledger.open(url)
    try:
        assert (again.digest(), len(again)) == (digest, count)
        assert again.stock_card("P") == card
        tail = again.events_since(count - 1)
        assert len(tail) == 1 and tail[0]["seq"] == count - 1
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(again)
        assert repr(again).startswith("<apotheca.Ledger: stored, ")
    finally:
        again.close()


def test_sqlite(tmp_path: Path) -> None:
    exercise(f"sqlite:{tmp_path / 'ledger.db'}")


def test_postgres() -> None:
    url = os.environ.get("APOTHECA_PG_URL")
    if not url:
        if os.environ.get("APOTHECA_REQUIRE_POSTGRES"):
            pytest.fail("APOTHECA_REQUIRE_POSTGRES is set but APOTHECA_PG_URL is not")
        pytest.skip("no PostgreSQL server: APOTHECA_PG_URL is not set (cargo xtask test starts one)")
    exercise(url)


def test_open_refuses_bad_urls(tmp_path: Path) -> None:
    with pytest.raises(apotheca.InputError) as e:
        apotheca.Ledger.open("mysql://x")
    assert e.value.code == "INVALID_INPUT"
    with pytest.raises(apotheca.InputError):
        apotheca.Ledger.open(f"sqlite:{tmp_path / 'l.db'}?snapshot_every=often")
    with pytest.raises(apotheca.StoreUnavailableError):
        apotheca.Ledger.open("sqlite:/nonexistent/dir/l.db")
    with pytest.raises(apotheca.InputError) as e2:
        apotheca.Ledger().snapshot()
    assert e2.value.code == "INVALID_INPUT"


def test_incremental_events_restore_a_ledger() -> None:
    # Without a store (a notebook, a page): save events_since(n) after each write.
    ledger = apotheca.Ledger()
    ledger.load_catalog(CATALOG)
    saved: list[Any] = []
    for i in range(5):
        ledger.post(receipt(f"r{i}"))
        saved.extend(ledger.events_since(len(saved)))
    assert apotheca.Ledger.from_events(saved).digest() == ledger.digest()
