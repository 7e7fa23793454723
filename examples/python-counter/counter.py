"""At the counter: price a GST invoice for a prescription and screen it for interactions, with
the types of ``apotheca.types`` (mypy ``--strict`` passes on this file).

    python examples/python-counter/counter.py
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import apotheca
from apotheca.types import InvoiceLine, PricedInvoice, Screening

#: 5 % GST on medicines (HSN 3004), split CGST + SGST within the state, IGST across states.
RULES = {"rules": [{"category": "3004", "effective_from": date(2025, 9, 22),
                    "components": [{"name": "GST", "kind": "gst", "rate": Decimal("5")}]}]}

#: The prescription: what, how many and the MRP (GST inside it).
PRESCRIPTION: list[tuple[str, int, Decimal]] = [
    ("WARFARIN5", 30, Decimal("3.10")),
    ("BRUFEN400", 15, Decimal("1.42")),
    ("PCM500", 15, Decimal("1.36")),
]
#: The same medicines as the prescriber wrote them.
WRITTEN = ["Warfarin 5 mg", "Brufen 400", "paracetmol 500"]


def invoice(place_of_supply: str = "KA", day: date = date(2026, 11, 20)) -> PricedInvoice:
    """The counter sale, MRP inclusive, rounded to the rupee, the total in words."""
    billing = apotheca.Billing(RULES)
    lines: list[InvoiceLine] = [
        {"product": p, "qty": q, "unit_price": mrp, "mrp": mrp, "price_includes_tax": True,
         "tax_category": "3004"}
        for p, q, mrp in PRESCRIPTION
    ]
    return billing.price_invoice({
        "date": day, "currency": "INR", "seller_region": "KA", "place_of_supply": place_of_supply,
        "lines": lines, "rounding": {"cash": {"increment": Decimal("1.00")}}, "words": "indian",
    })


def screen(written: list[str] = WRITTEN) -> Screening:
    """The prescription against the sample knowledge base (not clinical advice)."""
    return apotheca.Interactions.sample().screen({"medications": written})


def main() -> tuple[PricedInvoice, Screening]:
    inv, s = invoice(), screen()
    for line in inv["lines"]:
        print(f"{line['product']:10} {line['qty']:3} × {line['unit_price']:>6}  "
              f"taxable {line['taxable']:>7}  GST {line['tax']:>5}  {line['total']:>7}")
    for tax in inv["taxes"]:
        print(f"{tax['name']:10} {tax['rate']:>4} % on {tax['taxable']:>7}: {tax['amount']:>6}")
    t = inv["totals"]
    print(f"total {t['total_before_round_off']}, round off {t['round_off']}, "
          f"grand total {t['grand_total']} ({inv['amount_in_words']})")
    for e in s["resolved"]:
        print(f"{e['entry']!r} read as {e['name']}")
    for a in s["alerts"]:
        print(f"{a['severity'].upper():8} {a['kind']}: {a['message']}")
    for r in s["suggestions"]:
        print(f"{r['query']!r}: did you mean {', '.join(c['name'] for c in r['candidates'])}?")
    return inv, s


if __name__ == "__main__":
    main()
