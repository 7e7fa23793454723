#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use apotheca_core::*;
use common::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn totals(l: &Ledger, location: &str) -> StockTotals {
    l.stock_totals(&StockFilter {
        product: Some(pid("AMOX")),
        location: Some(loc(location)),
        batch: None,
    })
    .unwrap()
}

#[test]
fn idempotency_same_payload_is_a_no_op_different_payload_is_an_error() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    let p = posting(
        "k1",
        "2026-01-01",
        vec![line(
            Movement::Receipt {
                unit_cost: None,
                accept_expired: false,
            },
            "B1",
            "S1",
            10,
        )],
    );
    let first = l.post(p.clone()).unwrap();
    let events = l.events().len();
    assert_eq!(l.post(p.clone()).unwrap(), first);
    assert_eq!(l.events().len(), events);
    assert_eq!(totals(&l, "S1").on_hand, 10);
    let mut changed = p;
    changed.lines[0].qty = 11;
    assert_eq!(
        l.post(changed).unwrap_err(),
        CoreError::IdempotencyConflict { key: "k1".into() }
    );
}

#[test]
fn a_failing_line_leaves_the_ledger_unchanged() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", Some("2027-02-28"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    let before = l.digest();
    let err = l
        .post(posting(
            "bad",
            "2026-02-01",
            vec![
                line(dispense(), "B1", "S1", 5),
                line(
                    Movement::Receipt {
                        unit_cost: None,
                        accept_expired: false,
                    },
                    "B2",
                    "S1",
                    7,
                ),
                line(dispense(), "B1", "S1", 6), // only 5 left after the first line
            ],
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
    assert_eq!(l.digest(), before);
    // The key was not consumed by the failed posting.
    l.post(posting(
        "bad",
        "2026-02-01",
        vec![line(dispense(), "B1", "S1", 5)],
    ))
    .unwrap();
}

#[test]
fn bad_input_gets_typed_errors_naming_the_value() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    let before = l.digest();
    let cases: Vec<(Posting, &str)> = vec![
        (
            posting("a", "2026-02-01", vec![line(dispense(), "B1", "S1", 0)]),
            "invalid quantity 0",
        ),
        (
            posting("b", "2026-02-01", vec![line(dispense(), "B1", "S1", -3)]),
            "invalid quantity -3",
        ),
        (
            posting(
                "c",
                "2026-02-01",
                vec![line(dispense(), "B1", "NOWHERE", 1)],
            ),
            "unknown location NOWHERE",
        ),
        (
            posting("d", "2026-02-01", vec![line(dispense(), "B9", "S1", 1)]),
            "unknown batch B9 of AMOX",
        ),
        (
            posting("e", "2026-02-01", vec![line(dispense(), "B1", "S1", 11)]),
            "requested 11, available 10",
        ),
        (
            posting(
                "f",
                "2026-02-01",
                vec![line(
                    Movement::TransferOut {
                        transfer: "T1".into(),
                        to: loc("S1"),
                    },
                    "B1",
                    "S1",
                    1,
                )],
            ),
            "transfer T1 goes from S1 to itself",
        ),
        (posting("g", "2026-02-01", vec![]), "a posting has 1 to"),
        (
            posting("", "2026-02-01", vec![line(dispense(), "B1", "S1", 1)]),
            "idempotency key",
        ),
        (
            posting("h", "2500-01-01", vec![line(dispense(), "B1", "S1", 1)]),
            "1970 to 2199",
        ),
    ];
    for (p, needle) in cases {
        let msg = l.post(p).unwrap_err().to_string();
        assert!(msg.contains(needle), "{msg:?} should contain {needle:?}");
    }
    let mut other = Posting {
        ..posting("i", "2026-02-01", vec![line(dispense(), "B1", "S1", 1)])
    };
    other.lines[0].product = pid("NOPE");
    assert_eq!(
        l.post(other).unwrap_err().to_string(),
        "unknown product NOPE"
    );
    assert_eq!(l.digest(), before);
}

