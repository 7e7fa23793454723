/* tslint:disable */
/* eslint-disable */
// The shapes of apotheca's values in JavaScript, shared by @apotheca/node and @apotheca/wasm.
// Keys are camelCase. Money is a canonical decimal string ("63.00"): never a float, never a
// bigint. Dates are "YYYY-MM-DD" strings: never a JS Date, whose timezone can move an expiry
// by a day. Quantities are whole base units (tablets, ml) as numbers.

/** A decimal amount as a canonical string, e.g. `"63.00"`. */
export type Decimal = string & { readonly __brand?: 'Decimal' }
/** A calendar date as `"YYYY-MM-DD"`. */
export type IsoDate = string & { readonly __brand?: 'IsoDate' }

/** Stable error codes, the same in every language (see conformance/error-codes.json). */
export type ErrorCode =
| 'INVALID_QUANTITY' | 'INVALID_INPUT' | 'INVALID_DATE' | 'MALFORMED_INPUT'
| 'UNKNOWN_PRODUCT' | 'UNKNOWN_LOCATION' | 'UNKNOWN_BATCH' | 'ALREADY_REGISTERED'
| 'INSUFFICIENT_STOCK' | 'BATCH_EXPIRED' | 'BATCH_BLOCKED' | 'SAME_LOCATION_TRANSFER'
| 'TRANSFER_MISMATCH' | 'RESERVATION_MISMATCH' | 'DUPLICATE_POSTING'
| 'UNSUPPORTED_SCHEMA' | 'CORRUPT_LOG' | 'INTERNAL'
| 'UNKNOWN_TAX_CATEGORY' | 'INVALID_TAX_RULES' | 'PRICE_ABOVE_MRP' | 'DISCOUNT_TOO_LARGE'
| 'RETURN_EXCEEDS_SOLD' | 'OVERPAYMENT' | 'INVALID_INVOICE_NUMBER'
| 'INVALID_KNOWLEDGE_BASE' | 'UNKNOWN_DRUG' | 'INVALID_SERIES' | 'AMOUNT_OUT_OF_RANGE' | 'LIMIT_EXCEEDED' | 'STORE_UNAVAILABLE'

/** What every apotheca call throws (or rejects with): a real `Error` with a stable `code`. */
export interface ApothecaError extends Error {
    name: 'ApothecaError'
    code: ErrorCode
}

export type BatchStatus = 'released' | 'quarantined' | 'recalled'
export type MovementKind =
| 'receipt' | 'dispense' | 'customer_return' | 'supplier_return' | 'adjust_in' | 'adjust_out'
| 'transfer_out' | 'transfer_in' | 'reserve' | 'release_reservation' | 'quarantine' | 'release_quarantine'
export type AdjustReason = 'damage' | 'theft' | 'count_correction' | 'expiry_write_off'
export type PickReason = 'earliest_expiry' | 'opened_pack' | 'single_batch'

export interface Location { id: string; name: string }
export interface Ingredient { name: string; strength: string }
export interface Product {
    id: string
    name: string
    genericName: string
    ingredients?: Ingredient[]
    form: 'tablet' | 'capsule' | 'oral_liquid' | 'injection' | 'topical' | 'drops' | 'inhaler' | 'other'
    packSize: number
    soldLoose?: boolean
    schedule: 'otc' | 'prescription' | 'controlled'
    taxCategory: string
    storage: 'ambient' | 'cold_chain' | 'frozen'
}
export interface Batch {
    product: string
    batch: string
    expiry: IsoDate | null
    manufactured?: IsoDate | null
    unitCost: Decimal
    mrp: Decimal
    supplier?: string | null
    status?: BatchStatus
}
export interface Catalog { locations?: Location[]; products?: Product[]; batches?: Batch[] }

