//! FEFO (first-expiry-first-out) allocation: which batches a dispense takes, and why.
//!
//! Order: expiry ascending, batches without expiry last, then receipt order at the location
//! (the first stock that came into that batch there), then batch number. Where stock lines have
//! VVM readings, lines go by VVM stage level first (lines without a reading last), FEFO within
//! a stage. Expired, quarantined (everywhere or held at this location) and recalled batches are
//! never picked, nor lines whose VVM stage is unusable, nor batches whose remaining shelf life at
//! the document date is below the policy's minimum; every skipped batch is reported with the
//! reason.

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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
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
    /// Mark the picks whose batch expires within this many days of the document date
    /// (inclusive, as `expiring_within`): `short_dated: true` on the pick.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_dated_within_days: Option<u32>,
    /// A product not sold loose (`sold_loose: false`) is allocated in whole packs: a quantity
    /// that is not whole packs is rounded up (`up`, also when this is absent; the allocation
    /// says so in `whole_packs`) or refused (`refuse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_rounding: Option<PackRounding>,
}

/// What an allocation of a product sold only in whole packs does with a quantity that is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum PackRounding {
    /// Round the quantity up to whole packs.
    #[default]
    Up,
    /// Refuse it (`INVALID_QUANTITY`).
    Refuse,
}

/// A quantity rounded to whole packs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WholePacks {
    /// Units per pack.
    pub pack_size: Qty,
    /// The quantity allocated for: the request rounded up to whole packs.
    pub qty: Qty,
}

fn yes() -> bool {
    true
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Default for AllocationPolicy {
    fn default() -> Self {
        Self {
            min_shelf_life_days: 0,
            allow_partial: true,
            single_batch: false,
            opened_packs_first: false,
            short_dated_within_days: None,
            pack_rounding: None,
        }
    }
}

/// A question to the allocator: which batches would give `qty` units on `date`?
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    /// The product.
    pub product: ProductId,
    /// Where it is taken from.
    pub location: LocationId,
    /// Base units wanted.
    pub qty: Qty,
    /// Document date: expiry and shelf life are judged on this date, never on "today".
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// Policy.
    #[serde(default)]
    pub policy: AllocationPolicy,
    /// Other locations that may serve this request too (see [`DispenseRequest::also_from`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_from: Vec<LocationId>,
}

/// Allocate by FEFO and post the dispense, under one idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DispenseRequest {
    /// Idempotency key.
    pub key: String,
    /// Document date.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
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
    /// Other locations that may serve this request too (bins, shelves, a back store): the
    /// lines of `location` and of these are taken in one order — expiry (none last), then the
    /// location's `priority` (absent last), name and id, then receipt order and batch number —
    /// and each pick and skipped line names its `location`. At most 64, none twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_from: Vec<LocationId>,
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
            also_from: self.also_from.clone(),
        }
    }
}

/// Why a batch was picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum PickReason {
    /// Earliest eligible expiry.
    EarliestExpiry,
    /// Loose units of an opened pack, used first.
    OpenedPack,
    /// The first batch in FEFO order that covers the whole quantity alone.
    SingleBatch,
    /// Its stock line's VVM stage comes first (lower stages first, FEFO within a stage).
    VvmStage,
}

impl std::fmt::Display for PickReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PickReason::EarliestExpiry => "earliest expiry",
            PickReason::OpenedPack => "opened pack",
            PickReason::SingleBatch => "single batch",
            PickReason::VvmStage => "VVM stage",
        })
    }
}

/// One batch taken by an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pick {
    /// The batch.
    pub batch: BatchNo,
    /// Its expiry.
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
    /// Base units taken.
    pub qty: Qty,
    /// Why this batch.
    pub reason: PickReason,
    /// It expires within the policy's `short_dated_within_days`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub short_dated: bool,
    /// Where it is taken from, when the request named `also_from` locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationId>,
}

