//! Tax heads and their exact arithmetic: a rule's components compiled into heads (GST becomes
//! CGST and SGST, or IGST), taxes forward from a base and back out of a tax-inclusive price,
//! the largest line value a price can reach with its taxes, and per-head totals. Pricing,
//! credit notes and day summaries all compute taxes here.

use apotheca_core::Text;
use rust_decimal::Decimal;

use crate::error::{BillingError, Result};
use crate::invoice::{Supply, TaxAmount, TaxTotal};
use crate::money::Money;
use crate::rules::{ComponentKind, TaxRule};

/// One tax head of a rule, compiled once when the rules are loaded.
#[derive(Debug, Clone)]
pub struct Head {
    pub(crate) name: Text,
    /// Percent, or amount per unit.
    pub(crate) rate: Decimal,
    /// `rate / 100` for a percent head (a multiplication is cheaper than a division).
    pub(crate) frac: Decimal,
    pub(crate) fixed: bool,
    pub(crate) compound: bool,
    /// Σ of the percent rates of the heads this one is listed with (the category summary's rate).
    pub(crate) group_rate: Decimal,
    /// For a list of plain percent heads: this head's tax on an amount `a` is exactly
    /// `a × num / den_excl` (price without tax) or `a × num / den_incl` (price with tax), in
    /// integers, so a half minor unit is seen exactly and rounded by the mode.
    pub(crate) exact: Option<Exact>,
    /// Index of this (name, rate) among the rule set's distinct heads.
    pub(crate) key: usize,
}

/// Integer ratio of a plain percent head: `num = rate × 10^s`, `den_excl = 100 × 10^s`,
/// `den_incl = (100 + Σ rates) × 10^s`.
#[derive(Debug, Clone, Copy)]
pub struct Exact {
    pub(crate) num: i128,
    pub(crate) den_excl: i128,
    pub(crate) den_incl: i128,
}

/// A rule's heads for a supply type: GST becomes CGST + SGST or IGST.
pub(crate) fn heads_of(rule: &TaxRule, supply: Supply) -> Vec<Head> {
    let mut out = Vec::with_capacity(rule.components.len() + 1);
    let head = |name: &str, rate: Decimal, fixed, compound| Head {
        name: Text::from(name),
        rate: rate.normalize(),
        frac: rate * PERCENT,
        fixed,
        compound,
        group_rate: Decimal::ZERO,
        exact: None,
        key: 0,
    };
    for c in &rule.components {
        match c.kind {
            ComponentKind::Percent => out.push(head(&c.name, c.rate, false, c.compound)),
            ComponentKind::Fixed => out.push(head(&c.name, c.rate, true, false)),
            ComponentKind::Gst if supply == Supply::InterState => {
                out.push(head("IGST", c.rate, false, false))
            }
            ComponentKind::Gst => {
                let half = c.rate / Decimal::TWO;
                out.push(head("CGST", half, false, false));
                out.push(head("SGST", half, false, false));
            }
        }
    }
    let group_rate = out
        .iter()
        .filter(|h| !h.fixed)
        .map(|h| h.rate)
        .sum::<Decimal>()
        .normalize();
    let simple = out.iter().all(|h| !h.fixed && !h.compound);
    let s = out
        .iter()
        .map(|h| h.rate.scale())
        .max()
        .unwrap_or(0)
        .min(12);
    let int = |d: Decimal| -> Option<i128> {
        (d.scale() <= s).then(|| d.mantissa() * 10i128.pow(s - d.scale()))
    };
    let total: Option<i128> = out.iter().map(|h| int(h.rate)).sum();
    for h in &mut out {
        h.group_rate = group_rate;
        h.exact = match (simple, int(h.rate), total) {
            (true, Some(num), Some(total)) => Some(Exact {
                num,
                den_excl: 100 * 10i128.pow(s),
                den_incl: 100 * 10i128.pow(s) + total,
            }),
            _ => None,
        };
    }
    out
}

/// 0.01: a percent as a fraction.
pub(crate) const PERCENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Taxes on a taxable value `x` of `units` units, in head order; rounded per head when
/// `money` is given (compound heads then build on the rounded heads before them).
pub(crate) fn forward(
    heads: &[Head],
    x: Decimal,
    units: i64,
    money: Option<&Money>,
) -> Vec<Decimal> {
    let mut before = Decimal::ZERO;
    heads
        .iter()
        .map(|h| {
            let raw = if h.fixed {
                h.rate * Decimal::from(units)
            } else if h.compound {
                (x + before) * h.frac
            } else {
                x * h.frac
            };
            let t = money.map_or(raw, |m| m.round(raw));
            before += t;
            t
        })
        .collect()
}

