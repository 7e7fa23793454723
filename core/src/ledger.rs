//! The append-only stock ledger: registrations, postings, batch status changes, the event log
//! and the state derived from it. A posting is checked in full against a small overlay of the
//! quantities it touches before anything changes, so it is applied entirely or not at all.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::batch::{Batch, BatchStatus, Location};
use crate::dates::{YEAR_RANGE, is_expired};
use crate::error::{CoreError, Result};
use crate::fefo::{Allocation, DispenseRequest};
use crate::hash::IndexMap;
use crate::ids::{BatchNo, LocationId, ProductId, validate_id};
use crate::movement::{LineOutcome, Movement, Posting, PostingResult, StatusChange};
use crate::product::Product;
use crate::{MAX_LINES, MAX_QTY, Qty};

/// The event schema version this build writes and the only one it reads (2: envelopes carry a
/// chained hash; version 1 logs, from before the chain, are refused).
pub const SCHEMA_VERSION: u32 = 2;

/// Decimal places kept in a moving average unit cost (rounded half-even, trailing zeros dropped).
pub const AVG_COST_DP: u32 = 6;

/// Everything that ever changed the ledger, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A location was registered.
    LocationRegistered {
        /// The location.
        location: Location,
    },
    /// A product was registered.
    ProductRegistered {
        /// The product (boxed, like every large payload: the log holds many small postings).
        product: Box<Product>,
    },
    /// A batch was registered.
    BatchRegistered {
        /// The batch.
        batch: Box<Batch>,
    },
    /// A posting was applied.
    Posted {
        /// The posting as given.
        posting: Posting,
    },
    /// A FEFO dispense: the request and the posting it produced (replay re-posts the posting,
    /// it does not allocate again).
    FefoDispensed {
        /// The request as given.
        request: Box<DispenseRequest>,
        /// The lines it posted.
        posting: Posting,
        /// The allocation that chose them.
        allocation: Box<Allocation>,
    },
    /// A batch changed status.
    BatchStatusChanged {
        /// The change.
        change: StatusChange,
    },
}

/// An event with its schema version, sequence number (0-based position in the log) and chained
/// hash: SHA-256 over the previous envelope's hash, the schema, the sequence number and the
/// event's JSON, so that replay refuses a log that was edited, reordered or cut in the middle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventEnvelope {
    /// Schema version of the payload.
    pub schema: u32,
    /// Position in the log.
    pub seq: u64,
    /// The chained hash, 64 lowercase hex digits.
    pub hash: String,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Qtys {
    pub on_hand: Qty,
    pub reserved: Qty,
    pub quarantined: Qty,
}

impl Qtys {
    /// Free to sell, ignoring batch status and expiry.
    pub fn free(&self) -> Qty {
        self.on_hand - self.reserved - self.quarantined
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct Layer {
    pub qty: Qty,
    #[serde(with = "crate::strict::decimal")]
    #[cfg_attr(feature = "schema", schemars(with = "rust_decimal::Decimal"))]
    pub unit_cost: Decimal,
}

#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub q: Qtys,
    pub layers: VecDeque<Layer>,
    /// Sequence number of the first stock that came into this cell (receipt order for FEFO ties).
    pub first_in: u64,
}

pub(crate) struct ProductEntry {
    pub product: Product,
    pub batches: HashMap<BatchNo, u32>,
}

pub(crate) struct BatchEntry {
    pub batch: Batch,
    pub product: u32,
    pub status: BatchStatus,
    /// (sequence number, line index) of every posting line in memory that touched this batch.
    pub moves: Vec<(u64, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reservation {
    pub cell: (u32, u32),
    pub remaining: Qty,
}

#[derive(Debug, Clone)]
pub(crate) struct Transit {
    pub batch: u32,
    pub from: u32,
    pub to: u32,
    pub remaining: Qty,
    pub layers: VecDeque<Layer>,
    pub avg_cost: Decimal,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MovingAverage {
    pub qty: Qty,
    pub unit_cost: Decimal,
}

/// Where an idempotency key's event is, and where its line outcomes start in `outcomes`
/// (`NO_OUTCOMES` for status changes).
#[derive(Debug, Clone, Copy)]
struct KeyEntry {
    /// Sequence number of the event.
    log: u64,
    /// Absolute index of its first line outcome.
    outcomes: u64,
}

const NO_OUTCOMES: u64 = u64::MAX;

/// The numbers of one posted line's outcome; everything else is in the logged posting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredOutcome {
    on_hand_after: Qty,
    cost_fifo: Option<Decimal>,
    cost_moving_average: Option<Decimal>,
}

/// Idempotency keys → their events, without a copy of every key: a keyed 64-bit hash points at
/// the event, whose own key is compared; the rare key whose hash is taken by another key goes
/// to a small side map.
#[derive(Default)]
pub(crate) struct KeyIndex {
    by_hash: IndexMap<u64, KeyEntry>,
    collided: HashMap<String, KeyEntry>,
    hasher: std::collections::hash_map::RandomState,
}

impl KeyIndex {
    /// The entry of `key` among the events in memory (`log` starts at sequence number `base`).
    fn get(&self, key: &str, log: &[EventEnvelope], base: u64) -> Option<KeyEntry> {
        use std::hash::BuildHasher;
        match self.by_hash.get(&self.hasher.hash_one(key)) {
            Some(e)
                if e.log >= base
                    && log
                        .get((e.log - base) as usize)
                        .is_some_and(|env| env.event.key() == Some(key)) =>
            {
                Some(*e)
            }
            _ => self.collided.get(key).copied(),
        }
    }

    /// Records a key that `get` did not find.
    fn insert(&mut self, key: &str, entry: KeyEntry) {
        use std::hash::BuildHasher;
        match self.by_hash.entry(self.hasher.hash_one(key)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(entry);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(key.to_string(), entry);
            }
        }
    }

    /// Forgets `key`, recorded for the event at `seq` (a rolled-back write).
    pub(crate) fn remove(&mut self, key: &str, seq: u64) {
        use std::hash::BuildHasher;
        let h = self.hasher.hash_one(key);
        if self.by_hash.get(&h).is_some_and(|e| e.log == seq) {
            self.by_hash.remove(&h);
        } else {
            self.collided.remove(key);
        }
    }

    /// Forgets every key of an event before `seq`.
    pub(crate) fn forget_before(&mut self, seq: u64) {
        self.by_hash.retain(|_, e| e.log >= seq);
        self.collided.retain(|_, e| e.log >= seq);
    }
}

impl Event {
    /// The posting an event applied: a plain posting or the lines of a FEFO dispense.
    pub fn posting(&self) -> Option<&Posting> {
        match self {
            Event::Posted { posting } | Event::FefoDispensed { posting, .. } => Some(posting),
            _ => None,
        }
    }

