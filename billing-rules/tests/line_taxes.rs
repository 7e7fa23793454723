//! `compute_taxes` and `reprice`: each case's expected values are derived by hand in its
//! comment (Odoo's and ERPNext's documented behaviour, not their code).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use apotheca_billing_rules::{
    BillingError, RepriceRequest, TaxLineRequest, TaxLineResult, compute_taxes, reprice,
};
use serde_json::{Value, json};

fn run(req: Value) -> TaxLineResult {
    let r: TaxLineRequest = serde_json::from_value(req).unwrap();
    compute_taxes(&r).unwrap()
}

fn err(req: Value) -> BillingError {
    let r: TaxLineRequest = serde_json::from_value(req).unwrap();
    compute_taxes(&r).unwrap_err()
}

/// (name, base, amount) of each tax, as strings.
fn taxes(r: &TaxLineResult) -> Vec<(String, String, String)> {
    r.taxes
        .iter()
        .map(|t| (t.name.clone(), t.base.to_string(), t.amount.to_string()))
        .collect()
}

fn t(name: &str, base: &str, amount: &str) -> (String, String, String) {
    (name.into(), base.into(), amount.into())
}

fn totals(r: &TaxLineResult) -> (String, String) {
    (r.total_excluded.to_string(), r.total_included.to_string())
}

fn tt(a: &str, b: &str) -> (String, String) {
    (a.into(), b.into())
}

#[test]
fn fractional_quantity_rounded_per_line_or_left_for_the_invoice() {
    // 12.12 × 0.5 = 6.06; 21 % of it is 1.2726: 1.27 per line, 1.2726 globally.
    let line = |rounding: &str| {
        run(
            json!({"price_unit": "12.12", "quantity": "0.5", "currency": "EUR",
            "rounding_method": rounding,
            "taxes": [{"name": "VAT", "amount": "21"}]}),
        )
    };
    let r = line("per_line");
    assert_eq!(totals(&r), tt("6.06", "7.33"));
    assert_eq!(taxes(&r), [t("VAT", "6.06", "1.27")]);
    let r = line("global");
    assert_eq!(totals(&r), tt("6.06", "7.3326"));
    assert_eq!(taxes(&r), [t("VAT", "6.06", "1.2726")]);
}

#[test]
fn one_tax_included_and_one_added_on_top() {
    // 121 includes 21 % VAT: VAT = 121 × 21 / 121 = 21, net 100; the eco-fee 0.50 is added.
    let r = run(
        json!({"price_unit": "121", "quantity": "1", "currency": "EUR", "taxes": [
        {"name": "VAT", "amount": "21", "price_include": true},
        {"name": "Eco-fee", "amount_type": "fixed", "amount": "0.50"}]}),
    );
    assert_eq!(totals(&r), tt("100.00", "121.50"));
    assert_eq!(
        taxes(&r),
        [t("VAT", "100.00", "21.00"), t("Eco-fee", "100.00", "0.50")]
    );
}

#[test]
fn a_tax_affects_the_base_of_the_next_only_when_that_one_is_affected() {
    // A 10 % on 100 = 10 and adds to B's base: B 10 % on 110 = 11. Unaffected, B = 10.
    let line = |affected: bool| {
        run(
            json!({"price_unit": "100", "quantity": "1", "currency": "USD", "taxes": [
            {"name": "A", "amount": "10", "include_base_amount": true},
            {"name": "B", "amount": "10", "is_base_affected": affected}]}),
        )
    };
    let r = line(true);
    assert_eq!(
        taxes(&r),
        [t("A", "100.00", "10.00"), t("B", "110.00", "11.00")]
    );
    assert_eq!(totals(&r), tt("100.00", "121.00"));
    let r = line(false);
    assert_eq!(
        taxes(&r),
        [t("A", "100.00", "10.00"), t("B", "100.00", "10.00")]
    );
}

