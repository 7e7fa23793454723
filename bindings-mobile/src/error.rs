//! `ApothecaError`: one variant per stable error code, with the facade's message (`reason`) and
//! what the error is about as data (`details`).

use apotheca::{ApiError, ErrorCode, ErrorDetails};

/// What an error is about: each field is set only where the error has it (`product`,
/// `location`, `requested` and `available` for `InsufficientStock`; the `path` of the offending
/// field for strict input).
#[uniffi::remote(Record)]
pub struct ErrorDetails {
    #[uniffi(default)]
    pub path: Option<String>,
    #[uniffi(default)]
    pub product: Option<String>,
    #[uniffi(default)]
    pub batch: Option<String>,
    #[uniffi(default)]
    pub location: Option<String>,
    #[uniffi(default)]
    pub requested: Option<i64>,
    #[uniffi(default)]
    pub available: Option<i64>,
    #[uniffi(default)]
    pub drug: Option<String>,
}

/// Declares [`ApothecaError`] from the facade's one list of codes (`apotheca::with_error_codes!`).
macro_rules! declare_mobile_error {
    ($( $(#[doc = $doc:literal])+ $name:ident = $text:literal, $family:ident; )+) => {
        /// An apotheca error. Kotlin: `ApothecaException.InsufficientStock` etc.; Swift:
        /// `ApothecaError.InsufficientStock`. The variant is the stable code, `reason` (Kotlin's
        /// `message`) names the offending value, `details` says the same as data.
        #[derive(Debug, thiserror::Error, uniffi::Error)]
        pub enum ApothecaError {
            $( $(#[doc = $doc])+ #[error("{reason}")] $name { reason: String, details: ErrorDetails }, )+
        }

        impl From<ApiError> for ApothecaError {
            fn from(e: ApiError) -> Self {
                let (reason, details) = (e.message, *e.details);
                match e.code {
                    $(ErrorCode::$name => Self::$name { reason, details },)+
                }
            }
        }
    };
}

apotheca::with_error_codes!(declare_mobile_error);

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
        ApothecaError::from(ApiError::new(
            ErrorCode::InvalidDate,
            format!("date {value:?}: {why}"),
        ))
        .into()
    } else {
        malformed("date", value, why)
    }
}

pub fn malformed(
    what: &str,
    value: &str,
    why: impl std::fmt::Display,
) -> uniffi::deps::anyhow::Error {
    ApothecaError::from(ApiError::new(
        ErrorCode::MalformedInput,
        format!("{what} {value:?}: {why}"),
    ))
    .into()
}
