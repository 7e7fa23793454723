//! Pricing an invoice: line amounts, discounts (line and invoice-level, spread exactly), free
//! quantity schemes, taxes by the rule in force, rounding per line or per invoice, cash
//! round-off, co-pay split, payments and the amount in words. Every total is a sum of the parts
//! shown, exactly.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::copay::{CopayPlan, CopaySplit};
use crate::error::{BillingError, Result};
use crate::money::{Money, Rounding, RoundingLevel};
use crate::payment::{Settlement, Tender};
use crate::rules::{ComponentKind, Lookup, TaxRule, TaxRules};
use crate::words::WordsStyle;

/// Buy `buy` get `get` free: of every `buy + get` units supplied, `get` are free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FreeScheme {
    /// Units paid for in each round.
    pub buy: i64,
    /// Units free in each round.
    pub get: i64,
}

/// One line of an invoice request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    /// Product id.
    pub product: String,
    /// Batch number, for the MRP check's record and for returns.
    #[serde(default)]
    pub batch: Option<String>,
    /// Text printed on the invoice.
    #[serde(default)]
    pub description: Option<String>,
    /// Units supplied (base units), free units included.
    pub qty: i64,
    /// Price per unit.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub unit_price: Decimal,
    /// Whether `unit_price` includes tax (MRP and shelf prices do).
    #[serde(default)]
    pub price_includes_tax: bool,
    /// The batch MRP (tax included); the unit price may not exceed it.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub mrp: Option<Decimal>,
    /// Tax category: HSN code, VAT class, `rx` / `otc`.
    pub tax_category: String,
    /// Line discount in percent of the line amount.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub discount_percent: Option<Decimal>,
    /// Line discount as an amount.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub discount_amount: Option<Decimal>,
    /// A free-quantity scheme.
    #[serde(default)]
    pub scheme: Option<FreeScheme>,
}

/// An additional charge (delivery, cold-chain packing): taxed by its category if it has one,
/// never discounted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Charge {
    /// Text printed on the invoice.
    pub name: String,
    /// The amount.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
    /// Tax category; `None`: not taxed.
    #[serde(default)]
    pub tax_category: Option<String>,
    /// Whether `amount` includes tax.
    #[serde(default)]
    pub price_includes_tax: bool,
}

/// An invoice to price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceRequest {
    /// The invoice number, if already assigned (see [`crate::numbering`]).
    #[serde(default)]
    pub number: Option<String>,
    /// Invoice date: picks the tax rules in force.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// ISO 4217 code.
    pub currency: String,
    /// Minor units for a currency outside the built-in table.
    #[serde(default)]
    pub minor_units: Option<i32>,
    /// The seller's state or region (GST: compared with the place of supply).
    #[serde(default)]
    pub seller_region: Option<String>,
    /// Where the supply is made: picks intra- or inter-state GST and regional rules.
    #[serde(default)]
    pub place_of_supply: Option<String>,
    /// Rounding mode, level and cash rounding.
    #[serde(default)]
    pub rounding: Rounding,
    /// The lines, at least one.
    pub lines: Vec<InvoiceLine>,
    /// Additional charges.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Invoice-level discount in percent of the lines after line discounts.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub discount_percent: Option<Decimal>,
    /// Invoice-level discount as an amount, spread over the lines.
    #[serde(default, with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub discount_amount: Option<Decimal>,
    /// An insurance plan: splits the invoice into patient and claim shares.
    #[serde(default)]
    pub copay: Option<CopayPlan>,
    /// Tenders received, settled against the payable amount.
    #[serde(default)]
    pub payments: Vec<Tender>,
    /// Writes the grand total in words in this style.
    #[serde(default)]
    pub words: Option<WordsStyle>,
}

/// Whether a line is a product or an additional charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A product line.
    Item,
    /// An additional charge.
    Charge,
}

/// How tax treated a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum TaxTreatment {
    /// At least one tax at a non-zero rate.
    Taxable,
    /// Taxes at a zero rate.
    ZeroRated,
    /// Exempt, or a charge with no tax category.
    Exempt,
}

