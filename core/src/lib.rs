#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod batch;
pub mod dates;
pub mod error;
pub mod fefo;
mod hash;
pub mod ids;
mod journal;
pub mod ledger;
pub mod movement;
pub mod product;
pub mod query;
pub mod shared;
pub mod snapshot;
pub mod strict;

/// A quantity in a product's base unit (tablets, ml). Always whole; signed so that arithmetic
/// on differences is safe, but every movement quantity must be positive.
pub type Qty = i64;

/// The largest quantity one line may move, and the most one product may hold at one location
/// (all its batches together).
pub const MAX_QTY: Qty = 1_000_000_000_000;

/// The largest unit cost or MRP (per base unit) the ledger accepts: 10^12 in any currency.
///
/// With [`MAX_QTY`] this bounds every value the ledger computes — a layer's cost, a cell's
/// FIFO value, a moving average's numerator — at about 2 × 10^24, well inside `Decimal`'s
/// 7.9 × 10^28, so applying a checked posting can never overflow.
pub const MAX_AMOUNT: rust_decimal::Decimal = rust_decimal::Decimal::from_parts(
    3_567_587_328, // 10^12 = 232 × 2^32 + 3_567_587_328
    232,
    0,
    false,
    0,
);

/// The most lines one posting may have.
pub const MAX_LINES: usize = 10_000;

pub use batch::{Batch, BatchStatus, Location, LotDates, MAX_VVM_LEVEL, VvmStatus};
pub use dates::{is_expired, parse_expiry, remaining_shelf_life_days};
pub use error::{CoreError, Result};
pub use fefo::{
    Allocation, AllocationPolicy, AllocationRequest, DispenseRequest, PackRounding, Pick,
    PickReason, SkipReason, Skipped, WholePacks,
};
pub use ids::{BatchNo, LocationId, ProductId, Text};
pub use ledger::{Event, EventEnvelope, Ledger, SCHEMA_VERSION};
pub use movement::{
    AdjustReason, Line, LineOutcome, Movement, MovementKind, Posting, PostingResult, StatusChange,
};
pub use product::{DosageForm, Ingredient, Product, Schedule, ShelfLife, StorageClass};
pub use query::{
    AsOfRow, BatchTrace, CostLayer, DocumentLine, ExpiryBucket, ExpiryRow, LotAlert, LotAlerts,
    MovementEntry, StockFilter, StockRow, StockTotals, Valuation, ValuationRow, document_lines,
};
pub use shared::SharedLedger;
