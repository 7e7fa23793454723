//! Taxes of one line from explicit tax properties, the way ERP tax engines compute them: Odoo's
//! flags (tax-included per tax, "affects the base of subsequent taxes", "base affected by
//! previous taxes", percent / fixed / division taxes, reverse charge, negative withholding
//! rates, per-line or global rounding) and ERPNext's row references (`On Previous Row Amount`,
//! `On Previous Row Total`, `Actual`, `Deduct`). [`compute_taxes`] needs no dated rule,
//! category, date or product: an integrator calls it per line. [`reprice`] re-expresses a
//! tax-included price under another tax set (Odoo's fiscal-position mapping).
//!
//! # The order of computation
//! The taxes are taken in the order given (a `group` label names the group a tax belongs to;
//! its members are listed one after the other). Consecutive taxes of the same amount type, the
//! same `price_include` and the same `include_base_amount` form a *batch*: they share a base and
//! a tax-included batch is extracted from the price together (`100 + Σ rates`). A tax that
//! affects later bases starts a new batch before a following tax whose base it affects.
//!
//! 1. `raw = price_unit × (1 − discount %) × quantity`, rounded to the currency when rounding
//!    per line.
//! 2. Fixed amounts first (`fixed`: `amount × quantity`, signed like the price; `actual`: the
//!    amount for the line, signed like the line), last to first.
//! 3. Tax-included taxes, last to first: percent `base × rate / (100 + Σ batch rates)`,
//!    division `base × rate / 100`.
//! 4. Tax-excluded taxes, first to last: percent `base × rate / 100`, division
//!    `base × rate / (100 − Σ batch rates)` (the full base at 100 %), `previous_row_amount`
//!    `rate % × that row's tax`, `previous_row_total` `rate % × (net + the taxes up to and
//!    including that row)`.
//!
//! Each amount is rounded as it is computed when rounding per line (to the tax's own
//! `rounding_step`, else the currency's minor unit; never when `unrounded`), and then moves the
//! bases of the others: an included tax leaves every other tax's base (except a later one it
//! affects); a tax with `include_base_amount` adds to the base of every later tax with
//! `is_base_affected`. A tax's reported base is `raw` plus what moved it, less its batch's own
//! amounts when it is included. `total_excluded` is the first tax's base and `total_included`
//! adds every amount. Rounding `global` keeps every amount unrounded, for an invoice that rounds
//! once per tax.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::money::{Money, RoundingMode};

/// How a tax's amount is computed from its `amount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum AmountType {
    /// `amount` percent of the base (Odoo `percent`, ERPNext `On Net Total`).
    #[default]
    Percent,
    /// `amount` per unit, times the quantity (Odoo `fixed`, ERPNext `On Item Quantity`).
    Fixed,
    /// `amount` percent of the price including this tax: `base × rate / (100 − rate)` on a
    /// price without it (Odoo `division`, Brazil).
    Division,
    /// `amount` for the whole line, whatever the quantity (ERPNext `Actual`).
    Actual,
}

/// What a percent tax is computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum BaseOn {
    /// The line's net amount, moved by the taxes that affect it.
    #[default]
    Net,
    /// The tax amount of row `row` (ERPNext `On Previous Row Amount`).
    PreviousRowAmount,
    /// The net amount plus the taxes of the rows up to and including `row` (ERPNext
    /// `On Previous Row Total`).
    PreviousRowTotal,
}

/// Who the tax is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Repartition {
    /// Charged to the customer.
    #[default]
    Normal,
    /// Computed and shown, not charged: the tax and its opposite (`reverse_charge: true`) are
    /// both in the result (Odoo's +100 % / −100 % repartition).
    ReverseCharge,
    /// Withheld: the amount is deducted from the line's total (ERPNext `Deduct`, TDS/TCS). A
    /// negative percent (Odoo's −20 % withholding) deducts with `normal` too.
    Withholding,
}

