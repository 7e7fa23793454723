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


# The module seen as Any, for calls the type checker (rightly) refuses.
A: Any = apotheca

# Deliberately ill-typed calls: the ledger is seen as Any so the type checker lets them through.
CASES: list[tuple[str, Callable[[Any], Any], str, str | None]] = [
    ("qty as text", lambda l: l.post(receipt(qty="ten")), "MALFORMED_INPUT", "lines[0].qty"),
    ("qty as float", lambda l: l.post(receipt(qty=1.5)), "MALFORMED_INPUT", "lines[0].qty"),
    ("qty NaN", lambda l: l.post(receipt(qty=float("nan"))), "MALFORMED_INPUT", "lines[0].qty"),
    ("qty 10**30", lambda l: l.post(receipt(qty=10**30)), "MALFORMED_INPUT", "lines[0].qty"),
    ("qty negative", lambda l: l.post(receipt(qty=-5)), "INVALID_QUANTITY", "lines[0].qty"),
    ("qty zero", lambda l: l.post(receipt(qty=0)), "INVALID_QUANTITY", "lines[0].qty"),
    ("qty too large", lambda l: l.post(receipt(qty=10**13)), "INVALID_QUANTITY", "lines[0].qty"),
    ("money as float", lambda l: l.post(receipt(unit_cost=0.1)), "MALFORMED_INPUT", "lines[0].unit_cost"),
    ("money NaN", lambda l: l.post(receipt(unit_cost=Decimal("NaN"))), "MALFORMED_INPUT", "lines[0].unit_cost"),
    ("money infinite", lambda l: l.post(receipt(unit_cost=Decimal("Infinity"))), "MALFORMED_INPUT", "lines[0].unit_cost"),
    ("money negative", lambda l: l.post(receipt(unit_cost=Decimal("-1"))), "INVALID_INPUT", "lines[0].unit_cost"),
    ("date as datetime", lambda l: l.post({**receipt(), "date": datetime(2026, 11, 20, 23, 30)}), "MALFORMED_INPUT", "date"),
    ("impossible date text", lambda l: l.post({**receipt(), "date": "2026-02-30"}), "MALFORMED_INPUT", "date"),
    ("date far future", lambda l: l.post({**receipt(), "date": date(9999, 1, 1)}), "INVALID_DATE", "date"),
    ("unknown product", lambda l: l.post(receipt(product="NOPE")), "UNKNOWN_PRODUCT", "lines[0].product"),
    ("unknown location", lambda l: l.post(receipt(location="NOWHERE")), "UNKNOWN_LOCATION", "lines[0]"),
    ("empty id", lambda l: l.post(receipt(product="")), "MALFORMED_INPUT", "lines[0].product"),
    ("control character in id", lambda l: l.post(receipt(batch="B\x00")), "MALFORMED_INPUT", "lines[0].batch"),
    ("10,000-character id", lambda l: l.post(receipt(batch="B" * 10_000)), "MALFORMED_INPUT", "lines[0].batch"),
    ("unknown movement", lambda l: l.post(receipt(type="teleport")), "MALFORMED_INPUT", "lines[0].type"),
    ("not a dict", lambda l: l.post([1, 2, 3]), "MALFORMED_INPUT", None),
    ("object()", lambda l: l.post(object()), "MALFORMED_INPUT", None),
    ("non-str dict key", lambda l: l.post({1: "x"}), "MALFORMED_INPUT", None),
    ("100,000-deep nesting", lambda l: l.post({"key": "k", "date": date(2026, 1, 1), "lines": nested(100_000)}), "MALFORMED_INPUT", None),
    ("too many lines", lambda l: l.post({**receipt(), "lines": receipt()["lines"] * 10_001}), "LIMIT_EXCEEDED", "lines"),
    ("no lines", lambda l: l.post({**receipt(), "lines": []}), "INVALID_INPUT", None),
    ("oversell", lambda l: l.post(receipt(type="dispense", qty=1)), "INSUFFICIENT_STOCK", "lines[0].qty"),
    ("bad expiry label", lambda l: apotheca.parse_expiry("31/31/2031"), "INVALID_DATE", "label"),
    ("events garbage", lambda l: type(l).from_events([{"schema": 1}]), "MALFORMED_INPUT", None),
    ("events from the future", lambda l: type(l).from_events([{"schema": 99, "seq": 0, "hash": "", "event": "location_registered", "location": {"id": "X", "name": "x"}}]), "UNSUPPORTED_SCHEMA", None),
    ("expiry buckets unsorted", lambda l: l.expiry_buckets(date(2026, 1, 1), [60, 30]), "INVALID_INPUT", None),
    ("as-of date as datetime", lambda l: l.stock_as_of(datetime(2026, 1, 1, 12)), "MALFORMED_INPUT", "date"),
    ("bucket bounds as text", lambda l: l.expiry_buckets(date(2026, 1, 1), ["thirty"]), "MALFORMED_INPUT", "bounds"),
    ("stock filter bad id type", lambda l: l.stock(product=5), "MALFORMED_INPUT", "product"),
    # The integrity issue's cases: each names the offending field in its message.
    ("cost of 10^28 after stock", lambda l: (l.post(receipt()), l.post({**receipt(unit_cost=Decimal("1e28")), "key": "k2"})), "AMOUNT_OUT_OF_RANGE", "lines[0].unit_cost"),
    ("cost 1E+100", lambda l: l.post(receipt(unit_cost=Decimal("1E+100"))), "MALFORMED_INPUT", "lines[0].unit_cost"),
    ("cost as empty string", lambda l: l.post(receipt(unit_cost="")), "MALFORMED_INPUT", "lines[0].unit_cost"),
    ("cost 1_0", lambda l: l.post(receipt(unit_cost="1_0")), "MALFORMED_INPUT", "lines[0].unit_cost"),
    ("cost typo unit_cots", lambda l: l.post(receipt(unit_cots="99")), "MALFORMED_INPUT", "unit_cots"),
    ("qty as float names its path", lambda l: l.post(receipt(qty=1.5)), "MALFORMED_INPUT", "lines[0].qty"),
    ("batch expiry typo", lambda l: l.register_batch({"product": "P", "batch": "B2", "expiry_date": date(2027, 1, 1), "unit_cost": Decimal("1"), "mrp": Decimal("2")}), "MALFORMED_INPUT", "expiry_date"),
    ("batch without expiry", lambda l: l.register_batch({"product": "P", "batch": "B2", "unit_cost": Decimal("1"), "mrp": Decimal("2")}), "MALFORMED_INPUT", "expiry"),
    ("batch expiry year 12345", lambda l: l.register_batch({"product": "P", "batch": "B2", "expiry": "+12345-01-01", "unit_cost": Decimal("1"), "mrp": Decimal("2")}), "MALFORMED_INPUT", "expiry"),
    ("batch expiry year 1", lambda l: l.register_batch({"product": "P", "batch": "B2", "expiry": date(1, 1, 1), "unit_cost": Decimal("1"), "mrp": Decimal("2")}), "INVALID_DATE", "expiry"),
    ("batch MRP above 10^12", lambda l: l.register_batch({"product": "P", "batch": "B2", "expiry": None, "unit_cost": Decimal("1"), "mrp": Decimal("1000000000001")}), "AMOUNT_OUT_OF_RANGE", "MRP"),
    ("batch id with a lone surrogate", lambda l: l.post(receipt(batch="B\ud800")), "MALFORMED_INPUT", "lines[0].batch"),
    ("catalog with an unknown field", lambda l: l.load_catalog({**CATALOG, "suppliers": []}), "MALFORMED_INPUT", "suppliers"),
    ("forecast level for levels", lambda l: A.forecast({"series": [{"id": "a", "y": [1, 2, 3]}], "model": {"name": "naive"}, "horizon": 2, "level": [90]}), "MALFORMED_INPUT", "level"),
    ("amount in words of a float", lambda l: A.amount_in_words(1.5, "INR"), "MALFORMED_INPUT", "amount"),
    ("settle a float due", lambda l: A.settle_payments("INR", 1.5, []), "MALFORMED_INPUT", "due"),
    ("currency not a str", lambda l: A.settle_payments(5, Decimal("1"), []), "MALFORMED_INPUT", "currency"),
    ("rules from 42", lambda l: A.Billing.from_json(42), "MALFORMED_INPUT", "text"),
    ("resolve 5", lambda l: A.Interactions.sample().resolve(5), "MALFORMED_INPUT", "text"),
    ("resolve {}", lambda l: A.Interactions.sample().resolve({}), "MALFORMED_INPUT", "text"),
    ("resolve limit 2**32", lambda l: A.Interactions.sample().resolve("x", limit=2**32), "MALFORMED_INPUT", "limit"),
    ("resolve a lone surrogate", lambda l: A.Interactions.sample().resolve("ibu\udc00"), "MALFORMED_INPUT", "text"),
    ("screen 1,001 drugs", lambda l: A.Interactions.sample().screen({"medications": ["aspirin"] * 1001}), "LIMIT_EXCEEDED", "medications"),
    ("invoice of 1,000,000 lines", lambda l: A.Billing({"rules": []}).price_invoice({"date": date(2026, 1, 1), "currency": "INR", "lines": [{}] * 1_000_000}), "LIMIT_EXCEEDED", "lines"),
    ("posting of 1,000,000 lines", lambda l: l.post({**receipt(), "lines": receipt()["lines"] * 1_000_000}), "LIMIT_EXCEEDED", "lines"),
    ("unit price 2**96 - 1", lambda l: A.Billing({"rules": []}).price_invoice({"date": date(2026, 1, 1), "currency": "INR", "lines": [{"product": "P", "qty": 1, "unit_price": Decimal(2**96 - 1), "tax_category": "X"}]}), "AMOUNT_OUT_OF_RANGE", "lines[0].unit_price"),
    ("cash increment 1e-28", lambda l: A.Billing({"rules": [{"category": "X", "effective_from": date(2025, 1, 1), "components": []}]}).price_invoice({"date": date(2026, 1, 1), "currency": "INR", "rounding": {"cash": {"increment": Decimal("1e-28")}}, "lines": [{"product": "P", "qty": 1, "unit_price": Decimal("1"), "tax_category": "X"}]}), "INVALID_INPUT", "increment"),
    ("edited event log", lambda l: type(l).from_events(tampered(l)), "CORRUPT_LOG", "sequence"),
]