    /// The idempotency key of a posting, FEFO dispense or status change.
    pub fn key(&self) -> Option<&str> {
        match self {
            Event::Posted { posting } => Some(&posting.key),
            Event::FefoDispensed { request, .. } => Some(&request.key),
            Event::BatchStatusChanged { change } => Some(&change.key),
            _ => None,
        }
    }
}

/// The stock ledger of one pharmacy business: catalog, event log and derived stock.
///
/// Single-threaded; share it between threads with [`crate::SharedLedger`].
#[derive(Default)]
pub struct Ledger {
    pub(crate) locations: Vec<Location>,
    pub(crate) location_idx: HashMap<LocationId, u32>,
    pub(crate) products: Vec<ProductEntry>,
    pub(crate) product_idx: HashMap<ProductId, u32>,
    pub(crate) batches: Vec<BatchEntry>,
    /// Keyed by (location index, batch index).
    pub(crate) cells: IndexMap<(u32, u32), Cell>,
    /// Batches with a cell at (product, location), in FEFO order (see [`fefo_key`]).
    pub(crate) stocked: IndexMap<(u32, u32), Vec<u32>>,
    pub(crate) reservations: HashMap<String, Reservation>,
    pub(crate) transits: HashMap<String, Transit>,
    /// Keyed by (location index, product index).
    pub(crate) averages: IndexMap<(u32, u32), MovingAverage>,
    /// The events in memory: those from sequence number `base` on (all of them unless
    /// [`Ledger::forget_before`] handed older ones to a store).
    pub(crate) log: Vec<EventEnvelope>,
    /// Sequence number of `log[0]`.
    pub(crate) base: u64,
    /// The hash of the event before `log[0]` (empty when `base` is 0).
    pub(crate) base_head: String,
    pub(crate) keys: KeyIndex,
    /// Line outcomes of the postings in memory; `outcomes[0]` has absolute index `outcomes_base`.
    pub(crate) outcomes: VecDeque<StoredOutcome>,
    pub(crate) outcomes_base: u64,
    pub(crate) by_reference: HashMap<String, Vec<u64>>,
    /// While a batch of writes is open ([`Ledger::begin`]): how to undo each change.
    pub(crate) journal: Option<Vec<crate::journal::Undo>>,
    scratch: Overlay,
    /// Reused buffer for the JSON an event's hash is computed over.
    hash_buf: Vec<u8>,
}

/// A posting line with its ids resolved.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved {
    pub loc: u32,
    pub batch: u32,
    pub product: u32,
}

/// (batch, from, to, remaining) of a transfer in transit.
type TransitQty = (u32, u32, u32, Qty);

/// Quantities a posting would leave behind, checked before anything is changed, and its lines
/// with their ids resolved. Kept in the ledger and reused, so checking allocates nothing.
#[derive(Default)]
struct Overlay {
    cells: Vec<((u32, u32), Qtys)>,
    reservations: Vec<(String, Option<Reservation>)>,
    transits: Vec<(String, Option<TransitQty>)>,
    resolved: Vec<Resolved>,
    /// On hand of a product at a location (all batches), as the lines so far leave it.
    totals: Vec<((u32, u32), Qty)>,
    /// The line being checked: where a refusal happened (`None`: the posting's own fields).
    line: Option<usize>,
}

impl Overlay {
    fn clear(&mut self) {
        self.cells.clear();
        self.reservations.clear();
        self.transits.clear();
        self.resolved.clear();
        self.totals.clear();
        self.line = None;
    }
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    // ----- registration -------------------------------------------------------------------

    /// Registers a location. Registering the same location again is a no-op.
    pub fn register_location(&mut self, location: Location) -> Result<()> {
        if let Some(&i) = self.location_idx.get(&location.id) {
            return same_or_conflict(
                self.locations[i as usize] == location,
                "location",
                &location.id,
            );
        }
        self.push_event(Event::LocationRegistered {
            location: location.clone(),
        });
        self.journal(|| crate::journal::Undo::Location);
        self.location_idx
            .insert(location.id.clone(), self.locations.len() as u32);
        self.locations.push(location);
        Ok(())
    }

    /// Registers a product. Registering the same product again is a no-op.
    pub fn register_product(&mut self, product: Product) -> Result<()> {
        product.validate()?;
        if let Some(&i) = self.product_idx.get(&product.id) {
            return same_or_conflict(
                self.products[i as usize].product == product,
                "product",
                &product.id,
            );
        }
        self.push_event(Event::ProductRegistered {
            product: Box::new(product.clone()),
        });
        self.journal(|| crate::journal::Undo::Product);
        self.product_idx
            .insert(product.id.clone(), self.products.len() as u32);
        self.products.push(ProductEntry {
            product,
            batches: HashMap::new(),
        });
        Ok(())
    }

    /// Registers a batch of a known product. Registering the same batch again is a no-op.
    pub fn register_batch(&mut self, batch: Batch) -> Result<()> {
        batch.validate()?;
        let p = self.product_index(&batch.product)?;
        if let Some(&i) = self.products[p as usize].batches.get(&batch.batch) {
            let same = self.batches[i as usize].batch == batch;
            return same_or_conflict(
                same,
                "batch",
                &format!("{} of {}", batch.batch, batch.product),
            );
        }
        self.push_event(Event::BatchRegistered {
            batch: Box::new(batch.clone()),
        });
        self.journal(|| crate::journal::Undo::Batch);
        let idx = self.batches.len() as u32;
        self.products[p as usize]
            .batches
            .insert(batch.batch.clone(), idx);
        self.batches.push(BatchEntry {
            status: batch.status,
            batch,
            product: p,
            moves: Vec::new(),
        });
        Ok(())
    }

    /// Registers locations, products and batches together: all of them, or none if any entry
    /// is invalid or conflicts with what is registered (or with another entry of the same call).
    pub fn register_catalog(
        &mut self,
        locations: &[Location],
        products: &[Product],
        batches: &[Batch],
    ) -> Result<()> {
        let mut seen_loc: HashMap<&LocationId, &Location> = HashMap::new();
        for x in locations {
            validate_id("location id", x.id.as_str())?;
            let prior = self
                .location_idx
                .get(&x.id)
                .map(|&i| &self.locations[i as usize]);
            if prior
                .or(seen_loc.get(&x.id).copied())
                .is_some_and(|p| p != x)
            {
                return Err(CoreError::AlreadyRegistered {
                    what: "location",
                    id: x.id.to_string(),
                });
            }
            seen_loc.insert(&x.id, x);
        }
        let mut seen_prod: HashMap<&ProductId, &Product> = HashMap::new();
        for x in products {
            x.validate()?;
            let prior = self
                .product_idx
                .get(&x.id)
                .map(|&i| &self.products[i as usize].product);
            if prior
                .or(seen_prod.get(&x.id).copied())
                .is_some_and(|p| p != x)
            {
                return Err(CoreError::AlreadyRegistered {
                    what: "product",
                    id: x.id.to_string(),
                });
            }
            seen_prod.insert(&x.id, x);
        }
        let mut seen_batch: HashMap<(&ProductId, &BatchNo), &Batch> = HashMap::new();
        for x in batches {
            x.validate()?;
            if !self.product_idx.contains_key(&x.product) && !seen_prod.contains_key(&x.product) {
                return Err(CoreError::UnknownProduct(x.product.clone()));
            }
            let prior = self
                .batch_index(&x.product, &x.batch)
                .ok()
                .map(|i| &self.batches[i as usize].batch);
            if prior
                .or(seen_batch.get(&(&x.product, &x.batch)).copied())
                .is_some_and(|p| p != x)
            {
                return Err(CoreError::AlreadyRegistered {
                    what: "batch",
                    id: format!("{} of {}", x.batch, x.product),
                });
            }
            seen_batch.insert((&x.product, &x.batch), x);
        }
        // Everything was checked above: these cannot fail.
        for x in locations {
            self.register_location(x.clone())?;
        }
        for x in products {
            self.register_product(x.clone())?;
        }
        for x in batches {
            self.register_batch(x.clone())?;
        }
        Ok(())
    }

