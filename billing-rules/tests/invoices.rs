//! Worked examples from real-shaped invoices: an Indian pharmacy invoice with MRP-inclusive
//! lines at 5 % and 12 % GST (intra- and inter-state), a Dutch VAT receipt, a New York receipt
//! with Rx and OTC lines, and the credit notes, co-pay and payments around them.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca_billing_rules::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::json;

fn rules() -> TaxRules {
    TaxRules::from_json(include_str!("../data/sample-rules.json")).unwrap()
}

fn price_json(v: serde_json::Value) -> Result<PricedInvoice> {
    rules().price(&serde_json::from_value(v).unwrap())
}

fn heads(l: &PricedLine) -> Vec<(String, Decimal)> {
    l.taxes
        .iter()
        .map(|t| (t.name.to_string(), t.amount))
        .collect()
}

fn india(place: &str) -> serde_json::Value {
    json!({
        "number": "INV/2025-26/00042", "date": "2025-06-10", "currency": "INR",
        "seller_region": "KA", "place_of_supply": place,
        "rounding": {"mode": "half_up", "level": "line", "cash": {"increment": "1.00"}},
        "words": "indian",
        "lines": [
            {"product": "PCM500", "batch": "P-1", "qty": 2, "unit_price": "30.00", "mrp": "30.00", "price_includes_tax": true, "tax_category": "3004"},
            {"product": "INSGLA", "batch": "I-7", "qty": 1, "unit_price": "450.00", "mrp": "465.00", "price_includes_tax": true, "tax_category": "300431"},
            {"product": "AMOX500", "batch": "A-3", "qty": 3, "unit_price": "89.50", "mrp": "89.50", "price_includes_tax": true, "tax_category": "3004", "discount_percent": "10"}
        ]
    })
}

#[test]
fn indian_invoice_within_the_state_splits_cgst_and_sgst_equally() {
    let inv = price_json(india("KA")).unwrap();
    assert_eq!(inv.supply, Supply::IntraState);
    let l = &inv.lines;
    assert_eq!(
        heads(&l[0]),
        vec![("CGST".into(), dec!(3.21)), ("SGST".into(), dec!(3.21))]
    );
    assert_eq!(l[0].taxable, dec!(53.58));
    assert_eq!(
        heads(&l[1]),
        vec![("CGST".into(), dec!(10.71)), ("SGST".into(), dec!(10.71))]
    );
    assert_eq!(l[1].taxable, dec!(428.58));
    assert_eq!((l[2].gross, l[2].discount), (dec!(268.50), dec!(26.85)));
    assert_eq!(
        heads(&l[2]),
        vec![("CGST".into(), dec!(12.95)), ("SGST".into(), dec!(12.95))]
    );
    assert_eq!(l[2].taxable, dec!(215.75));
    // Every tax-inclusive line still adds up to what the customer saw on the shelf.
    for line in l {
        assert_eq!(
            line.total,
            line.gross - line.discount - line.invoice_discount
        );
    }
    let t = &inv.totals;
    assert_eq!((t.taxable, t.tax), (dec!(697.91), dec!(53.74)));
    assert_eq!(t.total_before_round_off, dec!(751.65));
    assert_eq!((t.round_off, t.grand_total), (dec!(0.35), dec!(752.00)));
    assert_eq!(
        inv.amount_in_words.as_deref(),
        Some("Rupees Seven Hundred Fifty Two Only")
    );
    // The HSN-wise summary: one row per HSN code and rate.
    let hsn: Vec<(&str, String, Decimal, Decimal)> = inv
        .category_summary
        .iter()
        .map(|s| (s.category.as_str(), s.rate.to_string(), s.taxable, s.tax))
        .collect();
    assert_eq!(
        hsn,
        vec![
            ("3004", "12".into(), dec!(269.33), dec!(32.32)),
            ("300431", "5".into(), dec!(428.58), dec!(21.42)),
        ]
    );
    let cgst: Decimal = inv
        .taxes
        .iter()
        .filter(|t| t.name == "CGST")
        .map(|t| t.amount)
        .sum();
    let sgst: Decimal = inv
        .taxes
        .iter()
        .filter(|t| t.name == "SGST")
        .map(|t| t.amount)
        .sum();
    assert_eq!(cgst, sgst);
}

