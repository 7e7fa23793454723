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
/// Sample tax rules (GST by HSN code; not tax advice).
const TAX_RULES: &str = include_str!("../../../billing-rules/data/sample-rules.json");

#[derive(Deserialize)]
struct Day {
    date: NaiveDate,
    receipt: Receipt,
    already_on_shelf: Vec<ReceiptLine>,
    /// Vaccine vial monitor readings taken at the receipt check.
    vvm_readings: Vec<VvmReading>,
    prescriptions: Vec<Prescription>,
    transfer: Transfer,
    recall: Recall,
    billing: BillingDay,
    interactions: InteractionDay,
    forecasting: ForecastDay,
}

#[derive(Deserialize)]
struct ForecastDay {
    store: LocationId,
    first_week: NaiveDate,
    horizon_weeks: u32,
    /// Weekly sales per product, base units, oldest first.
    history: std::collections::BTreeMap<String, Vec<f64>>,
    terms: std::collections::BTreeMap<String, Terms>,
}

/// Ordering terms; `default` fills what a product's own entry leaves out.
#[derive(Deserialize, Clone, Default)]
struct Terms {
    lead_time: Option<f64>,
    review_period: Option<f64>,
    service_level: Option<f64>,
    moq_packs: Option<f64>,
    /// Weeks the incoming stock can be sold before it expires.
    shelf_life: Option<f64>,
    ordering_cost: Option<f64>,
    holding_cost: Option<f64>,
    /// A min/max rule in weeks of stock instead of the service level (OpenLMIS-style).
    min_weeks: Option<f64>,
    max_weeks: Option<f64>,
}

#[derive(Deserialize)]
struct InteractionDay {
    patients: Vec<Patient>,
    counter: Counter,
    chat: Vec<String>,
}

#[derive(Deserialize)]
struct Patient {
    name: String,
    rx: String,
    current: Vec<String>,
    allergies: Vec<String>,
}

#[derive(Deserialize)]
struct Counter {
    patient: String,
    asks_for: String,
}

#[derive(Deserialize)]
struct BillingDay {
    seller_region: String,
    series: billing::InvoiceSeries,
    last_number: String,
    delivery: Delivery,
    insured: Insured,
    /// Paid on the customer's account (settled by the account, not at the till).
    on_account: String,
    card: Vec<String>,
    #[serde(rename = "return")]
    returned: Returned,
}

#[derive(Deserialize)]
struct Delivery {
    rx: String,
    place_of_supply: String,
    name: String,
    charge: Decimal,
    tax_category: String,
}

#[derive(Deserialize)]
struct Insured {
    rx: String,
    plan: billing::CopayPlan,
}

#[derive(Deserialize)]
struct Returned {
    rx: String,
    qty: Qty,
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
struct VvmReading {
    product: ProductId,
    batch: BatchNo,
    status: VvmStatus,
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
    // The day's system of record: a SQLite file, written before each write returns.
    let file =
        std::env::temp_dir().join(format!("apotheca-pharmacy-day-{}.db", std::process::id()));
    let url = format!("sqlite:{}", file.display());
    let ledger = Ledger::open(&url)?;
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
    // Vaccine vial monitors read at the receipt check: FEFO then goes by VVM stage.
    for (i, r) in day.vvm_readings.iter().enumerate() {
        ledger.set_batch_status(StatusChange {
            key: format!("vvm-{i}"),
            date: day.date,
            product: r.product.clone(),
            batch: r.batch.clone(),
            status: None,
            reason: None,
            location: Some(main_store.clone()),
            vvm: Some(r.status.clone()),
            expiry: None,
        })?;
        let _ = writeln!(
            w,
            "  VVM of {} {} at {}: stage {}{}",
            r.product,
            r.batch,
            main_store,
            r.status.level,
            if r.status.unusable {
                " — unusable, never dispensed"
            } else {
                ""
            }
        );
    }