    // ----- lookups --------------------------------------------------------------------------

    pub(crate) fn product_index(&self, id: &ProductId) -> Result<u32> {
        self.product_idx
            .get(id)
            .copied()
            .ok_or_else(|| CoreError::UnknownProduct(id.clone()))
    }

    pub(crate) fn location_index(&self, id: &LocationId) -> Result<u32> {
        self.location_idx
            .get(id)
            .copied()
            .ok_or_else(|| CoreError::UnknownLocation(id.clone()))
    }

    pub(crate) fn batch_index(&self, product: &ProductId, batch: &BatchNo) -> Result<u32> {
        self.batch_in(self.product_index(product)?, product, batch)
    }

    fn batch_in(&self, p: u32, product: &ProductId, batch: &BatchNo) -> Result<u32> {
        self.products[p as usize]
            .batches
            .get(batch)
            .copied()
            .ok_or_else(|| CoreError::UnknownBatch {
                product: product.clone(),
                batch: batch.clone(),
            })
    }

    /// The product record.
    pub fn product(&self, id: &ProductId) -> Result<&Product> {
        Ok(&self.products[self.product_index(id)? as usize].product)
    }

    /// The batch record (with the status it was registered with; see [`Ledger::batch_status`]).
    pub fn batch(&self, product: &ProductId, batch: &BatchNo) -> Result<&Batch> {
        Ok(&self.batches[self.batch_index(product, batch)? as usize].batch)
    }

    /// The current status of a batch.
    pub fn batch_status(&self, product: &ProductId, batch: &BatchNo) -> Result<BatchStatus> {
        Ok(self.batches[self.batch_index(product, batch)? as usize].status)
    }

    /// All registered products, in registration order.
    pub fn products(&self) -> impl Iterator<Item = &Product> {
        self.products.iter().map(|p| &p.product)
    }

    /// All registered locations, in registration order.
    pub fn locations(&self) -> impl Iterator<Item = &Location> {
        self.locations.iter()
    }

    /// All registered batches, in registration order.
    pub fn batches(&self) -> impl Iterator<Item = &Batch> {
        self.batches.iter().map(|b| &b.batch)
    }

    /// The event log, oldest first.
    pub fn events(&self) -> &[EventEnvelope] {
        &self.log
    }

    // ----- postings -------------------------------------------------------------------------

    /// Posts stock movements, all lines or none.
    ///
    /// The same key with the same posting returns the first result and changes nothing; the same
    /// key with a different posting is [`CoreError::IdempotencyConflict`].
    pub fn post(&mut self, posting: Posting) -> Result<PostingResult> {
        self.scratch.line = None;
        if let Some(entry) = self.key_entry(&posting.key) {
            return match &self.event_at(entry.log)?.event {
                Event::Posted { posting: first } if *first == posting => self.stored_result(entry),
                _ => Err(CoreError::IdempotencyConflict { key: posting.key }),
            };
        }
        let result = self.check_and_apply(&posting)?;
        Ok(self.record(posting.key.clone(), Event::Posted { posting }, result))
    }

    /// Allocates by FEFO and posts the dispense of that allocation in one step.
    ///
    /// Idempotent on the request's key: the same request again returns the first result.
    pub fn dispense_fefo(
        &mut self,
        request: DispenseRequest,
    ) -> Result<(Allocation, PostingResult)> {
        if let Some(entry) = self.key_entry(&request.key) {
            return match &self.event_at(entry.log)?.event {
                Event::FefoDispensed {
                    request: first,
                    allocation,
                    ..
                } if **first == request => Ok(((**allocation).clone(), self.stored_result(entry)?)),
                _ => Err(CoreError::IdempotencyConflict { key: request.key }),
            };
        }
        let allocation = self.allocate(&request.allocation())?;
        if allocation.picks.is_empty() {
            return Err(CoreError::InsufficientStock {
                product: request.product.clone(),
                batch: None,
                location: request.location.clone(),
                requested: request.qty,
                available: 0,
            });
        }
        let posting = allocation.to_posting(&request);
        let result = self.check_and_apply(&posting)?;
        let key = request.key.clone();
        let event = Event::FefoDispensed {
            request: Box::new(request),
            posting,
            allocation: Box::new(allocation.clone()),
        };
        Ok((allocation, self.record(key, event, result)))
    }

    /// Changes a batch's status everywhere: quarantine, release, or recall (final).
    pub fn set_batch_status(&mut self, change: StatusChange) -> Result<u64> {
        if let Some(entry) = self.key_entry(&change.key) {
            return match &self.event_at(entry.log)?.event {
                Event::BatchStatusChanged { change: first } if *first == change => Ok(entry.log),
                _ => Err(CoreError::IdempotencyConflict { key: change.key }),
            };
        }
        validate_id("idempotency key", &change.key)?;
        check_date(change.date)?;
        let b = self.batch_index(&change.product, &change.batch)?;
        let current = self.batches[b as usize].status;
        if current == BatchStatus::Recalled && change.status != BatchStatus::Recalled {
            return Err(CoreError::BatchBlocked {
                product: change.product,
                batch: change.batch,
                status: current,
                action: "released from a recall",
            });
        }
        self.journal(|| crate::journal::Undo::Status(b, current));
        self.batches[b as usize].status = change.status;
        let seq = self.next_seq();
        self.keys.insert(
            &change.key,
            KeyEntry {
                log: seq,
                outcomes: NO_OUTCOMES,
            },
        );
        self.push_event(Event::BatchStatusChanged { change });
        Ok(seq)
    }

