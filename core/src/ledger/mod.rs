//! The append-only stock ledger: registrations, postings, batch status changes, the event log
//! and the state derived from it. A posting is checked in full against a small overlay of the
//! quantities it touches before anything changes, so it is applied entirely or not at all.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::batch::{Batch, BatchStatus, Location, LotDates, VvmStatus};
use crate::dates::{YEAR_RANGE, is_expired};
use crate::error::{CoreError, Result};
use crate::fefo::{Allocation, DispenseRequest};
use crate::hash::IndexMap;
use crate::ids::{BatchNo, LocationId, ProductId, validate_id};
use crate::movement::{LineOutcome, Movement, Posting, PostingResult, StatusChange};
use crate::product::Product;
use crate::{MAX_LINES, MAX_QTY, Qty};

mod apply;
mod check;
mod event;
mod idempotency;

use check::*;
pub use event::{Event, EventEnvelope};
use idempotency::*;

/// The event schema version this build writes and the only one it reads (2: envelopes carry a
/// chained hash; version 1 logs, from before the chain, are refused).
pub const SCHEMA_VERSION: u32 = 2;

/// Decimal places kept in a moving average unit cost (rounded half-even, trailing zeros dropped).
pub const AVG_COST_DP: u32 = 6;

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
    /// Held at this location only (a per-location quarantine of the batch).
    pub held: bool,
    /// The stock line's VVM reading.
    pub vvm: Option<VvmStatus>,
}

impl Cell {
    pub(crate) fn new(first_in: u64) -> Self {
        Cell {
            q: Qtys::default(),
            layers: VecDeque::new(),
            first_in,
            held: false,
            vvm: None,
        }
    }

    /// The status this stock line has: the batch's, or `quarantined` when it is held here or
    /// its VVM stage is unusable.
    pub(crate) fn status(&self, batch: BatchStatus) -> BatchStatus {
        if batch == BatchStatus::Released
            && (self.held || self.vvm.as_ref().is_some_and(|v| v.unusable))
        {
            BatchStatus::Quarantined
        } else {
            batch
        }
    }
}

pub(crate) struct ProductEntry {
    pub product: Product,
    pub batches: HashMap<BatchNo, u32>,
}

