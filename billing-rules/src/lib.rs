#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod copay;
pub mod credit;
pub mod document;
pub mod error;
pub mod invoice;
pub mod line;
pub mod money;
pub mod numbering;
pub mod payment;
pub mod price;
pub mod rules;
pub mod summary;
pub mod tax;
pub mod words;

use rust_decimal::Decimal;

/// The largest unit price, MRP, fixed tax per unit or discount amount: 10^12 in any currency.
pub const MAX_AMOUNT: Decimal = apotheca_core::MAX_AMOUNT;

/// The largest value of one line with its taxes: 10^17.
pub const MAX_LINE_TOTAL: Decimal = Decimal::from_parts(1_569_325_056, 23_283_064, 0, false, 0);

/// The largest amount due, tendered, or read back from a priced invoice: 10^21. With the limits
/// on counts below, every sum billing computes stays far inside `Decimal`'s range.
pub const MAX_TOTAL: Decimal = Decimal::from_parts(3_735_027_712, 902_409_669, 54, false, 0);

/// The most lines one invoice may have.
pub const MAX_INVOICE_LINES: usize = 10_000;
/// The most additional charges one invoice may have.
pub const MAX_CHARGES: usize = 1_000;
/// The most tenders one settlement may have.
pub const MAX_TENDERS: usize = 1_000;
/// The most invoices (or credit notes) one daily summary may read.
pub const MAX_SUMMARY_DOCUMENTS: usize = 100_000;
/// The most components one tax rule may have.
pub const MAX_COMPONENTS: usize = 16;
/// The most decimal places of a tax rate.
pub const MAX_RATE_DP: u32 = 6;

pub use copay::{CopayPlan, CopaySplit, LineShare};
pub use credit::{CreditLine, CreditNote, CreditRequest, CreditTotals, ReturnLine, credit_note};
pub use document::{
    CashStrategy, DiscountOn, DocumentCashRounding, DocumentDiscount, DocumentTaxTotal,
    DocumentTotals, TaxDocument, TaxDocumentLine, TaxDocumentRequest, ValueCharge,
    compute_document,
};
pub use error::{BillingError, Result};
pub use invoice::{
    CategorySummary, Charge, FreeScheme, InvoiceLine, InvoiceRequest, InvoiceTotals, LineKind,
    PricedInvoice, PricedLine, Supply, TaxAmount, TaxTotal, TaxTreatment,
};
pub use line::{
    AmountType, BaseOn, CompanyAmounts, CompanyCurrency, LineRounding, LineTax, LineTaxAmount,
    Repartition, RepriceRequest, Repriced, TaxLineRequest, TaxLineResult, compute_taxes, reprice,
};
pub use money::{CashDirection, CashRounding, Rounding, RoundingLevel, RoundingMode, minor_units};
pub use numbering::{InvoiceNumber, InvoiceSeries, SequenceReport, YearSequence, fiscal_year};
pub use payment::{Settlement, Tender, settle};
pub use price::price;
pub use rules::{ComponentKind, TaxComponent, TaxRule, TaxRuleSet, TaxRules};
pub use summary::{DaySummary, daily_summary};
pub use words::{WordsStyle, amount_in_words, number_in_words};

#[cfg(test)]
mod bounds {
    #[test]
    fn the_bounds_are_the_powers_of_ten_they_say() {
        use std::str::FromStr;
        let d = |s: &str| rust_decimal::Decimal::from_str(s).unwrap();
        assert_eq!(super::MAX_AMOUNT, d("1000000000000"));
        assert_eq!(super::MAX_LINE_TOTAL, d("100000000000000000"));
        assert_eq!(super::MAX_TOTAL, d("1000000000000000000000"));
    }
}
