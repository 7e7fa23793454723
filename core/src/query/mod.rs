//! Read side of the ledger: stock by product, location and batch; stock as of a past date;
//! stock cards; expiry buckets; valuation (FIFO layers and moving average); traceability.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Qty;
use crate::batch::BatchStatus;
use crate::dates::remaining_shelf_life_days;
use crate::error::{CoreError, Result};
use crate::ids::{BatchNo, LocationId, ProductId};
use crate::ledger::{Cell, EventEnvelope, Ledger};
use crate::movement::{MovementKind, Posting};

mod expiry;
mod valuation;

pub use expiry::{ExpiryBucket, ExpiryRow, LotAlert, LotAlerts};
pub use valuation::{CostLayer, Valuation, ValuationRow};

/// Which stock to report; `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StockFilter {
    /// Only this product.
    #[serde(default)]
    pub product: Option<ProductId>,
    /// Only this location.
    #[serde(default)]
    pub location: Option<LocationId>,
    /// Only this batch (needs `product`).
    #[serde(default)]
    pub batch: Option<BatchNo>,
}

/// Stock of one batch at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StockRow {
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// The location.
    pub location: LocationId,
    /// Its expiry.
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
    /// Its status here: the batch's, or `quarantined` when the line is held at this location
    /// or its VVM stage is unusable.
    pub status: BatchStatus,
    /// Held at this location only (a per-location quarantine).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
    /// The line's VVM reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vvm: Option<crate::batch::VvmStatus>,
    /// Physically there.
    pub on_hand: Qty,
    /// Held for reservations.
    pub reserved: Qty,
    /// Quarantined here, or everything unreserved when the line is quarantined or recalled.
    pub blocked: Qty,
    /// `on_hand - reserved - blocked` (expiry is judged by allocation at a date, not here).
    pub available: Qty,
}

/// Sums over the rows a filter selects, plus stock in transit towards them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StockTotals {
    /// Physically there.
    pub on_hand: Qty,
    /// Held for reservations.
    pub reserved: Qty,
    /// Blocked.
    pub blocked: Qty,
    /// Free to sell.
    pub available: Qty,
    /// Sent from elsewhere and not yet received.
    pub in_transit: Qty,
}

/// On hand of one batch at one location at a past date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AsOfRow {
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// The location.
    pub location: LocationId,
    /// On hand at the end of that day.
    pub on_hand: Qty,
}

/// One line of a stock card (movement history) with the running balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MovementEntry {
    /// Event sequence number.
    pub seq: u64,
    /// Document date.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// Idempotency key of the posting.
    pub key: String,
    /// Document reference.
    pub reference: Option<String>,
    /// Movement kind.
    pub movement: MovementKind,
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// The location.
    pub location: LocationId,
    /// The line's quantity, whatever its direction (a reservation's or quarantine's too).
    pub qty: Qty,
    /// Units in (0 for movements that do not change on hand).
    pub qty_in: Qty,
    /// Units out.
    pub qty_out: Qty,
    /// On hand of the card's scope after this line.
    pub balance: Qty,
}

/// One line of a document: everything it did to one batch at one location with one kind of
/// movement, summed over every posting under the document's reference. Dispensing more for a
/// prescription adds to its line of the same batch instead of a parallel line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentLine {
    /// Movement kind.
    pub movement: MovementKind,
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// The location.
    pub location: LocationId,
    /// Units, summed.
    pub qty: Qty,
    /// The idempotency keys of the postings that contributed, in log order.
    pub keys: Vec<String>,
    /// Sequence number of the last posting that contributed.
    pub last_seq: u64,
}

/// A document's lines merged per (movement, product, batch, location), in the order each
/// first appeared.
pub fn document_lines(entries: &[MovementEntry]) -> Result<Vec<DocumentLine>> {
    let mut lines: Vec<DocumentLine> = Vec::new();
    let mut at: std::collections::HashMap<
        (MovementKind, &ProductId, &BatchNo, &LocationId),
        usize,
    > = std::collections::HashMap::new();
    for e in entries {
        let k = (e.movement, &e.product, &e.batch, &e.location);
        match at.get(&k) {
            Some(&i) => {
                let d = &mut lines[i];
                d.qty = add_qty(d.qty, e.qty, "document line qty")?;
                if d.keys.last() != Some(&e.key) {
                    d.keys.push(e.key.clone());
                }
                d.last_seq = e.seq;
            }
            None => {
                at.insert(k, lines.len());
                lines.push(DocumentLine {
                    movement: e.movement,
                    product: e.product.clone(),
                    batch: e.batch.clone(),
                    location: e.location.clone(),
                    qty: e.qty,
                    keys: vec![e.key.clone()],
                    last_seq: e.seq,
                });
            }
        }
    }
    Ok(lines)
}

