//! `ErrorCode`: the stable codes every binding exposes, mapped once from every domain error.

use std::fmt;

use apotheca_billing_rules::BillingError;
use apotheca_core::CoreError;
use apotheca_forecasting::ForecastError;
use apotheca_interactions::InteractionError;
use serde::{Deserialize, Serialize};

/// A stable, language-independent error code (`INSUFFICIENT_STOCK`). Codes are added only where
/// a caller would act differently; the list is kept equal to `conformance/error-codes.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// A quantity was zero, negative or too large.
    InvalidQuantity,
    /// A field failed validation.
    InvalidInput,
    /// A date or expiry label could not be read or is out of range.
    InvalidDate,
    /// Input JSON that does not parse or does not fit the expected shape.
    MalformedInput,
    /// Unknown product id.
    UnknownProduct,
    /// Unknown location id.
    UnknownLocation,
    /// Unknown batch number for the product.
    UnknownBatch,
    /// An id registered again with different data.
    AlreadyRegistered,
    /// Not enough available stock.
    InsufficientStock,
    /// The batch is expired at the document date.
    BatchExpired,
    /// The batch is quarantined or recalled.
    BatchBlocked,
    /// A transfer to the location it comes from.
    SameLocationTransfer,
    /// A transfer id reused, unknown, or received at the wrong place.
    TransferMismatch,
    /// A reservation unknown, reused or over-drawn.
    ReservationMismatch,
    /// An idempotency key reused with a different payload.
    DuplicatePosting,
    /// An event of a newer schema than this build reads.
    UnsupportedSchema,
    /// An event log that does not replay.
    CorruptLog,
    /// A bug: an internal panic caught at the boundary.
    Internal,
    /// A line's tax category has no rule (at all, or in force on the invoice date).
    UnknownTaxCategory,
    /// A tax rule set that does not validate (overlapping dates, negative rates, bad format).
    InvalidTaxRules,
    /// A tax-inclusive unit price above the batch MRP.
    PriceAboveMrp,
    /// A discount larger than the amount it discounts.
    DiscountTooLarge,
    /// A credit note returning more units than are left to return.
    ReturnExceedsSold,
    /// More tendered than due, without the cash to give change from.
    Overpayment,
    /// An invoice number that does not fit its series or sequence.
    InvalidInvoiceNumber,
    /// An interaction knowledge base (JSON or CSV) that does not parse or validate.
    InvalidKnowledgeBase,
    /// A drug name or id the knowledge base does not know, where one is required.
    UnknownDrug,
    /// A series a model cannot use: negative values, too short, zeros for a multiplicative
    /// model.
    InvalidSeries,
    /// An amount or quantity beyond the documented bounds, or a total that would overflow.
    AmountOutOfRange,
    /// More items in one call than its documented limit (lines, drugs, series, points): split
    /// the request.
    LimitExceeded,
    /// The ledger's store could not be reached or could not commit: nothing changed. Retry the
    /// write with the same idempotency key once the store is back.
    StoreUnavailable,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 31] = [
        ErrorCode::InvalidQuantity,
        ErrorCode::InvalidInput,
        ErrorCode::InvalidDate,
        ErrorCode::MalformedInput,
        ErrorCode::UnknownProduct,
        ErrorCode::UnknownLocation,
        ErrorCode::UnknownBatch,
        ErrorCode::AlreadyRegistered,
        ErrorCode::InsufficientStock,
        ErrorCode::BatchExpired,
        ErrorCode::BatchBlocked,
        ErrorCode::SameLocationTransfer,
        ErrorCode::TransferMismatch,
        ErrorCode::ReservationMismatch,
        ErrorCode::DuplicatePosting,
        ErrorCode::UnsupportedSchema,
        ErrorCode::CorruptLog,
        ErrorCode::Internal,
        ErrorCode::UnknownTaxCategory,
        ErrorCode::InvalidTaxRules,
        ErrorCode::PriceAboveMrp,
        ErrorCode::DiscountTooLarge,
        ErrorCode::ReturnExceedsSold,
        ErrorCode::Overpayment,
        ErrorCode::InvalidInvoiceNumber,
        ErrorCode::InvalidKnowledgeBase,
        ErrorCode::UnknownDrug,
        ErrorCode::InvalidSeries,
        ErrorCode::AmountOutOfRange,
        ErrorCode::LimitExceeded,
        ErrorCode::StoreUnavailable,
    ];

    /// The code as text: `INSUFFICIENT_STOCK`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidQuantity => "INVALID_QUANTITY",
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::InvalidDate => "INVALID_DATE",
            ErrorCode::MalformedInput => "MALFORMED_INPUT",
            ErrorCode::UnknownProduct => "UNKNOWN_PRODUCT",
            ErrorCode::UnknownLocation => "UNKNOWN_LOCATION",
            ErrorCode::UnknownBatch => "UNKNOWN_BATCH",
            ErrorCode::AlreadyRegistered => "ALREADY_REGISTERED",
            ErrorCode::InsufficientStock => "INSUFFICIENT_STOCK",
            ErrorCode::BatchExpired => "BATCH_EXPIRED",
            ErrorCode::BatchBlocked => "BATCH_BLOCKED",
            ErrorCode::SameLocationTransfer => "SAME_LOCATION_TRANSFER",
            ErrorCode::TransferMismatch => "TRANSFER_MISMATCH",
            ErrorCode::ReservationMismatch => "RESERVATION_MISMATCH",
            ErrorCode::DuplicatePosting => "DUPLICATE_POSTING",
            ErrorCode::UnsupportedSchema => "UNSUPPORTED_SCHEMA",
            ErrorCode::CorruptLog => "CORRUPT_LOG",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::UnknownTaxCategory => "UNKNOWN_TAX_CATEGORY",
            ErrorCode::InvalidTaxRules => "INVALID_TAX_RULES",
            ErrorCode::PriceAboveMrp => "PRICE_ABOVE_MRP",
            ErrorCode::DiscountTooLarge => "DISCOUNT_TOO_LARGE",
            ErrorCode::ReturnExceedsSold => "RETURN_EXCEEDS_SOLD",
            ErrorCode::Overpayment => "OVERPAYMENT",
            ErrorCode::InvalidInvoiceNumber => "INVALID_INVOICE_NUMBER",
            ErrorCode::InvalidKnowledgeBase => "INVALID_KNOWLEDGE_BASE",
            ErrorCode::UnknownDrug => "UNKNOWN_DRUG",
            ErrorCode::InvalidSeries => "INVALID_SERIES",
            ErrorCode::AmountOutOfRange => "AMOUNT_OUT_OF_RANGE",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::StoreUnavailable => "STORE_UNAVAILABLE",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one error every facade call returns: a stable code and a message naming the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(deny_unknown_fields)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// Stable code.
    pub code: ErrorCode,
    /// Human-readable message, naming the offending value.
    pub message: String,
}