#[test]
fn a_fixed_tax_in_the_base_of_the_vat() {
    // 2 × 100 = 200; the levy 2 × 5 = 10 is in the VAT base: 21 % of 210 = 44.10.
    let r = run(
        json!({"price_unit": "100", "quantity": "2", "currency": "EUR", "taxes": [
        {"name": "Levy", "amount_type": "fixed", "amount": "5", "include_base_amount": true},
        {"name": "VAT", "amount": "21"}]}),
    );
    assert_eq!(
        taxes(&r),
        [t("Levy", "200.00", "10.00"), t("VAT", "210.00", "44.10")]
    );
    assert_eq!(totals(&r), tt("200.00", "254.10"));
}

#[test]
fn tax_on_tax_inside_the_price() {
    // 121 = x + 10 % x + 10 % (1.1 x): x = 100, A = 10, B = 11 (on 110).
    let r = run(
        json!({"price_unit": "121", "quantity": "1", "currency": "USD", "taxes": [
        {"name": "A", "amount": "10", "price_include": true, "include_base_amount": true},
        {"name": "B", "amount": "10", "price_include": true}]}),
    );
    assert_eq!(
        taxes(&r),
        [t("A", "100.00", "10.00"), t("B", "110.00", "11.00")]
    );
    assert_eq!(totals(&r), tt("100.00", "121.00"));
}

#[test]
fn gst_inside_the_mrp_as_two_included_heads() {
    // 3 × 89.50 = 268.50 holds 2.5 % + 2.5 %: each 268.50 × 2.5 / 105 = 6.3928… → 6.39.
    let r = run(
        json!({"price_unit": "89.50", "quantity": "3", "currency": "INR", "taxes": [
        {"name": "CGST", "amount": "2.5", "price_include": true},
        {"name": "SGST", "amount": "2.5", "price_include": true}]}),
    );
    assert_eq!(
        taxes(&r),
        [t("CGST", "255.72", "6.39"), t("SGST", "255.72", "6.39")]
    );
    assert_eq!(totals(&r), tt("255.72", "268.50"));
}

#[test]
fn division_taxes_and_their_100_percent_edge() {
    let line = |amount: &str, incl: bool| {
        run(
            json!({"price_unit": "100", "quantity": "1", "currency": "BRL", "taxes": [
            {"name": "ICMS", "amount_type": "division", "amount": amount, "price_include": incl}]}),
        )
    };
    // 100 × 10 / (100 − 10) = 11.11; included: 10 % of 100 = 10, net 90.
    assert_eq!(totals(&line("10", false)), tt("100.00", "111.11"));
    assert_eq!(totals(&line("10", true)), tt("90.00", "100.00"));
    // At 100 % the divisor is taken as 100 (not 0): the tax equals the base; included, the
    // whole price is tax.
    assert_eq!(totals(&line("100", false)), tt("100.00", "200.00"));
    assert_eq!(totals(&line("100", true)), tt("0.00", "100.00"));
}

#[test]
fn reverse_charge_is_shown_and_not_charged() {
    let r = run(
        json!({"price_unit": "100", "quantity": "1", "currency": "EUR", "taxes": [
        {"name": "VAT RC", "amount": "21", "repartition": "reverse_charge"}]}),
    );
    assert_eq!(
        taxes(&r),
        [
            t("VAT RC", "100.00", "21.00"),
            t("VAT RC", "100.00", "-21.00")
        ]
    );
    assert!(r.taxes[1].reverse_charge && !r.taxes[0].reverse_charge);
    assert_eq!(totals(&r), tt("100.00", "100.00"));
}

#[test]
fn withholding_by_negative_rate_or_deduction() {
    // VAT 210 and a −20 % withholding of 200 on 1000; TDS 10 % deducted: −100.
    let r = run(
        json!({"price_unit": "1000", "quantity": "1", "currency": "EUR", "taxes": [
        {"name": "VAT", "amount": "21"}, {"name": "WH", "amount": "-20"}]}),
    );
    assert_eq!(totals(&r), tt("1000.00", "1010.00"));
    let r = run(
        json!({"price_unit": "1000", "quantity": "1", "currency": "INR", "taxes": [
        {"name": "TDS", "amount": "10", "repartition": "withholding"}]}),
    );
    assert_eq!(taxes(&r), [t("TDS", "1000.00", "-100.00")]);
    assert_eq!(totals(&r), tt("1000.00", "900.00"));
}

