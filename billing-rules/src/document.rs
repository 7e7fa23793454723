//! A document of single lines ([`crate::line`]) and its tax totals, as an ERP's tax totals
//! summary reports them: per tax its base and amount, the untaxed amount, the total, in the
//! document's currency and in the company's, with per-line or global rounding and a cash
//! rounding strategy.
//!
//! - `per_line`: each line is computed and rounded on its own; every total is the sum of the
//!   rounded lines (ERPNext, Odoo's `round_per_line`).
//! - `global`: the lines are computed unrounded; each tax's amount and base, and the untaxed
//!   amount, are summed over the lines and rounded once (Odoo's `round_globally`), then spread
//!   back over the lines so the lines still add up to the totals: each line gets its amount
//!   rounded, and the minor units the totals differ by go one each to the lines rounded
//!   furthest from their amount (ties to the earlier line).
//!
//! Taxes are totalled per distinct tax (every property equal), in order of first appearance; a
//! reverse-charged tax has two rows (the tax and its opposite). A tax left `unrounded` on its
//! lines is rounded once, in its document total. The company's amounts are the
//! document's divided by the rate, rounded in the company's currency: per line, then summed,
//! when rounding per line; once per total when rounding globally.
//!
//! Cash rounding rounds the total to an increment (0.05, 1.00) and either adds a rounding line
//! (`add_line`, the default) or moves the difference into the tax with the largest amount
//! (`biggest_tax`, Odoo's strategy); either way `total_payable = total_included + rounding`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::line::{self, CompanyCurrency, LineRounding, LineTax, TaxLineRequest, TaxLineResult};
use crate::money::{CashDirection, Money, RoundingMode};

/// One line of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxDocumentLine {
    /// Price per unit (see [`TaxLineRequest`]).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub price_unit: Decimal,
    /// Quantity, fractional allowed.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub quantity: Decimal,
    /// Trade discount in percent.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub discount_percent: Option<Decimal>,
    /// The line's taxes, in order.
    #[serde(default)]
    pub taxes: Vec<LineTax>,
    /// Instead of `taxes`: the tax category whose dated rule gives them
    /// (`Billing.price_document`, on the document's `date`).
    #[serde(default)]
    pub tax_category: Option<String>,
    /// With a `tax_category` whose rule has `components`: the price includes them.
    #[serde(default)]
    pub price_includes_tax: bool,
}

/// Where a cash rounding difference goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum CashStrategy {
    /// A rounding line of its own (Odoo `add_invoice_line`).
    #[default]
    AddLine,
    /// Into the tax with the largest amount (Odoo `biggest_tax`).
    BiggestTax,
}

/// Cash rounding of a document's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentCashRounding {
    /// The increment, e.g. `"0.05"`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub increment: Decimal,
    /// Nearest (default), up or down.
    #[serde(default)]
    pub direction: CashDirection,
    /// A rounding line (default) or into the biggest tax.
    #[serde(default)]
    pub strategy: CashStrategy,
}

/// What an additional (document) discount is taken from, as ERPNext's `apply_discount_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DiscountOn {
    /// The untaxed total: the lines' nets fall by the discount, their taxes with them.
    #[default]
    NetTotal,
    /// The grand total: the total with taxes falls by the discount; each line's net falls by
    /// its share of `discount × net total / grand total`.
    GrandTotal,
}

/// An additional discount over the whole document (ERPNext's additional discount), spread
/// over the lines in proportion to their nets, before their taxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentDiscount {
    /// Net total (default) or grand total.
    #[serde(default)]
    pub apply_on: DiscountOn,
    /// The discount as an amount ...
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub amount: Option<Decimal>,
    /// ... or as a percent of the total it applies on.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub percent: Option<Decimal>,
}

/// A charge that the law makes part of the items' taxable value (India: freight on a GST
/// invoice): spread over the lines in proportion to their nets and taxed at each line's taxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValueCharge {
    /// Its name (`Freight`).
    pub name: String,
    /// The amount, without tax.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
}

