#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod error;
pub mod ledger;

pub use apotheca_core as domain;
pub use apotheca_core::{
    AdjustReason, Allocation, AllocationPolicy, AllocationRequest, AsOfRow, Batch, BatchNo,
    BatchStatus, BatchTrace, CostLayer, DispenseRequest, DosageForm, Event, EventEnvelope,
    ExpiryBucket, ExpiryRow, Ingredient, Line, LineOutcome, Location, LocationId, Movement,
    MovementEntry, Pick, PickReason, Posting, PostingResult, Product, ProductId, Qty, Schedule,
    SkipReason, Skipped, StatusChange, StockFilter, StockRow, StockTotals, StorageClass, Valuation,
    ValuationRow,
};
pub use error::{ApiError, ApiResult, ErrorCode};
pub use ledger::{Catalog, DispenseResult, Ledger};

/// Reads an expiry label as printed on a pack (`EXP 06/2027` → 2027-06-30).
/// See [`apotheca_core::dates::parse_expiry`] for the forms accepted.
pub fn parse_expiry(label: &str) -> ApiResult<chrono::NaiveDate> {
    Ok(apotheca_core::parse_expiry(label)?)
}

/// The build's version, for support tickets and the bindings' `__version__`.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The workspace README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
