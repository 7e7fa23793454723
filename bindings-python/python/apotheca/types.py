"""The shapes of apotheca's dicts, for type checkers (``TypedDict``) and readers.

Money is ``decimal.Decimal``, dates are ``datetime.date``, quantities are ``int`` base units.
Inputs accept these types (never ``float`` for money, never ``datetime``); outputs return them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, NotRequired, TypedDict

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
    """One entry of the event log: ``schema``, ``seq``, the chained ``hash`` (SHA-256 over the
    previous hash and this event), ``event`` (its kind) and its payload."""

    schema: int
    seq: int
    hash: str
    event: str


# ---- billing ------------------------------------------------------------------------------

ComponentKind = Literal["percent", "fixed", "gst"]
RoundingMode = Literal["half_up", "half_even"]
RoundingLevel = Literal["line", "invoice"]
CashDirection = Literal["nearest", "up", "down"]
WordsStyle = Literal["indian", "international"]
LineKind = Literal["item", "charge"]
TaxTreatment = Literal["taxable", "zero_rated", "exempt"]
Supply = Literal["intra_state", "inter_state"]


class TaxComponent(TypedDict):
    name: str
    kind: ComponentKind
    rate: Decimal
    compound: NotRequired[bool]


class TaxRule(TypedDict):
    category: str
    region: NotRequired[str | None]
    effective_from: date
    effective_to: NotRequired[date | None]
    exempt: NotRequired[bool]
    components: NotRequired[list[TaxComponent]]
    description: NotRequired[str | None]


class TaxRuleSet(TypedDict):
    rules: list[TaxRule]


class CashRounding(TypedDict):
    increment: Decimal
    direction: NotRequired[CashDirection]


class Rounding(TypedDict, total=False):
    mode: RoundingMode
    level: RoundingLevel
    cash: CashRounding | None


class FreeScheme(TypedDict):
    buy: int
    get: int


class InvoiceLine(TypedDict):
    product: str
    batch: NotRequired[str | None]
    description: NotRequired[str | None]
    qty: int
    unit_price: Decimal
    price_includes_tax: NotRequired[bool]
    mrp: NotRequired[Decimal | None]
    tax_category: str
    discount_percent: NotRequired[Decimal | None]
    discount_amount: NotRequired[Decimal | None]
    scheme: NotRequired[FreeScheme | None]


class Charge(TypedDict):
    name: str
    amount: Decimal
    tax_category: NotRequired[str | None]
    price_includes_tax: NotRequired[bool]


class CopayPlan(TypedDict, total=False):
    copay_per_item: Decimal | None
    copay_per_invoice: Decimal | None
    coinsurance_percent: Decimal | None
    deductible_remaining: Decimal | None
    coverage_limit: Decimal | None
    non_covered: list[str]


class Tender(TypedDict):
    method: str
    amount: Decimal


class InvoiceRequest(TypedDict):
    number: NotRequired[str | None]
    date: date
    currency: str
    minor_units: NotRequired[int | None]
    seller_region: NotRequired[str | None]
    place_of_supply: NotRequired[str | None]
    rounding: NotRequired[Rounding]
    lines: list[InvoiceLine]
    charges: NotRequired[list[Charge]]
    discount_percent: NotRequired[Decimal | None]
    discount_amount: NotRequired[Decimal | None]
    copay: NotRequired[CopayPlan | None]
    payments: NotRequired[list[Tender]]
    words: NotRequired[WordsStyle | None]


class TaxAmount(TypedDict):
    name: str
    rate: Decimal
    amount: Decimal


class PricedLine(TypedDict):
    line_no: int
    kind: LineKind
    product: str
    batch: str | None
    description: str | None
    tax_category: str | None
    qty: int
    free_qty: int
    billed_qty: int
    unit_price: Decimal
    price_includes_tax: bool
    mrp: Decimal | None
    gross: Decimal
    discount: Decimal
    invoice_discount: Decimal
    taxable: Decimal
    taxes: list[TaxAmount]
    tax: Decimal
    total: Decimal
    treatment: TaxTreatment


class TaxTotal(TypedDict):
    name: str
    rate: Decimal
    taxable: Decimal
    amount: Decimal


class CategorySummary(TypedDict):
    category: str
    rate: Decimal
    taxable: Decimal
    taxes: list[TaxAmount]
    tax: Decimal
    total: Decimal


class InvoiceTotals(TypedDict):
    gross: Decimal
    line_discounts: Decimal
    invoice_discount: Decimal
    charges_total: Decimal
    taxable: Decimal
    tax: Decimal
    total_before_round_off: Decimal
    round_off: Decimal
    grand_total: Decimal
    payable: Decimal


class LineShare(TypedDict):
    line_no: int
    covered: bool
    patient: Decimal
    claim: Decimal


class CopaySplit(TypedDict):
    patient: Decimal
    claim: Decimal
    deductible_applied: Decimal
    lines: list[LineShare]


class Settlement(TypedDict):
    due: Decimal
    paid: Decimal
    balance_due: Decimal
    change: Decimal
    tenders: list[Tender]


class PricedInvoice(TypedDict):
    """A priced invoice; keep it to issue credit notes and daily summaries from."""

    number: str | None
    date: date
    currency: str
    minor_units: int
    rounding: Rounding
    supply: Supply
    lines: list[PricedLine]
    taxes: list[TaxTotal]
    category_summary: list[CategorySummary]
    totals: InvoiceTotals
    copay: CopaySplit | None
    settlement: Settlement | None
    amount_in_words: str | None


class ReturnLine(TypedDict):
    line_no: int
    qty: int


class CreditLine(TypedDict):
    line_no: int
    product: str
    batch: str | None
    qty: int
    taxable: Decimal
    taxes: list[TaxAmount]
    tax: Decimal
    total: Decimal


class CreditTotals(TypedDict):
    taxable: Decimal
    tax: Decimal
    round_off: Decimal
    total: Decimal


class CreditNote(TypedDict):
    number: str | None
    invoice_number: str | None
    date: date
    currency: str
    lines: list[CreditLine]
    taxes: list[TaxTotal]
    totals: CreditTotals
    complete: bool


class CreditRequest(TypedDict):
    number: NotRequired[str | None]
    date: date
    returns: list[ReturnLine]
    previous: NotRequired[list[CreditNote]]


class InvoiceSeries(TypedDict):
    prefix: str
    fiscal_year_start_month: NotRequired[int]
    width: NotRequired[int]


class InvoiceNumber(TypedDict):
    number: str
    fiscal_year: str
    sequence: int


class YearSequence(TypedDict):
    fiscal_year: str
    count: int
    first: int
    last: int
    missing: list[int]
    duplicates: list[int]


class SequenceReport(TypedDict):
    gapless: bool
    years: list[YearSequence]


class DaySummary(TypedDict):
    date: date
    currency: str
    invoices: int
    credit_notes: int
    gross: Decimal
    discounts: Decimal
    taxable: Decimal
    taxes: list[TaxTotal]
    tax: Decimal
    round_off: Decimal
    sales: Decimal
    returns: Decimal
    net: Decimal
    collected: list[Tender]
    balance_due: Decimal
    claims: Decimal


# ---- interactions -------------------------------------------------------------------------

Severity = Literal["contraindicated", "major", "moderate", "minor", "unknown"]
TargetKind = Literal["drug", "class"]
AlertKind = Literal["interaction", "duplicate_drug", "duplicate_therapy", "allergy", "additive_risk"]
MatchKind = Literal["id", "name", "synonym", "brand", "fuzzy"]


class RiskWeight(TypedDict):
    group: str
    weight: int


class Drug(TypedDict):
    id: str
    name: str
    synonyms: NotRequired[list[str]]
    brands: NotRequired[list[str]]
    atc: NotRequired[str | None]
    rxnorm: NotRequired[str | None]
    classes: NotRequired[list[str]]
    ingredients: NotRequired[list[str]]
    risks: NotRequired[list[RiskWeight]]


class DrugClass(TypedDict):
    code: str
    name: str
    parent: NotRequired[str | None]


class Target(TypedDict):
    kind: TargetKind
    id: str


class Rule(TypedDict):
    id: NotRequired[str]
    a: Target
    b: Target
    severity: NotRequired[Severity]
    mechanism: NotRequired[str | None]
    effect: NotRequired[str | None]
    management: NotRequired[str | None]
    evidence: NotRequired[str | None]
    source: NotRequired[str | None]


class RiskGroup(TypedDict):
    name: str
    label: str
    moderate: int
    major: int


class KnowledgeBase(TypedDict, total=False):
    source: str | None
    classes: list[DrugClass]
    drugs: list[Drug]
    rules: list[Rule]
    risk_groups: list[RiskGroup]


class KnowledgeSources(TypedDict, total=False):
    json: str | None
    atc_csv: list[str]
    ddinter_csv: list[str]


class LoadReport(TypedDict):
    rows: int
    rules_added: int
    duplicates_merged: int
    drugs_added: int
    classes_added: int


class PatientContext(TypedDict, total=False):
    allergies: list[str]
    duplicate_class_level: int | None
    allergy_class_level: int | None


class ScreenRequest(TypedDict):
    medications: list[str]
    context: NotRequired[PatientContext]


class CheckRequest(TypedDict):
    drug: str
    current: list[str]
    context: NotRequired[PatientContext]


class Alert(TypedDict):
    kind: AlertKind
    severity: Severity
    drugs: list[str]
    entries: list[str]
    rule: str | None
    mechanism: str | None
    effect: str | None
    management: str | None
    evidence: str | None
    source: str | None
    path: list[str]
    message: str


class ResolvedEntry(TypedDict):
    entry: str
    drug: str
    name: str
    ingredients: list[str]


class Screening(TypedDict):
    alerts: list[Alert]
    resolved: list[ResolvedEntry]
    unknown: list[str]


class Candidate(TypedDict):
    drug: str
    name: str
    matched: str
    how: MatchKind
    score: float


class Resolution(TypedDict):
    query: str
    candidates: list[Candidate]


class EdgeRow(TypedDict):
    rule: str
    a_kind: TargetKind
    a: str
    b_kind: TargetKind
    b: str
    severity: Severity
    weight: float


# "class" is a Python keyword, hence the functional form.
Membership = TypedDict("Membership", {"drug": str, "class": str, "level": int, "direct": bool})


class LinkScore(TypedDict):
    a: str
    b: str
    common_neighbours: int
    jaccard: float
    adamic_adar: float


class AdjacencyRows(TypedDict):
    drugs: list[str]
    weights: list[list[float]]


class InteractionStats(TypedDict):
    drugs: int
    classes: int
    rules: int
    combinations: int
    risk_groups: int
    nodes: int
    edges: int


# ----- forecasting -----------------------------------------------------------------------

# A model is a dict with its name and parameters, e.g. {"name": "croston_sba"},
# {"name": "auto_ets", "season": 12}, {"name": "holt_winters", "season": 12, "multiplicative": True},
# {"name": "tsb", "alpha_d": 0.1, "alpha_p": 0.1}, {"name": "regression", "lags": 3, "season": 12}.
ForecastModel = dict[str, Any]
DemandClass = Literal["smooth", "erratic", "intermittent", "lumpy", "insufficient"]
Frequency = Literal["day", "week", "month"]


class Series(TypedDict):
    id: str
    y: list[float | None]


class ForecastRequest(TypedDict, total=False):
    series: list[Series]
    model: ForecastModel
    horizon: int
    levels: list[float]
    fitted: bool


class Band(TypedDict):
    level: float
    lo: list[float | None]
    hi: list[float | None]


class SeriesForecast(TypedDict):
    id: str
    model: ForecastModel
    method: str | None
    mean: list[float | None]
    fitted: list[float | None]
    intervals: list[Band]


class LongRow(TypedDict):
    unique_id: str
    ds: date
    y: float | None


class LongForecastRequest(TypedDict, total=False):
    rows: list[LongRow]
    freq: Frequency
    model: ForecastModel
    horizon: int
    levels: list[float]


class LongForecastRow(TypedDict):
    unique_id: str
    ds: date
    mean: float | None
    lo: list[float | None]
    hi: list[float | None]


class BacktestRequest(TypedDict, total=False):
    series: list[Series]
    model: ForecastModel
    windows: int
    step: int
    horizon: int
    season: int
    levels: list[float]


class Pinball(TypedDict):
    quantile: float
    loss: float


class Metrics(TypedDict):
    n: int
    mae: float
    rmse: float
    mape: float | None
    smape: float
    mase: float
    rmsse: float
    bias: float
    pinball: list[Pinball]


class SeriesBacktest(TypedDict):
    id: str
    origins: list[int]
    metrics: Metrics


class BacktestReport(TypedDict):
    series: list[SeriesBacktest]
    pooled: Metrics


SeriesClass = TypedDict(
    "SeriesClass", {"id": str, "class": DemandClass, "adi": float | None, "cv2": float, "demands": int}
)


class StockPosition(TypedDict, total=False):
    product: str
    mean_demand: float
    sigma: float
    on_hand: float
    on_order: float
    lead_time: float
    review_period: float
    service_level: float
    pack_size: float
    moq: float
    shelf_life: float | None
    ordering_cost: float | None
    holding_cost: float | None


class Suggestion(TypedDict):
    product: str
    safety_stock: float
    reorder_point: float
    order_up_to: float
    position: float
    eoq: float | None
    raw_order: float
    expiry_cap: float | None
    order: float
    cover: float | None
    reason: str


class MatrixForecast(TypedDict):
    mean: Any  # numpy.ndarray, shape (rows, horizon)
    lo: Any  # numpy.ndarray, shape (levels, rows, horizon)
    hi: Any
    models: list[ForecastModel]
