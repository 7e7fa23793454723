//! Undoing writes that a store could not commit, and handing old events over to a store.
//!
//! A store applies a group of writes to the ledger in memory, then commits their events in one
//! transaction. Between [`Ledger::begin`] and [`Ledger::commit`] every change is journalled, so
//! that when the commit fails [`Ledger::rollback`] puts the ledger back exactly as it was: same
//! digest, same event count, same idempotency keys.

use crate::batch::BatchStatus;
use crate::ledger::{Cell, Ledger, MovingAverage, Reservation, Transit};
use crate::movement::{Movement, Posting};

/// One change, and how to take it back.
pub(crate) enum Undo {
    /// An event was appended: pop it, cut the line outcomes back to this length and forget
    /// its idempotency key.
    Event {
        outcomes: usize,
        key: Option<String>,
    },
    /// The last location, product or batch was registered.
    Location,
    Product,
    Batch,
    /// A batch's status before a change.
    Status(u32, BatchStatus),
    /// A batch's dates before an expiry change.
    Dates(u32, crate::batch::LotDates),
    /// A cell, moving average or FEFO order as it was (`None`: absent).
    Cell((u32, u32), Option<Cell>),
    Average((u32, u32), Option<MovingAverage>),
    Stocked((u32, u32), Option<Vec<u32>>),
    /// How many moves a batch had.
    Moves(u32, usize),
    Reservation(String, Option<Reservation>),
    Transit(String, Option<Transit>),
    /// How many postings a document reference had.
    Reference(String, usize),
}

impl Ledger {
    /// Opens a group of writes: until [`Ledger::commit`] or [`Ledger::rollback`], every change
    /// is journalled so that it can be undone. Opening again while open keeps the open group.
    pub fn begin(&mut self) {
        self.journal.get_or_insert_with(Vec::new);
    }

    /// Keeps every change since [`Ledger::begin`].
    pub fn commit(&mut self) {
        self.journal = None;
    }

    /// Whether a group of writes is open.
    pub fn in_group(&self) -> bool {
        self.journal.is_some()
    }

    /// Undoes every change since [`Ledger::begin`], newest first: the ledger is exactly as it
    /// was (state, digest, events, idempotency keys).
    pub fn rollback(&mut self) {
        let Some(mut journal) = self.journal.take() else {
            return;
        };
        while let Some(undo) = journal.pop() {
            match undo {
                Undo::Event { outcomes, key } => {
                    let seq = self.next_seq().saturating_sub(1);
                    self.log.pop();
                    self.outcomes.truncate(outcomes);
                    if let Some(k) = key {
                        self.keys.remove(&k, seq);
                    }
                }
                Undo::Location => {
                    if let Some(l) = self.locations.pop() {
                        self.location_idx.remove(&l.id);
                    }
                }
                Undo::Product => {
                    if let Some(p) = self.products.pop() {
                        self.product_idx.remove(&p.product.id);
                    }
                }
                Undo::Batch => {
                    if let Some(b) = self.batches.pop()
                        && let Some(p) = self.products.get_mut(b.product as usize)
                    {
                        p.batches.remove(&b.batch.batch);
                    }
                }
                Undo::Status(b, status) => {
                    if let Some(e) = self.batches.get_mut(b as usize) {
                        e.status = status;
                    }
                }
                Undo::Dates(b, dates) => {
                    if let Some(e) = self.batches.get_mut(b as usize) {
                        e.dates = dates;
                    }
                }
                Undo::Cell(k, v) => restore(&mut self.cells, k, v),
                Undo::Average(k, v) => restore(&mut self.averages, k, v),
                Undo::Stocked(k, v) => restore(&mut self.stocked, k, v),
                Undo::Moves(b, n) => {
                    if let Some(e) = self.batches.get_mut(b as usize) {
                        e.moves.truncate(n);
                    }
                }
                Undo::Reservation(k, v) => restore(&mut self.reservations, k, v),
                Undo::Transit(k, v) => restore(&mut self.transits, k, v),
                Undo::Reference(r, 0) => {
                    self.by_reference.remove(&r);
                }
                Undo::Reference(r, n) => {
                    if let Some(v) = self.by_reference.get_mut(&r) {
                        v.truncate(n);
                    }
                }
            }
        }
    }