/// A document of lines to tax together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxDocumentRequest {
    /// ISO 4217 code of the document's currency.
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
    /// The company's currency and rate, for every amount in both currencies.
    #[serde(default)]
    pub company: Option<CompanyCurrency>,
    /// Cash rounding of the total, if any.
    #[serde(default)]
    pub cash_rounding: Option<DocumentCashRounding>,
    /// An additional discount over the document, before taxes.
    #[serde(default)]
    pub discount: Option<DocumentDiscount>,
    /// Charges made part of the items' taxable value.
    #[serde(default)]
    pub charges_in_value: Vec<ValueCharge>,
    /// A cash (non-trade) discount: taken off what is paid, after the taxes, which it does not
    /// change (ERPNext's cash or non-trade discount).
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub cash_discount: Option<Decimal>,
    /// With tax categories: the date whose rules apply.
    #[serde(default, with = "apotheca_core::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub date: Option<NaiveDate>,
    /// With tax categories: the seller's state or region (GST: intra- or inter-state).
    #[serde(default)]
    pub seller_region: Option<String>,
    /// With tax categories: the place of supply (regional rules, inter-state supply).
    #[serde(default)]
    pub place_of_supply: Option<String>,
    /// The lines.
    pub lines: Vec<TaxDocumentLine>,
}

/// One tax over the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentTaxTotal {
    /// The tax's name.
    pub name: String,
    /// Its group label, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The opposite row of a reverse-charged tax.
    pub reverse_charge: bool,
    /// The base it was computed on, over the lines that carry it.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub base: Decimal,
    /// The tax (with a `biggest_tax` cash rounding, the difference included).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
}

/// The totals in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentTotals {
    /// The currency.
    pub currency: String,
    /// Per distinct tax, in order of first appearance.
    pub taxes: Vec<DocumentTaxTotal>,
    /// The untaxed amount.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_excluded: Decimal,
    /// Σ of the tax rows (withholdings deduct, reverse charges cancel).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_tax: Decimal,
    /// The additional discount taken off the lines' nets (already in `total_excluded`).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub discount: Decimal,
    /// The cash (non-trade) discount taken off what is paid.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub cash_discount: Decimal,
    /// Untaxed plus taxes, before the cash discount and cash rounding.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_included: Decimal,
    /// The cash rounding line (zero without one, or with `biggest_tax`).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub rounding: Decimal,
    /// What is to be paid: the total less the cash discount, cash-rounded.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_payable: Decimal,
}

/// A taxed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxDocument {
    /// Each line, rounded (with `global`, its share of the rounded totals).
    pub lines: Vec<TaxLineResult>,
    /// The totals in the document's currency.
    pub totals: DocumentTotals,
    /// The totals in the company's currency, when one is given (cash rounding applies to
    /// the document's currency only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<DocumentTotals>,
}

/// The most lines one document may have.
pub const MAX_DOCUMENT_LINES: usize = crate::MAX_INVOICE_LINES;

fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| BillingError::AmountOutOfRange {
            field: "lines".into(),
            value: a,
            why: "the document's totals exceed the range of a decimal".into(),
        })
}

/// Rounds each amount and moves whole minor units so that the parts add up to `total`: the
/// units go to the parts rounded furthest below (or, taken back, above) their amount.
fn spread(money: &Money, raw: &[Decimal], total: Decimal) -> Vec<Decimal> {
    let mut parts: Vec<Decimal> = raw.iter().map(|r| money.round(*r)).collect();
    let unit = money.unit();
    let given: Decimal = parts.iter().sum();
    // At most one unit per part either way: the parts are each within half a unit.
    let mut k = ((total - given) / unit).round().to_i64().unwrap_or(0);
    let mut order: Vec<usize> = (0..raw.len()).collect();
    // Most rounded down first when units are to be added; most rounded up first otherwise.
    order.sort_by(|&a, &b| {
        let (da, db) = (raw[a] - parts[a], raw[b] - parts[b]);
        if k >= 0 { db.cmp(&da) } else { da.cmp(&db) }.then(a.cmp(&b))
    });
    let mut i = 0;
    while k != 0 && !order.is_empty() {
        let j = order[i % order.len()];
        if k > 0 {
            parts[j] += unit;
            k -= 1;
        } else {
            parts[j] -= unit;
            k += 1;
        }
        i += 1;
    }
    parts
}