/// Why a batch with stock was not picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
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
    /// The product is sold in whole packs and the batch has less than a whole pack free.
    LessThanAPack {
        /// Units per pack.
        pack_size: Qty,
    },
    /// Single-batch mode: it alone cannot cover the quantity.
    TooSmallForSingleBatch,
    /// Its stock line's VVM stage here is unusable.
    VvmUnusable {
        /// The stage level read.
        level: u32,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Expired => f.write_str("expired"),
            SkipReason::ShelfLifeTooShort {
                remaining_days,
                min_days,
            } => {
                write!(
                    f,
                    "{remaining_days} days of shelf life left, {min_days} required"
                )
            }
            SkipReason::Quarantined => f.write_str("quarantined"),
            SkipReason::Recalled => f.write_str("recalled"),
            SkipReason::NoFreeStock => f.write_str("all reserved or blocked"),
            SkipReason::LessThanAPack { pack_size } => {
                write!(f, "less than a whole pack of {pack_size} free")
            }
            SkipReason::TooSmallForSingleBatch => f.write_str("too small to fill alone"),
            SkipReason::VvmUnusable { level } => write!(f, "VVM stage {level} is unusable"),
        }
    }
}

/// A batch the allocator looked at and passed over.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Skipped {
    /// The batch.
    pub batch: BatchNo,
    /// Its expiry.
    #[serde(with = "crate::strict::date_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
    /// Free stock it has here (on hand less reserved and blocked).
    pub available: Qty,
    /// Where, when the request named `also_from` locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationId>,
    /// Why it was passed over.
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// The answer: picks in FEFO order, the shortfall, and the batches passed over.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// The product.
    pub product: ProductId,
    /// The location.
    pub location: LocationId,
    /// The document date judged at.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
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
    /// For a product sold in whole packs whose request was not whole packs: the quantity it
    /// was rounded up to (`shortfall` is counted from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole_packs: Option<WholePacks>,
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
                    location: p.location.clone().unwrap_or_else(|| self.location.clone()),
                    qty: p.qty,
                })
                .collect(),
        }
    }
}

/// The allocation of `allocated` units towards `target` (the request, or the request rounded
/// up to whole packs), or the refusal of a short one under `allow_partial: false`.
fn answer(
    req: &AllocationRequest,
    target: Qty,
    allocated: Qty,
    picks: Vec<Pick>,
    skipped: Vec<Skipped>,
    whole_packs: Option<WholePacks>,
) -> Result<Allocation> {
    let shortfall = (target - allocated).max(0);
    if shortfall > 0 && !req.policy.allow_partial {
        return Err(CoreError::InsufficientStock {
            product: req.product.clone(),
            batch: None,
            location: req.location.clone(),
            requested: target,
            available: allocated,
        });
    }
    Ok(Allocation {
        product: req.product.clone(),
        location: req.location.clone(),
        date: req.date,
        requested: req.qty,
        allocated,
        shortfall,
        picks,
        skipped,
        whole_packs,
    })
}

/// A batch that may be picked.
struct Eligible {
    batch: u32,
    loc: u32,
    free: Qty,
    on_hand: Qty,
}

/// Most locations one request may be served from (`location` and `also_from` together).
pub const MAX_ALLOCATION_LOCATIONS: usize = 65;

