//! Credit notes for full or partial returns. Each returned line gives back its share of the
//! taxable value and of every tax head exactly as charged: returning `r` of the `R` units not
//! yet returned credits `r/R` of what is left uncredited (rounded), and the last return of a
//! line credits all that is left. So the credit notes of an invoice, however it is returned,
//! add up to the invoice line by line and head by head.

use apotheca_core::Text;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::invoice::{PricedInvoice, TaxAmount, TaxTotal};
use crate::money::Money;
use crate::tax::tax_totals_of;

/// Units of one invoice line coming back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnLine {
    /// The invoice's line number.
    pub line_no: i64,
    /// Units returned.
    pub qty: i64,
}

/// A return against a priced invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreditRequest {
    /// Credit note number, if assigned.
    #[serde(default)]
    pub number: Option<String>,
    /// Date of the credit note (not before the invoice).
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// What comes back.
    pub returns: Vec<ReturnLine>,
    /// Credit notes already issued against the same invoice.
    #[serde(default)]
    pub previous: Vec<CreditNote>,
}

/// One credited line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreditLine {
    /// The invoice's line number.
    pub line_no: i64,
    /// Product id.
    pub product: Text,
    /// Batch number.
    pub batch: Option<Text>,
    /// Units returned.
    pub qty: i64,
    /// Taxable value credited.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Each tax head credited.
    pub taxes: Vec<TaxAmount>,
    /// Σ taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub tax: Decimal,
    /// `taxable + tax`.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total: Decimal,
}

/// Totals of a credit note: `total = taxable + tax + round_off`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreditTotals {
    /// Σ taxable.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub taxable: Decimal,
    /// Σ taxes.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub tax: Decimal,
    /// The invoice's round-off, reversed by the note that completes a full return.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub round_off: Decimal,
    /// Amount credited.
    #[serde(with = "apotheca_core::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub total: Decimal,
}

/// A credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreditNote {
    /// Its number.
    pub number: Option<String>,
    /// The invoice it credits.
    pub invoice_number: Option<String>,
    /// Its date.
    #[serde(with = "apotheca_core::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// Currency.
    pub currency: String,
    /// Credited lines.
    pub lines: Vec<CreditLine>,
    /// Per tax head.
    pub taxes: Vec<TaxTotal>,
    /// Totals.
    pub totals: CreditTotals,
    /// Whether, with the previous notes, every unit of the invoice has now come back.
    pub complete: bool,
}

impl CreditNote {
    /// Refuses a credit note (read back from a caller) with more lines or larger amounts than
    /// one computed here can have.
    pub fn check_bounds(&self) -> Result<()> {
        use crate::money::{at_most, bounded};
        at_most(
            "credit note lines",
            self.lines.len(),
            crate::MAX_INVOICE_LINES,
        )?;
        at_most(
            "credit note taxes",
            self.taxes.len(),
            crate::MAX_INVOICE_LINES,
        )?;
        for (i, l) in self.lines.iter().enumerate() {
            crate::invoice::stored_line(
                i,
                l.line_no,
                l.qty,
                [l.taxable, l.tax, l.total],
                &l.taxes,
            )?;
        }
        let t = &self.totals;
        for (f, v) in [
            ("taxable", t.taxable),
            ("tax", t.tax),
            ("round_off", t.round_off),
            ("total", t.total),
        ] {
            bounded(|| format!("totals.{f}"), v, crate::MAX_TOTAL)?;
        }
        for (i, x) in self.taxes.iter().enumerate() {
            bounded(
                || format!("taxes[{i}].taxable"),
                x.taxable,
                crate::MAX_TOTAL,
            )?;
            bounded(|| format!("taxes[{i}].amount"), x.amount, crate::MAX_TOTAL)?;
        }
        Ok(())
    }
}

