//! `ApothecaError`: one variant per stable error code, with the facade's message.

use apotheca::{ApiError, ErrorCode};

/// An apotheca error. Kotlin: `ApothecaException.InsufficientStock` etc.; Swift:
/// `ApothecaError.InsufficientStock`. The variant is the stable code, the message names the
/// offending value.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum ApothecaError {
    #[error("{0}")]
    InvalidQuantity(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    InvalidDate(String),
    #[error("{0}")]
    MalformedInput(String),
    #[error("{0}")]
    UnknownProduct(String),
    #[error("{0}")]
    UnknownLocation(String),
    #[error("{0}")]
    UnknownBatch(String),
    #[error("{0}")]
    AlreadyRegistered(String),
    #[error("{0}")]
    InsufficientStock(String),
    #[error("{0}")]
    BatchExpired(String),
    #[error("{0}")]
    BatchBlocked(String),
    #[error("{0}")]
    SameLocationTransfer(String),
    #[error("{0}")]
    TransferMismatch(String),
    #[error("{0}")]
    ReservationMismatch(String),
    #[error("{0}")]
    DuplicatePosting(String),
    #[error("{0}")]
    UnsupportedSchema(String),
    #[error("{0}")]
    CorruptLog(String),
    #[error("{0}")]
    Internal(String),
    #[error("{0}")]
    UnknownTaxCategory(String),
    #[error("{0}")]
    InvalidTaxRules(String),
    #[error("{0}")]
    PriceAboveMrp(String),
    #[error("{0}")]
    DiscountTooLarge(String),
    #[error("{0}")]
    ReturnExceedsSold(String),
    #[error("{0}")]
    Overpayment(String),
    #[error("{0}")]
    InvalidInvoiceNumber(String),
    #[error("{0}")]
    InvalidKnowledgeBase(String),
    #[error("{0}")]
    UnknownDrug(String),
    #[error("{0}")]
    InvalidSeries(String),
    #[error("{0}")]
    AmountOutOfRange(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{0}")]
    StoreUnavailable(String),
}

impl From<ApiError> for ApothecaError {
    fn from(e: ApiError) -> Self {
        let m = e.message;
        match e.code {
            ErrorCode::InvalidQuantity => Self::InvalidQuantity(m),
            ErrorCode::InvalidInput => Self::InvalidInput(m),
            ErrorCode::InvalidDate => Self::InvalidDate(m),
            ErrorCode::MalformedInput => Self::MalformedInput(m),
            ErrorCode::UnknownProduct => Self::UnknownProduct(m),
            ErrorCode::UnknownLocation => Self::UnknownLocation(m),
            ErrorCode::UnknownBatch => Self::UnknownBatch(m),
            ErrorCode::AlreadyRegistered => Self::AlreadyRegistered(m),
            ErrorCode::InsufficientStock => Self::InsufficientStock(m),
            ErrorCode::BatchExpired => Self::BatchExpired(m),
            ErrorCode::BatchBlocked => Self::BatchBlocked(m),
            ErrorCode::SameLocationTransfer => Self::SameLocationTransfer(m),
            ErrorCode::TransferMismatch => Self::TransferMismatch(m),
            ErrorCode::ReservationMismatch => Self::ReservationMismatch(m),
            ErrorCode::DuplicatePosting => Self::DuplicatePosting(m),
            ErrorCode::UnsupportedSchema => Self::UnsupportedSchema(m),
            ErrorCode::CorruptLog => Self::CorruptLog(m),
            ErrorCode::Internal => Self::Internal(m),
            ErrorCode::UnknownTaxCategory => Self::UnknownTaxCategory(m),
            ErrorCode::InvalidTaxRules => Self::InvalidTaxRules(m),
            ErrorCode::PriceAboveMrp => Self::PriceAboveMrp(m),
            ErrorCode::DiscountTooLarge => Self::DiscountTooLarge(m),
            ErrorCode::ReturnExceedsSold => Self::ReturnExceedsSold(m),
            ErrorCode::Overpayment => Self::Overpayment(m),
            ErrorCode::InvalidInvoiceNumber => Self::InvalidInvoiceNumber(m),
            ErrorCode::InvalidKnowledgeBase => Self::InvalidKnowledgeBase(m),
            ErrorCode::UnknownDrug => Self::UnknownDrug(m),
            ErrorCode::InvalidSeries => Self::InvalidSeries(m),
            ErrorCode::AmountOutOfRange => Self::AmountOutOfRange(m),
            ErrorCode::LimitExceeded => Self::LimitExceeded(m),
            ErrorCode::StoreUnavailable => Self::StoreUnavailable(m),
        }
    }
}

impl From<apotheca::domain::CoreError> for ApothecaError {
    fn from(e: apotheca::domain::CoreError) -> Self {
        ApiError::from(e).into()
    }
}

/// A value that did not lift (a bad decimal or date string from the app).
/// A date that does not lift: `INVALID_DATE` when it is well formed but out of range (a
/// `LocalDate` of year 1 or 12345), else `MALFORMED_INPUT`.
pub fn bad_date(value: &str, why: String) -> uniffi::deps::anyhow::Error {
    if why.contains(apotheca::domain::strict::OUT_OF_RANGE) {
        ApothecaError::InvalidDate(format!("date {value:?}: {why}")).into()
    } else {
        malformed("date", value, why)
    }
}

pub fn malformed(
    what: &str,
    value: &str,
    why: impl std::fmt::Display,
) -> uniffi::deps::anyhow::Error {
    ApothecaError::MalformedInput(format!("{what} {value:?}: {why}")).into()
}