#[test]
fn amounts_in_the_company_currency() {
    // 100 USD at 1.1 USD per EUR: net 90.909… → 90.91, VAT 21 / 1.1 = 19.09, total 110.00.
    let r = run(
        json!({"price_unit": "100", "quantity": "1", "currency": "USD",
        "company": {"currency": "EUR", "rate": "1.1"},
        "taxes": [{"name": "VAT", "amount": "21"}]}),
    );
    let c = r.company.unwrap();
    assert_eq!(
        (c.total_excluded.to_string(), c.total_included.to_string()),
        tt("90.91", "110.00")
    );
    assert_eq!(
        (c.taxes[0].base.to_string(), c.taxes[0].amount.to_string()),
        tt("90.91", "19.09")
    );
}

#[test]
fn rounding_steps_and_unrounded_taxes() {
    // 5 % of 10.13 = 0.5065: to 0.05 → 0.50; left unrounded → 0.5065.
    let line = |tax: Value| {
        run(json!({"price_unit": "10.13", "quantity": "1", "currency": "CHF", "taxes": [tax]}))
    };
    let r = line(json!({"name": "T", "amount": "5", "rounding_step": "0.05"}));
    assert_eq!(totals(&r), tt("10.13", "10.63"));
    // 7 % = 0.7091 → 14.18 steps → 14 → 0.70.
    let r = line(json!({"name": "T", "amount": "7", "rounding_step": "0.05"}));
    assert_eq!(taxes(&r), [t("T", "10.13", "0.70")]);
    let r = line(json!({"name": "T", "amount": "5", "unrounded": true}));
    assert_eq!(totals(&r), tt("10.13", "10.6365"));
}

#[test]
fn refund_lines_and_a_fixed_tax_above_the_price() {
    let r = run(
        json!({"price_unit": "-50", "quantity": "1", "currency": "USD",
        "taxes": [{"name": "VAT", "amount": "10"}]}),
    );
    assert_eq!(totals(&r), tt("-50.00", "-55.00"));
    // A returned quantity: the per-unit fixed tax follows the quantity's sign.
    let r = run(
        json!({"price_unit": "25", "quantity": "-2", "currency": "USD",
        "taxes": [{"name": "Fee", "amount_type": "fixed", "amount": "1"}]}),
    );
    assert_eq!(totals(&r), tt("-50.00", "-52.00"));
    // A 10.00 fixed tax included in a 5.00 price leaves a negative net.
    let r = run(
        json!({"price_unit": "5", "quantity": "1", "currency": "USD",
        "taxes": [{"name": "Fee", "amount_type": "fixed", "amount": "10", "price_include": true}]}),
    );
    assert_eq!(totals(&r), tt("-5.00", "5.00"));
}

#[test]
fn erpnext_rows_on_previous_amount_and_total() {
    // GST 18 % of 1000 = 180; cess 10 % of row 1's 180 = 18; TCS 1 % of row 2's total
    // (1000 + 180 + 18 = 1198) = 11.98.
    let r = run(
        json!({"price_unit": "1000", "quantity": "1", "currency": "INR", "taxes": [
        {"name": "GST", "amount": "18"},
        {"name": "Cess", "amount": "10", "base_on": "previous_row_amount", "row": 1},
        {"name": "TCS", "amount": "1", "base_on": "previous_row_total", "row": 2}]}),
    );
    assert_eq!(
        taxes(&r),
        [
            t("GST", "1000.00", "180.00"),
            t("Cess", "180.00", "18.00"),
            t("TCS", "1198.00", "11.98")
        ]
    );
    assert_eq!(totals(&r), tt("1000.00", "1209.98"));
    // An actual row that a later one is computed on: 10 % of 1000 + 50.
    let r = run(
        json!({"price_unit": "1000", "quantity": "1", "currency": "INR", "taxes": [
        {"name": "Freight", "amount_type": "actual", "amount": "50"},
        {"name": "VAT", "amount": "10", "base_on": "previous_row_total", "row": 1}]}),
    );
    assert_eq!(totals(&r), tt("1000.00", "1155.00"));
}

