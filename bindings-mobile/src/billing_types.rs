//! The billing types as UniFFI records and enums, mirroring `apotheca-billing-rules` field for
//! field (UniFFI generates the FFI for the real types; the compiler rejects any mismatch).

use apotheca::billing::{
    AmountType, BaseOn, CashDirection, CashRounding, CashStrategy, CategorySummary, Charge,
    CompanyAmounts, CompanyCurrency, ComponentKind, CopayPlan, CopaySplit, CreditLine, CreditNote,
    CreditRequest, CreditTotals, DaySummary, DiscountOn, DocumentCashRounding, DocumentDiscount,
    DocumentTaxTotal, DocumentTotals, FreeScheme, InvoiceLine, InvoiceNumber, InvoiceRequest,
    InvoiceSeries, InvoiceTotals, LineKind, LineRounding, LineShare, LineTax, LineTaxAmount,
    PricedInvoice, PricedLine, Repartition, RepriceRequest, Repriced, ReturnLine, Rounding,
    RoundingLevel, RoundingMode, SequenceReport, Settlement, Supply, TaxAmount, TaxComponent,
    TaxDocument, TaxDocumentLine, TaxDocumentRequest, TaxLineRequest, TaxLineResult, TaxRule,
    TaxRuleSet, TaxTotal, TaxTreatment, Tender, ValueCharge, WordsStyle, YearSequence,
};
use apotheca::domain::Text;
use chrono::NaiveDate;
use rust_decimal::Decimal;

// Shared text (a reference count to copy, not an allocation): a `String` across the FFI.
uniffi::custom_type!(Text, String, {
    remote,
    try_lift: |s| Ok(Text::from(s)),
    lower: |t| t.into(),
});

#[uniffi::remote(Enum)]
pub enum ComponentKind {
    Percent,
    Fixed,
    Gst,
}

#[uniffi::remote(Record)]
pub struct TaxComponent {
    pub name: String,
    pub kind: ComponentKind,
    pub rate: Decimal,
    #[uniffi(default)]
    pub compound: bool,
}

#[uniffi::remote(Record)]
pub struct TaxRule {
    pub category: String,
    #[uniffi(default)]
    pub region: Option<String>,
    pub effective_from: NaiveDate,
    #[uniffi(default)]
    pub effective_to: Option<NaiveDate>,
    #[uniffi(default)]
    pub exempt: bool,
    #[uniffi(default)]
    pub components: Vec<TaxComponent>,
    #[uniffi(default)]
    pub taxes: Vec<LineTax>,
    #[uniffi(default)]
    pub description: Option<String>,
}

#[uniffi::remote(Record)]
pub struct TaxRuleSet {
    #[uniffi(default)]
    pub rules: Vec<TaxRule>,
}

#[uniffi::remote(Enum)]
pub enum RoundingMode {
    HalfUp,
    HalfEven,
}

#[uniffi::remote(Enum)]
pub enum RoundingLevel {
    Line,
    Invoice,
}

#[uniffi::remote(Enum)]
pub enum CashDirection {
    Nearest,
    Up,
    Down,
}

#[uniffi::remote(Record)]
pub struct CashRounding {
    pub increment: Decimal,
    pub direction: CashDirection,
}

#[uniffi::remote(Record)]
pub struct Rounding {
    pub mode: RoundingMode,
    pub level: RoundingLevel,
    #[uniffi(default)]
    pub cash: Option<CashRounding>,
}

#[uniffi::remote(Record)]
pub struct FreeScheme {
    pub buy: i64,
    pub get: i64,
}

#[uniffi::remote(Record)]
pub struct InvoiceLine {
    pub product: Text,
    #[uniffi(default)]
    pub batch: Option<Text>,
    #[uniffi(default)]
    pub description: Option<Text>,
    pub qty: i64,
    pub unit_price: Decimal,
    #[uniffi(default)]
    pub price_includes_tax: bool,
    #[uniffi(default)]
    pub mrp: Option<Decimal>,
    pub tax_category: Text,
    #[uniffi(default)]
    pub discount_percent: Option<Decimal>,
    #[uniffi(default)]
    pub discount_amount: Option<Decimal>,
    #[uniffi(default)]
    pub scheme: Option<FreeScheme>,
}

#[uniffi::remote(Record)]
pub struct Charge {
    pub name: Text,
    pub amount: Decimal,
    #[uniffi(default)]
    pub tax_category: Option<Text>,
    #[uniffi(default)]
    pub price_includes_tax: bool,
}

