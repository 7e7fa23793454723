//! Postings and the movements they carry: the write side of the ledger.
//!
//! Money in inputs is a decimal *string* (`"2.10"`): a JSON number is refused, so a float can
//! never become an amount on the way in from any language.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Qty;
use crate::batch::BatchStatus;
use crate::ids::{BatchNo, LocationId, ProductId};

/// Why stock was adjusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum AdjustReason {
    /// Broken, spoiled or damaged.
    Damage,
    /// Stolen or missing.
    Theft,
    /// A physical count found a different quantity.
    CountCorrection,
    /// Expired stock written off for destruction.
    ExpiryWriteOff,
}

/// What a posting line does to stock. Quantities are always positive; the kind gives the direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Movement {
    /// Goods received from a supplier. Cost per base unit defaults to the batch's cost.
    Receipt {
        /// Cost per base unit for this receipt.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::strict::decimal_opt"
        )]
        #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
        unit_cost: Option<Decimal>,
        /// Receive a batch that is already expired at the posting date (a stocktake recording
        /// what is on the shelf, an opening balance, goods back for destruction). Without it such
        /// a receipt is refused (`BATCH_EXPIRED`), so that expired goods from a supplier are
        /// caught at the door. The stock comes in as usual; FEFO skips it as expired.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        accept_expired: bool,
    },
    /// A sale or dispense to a patient; optionally drawing on a reservation.
    Dispense {
        /// The reservation this dispense consumes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reservation: Option<String>,
    },
    /// Goods a customer brought back, back into stock.
    CustomerReturn {
        /// Cost per base unit to value them at (defaults to the batch's cost).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::strict::decimal_opt"
        )]
        #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
        unit_cost: Option<Decimal>,
    },
    /// Goods sent back to the supplier (may take quarantined, recalled or expired stock).
    SupplierReturn,
    /// An increase found by a count.
    AdjustIn {
        /// Why.
        reason: AdjustReason,
        /// Cost per base unit (defaults to the batch's cost).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::strict::decimal_opt"
        )]
        #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
        unit_cost: Option<Decimal>,
    },
    /// A decrease: damage, theft, count correction or expiry write-off.
    AdjustOut {
        /// Why.
        reason: AdjustReason,
    },
    /// Stock leaves this location for another and is in transit until received.
    TransferOut {
        /// Transfer document id, unique.
        transfer: String,
        /// Destination.
        to: LocationId,
    },
    /// Stock of a transfer arrives at this location (all of it or part).
    TransferIn {
        /// The transfer document id given on the way out.
        transfer: String,
    },
    /// Holds stock for an order; it stays on hand but is not available.
    Reserve {
        /// Reservation id, unique.
        reservation: String,
    },
    /// Gives reserved stock back to available.
    ReleaseReservation {
        /// The reservation id.
        reservation: String,
    },
    /// Blocks a quantity at this location (suspected damage, awaiting inspection).
    Quarantine,
    /// Unblocks a quarantined quantity.
    ReleaseQuarantine,
}

impl Movement {
    /// What kind of movement this is, without its data.
    pub fn kind(&self) -> MovementKind {
        match self {
            Movement::Receipt { .. } => MovementKind::Receipt,
            Movement::Dispense { .. } => MovementKind::Dispense,
            Movement::CustomerReturn { .. } => MovementKind::CustomerReturn,
            Movement::SupplierReturn => MovementKind::SupplierReturn,
            Movement::AdjustIn { .. } => MovementKind::AdjustIn,
            Movement::AdjustOut { .. } => MovementKind::AdjustOut,
            Movement::TransferOut { .. } => MovementKind::TransferOut,
            Movement::TransferIn { .. } => MovementKind::TransferIn,
            Movement::Reserve { .. } => MovementKind::Reserve,
            Movement::ReleaseReservation { .. } => MovementKind::ReleaseReservation,
            Movement::Quarantine => MovementKind::Quarantine,
            Movement::ReleaseQuarantine => MovementKind::ReleaseQuarantine,
        }
    }

    /// The snake_case name used in JSON and reports.
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The unit cost an incoming movement states, if any.
    pub fn unit_cost(&self) -> Option<Decimal> {
        match self {
            Movement::Receipt { unit_cost, .. }
            | Movement::CustomerReturn { unit_cost }
            | Movement::AdjustIn { unit_cost, .. } => *unit_cost,
            _ => None,
        }
    }

