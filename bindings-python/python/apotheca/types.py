"""The shapes of apotheca's dicts, for type checkers (``TypedDict``) and readers.

Money is ``decimal.Decimal``, dates are ``datetime.date``, quantities are ``int`` base units.
Inputs accept these types (never ``float`` for money, never ``datetime``); outputs return them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, NotRequired, TypedDict

BatchStatus = Literal["released", "quarantined", "recalled"]
MovementKind = Literal[
    "receipt", "dispense", "customer_return", "supplier_return", "adjust_in", "adjust_out",
    "transfer_out", "transfer_in", "reserve", "release_reservation", "quarantine", "release_quarantine",
]
PickReason = Literal["earliest_expiry", "opened_pack", "single_batch"]
SkipReasonName = Literal["expired", "shelf_life_too_short", "quarantined", "recalled", "no_free_stock", "too_small_for_single_batch"]
AdjustReason = Literal["damage", "theft", "count_correction", "expiry_write_off"]


class Location(TypedDict):
    id: str
    name: str


class Ingredient(TypedDict):
    name: str
    strength: str


class Product(TypedDict):
    id: str
    name: str
    generic_name: str
    ingredients: NotRequired[list[Ingredient]]
    form: Literal["tablet", "capsule", "oral_liquid", "injection", "topical", "drops", "inhaler", "other"]
    pack_size: int
    sold_loose: NotRequired[bool]
    schedule: Literal["otc", "prescription", "controlled"]
    tax_category: str
    storage: Literal["ambient", "cold_chain", "frozen"]


class Batch(TypedDict):
    product: str
    batch: str
    expiry: date | None
    manufactured: NotRequired[date | None]
    unit_cost: Decimal
    mrp: Decimal
    supplier: NotRequired[str | None]
    status: NotRequired[BatchStatus]


class Catalog(TypedDict, total=False):
    locations: list[Location]
    products: list[Product]
    batches: list[Batch]


class Line(TypedDict):
    """A posting line. ``type`` is the movement; some movements carry more keys:
    ``unit_cost`` (receipt, customer_return, adjust_in), ``reservation`` (dispense, reserve,
    release_reservation), ``reason`` (adjust_in, adjust_out), ``transfer`` and ``to``
    (transfer_out), ``transfer`` (transfer_in)."""

    type: MovementKind
    product: str
    batch: str
    location: str
    qty: int
    unit_cost: NotRequired[Decimal]
    reservation: NotRequired[str]
    reason: NotRequired[AdjustReason]
    transfer: NotRequired[str]
    to: NotRequired[str]


class Posting(TypedDict):
    key: str
    date: date
    reference: NotRequired[str]
    lines: list[Line]


class StatusChange(TypedDict):
    key: str
    date: date
    product: str
    batch: str
    status: BatchStatus
    reason: NotRequired[str]


class AllocationPolicy(TypedDict, total=False):
    min_shelf_life_days: int
    allow_partial: bool
    single_batch: bool
    opened_packs_first: bool


class AllocationRequest(TypedDict):
    product: str
    location: str
    qty: int
    date: date
    policy: NotRequired[AllocationPolicy]


class DispenseRequest(AllocationRequest):
    key: str
    reference: NotRequired[str]


class Pick(TypedDict):
    batch: str
    expiry: date | None
    qty: int
    reason: PickReason


class Skipped(TypedDict):
    batch: str
    expiry: date | None
    available: int
    reason: SkipReasonName
    remaining_days: NotRequired[int]
    min_days: NotRequired[int]


class Allocation(TypedDict):
    product: str
    location: str
    date: date
    requested: int
    allocated: int
    shortfall: int
    picks: list[Pick]
    skipped: list[Skipped]


class LineOutcome(TypedDict):
    movement: MovementKind
    product: str
    batch: str
    location: str
    qty: int
    on_hand_after: int
    cost_fifo: NotRequired[Decimal]
    cost_moving_average: NotRequired[Decimal]


class PostingResult(TypedDict):
    seq: int
    key: str
    lines: list[LineOutcome]


class DispenseResult(TypedDict):
    allocation: Allocation
    posting: PostingResult


class StockRow(TypedDict):
    product: str
    batch: str
    location: str
    expiry: date | None
    status: BatchStatus
    on_hand: int
    reserved: int
    blocked: int
    available: int


class StockTotals(TypedDict):
    on_hand: int
    reserved: int
    blocked: int
    available: int
    in_transit: int


class AsOfRow(TypedDict):
    product: str
    batch: str
    location: str
    on_hand: int


class MovementEntry(TypedDict):
    seq: int
    date: date
    key: str
    reference: str | None
    movement: MovementKind
    product: str
    batch: str
    location: str
    qty_in: int
    qty_out: int
    balance: int


class ExpiryRow(TypedDict):
    product: str
    batch: str
    location: str
    expiry: date
    days_left: int
    on_hand: int


class ExpiryBucket(TypedDict):
    from_days: int
    to_days: int
    qty: int
    rows: list[ExpiryRow]


class ValuationRow(TypedDict):
    location: str
    product: str
    on_hand: int
    fifo_value: Decimal
    moving_average_unit_cost: Decimal
    moving_average_value: Decimal


class Valuation(TypedDict):
    rows: list[ValuationRow]
    total_fifo: Decimal
    total_moving_average: Decimal


class CostLayer(TypedDict):
    """A remaining FIFO cost layer of a batch at a location."""

    qty: int
    unit_cost: Decimal


class BatchTrace(TypedDict):
    product: str
    batch: str
    expiry: date | None
    status: BatchStatus
    supplier: str | None
    receipts: list[MovementEntry]
    dispenses: list[MovementEntry]
    other: list[MovementEntry]
    on_hand: list[StockRow]


class Event(TypedDict):
    """One entry of the event log: ``schema``, ``seq``, ``event`` (its kind) and its payload."""

    schema: int
    seq: int
    event: str
