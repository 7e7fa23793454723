//! Invariants of pricing, credit notes and co-pay, over generated invoices.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca_billing_rules::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn rules() -> TaxRules {
    TaxRules::from_json(include_str!("../data/sample-rules.json")).unwrap()
}

fn money(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

fn line() -> impl Strategy<Value = Value> {
    (
        1i64..40,
        1i64..100_000,
        prop::sample::select(vec!["3004", "300431", "3306", "3005"]),
        any::<bool>(),
        prop::option::of(0i64..=100),
    )
        .prop_map(|(qty, cents, cat, incl, disc)| {
            let mut l = json!({"product": "P", "qty": qty, "unit_price": money(cents), "price_includes_tax": incl, "tax_category": cat});
            if let Some(d) = disc {
                l["discount_percent"] = json!(d.to_string());
            }
            l
        })
}

fn invoice() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(line(), 1..12),
        prop::sample::select(vec!["line", "invoice"]),
        prop::sample::select(vec!["half_up", "half_even"]),
        prop::option::of(prop::sample::select(vec!["0.05", "0.50", "1.00"])),
        prop::option::of(0i64..5_000),
        prop::sample::select(vec!["KA", "MH"]),
    )
        .prop_map(|(lines, level, mode, cash, disc, place)| {
            let mut v = json!({
                "date": "2025-06-10", "currency": "INR", "seller_region": "KA", "place_of_supply": place,
                "rounding": {"level": level, "mode": mode}, "lines": lines,
            });
            if let Some(c) = cash {
                v["rounding"]["cash"] = json!({"increment": c});
            }
            if let Some(d) = disc {
                v["discount_amount"] = json!(money(d));
            }
            v
        })
}

fn priced(v: &Value) -> Option<PricedInvoice> {
    match rules().price(&serde_json::from_value(v.clone()).unwrap()) {
        Ok(p) => Some(p),
        Err(BillingError::DiscountTooLarge { .. }) => None,
        Err(e) => panic!("{e}"),
    }
}

fn sum(it: impl Iterator<Item = Decimal>) -> Decimal {
    it.sum()
}