#[test]
fn indian_invoice_across_states_charges_igst() {
    let inv = price_json(india("MH")).unwrap();
    assert_eq!(inv.supply, Supply::InterState);
    let l = &inv.lines;
    assert_eq!(heads(&l[0]), vec![("IGST".into(), dec!(6.43))]);
    assert_eq!(heads(&l[1]), vec![("IGST".into(), dec!(21.43))]);
    assert_eq!(heads(&l[2]), vec![("IGST".into(), dec!(25.89))]);
    assert_eq!(
        (inv.totals.taxable, inv.totals.tax),
        (dec!(697.90), dec!(53.75))
    );
    assert_eq!(inv.totals.total_before_round_off, dec!(751.65));
}

#[test]
fn the_rate_in_force_on_the_invoice_date_applies() {
    let mut v = india("KA");
    v["date"] = json!("2025-09-22");
    let inv = price_json(v).unwrap();
    assert_eq!(inv.lines[0].taxes[0].rate, dec!(2.5));
}

#[test]
fn a_price_above_the_batch_mrp_is_refused() {
    let mut v = india("KA");
    v["lines"][0]["unit_price"] = json!("30.01");
    let e = price_json(v).unwrap_err();
    assert!(
        matches!(e, BillingError::PriceAboveMrp { line: 1, .. }),
        "{e}"
    );
    assert!(
        e.to_string().contains("30.01") && e.to_string().contains("MRP 30.00"),
        "{e}"
    );
    // An exclusive price is compared with tax added: 26.79 + 12 % = 30.00 is allowed.
    let mut v = india("KA");
    v["lines"][0]["unit_price"] = json!("26.79");
    v["lines"][0]["price_includes_tax"] = json!(false);
    assert!(price_json(v.clone()).is_ok());
    v["lines"][0]["unit_price"] = json!("26.80");
    assert!(price_json(v).is_err());
}

#[test]
fn dutch_vat_receipt_with_tax_inclusive_shelf_prices() {
    let inv = price_json(json!({
        "date": "2026-03-02", "currency": "EUR",
        "rounding": {"cash": {"increment": "0.05"}},
        "lines": [
            {"product": "PARA500", "qty": 2, "unit_price": "1.49", "price_includes_tax": true, "tax_category": "nl-reduced"},
            {"product": "SPF50", "qty": 1, "unit_price": "12.95", "price_includes_tax": true, "tax_category": "nl-standard"},
            {"product": "DONATION-BOX", "qty": 1, "unit_price": "0.00", "price_includes_tax": true, "tax_category": "nl-zero"}
        ]
    }))
    .unwrap();
    assert_eq!(
        (inv.lines[0].taxable, inv.lines[0].tax),
        (dec!(2.73), dec!(0.25))
    );
    assert_eq!(
        (inv.lines[1].taxable, inv.lines[1].tax),
        (dec!(10.70), dec!(2.25))
    );
    assert_eq!(inv.lines[2].treatment, TaxTreatment::ZeroRated);
    assert_eq!(inv.totals.total_before_round_off, dec!(15.93));
    assert_eq!(
        (inv.totals.round_off, inv.totals.grand_total),
        (dec!(0.02), dec!(15.95))
    );
}

fn new_york(level: &str) -> serde_json::Value {
    json!({
        "date": "2026-05-14", "currency": "USD", "place_of_supply": "US-NY-NYC",
        "rounding": {"level": level},
        "lines": [
            {"product": "LISIN10", "qty": 30, "unit_price": "0.40", "tax_category": "rx"},
            {"product": "IBU200", "qty": 1, "unit_price": "8.99", "tax_category": "otc"},
            {"product": "BANDAGE", "qty": 1, "unit_price": "4.49", "tax_category": "otc"}
        ]
    })
}