interface LineBase { product: string; batch: string; location: string; qty: number }
export type Line = LineBase & (
| { type: 'receipt' | 'customer_return'; unitCost?: Decimal }
| { type: 'dispense'; reservation?: string }
| { type: 'supplier_return' | 'quarantine' | 'release_quarantine' }
| { type: 'adjust_in'; reason: AdjustReason; unitCost?: Decimal }
| { type: 'adjust_out'; reason: AdjustReason }
| { type: 'transfer_out'; transfer: string; to: string }
| { type: 'transfer_in'; transfer: string }
| { type: 'reserve' | 'release_reservation'; reservation: string }
)
export interface Posting { key: string; date: IsoDate; reference?: string; lines: Line[] }
export interface StatusChange { key: string; date: IsoDate; product: string; batch: string; status: BatchStatus; reason?: string }

export interface AllocationPolicy { minShelfLifeDays?: number; allowPartial?: boolean; singleBatch?: boolean; openedPacksFirst?: boolean }
export interface AllocationRequest { product: string; location: string; qty: number; date: IsoDate; policy?: AllocationPolicy }
export interface DispenseRequest extends AllocationRequest { key: string; reference?: string }

export interface Pick { batch: string; expiry: IsoDate | null; qty: number; reason: PickReason }
export type Skipped = { batch: string; expiry: IsoDate | null; available: number } & (
| { reason: 'expired' | 'quarantined' | 'recalled' | 'no_free_stock' | 'too_small_for_single_batch' }
| { reason: 'shelf_life_too_short'; remainingDays: number; minDays: number }
)
export interface Allocation {
    product: string
    location: string
    date: IsoDate
    requested: number
    allocated: number
    shortfall: number
    picks: Pick[]
    skipped: Skipped[]
}
export interface LineOutcome {
    movement: MovementKind
    product: string
    batch: string
    location: string
    qty: number
    onHandAfter: number
    costFifo?: Decimal
    costMovingAverage?: Decimal
}
export interface PostingResult { seq: number; key: string; lines: LineOutcome[] }
export interface DispenseResult { allocation: Allocation; posting: PostingResult }

export interface StockFilter { product?: string | null; location?: string | null; batch?: string | null }
export interface StockRow {
    product: string
    batch: string
    location: string
    expiry: IsoDate | null
    status: BatchStatus
    onHand: number
    reserved: number
    blocked: number
    available: number
}
export interface StockTotals { onHand: number; reserved: number; blocked: number; available: number; inTransit: number }
export interface AsOfRow { product: string; batch: string; location: string; onHand: number }
export interface MovementEntry {
    seq: number
    date: IsoDate
    key: string
    reference: string | null
    movement: MovementKind
    product: string
    batch: string
    location: string
    qtyIn: number
    qtyOut: number
    balance: number
}
export interface ExpiryRow { product: string; batch: string; location: string; expiry: IsoDate; daysLeft: number; onHand: number }
export interface ExpiryBucket { fromDays: number; toDays: number; qty: number; rows: ExpiryRow[] }
export interface ValuationRow {
    location: string
    product: string
    onHand: number
    fifoValue: Decimal
    movingAverageUnitCost: Decimal
    movingAverageValue: Decimal
}
export interface Valuation { rows: ValuationRow[]; totalFifo: Decimal; totalMovingAverage: Decimal }
/** A remaining FIFO cost layer of a batch at a location. */
export interface CostLayer { qty: number; unitCost: Decimal }
export interface BatchTrace {
    product: string
    batch: string
    expiry: IsoDate | null
    status: BatchStatus
    supplier: string | null
    receipts: MovementEntry[]
    dispenses: MovementEntry[]
    other: MovementEntry[]
    onHand: StockRow[]
}
/** One entry of the event log: store it, publish it, replay it with `Ledger.fromEvents`. */
export interface LedgerEvent { schema: number; seq: number; hash: string; event: string; [payload: string]: unknown }

// ---- billing ------------------------------------------------------------------------------
export type ComponentKind = 'percent' | 'fixed' | 'gst'
export type RoundingMode = 'half_up' | 'half_even'
export type RoundingLevel = 'line' | 'invoice'
export type CashDirection = 'nearest' | 'up' | 'down'
export type WordsStyle = 'indian' | 'international'
export type LineKind = 'item' | 'charge'
export type TaxTreatment = 'taxable' | 'zero_rated' | 'exempt'
export type Supply = 'intra_state' | 'inter_state'