    // 2. Prescriptions by FEFO.
    section(w, "2. Prescriptions dispensed by FEFO");
    let mut sold: Vec<(&Prescription, Vec<Pick>)> = Vec::new();
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
                short_dated_within_days: Some(45),
                ..Default::default()
            },
            also_from: Vec::new(),
        };
        match ledger.dispense(request) {
            Ok(r) => {
                sold.push((p, r.allocation.picks.clone()));
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
                if let Some(wp) = &r.allocation.whole_packs {
                    let _ = writeln!(
                        w,
                        "          sold in whole packs of {}: {} asked, {} given ({} packs)",
                        wp.pack_size,
                        p.qty,
                        wp.qty,
                        wp.qty / wp.pack_size
                    );
                }
                for k in r.allocation.picks.iter().filter(|k| k.short_dated) {
                    let _ = writeln!(
                        w,
                        "          {} is short-dated (expires {}, within 45 days): tell the patient",
                        k.batch,
                        k.expiry.map_or("-".into(), |d| d.to_string())
                    );
                }
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
        status: Some(BatchStatus::Recalled),
        reason: Some(r.notice.clone()),
        location: None,
        vvm: None,
        expiry: None,
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

    bill(w, &day, &catalog, &sold)?;
    check_interactions(w, &day, &catalog)?;
    plan_orders(w, &day, &catalog, &ledger)?;

    // The day as events: what a service would store or publish.
    section(w, "11. The day as events");
    let events = ledger.events()?;
    let (replayed, live) = (Ledger::from_events(&events)?.digest()?, ledger.digest()?);
    let _ = writeln!(
        w,
        "{} events; replayed digest {replayed} = live digest {live}: {}",
        events.len(),
        replayed == live
    );
    // Close the day and open it again from its file: the same ledger.
    let count = ledger.next_seq();
    ledger.close();
    let reopened = Ledger::open(&url)?;
    let again = reopened.digest()?;
    let _ = writeln!(
        w,
        "closed and reopened from {}: {} events, digest {again} = live digest: {}",
        file.display(),
        reopened.next_seq(),
        again == live && reopened.next_seq() == count
    );
    reopened.close();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    Ok(out)
}

/// Section 9: one invoice per prescription (a line per batch at its MRP, GST inside), a delivery to
/// another state, an insured patient, a return, and the day's summary.
fn bill(
    w: &mut String,
    day: &Day,
    catalog: &Catalog,
    sold: &[(&Prescription, Vec<Pick>)],
) -> Result<(), ApiError> {
    use billing::*;
    section(w, "8. Billing (GST inside the MRP, rounded to the rupee)");
    let engine = Billing::from_json(TAX_RULES)?;
    let b = &day.billing;
    let mrp = |batch: &BatchNo| {
        day.receipt
            .lines
            .iter()
            .chain(&day.already_on_shelf)
            .find(|l| l.batch == *batch)
            .map(|l| l.mrp)
    };
    let mut last = b.last_number.clone();
    let mut invoices = Vec::new();
    let _ = writeln!(
        w,
        "{:<17} {:<9} {:>9} {:>7} {:>7} {:>7} {:>9}  paid",
        "invoice", "rx", "taxable", "CGST", "SGST", "IGST", "total"
    );
    for (p, picks) in sold {
        let number = next_invoice_number(&b.series, day.date, Some(&last))?.number;
        last = number.clone();
        let product = catalog.products.iter().find(|x| x.id == p.product);
        let delivery = (b.delivery.rx == p.rx).then_some(&b.delivery);
        let mut request = InvoiceRequest {
            number: Some(number.clone()),
            date: day.date,
            currency: "INR".into(),
            minor_units: None,
            seller_region: Some(b.seller_region.clone()),
            place_of_supply: Some(
                delivery.map_or(b.seller_region.clone(), |d| d.place_of_supply.clone()),
            ),
            rounding: Rounding {
                cash: Some(CashRounding {
                    increment: Decimal::ONE,
                    direction: CashDirection::Nearest,
                }),
                ..Default::default()
            },
            lines: picks
                .iter()
                .map(|k| InvoiceLine {
                    product: p.product.as_str().into(),
                    batch: Some(k.batch.as_str().into()),
                    description: product.map(|x| x.name.as_str().into()),
                    qty: k.qty,
                    unit_price: mrp(&k.batch).unwrap_or_default(),
                    price_includes_tax: true,
                    mrp: mrp(&k.batch),
                    tax_category: product.map_or("3004".into(), |x| x.tax_category.as_str().into()),
                    discount_percent: None,
                    discount_amount: None,
                    scheme: None,
                })
                .collect(),
            charges: delivery
                .map(|d| Charge {
                    name: d.name.as_str().into(),
                    amount: d.charge,
                    tax_category: Some(d.tax_category.as_str().into()),
                    price_includes_tax: false,
                })
                .into_iter()
                .collect(),
            discount_percent: None,
            discount_amount: None,
            copay: (b.insured.rx == p.rx).then(|| b.insured.plan.clone()),
            payments: vec![],
            words: Some(WordsStyle::Indian),
        };
        let payable = engine.price_invoice(&request)?.totals.payable;
        let method = if b.card.contains(&p.rx) {
            "card"
        } else if b.on_account == p.rx {
            "account"
        } else {
            "cash"
        };
        // Cash customers hand over the next round hundred; change comes back.
        let tendered = if method == "cash" {
            (payable / Decimal::ONE_HUNDRED).ceil() * Decimal::ONE_HUNDRED
        } else {
            payable
        };
        request.payments = vec![Tender {
            method: method.into(),
            amount: tendered,
        }];
        let inv = engine.price_invoice(&request)?;
        let head = |n: &str| -> Decimal {
            inv.taxes
                .iter()
                .filter(|t| t.name == n)
                .map(|t| t.amount)
                .fold(Decimal::new(0, 2), |a, b| a + b)
        };
        let paid = match &inv.settlement {
            Some(s) if s.change > Decimal::ZERO => {
                format!("{method} {} (change {})", s.paid, s.change)
            }
            Some(s) => format!("{method} {}", s.paid),
            None => "not settled".into(),
        };
        let _ = writeln!(
            w,
            "{number:<17} {:<9} {:>9} {:>7} {:>7} {:>7} {:>9}  {paid}",
            p.rx,
            inv.totals.taxable,
            head("CGST"),
            head("SGST"),
            head("IGST"),
            inv.totals.grand_total
        );
        if let Some(c) = &inv.copay {
            let _ = writeln!(
                w,
                "{:<27}insured: patient pays {} (deductible {}), claim {} to the insurer",
                "", inv.totals.payable, c.deductible_applied, c.claim
            );
        }
        if delivery.is_some() {
            let _ = writeln!(
                w,
                "{:<27}delivered to {} (inter-state: IGST), {} charged",
                "", b.delivery.place_of_supply, b.delivery.name
            );
        }
        invoices.push(inv);
    }
    if let Some(first) = invoices.first() {
        let _ = writeln!(
            w,
            "{}: {}",
            first.number.as_deref().unwrap_or(""),
            first.amount_in_words.as_deref().unwrap_or("")
        );
    }

    // A patient brings back part of a prescription: the credit note reverses its exact tax.
    let r = &b.returned;
    let original = sold
        .iter()
        .position(|(p, _)| p.rx == r.rx)
        .map(|i| &invoices[i])
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidInput, format!("{} was not sold", r.rx)))?;
    let note = credit_note(
        original,
        &CreditRequest {
            number: Some(format!(
                "CN/{}/00001",
                b.series.fiscal_year(day.date).map_err(ApiError::from)?
            )),
            date: day.date,
            returns: vec![ReturnLine {
                line_no: 1,
                qty: r.qty,
            }],
            previous: vec![],
        },
    )?;
    let _ = writeln!(
        w,
        "return of {} units on {} ({}): credit note {} for {} (CGST {}, SGST {})",
        r.qty,
        original.number.as_deref().unwrap_or(""),
        r.rx,
        note.number.as_deref().unwrap_or(""),
        note.totals.total,
        note.taxes.first().map_or(Decimal::ZERO, |t| t.amount),
        note.taxes.get(1).map_or(Decimal::ZERO, |t| t.amount),
    );

    // The day's summary and the gapless check of the numbers issued.
    for d in daily_summary(&invoices, std::slice::from_ref(&note))? {
        let heads: Vec<String> = d
            .taxes
            .iter()
            .map(|t| format!("{} {}% {}", t.name, t.rate, t.amount))
            .collect();
        let collected: Vec<String> = d
            .collected
            .iter()
            .map(|t| format!("{} {}", t.method, t.amount))
            .collect();
        let _ = writeln!(
            w,
            "day {}: {} invoices, sales {}, returns {}, net {}\n  tax {}\n  collected {}; balance due {}; claims on the insurer {}",
            d.date,
            d.invoices,
            d.sales,
            d.returns,
            d.net,
            heads.join(", "),
            collected.join(", "),
            d.balance_due,
            d.claims
        );
    }
    let numbers: Vec<String> = invoices.iter().filter_map(|i| i.number.clone()).collect();
    let audit = check_invoice_numbers(&b.series, &numbers)?;
    let _ = writeln!(
        w,
        "invoice numbers {} to {}: gapless {}",
        numbers.first().map_or("", |s| s.as_str()),
        numbers.last().map_or("", |s| s.as_str()),
        audit.gapless
    );
    Ok(())
}