#[test]
fn transfer_goes_out_in_transit_and_in_with_its_cost() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    receive_costed(&mut l, "r1", "2026-01-01", "B1", 10, dec!(2.00));
    receive_costed(&mut l, "r2", "2026-01-02", "B1", 10, dec!(3.00));
    let out = l
        .post(posting(
            "t-out",
            "2026-01-03",
            vec![line(
                Movement::TransferOut {
                    transfer: "T1".into(),
                    to: loc("S2"),
                },
                "B1",
                "S1",
                12,
            )],
        ))
        .unwrap();
    assert_eq!(out.lines[0].cost_fifo, Some(dec!(26.00)));
    assert_eq!(totals(&l, "S2").in_transit, 12);
    assert_eq!(totals(&l, "S1").on_hand, 8);
    let err = l
        .post(posting(
            "t-in-bad",
            "2026-01-04",
            vec![line(
                Movement::TransferIn {
                    transfer: "T1".into(),
                },
                "B1",
                "S1",
                12,
            )],
        ))
        .unwrap_err();
    assert!(matches!(err, CoreError::TransferMismatch { .. }));
    l.post(posting(
        "t-in",
        "2026-01-04",
        vec![line(
            Movement::TransferIn {
                transfer: "T1".into(),
            },
            "B1",
            "S2",
            12,
        )],
    ))
    .unwrap();
    assert_eq!(
        totals(&l, "S2"),
        StockTotals {
            on_hand: 12,
            reserved: 0,
            blocked: 0,
            available: 12,
            in_transit: 0
        }
    );
    assert_eq!(
        l.cost_layers(&pid("AMOX"), &bno("B1"), &loc("S2")).unwrap(),
        vec![
            CostLayer {
                qty: 10,
                unit_cost: dec!(2.00)
            },
            CostLayer {
                qty: 2,
                unit_cost: dec!(3.00)
            }
        ]
    );
    // A transfer id is used once.
    let again = l.post(posting(
        "t-again",
        "2026-01-05",
        vec![line(
            Movement::TransferOut {
                transfer: "T1".into(),
                to: loc("S2"),
            },
            "B1",
            "S1",
            1,
        )],
    ));
    assert!(matches!(again, Err(CoreError::TransferMismatch { .. })));
}

#[test]
fn reservations_quarantine_and_recall_shape_available() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    receive(&mut l, "r1", "B1", "S1", 20);
    l.post(posting(
        "res",
        "2026-02-01",
        vec![line(
            Movement::Reserve {
                reservation: "ORD-7".into(),
            },
            "B1",
            "S1",
            5,
        )],
    ))
    .unwrap();
    l.post(posting(
        "q",
        "2026-02-01",
        vec![line(Movement::Quarantine, "B1", "S1", 3)],
    ))
    .unwrap();
    assert_eq!(
        totals(&l, "S1"),
        StockTotals {
            on_hand: 20,
            reserved: 5,
            blocked: 3,
            available: 12,
            in_transit: 0
        }
    );
    // Dispense against the reservation consumes it.
    l.post(posting(
        "d",
        "2026-02-02",
        vec![line(
            Movement::Dispense {
                reservation: Some("ORD-7".into()),
            },
            "B1",
            "S1",
            5,
        )],
    ))
    .unwrap();
    assert_eq!(
        totals(&l, "S1"),
        StockTotals {
            on_hand: 15,
            reserved: 0,
            blocked: 3,
            available: 12,
            in_transit: 0
        }
    );
    assert!(
        l.post(posting(
            "d2",
            "2026-02-02",
            vec![line(
                Movement::Dispense {
                    reservation: Some("ORD-7".into())
                },
                "B1",
                "S1",
                1
            )]
        ))
        .is_err()
    );
    // A recall blocks everything; the damaged units go back to the supplier.
    l.set_batch_status(StatusChange {
        key: "recall".into(),
        date: d("2026-02-03"),
        product: pid("AMOX"),
        batch: bno("B1"),
        status: Some(BatchStatus::Recalled),
        reason: Some("FDA notice 12".into()),
        location: None,
        vvm: None,
        expiry: None,
    })
    .unwrap();
    assert_eq!(
        totals(&l, "S1"),
        StockTotals {
            on_hand: 15,
            reserved: 0,
            blocked: 15,
            available: 0,
            in_transit: 0
        }
    );
    assert!(matches!(
        l.post(posting(
            "d3",
            "2026-02-04",
            vec![line(dispense(), "B1", "S1", 1)]
        )),
        Err(CoreError::BatchBlocked { .. })
    ));
    l.post(posting(
        "ret",
        "2026-02-04",
        vec![line(Movement::SupplierReturn, "B1", "S1", 15)],
    ))
    .unwrap();
    assert_eq!(totals(&l, "S1").on_hand, 0);
}

