#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod billing;
pub mod error;
pub mod forecasting;
#[cfg(feature = "arrow")]
pub mod frame;
pub mod interactions;
pub mod ledger;
pub mod pool;
pub mod shape;
pub mod shapes;
pub mod wire;

pub use apotheca_billing_rules as billing_rules;
pub use apotheca_core as domain;
pub use apotheca_core::{
    AdjustReason, Allocation, AllocationPolicy, AllocationRequest, AsOfRow, Batch, BatchNo,
    BatchStatus, BatchTrace, CostLayer, DispenseRequest, DocumentLine, DosageForm, Event,
    EventEnvelope, ExpiryBucket, ExpiryRow, Ingredient, Line, LineOutcome, Location, LocationId,
    LotAlert, LotAlerts, LotDates, Movement, MovementEntry, PackRounding, Pick, PickReason,
    Posting, PostingResult, Product, ProductId, Qty, Schedule, ShelfLife, SkipReason, Skipped,
    StatusChange, StockFilter, StockRow, StockTotals, StorageClass, Valuation, ValuationRow,
    VvmStatus, WholePacks,
};
pub use apotheca_forecasting as forecasting_models;
pub use apotheca_interactions as interactions_kb;
pub use billing::Billing;
pub use chrono::NaiveDate;
pub use error::{ApiError, ApiResult, ErrorCode, ErrorDetails};
pub use interactions::Interactions;
pub use ledger::{Catalog, DispenseResult, Ledger};
pub use rust_decimal::Decimal;

/// Reads an expiry label as printed on a pack (`EXP 06/2027` → 2027-06-30).
/// See [`apotheca_core::dates::parse_expiry`] for the forms accepted.
pub fn parse_expiry(label: &str) -> ApiResult<chrono::NaiveDate> {
    apotheca_core::parse_expiry(label).map_err(|e| ApiError::from(e).at("label"))
}

/// Runs a facade operation so that a panic inside it (a bug) arrives as
/// `ApiError { code: INTERNAL }` instead of unwinding into a foreign runtime. Under
/// `panic = "abort"` (WebAssembly) there is nothing to catch: the host sees a trap instead.
pub fn guard<T>(f: impl FnOnce() -> ApiResult<T>) -> ApiResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(ApiError::new(
            ErrorCode::Internal,
            format!("internal error (a bug, please report it): {what}"),
        ))
    })
}

/// A deliberate panic inside the facade, for the bindings' tests that a panic arrives as an
/// error and never aborts the host process. Only built with the `test-panic` feature.
#[cfg(feature = "test-panic")]
pub fn panic_for_tests() -> ApiResult<()> {
    guard(|| panic!("deliberate panic for tests"))
}

/// The optional features this build has: `toml` (billing rules from TOML), `parallel`
/// (batches on threads), `regression` (the linfa lag regression). Conformance runners skip the
/// cases that `require` a feature the build lacks, and say so.
pub fn features() -> Vec<&'static str> {
    let mut out = Vec::new();
    if cfg!(feature = "toml") {
        out.push("toml");
    }
    if cfg!(feature = "parallel") {
        out.push("parallel");
    }
    if cfg!(feature = "regression") {
        out.push("regression");
    }
    out
}

/// The build's version, for support tickets and the bindings' `__version__`.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The workspace README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
