"""The counter's two hot calls from Python, apotheca against a straightforward plain-Python
implementation of the same job in the same run:

- a FEFO dispense of one unit (skip expired and short-dated batches, take from the earliest
  expiry, record the posting under its idempotency key, refuse a repeated key), and
- a 100-line GST invoice with the tax inside the MRP (taxable value backed out per line at
  5, 12 or 18 %, CGST and SGST halves rounded to the paisa, totals, cash rounding to the rupee).

    python benches/peers/counter_ratio.py

Prints microseconds per call for each and the ratio (a ratio above 1: apotheca is faster).
The peers do less than apotheca (no event log, hash chain, costing, stock cards or checked
arithmetic; no HSN summary or amount in words): they are what a service would hand-write.
"""

from __future__ import annotations

import timeit
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import apotheca

DAY = date(2026, 6, 1)
PAISA, RUPEE = Decimal("0.01"), Decimal("1")


class PeerLedger:
    """Batches per product, kept in expiry order; postings by key."""

    def __init__(self, batches: list[dict[str, Any]]) -> None:
        self.stock: dict[str, list[dict[str, Any]]] = {}
        for b in sorted(batches, key=lambda b: b["expiry"]):
            self.stock.setdefault(b["product"], []).append(dict(b))
        self.postings: dict[str, list[tuple[str, int]]] = {}

    def dispense(self, key: str, product: str, qty: int, on: date, min_days: int = 0) -> list[tuple[str, int]]:
        if key in self.postings:
            raise ValueError(f"duplicate posting {key}")
        picks, skipped, left = [], [], qty
        for b in self.stock.get(product, []):
            if left == 0:
                break
            if b["qty"] == 0:
                continue
            if b["expiry"] <= on:
                skipped.append((b["batch"], "expired"))
                continue
            if (b["expiry"] - on).days < min_days:
                skipped.append((b["batch"], "short_dated"))
                continue
            take = min(left, b["qty"])
            picks.append((b["batch"], take))
            left -= take
        if left:
            raise ValueError(f"insufficient stock: {qty - left} of {qty}")
        for (batch, take), b in zip(picks, [b for b in self.stock[product] if b["batch"] in dict(picks)]):
            b["qty"] -= take
        self.postings[key] = picks
        return picks


def peer_invoice(lines: list[tuple[int, Decimal, Decimal]]) -> dict[str, Any]:
    """(qty, mrp, rate) lines, GST inside the MRP, intra-state."""
    taxable = cgst = sgst = total = Decimal(0)
    out = []
    for qty, mrp, rate in lines:
        gross = (mrp * qty).quantize(PAISA, ROUND_HALF_UP)
        base = (gross * 100 / (100 + rate)).quantize(PAISA, ROUND_HALF_UP)
        half = ((gross - base) / 2).quantize(PAISA, ROUND_HALF_UP)
        c, s = half, gross - base - half
        out.append((base, c, s, gross))
        taxable, cgst, sgst, total = taxable + base, cgst + c, sgst + s, total + gross
    grand = total.quantize(RUPEE, ROUND_HALF_UP)
    return {"lines": out, "taxable": taxable, "cgst": cgst, "sgst": sgst, "total": total,
            "round_off": grand - total, "grand_total": grand}


def per_call(f: Any, n: int) -> float:
    return min(timeit.repeat(f, number=n, repeat=5)) / n


def main() -> None:
    batches = [{"product": "P", "batch": f"B{i}", "expiry": DAY + timedelta(days=30 * i - 60),
                "qty": 10**9} for i in range(5)]
    peer = PeerLedger(batches)
    ledger = apotheca.Ledger()
    ledger.load_catalog({
        "locations": [{"id": "S1", "name": "Store"}],
        "products": [{"id": "P", "name": "Crocin 500", "generic_name": "Paracetamol 500 mg",
                      "form": "tablet", "pack_size": 15, "schedule": "otc",
                      "tax_category": "3004", "storage": "ambient"}],
        "batches": [{"product": "P", "batch": b["batch"], "expiry": b["expiry"],
                     "unit_cost": Decimal("0.60"), "mrp": Decimal("1.36")} for b in batches],
    })
    ledger.post({"key": "grn", "date": DAY - timedelta(days=90), "lines": [
        {"type": "receipt", "product": "P", "batch": b["batch"], "location": "S1", "qty": 10**9}
        for b in batches]})
    n = iter(range(10**9))
    # Both pass over the two expired batches and the short-dated one, and pick the same batch.
    first = ledger.dispense({"key": "probe", "date": DAY, "product": "P", "location": "S1", "qty": 1,
                             "policy": {"min_shelf_life_days": 45}})
    assert [p["batch"] for p in first["allocation"]["picks"]] == [b for b, _ in peer.dispense("probe", "P", 1, DAY, 45)]
    t_peer = per_call(lambda: peer.dispense(f"k{next(n)}", "P", 1, DAY, 45), 20_000)
    t_ours = per_call(lambda: ledger.dispense({"key": f"k{next(n)}", "date": DAY, "product": "P",
                                               "location": "S1", "qty": 1,
                                               "policy": {"min_shelf_life_days": 45}}), 20_000)
    rates = [Decimal(5), Decimal(12), Decimal(18)]
    lines = [(1 + i % 7, Decimal("1.36") + Decimal(i) / 4, rates[i % 3]) for i in range(100)]
    billing = apotheca.Billing({"rules": [
        {"category": f"R{r}", "effective_from": date(2025, 9, 22),
         "components": [{"name": "GST", "kind": "gst", "rate": r}]} for r in rates]})
    request = {"date": DAY, "currency": "INR", "seller_region": "KA", "place_of_supply": "KA",
               "rounding": {"cash": {"increment": Decimal("1.00")}},
               "lines": [{"product": f"P{i}", "qty": q, "unit_price": m, "mrp": m,
                          "price_includes_tax": True, "tax_category": f"R{r}"}
                         for i, (q, m, r) in enumerate(lines)]}
    ours, theirs = billing.price_invoice(request), peer_invoice(lines)
    assert ours["totals"]["grand_total"] == theirs["grand_total"], (ours["totals"], theirs)
    t_bill_peer = per_call(lambda: peer_invoice(lines), 500)
    t_bill_ours = per_call(lambda: billing.price_invoice(request), 500)
    print(f"{'from Python':44} {'peer µs':>9} {'apotheca µs':>12} {'peer / apotheca':>16}")
    print(f"{'FEFO dispense, 1 unit, 5 batches':44} {t_peer * 1e6:9.1f} {t_ours * 1e6:12.1f} {t_peer / t_ours:15.2f}x")
    print(f"{'100-line GST invoice, MRP inclusive':44} {t_bill_peer * 1e6:9.1f} {t_bill_ours * 1e6:12.1f} {t_bill_peer / t_bill_ours:15.2f}x")


if __name__ == "__main__":
    main()