pub(crate) struct BatchEntry {
    pub batch: Batch,
    /// Its dates as used: registered or derived, moved by expiry changes.
    pub dates: LotDates,
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
    /// Whether any stock line ever had a VVM reading (FEFO then orders by VVM level).
    pub(crate) vvm_seen: bool,
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
        let dates = LotDates::of(
            &batch,
            self.products[p as usize].product.shelf_life.as_ref(),
        );
        for d in [dates.expiry, dates.use_by, dates.removal, dates.alert]
            .into_iter()
            .flatten()
        {
            check_date(d).map_err(|_| CoreError::InvalidDate {
                input: d.to_string(),
                reason: format!(
                    "the dates of batch {} of {} (from the product's shelf life) must lie in the years 1970 to 2199",
                    batch.batch, batch.product
                ),
            })?;
        }
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
            dates,
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
        if posting.lines.is_empty() {
            validate_id("idempotency key", &posting.key)?;
            if let Some(r) = &posting.reference {
                validate_id("reference", r)?;
            }
            check_date(posting.date)?;
            return Err(CoreError::InvalidInput {
                field: format!("lines of posting {}", posting.key),
                reason: format!("0 lines; a posting has 1 to {MAX_LINES}"),
            });
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
        // With `allow_partial`, nothing left is an empty allocation (as `allocate` answers),
        // recorded under the key so that a retry answers the same; without it, a refusal.
        if allocation.picks.is_empty() && !request.policy.allow_partial {
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

    /// Changes a batch's status everywhere (quarantine, release, or recall, which is final), or
    /// one stock line's: a hold at one location, its lifting, a VVM reading.
    pub fn set_batch_status(&mut self, change: StatusChange) -> Result<u64> {
        if let Some(entry) = self.key_entry(&change.key) {
            return match &self.event_at(entry.log)?.event {
                Event::BatchStatusChanged { change: first } if **first == change => Ok(entry.log),
                _ => Err(CoreError::IdempotencyConflict { key: change.key }),
            };
        }
        validate_id("idempotency key", &change.key)?;
        check_date(change.date)?;
        let b = self.batch_index(&change.product, &change.batch)?;
        let current = self.batches[b as usize].status;
        let bad = |field: &str, reason: String| CoreError::InvalidInput {
            field: field.to_string(),
            reason,
        };
        match &change.location {
            None => {
                if change.status.is_none() && change.expiry.is_none() {
                    return Err(bad(
                        "status",
                        "a change of a whole batch needs `status`, `expiry` or both".into(),
                    ));
                }
                if change.vvm.is_some() {
                    return Err(bad(
                        "vvm",
                        "a VVM reading is of a stock line: give its `location`".into(),
                    ));
                }
                if current == BatchStatus::Recalled
                    && change.status.is_some_and(|s| s != BatchStatus::Recalled)
                {
                    return Err(CoreError::BatchBlocked {
                        product: change.product,
                        batch: change.batch,
                        status: current,
                        action: "released from a recall",
                    });
                }
                let dates = match change.expiry {
                    Some(new) => Some(self.moved_dates(b, new)?),
                    None => None,
                };
                if let Some(status) = change.status {
                    self.journal(|| crate::journal::Undo::Status(b, current));
                    self.batches[b as usize].status = status;
                }
                if let Some(dates) = dates {
                    let old = self.batches[b as usize].dates;
                    self.journal(|| crate::journal::Undo::Dates(b, old));
                    self.batches[b as usize].dates = dates;
                    self.reorder_fefo(self.batches[b as usize].product);
                }
            }
            Some(location) => {
                let l = self.location_index(location)?;
                if change.status.is_none() && change.vvm.is_none() {
                    return Err(bad(
                        "status",
                        "a stock line change needs `status`, `vvm` or both".into(),
                    ));
                }
                if change.status == Some(BatchStatus::Recalled) {
                    return Err(bad(
                        "status",
                        "a recall is for the whole batch: give no `location`".into(),
                    ));
                }
                if change.expiry.is_some() {
                    return Err(bad(
                        "expiry",
                        "an expiry is the batch's, everywhere: give no `location`".into(),
                    ));
                }
                if let Some(v) = &change.vvm {
                    if !(1..=crate::batch::MAX_VVM_LEVEL).contains(&v.level) {
                        return Err(bad(
                            "vvm.level",
                            format!(
                                "{}; a VVM stage level is 1 to {}",
                                v.level,
                                crate::batch::MAX_VVM_LEVEL
                            ),
                        ));
                    }
                    if let Some(code) = &v.code {
                        validate_id("vvm.code", code)?;
                    }
                }
                let Some(cell) = self.cells.get(&(l, b)) else {
                    return Err(bad(
                        "location",
                        format!(
                            "batch {} of {} has no stock line at {location}",
                            change.batch, change.product
                        ),
                    ));
                };
                let old = cell.clone();
                self.journal(|| crate::journal::Undo::Cell((l, b), Some(old)));
                let cell = self.cell_mut((l, b));
                if let Some(status) = change.status {
                    cell.held = status == BatchStatus::Quarantined;
                }
                if let Some(v) = &change.vvm {
                    cell.vvm = Some(v.clone());
                    self.vvm_seen = true;
                }
            }
        }
        let seq = self.next_seq();
        self.keys.insert(
            &change.key,
            KeyEntry {
                log: seq,
                outcomes: NO_OUTCOMES,
            },
        );
        self.push_event(Event::BatchStatusChanged {
            change: Box::new(change),
        });
        Ok(seq)
    }
}

impl Ledger {
    /// A batch's dates as its registration and its product's shelf life give them.
    pub(crate) fn registered_dates(&self, entry: &BatchEntry) -> LotDates {
        LotDates::of(
            &entry.batch,
            self.products[entry.product as usize]
                .product
                .shelf_life
                .as_ref(),
        )
    }

    /// The dates of batch `b` with its expiry moved to `new` and the others kept at their
    /// offsets; refused outside the ledger's years.
    fn moved_dates(&self, b: u32, new: NaiveDate) -> Result<LotDates> {
        check_date(new)?;
        let old = self.batches[b as usize].dates;
        let dates = match old.expiry {
            Some(e) => LotDates {
                expiry: Some(new),
                ..old.shifted((new - e).num_days())
            },
            None => LotDates {
                expiry: Some(new),
                ..old
            },
        };
        for d in [dates.use_by, dates.removal, dates.alert]
            .into_iter()
            .flatten()
        {
            check_date(d).map_err(|_| CoreError::InvalidInput {
                field: "expiry".into(),
                reason: format!(
                    "moving the expiry to {new} would put a batch date at {d}, outside 1970 to 2199"
                ),
            })?;
        }
        Ok(dates)
    }

    /// Puts every FEFO order of a product back in order after a batch's dates moved.
    fn reorder_fefo(&mut self, product: u32) {
        let keys: Vec<(u32, u32)> = self
            .stocked
            .keys()
            .filter(|(p, _)| *p == product)
            .copied()
            .collect();
        for key in keys {
            let Some(order) = self.stocked.get(&key) else {
                continue;
            };
            let old = order.clone();
            let mut new = old.clone();
            let loc = key.1;
            new.sort_by(|&a, &b| {
                let ka = fefo_key(&self.batches[a as usize], self.cells[&(loc, a)].first_in);
                let kb = fefo_key(&self.batches[b as usize], self.cells[&(loc, b)].first_in);
                ka.cmp(&kb)
            });
            if new != old {
                self.journal(|| crate::journal::Undo::Stocked(key, Some(old)));
                self.stocked.insert(key, new);
            }
        }
    }
}

use crate::movement::Line;

/// The FEFO sort key of a batch at a location: removal date where set, else expiry (none
/// last), then receipt order (the sequence number of the first stock into that cell), then
/// batch number.
pub(crate) fn fefo_key(
    entry: &BatchEntry,
    first_in: u64,
) -> (bool, Option<NaiveDate>, u64, &BatchNo) {
    let date = entry.dates.fefo_date();
    (date.is_none(), date, first_in, &entry.batch.batch)
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
            priority: None,
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
            shelf_life: None,
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
            pack_size: None,
            use_by: None,
            removal: None,
            alert: None,
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
                movement: Movement::Receipt {
                    unit_cost: None,
                    accept_expired: false,
                },
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
