//! The generated shapes (`api/src/shapes.rs`) say where every output holds money and dates:
//! checked against real outputs, value by value.
#![allow(clippy::unwrap_used, missing_docs)]
use apotheca::shape::{Shape, Shaped};
use apotheca::*;
use serde::Serialize;
use serde_json::Value;

fn looks(s: &str) -> (bool, bool) {
    let date = s.len() == 10 && s.parse::<chrono::NaiveDate>().is_ok();
    let decimal = s.contains('.') && s.parse::<rust_decimal::Decimal>().is_ok();
    (decimal, date)
}

/// Every string that looks like money or a date sits where the shape says one is, and back.
fn walk(v: &Value, shape: Shape, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| walk(v, shape.field(k), &format!("{path}.{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| walk(v, shape.item(i), &format!("{path}[{i}]"), out)),
        Value::String(s) => {
            let (decimal, date) = looks(s);
            let (is_decimal, is_date) = (
                matches!(shape, Shape::Decimal),
                matches!(shape, Shape::Date),
            );
            if date != is_date {
                out.push(format!("{path} = {s:?}: date, shape says {shape:?}"));
            }
            if decimal && !is_decimal {
                out.push(format!("{path} = {s:?}: a decimal the shape does not know"));
            }
            if is_decimal && s.parse::<rust_decimal::Decimal>().is_err() {
                out.push(format!(
                    "{path} = {s:?}: shaped as a decimal but is not one"
                ));
            }
        }
        Value::Null => {}
        _ => {
            if matches!(shape, Shape::Decimal | Shape::Date) {
                out.push(format!(
                    "{path} = {v}: shaped as {shape:?} but not a string"
                ));
            }
        }
    }
}

fn check<T: Serialize + Shaped>(value: T, out: &mut Vec<String>) -> Value {
    let v = serde_json::to_value(value).unwrap();
    walk(&v, T::shape(), std::any::type_name::<T>(), out);
    v
}

/// Case results whose type the case does not name: every money or date key is one that some
/// output's shape holds.
fn walk_keys(v: &Value, key: &str, keys: &(Vec<&str>, Vec<&str>), out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| walk_keys(v, k, keys, out)),
        Value::Array(a) => a.iter().for_each(|v| walk_keys(v, key, keys, out)),
        Value::String(s) => {
            let (decimal, date) = looks(s);
            if decimal && !keys.0.contains(&key) {
                out.push(format!("{key} = {s:?}: decimal in no shape"));
            }
            if date && !keys.1.contains(&key) {
                out.push(format!("{key} = {s:?}: date in no shape"));
            }
        }
        _ => {}
    }
}

#[test]
fn ledger_outputs_match_their_shapes() {
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
    let mut problems = Vec::new();
    check(ledger.dispense(rx).unwrap(), &mut problems);
    check(ledger.stock(&all).unwrap(), &mut problems);
    check(
        ledger.stock_as_of(d("2026-12-31"), &all).unwrap(),
        &mut problems,
    );
    check(ledger.stock_card(&amox).unwrap(), &mut problems);
    check(
        ledger
            .expiry_buckets(d("2026-02-01"), &[30, 60, 90], None)
            .unwrap(),
        &mut problems,
    );
    check(ledger.valuation(None).unwrap(), &mut problems);
    check(
        ledger
            .trace_batch(
                &ProductId::new("AMOX500").unwrap(),
                &BatchNo::new("A-MID").unwrap(),
            )
            .unwrap(),
        &mut problems,
    );
    check(ledger.events().unwrap(), &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Billing, interaction and forecasting outputs: every conformance case's result, plus the rule set as loaded.
#[test]
fn billing_interaction_and_forecast_outputs_match_the_shapes() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance");
    let mut problems = Vec::new();
    let mut seen = 0;
    let keys = apotheca::shape::special_keys();
    let files = ["billing", "interactions", "forecasting"]
        .iter()
        .flat_map(|d| std::fs::read_dir(format!("{root}/{d}")).unwrap());
    for entry in files {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if let Some(expect) = case.get("expect") {
            walk_keys(expect, "", &keys, &mut problems);
            seen += 1;
        }
    }
    let billing =
        Billing::from_json(include_str!("../../billing-rules/data/sample-rules.json")).unwrap();
    check(billing.rules(), &mut problems);
    assert!(
        seen >= 60,
        "only {seen} billing and interaction cases with results"
    );
    assert!(problems.is_empty(), "{problems:#?}");
}