/// One tax with its properties, as Odoo's `account.tax` or an ERPNext taxes-and-charges row
/// has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LineTax {
    /// The name on the invoice (`VAT 21%`, `Eco-fee`, `TDS`).
    pub name: String,
    /// Percent, fixed per unit, division or actual.
    #[serde(default)]
    pub amount_type: AmountType,
    /// Percent (`"21"`, `"-20"`) or amount (`"0.50"`); −1000 to 1000 percent, at most 6
    /// decimals.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
    /// The price already includes this tax (Odoo `price_include`, ERPNext
    /// `included_in_print_rate`).
    #[serde(default)]
    pub price_include: bool,
    /// This tax's amount is added to the base of later taxes with `is_base_affected` (Odoo
    /// "Affect Base of Subsequent Taxes").
    #[serde(default)]
    pub include_base_amount: bool,
    /// Earlier taxes with `include_base_amount` add to this tax's base (Odoo "Base Affected by
    /// Previous Taxes"); default true.
    #[serde(default = "yes")]
    pub is_base_affected: bool,
    /// The net amount, or an earlier row's amount or total (percent taxes only).
    #[serde(default)]
    pub base_on: BaseOn,
    /// The 1-based row that `previous_row_amount` / `previous_row_total` refers to (ERPNext
    /// `row_id`); an earlier row.
    #[serde(default)]
    pub row: Option<u32>,
    /// Charged, reverse charged or withheld.
    #[serde(default)]
    pub repartition: Repartition,
    /// Round this tax to multiples of this step (`"0.05"`) instead of the currency's minor
    /// unit.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub rounding_step: Option<Decimal>,
    /// Leave this tax unrounded on the line.
    #[serde(default)]
    pub unrounded: bool,
    /// The group or account label it is reported under (an Odoo tax group, a GST head).
    #[serde(default)]
    pub group: Option<String>,
}

fn yes() -> bool {
    true
}

/// Where a line's taxes are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum LineRounding {
    /// The base and each tax are rounded on the line (Odoo `round_per_line`, ERPNext).
    #[default]
    PerLine,
    /// Nothing is rounded on the line; the invoice rounds each tax once (Odoo
    /// `round_globally`).
    Global,
}

/// The company's currency when the line is in another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CompanyCurrency {
    /// ISO 4217 code of the company's currency.
    pub currency: String,
    /// Units of the line's currency per unit of the company's (Odoo's `rate`): company amount =
    /// line amount / rate.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub rate: Decimal,
    /// Override of the company currency's minor units.
    #[serde(default)]
    pub minor_units: Option<i32>,
}

/// One line to tax: `compute_taxes(price_unit, quantity, taxes)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxLineRequest {
    /// Price per unit (negative for a refund or exchange line), tax included for the
    /// `price_include` taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub price_unit: Decimal,
    /// Quantity, fractional allowed (at most 6 decimals, |q| ≤ 10⁹; negative for a return).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub quantity: Decimal,
    /// Trade discount in percent of the price, 0 to 100.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub discount_percent: Option<Decimal>,
    /// The taxes, in order.
    #[serde(default)]
    pub taxes: Vec<LineTax>,
    /// ISO 4217 code of the line's currency.
    pub currency: String,
    /// Override of the currency's minor units.
    #[serde(default)]
    pub minor_units: Option<i32>,
    /// Per line (default) or global.
    #[serde(default)]
    pub rounding_method: LineRounding,
    /// Half-up (default) or half-even.
    #[serde(default)]
    pub mode: RoundingMode,
    /// The company's currency and rate, for amounts in both currencies.
    #[serde(default)]
    pub company: Option<CompanyCurrency>,
}

/// One tax of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LineTaxAmount {
    /// The tax's name.
    pub name: String,
    /// Its 1-based row in the request.
    pub row: u32,
    /// Its group label, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The amount it was computed on.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub base: Decimal,
    /// The tax (negative when withheld, or for the opposite entry of a reverse charge).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
    /// The opposite entry of a reverse-charged tax.
    pub reverse_charge: bool,
}

/// The amounts in the company's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CompanyAmounts {
    /// The company's currency.
    pub currency: String,
    /// Total without the taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_excluded: Decimal,
    /// Total with the taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_included: Decimal,
    /// Each tax, in the order of the line's taxes.
    pub taxes: Vec<LineTaxAmount>,
}

/// A line's taxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxLineResult {
    /// The line's currency.
    pub currency: String,
    /// Total without the taxes (the net, taxable value).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_excluded: Decimal,
    /// Total with every tax (reverse charges cancel, withholdings deduct).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_included: Decimal,
    /// Each tax in request order; a reverse-charged tax is followed by its opposite.
    pub taxes: Vec<LineTaxAmount>,
    /// The same in the company's currency, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<CompanyAmounts>,
}

