//! The facade over a stored ledger: the same calls as in memory, durable, with typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca::{ErrorCode, Ledger, wire};
use serde_json::json;

fn catalog() -> apotheca::Catalog {
    serde_json::from_value(json!({
        "locations": [{"id": "S1", "name": "Store 1"}],
        "products": [{"id": "AMOX", "name": "Amoxicillin 500", "generic_name": "amoxicillin",
            "form": "capsule", "pack_size": 10, "schedule": "prescription",
            "tax_category": "3004", "storage": "ambient"}],
        "batches": [{"product": "AMOX", "batch": "B1", "expiry": "2027-03-31",
            "unit_cost": "2.50", "mrp": "5.00", "status": "released"}]
    }))
    .unwrap()
}

fn receipt(key: &str, qty: i64) -> apotheca::Posting {
    wire::decode(
        json!({"key": key, "date": "2026-06-01", "lines": [{"type": "receipt", "product": "AMOX",
            "batch": "B1", "location": "S1", "qty": qty}]}),
        wire::Case::Snake,
    )
    .unwrap()
}

#[test]
fn a_stored_ledger_reopens_to_the_same_state_and_refuses_with_paths() {
    let dir = std::env::temp_dir().join(format!("apotheca-api-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("l.db").display());
    let l = Ledger::open(&url).unwrap();
    assert!(l.is_stored());
    l.load_catalog(&catalog()).unwrap();
    let first = l.post(receipt("r1", 10)).unwrap();
    assert_eq!(l.post(receipt("r1", 10)).unwrap(), first);
    let e = l.post(receipt("r1", 11)).unwrap_err();
    assert_eq!(e.code, ErrorCode::DuplicatePosting);
    let mut bad = receipt("r2", 1);
    bad.lines[0].batch = apotheca::BatchNo::new("NOPE").unwrap();
    let e = l.post(bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownBatch);
    assert!(e.message.starts_with("lines[0].batch: "), "{}", e.message);
    let card = l
        .stock_card(&apotheca::StockFilter {
            product: Some(apotheca::ProductId::new("AMOX").unwrap()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(card.len(), 1);
    assert_eq!(l.snapshot().unwrap(), 4);
    let (digest, events) = (l.digest().unwrap(), l.events_json(0).unwrap());
    l.close();
    let e = l.post(receipt("r3", 1)).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreUnavailable);
    let again = Ledger::open(&url).unwrap();
    assert_eq!(again.digest().unwrap(), digest);
    assert_eq!(again.events_json(0).unwrap(), events);
    assert_eq!(again.events_since(3).unwrap().len(), 1);
    // A restored copy of the saved events (what a page keeps in IndexedDB) is the same ledger.
    let copy = Ledger::from_events_json(&events, Some(&again.head().unwrap())).unwrap();
    assert_eq!(copy.digest().unwrap(), digest);
    assert_eq!(
        Ledger::new().snapshot().unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        Ledger::open("mysql://x").unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        Ledger::open(&format!("{url}?snapshot_every=x"))
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        Ledger::open(&format!("{url}?bogus=1")).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    // A PostgreSQL URL the driver cannot read is the caller's mistake, refused before any
    // connection is tried.
    for bad in [
        "postgres://u@localhost/db?bogus=1",
        "postgres://u@localhost:notaport/db",
    ] {
        let e = Ledger::open(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}: {}", e.message);
        assert!(e.message.starts_with("url: "), "{}", e.message);
    }
    let e = Ledger::open("sqlite:/nonexistent-dir/x/l.db").unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreUnavailable);
    let _ = std::fs::remove_dir_all(dir);
}
