#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use apotheca_core::*;
use common::*;

fn picked(a: &Allocation) -> Vec<(String, Qty)> {
    a.picks
        .iter()
        .map(|p| (p.batch.to_string(), p.qty))
        .collect()
}

#[test]
fn earliest_expiry_first_then_next() {
    let mut l = ledger_with(&[("LATE", Some("2027-12-31")), ("EARLY", Some("2027-03-31"))]);
    receive(&mut l, "r1", "LATE", "S1", 50);
    receive(&mut l, "r2", "EARLY", "S1", 30);
    let a = l
        .allocate(&alloc(40, "2026-06-01", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(picked(&a), vec![("EARLY".into(), 30), ("LATE".into(), 10)]);
    assert_eq!(a.shortfall, 0);
    assert!(a.skipped.is_empty());
}

#[test]
fn usable_on_expiry_day_skipped_the_day_after() {
    let mut l = ledger_with(&[("B1", Some("2026-06-30")), ("B2", Some("2027-01-31"))]);
    receive(&mut l, "r1", "B1", "S1", 5);
    receive(&mut l, "r2", "B2", "S1", 5);
    let on_day = l
        .allocate(&alloc(3, "2026-06-30", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(picked(&on_day), vec![("B1".into(), 3)]);
    let after = l
        .allocate(&alloc(3, "2026-07-01", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(picked(&after), vec![("B2".into(), 3)]);
    assert_eq!(after.skipped[0].reason, SkipReason::Expired);
}

#[test]
fn minimum_shelf_life_counts_whole_days_left() {
    let mut l = ledger_with(&[("B1", Some("2026-07-01")), ("B2", Some("2027-01-31"))]);
    receive(&mut l, "r1", "B1", "S1", 5);
    receive(&mut l, "r2", "B2", "S1", 5);
    let policy = |days| AllocationPolicy {
        min_shelf_life_days: days,
        ..Default::default()
    };
    // 30 days left on 2026-06-01: accepted at a minimum of 30, refused at 31.
    let ok = l.allocate(&alloc(1, "2026-06-01", policy(30))).unwrap();
    assert_eq!(picked(&ok), vec![("B1".into(), 1)]);
    let refused = l.allocate(&alloc(1, "2026-06-01", policy(31))).unwrap();
    assert_eq!(picked(&refused), vec![("B2".into(), 1)]);
    assert_eq!(
        refused.skipped[0].reason,
        SkipReason::ShelfLifeTooShort {
            remaining_days: 30,
            min_days: 31
        }
    );
}

#[test]
fn ties_break_by_receipt_order_then_batch_number_and_no_expiry_goes_last() {
    let mut l = ledger_with(&[
        ("ZZ", Some("2027-01-31")),
        ("AA", Some("2027-01-31")),
        ("NOEXP", None),
        ("MM", Some("2027-01-31")),
    ]);
    receive(&mut l, "r0", "NOEXP", "S1", 5);
    receive(&mut l, "r1", "ZZ", "S1", 5);
    // AA and MM arrive in the same posting: same receipt order, so batch number decides.
    l.post(posting(
        "r2",
        "2026-01-01",
        vec![
            line(
                Movement::Receipt {
                    unit_cost: None,
                    accept_expired: false,
                },
                "MM",
                "S1",
                5,
            ),
            line(
                Movement::Receipt {
                    unit_cost: None,
                    accept_expired: false,
                },
                "AA",
                "S1",
                5,
            ),
        ],
    ))
    .unwrap();
    let a = l
        .allocate(&alloc(20, "2026-06-01", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(
        picked(&a),
        vec![
            ("ZZ".into(), 5),
            ("AA".into(), 5),
            ("MM".into(), 5),
            ("NOEXP".into(), 5)
        ]
    );
}

#[test]
fn blocked_batches_are_reported_and_never_picked() {
    let mut l = ledger_with(&[
        ("Q", Some("2026-12-31")),
        ("R", Some("2027-01-31")),
        ("OK", Some("2027-06-30")),
    ]);
    for (k, b) in [("r1", "Q"), ("r2", "R"), ("r3", "OK")] {
        receive(&mut l, k, b, "S1", 10);
    }
    let status = |key: &str, b: &str, s| StatusChange {
        key: key.into(),
        date: d("2026-02-01"),
        product: pid("AMOX"),
        batch: bno(b),
        status: Some(s),
        reason: None,
        location: None,
        vvm: None,
        expiry: None,
    };
    l.set_batch_status(status("s1", "Q", BatchStatus::Quarantined))
        .unwrap();
    l.set_batch_status(status("s2", "R", BatchStatus::Recalled))
        .unwrap();
    let a = l
        .allocate(&alloc(25, "2026-06-01", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(picked(&a), vec![("OK".into(), 10)]);
    assert_eq!(a.shortfall, 15);
    let reasons: Vec<_> = a
        .skipped
        .iter()
        .map(|s| (s.batch.to_string(), s.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("Q".into(), SkipReason::Quarantined),
            ("R".into(), SkipReason::Recalled)
        ]
    );
    // A recall is final.
    assert!(
        l.set_batch_status(status("s3", "R", BatchStatus::Released))
            .is_err()
    );
}

#[test]
fn all_or_nothing_policy_refuses_a_partial_fill() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    receive(&mut l, "r1", "B1", "S1", 5);
    let err = l
        .allocate(&alloc(
            6,
            "2026-06-01",
            AllocationPolicy {
                allow_partial: false,
                ..Default::default()
            },
        ))
        .unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::InsufficientStock {
                requested: 6,
                available: 5,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn single_batch_takes_the_first_batch_that_covers_it() {
    let mut l = ledger_with(&[("SMALL", Some("2027-01-31")), ("BIG", Some("2027-06-30"))]);
    receive(&mut l, "r1", "SMALL", "S1", 5);
    receive(&mut l, "r2", "BIG", "S1", 50);
    let a = l
        .allocate(&alloc(
            20,
            "2026-06-01",
            AllocationPolicy {
                single_batch: true,
                ..Default::default()
            },
        ))
        .unwrap();
    assert_eq!(picked(&a), vec![("BIG".into(), 20)]);
    assert_eq!(a.skipped[0].reason, SkipReason::TooSmallForSingleBatch);
}

#[test]
fn opened_packs_are_used_before_new_ones() {
    let mut l = ledger_with(&[("EARLY", Some("2027-01-31")), ("OPEN", Some("2027-06-30"))]);
    receive(&mut l, "r1", "EARLY", "S1", 20);
    receive(&mut l, "r2", "OPEN", "S1", 13); // one strip of 10 opened, 3 loose
    let a = l
        .allocate(&alloc(
            5,
            "2026-06-01",
            AllocationPolicy {
                opened_packs_first: true,
                ..Default::default()
            },
        ))
        .unwrap();
    assert_eq!(picked(&a), vec![("OPEN".into(), 3), ("EARLY".into(), 2)]);
    assert_eq!(a.picks[0].reason, PickReason::OpenedPack);
}

#[test]
fn reservations_are_honoured() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", Some("2027-06-30"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    receive(&mut l, "r2", "B2", "S1", 10);
    l.post(posting(
        "res",
        "2026-02-01",
        vec![line(
            Movement::Reserve {
                reservation: "ORD-1".into(),
            },
            "B1",
            "S1",
            8,
        )],
    ))
    .unwrap();
    let a = l
        .allocate(&alloc(5, "2026-06-01", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(picked(&a), vec![("B1".into(), 2), ("B2".into(), 3)]);
}

#[test]
fn dispense_fefo_posts_the_allocation_and_is_idempotent() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", Some("2027-06-30"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    receive(&mut l, "r2", "B2", "S1", 10);
    let req = DispenseRequest {
        key: "rx-1".into(),
        date: d("2026-06-01"),
        reference: Some("RX-1".into()),
        product: pid("AMOX"),
        location: loc("S1"),
        qty: 15,
        policy: AllocationPolicy::default(),
        also_from: Vec::new(),
    };
    let (a, r) = l.dispense_fefo(req.clone()).unwrap();
    assert_eq!(picked(&a), vec![("B1".into(), 10), ("B2".into(), 5)]);
    let digest = l.digest();
    let (a2, r2) = l.dispense_fefo(req.clone()).unwrap();
    assert_eq!((a, r), (a2, r2));
    assert_eq!(l.digest(), digest);
    let other = DispenseRequest { qty: 1, ..req };
    assert!(matches!(
        l.dispense_fefo(other),
        Err(CoreError::IdempotencyConflict { .. })
    ));
}

#[test]
fn a_partial_dispense_that_finds_nothing_is_an_empty_allocation_kept_under_its_key() {
    let mut l = ledger_with(&[("B1", Some("2026-03-31"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    let req = DispenseRequest {
        key: "rx-1".into(),
        date: d("2026-06-01"),
        reference: None,
        product: pid("AMOX"),
        location: loc("S1"),
        qty: 4,
        policy: AllocationPolicy::default(),
        also_from: Vec::new(),
    };
    let (a, r) = l.dispense_fefo(req.clone()).unwrap();
    assert_eq!((a.allocated, a.shortfall, a.picks.len()), (0, 4, 0));
    assert_eq!(a.skipped[0].reason, SkipReason::Expired);
    assert!(r.lines.is_empty());
    // Replays to the same state, and a retry after a receipt still answers the first result.
    assert_eq!(Ledger::replay(l.events()).unwrap().digest(), l.digest());
    l.register_batch(batch(
        "AMOX",
        "B2",
        Some("2027-01-31"),
        rust_decimal::Decimal::ONE,
    ))
    .unwrap();
    receive(&mut l, "r2", "B2", "S1", 10);
    assert_eq!(l.dispense_fefo(req.clone()).unwrap().0, a);
    // All or nothing: refused, nothing recorded.
    let events = l.events().len();
    let strict = DispenseRequest {
        key: "rx-2".into(),
        qty: 11,
        policy: AllocationPolicy {
            allow_partial: false,
            ..Default::default()
        },
        ..req
    };
    assert!(matches!(
        l.dispense_fefo(strict),
        Err(CoreError::InsufficientStock { .. })
    ));
    assert_eq!(l.events().len(), events);
}

#[test]
fn a_named_expired_batch_cannot_be_dispensed() {
    let mut l = ledger_with(&[("B-17", Some("2026-03-31"))]);
    receive(&mut l, "r1", "B-17", "S1", 10);
    let err = l
        .post(posting(
            "x",
            "2026-04-02",
            vec![line(dispense(), "B-17", "S1", 1)],
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "batch B-17 of AMOX expired on 2026-03-31 (dispense date 2026-04-02)"
    );
}

#[test]
fn stock_line_holds_and_vvm_readings_survive_snapshot_replay_and_rollback() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", Some("2027-06-30"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    receive(&mut l, "r2", "B2", "S1", 10);
    let change = |key: &str, b: &str, status, vvm| StatusChange {
        key: key.into(),
        date: d("2026-02-01"),
        product: pid("AMOX"),
        batch: bno(b),
        status,
        reason: None,
        location: Some(loc("S1")),
        vvm,
        expiry: None,
    };
    let plain = l.digest();
    // A failed group of writes leaves no trace of a hold or a reading.
    l.begin();
    l.set_batch_status(change("h1", "B1", Some(BatchStatus::Quarantined), None))
        .unwrap();
    l.rollback();
    assert_eq!(l.digest(), plain);
    l.set_batch_status(change("h1", "B1", Some(BatchStatus::Quarantined), None))
        .unwrap();
    let stage = |level, unusable| VvmStatus {
        level,
        unusable,
        code: None,
    };
    l.set_batch_status(change("v1", "B2", None, Some(stage(2, false))))
        .unwrap();
    assert_ne!(l.digest(), plain);
    let a = l
        .allocate(&alloc(5, "2026-06-01", AllocationPolicy::default()))
        .unwrap();
    assert_eq!(picked(&a), vec![("B2".into(), 5)]);
    let replayed = Ledger::replay(l.events()).unwrap();
    assert_eq!(replayed.digest(), l.digest());
    let restored = Ledger::from_snapshot(&l.snapshot()).unwrap();
    assert_eq!(restored.digest(), l.digest());
    assert_eq!(
        restored
            .allocate(&alloc(5, "2026-06-01", AllocationPolicy::default()))
            .unwrap(),
        a
    );
    // An unusable stage: refused by name, skipped by FEFO.
    l.set_batch_status(change("v2", "B2", None, Some(stage(4, true))))
        .unwrap();
    let a = l
        .allocate(&alloc(5, "2026-06-01", AllocationPolicy::default()))
        .unwrap();
    assert!(a.picks.is_empty());
    assert_eq!(
        a.skipped.iter().map(|s| s.reason).collect::<Vec<_>>(),
        vec![
            SkipReason::VvmUnusable { level: 4 },
            SkipReason::Quarantined
        ]
    );
    assert!(matches!(
        l.post(posting(
            "rx",
            "2026-06-01",
            vec![line(dispense(), "B2", "S1", 1)]
        )),
        Err(CoreError::BatchBlocked { .. })
    ));
}

#[test]
fn an_expiry_change_reorders_fefo_and_survives_snapshot_replay_and_rollback() {
    let mut l = ledger_with(&[("B1", Some("2026-09-30")), ("B2", Some("2026-12-31"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    receive(&mut l, "r2", "B2", "S1", 10);
    let extend = |key: &str| StatusChange {
        key: key.into(),
        date: d("2026-05-01"),
        product: pid("AMOX"),
        batch: bno("B1"),
        status: None,
        reason: None,
        location: None,
        vvm: None,
        expiry: Some(d("2027-06-30")),
    };
    let first = |l: &Ledger| {
        l.allocate(&alloc(1, "2026-06-01", AllocationPolicy::default()))
            .unwrap()
            .picks[0]
            .batch
            .to_string()
    };
    let before = l.digest();
    l.begin();
    l.set_batch_status(extend("x1")).unwrap();
    assert_eq!(first(&l), "B2");
    l.rollback();
    assert_eq!((l.digest(), first(&l)), (before, "B1".to_string()));
    l.set_batch_status(extend("x1")).unwrap();
    assert_eq!(first(&l), "B2");
    let replayed = Ledger::replay(l.events()).unwrap();
    assert_eq!(
        (replayed.digest(), first(&replayed)),
        (l.digest(), "B2".into())
    );
    let restored = Ledger::from_snapshot(&l.snapshot()).unwrap();
    assert_eq!(
        (restored.digest(), first(&restored)),
        (l.digest(), "B2".into())
    );
}
