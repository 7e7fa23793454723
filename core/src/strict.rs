//! Strict wire forms for amounts and dates, used by every DTO of every domain crate, so that a
//! value can only mean one thing on the way in.
//!
//! - **Decimals** are strings of plain digits: an optional `-`, digits, and optionally `.` and
//!   more digits (`"12.50"`, `"-0.5"`). Refused: JSON numbers (a float is never money), `""`,
//!   whitespace, `+`, `_`, exponents (`"1e28"`), `"NaN"`, and more than [`MAX_DIGITS`] digits.
//! - **Dates** are `YYYY-MM-DD` strings with the year in [`YEAR_RANGE`] (1970–2199), which
//!   every binding's date type can hold. Refused: `+12345-01-01`, `-0001-01-01`, times, a JS
//!   `Date`'s timestamp string.
//!
//! Each module here is a `#[serde(with = "…")]` target; serializing writes the canonical form.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};

pub use crate::dates::YEAR_RANGE;

/// The most significant digits an input decimal may have (rust_decimal holds 28, and 29 up to
/// 79,228,162,514,264,337,593,543,950,335).
pub const MAX_DIGITS: usize = 29;

/// The most decimal places an input decimal may have.
pub const MAX_PLACES: usize = 28;

/// Parses a decimal string in the strict form described in the module docs.
pub fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits_ok = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int) || !frac.is_none_or(digits_ok) {
        return Err(format!(
            "{s:?} is not a decimal: write digits with an optional '-' and '.', such as \"12.50\""
        ));
    }
    let places = frac.map_or(0, str::len);
    if places > MAX_PLACES {
        return Err(format!("{s:?} has more than {MAX_PLACES} decimal places"));
    }
    let significant = int.trim_start_matches('0').len() + places;
    if significant > MAX_DIGITS {
        return Err(format!(
            "{s:?} has more than {MAX_DIGITS} digits; a decimal holds at most {MAX_DIGITS}"
        ));
    }
    Decimal::from_str_exact(s)
        .map_err(|_| format!("{s:?} is beyond the largest decimal, {}", Decimal::MAX))
}

/// Words in the message of a well-formed date out of range (the facade reports it as
/// `INVALID_DATE` rather than `MALFORMED_INPUT`).
pub const OUT_OF_RANGE: &str = "is out of range: dates lie in the years";

/// Parses a `YYYY-MM-DD` date within [`YEAR_RANGE`].
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!(
            "{s:?} is not a date: write YYYY-MM-DD, such as \"2027-06-30\""
        ));
    }
    let d = NaiveDate::from_str(s).map_err(|e| format!("{s:?} is not a date: {e}"))?;
    if !YEAR_RANGE.contains(&d.year()) {
        return Err(format!(
            "{s:?} {OUT_OF_RANGE} {} to {}",
            YEAR_RANGE.start(),
            YEAR_RANGE.end()
        ));
    }
    Ok(d)
}

struct StrVisitor<T>(fn(&str) -> Result<T, String>, &'static str);

impl<T> Visitor<'_> for StrVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}

fn de_str<'de, D: Deserializer<'de>, T>(
    d: D,
    parse: fn(&str) -> Result<T, String>,
    what: &'static str,
) -> Result<T, D::Error> {
    d.deserialize_str(StrVisitor(parse, what))
}

const DECIMAL: &str = "a decimal string such as \"12.50\"";
const DATE: &str = "a date string YYYY-MM-DD";

/// `Decimal` as a strict decimal string.
pub mod decimal {
    use super::*;
    /// Writes the decimal as its string.
    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
    /// Reads a strict decimal string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        de_str(d, parse_decimal, DECIMAL)
    }
}

/// `NaiveDate` as a strict `YYYY-MM-DD` string within the year range.
pub mod date {
    use super::*;
    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
    /// Reads a strict date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        de_str(d, parse_date, DATE)
    }
}

/// The `Option` and `Vec` forms of a strict wire form.
macro_rules! optional_and_list {
    ($opt:ident, $vec:ident, $kind:ty, $t:ty, $what:literal, $note:literal) => {
        #[doc = concat!("`Option<", $what, ">`: `null` or its strict form.", $note)]
        pub mod $opt {
            use super::*;
            /// Writes `null` or the canonical form.
            pub fn serialize<S: Serializer>(v: &Option<$t>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(v) => s.collect_str(v),
                    None => s.serialize_none(),
                }
            }
            /// Reads `null` or the strict form.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$t>, D::Error> {
                Ok(Option::<Wrap<$kind>>::deserialize(d)?.map(|w| w.0))
            }
        }

        #[doc = concat!("`Vec<", $what, ">` in the strict form.")]
        pub mod $vec {
            use super::*;
            /// Writes the canonical forms.
            pub fn serialize<S: Serializer>(v: &[$t], s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(v.iter().map(|d| d.to_string()))
            }
            /// Reads strict forms.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<$t>, D::Error> {
                Ok(Vec::<Wrap<$kind>>::deserialize(d)?
                    .into_iter()
                    .map(|w| w.0)
                    .collect())
            }
        }
    };
}