impl ApiError {
    /// Builds an error.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Input that does not parse.
    pub fn malformed(message: impl fmt::Display) -> Self {
        Self::new(ErrorCode::MalformedInput, message.to_string())
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let code = match &e {
            CoreError::InvalidQuantity { .. } => ErrorCode::InvalidQuantity,
            CoreError::InvalidInput { .. } => ErrorCode::InvalidInput,
            CoreError::InvalidDate { .. } => ErrorCode::InvalidDate,
            CoreError::UnknownProduct(_) => ErrorCode::UnknownProduct,
            CoreError::UnknownLocation(_) => ErrorCode::UnknownLocation,
            CoreError::UnknownBatch { .. } => ErrorCode::UnknownBatch,
            CoreError::AlreadyRegistered { .. } => ErrorCode::AlreadyRegistered,
            CoreError::InsufficientStock { .. } => ErrorCode::InsufficientStock,
            CoreError::BatchExpired { .. } => ErrorCode::BatchExpired,
            CoreError::BatchBlocked { .. } => ErrorCode::BatchBlocked,
            CoreError::SameLocationTransfer { .. } => ErrorCode::SameLocationTransfer,
            CoreError::TransferMismatch { .. } => ErrorCode::TransferMismatch,
            CoreError::ReservationMismatch { .. } => ErrorCode::ReservationMismatch,
            CoreError::IdempotencyConflict { .. } => ErrorCode::DuplicatePosting,
            CoreError::UnsupportedSchema { .. } => ErrorCode::UnsupportedSchema,
            CoreError::CorruptLog { .. } => ErrorCode::CorruptLog,
            CoreError::AmountOutOfRange { .. } => ErrorCode::AmountOutOfRange,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<BillingError> for ApiError {
    fn from(e: BillingError) -> Self {
        let code = match &e {
            BillingError::InvalidQuantity { .. } => ErrorCode::InvalidQuantity,
            BillingError::InvalidAmount { .. } | BillingError::InvalidInput(_) => {
                ErrorCode::InvalidInput
            }
            BillingError::InvalidDate(_) => ErrorCode::InvalidDate,
            BillingError::UnknownTaxCategory { .. } | BillingError::NoRuleInForce { .. } => {
                ErrorCode::UnknownTaxCategory
            }
            BillingError::InvalidRules(_) => ErrorCode::InvalidTaxRules,
            BillingError::PriceAboveMrp { .. } => ErrorCode::PriceAboveMrp,
            BillingError::DiscountTooLarge { .. } => ErrorCode::DiscountTooLarge,
            BillingError::ReturnExceedsSold { .. } => ErrorCode::ReturnExceedsSold,
            BillingError::Overpayment { .. } => ErrorCode::Overpayment,
            BillingError::InvalidInvoiceNumber { .. } => ErrorCode::InvalidInvoiceNumber,
            BillingError::AmountOutOfRange { .. } => ErrorCode::AmountOutOfRange,
            BillingError::LimitExceeded { .. } => ErrorCode::LimitExceeded,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<InteractionError> for ApiError {
    fn from(e: InteractionError) -> Self {
        let code = match &e {
            InteractionError::InvalidKnowledgeBase(_) => ErrorCode::InvalidKnowledgeBase,
            InteractionError::UnknownDrug(_) => ErrorCode::UnknownDrug,
            InteractionError::InvalidInput(_) => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<ForecastError> for ApiError {
    fn from(e: ForecastError) -> Self {
        let code = match &e {
            ForecastError::InvalidInput(_) => ErrorCode::InvalidInput,
            ForecastError::InvalidSeries(_) => ErrorCode::InvalidSeries,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::malformed(e)
    }
}

/// Result alias of the facade.
pub type ApiResult<T> = Result<T, ApiError>;
