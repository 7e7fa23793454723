//! Payments against an amount due: split tender, partial payment, balance due and change
//! (given only from cash).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::money::Money;

/// An amount tendered by one method (`cash`, `card`, `upi`, `insurance`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tender {
    /// Payment method; `cash` (any case) is the one change is given from.
    pub method: String,
    /// Amount tendered, positive.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
}

/// What the tenders settle. `paid - change + balance_due == due`, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// Amount due.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub due: Decimal,
    /// Σ tenders.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub paid: Decimal,
    /// Still owed (partial payment).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub balance_due: Decimal,
    /// Given back in cash.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub change: Decimal,
    /// The tenders, summed per method in order of first appearance.
    pub tenders: Vec<Tender>,
}

/// Settles `due` in `currency` with the tenders.
pub fn settle(
    currency: &str,
    minor_units: Option<i32>,
    due: Decimal,
    tenders: &[Tender],
) -> Result<Settlement> {
    let money = Money::new(currency, minor_units, Default::default())?;
    let due = money.check(|| "due".into(), due)?;
    settle_with(&money, due, tenders)
}

pub(crate) fn settle_with(money: &Money, due: Decimal, tenders: &[Tender]) -> Result<Settlement> {
    if tenders.len() > crate::MAX_TENDERS {
        return Err(BillingError::LimitExceeded {
            what: "tenders".into(),
            count: tenders.len(),
            max: crate::MAX_TENDERS,
        });
    }
    let due = money.check(|| "due".into(), due)?;
    let mut by_method: Vec<Tender> = Vec::new();
    for t in tenders {
        if t.method.trim().is_empty() {
            return Err(BillingError::InvalidInput(
                "a tender has an empty method".into(),
            ));
        }
        let amount = money.check(|| format!("tender {} amount", t.method), t.amount)?;
        if amount.is_zero() {
            return Err(BillingError::InvalidAmount {
                field: format!("tender {} amount", t.method),
                value: t.amount,
                why: "must be positive".into(),
            });
        }
        match by_method.iter_mut().find(|x| x.method == t.method) {
            Some(x) => x.amount += amount,
            None => by_method.push(Tender {
                method: t.method.clone(),
                amount,
            }),
        }
    }
    let zero = money.scaled(Decimal::ZERO);
    let paid = money.scaled(by_method.iter().map(|t| t.amount).sum());
    let cash: Decimal = by_method
        .iter()
        .filter(|t| t.method.eq_ignore_ascii_case("cash"))
        .map(|t| t.amount)
        .sum();
    let (balance_due, change) = if paid <= due {
        (due - paid, zero)
    } else {
        let over = paid - due;
        if over > cash {
            return Err(BillingError::Overpayment {
                over,
                cash: money.scaled(cash),
            });
        }
        (zero, over)
    };
    Ok(Settlement {
        due,
        paid,
        balance_due,
        change,
        tenders: by_method,
    })
}