@pytest.mark.parametrize("name,call,code,path", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gets_a_typed_error(name: str, call: Callable[[Any], Any], code: str, path: str | None) -> None:
    ledger = apotheca.Ledger()
    ledger.load_catalog(copy.deepcopy(CATALOG))
    # A case may succeed in part first (stock received): the call that is refused must change
    # nothing, so the baseline moves with every posting that succeeds.
    before: list[Any] = [(ledger.digest(), len(ledger.events()))]

    def post_tracking(p: Any) -> Any:
        out = ledger.post(p)
        before[0] = (ledger.digest(), len(ledger.events()))
        return out

    with pytest.raises(apotheca.ApothecaError) as err:
        call(TrackingLedger(ledger, post_tracking))
    assert err.value.code == code, f"{name}: {err.value.code}: {err.value.message}"
    assert (ledger.digest(), len(ledger.events())) == before[0], f"{name}: the refused call changed the ledger"
    if path is not None:
        assert path in err.value.message, f"{name}: {err.value.message!r} does not name {path!r}"


class TrackingLedger:
    """The ledger, with `post` replaced so that each successful posting moves the baseline."""

    from_events = staticmethod(apotheca.Ledger.from_events)
    from_events_json = staticmethod(apotheca.Ledger.from_events_json)

    def __init__(self, ledger: Any, post: Callable[[Any], Any]) -> None:
        self._ledger = ledger
        self.post = post

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)