#[test]
fn us_receipt_exempts_prescriptions_and_taxes_otc_by_jurisdiction() {
    let inv = price_json(new_york("line")).unwrap();
    assert_eq!(inv.lines[0].treatment, TaxTreatment::Exempt);
    assert!(inv.lines[0].taxes.is_empty());
    assert_eq!(
        heads(&inv.lines[1]),
        vec![
            ("State".into(), dec!(0.36)),
            ("City".into(), dec!(0.40)),
            ("MCTD".into(), dec!(0.03))
        ]
    );
    assert_eq!(inv.lines[2].tax, dec!(0.40));
    assert_eq!(inv.totals.tax, dec!(1.19));
    assert_eq!(inv.totals.grand_total, dec!(26.67));
}

#[test]
fn invoice_level_rounding_rounds_each_head_once_and_the_lines_still_add_up() {
    let inv = price_json(new_york("invoice")).unwrap();
    let city: Vec<Decimal> = inv.lines[1..].iter().map(|l| l.taxes[1].amount).collect();
    // 13.48 × 4.5 % = 0.6066 → 0.61 once, where per line it was 0.40 + 0.20.
    assert_eq!(city.iter().sum::<Decimal>(), dec!(0.61));
    assert_eq!(inv.totals.tax, dec!(1.20));
    let sum: Decimal = inv.lines.iter().map(|l| l.total).sum();
    assert_eq!(sum + inv.totals.round_off, inv.totals.grand_total);
}

#[test]
fn half_even_rounds_ties_to_even() {
    let mut v = new_york("line");
    v["rounding"]["mode"] = json!("half_even");
    // 0.125 × 4 % = 0.005 → 0.00 half-even, 0.01 half-up.
    v["lines"] =
        json!([{"product": "GUM", "qty": 1, "unit_price": "0.125", "tax_category": "otc"}]);
    v["place_of_supply"] = json!("US-TX");
    let inv = price_json(v.clone()).unwrap();
    assert_eq!(inv.lines[0].gross, dec!(0.12));
    v["lines"][0]["unit_price"] = json!("12.625");
    v["rounding"]["mode"] = json!("half_even");
    let even = price_json(v.clone()).unwrap();
    v["rounding"]["mode"] = json!("half_up");
    let up = price_json(v).unwrap();
    assert_eq!(
        (even.lines[0].gross, up.lines[0].gross),
        (dec!(12.62), dec!(12.63))
    );
}

#[test]
fn buy_ten_get_one_bills_ten() {
    let mut v = india("KA");
    v["lines"] = json!([{"product": "ORS", "qty": 23, "unit_price": "20.00", "price_includes_tax": true, "tax_category": "3004", "scheme": {"buy": 10, "get": 1}}]);
    let inv = price_json(v).unwrap();
    assert_eq!((inv.lines[0].free_qty, inv.lines[0].billed_qty), (2, 21));
    assert_eq!(inv.lines[0].gross, dec!(420.00));
}

#[test]
fn an_invoice_discount_is_spread_so_the_parts_add_up() {
    let mut v = india("KA");
    v["discount_amount"] = json!("10.00");
    let inv = price_json(v).unwrap();
    let parts: Vec<Decimal> = inv.lines.iter().map(|l| l.invoice_discount).collect();
    assert_eq!(parts.iter().sum::<Decimal>(), dec!(10.00));
    assert_eq!(parts, vec![dec!(0.80), dec!(5.99), dec!(3.21)]);
}

#[test]
fn discounts_larger_than_their_base_are_refused() {
    let mut v = india("KA");
    v["lines"][0]["discount_amount"] = json!("60.01");
    assert!(matches!(
        price_json(v).unwrap_err(),
        BillingError::DiscountTooLarge { .. }
    ));
    let mut v = india("KA");
    v["discount_amount"] = json!("100000");
    assert!(matches!(
        price_json(v).unwrap_err(),
        BillingError::DiscountTooLarge { .. }
    ));
}

