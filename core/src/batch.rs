//! Batches (lots) and storage locations.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Qty;
use crate::error::{CoreError, Result};
use crate::ids::{BatchNo, LocationId, ProductId};

/// Whether a batch may be sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Free to sell.
    #[default]
    Released,
    /// Held for inspection; not sellable until released.
    Quarantined,
    /// Recalled by the manufacturer or regulator; never sellable again.
    Recalled,
}

impl fmt::Display for BatchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BatchStatus::Released => "released",
            BatchStatus::Quarantined => "quarantined",
            BatchStatus::Recalled => "recalled",
        })
    }
}

/// A vaccine vial monitor (VVM) reading of a stock line (a batch at one location), as
/// open-mSupply keeps it: the stage's `level` (1 is the freshest; allocation takes lower levels
/// first and lines without a reading last) and whether that stage makes the stock unusable
/// (never allocated or dispensed; FEFO skips it as `vvm_unusable`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VvmStatus {
    /// Stage level, 1 to 100 (WHO's VVM stages are 1 to 4).
    pub level: u32,
    /// This stage means the stock must not be used.
    #[serde(default)]
    pub unusable: bool,
    /// The caller's code or name for the stage (`VVM2`), kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Highest VVM stage level accepted.
pub const MAX_VVM_LEVEL: u32 = 100;

/// A batch (lot) of one product as registered when first received.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The product.
    pub product: ProductId,
    /// Batch number as printed.
    pub batch: BatchNo,
    /// Last day the batch may be used; `None` for goods that do not expire.
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
    /// Manufacturing date, where known.
    #[serde(default)]
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub manufactured: Option<NaiveDate>,
    /// Purchase cost per base unit, used for receipts that do not state a cost.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub unit_cost: Decimal,
    /// Maximum retail price per base unit.
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub mrp: Decimal,
    /// Supplier code.
    #[serde(default)]
    pub supplier: Option<String>,
    /// Status at registration (usually released).
    #[serde(default)]
    pub status: BatchStatus,
    /// Base units per pack of this batch, where it differs from the product's (a pack of 1
    /// and a pack of 3 of the same item): a product sold in whole packs is allocated in this
    /// batch's packs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_size: Option<Qty>,
    /// Best-before date, where it is not derived from the product's shelf life.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub use_by: Option<NaiveDate>,
    /// Removal date (FEFO orders by it where set), where it is not derived.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub removal: Option<NaiveDate>,
    /// Alert date ([`crate::Ledger::lot_alerts`]), where it is not derived.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub alert: Option<NaiveDate>,
}

/// A batch's dates as the ledger uses them: as registered, or derived from the product's
/// [`crate::ShelfLife`], and moved together by an expiry change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LotDates {
    /// Last day of use; `None`: does not expire.
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
    /// Best before.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub use_by: Option<NaiveDate>,
    /// Removal date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub removal: Option<NaiveDate>,
    /// Alert date.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub alert: Option<NaiveDate>,
}

impl LotDates {
    /// The dates of `batch` of a product with `shelf_life`: as given, else derived.
    pub fn of(batch: &Batch, shelf_life: Option<&crate::product::ShelfLife>) -> LotDates {
        let sl = shelf_life.copied().unwrap_or_default();
        let days = |d: u32| chrono::Days::new(u64::from(d));
        let expiry = batch.expiry.or_else(|| {
            batch
                .manufactured
                .zip(sl.expiration_days)
                .and_then(|(m, d)| m.checked_add_days(days(d)))
        });
        let before = |given: Option<NaiveDate>, d: Option<u32>| {
            given.or_else(|| expiry.zip(d).and_then(|(e, d)| e.checked_sub_days(days(d))))
        };
        LotDates {
            expiry,
            use_by: before(batch.use_by, sl.use_days),
            removal: before(batch.removal, sl.removal_days),
            alert: before(batch.alert, sl.alert_days),
        }
    }

    /// Every date moved by `days` (an expiry change keeps the others at their offsets).
    pub fn shifted(&self, days: i64) -> LotDates {
        let mv = |d: Option<NaiveDate>| {
            d.and_then(|d| d.checked_add_signed(chrono::TimeDelta::days(days)))
        };
        LotDates {
            expiry: mv(self.expiry),
            use_by: mv(self.use_by),
            removal: mv(self.removal),
            alert: mv(self.alert),
        }
    }

    /// The date FEFO orders by: the removal date where set, else the expiry.
    pub fn fefo_date(&self) -> Option<NaiveDate> {
        self.removal.or(self.expiry)
    }
}

impl Batch {
    /// Checks dates and prices.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, reason: String| CoreError::InvalidInput {
            field: format!("{field} of batch {} of {}", self.batch, self.product),
            reason,
        };
        if let (Some(mfg), Some(exp)) = (self.manufactured, self.expiry)
            && mfg > exp
        {
            return Err(bad(
                "dates",
                format!("manufactured {mfg} is after expiry {exp}"),
            ));
        }
        for (field, value) in [("unit cost", self.unit_cost), ("MRP", self.mrp)] {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(bad(field, format!("{value} is negative")));
            }
            if value > crate::MAX_AMOUNT {
                return Err(CoreError::AmountOutOfRange {
                    field: format!("{field} of batch {} of {}", self.batch, self.product),
                    reason: format!("{value} is above the largest amount, {}", crate::MAX_AMOUNT),
                });
            }
        }
        if let Some(p) = self.pack_size
            && !(1..=crate::product::MAX_PACK_SIZE).contains(&p)
        {
            return Err(bad(
                "pack size",
                format!("{p} is not between 1 and {}", crate::product::MAX_PACK_SIZE),
            ));
        }
        for date in [
            self.expiry,
            self.manufactured,
            self.use_by,
            self.removal,
            self.alert,
        ]
        .into_iter()
        .flatten()
        {
            crate::ledger::check_date(date).map_err(|_| CoreError::InvalidDate {
                input: date.to_string(),
                reason: format!(
                    "dates of batch {} of {} must lie in the years 1970 to 2199",
                    self.batch, self.product
                ),
            })?;
        }
        Ok(())
    }
}

/// A pharmacy, store or warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Location code.
    pub id: LocationId,
    /// Display name.
    pub name: String,
    /// Pick priority when one request is served from several locations (lower first, absent
    /// after every prioritised location); ties go by name, then id (OpenBoxes' pick order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
}
