//! FEFO (first-expiry-first-out) allocation: which batches a dispense takes, and why.
//!
//! Order: expiry ascending, batches without expiry last, then receipt order at the location
//! (the first stock that came into that batch there), then batch number. Expired, quarantined
//! and recalled batches are never picked, nor batches whose remaining shelf life at the document
//! date is below the policy's minimum; every skipped batch is reported with the reason.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::batch::BatchStatus;
use crate::dates::{is_expired, remaining_shelf_life_days};
use crate::error::{CoreError, Result};
use crate::ids::{BatchNo, LocationId, ProductId};
use crate::ledger::{Ledger, check_date};
use crate::movement::{Line, Movement, Posting};
use crate::{MAX_QTY, Qty};

/// How an allocation may pick.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AllocationPolicy {
    /// Minimum whole days of shelf life left at the document date (0: usable through expiry day).
    #[serde(default)]
    pub min_shelf_life_days: u32,
    /// Fill what can be filled and report the shortfall (true), or all or nothing (false).
    #[serde(default = "yes")]
    pub allow_partial: bool,
    /// Take everything from one batch (the first in FEFO order that covers the quantity).
    #[serde(default)]
    pub single_batch: bool,
    /// When selling loose units, use up opened packs before opening new ones.
    #[serde(default)]
    pub opened_packs_first: bool,
}

fn yes() -> bool {
    true
}

impl Default for AllocationPolicy {
    fn default() -> Self {
        Self {
            min_shelf_life_days: 0,
            allow_partial: true,
            single_batch: false,
            opened_packs_first: false,
        }
    }
}

/// A question to the allocator: which batches would give `qty` units on `date`?
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AllocationRequest {
    /// The product.
    pub product: ProductId,
    /// Where it is taken from.
    pub location: LocationId,
    /// Base units wanted.
    pub qty: Qty,
    /// Document date: expiry and shelf life are judged on this date, never on "today".
    pub date: NaiveDate,
    /// Policy.
    #[serde(default)]
    pub policy: AllocationPolicy,
}

/// Allocate by FEFO and post the dispense, under one idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DispenseRequest {
    /// Idempotency key.
    pub key: String,
    /// Document date.
    pub date: NaiveDate,
    /// Document reference (prescription or invoice number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The product.
    pub product: ProductId,
    /// Where it is dispensed from.
    pub location: LocationId,
    /// Base units.
    pub qty: Qty,
    /// Policy.
    #[serde(default)]
    pub policy: AllocationPolicy,
}

impl DispenseRequest {
    /// The allocation question this dispense asks.
    pub fn allocation(&self) -> AllocationRequest {
        AllocationRequest {
            product: self.product.clone(),
            location: self.location.clone(),
            qty: self.qty,
            date: self.date,
            policy: self.policy.clone(),
        }
    }
}

/// Why a batch was picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickReason {
    /// Earliest eligible expiry.
    EarliestExpiry,
    /// Loose units of an opened pack, used first.
    OpenedPack,
    /// The first batch in FEFO order that covers the whole quantity alone.
    SingleBatch,
}

/// One batch taken by an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pick {
    /// The batch.
    pub batch: BatchNo,
    /// Its expiry.
    pub expiry: Option<NaiveDate>,
    /// Base units taken.
    pub qty: Qty,
    /// Why this batch.
    pub reason: PickReason,
}

/// Why a batch with stock was not picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// Past its expiry date on the document date.
    Expired,
    /// Expires too soon for the policy.
    ShelfLifeTooShort {
        /// Days left at the document date.
        remaining_days: i64,
        /// Days the policy asks for.
        min_days: u32,
    },
    /// The batch is quarantined.
    Quarantined,
    /// The batch is recalled.
    Recalled,
    /// All its stock here is reserved or blocked.
    NoFreeStock,
    /// Single-batch mode: it alone cannot cover the quantity.
    TooSmallForSingleBatch,
}

