//! The ledger facade: coarse, thread-safe operations on plain serde values. Every binding's
//! ledger methods are one line over these.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use apotheca_core::{
    Allocation, AllocationRequest, AsOfRow, Batch, BatchNo, BatchTrace, CostLayer, DispenseRequest,
    DocumentLine, EventEnvelope, ExpiryBucket, ExpiryRow, Location, LocationId, LotAlerts,
    MovementEntry, Posting, PostingResult, Product, ProductId, Qty, SharedLedger, StatusChange,
    StockFilter, StockRow, StockTotals, Valuation,
};

use crate::error::ApiResult;
use crate::guard;

/// Locations, products and batches registered together (in that order).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    crate::ApiError::from(e).at(field)
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
        Some(f) => err.at(f),
        None => err,
    }
}

/// Where a ledger lives: only in memory, or in a store whose log it caches.
#[derive(Clone)]
enum Inner {
    Memory(SharedLedger),
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    Stored(std::sync::Arc<apotheca_store::StoredLedger>),
}

impl Default for Inner {
    fn default() -> Self {
        Inner::Memory(SharedLedger::default())
    }
}

/// A refusal whose error already says what it concerns (registrations, snapshots, opening).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn as_is(_line: Option<usize>, e: apotheca_core::CoreError) -> crate::ApiError {
    e.into()
}

/// A refusal of a request with top-level fields, led by the field ([`at_field`]).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn at_field_of(_line: Option<usize>, e: apotheca_core::CoreError) -> crate::ApiError {
    at_field(e)
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn store_error(
    e: apotheca_store::StoreError,
    refusal: fn(Option<usize>, apotheca_core::CoreError) -> crate::ApiError,
) -> crate::ApiError {
    use apotheca_store::StoreError as S;
    match e {
        S::Refused { error, line } => refusal(line, error),
        S::Unavailable(m) => crate::ApiError::new(crate::ErrorCode::StoreUnavailable, m),
        S::Corrupt(c) => crate::ApiError::from(c),
        S::BadUrl(m) => crate::ApiError::new(crate::ErrorCode::InvalidInput, format!("url: {m}")),
    }
}

/// A stock ledger shared by every thread that holds a clone of it: in memory
/// ([`Ledger::new`]), or stored in SQLite or PostgreSQL ([`Ledger::open`]).
#[derive(Clone, Default)]
pub struct Ledger {
    inner: Inner,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("stored", &self.is_stored())
            .field("next_seq", &self.with(|l| l.next_seq()))
            .finish()
    }
}

impl Ledger {
    /// An empty ledger in memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens the ledger stored at `url`, creating it if the store is empty:
    /// `sqlite:PATH` (one file) or `postgres://user@host/db` (shared by many instances).
    /// Options may follow: `?snapshot_every=100000&memory_events=10000`. Every write returns
    /// only once its events are committed; see the `apotheca-store` crate for the consistency
    /// model.
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    pub fn open(url: &str) -> ApiResult<Self> {
        guard(|| {
            let stored =
                apotheca_store::StoredLedger::open(url).map_err(|e| store_error(e, as_is))?;
            Ok(Self {
                inner: Inner::Stored(std::sync::Arc::new(stored)),
            })
        })
    }

    /// The number of events ever logged: the next event's sequence number.
    pub fn next_seq(&self) -> u64 {
        self.with(|l| l.next_seq())
    }

    /// Whether this ledger is stored (opened with [`Ledger::open`]).
    pub fn is_stored(&self) -> bool {
        !matches!(self.inner, Inner::Memory(_))
    }

    /// Writes a snapshot of a stored ledger now; returns the sequence number it covers.
    pub fn snapshot(&self) -> ApiResult<u64> {
        match &self.inner {
            Inner::Memory(_) => Err(not_stored("snapshot")),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => guard(|| s.snapshot().map_err(|e| store_error(e, as_is))),
        }
    }