/// A tax-included price re-expressed under another tax set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepriceRequest {
    /// The price under `from`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub price_unit: Decimal,
    /// The taxes the price was set with.
    #[serde(default)]
    pub from: Vec<LineTax>,
    /// The taxes that replace them (a fiscal position's mapping).
    #[serde(default)]
    pub to: Vec<LineTax>,
    /// ISO 4217 code; the new price is rounded to its minor unit (or `price_digits`).
    pub currency: String,
    /// Decimals of the new price, when not the currency's (0 to 6).
    #[serde(default)]
    pub price_digits: Option<i32>,
    /// Half-up (default) or half-even.
    #[serde(default)]
    pub mode: RoundingMode,
}

/// The re-expressed price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Repriced {
    /// The price under the new taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub price_unit: Decimal,
    /// The price without any tax, unrounded.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub price_excluded: Decimal,
}

/// The largest |quantity| of a line.
const MAX_QTY: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// The most decimals of a quantity.
pub const MAX_QTY_DP: u32 = 6;

// Checked arithmetic: every step of a line's taxes stays in range or refuses the line.
fn out_of_range(field: &str, value: Decimal) -> BillingError {
    BillingError::AmountOutOfRange {
        field: field.into(),
        value,
        why: "the line's amounts with its taxes exceed the range of a decimal".into(),
    }
}
fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| out_of_range("taxes", a))
}
fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(|| out_of_range("taxes", a))
}
fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| out_of_range("taxes", a))
}
fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_div(b).ok_or_else(|| out_of_range("taxes", a))
}

fn invalid(field: String, value: Decimal, why: &str) -> BillingError {
    BillingError::InvalidAmount {
        field,
        value,
        why: why.into(),
    }
}

/// Checks one tax list; `at` names the list (`taxes`, `from`, `to`).
pub(crate) fn validate_taxes(taxes: &[LineTax], at: &str) -> Result<()> {
    if taxes.len() > crate::MAX_COMPONENTS * 4 {
        return Err(BillingError::LimitExceeded {
            what: at.into(),
            count: taxes.len(),
            max: crate::MAX_COMPONENTS * 4,
        });
    }
    let rows_used = taxes.iter().any(|t| t.base_on != BaseOn::Net);
    for (i, t) in taxes.iter().enumerate() {
        let f = |name: &str| format!("{at}[{i}].{name}");
        if t.name.trim().is_empty() {
            return Err(BillingError::InvalidField {
                field: f("name"),
                why: "is empty".into(),
            });
        }
        let a = t.amount;
        if a.normalize().scale() > crate::MAX_RATE_DP {
            return Err(invalid(f("amount"), a, "has more than 6 decimal places"));
        }
        match t.amount_type {
            AmountType::Percent | AmountType::Division if a.abs() > Decimal::ONE_THOUSAND => {
                return Err(invalid(f("amount"), a, "a percent must be within ±1000"));
            }
            AmountType::Fixed | AmountType::Actual if a.abs() > crate::MAX_AMOUNT => {
                return Err(BillingError::AmountOutOfRange {
                    field: f("amount"),
                    value: a,
                    why: format!("is beyond ±{}", crate::MAX_AMOUNT),
                });
            }
            _ => {}
        }
        match (t.base_on, t.row) {
            (BaseOn::Net, Some(r)) => {
                return Err(invalid(
                    f("row"),
                    r.into(),
                    "a row is referred to only with base_on previous_row_amount or previous_row_total",
                ));
            }
            (BaseOn::Net, None) => {}
            (_, None) => {
                return Err(BillingError::InvalidField {
                    field: f("row"),
                    why: "base_on a previous row needs the row".into(),
                });
            }
            (_, Some(r)) if r == 0 || r as usize > i => {
                return Err(invalid(
                    f("row"),
                    r.into(),
                    "must be an earlier row (1-based)",
                ));
            }
            (_, Some(_)) if t.amount_type != AmountType::Percent => {
                return Err(BillingError::InvalidField {
                    field: f("amount_type"),
                    why: "only percent taxes are computed on a previous row".into(),
                });
            }
            _ => {}
        }
        if rows_used && t.price_include {
            return Err(BillingError::InvalidField {
                field: f("price_include"),
                why: "a list with previous-row taxes is computed on prices without tax".into(),
            });
        }
        if t.repartition == Repartition::ReverseCharge && t.price_include {
            return Err(BillingError::InvalidField {
                field: f("price_include"),
                why: "a reverse-charged tax is never in the price".into(),
            });
        }
        if t.repartition == Repartition::Withholding && a.is_sign_negative() && !a.is_zero() {
            return Err(invalid(
                f("amount"),
                a,
                "a withholding deducts already: give its rate as a positive number",
            ));
        }
        if let Some(s) = t.rounding_step {
            if s <= Decimal::ZERO || s > crate::MAX_AMOUNT {
                return Err(invalid(
                    f("rounding_step"),
                    s,
                    "must be positive, at most 10^12",
                ));
            }
            if t.unrounded {
                return Err(BillingError::InvalidField {
                    field: f("rounding_step"),
                    why: "give a rounding step or unrounded, not both".into(),
                });
            }
        }
        if t.group.as_deref().is_some_and(|g| g.trim().is_empty()) {
            return Err(BillingError::InvalidField {
                field: f("group"),
                why: "is empty (leave it out instead)".into(),
            });
        }
    }
    Ok(())
}