    /// The result a posting returned, rebuilt from its logged lines and stored outcomes.
    fn stored_result(&self, entry: KeyEntry) -> Result<PostingResult> {
        let corrupt = || CoreError::CorruptLog {
            seq: entry.log,
            reason: "posting without a stored result".into(),
        };
        let posting = self
            .event_at(entry.log)?
            .event
            .posting()
            .ok_or_else(corrupt)?;
        let start = entry
            .outcomes
            .checked_sub(self.outcomes_base)
            .ok_or_else(corrupt)? as usize;
        if start + posting.lines.len() > self.outcomes.len() {
            return Err(corrupt());
        }
        let stored = self.outcomes.range(start..start + posting.lines.len());
        Ok(PostingResult {
            seq: entry.log,
            key: posting.key.clone(),
            lines: posting
                .lines
                .iter()
                .zip(stored)
                .map(|(line, o)| LineOutcome {
                    movement: line.movement.kind(),
                    product: line.product.clone(),
                    batch: line.batch.clone(),
                    location: line.location.clone(),
                    qty: line.qty,
                    on_hand_after: o.on_hand_after,
                    cost_fifo: o.cost_fifo,
                    cost_moving_average: o.cost_moving_average,
                })
                .collect(),
        })
    }

    fn record(&mut self, key: String, event: Event, mut result: PostingResult) -> PostingResult {
        let log = self.next_seq();
        let outcomes_before = self.outcomes.len();
        self.keys.insert(
            &key,
            KeyEntry {
                log,
                outcomes: self.outcomes_base + self.outcomes.len() as u64,
            },
        );
        self.outcomes
            .extend(result.lines.iter().map(|l| StoredOutcome {
                on_hand_after: l.on_hand_after,
                cost_fifo: l.cost_fifo,
                cost_moving_average: l.cost_moving_average,
            }));
        result.seq = log;
        result.key = key;
        self.push_event_with(event, outcomes_before);
        result
    }

    fn push_event(&mut self, event: Event) {
        self.push_event_with(event, self.outcomes.len());
    }

    /// Appends an event; `outcomes` is how many line outcomes there were before it.
    fn push_event_with(&mut self, event: Event, outcomes: usize) {
        let seq = self.next_seq();
        self.journal(|| crate::journal::Undo::Event {
            outcomes,
            key: event.key().map(str::to_string),
        });
        let mut buf = std::mem::take(&mut self.hash_buf);
        let hash = chain_hash(self.head(), SCHEMA_VERSION, seq, &event, &mut buf);
        self.hash_buf = buf;
        self.log.push(EventEnvelope {
            schema: SCHEMA_VERSION,
            seq,
            hash,
            event,
        });
    }

    /// The hash of the newest event (empty for an empty log): keep it beside a saved log to
    /// tell that the log was not cut short ([`Ledger::replay_to`]).
    pub fn head(&self) -> &str {
        self.log
            .last()
            .map_or(self.base_head.as_str(), |e| e.hash.as_str())
    }

    /// The sequence number the next event gets: the number of events ever logged.
    pub fn next_seq(&self) -> u64 {
        self.base + self.log.len() as u64
    }

    /// The sequence number of the oldest event still in memory (0 unless
    /// [`Ledger::forget_before`] handed older ones to a store).
    pub fn first_seq_in_memory(&self) -> u64 {
        self.base
    }

    /// Where `key`'s event is, when that event is in memory.
    fn key_entry(&self, key: &str) -> Option<KeyEntry> {
        self.keys.get(key, &self.log, self.base)
    }

    /// The event with sequence number `seq`, when it is in memory.
    pub fn event(&self, seq: u64) -> Option<&EventEnvelope> {
        self.log
            .get(usize::try_from(seq.checked_sub(self.base)?).ok()?)
    }

    fn event_at(&self, seq: u64) -> Result<&EventEnvelope> {
        self.event(seq).ok_or_else(|| CoreError::CorruptLog {
            seq,
            reason: "an idempotency key points at an event that is not in memory".into(),
        })
    }

    /// Whether an idempotency key's event is in memory. With older events in a store, a key
    /// that is not must be looked up there before it is posted (see `apotheca-store`).
    pub fn knows_key(&self, key: &str) -> bool {
        self.key_entry(key).is_some()
    }

    /// Validates every line against the quantities as the earlier lines leave them.
    /// Checks a posting in full, then applies it: all lines or none.
    fn check_and_apply(&mut self, posting: &Posting) -> Result<PostingResult> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let checked = self.check(posting, &mut scratch);
        let result = checked.map(|()| self.apply(posting, &scratch.resolved));
        self.scratch = scratch;
        result
    }

    fn check(&self, posting: &Posting, ov: &mut Overlay) -> Result<()> {
        validate_id("idempotency key", &posting.key)?;
        if let Some(r) = &posting.reference {
            validate_id("reference", r)?;
        }
        check_date(posting.date)?;
        if posting.lines.is_empty() || posting.lines.len() > MAX_LINES {
            return Err(CoreError::InvalidInput {
                field: format!("lines of posting {}", posting.key),
                reason: format!(
                    "{} lines; a posting has 1 to {MAX_LINES}",
                    posting.lines.len()
                ),
            });
        }

        for (i, line) in posting.lines.iter().enumerate() {
            ov.line = Some(i);
            if !(1..=MAX_QTY).contains(&line.qty) {
                return Err(CoreError::InvalidQuantity {
                    qty: line.qty,
                    context: format!(
                        "lines[{i}].qty ({} of {} batch {})",
                        line.movement.name(),
                        line.product,
                        line.batch
                    ),
                });
            }
            if let Some(cost) = line.movement.unit_cost() {
                check_cost(cost, i)?;
            }
            let product = self.product_index(&line.product)?;
            let r = Resolved {
                loc: self.location_index(&line.location)?,
                batch: self.batch_in(product, &line.product, &line.batch)?,
                product,
            };
            self.check_line(posting, line, r, ov)?;
            // The product's stock at the location, all batches together, stays within MAX_QTY:
            // that is what bounds the moving average's arithmetic in `apply`.
            let key = (r.loc, r.product);
            let total = ov.total(self, key);
            let after = match line.movement.on_hand_sign() {
                1 => total + line.qty,
                -1 => total - line.qty,
                _ => total,
            };
            if after > MAX_QTY {
                return Err(CoreError::AmountOutOfRange {
                    field: format!("lines[{i}].qty"),
                    reason: format!(
                        "{} on hand of {} at {} would exceed the most one location may hold, {MAX_QTY}",
                        after, line.product, line.location
                    ),
                });
            }
            ov.totals.push((key, after));
            ov.resolved.push(r);
        }
        ov.line = None;
        Ok(())
    }

    /// The index of the line the last refused [`Ledger::post`] failed on (`None` when it
    /// failed on the posting's own fields, or was not refused by its check): what lets the
    /// facade name the offending line's field (`lines[3].batch`) for errors such as an unknown
    /// product or insufficient stock, whose own data names values, not positions.
    pub fn refused_line(&self) -> Option<usize> {
        self.scratch.line
    }