export interface TaxComponent { name: string; kind: ComponentKind; rate: Decimal; compound?: boolean }
export interface TaxRule {
    category: string
    region?: string | null
    effectiveFrom: IsoDate
    effectiveTo?: IsoDate | null
    exempt?: boolean
    components?: TaxComponent[]
    description?: string | null
}
/** A tax rule set: dated rules per category (HSN code, VAT class, `rx`/`otc`) and region. */
export interface TaxRuleSet { rules: TaxRule[] }
export interface CashRounding { increment: Decimal; direction?: CashDirection }
export interface Rounding { mode?: RoundingMode; level?: RoundingLevel; cash?: CashRounding | null }
export interface FreeScheme { buy: number; get: number }
export interface InvoiceLine {
    product: string
    batch?: string | null
    description?: string | null
    qty: number
    unitPrice: Decimal
    priceIncludesTax?: boolean
    mrp?: Decimal | null
    taxCategory: string
    discountPercent?: Decimal | null
    discountAmount?: Decimal | null
    scheme?: FreeScheme | null
}
export interface Charge { name: string; amount: Decimal; taxCategory?: string | null; priceIncludesTax?: boolean }
export interface CopayPlan {
    copayPerItem?: Decimal | null
    copayPerInvoice?: Decimal | null
    coinsurancePercent?: Decimal | null
    deductibleRemaining?: Decimal | null
    coverageLimit?: Decimal | null
    nonCovered?: string[]
}
export interface Tender { method: string; amount: Decimal }
export interface InvoiceRequest {
    number?: string | null
    date: IsoDate
    currency: string
    minorUnits?: number | null
    sellerRegion?: string | null
    placeOfSupply?: string | null
    rounding?: Rounding
    lines: InvoiceLine[]
    charges?: Charge[]
    discountPercent?: Decimal | null
    discountAmount?: Decimal | null
    copay?: CopayPlan | null
    payments?: Tender[]
    words?: WordsStyle | null
}
export interface TaxAmount { name: string; rate: Decimal; amount: Decimal }
export interface PricedLine {
    lineNo: number
    kind: LineKind
    product: string
    batch: string | null
    description: string | null
    taxCategory: string | null
    qty: number
    freeQty: number
    billedQty: number
    unitPrice: Decimal
    priceIncludesTax: boolean
    mrp: Decimal | null
    gross: Decimal
    discount: Decimal
    invoiceDiscount: Decimal
    taxable: Decimal
    taxes: TaxAmount[]
    tax: Decimal
    total: Decimal
    treatment: TaxTreatment
}
export interface TaxTotal { name: string; rate: Decimal; taxable: Decimal; amount: Decimal }
export interface CategorySummary { category: string; rate: Decimal; taxable: Decimal; taxes: TaxAmount[]; tax: Decimal; total: Decimal }
export interface InvoiceTotals {
    gross: Decimal
    lineDiscounts: Decimal
    invoiceDiscount: Decimal
    chargesTotal: Decimal
    taxable: Decimal
    tax: Decimal
    totalBeforeRoundOff: Decimal
    roundOff: Decimal
    grandTotal: Decimal
    payable: Decimal
}
export interface LineShare { lineNo: number; covered: boolean; patient: Decimal; claim: Decimal }
export interface CopaySplit { patient: Decimal; claim: Decimal; deductibleApplied: Decimal; lines: LineShare[] }
export interface Settlement { due: Decimal; paid: Decimal; balanceDue: Decimal; change: Decimal; tenders: Tender[] }
/** A priced invoice: keep it to issue credit notes and daily summaries from. */
export interface PricedInvoice {
    number: string | null
    date: IsoDate
    currency: string
    minorUnits: number
    rounding: Rounding
    supply: Supply
    lines: PricedLine[]
    taxes: TaxTotal[]
    categorySummary: CategorySummary[]
    totals: InvoiceTotals
    copay: CopaySplit | null
    settlement: Settlement | null
    amountInWords: string | null
}
export interface ReturnLine { lineNo: number; qty: number }
export interface CreditLine {
    lineNo: number
    product: string
    batch: string | null
    qty: number
    taxable: Decimal
    taxes: TaxAmount[]
    tax: Decimal
    total: Decimal
}
export interface CreditTotals { taxable: Decimal; tax: Decimal; roundOff: Decimal; total: Decimal }
export interface CreditNote {
    number: string | null
    invoiceNumber: string | null
    date: IsoDate
    currency: string
    lines: CreditLine[]
    taxes: TaxTotal[]
    totals: CreditTotals
    complete: boolean
}
export interface CreditRequest { number?: string | null; date: IsoDate; returns: ReturnLine[]; previous?: CreditNote[] }
export interface InvoiceSeries { prefix: string; fiscalYearStartMonth?: number; width?: number }
export interface InvoiceNumber { number: string; fiscalYear: string; sequence: number }
export interface YearSequence { fiscalYear: string; count: number; first: number; last: number; missing: number[]; duplicates: number[] }
export interface SequenceReport { gapless: boolean; years: YearSequence[] }
export interface DaySummary {
    date: IsoDate
    currency: string
    invoices: number
    creditNotes: number
    gross: Decimal
    discounts: Decimal
    taxable: Decimal
    taxes: TaxTotal[]
    tax: Decimal
    roundOff: Decimal
    sales: Decimal
    returns: Decimal
    net: Decimal
    collected: Tender[]
    balanceDue: Decimal
    claims: Decimal
}

