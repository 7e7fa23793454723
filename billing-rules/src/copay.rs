//! Insurance co-pay: splits each line's total into a patient share and a claim share that add
//! up to it exactly.
//!
//! Per covered line, in line order: the remaining deductible is paid by the patient first, then
//! the fixed co-pay per item, then the co-insurance percent of what is left (rounded); the rest
//! is claimed, up to what is left of the coverage limit (the excess falls to the patient).
//! Finally the fixed co-pay per invoice moves from the claims to the patient, first line first.
//! Non-covered products or tax categories, and charges, are paid by the patient in full.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::invoice::{LineKind, PricedLine};
use crate::money::Money;

/// An insurance plan as it stands for this patient today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CopayPlan {
    /// Fixed amount the patient pays per covered line.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub copay_per_item: Option<Decimal>,
    /// Fixed amount the patient pays per invoice.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub copay_per_invoice: Option<Decimal>,
    /// Percent of the covered amount the patient pays (after deductible and co-pay).
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub coinsurance_percent: Option<Decimal>,
    /// Deductible not yet met this plan year.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub deductible_remaining: Option<Decimal>,
    /// Most the plan pays on this invoice.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub coverage_limit: Option<Decimal>,
    /// Product ids or tax categories the plan does not cover.
    #[serde(default)]
    pub non_covered: Vec<String>,
}

/// One line's shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LineShare {
    /// Invoice line number.
    pub line_no: i64,
    /// Whether the plan covers the line.
    pub covered: bool,
    /// Patient's share.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub patient: Decimal,
    /// Claim share.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub claim: Decimal,
}

/// The invoice's split; `patient + claim` equals the total before round-off, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CopaySplit {
    /// Σ patient shares.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub patient: Decimal,
    /// Σ claim shares.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub claim: Decimal,
    /// Deductible consumed by this invoice.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub deductible_applied: Decimal,
    /// Per line.
    pub lines: Vec<LineShare>,
}

pub(crate) fn split(plan: &CopayPlan, lines: &[PricedLine], money: &Money) -> Result<CopaySplit> {
    let zero = money.scaled(Decimal::ZERO);
    let amount = |field: &str, v: Option<Decimal>| -> Result<Decimal> {
        v.map_or(Ok(zero), |d| money.check(|| format!("copay {field}"), d))
    };
    let per_item = amount("copay_per_item", plan.copay_per_item)?;
    let per_invoice = amount("copay_per_invoice", plan.copay_per_invoice)?;
    let mut deductible = amount("deductible_remaining", plan.deductible_remaining)?;
    let mut limit = match plan.coverage_limit {
        Some(l) => Some(money.check(|| "copay coverage_limit".into(), l)?),
        None => None,
    };
    let pct = plan.coinsurance_percent.unwrap_or_default();
    if pct.is_sign_negative() && !pct.is_zero() || pct > Decimal::ONE_HUNDRED {
        return Err(BillingError::InvalidAmount {
            field: "copay coinsurance_percent".into(),
            value: pct,
            why: "must be between 0 and 100".into(),
        });
    }
    let start = deductible;
    let mut shares = Vec::with_capacity(lines.len());
    for l in lines {
        let excluded = |k: &str| plan.non_covered.iter().any(|n| n == k);
        let covered = l.kind == LineKind::Item
            && !excluded(&l.product)
            && !l.tax_category.as_deref().is_some_and(excluded);
        let mut rest = l.total;
        let patient;
        if covered {
            let d = deductible.min(rest);
            deductible -= d;
            let c = per_item.min(rest - d);
            rest -= d + c;
            let co = money.round(rest * pct / Decimal::ONE_HUNDRED);
            rest -= co;
            let mut over = Decimal::ZERO;
            if let Some(left) = limit.as_mut() {
                over = (rest - *left).max(Decimal::ZERO);
                rest -= over;
                *left -= rest;
            }
            patient = d + c + co + over;
        } else {
            patient = rest;
            rest = zero;
        }
        shares.push(LineShare {
            line_no: l.line_no,
            covered,
            patient: money.scaled(patient),
            claim: money.scaled(rest),
        });
    }
    let mut left = per_invoice;
    for s in &mut shares {
        let m = left.min(s.claim);
        s.claim -= m;
        s.patient += m;
        left -= m;
    }
    Ok(CopaySplit {
        patient: money.scaled(shares.iter().map(|s| s.patient).sum()),
        claim: money.scaled(shares.iter().map(|s| s.claim).sum()),
        deductible_applied: start - deductible,
        lines: shares,
    })
}
