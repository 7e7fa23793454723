//! `@apotheca/wasm`: the apotheca facade for browsers (and Node) through wasm-bindgen.
//! The same values as `@apotheca/node`: camelCase keys, decimals and dates as strings, errors
//! as `Error` objects named `ApothecaError` with a stable `code`. TypeScript types for every
//! value come from `bindings-node/types.d.ts`, shared by both packages.
#![allow(missing_docs)] // documented in the generated .d.ts, which JS tools read

#[cfg(feature = "billing")]
mod billing;
mod conv;
#[cfg(feature = "forecasting")]
pub mod forecasting;
#[cfg(feature = "interactions")]
mod interactions;
mod ledger;

use wasm_bindgen::prelude::*;

#[cfg(feature = "billing")]
pub use billing::WasmBilling;
#[cfg(feature = "interactions")]
pub use interactions::WasmInteractions;
pub use ledger::WasmLedger;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../../bindings-node/types.d.ts");

/// Reads an expiry label as printed on a pack: `"EXP 06/2027"` → `"2027-06-30"`.
#[wasm_bindgen(js_name = parseExpiry, unchecked_return_type = "IsoDate")]
pub fn parse_expiry(label: JsValue) -> Result<JsValue, JsValue> {
    conv::out(conv::param::<String>("label", label).and_then(|l| apotheca::parse_expiry(&l)))
}

/// The version of the apotheca core this module was built from.
#[wasm_bindgen]
pub fn version() -> String {
    apotheca::version().to_string()
}

/// The optional features of this build (`toml`, `parallel`, `regression`): WebAssembly has none.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn features() -> Vec<String> {
    apotheca::features().into_iter().map(String::from).collect()
}

/// The capabilities of this build: `ledger` always, and `billing`, `interactions`,
/// `forecasting` where it has them (`@apotheca/wasm` has all; `@apotheca/wasm/ledger`,
/// `/billing`, `/interactions`, `/forecasting` and `/counter` each the ones they are named for).
#[wasm_bindgen(
    unchecked_return_type = "Array<'ledger' | 'billing' | 'interactions' | 'forecasting'>"
)]
pub fn capabilities() -> Vec<String> {
    [
        Some("ledger"),
        cfg!(feature = "billing").then_some("billing"),
        cfg!(feature = "interactions").then_some("interactions"),
        cfg!(feature = "forecasting").then_some("forecasting"),
    ]
    .into_iter()
    .flatten()
    .map(String::from)
    .collect()
}

/// Every error code, as listed in conformance/error-codes.json.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Result<JsValue, JsValue> {
    conv::out(Ok(apotheca::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()))
}

/// Test builds only: panics inside the facade. Under WebAssembly a panic aborts the module: the
/// caller sees a thrown `RuntimeError` (never a crashed page), and the instance must be reloaded.
#[cfg(feature = "test-panic")]
#[wasm_bindgen(js_name = panicForTests, skip_typescript)]
pub fn panic_for_tests() -> Result<JsValue, JsValue> {
    conv::out(apotheca::panic_for_tests())
}