/// The position of each line's taxes among the document's distinct taxes.
fn distinct_taxes(lines: &[TaxDocumentLine]) -> (Vec<&LineTax>, Vec<Vec<usize>>) {
    let mut seen: Vec<&LineTax> = Vec::new();
    let slots = lines
        .iter()
        .map(|l| {
            l.taxes
                .iter()
                .map(|t| match seen.iter().position(|s| *s == t) {
                    Some(k) => k,
                    None => {
                        seen.push(t);
                        seen.len() - 1
                    }
                })
                .collect()
        })
        .collect();
    (seen, slots)
}

/// Taxes a document of lines and totals it (see the module documentation).
pub fn compute_document(req: &TaxDocumentRequest) -> Result<TaxDocument> {
    if req.lines.len() > MAX_DOCUMENT_LINES {
        return Err(BillingError::LimitExceeded {
            what: "lines".into(),
            count: req.lines.len(),
            max: MAX_DOCUMENT_LINES,
        });
    }
    if let Some(i) = req.lines.iter().position(|l| l.tax_category.is_some()) {
        return Err(BillingError::InvalidField {
            field: format!("lines[{i}].tax_category"),
            why: "a tax category needs the dated rules: price the document with a Billing's price_document".into(),
        });
    }
    let money = Money::new(&req.currency, req.minor_units, req.mode)?;
    if let Some(c) = &req.cash_rounding {
        if c.increment <= Decimal::ZERO || c.increment > crate::MAX_AMOUNT {
            return Err(BillingError::InvalidAmount {
                field: "cash_rounding.increment".into(),
                value: c.increment,
                why: "must be positive, at most 10^12".into(),
            });
        }
        money.check(|| "cash_rounding.increment".into(), c.increment)?;
    }
    let global = req.rounding_method == LineRounding::Global;
    // Each line on its own: rounded (per line) or unrounded (global); the company's amounts
    // come with it when rounding per line.
    let mut lines = Vec::with_capacity(req.lines.len());
    let mut reqs = Vec::with_capacity(req.lines.len());
    for (i, l) in req.lines.iter().enumerate() {
        let one = TaxLineRequest {
            price_unit: l.price_unit,
            quantity: l.quantity,
            discount_percent: l.discount_percent,
            taxes: l.taxes.clone(),
            currency: req.currency.clone(),
            minor_units: req.minor_units,
            rounding_method: req.rounding_method,
            mode: req.mode,
            company: if global { None } else { req.company.clone() },
        };
        let computed = line::compute_taxes(&one).map_err(|e| at_line(e, i))?;
        bounded(&computed, i)?;
        lines.push(computed);
        reqs.push(one);
    }
    let discount = adjust_nets(req, &money, &reqs, &mut lines)?;
    let cash_discount = match req.cash_discount {
        Some(d) => {
            money.check(|| "cash_discount".into(), d)?;
            check_amount("cash_discount", d)?;
            money.scaled(d)
        }
        None => money.scaled(Decimal::ZERO),
    };
    let (distinct, slots) = distinct_taxes(&req.lines);
    // Document totals from the lines' (unrounded or rounded) amounts.
    let mut rows: Vec<(usize, bool)> = Vec::new();
    let mut sums: Vec<(Decimal, Decimal)> = Vec::new();
    let mut cells: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut excluded = Decimal::ZERO;
    for (i, l) in lines.iter().enumerate() {
        excluded = add(excluded, l.total_excluded)?;
        for (j, t) in l.taxes.iter().enumerate() {
            // Each result row names its tax (`row`, 1-based) and whether it is a reverse
            // charge's opposite: its distinct-tax slot follows.
            let key = (slots[i][t.row as usize - 1], t.reverse_charge);
            let r = match rows.iter().position(|x| *x == key) {
                Some(r) => r,
                None => {
                    rows.push(key);
                    sums.push((Decimal::ZERO, Decimal::ZERO));
                    cells.push(Vec::new());
                    rows.len() - 1
                }
            };
            sums[r] = (add(sums[r].0, t.base)?, add(sums[r].1, t.amount)?);
            cells[r].push((i, j));
        }
    }
    let company_raw = if global && req.company.is_some() {
        Some(company_totals(
            req,
            &rows,
            &distinct,
            &sums,
            (excluded, discount, cash_discount),
        )?)
    } else {
        None
    };
    if global {
        // Round each total once and spread it back over the lines.
        let raw: Vec<Decimal> = lines.iter().map(|l| l.total_excluded).collect();
        for (l, part) in lines
            .iter_mut()
            .zip(spread(&money, &raw, money.round(excluded)))
        {
            l.total_excluded = part;
        }
        for (r, cells) in cells.iter().enumerate() {
            for (field, total) in [(0, sums[r].0), (1, sums[r].1)] {
                let raw: Vec<Decimal> = cells
                    .iter()
                    .map(|&(i, j)| {
                        let t = &lines[i].taxes[j];
                        if field == 0 { t.base } else { t.amount }
                    })
                    .collect();
                for (&(i, j), part) in cells.iter().zip(spread(&money, &raw, money.round(total))) {
                    let t = &mut lines[i].taxes[j];
                    if field == 0 {
                        t.base = part;
                    } else {
                        t.amount = part;
                    }
                }
            }
        }
        for l in &mut lines {
            let charged: Decimal = l.taxes.iter().map(|t| t.amount).sum();
            l.total_included = l.total_excluded + charged;
        }
    }
    let taxes: Vec<DocumentTaxTotal> = rows
        .iter()
        .zip(&cells)
        .map(|(&(s, reverse), cells)| {
            let (mut base, mut amount) = (money.scaled(Decimal::ZERO), money.scaled(Decimal::ZERO));
            for &(i, j) in cells {
                base += lines[i].taxes[j].base;
                amount += lines[i].taxes[j].amount;
            }
            // A tax left unrounded on its lines is rounded once over the document.
            tax_row(distinct[s], reverse, money.round(base), money.round(amount))
        })
        .collect();
    let total_excluded = money.round(lines.iter().map(|l| l.total_excluded).sum());
    let totals = finish(
        &money,
        req.currency.clone(),
        taxes,
        total_excluded,
        Extras {
            cash: req.cash_rounding.as_ref(),
            discount,
            cash_discount,
        },
    );
    let company = match (&req.company, company_raw) {
        (None, _) => None,
        (Some(_), Some(c)) => Some(c),
        (Some(cc), None) => {
            // Per line: the sums of the lines' company amounts.
            let cm = Money::new(&cc.currency, cc.minor_units, req.mode)?;
            let mut taxes: Vec<DocumentTaxTotal> = rows
                .iter()
                .map(|&(s, reverse)| {
                    let zero = cm.scaled(Decimal::ZERO);
                    tax_row(distinct[s], reverse, zero, zero)
                })
                .collect();
            for (r, cells) in cells.iter().enumerate() {
                for &(i, j) in cells {
                    if let Some(c) = &lines[i].company {
                        taxes[r].base += c.taxes[j].base;
                        taxes[r].amount += c.taxes[j].amount;
                    }
                }
            }
            let excl = lines
                .iter()
                .filter_map(|l| l.company.as_ref())
                .fold(cm.scaled(Decimal::ZERO), |s, c| s + c.total_excluded);
            let extras = Extras {
                cash: None,
                discount: conv_to(&cm, cc, discount)?,
                cash_discount: conv_to(&cm, cc, cash_discount)?,
            };
            Some(finish(&cm, cc.currency.clone(), taxes, excl, extras))
        }
    };
    Ok(TaxDocument {
        lines,
        totals,
        company,
    })
}

