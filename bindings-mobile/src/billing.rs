//! `Billing`: a UniFFI object over one tax rule set, and the billing functions; each is one
//! call to the facade.

use std::sync::Arc;

use apotheca::billing::{
    self as b, CreditNote, CreditRequest, DaySummary, InvoiceNumber, InvoiceRequest, InvoiceSeries,
    PricedInvoice, RepriceRequest, Repriced, SequenceReport, Settlement, TaxDocument,
    TaxDocumentRequest, TaxLineRequest, TaxLineResult, TaxRuleSet, Tender, WordsStyle,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::ApothecaError;

type R<T> = Result<T, ApothecaError>;

/// Prices invoices with one validated tax rule set. Immutable: share one instance.
#[derive(uniffi::Object)]
pub struct Billing(apotheca::Billing);

#[uniffi::export]
impl Billing {
    /// An engine over a rule set (validated: overlapping dates, negative rates are refused).
    #[uniffi::constructor]
    pub fn new(rules: TaxRuleSet) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Billing::new(rules)?)))
    }

    /// An engine over a JSON rule file's text.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Billing::from_json(&text)?)))
    }

    /// An engine over a TOML rule file's text.
    #[uniffi::constructor]
    pub fn from_toml(text: String) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Billing::from_toml(&text)?)))
    }

    /// The rules as loaded.
    pub fn rules(&self) -> TaxRuleSet {
        self.0.rules()
    }

    /// Prices an invoice with the rules in force on its date.
    pub fn price_invoice(&self, invoice: InvoiceRequest) -> R<PricedInvoice> {
        Ok(self.0.price_invoice(&invoice)?)
    }

    /// Taxes a document whose lines name tax categories, in the general tax model.
    pub fn price_document(&self, request: TaxDocumentRequest) -> R<TaxDocument> {
        Ok(self.0.price_document(&request)?)
    }
}

/// A credit note reversing exactly the tax charged on the returned units.
#[uniffi::export]
pub fn credit_note(invoice: PricedInvoice, request: CreditRequest) -> R<CreditNote> {
    Ok(b::credit_note(&invoice, &request)?)
}

/// The taxes of one line from explicit tax properties (no rule set, date or category).
#[uniffi::export]
pub fn compute_taxes(request: TaxLineRequest) -> R<TaxLineResult> {
    Ok(b::compute_taxes(&request)?)
}

/// A document of single lines taxed together, with its totals (per line or global rounding).
#[uniffi::export]
pub fn compute_document(request: TaxDocumentRequest) -> R<TaxDocument> {
    Ok(b::compute_document(&request)?)
}

/// A tax-included price re-expressed under another tax set (a fiscal position's mapping).
#[uniffi::export]
pub fn reprice(request: RepriceRequest) -> R<Repriced> {
    Ok(b::reprice(&request)?)
}

/// Settles an amount due with tenders: paid, balance due, change (from cash only).
#[uniffi::export]
pub fn settle_payments(currency: String, due: Decimal, tenders: Vec<Tender>) -> R<Settlement> {
    Ok(b::settle_payments(&currency, due, &tenders)?)
}

/// An amount in words, Indian (lakh, crore) or international style.
#[uniffi::export]
pub fn amount_in_words(amount: Decimal, currency: String, style: WordsStyle) -> R<String> {
    Ok(b::amount_in_words(amount, &currency, style)?)
}

/// The next number of a series on `date`, given the last number issued (`null`: the first).
#[uniffi::export]
pub fn next_invoice_number(
    series: InvoiceSeries,
    date: NaiveDate,
    last: Option<String>,
) -> R<InvoiceNumber> {
    Ok(b::next_invoice_number(&series, date, last.as_deref())?)
}

/// Audits numbers of a series for gaps and duplicates per fiscal year.
#[uniffi::export]
pub fn check_invoice_numbers(series: InvoiceSeries, numbers: Vec<String>) -> R<SequenceReport> {
    Ok(b::check_invoice_numbers(&series, &numbers)?)
}

/// The daily summary of invoices and credit notes, per day and currency.
#[uniffi::export]
pub fn daily_summary(
    invoices: Vec<PricedInvoice>,
    credit_notes: Vec<CreditNote>,
) -> R<Vec<DaySummary>> {
    Ok(b::daily_summary(&invoices, &credit_notes)?)
}