/// A batch the allocator looked at and passed over.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Skipped {
    /// The batch.
    pub batch: BatchNo,
    /// Its expiry.
    pub expiry: Option<NaiveDate>,
    /// Free stock it has here (on hand less reserved and blocked).
    pub available: Qty,
    /// Why it was passed over.
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// The answer: picks in FEFO order, the shortfall, and the batches passed over.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Allocation {
    /// The product.
    pub product: ProductId,
    /// The location.
    pub location: LocationId,
    /// The document date judged at.
    pub date: NaiveDate,
    /// Base units asked for.
    pub requested: Qty,
    /// Base units picked.
    pub allocated: Qty,
    /// `requested - allocated`.
    pub shortfall: Qty,
    /// The batches taken, in the order they were chosen.
    pub picks: Vec<Pick>,
    /// Batches with stock here that were not taken, in FEFO order.
    pub skipped: Vec<Skipped>,
}

impl Allocation {
    /// The posting that dispenses exactly these picks.
    pub fn to_posting(&self, request: &DispenseRequest) -> Posting {
        Posting {
            key: request.key.clone(),
            date: request.date,
            reference: request.reference.clone(),
            lines: self
                .picks
                .iter()
                .map(|p| Line {
                    movement: Movement::Dispense { reservation: None },
                    product: self.product.clone(),
                    batch: p.batch.clone(),
                    location: self.location.clone(),
                    qty: p.qty,
                })
                .collect(),
        }
    }
}

/// A batch that may be picked.
struct Eligible {
    batch: u32,
    free: Qty,
    on_hand: Qty,
}

impl Ledger {
    /// FEFO allocation: which batches would fill the request. Changes nothing.
    pub fn allocate(&self, req: &AllocationRequest) -> Result<Allocation> {
        if !(1..=MAX_QTY).contains(&req.qty) {
            return Err(CoreError::InvalidQuantity {
                qty: req.qty,
                context: format!("allocation of {} at {}", req.product, req.location),
            });
        }
        let (eligible, mut skipped) = self.candidates(
            &req.product,
            &req.location,
            req.date,
            req.policy.min_shelf_life_days,
        )?;
        let product = self.product(&req.product)?;
        let mut picks: Vec<Pick> = Vec::new();
        let mut left = req.qty;
        let take = |e: &Eligible, qty: Qty, reason: PickReason, picks: &mut Vec<Pick>| {
            let b = &self.batches[e.batch as usize].batch;
            match picks.iter_mut().find(|p| p.batch == b.batch) {
                Some(p) => p.qty += qty,
                None => picks.push(Pick {
                    batch: b.batch.clone(),
                    expiry: b.expiry,
                    qty,
                    reason,
                }),
            }
        };
        if req.policy.single_batch {
            let chosen = eligible.iter().position(|e| e.free >= left).or_else(|| {
                // None covers it: the largest (first in FEFO order among equals) if partial is allowed.
                let max = eligible.iter().map(|e| e.free).max()?;
                eligible
                    .iter()
                    .position(|e| e.free == max)
                    .filter(|_| req.policy.allow_partial)
            });
            for (i, e) in eligible.iter().enumerate() {
                if Some(i) == chosen {
                    let qty = e.free.min(left);
                    take(e, qty, PickReason::SingleBatch, &mut picks);
                    left -= qty;
                } else if e.free < req.qty {
                    skipped.push(self.skip(e, SkipReason::TooSmallForSingleBatch));
                }
            }
        } else {
            let mut free: Vec<Qty> = eligible.iter().map(|e| e.free).collect();
            if req.policy.opened_packs_first && product.sold_loose && product.pack_size > 1 {
                for (e, f) in eligible.iter().zip(free.iter_mut()) {
                    let loose = (e.on_hand % product.pack_size).min(*f).min(left);
                    if loose > 0 {
                        take(e, loose, PickReason::OpenedPack, &mut picks);
                        *f -= loose;
                        left -= loose;
                    }
                }
            }
            for (e, f) in eligible.iter().zip(free.iter()) {
                if left == 0 {
                    break;
                }
                let qty = (*f).min(left);
                if qty > 0 {
                    take(e, qty, PickReason::EarliestExpiry, &mut picks);
                    left -= qty;
                }
            }
        }
        let allocated = req.qty - left;
        if left > 0 && !req.policy.allow_partial {
            return Err(CoreError::InsufficientStock {
                product: req.product.clone(),
                batch: None,
                location: req.location.clone(),
                requested: req.qty,
                available: if req.policy.single_batch {
                    eligible.iter().map(|e| e.free).max().unwrap_or(0)
                } else {
                    allocated
                },
            });
        }
        Ok(Allocation {
            product: req.product.clone(),
            location: req.location.clone(),
            date: req.date,
            requested: req.qty,
            allocated,
            shortfall: left,
            picks,
            skipped,
        })
    }

