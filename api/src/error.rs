//! `ErrorCode`: the stable codes every binding exposes, mapped once from every domain error.

use std::fmt;

use apotheca_billing_rules::BillingError;
use apotheca_core::CoreError;
use apotheca_forecasting::ForecastError;
use apotheca_interactions::InteractionError;
use serde::{Deserialize, Serialize};

/// Every error code, declared once: `Name = "TEXT", Family;` with its documentation. The
/// enum, [`ErrorCode::ALL`], [`ErrorCode::as_str`], [`ErrorCode::family`] and every binding's
/// list (Python's exception table, the TypeScript union, the mobile enum, `error-codes.json`,
/// written by `cargo xtask gen`) come from this list. Adding a code is one line here plus its
/// mapping from the domain error that raises it.
///
/// `with_error_codes!(callback)` calls `callback! { $( $(#[doc = ..])* Name = "TEXT", Family; )* }`,
/// so a binding can declare its own type from the same list (the mobile enum does).
#[macro_export]
macro_rules! with_error_codes {
    ($callback:path) => {
        $callback! {
        /// A quantity was zero, negative or too large.
        InvalidQuantity = "INVALID_QUANTITY", Input;
        /// A field failed validation.
        InvalidInput = "INVALID_INPUT", Input;
        /// A date or expiry label could not be read or is out of range.
        InvalidDate = "INVALID_DATE", Input;
        /// Input JSON that does not parse or does not fit the expected shape.
        MalformedInput = "MALFORMED_INPUT", Input;
        /// Unknown product id.
        UnknownProduct = "UNKNOWN_PRODUCT", NotFound;
        /// Unknown location id.
        UnknownLocation = "UNKNOWN_LOCATION", NotFound;
        /// Unknown batch number for the product.
        UnknownBatch = "UNKNOWN_BATCH", NotFound;
        /// An id registered again with different data.
        AlreadyRegistered = "ALREADY_REGISTERED", Conflict;
        /// Not enough available stock.
        InsufficientStock = "INSUFFICIENT_STOCK", Stock;
        /// The batch is expired at the document date.
        BatchExpired = "BATCH_EXPIRED", Stock;
        /// The batch is quarantined or recalled.
        BatchBlocked = "BATCH_BLOCKED", Stock;
        /// A transfer to the location it comes from.
        SameLocationTransfer = "SAME_LOCATION_TRANSFER", Conflict;
        /// A transfer id reused, unknown, or received at the wrong place.
        TransferMismatch = "TRANSFER_MISMATCH", Conflict;
        /// A reservation unknown, reused or over-drawn.
        ReservationMismatch = "RESERVATION_MISMATCH", Conflict;
        /// An idempotency key reused with a different payload.
        DuplicatePosting = "DUPLICATE_POSTING", Conflict;
        /// An event of a newer schema than this build reads.
        UnsupportedSchema = "UNSUPPORTED_SCHEMA", EventLog;
        /// An event log that does not replay.
        CorruptLog = "CORRUPT_LOG", EventLog;
        /// A bug: an internal panic caught at the boundary.
        Internal = "INTERNAL", Internal;
        /// A line's tax category has no rule (at all, or in force on the invoice date).
        UnknownTaxCategory = "UNKNOWN_TAX_CATEGORY", TaxRule;
        /// A tax rule set that does not validate (overlapping dates, negative rates, bad format).
        InvalidTaxRules = "INVALID_TAX_RULES", TaxRule;
        /// A tax-inclusive unit price above the batch MRP.
        PriceAboveMrp = "PRICE_ABOVE_MRP", Billing;
        /// A discount larger than the amount it discounts.
        DiscountTooLarge = "DISCOUNT_TOO_LARGE", Billing;
        /// A credit note returning more units than are left to return.
        ReturnExceedsSold = "RETURN_EXCEEDS_SOLD", Billing;
        /// More tendered than due, without the cash to give change from.
        Overpayment = "OVERPAYMENT", Billing;
        /// An invoice number that does not fit its series or sequence.
        InvalidInvoiceNumber = "INVALID_INVOICE_NUMBER", Input;
        /// An interaction knowledge base (JSON or CSV) that does not parse or validate.
        InvalidKnowledgeBase = "INVALID_KNOWLEDGE_BASE", Input;
        /// A drug name or id the knowledge base does not know, where one is required.
        UnknownDrug = "UNKNOWN_DRUG", NotFound;
        /// A series a model cannot use: negative values, too short, zeros for a multiplicative
        /// model.
        InvalidSeries = "INVALID_SERIES", Input;
        /// An amount or quantity beyond the documented bounds, or a total that would overflow.
        AmountOutOfRange = "AMOUNT_OUT_OF_RANGE", Input;
        /// More items in one call than its documented limit (lines, drugs, series, points): split
        /// the request.
        LimitExceeded = "LIMIT_EXCEEDED", Input;
        /// The ledger's store could not be reached or could not commit: nothing changed. Retry the
        /// write with the same idempotency key once the store is back.
        StoreUnavailable = "STORE_UNAVAILABLE", StoreUnavailable;
        /// A long call stopped by its caller (a progress callback that raised, an abort
        /// signal): it returned nothing and changed nothing.
        Cancelled = "CANCELLED", Conflict;
        }
    };
}