#[test]
fn a_trade_discount_comes_off_the_price_first() {
    // 100 less 10 % = 90; × 3 = 270; VAT 21 % = 56.70.
    let r = run(
        json!({"price_unit": "100", "quantity": "3", "discount_percent": "10",
        "currency": "EUR", "taxes": [{"name": "VAT", "amount": "21"}]}),
    );
    assert_eq!(totals(&r), tt("270.00", "326.70"));
}

#[test]
fn repricing_between_tax_sets() {
    let rp = |from: Value, to: Value| {
        let r: RepriceRequest = serde_json::from_value(json!({
            "price_unit": "121", "currency": "EUR", "from": from, "to": to}))
        .unwrap();
        reprice(&r).unwrap().price_unit.to_string()
    };
    let vat =
        |rate: &str, incl: bool| json!([{"name": "VAT", "amount": rate, "price_include": incl}]);
    // 121 with 21 % inside is 100 net; with 6 % inside, 106.
    assert_eq!(rp(vat("21", true), vat("6", true)), "106.00");
    // Mapped to a tax added on top: the net price.
    assert_eq!(rp(vat("21", true), vat("6", false)), "100.00");
    // From a price without tax: unchanged.
    assert_eq!(rp(vat("21", false), vat("6", true)), "121.00");
}

#[test]
fn bad_taxes_are_refused_with_their_path() {
    let base = |tax: Value| {
        json!({"price_unit": "10", "quantity": "1", "currency": "EUR", "taxes": [
            {"name": "A", "amount": "5"}, tax]})
    };
    for (tax, want) in [
        (
            json!({"name": "B", "amount": "5", "base_on": "previous_row_amount", "row": 2}),
            "taxes[1].row",
        ),
        (
            json!({"name": "B", "amount": "5", "base_on": "previous_row_total"}),
            "taxes[1].row",
        ),
        (json!({"name": "B", "amount": "1001"}), "taxes[1].amount"),
        (
            json!({"name": "B", "amount": "5", "repartition": "reverse_charge", "price_include": true}),
            "taxes[1].price_include",
        ),
        (
            json!({"name": "B", "amount": "-5", "repartition": "withholding"}),
            "taxes[1].amount",
        ),
        (
            json!({"name": "B", "amount": "5", "rounding_step": "0"}),
            "taxes[1].rounding_step",
        ),
        (json!({"name": " ", "amount": "5"}), "taxes[1].name"),
    ] {
        let e = err(base(tax)).to_string();
        assert!(e.contains(want), "{e} should name {want}");
    }
    let e = err(json!({"price_unit": "10", "quantity": "0.1234567", "currency": "EUR"}));
    assert!(e.to_string().contains("quantity"), "{e}");
}