fn check_price(field: &str, p: Decimal) -> Result<()> {
    if p.abs() > crate::MAX_AMOUNT {
        return Err(BillingError::AmountOutOfRange {
            field: field.into(),
            value: p,
            why: format!("is beyond ±{}", crate::MAX_AMOUNT),
        });
    }
    Ok(())
}

/// One tax's state while a line is computed.
#[derive(Clone, Copy, Default)]
struct Data {
    /// Added to the raw base when this tax's amount is computed.
    extra_for_tax: Decimal,
    /// Added to the raw base when this tax's reported base is computed.
    extra_for_base: Decimal,
    amount: Option<Decimal>,
    base: Decimal,
}

/// How the amounts are rounded on the line.
struct Rounder<'a> {
    money: Option<&'a Money>,
}

impl Rounder<'_> {
    fn round(&self, t: &LineTax, d: Decimal) -> Result<Decimal> {
        let Some(m) = self.money else { return Ok(d) };
        if t.unrounded {
            return Ok(d);
        }
        match t.rounding_step {
            None => Ok(m.round(d)),
            Some(step) => {
                let n = div(d, step)?.round_dp_with_strategy(0, m.mode.strategy());
                let mut r = mul(n, step)?;
                r.rescale(m.dp.max(step.scale()));
                Ok(r)
            }
        }
    }
}

/// `special`: every tax computed as excluded (Odoo's `total_excluded` special mode, for
/// repricing).
struct Line<'a> {
    taxes: &'a [LineTax],
    /// Each tax's batch: `[start, end)` in `taxes`.
    batch: Vec<(usize, usize)>,
    special: bool,
}

impl<'a> Line<'a> {
    fn new(taxes: &'a [LineTax], special: bool) -> Self {
        let included = |t: &LineTax| t.price_include && !special;
        let mut batch = vec![(0, 0); taxes.len()];
        // From the last tax back: a tax joins the batch after it when it has the same amount
        // type, inclusion and `include_base_amount`, both are on the net, and it does not
        // affect the base of the tax right after it.
        let mut end = taxes.len();
        let mut i = taxes.len();
        while i > 0 {
            i -= 1;
            let t = &taxes[i];
            let joins = i + 1 < end && {
                let first = &taxes[i + 1];
                let head = &taxes[end - 1];
                t.amount_type == head.amount_type
                    && included(t) == included(head)
                    && t.include_base_amount == head.include_base_amount
                    && t.base_on == BaseOn::Net
                    && head.base_on == BaseOn::Net
                    && !(t.include_base_amount && first.is_base_affected)
            };
            if !joins && i + 1 < end {
                for b in &mut batch[i + 1..end] {
                    *b = (i + 1, end);
                }
                end = i + 1;
            }
        }
        for b in &mut batch[..end] {
            *b = (0, end);
        }
        Self {
            taxes,
            batch,
            special,
        }
    }

    fn included(&self, i: usize) -> bool {
        self.taxes[i].price_include && !self.special
    }

    fn batch_rate(&self, i: usize) -> Result<Decimal> {
        let (a, b) = self.batch[i];
        self.taxes[a..b]
            .iter()
            .try_fold(Decimal::ZERO, |s, t| add(s, t.amount))
    }

