"""Type stubs of the native module (apotheca._native). Import from ``apotheca`` instead."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ._frames import ArrowArray, ArrowStream, ArrowTable
from .types import (
    BacktestReport,
    BacktestRequest,
    ForecastModel,
    ForecastRequest,
    FrameSpec,
    LongForecastRequest,
    LongForecastRow,
    MatrixForecast,
    Series,
    SeriesClass,
    SeriesForecast,
    StockPosition,
    Suggestion,
    ConsumptionRequest,
    ConsumptionReport,
    AdjacencyRows,
    CheckRequest,
    EdgeRow,
    InteractionStats,
    KnowledgeBase,
    KnowledgeSources,
    LinkScore,
    LoadReport,
    Membership,
    Resolution,
    Rule,
    ScreenRequest,
    Screening,
    Allocation,
    AllocationRequest,
    AsOfRow,
    Batch,
    BatchTrace,
    CostLayer,
    Catalog,
    CreditNote,
    CreditRequest,
    DaySummary,
    DispenseRequest,
    DispenseResult,
    DocumentLine,
    Event,
    ExpiryBucket,
    ExpiryRow,
    InvoiceNumber,
    InvoiceRequest,
    InvoiceSeries,
    Location,
    LotAlerts,
    MovementEntry,
    Posting,
    PostingResult,
    PricedInvoice,
    Product,
    SequenceReport,
    Settlement,
    TaxLineRequest,
    TaxDocumentRequest,
    TaxDocument,
    TaxLineResult,
    RepriceRequest,
    Repriced,
    StatusChange,
    StockRow,
    StockTotals,
    TaxRuleSet,
    Tender,
    Valuation,
    WordsStyle,
)

def parse_expiry(label: str) -> date:  # own doc
    """Reads an expiry label as printed on a pack: ``"EXP 06/2027"`` → 2027-06-30."""

def version() -> str:
    """The build's version, for support tickets and the bindings' `__version__`."""
def error_codes() -> list[str]: ...
def _wire_fields() -> tuple[list[str], list[str]]: ...

def forecast(request: ForecastRequest) -> list[SeriesForecast]:  # own doc
    """Forecasts every series (in parallel, GIL released). One bad series fails the call, naming it."""
def forecast_long(request: LongForecastRequest) -> list[LongForecastRow]:  # own doc
    """Long format (unique_id, ds, y) in and out; missing periods are no sale."""
def forecast_matrix(y: Any, model: ForecastModel, horizon: int, levels: Sequence[float] | None = None, lengths: Sequence[int] | None = None) -> MatrixForecast:  # own doc
    """y: a (series × time) float64 NumPy array, NaN-padded or with ``lengths``; read without a
    copy when C-contiguous. Returns NumPy arrays: mean (rows, h), lo/hi (levels, rows, h)."""
def backtest(request: BacktestRequest) -> BacktestReport:
    """Rolling-origin evaluation, per series and pooled. One series too short fails the call."""
def classify(series: Sequence[Series]) -> list[SeriesClass]:
    """Demand class of every series (ADI and CV², Syntetos–Boylan cut-offs 1.32 and 0.49)."""
def forecast_frame(table: ArrowStream, spec: FrameSpec, progress: Callable[[int, int], object] | None = None) -> ArrowTable:  # own doc
    """A long Arrow table (``__arrow_c_stream__``: pyarrow, polars) → statsforecast-shaped
    forecasts, as an Arrow table. ``apotheca.forecast_frame`` takes and returns DataFrames."""
def _object_strings(values: Any) -> ArrowArray | None:  # own doc
    """A NumPy object array of ``str`` as an Arrow dictionary array (``None`` if a value is
    not a ``str``); ``apotheca.forecast_frame`` uses it for pandas id columns."""
def cross_validation_frame(table: ArrowStream, spec: FrameSpec, windows: int, step: int | None = None, progress: Callable[[int, int], object] | None = None) -> ArrowTable:  # own doc
    """Rolling-origin forecasts shaped as statsforecast's ``cross_validation``, as an Arrow table."""
def fitted_frame(table: ArrowStream, spec: FrameSpec, progress: Callable[[int, int], object] | None = None) -> ArrowTable:  # own doc
    """In-sample one-step forecasts of every model, as an Arrow table."""
def suggest_orders(positions: Sequence[StockPosition]) -> list[Suggestion]:  # own doc
    """In the positions' order (rank by ``cover``); orders never exceed what sells before it expires."""

def average_monthly_consumption(request: ConsumptionRequest) -> ConsumptionReport:  # own doc
    """Consumption per period from stock balances (OpenLMIS), the average monthly consumption
    and the min/max order in months of stock."""