#[test]
fn amounts_beyond_a_decimal_are_refused_not_overflowed() {
    // 10^12 × 10^9 with sixteen 1000 % taxes each on the last: far beyond 7.9 × 10^28.
    let taxes: Vec<Value> = (0..16)
        .map(|i| json!({"name": format!("T{i}"), "amount": "1000", "include_base_amount": true}))
        .collect();
    let e = err(
        json!({"price_unit": "1000000000000", "quantity": "1000000000",
        "currency": "USD", "taxes": taxes}),
    );
    assert!(matches!(e, BillingError::AmountOutOfRange { .. }), "{e}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn tax() -> impl Strategy<Value = Value> {
        (
            0..4usize,
            -1000i64..1000,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0..3usize,
            0..3usize,
        )
            .prop_map(|(kind, amount, incl, iba, affected, base_on, rep)| {
                let kind = ["percent", "fixed", "division", "actual"][kind];
                let on = ["net", "previous_row_amount", "previous_row_total"][base_on];
                let rep = ["normal", "reverse_charge", "withholding"][rep];
                json!({"name": "T", "amount_type": kind, "amount": amount.to_string(),
                    "price_include": incl, "include_base_amount": iba,
                    "is_base_affected": affected,
                    "base_on": on,
                    "row": if base_on > 0 { Some(1) } else { None },
                    "repartition": rep})
            })
    }

    proptest! {
        /// Any list of taxes on any price either computes or is refused: no panic, and a
        /// computed line adds up (total included = net + every tax, opposite entries too).
        #[test]
        fn any_line_computes_or_is_refused(
            price in -1_000_000_000_000i64..1_000_000_000_000,
            qty in -1_000_000_000i64..1_000_000_000,
            taxes in proptest::collection::vec(tax(), 0..6),
            global in any::<bool>(),
        ) {
            let req = json!({"price_unit": price.to_string(), "quantity": qty.to_string(),
                "currency": "USD", "taxes": taxes,
                "rounding_method": if global { "global" } else { "per_line" }});
            let r: TaxLineRequest = serde_json::from_value(req).unwrap();
            if let Ok(out) = compute_taxes(&r) {
                let sum = out.taxes.iter().map(|t| t.amount).sum::<rust_decimal::Decimal>();
                let (left, right) = (out.total_excluded + sum, out.total_included);
                if global {
                    // Unrounded amounts carry 28 significant digits: summed in another order
                    // they may differ in the last one (e.g. 4614919.6039603960396039603964
                    // against …961), never more.
                    let tolerance = right.abs() * rust_decimal::Decimal::new(1, 25)
                        + rust_decimal::Decimal::new(1, 25);
                    prop_assert!((left - right).abs() <= tolerance, "{} vs {}", left, right);
                } else {
                    prop_assert_eq!(left, right);
                }
            }
        }

        /// Percent taxes in the price give back the net they were added to, within a minor unit
        /// per tax.
        #[test]
        fn included_percent_taxes_give_back_the_net(
            net in 1i64..100_000_000,
            rates in proptest::collection::vec(0u32..30, 1..4),
        ) {
            let taxes = |incl: bool| -> Vec<Value> {
                rates.iter().map(|r| json!({"name": "T", "amount": r.to_string(), "price_include": incl})).collect()
            };
            let net = rust_decimal::Decimal::new(net, 2);
            let out = run(json!({"price_unit": net.to_string(), "quantity": "1", "currency": "USD", "taxes": taxes(false)}));
            let back = run(json!({"price_unit": out.total_included.to_string(), "quantity": "1", "currency": "USD", "taxes": taxes(true)}));
            let diff = (back.total_excluded - net).abs();
            prop_assert!(diff <= rust_decimal::Decimal::new(rates.len() as i64, 2), "{} vs {}", back.total_excluded, net);
        }
    }
}

mod documents {
    use super::*;
    use apotheca_billing_rules::{TaxDocument, TaxDocumentRequest, compute_document};

    fn doc(req: Value) -> TaxDocument {
        let r: TaxDocumentRequest = serde_json::from_value(req).unwrap();
        compute_document(&r).unwrap()
    }

    fn three_lines(rounding: &str) -> Value {
        let l = json!({"price_unit": "1.00", "quantity": "1", "taxes": [{"name": "VAT", "amount": "7.5"}]});
        json!({"currency": "USD", "rounding_method": rounding, "lines": [l, l, l],
            "company": {"currency": "EUR", "rate": "0.9"}})
    }

    #[test]
    fn global_rounding_rounds_each_tax_once_and_spreads_it_back() {
        // 7.5 % of 1.00 = 0.075 per line: per line 0.08 × 3 = 0.24; globally 0.225 → 0.23,
        // the unit taken back from the first of the lines rounded up by as much (line 1).
        let d = doc(three_lines("per_line"));
        assert_eq!(d.totals.total_tax.to_string(), "0.24");
        let d = doc(three_lines("global"));
        assert_eq!(d.totals.total_tax.to_string(), "0.23");
        let per_line: Vec<String> = d
            .lines
            .iter()
            .map(|l| l.taxes[0].amount.to_string())
            .collect();
        assert_eq!(per_line, ["0.07", "0.08", "0.08"]);
        assert_eq!(d.lines[0].total_included.to_string(), "1.07");
        assert_eq!(d.totals.total_included.to_string(), "3.23");
    }