/// Section 10: each new prescription against what the patient already takes (and their
/// allergies), an over-the-counter request at the till, and chat-typed names resolved.
fn check_interactions(w: &mut String, day: &Day, catalog: &Catalog) -> Result<(), ApiError> {
    use apotheca::interactions::{CheckRequest, PatientContext, Screening};
    section(
        w,
        "9. Interaction checks (sample knowledge base, not clinical advice)",
    );
    let kb = Interactions::sample()?;
    let show = |w: &mut String, s: &Screening| {
        if s.alerts.is_empty() {
            let _ = writeln!(w, "   no alerts");
        }
        for a in &s.alerts {
            let _ = writeln!(w, "   {:?} {:?}: {}", a.severity, a.kind, a.message);
            if a.rule.is_some() {
                let _ = writeln!(w, "      path: {}", a.path.join(" → "));
            }
            if let Some(m) = &a.management {
                let _ = writeln!(w, "      advice: {m}");
            }
        }
    };
    let ix = &day.interactions;
    for p in &ix.patients {
        let Some(rx) = day.prescriptions.iter().find(|r| r.rx == p.rx) else {
            continue;
        };
        // The prescribed product's active ingredient is what the knowledge base knows.
        let drug = catalog
            .products
            .iter()
            .find(|x| x.id == rx.product)
            .and_then(|x| x.ingredients.first())
            .map_or_else(|| rx.product.to_string(), |i| i.name.clone());
        let _ = writeln!(
            w,
            "{} {} ({drug}) for {}, who takes {}{}:",
            rx.rx,
            rx.product,
            p.name,
            p.current.join(", "),
            if p.allergies.is_empty() {
                String::new()
            } else {
                format!("; allergic to {}", p.allergies.join(", "))
            }
        );
        let s = kb.check_new(&CheckRequest {
            drug,
            current: p.current.clone(),
            context: PatientContext {
                allergies: p.allergies.clone(),
                ..Default::default()
            },
            lean: false,
        })?;
        show(w, &s);
    }
    let c = &ix.counter;
    if let Some(p) = ix.patients.iter().find(|p| p.name == c.patient) {
        let _ = writeln!(w, "at the counter, {} asks for {}:", p.name, c.asks_for);
        let s = kb.check_new(&CheckRequest {
            drug: c.asks_for.clone(),
            current: p.current.clone(),
            context: PatientContext::default(),
            lean: false,
        })?;
        show(w, &s);
    }
    for text in &ix.chat {
        let r = kb.resolve(text, 2)?;
        let found: Vec<String> = r
            .candidates
            .iter()
            .map(|c| format!("{} ({:?}, {:.2})", c.name, c.how, c.score))
            .collect();
        let _ = writeln!(
            w,
            "chat {:?} → {}",
            text,
            if found.is_empty() {
                "no match: ask again".into()
            } else {
                found.join(" or ")
            }
        );
    }
    Ok(())
}