    fn check_line(
        &self,
        posting: &Posting,
        line: &Line,
        r: Resolved,
        ov: &mut Overlay,
    ) -> Result<()> {
        let entry = &self.batches[r.batch as usize];
        let status = entry.status;
        let cell = (r.loc, r.batch);
        let mut q = ov.cell(self, cell);
        let short = |available: Qty| CoreError::InsufficientStock {
            product: line.product.clone(),
            batch: Some(line.batch.clone()),
            location: line.location.clone(),
            requested: line.qty,
            available: available.max(0),
        };
        let blocked = |action: &'static str| CoreError::BatchBlocked {
            product: line.product.clone(),
            batch: line.batch.clone(),
            status,
            action,
        };
        let not_expired = |action: &'static str| -> Result<()> {
            match entry.batch.expiry {
                Some(exp) if is_expired(exp, posting.date) => Err(CoreError::BatchExpired {
                    product: line.product.clone(),
                    batch: line.batch.clone(),
                    expiry: exp,
                    date: posting.date,
                    action,
                }),
                _ => Ok(()),
            }
        };
        let add = |q: Qty| -> Result<Qty> {
            q.checked_add(line.qty)
                .filter(|t| *t <= MAX_QTY)
                .ok_or_else(|| CoreError::InvalidQuantity {
                    qty: line.qty,
                    context: format!(
                        "{} of {} batch {}: on hand would exceed {MAX_QTY}",
                        line.movement.name(),
                        line.product,
                        line.batch
                    ),
                })
        };
        match &line.movement {
            Movement::Receipt { .. } => {
                if status == BatchStatus::Recalled {
                    return Err(blocked("received"));
                }
                not_expired("receipt")?;
                q.on_hand = add(q.on_hand)?;
            }
            Movement::CustomerReturn { .. } | Movement::AdjustIn { .. } => {
                q.on_hand = add(q.on_hand)?;
            }
            Movement::Dispense { reservation } => {
                if status != BatchStatus::Released {
                    return Err(blocked("dispensed"));
                }
                not_expired("dispense")?;
                match reservation {
                    None => {
                        if q.free() < line.qty {
                            return Err(short(q.free()));
                        }
                    }
                    Some(id) => {
                        let mut res = ov.reservation(self, id).ok_or_else(|| {
                            CoreError::ReservationMismatch {
                                reservation: id.clone(),
                                reason: "no such open reservation".into(),
                            }
                        })?;
                        if res.cell != cell {
                            return Err(CoreError::ReservationMismatch {
                                reservation: id.clone(),
                                reason: format!(
                                    "it holds another batch or location than {} at {}",
                                    line.batch, line.location
                                ),
                            });
                        }
                        if res.remaining < line.qty {
                            return Err(CoreError::ReservationMismatch {
                                reservation: id.clone(),
                                reason: format!(
                                    "holds {} units, {} requested",
                                    res.remaining, line.qty
                                ),
                            });
                        }
                        res.remaining -= line.qty;
                        q.reserved -= line.qty;
                        ov.set_reservation(id, (res.remaining > 0).then_some(res));
                    }
                }
                q.on_hand -= line.qty;
            }
            Movement::SupplierReturn | Movement::AdjustOut { .. } => {
                // Takes blocked stock (quarantined, recalled, expired) too, never reserved stock.
                let takeable = q.on_hand - q.reserved;
                if takeable < line.qty {
                    return Err(short(takeable));
                }
                q.on_hand -= line.qty;
                q.quarantined = q.quarantined.min(q.on_hand - q.reserved);
            }
            Movement::TransferOut { transfer, to } => {
                validate_id("transfer id", transfer)?;
                if *to == line.location {
                    return Err(CoreError::SameLocationTransfer {
                        transfer: transfer.clone(),
                        location: to.clone(),
                    });
                }
                let to_idx = self.location_index(to)?;
                if status != BatchStatus::Released {
                    return Err(blocked("transferred"));
                }
                if ov.transit(self, transfer).is_some() {
                    return Err(CoreError::TransferMismatch {
                        transfer: transfer.clone(),
                        reason: "this transfer id was already used".into(),
                    });
                }
                if q.free() < line.qty {
                    return Err(short(q.free()));
                }
                q.on_hand -= line.qty;
                ov.transits
                    .push((transfer.clone(), Some((r.batch, r.loc, to_idx, line.qty))));
            }
            Movement::TransferIn { transfer } => {
                let (batch, from, to, remaining) =
                    ov.transit(self, transfer)
                        .ok_or_else(|| CoreError::TransferMismatch {
                            transfer: transfer.clone(),
                            reason: "nothing of it is in transit".into(),
                        })?;
                if batch != r.batch || to != r.loc {
                    return Err(CoreError::TransferMismatch {
                        transfer: transfer.clone(),
                        reason: format!(
                            "it carries another batch or goes elsewhere than {} at {}",
                            line.batch, line.location
                        ),
                    });
                }
                if remaining < line.qty {
                    return Err(CoreError::TransferMismatch {
                        transfer: transfer.clone(),
                        reason: format!("{remaining} units in transit, {} received", line.qty),
                    });
                }
                q.on_hand = add(q.on_hand)?;
                ov.transits.push((
                    transfer.clone(),
                    Some((batch, from, to, remaining - line.qty)),
                ));
            }
            Movement::Reserve { reservation } => {
                validate_id("reservation id", reservation)?;
                if status != BatchStatus::Released {
                    return Err(blocked("reserved"));
                }
                not_expired("reservation")?;
                if ov.reservation(self, reservation).is_some() {
                    return Err(CoreError::ReservationMismatch {
                        reservation: reservation.clone(),
                        reason: "is already open".into(),
                    });
                }
                if q.free() < line.qty {
                    return Err(short(q.free()));
                }
                q.reserved += line.qty;
                ov.set_reservation(
                    reservation,
                    Some(Reservation {
                        cell,
                        remaining: line.qty,
                    }),
                );
            }
            Movement::ReleaseReservation { reservation } => {
                let mut res = ov.reservation(self, reservation).ok_or_else(|| {
                    CoreError::ReservationMismatch {
                        reservation: reservation.clone(),
                        reason: "no such open reservation".into(),
                    }
                })?;
                if res.cell != cell || res.remaining < line.qty {
                    return Err(CoreError::ReservationMismatch {
                        reservation: reservation.clone(),
                        reason: format!(
                            "holds {} units of another cell or fewer than {}",
                            res.remaining, line.qty
                        ),
                    });
                }
                res.remaining -= line.qty;
                q.reserved -= line.qty;
                ov.set_reservation(reservation, (res.remaining > 0).then_some(res));
            }
            Movement::Quarantine => {
                if q.free() < line.qty {
                    return Err(short(q.free()));
                }
                q.quarantined += line.qty;
            }
            Movement::ReleaseQuarantine => {
                if q.quarantined < line.qty {
                    return Err(short(q.quarantined));
                }
                q.quarantined -= line.qty;
            }
        }
        ov.set_cell(cell, q);
        Ok(())
    }

    /// Applies a checked posting. Cannot fail: every quantity was checked by [`Self::check`].
    fn apply(&mut self, posting: &Posting, resolved: &[Resolved]) -> PostingResult {
        let seq = self.next_seq();
        if self.journal.is_some() {
            self.journal_posting(posting, resolved);
        }
        let mut lines = Vec::with_capacity(resolved.len());
        for (i, (line, r)) in posting.lines.iter().zip(resolved).enumerate() {
            let key = (r.loc, r.batch);
            let batch_cost = self.batches[r.batch as usize].batch.unit_cost;
            if let std::collections::hash_map::Entry::Vacant(v) = self.cells.entry(key) {
                v.insert(Cell {
                    q: Qtys::default(),
                    layers: VecDeque::new(),
                    first_in: seq,
                });
                // Kept in FEFO order: expiry, first receipt and batch number never change.
                let first_in = seq;
                let order = self.stocked.entry((r.product, r.loc)).or_default();
                let at = order.partition_point(|&b| {
                    fefo_key(
                        &self.batches[b as usize].batch,
                        self.cells[&(r.loc, b)].first_in,
                    ) <= fefo_key(&self.batches[r.batch as usize].batch, first_in)
                });
                order.insert(at, r.batch);
            }
            let avg_key = (r.loc, r.product);
            let mut cost_fifo = None;
            let mut cost_avg = None;
            let qty = line.qty;
            match &line.movement {
                Movement::Receipt { unit_cost }
                | Movement::CustomerReturn { unit_cost }
                | Movement::AdjustIn { unit_cost, .. } => {
                    let cost = unit_cost.unwrap_or(batch_cost);
                    self.inflow(
                        key,
                        avg_key,
                        qty,
                        std::iter::once(Layer {
                            qty,
                            unit_cost: cost,
                        }),
                        cost,
                    );
                }
                Movement::Dispense { reservation } => {
                    if let Some(id) = reservation {
                        self.consume_reservation(id, qty);
                        self.cell_mut(key).q.reserved -= qty;
                    }
                    let (fifo, avg) = self.outflow(key, avg_key, qty, None);
                    (cost_fifo, cost_avg) = (Some(fifo), Some(avg));
                }
                Movement::SupplierReturn | Movement::AdjustOut { .. } => {
                    let (fifo, avg) = self.outflow(key, avg_key, qty, None);
                    let c = self.cell_mut(key);
                    c.q.quarantined = c.q.quarantined.min(c.q.on_hand - c.q.reserved);
                    (cost_fifo, cost_avg) = (Some(fifo), Some(avg));
                }
                Movement::TransferOut { transfer, to } => {
                    let mut layers = VecDeque::new();
                    let (fifo, avg) = self.outflow(key, avg_key, qty, Some(&mut layers));
                    let to = self.location_idx.get(to).copied().unwrap_or(r.loc);
                    let avg_cost = self
                        .averages
                        .get(&avg_key)
                        .map(|a| a.unit_cost)
                        .unwrap_or(batch_cost);
                    self.transits.insert(
                        transfer.clone(),
                        Transit {
                            batch: r.batch,
                            from: r.loc,
                            to,
                            remaining: qty,
                            layers,
                            avg_cost,
                        },
                    );
                    (cost_fifo, cost_avg) = (Some(fifo), Some(avg));
                }
                Movement::TransferIn { transfer } => {
                    let (layers, avg_cost) = match self.transits.get_mut(transfer) {
                        Some(t) => {
                            t.remaining -= qty;
                            let mut layers = VecDeque::new();
                            take_layers(&mut t.layers, qty, Some(&mut layers));
                            (layers, t.avg_cost)
                        }
                        None => (VecDeque::new(), batch_cost),
                    };
                    self.inflow(key, avg_key, qty, layers.into_iter(), avg_cost);
                }
                Movement::Reserve { reservation } => {
                    self.reservations.insert(
                        reservation.clone(),
                        Reservation {
                            cell: key,
                            remaining: qty,
                        },
                    );
                    self.cell_mut(key).q.reserved += qty;
                }
                Movement::ReleaseReservation { reservation } => {
                    self.consume_reservation(reservation, qty);
                    self.cell_mut(key).q.reserved -= qty;
                }
                Movement::Quarantine => self.cell_mut(key).q.quarantined += qty,
                Movement::ReleaseQuarantine => self.cell_mut(key).q.quarantined -= qty,
            }
            self.batches[r.batch as usize].moves.push((seq, i as u32));
            lines.push(LineOutcome {
                movement: line.movement.kind(),
                product: line.product.clone(),
                batch: line.batch.clone(),
                location: line.location.clone(),
                qty,
                on_hand_after: self.cells.get(&key).map_or(0, |c| c.q.on_hand),
                cost_fifo,
                cost_moving_average: cost_avg,
            });
        }
        if let Some(r) = &posting.reference {
            self.by_reference.entry(r.clone()).or_default().push(seq);
        }
        PostingResult {
            seq,
            key: String::new(),
            lines,
        }
    }

    fn cell_mut(&mut self, key: (u32, u32)) -> &mut Cell {
        self.cells.entry(key).or_insert_with(|| Cell {
            q: Qtys::default(),
            layers: VecDeque::new(),
            first_in: 0,
        })
    }

    fn consume_reservation(&mut self, id: &str, qty: Qty) {
        if let Some(res) = self.reservations.get_mut(id) {
            res.remaining -= qty;
            if res.remaining <= 0 {
                self.reservations.remove(id);
            }
        }
    }

    fn inflow(
        &mut self,
        key: (u32, u32),
        avg_key: (u32, u32),
        qty: Qty,
        layers: impl Iterator<Item = Layer>,
        avg_in: Decimal,
    ) {
        let cell = self.cell_mut(key);
        cell.q.on_hand += qty;
        for layer in layers {
            match cell.layers.back_mut() {
                Some(last) if last.unit_cost == layer.unit_cost => last.qty += layer.qty,
                _ => cell.layers.push_back(layer),
            }
        }
        let avg = self.averages.entry(avg_key).or_default();
        let total = avg.qty + qty;
        // Equal costs average to the same cost: skip the division.
        let unit = if avg.qty <= 0 || avg.unit_cost == avg_in {
            avg_in
        } else {
            (avg.unit_cost * Decimal::from(avg.qty) + avg_in * Decimal::from(qty))
                / Decimal::from(total)
        };
        avg.unit_cost = unit.round_dp(AVG_COST_DP).normalize();
        avg.qty = total;
    }

    /// Takes `qty` out of a cell: FIFO cost, moving-average cost and the layers taken.
    /// Takes `qty` out of a cell: its FIFO cost and its moving-average cost; the FIFO layers
    /// taken go to `taken` where the caller keeps them.
    fn outflow(
        &mut self,
        key: (u32, u32),
        avg_key: (u32, u32),
        qty: Qty,
        taken: Option<&mut VecDeque<Layer>>,
    ) -> (Decimal, Decimal) {
        let cell = self.cell_mut(key);
        cell.q.on_hand -= qty;
        let fifo = take_layers(&mut cell.layers, qty, taken);
        let avg = self.averages.entry(avg_key).or_default();
        avg.qty -= qty;
        (fifo, avg.unit_cost * Decimal::from(qty))
    }

    // ----- replay ---------------------------------------------------------------------------

    /// Rebuilds a ledger from an event log. The result has the same [`Ledger::digest`] as the
    /// ledger that wrote the log.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a EventEnvelope>) -> Result<Ledger> {
        Self::replay_to(events, None)
    }

    /// [`Ledger::replay`], and checks that the log ends at `head` (the [`Ledger::head`] saved
    /// with it), so that a log cut short at the end is refused too.
    pub fn replay_to<'a>(
        events: impl IntoIterator<Item = &'a EventEnvelope>,
        head: Option<&str>,
    ) -> Result<Ledger> {
        let ledger = Self::replay_events(events)?;
        if let Some(h) = head
            && ledger.head() != h
        {
            return Err(CoreError::CorruptLog {
                seq: ledger.log.len() as u64,
                reason: format!(
                    "the log ends at hash {:?}, not at the expected head {h:?}: it was cut short or is another log",
                    ledger.head()
                ),
            });
        }
        Ok(ledger)
    }

    fn replay_events<'a>(events: impl IntoIterator<Item = &'a EventEnvelope>) -> Result<Ledger> {
        let mut ledger = Ledger::new();
        ledger.apply_events(events)?;
        Ok(ledger)
    }

    /// Applies logged events that continue this ledger's log (the tail after a snapshot, or
    /// what other writers appended to a shared store), checking each one's sequence number and
    /// chained hash. On error the events before the offending one stay applied.
    pub fn apply_events<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a EventEnvelope>,
    ) -> Result<()> {
        let ledger = self;
        for env in events {
            if env.schema != SCHEMA_VERSION {
                return Err(CoreError::UnsupportedSchema {
                    found: env.schema,
                    supported: SCHEMA_VERSION,
                });
            }
            let expected = ledger.next_seq();
            let corrupt = |reason: String| CoreError::CorruptLog {
                seq: env.seq,
                reason,
            };
            if env.seq != expected {
                return Err(corrupt(format!("expected sequence {expected}")));
            }
            let before = ledger.log.len();
            let outcome = match env.event.clone() {
                Event::LocationRegistered { location } => ledger.register_location(location),
                Event::ProductRegistered { product } => ledger.register_product(*product),
                Event::BatchRegistered { batch } => ledger.register_batch(*batch),
                Event::Posted { posting } => ledger.post(posting).map(drop),
                Event::BatchStatusChanged { change } => ledger.set_batch_status(change).map(drop),
                Event::FefoDispensed {
                    request,
                    posting,
                    allocation,
                } => {
                    if ledger.key_entry(&request.key).is_some() {
                        Err(CoreError::IdempotencyConflict {
                            key: request.key.clone(),
                        })
                    } else {
                        ledger.check_and_apply(&posting).map(|result| {
                            let key = request.key.clone();
                            ledger.record(
                                key,
                                Event::FefoDispensed {
                                    request,
                                    posting,
                                    allocation,
                                },
                                result,
                            );
                        })
                    }
                }
            };
            outcome.map_err(|e| corrupt(e.to_string()))?;
            if ledger.log.len() != before + 1 {
                return Err(corrupt("event changed nothing (a duplicate)".into()));
            }
            if ledger.head() != env.hash {
                return Err(corrupt(
                    "its hash does not match: this event or one before it was edited".into(),
                ));
            }
        }
        Ok(())
    }

    /// A fingerprint of the current state (stock, costs, reservations, transits, statuses),
    /// independent of how the maps are laid out in memory: equal states give equal digests.
    pub fn digest(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let mut cells: Vec<_> = self
            .cells
            .iter()
            .map(|(&(l, b), c)| (self.cell_label(l, b), c))
            .collect();
        cells.sort_by(|a, b| a.0.cmp(&b.0));
        for (label, c) in cells {
            let _ = write!(
                s,
                "C|{label}|{}|{}|{}|{}",
                c.q.on_hand, c.q.reserved, c.q.quarantined, c.first_in
            );
            for l in &c.layers {
                let _ = write!(s, "|{}@{}", l.qty, l.unit_cost.normalize());
            }
            s.push('\n');
        }
        let mut rest: Vec<String> = Vec::new();
        for (id, r) in &self.reservations {
            rest.push(format!(
                "R|{id}|{}|{}",
                self.cell_label(r.cell.0, r.cell.1),
                r.remaining
            ));
        }
        for (id, t) in &self.transits {
            let layers: Vec<String> = t
                .layers
                .iter()
                .map(|l| format!("{}@{}", l.qty, l.unit_cost.normalize()))
                .collect();
            rest.push(format!(
                "T|{id}|{}|{}|{}|{}|{}",
                self.cell_label(t.from, t.batch),
                self.locations[t.to as usize].id,
                t.remaining,
                t.avg_cost.normalize(),
                layers.join(",")
            ));
        }
        for (&(l, p), a) in &self.averages {
            rest.push(format!(
                "A|{}|{}|{}|{}",
                self.locations[l as usize].id,
                self.products[p as usize].product.id,
                a.qty,
                a.unit_cost.normalize()
            ));
        }
        // The catalog as registered (every field: expiry, cost, MRP, pack size, ...) and the
        // statuses now: ledgers whose catalogs differ never share a digest.
        for b in &self.batches {
            rest.push(format!(
                "S|{}|{}|{}|{}",
                b.batch.product,
                b.batch.batch,
                b.status,
                serde_json::to_string(&b.batch).unwrap_or_default()
            ));
        }
        for p in &self.products {
            rest.push(format!(
                "P|{}|{}",
                p.product.id,
                serde_json::to_string(&p.product).unwrap_or_default()
            ));
        }
        for l in &self.locations {
            rest.push(format!(
                "L|{}|{}",
                l.id,
                serde_json::to_string(l).unwrap_or_default()
            ));
        }
        rest.sort();
        for r in rest {
            s.push_str(&r);
            s.push('\n');
        }
        let _ = write!(s, "N|{}", self.next_seq());
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(s.as_bytes()))
    }

    pub(crate) fn cell_label(&self, loc: u32, batch: u32) -> String {
        let b = &self.batches[batch as usize].batch;
        format!(
            "{}|{}|{}",
            self.locations[loc as usize].id, b.product, b.batch
        )
    }
}