#[uniffi::remote(Record)]
pub struct InvoiceRequest {
    #[uniffi(default)]
    pub number: Option<String>,
    pub date: NaiveDate,
    pub currency: String,
    #[uniffi(default)]
    pub minor_units: Option<i32>,
    #[uniffi(default)]
    pub seller_region: Option<String>,
    #[uniffi(default)]
    pub place_of_supply: Option<String>,
    pub rounding: Rounding,
    pub lines: Vec<InvoiceLine>,
    #[uniffi(default)]
    pub charges: Vec<Charge>,
    #[uniffi(default)]
    pub discount_percent: Option<Decimal>,
    #[uniffi(default)]
    pub discount_amount: Option<Decimal>,
    #[uniffi(default)]
    pub copay: Option<CopayPlan>,
    #[uniffi(default)]
    pub payments: Vec<Tender>,
    #[uniffi(default)]
    pub words: Option<WordsStyle>,
}

#[uniffi::remote(Enum)]
pub enum LineKind {
    Item,
    Charge,
}

#[uniffi::remote(Enum)]
pub enum TaxTreatment {
    Taxable,
    ZeroRated,
    Exempt,
}

#[uniffi::remote(Enum)]
pub enum Supply {
    IntraState,
    InterState,
}

#[uniffi::remote(Record)]
pub struct TaxAmount {
    pub name: Text,
    pub rate: Decimal,
    pub amount: Decimal,
}

#[uniffi::remote(Record)]
pub struct PricedLine {
    pub line_no: i64,
    pub kind: LineKind,
    pub product: Text,
    pub batch: Option<Text>,
    pub description: Option<Text>,
    pub tax_category: Option<Text>,
    pub qty: i64,
    pub free_qty: i64,
    pub billed_qty: i64,
    pub unit_price: Decimal,
    pub price_includes_tax: bool,
    pub mrp: Option<Decimal>,
    pub gross: Decimal,
    pub discount: Decimal,
    pub invoice_discount: Decimal,
    pub taxable: Decimal,
    pub taxes: Vec<TaxAmount>,
    pub tax: Decimal,
    pub total: Decimal,
    pub treatment: TaxTreatment,
}

#[uniffi::remote(Record)]
pub struct TaxTotal {
    pub name: Text,
    pub rate: Decimal,
    pub taxable: Decimal,
    pub amount: Decimal,
}

#[uniffi::remote(Record)]
pub struct CategorySummary {
    pub category: Text,
    pub rate: Decimal,
    pub taxable: Decimal,
    pub taxes: Vec<TaxAmount>,
    pub tax: Decimal,
    pub total: Decimal,
}

#[uniffi::remote(Record)]
pub struct InvoiceTotals {
    pub gross: Decimal,
    pub line_discounts: Decimal,
    pub invoice_discount: Decimal,
    pub charges_total: Decimal,
    pub taxable: Decimal,
    pub tax: Decimal,
    pub total_before_round_off: Decimal,
    pub round_off: Decimal,
    pub grand_total: Decimal,
    pub payable: Decimal,
}

#[uniffi::remote(Record)]
pub struct PricedInvoice {
    pub number: Option<String>,
    pub date: NaiveDate,
    pub currency: String,
    pub minor_units: i64,
    pub rounding: Rounding,
    pub supply: Supply,
    pub lines: Vec<PricedLine>,
    pub taxes: Vec<TaxTotal>,
    pub category_summary: Vec<CategorySummary>,
    pub totals: InvoiceTotals,
    pub copay: Option<CopaySplit>,
    pub settlement: Option<Settlement>,
    pub amount_in_words: Option<String>,
}

