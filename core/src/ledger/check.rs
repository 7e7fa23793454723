//! The check of a posting against an overlay of the quantities it touches, before anything
//! changes: one refusal leaves the ledger as it was.

use super::*;

/// (batch, from, to, remaining) of a transfer in transit.
pub(super) type TransitQty = (u32, u32, u32, Qty);

/// Quantities a posting would leave behind, checked before anything is changed, and its lines
/// with their ids resolved. Kept in the ledger and reused, so checking allocates nothing.
#[derive(Default)]
pub(super) struct Overlay {
    pub(super) cells: Vec<((u32, u32), Qtys)>,
    pub(super) reservations: Vec<(String, Option<Reservation>)>,
    pub(super) transits: Vec<(String, Option<TransitQty>)>,
    pub(super) resolved: Vec<Resolved>,
    /// On hand of a product at a location (all batches), as the lines so far leave it.
    pub(super) totals: Vec<((u32, u32), Qty)>,
    /// The line being checked: where a refusal happened (`None`: the posting's own fields).
    pub(super) line: Option<usize>,
}

impl Overlay {
    pub(super) fn clear(&mut self) {
        self.cells.clear();
        self.reservations.clear();
        self.transits.clear();
        self.resolved.clear();
        self.totals.clear();
        self.line = None;
    }
}

impl Ledger {
    /// Validates every line against the quantities as the earlier lines leave them.
    /// Checks a posting in full, then applies it: all lines or none.
    pub(super) fn check_and_apply(&mut self, posting: &Posting) -> Result<PostingResult> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let checked = self.check(posting, &mut scratch);
        let result = checked.map(|()| self.apply(posting, &scratch.resolved));
        self.scratch = scratch;
        result
    }

    pub(super) fn check(&self, posting: &Posting, ov: &mut Overlay) -> Result<()> {
        validate_id("idempotency key", &posting.key)?;
        if let Some(r) = &posting.reference {
            validate_id("reference", r)?;
        }
        check_date(posting.date)?;
        // A FEFO dispense that found nothing, with `allow_partial`, posts no lines; a posting
        // given by the caller needs one ([`Ledger::post`] refuses an empty one).
        if posting.lines.len() > MAX_LINES {
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

    pub(super) fn check_line(
        &self,
        posting: &Posting,
        line: &Line,
        r: Resolved,
        ov: &mut Overlay,
    ) -> Result<()> {
        let entry = &self.batches[r.batch as usize];
        let c = LineCheck {
            ledger: self,
            date: posting.date,
            line,
            r,
            entry,
            // A hold at this location or an unusable VVM stage makes the line quarantined.
            status: self
                .cells
                .get(&(r.loc, r.batch))
                .map_or(entry.status, |c| c.status(entry.status)),
            cell: (r.loc, r.batch),
        };
        let mut q = ov.cell(self, c.cell);
        match &line.movement {
            Movement::Receipt { accept_expired, .. } => c.receipt(*accept_expired, &mut q)?,
            Movement::CustomerReturn { .. } | Movement::AdjustIn { .. } => {
                q.on_hand = c.add(q.on_hand)?;
            }
            Movement::Dispense { reservation } => c.dispense(reservation.as_deref(), &mut q, ov)?,
            Movement::SupplierReturn | Movement::AdjustOut { .. } => c.take_out(&mut q)?,
            Movement::TransferOut { transfer, to } => c.transfer_out(transfer, to, &mut q, ov)?,
            Movement::TransferIn { transfer } => c.transfer_in(transfer, &mut q, ov)?,
            Movement::Reserve { reservation } => c.reserve(reservation, &mut q, ov)?,
            Movement::ReleaseReservation { reservation } => {
                c.release_reservation(reservation, &mut q, ov)?
            }
            Movement::Quarantine => c.quarantine(&mut q)?,
            Movement::ReleaseQuarantine => c.release_quarantine(&mut q)?,
        }
        ov.set_cell(c.cell, q);
        Ok(())
    }
}

/// One posting line being checked: what every movement's check needs, and the refusals they
/// share. Each movement has its own method; each changes only the overlay's copy `q` of the
/// line's stock cell (and the overlay's reservations and transits).
struct LineCheck<'a> {
    ledger: &'a Ledger,
    date: NaiveDate,
    line: &'a Line,
    r: Resolved,
    entry: &'a BatchEntry,
    status: BatchStatus,
    cell: (u32, u32),
}