impl Ledger {
    /// FEFO allocation: which batches would fill the request. Changes nothing.
    ///
    /// `skipped` lists the batches the FEFO walk reached and passed over before the request was
    /// filled (all of them when it is short, or in single-batch and opened-packs modes, which
    /// look at every batch).
    pub fn allocate(&self, req: &AllocationRequest) -> Result<Allocation> {
        if !(1..=MAX_QTY).contains(&req.qty) {
            return Err(CoreError::InvalidQuantity {
                qty: req.qty,
                context: format!("allocation of {} at {}", req.product, req.location),
            });
        }
        let product = self.product(&req.product)?;
        // Batches in packs of their own size: each gives whole packs of its size.
        if !product.sold_loose && self.has_own_pack_sizes(&req.product)? {
            return self.allocate_mixed_packs(req);
        }
        // A product sold only in whole packs: the quantity in whole packs, and each batch's
        // free stock counted in whole packs.
        let pack = if !product.sold_loose && product.pack_size > 1 {
            product.pack_size
        } else {
            1
        };
        let target = if req.qty % pack == 0 {
            req.qty
        } else if req.policy.pack_rounding == Some(PackRounding::Refuse) {
            return Err(CoreError::InvalidQuantity {
                qty: req.qty,
                context: format!(
                    "{} is sold in whole packs of {pack}: {} units are not whole packs",
                    req.product, req.qty
                ),
            });
        } else {
            (req.qty / pack + 1) * pack
        };
        if target > MAX_QTY {
            return Err(CoreError::InvalidQuantity {
                qty: req.qty,
                context: format!("allocation of {} at {}", req.product, req.location),
            });
        }
        let whole_packs = (target != req.qty).then_some(WholePacks {
            pack_size: pack,
            qty: target,
        });
        let multi = !req.also_from.is_empty();
        let mut walk = self.request_walk(req)?.map(|item| {
            item.and_then(|mut e| {
                if pack > 1 {
                    let whole = e.free - e.free % pack;
                    if whole == 0 {
                        return Err(self.skip_at(
                            &e,
                            SkipReason::LessThanAPack { pack_size: pack },
                            multi,
                        ));
                    }
                    e.free = whole;
                }
                Ok(e)
            })
        });
        let mut skipped = Vec::new();
        let mut picks: Vec<Pick> = Vec::new();
        let mut left = target;
        let pick =
            |e: &Eligible, qty: Qty, reason: PickReason| self.pick_of(e, qty, reason, req, multi);
        let opened_first =
            req.policy.opened_packs_first && product.sold_loose && product.pack_size > 1;
        if req.policy.single_batch || opened_first {
            let mut eligible = Vec::new();
            for item in walk {
                match item {
                    Ok(e) => eligible.push(e),
                    Err(s) => skipped.push(s),
                }
            }
            if req.policy.single_batch {
                let chosen = eligible.iter().position(|e| e.free >= target).or_else(|| {
                    // None covers it: the largest (first in FEFO order among equals), if partial is allowed.
                    let max = eligible.iter().map(|e| e.free).max()?;
                    eligible
                        .iter()
                        .position(|e| e.free == max)
                        .filter(|_| req.policy.allow_partial)
                });
                for (i, e) in eligible.iter().enumerate() {
                    if Some(i) == chosen {
                        left -= e.free.min(target);
                        picks.push(pick(e, e.free.min(target), PickReason::SingleBatch));
                    } else if e.free < target && chosen.is_none_or(|c| i < c) {
                        skipped.push(self.skip_at(e, SkipReason::TooSmallForSingleBatch, multi));
                    }
                }
            } else {
                // Loose units of opened packs first, in FEFO order; then whole packs.
                let mut pos: Vec<Option<usize>> = vec![None; eligible.len()];
                let mut taken = vec![0; eligible.len()];
                for (i, e) in eligible.iter().enumerate() {
                    let loose = (e.on_hand % product.pack_size).min(e.free).min(left);
                    if loose > 0 {
                        pos[i] = Some(picks.len());
                        picks.push(pick(e, loose, PickReason::OpenedPack));
                        taken[i] = loose;
                        left -= loose;
                    }
                }
                for (i, e) in eligible.iter().enumerate() {
                    let qty = (e.free - taken[i]).min(left);
                    if qty > 0 {
                        match pos[i] {
                            Some(p) => picks[p].qty += qty,
                            None => picks.push(pick(e, qty, PickReason::EarliestExpiry)),
                        }
                        left -= qty;
                    }
                }
            }
        } else {
            for item in walk.by_ref() {
                match item {
                    Ok(e) => {
                        let qty = e.free.min(left);
                        picks.push(pick(&e, qty, PickReason::EarliestExpiry));
                        left -= qty;
                        if left == 0 {
                            break;
                        }
                    }
                    Err(s) => skipped.push(s),
                }
            }
        }
        answer(req, target, target - left, picks, skipped, whole_packs)
    }

    /// Whether a batch of the product has a pack size of its own, other than the product's.
    fn has_own_pack_sizes(&self, product: &ProductId) -> Result<bool> {
        let p = self.product_index(product)?;
        let entry = &self.products[p as usize];
        Ok(entry.batches.values().any(|&b| {
            self.batches[b as usize]
                .batch
                .pack_size
                .is_some_and(|x| x != entry.product.pack_size)
        }))
    }

