//! What every fuzz target checks: no `INTERNAL` (a caught panic, a bug) and no change of state
//! on a refused call; and the ledger's log always replays to the same digest.
#![forbid(unsafe_code)]

use apotheca::{ApiResult, ErrorCode, Ledger};

/// A ledger with one store, two products and three batches, with stock.
pub fn stocked() -> Ledger {
    let l = Ledger::new();
    let catalog = serde_json::json!({
        "locations": [{"id": "S1", "name": "Store 1"}, {"id": "S2", "name": "Store 2"}],
        "products": [
            {"id": "P", "name": "Crocin 500", "generic_name": "Paracetamol 500 mg", "form": "tablet", "pack_size": 15,
             "schedule": "otc", "tax_category": "3004", "storage": "ambient"},
            {"id": "Q", "name": "Mox 500", "generic_name": "Amoxicillin 500 mg", "form": "capsule", "pack_size": 10,
             "schedule": "prescription", "tax_category": "3004", "storage": "ambient"}],
        "batches": [
            {"product": "P", "batch": "B1", "expiry": "2027-03-31", "unit_cost": "0.60", "mrp": "1.36"},
            {"product": "P", "batch": "B2", "expiry": null, "unit_cost": "0.55", "mrp": "1.36"},
            {"product": "Q", "batch": "C1", "expiry": "2026-12-31", "unit_cost": "2.10", "mrp": "4.62"}]
    });
    let grn = serde_json::json!({"key": "grn", "date": "2026-06-01", "lines": [
        {"type": "receipt", "product": "P", "batch": "B1", "location": "S1", "qty": 100},
        {"type": "receipt", "product": "P", "batch": "B2", "location": "S1", "qty": 50},
        {"type": "receipt", "product": "Q", "batch": "C1", "location": "S2", "qty": 30}]});
    let ok = l
        .load_catalog(&serde_json::from_value(catalog).expect("catalog"))
        .and_then(|()| l.post(serde_json::from_value(grn).expect("posting")));
    assert!(ok.is_ok(), "the fixture loads: {ok:?}");
    l
}

/// Fails on `INTERNAL`, the one code that means a bug.
pub fn no_internal<T>(r: &ApiResult<T>) {
    if let Err(e) = r {
        assert!(e.code != ErrorCode::Internal, "INTERNAL: {}", e.message);
    }
}

/// Runs one ledger call: a refused call must leave digest and event count as they were.
pub fn ledger_call<T>(l: &Ledger, f: impl FnOnce(&Ledger) -> ApiResult<T>) {
    let before = (
        l.digest().expect("digest"),
        l.events_json(0).expect("log").len(),
    );
    let r = f(l);
    no_internal(&r);
    if r.is_err() {
        let after = (
            l.digest().expect("digest"),
            l.events_json(0).expect("log").len(),
        );
        assert_eq!(before, after, "a refused call changed the ledger");
    }
}

/// The log replays, from JSON text and against its head, to the same digest.
pub fn replays(l: &Ledger) {
    let text = l.events_json(0).expect("log");
    let head = l.head().expect("head");
    let back = Ledger::from_events_json(&text, Some(&head));
    assert!(back.is_ok(), "the log does not replay: {:?}", back.err());
    assert_eq!(
        back.and_then(|b| b.digest()).ok(),
        l.digest().ok(),
        "the replayed log has another digest"
    );
}

/// A JSON target's input: the first byte picks the operation, the rest is its text (`None`:
/// empty, or not UTF-8).
pub fn op_and_text(data: &[u8]) -> Option<(u8, &str)> {
    let (&op, rest) = data.split_first()?;
    Some((op, std::str::from_utf8(rest).ok()?))
}

/// Reads JSON text as a facade type the way every binding does (`wire::decode`).
pub fn decode<T: serde::de::DeserializeOwned>(text: &str) -> ApiResult<T> {
    apotheca::wire::decode_str(text)
}