/// GST place-of-supply outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Supply {
    /// Seller region and place of supply agree (or one is not given): CGST + SGST.
    IntraState,
    /// They differ: IGST.
    InterState,
}

/// One tax head's amount: `CGST` at `6` percent, `Excise` at `0.50` per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxAmount {
    /// Head name.
    pub name: String,
    /// Percent, or amount per unit for a fixed tax.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub rate: Decimal,
    /// The tax.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
}

/// A priced line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PricedLine {
    /// 1-based, items first, then charges.
    pub line_no: i64,
    /// Item or charge.
    pub kind: LineKind,
    /// Product id (the charge's name for a charge).
    pub product: String,
    /// Batch number.
    pub batch: Option<String>,
    /// Text printed.
    pub description: Option<String>,
    /// Tax category.
    pub tax_category: Option<String>,
    /// Units supplied.
    pub qty: i64,
    /// Of those, free under a scheme.
    pub free_qty: i64,
    /// Units charged: `qty - free_qty`.
    pub billed_qty: i64,
    /// Unit price as given.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub unit_price: Decimal,
    /// Whether it includes tax.
    pub price_includes_tax: bool,
    /// Batch MRP, if given.
    #[serde(with = "apotheca_core::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub mrp: Option<Decimal>,
    /// `unit_price × billed_qty`, rounded.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub gross: Decimal,
    /// Line discount.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub discount: Decimal,
    /// This line's part of the invoice discount.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub invoice_discount: Decimal,
    /// Value before tax.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Each tax head on the line.
    pub taxes: Vec<TaxAmount>,
    /// Sum of `taxes`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub tax: Decimal,
    /// `taxable + tax` (for a tax-inclusive line: gross less discounts, exactly).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total: Decimal,
    /// Taxable, zero-rated or exempt.
    pub treatment: TaxTreatment,
}

/// One tax head over the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxTotal {
    /// Head name.
    pub name: String,
    /// Percent, or amount per unit.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub rate: Decimal,
    /// Taxable value of the lines that carry this head.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Tax.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
}

/// Per category and rate (the HSN-wise summary for GST).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CategorySummary {
    /// Tax category (HSN code).
    pub category: String,
    /// Sum of the percent rates (GST 12 = CGST 6 + SGST 6).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub rate: Decimal,
    /// Taxable value.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Each head.
    pub taxes: Vec<TaxAmount>,
    /// Sum of the heads.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub tax: Decimal,
    /// `taxable + tax`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total: Decimal,
}

/// The invoice's totals. `grand_total = taxable + tax + round_off`, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InvoiceTotals {
    /// Σ item gross.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub gross: Decimal,
    /// Σ line discounts.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub line_discounts: Decimal,
    /// The invoice-level discount.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub invoice_discount: Decimal,
    /// Σ charge totals (tax included).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub charges_total: Decimal,
    /// Σ taxable values, items and charges.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Σ taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub tax: Decimal,
    /// `taxable + tax`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total_before_round_off: Decimal,
    /// Cash rounding, shown on its own line (may be negative).
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub round_off: Decimal,
    /// `total_before_round_off + round_off`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub grand_total: Decimal,
    /// What the customer pays: the grand total, or the patient share plus round-off under a
    /// co-pay plan.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub payable: Decimal,
}

/// A priced invoice. Keep it: credit notes and daily summaries are computed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PricedInvoice {
    /// Invoice number, as given.
    pub number: Option<String>,
    /// Invoice date.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// Currency.
    pub currency: String,
    /// Its minor units.
    pub minor_units: i64,
    /// The rounding regime used.
    pub rounding: Rounding,
    /// Intra- or inter-state.
    pub supply: Supply,
    /// Items, then charges.
    pub lines: Vec<PricedLine>,
    /// Per tax head.
    pub taxes: Vec<TaxTotal>,
    /// Per category and rate (HSN summary).
    pub category_summary: Vec<CategorySummary>,
    /// Totals.
    pub totals: InvoiceTotals,
    /// Patient and claim shares under a co-pay plan.
    pub copay: Option<CopaySplit>,
    /// Payments against the payable amount.
    pub settlement: Option<Settlement>,
    /// The grand total in words.
    pub amount_in_words: Option<String>,
}

