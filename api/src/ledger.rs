//! The ledger facade: coarse, thread-safe operations on plain serde values. Every binding's
//! ledger methods are one line over these.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use apotheca_core::{
    Allocation, AllocationRequest, AsOfRow, Batch, BatchNo, BatchTrace, CostLayer, DispenseRequest,
    EventEnvelope, ExpiryBucket, ExpiryRow, Location, LocationId, MovementEntry, Posting,
    PostingResult, Product, ProductId, Qty, SharedLedger, StatusChange, StockFilter, StockRow,
    StockTotals, Valuation,
};

use crate::error::ApiResult;
use crate::guard;

/// Locations, products and batches registered together (in that order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Stores, pharmacies, warehouses.
    #[serde(default)]
    pub locations: Vec<Location>,
    /// Medicines.
    #[serde(default)]
    pub products: Vec<Product>,
    /// Batches of those medicines.
    #[serde(default)]
    pub batches: Vec<Batch>,
}

/// What a FEFO dispense did: the allocation and the posting of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispenseResult {
    /// Which batches were chosen and why, the shortfall and the batches passed over.
    pub allocation: Allocation,
    /// The posted lines with their cost of goods.
    pub posting: PostingResult,
}

/// The error of a refused posting, its message led by the path of the field it concerns on the
/// line that was refused (`lines[2].batch: batch B-17 of AMOX500 expired on …`).
fn at_line(line: Option<usize>, e: apotheca_core::CoreError) -> crate::ApiError {
    use apotheca_core::CoreError as E;
    let field = match (line, field_of(&e)) {
        // An unknown location may be the line's own or a transfer's destination.
        (Some(i), Some(_)) if matches!(e, E::UnknownLocation(_)) => format!("lines[{i}]"),
        (Some(i), Some(f)) => format!("lines[{i}].{f}"),
        // The posting's own fields, or errors that already start with their path
        // (`lines[2].unit_cost: …`).
        _ => return crate::ApiError::from(e),
    };
    let err = crate::ApiError::from(e);
    crate::ApiError::new(err.code, format!("{field}: {}", err.message))
}

/// The request field a ledger error concerns, where its message does not already say where.
fn field_of(e: &apotheca_core::CoreError) -> Option<&'static str> {
    use apotheca_core::CoreError as E;
    Some(match e {
        E::UnknownProduct(_) => "product",
        E::UnknownLocation(_) => "location",
        E::SameLocationTransfer { .. } => "to",
        E::UnknownBatch { .. } | E::BatchExpired { .. } | E::BatchBlocked { .. } => "batch",
        E::InsufficientStock { .. } => "qty",
        E::TransferMismatch { .. } => "transfer",
        E::ReservationMismatch { .. } => "reservation",
        _ => return None,
    })
}

/// The error of a refused request with top-level fields (a dispense, an allocation, a status
/// change), led by the field it concerns: `qty: insufficient stock of …`.
fn at_field(e: apotheca_core::CoreError) -> crate::ApiError {
    let field = field_of(&e);
    let err = crate::ApiError::from(e);
    match field {
        Some(f) => crate::ApiError::new(err.code, format!("{f}: {}", err.message)),
        None => err,
    }
}

/// A stock ledger shared by every thread that holds a clone of it.
#[derive(Clone, Default)]
pub struct Ledger {
    inner: SharedLedger,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds a ledger from its event log (as returned by [`Ledger::events`]).
    pub fn from_events(events: &[EventEnvelope]) -> ApiResult<Self> {
        guard(|| {
            Ok(Self {
                inner: SharedLedger::new(apotheca_core::Ledger::replay(events)?),
            })
        })
    }

    /// Registers a catalog: all of it, or nothing if any entry is refused.
    pub fn load_catalog(&self, catalog: &Catalog) -> ApiResult<()> {
        self.write(|l| l.register_catalog(&catalog.locations, &catalog.products, &catalog.batches))
    }

    /// Registers one location.
    pub fn register_location(&self, location: Location) -> ApiResult<()> {
        self.write(|l| l.register_location(location))
    }

    /// Registers one product.
    pub fn register_product(&self, product: Product) -> ApiResult<()> {
        self.write(|l| l.register_product(product))
    }

    /// Registers one batch.
    pub fn register_batch(&self, batch: Batch) -> ApiResult<()> {
        self.write(|l| l.register_batch(batch))
    }

    /// Posts movements, all lines or none, idempotent on the key.
    pub fn post(&self, posting: Posting) -> ApiResult<PostingResult> {
        guard(|| {
            self.inner
                .write(|l| l.post(posting).map_err(|e| at_line(l.refused_line(), e)))
        })
    }

    /// FEFO allocation at the document date. Changes nothing.
    pub fn allocate(&self, request: &AllocationRequest) -> ApiResult<Allocation> {
        guard(|| self.inner.read(|l| l.allocate(request).map_err(at_field)))
    }

    /// Allocates by FEFO and posts the dispense atomically, idempotent on the key.
    pub fn dispense(&self, request: DispenseRequest) -> ApiResult<DispenseResult> {
        guard(|| {
            self.inner
                .write(|l| l.dispense_fefo(request).map_err(at_field))
        })
        .map(|(allocation, posting)| DispenseResult {
            allocation,
            posting,
        })
    }

    /// Quarantines, releases or recalls a batch everywhere; returns the event's sequence number.
    pub fn set_batch_status(&self, change: StatusChange) -> ApiResult<u64> {
        guard(|| {
            self.inner
                .write(|l| l.set_batch_status(change).map_err(at_field))
        })
    }