/// An amount in the document's currency, in the company's: at most [`crate::MAX_TOTAL`], so
/// the company's totals can be summed.
fn conv_to(cm: &Money, cc: &CompanyCurrency, d: Decimal) -> Result<Decimal> {
    d.checked_div(cc.rate)
        .filter(|v| v.abs() <= crate::MAX_TOTAL)
        .map(|v| cm.round(v))
        .ok_or_else(|| BillingError::AmountOutOfRange {
            field: "company.rate".into(),
            value: cc.rate,
            why: "the company's amounts exceed the range of a decimal".into(),
        })
}

/// The company's totals when rounding globally: each raw total divided by the rate, rounded
/// once in the company's currency. `amounts`: the untaxed total, the discount and the cash
/// discount.
fn company_totals(
    req: &TaxDocumentRequest,
    rows: &[(usize, bool)],
    distinct: &[&LineTax],
    sums: &[(Decimal, Decimal)],
    amounts: (Decimal, Decimal, Decimal),
) -> Result<DocumentTotals> {
    let Some(cc) = &req.company else {
        return Err(BillingError::InvalidInput("no company currency".into()));
    };
    let cm = Money::new(&cc.currency, cc.minor_units, req.mode)?;
    let mut taxes = Vec::with_capacity(rows.len());
    for (&(s, reverse), &(base, amount)) in rows.iter().zip(sums) {
        taxes.push(tax_row(
            distinct[s],
            reverse,
            conv_to(&cm, cc, base)?,
            conv_to(&cm, cc, amount)?,
        ));
    }
    let (excluded, discount, cash_discount) = amounts;
    let extras = Extras {
        cash: None,
        discount: conv_to(&cm, cc, discount)?,
        cash_discount: conv_to(&cm, cc, cash_discount)?,
    };
    Ok(finish(
        &cm,
        cc.currency.clone(),
        taxes,
        conv_to(&cm, cc, excluded)?,
        extras,
    ))
}