// ---- interactions -------------------------------------------------------------------------
export type Severity = 'contraindicated' | 'major' | 'moderate' | 'minor' | 'unknown'
export type TargetKind = 'drug' | 'class'
export type AlertKind = 'interaction' | 'duplicate_drug' | 'duplicate_therapy' | 'allergy' | 'additive_risk'
export type MatchKind = 'id' | 'name' | 'synonym' | 'brand' | 'fuzzy'

export interface RiskWeight { group: string; weight: number }
export interface Drug {
    id: string
    name: string
    synonyms?: string[]
    brands?: string[]
    atc?: string | null
    rxnorm?: string | null
    classes?: string[]
    ingredients?: string[]
    risks?: RiskWeight[]
}
export interface DrugClass { code: string; name: string; parent?: string | null }
export interface Target { kind: TargetKind; id: string }
export interface Rule {
    id?: string
    a: Target
    b: Target
    severity?: Severity
    mechanism?: string | null
    effect?: string | null
    management?: string | null
    evidence?: string | null
    source?: string | null
}
export interface RiskGroup { name: string; label: string; moderate: number; major: number }
/** An interaction knowledge base in apotheca's JSON format (camelCase here). */
export interface KnowledgeBase { source?: string | null; classes?: DrugClass[]; drugs?: Drug[]; rules?: Rule[]; riskGroups?: RiskGroup[] }
/** CSV and JSON texts to merge into one knowledge base. */
export interface KnowledgeSources { json?: string | null; atcCsv?: string[]; ddinterCsv?: string[] }
export interface LoadReport { rows: number; rulesAdded: number; duplicatesMerged: number; drugsAdded: number; classesAdded: number }
export interface PatientContext { allergies?: string[]; duplicateClassLevel?: number | null; allergyClassLevel?: number | null }
export interface ScreenRequest { medications: string[]; context?: PatientContext }
export interface CheckRequest { drug: string; current: string[]; context?: PatientContext }
export interface Alert {
    kind: AlertKind
    severity: Severity
    drugs: string[]
    entries: string[]
    rule: string | null
    mechanism: string | null
    effect: string | null
    management: string | null
    evidence: string | null
    source: string | null
    /** The graph path that fired: drug → class … → rule → … class → drug. */
    path: string[]
    message: string
}
export interface ResolvedEntry { entry: string; drug: string; name: string; ingredients: string[] }
export interface Screening { alerts: Alert[]; resolved: ResolvedEntry[]; unknown: string[] }
export interface Candidate { drug: string; name: string; matched: string; how: MatchKind; score: number }
export interface Resolution { query: string; candidates: Candidate[] }
export interface EdgeRow { rule: string; aKind: TargetKind; a: string; bKind: TargetKind; b: string; severity: Severity; weight: number }
export interface Membership { drug: string; class: string; level: number; direct: boolean }
export interface LinkScore { a: string; b: string; commonNeighbours: number; jaccard: number; adamicAdar: number }
export interface AdjacencyRows { drugs: string[]; weights: number[][] }
export interface InteractionStats { drugs: number; classes: number; rules: number; combinations: number; riskGroups: number; nodes: number; edges: number }

