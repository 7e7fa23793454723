//! Extreme prices, quantities, rates and increments: pricing, credit notes, summaries and
//! payments either answer or refuse with a typed error — they never panic (a panic is a trap in
//! WebAssembly) — and whatever they answer still adds up.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca_billing_rules::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn rules() -> TaxRules {
    TaxRules::from_json(
        r#"{ "rules": [
      { "category": "G", "effective_from": "2025-01-01", "components": [{ "name": "GST", "kind": "gst", "rate": "1000" }] },
      { "category": "C", "effective_from": "2025-01-01", "components": [
          { "name": "A", "kind": "percent", "rate": "1000" },
          { "name": "B", "kind": "percent", "rate": "1000", "compound": true },
          { "name": "F", "kind": "fixed", "rate": "1000000000000" },
          { "name": "D", "kind": "percent", "rate": "999.999999", "compound": true } ] },
      { "category": "Z", "effective_from": "2025-01-01", "components": [{ "name": "VAT", "kind": "percent", "rate": "0.000001" }] }
    ] }"#,
    )
    .unwrap()
}

fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("7922816251426433759354395033".to_string()),
        Just("1000000000000000000000000000".to_string()),
        Just("1000000000000".to_string()),
        Just("1000000000000.01".to_string()),
        Just("0.0000000000000000000000000001".to_string()),
        Just("0".to_string()),
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
        (0i64..1_000_000).prop_map(|n| Decimal::new(n, 2).to_string()),
    ]
}

fn qty() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MAX),
        Just(i64::MIN),
        Just(1_000_000_000),
        Just(0),
        1i64..1000
    ]
}

fn invoice() -> impl Strategy<Value = Value> {
    let line = (
        qty(),
        amount(),
        prop::sample::select(vec!["G", "C", "Z"]),
        any::<bool>(),
        prop::option::of(amount()),
    )
        .prop_map(|(qty, price, cat, incl, disc)| {
            let mut l = json!({"product": "P", "qty": qty, "unit_price": price, "price_includes_tax": incl, "tax_category": cat});
            if let Some(d) = disc {
                l["discount_amount"] = json!(d);
            }
            l
        });
    (
        prop::collection::vec(line, 1..6),
        prop::sample::select(vec!["line", "invoice"]),
        prop::option::of(prop_oneof![
            amount(),
            Just("0.05".to_string()),
            Just("0.001".to_string())
        ]),
        prop::option::of(amount()),
        prop::option::of(amount()),
        prop::sample::select(vec!["INR", "JPY", "KWD"]),
    )
        .prop_map(|(lines, level, cash, disc, charge, currency)| {
            let mut v = json!({
                "date": "2025-06-10", "currency": currency, "seller_region": "KA", "place_of_supply": "KA",
                "rounding": {"level": level}, "lines": lines,
            });
            if let Some(c) = cash {
                v["rounding"]["cash"] = json!({"increment": c});
            }
            if let Some(d) = disc {
                v["discount_amount"] = json!(d);
            }
            if let Some(c) = charge {
                v["charges"] = json!([{"name": "delivery", "amount": c, "tax_category": "C"}]);
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn extreme_invoices_are_priced_or_refused_never_panic(v in invoice()) {
        // Amounts beyond the largest decimal are refused as they are read.
        let Ok(req) = serde_json::from_value::<InvoiceRequest>(v) else { return Ok(()) };
        if let Ok(inv) = rules().price(&req) {
            let t = &inv.totals;
            prop_assert_eq!(t.grand_total, t.taxable + t.tax + t.round_off);
            let returns: Vec<ReturnLine> = inv.lines.iter().map(|l| ReturnLine { line_no: l.line_no, qty: l.qty }).collect();
            let req = CreditRequest { number: None, date: inv.date, returns, previous: vec![] };
            if let Ok(cn) = credit_note(&inv, &req) {
                prop_assert!(daily_summary(std::slice::from_ref(&inv), &[cn]).is_ok());
            }
            let _ = settle(&inv.currency, None, inv.totals.grand_total, &[Tender { method: "cash".into(), amount: Decimal::MAX }]);
        }
    }
}

#[test]
fn forged_invoices_are_refused_not_summed() {
    let req: InvoiceRequest = serde_json::from_value(json!({
        "date": "2025-06-10", "currency": "INR", "lines": [
            {"product": "P", "qty": 2, "unit_price": "10.00", "tax_category": "G"}]
    }))
    .unwrap();
    let mut inv = rules().price(&req).unwrap();
    inv.totals.grand_total = Decimal::MAX;
    let e = daily_summary(&[inv.clone(), inv.clone()], &[]).unwrap_err();
    assert!(matches!(e, BillingError::AmountOutOfRange { .. }), "{e}");
    inv.lines[0].taxable = Decimal::MAX;
    let req = CreditRequest {
        number: None,
        date: inv.date,
        returns: vec![ReturnLine { line_no: 1, qty: 1 }],
        previous: vec![],
    };
    assert!(matches!(
        credit_note(&inv, &req),
        Err(BillingError::AmountOutOfRange { .. })
    ));
}

#[test]
fn the_issues_overflows_are_typed_errors() {
    let price = |price: &str, qty: i64, cash: Option<&str>| {
        let mut v = json!({"date": "2025-06-10", "currency": "INR",
            "lines": [{"product": "P", "qty": qty, "unit_price": price, "tax_category": "G"}]});
        if let Some(c) = cash {
            v["rounding"] = json!({"cash": {"increment": c}});
        }
        rules().price(&serde_json::from_value(v).unwrap())
    };
    // One past the largest decimal is refused as it is read.
    let e = serde_json::from_value::<InvoiceLine>(json!({"product": "P", "qty": 1,
        "unit_price": "79228162514264337593543950336", "tax_category": "G"}))
    .unwrap_err();
    assert!(e.to_string().contains("beyond the largest decimal"), "{e}");
    // 2^96 − 1, 10^27 × 1000, and 10^12 + 0.01.
    for (p, q) in [
        ("79228162514264337593543950335", 1),
        ("1000000000000000000000000000", 1000),
        ("1000000000000.01", 1),
    ] {
        assert!(matches!(
            price(p, q, None),
            Err(BillingError::AmountOutOfRange { .. })
        ));
    }
    // A cash increment of 10^-28: finer than the rupee's paisa.
    assert!(matches!(
        price("10.00", 1, Some("0.0000000000000000000000000001")),
        Err(BillingError::InvalidAmount { .. })
    ));
}

#[test]
fn an_invoice_discount_over_lines_at_the_bounds_is_spread_not_overflowed() {
    // Two lines of 10^17 and a discount of their whole value: the exact integer split overflows
    // i128 (2·10^19 × 10^19 minor units), and its Decimal fallback must not overflow either.
    let rules = TaxRules::from_json(
        r#"{ "rules": [{ "category": "N", "effective_from": "2025-01-01", "components": [] }] }"#,
    )
    .unwrap();
    let line =
        json!({"product": "P", "qty": 100_000, "unit_price": "1000000000000", "tax_category": "N"});
    let req: InvoiceRequest = serde_json::from_value(json!({
        "date": "2025-06-10", "currency": "INR", "lines": [line.clone(), line],
        "discount_amount": "200000000000000000"
    }))
    .unwrap();
    let inv = rules.price(&req).unwrap();
    let spread: Decimal = inv.lines.iter().map(|l| l.invoice_discount).sum();
    assert_eq!(spread.to_string(), "200000000000000000.00");
    assert!(inv.totals.grand_total.is_zero());
}
