//! Products (medicines) and their pack sizes: the catalog vocabulary of the ledger.

use serde::{Deserialize, Serialize};

use crate::Qty;
use crate::error::{CoreError, Result};
use crate::ids::ProductId;

/// How a medicine is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DosageForm {
    /// Tablets.
    Tablet,
    /// Capsules.
    Capsule,
    /// Syrups, suspensions and other oral liquids (base unit ml).
    OralLiquid,
    /// Injections, vials and ampoules.
    Injection,
    /// Creams, ointments and gels.
    Topical,
    /// Drops (eye, ear, nasal).
    Drops,
    /// Inhalers.
    Inhaler,
    /// Anything else.
    Other,
}

/// Regulatory schedule: who may sell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Over the counter.
    Otc,
    /// Prescription only.
    Prescription,
    /// Controlled substance (narcotic / psychotropic register).
    Controlled,
}

/// Storage requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum StorageClass {
    /// Room temperature.
    Ambient,
    /// 2–8 °C cold chain.
    ColdChain,
    /// Frozen.
    Frozen,
}

/// One active ingredient and its strength, e.g. amoxicillin 500 mg.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ingredient {
    /// Generic name of the ingredient.
    pub name: String,
    /// Strength as printed: `500 mg`, `125 mg/5 ml`.
    pub strength: String,
}

/// A medicine in the catalog. Stock of it is counted in its base unit (tablet, ml).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Catalog code.
    pub id: ProductId,
    /// Brand or trade name: `Mox 500`.
    pub name: String,
    /// Generic name or composition: `Amoxicillin 500 mg`.
    pub generic_name: String,
    /// Active ingredients with strengths (several for combination products).
    #[serde(default)]
    pub ingredients: Vec<Ingredient>,
    /// Dosage form.
    pub form: DosageForm,
    /// Base units in one pack (a strip of 10 tablets: 10). At least 1.
    pub pack_size: Qty,
    /// Whether a pack may be opened and sold in loose units.
    #[serde(default = "yes")]
    pub sold_loose: bool,
    /// Regulatory schedule.
    pub schedule: Schedule,
    /// Tax category, e.g. an HSN code `3004`.
    pub tax_category: String,
    /// Storage class.
    pub storage: StorageClass,
    /// Durations from which a batch's dates are derived (Odoo's product expiry times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf_life: Option<ShelfLife>,
}

/// How long a product keeps, in days (Odoo `product_expiry`): a batch registered without an
/// expiry but with a manufacturing date expires `expiration_days` after it; its best-before
/// (`use_by`), removal and alert dates fall `use_days`, `removal_days` and `alert_days` before
/// its expiry unless the batch gives them. Each at most 36,500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ShelfLife {
    /// Days from manufacture to expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_days: Option<u32>,
    /// Days before expiry of the best-before date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_days: Option<u32>,
    /// Days before expiry of the removal date (FEFO orders by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal_days: Option<u32>,
    /// Days before expiry of the alert date ([`crate::Ledger::lot_alerts`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_days: Option<u32>,
}

/// Longest shelf-life duration accepted, in days.
pub const MAX_SHELF_LIFE_DAYS: u32 = 36_500;

fn yes() -> bool {
    true
}

/// Largest pack size accepted.
pub const MAX_PACK_SIZE: Qty = 100_000;

impl Product {
    /// Checks the fields a ledger relies on.
    pub fn validate(&self) -> Result<()> {
        if let Some(sl) = &self.shelf_life {
            for (field, v) in [
                ("expiration_days", sl.expiration_days),
                ("use_days", sl.use_days),
                ("removal_days", sl.removal_days),
                ("alert_days", sl.alert_days),
            ] {
                if let Some(v) = v
                    && v > MAX_SHELF_LIFE_DAYS
                {
                    return Err(CoreError::InvalidInput {
                        field: format!("shelf_life.{field} of {}", self.id),
                        reason: format!("{v} days; at most {MAX_SHELF_LIFE_DAYS}"),
                    });
                }
            }
        }
        if !(1..=MAX_PACK_SIZE).contains(&self.pack_size) {
            return Err(CoreError::InvalidInput {
                field: format!("pack size of {}", self.id),
                reason: format!("{} is not between 1 and {MAX_PACK_SIZE}", self.pack_size),
            });
        }
        if self.name.trim().is_empty() {
            return Err(CoreError::InvalidInput {
                field: format!("name of {}", self.id),
                reason: "must not be empty".into(),
            });
        }
        Ok(())
    }

    /// Base units in `packs` whole packs.
    pub fn packs_to_units(&self, packs: Qty) -> Result<Qty> {
        packs
            .checked_mul(self.pack_size)
            .filter(|q| *q <= crate::MAX_QTY)
            .ok_or_else(|| CoreError::InvalidQuantity {
                qty: packs,
                context: format!("packs of {}", self.id),
            })
    }

    /// Splits base units into whole packs and loose units: 25 tablets in strips of 10 → (2, 5).
    pub fn units_to_packs(&self, units: Qty) -> (Qty, Qty) {
        (units / self.pack_size, units % self.pack_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(pack: Qty) -> Product {
        Product {
            id: ProductId::new("PCM500").unwrap(),
            name: "Crocin 500".into(),
            generic_name: "Paracetamol 500 mg".into(),
            ingredients: vec![Ingredient {
                name: "paracetamol".into(),
                strength: "500 mg".into(),
            }],
            form: DosageForm::Tablet,
            pack_size: pack,
            sold_loose: true,
            schedule: Schedule::Otc,
            tax_category: "3004".into(),
            storage: StorageClass::Ambient,
            shelf_life: None,
        }
    }

    #[test]
    fn pack_conversion_is_explicit_and_exact() {
        let p = product(15);
        assert_eq!(p.packs_to_units(4).unwrap(), 60);
        assert_eq!(p.units_to_packs(61), (4, 1));
        assert!(p.packs_to_units(i64::MAX).is_err());
        assert!(product(0).validate().is_err());
        assert!(product(10).validate().is_ok());
    }
}