/// Where a batch came from and everywhere it went: what a recall needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchTrace {
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// Expiry.
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
    /// Current status.
    pub status: BatchStatus,
    /// Supplier on the batch record.
    pub supplier: Option<String>,
    /// Receipts from suppliers.
    pub receipts: Vec<MovementEntry>,
    /// Dispenses to patients, with their document references.
    pub dispenses: Vec<MovementEntry>,
    /// Every other movement (returns, transfers, adjustments, reservations).
    pub other: Vec<MovementEntry>,
    /// Where stock of it is now.
    pub on_hand: Vec<StockRow>,
}

impl Ledger {
    fn filter_indices(&self, f: &StockFilter) -> Result<(Option<u32>, Option<u32>, Option<u32>)> {
        let p = f
            .product
            .as_ref()
            .map(|p| self.product_index(p))
            .transpose()?;
        let l = f
            .location
            .as_ref()
            .map(|l| self.location_index(l))
            .transpose()?;
        let b = match (&f.batch, &f.product) {
            (Some(b), Some(p)) => Some(self.batch_index(p, b)?),
            (Some(_), None) => {
                return Err(CoreError::InvalidInput {
                    field: "stock filter".into(),
                    reason: "a batch filter needs a product".into(),
                });
            }
            _ => None,
        };
        Ok((p, l, b))
    }

    fn row(&self, loc: u32, batch: u32, c: &Cell) -> StockRow {
        let entry = &self.batches[batch as usize];
        let status = c.status(entry.status);
        let blocked = if status == BatchStatus::Released {
            c.q.quarantined
        } else {
            c.q.on_hand - c.q.reserved
        };
        StockRow {
            product: entry.batch.product.clone(),
            batch: entry.batch.batch.clone(),
            location: self.locations[loc as usize].id.clone(),
            expiry: entry.dates.expiry,
            status,
            held: c.held,
            vvm: c.vvm.clone(),
            on_hand: c.q.on_hand,
            reserved: c.q.reserved,
            blocked,
            available: c.q.on_hand - c.q.reserved - blocked,
        }
    }

