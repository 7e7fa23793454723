//! The sample ledger the store's tests, its writer process and the store benchmarks share: one
//! store, one product, three batches, and one-unit writes. Not clinical or pricing data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::Write;

/// One store, one product (amoxicillin 500), three batches expiring in 2027.
pub const CATALOG: &str = r#"{
  "locations": [{"id": "S1", "name": "Store 1"}],
  "products": [{"id": "AMOX", "name": "Amoxicillin 500", "generic_name": "amoxicillin",
    "form": "capsule", "pack_size": 10, "schedule": "prescription", "tax_category": "3004",
    "storage": "ambient"}],
  "batches": [
    {"product": "AMOX", "batch": "B1", "expiry": "2027-03-31", "unit_cost": "2.50", "mrp": "5.00", "status": "released"},
    {"product": "AMOX", "batch": "B2", "expiry": "2027-06-30", "unit_cost": "2.60", "mrp": "5.00", "status": "released"},
    {"product": "AMOX", "batch": "B3", "expiry": "2027-09-30", "unit_cost": "2.70", "mrp": "5.00", "status": "released"}
  ]
}"#;

/// [`CATALOG`] as a write.
pub fn catalog() -> Write {
    let v: serde_json::Value = serde_json::from_str(CATALOG).unwrap();
    Write::Catalog(
        serde_json::from_value(v["locations"].clone()).unwrap(),
        serde_json::from_value(v["products"].clone()).unwrap(),
        serde_json::from_value(v["batches"].clone()).unwrap(),
    )
}

/// A receipt of `qty` units of `batch` at S1 on 2026-06-01, idempotency key `key`.
pub fn receipt(key: &str, batch: &str, qty: i64) -> Write {
    Write::Post(
        serde_json::from_value(serde_json::json!({
            "key": key, "date": "2026-06-01", "reference": format!("GRN-{key}"),
            "lines": [{"type": "receipt", "product": "AMOX", "batch": batch,
                       "location": "S1", "qty": qty}]
        }))
        .unwrap(),
    )
}

/// A FEFO dispense of one unit at S1 on 2026-06-02, all or nothing.
pub fn dispense(key: &str) -> Write {
    Write::Dispense(
        serde_json::from_value(serde_json::json!({
            "key": key, "date": "2026-06-02", "reference": format!("RX-{key}"),
            "product": "AMOX", "location": "S1", "qty": 1,
            "policy": {"allow_partial": false}
        }))
        .unwrap(),
    )
}

/// Calls `f(i)` for every `i` in `0..n`, spread over `threads` threads taking the next `i` as
/// they go (how the tests and benchmarks drive many concurrent writers).
pub fn on_threads(n: u64, threads: u64, f: impl Fn(u64) + Sync) {
    let next = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    f(i);
                }
            });
        }
    });
}