    /// Allocation of a product sold in whole packs whose batches come in packs of different
    /// sizes. In FEFO order each batch gives as many of its whole packs as fit in what is
    /// left; a remainder smaller than the packs met is then rounded up with one more pack of
    /// the first batch (in FEFO order) that has one to spare (`whole_packs` says so), or
    /// refused under `pack_rounding: refuse`. A remainder no batch can give is a shortfall.
    fn allocate_mixed_packs(&self, req: &AllocationRequest) -> Result<Allocation> {
        let product = self.product(&req.product)?;
        let pack_of = |b: u32| {
            self.batches[b as usize]
                .batch
                .pack_size
                .unwrap_or(product.pack_size)
        };
        let multi = !req.also_from.is_empty();
        let walk = self.request_walk(req)?;
        let mut skipped = Vec::new();
        // (eligible, its pack, whole units free, units taken)
        let mut lines: Vec<(Eligible, Qty, Qty, Qty)> = Vec::new();
        for item in walk {
            match item {
                Ok(mut e) => {
                    let p = pack_of(e.batch);
                    let whole = e.free - e.free % p;
                    if whole == 0 {
                        skipped.push(self.skip_at(
                            &e,
                            SkipReason::LessThanAPack { pack_size: p },
                            multi,
                        ));
                        continue;
                    }
                    e.free = whole;
                    lines.push((e, p, whole, 0));
                }
                Err(s) => skipped.push(s),
            }
        }
        let mut rounded_with = None;
        if req.policy.single_batch {
            let need = |p: Qty| {
                if req.qty % p == 0 {
                    Some(req.qty)
                } else if req.policy.pack_rounding == Some(PackRounding::Refuse) {
                    None
                } else {
                    Some((req.qty / p + 1) * p)
                }
            };
            let chosen = lines
                .iter()
                .position(|(_, p, whole, _)| need(*p).is_some_and(|n| *whole >= n));
            let chosen = chosen.or_else(|| {
                let max = lines.iter().map(|l| l.2).max()?;
                lines
                    .iter()
                    .position(|l| l.2 == max)
                    .filter(|_| req.policy.allow_partial)
            });
            for (i, (e, p, whole, taken)) in lines.iter_mut().enumerate() {
                if Some(i) == chosen {
                    *taken = need(*p).unwrap_or(*whole).min(*whole);
                    if *taken > req.qty {
                        rounded_with = Some(*p);
                    }
                } else if chosen.is_none_or(|c| i < c) {
                    skipped.push(self.skip_at(e, SkipReason::TooSmallForSingleBatch, multi));
                }
            }
        } else {
            let mut left = req.qty;
            for (_, p, whole, taken) in lines.iter_mut() {
                if left <= 0 {
                    break;
                }
                *taken = (left / *p * *p).min(*whole);
                left -= *taken;
            }
            if left > 0 {
                let spare = lines.iter().any(|(_, _, whole, taken)| whole > taken);
                if spare && req.policy.pack_rounding == Some(PackRounding::Refuse) {
                    return Err(CoreError::InvalidQuantity {
                        qty: req.qty,
                        context: format!(
                            "{} is sold in whole packs and its batches here come in packs of {}: {} units cannot be made of whole packs",
                            req.product,
                            lines
                                .iter()
                                .map(|l| l.1.to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                            req.qty
                        ),
                    });
                }
                for (_, p, whole, taken) in lines.iter_mut() {
                    if left <= 0 {
                        break;
                    }
                    let more = ((left + *p - 1) / *p * *p).min(*whole - *taken);
                    if more > 0 {
                        *taken += more;
                        left -= more;
                        rounded_with = Some(*p);
                    }
                }
            }
        }
        let allocated: Qty = lines.iter().map(|l| l.3).sum();
        let reason = if req.policy.single_batch {
            PickReason::SingleBatch
        } else {
            PickReason::EarliestExpiry
        };
        let picks = lines
            .iter()
            .filter(|l| l.3 > 0)
            .map(|(e, _, _, taken)| self.pick_of(e, *taken, reason, req, multi))
            .collect();
        let whole_packs = rounded_with
            .filter(|_| allocated > req.qty)
            .map(|p| WholePacks {
                pack_size: p,
                qty: allocated,
            });
        answer(req, req.qty, allocated, picks, skipped, whole_packs)
    }

    /// A pick of `qty` units from an eligible line.
    fn pick_of(
        &self,
        e: &Eligible,
        qty: Qty,
        reason: PickReason,
        req: &AllocationRequest,
        multi: bool,
    ) -> Pick {
        let entry = &self.batches[e.batch as usize];
        let (b, expiry) = (&entry.batch, entry.dates.expiry);
        // A line taken in VVM order says so rather than "earliest expiry".
        let reason = match reason {
            PickReason::EarliestExpiry
                if self
                    .cells
                    .get(&(e.loc, e.batch))
                    .is_some_and(|c| c.vvm.is_some()) =>
            {
                PickReason::VvmStage
            }
            other => other,
        };
        Pick {
            batch: b.batch.clone(),
            expiry,
            qty,
            reason,
            short_dated: match (req.policy.short_dated_within_days, expiry) {
                (Some(days), Some(exp)) => {
                    remaining_shelf_life_days(exp, req.date) <= i64::from(days)
                }
                _ => false,
            },
            location: multi.then(|| self.locations[e.loc as usize].id.clone()),
        }
    }

    /// Units that FEFO could give on `date` with at least `min_shelf_life_days` left.
    pub fn available_to_promise(
        &self,
        product: &ProductId,
        location: &LocationId,
        date: NaiveDate,
        min_shelf_life_days: u32,
    ) -> Result<Qty> {
        Ok(self
            .fefo_walk(product, location, date, min_shelf_life_days)?
            .filter_map(|i| i.ok())
            .map(|e| e.free)
            .sum())
    }

    fn skip(&self, e: &Eligible, reason: SkipReason) -> Skipped {
        let entry = &self.batches[e.batch as usize];
        Skipped {
            batch: entry.batch.batch.clone(),
            expiry: entry.dates.expiry,
            available: e.free,
            location: None,
            reason,
        }
    }

    /// The lines a request may take from, in its order: one location's FEFO walk (lazy), or
    /// every location's merged ([`Ledger::merged_walk`]).
    fn request_walk<'a>(
        &'a self,
        req: &AllocationRequest,
    ) -> Result<Box<dyn Iterator<Item = std::result::Result<Eligible, Skipped>> + 'a>> {
        Ok(if req.also_from.is_empty() {
            Box::new(self.fefo_walk(
                &req.product,
                &req.location,
                req.date,
                req.policy.min_shelf_life_days,
            )?)
        } else {
            Box::new(self.merged_walk(req)?.into_iter())
        })
    }

    /// [`Ledger::skip`], naming the line's location when the request has several.
    fn skip_at(&self, e: &Eligible, reason: SkipReason, multi: bool) -> Skipped {
        let mut s = self.skip(e, reason);
        if multi {
            s.location = Some(self.locations[e.loc as usize].id.clone());
        }
        s
    }

    /// The lines of every location a request may be served from, in one order: expiry (none
    /// last), the location's priority (none last), name and id, then receipt order and batch
    /// number. Each skipped line names its location.
    fn merged_walk(
        &self,
        req: &AllocationRequest,
    ) -> Result<Vec<std::result::Result<Eligible, Skipped>>> {
        let mut ids: Vec<&LocationId> = vec![&req.location];
        for (i, l) in req.also_from.iter().enumerate() {
            if ids.contains(&l) {
                return Err(CoreError::InvalidInput {
                    field: format!("also_from[{i}]"),
                    reason: format!("{l} is named twice"),
                });
            }
            ids.push(l);
        }
        if ids.len() > MAX_ALLOCATION_LOCATIONS {
            return Err(CoreError::InvalidInput {
                field: "also_from".into(),
                reason: format!(
                    "{} locations; at most {}",
                    req.also_from.len(),
                    MAX_ALLOCATION_LOCATIONS - 1
                ),
            });
        }
        let mut items = Vec::new();
        for id in ids {
            let l = self.location_index(id)?;
            let loc = &self.locations[l as usize];
            for item in
                self.fefo_walk(&req.product, id, req.date, req.policy.min_shelf_life_days)?
            {
                let item = item.map_err(|mut s| {
                    s.location = Some(id.clone());
                    s
                });
                let (b, vvm) = match &item {
                    Ok(e) => (
                        e.batch,
                        self.cells.get(&(l, e.batch)).and_then(|c| c.vvm.as_ref()),
                    ),
                    Err(s) => {
                        let b = self.batch_index(&req.product, &s.batch)?;
                        (b, self.cells.get(&(l, b)).and_then(|c| c.vvm.as_ref()))
                    }
                };
                let entry = &self.batches[b as usize];
                let batch = &entry.batch;
                let date = entry.dates.fefo_date();
                let first_in = self.cells.get(&(l, b)).map_or(0, |c| c.first_in);
                let key = (
                    vvm.map_or(u32::MAX, |v| v.level),
                    date.is_none(),
                    date,
                    loc.priority.is_none(),
                    loc.priority,
                    loc.name.clone(),
                    loc.id.clone(),
                    first_in,
                    batch.batch.clone(),
                );
                items.push((key, item));
            }
        }
        items.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    /// The batches with stock at the location, in FEFO order, each either eligible or skipped
    /// with its reason. Lazy: a walk that stops early classifies nothing further.
    fn fefo_walk<'a>(
        &'a self,
        product: &ProductId,
        location: &LocationId,
        date: NaiveDate,
        min_days: u32,
    ) -> Result<impl Iterator<Item = std::result::Result<Eligible, Skipped>> + 'a> {
        check_date(date)?;
        let p = self.product_index(product)?;
        let l = self.location_index(location)?;
        let fefo: &[u32] = self.stocked.get(&(p, l)).map_or(&[], |v| v.as_slice());
        // Stock lines with a VVM reading go first, lower stages first, then those without one
        // (open-mSupply's "VVM status, then expiry"); FEFO order within each stage.
        let vvm_level = |b: u32| {
            self.cells
                .get(&(l, b))
                .and_then(|c| c.vvm.as_ref())
                .map(|v| v.level)
        };
        let order: std::borrow::Cow<'a, [u32]> =
            if self.vvm_seen && fefo.iter().any(|&b| vvm_level(b).is_some()) {
                let mut v = fefo.to_vec();
                v.sort_by_key(|&b| vvm_level(b).unwrap_or(u32::MAX));
                std::borrow::Cow::Owned(v)
            } else {
                std::borrow::Cow::Borrowed(fefo)
            };
        Ok((0..order.len()).filter_map(move |i| {
            let b = order[i];
            let c = self.cells.get(&(l, b)).filter(|c| c.q.on_hand > 0)?;
            let entry = &self.batches[b as usize];
            let free = if c.status(entry.status) == BatchStatus::Released {
                c.q.free()
            } else {
                0
            };
            let e = Eligible {
                batch: b,
                loc: l,
                free,
                on_hand: c.q.on_hand,
            };
            let unusable = c.vvm.as_ref().filter(|v| v.unusable);
            let reason = match (entry.status, entry.dates.expiry) {
                (BatchStatus::Recalled, _) => Some(SkipReason::Recalled),
                (BatchStatus::Quarantined, _) => Some(SkipReason::Quarantined),
                _ if c.held => Some(SkipReason::Quarantined),
                _ if unusable.is_some() => Some(SkipReason::VvmUnusable {
                    level: unusable.map_or(0, |v| v.level),
                }),
                (_, Some(exp)) if is_expired(exp, date) => Some(SkipReason::Expired),
                (_, Some(exp)) if remaining_shelf_life_days(exp, date) < min_days as i64 => {
                    Some(SkipReason::ShelfLifeTooShort {
                        remaining_days: remaining_shelf_life_days(exp, date),
                        min_days,
                    })
                }
                // Its free stock is blocked by a quarantine movement here (not only reserved).
                _ if free <= 0 && c.q.quarantined > 0 => Some(SkipReason::Quarantined),
                _ if free <= 0 => Some(SkipReason::NoFreeStock),
                _ => None,
            };
            Some(match reason {
                Some(r) => Err(self.skip(&e, r)),
                None => Ok(e),
            })
        }))
    }
}