/// Declares [`ErrorCode`] and its tables from [`with_error_codes!`].
macro_rules! declare_error_code {
    ($( $(#[doc = $doc:literal])+ $name:ident = $text:literal, $family:ident; )+) => {
        /// A stable, language-independent error code (`INSUFFICIENT_STOCK`). Codes are added
        /// only where a caller would act differently.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum ErrorCode {
            $( $(#[doc = $doc])+ #[serde(rename = $text)] $name, )+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name),+];

            /// The code as text: `INSUFFICIENT_STOCK`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $text,)+
                }
            }

            /// The family a caller handles the code with (Python's exception class).
            pub fn family(self) -> ErrorFamily {
                match self {
                    $(ErrorCode::$name => ErrorFamily::$family,)+
                }
            }

            /// What the code means, from its documentation.
            pub fn doc(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => concat!($($doc),+),)+
                }
            }
        }
    };
}

with_error_codes!(declare_error_code);

/// The families of error codes: what a caller does about them. Python raises one exception
/// class per family (`StockError` for `INSUFFICIENT_STOCK`, `BATCH_EXPIRED`, `BATCH_BLOCKED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorFamily {
    /// Malformed or out-of-range input: fix the request.
    Input,
    /// An unknown product, location, batch or drug.
    NotFound,
    /// Not enough usable stock.
    Stock,
    /// A request that conflicts with what the ledger holds.
    Conflict,
    /// An event log this build cannot replay.
    EventLog,
    /// A bill that cannot be issued as asked.
    Billing,
    /// Missing or invalid tax master data.
    TaxRule,
    /// The store could not be reached: retry.
    StoreUnavailable,
    /// A bug.
    Internal,
}

impl ErrorFamily {
    /// The family's name, as the bindings spell their exception class (`StockError`).
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorFamily::Input => "InputError",
            ErrorFamily::NotFound => "NotFoundError",
            ErrorFamily::Stock => "StockError",
            ErrorFamily::Conflict => "ConflictError",
            ErrorFamily::EventLog => "EventLogError",
            ErrorFamily::Billing => "BillingError",
            ErrorFamily::TaxRule => "TaxRuleError",
            ErrorFamily::StoreUnavailable => "StoreUnavailableError",
            ErrorFamily::Internal => "InternalError",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an error is about, for programs: each field is present only where the error has it.
/// `INSUFFICIENT_STOCK` carries `product`, `location`, `requested` and `available`; an error
/// from strict input carries the `path` of the offending field (`lines[2].qty`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorDetails {
    /// The path of the offending field in the request (`lines[2].qty`), as the caller spelled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The product concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The batch concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// The location concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The quantity asked for, in base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<i64>,
    /// The quantity there was, in base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
    /// The drug name or id concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drug: Option<String>,
}

impl ErrorDetails {
    /// No detail at all.
    pub fn is_empty(&self) -> bool {
        *self == ErrorDetails::default()
    }
}

/// The one error every facade call returns: a stable code, a message naming the value, and the
/// same facts as data in `details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// Stable code.
    pub code: ErrorCode,
    /// Human-readable message, naming the offending value.
    pub message: String,
    /// What the error is about, as data.
    #[serde(default, skip_serializing_if = "ErrorDetails::is_empty")]
    pub details: Box<ErrorDetails>,
}

