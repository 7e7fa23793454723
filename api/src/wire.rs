//! How values cross a language boundary, decided once for every binding.
//!
//! - JSON-shaped values: decimals are canonical strings (`"63.00"`), dates `"YYYY-MM-DD"`.
//! - JavaScript (Node and WASM) uses camelCase keys; Rust, Python and JSON use snake_case.
//!   [`to_camel`] / [`to_snake`] convert object keys, leaving values (ids, codes) untouched.
//! - Bindings that have native decimal and date types (Python) convert the fields named in
//!   [`DECIMAL_FIELDS`] and [`DATE_FIELDS`]; a test keeps these lists complete.

use serde_json::{Map, Value};

/// Keys whose values are decimal strings in every DTO the facade returns.
pub const DECIMAL_FIELDS: &[&str] = &[
    "unit_cost",
    "mrp",
    "cost_fifo",
    "cost_moving_average",
    "fifo_value",
    "moving_average_unit_cost",
    "moving_average_value",
    "total_fifo",
    "total_moving_average",
    // billing
    "rate",
    "amount",
    "unit_price",
    "gross",
    "discount",
    "invoice_discount",
    "taxable",
    "tax",
    "total",
    "line_discounts",
    "charges_total",
    "total_before_round_off",
    "round_off",
    "grand_total",
    "payable",
    "increment",
    "patient",
    "claim",
    "deductible_applied",
    "due",
    "paid",
    "balance_due",
    "change",
    "discounts",
    "sales",
    "returns",
    "net",
    "claims",
];

/// Keys whose values are `YYYY-MM-DD` dates in every DTO the facade returns.
pub const DATE_FIELDS: &[&str] = &[
    "date",
    "expiry",
    "manufactured",
    "on",
    "effective_from",
    "effective_to",
    // forecasting (long format)
    "ds",
];

/// Whether a snake_case key holds a decimal.
pub fn is_decimal_field(key: &str) -> bool {
    DECIMAL_FIELDS.contains(&key)
}

/// Whether a snake_case key holds a date.
pub fn is_date_field(key: &str) -> bool {
    DATE_FIELDS.contains(&key)
}

/// `cost_fifo` → `costFifo`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `costFifo` → `cost_fifo`.
pub fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn map_keys(v: Value, f: &impl Fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (f(&k), map_keys(v, f)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| map_keys(v, f)).collect()),
        other => other,
    }
}

/// Converts every object key to camelCase (for JavaScript).
pub fn to_camel(v: Value) -> Value {
    map_keys(v, &camel)
}

/// Converts every object key to snake_case (from JavaScript).
pub fn to_snake(v: Value) -> Value {
    map_keys(v, &snake)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_between_cases() {
        for k in [
            "cost_fifo",
            "moving_average_unit_cost",
            "qty",
            "on_hand_after",
            "min_shelf_life_days",
        ] {
            assert_eq!(snake(&camel(k)), k);
        }
        assert_eq!(camel("on_hand_after"), "onHandAfter");
        let v = serde_json::json!({"lines": [{"on_hand": 1, "batch": "B_1"}]});
        assert_eq!(
            to_camel(v.clone()),
            serde_json::json!({"lines": [{"onHand": 1, "batch": "B_1"}]})
        );
        assert_eq!(to_snake(to_camel(v.clone())), v);
    }
}