/// What the totals take besides the taxes.
struct Extras<'a> {
    cash: Option<&'a DocumentCashRounding>,
    discount: Decimal,
    cash_discount: Decimal,
}

/// Sums the tax rows into the totals, takes the cash discount and applies the cash rounding.
fn finish(
    money: &Money,
    currency: String,
    mut taxes: Vec<DocumentTaxTotal>,
    total_excluded: Decimal,
    extras: Extras<'_>,
) -> DocumentTotals {
    let zero = money.scaled(Decimal::ZERO);
    let mut total_tax = money.scaled(taxes.iter().map(|t| t.amount).sum::<Decimal>() + zero);
    let mut total_included = total_excluded + total_tax;
    let due = total_included - extras.cash_discount;
    let (mut rounding, mut payable) = (zero, due);
    if let Some(c) = extras.cash {
        let rounded = money.cash(
            due,
            Some(&crate::money::CashRounding {
                increment: c.increment,
                direction: c.direction,
            }),
        );
        let diff = rounded - due;
        payable = rounded;
        let biggest = taxes
            .iter_mut()
            .filter(|t| !t.reverse_charge)
            .reduce(|a, b| {
                if b.amount.abs() > a.amount.abs() {
                    b
                } else {
                    a
                }
            });
        match (c.strategy, biggest) {
            (CashStrategy::BiggestTax, Some(t)) => {
                t.amount += diff;
                total_tax += diff;
                total_included += diff;
            }
            _ => rounding = diff,
        }
    }
    DocumentTotals {
        currency,
        taxes,
        total_excluded,
        total_tax,
        discount: extras.discount,
        cash_discount: extras.cash_discount,
        total_included,
        rounding,
        total_payable: payable,
    }
}

fn check_amount(field: &str, d: Decimal) -> Result<()> {
    if d > crate::MAX_TOTAL {
        return Err(BillingError::AmountOutOfRange {
            field: field.into(),
            value: d,
            why: format!("is above {}", crate::MAX_TOTAL),
        });
    }
    Ok(())
}

/// `total` over the lines in proportion to `weights` (their nets): whole minor units adding up
/// to `total` when rounding per line, exact shares when rounding globally. All weights zero:
/// the first line takes it.
fn shares(money: Option<&Money>, weights: &[Decimal], total: Decimal) -> Result<Vec<Decimal>> {
    let sum = weights.iter().try_fold(Decimal::ZERO, |s, w| add(s, *w))?;
    let mut raw = vec![Decimal::ZERO; weights.len()];
    if sum.is_zero() {
        if let Some(first) = raw.first_mut() {
            *first = total;
        }
    } else {
        for (r, w) in raw.iter_mut().zip(weights) {
            // The weight's fraction first: |w / sum| can exceed 1 with negative lines, but
            // stays far inside the range for the bounded amounts a line has.
            *r = w
                .checked_div(sum)
                .and_then(|f| total.checked_mul(f))
                .ok_or_else(|| BillingError::AmountOutOfRange {
                    field: "lines".into(),
                    value: total,
                    why: "the document's totals exceed the range of a decimal".into(),
                })?;
        }
    }
    Ok(match money {
        Some(m) => spread(m, &raw, m.round(total)),
        None => raw,
    })
}