#[test]
fn bad_lines_name_the_value() {
    for (patch, want) in [
        (json!({"qty": -1}), "quantity -1"),
        (json!({"unit_price": "-5"}), "unit_price = -5"),
        (
            json!({"tax_category": "9999"}),
            "unknown tax category \"9999\"",
        ),
        (json!({"discount_percent": "101"}), "discount_percent = 101"),
    ] {
        let mut v = india("KA");
        for (k, x) in patch.as_object().unwrap() {
            v["lines"][1][k] = x.clone();
        }
        let e = price_json(v).unwrap_err().to_string();
        assert!(
            e.contains(want) && e.contains("line 2"),
            "{e} should contain {want}"
        );
    }
}

#[test]
fn credit_notes_reverse_exactly_what_was_charged() {
    let inv = price_json(india("KA")).unwrap();
    let req = |returns: serde_json::Value, previous: Vec<CreditNote>| CreditRequest {
        number: None,
        date: "2025-06-12".parse().unwrap(),
        returns: serde_json::from_value(returns).unwrap(),
        previous,
    };
    let first = credit_note(&inv, &req(json!([{"line_no": 3, "qty": 1}]), vec![])).unwrap();
    assert_eq!(first.lines[0].taxes[0].amount, dec!(4.32));
    assert_eq!(
        first.lines[0].taxes[0].amount,
        first.lines[0].taxes[1].amount
    );
    assert_eq!(first.lines[0].total, dec!(80.56));
    assert!(!first.complete);
    let err = credit_note(
        &inv,
        &req(json!([{"line_no": 3, "qty": 3}]), vec![first.clone()]),
    )
    .unwrap_err();
    assert!(
        matches!(err, BillingError::ReturnExceedsSold { remaining: 2, .. }),
        "{err}"
    );
    let rest = credit_note(
        &inv,
        &req(
            json!([{"line_no": 1, "qty": 2}, {"line_no": 2, "qty": 1}, {"line_no": 3, "qty": 2}]),
            vec![first.clone()],
        ),
    )
    .unwrap();
    assert!(rest.complete);
    assert_eq!(rest.totals.round_off, dec!(0.35));
    assert_eq!(
        first.totals.total + rest.totals.total,
        inv.totals.grand_total
    );
    assert_eq!(first.totals.tax + rest.totals.tax, inv.totals.tax);
}

#[test]
fn copay_splits_into_patient_and_claim_shares_that_add_up() {
    let mut v = new_york("line");
    v["copay"] = json!({"copay_per_item": "5.00", "coinsurance_percent": "20", "deductible_remaining": "3.00", "non_covered": ["BANDAGE"]});
    let inv = price_json(v).unwrap();
    let c = inv.copay.as_ref().unwrap();
    // Rx 12.00: deductible 3.00, co-pay 5.00, 20 % of 4.00 = 0.80 → patient 8.80, claim 3.20.
    assert_eq!(
        (c.lines[0].patient, c.lines[0].claim),
        (dec!(8.80), dec!(3.20))
    );
    // IBU 9.78: co-pay 5.00, 20 % of 4.78 = 0.96 → patient 5.96, claim 3.82.
    assert_eq!(
        (c.lines[1].patient, c.lines[1].claim),
        (dec!(5.96), dec!(3.82))
    );
    assert!(!c.lines[2].covered);
    assert_eq!(c.patient + c.claim, inv.totals.total_before_round_off);
    assert_eq!(c.deductible_applied, dec!(3.00));
    assert_eq!(inv.totals.payable, c.patient);
}