// ----- forecasting -----
/** A model and its parameters: `{ name: 'croston_sba' }`, `{ name: 'auto_ets', season: 12 }`,
 *  `{ name: 'holt_winters', season: 12, multiplicative: true }`, `{ name: 'regression', lags: 3, season: 12 }`. */
export type ForecastModel =
| { name: 'naive' } | { name: 'seasonal_naive'; season: number } | { name: 'moving_average'; window: number }
| { name: 'ses'; alpha: number } | { name: 'ses_optimized' }
| { name: 'croston_classic' } | { name: 'croston_sba' } | { name: 'croston_optimized' }
| { name: 'tsb'; alphaD: number; alphaP: number } | { name: 'adida' } | { name: 'imapa' }
| { name: 'holt'; damped?: boolean } | { name: 'holt_winters'; season: number; multiplicative?: boolean; damped?: boolean }
| { name: 'auto_ets'; season: number } | { name: 'regression'; lags: number; season: number } | { name: 'auto' }
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'insufficient'
export type Frequency = 'day' | 'week' | 'month'
/** Demand per period, oldest first; `null` for a missing value (no recorded sale). */
export interface Series { id: string; y: Array<number | null> }
export interface ForecastRequest { series: Series[]; model: ForecastModel; horizon: number; levels?: number[]; fitted?: boolean }
export interface Band { level: number; lo: Array<number | null>; hi: Array<number | null> }
export interface SeriesForecast {
    id: string
    /** The model used (what `auto` chose). */
    model: ForecastModel
    /** The fitted ETS form, e.g. `ETS(A,Ad,N)`, for Holt, Holt-Winters and AutoETS. */
    method: string | null
    mean: Array<number | null>
    fitted: Array<number | null>
    intervals: Band[]
}
export interface LongRow { uniqueId: string; ds: IsoDate; y: number | null }
export interface LongForecastRequest { rows: LongRow[]; freq: Frequency; model: ForecastModel; horizon: number; levels?: number[] }
export interface LongForecastRow { uniqueId: string; ds: IsoDate; mean: number | null; lo: Array<number | null>; hi: Array<number | null> }
export interface BacktestRequest { series: Series[]; model: ForecastModel; windows: number; step: number; horizon: number; season?: number; levels?: number[] }
export interface Pinball { quantile: number; loss: number }
export interface Metrics { n: number; mae: number; rmse: number; mape: number | null; smape: number; mase: number; rmsse: number; bias: number; pinball: Pinball[] }
export interface SeriesBacktest { id: string; origins: number[]; metrics: Metrics }
export interface BacktestReport { series: SeriesBacktest[]; pooled: Metrics }
export interface SeriesClass { id: string; class: DemandClass; adi: number | null; cv2: number; demands: number }
export interface StockPosition {
    product: string; meanDemand: number; sigma: number; onHand: number; onOrder: number
    leadTime: number; reviewPeriod: number; serviceLevel: number; packSize: number; moq: number
    /** Periods incoming stock can be sold before it expires (the expiry-aware cap). */
    shelfLife?: number | null
    orderingCost?: number | null; holdingCost?: number | null
}
export interface Suggestion {
    product: string; safetyStock: number; reorderPoint: number; orderUpTo: number; position: number
    eoq: number | null; rawOrder: number; expiryCap: number | null; order: number; cover: number | null; reason: string
}



/**
 * Prices invoices with one validated tax rule set.
 */