#[test]
fn fifo_and_moving_average_value_stock_and_dispenses() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    receive_costed(&mut l, "r1", "2026-01-01", "B1", 10, dec!(1.00));
    receive_costed(&mut l, "r2", "2026-01-02", "B1", 30, dec!(2.50));
    let r = l
        .post(posting(
            "d1",
            "2026-01-03",
            vec![line(dispense(), "B1", "S1", 15)],
        ))
        .unwrap();
    // FIFO: 10 × 1.00 + 5 × 2.50; moving average (10 + 75) / 40 = 2.125 per unit.
    assert_eq!(r.lines[0].cost_fifo, Some(dec!(22.50)));
    assert_eq!(r.lines[0].cost_moving_average, Some(dec!(31.875)));
    let v = l.valuation(Some(&loc("S1"))).unwrap();
    assert_eq!(v.rows[0].on_hand, 25);
    assert_eq!(v.total_fifo, dec!(62.50));
    assert_eq!(v.total_moving_average, dec!(53.125));
    assert_eq!(v.rows[0].moving_average_unit_cost, dec!(2.125));
}

#[test]
fn stock_as_of_counts_backdated_postings_by_their_date() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    receive(&mut l, "r1", "B1", "S1", 10); // dated 2026-01-01
    l.post(posting(
        "d1",
        "2026-03-01",
        vec![line(dispense(), "B1", "S1", 4)],
    ))
    .unwrap();
    l.post(posting(
        "late",
        "2026-02-01",
        vec![line(dispense(), "B1", "S1", 1)],
    ))
    .unwrap();
    let f = StockFilter::default();
    let q = |date: &str| {
        l.stock_as_of(d(date), &f)
            .unwrap()
            .first()
            .map_or(0, |r| r.on_hand)
    };
    assert_eq!(q("2025-12-31"), 0);
    assert_eq!(q("2026-01-01"), 10);
    assert_eq!(q("2026-02-01"), 9);
    assert_eq!(q("2026-03-01"), 5);
}

#[test]
fn stock_card_and_expiry_buckets() {
    let mut l = ledger_with(&[
        ("E30", Some("2026-07-01")),
        ("E31", Some("2026-07-02")),
        ("E90", Some("2026-08-30")),
        ("OLD", Some("2026-05-31")),
    ]);
    for (k, b) in [("r1", "E30"), ("r2", "E31"), ("r3", "E90"), ("r4", "OLD")] {
        receive(&mut l, k, b, "S1", 10);
    }
    l.post(posting(
        "d",
        "2026-01-05",
        vec![line(dispense(), "E30", "S1", 3)],
    ))
    .unwrap();
    let on = d("2026-06-01");
    let b = l.expiry_buckets(on, &[30, 60, 90], None).unwrap();
    let names = |i: usize| {
        b[i].rows
            .iter()
            .map(|r| r.batch.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (b[0].from_days, b[0].to_days, names(0), b[0].qty),
        (0, 30, vec!["E30".to_string()], 7)
    );
    assert_eq!(names(1), vec!["E31".to_string()]);
    assert_eq!(names(2), vec!["E90".to_string()]);
    let expired = l.expired(on, None).unwrap();
    assert_eq!(
        (expired[0].batch.to_string(), expired[0].days_left),
        ("OLD".to_string(), -1)
    );
    let card = l
        .stock_card(&StockFilter {
            product: Some(pid("AMOX")),
            location: Some(loc("S1")),
            batch: None,
        })
        .unwrap();
    assert_eq!(
        card.iter().map(|c| c.balance).collect::<Vec<_>>(),
        vec![10, 20, 30, 40, 37]
    );
}

#[test]
fn recall_traceability_both_ways() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", Some("2027-06-30"))]);
    receive(&mut l, "grn", "B1", "S1", 4);
    receive(&mut l, "grn2", "B2", "S1", 10);
    for (i, qty) in [(1, 3), (2, 3)] {
        let req = DispenseRequest {
            key: format!("rx{i}"),
            date: d("2026-02-01"),
            reference: Some(format!("RX-{i}")),
            product: pid("AMOX"),
            location: loc("S1"),
            qty,
            policy: AllocationPolicy::default(),
            also_from: Vec::new(),
        };
        l.dispense_fefo(req).unwrap();
    }
    let t = l.trace_batch(&pid("AMOX"), &bno("B1")).unwrap();
    assert_eq!(t.receipts.len(), 1);
    let refs: Vec<_> = t
        .dispenses
        .iter()
        .map(|m| (m.reference.clone().unwrap(), m.qty_out))
        .collect();
    assert_eq!(refs, vec![("RX-1".to_string(), 3), ("RX-2".to_string(), 1)]);
    let doc = l.trace_document("RX-2").unwrap();
    assert_eq!(
        doc.iter()
            .map(|m| (m.batch.to_string(), m.qty_out))
            .collect::<Vec<_>>(),
        vec![("B1".into(), 1), ("B2".into(), 2)]
    );
}

