//! The facade's types as UniFFI records and enums. Each `#[uniffi::remote]` item mirrors the
//! definition in `apotheca-core` (or `apotheca`) field for field: UniFFI generates the FFI for
//! the real type, so no conversion code is needed and the compiler rejects any mismatch.

use apotheca::domain::AdjustReason;
use apotheca::domain::MovementKind;
use apotheca::{
    Allocation, AllocationPolicy, AllocationRequest, AsOfRow, Batch, BatchNo, BatchStatus,
    BatchTrace, Catalog, CostLayer, DispenseRequest, DispenseResult, DocumentLine, DosageForm,
    ExpiryBucket, ExpiryRow, Ingredient, Line, LineOutcome, Location, LocationId, LotAlert,
    LotAlerts, LotDates, Movement, MovementEntry, PackRounding, Pick, PickReason, Posting,
    PostingResult, Product, ProductId, Qty, Schedule, ShelfLife, SkipReason, Skipped, StatusChange,
    StockFilter, StockRow, StockTotals, StorageClass, Valuation, ValuationRow, VvmStatus,
    WholePacks,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::malformed;

uniffi::custom_type!(ProductId, String, {
    remote,
    try_lift: |s| ProductId::new(s.as_str()).map_err(|e| malformed("product id", &s, e)),
    lower: |id| id.to_string(),
});
uniffi::custom_type!(BatchNo, String, {
    remote,
    try_lift: |s| BatchNo::new(s.as_str()).map_err(|e| malformed("batch number", &s, e)),
    lower: |id| id.to_string(),
});
uniffi::custom_type!(LocationId, String, {
    remote,
    try_lift: |s| LocationId::new(s.as_str()).map_err(|e| malformed("location id", &s, e)),
    lower: |id| id.to_string(),
});
uniffi::custom_type!(Decimal, String, {
    remote,
    try_lift: |s| apotheca::domain::strict::parse_decimal(&s).map_err(|e| malformed("decimal", &s, e)),
    lower: |d| d.to_string(),
});
/// A calendar date (`YYYY-MM-DD` across the FFI): `java.time.LocalDate` in Kotlin.
pub type IsoDate = NaiveDate;

uniffi::custom_type!(IsoDate, String, {
    remote,
    try_lift: |s| apotheca::domain::strict::parse_date(&s).map_err(|e| crate::error::bad_date(&s, e)),
    lower: |d| d.format("%Y-%m-%d").to_string(),
});

#[uniffi::remote(Record)]
pub struct Location {
    pub id: LocationId,
    pub name: String,
    #[uniffi(default)]
    pub priority: Option<u32>,
}

#[uniffi::remote(Record)]
pub struct Ingredient {
    pub name: String,
    pub strength: String,
}

#[uniffi::remote(Enum)]
pub enum DosageForm {
    Tablet,
    Capsule,
    OralLiquid,
    Injection,
    Topical,
    Drops,
    Inhaler,
    Other,
}

#[uniffi::remote(Enum)]
pub enum Schedule {
    Otc,
    Prescription,
    Controlled,
}

#[uniffi::remote(Enum)]
pub enum StorageClass {
    Ambient,
    ColdChain,
    Frozen,
}

#[uniffi::remote(Record)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub generic_name: String,
    #[uniffi(default)]
    pub ingredients: Vec<Ingredient>,
    pub form: DosageForm,
    pub pack_size: Qty,
    #[uniffi(default = true)]
    pub sold_loose: bool,
    pub schedule: Schedule,
    pub tax_category: String,
    pub storage: StorageClass,
    #[uniffi(default)]
    pub shelf_life: Option<ShelfLife>,
}

#[uniffi::remote(Enum)]
pub enum BatchStatus {
    Released,
    Quarantined,
    Recalled,
}

#[uniffi::remote(Record)]
pub struct Batch {
    pub product: ProductId,
    pub batch: BatchNo,
    pub expiry: Option<NaiveDate>,
    #[uniffi(default)]
    pub manufactured: Option<NaiveDate>,
    pub unit_cost: Decimal,
    pub mrp: Decimal,
    #[uniffi(default)]
    pub supplier: Option<String>,
    pub status: BatchStatus,
    #[uniffi(default)]
    pub pack_size: Option<Qty>,
    #[uniffi(default)]
    pub use_by: Option<NaiveDate>,
    #[uniffi(default)]
    pub removal: Option<NaiveDate>,
    #[uniffi(default)]
    pub alert: Option<NaiveDate>,
}

#[uniffi::remote(Record)]
pub struct Catalog {
    #[uniffi(default)]
    pub locations: Vec<Location>,
    #[uniffi(default)]
    pub products: Vec<Product>,
    #[uniffi(default)]
    pub batches: Vec<Batch>,
}

#[uniffi::remote(Enum)]
pub enum AdjustReason {
    Damage,
    Theft,
    CountCorrection,
    ExpiryWriteOff,
}