class Interactions:
    """Screens medication lists against one knowledge base (immutable, thread-safe; calls
    release the GIL; pickles with its knowledge base)."""

    def __init__(self, knowledge_base: KnowledgeBase | Mapping[str, Any]) -> None: ...
    @staticmethod
    def sample() -> Interactions:  # own doc
        """The built-in sample knowledge base (well-known facts; not clinical advice)."""
    @staticmethod
    def from_json(text: str) -> Interactions:
        """A knowledge base in this crate's JSON format."""
    @staticmethod
    def load(sources: KnowledgeSources) -> Interactions:  # own doc
        """JSON, then ATC class tables, then DDInter-style pair lists (CSV text), merged."""
    def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base as compiled (rules carry their ids)."""
    def load_reports(self) -> list[LoadReport]:
        """What each CSV source added, in load order (empty unless built by `Interactions::load`)."""
    def stats(self) -> InteractionStats:
        """Sizes of the knowledge base and graph."""
    def screen(self, request: ScreenRequest) -> Screening:
        """Screens a medication list."""
    def screen_many(self, requests: list[ScreenRequest]) -> list[Screening]:
        """Screens many lists in one call (at most 100,000), one screening per list in order."""
    def explain(self, rule: str) -> Rule | None:
        """A rule's full text by its id (what a lean screen leaves out); `None` for no such rule."""
    def check_new(self, request: CheckRequest) -> Screening:
        """One new drug against the current list: only the alerts it takes part in."""
    def resolve(self, text: str, limit: int | None = 5) -> Resolution:
        """Ranked candidates for free text (exact, else near spellings)."""
    def edge_list(self) -> list[EdgeRow]:
        """Every rule as an edge with its severity weight."""
    def adjacency(self) -> AdjacencyRows:
        """The drug × drug adjacency matrix, as rows."""
    def memberships(self) -> list[Membership]:
        """Drug–class memberships, ancestors included."""
    def predict_links(self, drug: str | None = None, limit: int | None = 20) -> list[LinkScore]:
        """Link-prediction scores for pairs with no known rule (with `drug` only, if given)."""

class Billing:
    """Prices invoices with one validated tax rule set. Immutable and thread-safe; calls release
    the GIL; pickles with its rules."""

    def __init__(self, rules: TaxRuleSet | Mapping[str, Any]) -> None: ...
    @staticmethod
    def from_json(text: str) -> Billing:
        """An engine over a JSON rule set: `{"rules": [...]}`."""
    @staticmethod
    def from_toml(text: str) -> Billing:
        """An engine over a TOML rule set: `[[rules]]` tables."""
    def rules(self) -> TaxRuleSet:
        """The rules as loaded."""
    def price_invoice(self, invoice: InvoiceRequest) -> PricedInvoice:
        """Prices an invoice with the rules in force on its date."""

    def price_document(self, request: TaxDocumentRequest) -> TaxDocument:
        """Taxes a document whose lines name tax categories, with the rules in force on its date,
        in the general tax model (fractional quantities, refund lines, global rounding, the
        company's currency, document discounts, cash rounding strategies).
        """

def credit_note(invoice: PricedInvoice, request: CreditRequest) -> CreditNote:  # own doc
    """A credit note reversing exactly the tax charged on the returned units."""

def compute_taxes(request: TaxLineRequest) -> TaxLineResult:  # own doc
    """The taxes of one line from explicit tax properties (no rule set, date or category)."""

def compute_document(request: TaxDocumentRequest) -> TaxDocument:  # own doc
    """A document of single lines taxed together, with its totals (per line or global rounding)."""

def reprice(request: RepriceRequest) -> Repriced:  # own doc
    """A tax-included price re-expressed under another tax set (a fiscal position's mapping)."""

def settle_payments(currency: str, due: Decimal, tenders: Sequence[Tender]) -> Settlement:
    """Settles `due` with tenders: paid, balance due, change (from cash only)."""
def amount_in_words(amount: Decimal, currency: str, style: WordsStyle | None = None) -> str:
    """An amount in words, Indian or international style."""
def next_invoice_number(series: InvoiceSeries, date: date, last: str | None = None) -> InvoiceNumber:
    """The next number of a series on `date`, given the last number issued (`None`: the first)."""
def check_invoice_numbers(series: InvoiceSeries, numbers: Sequence[str]) -> SequenceReport:
    """Audits numbers of a series for gaps and duplicates per fiscal year."""
def daily_summary(invoices: Sequence[PricedInvoice], credit_notes: Sequence[CreditNote] | None = None) -> list[DaySummary]:
    """The daily summary of invoices and credit notes, per day and currency."""