    /// Units that FEFO could give on `date` with at least `min_shelf_life_days` left.
    pub fn available_to_promise(
        &self,
        product: &ProductId,
        location: &LocationId,
        date: NaiveDate,
        min_shelf_life_days: u32,
    ) -> Result<Qty> {
        let (eligible, _) = self.candidates(product, location, date, min_shelf_life_days)?;
        Ok(eligible.iter().map(|e| e.free).sum())
    }

    fn skip(&self, e: &Eligible, reason: SkipReason) -> Skipped {
        let b = &self.batches[e.batch as usize].batch;
        Skipped {
            batch: b.batch.clone(),
            expiry: b.expiry,
            available: e.free,
            reason,
        }
    }

    /// Batches with stock at the location, in FEFO order, split into eligible and skipped.
    fn candidates(
        &self,
        product: &ProductId,
        location: &LocationId,
        date: NaiveDate,
        min_days: u32,
    ) -> Result<(Vec<Eligible>, Vec<Skipped>)> {
        check_date(date)?;
        let p = self.product_index(product)?;
        let l = self.location_index(location)?;
        let mut all: Vec<(u32, Qty, Qty, u64)> = self
            .stocked
            .get(&(p, l))
            .map(|bs| {
                bs.iter()
                    .filter_map(|&b| {
                        let c = self.cells.get(&(l, b))?;
                        (c.q.on_hand > 0).then_some((b, c.q.free(), c.q.on_hand, c.first_in))
                    })
                    .collect()
            })
            .unwrap_or_default();
        all.sort_unstable_by(|a, b| self.fefo_order(a.0, a.3, b.0, b.3));
        let mut eligible = Vec::with_capacity(all.len());
        let mut skipped = Vec::new();
        for (b, free, on_hand, _) in all {
            let entry = &self.batches[b as usize];
            let reason = match (entry.status, entry.batch.expiry) {
                (BatchStatus::Recalled, _) => Some(SkipReason::Recalled),
                (BatchStatus::Quarantined, _) => Some(SkipReason::Quarantined),
                (_, Some(exp)) if is_expired(exp, date) => Some(SkipReason::Expired),
                (_, Some(exp)) if remaining_shelf_life_days(exp, date) < min_days as i64 => {
                    Some(SkipReason::ShelfLifeTooShort {
                        remaining_days: remaining_shelf_life_days(exp, date),
                        min_days,
                    })
                }
                _ if free <= 0 => Some(SkipReason::NoFreeStock),
                _ => None,
            };
            let free = if entry.status == BatchStatus::Released {
                free
            } else {
                0
            };
            let e = Eligible {
                batch: b,
                free,
                on_hand,
            };
            match reason {
                Some(r) => skipped.push(self.skip(&e, r)),
                None => eligible.push(e),
            }
        }
        Ok((eligible, skipped))
    }

    /// FEFO order of two batches: expiry (none last), receipt order, batch number.
    fn fefo_order(&self, a: u32, a_first_in: u64, b: u32, b_first_in: u64) -> Ordering {
        let (ba, bb) = (
            &self.batches[a as usize].batch,
            &self.batches[b as usize].batch,
        );
        let exp = |e: Option<NaiveDate>| (e.is_none(), e);
        exp(ba.expiry)
            .cmp(&exp(bb.expiry))
            .then(a_first_in.cmp(&b_first_in))
            .then_with(|| ba.batch.cmp(&bb.batch))
    }
}