export class Billing {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * An engine over a JSON rule file's text (snake_case keys, as in the file format).
     */
    static fromJson(text: string): Billing;
    /**
     * An engine over a rule set (validated when loaded).
     */
    constructor(rules: TaxRuleSet);
    /**
     * Prices an invoice with the rules in force on its date.
     */
    priceInvoice(invoice: InvoiceRequest): PricedInvoice;
    /**
     * The rules as loaded.
     */
    rules(): TaxRuleSet;
}

/**
 * Screens medication lists against one knowledge base, in this page's memory.
 */
export class Interactions {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The drug × drug matrix of severity weights (dense: n² numbers).
     */
    adjacency(): AdjacencyRows;
    /**
     * One new drug against the current list: only the alerts it takes part in.
     */
    checkNew(request: CheckRequest): Screening;
    edgeList(): EdgeRow[];
    /**
     * A knowledge base in the JSON format (snake_case keys, as in the file).
     */
    static fromJson(text: string): Interactions;
    knowledgeBase(): KnowledgeBase;
    loadReports(): LoadReport[];
    /**
     * JSON, then ATC class tables, then DDInter-style pair lists (CSV text), merged.
     */
    static load(sources: KnowledgeSources): Interactions;
    memberships(): Membership[];
    /**
     * An engine over a knowledge base given as a value (validated when built).
     */
    constructor(knowledge_base: KnowledgeBase);
    /**
     * Pairs with no known rule, best Adamic–Adar first (with `drug` only, if given).
     */
    predictLinks(drug: string | null | undefined, limit: number | undefined): LinkScore[];
    /**
     * Ranked candidates for free text (exact, else near spellings scoring ≥ 0.7).
     */
    resolve(text: string, limit: number | undefined): Resolution;
    /**
     * The built-in sample knowledge base (well-known facts; not clinical advice).
     */
    static sample(): Interactions;
    /**
     * Screens a medication list.
     */
    screen(request: ScreenRequest): Screening;
    stats(): InteractionStats;
}

/**
 * A stock ledger, in this page's memory.
 */
export class Ledger {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * FEFO allocation at the document date. Changes nothing.
     */
    allocate(request: AllocationRequest): Allocation;
    availableToPromise(product: string, location: string, date: IsoDate, minShelfLifeDays: number | undefined): number;
    /**
     * The remaining FIFO cost layers of a batch at a location, oldest first.
     */
    costLayers(product: string, batch: string, location: string): CostLayer[];
    /**
     * A fingerprint of the state; a replayed log gives the same.
     */
    digest(): string;
    /**
     * Allocates by FEFO and posts the dispense atomically, idempotent on the key.
     */
    dispense(request: DispenseRequest): DispenseResult;
    /**
     * The log from sequence number `start` on (default 0) as JSON text in the log's own
     * format (snake_case, as in every language): save it, ship it, or restore it with
     * `Ledger.fromEventsJson` — the way to move a large log (one string, not millions of
     * objects).
     */
    eventsJson(start: number | undefined): string;
    /**
     * The events from sequence number `seq` on. A page has no file system: after each write,
     * append `eventsSince(saved)` to IndexedDB (or send it to a server) and restore the
     * ledger with `Ledger.fromEvents` on the next visit.
     */
    eventsSince(seq: number): LedgerEvent[];
    /**
     * The event log, oldest first: store it, or replay it with `Ledger.fromEvents`.
     */
    events(): LedgerEvent[];
    expired(on: IsoDate, location: string | null | undefined): ExpiryRow[];
    expiringWithin(on: IsoDate, days: number, location: string | null | undefined): ExpiryRow[];
    /**
     * Stock expiring in 0–30, 31–60, 61–90 days (or the bounds given).
     */
    expiryBuckets(on: IsoDate, bounds: number[] | null | undefined, location: string | null | undefined): ExpiryBucket[];
    /**
     * Rebuilds a ledger from `eventsJson()` text; with `head` (saved with the log), refuses a
     * log cut short at the end.
     */
    static fromEventsJson(text: string, head: string | null | undefined): Ledger;
    /**
     * Rebuilds a ledger from `events()` output.
     */
    static fromEvents(events: LedgerEvent[]): Ledger;
    /**
     * The chained hash of the newest event: save it beside the log.
     */
    head(): string;
    /**
     * Registers locations, products and batches: all or none.
     */
    loadCatalog(catalog: Catalog): void;
    constructor();
    /**
     * Posts movements, all lines or none; the same key and payload again returns the first result.
     */
    post(posting: Posting): PostingResult;
    registerBatch(batch: Batch): void;
    registerLocation(location: Location): void;
    registerProduct(product: Product): void;
    /**
     * Quarantines, releases or recalls a batch everywhere; returns the event's sequence number.
     */
    setBatchStatus(change: StatusChange): number;
    stockAsOf(date: IsoDate, filter: StockFilter | undefined): AsOfRow[];
    stockCard(filter: StockFilter & { product: string }): MovementEntry[];
    stockTotals(filter: StockFilter | undefined): StockTotals;
    stock(filter: StockFilter | undefined): StockRow[];
    /**
     * Where a batch came from and every dispense it went into (recalls).
     */
    traceBatch(product: string, batch: string): BatchTrace;
    traceDocument(reference: string): MovementEntry[];
    valuation(location: string | null | undefined): Valuation;
}