/// Refuses a line of a stored invoice or credit note with a quantity, or amounts (`taxable`,
/// `tax`, `total`, each tax), beyond what a line priced here can have.
pub(crate) fn stored_line(
    i: usize,
    line_no: i64,
    qty: i64,
    amounts: [Decimal; 3],
    taxes: &[TaxAmount],
) -> Result<()> {
    use crate::money::{at_most, bounded};
    if !(0..=1_000_000_000).contains(&qty) {
        return Err(BillingError::InvalidQuantity {
            line: line_no,
            qty,
            why: "must be between 0 and 1,000,000,000".into(),
        });
    }
    at_most("line taxes", taxes.len(), 2 * crate::MAX_COMPONENTS)?;
    let [taxable, tax, total] = amounts;
    for (f, v) in [("taxable", taxable), ("tax", tax), ("total", total)]
        .into_iter()
        .chain(taxes.iter().map(|t| ("taxes.amount", t.amount)))
    {
        bounded(|| format!("lines[{i}].{f}"), v, crate::MAX_LINE_TOTAL)?;
    }
    Ok(())
}

impl PricedInvoice {
    /// Refuses an invoice (read back from a caller) with more lines, or larger amounts, than
    /// one priced here can have, so that credit notes and summaries over it stay in range.
    pub fn check_bounds(&self) -> Result<()> {
        use crate::money::{at_most, bounded};
        use crate::{MAX_CHARGES, MAX_INVOICE_LINES, MAX_TOTAL};
        at_most(
            "invoice lines",
            self.lines.len(),
            MAX_INVOICE_LINES + MAX_CHARGES,
        )?;
        at_most("invoice taxes", self.taxes.len(), MAX_INVOICE_LINES)?;
        for (i, l) in self.lines.iter().enumerate() {
            stored_line(i, l.line_no, l.qty, [l.taxable, l.tax, l.total], &l.taxes)?;
        }
        let t = &self.totals;
        for (f, v) in [
            ("gross", t.gross),
            ("line_discounts", t.line_discounts),
            ("invoice_discount", t.invoice_discount),
            ("taxable", t.taxable),
            ("tax", t.tax),
            ("round_off", t.round_off),
            ("grand_total", t.grand_total),
        ] {
            bounded(|| format!("totals.{f}"), v, MAX_TOTAL)?;
        }
        for (i, x) in self.taxes.iter().enumerate() {
            bounded(|| format!("taxes[{i}].taxable"), x.taxable, MAX_TOTAL)?;
            bounded(|| format!("taxes[{i}].amount"), x.amount, MAX_TOTAL)?;
        }
        if let Some(s) = &self.settlement {
            at_most("tenders", s.tenders.len(), crate::MAX_TENDERS)?;
            for (f, v) in [("balance_due", s.balance_due), ("change", s.change)]
                .into_iter()
                .chain(s.tenders.iter().map(|t| ("tenders.amount", t.amount)))
            {
                bounded(|| format!("settlement.{f}"), v, MAX_TOTAL)?;
            }
        }
        if let Some(c) = &self.copay {
            bounded(|| "copay.claim".into(), c.claim, MAX_TOTAL)?;
        }
        Ok(())
    }
}

/// One tax head of a rule, compiled once when the rules are loaded.
#[derive(Debug, Clone)]
pub struct Head {
    pub(crate) name: String,
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
    num: i128,
    den_excl: i128,
    den_incl: i128,
}

