//! The daily sales summary: per date and currency, invoice and credit-note counts, gross,
//! discounts, tax per head net of returns, round-off, sales, returns, net, and collections by
//! payment method.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::credit::CreditNote;
use crate::error::Result;
use crate::invoice::{PricedInvoice, TaxTotal};
use crate::money::{Money, RoundingMode};
use crate::payment::Tender;
use crate::tax::{add_tax, nth_of};

/// One day in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DaySummary {
    /// The day.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// The currency.
    pub currency: String,
    /// Invoices issued.
    pub invoices: i64,
    /// Credit notes issued.
    pub credit_notes: i64,
    /// Σ gross of invoice items.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub gross: Decimal,
    /// Σ line and invoice discounts.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub discounts: Decimal,
    /// Σ taxable value, less credited taxable value.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Per tax head, less credited tax.
    pub taxes: Vec<TaxTotal>,
    /// Σ tax, less credited tax.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub tax: Decimal,
    /// Σ round-off, less reversed round-off.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub round_off: Decimal,
    /// Σ invoice grand totals.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub sales: Decimal,
    /// Σ credit note totals.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub returns: Decimal,
    /// `sales - returns`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub net: Decimal,
    /// Collected per payment method (cash less change given).
    pub collected: Vec<Tender>,
    /// Σ balances left due.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub balance_due: Decimal,
    /// Σ insurance claim shares.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub claims: Decimal,
}

/// Summarises invoices and credit notes per day and currency, oldest first.
pub fn daily_summary(
    invoices: &[PricedInvoice],
    credit_notes: &[CreditNote],
) -> Result<Vec<DaySummary>> {
    crate::money::at_most("invoices", invoices.len(), crate::MAX_SUMMARY_DOCUMENTS)?;
    crate::money::at_most(
        "credit notes",
        credit_notes.len(),
        crate::MAX_SUMMARY_DOCUMENTS,
    )?;
    for inv in invoices {
        inv.check_bounds()?;
    }
    for cn in credit_notes {
        cn.check_bounds()?;
    }
    let mut days: Vec<DaySummary> = Vec::new();
    let mut day = |date: NaiveDate, currency: &str, minor: i64| -> Result<usize> {
        if let Some(i) = days
            .iter()
            .position(|d| d.date == date && d.currency == currency)
        {
            return Ok(i);
        }
        let m = Money::new(currency, i32::try_from(minor).ok(), RoundingMode::HalfUp)?;
        let z = m.scaled(Decimal::ZERO);
        days.push(DaySummary {
            date,
            currency: currency.to_string(),
            invoices: 0,
            credit_notes: 0,
            gross: z,
            discounts: z,
            taxable: z,
            taxes: Vec::new(),
            tax: z,
            round_off: z,
            sales: z,
            returns: z,
            net: z,
            collected: Vec::new(),
            balance_due: z,
            claims: z,
        });
        Ok(days.len() - 1)
    };
    let mut rows = Vec::new();
    for inv in invoices {
        rows.push((
            day(inv.date, &inv.currency, inv.minor_units)?,
            Some(inv),
            None,
        ));
    }
    for cn in credit_notes {
        let minor = invoices
            .iter()
            .find(|i| i.currency == cn.currency)
            .map_or(2, |i| i.minor_units);
        rows.push((day(cn.date, &cn.currency, minor)?, None, Some(cn)));
    }
    for (i, inv, cn) in rows {
        let d = &mut days[i];
        if let Some(inv) = inv {
            let t = &inv.totals;
            d.invoices += 1;
            d.gross += t.gross;
            d.discounts += t.line_discounts + t.invoice_discount;
            d.taxable += t.taxable;
            d.tax += t.tax;
            d.round_off += t.round_off;
            d.sales += t.grand_total;
            for i in 0..inv.taxes.len() {
                add_total(&mut d.taxes, &inv.taxes, i, Decimal::ONE);
            }
            if let Some(s) = &inv.settlement {
                d.balance_due += s.balance_due;
                for tender in &s.tenders {
                    let change = if tender.method.eq_ignore_ascii_case("cash") {
                        s.change
                    } else {
                        Decimal::ZERO
                    };
                    add_tender(&mut d.collected, &tender.method, tender.amount - change);
                }
            }
            if let Some(c) = &inv.copay {
                d.claims += c.claim;
            }
        }
        if let Some(cn) = cn {
            d.credit_notes += 1;
            d.taxable -= cn.totals.taxable;
            d.tax -= cn.totals.tax;
            d.round_off -= cn.totals.round_off;
            d.returns += cn.totals.total;
            for i in 0..cn.taxes.len() {
                add_total(&mut d.taxes, &cn.taxes, i, Decimal::NEGATIVE_ONE);
            }
        }
        d.net = d.sales - d.returns;
    }
    days.sort_by(|a, b| a.date.cmp(&b.date).then(a.currency.cmp(&b.currency)));
    Ok(days)
}

fn add_total(into: &mut Vec<TaxTotal>, all: &[TaxTotal], i: usize, sign: Decimal) {
    let t = &all[i];
    add_tax(
        into,
        &crate::invoice::TaxAmount {
            name: t.name.clone(),
            rate: t.rate,
            amount: t.amount * sign,
        },
        t.taxable * sign,
        nth_of(all, i, |x| (x.name.as_str(), x.rate)),
    );
}

fn add_tender(into: &mut Vec<Tender>, method: &str, amount: Decimal) {
    match into.iter_mut().find(|t| t.method == method) {
        Some(t) => t.amount += amount,
        None => into.push(Tender {
            method: method.to_string(),
            amount,
        }),
    }
}