/**
 * An amount in words: `"indian"` (lakh, crore) or `"international"` (the default).
 */
export function amountInWords(amount: Decimal, currency: string, style: WordsStyle | undefined): string;

/**
 * Rolling-origin accuracy per series and pooled.
 */
export function backtest(request: BacktestRequest): BacktestReport;

/**
 * Audits numbers of a series for gaps and duplicates per fiscal year.
 */
export function checkInvoiceNumbers(series: InvoiceSeries, numbers: string[]): SequenceReport;

/**
 * Demand class of every series (ADI / CV²).
 */
export function classify(series: Series[]): SeriesClass[];

/**
 * A credit note reversing exactly the tax charged on the returned units.
 */
export function creditNote(invoice: PricedInvoice, request: CreditRequest): CreditNote;

/**
 * The daily summary of invoices and credit notes, per day and currency.
 */
export function dailySummary(invoices: PricedInvoice[], credit_notes: CreditNote[] | undefined): DaySummary[];

/**
 * Every error code, as listed in conformance/error-codes.json.
 */
export function errorCodes(): ErrorCode[];

/**
 * The optional features of this build (`toml`, `parallel`, `regression`): WebAssembly has none.
 */
export function features(): string[];

/**
 * Forecasts every series; one bad series fails the call, naming it.
 */
export function forecast(request: ForecastRequest): SeriesForecast[];

/**
 * Long format (`uniqueId, ds, y`) in and out; missing periods are no sale.
 */
export function forecastLong(request: LongForecastRequest): LongForecastRow[];

/**
 * The next number of a series on `date`, given the last number issued (none: the first).
 */
export function nextInvoiceNumber(series: InvoiceSeries, date: IsoDate, last: string | null | undefined): InvoiceNumber;

/**
 * Reads an expiry label as printed on a pack: `"EXP 06/2027"` → `"2027-06-30"`.
 */
export function parseExpiry(label: any): IsoDate;

/**
 * Settles an amount due with tenders: paid, balance due, change (from cash only).
 */
export function settlePayments(currency: string, due: Decimal, tenders: Tender[]): Settlement;

/**
 * Order suggestions, most urgent (least cover) first, capped by what sells before expiry.
 */
export function suggestOrders(positions: StockPosition[]): Suggestion[];

/**
 * The version of the apotheca core this module was built from.
 */