    /// The change to on-hand quantity at the line's location, per unit of the line's quantity.
    pub fn on_hand_sign(&self) -> i64 {
        match self {
            Movement::Receipt { .. }
            | Movement::CustomerReturn { .. }
            | Movement::AdjustIn { .. }
            | Movement::TransferIn { .. } => 1,
            Movement::Dispense { .. }
            | Movement::SupplierReturn
            | Movement::AdjustOut { .. }
            | Movement::TransferOut { .. } => -1,
            Movement::Reserve { .. }
            | Movement::ReleaseReservation { .. }
            | Movement::Quarantine
            | Movement::ReleaseQuarantine => 0,
        }
    }
}

/// The kind of a movement, without its data: `"dispense"` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// See [`Movement::Receipt`].
    Receipt,
    /// See [`Movement::Dispense`].
    Dispense,
    /// See [`Movement::CustomerReturn`].
    CustomerReturn,
    /// See [`Movement::SupplierReturn`].
    SupplierReturn,
    /// See [`Movement::AdjustIn`].
    AdjustIn,
    /// See [`Movement::AdjustOut`].
    AdjustOut,
    /// See [`Movement::TransferOut`].
    TransferOut,
    /// See [`Movement::TransferIn`].
    TransferIn,
    /// See [`Movement::Reserve`].
    Reserve,
    /// See [`Movement::ReleaseReservation`].
    ReleaseReservation,
    /// See [`Movement::Quarantine`].
    Quarantine,
    /// See [`Movement::ReleaseQuarantine`].
    ReleaseQuarantine,
}

impl MovementKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Receipt => "receipt",
            MovementKind::Dispense => "dispense",
            MovementKind::CustomerReturn => "customer_return",
            MovementKind::SupplierReturn => "supplier_return",
            MovementKind::AdjustIn => "adjust_in",
            MovementKind::AdjustOut => "adjust_out",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::TransferIn => "transfer_in",
            MovementKind::Reserve => "reserve",
            MovementKind::ReleaseReservation => "release_reservation",
            MovementKind::Quarantine => "quarantine",
            MovementKind::ReleaseQuarantine => "release_quarantine",
        }
    }
}

/// One line of a posting: a movement of one batch at one location.
///
/// Read through [`LineWire`], a flat record of every field a line may have, so that an error
/// names the field by its path (`lines[2].unit_cost`) and a field that the line's movement does
/// not have (`reason` on a receipt, a typo) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "LineWire")]
pub struct Line {
    /// What happens.
    #[serde(flatten)]
    pub movement: Movement,
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// Where.
    pub location: LocationId,
    /// How many base units (positive).
    pub qty: Qty,
}

/// Every field a posting line may carry, as it is written.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct LineWire {
    #[serde(rename = "type")]
    kind: MovementKind,
    product: ProductId,
    batch: BatchNo,
    location: LocationId,
    qty: Qty,
    #[serde(default, with = "crate::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    unit_cost: Option<Decimal>,
    #[serde(default)]
    reservation: Option<String>,
    #[serde(default)]
    reason: Option<AdjustReason>,
    #[serde(default)]
    transfer: Option<String>,
    #[serde(default)]
    to: Option<LocationId>,
    #[serde(default)]
    accept_expired: Option<bool>,
}

impl TryFrom<LineWire> for Line {
    type Error = String;

