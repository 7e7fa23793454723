//! One day of a two-store pharmacy, on embedded sample data (real medicine names, made-up
//! batches): receive stock, dispense prescriptions by FEFO, transfer between stores, look at
//! expiry buckets and stock value, then recall a batch and find every dispense it went into.
//!
//! Run with `cargo run -p apotheca-pharmacy-day`. Offline; all dates are the document date in
//! the data, never "today".

use std::fmt::Write as _;
use std::process::ExitCode;

use apotheca::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

const CATALOG: &str = include_str!("../data/catalog.json");
const DAY: &str = include_str!("../data/day.json");

#[derive(Deserialize)]
struct Day {
    date: NaiveDate,
    receipt: Receipt,
    already_on_shelf: Vec<ReceiptLine>,
    prescriptions: Vec<Prescription>,
    transfer: Transfer,
    recall: Recall,
}

#[derive(Deserialize)]
struct Receipt {
    reference: String,
    supplier: String,
    lines: Vec<ReceiptLine>,
}

#[derive(Deserialize)]
struct ReceiptLine {
    product: ProductId,
    batch: BatchNo,
    label: String,
    qty: Qty,
    unit_cost: Decimal,
    mrp: Decimal,
}

#[derive(Deserialize)]
struct Prescription {
    rx: String,
    product: ProductId,
    qty: Qty,
    #[serde(default)]
    min_shelf_life_days: u32,
    #[serde(default)]
    opened_packs_first: bool,
}

#[derive(Deserialize)]
struct Transfer {
    id: String,
    from: LocationId,
    to: LocationId,
    product: ProductId,
    batch: BatchNo,
    qty: Qty,
}

#[derive(Deserialize)]
struct Recall {
    product: ProductId,
    batch: BatchNo,
    notice: String,
}