/// Moves the lines' nets by the charges made part of their value and the additional
/// discount, and taxes them again on their new nets. Returns the discount.
fn adjust_nets(
    req: &TaxDocumentRequest,
    money: &Money,
    reqs: &[TaxLineRequest],
    lines: &mut [TaxLineResult],
) -> Result<Decimal> {
    let zero = money.scaled(Decimal::ZERO);
    if req.discount.is_none() && req.charges_in_value.is_empty() {
        return Ok(zero);
    }
    let per_line = req.rounding_method == LineRounding::PerLine;
    let rounded = per_line.then_some(money);
    let nets: Vec<Decimal> = lines.iter().map(|l| l.total_excluded).collect();
    let net_total = nets.iter().try_fold(Decimal::ZERO, |s, n| add(s, *n))?;
    let grand_total = lines
        .iter()
        .try_fold(Decimal::ZERO, |s, l| add(s, l.total_included))?;
    let mut moved = nets.clone();
    for (k, c) in req.charges_in_value.iter().enumerate() {
        let field = format!("charges_in_value[{k}].amount");
        money.check(|| field.clone(), c.amount)?;
        check_amount(&field, c.amount)?;
        if c.name.trim().is_empty() {
            return Err(BillingError::InvalidField {
                field: format!("charges_in_value[{k}].name"),
                why: "is empty".into(),
            });
        }
        for (m, s) in moved.iter_mut().zip(shares(rounded, &nets, c.amount)?) {
            *m = add(*m, s)?;
        }
    }
    let mut discount = zero;
    let mut target = None;
    if let Some(d) = &req.discount {
        let on = match d.apply_on {
            DiscountOn::NetTotal => net_total,
            DiscountOn::GrandTotal => grand_total,
        };
        discount = match (d.amount, d.percent) {
            (Some(a), None) => {
                money.check(|| "discount.amount".into(), a)?;
                check_amount("discount.amount", a)?;
                money.scaled(a)
            }
            (None, Some(p)) if !p.is_sign_negative() && p <= Decimal::ONE_HUNDRED => {
                money.round(on * p / Decimal::ONE_HUNDRED)
            }
            (None, Some(p)) => {
                return Err(BillingError::InvalidAmount {
                    field: "discount.percent".into(),
                    value: p,
                    why: "must be between 0 and 100".into(),
                });
            }
            _ => {
                return Err(BillingError::InvalidField {
                    field: "discount".into(),
                    why: "give an amount or a percent, one of them".into(),
                });
            }
        };
        if discount > on.abs() {
            return Err(BillingError::DiscountTooLarge {
                scope: "invoice".into(),
                discount,
                amount: on,
            });
        }
        let cut = match d.apply_on {
            DiscountOn::NetTotal => discount,
            DiscountOn::GrandTotal if grand_total.is_zero() => Decimal::ZERO,
            DiscountOn::GrandTotal => net_total
                .checked_div(grand_total)
                .and_then(|f| discount.checked_mul(f))
                .ok_or_else(|| BillingError::AmountOutOfRange {
                    field: "discount".into(),
                    value: discount,
                    why: "the discount's share of the nets exceeds the range of a decimal".into(),
                })?,
        };
        for (m, s) in moved.iter_mut().zip(shares(rounded, &nets, cut)?) {
            *m -= s;
        }
        if d.apply_on == DiscountOn::GrandTotal && per_line {
            target = Some(grand_total - discount);
        }
    }
    for (i, (one, net)) in reqs.iter().zip(moved).enumerate() {
        lines[i] = line::compute_on_net(one, net).map_err(|e| at_line(e, i))?;
        bounded(&lines[i], i)?;
    }
    // As ERPNext: what rounding leaves between the grand total less the discount and the
    // lines goes into the last tax of the last line that has one.
    if let Some(target) = target {
        let now: Decimal = lines.iter().map(|l| l.total_included).sum();
        let loss = target - now;
        if !loss.is_zero()
            && let Some(l) = lines
                .iter_mut()
                .rev()
                .find(|l| l.taxes.iter().any(|t| !t.reverse_charge))
            && let Some(t) = l.taxes.iter_mut().rev().find(|t| !t.reverse_charge)
        {
            t.amount += loss;
            l.total_included += loss;
        }
    }
    Ok(discount)
}