    /// Moves the bases of the other taxes by tax `i`'s amount `a`.
    fn propagate(&self, data: &mut [Data], i: usize, a: Decimal) -> Result<()> {
        let (start, end) = self.batch[i];
        let t = &self.taxes[i];
        let mut move_by = |o: usize, s: Decimal| -> Result<()> {
            let d = &mut data[o];
            if d.amount.is_none() {
                d.extra_for_tax = add(d.extra_for_tax, s)?;
            }
            d.extra_for_base = add(d.extra_for_base, s)?;
            Ok(())
        };
        let after = end..self.taxes.len();
        if self.included(i) {
            for o in after {
                if !t.include_base_amount || !self.taxes[o].is_base_affected {
                    move_by(o, -a)?;
                }
            }
            for o in 0..start {
                move_by(o, -a)?;
            }
        } else if t.include_base_amount {
            for o in after {
                if self.taxes[o].is_base_affected {
                    move_by(o, a)?;
                }
            }
        }
        Ok(())
    }

    /// The amount of tax `i` on `raw` plus what moved its base; `None` when it is not this
    /// pass's kind.
    fn eval(
        &self,
        data: &[Data],
        i: usize,
        raw: Decimal,
        req: (Decimal, Decimal),
        pass: Pass,
    ) -> Result<Option<Decimal>> {
        let t = &self.taxes[i];
        let (price_unit, quantity) = req;
        let base = add(raw, data[i].extra_for_tax)?;
        let hundred = Decimal::ONE_HUNDRED;
        let amount = match (pass, t.amount_type, t.base_on) {
            (Pass::Fixed, AmountType::Fixed, _) => {
                let a = mul(quantity, t.amount)?;
                if price_unit.is_sign_negative() { -a } else { a }
            }
            (Pass::Fixed, AmountType::Actual, _) => {
                if raw.is_sign_negative() {
                    -t.amount
                } else {
                    t.amount
                }
            }
            (Pass::Included, AmountType::Percent, _) => {
                let den = add(hundred, self.batch_rate(i)?)?;
                if den.is_zero() {
                    Decimal::ZERO
                } else {
                    div(mul(base, t.amount)?, den)?
                }
            }
            (Pass::Included, AmountType::Division, _) => div(mul(base, t.amount)?, hundred)?,
            (Pass::Excluded, AmountType::Percent, BaseOn::Net) => {
                div(mul(base, t.amount)?, hundred)?
            }
            (Pass::Excluded, AmountType::Percent, BaseOn::PreviousRowAmount) => {
                let r = t.row.unwrap_or(1) as usize - 1;
                div(mul(data[r].amount.unwrap_or_default(), t.amount)?, hundred)?
            }
            (Pass::Excluded, AmountType::Percent, BaseOn::PreviousRowTotal) => {
                let total = self.row_total(data, raw, t.row.unwrap_or(1) as usize)?;
                div(mul(total, t.amount)?, hundred)?
            }
            (Pass::Excluded, AmountType::Division, _) => {
                let total = self.batch_rate(i)?;
                let den = if total == hundred {
                    hundred
                } else {
                    sub(hundred, total)?
                };
                div(mul(base, t.amount)?, den)?
            }
            _ => return Ok(None),
        };
        Ok(Some(if t.repartition == Repartition::Withholding {
            -amount
        } else {
            amount
        }))
    }

