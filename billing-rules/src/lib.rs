#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod copay;
pub mod credit;
pub mod error;
pub mod invoice;
pub mod money;
pub mod numbering;
pub mod payment;
pub mod rules;
pub mod summary;
pub mod words;

pub use copay::{CopayPlan, CopaySplit, LineShare};
pub use credit::{CreditLine, CreditNote, CreditRequest, CreditTotals, ReturnLine, credit_note};
pub use error::{BillingError, Result};
pub use invoice::{
    CategorySummary, Charge, FreeScheme, InvoiceLine, InvoiceRequest, InvoiceTotals, LineKind,
    PricedInvoice, PricedLine, Supply, TaxAmount, TaxTotal, TaxTreatment, price,
};
pub use money::{CashDirection, CashRounding, Rounding, RoundingLevel, RoundingMode, minor_units};
pub use numbering::{InvoiceNumber, InvoiceSeries, SequenceReport, YearSequence, fiscal_year};
pub use payment::{Settlement, Tender, settle};
pub use rules::{ComponentKind, TaxComponent, TaxRule, TaxRuleSet, TaxRules};
pub use summary::{DaySummary, daily_summary};
pub use words::{WordsStyle, amount_in_words, number_in_words};