    #[test]
    fn company_totals_per_line_or_once() {
        // At 0.9 USD per EUR. Per line: base 1.00 / 0.9 = 1.11, tax 0.08 / 0.9 = 0.0889 →
        // 0.09, three times: 3.33, 0.27, 3.60. Globally: 3.00 / 0.9 = 3.33, 0.225 / 0.9 = 0.25,
        // 3.58.
        let c = doc(three_lines("per_line")).company.unwrap();
        let got = |c: &apotheca_billing_rules::DocumentTotals| {
            (
                c.total_excluded.to_string(),
                c.total_tax.to_string(),
                c.total_included.to_string(),
            )
        };
        assert_eq!(got(&c), ("3.33".into(), "0.27".into(), "3.60".into()));
        let c = doc(three_lines("global")).company.unwrap();
        assert_eq!(got(&c), ("3.33".into(), "0.25".into(), "3.58".into()));
        assert_eq!(c.taxes[0].base.to_string(), "3.33");
    }

    #[test]
    fn cash_rounding_as_a_line_or_into_the_biggest_tax() {
        // 10.13 + VAT 7.7 % (0.78001 → 0.78) + fee 1 % (0.1013 → 0.10) = 11.01 → to 0.05:
        // 11.00, a −0.01 difference.
        let d = |strategy: &str| {
            doc(
                json!({"currency": "CHF", "cash_rounding": {"increment": "0.05", "strategy": strategy},
                "lines": [{"price_unit": "10.13", "quantity": "1", "taxes": [
                    {"name": "VAT", "amount": "7.7"}, {"name": "Fee", "amount": "1"}]}]}),
            )
        };
        let t = d("add_line").totals;
        assert_eq!(
            (t.rounding.to_string(), t.total_payable.to_string()),
            ("-0.01".into(), "11.00".into())
        );
        assert_eq!(t.total_included.to_string(), "11.01");
        // Into the biggest tax (VAT 0.78 → 0.77): no rounding line.
        let t = d("biggest_tax").totals;
        assert_eq!(t.rounding.to_string(), "0.00");
        assert_eq!(t.taxes[0].amount.to_string(), "0.77");
        assert_eq!(
            (t.total_tax.to_string(), t.total_included.to_string()),
            ("0.87".into(), "11.00".into())
        );
    }

    #[test]
    fn a_bad_line_is_named() {
        let r: TaxDocumentRequest = serde_json::from_value(json!({"currency": "EUR", "lines": [
            {"price_unit": "1", "quantity": "1"},
            {"price_unit": "1", "quantity": "1", "taxes": [{"name": "X", "amount": "5", "row": 1}]}]})).unwrap();
        let e = compute_document(&r).unwrap_err().to_string();
        assert!(e.contains("lines[1].taxes[0].row"), "{e}");
    }
}

mod document_discounts {
    use super::*;
    use apotheca_billing_rules::{TaxDocument, TaxDocumentRequest, compute_document};

    fn doc(req: Value) -> TaxDocument {
        let r: TaxDocumentRequest = serde_json::from_value(req).unwrap();
        compute_document(&r).unwrap()
    }

    fn two(discount: Value) -> Value {
        json!({"currency": "EUR", "discount": discount, "lines": [
            {"price_unit": "100", "quantity": "1", "taxes": [{"name": "VAT10", "amount": "10"}]},
            {"price_unit": "300", "quantity": "1", "taxes": [{"name": "VAT20", "amount": "20"}]}]})
    }

    fn sums(d: &TaxDocument) -> (String, String, String) {
        let t = &d.totals;
        (
            t.total_excluded.to_string(),
            t.total_tax.to_string(),
            t.total_included.to_string(),
        )
    }

