//! Snapshots: the ledger's state at one sequence number, so that opening a stored ledger loads
//! the snapshot and replays only the events after it.
//!
//! A snapshot holds the catalog, every stock cell with its FIFO cost layers, reservations,
//! transfers in transit and moving averages, the sequence number and chained hash it was taken
//! at, and the digest of that state. [`Ledger::from_snapshot`] rebuilds the ledger and refuses
//! the snapshot unless the rebuilt state has that digest. The idempotency keys and history of
//! the events before a snapshot are not in it: they stay in the store that holds those events.
//!
//! The format is versioned ([`SNAPSHOT_FORMAT`]); a snapshot of another format is refused, and
//! the store then replays the full log instead.

use std::collections::VecDeque;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Qty;
use crate::batch::VvmStatus;
use crate::batch::{Batch, BatchStatus, Location};
use crate::error::{CoreError, Result};
use crate::ledger::{Cell, Layer, Ledger, MovingAverage, Qtys, Reservation, Transit, fefo_key};
use crate::product::Product;

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// A ledger's state after the events before `seq`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// [`SNAPSHOT_FORMAT`] when written.
    pub format: u32,
    /// The event schema of the log it was taken from.
    pub schema: u32,
    /// How many events it covers: the next event has this sequence number.
    pub seq: u64,
    /// The chained hash of the last event it covers.
    pub head: String,
    /// [`Ledger::digest`] of the state.
    pub digest: String,
    locations: Vec<Location>,
    products: Vec<Product>,
    /// Batches in registration order, with their status now.
    batches: Vec<(Batch, BatchStatus)>,
    cells: Vec<CellState>,
    reservations: Vec<(String, u32, u32, Qty)>,
    transits: Vec<TransitState>,
    averages: Vec<(u32, u32, Qty, Decimal)>,
    /// Batches whose dates an expiry change moved: (batch index, dates now).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    moved_dates: Vec<(u32, crate::batch::LotDates)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct CellState {
    location: u32,
    batch: u32,
    on_hand: Qty,
    reserved: Qty,
    quarantined: Qty,
    first_in: u64,
    layers: Vec<(Qty, Decimal)>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    held: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vvm: Option<VvmStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct TransitState {
    id: String,
    batch: u32,
    from: u32,
    to: u32,
    remaining: Qty,
    avg_cost: Decimal,
    layers: Vec<(Qty, Decimal)>,
}

fn layers_of(layers: &VecDeque<Layer>) -> Vec<(Qty, Decimal)> {
    layers.iter().map(|l| (l.qty, l.unit_cost)).collect()
}

fn to_layers(layers: Vec<(Qty, Decimal)>) -> VecDeque<Layer> {
    layers
        .into_iter()
        .map(|(qty, unit_cost)| Layer { qty, unit_cost })
        .collect()
}

impl Ledger {
    /// The state now, as a [`Snapshot`] at [`Ledger::next_seq`].
    pub fn snapshot(&self) -> Snapshot {
        let mut cells: Vec<CellState> = self
            .cells
            .iter()
            .map(|(&(location, batch), c)| CellState {
                location,
                batch,
                on_hand: c.q.on_hand,
                reserved: c.q.reserved,
                quarantined: c.q.quarantined,
                first_in: c.first_in,
                layers: layers_of(&c.layers),
                held: c.held,
                vvm: c.vvm.clone(),
            })
            .collect();
        cells.sort_by_key(|c| (c.location, c.batch));
        let mut reservations: Vec<_> = self
            .reservations
            .iter()
            .map(|(id, r)| (id.clone(), r.cell.0, r.cell.1, r.remaining))
            .collect();
        reservations.sort();
        let mut transits: Vec<_> = self
            .transits
            .iter()
            .map(|(id, t)| TransitState {
                id: id.clone(),
                batch: t.batch,
                from: t.from,
                to: t.to,
                remaining: t.remaining,
                avg_cost: t.avg_cost,
                layers: layers_of(&t.layers),
            })
            .collect();
        transits.sort_by(|a, b| a.id.cmp(&b.id));
        let mut averages: Vec<_> = self
            .averages
            .iter()
            .map(|(&(l, p), a)| (l, p, a.qty, a.unit_cost))
            .collect();
        averages.sort_by_key(|a| (a.0, a.1));
        Snapshot {
            format: SNAPSHOT_FORMAT,
            schema: crate::SCHEMA_VERSION,
            seq: self.next_seq(),
            head: self.head().to_string(),
            digest: self.digest(),
            locations: self.locations.clone(),
            products: self.products.iter().map(|p| p.product.clone()).collect(),
            batches: self
                .batches
                .iter()
                .map(|b| (b.batch.clone(), b.status))
                .collect(),
            cells,
            reservations,
            transits,
            averages,
            moved_dates: self
                .batches
                .iter()
                .enumerate()
                .filter(|(_, b)| b.dates != self.registered_dates(b))
                .map(|(i, b)| (i as u32, b.dates))
                .collect(),
        }
    }