impl LineCheck<'_> {
    fn short(&self, available: Qty) -> CoreError {
        CoreError::InsufficientStock {
            product: self.line.product.clone(),
            batch: Some(self.line.batch.clone()),
            location: self.line.location.clone(),
            requested: self.line.qty,
            available: available.max(0),
        }
    }

    fn blocked(&self, action: &'static str) -> CoreError {
        CoreError::BatchBlocked {
            product: self.line.product.clone(),
            batch: self.line.batch.clone(),
            status: self.status,
            action,
        }
    }

    fn not_expired(&self, action: &'static str) -> Result<()> {
        match self.entry.dates.expiry {
            Some(exp) if is_expired(exp, self.date) => Err(CoreError::BatchExpired {
                product: self.line.product.clone(),
                batch: self.line.batch.clone(),
                expiry: exp,
                date: self.date,
                action,
            }),
            _ => Ok(()),
        }
    }

    /// `q + qty`, within [`MAX_QTY`].
    fn add(&self, q: Qty) -> Result<Qty> {
        let line = self.line;
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
    }

    /// Free stock covers the line, or the refusal says how much there is.
    fn need_free(&self, q: &Qtys) -> Result<()> {
        if q.free() < self.line.qty {
            return Err(self.short(q.free()));
        }
        Ok(())
    }

    fn receipt(&self, accept_expired: bool, q: &mut Qtys) -> Result<()> {
        if self.status == BatchStatus::Recalled {
            return Err(self.blocked("received"));
        }
        if !accept_expired {
            self.not_expired("receipt")?;
        }
        q.on_hand = self.add(q.on_hand)?;
        Ok(())
    }

    fn dispense(&self, reservation: Option<&str>, q: &mut Qtys, ov: &mut Overlay) -> Result<()> {
        let line = self.line;
        if self.status != BatchStatus::Released {
            return Err(self.blocked("dispensed"));
        }
        self.not_expired("dispense")?;
        match reservation {
            None => self.need_free(q)?,
            Some(id) => {
                let mismatch = |reason: String| CoreError::ReservationMismatch {
                    reservation: id.to_string(),
                    reason,
                };
                let mut res = ov
                    .reservation(self.ledger, id)
                    .ok_or_else(|| mismatch("no such open reservation".into()))?;
                if res.cell != self.cell {
                    return Err(mismatch(format!(
                        "it holds another batch or location than {} at {}",
                        line.batch, line.location
                    )));
                }
                if res.remaining < line.qty {
                    return Err(mismatch(format!(
                        "holds {} units, {} requested",
                        res.remaining, line.qty
                    )));
                }
                res.remaining -= line.qty;
                q.reserved -= line.qty;
                ov.set_reservation(id, (res.remaining > 0).then_some(res));
            }
        }
        q.on_hand -= line.qty;
        Ok(())
    }

    /// A supplier return or an adjustment out: takes blocked stock (quarantined, recalled,
    /// expired) too, never reserved stock.
    fn take_out(&self, q: &mut Qtys) -> Result<()> {
        let takeable = q.on_hand - q.reserved;
        if takeable < self.line.qty {
            return Err(self.short(takeable));
        }
        q.on_hand -= self.line.qty;
        q.quarantined = q.quarantined.min(q.on_hand - q.reserved);
        Ok(())
    }

    fn transfer_out(
        &self,
        transfer: &str,
        to: &LocationId,
        q: &mut Qtys,
        ov: &mut Overlay,
    ) -> Result<()> {
        let line = self.line;
        validate_id("transfer id", transfer)?;
        if *to == line.location {
            return Err(CoreError::SameLocationTransfer {
                transfer: transfer.to_string(),
                location: to.clone(),
            });
        }
        let to_idx = self.ledger.location_index(to)?;
        if self.status != BatchStatus::Released {
            return Err(self.blocked("transferred"));
        }
        if ov.transit(self.ledger, transfer).is_some() {
            return Err(CoreError::TransferMismatch {
                transfer: transfer.to_string(),
                reason: "this transfer id was already used".into(),
            });
        }
        self.need_free(q)?;
        q.on_hand -= line.qty;
        ov.transits.push((
            transfer.to_string(),
            Some((self.r.batch, self.r.loc, to_idx, line.qty)),
        ));
        Ok(())
    }

    fn transfer_in(&self, transfer: &str, q: &mut Qtys, ov: &mut Overlay) -> Result<()> {
        let line = self.line;
        let mismatch = |reason: String| CoreError::TransferMismatch {
            transfer: transfer.to_string(),
            reason,
        };
        let (batch, from, to, remaining) = ov
            .transit(self.ledger, transfer)
            .ok_or_else(|| mismatch("nothing of it is in transit".into()))?;
        if batch != self.r.batch || to != self.r.loc {
            return Err(mismatch(format!(
                "it carries another batch or goes elsewhere than {} at {}",
                line.batch, line.location
            )));
        }
        if remaining < line.qty {
            return Err(mismatch(format!(
                "{remaining} units in transit, {} received",
                line.qty
            )));
        }
        q.on_hand = self.add(q.on_hand)?;
        ov.transits.push((
            transfer.to_string(),
            Some((batch, from, to, remaining - line.qty)),
        ));
        Ok(())
    }

    fn reserve(&self, reservation: &str, q: &mut Qtys, ov: &mut Overlay) -> Result<()> {
        validate_id("reservation id", reservation)?;
        if self.status != BatchStatus::Released {
            return Err(self.blocked("reserved"));
        }
        self.not_expired("reservation")?;
        if ov.reservation(self.ledger, reservation).is_some() {
            return Err(CoreError::ReservationMismatch {
                reservation: reservation.to_string(),
                reason: "is already open".into(),
            });
        }
        self.need_free(q)?;
        q.reserved += self.line.qty;
        ov.set_reservation(
            reservation,
            Some(Reservation {
                cell: self.cell,
                remaining: self.line.qty,
            }),
        );
        Ok(())
    }

    fn release_reservation(&self, reservation: &str, q: &mut Qtys, ov: &mut Overlay) -> Result<()> {
        let line = self.line;
        let mismatch = |reason: String| CoreError::ReservationMismatch {
            reservation: reservation.to_string(),
            reason,
        };
        let mut res = ov
            .reservation(self.ledger, reservation)
            .ok_or_else(|| mismatch("no such open reservation".into()))?;
        if res.cell != self.cell || res.remaining < line.qty {
            return Err(mismatch(format!(
                "holds {} units of another cell or fewer than {}",
                res.remaining, line.qty
            )));
        }
        res.remaining -= line.qty;
        q.reserved -= line.qty;
        ov.set_reservation(reservation, (res.remaining > 0).then_some(res));
        Ok(())
    }

    fn quarantine(&self, q: &mut Qtys) -> Result<()> {
        self.need_free(q)?;
        q.quarantined += self.line.qty;
        Ok(())
    }

    fn release_quarantine(&self, q: &mut Qtys) -> Result<()> {
        if q.quarantined < self.line.qty {
            return Err(self.short(q.quarantined));
        }
        q.quarantined -= self.line.qty;
        Ok(())
    }
}