/// A rule's heads for a supply type: GST becomes CGST + SGST or IGST.
pub(crate) fn heads_of(rule: &TaxRule, supply: Supply) -> Vec<Head> {
    let mut out = Vec::with_capacity(rule.components.len() + 1);
    let head = |name: &str, rate: Decimal, fixed, compound| Head {
        name: name.to_string(),
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
const PERCENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Taxes on a taxable value `x` of `units` units, in head order; rounded per head when
/// `money` is given (compound heads then build on the rounded heads before them).
fn forward(heads: &[Head], x: Decimal, units: i64, money: Option<&Money>) -> Vec<Decimal> {
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
fn affine(heads: &[Head], units: i64) -> (Decimal, Decimal) {
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

/// Refuses a line whose value with its taxes (price × units × k + fixed taxes, compounded)
/// would exceed [`crate::MAX_LINE_TOTAL`]: computed with checked arithmetic before any of the
/// line's amounts, so that everything pricing does with the line afterwards stays in range.
fn check_line_total(
    heads: &[Head],
    unit_price: Decimal,
    units: i64,
    field: impl Fn() -> String,
) -> Result<()> {
    let units_d = Decimal::from(units);
    let (mut k, mut c) = (Decimal::ONE, Decimal::ZERO);
    let mut ok = true;
    for h in heads {
        if h.fixed {
            match h.rate.checked_mul(units_d).and_then(|t| c.checked_add(t)) {
                Some(t) => c = t,
                None => ok = false,
            }
        } else if h.compound {
            match (
                k.checked_mul(h.frac).and_then(|t| k.checked_add(t)),
                c.checked_mul(h.frac).and_then(|t| c.checked_add(t)),
            ) {
                (Some(a), Some(b)) => (k, c) = (a, b),
                _ => ok = false,
            }
        } else {
            match k.checked_add(h.frac) {
                Some(t) => k = t,
                None => ok = false,
            }
        }
        if !ok {
            break;
        }
    }
    let total = ok
        .then(|| {
            unit_price
                .checked_mul(units_d)
                .and_then(|g| g.checked_mul(k))
                .and_then(|g| g.checked_add(c))
        })
        .flatten();
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

/// A line on its way through pricing.
struct Work<'r> {
    line: PricedLine,
    heads: &'r [Head],
    /// Category-summary slot: rule index × 2 + supply.
    slot: Option<usize>,
    /// Amount after discounts, in the price's terms (tax included or not).
    amount: Decimal,
}

fn percent_field(field: impl Fn() -> String, p: Option<Decimal>, a: Option<Decimal>) -> Result<()> {
    if p.is_some() && a.is_some() {
        return Err(BillingError::InvalidInput(format!(
            "{}: give a discount percent or a discount amount, not both",
            field()
        )));
    }
    if let Some(p) = p
        && (p.is_sign_negative() && !p.is_zero() || p > Decimal::ONE_HUNDRED)
    {
        return Err(BillingError::InvalidAmount {
            field: format!("{} discount_percent", field()),
            value: p,
            why: "must be between 0 and 100".into(),
        });
    }
    Ok(())
}

fn rule_for<'a>(
    rules: &'a TaxRules,
    line_no: i64,
    category: &str,
    req: &InvoiceRequest,
    supply: Supply,
) -> Result<(&'a TaxRule, &'a [Head], usize)> {
    match rules.lookup(category, req.place_of_supply.as_deref(), req.date) {
        Lookup::Found(r, heads, i) => Ok((r, &heads[supply as usize], i * 2 + supply as usize)),
        Lookup::NotInForce => Err(BillingError::NoRuleInForce {
            line: line_no,
            category: category.to_string(),
            date: req.date,
        }),
        Lookup::Unknown => Err(BillingError::UnknownTaxCategory {
            line: line_no,
            category: category.to_string(),
        }),
    }
}

fn treatment(rule: Option<&TaxRule>) -> TaxTreatment {
    match rule {
        None => TaxTreatment::Exempt,
        Some(r) if r.exempt => TaxTreatment::Exempt,
        Some(r) if r.components.iter().all(|c| c.rate.is_zero()) => TaxTreatment::ZeroRated,
        Some(_) => TaxTreatment::Taxable,
    }
}

impl TaxRules {
    /// Prices an invoice with these rules. Refuses bad input with a [`BillingError`] naming
    /// the line and value; never returns a total that is not the sum of its parts.
    pub fn price(&self, req: &InvoiceRequest) -> Result<PricedInvoice> {
        price(self, req)
    }
}

/// Prices an invoice (see [`TaxRules::price`]).
pub fn price(rules: &TaxRules, req: &InvoiceRequest) -> Result<PricedInvoice> {
    let money = Money::new(&req.currency, req.minor_units, req.rounding.mode)?;
    if req.lines.is_empty() {
        return Err(BillingError::InvalidInput(
            "an invoice needs at least one line".into(),
        ));
    }
    if req.lines.len() > crate::MAX_INVOICE_LINES {
        return Err(BillingError::LimitExceeded {
            what: "lines".into(),
            count: req.lines.len(),
            max: crate::MAX_INVOICE_LINES,
        });
    }
    if req.charges.len() > crate::MAX_CHARGES {
        return Err(BillingError::LimitExceeded {
            what: "charges".into(),
            count: req.charges.len(),
            max: crate::MAX_CHARGES,
        });
    }
    if let Some(c) = &req.rounding.cash {
        if c.increment <= Decimal::ZERO {
            return Err(BillingError::InvalidAmount {
                field: "rounding.cash.increment".into(),
                value: c.increment,
                why: "must be positive".into(),
            });
        }
        money.check(|| "rounding.cash.increment".into(), c.increment)?;
        if c.increment > crate::MAX_AMOUNT {
            return Err(BillingError::AmountOutOfRange {
                field: "rounding.cash.increment".into(),
                value: c.increment,
                why: format!("is above {}", crate::MAX_AMOUNT),
            });
        }
    }
    if let Some(d) = req.discount_amount {
        money.check(|| "discount_amount".into(), d)?;
    }
    let supply = match (&req.seller_region, &req.place_of_supply) {
        (Some(s), Some(p)) if !s.eq_ignore_ascii_case(p) => Supply::InterState,
        _ => Supply::IntraState,
    };
    let zero = money.scaled(Decimal::ZERO);

    let mut work = Vec::with_capacity(req.lines.len() + req.charges.len());
    type Found<'r> = (&'r TaxRule, &'r [Head], usize);
    let mut seen: Vec<(&str, Found<'_>)> = Vec::new();
    for (i, l) in req.lines.iter().enumerate() {
        let n = i as i64 + 1;
        let at = |f: &'static str| move || format!("line {n} {f}");
        if l.qty <= 0 || l.qty > 1_000_000_000 {
            return Err(BillingError::InvalidQuantity {
                line: n,
                qty: l.qty,
                why: "must be between 1 and 1,000,000,000".into(),
            });
        }
        if l.product.trim().is_empty() {
            return Err(BillingError::InvalidInput(format!(
                "line {n}: product is empty"
            )));
        }
        if l.unit_price.is_sign_negative() && !l.unit_price.is_zero() {
            return Err(BillingError::InvalidAmount {
                field: at("unit_price")(),
                value: l.unit_price,
                why: "must not be negative".into(),
            });
        }
        for (f, v) in [
            ("unit_price", Some(l.unit_price)),
            ("mrp", l.mrp),
            ("discount_amount", l.discount_amount),
        ] {
            if let Some(v) = v.filter(|v| *v > crate::MAX_AMOUNT) {
                return Err(BillingError::AmountOutOfRange {
                    field: format!("lines[{i}].{f}"),
                    value: v,
                    why: format!("is above the largest amount, {}", crate::MAX_AMOUNT),
                });
            }
        }
        percent_field(at(""), l.discount_percent, l.discount_amount)?;
        let free = match l.scheme {
            None => 0,
            Some(s) if s.buy >= 1 && s.get >= 1 => l.qty / (s.buy + s.get) * s.get,
            Some(s) => {
                return Err(BillingError::InvalidInput(format!(
                    "line {n}: scheme buy {} get {} needs both at least 1",
                    s.buy, s.get
                )));
            }
        };
        let billed = l.qty - free;
        // Lines of an invoice share a few categories: look each up once.
        let found = match seen.iter().find(|(c, _)| *c == l.tax_category) {
            Some((_, f)) => *f,
            None => {
                let f = rule_for(rules, n, &l.tax_category, req, supply)?;
                seen.push((&l.tax_category, f));
                f
            }
        };
        let (rule, heads, slot) = found;
        check_line_total(heads, l.unit_price, billed.max(1), || format!("lines[{i}]"))?;
        if let Some(mrp) = l.mrp {
            money.check(at("mrp"), mrp)?;
            let with_tax = if l.price_includes_tax {
                l.unit_price
            } else {
                let (k, c) = affine(heads, 1);
                money.round(l.unit_price * k + c)
            };
            if with_tax > mrp {
                return Err(BillingError::PriceAboveMrp {
                    line: n,
                    product: l.product.clone(),
                    price: with_tax,
                    mrp,
                });
            }
        }
        let gross = money.round(l.unit_price * Decimal::from(billed));
        let discount = match (l.discount_percent, l.discount_amount) {
            (Some(p), _) => money.round(gross * p * PERCENT),
            (_, Some(a)) => {
                let a = money.check(at("discount_amount"), a)?;
                if a > gross {
                    return Err(BillingError::DiscountTooLarge {
                        scope: format!("line {n}"),
                        discount: a,
                        amount: gross,
                    });
                }
                a
            }
            _ => zero,
        };
        work.push(Work {
            line: PricedLine {
                line_no: n,
                kind: LineKind::Item,
                product: l.product.clone(),
                batch: l.batch.clone(),
                description: l.description.clone(),
                tax_category: Some(l.tax_category.clone()),
                qty: l.qty,
                free_qty: free,
                billed_qty: billed,
                unit_price: l.unit_price,
                price_includes_tax: l.price_includes_tax,
                mrp: l.mrp.map(|m| money.scaled(m)),
                gross,
                discount,
                invoice_discount: zero,
                taxable: zero,
                taxes: Vec::new(),
                tax: zero,
                total: zero,
                treatment: treatment(Some(rule)),
            },
            heads,
            slot: Some(slot),
            amount: gross - discount,
        });
    }

    // The invoice discount, spread over the items by largest remainder.
    let net: Vec<Decimal> = work.iter().map(|w| w.amount).collect();
    let net_sum: Decimal = net.iter().sum();
    percent_field(
        || "invoice".into(),
        req.discount_percent,
        req.discount_amount,
    )?;
    let invoice_discount = match (req.discount_percent, req.discount_amount) {
        (Some(p), _) => money.round(net_sum * p * PERCENT),
        (_, Some(a)) => money.check(|| "invoice discount_amount".into(), a)?,
        _ => zero,
    };
    if invoice_discount > net_sum {
        return Err(BillingError::DiscountTooLarge {
            scope: "invoice".into(),
            discount: invoice_discount,
            amount: net_sum,
        });
    }
    for (w, part) in work.iter_mut().zip(money.split(invoice_discount, &net)) {
        w.line.invoice_discount = part;
        w.amount -= part;
    }

    for (j, c) in req.charges.iter().enumerate() {
        let n = (req.lines.len() + j) as i64 + 1;
        let amount = money.check(|| format!("charge {:?} amount", c.name), c.amount)?;
        let found = match &c.tax_category {
            Some(cat) => Some(rule_for(rules, n, cat, req, supply)?),
            None => None,
        };
        check_line_total(found.map_or(&[], |f| f.1), amount, 1, || {
            format!("charges[{j}]")
        })?;
        work.push(Work {
            line: PricedLine {
                line_no: n,
                kind: LineKind::Charge,
                product: c.name.clone(),
                batch: None,
                description: None,
                tax_category: c.tax_category.clone(),
                qty: 1,
                free_qty: 0,
                billed_qty: 1,
                unit_price: amount,
                price_includes_tax: c.price_includes_tax,
                mrp: None,
                gross: amount,
                discount: zero,
                invoice_discount: zero,
                taxable: zero,
                taxes: Vec::new(),
                tax: zero,
                total: zero,
                treatment: treatment(found.map(|f| f.0)),
            },
            heads: found.map_or(&[], |f| f.1),
            slot: found.map(|f| f.2),
            amount,
        });
    }

    // Taxes per head, rounded per line or once per invoice.
    let taxes: Vec<Vec<Decimal>> = match req.rounding.level {
        RoundingLevel::Line => work
            .iter()
            .map(|w| match exact_taxes(w, &money) {
                Some(t) => Ok(t),
                None => Ok(forward(
                    w.heads,
                    base(w, &money)?,
                    w.line.billed_qty,
                    Some(&money),
                )),
            })
            .collect::<Result<_>>()?,
        RoundingLevel::Invoice => {
            let raw: Vec<Vec<Decimal>> = work
                .iter()
                .map(|w| Ok(forward(w.heads, base(w, &money)?, w.line.billed_qty, None)))
                .collect::<Result<_>>()?;
            let mut rounded: Vec<Vec<Decimal>> = raw.iter().map(|r| vec![zero; r.len()]).collect();
            let mut cells: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rules.head_keys()];
            for (i, w) in work.iter().enumerate() {
                for (h, head) in w.heads.iter().enumerate() {
                    cells[head.key].push((i, h));
                }
            }
            for cells in cells.iter().filter(|c| !c.is_empty()) {
                let weights: Vec<Decimal> = cells.iter().map(|&(i, h)| raw[i][h]).collect();
                let total = money.round(weights.iter().sum());
                for (&(i, h), part) in cells.iter().zip(money.split(total, &weights)) {
                    rounded[i][h] = part;
                }
            }
            rounded
        }
    };
    for (w, t) in work.iter_mut().zip(taxes) {
        let tax: Decimal = t.iter().sum();
        w.line.tax = money.scaled(tax);
        w.line.taxable = if w.line.price_includes_tax {
            w.amount - tax
        } else {
            w.amount
        };
        w.line.total = w.line.taxable + w.line.tax;
        w.line.taxes = w
            .heads
            .iter()
            .zip(t)
            .map(|(h, amount)| TaxAmount {
                name: h.name.clone(),
                rate: h.rate,
                amount,
            })
            .collect();
    }
    let taxes = head_totals(&work, rules.head_keys(), &money);
    let category_summary = category_summary(&work, rules.len() * 2, &money);

    let lines: Vec<PricedLine> = work.into_iter().map(|w| w.line).collect();
    let sum = |f: fn(&PricedLine) -> Decimal, kind: Option<LineKind>| -> Decimal {
        money.scaled(
            lines
                .iter()
                .filter(|l| kind.is_none_or(|k| l.kind == k))
                .map(f)
                .sum(),
        )
    };
    let taxable = sum(|l| l.taxable, None);
    let tax = sum(|l| l.tax, None);
    let total_before_round_off = taxable + tax;
    let copay = match &req.copay {
        Some(plan) => Some(crate::copay::split(plan, &lines, &money)?),
        None => None,
    };
    let cash_base = copay.as_ref().map_or(total_before_round_off, |c| c.patient);
    let round_off = money.cash(cash_base, req.rounding.cash.as_ref()) - cash_base;
    let grand_total = total_before_round_off + round_off;
    let payable = cash_base + round_off;
    let settlement = if req.payments.is_empty() {
        None
    } else {
        Some(crate::payment::settle_with(&money, payable, &req.payments)?)
    };
    let amount_in_words = match req.words {
        Some(style) => Some(crate::words::amount_in_words(
            grand_total,
            &req.currency,
            style,
        )?),
        None => None,
    };
    let totals = InvoiceTotals {
        gross: sum(|l| l.gross, Some(LineKind::Item)),
        line_discounts: sum(|l| l.discount, Some(LineKind::Item)),
        invoice_discount,
        charges_total: sum(|l| l.total, Some(LineKind::Charge)),
        taxable,
        tax,
        total_before_round_off,
        round_off,
        grand_total,
        payable,
    };
    Ok(PricedInvoice {
        number: req.number.clone(),
        date: req.date,
        currency: req.currency.clone(),
        minor_units: i64::from(money.dp),
        rounding: req.rounding.clone(),
        supply,
        taxes,
        category_summary,
        lines,
        totals,
        copay,
        settlement,
        amount_in_words,
    })
}

/// The unrounded taxable value of a line: its amount, or for a tax-inclusive amount the value
/// that with its taxes makes the amount (back-computed; refused below its fixed taxes).
fn base(w: &Work<'_>, money: &Money) -> Result<Decimal> {
    if !w.line.price_includes_tax {
        return Ok(w.amount);
    }
    let (k, c) = affine(w.heads, w.line.billed_qty);
    if c > w.amount {
        return Err(BillingError::InvalidAmount {
            field: format!("line {} amount", w.line.line_no),
            value: w.amount,
            why: format!("is less than its fixed taxes {}", money.round(c)),
        });
    }
    Ok((w.amount - c) / k)
}

/// A line's taxes rounded per head, in exact integer arithmetic, when its heads are plain
/// percentages and its amount is in whole minor units (`None`: use [`forward`]).
fn exact_taxes(w: &Work<'_>, money: &Money) -> Option<Vec<Decimal>> {
    if w.amount.scale() != money.dp || w.amount.is_sign_negative() {
        return None;
    }
    let a = w.amount.mantissa();
    w.heads
        .iter()
        .map(|h| {
            let e = h.exact?;
            let den = if w.line.price_includes_tax {
                e.den_incl
            } else {
                e.den_excl
            };
            money.round_ratio(a.checked_mul(e.num)?, den)
        })
        .collect()
}

/// Per head over the invoice, in order of first appearance, keyed by the head's index.
fn head_totals(work: &[Work<'_>], keys: usize, money: &Money) -> Vec<TaxTotal> {
    let zero = money.scaled(Decimal::ZERO);
    let mut slot: Vec<Option<usize>> = vec![None; keys];
    let mut out: Vec<TaxTotal> = Vec::new();
    for w in work {
        for (h, t) in w.heads.iter().zip(&w.line.taxes) {
            let i = *slot[h.key].get_or_insert_with(|| {
                out.push(TaxTotal {
                    name: h.name.clone(),
                    rate: h.rate,
                    taxable: zero,
                    amount: zero,
                });
                out.len() - 1
            });
            out[i].taxable += w.line.taxable;
            out[i].amount += t.amount;
        }
    }
    out
}

/// Adds `t` into `into`, keyed by head name and rate.
pub(crate) fn add_tax(into: &mut Vec<TaxTotal>, t: &TaxAmount, taxable: Decimal) {
    match into
        .iter_mut()
        .find(|x| x.name == t.name && x.rate == t.rate)
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
        for t in taxes {
            add_tax(&mut out, t, taxable);
        }
    }
    for t in &mut out {
        t.taxable = money.scaled(t.taxable);
    }
    out
}

/// Per category and rate (one rule's heads for one supply type), in order of first appearance.
fn category_summary(work: &[Work<'_>], slots: usize, money: &Money) -> Vec<CategorySummary> {
    let zero = money.scaled(Decimal::ZERO);
    let mut slot: Vec<Option<usize>> = vec![None; slots];
    let mut out: Vec<CategorySummary> = Vec::new();
    for w in work {
        let (Some(k), Some(cat)) = (w.slot, &w.line.tax_category) else {
            continue;
        };
        let i = *slot[k].get_or_insert_with(|| {
            out.push(CategorySummary {
                category: cat.clone(),
                rate: w.heads.first().map_or(Decimal::ZERO, |h| h.group_rate),
                taxable: zero,
                taxes: w
                    .heads
                    .iter()
                    .map(|h| TaxAmount {
                        name: h.name.clone(),
                        rate: h.rate,
                        amount: zero,
                    })
                    .collect(),
                tax: zero,
                total: zero,
            });
            out.len() - 1
        });
        let s = &mut out[i];
        s.taxable += w.line.taxable;
        s.tax += w.line.tax;
        s.total += w.line.total;
        for (x, t) in s.taxes.iter_mut().zip(&w.line.taxes) {
            x.amount += t.amount;
        }
    }
    out
}
