"""Wrong types and hostile values: each gets the right error code, never a crash, and the
ledger is unchanged afterwards."""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

import pytest

import apotheca

CATALOG: Any = {
    "locations": [{"id": "S1", "name": "Store"}],
    "products": [{"id": "P", "name": "Crocin 500", "generic_name": "Paracetamol 500 mg", "form": "tablet", "pack_size": 15,
                  "schedule": "otc", "tax_category": "3004", "storage": "ambient"}],
    "batches": [{"product": "P", "batch": "B", "expiry": date(2027, 12, 31), "unit_cost": Decimal("0.60"), "mrp": Decimal("1.36")}],
}


def receipt(**line: Any) -> dict[str, Any]:
    base = {"type": "receipt", "product": "P", "batch": "B", "location": "S1", "qty": 10}
    base.update(line)
    return {"key": "k", "date": date(2026, 11, 20), "lines": [base]}


def nested(depth: int) -> Any:
    v: Any = []
    for _ in range(depth):
        v = [v]
    return v


# Deliberately ill-typed calls: the ledger is seen as Any so the type checker lets them through.
CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("qty as text", lambda l: l.post(receipt(qty="ten")), "MALFORMED_INPUT"),
    ("qty as float", lambda l: l.post(receipt(qty=1.5)), "MALFORMED_INPUT"),
    ("qty NaN", lambda l: l.post(receipt(qty=float("nan"))), "MALFORMED_INPUT"),
    ("qty 10**30", lambda l: l.post(receipt(qty=10**30)), "MALFORMED_INPUT"),
    ("qty negative", lambda l: l.post(receipt(qty=-5)), "INVALID_QUANTITY"),
    ("qty zero", lambda l: l.post(receipt(qty=0)), "INVALID_QUANTITY"),
    ("qty too large", lambda l: l.post(receipt(qty=10**13)), "INVALID_QUANTITY"),
    ("money as float", lambda l: l.post(receipt(unit_cost=0.1)), "MALFORMED_INPUT"),
    ("money NaN", lambda l: l.post(receipt(unit_cost=Decimal("NaN"))), "MALFORMED_INPUT"),
    ("money infinite", lambda l: l.post(receipt(unit_cost=Decimal("Infinity"))), "MALFORMED_INPUT"),
    ("money negative", lambda l: l.post(receipt(unit_cost=Decimal("-1"))), "INVALID_INPUT"),
    ("date as datetime", lambda l: l.post({**receipt(), "date": datetime(2026, 11, 20, 23, 30)}), "MALFORMED_INPUT"),
    ("impossible date text", lambda l: l.post({**receipt(), "date": "2026-02-30"}), "MALFORMED_INPUT"),
    ("date far future", lambda l: l.post({**receipt(), "date": date(9999, 1, 1)}), "INVALID_DATE"),
    ("unknown product", lambda l: l.post(receipt(product="NOPE")), "UNKNOWN_PRODUCT"),
    ("unknown location", lambda l: l.post(receipt(location="NOWHERE")), "UNKNOWN_LOCATION"),
    ("empty id", lambda l: l.post(receipt(product="")), "MALFORMED_INPUT"),
    ("control character in id", lambda l: l.post(receipt(batch="B\x00")), "MALFORMED_INPUT"),
    ("10,000-character id", lambda l: l.post(receipt(batch="B" * 10_000)), "MALFORMED_INPUT"),
    ("unknown movement", lambda l: l.post(receipt(type="teleport")), "MALFORMED_INPUT"),
    ("not a dict", lambda l: l.post([1, 2, 3]), "MALFORMED_INPUT"),
    ("object()", lambda l: l.post(object()), "MALFORMED_INPUT"),
    ("non-str dict key", lambda l: l.post({1: "x"}), "MALFORMED_INPUT"),
    ("100,000-deep nesting", lambda l: l.post({"key": "k", "date": date(2026, 1, 1), "lines": nested(100_000)}), "MALFORMED_INPUT"),
    ("too many lines", lambda l: l.post({**receipt(), "lines": receipt()["lines"] * 10_001}), "INVALID_INPUT"),
    ("no lines", lambda l: l.post({**receipt(), "lines": []}), "INVALID_INPUT"),
    ("oversell", lambda l: l.post(receipt(type="dispense", qty=1)), "INSUFFICIENT_STOCK"),
    ("bad expiry label", lambda l: apotheca.parse_expiry("31/31/2031"), "INVALID_DATE"),
    ("events garbage", lambda l: type(l).from_events([{"schema": 1}]), "MALFORMED_INPUT"),
    ("events from the future", lambda l: type(l).from_events([{"schema": 99, "seq": 0, "event": "location_registered", "location": {"id": "X", "name": "x"}}]), "UNSUPPORTED_SCHEMA"),
    ("expiry buckets unsorted", lambda l: l.expiry_buckets(date(2026, 1, 1), [60, 30]), "INVALID_INPUT"),
    ("as-of date as datetime", lambda l: l.stock_as_of(datetime(2026, 1, 1, 12)), "MALFORMED_INPUT"),
    ("bucket bounds as text", lambda l: l.expiry_buckets(date(2026, 1, 1), ["thirty"]), "MALFORMED_INPUT"),
    ("stock filter bad id type", lambda l: l.stock(product=5), "MALFORMED_INPUT"),
]


@pytest.mark.parametrize("name,call,code", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gets_a_typed_error(name: str, call: Callable[[Any], Any], code: str) -> None:
    ledger = apotheca.Ledger()
    ledger.load_catalog(copy.deepcopy(CATALOG))
    before = ledger.digest()
    with pytest.raises(apotheca.ApothecaError) as err:
        call(ledger)
    assert err.value.code == code, f"{name}: {err.value.code}: {err.value.message}"
    assert ledger.digest() == before


def test_error_families() -> None:
    assert issubclass(apotheca.InputError, ValueError)
    assert issubclass(apotheca.NotFoundError, LookupError)
    codes = set(apotheca.error_codes())
    from apotheca._errors import _FAMILY

    assert set(_FAMILY) == codes, "every code has its exception family"
    with pytest.raises(ValueError):
        apotheca.parse_expiry("nope")


def test_a_panic_arrives_as_an_exception() -> None:
    native: Any = apotheca._native
    if not hasattr(native, "_panic_for_tests"):
        pytest.skip("built without the test-panic feature")
    with pytest.raises(apotheca.InternalError) as err:
        native._panic_for_tests()
    assert err.value.code == "INTERNAL" and "deliberate panic" in err.value.message
    assert apotheca.parse_expiry("06/2027") == date(2027, 6, 30)  # the interpreter carries on
