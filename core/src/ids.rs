//! Identifiers: product codes, batch numbers and location codes, as validated strings.
//! Shared (`Arc<str>`), so the copies in events, picks and reports cost no allocation.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(try_from = "String")]
        pub struct $name(Arc<str>);

        // Written as the text it holds, without the copy into a `String` that
        // `#[serde(into = "String")]` would make for every id of every event.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl $name {
            /// Builds the id, rejecting empty or over-long text and control characters.
            pub fn new(s: impl Into<String>) -> Result<Self> {
                let s = s.into();
                validate_id($field, &s)?;
                Ok(Self(s.into()))
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = CoreError;
            fn try_from(s: String) -> Result<Self> {
                Self::new(s)
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }
        impl TryFrom<&str> for $name {
            type Error = CoreError;
            fn try_from(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }
    };
}

string_id!(
    /// A product (medicine) code, unique in the catalog: `AMOX500`.
    ProductId,
    "product id"
);
string_id!(
    /// A batch (lot) number as printed on the pack; unique per product.
    BatchNo,
    "batch number"
);
string_id!(
    /// A pharmacy, store or warehouse code.
    LocationId,
    "location id"
);

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// Checks that an id (or idempotency key, reference) is non-empty, bounded and printable.
pub fn validate_id(field: &str, s: &str) -> Result<()> {
    let reason = if s.trim().is_empty() {
        "must not be empty".to_string()
    } else if s.len() > MAX_ID_LEN {
        format!("is {} bytes long, the limit is {MAX_ID_LEN}", s.len())
    } else if s.chars().any(char::is_control) {
        format!("{s:?} contains a control character")
    } else {
        return Ok(());
    };
    Err(CoreError::InvalidInput {
        field: field.to_string(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_empty_long_and_control_text() {
        assert!(ProductId::new("AMOX500").is_ok());
        assert!(ProductId::new("  ").is_err());
        assert!(LocationId::new("a\nb").is_err());
        assert!(BatchNo::new("x".repeat(MAX_ID_LEN + 1)).is_err());
    }
}