use crate::movement::Line;

impl Overlay {
    fn cell(&self, ledger: &Ledger, key: (u32, u32)) -> Qtys {
        self.cells
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, q)| *q)
            .or_else(|| ledger.cells.get(&key).map(|c| c.q))
            .unwrap_or_default()
    }
    fn set_cell(&mut self, key: (u32, u32), q: Qtys) {
        self.cells.push((key, q));
    }
    fn reservation(&self, ledger: &Ledger, id: &str) -> Option<Reservation> {
        match self.reservations.iter().rev().find(|(k, _)| k == id) {
            Some((_, r)) => r.clone(),
            None => ledger.reservations.get(id).cloned(),
        }
    }
    fn set_reservation(&mut self, id: &str, r: Option<Reservation>) {
        self.reservations.push((id.to_string(), r));
    }
    fn total(&self, ledger: &Ledger, key: (u32, u32)) -> Qty {
        self.totals
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, q)| *q)
            .or_else(|| ledger.averages.get(&key).map(|a| a.qty))
            .unwrap_or_default()
    }
    fn transit(&self, ledger: &Ledger, id: &str) -> Option<TransitQty> {
        match self.transits.iter().rev().find(|(k, _)| k == id) {
            Some((_, t)) => *t,
            None => ledger
                .transits
                .get(id)
                .map(|t| (t.batch, t.from, t.to, t.remaining)),
        }
    }
}