#[test]
fn replay_rebuilds_identical_state_and_refuses_unknown_schemas() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31")), ("B2", Some("2027-06-30"))]);
    receive(&mut l, "r1", "B1", "S1", 10);
    receive(&mut l, "r2", "B2", "S1", 10);
    l.post(posting(
        "t",
        "2026-01-02",
        vec![line(
            Movement::TransferOut {
                transfer: "T1".into(),
                to: loc("S2"),
            },
            "B2",
            "S1",
            4,
        )],
    ))
    .unwrap();
    l.dispense_fefo(DispenseRequest {
        key: "rx".into(),
        date: d("2026-02-01"),
        reference: None,
        product: pid("AMOX"),
        location: loc("S1"),
        qty: 12,
        policy: AllocationPolicy::default(),
        also_from: Vec::new(),
    })
    .unwrap();
    let json = serde_json::to_string(l.events()).unwrap();
    let events: Vec<EventEnvelope> = serde_json::from_str(&json).unwrap();
    let replayed = Ledger::replay(&events).unwrap();
    assert_eq!(replayed.digest(), l.digest());
    let mut future = events.clone();
    future[0].schema = SCHEMA_VERSION + 1;
    assert!(matches!(
        Ledger::replay(&future),
        Err(CoreError::UnsupportedSchema { .. })
    ));
    let mut gap = events;
    gap.remove(3);
    assert!(matches!(
        Ledger::replay(&gap),
        Err(CoreError::CorruptLog { .. })
    ));
}

#[test]
fn registration_is_idempotent_and_validated() {
    let mut l = ledger_with(&[("B1", Some("2027-01-31"))]);
    l.register_product(product("AMOX", 10)).unwrap();
    assert!(matches!(
        l.register_product(product("AMOX", 20)),
        Err(CoreError::AlreadyRegistered { .. })
    ));
    let mut bad = batch("AMOX", "B2", Some("2026-01-01"), Decimal::ONE);
    bad.manufactured = Some(d("2026-06-01"));
    assert!(
        l.register_batch(bad)
            .unwrap_err()
            .to_string()
            .contains("after expiry")
    );
    assert!(matches!(
        l.register_batch(batch("NOPE", "B2", None, Decimal::ONE)),
        Err(CoreError::UnknownProduct(_))
    ));
}

#[test]
fn money_in_json_must_be_a_string_never_a_number() {
    let ok: Posting = serde_json::from_str(r#"{"key":"k","date":"2026-01-01","lines":[{"type":"receipt","unit_cost":"0.10","product":"AMOX","batch":"B1","location":"S1","qty":1}]}"#).unwrap();
    assert_eq!(
        ok.lines[0].movement,
        Movement::Receipt {
            unit_cost: Some(dec!(0.10)),
            accept_expired: false,
        }
    );
    let float = serde_json::from_str::<Posting>(
        r#"{"key":"k","date":"2026-01-01","lines":[{"type":"receipt","unit_cost":0.1,"product":"AMOX","batch":"B1","location":"S1","qty":1}]}"#,
    );
    assert!(float.is_err());
    let batch = r#"{"product":"AMOX","batch":"B1","expiry":null,"unit_cost":2.1,"mrp":"4.50"}"#;
    assert!(serde_json::from_str::<Batch>(batch).is_err());
    let absent: Posting = serde_json::from_str(r#"{"key":"k","date":"2026-01-01","lines":[{"type":"receipt","product":"AMOX","batch":"B1","location":"S1","qty":1}]}"#).unwrap();
    assert_eq!(
        absent.lines[0].movement,
        Movement::Receipt {
            unit_cost: None,
            accept_expired: false
        }
    );
}
