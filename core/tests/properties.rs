//! Invariants of the ledger under random sequences of operations.
#![allow(clippy::unwrap_used, missing_docs)]
mod common;
use std::collections::HashMap;

use apotheca_core::*;
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

const BATCHES: [(&str, Option<&str>); 4] = [
    ("B1", Some("2026-03-31")),
    ("B2", Some("2026-06-30")),
    ("B3", Some("2026-06-30")),
    ("B4", None),
];
const LOCS: [&str; 2] = ["S1", "S2"];

#[derive(Debug, Clone)]
enum Op {
    Receive {
        b: usize,
        l: usize,
        qty: Qty,
        cost: u32,
    },
    Dispense {
        b: usize,
        l: usize,
        qty: Qty,
    },
    Fefo {
        l: usize,
        qty: Qty,
        day: u32,
        min_days: u32,
    },
    Transfer {
        b: usize,
        l: usize,
        qty: Qty,
        arrive: bool,
    },
    Reserve {
        b: usize,
        l: usize,
        qty: Qty,
    },
    Release {
        qty: Qty,
    },
    Quarantine {
        b: usize,
        l: usize,
        qty: Qty,
        release: bool,
    },
    Adjust {
        b: usize,
        l: usize,
        qty: Qty,
        up: bool,
    },
    TwoLines {
        b1: usize,
        b2: usize,
        l: usize,
        qty1: Qty,
        qty2: Qty,
    },
    Recall {
        b: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let b = 0..BATCHES.len();
    let l = 0..LOCS.len();
    let q = -2i64..40;
    prop_oneof![
        3 => (b.clone(), l.clone(), 1i64..50, 1u32..500).prop_map(|(b, l, qty, cost)| Op::Receive { b, l, qty, cost }),
        2 => (b.clone(), l.clone(), q.clone()).prop_map(|(b, l, qty)| Op::Dispense { b, l, qty }),
        3 => (l.clone(), q.clone(), 0u32..200, 0u32..60).prop_map(|(l, qty, day, min_days)| Op::Fefo { l, qty, day, min_days }),
        1 => (b.clone(), l.clone(), q.clone(), any::<bool>()).prop_map(|(b, l, qty, arrive)| Op::Transfer { b, l, qty, arrive }),
        1 => (b.clone(), l.clone(), q.clone()).prop_map(|(b, l, qty)| Op::Reserve { b, l, qty }),
        1 => (1i64..20).prop_map(|qty| Op::Release { qty }),
        1 => (b.clone(), l.clone(), q.clone(), any::<bool>()).prop_map(|(b, l, qty, release)| Op::Quarantine { b, l, qty, release }),
        1 => (b.clone(), l.clone(), q.clone(), any::<bool>()).prop_map(|(b, l, qty, up)| Op::Adjust { b, l, qty, up }),
        1 => (b.clone(), b.clone(), l.clone(), q.clone(), q).prop_map(|(b1, b2, l, qty1, qty2)| Op::TwoLines { b1, b2, l, qty1, qty2 }),
        1 => b.prop_map(|b| Op::Recall { b }),
    ]
}

/// What happened when an op ran.
struct Step {
    ok: bool,
    digest_before: String,
    digest_after: String,
    allocation: Option<Allocation>,
    /// Stock rows just before an allocation, with the policy's minimum shelf life.
    stock_before: Vec<StockRow>,
    min_days: u32,
    posting: Option<Posting>,
    result: Option<PostingResult>,
}

struct Run {
    ledger: Ledger,
    steps: Vec<Step>,
    /// Net on-hand change per batch from successful postings (inflows − outflows).
    net: HashMap<String, Qty>,
    next_reservation: usize,
}

fn run(ops: &[Op]) -> Run {
    let mut l = ledger_with(&BATCHES);
    let mut r = Run {
        ledger: Ledger::new(),
        steps: vec![],
        net: HashMap::new(),
        next_reservation: 0,
    };
    let mut open_reservations: Vec<(String, usize, usize)> = vec![];
    for (i, op) in ops.iter().enumerate() {
        let key = format!("k{i}");
        let date = "2026-01-15";
        let mk =
            |m: Movement, b: usize, loc: usize, qty: Qty| line(m, BATCHES[b].0, LOCS[loc], qty);
        let digest_before = l.digest();
        let mut allocation = None;
        let stock_before = rows(&l);
        let min_days = if let Op::Fefo { min_days, .. } = op {
            *min_days
        } else {
            0
        };
        let posting = match op {
            Op::Receive {
                b,
                l: lc,
                qty,
                cost,
            } => Some(posting(
                &key,
                "2026-01-01",
                vec![mk(
                    Movement::Receipt {
                        unit_cost: Some(Decimal::new(*cost as i64, 2)),
                        accept_expired: false,
                    },
                    *b,
                    *lc,
                    *qty,
                )],
            )),
            Op::Dispense { b, l: lc, qty } => Some(posting(
                &key,
                date,
                vec![mk(Movement::Dispense { reservation: None }, *b, *lc, *qty)],
            )),
            Op::Transfer {
                b,
                l: lc,
                qty,
                arrive,
            } => {
                let t = format!("T{i}");
                let mut lines = vec![mk(
                    Movement::TransferOut {
                        transfer: t.clone(),
                        to: loc(LOCS[1 - lc]),
                    },
                    *b,
                    *lc,
                    *qty,
                )];
                if *arrive {
                    lines.push(mk(Movement::TransferIn { transfer: t }, *b, 1 - lc, *qty));
                }
                Some(posting(&key, date, lines))
            }
            Op::Reserve { b, l: lc, qty } => {
                r.next_reservation += 1;
                let id = format!("R{}", r.next_reservation);
                open_reservations.push((id.clone(), *b, *lc));
                Some(posting(
                    &key,
                    date,
                    vec![mk(Movement::Reserve { reservation: id }, *b, *lc, *qty)],
                ))
            }
            Op::Release { qty } => open_reservations.first().cloned().map(|(id, b, lc)| {
                posting(
                    &key,
                    date,
                    vec![mk(
                        Movement::ReleaseReservation { reservation: id },
                        b,
                        lc,
                        *qty,
                    )],
                )
            }),
            Op::Quarantine {
                b,
                l: lc,
                qty,
                release,
            } => {
                let m = if *release {
                    Movement::ReleaseQuarantine
                } else {
                    Movement::Quarantine
                };
                Some(posting(&key, date, vec![mk(m, *b, *lc, *qty)]))
            }
            Op::Adjust { b, l: lc, qty, up } => {
                let m = if *up {
                    Movement::AdjustIn {
                        reason: AdjustReason::CountCorrection,
                        unit_cost: None,
                    }
                } else {
                    Movement::AdjustOut {
                        reason: AdjustReason::Damage,
                    }
                };
                Some(posting(&key, date, vec![mk(m, *b, *lc, *qty)]))
            }
            Op::TwoLines {
                b1,
                b2,
                l: lc,
                qty1,
                qty2,
            } => Some(posting(
                &key,
                date,
                vec![
                    mk(Movement::Dispense { reservation: None }, *b1, *lc, *qty1),
                    mk(Movement::Dispense { reservation: None }, *b2, *lc, *qty2),
                ],
            )),
            Op::Fefo { .. } | Op::Recall { .. } => None,
        };
        let (ok, result, posted) = match op {
            Op::Fefo {
                l: lc,
                qty,
                day,
                min_days,
            } => {
                let on = d("2026-01-01") + chrono::Days::new(*day as u64);
                let req = DispenseRequest {
                    key: key.clone(),
                    date: on,
                    reference: Some(format!("RX{i}")),
                    product: pid("AMOX"),
                    location: loc(LOCS[*lc]),
                    qty: *qty,
                    policy: AllocationPolicy {
                        min_shelf_life_days: *min_days,
                        ..Default::default()
                    },
                    also_from: Vec::new(),
                };
                allocation = l.allocate(&req.allocation()).ok();
                match l.dispense_fefo(req.clone()) {
                    Ok((_, res)) => {
                        let p = allocation.as_ref().unwrap().to_posting(&req);
                        (true, Some(res), Some(p))
                    }
                    Err(_) => (false, None, None),
                }
            }
            Op::Recall { b } => {
                let ok = l
                    .set_batch_status(StatusChange {
                        key: key.clone(),
                        date: d(date),
                        product: pid("AMOX"),
                        batch: bno(BATCHES[*b].0),
                        status: Some(BatchStatus::Recalled),
                        reason: None,
                        location: None,
                        vvm: None,
                        expiry: None,
                    })
                    .is_ok();
                (ok, None, None)
            }
            _ => match posting.clone() {
                Some(p) => match l.post(p.clone()) {
                    Ok(res) => (true, Some(res), Some(p)),
                    Err(_) => (false, None, None),
                },
                None => (false, None, None),
            },
        };
        if let Some(p) = &posted {
            for ln in &p.lines {
                *r.net.entry(ln.batch.to_string()).or_default() +=
                    ln.movement.on_hand_sign() * ln.qty;
                if matches!(ln.movement, Movement::TransferOut { .. }) {
                    // Still owned, in transit: count it back in for conservation.
                    *r.net.entry(ln.batch.to_string()).or_default() += ln.qty;
                }
                if matches!(ln.movement, Movement::TransferIn { .. }) {
                    *r.net.entry(ln.batch.to_string()).or_default() -= ln.qty;
                }
            }
        }
        r.steps.push(Step {
            ok,
            digest_before,
            digest_after: l.digest(),
            allocation,
            stock_before,
            min_days,
            posting: posted.or(posting),
            result,
        });
    }
    r.ledger = l;
    r
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(op(), 1..40)
}

fn rows(l: &Ledger) -> Vec<StockRow> {
    l.stock(&StockFilter::default()).unwrap()
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=5000 for a deeper run.
    #![proptest_config(ProptestConfig::default())]

    /// 1. Conservation: on hand plus in transit per batch equals what came in minus what went out.
    #[test]
    fn conservation_per_batch(ops in ops()) {
        let r = run(&ops);
        for (b, _) in BATCHES {
            let t = r.ledger.stock_totals(&StockFilter { product: Some(pid("AMOX")), location: None, batch: Some(bno(b)) }).unwrap();
            prop_assert_eq!(t.on_hand + t.in_transit, r.net.get(b).copied().unwrap_or(0), "batch {}", b);
        }
    }

    /// 2. Stock never goes negative, in any bucket.
    #[test]
    fn never_negative(ops in ops()) {
        let r = run(&ops);
        for row in rows(&r.ledger) {
            prop_assert!(row.on_hand >= 0 && row.reserved >= 0 && row.blocked >= 0 && row.available >= 0, "{:?}", row);
        }
    }

    /// 3. FEFO order: no eligible batch that sorts before a picked one is left with free stock.
    #[test]
    fn fefo_never_skips_earlier_eligible_stock(ops in ops()) {
        let r = run(&ops);
        for s in &r.steps {
            let Some(a) = &s.allocation else { continue };
            let key = |e: Option<chrono::NaiveDate>| (e.is_none(), e);
            prop_assert_eq!(a.allocated, a.picks.iter().map(|p| p.qty).sum::<Qty>());
            prop_assert_eq!(a.requested, a.allocated + a.shortfall);
            let Some(latest) = a.picks.iter().map(|p| key(p.expiry)).max() else { continue };
            for row in s.stock_before.iter().filter(|r| r.location == a.location) {
                let eligible = row.status == BatchStatus::Released
                    && row.expiry.is_none_or(|e| remaining_shelf_life_days(e, a.date) >= s.min_days as i64);
                let taken: Qty = a.picks.iter().filter(|p| p.batch == row.batch).map(|p| p.qty).sum();
                prop_assert!(taken <= row.available, "{:?} took {} of {}", row.batch, taken, row.available);
                if eligible && row.available > taken {
                    // Free eligible stock left behind: nothing expiring later may have been picked.
                    prop_assert!(key(row.expiry) >= latest, "left {:?} ({:?}) but picked up to {:?}", row.batch, row.expiry, latest);
                }
            }
        }
    }

    /// 4. All or nothing: a failed operation leaves the ledger exactly as it was.
    #[test]
    fn failed_postings_change_nothing(ops in ops()) {
        let r = run(&ops);
        for s in r.steps.iter().filter(|s| !s.ok) {
            prop_assert_eq!(&s.digest_before, &s.digest_after);
        }
    }

    /// 5. Idempotency: posting a successful posting again returns its result and changes nothing.
    #[test]
    fn reposting_is_a_no_op(ops in ops()) {
        let mut r = run(&ops);
        let digest = r.ledger.digest();
        for s in r.steps.iter().filter(|s| s.ok) {
            let (Some(p), Some(res)) = (&s.posting, &s.result) else { continue };
            match r.ledger.post(p.clone()) {
                Ok(again) => prop_assert_eq!(&again, res),
                // A FEFO dispense's key belongs to its request, not to the posting it produced.
                Err(e) => prop_assert!(s.allocation.is_some() && matches!(e, CoreError::IdempotencyConflict { .. }), "{}", e),
            }
        }
        prop_assert_eq!(r.ledger.digest(), digest);
    }

    /// 6. Replay determinism: the serialised event log rebuilds the same state.
    #[test]
    fn replay_is_deterministic(ops in ops()) {
        let r = run(&ops);
        let json = serde_json::to_string(r.ledger.events()).unwrap();
        let events: Vec<EventEnvelope> = serde_json::from_str(&json).unwrap();
        let replayed = Ledger::replay(&events).unwrap();
        prop_assert_eq!(replayed.digest(), r.ledger.digest());
        prop_assert_eq!(rows(&replayed), rows(&r.ledger));
    }

    /// 7. Valuation: FIFO layers hold exactly the units on hand, and their value is the FIFO total.
    #[test]
    fn layers_sum_to_on_hand(ops in ops()) {
        let r = run(&ops);
        let mut value = Decimal::ZERO;
        for row in rows(&r.ledger) {
            let layers = r.ledger.cost_layers(&row.product, &row.batch, &row.location).unwrap();
            prop_assert_eq!(layers.iter().map(|l| l.qty).sum::<Qty>(), row.on_hand);
            value += layers.iter().map(|l| l.unit_cost * Decimal::from(l.qty)).sum::<Decimal>();
        }
        let v = r.ledger.valuation(None).unwrap();
        prop_assert_eq!(v.total_fifo, value);
        let on_hand: Qty = rows(&r.ledger).iter().map(|r| r.on_hand).sum();
        prop_assert_eq!(v.rows.iter().map(|r| r.on_hand).sum::<Qty>(), on_hand);
    }

    /// 8. Reservations and blocks never exceed what is on hand.
    #[test]
    fn reservations_never_exceed_on_hand(ops in ops()) {
        let r = run(&ops);
        for row in rows(&r.ledger) {
            prop_assert!(row.reserved + row.blocked <= row.on_hand, "{:?}", row);
        }
    }

    /// 9. Stock as of a date after every posting equals current stock.
    #[test]
    fn as_of_the_end_equals_now(ops in ops()) {
        let r = run(&ops);
        let asof = r.ledger.stock_as_of(d("2199-12-31"), &StockFilter::default()).unwrap();
        let now: Vec<(String, String, Qty)> = rows(&r.ledger).into_iter().map(|x| (x.batch.to_string(), x.location.to_string(), x.on_hand)).collect();
        let mut then: Vec<(String, String, Qty)> = asof.into_iter().map(|x| (x.batch.to_string(), x.location.to_string(), x.on_hand)).collect();
        let mut now_sorted = now;
        now_sorted.sort();
        then.sort();
        prop_assert_eq!(now_sorted, then);
    }

    /// 10. Allocation never exceeds available-to-promise, and takes all of it when short.
    #[test]
    fn allocation_is_bounded_by_available_to_promise(ops in ops(), qty in 1i64..200, day in 0u32..200) {
        let r = run(&ops);
        let on = d("2026-01-01") + chrono::Days::new(day as u64);
        let atp = r.ledger.available_to_promise(&pid("AMOX"), &loc("S1"), on, 0).unwrap();
        let a = r.ledger.allocate(&AllocationRequest { product: pid("AMOX"), location: loc("S1"), qty, date: on, policy: AllocationPolicy::default(), also_from: Vec::new() }).unwrap();
        prop_assert_eq!(a.allocated, qty.min(atp));
    }
}
