//! `@apotheca/node`: the apotheca facade as a Node-API addon (napi-rs v3).
//! Values cross as plain JS objects with camelCase keys, decimals as strings and dates as
//! `YYYY-MM-DD` strings; every error is an `Error` named `ApothecaError` with a stable `code`.
#![allow(missing_docs)] // documented in index.d.ts / types.d.ts, which JS tools read

pub mod billing;
mod conv;
mod error;
pub mod forecasting;
pub mod frame;
pub mod interactions;
mod ledger;

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Reads an expiry label as printed on a pack: `"EXP 06/2027"` → `"2027-06-30"`.
#[napi(ts_args_type = "label: string", ts_return_type = "IsoDate")]
pub fn parse_expiry<'e>(env: &'e Env, label: Unknown<'_>) -> Result<Unknown<'e>> {
    conv::call(env, || {
        apotheca::parse_expiry(&conv::param::<String>(env, "label", label)?)
    })
}

/// The version of the apotheca core this addon was built from.
#[napi]
pub fn version() -> String {
    apotheca::version().to_string()
}

/// The optional features of this build (`toml`, `parallel`, `regression`).
#[napi]
pub fn features() -> Vec<String> {
    apotheca::features().into_iter().map(String::from).collect()
}

/// Every error code, as listed in conformance/error-codes.json.
#[napi(ts_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<String> {
    apotheca::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Test builds only: panics inside the facade, to prove a panic arrives as an ApothecaError.
#[cfg(feature = "test-panic")]
#[napi(skip_typescript)]
pub fn panic_for_tests(env: &Env) -> Result<Unknown<'_>> {
    conv::call(env, apotheca::panic_for_tests)
}