    /// Rows of the cells with stock on hand that match already-resolved filter indices.
    fn rows_matching(
        &self,
        (p, l, b): (Option<u32>, Option<u32>, Option<u32>),
    ) -> impl Iterator<Item = StockRow> + '_ {
        self.cells
            .iter()
            .filter(move |&(&(loc, batch), c)| {
                c.q.on_hand > 0
                    && l.is_none_or(|x| x == loc)
                    && b.is_none_or(|x| x == batch)
                    && p.is_none_or(|x| x == self.batches[batch as usize].product)
            })
            .map(|(&(loc, batch), c)| self.row(loc, batch, c))
    }

    /// Stock rows (batch × location with stock on hand), by product, location, expiry, batch.
    pub fn stock(&self, filter: &StockFilter) -> Result<Vec<StockRow>> {
        let mut rows: Vec<StockRow> = self.rows_matching(self.filter_indices(filter)?).collect();
        rows.sort_by(|a, b| {
            (
                &a.product,
                &a.location,
                a.expiry.is_none(),
                a.expiry,
                &a.batch,
            )
                .cmp(&(
                    &b.product,
                    &b.location,
                    b.expiry.is_none(),
                    b.expiry,
                    &b.batch,
                ))
        });
        Ok(rows)
    }

    /// Totals for a filter, with stock in transit towards the filtered location.
    pub fn stock_totals(&self, filter: &StockFilter) -> Result<StockTotals> {
        let (p, l, b) = self.filter_indices(filter)?;
        let mut t = StockTotals::default();
        for r in self.rows_matching((p, l, b)) {
            t.on_hand = add_qty(t.on_hand, r.on_hand, "on_hand")?;
            t.reserved = add_qty(t.reserved, r.reserved, "reserved")?;
            t.blocked = add_qty(t.blocked, r.blocked, "blocked")?;
            t.available = add_qty(t.available, r.available, "available")?;
        }
        for tr in self.transits.values().filter(|tr| {
            l.is_none_or(|x| x == tr.to)
                && b.is_none_or(|x| x == tr.batch)
                && p.is_none_or(|x| x == self.batches[tr.batch as usize].product)
        }) {
            t.in_transit = add_qty(t.in_transit, tr.remaining, "in_transit")?;
        }
        Ok(t)
    }

    /// The postings of `older` (events a store holds, before those in memory) and then of the
    /// log in memory.
    fn postings<'a>(
        &'a self,
        older: &'a [EventEnvelope],
    ) -> impl Iterator<Item = (u64, &'a Posting)> {
        older
            .iter()
            .filter(|e| e.seq < self.base)
            .chain(self.log.iter())
            .filter_map(|e| Some((e.seq, e.event.posting()?)))
    }

    fn posting_at(&self, seq: u64) -> Option<&Posting> {
        self.event(seq)?.event.posting()
    }

    /// On hand at the end of `date`, counting every posting dated on or before it (backdated
    /// postings included), whatever order they were posted in.
    pub fn stock_as_of(&self, date: NaiveDate, filter: &StockFilter) -> Result<Vec<AsOfRow>> {
        self.stock_as_of_with(&[], date, filter)
    }

    /// [`Ledger::stock_as_of`] over the events in memory and `older`, the events before them
    /// that a store holds (see [`Ledger::forget_before`]).
    pub fn stock_as_of_with(
        &self,
        older: &[EventEnvelope],
        date: NaiveDate,
        filter: &StockFilter,
    ) -> Result<Vec<AsOfRow>> {
        self.filter_indices(filter)?;
        let mut acc: BTreeMap<(&ProductId, &LocationId, &BatchNo), Qty> = BTreeMap::new();
        for (_, posting) in self.postings(older).filter(|(_, p)| p.date <= date) {
            for line in &posting.lines {
                let keep = filter.product.as_ref().is_none_or(|x| *x == line.product)
                    && filter.location.as_ref().is_none_or(|x| *x == line.location)
                    && filter.batch.as_ref().is_none_or(|x| *x == line.batch);
                if keep {
                    let q = acc
                        .entry((&line.product, &line.location, &line.batch))
                        .or_default();
                    *q = add_qty(*q, line.movement.on_hand_sign() * line.qty, "on_hand")?;
                }
            }
        }
        Ok(acc
            .into_iter()
            .filter(|(_, q)| *q != 0)
            .map(|((p, l, b), q)| AsOfRow {
                product: p.clone(),
                batch: b.clone(),
                location: l.clone(),
                on_hand: q,
            })
            .collect())
    }

    /// Movement history of a product (optionally one location and/or batch), oldest first,
    /// with the running on-hand balance of that scope.
    pub fn stock_card(&self, filter: &StockFilter) -> Result<Vec<MovementEntry>> {
        self.stock_card_with(&[], filter)
    }

    /// [`Ledger::stock_card`] over the events in memory and `older`, the events before them
    /// that a store holds.
    pub fn stock_card_with(
        &self,
        older: &[EventEnvelope],
        filter: &StockFilter,
    ) -> Result<Vec<MovementEntry>> {
        let (p, l, b) = self.filter_indices(filter)?;
        let p = p.ok_or_else(|| CoreError::InvalidInput {
            field: "stock card".into(),
            reason: "needs a product".into(),
        })?;
        let mut out = self.older_entries(older, |_, ln| {
            filter.product.as_ref() == Some(&ln.product)
                && filter.batch.as_ref().is_none_or(|x| *x == ln.batch)
                && filter.location.as_ref().is_none_or(|x| *x == ln.location)
        });
        let mut refs: Vec<(u64, u32)> = self.products[p as usize]
            .batches
            .values()
            .filter(|&&x| b.is_none_or(|y| y == x))
            .flat_map(|&x| self.batches[x as usize].moves.iter().copied())
            .collect();
        refs.sort_unstable();
        for (log, line) in refs {
            let Some(entry) = self.movement_entry(log, line) else {
                continue;
            };
            if l.is_none_or(|x| self.locations[x as usize].id == entry.location) {
                out.push(entry);
            }
        }
        with_running_balance(out)
    }

    /// The lines of `older`'s postings (before the events in memory) that `keep` keeps, as
    /// movement entries, oldest first.
    fn older_entries(
        &self,
        older: &[EventEnvelope],
        keep: impl Fn(&Posting, &crate::movement::Line) -> bool,
    ) -> Vec<MovementEntry> {
        let mut out = Vec::new();
        for env in older.iter().filter(|e| e.seq < self.base) {
            let Some(posting) = env.event.posting() else {
                continue;
            };
            for (i, ln) in posting.lines.iter().enumerate() {
                if keep(posting, ln)
                    && let Some(e) = entry_of(env.seq, posting, i as u32)
                {
                    out.push(e);
                }
            }
        }
        out.sort_by_key(|e| e.seq);
        out
    }

    /// One posted line as a movement entry (balance 0; see [`with_running_balance`]).
    fn movement_entry(&self, seq: u64, line: u32) -> Option<MovementEntry> {
        entry_of(seq, self.posting_at(seq)?, line)
    }

    /// A batch's history: its receipts, every dispense (with document references) and the rest.
    pub fn trace_batch(&self, product: &ProductId, batch: &BatchNo) -> Result<BatchTrace> {
        self.trace_batch_with(&[], product, batch)
    }

    /// [`Ledger::trace_batch`] over the events in memory and `older`, the events before them
    /// that a store holds.
    pub fn trace_batch_with(
        &self,
        older: &[EventEnvelope],
        product: &ProductId,
        batch: &BatchNo,
    ) -> Result<BatchTrace> {
        let b = self.batch_index(product, batch)?;
        let entry = &self.batches[b as usize];
        let (mut receipts, mut dispenses, mut other) = (Vec::new(), Vec::new(), Vec::new());
        let mut moves =
            self.older_entries(older, |_, ln| ln.product == *product && ln.batch == *batch);
        moves.extend(
            entry
                .moves
                .iter()
                .filter_map(|&(log, line)| self.movement_entry(log, line)),
        );
        for m in with_running_balance(moves)? {
            match m.movement {
                MovementKind::Receipt => receipts.push(m),
                MovementKind::Dispense => dispenses.push(m),
                _ => other.push(m),
            }
        }
        Ok(BatchTrace {
            product: product.clone(),
            batch: batch.clone(),
            expiry: entry.dates.expiry,
            status: entry.status,
            supplier: entry.batch.supplier.clone(),
            receipts,
            dispenses,
            other,
            on_hand: self.stock(&StockFilter {
                product: Some(product.clone()),
                location: None,
                batch: Some(batch.clone()),
            })?,
        })
    }

    /// Every line posted under a document reference: the batches a document touched.
    pub fn trace_document(&self, reference: &str) -> Result<Vec<MovementEntry>> {
        self.trace_document_with(&[], reference)
    }

    /// A document's lines merged per batch, location and movement ([`document_lines`]).
    pub fn document(&self, reference: &str) -> Result<Vec<DocumentLine>> {
        document_lines(&self.trace_document(reference)?)
    }

    /// [`Ledger::trace_document`] over the events in memory and `older`, the events before
    /// them that a store holds.
    pub fn trace_document_with(
        &self,
        older: &[EventEnvelope],
        reference: &str,
    ) -> Result<Vec<MovementEntry>> {
        let mut lines = self.older_entries(older, |p, _| p.reference.as_deref() == Some(reference));
        let recent: Vec<MovementEntry> = self
            .by_reference
            .get(reference)
            .into_iter()
            .flatten()
            .flat_map(|&log| {
                let n = self.posting_at(log).map_or(0, |p| p.lines.len() as u32);
                (0..n).map(move |line| (log, line))
            })
            .filter_map(|(log, line)| self.movement_entry(log, line))
            .collect();
        lines.extend(recent);
        with_running_balance(lines)
    }
}