export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_billing_free: (a: number, b: number) => void;
    readonly __wbg_interactions_free: (a: number, b: number) => void;
    readonly __wbg_ledger_free: (a: number, b: number) => void;
    readonly amountInWords: (a: any, b: any, c: any) => [number, number, number];
    readonly backtest: (a: any) => [number, number, number];
    readonly billing_fromJson: (a: any) => [number, number, number];
    readonly billing_new: (a: any) => [number, number, number];
    readonly billing_priceInvoice: (a: number, b: any) => [number, number, number];
    readonly billing_rules: (a: number) => [number, number, number];
    readonly checkInvoiceNumbers: (a: any, b: any) => [number, number, number];
    readonly classify: (a: any) => [number, number, number];
    readonly creditNote: (a: any, b: any) => [number, number, number];
    readonly dailySummary: (a: any, b: any) => [number, number, number];
    readonly errorCodes: () => [number, number, number];
    readonly features: () => [number, number];
    readonly forecast: (a: any) => [number, number, number];
    readonly forecastLong: (a: any) => [number, number, number];
    readonly interactions_adjacency: (a: number) => [number, number, number];
    readonly interactions_checkNew: (a: number, b: any) => [number, number, number];
    readonly interactions_edgeList: (a: number) => [number, number, number];
    readonly interactions_fromJson: (a: any) => [number, number, number];
    readonly interactions_knowledgeBase: (a: number) => [number, number, number];
    readonly interactions_load: (a: any) => [number, number, number];
    readonly interactions_loadReports: (a: number) => [number, number, number];
    readonly interactions_memberships: (a: number) => [number, number, number];
    readonly interactions_new: (a: any) => [number, number, number];
    readonly interactions_predictLinks: (a: number, b: any, c: any) => [number, number, number];
    readonly interactions_resolve: (a: number, b: any, c: any) => [number, number, number];
    readonly interactions_sample: () => [number, number, number];
    readonly interactions_screen: (a: number, b: any) => [number, number, number];
    readonly interactions_stats: (a: number) => [number, number, number];
    readonly ledger_allocate: (a: number, b: any) => [number, number, number];
    readonly ledger_availableToPromise: (a: number, b: any, c: any, d: any, e: number) => [number, number, number];
    readonly ledger_costLayers: (a: number, b: any, c: any, d: any) => [number, number, number];
    readonly ledger_digest: (a: number) => [number, number, number];
    readonly ledger_dispense: (a: number, b: any) => [number, number, number];
    readonly ledger_events: (a: number) => [number, number, number];
    readonly ledger_eventsJson: (a: number, b: any) => [number, number, number];
    readonly ledger_eventsSince: (a: number, b: any) => [number, number, number];
    readonly ledger_expired: (a: number, b: any, c: any) => [number, number, number];
    readonly ledger_expiringWithin: (a: number, b: any, c: any, d: any) => [number, number, number];
    readonly ledger_expiryBuckets: (a: number, b: any, c: any, d: any) => [number, number, number];
    readonly ledger_fromEvents: (a: any) => [number, number, number];
    readonly ledger_fromEventsJson: (a: any, b: any) => [number, number, number];
    readonly ledger_head: (a: number) => [number, number, number];
    readonly ledger_loadCatalog: (a: number, b: any) => [number, number];
    readonly ledger_new: () => number;
    readonly ledger_post: (a: number, b: any) => [number, number, number];
    readonly ledger_registerBatch: (a: number, b: any) => [number, number];
    readonly ledger_registerLocation: (a: number, b: any) => [number, number];
    readonly ledger_registerProduct: (a: number, b: any) => [number, number];
    readonly ledger_setBatchStatus: (a: number, b: any) => [number, number, number];
    readonly ledger_stock: (a: number, b: any) => [number, number, number];
    readonly ledger_stockAsOf: (a: number, b: any, c: any) => [number, number, number];
    readonly ledger_stockCard: (a: number, b: any) => [number, number, number];
    readonly ledger_stockTotals: (a: number, b: any) => [number, number, number];
    readonly ledger_traceBatch: (a: number, b: any, c: any) => [number, number, number];
    readonly ledger_traceDocument: (a: number, b: any) => [number, number, number];
    readonly ledger_valuation: (a: number, b: any) => [number, number, number];
    readonly nextInvoiceNumber: (a: any, b: any, c: any) => [number, number, number];
    readonly panicForTests: () => [number, number, number];
    readonly parseExpiry: (a: any) => [number, number, number];
    readonly settlePayments: (a: any, b: any, c: any) => [number, number, number];
    readonly suggestOrders: (a: any) => [number, number, number];
    readonly version: () => [number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