#[uniffi::remote(Enum)]
pub enum Movement {
    Receipt {
        #[uniffi(default)]
        unit_cost: Option<Decimal>,
        #[uniffi(default)]
        accept_expired: bool,
    },
    Dispense {
        reservation: Option<String>,
    },
    CustomerReturn {
        unit_cost: Option<Decimal>,
    },
    SupplierReturn,
    AdjustIn {
        reason: AdjustReason,
        unit_cost: Option<Decimal>,
    },
    AdjustOut {
        reason: AdjustReason,
    },
    TransferOut {
        transfer: String,
        to: LocationId,
    },
    TransferIn {
        transfer: String,
    },
    Reserve {
        reservation: String,
    },
    ReleaseReservation {
        reservation: String,
    },
    Quarantine,
    ReleaseQuarantine,
}

#[uniffi::remote(Record)]
pub struct Line {
    pub movement: Movement,
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub qty: Qty,
}

#[uniffi::remote(Record)]
pub struct Posting {
    pub key: String,
    pub date: NaiveDate,
    #[uniffi(default)]
    pub reference: Option<String>,
    pub lines: Vec<Line>,
}

#[uniffi::remote(Record)]
pub struct StatusChange {
    pub key: String,
    pub date: NaiveDate,
    pub product: ProductId,
    pub batch: BatchNo,
    #[uniffi(default)]
    pub status: Option<BatchStatus>,
    #[uniffi(default)]
    pub reason: Option<String>,
    #[uniffi(default)]
    pub location: Option<LocationId>,
    #[uniffi(default)]
    pub vvm: Option<VvmStatus>,
    #[uniffi(default)]
    pub expiry: Option<NaiveDate>,
}

#[uniffi::remote(Record)]
pub struct VvmStatus {
    pub level: u32,
    #[uniffi(default)]
    pub unusable: bool,
    #[uniffi(default)]
    pub code: Option<String>,
}

#[uniffi::remote(Record)]
pub struct AllocationPolicy {
    #[uniffi(default)]
    pub min_shelf_life_days: u32,
    #[uniffi(default = true)]
    pub allow_partial: bool,
    #[uniffi(default)]
    pub single_batch: bool,
    #[uniffi(default)]
    pub opened_packs_first: bool,
    #[uniffi(default)]
    pub short_dated_within_days: Option<u32>,
    #[uniffi(default)]
    pub pack_rounding: Option<PackRounding>,
}

#[uniffi::remote(Enum)]
pub enum PackRounding {
    Up,
    Refuse,
}

#[uniffi::remote(Record)]
pub struct WholePacks {
    pub pack_size: Qty,
    pub qty: Qty,
}

#[uniffi::remote(Record)]
pub struct AllocationRequest {
    pub product: ProductId,
    pub location: LocationId,
    pub qty: Qty,
    pub date: NaiveDate,
    #[uniffi(default)]
    pub policy: AllocationPolicy,
    #[uniffi(default)]
    pub also_from: Vec<LocationId>,
}

#[uniffi::remote(Record)]
pub struct DispenseRequest {
    pub key: String,
    pub date: NaiveDate,
    #[uniffi(default)]
    pub reference: Option<String>,
    pub product: ProductId,
    pub location: LocationId,
    pub qty: Qty,
    #[uniffi(default)]
    pub policy: AllocationPolicy,
    #[uniffi(default)]
    pub also_from: Vec<LocationId>,
}

#[uniffi::remote(Enum)]
pub enum PickReason {
    EarliestExpiry,
    OpenedPack,
    SingleBatch,
    VvmStage,
}

#[uniffi::remote(Record)]
pub struct Pick {
    pub batch: BatchNo,
    pub expiry: Option<NaiveDate>,
    pub qty: Qty,
    pub reason: PickReason,
    #[uniffi(default)]
    pub short_dated: bool,
    #[uniffi(default)]
    pub location: Option<LocationId>,
}

#[uniffi::remote(Enum)]
pub enum SkipReason {
    Expired,
    ShelfLifeTooShort { remaining_days: i64, min_days: u32 },
    Quarantined,
    Recalled,
    NoFreeStock,
    LessThanAPack { pack_size: Qty },
    TooSmallForSingleBatch,
    VvmUnusable { level: u32 },
}

#[uniffi::remote(Record)]
pub struct Skipped {
    pub batch: BatchNo,
    pub expiry: Option<NaiveDate>,
    pub available: Qty,
    #[uniffi(default)]
    pub location: Option<LocationId>,
    pub reason: SkipReason,
}

#[uniffi::remote(Record)]
pub struct Allocation {
    pub product: ProductId,
    pub location: LocationId,
    pub date: NaiveDate,
    pub requested: Qty,
    pub allocated: Qty,
    pub shortfall: Qty,
    pub picks: Vec<Pick>,
    pub skipped: Vec<Skipped>,
    #[uniffi(default)]
    pub whole_packs: Option<WholePacks>,
}

