//! `Billing` and the billing functions: each converts its arguments, calls the facade,
//! converts the result. No rule lives here.

use apotheca::Billing;
use apotheca::billing as b;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::conv::{self, Job, arg, call, decimal, opt, param};
use crate::error;

/// Prices invoices with one validated tax rule set. Immutable: share one between requests.
#[napi(js_name = "Billing")]
pub struct JsBilling(Billing);

fn engine(env: &Env, r: apotheca::ApiResult<Billing>) -> Result<JsBilling> {
    r.map(JsBilling).map_err(|e| error::to_js(env, e))
}

#[napi]
impl JsBilling {
    /// An engine over a rule set (validated when loaded).
    #[napi(constructor, ts_args_type = "rules: TaxRuleSet")]
    pub fn new(env: &Env, rules: Unknown<'_>) -> Result<Self> {
        engine(env, arg(env, rules).and_then(Billing::new))
    }

    /// An engine over a JSON rule file's text (snake_case keys, as in the file format).
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_json(env: &Env, text: Unknown<'_>) -> Result<Self> {
        engine(
            env,
            param::<String>(env, "text", text).and_then(|t| Billing::from_json(&t)),
        )
    }

    /// An engine over a TOML rule file's text.
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_toml(env: &Env, text: Unknown<'_>) -> Result<Self> {
        engine(
            env,
            param::<String>(env, "text", text).and_then(|t| Billing::from_toml(&t)),
        )
    }

    /// The rules as loaded.
    #[napi(ts_return_type = "TaxRuleSet")]
    pub fn rules<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || Ok(self.0.rules()))
    }

    /// Prices an invoice with the rules in force on its date.
    #[napi(
        ts_args_type = "invoice: InvoiceRequest",
        ts_return_type = "PricedInvoice"
    )]
    pub fn price_invoice<'e>(&self, env: &'e Env, invoice: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.price_invoice(&arg(env, invoice)?))
    }

    #[napi(
        ts_args_type = "request: TaxDocumentRequest",
        ts_return_type = "TaxDocument"
    )]
    pub fn price_document<'e>(&self, env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.price_document(&arg(env, request)?))
    }

    #[napi(
        ts_args_type = "invoice: InvoiceRequest",
        ts_return_type = "Promise<PricedInvoice>"
    )]
    pub fn price_invoice_async(&self, env: &Env, invoice: Unknown<'_>) -> AsyncTask<Job> {
        let (e, i) = (self.0.clone(), arg(env, invoice));
        Job::new(move || e.price_invoice(&i?))
    }
}

/// A credit note reversing exactly the tax charged on the returned units.
#[napi(
    ts_args_type = "invoice: PricedInvoice, request: CreditRequest",
    ts_return_type = "CreditNote"
)]
pub fn credit_note<'e>(
    env: &'e Env,
    invoice: Unknown<'_>,
    request: Unknown<'_>,
) -> Result<Unknown<'e>> {
    call(env, || {
        b::credit_note(&arg(env, invoice)?, &arg(env, request)?)
    })
}

/// The taxes of one line from explicit tax properties (no rule set, date or category).
#[napi(
    ts_args_type = "request: TaxLineRequest",
    ts_return_type = "TaxLineResult"
)]
pub fn compute_taxes<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || b::compute_taxes(&arg(env, request)?))
}

/// A document of single lines taxed together, with its totals (per line or global rounding).
#[napi(
    ts_args_type = "request: TaxDocumentRequest",
    ts_return_type = "TaxDocument"
)]
pub fn compute_document<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || b::compute_document(&arg(env, request)?))
}

/// A tax-included price re-expressed under another tax set (a fiscal position's mapping).
#[napi(ts_args_type = "request: RepriceRequest", ts_return_type = "Repriced")]
pub fn reprice<'e>(env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
    call(env, || b::reprice(&arg(env, request)?))
}

/// Settles an amount due with tenders: paid, balance due, change (from cash only).
#[napi(
    ts_args_type = "currency: string, due: Decimal, tenders: Tender[]",
    ts_return_type = "Settlement"
)]
pub fn settle_payments<'e>(
    env: &'e Env,
    currency: Unknown<'_>,
    due: Unknown<'_>,
    tenders: Unknown<'_>,
) -> Result<Unknown<'e>> {
    call(env, || {
        b::settle_payments(
            &param::<String>(env, "currency", currency)?,
            decimal(env, "due", due)?,
            &arg::<Vec<b::Tender>>(env, tenders)?,
        )
    })
}

/// An amount in words: `"indian"` (lakh, crore) or `"international"` (the default).
#[napi(
    ts_args_type = "amount: Decimal, currency: string, style?: WordsStyle",
    ts_return_type = "string"
)]
pub fn amount_in_words<'e>(
    env: &'e Env,
    amount: Unknown<'_>,
    currency: Unknown<'_>,
    style: Option<Unknown<'_>>,
) -> Result<Unknown<'e>> {
    call(env, || {
        let s = opt(env, "style", style)?.unwrap_or(b::WordsStyle::International);
        b::amount_in_words(
            decimal(env, "amount", amount)?,
            &param::<String>(env, "currency", currency)?,
            s,
        )
    })
}

/// The next number of a series on `date`, given the last number issued (none: the first).
#[napi(
    ts_args_type = "series: InvoiceSeries, date: IsoDate, last?: string | null",
    ts_return_type = "InvoiceNumber"
)]
pub fn next_invoice_number<'e>(
    env: &'e Env,
    series: Unknown<'_>,
    date: Unknown<'_>,
    last: Option<Unknown<'_>>,
) -> Result<Unknown<'e>> {
    call(env, || {
        let last: Option<String> = opt(env, "last", last)?;
        b::next_invoice_number(
            &arg(env, series)?,
            conv::date(env, "date", date)?,
            last.as_deref(),
        )
    })
}

/// Audits numbers of a series for gaps and duplicates per fiscal year.
#[napi(
    ts_args_type = "series: InvoiceSeries, numbers: string[]",
    ts_return_type = "SequenceReport"
)]
pub fn check_invoice_numbers<'e>(
    env: &'e Env,
    series: Unknown<'_>,
    numbers: Unknown<'_>,
) -> Result<Unknown<'e>> {
    call(env, || {
        b::check_invoice_numbers(&arg(env, series)?, &arg::<Vec<String>>(env, numbers)?)
    })
}

/// The daily summary of invoices and credit notes, per day and currency.
#[napi(
    ts_args_type = "invoices: PricedInvoice[], creditNotes?: CreditNote[]",
    ts_return_type = "DaySummary[]"
)]
pub fn daily_summary<'e>(
    env: &'e Env,
    invoices: Unknown<'_>,
    credit_notes: Option<Unknown<'_>>,
) -> Result<Unknown<'e>> {
    call(env, || {
        let notes: Vec<b::CreditNote> = opt(env, "credit_notes", credit_notes)?.unwrap_or_default();
        b::daily_summary(&arg::<Vec<b::PricedInvoice>>(env, invoices)?, &notes)
    })
}