    fn try_from(w: LineWire) -> Result<Line, String> {
        use MovementKind as K;
        let kind = w.kind;
        let given = [
            ("unit_cost", w.unit_cost.is_some()),
            ("reservation", w.reservation.is_some()),
            ("reason", w.reason.is_some()),
            ("transfer", w.transfer.is_some()),
            ("to", w.to.is_some()),
            ("accept_expired", w.accept_expired.is_some()),
        ];
        let allowed: &[&str] = match kind {
            K::Receipt => &["unit_cost", "accept_expired"],
            K::CustomerReturn => &["unit_cost"],
            K::AdjustIn => &["unit_cost", "reason"],
            K::AdjustOut => &["reason"],
            K::Dispense => &["reservation"],
            K::TransferOut => &["transfer", "to"],
            K::TransferIn => &["transfer"],
            K::Reserve | K::ReleaseReservation => &["reservation"],
            K::SupplierReturn | K::Quarantine | K::ReleaseQuarantine => &[],
        };
        if let Some((field, _)) = given.iter().find(|(f, set)| *set && !allowed.contains(f)) {
            return Err(format!("a {} line has no field `{field}`", kind.as_str()));
        }
        let need = |v: Option<String>, field: &str| {
            v.ok_or_else(|| format!("a {} line needs `{field}`", kind.as_str()))
        };
        let movement = match kind {
            K::Receipt => Movement::Receipt {
                unit_cost: w.unit_cost,
                accept_expired: w.accept_expired.unwrap_or(false),
            },
            K::CustomerReturn => Movement::CustomerReturn {
                unit_cost: w.unit_cost,
            },
            K::AdjustIn => Movement::AdjustIn {
                reason: w
                    .reason
                    .ok_or_else(|| "an adjust_in line needs `reason`".to_string())?,
                unit_cost: w.unit_cost,
            },
            K::AdjustOut => Movement::AdjustOut {
                reason: w
                    .reason
                    .ok_or_else(|| "an adjust_out line needs `reason`".to_string())?,
            },
            K::Dispense => Movement::Dispense {
                reservation: w.reservation,
            },
            K::SupplierReturn => Movement::SupplierReturn,
            K::TransferOut => Movement::TransferOut {
                transfer: need(w.transfer, "transfer")?,
                to: w
                    .to
                    .ok_or_else(|| "a transfer_out line needs `to`".to_string())?,
            },
            K::TransferIn => Movement::TransferIn {
                transfer: need(w.transfer, "transfer")?,
            },
            K::Reserve => Movement::Reserve {
                reservation: need(w.reservation, "reservation")?,
            },
            K::ReleaseReservation => Movement::ReleaseReservation {
                reservation: need(w.reservation, "reservation")?,
            },
            K::Quarantine => Movement::Quarantine,
            K::ReleaseQuarantine => Movement::ReleaseQuarantine,
        };
        Ok(Line {
            movement,
            product: w.product,
            batch: w.batch,
            location: w.location,
            qty: w.qty,
        })
    }
}

/// A set of lines posted together, all or nothing, under one idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// Idempotency key: the same key and payload again returns the first result.
    pub key: String,
    /// The document (business) date; expiry is judged at this date.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// The document it belongs to: invoice, goods receipt note, transfer note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The lines, at least one.
    pub lines: Vec<Line>,
}

/// A batch-wide status change: quarantine a whole batch, release it, or recall it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// Idempotency key.
    pub key: String,
    /// Document date.
    #[serde(with = "crate::strict::date")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::NaiveDate"))]
    pub date: NaiveDate,
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// The new status. `recalled` is final. Without `location`, it is the batch's status
    /// everywhere (required); with `location`, `quarantined` holds the batch's stock line at that
    /// location only and `released` lifts that hold (a recall is always for the whole batch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// Why (recall notice number, inspection note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The location of the stock line this change is for (it must have held stock of the
    /// batch); absent: the batch everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationId>,
    /// A VVM reading of the stock line at `location` (which it needs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vvm: Option<crate::batch::VvmStatus>,
    /// A new expiry date for the batch (a re-test, an extension or a correction; no
    /// `location`): its best-before, removal and alert dates move with it, kept at their
    /// offsets, and FEFO reorders.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::strict::date_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<chrono::NaiveDate>"))]
    pub expiry: Option<NaiveDate>,
}

/// What one posted line did, with its cost of goods for outgoing lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LineOutcome {
    /// Movement kind.
    pub movement: MovementKind,
    /// The product.
    pub product: ProductId,
    /// The batch.
    pub batch: BatchNo,
    /// Where.
    pub location: LocationId,
    /// Base units moved.
    pub qty: Qty,
    /// On hand of this batch at this location after the line.
    pub on_hand_after: Qty,
    /// Cost of the units that left, by FIFO layers (outgoing lines only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub cost_fifo: Option<Decimal>,
    /// Cost of the units that left, at moving average cost (outgoing lines only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::strict::decimal_opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    pub cost_moving_average: Option<Decimal>,
}

/// The result of a posting. Posting the same key and payload again returns this same value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PostingResult {
    /// Sequence number of the event in the log.
    pub seq: u64,
    /// The idempotency key.
    pub key: String,
    /// One outcome per line, in order.
    pub lines: Vec<LineOutcome>,
}
