//! Shared inputs for the benches: a catalog with many batches and postings ready to apply.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use apotheca_core::*;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

/// The command line's first argument as a count, or `default` (the profiling loops' size).
pub fn first_arg_or(default: usize) -> usize {
    std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// Runs `f` over `items` and prints the time each took and how many a second (the profiling
/// loops' measure: `post_loop`, `dispense_loop`).
pub fn timed_loop<T, R>(what: &str, items: Vec<T>, mut f: impl FnMut(T) -> R) {
    let n = items.len();
    let t = std::time::Instant::now();
    for x in items {
        std::hint::black_box(f(x));
    }
    let e = t.elapsed();
    println!(
        "{n} {what} in {e:?}: {:.0} ns each, {:.2} M/s",
        e.as_nanos() as f64 / n as f64,
        n as f64 / e.as_secs_f64() / 1e6
    );
}

/// The business date all benches post on.
pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

/// A ledger with one product, `batches` batches at location `S1` with `qty` units each, expiries
/// spread over the coming years in an order unrelated to their numbers.
pub fn ledger(batches: usize, qty: Qty) -> Ledger {
    let mut l = Ledger::new();
    l.register_location(Location {
        id: LocationId::new("S1").unwrap(),
        name: "Store".into(),
        priority: None,
    })
    .unwrap();
    l.register_product(Product {
        id: ProductId::new("AMOX500").unwrap(),
        name: "Mox 500".into(),
        generic_name: "Amoxicillin 500 mg".into(),
        ingredients: vec![],
        form: DosageForm::Capsule,
        pack_size: 10,
        sold_loose: true,
        schedule: Schedule::Prescription,
        tax_category: "3004".into(),
        storage: StorageClass::Ambient,
        shelf_life: None,
    })
    .unwrap();
    let mut lines = Vec::new();
    for i in 0..batches {
        let expiry = day()
            .checked_add_days(Days::new(30 + ((i * 7919) % 1500) as u64))
            .unwrap();
        let no = BatchNo::new(format!("B{i:05}")).unwrap();
        l.register_batch(Batch {
            product: ProductId::new("AMOX500").unwrap(),
            batch: no.clone(),
            expiry: Some(expiry),
            manufactured: None,
            unit_cost: Decimal::new(210, 2),
            mrp: Decimal::new(450, 2),
            supplier: None,
            status: BatchStatus::Released,
            pack_size: None,
            use_by: None,
            removal: None,
            alert: None,
        })
        .unwrap();
        lines.push(receipt(&no, qty));
    }
    if !lines.is_empty() {
        l.post(Posting {
            key: "grn".into(),
            date: day(),
            reference: None,
            lines,
        })
        .unwrap();
    }
    l
}

fn line(movement: Movement, batch: &BatchNo, qty: Qty) -> Line {
    Line {
        movement,
        product: ProductId::new("AMOX500").unwrap(),
        batch: batch.clone(),
        location: LocationId::new("S1").unwrap(),
        qty,
    }
}

/// A receipt line.
pub fn receipt(batch: &BatchNo, qty: Qty) -> Line {
    line(
        Movement::Receipt {
            unit_cost: None,
            accept_expired: false,
        },
        batch,
        qty,
    )
}

/// `n` single-line postings with unique keys: receipts and dispenses alternating over `batches`.
pub fn postings(n: usize, batches: usize, prefix: &str) -> Vec<Posting> {
    (0..n)
        .map(|i| {
            let b = BatchNo::new(format!("B{:05}", i % batches)).unwrap();
            let movement = if i % 2 == 0 {
                Movement::Receipt {
                    unit_cost: None,
                    accept_expired: false,
                }
            } else {
                Movement::Dispense { reservation: None }
            };
            Posting {
                key: format!("{prefix}{i}"),
                date: day(),
                reference: None,
                lines: vec![line(movement, &b, 1)],
            }
        })
        .collect()
}

/// An allocation request for `qty` units on the bench date.
pub fn allocation(qty: Qty) -> AllocationRequest {
    AllocationRequest {
        product: ProductId::new("AMOX500").unwrap(),
        location: LocationId::new("S1").unwrap(),
        qty,
        date: day(),
        policy: AllocationPolicy {
            min_shelf_life_days: 30,
            ..Default::default()
        },
        also_from: Vec::new(),
    }
}

/// A FEFO dispense request with a unique key.
pub fn dispense(key: String, qty: Qty) -> DispenseRequest {
    DispenseRequest {
        key,
        date: day(),
        reference: None,
        product: ProductId::new("AMOX500").unwrap(),
        location: LocationId::new("S1").unwrap(),
        qty,
        policy: AllocationPolicy::default(),
        also_from: Vec::new(),
    }
}

/// The sample tax rules of `billing-rules` (GST by HSN, EU VAT, US sales tax).
pub fn tax_rules() -> apotheca_billing_rules::TaxRules {
    apotheca_billing_rules::TaxRules::from_json(include_str!(
        "../../billing-rules/data/sample-rules.json"
    ))
    .unwrap()
}

/// A GST invoice of `lines` MRP-inclusive lines at 5, 12 and 18 % within the state, a tenth of
/// them with a line discount, an invoice discount, cash rounding to the rupee and a payment.
pub fn gst_invoice(lines: usize) -> apotheca_billing_rules::InvoiceRequest {
    use apotheca_billing_rules::*;
    let cats = ["3004", "300431", "3306"];
    InvoiceRequest {
        number: Some("INV/2025-26/00042".into()),
        date: NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(),
        currency: "INR".into(),
        minor_units: None,
        seller_region: Some("KA".into()),
        place_of_supply: Some("KA".into()),
        rounding: Rounding {
            cash: Some(CashRounding {
                increment: Decimal::ONE,
                direction: CashDirection::Nearest,
            }),
            ..Default::default()
        },
        lines: (0..lines)
            .map(|i| InvoiceLine {
                product: format!("P{i}").into(),
                batch: Some(format!("B{i}").into()),
                description: None,
                qty: 1 + (i as i64 * 7) % 5,
                unit_price: Decimal::new(1_000 + (i as i64 * 7919) % 50_000, 2),
                price_includes_tax: true,
                mrp: Some(Decimal::new(60_000, 2)),
                tax_category: cats[i % 3].into(),
                discount_percent: (i % 10 == 0).then_some(Decimal::TEN),
                discount_amount: None,
                scheme: None,
            })
            .collect(),
        charges: vec![],
        discount_percent: None,
        discount_amount: Some(Decimal::new(2_500, 2)),
        copay: None,
        payments: vec![Tender {
            method: "cash".into(),
            amount: Decimal::new(10_000_000, 2),
        }],
        words: Some(WordsStyle::Indian),
    }
}

/// A generated knowledge base: `drugs` drugs under a four-level ATC-like class tree, and
/// `rules` rules (98 % drug pairs, 2 % drug–class and class pairs), from a fixed seed.
pub fn knowledge_base(drugs: usize, rules: usize) -> apotheca_interactions::KnowledgeBase {
    use apotheca_interactions::*;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut classes = Vec::new();
    let (l1, l2, l3, l4) = (14, 90, 250, 800);
    for i in 0..l1 {
        classes.push(DrugClass {
            code: format!("C{i}"),
            name: format!("Group {i}"),
            parent: None,
        });
    }
    for (lvl, count, parents, offset) in [(2, l2, l1, 0), (3, l3, l2, l1), (4, l4, l3, l1 + l2)] {
        for i in 0..count {
            let p = offset + next(parents);
            classes.push(DrugClass {
                code: format!("L{lvl}-{i}"),
                name: format!("Level {lvl} class {i}"),
                parent: Some(classes[p].code.clone()),
            });
        }
    }
    let leaf0 = l1 + l2 + l3;
    let drug_list: Vec<Drug> = (0..drugs)
        .map(|i| Drug {
            id: format!("D{i}"),
            name: format!("Drug{i}amine"),
            synonyms: vec![format!("Synonym {i}")],
            brands: vec![format!("Brand{i}")],
            classes: (0..1 + next(2))
                .map(|_| classes[leaf0 + next(l4)].code.clone())
                .collect(),
            ..Default::default()
        })
        .collect();
    let sev = [
        Severity::Minor,
        Severity::Moderate,
        Severity::Major,
        Severity::Contraindicated,
    ];
    let mut rule_list = Vec::with_capacity(rules);
    let mut seen = std::collections::HashSet::new();
    while rule_list.len() < rules {
        let class_rule = next(50) == 0;
        let (a, b) = if class_rule {
            (
                Target {
                    kind: TargetKind::Drug,
                    id: format!("D{}", next(drugs)),
                },
                Target {
                    kind: TargetKind::Class,
                    id: classes[l1 + next(classes.len() - l1)].code.clone(),
                },
            )
        } else {
            let (x, y) = (next(drugs), next(drugs));
            if x == y || !seen.insert((x.min(y), x.max(y))) {
                continue;
            }
            (
                Target {
                    kind: TargetKind::Drug,
                    id: format!("D{x}"),
                },
                Target {
                    kind: TargetKind::Drug,
                    id: format!("D{y}"),
                },
            )
        };
        rule_list.push(Rule {
            id: format!("G{}", rule_list.len()),
            a,
            b,
            severity: sev[next(4)],
            effect: Some("generated".into()),
            ..Default::default()
        });
    }
    KnowledgeBase {
        source: Some("generated for benches".into()),
        classes,
        drugs: drug_list,
        rules: rule_list,
        risk_groups: vec![],
    }
}