/// The FEFO sort key of a batch at a location: expiry (none last), then receipt order (the
/// sequence number of the first stock into that cell), then batch number.
pub(crate) fn fefo_key(batch: &Batch, first_in: u64) -> (bool, Option<NaiveDate>, u64, &BatchNo) {
    (batch.expiry.is_none(), batch.expiry, first_in, &batch.batch)
}

/// Takes `qty` units from the front of FIFO layers and returns their total cost; the layers
/// taken are appended to `taken` where the caller keeps them (transfers carry their cost).
fn take_layers(
    layers: &mut VecDeque<Layer>,
    mut qty: Qty,
    mut taken: Option<&mut VecDeque<Layer>>,
) -> Decimal {
    let mut cost = Decimal::ZERO;
    while qty > 0 {
        let Some(front) = layers.front_mut() else {
            break;
        };
        let n = front.qty.min(qty);
        cost += front.unit_cost * Decimal::from(n);
        if let Some(t) = taken.as_deref_mut() {
            t.push_back(Layer {
                qty: n,
                unit_cost: front.unit_cost,
            });
        }
        front.qty -= n;
        qty -= n;
        if front.qty == 0 {
            layers.pop_front();
        }
    }
    cost
}

fn same_or_conflict(same: bool, what: &'static str, id: &dyn std::fmt::Display) -> Result<()> {
    if same {
        Ok(())
    } else {
        Err(CoreError::AlreadyRegistered {
            what,
            id: id.to_string(),
        })
    }
}

