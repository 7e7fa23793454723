"""Per-call overhead of apotheca from Python: a no-op native call (version()), a trivial
operation (parse_expiry), and a small query (stock_totals), each as time per call and as a ratio
to the no-op. Run after `maturin develop --release` in bindings-python:

    python benches/bindings/overhead.py
"""

from __future__ import annotations

import timeit
from datetime import date
from decimal import Decimal

import apotheca
from apotheca import _native

ledger = apotheca.Ledger()
ledger.load_catalog({
    "locations": [{"id": "S1", "name": "Store"}],
    "products": [{"id": "P", "name": "Crocin 500", "generic_name": "Paracetamol 500 mg", "form": "tablet", "pack_size": 15,
                  "schedule": "otc", "tax_category": "3004", "storage": "ambient"}],
    "batches": [{"product": "P", "batch": f"B{i}", "expiry": date(2027, 1 + i % 12, 1), "unit_cost": Decimal("0.60"), "mrp": Decimal("1.36")} for i in range(5)],
})
ledger.post({"key": "grn", "date": date(2026, 1, 1), "lines": [
    {"type": "receipt", "product": "P", "batch": f"B{i}", "location": "S1", "qty": 10**9} for i in range(5)]})
counter = iter(range(10**9))
dispense = {"date": date(2026, 6, 1), "product": "P", "location": "S1", "qty": 1}

CASES = {
    "no-op native call (version)": lambda: _native.version(),
    "pure-Python no-op function": lambda: None,
    "parse_expiry('06/2027')": lambda: apotheca.parse_expiry("06/2027"),
    "stock_totals(product='P')": lambda: ledger.stock_totals(product="P"),
    "dispense 1 unit (FEFO + post)": lambda: ledger.dispense({**dispense, "key": f"rx{next(counter)}"}),
}


def per_call(fn: object, n: int) -> float:
    return min(timeit.repeat(fn, number=n, repeat=5)) / n  # type: ignore[arg-type]


base = per_call(CASES["no-op native call (version)"], 200_000)
print(f"{'python call':34} {'ns/call':>9} {'× no-op':>8}")
for name, fn in CASES.items():
    t = per_call(fn, 20_000 if "dispense" in name else 200_000)
    print(f"{name:34} {t * 1e9:9.0f} {t / base:8.1f}")
