"""The conformance cases through the Python API: JSON in the cases becomes idiomatic Python
(Decimal, datetime.date, keyword arguments), and results are turned back into canonical JSON
(Decimal → str, date → ISO) to compare, so the conversions are what is tested."""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any, Callable

import pytest

import apotheca
from conftest import load_cases

# The same lists as apotheca::wire (the native module reports them).
DECIMAL_FIELDS, DATE_FIELDS = (set(f) for f in apotheca._native._wire_fields())
CASES = load_cases()
TALLY: Counter[str] = Counter()


def to_python(v: Any, key: str = "") -> Any:
    """Case JSON → what a Python caller passes: Decimal money, date dates."""
    if isinstance(v, dict):
        return {k: to_python(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [to_python(x, key) for x in v]
    if isinstance(v, str) and key in DECIMAL_FIELDS:
        return Decimal(v)
    if isinstance(v, str) and key in DATE_FIELDS:
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v  # an invalid date stays a string: the case expects the error
    return v


def to_json(v: Any, key: str = "") -> Any:
    """A Python result → canonical JSON, checking the types on the way."""
    if isinstance(v, dict):
        return {k: to_json(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x, key) for x in v]
    if key in DECIMAL_FIELDS and v is not None:
        assert isinstance(v, Decimal), f"{key} should be a Decimal, got {v!r}"
        return str(v)
    if key in DATE_FIELDS and v is not None:
        assert isinstance(v, date), f"{key} should be a date, got {v!r}"
        return v.isoformat()
    return v


def subset(expected: Any, actual: Any, path: str = "$", tolerance: float = 0.0) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for k, e in expected.items():
            if k not in actual:
                assert e is None, f"{path}.{k}: missing"
                continue
            subset(e, actual[k], f"{path}.{k}", tolerance)
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: expected {len(expected)} items, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            subset(e, a, f"{path}[{i}]", tolerance)
    elif tolerance and isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        assert abs(expected - actual) <= tolerance, f"{path}: expected {expected!r} ± {tolerance}, got {actual!r}"
    else:
        assert expected == actual, f"{path}: expected {expected!r}, got {actual!r}"


def filter_kwargs(args: dict[str, Any]) -> dict[str, Any]:
    return {k: args.get(k) for k in ("product", "location", "batch")}


OPS: dict[str, Callable[[apotheca.Ledger, dict[str, Any]], Any]] = {
    "parse_expiry": lambda l, a: {"date": apotheca.parse_expiry(a["label"])},
    "allocate": lambda l, a: l.allocate(a),  # type: ignore[arg-type]
    "dispense": lambda l, a: l.dispense(a),  # type: ignore[arg-type]
    "post": lambda l, a: l.post(a),  # type: ignore[arg-type]
    "set_batch_status": lambda l, a: {"seq": l.set_batch_status(a)},  # type: ignore[arg-type]
    "stock": lambda l, a: l.stock(**filter_kwargs(a)),
    "stock_totals": lambda l, a: l.stock_totals(**filter_kwargs(a)),
    "stock_as_of": lambda l, a: l.stock_as_of(a["date"], **filter_kwargs(a.get("filter") or {})),
    "stock_card": lambda l, a: l.stock_card(a["product"], a.get("location"), a.get("batch")),
    "expiry_buckets": lambda l, a: l.expiry_buckets(a["on"], a["bounds"], a.get("location")),
    "expired": lambda l, a: l.expired(a["on"], a.get("location")),
    "lot_alerts": lambda l, a: l.lot_alerts(a["on"], a.get("since")),
    "expiring_within": lambda l, a: l.expiring_within(a["on"], a["days"], a.get("location")),
    "valuation": lambda l, a: l.valuation(a.get("location")),
    "cost_layers": lambda l, a: l.cost_layers(a["product"], a["batch"], a["location"]),
    "trace_batch": lambda l, a: l.trace_batch(a["product"], a["batch"]),
    "trace_document": lambda l, a: l.trace_document(a["reference"]),
    "document": lambda l, a: l.document(a["reference"]),
    "events_since": lambda l, a: l.events_since(a["seq"]),
    "available_to_promise": lambda l, a: {"qty": l.available_to_promise(a["product"], a["location"], a["date"], a["min_shelf_life_days"])},
    # Replay both ways a Python service would: from events(), and by pickling the Ledger.
    "replay": lambda l, a: {"digest_equal": apotheca.Ledger.from_events(l.events()).digest() == l.digest() == pickle.loads(pickle.dumps(l)).digest()},
}


def credits(invoice: Any, requests: list[Any]) -> list[Any]:
    """Issues credit notes in order, each with the earlier ones as ``previous``."""
    notes: list[Any] = []
    for r in requests:
        notes.append(apotheca.credit_note(invoice, {**r, "previous": notes}))  # type: ignore[typeddict-item]
    return notes


def billing(op: str, a: dict[str, Any]) -> Any:
    """The billing ops, as a Python service would call them."""

    def engine() -> apotheca.Billing:
        return apotheca.Billing(a["rules"])

    if op == "tax_rules":
        load = apotheca.Billing.from_toml if a["format"] == "toml" else apotheca.Billing.from_json
        return load(a["text"]).rules()
    if op == "price_invoice":
        b = engine()
        # An engine pickles (rules and all) and prices the same on the other side.
        return pickle.loads(pickle.dumps(b)).price_invoice(a["invoice"])
    if op == "credit_note":
        return credits(engine().price_invoice(a["invoice"]), a["credits"])[-1]
    if op == "compute_taxes":
        return apotheca.compute_taxes(a["request"])
    if op == "price_document":
        return engine().price_document(a["request"])
    if op == "compute_document":
        return apotheca.compute_document(a["request"])
    if op == "reprice":
        return apotheca.reprice(a["request"])
    if op == "settle_payments":
        return apotheca.settle_payments(a["currency"], a["due"], a["tenders"])
    if op == "amount_in_words":
        return {"words": apotheca.amount_in_words(a["amount"], a["currency"], a["style"])}
    if op == "next_invoice_number":
        return apotheca.next_invoice_number(a["series"], a["date"], a.get("last"))
    if op == "check_invoice_numbers":
        return apotheca.check_invoice_numbers(a["series"], a["numbers"])
    if op == "daily_summary":
        b = engine()
        invoices = [b.price_invoice(i) for i in a["invoices"]]
        notes = [n for c in a["credits"] for n in credits(invoices[c["invoice"]], [c["request"]])]
        return apotheca.daily_summary(invoices, notes)
    return interactions(op, a)


def interactions(op: str, a: dict[str, Any]) -> Any:
    """The interaction ops; the engine is pickled and unpickled on the way (it ships with its
    knowledge base)."""

    def engine() -> apotheca.Interactions:
        if "sources" in a:
            return apotheca.Interactions.load(a["sources"])
        if "knowledge_base" in a:
            return apotheca.Interactions(a["knowledge_base"])
        return pickle.loads(pickle.dumps(apotheca.Interactions.sample()))  # type: ignore[no-any-return]

    # The request is the arguments without the knowledge base they name.
    request = {k: v for k, v in a.items() if k not in ("sources", "knowledge_base")}
    if op == "screen":
        return engine().screen(request)  # type: ignore[arg-type]
    if op == "check_new":
        return engine().check_new(request)  # type: ignore[arg-type]
    if op == "screen_many":
        return engine().screen_many(a["requests"])
    if op == "explain":
        return engine().explain(a["rule"])
    if op == "resolve":
        return engine().resolve(a["text"], a["limit"])
    if op == "load_knowledge_base":
        e = engine()
        return {"reports": e.load_reports(), "stats": e.stats()}
    if op == "stats":
        return engine().stats()
    if op == "edge_list":
        return engine().edge_list()
    if op == "adjacency_pair":
        m = engine().adjacency()
        i, j = m["drugs"].index(a["a"]), m["drugs"].index(a["b"])
        return {"ab": m["weights"][i][j], "ba": m["weights"][j][i], "size": len(m["drugs"])}
    if op == "memberships":
        return [r for r in engine().memberships() if r["drug"] == a["drug"]]
    if op == "predict_links":
        return engine().predict_links(a.get("drug"), a["limit"])
    return forecasting(op, a)


def forecasting(op: str, a: dict[str, Any]) -> Any:
    """The forecasting ops: module functions over dicts."""
    if op == "forecast":
        return apotheca.forecast(a)  # type: ignore[arg-type]
    if op == "forecast_long":
        return apotheca.forecast_long(a)  # type: ignore[arg-type]
    if op == "backtest":
        return apotheca.backtest(a)  # type: ignore[arg-type]
    if op == "classify":
        return apotheca.classify(a["series"])
    if op == "average_monthly_consumption":
        return apotheca.average_monthly_consumption(a["request"])
    if op == "suggest_orders":
        return apotheca.suggest_orders(a["positions"])
    raise AssertionError(f"unknown op {op}")


def build(setup: dict[str, Any] | None) -> apotheca.Ledger:
    ledger = apotheca.Ledger()
    if setup:
        ledger.load_catalog(to_python(setup.get("catalog", {})))
        for p in setup.get("postings", []):
            ledger.post(to_python(p))
        for d in setup.get("dispenses", []):
            ledger.dispense(to_python(d))
        for c in setup.get("status_changes", []):
            ledger.set_batch_status(to_python(c))
    return ledger


def check(op: str, args: Any, ledger: apotheca.Ledger, expect: Any, expect_error: dict[str, str] | None, tolerance: float = 0.0) -> None:
    call = OPS.get(op) or (lambda _, a: billing(op, a))
    if expect_error is not None:
        with pytest.raises(apotheca.ApothecaError) as err:
            call(ledger, to_python(args))
        assert err.value.code == expect_error["code"], err.value.message
    else:
        result = call(ledger, to_python(args))
        assert keys_sorted(result), f"{op}: a result dict's keys are not in sorted order"
        subset(expect, to_json(result), "$", tolerance)


def keys_sorted(v: Any) -> bool:
    """Every dict of a result lists its keys in sorted order (as the results always have)."""
    if isinstance(v, dict):
        return list(v) == sorted(v) and all(keys_sorted(x) for x in v.values())
    if isinstance(v, list):
        return all(keys_sorted(x) for x in v)
    return True


@pytest.mark.parametrize("capability,case", CASES, ids=[c["id"] for _, c in CASES])
def test_case(capability: str, case: dict[str, Any]) -> None:
    TALLY[capability + " failed"] += 1  # undone below when the case passes
    ledger = build(case["input"].get("setup"))
    check(case["op"], case["input"]["args"], ledger, case.get("expect"), case.get("expect_error"), case.get("tolerance") or 0.0)
    for step in case.get("after", []):
        check(step["op"], step["args"], ledger, step.get("expect"), step.get("expect_error"))
    TALLY[capability + " failed"] -= 1
    TALLY[capability + " passed"] += 1


def test_zz_report() -> None:
    """Prints the per-capability counts (runs last: tests run in file order)."""
    for cap in sorted({k.rsplit(" ", 1)[0] for k in TALLY}):
        print(f"python conformance {cap}: {TALLY[cap + ' passed']} passed, {TALLY[cap + ' failed']} failed")
    assert sum(TALLY[k] for k in TALLY if k.endswith("passed")) == len(CASES)