impl crate::rules::TaxRules {
    /// Taxes a document whose lines name tax categories: each line's taxes are its category's
    /// rule in force on the document's `date` (for its region and place of supply), in the
    /// general model (`TaxRule::line_taxes`: GST as CGST + SGST within a state, IGST across),
    /// then the document is computed as [`compute_document`] does. A line may give its own
    /// `taxes` instead of a category.
    pub fn price_document(&self, req: &TaxDocumentRequest) -> Result<TaxDocument> {
        let mut doc = req.clone();
        let supply = crate::invoice::Supply::between(
            req.seller_region.as_deref(),
            req.place_of_supply.as_deref(),
        );
        for (i, l) in doc.lines.iter_mut().enumerate() {
            let Some(category) = l.tax_category.take() else {
                continue;
            };
            if !l.taxes.is_empty() {
                return Err(BillingError::InvalidField {
                    field: format!("lines[{i}].taxes"),
                    why: "give taxes or a tax_category, not both".into(),
                });
            }
            let Some(date) = req.date else {
                return Err(BillingError::InvalidField {
                    field: "date".into(),
                    why: "lines with a tax category need the document's date".into(),
                });
            };
            let line = i as i64 + 1;
            let (rule, _, _) =
                self.rule_in_force(line, &category, req.place_of_supply.as_deref(), date)?;
            l.taxes = rule.line_taxes(supply, l.price_includes_tax);
        }
        compute_document(&doc)
    }
}

/// Refuses a line any of whose amounts (in either currency) is beyond [`crate::MAX_TOTAL`]:
/// with at most [`MAX_DOCUMENT_LINES`] lines every total the document sums stays far inside a
/// decimal's range.
fn bounded(l: &TaxLineResult, i: usize) -> Result<()> {
    let company = l.company.as_ref();
    let amounts = [l.total_excluded, l.total_included]
        .into_iter()
        .chain(l.taxes.iter().flat_map(|t| [t.base, t.amount]))
        .chain(company.into_iter().flat_map(|c| {
            [c.total_excluded, c.total_included]
                .into_iter()
                .chain(c.taxes.iter().flat_map(|t| [t.base, t.amount]))
        }));
    for a in amounts {
        if a.abs() > crate::MAX_TOTAL {
            return Err(BillingError::AmountOutOfRange {
                field: format!("lines[{i}]"),
                value: a,
                why: format!("the line's amounts exceed {}", crate::MAX_TOTAL),
            });
        }
    }
    Ok(())
}

/// Names the line an error came from.
fn at_line(e: BillingError, i: usize) -> BillingError {
    let prefix = |f: String| format!("lines[{i}].{f}");
    match e {
        BillingError::InvalidField { field, why } => BillingError::InvalidField {
            field: prefix(field),
            why,
        },
        BillingError::InvalidAmount { field, value, why } => BillingError::InvalidAmount {
            field: prefix(field),
            value,
            why,
        },
        BillingError::AmountOutOfRange { field, value, why } => BillingError::AmountOutOfRange {
            field: prefix(field),
            value,
            why,
        },
        other => other,
    }
}

/// A tax-total row for a distinct tax.
fn tax_row(t: &LineTax, reverse_charge: bool, base: Decimal, amount: Decimal) -> DocumentTaxTotal {
    DocumentTaxTotal {
        name: t.name.clone(),
        group: t.group.clone(),
        reverse_charge,
        base,
        amount,
    }
}
