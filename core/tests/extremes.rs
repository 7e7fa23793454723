//! Extreme amounts and quantities: every call either succeeds or is refused with a typed error
//! that leaves the state (digest and event count) unchanged, and the log always replays to the
//! same digest. Also the edited, reordered and truncated logs that replay must refuse.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
mod common;

use std::str::FromStr;

use apotheca_core::*;
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

const BATCHES: [(&str, Option<&str>); 3] = [
    ("B1", Some("2027-03-31")),
    ("B2", Some("2027-06-30")),
    ("B3", None),
];

fn cost() -> impl Strategy<Value = Option<Decimal>> {
    prop_oneof![
        Just(None),
        Just(Some(Decimal::MAX)),
        Just(Some(Decimal::from_str("1e28").unwrap())),
        Just(Some(MAX_AMOUNT)),
        Just(Some(MAX_AMOUNT + Decimal::new(1, 28 - 13))),
        Just(Some(Decimal::new(1, 28))),
        Just(Some(
            Decimal::from_str("79228162514264.337593543950335").unwrap()
        )),
        (0u64..u64::MAX).prop_map(|n| Some(Decimal::from(n))),
        (0i64..1_000_000, 0u32..28).prop_map(|(n, s)| Some(Decimal::new(n, s))),
    ]
}

fn qty() -> impl Strategy<Value = Qty> {
    prop_oneof![
        Just(i64::MAX),
        Just(i64::MIN),
        Just(MAX_QTY),
        Just(MAX_QTY + 1),
        Just(MAX_QTY / 2 + 1),
        Just(0),
        1i64..1_000,
        any::<i64>(),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Receive(usize, usize, Qty, Option<Decimal>),
    Return(usize, Qty, Option<Decimal>),
    Dispense(usize, usize, Qty),
    Fefo(usize, Qty),
    Transfer(usize, Qty, bool),
    AdjustIn(usize, Qty, Option<Decimal>),
    AdjustOut(usize, Qty),
    Query,
}

fn op() -> impl Strategy<Value = Op> {
    let b = 0..BATCHES.len();
    let l = 0usize..2;
    prop_oneof![
        4 => (b.clone(), l.clone(), qty(), cost()).prop_map(|(b, l, q, c)| Op::Receive(b, l, q, c)),
        1 => (b.clone(), qty(), cost()).prop_map(|(b, q, c)| Op::Return(b, q, c)),
        2 => (b.clone(), l.clone(), qty()).prop_map(|(b, l, q)| Op::Dispense(b, l, q)),
        2 => (l.clone(), qty()).prop_map(|(l, q)| Op::Fefo(l, q)),
        2 => (b.clone(), qty(), any::<bool>()).prop_map(|(b, q, a)| Op::Transfer(b, q, a)),
        1 => (b.clone(), qty(), cost()).prop_map(|(b, q, c)| Op::AdjustIn(b, q, c)),
        1 => (b.clone(), qty()).prop_map(|(b, q)| Op::AdjustOut(b, q)),
        1 => Just(Op::Query),
    ]
}

const LOCS: [&str; 2] = ["S1", "S2"];

/// Runs one op; `Ok(true)` if it changed the ledger.
fn apply(l: &mut Ledger, i: usize, op: &Op) -> Result<bool, CoreError> {
    let key = format!("k{i}");
    let date = "2026-06-01";
    let one = |m: Movement, b: usize, loc: usize, q: Qty| {
        posting(&key, date, vec![line(m, BATCHES[b].0, LOCS[loc], q)])
    };
    match op {
        Op::Receive(b, loc, q, c) => l
            .post(one(
                Movement::Receipt {
                    unit_cost: *c,
                    accept_expired: false,
                },
                *b,
                *loc,
                *q,
            ))
            .map(|_| true),
        Op::Return(b, q, c) => l
            .post(one(Movement::CustomerReturn { unit_cost: *c }, *b, 0, *q))
            .map(|_| true),
        Op::Dispense(b, loc, q) => l.post(one(dispense(), *b, *loc, *q)).map(|_| true),
        Op::Fefo(loc, q) => l
            .dispense_fefo(DispenseRequest {
                key,
                date: d(date),
                reference: None,
                product: pid("AMOX"),
                location: self::loc(LOCS[*loc]),
                qty: *q,
                policy: AllocationPolicy::default(),
                also_from: Vec::new(),
            })
            .map(|_| true),
        Op::Transfer(b, q, arrive) => {
            let t = format!("T{i}");
            let mut lines = vec![line(
                Movement::TransferOut {
                    transfer: t.clone(),
                    to: self::loc("S2"),
                },
                BATCHES[*b].0,
                "S1",
                *q,
            )];
            if *arrive {
                lines.push(line(
                    Movement::TransferIn { transfer: t },
                    BATCHES[*b].0,
                    "S2",
                    *q,
                ));
            }
            l.post(posting(&key, date, lines)).map(|_| true)
        }
        Op::AdjustIn(b, q, c) => l
            .post(one(
                Movement::AdjustIn {
                    reason: AdjustReason::CountCorrection,
                    unit_cost: *c,
                },
                *b,
                0,
                *q,
            ))
            .map(|_| true),
        Op::AdjustOut(b, q) => l
            .post(one(
                Movement::AdjustOut {
                    reason: AdjustReason::Damage,
                },
                *b,
                0,
                *q,
            ))
            .map(|_| true),
        Op::Query => {
            l.valuation(None)?;
            l.stock_totals(&StockFilter::default())?;
            l.expiry_buckets(d(date), &[30, 60, 90], None)?;
            l.stock_as_of(d(date), &StockFilter::default())?;
            Ok(false)
        }
    }
}

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    for id in LOCS {
        l.register_location(Location {
            id: loc(id),
            name: id.into(),
            priority: None,
        })
        .unwrap();
    }
    l.register_product(product("AMOX", 10)).unwrap();
    for (no, exp) in BATCHES {
        l.register_batch(batch("AMOX", no, exp, Decimal::new(250, 2)))
            .unwrap();
    }
    l
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn extreme_values_are_refused_whole_or_applied_whole(ops in proptest::collection::vec(op(), 1..40)) {
        let mut l = ledger();
        for (i, op) in ops.iter().enumerate() {
            let (digest, events) = (l.digest(), l.events().len());
            match apply(&mut l, i, op) {
                Ok(changed) => prop_assert_eq!(changed, l.events().len() > events),
                Err(e) => {
                    prop_assert_eq!(&l.digest(), &digest, "refused {:?} ({}) changed the state", op, e);
                    prop_assert_eq!(l.events().len(), events);
                }
            }
        }
        let replayed = Ledger::replay(l.events()).expect("the log replays");
        prop_assert_eq!(replayed.digest(), l.digest());
    }
}