    fn s3(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn a_discount_on_the_net_total_lowers_each_net_by_its_share() {
        // 40 over nets 100 : 300 → 10 and 30; nets 90 and 270; VAT 9.00 and 54.00.
        let d = doc(two(json!({"amount": "40"})));
        assert_eq!(sums(&d), s3("360.00", "63.00", "423.00"));
        assert_eq!(d.totals.discount.to_string(), "40.00");
    }

    #[test]
    fn a_discount_on_the_grand_total_lowers_the_grand_total_by_it() {
        // 10 % of the grand total 470 = 47; the nets fall by 47 × 400 / 470 = 40: 423.00.
        let d = doc(two(json!({"apply_on": "grand_total", "percent": "10"})));
        assert_eq!(sums(&d), s3("360.00", "63.00", "423.00"));
        // 50: the nets fall by 50 × 400 / 470 = 42.553… → 42.55 (10.64 + 31.91); VAT 8.94
        // and 53.62 make 420.01; the cent left goes to the last tax: 53.61, total 420.00.
        let d = doc(two(json!({"apply_on": "grand_total", "amount": "50"})));
        assert_eq!(sums(&d), s3("357.45", "62.55", "420.00"));
        assert_eq!(d.lines[1].taxes[0].amount.to_string(), "53.61");
    }

    #[test]
    fn a_discount_over_a_tax_included_line_is_taken_from_its_net() {
        // 118 holds GST 18 %: net 100; a 10 discount on the net leaves 90, GST 16.20.
        let d = doc(
            json!({"currency": "INR", "discount": {"amount": "10"}, "lines": [
            {"price_unit": "118", "quantity": "1", "taxes": [{"name": "GST", "amount": "18", "price_include": true}]}]}),
        );
        assert_eq!(sums(&d), s3("90.00", "16.20", "106.20"));
    }

    #[test]
    fn freight_becomes_part_of_each_items_taxable_value() {
        // 200 over 1000 : 3000 → 50 and 150; 5 % of 1050 = 26.25 + 26.25; 12 % of 3150 = 189 +
        // 189.
        let gst = |r: &str| json!([{"name": "CGST", "amount": r}, {"name": "SGST", "amount": r}]);
        let d = doc(
            json!({"currency": "INR", "charges_in_value": [{"name": "Freight", "amount": "200"}],
            "lines": [{"price_unit": "1000", "quantity": "1", "taxes": gst("2.5")},
                      {"price_unit": "3000", "quantity": "1", "taxes": gst("6")}]}),
        );
        assert_eq!(sums(&d), s3("4200.00", "430.50", "4630.50"));
        assert_eq!(d.lines[0].taxes[0].base.to_string(), "1050.00");
    }

    #[test]
    fn a_cash_discount_comes_off_what_is_paid_not_the_taxes() {
        let d = doc(
            json!({"currency": "EUR", "cash_discount": "2.20", "lines": [
            {"price_unit": "100", "quantity": "1", "taxes": [{"name": "VAT", "amount": "10"}]}]}),
        );
        assert_eq!(sums(&d), s3("100.00", "10.00", "110.00"));
        assert_eq!(d.totals.total_payable.to_string(), "107.80");
    }

    #[test]
    fn a_discount_needs_one_of_amount_and_percent_and_no_more_than_the_total() {
        for discount in [
            json!({}),
            json!({"amount": "1", "percent": "1"}),
            json!({"amount": "401"}),
        ] {
            let r: TaxDocumentRequest = serde_json::from_value(two(discount)).unwrap();
            assert!(compute_document(&r).is_err());
        }
    }
}

/// The dated rules' components expressed as single-line taxes price a line exactly as the
/// invoice pricing does (per line, half-up): GST inside or outside the price, intra- and
/// inter-state, VAT, US sales tax, fixed levies and compound taxes.
mod rules_as_data {
    use super::*;
    use apotheca_billing_rules::{InvoiceRequest, Supply, TaxRules};
    use proptest::prelude::*;

    fn rule() -> impl Strategy<Value = Value> {
        let component = (0..3usize, 0u32..2000, any::<bool>()).prop_map(|(kind, r, compound)| {
            let kind = ["percent", "fixed", "gst"][kind];
            let rate = rust_decimal::Decimal::new(i64::from(r), 2).to_string();
            json!({"name": format!("T{r}"), "kind": kind, "rate": rate,
                   "compound": compound && kind == "percent"})
        });
        proptest::collection::vec(component, 1..4).prop_map(|mut cs| {
            // At most one GST component, as the rules require.
            let mut gst = false;
            cs.retain(|c| !(c["kind"] == "gst" && std::mem::replace(&mut gst, true)));
            json!({"rules": [{"category": "c", "effective_from": "2020-01-01", "components": cs}]})
        })
    }

