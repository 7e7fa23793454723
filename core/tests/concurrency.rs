//! 10,000 concurrent FEFO dispenses of one product from 8 threads: exactly min(stock, demand)
//! leaves the shelf, with no oversell and no lost update.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

use apotheca_core::*;
use common::*;

fn stress(stock_per_batch: Qty, threads: usize, dispenses: usize) {
    let batches = [
        ("B1", Some("2027-01-31")),
        ("B2", Some("2027-03-31")),
        ("B3", Some("2027-06-30")),
        ("B4", None),
    ];
    let mut l = ledger_with(&batches);
    for (i, (b, _)) in batches.iter().enumerate() {
        receive(&mut l, &format!("r{i}"), b, "S1", stock_per_batch);
    }
    let stock = stock_per_batch * batches.len() as Qty;
    let shared = SharedLedger::new(l);
    let dispensed = AtomicI64::new(0);
    let refused = AtomicI64::new(0);
    let demand: Qty = (0..dispenses).map(|i| 1 + (i % 3) as Qty).sum();
    thread::scope(|s| {
        for t in 0..threads {
            let (shared, dispensed, refused) = (&shared, &dispensed, &refused);
            s.spawn(move || {
                for i in (t..dispenses).step_by(threads) {
                    let qty = 1 + (i % 3) as Qty;
                    let req = DispenseRequest {
                        key: format!("rx-{i}"),
                        date: d("2026-06-01"),
                        reference: None,
                        product: pid("AMOX"),
                        location: loc("S1"),
                        qty,
                        policy: AllocationPolicy {
                            allow_partial: false,
                            ..Default::default()
                        },
                        also_from: Vec::new(),
                    };
                    match shared.dispense_fefo(req) {
                        Ok((a, _)) => {
                            assert_eq!(a.allocated, qty);
                            dispensed.fetch_add(qty, Ordering::Relaxed);
                        }
                        Err(CoreError::InsufficientStock { .. }) => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => panic!("unexpected error {e}"),
                    }
                }
            });
        }
    });
    let left = shared.read(|l| l.stock_totals(&StockFilter::default()).unwrap().on_hand);
    let dispensed = dispensed.load(Ordering::Relaxed);
    assert_eq!(left + dispensed, stock, "no lost update");
    assert!(dispensed <= stock, "no oversell");
    // All-or-nothing requests of 1–3 units: the shelf empties down to less than the largest ask.
    if demand >= stock {
        assert!(left < 3, "left {left} on the shelf");
    } else {
        assert_eq!(dispensed, demand);
    }
    // The log replays to the same state.
    let digest = shared.read(|l| l.digest());
    let replayed = shared.read(|l| Ledger::replay(l.events()).unwrap().digest());
    assert_eq!(digest, replayed);
}

#[test]
fn ten_thousand_concurrent_dispenses_never_oversell() {
    stress(3_000, 8, 10_000); // 12,000 in stock, about 20,000 asked for
}

#[test]
fn ten_thousand_concurrent_dispenses_with_enough_stock_all_succeed() {
    stress(10_000, 8, 10_000);
}

#[test]
fn unit_dispenses_take_exactly_min_stock_demand() {
    // Every request is 1 unit here, so exactly min(stock, demand) leaves the shelf.
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", None)]);
    receive(&mut l, "r1", "B1", "S1", 3_500);
    receive(&mut l, "r2", "B2", "S1", 3_500);
    let shared = SharedLedger::new(l);
    let ok = AtomicI64::new(0);
    thread::scope(|s| {
        for t in 0..8 {
            let (shared, ok) = (&shared, &ok);
            s.spawn(move || {
                for i in (t..10_000).step_by(8) {
                    let req = DispenseRequest {
                        key: format!("u{i}"),
                        date: d("2026-06-01"),
                        reference: None,
                        product: pid("AMOX"),
                        location: loc("S1"),
                        qty: 1,
                        policy: AllocationPolicy::default(),
                        also_from: Vec::new(),
                    };
                    // Once the shelf is empty a dispense answers an empty allocation.
                    if let Ok((a, _)) = shared.dispense_fefo(req) {
                        ok.fetch_add(a.allocated, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert_eq!(ok.load(Ordering::Relaxed), 7_000);
    assert_eq!(
        shared.read(|l| l.stock_totals(&StockFilter::default()).unwrap().on_hand),
        0
    );
}