/// `d` × 1000 as an integer (the sample rules' rates have at most three decimals).
fn milli(d: Decimal) -> i128 {
    let m = (d * Decimal::ONE_THOUSAND).normalize();
    assert_eq!(m.scale(), 0, "{d}");
    m.mantissa()
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

proptest! {
    /// Rounded once per invoice, each head's total is within half a paisa of the exact sum of
    /// its unrounded taxes, `Σ aᵢ·rate / (100 + Σ rates)` (tax included) or `Σ aᵢ·rate / 100`,
    /// whatever mix of tax-inclusive and exclusive lines shares the head.
    #[test]
    fn invoice_level_head_totals_round_the_exact_sum(mut v in invoice()) {
        v["rounding"]["level"] = json!("invoice");
        let Some(inv) = priced(&v) else { return Ok(()) };
        for t in &inv.taxes {
            let (mut n, mut d) = (0i128, 1i128);
            for l in &inv.lines {
                let group: Decimal = l.taxes.iter().map(|x| x.rate).sum();
                let a = milli(l.gross - l.discount - l.invoice_discount) / 10; // paise
                let den = if l.price_includes_tax { 100_000 + milli(group) } else { 100_000 };
                for x in l.taxes.iter().filter(|x| x.name == t.name && x.rate == t.rate) {
                    // n/d + a·rate/den
                    let (xn, xd) = (a * milli(x.rate), den);
                    let g = gcd(d, xd);
                    (n, d) = (n * (xd / g) + xn * (d / g), d / g * xd);
                }
            }
            let got = milli(t.amount) / 10;
            prop_assert!(2 * (got * d - n).abs() <= d, "{} {}: {} vs {}/{}", t.name, t.rate, t.amount, n, d);
        }
    }

    #[test]
    fn totals_reconcile_exactly(v in invoice()) {
        let Some(inv) = priced(&v) else { return Ok(()) };
        let t = &inv.totals;
        for l in &inv.lines {
            prop_assert_eq!(l.tax, sum(l.taxes.iter().map(|x| x.amount)));
            prop_assert_eq!(l.total, l.taxable + l.tax);
            if l.price_includes_tax {
                prop_assert_eq!(l.total, l.gross - l.discount - l.invoice_discount);
            }
        }
        prop_assert_eq!(t.taxable, sum(inv.lines.iter().map(|l| l.taxable)));
        prop_assert_eq!(t.tax, sum(inv.lines.iter().map(|l| l.tax)));
        prop_assert_eq!(t.tax, sum(inv.taxes.iter().map(|x| x.amount)));
        prop_assert_eq!(t.tax, sum(inv.category_summary.iter().map(|x| x.tax)));
        prop_assert_eq!(t.grand_total, t.taxable + t.tax + t.round_off);
        prop_assert_eq!(t.grand_total, sum(inv.lines.iter().map(|l| l.total)) + t.round_off);
        if let Some(c) = &v["rounding"]["cash"]["increment"].as_str() {
            let inc: Decimal = c.parse().unwrap();
            prop_assert!((t.grand_total / inc).fract().is_zero());
            prop_assert!(t.round_off.abs() <= inc / Decimal::TWO);
        }
    }

    #[test]
    fn cgst_always_equals_sgst(v in invoice()) {
        let Some(inv) = priced(&v) else { return Ok(()) };
        for l in &inv.lines {
            let get = |n: &str| l.taxes.iter().find(|t| t.name == n).map(|t| t.amount);
            prop_assert_eq!(get("CGST"), get("SGST"));
        }
        let get = |n: &str| sum(inv.taxes.iter().filter(|t| t.name == n).map(|t| t.amount));
        prop_assert_eq!(get("CGST"), get("SGST"));
    }

    #[test]
    fn spread_discounts_sum_to_the_invoice_discount(v in invoice()) {
        let Some(inv) = priced(&v) else { return Ok(()) };
        prop_assert_eq!(sum(inv.lines.iter().map(|l| l.invoice_discount)), inv.totals.invoice_discount);
        for l in &inv.lines {
            prop_assert!(l.invoice_discount >= Decimal::ZERO);
            prop_assert!(l.invoice_discount <= l.gross - l.discount);
        }
    }

    #[test]
    fn credit_notes_plus_what_remains_equal_the_invoice(v in invoice(), cuts in prop::collection::vec(0.0f64..1.0, 12)) {
        let Some(inv) = priced(&v) else { return Ok(()) };
        let date: chrono::NaiveDate = "2025-06-20".parse().unwrap();
        // First note: a part of each line; second: everything left.
        let first: Vec<ReturnLine> = inv.lines.iter().zip(&cuts)
            .map(|(l, c)| ReturnLine { line_no: l.line_no, qty: (l.qty as f64 * c) as i64 })
            .filter(|r| r.qty > 0)
            .collect();
        let mut previous = vec![];
        if !first.is_empty() {
            previous.push(credit_note(&inv, &CreditRequest { number: None, date, returns: first, previous: vec![] }).unwrap());
        }
        let rest: Vec<ReturnLine> = inv.lines.iter().map(|l| {
            let back: i64 = previous.iter().flat_map(|p: &CreditNote| &p.lines).filter(|c| c.line_no == l.line_no).map(|c| c.qty).sum();
            ReturnLine { line_no: l.line_no, qty: l.qty - back }
        }).filter(|r| r.qty > 0).collect();
        let last = credit_note(&inv, &CreditRequest { number: None, date, returns: rest, previous: previous.clone() }).unwrap();
        prop_assert!(last.complete);
        let notes: Vec<&CreditNote> = previous.iter().chain(std::iter::once(&last)).collect();
        prop_assert_eq!(sum(notes.iter().map(|n| n.totals.total)), inv.totals.grand_total);
        prop_assert_eq!(sum(notes.iter().map(|n| n.totals.tax)), inv.totals.tax);
        for l in &inv.lines {
            let credited = notes.iter().flat_map(|n| &n.lines).filter(|c| c.line_no == l.line_no);
            prop_assert_eq!(sum(credited.clone().map(|c| c.taxable)), l.taxable);
            for t in &l.taxes {
                let back = sum(credited.clone().flat_map(|c| &c.taxes).filter(|x| x.name == t.name).map(|x| x.amount));
                prop_assert_eq!(back, t.amount);
            }
            for c in credited {
                let get = |n: &str| c.taxes.iter().find(|t| t.name == n).map(|t| t.amount);
                prop_assert_eq!(get("CGST"), get("SGST"));
            }
        }
    }

    #[test]
    fn patient_and_claim_shares_add_up_to_the_total(
        v in invoice(),
        copay in prop::option::of(0i64..2_000),
        per_invoice in prop::option::of(0i64..5_000),
        pct in prop::option::of(0i64..=100),
        deductible in prop::option::of(0i64..50_000),
        limit in prop::option::of(0i64..100_000),
    ) {
        let mut v = v;
        let mut plan = json!({});
        if let Some(x) = copay { plan["copay_per_item"] = json!(money(x)); }
        if let Some(x) = per_invoice { plan["copay_per_invoice"] = json!(money(x)); }
        if let Some(x) = pct { plan["coinsurance_percent"] = json!(x.to_string()); }
        if let Some(x) = deductible { plan["deductible_remaining"] = json!(money(x)); }
        if let Some(x) = limit { plan["coverage_limit"] = json!(money(x)); }
        v["copay"] = plan;
        let Some(inv) = priced(&v) else { return Ok(()) };
        let c = inv.copay.as_ref().unwrap();
        prop_assert_eq!(c.patient + c.claim, inv.totals.total_before_round_off);
        prop_assert_eq!(inv.totals.payable, c.patient + inv.totals.round_off);
        for (s, l) in c.lines.iter().zip(&inv.lines) {
            prop_assert_eq!(s.patient + s.claim, l.total);
            prop_assert!(s.patient >= Decimal::ZERO && s.claim >= Decimal::ZERO);
        }
        if let Some(x) = limit { prop_assert!(c.claim <= Decimal::new(x, 2)); }
    }

    /// Pricing an exclusive amount `x`, then pricing `x` plus its tax as a tax-inclusive amount,
    /// gives the same taxable value within one minor unit per tax head (per-line rounding).
    #[test]
    fn inclusive_and_exclusive_agree_within_the_rounding(cents in 1i64..10_000_000, cat in prop::sample::select(vec!["3004", "3306", "nl-standard"]), place in prop::sample::select(vec!["KA", "MH"])) {
        let one = |price: String, incl: bool| {
            rules().price(&serde_json::from_value(json!({
                "date": "2025-06-10", "currency": "INR", "seller_region": "KA", "place_of_supply": place,
                "lines": [{"product": "P", "qty": 1, "unit_price": price, "price_includes_tax": incl, "tax_category": cat}]
            })).unwrap()).unwrap()
        };
        let excl = one(money(cents), false);
        let incl = one(excl.totals.grand_total.to_string(), true);
        let heads = Decimal::from(excl.lines[0].taxes.len() as i64);
        prop_assert_eq!(incl.totals.grand_total, excl.totals.grand_total);
        prop_assert!((incl.totals.taxable - excl.totals.taxable).abs() <= heads * Decimal::new(1, 2));
    }
}