def tampered(l: Any) -> list[Any]:
    """The ledger's log after a receipt, with the receipt's cost edited."""
    l.post(receipt(unit_cost=Decimal("0.60")))
    events: list[Any] = l.events()
    events[-1]["posting"]["lines"][0]["unit_cost"] = Decimal("0.01")
    return events


def test_error_families() -> None:
    assert issubclass(apotheca.InputError, ValueError)
    assert issubclass(apotheca.NotFoundError, LookupError)
    codes = set(apotheca.error_codes())
    from apotheca import _codes, _errors

    assert set(_codes.FAMILY) == codes, "every code has its exception family"
    for code, family in _codes.FAMILY.items():
        cls = getattr(_errors, family)
        assert issubclass(cls, apotheca.ApothecaError), code
        assert type(_errors._from_native(code, "m", {})) is cls
    with pytest.raises(ValueError):
        apotheca.parse_expiry("nope")


def test_errors_carry_details() -> None:
    l = apotheca.Ledger()
    l.load_catalog(
        {
            "locations": [{"id": "S1", "name": "Store"}],
            "products": [
                {"id": "P", "name": "Crocin", "generic_name": "Paracetamol", "form": "tablet",
                 "pack_size": 15, "schedule": "otc", "tax_category": "3004",
                 "storage": "ambient"}
            ],
            "batches": [],
        }
    )
    with pytest.raises(apotheca.StockError) as err:
        l.dispense({"key": "d", "date": date(2026, 11, 20), "product": "P", "location": "S1", "qty": 5,
                    "policy": {"allow_partial": False}})
    assert err.value.details["product"] == "P"
    assert (err.value.details["requested"], err.value.details["available"]) == (5, 0)
    with pytest.raises(apotheca.InputError) as bad:
        bad_line: Any = {"type": "receipt", "product": "P", "batch": "B", "location": "S1",
                         "qty": 1, "unit_cost": 0.1}
        l.post({"key": "k", "date": date(2026, 11, 20), "lines": [bad_line]})
    assert bad.value.details["path"].startswith("lines[0]")