    /// Records a change while a group is open.
    pub(crate) fn journal(&mut self, undo: impl FnOnce() -> Undo) {
        if let Some(j) = &mut self.journal {
            j.push(undo());
        }
    }

    /// Records everything a checked posting's apply will touch, before it touches it.
    pub(crate) fn journal_posting(
        &mut self,
        posting: &Posting,
        resolved: &[crate::ledger::Resolved],
    ) {
        let mut undo = Vec::with_capacity(resolved.len() * 4 + 1);
        for (line, r) in posting.lines.iter().zip(resolved) {
            let cell = (r.loc, r.batch);
            let avg = (r.loc, r.product);
            undo.push(Undo::Cell(cell, self.cells.get(&cell).cloned()));
            undo.push(Undo::Average(avg, self.averages.get(&avg).copied()));
            let order = (r.product, r.loc);
            undo.push(Undo::Stocked(order, self.stocked.get(&order).cloned()));
            undo.push(Undo::Moves(
                r.batch,
                self.batches[r.batch as usize].moves.len(),
            ));
            match &line.movement {
                Movement::Reserve { reservation }
                | Movement::ReleaseReservation { reservation }
                | Movement::Dispense {
                    reservation: Some(reservation),
                } => undo.push(Undo::Reservation(
                    reservation.clone(),
                    self.reservations.get(reservation).cloned(),
                )),
                Movement::TransferOut { transfer, .. } | Movement::TransferIn { transfer } => undo
                    .push(Undo::Transit(
                        transfer.clone(),
                        self.transits.get(transfer).cloned(),
                    )),
                _ => {}
            }
        }
        if let Some(r) = &posting.reference {
            let n = self.by_reference.get(r).map_or(0, Vec::len);
            undo.push(Undo::Reference(r.clone(), n));
        }
        if let Some(j) = &mut self.journal {
            j.extend(undo);
        }
    }

    /// Drops the events before `seq` from memory, with everything that points at them (their
    /// idempotency keys, line outcomes, moves and document references): what a store does once
    /// they are durable there, so that memory stays bounded. Their effect on stock stays; the
    /// store answers idempotency and history queries about them. Does nothing while a group of
    /// writes is open.
    pub fn forget_before(&mut self, seq: u64) {
        if self.journal.is_some() || seq <= self.base {
            return;
        }
        let cut = (seq.min(self.next_seq()) - self.base) as usize;
        if cut == 0 {
            return;
        }
        let lines: usize = self.log[..cut]
            .iter()
            .filter_map(|e| e.event.posting().map(|p| p.lines.len()))
            .sum();
        self.base_head = self.log[cut - 1].hash.clone();
        self.log.drain(..cut);
        self.base += cut as u64;
        let lines = lines.min(self.outcomes.len());
        self.outcomes.drain(..lines);
        self.outcomes_base += lines as u64;
        let base = self.base;
        self.keys.forget_before(base);
        for b in &mut self.batches {
            let n = b.moves.partition_point(|&(s, _)| s < base);
            b.moves.drain(..n);
        }
        self.by_reference.retain(|_, v| {
            v.retain(|&s| s >= base);
            !v.is_empty()
        });
    }

    /// Forgets the whole log in memory and states that the next event has sequence number
    /// `seq` and follows the event whose hash is `head` (a ledger rebuilt from a snapshot).
    pub(crate) fn rebase(&mut self, seq: u64, head: String) {
        self.log.clear();
        self.base = seq;
        self.base_head = head;
        self.keys = Default::default();
        self.outcomes.clear();
        self.outcomes_base = 0;
        for b in &mut self.batches {
            b.moves.clear();
        }
        self.by_reference.clear();
    }

    /// Events in memory from `seq` on.
    pub fn events_since(&self, seq: u64) -> &[crate::EventEnvelope] {
        let start = usize::try_from(seq.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.log.len());
        &self.log[start..]
    }
}

fn restore<K: std::hash::Hash + Eq, V, S: std::hash::BuildHasher>(
    map: &mut std::collections::HashMap<K, V, S>,
    key: K,
    value: Option<V>,
) {
    match value {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}