/// Issues a credit note against `invoice`.
pub fn credit_note(invoice: &PricedInvoice, req: &CreditRequest) -> Result<CreditNote> {
    let money = Money::new(
        &invoice.currency,
        i32::try_from(invoice.minor_units).ok(),
        invoice.rounding.mode,
    )?;
    if req.date < invoice.date {
        return Err(BillingError::InvalidInput(format!(
            "credit note date {} is before the invoice date {}",
            req.date, invoice.date
        )));
    }
    invoice.check_bounds()?;
    crate::money::at_most(
        "previous credit notes",
        req.previous.len(),
        crate::MAX_SUMMARY_DOCUMENTS,
    )?;
    crate::money::at_most("returns", req.returns.len(), crate::MAX_INVOICE_LINES)?;
    for p in &req.previous {
        p.check_bounds()?;
    }
    if req.returns.is_empty() {
        return Err(BillingError::InvalidInput(
            "a credit note needs at least one returned line".into(),
        ));
    }
    for p in &req.previous {
        if p.invoice_number != invoice.number || p.currency != invoice.currency {
            return Err(BillingError::InvalidInput(format!(
                "previous credit note {:?} is for invoice {:?}, not {:?}",
                p.number, p.invoice_number, invoice.number
            )));
        }
    }
    let mut lines = Vec::with_capacity(req.returns.len());
    for (i, r) in req.returns.iter().enumerate() {
        if req.returns[..i].iter().any(|x| x.line_no == r.line_no) {
            return Err(BillingError::InvalidInput(format!(
                "line {} is returned twice in one credit note",
                r.line_no
            )));
        }
        let l = invoice
            .lines
            .iter()
            .find(|l| l.line_no == r.line_no)
            .ok_or_else(|| {
                BillingError::InvalidInput(format!("the invoice has no line {}", r.line_no))
            })?;
        if r.qty <= 0 {
            return Err(BillingError::InvalidQuantity {
                line: r.line_no,
                qty: r.qty,
                why: "must be positive".into(),
            });
        }
        let before: Vec<&CreditLine> = req
            .previous
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|c| c.line_no == r.line_no)
            .collect();
        let returned: i64 = before.iter().map(|c| c.qty).sum();
        let remaining = l.qty - returned;
        if r.qty > remaining {
            return Err(BillingError::ReturnExceedsSold {
                line: r.line_no,
                requested: r.qty,
                remaining,
            });
        }
        let part = |left: Decimal| {
            if r.qty == remaining {
                left
            } else {
                money.round(left * Decimal::from(r.qty) / Decimal::from(remaining))
            }
        };
        let taxable = part(l.taxable - before.iter().map(|c| c.taxable).sum::<Decimal>());
        let taxes: Vec<TaxAmount> = l
            .taxes
            .iter()
            .map(|t| {
                let credited: Decimal = before
                    .iter()
                    .flat_map(|c| &c.taxes)
                    .filter(|x| x.name == t.name && x.rate == t.rate)
                    .map(|x| x.amount)
                    .sum();
                TaxAmount {
                    name: t.name.clone(),
                    rate: t.rate,
                    amount: part(t.amount - credited),
                }
            })
            .collect();
        let tax = money.scaled(taxes.iter().map(|t| t.amount).sum());
        lines.push(CreditLine {
            line_no: l.line_no,
            product: l.product.clone(),
            batch: l.batch.clone(),
            qty: r.qty,
            taxable,
            taxes,
            tax,
            total: taxable + tax,
        });
    }
    let complete = invoice.lines.iter().all(|l| {
        let back: i64 = req
            .previous
            .iter()
            .flat_map(|p| &p.lines)
            .chain(&lines)
            .filter(|c| c.line_no == l.line_no)
            .map(|c| c.qty)
            .sum();
        back == l.qty
    });
    let round_off = if complete {
        invoice.totals.round_off
            - req
                .previous
                .iter()
                .map(|p| p.totals.round_off)
                .sum::<Decimal>()
    } else {
        money.scaled(Decimal::ZERO)
    };
    let taxable = money.scaled(lines.iter().map(|l| l.taxable).sum());
    let tax = money.scaled(lines.iter().map(|l| l.tax).sum());
    Ok(CreditNote {
        number: req.number.clone(),
        invoice_number: invoice.number.clone(),
        date: req.date,
        currency: invoice.currency.clone(),
        taxes: tax_totals_of(lines.iter().map(|l| (l.taxable, &l.taxes)), &money),
        lines,
        totals: CreditTotals {
            taxable,
            tax,
            round_off,
            total: taxable + tax + round_off,
        },
        complete,
    })
}