    /// Rebuilds the ledger a snapshot was taken of. Refused (`CORRUPT_LOG`) when its format or
    /// schema is not this build's, an index points nowhere, or the rebuilt state's digest is
    /// not the one recorded in it.
    pub fn from_snapshot(snap: &Snapshot) -> Result<Ledger> {
        let bad = |reason: String| CoreError::CorruptLog {
            seq: snap.seq,
            reason: format!("snapshot: {reason}"),
        };
        if snap.format != SNAPSHOT_FORMAT {
            return Err(bad(format!(
                "format {} (this build reads {SNAPSHOT_FORMAT})",
                snap.format
            )));
        }
        if snap.schema != crate::SCHEMA_VERSION {
            return Err(CoreError::UnsupportedSchema {
                found: snap.schema,
                supported: crate::SCHEMA_VERSION,
            });
        }
        let mut l = Ledger::new();
        for x in &snap.locations {
            l.register_location(x.clone())
                .map_err(|e| bad(e.to_string()))?;
        }
        for x in &snap.products {
            l.register_product(x.clone())
                .map_err(|e| bad(e.to_string()))?;
        }
        for (b, status) in &snap.batches {
            l.register_batch(b.clone())
                .map_err(|e| bad(e.to_string()))?;
            if let Some(e) = l.batches.last_mut() {
                e.status = *status;
            }
        }
        let (nl, nb, np) = (l.locations.len(), l.batches.len(), l.products.len());
        for (b, dates) in &snap.moved_dates {
            let entry = l
                .batches
                .get_mut(*b as usize)
                .ok_or_else(|| bad(format!("moved dates of batch {b} out of range")))?;
            entry.dates = *dates;
        }
        let cell_ok = |loc: u32, batch: u32| (loc as usize) < nl && (batch as usize) < nb;
        for c in &snap.cells {
            if !cell_ok(c.location, c.batch) {
                return Err(bad(format!(
                    "cell ({}, {}) out of range",
                    c.location, c.batch
                )));
            }
            l.cells.insert(
                (c.location, c.batch),
                Cell {
                    q: Qtys {
                        on_hand: c.on_hand,
                        reserved: c.reserved,
                        quarantined: c.quarantined,
                    },
                    layers: to_layers(c.layers.clone()),
                    first_in: c.first_in,
                    held: c.held,
                    vvm: c.vvm.clone(),
                },
            );
            l.vvm_seen |= c.vvm.is_some();
        }
        for (id, loc, batch, remaining) in &snap.reservations {
            if !cell_ok(*loc, *batch) {
                return Err(bad(format!("reservation {id} out of range")));
            }
            l.reservations.insert(
                id.clone(),
                Reservation {
                    cell: (*loc, *batch),
                    remaining: *remaining,
                },
            );
        }
        for t in &snap.transits {
            if !cell_ok(t.from, t.batch) || (t.to as usize) >= nl {
                return Err(bad(format!("transit {} out of range", t.id)));
            }
            l.transits.insert(
                t.id.clone(),
                Transit {
                    batch: t.batch,
                    from: t.from,
                    to: t.to,
                    remaining: t.remaining,
                    layers: to_layers(t.layers.clone()),
                    avg_cost: t.avg_cost,
                },
            );
        }
        for &(loc, p, qty, unit_cost) in &snap.averages {
            if (loc as usize) >= nl || (p as usize) >= np {
                return Err(bad(format!("moving average ({loc}, {p}) out of range")));
            }
            l.averages
                .insert((loc, p), MovingAverage { qty, unit_cost });
        }
        // FEFO order of the batches stocked at each (product, location).
        let mut keys: Vec<(u32, u32)> = l.cells.keys().copied().collect();
        keys.sort_unstable();
        for (loc, batch) in keys {
            let product = l.batches[batch as usize].product;
            l.stocked.entry((product, loc)).or_default().push(batch);
        }
        let mut stocked = std::mem::take(&mut l.stocked);
        for ((_, loc), order) in stocked.iter_mut() {
            order.sort_by(|&a, &b| {
                let ka = fefo_key(&l.batches[a as usize], l.cells[&(*loc, a)].first_in);
                let kb = fefo_key(&l.batches[b as usize], l.cells[&(*loc, b)].first_in);
                ka.cmp(&kb)
            });
        }
        l.stocked = stocked;
        // The registrations above logged events of their own: the snapshot's log is elsewhere.
        l.rebase(snap.seq, snap.head.clone());
        if l.digest() != snap.digest {
            return Err(bad(
                "its state does not have the digest recorded in it (edited or damaged)".into(),
            ));
        }
        Ok(l)
    }
}