impl Overlay {
    pub(super) fn cell(&self, ledger: &Ledger, key: (u32, u32)) -> Qtys {
        self.cells
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, q)| *q)
            .or_else(|| ledger.cells.get(&key).map(|c| c.q))
            .unwrap_or_default()
    }
    pub(super) fn set_cell(&mut self, key: (u32, u32), q: Qtys) {
        self.cells.push((key, q));
    }
    pub(super) fn reservation(&self, ledger: &Ledger, id: &str) -> Option<Reservation> {
        match self.reservations.iter().rev().find(|(k, _)| k == id) {
            Some((_, r)) => r.clone(),
            None => ledger.reservations.get(id).cloned(),
        }
    }
    pub(super) fn set_reservation(&mut self, id: &str, r: Option<Reservation>) {
        self.reservations.push((id.to_string(), r));
    }
    pub(super) fn total(&self, ledger: &Ledger, key: (u32, u32)) -> Qty {
        self.totals
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, q)| *q)
            .or_else(|| ledger.averages.get(&key).map(|a| a.qty))
            .unwrap_or_default()
    }
    pub(super) fn transit(&self, ledger: &Ledger, id: &str) -> Option<TransitQty> {
        match self.transits.iter().rev().find(|(k, _)| k == id) {
            Some((_, t)) => *t,
            None => ledger
                .transits
                .get(id)
                .map(|t| (t.batch, t.from, t.to, t.remaining)),
        }
    }
}

/// Refuses a negative unit cost, or one above [`crate::MAX_AMOUNT`], on line `line`.
pub(super) fn check_cost(cost: Decimal, line: usize) -> Result<()> {
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