    /// The net plus the taxes of rows `1..=row`.
    fn row_total(&self, data: &[Data], raw: Decimal, row: usize) -> Result<Decimal> {
        data[..row]
            .iter()
            .try_fold(raw, |s, d| add(s, d.amount.unwrap_or_default()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Fixed,
    Included,
    Excluded,
}

/// What a line computes to, before currencies and output.
struct Computed {
    total_excluded: Decimal,
    total_included: Decimal,
    data: Vec<Data>,
}

fn compute(
    taxes: &[LineTax],
    price_unit: Decimal,
    quantity: Decimal,
    rounder: &Rounder<'_>,
    special: bool,
) -> Result<Computed> {
    let mut raw = mul(price_unit, quantity)?;
    if let Some(m) = rounder.money {
        raw = m.round(raw);
    }
    compute_raw(taxes, raw, (price_unit, quantity), rounder, special)
}

/// The taxes on `raw` (the line's amount, tax included for the included taxes unless
/// `special`); `req` is the price and quantity the fixed taxes are computed from.
fn compute_raw(
    taxes: &[LineTax],
    raw: Decimal,
    req: (Decimal, Decimal),
    rounder: &Rounder<'_>,
    special: bool,
) -> Result<Computed> {
    let (price_unit, quantity) = req;
    let line = Line::new(taxes, special);
    let mut data = vec![Data::default(); taxes.len()];
    let order_rev: Vec<usize> = (0..taxes.len()).rev().collect();
    let order: Vec<usize> = (0..taxes.len()).collect();
    for (pass, order) in [
        (Pass::Fixed, &order_rev),
        (Pass::Included, &order_rev),
        (Pass::Excluded, &order),
    ] {
        for &i in order {
            let wrong_pass = match pass {
                Pass::Fixed => false,
                Pass::Included => !line.included(i),
                Pass::Excluded => line.included(i),
            };
            if data[i].amount.is_some() || wrong_pass {
                continue;
            }
            if let Some(a) = line.eval(&data, i, raw, (price_unit, quantity), pass)? {
                let a = rounder.round(&taxes[i], a)?;
                data[i].amount = Some(a);
                line.propagate(&mut data, i, a)?;
            }
        }
    }
    // Reported bases.
    for i in 0..taxes.len() {
        let t = &taxes[i];
        let mut base = add(raw, data[i].extra_for_base)?;
        match t.base_on {
            BaseOn::PreviousRowAmount => {
                base = data[t.row.unwrap_or(1) as usize - 1]
                    .amount
                    .unwrap_or_default();
            }
            BaseOn::PreviousRowTotal => {
                base = line.row_total(&data, raw, t.row.unwrap_or(1) as usize)?;
            }
            BaseOn::Net if line.included(i) => {
                let (a, b) = line.batch[i];
                for d in &data[a..b] {
                    base = sub(base, d.amount.unwrap_or_default())?;
                }
            }
            BaseOn::Net => {}
        }
        data[i].base = base;
    }
    let total_excluded = data.first().map_or(raw, |d| d.base);
    let mut total_included = total_excluded;
    for (d, t) in data.iter().zip(taxes) {
        if t.repartition != Repartition::ReverseCharge {
            total_included = add(total_included, d.amount.unwrap_or_default())?;
        }
    }
    Ok(Computed {
        total_excluded,
        total_included,
        data,
    })
}

fn validate_line(req: &TaxLineRequest) -> Result<()> {
    check_price("price_unit", req.price_unit)?;
    let q = req.quantity;
    if q.abs() > MAX_QTY {
        return Err(BillingError::AmountOutOfRange {
            field: "quantity".into(),
            value: q,
            why: format!("is beyond ±{MAX_QTY}"),
        });
    }
    if q.normalize().scale() > MAX_QTY_DP {
        return Err(invalid(
            "quantity".into(),
            q,
            "has more than 6 decimal places",
        ));
    }
    if let Some(p) = req.discount_percent
        && (p.is_sign_negative() && !p.is_zero() || p > Decimal::ONE_HUNDRED)
    {
        return Err(invalid(
            "discount_percent".into(),
            p,
            "must be between 0 and 100",
        ));
    }
    if let Some(c) = &req.company
        && c.rate <= Decimal::ZERO
    {
        return Err(invalid("company.rate".into(), c.rate, "must be positive"));
    }
    validate_taxes(&req.taxes, "taxes")
}

/// Computes the taxes of one line (see the module documentation for the order).
pub fn compute_taxes(req: &TaxLineRequest) -> Result<TaxLineResult> {
    compute_line(req, None)
}

/// The line's taxes again on a net amount it was moved to (a document discount or a charge
/// spread into its value): every tax computed as excluded on `net`, as when the line's
/// taxable value is given rather than its price.
pub(crate) fn compute_on_net(req: &TaxLineRequest, net: Decimal) -> Result<TaxLineResult> {
    compute_line(req, Some(net))
}

fn compute_line(req: &TaxLineRequest, net: Option<Decimal>) -> Result<TaxLineResult> {
    validate_line(req)?;
    let money = Money::new(&req.currency, req.minor_units, req.mode)?;
    let company_money = req
        .company
        .as_ref()
        .map(|c| Money::new(&c.currency, c.minor_units, req.mode))
        .transpose()?;
    let per_line = req.rounding_method == LineRounding::PerLine;
    let rounder = Rounder {
        money: per_line.then_some(&money),
    };
    let price = match req.discount_percent {
        Some(p) => mul(
            req.price_unit,
            sub(Decimal::ONE, div(p, Decimal::ONE_HUNDRED)?)?,
        )?,
        None => req.price_unit,
    };
    let c = match net {
        None => compute(&req.taxes, price, req.quantity, &rounder, false)?,
        Some(n) => {
            let n = rounder.money.map_or(n, |m| m.round(n));
            compute_raw(&req.taxes, n, (price, req.quantity), &rounder, true)?
        }
    };
    // Rounded amounts at the currency's scale; unrounded ones (global rounding, `unrounded`
    // taxes) as computed.
    let shown = |d: Decimal| {
        if per_line && d.scale() <= money.dp {
            money.scaled(d)
        } else {
            d.normalize()
        }
    };
    let taxes = amounts(&req.taxes, &c.data, shown);
    let company = match (&req.company, &company_money) {
        (Some(cc), Some(cm)) => {
            let conv = |d: Decimal| -> Result<Decimal> {
                let v = div(d, cc.rate)?;
                Ok(if per_line { cm.round(v) } else { v.normalize() })
            };
            let mut taxes = Vec::with_capacity(c.data.len());
            for t in amounts(&req.taxes, &c.data, |d| d) {
                taxes.push(LineTaxAmount {
                    base: conv(t.base)?,
                    amount: conv(t.amount)?,
                    ..t
                });
            }
            Some(CompanyAmounts {
                currency: cc.currency.clone(),
                total_excluded: conv(c.total_excluded)?,
                total_included: conv(c.total_included)?,
                taxes,
            })
        }
        _ => None,
    };
    Ok(TaxLineResult {
        currency: req.currency.clone(),
        total_excluded: shown(c.total_excluded),
        total_included: shown(c.total_included),
        taxes,
        company,
    })
}

/// The result's taxes: each in order, a reverse-charged one followed by its opposite.
fn amounts(
    taxes: &[LineTax],
    data: &[Data],
    shown: impl Fn(Decimal) -> Decimal,
) -> Vec<LineTaxAmount> {
    let mut out = Vec::with_capacity(taxes.len());
    for (i, (t, d)) in taxes.iter().zip(data).enumerate() {
        let one = LineTaxAmount {
            name: t.name.clone(),
            row: i as u32 + 1,
            group: t.group.clone(),
            base: shown(d.base),
            amount: shown(d.amount.unwrap_or_default()),
            reverse_charge: false,
        };
        if t.repartition == Repartition::ReverseCharge {
            let opposite = LineTaxAmount {
                amount: -one.amount,
                reverse_charge: true,
                ..one.clone()
            };
            out.push(one);
            out.push(opposite);
        } else {
            out.push(one);
        }
    }
    out
}

/// Re-expresses a price under another tax set, as Odoo maps a fiscal position: unchanged when
/// the sets are equal or `from` has a tax not included in the price; otherwise the price
/// without `from`'s taxes, plus `to`'s included taxes computed on it.
pub fn reprice(req: &RepriceRequest) -> Result<Repriced> {
    check_price("price_unit", req.price_unit)?;
    validate_taxes(&req.from, "from")?;
    validate_taxes(&req.to, "to")?;
    let money = Money::new(&req.currency, req.price_digits, req.mode)?;
    let none = Rounder { money: None };
    let excluded = compute(&req.from, req.price_unit, Decimal::ONE, &none, false)?.total_excluded;
    if req.from == req.to || req.from.iter().any(|t| !t.price_include) {
        return Ok(Repriced {
            price_unit: money.round(req.price_unit),
            price_excluded: excluded.normalize(),
        });
    }
    let c = compute(&req.to, excluded, Decimal::ONE, &none, true)?;
    let mut price = excluded;
    for (t, d) in req.to.iter().zip(&c.data) {
        if t.price_include {
            price = add(price, d.amount.unwrap_or_default())?;
        }
    }
    Ok(Repriced {
        price_unit: money.round(price),
        price_excluded: excluded.normalize(),
    })
}
