//! Applying a checked posting: stock cells, reservations, transits and costing (FIFO layers and
//! moving averages).

use super::*;

impl Ledger {
    /// Applies a checked posting. Cannot fail: every quantity was checked by [`Self::check`].
    pub(super) fn apply(&mut self, posting: &Posting, resolved: &[Resolved]) -> PostingResult {
        let seq = self.next_seq();
        if self.journal.is_some() {
            self.journal_posting(posting, resolved);
        }
        let mut lines = Vec::with_capacity(resolved.len());
        for (i, (line, r)) in posting.lines.iter().zip(resolved).enumerate() {
            let key = (r.loc, r.batch);
            let batch_cost = self.batches[r.batch as usize].batch.unit_cost;
            if let std::collections::hash_map::Entry::Vacant(v) = self.cells.entry(key) {
                v.insert(Cell::new(seq));
                // Kept in FEFO order: expiry, first receipt and batch number never change.
                let first_in = seq;
                let order = self.stocked.entry((r.product, r.loc)).or_default();
                let at = order.partition_point(|&b| {
                    fefo_key(&self.batches[b as usize], self.cells[&(r.loc, b)].first_in)
                        <= fefo_key(&self.batches[r.batch as usize], first_in)
                });
                order.insert(at, r.batch);
            }
            let avg_key = (r.loc, r.product);
            let mut cost_fifo = None;
            let mut cost_avg = None;
            let qty = line.qty;
            match &line.movement {
                Movement::Receipt { unit_cost, .. }
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

    pub(super) fn cell_mut(&mut self, key: (u32, u32)) -> &mut Cell {
        self.cells.entry(key).or_insert_with(|| Cell::new(0))
    }

    pub(super) fn consume_reservation(&mut self, id: &str, qty: Qty) {
        if let Some(res) = self.reservations.get_mut(id) {
            res.remaining -= qty;
            if res.remaining <= 0 {
                self.reservations.remove(id);
            }
        }
    }

    pub(super) fn inflow(
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
    pub(super) fn outflow(
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
}

/// Takes `qty` units from the front of FIFO layers and returns their total cost; the layers
/// taken are appended to `taken` where the caller keeps them (transfers carry their cost).
pub(super) fn take_layers(
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