#[test]
fn payments_give_change_only_from_cash() {
    let mut v = india("KA");
    v["payments"] =
        json!([{"method": "upi", "amount": "500.00"}, {"method": "cash", "amount": "300.00"}]);
    let inv = price_json(v.clone()).unwrap();
    let s = inv.settlement.unwrap();
    assert_eq!(
        (s.paid, s.change, s.balance_due),
        (dec!(800.00), dec!(48.00), dec!(0.00))
    );
    v["payments"] = json!([{"method": "card", "amount": "800.00"}]);
    assert!(matches!(
        price_json(v.clone()).unwrap_err(),
        BillingError::Overpayment { .. }
    ));
    v["payments"] = json!([{"method": "card", "amount": "500.00"}]);
    let s = price_json(v).unwrap().settlement.unwrap();
    assert_eq!(s.balance_due, dec!(252.00));
}

#[test]
fn the_day_summary_nets_returns_against_sales() {
    let mut v = india("KA");
    v["payments"] = json!([{"method": "cash", "amount": "1000.00"}]);
    let inv = price_json(v).unwrap();
    let cn = credit_note(
        &inv,
        &CreditRequest {
            number: Some("CN/2025-26/00001".into()),
            date: "2025-06-10".parse().unwrap(),
            returns: vec![ReturnLine { line_no: 2, qty: 1 }],
            previous: vec![],
        },
    )
    .unwrap();
    let days = daily_summary(&[inv.clone(), inv.clone()], std::slice::from_ref(&cn)).unwrap();
    assert_eq!(days.len(), 1);
    let d = &days[0];
    assert_eq!((d.invoices, d.credit_notes), (2, 1));
    assert_eq!(d.sales, dec!(1504.00));
    assert_eq!(d.returns, dec!(450.00));
    assert_eq!(d.net, dec!(1054.00));
    assert_eq!(d.collected[0].amount, dec!(1504.00));
    assert_eq!(d.tax, inv.totals.tax * dec!(2) - cn.totals.tax);
}

#[test]
fn an_exact_half_in_a_back_computed_tax_follows_the_rounding_mode() {
    // 1.05 with 5 % GST inside: taxable exactly 1.00, CGST = SGST = 0.025 exactly.
    let one = |mode: &str, level: &str| {
        let mut v = india("KA");
        v["rounding"] = json!({"mode": mode, "level": level});
        v["lines"] = json!([{"product": "X", "qty": 1, "unit_price": "1.05", "price_includes_tax": true, "tax_category": "300431"}]);
        price_json(v).unwrap().lines[0].clone()
    };
    for level in ["line", "invoice"] {
        let up = one("half_up", level);
        assert_eq!(
            heads(&up),
            vec![("CGST".into(), dec!(0.03)), ("SGST".into(), dec!(0.03))],
            "{level}"
        );
        assert_eq!(up.taxable, dec!(0.99));
        let even = one("half_even", level);
        assert_eq!(
            heads(&even),
            vec![("CGST".into(), dec!(0.02)), ("SGST".into(), dec!(0.02))],
            "{level}"
        );
        assert_eq!(even.taxable, dec!(1.01));
    }
}

/// Rounded once per invoice, of two lines whose fixed taxes exceed their amounts the first line
/// is the one reported, whatever order their heads are totalled in.
#[test]
fn invoice_rounding_reports_the_first_line_that_cannot_be_priced() {
    let rules = TaxRules::from_json(
        &json!({"rules": [
            {"category": "a", "effective_from": "2020-01-01",
             "components": [{"name": "Levy A", "kind": "fixed", "rate": "5"}]},
            {"category": "b", "effective_from": "2020-01-01",
             "components": [{"name": "Levy B", "kind": "fixed", "rate": "7"}]},
        ]})
        .to_string(),
    )
    .unwrap();
    let line = |cat: &str| {
        json!({"product": "P", "qty": 1, "unit_price": "1.00",
        "price_includes_tax": true, "tax_category": cat})
    };
    let req: InvoiceRequest = serde_json::from_value(json!({
        "date": "2025-06-10", "currency": "INR", "rounding": {"level": "invoice"},
        "lines": [line("b"), line("a")],
    }))
    .unwrap();
    match rules.price(&req) {
        Err(BillingError::InvalidAmount { field, .. }) => assert_eq!(field, "line 1 amount"),
        other => panic!("{other:?}"),
    }
}