/// `(k, c)` such that value plus all taxes, unrounded, is `k·x + c`: inverting it back-computes
/// the taxable value of a tax-inclusive amount.
pub(crate) fn affine(heads: &[Head], units: i64) -> (Decimal, Decimal) {
    let (mut k, mut c) = (Decimal::ONE, Decimal::ZERO);
    for h in heads {
        if h.fixed {
            c += h.rate * Decimal::from(units);
        } else if h.compound {
            (k, c) = (k + k * h.frac, c + c * h.frac);
        } else {
            k += h.frac;
        }
    }
    (k, c)
}

/// [`affine`] for `units` units with checked arithmetic: `None` when `k` or `c` leaves
/// `Decimal`'s range.
fn affine_checked(heads: &[Head], units: Decimal) -> Option<(Decimal, Decimal)> {
    let (mut k, mut c) = (Decimal::ONE, Decimal::ZERO);
    for h in heads {
        if h.fixed {
            c = c.checked_add(h.rate.checked_mul(units)?)?;
        } else if h.compound {
            (k, c) = (
                k.checked_add(k.checked_mul(h.frac)?)?,
                c.checked_add(c.checked_mul(h.frac)?)?,
            );
        } else {
            k = k.checked_add(h.frac)?;
        }
    }
    Some((k, c))
}

/// `k` of [`affine`], computed with checked arithmetic, for heads without a fixed amount (for
/// them a value with its taxes is `k·x` whatever the units); `None` for other heads or when
/// `k` is out of range.
pub(crate) fn percent_factor(heads: &[Head]) -> Option<Decimal> {
    if heads.iter().any(|h| h.fixed) {
        return None;
    }
    affine_checked(heads, Decimal::ONE).map(|(k, _)| k)
}

/// Refuses a line whose value with its taxes (price × units × k + fixed taxes, compounded)
/// would exceed [`crate::MAX_LINE_TOTAL`]: computed with checked arithmetic before any of the
/// line's amounts, so that everything pricing does with the line afterwards stays in range.
pub(crate) fn check_line_total(
    heads: &[Head],
    unit_price: Decimal,
    units: i64,
    field: impl Fn() -> String,
) -> Result<()> {
    let units_d = Decimal::from(units);
    let total = affine_checked(heads, units_d).and_then(|(k, c)| {
        unit_price
            .checked_mul(units_d)?
            .checked_mul(k)?
            .checked_add(c)
    });
    match total {
        Some(t) if t <= crate::MAX_LINE_TOTAL => Ok(()),
        _ => Err(BillingError::AmountOutOfRange {
            field: field(),
            value: unit_price,
            why: format!(
                "{units} units at this price with their taxes exceed the largest line value, {}",
                crate::MAX_LINE_TOTAL
            ),
        }),
    }
}

/// How many of `items` before `i` have the same head name and rate as `items[i]`: a rule with
/// the same head twice (two `Service Tax 14 %`) keeps two heads, each with its own taxable
/// value, in every total.
pub(crate) fn nth_of<T>(items: &[T], i: usize, key: impl Fn(&T) -> (&str, Decimal)) -> usize {
    let k = key(&items[i]);
    items[..i].iter().filter(|x| key(x) == k).count()
}

/// Adds `t` into `into`, keyed by head name, rate and its occurrence `nth` in its document.
pub(crate) fn add_tax(into: &mut Vec<TaxTotal>, t: &TaxAmount, taxable: Decimal, nth: usize) {
    match into
        .iter_mut()
        .filter(|x| x.name == t.name && x.rate == t.rate)
        .nth(nth)
    {
        Some(x) => {
            x.taxable += taxable;
            x.amount += t.amount;
        }
        None => into.push(TaxTotal {
            name: t.name.clone(),
            rate: t.rate,
            taxable,
            amount: t.amount,
        }),
    }
}

/// Per tax head over `(taxable, taxes)` of lines: the taxable value of the lines carrying the
/// head, and the tax.
pub(crate) fn tax_totals_of<'a>(
    lines: impl IntoIterator<Item = (Decimal, &'a Vec<TaxAmount>)>,
    money: &Money,
) -> Vec<TaxTotal> {
    let mut out = Vec::new();
    for (taxable, taxes) in lines {
        for (i, t) in taxes.iter().enumerate() {
            let nth = nth_of(taxes, i, |x| (x.name.as_str(), x.rate));
            add_tax(&mut out, t, taxable, nth);
        }
    }
    for t in &mut out {
        t.taxable = money.scaled(t.taxable);
    }
    out
}