    proptest! {
        #[test]
        fn a_rule_as_line_taxes_prices_a_line_as_the_invoice_does(
            rules in rule(),
            cents in 1i64..10_000_000,
            qty in 1i64..50,
            incl in any::<bool>(),
            inter in any::<bool>(),
        ) {
            let r = TaxRules::from_json(&rules.to_string()).unwrap();
            let price = rust_decimal::Decimal::new(cents, 2);
            let inv: InvoiceRequest = serde_json::from_value(json!({
                "date": "2026-01-01", "currency": "INR", "seller_region": "KA",
                "place_of_supply": if inter { "MH" } else { "KA" },
                "lines": [{"product": "P", "qty": qty, "unit_price": price.to_string(),
                           "price_includes_tax": incl, "tax_category": "c"}]})).unwrap();
            let Ok(priced) = r.price(&inv) else { return Ok(()) };
            let supply = if inter { Supply::InterState } else { Supply::IntraState };
            let taxes = r.rule_set().rules[0].line_taxes(supply, incl);
            let compound_incl = incl && taxes.iter().any(|t| t.is_base_affected);
            let line = run(json!({"price_unit": price.to_string(), "quantity": qty.to_string(),
                "currency": "INR", "taxes": taxes}));
            let l = &priced.lines[0];
            // The fixed taxes come first in the general model: compare as sorted (name, amount).
            let mut want: Vec<(String, String)> =
                l.taxes.iter().map(|t| (t.name.to_string(), t.amount.to_string())).collect();
            let mut got: Vec<(String, String)> =
                line.taxes.iter().map(|t| (t.name.clone(), t.amount.to_string())).collect();
            want.sort();
            got.sort();
            // A compound tax inside the price is not compared: the invoice solves the net once
            // and rounds each head on it, while the general model extracts included batches last
            // to first, so a plain tax listed after a compound one is taken from a price that
            // still holds the taxes before it (Odoo's behaviour). billing-rules/README says so.
            if !compound_incl {
                prop_assert_eq!(want, got);
                prop_assert_eq!(l.taxable, line.total_excluded);
                prop_assert_eq!(l.total, line.total_included);
            }
        }
    }
}

mod document_bounds {
    use super::*;
    use apotheca_billing_rules::{TaxDocumentRequest, compute_document};
    use proptest::prelude::*;

    proptest! {
        /// Any document of bounded lines is computed or refused, never a panic (a panic is a
        /// trap in WebAssembly): huge prices and quantities, tiny company rates, discounts on
        /// nets that nearly cancel.
        #[test]
        fn any_document_computes_or_is_refused(
            lines in proptest::collection::vec(
                (
                    prop_oneof![-1_000_000_000_000i64..1_000_000_000_000, -10_000i64..10_000],
                    prop_oneof![-1_000_000_000i64..1_000_000_000, -100i64..100],
                    0u32..1000,
                ),
                1..5,
            ),
            rate in prop::sample::select(vec!["0.0000000001", "1", "1000000"]),
            global in any::<bool>(),
            grand in any::<bool>(),
        ) {
            let lines: Vec<Value> = lines.iter().map(|(p, q, r)| json!({
                "price_unit": p.to_string(), "quantity": q.to_string(),
                "taxes": [{"name": "T", "amount": r.to_string(), "include_base_amount": true}, {"name": "U", "amount": "1000"}]})).collect();
            let req = json!({"currency": "USD", "lines": lines,
                "rounding_method": if global { "global" } else { "per_line" },
                "company": {"currency": "EUR", "rate": rate},
                "discount": {"apply_on": if grand { "grand_total" } else { "net_total" }, "amount": "0.01"},
                "charges_in_value": [{"name": "F", "amount": "1"}],
                "cash_rounding": {"increment": "0.05", "strategy": "biggest_tax"}});
            let r: TaxDocumentRequest = serde_json::from_value(req).unwrap();
            let _ = compute_document(&r);
        }
    }
}
