//! `Ledger`: a UniFFI object; each method is one call to the facade.

use std::sync::Arc;

use apotheca::{
    Allocation, AllocationRequest, AsOfRow, Batch, BatchNo, BatchTrace, Catalog, CostLayer,
    DispenseRequest, DispenseResult, DocumentLine, ExpiryBucket, ExpiryRow, Location, LocationId,
    LotAlerts, MovementEntry, Posting, PostingResult, Product, ProductId, Qty, StatusChange,
    StockFilter, StockRow, StockTotals, Valuation,
};
use chrono::NaiveDate;

use crate::error::ApothecaError;

type R<T> = Result<T, ApothecaError>;

/// A stock ledger. Thread-safe: share one instance between threads and coroutines.
#[derive(uniffi::Object)]
pub struct Ledger(apotheca::Ledger);

#[uniffi::export]
impl Ledger {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self(apotheca::Ledger::new()))
    }

    /// Opens the ledger stored at `url`: `sqlite:PATH`, a file in the app's data directory
    /// (offline first: every write is on disk when it returns). Closing the object (Kotlin
    /// `use { }` / `close()`, Swift `deinit`) closes the file.
    #[uniffi::constructor]
    pub fn open(url: String) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Ledger::open(&url)?)))
    }

    /// Whether the ledger is stored (opened with `open`).
    pub fn is_stored(&self) -> bool {
        self.0.is_stored()
    }

    /// Writes a snapshot of a stored ledger now; returns the sequence number it covers.
    pub fn snapshot(&self) -> R<u64> {
        Ok(self.0.snapshot()?)
    }

    /// Catches up with what another process appended to the file; returns the next sequence
    /// number.
    pub fn refresh(&self) -> R<u64> {
        Ok(self.0.refresh()?)
    }

    /// Closes the store's connection but keeps the object: later writes fail with
    /// `StoreUnavailable`, reads answer from memory.
    pub fn disconnect(&self) {
        self.0.close()
    }

    /// The events from sequence number `seq` on as a JSON array: what to sync to a server or
    /// save incrementally; `fromEventsJson` restores them.
    pub fn events_since(&self, seq: u64) -> R<String> {
        Ok(self.0.events_json(seq)?)
    }

    /// Rebuilds a ledger from `eventsJson()` output (the event log as a JSON array).
    /// With `head` (saved with the log), a log cut short at the end is refused too.
    #[uniffi::constructor(default(head = None))]
    pub fn from_events_json(json: String, head: Option<String>) -> R<Arc<Self>> {
        Ok(Arc::new(Self(apotheca::Ledger::from_events_json(
            &json,
            head.as_deref(),
        )?)))
    }

    /// Registers locations, products and batches: all or none.
    pub fn load_catalog(&self, catalog: Catalog) -> R<()> {
        Ok(self.0.load_catalog(&catalog)?)
    }

    pub fn register_location(&self, location: Location) -> R<()> {
        Ok(self.0.register_location(location)?)
    }

    pub fn register_product(&self, product: Product) -> R<()> {
        Ok(self.0.register_product(product)?)
    }

    pub fn register_batch(&self, batch: Batch) -> R<()> {
        Ok(self.0.register_batch(batch)?)
    }

    /// Posts movements, all lines or none; the same key and payload again returns the first result.
    pub fn post(&self, posting: Posting) -> R<PostingResult> {
        Ok(self.0.post(posting)?)
    }

    /// FEFO allocation at the document date. Changes nothing.
    pub fn allocate(&self, request: AllocationRequest) -> R<Allocation> {
        Ok(self.0.allocate(&request)?)
    }

    /// Allocates by FEFO and posts the dispense atomically, idempotent on the key.
    pub fn dispense(&self, request: DispenseRequest) -> R<DispenseResult> {
        Ok(self.0.dispense(request)?)
    }

    /// Quarantines, releases or recalls a batch everywhere; returns the event's sequence number.
    pub fn set_batch_status(&self, change: StatusChange) -> R<u64> {
        Ok(self.0.set_batch_status(change)?)
    }

    pub fn available_to_promise(
        &self,
        product: ProductId,
        location: LocationId,
        date: NaiveDate,
        min_shelf_life_days: u32,
    ) -> R<Qty> {
        Ok(self
            .0
            .available_to_promise(&product, &location, date, min_shelf_life_days)?)
    }

    pub fn stock(&self, filter: StockFilter) -> R<Vec<StockRow>> {
        Ok(self.0.stock(&filter)?)
    }

    pub fn stock_totals(&self, filter: StockFilter) -> R<StockTotals> {
        Ok(self.0.stock_totals(&filter)?)
    }

    pub fn stock_as_of(&self, date: NaiveDate, filter: StockFilter) -> R<Vec<AsOfRow>> {
        Ok(self.0.stock_as_of(date, &filter)?)
    }

    pub fn stock_card(&self, filter: StockFilter) -> R<Vec<MovementEntry>> {
        Ok(self.0.stock_card(&filter)?)
    }

    pub fn expiring_within(
        &self,
        on: NaiveDate,
        days: u32,
        location: Option<LocationId>,
    ) -> R<Vec<ExpiryRow>> {
        Ok(self.0.expiring_within(on, days, location.as_ref())?)
    }

    /// Batches whose alert date is after `since` and on or before `on`, with the cursor to
    /// pass as `since` next time (each batch is then reported once).
    pub fn lot_alerts(&self, on: NaiveDate, since: Option<NaiveDate>) -> R<LotAlerts> {
        Ok(self.0.lot_alerts(on, since)?)
    }

    pub fn expired(&self, on: NaiveDate, location: Option<LocationId>) -> R<Vec<ExpiryRow>> {
        Ok(self.0.expired(on, location.as_ref())?)
    }

    /// Stock expiring in 0–30, 31–60, 61–90 days (for bounds `[30, 60, 90]`).
    pub fn expiry_buckets(
        &self,
        on: NaiveDate,
        bounds: Vec<u32>,
        location: Option<LocationId>,
    ) -> R<Vec<ExpiryBucket>> {
        Ok(self.0.expiry_buckets(on, &bounds, location.as_ref())?)
    }

    pub fn valuation(&self, location: Option<LocationId>) -> R<Valuation> {
        Ok(self.0.valuation(location.as_ref())?)
    }

    /// The remaining FIFO cost layers of a batch at a location, oldest first.
    pub fn cost_layers(
        &self,
        product: ProductId,
        batch: BatchNo,
        location: LocationId,
    ) -> R<Vec<CostLayer>> {
        Ok(self.0.cost_layers(&product, &batch, &location)?)
    }

    /// Where a batch came from and every dispense it went into (recalls).
    pub fn trace_batch(&self, product: ProductId, batch: BatchNo) -> R<BatchTrace> {
        Ok(self.0.trace_batch(&product, &batch)?)
    }

    pub fn trace_document(&self, reference: String) -> R<Vec<MovementEntry>> {
        Ok(self.0.trace_document(&reference)?)
    }

    /// A document's lines merged per batch, location and movement.
    pub fn document(&self, reference: String) -> R<Vec<DocumentLine>> {
        Ok(self.0.document(&reference)?)
    }

    /// The event log from sequence number `from` on (0: all of it) as a JSON array: store it,
    /// sync it, or replay it with `fromEventsJson`.
    #[uniffi::method(default(from = 0))]
    pub fn events_json(&self, from: u64) -> R<String> {
        Ok(self.0.events_json(from)?)
    }

    /// The chained hash of the newest event: save it beside the log.
    pub fn head(&self) -> R<String> {
        Ok(self.0.head()?)
    }

    /// A fingerprint of the state; a replayed log gives the same.
    pub fn digest(&self) -> R<String> {
        Ok(self.0.digest()?)
    }
}