/// Section 11: a year of weekly sales per product → demand classes, a backtest that picks the
/// better of `auto` (by class) and AutoETS per product, forecasts with 90 % intervals, and the
/// week's orders from the stock the ledger holds, capped by what sells before it expires.
fn plan_orders(
    w: &mut String,
    day: &Day,
    catalog: &Catalog,
    ledger: &Ledger,
) -> Result<(), ApiError> {
    use apotheca::forecasting::{self as fc, Model, Series, StockPosition};
    let f = &day.forecasting;
    section(
        w,
        &format!(
            "10. Demand forecasts and this week's orders ({} weeks of sales at {} from {})",
            f.history.values().map(Vec::len).max().unwrap_or(0),
            f.store,
            f.first_week
        ),
    );
    let series: Vec<Series> = f
        .history
        .iter()
        .map(|(id, y)| Series {
            id: id.clone(),
            y: y.iter().map(|v| Some(*v)).collect(),
        })
        .collect();
    let classes = fc::classify(&series)?;
    // Pick each product's model by a rolling-origin backtest (4 origins, 4 weeks ahead).
    let candidates = [Model::Auto, Model::AutoEts { season: 1 }];
    let mut reports = Vec::new();
    for m in candidates {
        reports.push(fc::backtest(&fc::BacktestRequest {
            series: series.clone(),
            model: m,
            windows: 4,
            step: 2,
            horizon: f.horizon_weeks,
            season: 1,
            levels: vec![],
        })?);
    }
    let _ = writeln!(
        w,
        "pooled backtest MASE: auto by class {:.3}, AutoETS {:.3}",
        reports[0].pooled.mase, reports[1].pooled.mase
    );
    let _ = writeln!(
        w,
        "  product   class         ADI   CV²   model (backtest MASE)     next {}w/week  90% range",
        f.horizon_weeks
    );
    let mut positions = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let best = (0..candidates.len())
            .min_by(|a, b| {
                let m = |k: usize| reports[k].series[i].metrics.mase;
                m(*a).total_cmp(&m(*b))
            })
            .unwrap_or(0);
        let out = fc::forecast(&fc::ForecastRequest {
            series: vec![s.clone()],
            model: candidates[best],
            horizon: f.horizon_weeks,
            levels: vec![90.0],
            fitted: false,
        })?;
        let fcst = &out[0];
        let mean = fcst.mean.iter().flatten().sum::<f64>() / f.horizon_weeks as f64;
        let band = &fcst.intervals[0];
        let name = fcst.method.clone().unwrap_or_else(|| {
            serde_json::to_value(fcst.model).map_or_else(
                |_| "?".into(),
                |v| v["name"].as_str().unwrap_or("?").to_string(),
            )
        });
        let c = &classes[i];
        let _ = writeln!(
            w,
            "  {:<9} {:<12} {:>4} {:>5.2}  {:<18} ({:.2})  {:>7.1}  {:.0}–{:.0}",
            s.id,
            format!("{:?}", c.class).to_lowercase(),
            c.adi.map_or("-".into(), |a| format!("{a:.1}")),
            c.cv2,
            name,
            reports[best].series[i].metrics.mase,
            mean,
            band.lo[0].unwrap_or(0.0),
            band.hi[0].unwrap_or(0.0),
        );
        let t = |k: fn(&Terms) -> Option<f64>| {
            f.terms
                .get(&s.id)
                .and_then(k)
                .or_else(|| f.terms.get("default").and_then(k))
        };
        let pack = catalog
            .products
            .iter()
            .find(|p| p.id.as_str() == s.id)
            .map_or(1.0, |p| p.pack_size as f64);
        let on_hand = ledger
            .stock_totals(&StockFilter {
                product: Some(ProductId::new(&s.id)?),
                location: Some(f.store.clone()),
                batch: None,
            })?
            .available as f64;
        positions.push(StockPosition {
            product: s.id.clone(),
            mean_demand: mean,
            sigma: reports[best].series[i].metrics.rmse,
            on_hand,
            on_order: 0.0,
            lead_time: t(|x| x.lead_time).unwrap_or(1.0),
            review_period: t(|x| x.review_period).unwrap_or(1.0),
            service_level: t(|x| x.service_level).unwrap_or(0.95),
            pack_size: pack,
            moq: t(|x| x.moq_packs).unwrap_or(1.0) * pack,
            shelf_life: t(|x| x.shelf_life),
            ordering_cost: t(|x| x.ordering_cost),
            holding_cost: t(|x| x.holding_cost),
            min_max: t(|x| x.min_weeks).zip(t(|x| x.max_weeks)).map(
                |(min_periods, max_periods)| fc::MinMax {
                    min_periods,
                    max_periods,
                },
            ),
            target_stock: None,
        });
    }
    let _ = writeln!(
        w,
        "orders for {} (most urgent first; weeks of cover at the forecast):",
        f.store
    );
    // The suggestions come in the positions' order; the most urgent (least cover) first here.
    let mut suggestions = fc::suggest_orders(&positions)?;
    let cover = |s: &fc::Suggestion| s.cover.unwrap_or(f64::INFINITY);
    suggestions.sort_by(|a, b| {
        cover(a)
            .total_cmp(&cover(b))
            .then(a.product.cmp(&b.product))
    });
    for s in suggestions {
        let _ = writeln!(
            w,
            "  {:<9} on hand {:>4}  cover {:>5}  safety {:>5.1}  order-up-to {:>6.1}  → order {:>4}  {}",
            s.product,
            s.position,
            s.cover.map_or("-".into(), |c| format!("{c:.1}w")),
            s.safety_stock,
            s.order_up_to,
            s.order,
            s.reason
        );
    }
    Ok(())
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
            pack_size: None,
            use_by: None,
            removal: None,
            alert: None,
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
                    accept_expired: false,
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
        assert!(report.contains("gapless true"), "{report}");
        assert!(report.contains("credit note CN/2026-27/00001"), "{report}");
        assert!(report.contains("Rupees"), "{report}");
        assert!(report.contains("cross-sensitivity"), "{report}");
        assert!(report.contains("class M01A"), "{report}");
        assert!(
            report.contains("chat \"ibuprofin\" → Ibuprofen"),
            "{report}"
        );
        assert!(report.contains("pooled backtest MASE"), "{report}");
        assert!(report.contains("more would expire"), "{report}");
    }
}