optional_and_list!(decimal_opt, decimal_vec, Dec, Decimal, "Decimal", "");
optional_and_list!(
    date_opt,
    date_vec,
    Day,
    NaiveDate,
    "NaiveDate",
    " Without `#[serde(default)]` beside it the field is required, so \"no date\" must be said with an explicit `null`."
);

struct Dec;
struct Day;

/// A strictly read value inside an `Option` or a `Vec`.
struct Wrap<K: Kind>(K::Out);

trait Kind {
    type Out;
    fn parse(s: &str) -> Result<Self::Out, String>;
    const WHAT: &'static str;
}
impl Kind for Dec {
    type Out = Decimal;
    fn parse(s: &str) -> Result<Decimal, String> {
        parse_decimal(s)
    }
    const WHAT: &'static str = DECIMAL;
}
impl Kind for Day {
    type Out = NaiveDate;
    fn parse(s: &str) -> Result<NaiveDate, String> {
        parse_date(s)
    }
    const WHAT: &'static str = DATE;
}

impl<'de, K: Kind> Deserialize<'de> for Wrap<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_str(d, K::parse, K::WHAT).map(Wrap)
    }
}

/// A decimal that deserializes strictly: for facade arguments that are a bare amount
/// (`amount_in_words("12.50")`), where no field attribute can say how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StrictDecimal(pub Decimal);

impl<'de> Deserialize<'de> for StrictDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decimal::deserialize(d).map(StrictDecimal)
    }
}

impl serde::Serialize for StrictDecimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        decimal::serialize(&self.0, s)
    }
}

/// A date that deserializes strictly: for facade arguments that are a bare date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StrictDate(pub NaiveDate);

impl<'de> Deserialize<'de> for StrictDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        date::deserialize(d).map(StrictDate)
    }
}

impl serde::Serialize for StrictDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        date::serialize(&self.0, s)
    }
}

impl From<StrictDate> for NaiveDate {
    fn from(d: StrictDate) -> NaiveDate {
        d.0
    }
}

impl From<StrictDecimal> for Decimal {
    fn from(d: StrictDecimal) -> Decimal {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_have_one_spelling() {
        for ok in ["0", "12.50", "-0.5", "0001.2", "79228162514264337593543950"] {
            assert!(parse_decimal(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", " 1", "1 ", "+1", "1_0", "1e28", "1E+100", "NaN", "inf", ".5", "5.", "-", "1.2.3",
            "0x10", "١٢", "12,5",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad:?}");
        }
        assert!(parse_decimal("12345678901234567890123456789").is_ok());
        assert!(parse_decimal("79228162514264337593543950336").is_err());
        assert!(parse_decimal("123456789012345678901234567890").is_err());
        assert!(parse_decimal("0.00000000000000000000000000001").is_err());
    }

    #[test]
    fn dates_lie_in_the_range() {
        assert!(parse_date("2027-06-30").is_ok());
        assert!(parse_date("1970-01-01").is_ok());
        assert!(parse_date("2199-12-31").is_ok());
        for bad in [
            "1969-12-31",
            "2200-01-01",
            "+12345-01-01",
            "-0001-01-01",
            "2027-6-30",
            "2027-02-30",
            "2027-06-30T00:00:00Z",
            "\"2027-06-30T00:00:00.000Z\"",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn strict_fields_refuse_numbers_and_require_explicit_null() {
        #[derive(Debug, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            #[serde(with = "decimal")]
            #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
            a: Decimal,
            #[serde(with = "date_opt")]
            #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
            d: Option<NaiveDate>,
        }
        let ok: T = serde_json::from_str(r#"{"a":"1.5","d":null}"#).unwrap();
        assert_eq!(ok.d, None);
        for bad in [
            r#"{"a":1.5,"d":null}"#,
            r#"{"a":"1.5"}"#,
            r#"{"a":"1.5","d":null,"x":1}"#,
            r#"{"a":"","d":null}"#,
        ] {
            assert!(serde_json::from_str::<T>(bad).is_err(), "{bad}");
        }
    }
}