def test_a_panic_arrives_as_an_exception() -> None:
    native: Any = apotheca._native
    if not hasattr(native, "_panic_for_tests"):
        pytest.skip("built without the test-panic feature")
    with pytest.raises(apotheca.InternalError) as err:
        native._panic_for_tests()
    assert err.value.code == "INTERNAL" and "deliberate panic" in err.value.message
    assert apotheca.parse_expiry("06/2027") == date(2027, 6, 30)  # the interpreter carries on


def _fork_worker(q: Any) -> None:
    """Runs in a child process: a forecast on the thread pool, and a ledger call."""
    out = apotheca.forecast({"series": [{"id": str(i), "y": [float(i % 5), 1.0, 2.0, 3.0] * 6} for i in range(64)],
                             "model": {"name": "ses_optimized"}, "horizon": 3})
    q.put(len(out))


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_worker_process_started_after_use_completes(method: str) -> None:
    import multiprocessing

    # The parent uses the pool first, so that a forked child inherits it.
    _fork_worker(type("Q", (), {"put": staticmethod(lambda _: None)})())
    ctx: Any = multiprocessing.get_context(method)
    q = ctx.Queue()
    p = ctx.Process(target=_fork_worker, args=(q,))
    p.start()
    p.join(60)
    assert p.exitcode == 0, f"the {method} worker did not finish (exit code {p.exitcode})"
    assert q.get(timeout=5) == 64


def test_a_large_log_round_trips_as_json_text() -> None:
    """The log crosses as one string; `cargo xtask test` writes a 1,000,000-event log to
    target/big-log.json (APOTHECA_BIG_LOG names another) for this test to restore."""
    import os

    ledger = apotheca.Ledger()
    ledger.load_catalog(copy.deepcopy(CATALOG))
    text = ledger.events_json()
    restored = apotheca.Ledger.from_events_json(text, head=ledger.head())
    assert restored.digest() == ledger.digest()
    big = os.environ.get("APOTHECA_BIG_LOG") or os.path.join(os.path.dirname(__file__), "..", "..", "target", "big-log.json")
    if not os.path.exists(big):
        pytest.skip(f"{big} is missing: `cargo xtask test` writes it")
    with open(big, encoding="utf-8") as f:
        text = f.read()
    with open(big + ".digest", encoding="utf-8") as f:
        digest, head, count = f.read().split()
    restored = apotheca.Ledger.from_events_json(text, head=head)
    assert restored.digest() == digest
    assert len(restored.events_json()) == len(text)
    assert restored.events_json(int(count) - 1).count('"seq"') == 1



@pytest.mark.parametrize("given,read", [
    (Decimal("1.36"), "1.36"), (Decimal("12.50"), "12.50"), (Decimal("1E+2"), "100.00"),
    (Decimal("2.5E+1"), "25.00"), (Decimal("0E-7"), "0.00"), (Decimal("7"), "7.00"),
])
def test_decimals_are_read_by_value_in_any_notation(given: Decimal, read: str) -> None:
    """A `Decimal` is read as its positional text whether `str()` writes it so (`1.36`) or in
    exponent form (`1E+2`): the same amount either way."""
    assert str(apotheca.settle_payments("INR", given, [])["due"]) == read


@pytest.mark.parametrize("given,named", [(Decimal("1.5E-3"), "0.0015"), (Decimal("-0.50"), "-0.50")])
def test_a_refused_decimal_is_named_by_its_value(given: Decimal, named: str) -> None:
    with pytest.raises(apotheca.InputError) as err:
        apotheca.settle_payments("INR", given, [])
    assert named in err.value.message
