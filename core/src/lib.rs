#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod batch;
pub mod dates;
pub mod error;
pub mod fefo;
mod hash;
pub mod ids;
pub mod ledger;
pub mod movement;
pub mod product;
pub mod query;
pub mod shared;

/// A quantity in a product's base unit (tablets, ml). Always whole; signed so that arithmetic
/// on differences is safe, but every movement quantity must be positive.
pub type Qty = i64;

/// The largest quantity one line may move, and the most one batch may hold at one location.
pub const MAX_QTY: Qty = 1_000_000_000_000;

/// The most lines one posting may have.
pub const MAX_LINES: usize = 10_000;

pub use batch::{Batch, BatchStatus, Location};
pub use dates::{is_expired, parse_expiry, remaining_shelf_life_days};
pub use error::{CoreError, Result};
pub use fefo::{
    Allocation, AllocationPolicy, AllocationRequest, DispenseRequest, Pick, PickReason, SkipReason,
    Skipped,
};
pub use ids::{BatchNo, LocationId, ProductId};
pub use ledger::{Event, EventEnvelope, Ledger, SCHEMA_VERSION};
pub use movement::{
    AdjustReason, Line, LineOutcome, Movement, MovementKind, Posting, PostingResult, StatusChange,
};
pub use product::{DosageForm, Ingredient, Product, Schedule, StorageClass};
pub use query::{
    AsOfRow, BatchTrace, CostLayer, ExpiryBucket, ExpiryRow, MovementEntry, StockFilter, StockRow,
    StockTotals, Valuation, ValuationRow,
};
pub use shared::SharedLedger;