#[test]
fn an_overflowing_cost_is_refused_before_stock_changes() {
    // The sequence: 10 in, then 10 more at a cost of 10^28.
    let mut l = ledger();
    let huge = Decimal::from_str("1e28").unwrap();
    apply(&mut l, 0, &Op::Receive(0, 0, 10, None)).unwrap();
    let (digest, events) = (l.digest(), l.events().len());
    let e = apply(&mut l, 1, &Op::Receive(0, 0, 10, Some(huge))).unwrap_err();
    assert!(
        matches!(e, CoreError::AmountOutOfRange { ref field, .. } if field == "lines[0].unit_cost"),
        "{e}"
    );
    assert_eq!((l.digest(), l.events().len()), (digest, events));
    apply(&mut l, 2, &Op::Dispense(0, 0, 5)).unwrap();
    assert_eq!(
        Ledger::replay(l.events()).unwrap().digest(),
        l.digest(),
        "the log still replays"
    );
}

#[test]
fn stock_of_a_product_at_a_location_is_bounded_across_batches() {
    let mut l = ledger();
    apply(&mut l, 0, &Op::Receive(0, 0, MAX_QTY, Some(MAX_AMOUNT))).unwrap();
    let e = apply(&mut l, 1, &Op::Receive(1, 0, 1, Some(MAX_AMOUNT))).unwrap_err();
    assert!(matches!(e, CoreError::AmountOutOfRange { .. }), "{e}");
    // Another location holds its own.
    apply(&mut l, 2, &Op::Receive(1, 1, MAX_QTY, Some(MAX_AMOUNT))).unwrap();
    let v = l.valuation(None).unwrap();
    assert_eq!(v.total_fifo, MAX_AMOUNT * Decimal::from(2 * MAX_QTY));
}

#[test]
fn an_edited_log_is_refused_at_the_first_bad_event() {
    let mut l = ledger();
    apply(&mut l, 0, &Op::Receive(0, 0, 10, Some(Decimal::ONE))).unwrap();
    apply(&mut l, 1, &Op::Dispense(0, 0, 3)).unwrap();
    apply(&mut l, 2, &Op::Dispense(0, 0, 2)).unwrap();
    let log = l.events().to_vec();
    let receipt_seq = log.len() - 3;

    // A cost edited in the receipt: the quantities still replay, the hash does not.
    let mut edited = log.clone();
    if let Event::Posted { posting } = &mut edited[receipt_seq].event {
        posting.lines[0].movement = Movement::Receipt {
            unit_cost: Some(Decimal::TWO),
            accept_expired: false,
        };
    }
    match Ledger::replay(&edited) {
        Err(CoreError::CorruptLog { seq, .. }) => assert_eq!(seq, receipt_seq as u64),
        other => panic!("replayed an edited log: {:?}", other.map(|l| l.digest())),
    }

    // An event taken out of the middle.
    let mut cut = log.clone();
    cut.remove(receipt_seq + 1);
    assert!(matches!(
        Ledger::replay(&cut),
        Err(CoreError::CorruptLog { .. })
    ));

    // Cut short at the end: refused against the head saved with the log.
    let short = &log[..log.len() - 1];
    assert!(Ledger::replay(short).is_ok());
    match Ledger::replay_to(short, Some(l.head())) {
        Err(CoreError::CorruptLog { seq, .. }) => assert_eq!(seq, (log.len() - 1) as u64),
        other => panic!("replayed a truncated log: {:?}", other.map(|l| l.digest())),
    }
    assert_eq!(
        Ledger::replay_to(&log, Some(l.head())).unwrap().digest(),
        l.digest()
    );
}

