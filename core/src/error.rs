//! The one error type of the stock ledger and FEFO allocation. Every variant names the value
//! that was wrong, so a message can be shown to a pharmacist as it is.

use chrono::NaiveDate;
use thiserror::Error;

use crate::Qty;
use crate::batch::BatchStatus;
use crate::ids::{BatchNo, LocationId, ProductId};

/// What went wrong in the ledger. A failed call leaves the ledger unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    /// A quantity was zero, negative or absurdly large.
    #[error("invalid quantity {qty} for {context}: quantities are positive whole base units")]
    InvalidQuantity {
        /// The quantity given.
        qty: Qty,
        /// Where it was given.
        context: String,
    },
    /// A field failed validation (empty id, zero pack size, ...).
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field that was wrong.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// An expiry label or date could not be read.
    #[error("cannot read expiry date {input:?}: {reason}")]
    InvalidDate {
        /// The text as given.
        input: String,
        /// What was expected.
        reason: String,
    },
    /// The product is not in the catalog.
    #[error("unknown product {0}")]
    UnknownProduct(ProductId),
    /// The location is not registered.
    #[error("unknown location {0}")]
    UnknownLocation(LocationId),
    /// The batch is not registered for that product.
    #[error("unknown batch {batch} of {product}")]
    UnknownBatch {
        /// The product.
        product: ProductId,
        /// The batch number.
        batch: BatchNo,
    },
    /// The same id was registered twice with different data.
    #[error("{what} {id} is already registered with different data")]
    AlreadyRegistered {
        /// "product", "batch" or "location".
        what: &'static str,
        /// The id.
        id: String,
    },
    /// Not enough available stock for an outgoing movement or allocation.
    #[error(
        "insufficient stock of {product}{} at {location}: requested {requested}, available {available}",
        batch.as_ref().map(|b| format!(" batch {b}")).unwrap_or_default()
    )]
    InsufficientStock {
        /// The product.
        product: ProductId,
        /// The batch, where the movement named one.
        batch: Option<BatchNo>,
        /// The location.
        location: LocationId,
        /// How much was asked for.
        requested: Qty,
        /// How much could be taken.
        available: Qty,
    },
    /// A dispense named a batch that is past its expiry date at the document date.
    #[error("batch {batch} of {product} expired on {expiry} ({action} date {date})")]
    BatchExpired {
        /// The product.
        product: ProductId,
        /// The batch number.
        batch: BatchNo,
        /// Its expiry date (the last day it may be used).
        expiry: NaiveDate,
        /// The document date of the movement.
        date: NaiveDate,
        /// What was attempted: "dispense", "receipt", "reservation".
        action: &'static str,
    },
    /// A movement needs a released batch and this one is quarantined or recalled.
    #[error("batch {batch} of {product} is {status} and cannot be {action}")]
    BatchBlocked {
        /// The product.
        product: ProductId,
        /// The batch number.
        batch: BatchNo,
        /// Its status.
        status: BatchStatus,
        /// What was attempted.
        action: &'static str,
    },
    /// A transfer named the same location as source and destination.
    #[error("transfer {transfer} goes from {location} to itself")]
    SameLocationTransfer {
        /// The transfer id.
        transfer: String,
        /// The location.
        location: LocationId,
    },
    /// A transfer id was reused, or a receipt names an unknown or mismatched transfer.
    #[error("transfer {transfer}: {reason}")]
    TransferMismatch {
        /// The transfer id.
        transfer: String,
        /// What did not match.
        reason: String,
    },
    /// A reservation release or a dispense against a reservation does not match what was reserved.
    #[error("reservation {reservation}: {reason}")]
    ReservationMismatch {
        /// The reservation id.
        reservation: String,
        /// What did not match.
        reason: String,
    },
    /// The idempotency key was used before with a different payload.
    #[error("idempotency key {key:?} was already used for a different posting")]
    IdempotencyConflict {
        /// The key.
        key: String,
    },
    /// An event of a schema version this build cannot read.
    #[error("event schema version {found} is not supported (this build reads up to {supported})")]
    UnsupportedSchema {
        /// The version found.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// An amount or quantity beyond what the ledger computes with exactly (see
    /// [`crate::MAX_AMOUNT`] and [`crate::MAX_QTY`]); refused before anything changes.
    #[error("{field}: {reason}")]
    AmountOutOfRange {
        /// Where: `lines[2].unit_cost`, or the total that would overflow.
        field: String,
        /// The bound and the value.
        reason: String,
    },
    /// An event log that does not replay (out of sequence, or a posting that fails).
    #[error("event log does not replay at sequence {seq}: {reason}")]
    CorruptLog {
        /// The sequence number of the event.
        seq: u64,
        /// Why.
        reason: String,
    },
}

/// Result alias for the ledger.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