class Ledger:
    """A stock ledger. Thread-safe: share one between threads; calls release the GIL."""

    def __init__(self) -> None: ...
    @staticmethod
    def open(url: str) -> Ledger:  # own doc
        """Opens the ledger stored at ``url``: ``sqlite:PATH`` or ``postgres://…``; options may
        follow (``?snapshot_every=100000&memory_events=10000``). Writes return once committed."""
    def snapshot(self) -> int:  # own doc
        """Writes a snapshot of a stored ledger now; returns the sequence number it covers."""
    def refresh(self) -> int:  # own doc
        """Catches up with what other instances appended; returns the next sequence number."""
    def close(self) -> None:  # own doc
        """Closes a stored ledger: later writes raise ``StoreUnavailableError``."""
    @property
    def stored(self) -> bool: ...
    def __len__(self) -> int: ...
    def __enter__(self) -> Ledger: ...
    def __exit__(self, *args: object) -> bool: ...
    def events_since(self, seq: int) -> list[Event]:  # own doc
        """The events from sequence number ``seq`` on (incremental saving without a store)."""
    @staticmethod
    def from_events(events: Sequence[Event] | Sequence[Mapping[str, Any]]) -> Ledger:
        """Rebuilds a ledger from its event log (as returned by `Ledger::events`)."""
    def load_catalog(self, catalog: Catalog) -> None:
        """Registers a catalog: all of it, or nothing if any entry is refused."""
    def register_location(self, location: Location) -> None:
        """Registers one location."""
    def register_product(self, product: Product) -> None:
        """Registers one product."""
    def register_batch(self, batch: Batch) -> None:
        """Registers one batch."""
    def post(self, posting: Posting) -> PostingResult:
        """Posts movements, all lines or none, idempotent on the key."""
    def allocate(self, request: AllocationRequest) -> Allocation:
        """FEFO allocation at the document date. Changes nothing."""
    def dispense(self, request: DispenseRequest) -> DispenseResult:
        """Allocates by FEFO and posts the dispense atomically, idempotent on the key."""
    def set_batch_status(self, change: StatusChange) -> int:
        """Quarantines, releases or recalls a batch everywhere; returns the event's sequence number."""
    def available_to_promise(self, product: str, location: str, date: date, min_shelf_life_days: int = 0) -> int:
        """Units FEFO could give on `date` with at least `min_shelf_life_days` left."""
    def stock(self, product: str | None = None, location: str | None = None, batch: str | None = None) -> list[StockRow]:
        """Stock rows per batch and location."""
    def stock_totals(self, product: str | None = None, location: str | None = None, batch: str | None = None) -> StockTotals:
        """Totals (on hand, reserved, blocked, available, in transit) for a filter."""
    def stock_as_of(self, date: date, product: str | None = None, location: str | None = None, batch: str | None = None) -> list[AsOfRow]:
        """On hand at the end of a past date."""
    def stock_card(self, product: str, location: str | None = None, batch: str | None = None) -> list[MovementEntry]:
        """Movement history of a product with running balance."""
    def expiring_within(self, on: date, days: int, location: str | None = None) -> list[ExpiryRow]:
        """Stock expiring within `days` days of `on` (still usable on `on`)."""
    def expired(self, on: date, location: str | None = None) -> list[ExpiryRow]:
        """Stock expired on `on`."""
    def lot_alerts(self, on: date, since: date | None = None) -> LotAlerts:
        """The batches with stock whose alert date is after `since` and on or before `on`, and the
        cursor to pass as `since` next time (each batch is then reported once).
        """
    def expiry_buckets(self, on: date, bounds: Sequence[int] = (30, 60, 90), location: str | None = None) -> list[ExpiryBucket]:
        """Expiry buckets, e.g. bounds `[30, 60, 90]`."""
    def valuation(self, location: str | None = None) -> Valuation:
        """Stock value by FIFO layers and moving average."""
    def cost_layers(self, product: str, batch: str, location: str) -> list[CostLayer]:
        """Remaining FIFO layers of a batch at a location."""
    def trace_batch(self, product: str, batch: str) -> BatchTrace:
        """A batch's receipts, dispenses and other movements: for recalls."""
    def trace_document(self, reference: str) -> list[MovementEntry]:
        """Every line posted under a document reference."""
    def document(self, reference: str) -> list[DocumentLine]:
        """A document's lines merged per batch, location and movement: what a prescription or
        invoice holds after every posting under its reference (more dispensed of a batch adds
        to that batch's line).
        """
    def events(self) -> list[Event]:
        """The event log, oldest first, for storage or publishing."""
    def events_json(self, start: int | None = None) -> str:  # own doc
        """The log from sequence ``start`` on as JSON text (the fast way to save a large log)."""
    @staticmethod
    def from_events_json(text: str, head: str | None = None) -> Ledger:  # own doc
        """Rebuilds a ledger from ``events_json()`` text; with ``head``, refuses a log cut short."""
    def head(self) -> str:  # own doc
        """The chained hash of the newest event: save it with the log."""
    def digest(self) -> str:
        """A fingerprint of the state; a replayed log gives the same."""
