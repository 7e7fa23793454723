//! `Billing` and the billing functions: each converts its arguments, calls the facade,
//! converts the result. No rule lives here.

use apotheca::Billing;
use apotheca::billing as b;
use wasm_bindgen::prelude::*;

use crate::conv::{self, arg, decimal, js_error, opt, out, param};

/// Prices invoices with one validated tax rule set.
#[wasm_bindgen(js_name = Billing)]
pub struct WasmBilling(Billing);

#[wasm_bindgen(js_class = Billing)]
impl WasmBilling {
    /// An engine over a rule set (validated when loaded).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TaxRuleSet")] rules: JsValue,
    ) -> Result<WasmBilling, JsValue> {
        arg(rules)
            .and_then(Billing::new)
            .map(WasmBilling)
            .map_err(js_error)
    }

    /// An engine over a JSON rule file's text (snake_case keys, as in the file format).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<WasmBilling, JsValue> {
        param::<String>("text", text)
            .and_then(|t| Billing::from_json(&t))
            .map(WasmBilling)
            .map_err(js_error)
    }

    /// An engine over a TOML rule file's text.
    #[cfg(feature = "toml")]
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<WasmBilling, JsValue> {
        param::<String>("text", text)
            .and_then(|t| Billing::from_toml(&t))
            .map(WasmBilling)
            .map_err(js_error)
    }

    /// The rules as loaded.
    #[wasm_bindgen(unchecked_return_type = "TaxRuleSet")]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        out(Ok(self.0.rules()))
    }

    /// Prices an invoice with the rules in force on its date.
    #[wasm_bindgen(js_name = priceInvoice, unchecked_return_type = "PricedInvoice")]
    pub fn price_invoice(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InvoiceRequest")] invoice: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(invoice).and_then(|i| self.0.price_invoice(&i)))
    }

    /// Taxes a document whose lines name tax categories, in the general tax model.
    #[wasm_bindgen(js_name = priceDocument, unchecked_return_type = "TaxDocument")]
    pub fn price_document(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TaxDocumentRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(request).and_then(|r| self.0.price_document(&r)))
    }
}

/// A credit note reversing exactly the tax charged on the returned units.
#[wasm_bindgen(js_name = creditNote, unchecked_return_type = "CreditNote")]
pub fn credit_note(
    #[wasm_bindgen(unchecked_param_type = "PricedInvoice")] invoice: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CreditRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(invoice).and_then(|i| b::credit_note(&i, &arg(request)?)))
}

/// The taxes of one line from explicit tax properties (no rule set, date or category).
#[wasm_bindgen(js_name = computeTaxes, unchecked_return_type = "TaxLineResult")]
pub fn compute_taxes(
    #[wasm_bindgen(unchecked_param_type = "TaxLineRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(request).and_then(|r| b::compute_taxes(&r)))
}

/// A document of single lines taxed together, with its totals (per line or global rounding).
#[wasm_bindgen(js_name = computeDocument, unchecked_return_type = "TaxDocument")]
pub fn compute_document(
    #[wasm_bindgen(unchecked_param_type = "TaxDocumentRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(request).and_then(|r| b::compute_document(&r)))
}

/// A tax-included price re-expressed under another tax set (a fiscal position's mapping).
#[wasm_bindgen(js_name = reprice, unchecked_return_type = "Repriced")]
pub fn reprice(
    #[wasm_bindgen(unchecked_param_type = "RepriceRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(request).and_then(|r| b::reprice(&r)))
}

/// Settles an amount due with tenders: paid, balance due, change (from cash only).
#[wasm_bindgen(js_name = settlePayments, unchecked_return_type = "Settlement")]
pub fn settle_payments(
    #[wasm_bindgen(unchecked_param_type = "string")] currency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Decimal")] due: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Tender[]")] tenders: JsValue,
) -> Result<JsValue, JsValue> {
    out(decimal("due", due).and_then(|d| {
        let c: String = param("currency", currency)?;
        b::settle_payments(&c, d, &arg::<Vec<b::Tender>>(tenders)?)
    }))
}

/// An amount in words: `"indian"` (lakh, crore) or `"international"` (the default).
#[wasm_bindgen(js_name = amountInWords, unchecked_return_type = "string")]
pub fn amount_in_words(
    #[wasm_bindgen(unchecked_param_type = "Decimal")] amount: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] currency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "WordsStyle | undefined")] style: JsValue,
) -> Result<JsValue, JsValue> {
    out(decimal("amount", amount).and_then(|a| {
        let s = opt("style", style)?.unwrap_or(b::WordsStyle::International);
        b::amount_in_words(a, &param::<String>("currency", currency)?, s)
    }))
}

/// The next number of a series on `date`, given the last number issued (none: the first).
#[wasm_bindgen(js_name = nextInvoiceNumber, unchecked_return_type = "InvoiceNumber")]
pub fn next_invoice_number(
    #[wasm_bindgen(unchecked_param_type = "InvoiceSeries")] series: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] date: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] last: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(series).and_then(|s| {
        let last: Option<String> = opt("last", last)?;
        b::next_invoice_number(&s, conv::date("date", date)?, last.as_deref())
    }))
}

/// Audits numbers of a series for gaps and duplicates per fiscal year.
#[wasm_bindgen(js_name = checkInvoiceNumbers, unchecked_return_type = "SequenceReport")]
pub fn check_invoice_numbers(
    #[wasm_bindgen(unchecked_param_type = "InvoiceSeries")] series: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] numbers: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg(series).and_then(|s| b::check_invoice_numbers(&s, &arg::<Vec<String>>(numbers)?)))
}

/// The daily summary of invoices and credit notes, per day and currency.
#[wasm_bindgen(js_name = dailySummary, unchecked_return_type = "DaySummary[]")]
pub fn daily_summary(
    #[wasm_bindgen(unchecked_param_type = "PricedInvoice[]")] invoices: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CreditNote[] | undefined")] credit_notes: JsValue,
) -> Result<JsValue, JsValue> {
    out(arg::<Vec<b::PricedInvoice>>(invoices).and_then(|i| {
        let notes: Vec<b::CreditNote> = opt("credit_notes", credit_notes)?.unwrap_or_default();
        b::daily_summary(&i, &notes)
    }))
}