impl ApiError {
    /// Builds an error.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: Box::default(),
        }
    }

    /// Input that does not parse.
    pub fn malformed(message: impl fmt::Display) -> Self {
        Self::new(ErrorCode::MalformedInput, message.to_string())
    }

    /// The same error about the field at `path`: the message is led by the path
    /// (`lines[2].qty: …`) and `details.path` is set. A path the error already has is taken to be
    /// inside `path` (`rules` + `[3].rate` → `rules[3].rate`).
    pub fn at(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        let (joined, rest) = match self.details.path.take() {
            Some(inner) => {
                let rest = self
                    .message
                    .strip_prefix(&format!("{inner}: "))
                    .unwrap_or(&self.message)
                    .to_string();
                let sep = if inner.starts_with('[') { "" } else { "." };
                (format!("{path}{sep}{inner}"), rest)
            }
            None => (path, std::mem::take(&mut self.message)),
        };
        self.message = format!("{joined}: {rest}");
        self.details.path = Some(joined);
        self
    }

    /// An error whose message is led by the path of its field (`lines[0].qty: cannot …`), as
    /// the bindings' own input checks write them: the path goes to `details.path` too. A
    /// message without one (or led by the whole `argument`) is kept as it is.
    pub fn located(code: ErrorCode, message: impl Into<String>) -> Self {
        let message = message.into();
        match message.split_once(": ") {
            Some((path, rest))
                if path != "argument"
                    && !path.is_empty()
                    && !path.contains(' ')
                    && path.starts_with(|c: char| c.is_ascii_lowercase()) =>
            {
                Self::new(code, rest).at(path)
            }
            _ => Self::new(code, message),
        }
    }

    /// The same error with these details.
    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Box::new(details);
        self
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
        let s = |v: &dyn fmt::Display| Some(v.to_string());
        let details = match &e {
            CoreError::UnknownProduct(p) => ErrorDetails {
                product: s(p),
                ..Default::default()
            },
            CoreError::UnknownLocation(l) | CoreError::SameLocationTransfer { location: l, .. } => {
                ErrorDetails {
                    location: s(l),
                    ..Default::default()
                }
            }
            CoreError::UnknownBatch { product, batch }
            | CoreError::BatchExpired { product, batch, .. }
            | CoreError::BatchBlocked { product, batch, .. } => ErrorDetails {
                product: s(product),
                batch: s(batch),
                ..Default::default()
            },
            CoreError::InsufficientStock {
                product,
                batch,
                location,
                requested,
                available,
            } => ErrorDetails {
                product: s(product),
                batch: batch.as_ref().map(|b| b.to_string()),
                location: s(location),
                requested: Some(*requested),
                available: Some(*available),
                ..Default::default()
            },
            CoreError::AmountOutOfRange { field, .. } if field.contains(['.', '[']) => {
                ErrorDetails {
                    path: Some(field.clone()),
                    ..Default::default()
                }
            }
            _ => ErrorDetails::default(),
        };
        ApiError::new(code, e.to_string()).with_details(details)
    }
}

impl From<BillingError> for ApiError {
    fn from(e: BillingError) -> Self {
        let code = match &e {
            BillingError::InvalidQuantity { .. } => ErrorCode::InvalidQuantity,
            BillingError::InvalidAmount { .. }
            | BillingError::InvalidInput(_)
            | BillingError::InvalidField { .. } => ErrorCode::InvalidInput,
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
        let details = match &e {
            BillingError::AmountOutOfRange { field, .. }
            | BillingError::InvalidAmount { field, .. }
                if field.contains(['.', '[']) || !field.contains(' ') =>
            {
                ErrorDetails {
                    path: Some(field.clone()),
                    ..Default::default()
                }
            }
            BillingError::InvalidField { field, .. } => ErrorDetails {
                path: Some(field.clone()),
                ..Default::default()
            },
            BillingError::PriceAboveMrp { line, product, .. } => ErrorDetails {
                path: Some(format!("lines[{}].unit_price", line - 1)),
                product: Some(product.clone()),
                ..Default::default()
            },
            BillingError::ReturnExceedsSold {
                requested,
                remaining,
                ..
            } => ErrorDetails {
                requested: Some(*requested),
                available: Some(*remaining),
                ..Default::default()
            },
            _ => ErrorDetails::default(),
        };
        ApiError::new(code, e.to_string()).with_details(details)
    }
}

impl From<InteractionError> for ApiError {
    fn from(e: InteractionError) -> Self {
        let code = match &e {
            InteractionError::InvalidKnowledgeBase(_) => ErrorCode::InvalidKnowledgeBase,
            InteractionError::UnknownDrug(_) => ErrorCode::UnknownDrug,
            InteractionError::InvalidInput(_) => ErrorCode::InvalidInput,
        };
        let details = match &e {
            InteractionError::UnknownDrug(d) => ErrorDetails {
                drug: Some(d.clone()),
                ..Default::default()
            },
            _ => ErrorDetails::default(),
        };
        ApiError::new(code, e.to_string()).with_details(details)
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
