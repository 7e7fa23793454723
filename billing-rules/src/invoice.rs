//! Pricing an invoice: line amounts, discounts (line and invoice-level, spread exactly), free
//! quantity schemes, taxes by the rule in force, rounding per line or per invoice, cash
//! round-off, co-pay split, payments and the amount in words. Every total is a sum of the parts
//! shown, exactly.

use apotheca_core::Text;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::copay::{CopayPlan, CopaySplit};
use crate::error::{BillingError, Result};
use crate::money::Rounding;
use crate::payment::{Settlement, Tender};
use crate::rules::TaxRules;
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
    pub product: Text,
    /// Batch number, for the MRP check's record and for returns.
    #[serde(default)]
    pub batch: Option<Text>,
    /// Text printed on the invoice.
    #[serde(default)]
    pub description: Option<Text>,
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
    pub tax_category: Text,
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
    pub name: Text,
    /// The amount.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub amount: Decimal,
    /// Tax category; `None`: not taxed.
    #[serde(default)]
    pub tax_category: Option<Text>,
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

impl Supply {
    /// Inter-state where the seller's region and the place of supply differ (ignoring case),
    /// else intra-state.
    pub fn between(seller_region: Option<&str>, place_of_supply: Option<&str>) -> Self {
        match (seller_region, place_of_supply) {
            (Some(s), Some(p)) if !s.eq_ignore_ascii_case(p) => Supply::InterState,
            _ => Supply::IntraState,
        }
    }
}

/// One tax head's amount: `CGST` at `6` percent, `Excise` at `0.50` per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaxAmount {
    /// Head name.
    pub name: Text,
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
    pub product: Text,
    /// Batch number.
    pub batch: Option<Text>,
    /// Text printed.
    pub description: Option<Text>,
    /// Tax category.
    pub tax_category: Option<Text>,
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
    pub name: Text,
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
    pub category: Text,
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

impl TaxRules {
    /// Prices an invoice with these rules. Refuses bad input with a [`BillingError`] naming
    /// the line and value; never returns a total that is not the sum of its parts.
    pub fn price(&self, req: &InvoiceRequest) -> Result<PricedInvoice> {
        crate::price::price(self, req)
    }
}
