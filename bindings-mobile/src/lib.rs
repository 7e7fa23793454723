//! apotheca for Android, iOS and React Native, through UniFFI 0.31.
//!
//! The facade's own types cross the boundary as records and enums (declared here as UniFFI
//! *remote* types, which mirror their definitions in `apotheca-core` without copying them);
//! ids are strings, money is a decimal string mapped to `java.math.BigDecimal` / `Decimal`,
//! dates are ISO strings mapped to `java.time.LocalDate` / `DateComponents` (see `uniffi.toml`).
//! Errors are one enum, `ApothecaError` (`ApothecaException` in Kotlin), a variant per code with
//! its `reason` and `details`.
// The remote declarations mirror documented types in apotheca-core.
#![allow(missing_docs)]
// `ApothecaError` carries its `ErrorDetails` by value: UniFFI lifts error fields as records, and a
// `Box` would not cross. The size only matters on the error path.
#![allow(clippy::result_large_err)]

mod billing;
mod billing_types;
mod error;
mod forecast_types;
mod forecasting;
mod interaction_types;
mod interactions;
mod ledger;
mod types;

pub use billing::Billing;
pub use error::ApothecaError;
pub use interactions::Interactions;
pub use ledger::Ledger;

uniffi::setup_scaffolding!("apotheca");

/// Reads an expiry label as printed on a pack: `"EXP 06/2027"` → 2027-06-30.
#[uniffi::export]
pub fn parse_expiry(label: String) -> Result<chrono::NaiveDate, ApothecaError> {
    Ok(apotheca::parse_expiry(&label)?)
}

/// The version of the apotheca core in this library.
#[uniffi::export]
pub fn version() -> String {
    apotheca::version().to_string()
}

/// Every error code, as listed in conformance/error-codes.json.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    apotheca::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Test builds only: a deliberate panic inside the engine, which must arrive as an exception.
#[cfg(feature = "test-panic")]
#[uniffi::export]
pub fn panic_for_tests() -> Result<(), ApothecaError> {
    Ok(apotheca::panic_for_tests()?)
}
