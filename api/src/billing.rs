//! The billing facade: a `Billing` engine over one validated tax rule set, and the stateless
//! billing operations (credit notes, payments, numbering, words, daily summary). Every binding's
//! billing methods are one line over these.

use std::sync::Arc;

use apotheca_billing_rules as rules;
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use rules::{
    AmountType, BaseOn, CompanyAmounts, CompanyCurrency, LineRounding, LineTax, LineTaxAmount,
    Repartition, RepriceRequest, Repriced, TaxLineRequest, TaxLineResult,
};
pub use rules::{
    BillingError, CategorySummary, Charge, ComponentKind, CopayPlan, CopaySplit, CreditLine,
    CreditNote, CreditRequest, CreditTotals, DaySummary, FreeScheme, InvoiceLine, InvoiceNumber,
    InvoiceRequest, InvoiceSeries, InvoiceTotals, LineKind, LineShare, PricedInvoice, PricedLine,
    ReturnLine, Rounding, RoundingLevel, RoundingMode, SequenceReport, Settlement, Supply,
    TaxAmount, TaxComponent, TaxRule, TaxRuleSet, TaxTotal, TaxTreatment, Tender, WordsStyle,
    YearSequence,
};
pub use rules::{CashDirection, CashRounding};
pub use rules::{
    CashStrategy, DiscountOn, DocumentCashRounding, DocumentDiscount, DocumentTaxTotal,
    DocumentTotals, TaxDocument, TaxDocumentLine, TaxDocumentRequest, ValueCharge,
};

use crate::error::ApiResult;
use crate::guard;

/// Prices invoices with one validated tax rule set. Cheap to clone; immutable, so one engine
/// serves every thread.
#[derive(Debug, Clone)]
pub struct Billing {
    rules: Arc<rules::TaxRules>,
}

impl Billing {
    /// An engine over a rule set (validated: overlapping dates, negative rates, ... are refused).
    pub fn new(set: TaxRuleSet) -> ApiResult<Self> {
        guard(|| Ok(Self::wrap(rules::TaxRules::new(set)?)))
    }

    /// An engine over a JSON rule set: `{"rules": [...]}`.
    pub fn from_json(text: &str) -> ApiResult<Self> {
        guard(|| Ok(Self::wrap(rules::TaxRules::from_json(text)?)))
    }

    /// An engine over a TOML rule set: `[[rules]]` tables.
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> ApiResult<Self> {
        guard(|| Ok(Self::wrap(rules::TaxRules::from_toml(text)?)))
    }

    fn wrap(r: rules::TaxRules) -> Self {
        Self { rules: Arc::new(r) }
    }

    /// The rules as loaded.
    pub fn rules(&self) -> TaxRuleSet {
        self.rules.rule_set().clone()
    }

    /// Prices an invoice with the rules in force on its date.
    pub fn price_invoice(&self, request: &InvoiceRequest) -> ApiResult<PricedInvoice> {
        guard(|| Ok(self.rules.price(request)?))
    }

    /// Taxes a document whose lines name tax categories, with the rules in force on its date,
    /// in the general tax model (fractional quantities, refund lines, global rounding, the
    /// company's currency, document discounts, cash rounding strategies).
    pub fn price_document(&self, request: &TaxDocumentRequest) -> ApiResult<TaxDocument> {
        guard(|| Ok(self.rules.price_document(request)?))
    }
}

/// The taxes of one line from explicit tax properties (no rule set, date or category): the
/// single-line entry point an ERP integration calls per line.
pub fn compute_taxes(request: &TaxLineRequest) -> ApiResult<TaxLineResult> {
    guard(|| Ok(rules::compute_taxes(request)?))
}

/// A document of single lines taxed together: per-line or global rounding, each tax's base
/// and amount, totals in the document's and the company's currency, cash rounding.
pub fn compute_document(request: &TaxDocumentRequest) -> ApiResult<TaxDocument> {
    guard(|| Ok(rules::compute_document(request)?))
}

/// A tax-included price re-expressed under another tax set (a fiscal position's mapping).
pub fn reprice(request: &RepriceRequest) -> ApiResult<Repriced> {
    guard(|| Ok(rules::reprice(request)?))
}

/// A credit note against a priced invoice, reversing exactly the tax charged on the units.
pub fn credit_note(invoice: &PricedInvoice, request: &CreditRequest) -> ApiResult<CreditNote> {
    guard(|| Ok(rules::credit_note(invoice, request)?))
}

/// Settles `due` with tenders: paid, balance due, change (from cash only).
pub fn settle_payments(currency: &str, due: Decimal, tenders: &[Tender]) -> ApiResult<Settlement> {
    guard(|| Ok(rules::settle(currency, None, due, tenders)?))
}

/// An amount in words, Indian or international style.
pub fn amount_in_words(amount: Decimal, currency: &str, style: WordsStyle) -> ApiResult<String> {
    guard(|| Ok(rules::amount_in_words(amount, currency, style)?))
}

/// The next number of a series on `date`, given the last number issued (`None`: the first).
pub fn next_invoice_number(
    series: &InvoiceSeries,
    date: NaiveDate,
    last: Option<&str>,
) -> ApiResult<InvoiceNumber> {
    guard(|| Ok(series.next(date, last)?))
}

/// Audits numbers of a series for gaps and duplicates per fiscal year.
pub fn check_invoice_numbers(
    series: &InvoiceSeries,
    numbers: &[String],
) -> ApiResult<SequenceReport> {
    guard(|| Ok(series.check(numbers)?))
}

/// The daily summary of invoices and credit notes, per day and currency.
pub fn daily_summary(
    invoices: &[PricedInvoice],
    credit_notes: &[CreditNote],
) -> ApiResult<Vec<DaySummary>> {
    guard(|| Ok(rules::daily_summary(invoices, credit_notes)?))
}