    /// Catches a stored ledger up with what other instances appended; returns the next
    /// sequence number. An in-memory ledger has nothing to catch up with.
    pub fn refresh(&self) -> ApiResult<u64> {
        match &self.inner {
            Inner::Memory(m) => Ok(m.read(|l| l.next_seq())),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => guard(|| s.refresh().map_err(|e| store_error(e, as_is))),
        }
    }

    /// Closes a stored ledger's connection: later writes fail with `STORE_UNAVAILABLE`, reads
    /// answer from memory. Closing twice, or closing an in-memory ledger, does nothing.
    pub fn close(&self) {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        if let Inner::Stored(s) = &self.inner {
            s.close();
        }
    }

    /// Rebuilds a ledger from its event log (as returned by [`Ledger::events`]).
    pub fn from_events(events: &[EventEnvelope]) -> ApiResult<Self> {
        guard(|| {
            Ok(Self {
                inner: Inner::Memory(SharedLedger::new(apotheca_core::Ledger::replay(events)?)),
            })
        })
    }

    /// Registers a catalog: all of it, or nothing if any entry is refused.
    pub fn load_catalog(&self, catalog: &Catalog) -> ApiResult<()> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        if let Inner::Stored(s) = &self.inner {
            return stored_write(
                s,
                apotheca_store::Write::Catalog(
                    catalog.locations.clone(),
                    catalog.products.clone(),
                    catalog.batches.clone(),
                ),
                as_is,
            )
            .map(drop);
        }
        self.write(|l| l.register_catalog(&catalog.locations, &catalog.products, &catalog.batches))
    }

    /// Registers one location.
    pub fn register_location(&self, location: Location) -> ApiResult<()> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        if let Inner::Stored(s) = &self.inner {
            return stored_write(s, apotheca_store::Write::Location(location), as_is).map(drop);
        }
        self.write(|l| l.register_location(location))
    }

    /// Registers one product.
    pub fn register_product(&self, product: Product) -> ApiResult<()> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        if let Inner::Stored(s) = &self.inner {
            return stored_write(s, apotheca_store::Write::Product(Box::new(product)), as_is)
                .map(drop);
        }
        self.write(|l| l.register_product(product))
    }

    /// Registers one batch.
    pub fn register_batch(&self, batch: Batch) -> ApiResult<()> {
        #[cfg(any(feature = "sqlite", feature = "postgres"))]
        if let Inner::Stored(s) = &self.inner {
            return stored_write(s, apotheca_store::Write::Batch(Box::new(batch)), as_is).map(drop);
        }
        self.write(|l| l.register_batch(batch))
    }

    /// Posts movements, all lines or none, idempotent on the key.
    pub fn post(&self, posting: Posting) -> ApiResult<PostingResult> {
        match &self.inner {
            Inner::Memory(m) => {
                guard(|| m.write(|l| l.post(posting).map_err(|e| at_line(l.refused_line(), e))))
            }
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => {
                match stored_write(s, apotheca_store::Write::Post(posting), at_line)? {
                    apotheca_store::Outcome::Posted(p) => Ok(p),
                    other => Err(unexpected(other)),
                }
            }
        }
    }

    /// FEFO allocation at the document date. Changes nothing.
    pub fn allocate(&self, request: &AllocationRequest) -> ApiResult<Allocation> {
        guard(|| self.with(|l| l.allocate(request).map_err(at_field)))
    }

    /// Allocates by FEFO and posts the dispense atomically, idempotent on the key.
    pub fn dispense(&self, request: DispenseRequest) -> ApiResult<DispenseResult> {
        let (allocation, posting) = match &self.inner {
            Inner::Memory(m) => guard(|| m.write(|l| l.dispense_fefo(request).map_err(at_field)))?,
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => {
                match stored_write(s, apotheca_store::Write::Dispense(request), at_field_of)? {
                    apotheca_store::Outcome::Dispensed(a, p) => (*a, p),
                    other => return Err(unexpected(other)),
                }
            }
        };
        Ok(DispenseResult {
            allocation,
            posting,
        })
    }

    /// Quarantines, releases or recalls a batch everywhere; returns the event's sequence number.
    pub fn set_batch_status(&self, change: StatusChange) -> ApiResult<u64> {
        match &self.inner {
            Inner::Memory(m) => guard(|| m.write(|l| l.set_batch_status(change).map_err(at_field))),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => {
                match stored_write(s, apotheca_store::Write::Status(change), at_field_of)? {
                    apotheca_store::Outcome::Status(seq) => Ok(seq),
                    other => Err(unexpected(other)),
                }
            }
        }
    }

    /// Units FEFO could give on `date` with at least `min_shelf_life_days` left.
    pub fn available_to_promise(
        &self,
        product: &ProductId,
        location: &LocationId,
        date: NaiveDate,
        min_shelf_life_days: u32,
    ) -> ApiResult<Qty> {
        Ok(self.with(|l| l.available_to_promise(product, location, date, min_shelf_life_days))?)
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
        self.history(History::for_filter(filter), |l, older| {
            l.stock_as_of_with(older, date, filter)
        })
    }

    /// Movement history of a product with running balance.
    pub fn stock_card(&self, filter: &StockFilter) -> ApiResult<Vec<MovementEntry>> {
        self.history(History::for_filter(filter), |l, older| {
            l.stock_card_with(older, filter)
        })
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

    /// The batches with stock whose alert date is after `since` and on or before `on`, and the
    /// cursor to pass as `since` next time (each batch is then reported once).
    pub fn lot_alerts(&self, on: NaiveDate, since: Option<NaiveDate>) -> ApiResult<LotAlerts> {
        self.read(|l| l.lot_alerts(on, since))
    }

    /// Expiry buckets, e.g. bounds `[30, 60, 90]`.
    pub fn expiry_buckets(
        &self,
        on: NaiveDate,
        bounds: &[u32],
        location: Option<&LocationId>,
    ) -> ApiResult<Vec<ExpiryBucket>> {
        Ok(self.with(|l| l.expiry_buckets(on, bounds, location))?)
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
        Ok(self.with(|l| l.cost_layers(product, batch, location))?)
    }

    /// A batch's receipts, dispenses and other movements: for recalls.
    pub fn trace_batch(&self, product: &ProductId, batch: &BatchNo) -> ApiResult<BatchTrace> {
        self.history(
            History::Product(product.to_string(), Some(batch.to_string())),
            |l, older| l.trace_batch_with(older, product, batch),
        )
    }

    /// Every line posted under a document reference.
    pub fn trace_document(&self, reference: &str) -> ApiResult<Vec<MovementEntry>> {
        self.history(History::Reference(reference.to_string()), |l, older| {
            l.trace_document_with(older, reference)
        })
    }

    /// A document's lines merged per batch, location and movement: what a prescription or
    /// invoice holds after every posting under its reference (more dispensed of a batch adds
    /// to that batch's line).
    pub fn document(&self, reference: &str) -> ApiResult<Vec<DocumentLine>> {
        let entries = self.trace_document(reference)?;
        guard(|| Ok(apotheca_core::document_lines(&entries)?))
    }

    /// The event log, oldest first, for storage or publishing.
    pub fn events(&self) -> ApiResult<Vec<EventEnvelope>> {
        self.events_since(0)
    }

    /// The events from sequence number `seq` on, oldest first: what a page or an app saves
    /// after each write (incrementally, e.g. into IndexedDB) and [`Ledger::from_events`]
    /// restores. A stored ledger reads those no longer in memory back from its store.
    pub fn events_since(&self, seq: u64) -> ApiResult<Vec<EventEnvelope>> {
        match &self.inner {
            Inner::Memory(m) => guard(|| Ok(m.read(|l| l.events_since(seq).to_vec()))),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => guard(|| {
                s.events_since(seq, usize::MAX)
                    .map_err(|e| store_error(e, as_is))
            }),
        }
    }

    /// The event log from sequence number `from` on, as JSON text: `[{"schema":2,"seq":…},…]`.
    /// What [`Ledger::from_events_json`] reads; the form to save a log in, or to restore a
    /// large one in a binding (text crosses a language boundary as one value, not millions).
    pub fn events_json(&self, from: u64) -> ApiResult<String> {
        let text = match &self.inner {
            Inner::Memory(m) => m.read(|l| serde_json::to_string(l.events_since(from))),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(_) => serde_json::to_string(&self.events_since(from)?),
        };
        text.map_err(|e| crate::ApiError::new(crate::ErrorCode::Internal, e.to_string()))
    }

    /// Rebuilds a ledger from its event log as JSON text (as [`Ledger::events_json`] writes it),
    /// and, given the [`Ledger::head`] saved with it, refuses a log cut short at the end.
    pub fn from_events_json(text: &str, head: Option<&str>) -> ApiResult<Self> {
        let events: Vec<EventEnvelope> = crate::wire::decode_str(text)?;
        guard(|| {
            Ok(Self {
                inner: Inner::Memory(SharedLedger::new(apotheca_core::Ledger::replay_to(
                    &events, head,
                )?)),
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

    /// Runs a read on the ledger in memory (a stored ledger's cache of its log).
    fn with<T>(&self, f: impl FnOnce(&apotheca_core::Ledger) -> T) -> T {
        match &self.inner {
            Inner::Memory(m) => m.read(f),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => s.read(f),
        }
    }

    /// Every read goes through here: shared lock, error mapping, panic guard.
    fn read<T>(
        &self,
        f: impl FnOnce(&apotheca_core::Ledger) -> apotheca_core::Result<T>,
    ) -> ApiResult<T> {
        guard(|| Ok(self.with(f)?))
    }

    /// A read over the whole history: a stored ledger first reads back the older events the
    /// query needs from its store.
    fn history<T>(
        &self,
        query: History,
        f: impl FnOnce(&apotheca_core::Ledger, &[EventEnvelope]) -> apotheca_core::Result<T>,
    ) -> ApiResult<T> {
        #[cfg(not(any(feature = "sqlite", feature = "postgres")))]
        let _ = query;
        match &self.inner {
            Inner::Memory(m) => guard(|| Ok(m.read(|l| f(l, &[]))?)),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(s) => guard(|| {
                let q = query.as_store();
                Ok(s.history(q, f).map_err(|e| store_error(e, as_is))??)
            }),
        }
    }

    /// Every in-memory write goes through here: exclusive lock, error mapping, panic guard.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut apotheca_core::Ledger) -> apotheca_core::Result<T>,
    ) -> ApiResult<T> {
        match &self.inner {
            Inner::Memory(m) => guard(|| Ok(m.write(f)?)),
            #[cfg(any(feature = "sqlite", feature = "postgres"))]
            Inner::Stored(_) => Err(unexpected("an in-memory write on a stored ledger")),
        }
    }
}

/// Which older events a history query reads back from a store.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
enum History {
    Product(String, Option<String>),
    Reference(String),
    All,
}

impl History {
    fn for_filter(filter: &StockFilter) -> History {
        match &filter.product {
            Some(p) => {
                History::Product(p.to_string(), filter.batch.as_ref().map(|b| b.to_string()))
            }
            None => History::All,
        }
    }

    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    fn as_store(&self) -> apotheca_store::backend::History<'_> {
        use apotheca_store::backend::History as H;
        match self {
            History::Product(p, b) => H::Product(p, b.as_deref()),
            History::Reference(r) => H::Reference(r),
            History::All => H::All,
        }
    }
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn stored_write(
    s: &apotheca_store::StoredLedger,
    w: apotheca_store::Write,
    refusal: fn(Option<usize>, apotheca_core::CoreError) -> crate::ApiError,
) -> ApiResult<apotheca_store::Outcome> {
    guard(|| s.write(w).map_err(|e| store_error(e, refusal)))
}

fn not_stored(what: &str) -> crate::ApiError {
    crate::ApiError::new(
        crate::ErrorCode::InvalidInput,
        format!("{what}: this ledger is in memory only; open a stored one with Ledger.open(url)"),
    )
}

#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
fn unexpected(what: impl std::fmt::Debug) -> crate::ApiError {
    crate::ApiError::new(
        crate::ErrorCode::Internal,
        format!("internal error (a bug, please report it): unexpected {what:?}"),
    )
}