/// Refuses a negative unit cost, or one above [`crate::MAX_AMOUNT`], on line `line`.
fn check_cost(cost: Decimal, line: usize) -> Result<()> {
    let field = || format!("lines[{line}].unit_cost");
    if cost.is_sign_negative() && !cost.is_zero() {
        return Err(CoreError::InvalidInput {
            field: field(),
            reason: format!("{cost} is negative"),
        });
    }
    if cost > crate::MAX_AMOUNT {
        return Err(CoreError::AmountOutOfRange {
            field: field(),
            reason: format!(
                "{cost} is above the largest unit cost, {}",
                crate::MAX_AMOUNT
            ),
        });
    }
    Ok(())
}

pub(crate) fn check_date(date: NaiveDate) -> Result<()> {
    use chrono::Datelike;
    if YEAR_RANGE.contains(&date.year()) {
        Ok(())
    } else {
        Err(CoreError::InvalidDate {
            input: date.to_string(),
            reason: "document dates must lie in the years 1970 to 2199".into(),
        })
    }
}

/// The chained hash of an event: SHA-256 over the previous hash, the schema, the sequence
/// number and the event's JSON (written into `buf`, reused between events).
fn chain_hash(prev: &str, schema: u32, seq: u64, event: &Event, buf: &mut Vec<u8>) -> String {
    use sha2::{Digest, Sha256};
    buf.clear();
    // Writing our own types to a Vec cannot fail (no maps with non-string keys).
    let _ = serde_json::to_writer(&mut *buf, event);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(schema.to_le_bytes());
    h.update(seq.to_le_bytes());
    h.update(&buf[..]);
    format!("{:x}", h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::movement::Line;
    use crate::product::{DosageForm, Schedule, StorageClass};

    fn ledger() -> Ledger {
        let mut l = Ledger::new();
        let id = |s: &str| s.to_string();
        l.register_location(Location {
            id: LocationId::new("S1").unwrap(),
            name: id("Store"),
        })
        .unwrap();
        l.register_product(Product {
            id: ProductId::new("P").unwrap(),
            name: id("Crocin"),
            generic_name: id("Paracetamol"),
            ingredients: vec![],
            form: DosageForm::Tablet,
            pack_size: 10,
            sold_loose: true,
            schedule: Schedule::Otc,
            tax_category: id("3004"),
            storage: StorageClass::Ambient,
        })
        .unwrap();
        l.register_batch(Batch {
            product: ProductId::new("P").unwrap(),
            batch: BatchNo::new("B").unwrap(),
            expiry: None,
            manufactured: None,
            unit_cost: Decimal::ONE,
            mrp: Decimal::TWO,
            supplier: None,
            status: BatchStatus::Released,
        })
        .unwrap();
        l
    }

    fn receipt(key: &str, qty: Qty) -> Posting {
        Posting {
            key: key.into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            reference: None,
            lines: vec![Line {
                movement: Movement::Receipt { unit_cost: None },
                product: ProductId::new("P").unwrap(),
                batch: BatchNo::new("B").unwrap(),
                location: LocationId::new("S1").unwrap(),
                qty,
            }],
        }
    }

    #[test]
    fn keys_whose_hashes_collide_stay_apart() {
        use std::hash::BuildHasher;
        let mut l = ledger();
        let a = l.post(receipt("a", 1)).unwrap();
        // Make "b" hash into the slot that holds "a": the lookup must compare the real keys.
        let slot_of_b = l.keys.hasher.hash_one("b");
        let entry_a = l.keys.get("a", &l.log, 0).unwrap();
        l.keys.by_hash.insert(slot_of_b, entry_a);
        let b = l.post(receipt("b", 2)).unwrap();
        assert_ne!(a.seq, b.seq);
        assert_eq!(l.keys.collided.len(), 1);
        assert_eq!(l.post(receipt("b", 2)).unwrap(), b);
        assert_eq!(l.post(receipt("a", 1)).unwrap(), a);
        assert!(matches!(
            l.post(receipt("b", 3)),
            Err(CoreError::IdempotencyConflict { .. })
        ));
        assert_eq!(l.cells[&(0, 0)].q.on_hand, 3);
    }
}
