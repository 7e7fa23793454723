//! Mixed ledger operations with extreme amounts and quantities, built by `arbitrary`: every
//! call succeeds whole or is refused with a code (never INTERNAL) and changes nothing, and the
//! log replays to the same digest after every run.
#![no_main]
use apotheca::{
    AdjustReason, AllocationPolicy, BatchNo, BatchStatus, DispenseRequest, Line, LocationId,
    Movement, Posting, ProductId, StatusChange, StockFilter,
};
use apotheca_fuzz::*;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

#[derive(Debug, Arbitrary)]
enum Amount {
    None,
    Max,
    Tiny,
    Bound,
    Parts(u32, u32, u32, u8),
    Small(u16, u8),
}

impl Amount {
    fn get(&self) -> Option<Decimal> {
        match *self {
            Amount::None => None,
            Amount::Max => Some(Decimal::MAX),
            Amount::Tiny => Some(Decimal::new(1, 28)),
            Amount::Bound => Some(apotheca::domain::MAX_AMOUNT),
            Amount::Parts(lo, mid, hi, s) => {
                Some(Decimal::from_parts(lo, mid, hi, false, u32::from(s % 29)))
            }
            Amount::Small(n, s) => Some(Decimal::new(i64::from(n), u32::from(s % 6))),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Qty {
    Max,
    Min,
    Bound,
    Over,
    Any(i64),
    Small(u8),
}

impl Qty {
    fn get(&self) -> i64 {
        match *self {
            Qty::Max => i64::MAX,
            Qty::Min => i64::MIN,
            Qty::Bound => apotheca::domain::MAX_QTY,
            Qty::Over => apotheca::domain::MAX_QTY + 1,
            Qty::Any(n) => n,
            Qty::Small(n) => i64::from(n),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Op {
    Receive {
        batch: u8,
        loc: bool,
        qty: Qty,
        cost: Amount,
    },
    Return {
        batch: u8,
        qty: Qty,
        cost: Amount,
    },
    Dispense {
        batch: u8,
        loc: bool,
        qty: Qty,
    },
    Fefo {
        loc: bool,
        qty: Qty,
        partial: bool,
        min_days: u16,
    },
    Transfer {
        batch: u8,
        qty: Qty,
        arrive: bool,
    },
    Adjust {
        batch: u8,
        qty: Qty,
        up: bool,
        cost: Amount,
    },
    Reserve {
        batch: u8,
        qty: Qty,
        release: bool,
    },
    Quarantine {
        batch: u8,
        qty: Qty,
        release: bool,
    },
    Status {
        batch: u8,
        status: u8,
    },
    Query,
}

const BATCHES: [(&str, &str); 3] = [("P", "B1"), ("P", "B2"), ("Q", "C1")];

fn id<T: TryFrom<&'static str>>(s: &'static str) -> Option<T> {
    T::try_from(s).ok()
}

fn line(m: Movement, b: u8, loc: &'static str, qty: i64) -> Option<Line> {
    let (p, bn) = BATCHES[usize::from(b) % BATCHES.len()];
    Some(Line {
        movement: m,
        product: id::<ProductId>(p)?,
        batch: id::<BatchNo>(bn)?,
        location: id::<LocationId>(loc)?,
        qty,
    })
}

fn posting(key: &str, lines: Vec<Option<Line>>) -> Option<Posting> {
    Some(Posting {
        key: key.into(),
        date: apotheca::domain::strict::parse_date("2026-06-15").ok()?,
        reference: Some(format!("DOC-{key}")),
        lines: lines.into_iter().collect::<Option<Vec<_>>>()?,
    })
}

fuzz_target!(|ops: Vec<Op>| {
    let l = stocked();
    for (i, op) in ops.iter().take(64).enumerate() {
        let key = format!("k{i}");
        let at = |b: bool| if b { "S2" } else { "S1" };
        let p = match op {
            Op::Receive {
                batch,
                loc,
                qty,
                cost,
            } => posting(
                &key,
                vec![line(
                    Movement::Receipt {
                        unit_cost: cost.get(),
                        accept_expired: false,
                    },
                    *batch,
                    at(*loc),
                    qty.get(),
                )],
            ),
            Op::Return { batch, qty, cost } => posting(
                &key,
                vec![line(
                    Movement::CustomerReturn {
                        unit_cost: cost.get(),
                    },
                    *batch,
                    "S1",
                    qty.get(),
                )],
            ),
            Op::Dispense { batch, loc, qty } => posting(
                &key,
                vec![line(
                    Movement::Dispense { reservation: None },
                    *batch,
                    at(*loc),
                    qty.get(),
                )],
            ),
            Op::Transfer { batch, qty, arrive } => {
                let t = format!("T{i}");
                let mut lines = vec![line(
                    Movement::TransferOut {
                        transfer: t.clone(),
                        to: id::<LocationId>("S2").unwrap_or_else(|| unreachable!()),
                    },
                    *batch,
                    "S1",
                    qty.get(),
                )];
                if *arrive {
                    lines.push(line(
                        Movement::TransferIn { transfer: t },
                        *batch,
                        "S2",
                        qty.get(),
                    ));
                }
                posting(&key, lines)
            }
            Op::Adjust {
                batch,
                qty,
                up,
                cost,
            } => {
                let m = if *up {
                    Movement::AdjustIn {
                        reason: AdjustReason::CountCorrection,
                        unit_cost: cost.get(),
                    }
                } else {
                    Movement::AdjustOut {
                        reason: AdjustReason::Damage,
                    }
                };
                posting(&key, vec![line(m, *batch, "S1", qty.get())])
            }
            Op::Reserve {
                batch,
                qty,
                release,
            } => {
                let r = format!("R{i}");
                let mut lines = vec![line(
                    Movement::Reserve {
                        reservation: r.clone(),
                    },
                    *batch,
                    "S1",
                    qty.get(),
                )];
                if *release {
                    lines.push(line(
                        Movement::ReleaseReservation { reservation: r },
                        *batch,
                        "S1",
                        qty.get(),
                    ));
                }
                posting(&key, lines)
            }
            Op::Quarantine {
                batch,
                qty,
                release,
            } => {
                let mut lines = vec![line(Movement::Quarantine, *batch, "S1", qty.get())];
                if *release {
                    lines.push(line(Movement::ReleaseQuarantine, *batch, "S1", qty.get()));
                }
                posting(&key, lines)
            }
            Op::Fefo {
                loc,
                qty,
                partial,
                min_days,
            } => {
                let req = (|| {
                    Some(DispenseRequest {
                        key: key.clone(),
                        date: apotheca::domain::strict::parse_date("2026-06-15").ok()?,
                        reference: None,
                        product: id::<ProductId>("P")?,
                        location: id::<LocationId>(at(*loc))?,
                        qty: qty.get(),
                        policy: AllocationPolicy {
                            allow_partial: *partial,
                            min_shelf_life_days: u32::from(*min_days),
                            ..AllocationPolicy::default()
                        },
                        // Odd minimums also draw on the other location.
                        also_from: if *min_days % 2 == 1 {
                            vec![id::<LocationId>(at(!*loc))?]
                        } else {
                            Vec::new()
                        },
                    })
                })();
                if let Some(req) = req {
                    ledger_call(&l, |l| l.dispense(req));
                }
                None
            }
            Op::Status { batch, status } => {
                let (p, bn) = BATCHES[usize::from(*batch) % BATCHES.len()];
                let status = [
                    BatchStatus::Released,
                    BatchStatus::Quarantined,
                    BatchStatus::Recalled,
                ][usize::from(*status) % 3];
                let change = (|| {
                    Some(StatusChange {
                        key: key.clone(),
                        date: apotheca::domain::strict::parse_date("2026-06-15").ok()?,
                        product: id(p)?,
                        batch: id(bn)?,
                        status: Some(status),
                        reason: None,
                        location: None,
                        vvm: None,
                        expiry: None,
                    })
                })();
                if let Some(c) = change {
                    ledger_call(&l, |l| l.set_batch_status(c));
                }
                None
            }
            Op::Query => {
                no_internal(&l.valuation(None));
                no_internal(&l.stock_totals(&StockFilter::default()));
                None
            }
        };
        if let Some(p) = p {
            ledger_call(&l, |l| l.post(p));
        }
    }
    replays(&l);
});
