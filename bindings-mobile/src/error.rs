//! `ApothecaError`: one variant per stable error code, with the facade's message.

use apotheca::{ApiError, ErrorCode};

/// Declares [`ApothecaError`] from the facade's one list of codes (`apotheca::with_error_codes!`).
macro_rules! declare_mobile_error {
    ($( $(#[doc = $doc:literal])+ $name:ident = $text:literal, $family:ident; )+) => {
        /// An apotheca error. Kotlin: `ApothecaException.InsufficientStock` etc.; Swift:
        /// `ApothecaError.InsufficientStock`. The variant is the stable code, the message names
        /// the offending value.
        #[derive(Debug, thiserror::Error, uniffi::Error)]
        #[uniffi(flat_error)]
        pub enum ApothecaError {
            $( $(#[doc = $doc])+ #[error("{0}")] $name(String), )+
        }

        impl From<ApiError> for ApothecaError {
            fn from(e: ApiError) -> Self {
                let m = e.message;
                match e.code {
                    $(ErrorCode::$name => Self::$name(m),)+
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