    /// Units FEFO could give on `date` with at least `min_shelf_life_days` left.
    pub fn available_to_promise(
        &self,
        product: &ProductId,
        location: &LocationId,
        date: NaiveDate,
        min_shelf_life_days: u32,
    ) -> ApiResult<Qty> {
        Ok(self
            .inner
            .read(|l| l.available_to_promise(product, location, date, min_shelf_life_days))?)
    }

    /// Stock rows per batch and location.
    pub fn stock(&self, filter: &StockFilter) -> ApiResult<Vec<StockRow>> {
        self.read(|l| l.stock(filter))
    }

    /// Totals (on hand, reserved, blocked, available, in transit) for a filter.
    pub fn stock_totals(&self, filter: &StockFilter) -> ApiResult<StockTotals> {
        self.read(|l| l.stock_totals(filter))
    }

    /// On hand at the end of a past date.
    pub fn stock_as_of(&self, date: NaiveDate, filter: &StockFilter) -> ApiResult<Vec<AsOfRow>> {
        self.read(|l| l.stock_as_of(date, filter))
    }

    /// Movement history of a product with running balance.
    pub fn stock_card(&self, filter: &StockFilter) -> ApiResult<Vec<MovementEntry>> {
        self.read(|l| l.stock_card(filter))
    }

    /// Stock expiring within `days` days of `on` (still usable on `on`).
    pub fn expiring_within(
        &self,
        on: NaiveDate,
        days: u32,
        location: Option<&LocationId>,
    ) -> ApiResult<Vec<ExpiryRow>> {
        self.read(|l| l.expiring_within(on, days, location))
    }

    /// Stock expired on `on`.
    pub fn expired(
        &self,
        on: NaiveDate,
        location: Option<&LocationId>,
    ) -> ApiResult<Vec<ExpiryRow>> {
        self.read(|l| l.expired(on, location))
    }

    /// Expiry buckets, e.g. bounds `[30, 60, 90]`.
    pub fn expiry_buckets(
        &self,
        on: NaiveDate,
        bounds: &[u32],
        location: Option<&LocationId>,
    ) -> ApiResult<Vec<ExpiryBucket>> {
        Ok(self
            .inner
            .read(|l| l.expiry_buckets(on, bounds, location))?)
    }

    /// Stock value by FIFO layers and moving average.
    pub fn valuation(&self, location: Option<&LocationId>) -> ApiResult<Valuation> {
        self.read(|l| l.valuation(location))
    }

    /// Remaining FIFO layers of a batch at a location.
    pub fn cost_layers(
        &self,
        product: &ProductId,
        batch: &BatchNo,
        location: &LocationId,
    ) -> ApiResult<Vec<CostLayer>> {
        Ok(self
            .inner
            .read(|l| l.cost_layers(product, batch, location))?)
    }

    /// A batch's receipts, dispenses and other movements: for recalls.
    pub fn trace_batch(&self, product: &ProductId, batch: &BatchNo) -> ApiResult<BatchTrace> {
        self.read(|l| l.trace_batch(product, batch))
    }

    /// Every line posted under a document reference.
    pub fn trace_document(&self, reference: &str) -> ApiResult<Vec<MovementEntry>> {
        self.read(|l| l.trace_document(reference))
    }

    /// The event log, oldest first, for storage or publishing.
    pub fn events(&self) -> ApiResult<Vec<EventEnvelope>> {
        self.read(|l| Ok(l.events().to_vec()))
    }

    /// The event log from sequence number `from` on, as JSON text: `[{"schema":2,"seq":…},…]`.
    /// What [`Ledger::from_events_json`] reads; the form to save a log in, or to restore a
    /// large one in a binding (text crosses a language boundary as one value, not millions).
    pub fn events_json(&self, from: u64) -> ApiResult<String> {
        self.read(|l| {
            let start = usize::try_from(from)
                .unwrap_or(usize::MAX)
                .min(l.events().len());
            Ok(serde_json::to_string(&l.events()[start..]))
        })?
        .map_err(|e| crate::ApiError::new(crate::ErrorCode::Internal, e.to_string()))
    }

    /// Rebuilds a ledger from its event log as JSON text (as [`Ledger::events_json`] writes it),
    /// and, given the [`Ledger::head`] saved with it, refuses a log cut short at the end.
    pub fn from_events_json(text: &str, head: Option<&str>) -> ApiResult<Self> {
        let events: Vec<EventEnvelope> = crate::wire::decode_str(text)?;
        guard(|| {
            Ok(Self {
                inner: SharedLedger::new(apotheca_core::Ledger::replay_to(&events, head)?),
            })
        })
    }

    /// The chained hash of the newest event (empty for an empty log): save it with the log.
    pub fn head(&self) -> ApiResult<String> {
        self.read(|l| Ok(l.head().to_string()))
    }

    /// A fingerprint of the state; a replayed log gives the same.
    pub fn digest(&self) -> ApiResult<String> {
        self.read(|l| Ok(l.digest()))
    }

    /// Every read goes through here: shared lock, error mapping, panic guard.
    fn read<T>(
        &self,
        f: impl FnOnce(&apotheca_core::Ledger) -> apotheca_core::Result<T>,
    ) -> ApiResult<T> {
        guard(|| Ok(self.inner.read(f)?))
    }

    /// Every write goes through here: exclusive lock, error mapping, panic guard.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut apotheca_core::Ledger) -> apotheca_core::Result<T>,
    ) -> ApiResult<T> {
        guard(|| Ok(self.inner.write(f)?))
    }
}