#[test]
fn the_digest_covers_the_catalog() {
    let a = ledger();
    let mut b = Ledger::new();
    for id in LOCS {
        b.register_location(Location {
            id: loc(id),
            name: id.into(),
            priority: None,
        })
        .unwrap();
    }
    b.register_product(product("AMOX", 10)).unwrap();
    for (no, exp) in BATCHES {
        let mut x = batch("AMOX", no, exp, Decimal::new(250, 2));
        if no == "B1" {
            x.expiry = Some(d("2030-01-01"));
        }
        b.register_batch(x).unwrap();
    }
    assert_eq!(a.events().len(), b.events().len());
    assert_ne!(a.digest(), b.digest(), "batch expiries differ");
}

/// Everything a stored ledger's history query can return, over the whole log.
fn history(l: &Ledger, older: &[EventEnvelope]) -> String {
    let f = StockFilter {
        product: Some(pid("AMOX")),
        ..Default::default()
    };
    let card = l.stock_card_with(older, &f).unwrap();
    let trace = l.trace_batch_with(older, &pid("AMOX"), &bno("B1")).unwrap();
    let as_of = l.stock_as_of_with(older, d("2026-06-01"), &f).unwrap();
    format!("{card:?}\n{trace:?}\n{as_of:?}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// What a store relies on: a group of writes that could not be committed is undone exactly
    /// (state, events, head and idempotency keys); a snapshot plus the events after it rebuilds
    /// the same ledger; and events handed to a store answer history queries as before.
    #[test]
    fn groups_roll_back_exactly_and_snapshots_rebuild_the_state(
        ops in proptest::collection::vec(op(), 1..40),
        groups in proptest::collection::vec(any::<bool>(), 40),
        cut in 0usize..45,
    ) {
        let mut l = ledger();
        let mut snap_at = None;
        for (i, op) in ops.iter().enumerate() {
            let before = (l.digest(), l.next_seq(), l.head().to_string());
            l.begin();
            let _ = apply(&mut l, i, op);
            let _ = apply(&mut l, i + 1000, op);
            if groups[i] {
                l.rollback();
                prop_assert_eq!((l.digest(), l.next_seq(), l.head().to_string()), before.clone());
                // Its keys are forgotten too: the same write is new again.
                l.begin();
                let _ = apply(&mut l, i, op);
                l.rollback();
                prop_assert_eq!(l.digest(), before.0.clone());
            } else {
                l.commit();
            }
            if i == cut {
                snap_at = Some(l.snapshot());
            }
        }
        let full = Ledger::replay(l.events()).unwrap();
        prop_assert_eq!(full.digest(), l.digest());
        if let Some(snap) = snap_at {
            let mut restored = Ledger::from_snapshot(&snap).unwrap();
            restored.apply_events(l.events_since(snap.seq)).unwrap();
            prop_assert_eq!(restored.digest(), l.digest());
            prop_assert_eq!(restored.head(), l.head());
            // A snapshot whose numbers were edited is refused.
            let mut forged = serde_json::to_value(&snap).unwrap();
            if let Some(c) = forged["cells"].get_mut(0) {
                c["on_hand"] = serde_json::json!(c["on_hand"].as_i64().unwrap() + 1);
                let forged: apotheca_core::snapshot::Snapshot = serde_json::from_value(forged).unwrap();
                prop_assert!(Ledger::from_snapshot(&forged).is_err());
            }
        }
        let all = l.events().to_vec();
        let expected = history(&l, &[]);
        let mut trimmed = Ledger::replay(&all).unwrap();
        let at = (cut as u64).min(trimmed.next_seq());
        trimmed.forget_before(at);
        prop_assert_eq!(trimmed.first_seq_in_memory(), at);
        prop_assert_eq!(trimmed.digest(), l.digest());
        prop_assert_eq!(history(&trimmed, &all[..at as usize]), expected);
    }
}