fn main() -> ExitCode {
    match run() {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pharmacy-day failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the day and returns the report.
fn run() -> Result<String, ApiError> {
    let catalog: Catalog = serde_json::from_str(CATALOG)?;
    let day: Day = serde_json::from_str(DAY)?;
    let main_store = catalog.locations[0].id.clone();
    let ledger = Ledger::new();
    ledger.load_catalog(&catalog)?;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "apotheca — a pharmacy day on {} (sample data, not clinical advice)",
        day.date
    );
    let _ = writeln!(
        w,
        "stores: {}",
        catalog
            .locations
            .iter()
            .map(|l| format!("{} ({})", l.name, l.id))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // 1. Opening stock (received in September) and today's goods receipt.
    section(w, "1. Goods received");
    let opening_date = day.date - chrono::Days::new(80);
    receive(
        &ledger,
        &main_store,
        "opening-stock",
        opening_date,
        "OPENING",
        &day.receipt.supplier,
        &day.already_on_shelf,
    )?;
    receive(
        &ledger,
        &main_store,
        "grn-1",
        day.date,
        &day.receipt.reference,
        &day.receipt.supplier,
        &day.receipt.lines,
    )?;
    let _ = writeln!(
        w,
        "{} from {} into {}:",
        day.receipt.reference, day.receipt.supplier, main_store
    );
    let _ = writeln!(
        w,
        "  {:<9} {:<9} {:<13} {:>10} {:>6} {:>8}",
        "product", "batch", "label", "expiry", "qty", "cost"
    );
    for l in &day.receipt.lines {
        let _ = writeln!(
            w,
            "  {:<9} {:<9} {:<13} {:>10} {:>6} {:>8}",
            l.product,
            l.batch,
            l.label,
            parse_expiry(&l.label)?,
            l.qty,
            l.unit_cost
        );
    }
    let _ = writeln!(
        w,
        "  (opening stock on the shelf since {opening_date}: {} batches)",
        day.already_on_shelf.len()
    );

    // 2. Prescriptions by FEFO.
    section(w, "2. Prescriptions dispensed by FEFO");
    for p in &day.prescriptions {
        let request = DispenseRequest {
            key: format!("dispense-{}", p.rx),
            date: day.date,
            reference: Some(p.rx.clone()),
            product: p.product.clone(),
            location: main_store.clone(),
            qty: p.qty,
            policy: AllocationPolicy {
                min_shelf_life_days: p.min_shelf_life_days,
                opened_packs_first: p.opened_packs_first,
                ..Default::default()
            },
        };
        match ledger.dispense(request) {
            Ok(r) => {
                let picks: Vec<String> = r
                    .allocation
                    .picks
                    .iter()
                    .map(|k| format!("{} ×{} ({})", k.batch, k.qty, k.reason))
                    .collect();
                let cost: Decimal = r.posting.lines.iter().filter_map(|l| l.cost_fifo).sum();
                let _ = writeln!(
                    w,
                    "{} {:<8} {:>4} → {}  cost {}",
                    p.rx,
                    p.product,
                    p.qty,
                    picks.join(", "),
                    cost
                );
                if r.allocation.shortfall > 0 {
                    let _ = writeln!(
                        w,
                        "          short by {} — partial fill, order more",
                        r.allocation.shortfall
                    );
                }
                for s in &r.allocation.skipped {
                    let _ = writeln!(
                        w,
                        "          passed over {} (expiry {}): {}",
                        s.batch,
                        s.expiry.map_or("none".into(), |d| d.to_string()),
                        s.reason
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(
                    w,
                    "{} {:<8} {:>4} → refused: {} ({})",
                    p.rx, p.product, p.qty, e.message, e.code
                );
            }
        }
    }

    // 3. Transfer between stores.
    section(w, "3. Transfer between stores");
    let t = &day.transfer;
    // One posting per leg: out of the source (then in transit), into the destination.
    let post_leg = |leg: &str, movement, location: &LocationId| {
        ledger.post(Posting {
            key: format!("{}-{leg}", t.id),
            date: day.date,
            reference: Some(t.id.clone()),
            lines: vec![Line {
                movement,
                product: t.product.clone(),
                batch: t.batch.clone(),
                location: location.clone(),
                qty: t.qty,
            }],
        })
    };
    post_leg(
        "out",
        Movement::TransferOut {
            transfer: t.id.clone(),
            to: t.to.clone(),
        },
        &t.from,
    )?;
    let in_transit = ledger
        .stock_totals(&StockFilter {
            product: Some(t.product.clone()),
            location: Some(t.to.clone()),
            batch: None,
        })?
        .in_transit;
    let _ = writeln!(
        w,
        "{}: {} ×{} of {} leaves {} ({} in transit to {})",
        t.id, t.product, t.qty, t.batch, t.from, in_transit, t.to
    );
    post_leg(
        "in",
        Movement::TransferIn {
            transfer: t.id.clone(),
        },
        &t.to,
    )?;
    let _ = writeln!(w, "{}: received at {}", t.id, t.to);

    // 4. Stock position at the end of the day.
    section(w, "4. Stock at close");
    let _ = writeln!(
        w,
        "  {:<9} {:<8} {:>8} {:>8} {:>8} {:>9}",
        "product", "store", "on hand", "reserved", "blocked", "available"
    );
    for product in &catalog.products {
        for location in &catalog.locations {
            let f = StockFilter {
                product: Some(product.id.clone()),
                location: Some(location.id.clone()),
                batch: None,
            };
            let t = ledger.stock_totals(&f)?;
            if t.on_hand > 0 {
                let _ = writeln!(
                    w,
                    "  {:<9} {:<8} {:>8} {:>8} {:>8} {:>9}",
                    product.id, location.id, t.on_hand, t.reserved, t.blocked, t.available
                );
            }
        }
    }

    // 5. Expiry.
    section(w, "5. Expiry watch");
    for b in ledger.expiry_buckets(day.date, &[30, 60, 90], None)? {
        let rows: Vec<String> = b
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{} {} ×{} ({}, {} days)",
                    r.product, r.batch, r.on_hand, r.location, r.days_left
                )
            })
            .collect();
        let _ = writeln!(
            w,
            "expiring in {:>2}–{:>2} days: {:>4} units  {}",
            b.from_days,
            b.to_days,
            b.qty,
            rows.join("; ")
        );
    }
    for r in ledger.expired(day.date, None)? {
        let _ = writeln!(
            w,
            "EXPIRED on shelf: {} {} ×{} at {} (expired {}) — write off or return",
            r.product, r.batch, r.on_hand, r.location, r.expiry
        );
    }

    // 6. Value.
    section(w, "6. Stock value");
    let v = ledger.valuation(None)?;
    let _ = writeln!(
        w,
        "FIFO layers {}  ·  moving average {}",
        v.total_fifo.round_dp(2),
        v.total_moving_average.round_dp(2)
    );

    // 7. Recall.
    section(w, "7. Recall");
    let r = &day.recall;
    ledger.set_batch_status(StatusChange {
        key: format!("recall-{}", r.batch),
        date: day.date,
        product: r.product.clone(),
        batch: r.batch.clone(),
        status: BatchStatus::Recalled,
        reason: Some(r.notice.clone()),
    })?;
    let trace = ledger.trace_batch(&r.product, &r.batch)?;
    let _ = writeln!(w, "{} batch {} recalled: {}", r.product, r.batch, r.notice);
    for m in &trace.receipts {
        let _ = writeln!(
            w,
            "  came in: {} ×{} on {} at {} ({})",
            m.reference.as_deref().unwrap_or("-"),
            m.qty_in,
            m.date,
            m.location,
            trace.supplier.as_deref().unwrap_or("-")
        );
    }
    for m in &trace.dispenses {
        let _ = writeln!(
            w,
            "  went out: {} ×{} on {} at {} — contact this patient",
            m.reference.as_deref().unwrap_or("-"),
            m.qty_out,
            m.date,
            m.location
        );
    }
    for s in &trace.on_hand {
        let _ = writeln!(
            w,
            "  still on shelf: {} units at {} (all blocked: {})",
            s.on_hand, s.location, s.blocked
        );
    }

    // The day as events: what a service would store or publish.
    section(w, "8. The day as events");
    let events = ledger.events()?;
    let (replayed, live) = (Ledger::from_events(&events)?.digest()?, ledger.digest()?);
    let _ = writeln!(
        w,
        "{} events; replayed digest {replayed} = live digest {live}: {}",
        events.len(),
        replayed == live
    );
    Ok(out)
}

fn section(w: &mut String, title: &str) {
    let _ = writeln!(w, "\n== {title} ==");
}

fn receive(
    ledger: &Ledger,
    at: &LocationId,
    key: &str,
    date: NaiveDate,
    reference: &str,
    supplier: &str,
    lines: &[ReceiptLine],
) -> Result<(), ApiError> {
    for l in lines {
        ledger.register_batch(Batch {
            product: l.product.clone(),
            batch: l.batch.clone(),
            expiry: Some(parse_expiry(&l.label)?),
            manufactured: None,
            unit_cost: l.unit_cost,
            mrp: l.mrp,
            supplier: Some(supplier.to_string()),
            status: BatchStatus::Released,
        })?;
    }
    ledger.post(Posting {
        key: key.to_string(),
        date,
        reference: Some(reference.to_string()),
        lines: lines
            .iter()
            .map(|l| Line {
                movement: Movement::Receipt {
                    unit_cost: Some(l.unit_cost),
                },
                product: l.product.clone(),
                batch: l.batch.clone(),
                location: at.clone(),
                qty: l.qty,
            })
            .collect(),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_day_runs_and_tells_the_recall() {
        let report = super::run().unwrap();
        assert!(report.contains("RX-88101"), "{report}");
        assert!(report.contains("went out: RX-88101"), "{report}");
        assert!(report.contains("short by 4"), "{report}");
        assert!(
            report.contains("EXPIRED on shelf: PCM500 CR4470"),
            "{report}"
        );
        assert!(report.contains(": true"), "{report}");
    }
}
