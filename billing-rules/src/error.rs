//! `BillingError`: every way a bill can be refused, each naming the value that was wrong.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a billing operation refused its input. Nothing is half-computed: an error means no
/// result at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    /// A quantity that is zero, negative or inconsistent.
    #[error("line {line}: quantity {qty} is invalid ({why})")]
    InvalidQuantity {
        /// 1-based line number.
        line: i64,
        /// The quantity given.
        qty: i64,
        /// What is wrong with it.
        why: String,
    },
    /// An amount, rate or other field that is out of range.
    #[error("{field} = {value}: {why}")]
    InvalidAmount {
        /// Which field, e.g. `line 3 unit_price`.
        field: String,
        /// The value given.
        value: Decimal,
        /// What is wrong with it.
        why: String,
    },
    /// An amount beyond the documented bounds ([`crate::MAX_AMOUNT`], [`crate::MAX_TOTAL`]).
    #[error("{field} = {value}: {why}")]
    AmountOutOfRange {
        /// Which field, e.g. `lines[2].unit_price`.
        field: String,
        /// The value given.
        value: Decimal,
        /// The bound.
        why: String,
    },
    /// More items than one call may carry (lines, charges, tenders, documents).
    #[error("{what}: {count} given, at most {max}")]
    LimitExceeded {
        /// What was counted.
        what: String,
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Any other field that fails validation.
    #[error("{0}")]
    InvalidInput(String),
    /// A field that fails validation, named by its path in the request (`taxes[1].row`).
    #[error("{field}: {why}")]
    InvalidField {
        /// The field's path.
        field: String,
        /// What is wrong with it.
        why: String,
    },
    /// A date outside the supported range.
    #[error("date {0} is out of range")]
    InvalidDate(NaiveDate),
    /// No tax rule at all for the category.
    #[error("line {line}: unknown tax category {category:?}")]
    UnknownTaxCategory {
        /// 1-based line number.
        line: i64,
        /// The category given.
        category: String,
    },
    /// The category exists but no rule is in force on the invoice date.
    #[error("line {line}: no tax rule for category {category:?} is in force on {date}")]
    NoRuleInForce {
        /// 1-based line number.
        line: i64,
        /// The category given.
        category: String,
        /// The invoice date.
        date: NaiveDate,
    },
    /// A tax rule set that does not validate (overlapping dates, negative rates, ...).
    #[error("tax rules: {0}")]
    InvalidRules(String),
    /// A tax-inclusive price above the batch MRP.
    #[error("line {line}: price {price} (tax included) of {product} exceeds the batch MRP {mrp}")]
    PriceAboveMrp {
        /// 1-based line number.
        line: i64,
        /// The product.
        product: String,
        /// The unit price with tax.
        price: Decimal,
        /// The maximum retail price on the batch.
        mrp: Decimal,
    },
    /// A discount larger than what it discounts.
    #[error("{scope}: discount {discount} exceeds the amount {amount}")]
    DiscountTooLarge {
        /// `line 2` or `invoice`.
        scope: String,
        /// The discount asked for.
        discount: Decimal,
        /// The amount it would discount.
        amount: Decimal,
    },
    /// A credit note returning more than is left to return on a line.
    #[error("line {line}: cannot return {requested} units, {remaining} sold and not yet returned")]
    ReturnExceedsSold {
        /// 1-based line number of the invoice.
        line: i64,
        /// Units asked for.
        requested: i64,
        /// Units left to return.
        remaining: i64,
    },
    /// Tendered more than is due without the cash to give change from.
    #[error("overpaid by {over} but only {cash} was tendered in cash, so no change can be given")]
    Overpayment {
        /// Paid minus due.
        over: Decimal,
        /// Cash tendered.
        cash: Decimal,
    },
    /// An invoice number that does not fit its series or breaks the sequence.
    #[error("invoice number {number:?}: {why}")]
    InvalidInvoiceNumber {
        /// The number given.
        number: String,
        /// What is wrong with it.
        why: String,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, BillingError>;