#[uniffi::remote(Enum)]
pub enum MovementKind {
    Receipt,
    Dispense,
    CustomerReturn,
    SupplierReturn,
    AdjustIn,
    AdjustOut,
    TransferOut,
    TransferIn,
    Reserve,
    ReleaseReservation,
    Quarantine,
    ReleaseQuarantine,
}

#[uniffi::remote(Record)]
pub struct LineOutcome {
    pub movement: MovementKind,
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub qty: Qty,
    pub on_hand_after: Qty,
    #[uniffi(default)]
    pub cost_fifo: Option<Decimal>,
    #[uniffi(default)]
    pub cost_moving_average: Option<Decimal>,
}

#[uniffi::remote(Record)]
pub struct PostingResult {
    pub seq: u64,
    pub key: String,
    pub lines: Vec<LineOutcome>,
}

#[uniffi::remote(Record)]
pub struct DispenseResult {
    pub allocation: Allocation,
    pub posting: PostingResult,
}

#[uniffi::remote(Record)]
pub struct StockFilter {
    #[uniffi(default)]
    pub product: Option<ProductId>,
    #[uniffi(default)]
    pub location: Option<LocationId>,
    #[uniffi(default)]
    pub batch: Option<BatchNo>,
}

#[uniffi::remote(Record)]
pub struct StockRow {
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub expiry: Option<NaiveDate>,
    pub status: BatchStatus,
    #[uniffi(default)]
    pub held: bool,
    #[uniffi(default)]
    pub vvm: Option<VvmStatus>,
    pub on_hand: Qty,
    pub reserved: Qty,
    pub blocked: Qty,
    pub available: Qty,
}

#[uniffi::remote(Record)]
pub struct StockTotals {
    pub on_hand: Qty,
    pub reserved: Qty,
    pub blocked: Qty,
    pub available: Qty,
    pub in_transit: Qty,
}

#[uniffi::remote(Record)]
pub struct AsOfRow {
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub on_hand: Qty,
}

#[uniffi::remote(Record)]
pub struct MovementEntry {
    pub seq: u64,
    pub date: NaiveDate,
    pub key: String,
    pub reference: Option<String>,
    pub movement: MovementKind,
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub qty: Qty,
    pub qty_in: Qty,
    pub qty_out: Qty,
    pub balance: Qty,
}

#[uniffi::remote(Record)]
pub struct DocumentLine {
    pub movement: MovementKind,
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub qty: Qty,
    pub keys: Vec<String>,
    pub last_seq: u64,
}

#[uniffi::remote(Record)]
pub struct ExpiryRow {
    pub product: ProductId,
    pub batch: BatchNo,
    pub location: LocationId,
    pub expiry: NaiveDate,
    pub days_left: i64,
    pub on_hand: Qty,
}

#[uniffi::remote(Record)]
pub struct ExpiryBucket {
    pub from_days: i64,
    pub to_days: i64,
    pub qty: Qty,
    pub rows: Vec<ExpiryRow>,
}

#[uniffi::remote(Record)]
pub struct ValuationRow {
    pub location: LocationId,
    pub product: ProductId,
    pub on_hand: Qty,
    pub fifo_value: Decimal,
    pub moving_average_unit_cost: Decimal,
    pub moving_average_value: Decimal,
}

#[uniffi::remote(Record)]
pub struct Valuation {
    pub rows: Vec<ValuationRow>,
    pub total_fifo: Decimal,
    pub total_moving_average: Decimal,
}

#[uniffi::remote(Record)]
pub struct CostLayer {
    pub qty: Qty,
    pub unit_cost: Decimal,
}

#[uniffi::remote(Record)]
pub struct BatchTrace {
    pub product: ProductId,
    pub batch: BatchNo,
    pub expiry: Option<NaiveDate>,
    pub status: BatchStatus,
    pub supplier: Option<String>,
    pub receipts: Vec<MovementEntry>,
    pub dispenses: Vec<MovementEntry>,
    pub other: Vec<MovementEntry>,
    pub on_hand: Vec<StockRow>,
}

#[uniffi::remote(Record)]
pub struct ShelfLife {
    #[uniffi(default)]
    pub expiration_days: Option<u32>,
    #[uniffi(default)]
    pub use_days: Option<u32>,
    #[uniffi(default)]
    pub removal_days: Option<u32>,
    #[uniffi(default)]
    pub alert_days: Option<u32>,
}

#[uniffi::remote(Record)]
pub struct LotDates {
    pub expiry: Option<NaiveDate>,
    #[uniffi(default)]
    pub use_by: Option<NaiveDate>,
    #[uniffi(default)]
    pub removal: Option<NaiveDate>,
    #[uniffi(default)]
    pub alert: Option<NaiveDate>,
}

#[uniffi::remote(Record)]
pub struct LotAlert {
    pub product: ProductId,
    pub batch: BatchNo,
    pub alert: NaiveDate,
    pub dates: LotDates,
    pub on_hand: Qty,
}

#[uniffi::remote(Record)]
pub struct LotAlerts {
    pub alerts: Vec<LotAlert>,
    pub cursor: NaiveDate,
}
