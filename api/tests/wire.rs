//! The decimal and date field lists in `apotheca::wire` cover every field of every output.
#![allow(clippy::unwrap_used, missing_docs)]
use apotheca::wire::{is_date_field, is_decimal_field};
use apotheca::*;
use serde_json::Value;

fn walk(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, k, out)),
        Value::Array(a) => a.iter().for_each(|v| walk(v, key, out)),
        Value::String(s) => {
            let looks_date = s.len() == 10 && s.parse::<chrono::NaiveDate>().is_ok();
            let looks_decimal = s.contains('.') && s.parse::<rust_decimal::Decimal>().is_ok();
            if looks_date != is_date_field(key) {
                out.push(format!("{key} = {s:?}: DATE_FIELDS disagrees"));
            }
            if looks_decimal && !is_decimal_field(key) {
                out.push(format!("{key} = {s:?}: decimal not in DECIMAL_FIELDS"));
            }
            if is_decimal_field(key) && s.parse::<rust_decimal::Decimal>().is_err() {
                out.push(format!("{key} = {s:?}: listed as decimal but is not one"));
            }
        }
        Value::Null => {}
        _ => {
            if is_decimal_field(key) || is_date_field(key) {
                out.push(format!("{key} = {v}: listed field that is not a string"));
            }
        }
    }
}

#[test]
fn every_decimal_and_date_field_is_listed() {
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../conformance/ledger/query-010.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let setup = &case["input"]["setup"];
    let ledger = Ledger::new();
    ledger
        .load_catalog(&serde_json::from_value(setup["catalog"].clone()).unwrap())
        .unwrap();
    for p in setup["postings"].as_array().unwrap() {
        ledger
            .post(serde_json::from_value(p.clone()).unwrap())
            .unwrap();
    }
    let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    let rx: DispenseRequest = serde_json::from_value(serde_json::json!({"key": "rx", "date": "2026-04-15", "reference": "RX", "product": "AMOX500", "location": "S1", "qty": 50})).unwrap();
    let all = StockFilter::default();
    let amox = StockFilter {
        product: Some(ProductId::new("AMOX500").unwrap()),
        ..Default::default()
    };
    let outputs = vec![
        serde_json::to_value(ledger.dispense(rx).unwrap()).unwrap(),
        serde_json::to_value(ledger.stock(&all).unwrap()).unwrap(),
        serde_json::to_value(ledger.stock_as_of(d("2026-12-31"), &all).unwrap()).unwrap(),
        serde_json::to_value(ledger.stock_card(&amox).unwrap()).unwrap(),
        serde_json::to_value(
            ledger
                .expiry_buckets(d("2026-02-01"), &[30, 60, 90], None)
                .unwrap(),
        )
        .unwrap(),
        serde_json::to_value(ledger.valuation(None).unwrap()).unwrap(),
        serde_json::to_value(
            ledger
                .trace_batch(
                    &ProductId::new("AMOX500").unwrap(),
                    &BatchNo::new("A-MID").unwrap(),
                )
                .unwrap(),
        )
        .unwrap(),
        serde_json::to_value(ledger.events().unwrap()).unwrap(),
    ];
    let mut problems = Vec::new();
    for o in &outputs {
        walk(o, "", &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Billing, interaction and forecasting outputs: every conformance case's result, plus the rule set as loaded.
#[test]
fn every_billing_decimal_and_date_field_is_listed() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance");
    let mut problems = Vec::new();
    let mut seen = 0;
    let files = ["billing", "interactions", "forecasting"]
        .iter()
        .flat_map(|d| std::fs::read_dir(format!("{root}/{d}")).unwrap());
    for entry in files {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if let Some(expect) = case.get("expect") {
            walk(expect, "", &mut problems);
            seen += 1;
        }
    }
    let billing =
        Billing::from_json(include_str!("../../billing-rules/data/sample-rules.json")).unwrap();
    walk(
        &serde_json::to_value(billing.rules()).unwrap(),
        "",
        &mut problems,
    );
    assert!(
        seen >= 60,
        "only {seen} billing and interaction cases with results"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}