#[uniffi::remote(Record)]
pub struct CopayPlan {
    #[uniffi(default)]
    pub copay_per_item: Option<Decimal>,
    #[uniffi(default)]
    pub copay_per_invoice: Option<Decimal>,
    #[uniffi(default)]
    pub coinsurance_percent: Option<Decimal>,
    #[uniffi(default)]
    pub deductible_remaining: Option<Decimal>,
    #[uniffi(default)]
    pub coverage_limit: Option<Decimal>,
    #[uniffi(default)]
    pub non_covered: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct LineShare {
    pub line_no: i64,
    pub covered: bool,
    pub patient: Decimal,
    pub claim: Decimal,
}

#[uniffi::remote(Record)]
pub struct CopaySplit {
    pub patient: Decimal,
    pub claim: Decimal,
    pub deductible_applied: Decimal,
    pub lines: Vec<LineShare>,
}

#[uniffi::remote(Record)]
pub struct Tender {
    pub method: String,
    pub amount: Decimal,
}

#[uniffi::remote(Record)]
pub struct Settlement {
    pub due: Decimal,
    pub paid: Decimal,
    pub balance_due: Decimal,
    pub change: Decimal,
    pub tenders: Vec<Tender>,
}

#[uniffi::remote(Record)]
pub struct ReturnLine {
    pub line_no: i64,
    pub qty: i64,
}

#[uniffi::remote(Record)]
pub struct CreditRequest {
    #[uniffi(default)]
    pub number: Option<String>,
    pub date: NaiveDate,
    pub returns: Vec<ReturnLine>,
    #[uniffi(default)]
    pub previous: Vec<CreditNote>,
}

#[uniffi::remote(Record)]
pub struct CreditLine {
    pub line_no: i64,
    pub product: Text,
    pub batch: Option<Text>,
    pub qty: i64,
    pub taxable: Decimal,
    pub taxes: Vec<TaxAmount>,
    pub tax: Decimal,
    pub total: Decimal,
}

#[uniffi::remote(Record)]
pub struct CreditTotals {
    pub taxable: Decimal,
    pub tax: Decimal,
    pub round_off: Decimal,
    pub total: Decimal,
}

#[uniffi::remote(Record)]
pub struct CreditNote {
    pub number: Option<String>,
    pub invoice_number: Option<String>,
    pub date: NaiveDate,
    pub currency: String,
    pub lines: Vec<CreditLine>,
    pub taxes: Vec<TaxTotal>,
    pub totals: CreditTotals,
    pub complete: bool,
}

#[uniffi::remote(Record)]
pub struct InvoiceSeries {
    pub prefix: String,
    pub fiscal_year_start_month: i32,
    pub width: i32,
}

#[uniffi::remote(Record)]
pub struct InvoiceNumber {
    pub number: String,
    pub fiscal_year: String,
    pub sequence: i64,
}

#[uniffi::remote(Record)]
pub struct YearSequence {
    pub fiscal_year: String,
    pub count: i64,
    pub first: i64,
    pub last: i64,
    pub missing: Vec<i64>,
    pub duplicates: Vec<i64>,
}

#[uniffi::remote(Record)]
pub struct SequenceReport {
    pub gapless: bool,
    pub years: Vec<YearSequence>,
}

#[uniffi::remote(Record)]
pub struct DaySummary {
    pub date: NaiveDate,
    pub currency: String,
    pub invoices: i64,
    pub credit_notes: i64,
    pub gross: Decimal,
    pub discounts: Decimal,
    pub taxable: Decimal,
    pub taxes: Vec<TaxTotal>,
    pub tax: Decimal,
    pub round_off: Decimal,
    pub sales: Decimal,
    pub returns: Decimal,
    pub net: Decimal,
    pub collected: Vec<Tender>,
    pub balance_due: Decimal,
    pub claims: Decimal,
}

#[uniffi::remote(Enum)]
pub enum WordsStyle {
    Indian,
    International,
}

#[uniffi::remote(Enum)]
pub enum AmountType {
    Percent,
    Fixed,
    Division,
    Actual,
}

#[uniffi::remote(Enum)]
pub enum BaseOn {
    Net,
    PreviousRowAmount,
    PreviousRowTotal,
}

#[uniffi::remote(Enum)]
pub enum Repartition {
    Normal,
    ReverseCharge,
    Withholding,
}

#[uniffi::remote(Enum)]
pub enum LineRounding {
    PerLine,
    Global,
}

#[uniffi::remote(Record)]
pub struct LineTax {
    pub name: String,
    pub amount_type: AmountType,
    pub amount: Decimal,
    #[uniffi(default)]
    pub price_include: bool,
    #[uniffi(default)]
    pub include_base_amount: bool,
    #[uniffi(default = true)]
    pub is_base_affected: bool,
    pub base_on: BaseOn,
    #[uniffi(default)]
    pub row: Option<u32>,
    pub repartition: Repartition,
    #[uniffi(default)]
    pub rounding_step: Option<Decimal>,
    #[uniffi(default)]
    pub unrounded: bool,
    #[uniffi(default)]
    pub group: Option<String>,
}

#[uniffi::remote(Record)]
pub struct CompanyCurrency {
    pub currency: String,
    pub rate: Decimal,
    #[uniffi(default)]
    pub minor_units: Option<i32>,
}

#[uniffi::remote(Record)]
pub struct TaxLineRequest {
    pub price_unit: Decimal,
    pub quantity: Decimal,
    #[uniffi(default)]
    pub discount_percent: Option<Decimal>,
    #[uniffi(default)]
    pub taxes: Vec<LineTax>,
    pub currency: String,
    #[uniffi(default)]
    pub minor_units: Option<i32>,
    pub rounding_method: LineRounding,
    pub mode: RoundingMode,
    #[uniffi(default)]
    pub company: Option<CompanyCurrency>,
}

#[uniffi::remote(Record)]
pub struct LineTaxAmount {
    pub name: String,
    pub row: u32,
    pub group: Option<String>,
    pub base: Decimal,
    pub amount: Decimal,
    pub reverse_charge: bool,
}

#[uniffi::remote(Record)]
pub struct CompanyAmounts {
    pub currency: String,
    pub total_excluded: Decimal,
    pub total_included: Decimal,
    pub taxes: Vec<LineTaxAmount>,
}

#[uniffi::remote(Record)]
pub struct TaxLineResult {
    pub currency: String,
    pub total_excluded: Decimal,
    pub total_included: Decimal,
    pub taxes: Vec<LineTaxAmount>,
    pub company: Option<CompanyAmounts>,
}

#[uniffi::remote(Record)]
pub struct RepriceRequest {
    pub price_unit: Decimal,
    #[uniffi(default)]
    pub from: Vec<LineTax>,
    #[uniffi(default)]
    pub to: Vec<LineTax>,
    pub currency: String,
    #[uniffi(default)]
    pub price_digits: Option<i32>,
    pub mode: RoundingMode,
}

#[uniffi::remote(Record)]
pub struct Repriced {
    pub price_unit: Decimal,
    pub price_excluded: Decimal,
}

#[uniffi::remote(Record)]
pub struct TaxDocumentLine {
    pub price_unit: Decimal,
    pub quantity: Decimal,
    #[uniffi(default)]
    pub discount_percent: Option<Decimal>,
    #[uniffi(default)]
    pub taxes: Vec<LineTax>,
    #[uniffi(default)]
    pub tax_category: Option<String>,
    #[uniffi(default)]
    pub price_includes_tax: bool,
}

#[uniffi::remote(Enum)]
pub enum CashStrategy {
    AddLine,
    BiggestTax,
}

#[uniffi::remote(Record)]
pub struct DocumentCashRounding {
    pub increment: Decimal,
    pub direction: CashDirection,
    pub strategy: CashStrategy,
}

#[uniffi::remote(Record)]
pub struct TaxDocumentRequest {
    pub currency: String,
    #[uniffi(default)]
    pub minor_units: Option<i32>,
    pub rounding_method: LineRounding,
    pub mode: RoundingMode,
    #[uniffi(default)]
    pub company: Option<CompanyCurrency>,
    #[uniffi(default)]
    pub cash_rounding: Option<DocumentCashRounding>,
    #[uniffi(default)]
    pub discount: Option<DocumentDiscount>,
    #[uniffi(default)]
    pub charges_in_value: Vec<ValueCharge>,
    #[uniffi(default)]
    pub cash_discount: Option<Decimal>,
    #[uniffi(default)]
    pub date: Option<NaiveDate>,
    #[uniffi(default)]
    pub seller_region: Option<String>,
    #[uniffi(default)]
    pub place_of_supply: Option<String>,
    pub lines: Vec<TaxDocumentLine>,
}

#[uniffi::remote(Record)]
pub struct DocumentTaxTotal {
    pub name: String,
    pub group: Option<String>,
    pub reverse_charge: bool,
    pub base: Decimal,
    pub amount: Decimal,
}

#[uniffi::remote(Record)]
pub struct DocumentTotals {
    pub currency: String,
    pub taxes: Vec<DocumentTaxTotal>,
    pub total_excluded: Decimal,
    pub total_tax: Decimal,
    pub discount: Decimal,
    pub cash_discount: Decimal,
    pub total_included: Decimal,
    pub rounding: Decimal,
    pub total_payable: Decimal,
}

#[uniffi::remote(Record)]
pub struct TaxDocument {
    pub lines: Vec<TaxLineResult>,
    pub totals: DocumentTotals,
    pub company: Option<DocumentTotals>,
}

#[uniffi::remote(Enum)]
pub enum DiscountOn {
    NetTotal,
    GrandTotal,
}

#[uniffi::remote(Record)]
pub struct DocumentDiscount {
    pub apply_on: DiscountOn,
    #[uniffi(default)]
    pub amount: Option<Decimal>,
    #[uniffi(default)]
    pub percent: Option<Decimal>,
}

#[uniffi::remote(Record)]
pub struct ValueCharge {
    pub name: String,
    pub amount: Decimal,
}