/// Line `line` of a posting logged at `seq`, as a movement entry with balance 0.
fn entry_of(seq: u64, posting: &Posting, line: u32) -> Option<MovementEntry> {
    let ln = posting.lines.get(line as usize)?;
    let sign = ln.movement.on_hand_sign();
    let (qty_in, qty_out) = match sign {
        1 => (ln.qty, 0),
        -1 => (0, ln.qty),
        _ => (0, 0),
    };
    Some(MovementEntry {
        seq,
        date: posting.date,
        key: posting.key.clone(),
        reference: posting.reference.clone(),
        movement: ln.movement.kind(),
        product: ln.product.clone(),
        batch: ln.batch.clone(),
        location: ln.location.clone(),
        qty: ln.qty,
        qty_in,
        qty_out,
        balance: 0,
    })
}

/// Sets each entry's balance to the running sum of quantity in less quantity out.
fn with_running_balance(mut entries: Vec<MovementEntry>) -> Result<Vec<MovementEntry>> {
    let mut balance = 0;
    for e in &mut entries {
        balance = add_qty(balance, e.qty_in - e.qty_out, "balance")?;
        e.balance = balance;
    }
    Ok(entries)
}

fn out_of_range(field: &str) -> CoreError {
    CoreError::AmountOutOfRange {
        field: field.into(),
        reason: "the total is too large to compute exactly".into(),
    }
}

/// Quantities summed over many cells: checked, so a total never wraps.
fn add_qty(a: Qty, b: Qty, field: &str) -> Result<Qty> {
    a.checked_add(b).ok_or_else(|| out_of_range(field))
}

fn add_amount(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| out_of_range("value"))
}

fn mul_amount(a: Decimal, q: Qty) -> Result<Decimal> {
    a.checked_mul(Decimal::from(q))
        .ok_or_else(|| out_of_range("value"))
}
