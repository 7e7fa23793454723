//! `Ledger`: each method converts its arguments, calls the facade, converts the result.
//! `*Async` variants run the call on the libuv thread pool and return a Promise.

use apotheca::{Ledger, LocationId, StockFilter};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::conv::{self, Job, arg, call, opt, param};
use crate::error;

/// A stock ledger. Cheap to share: every reference sees the same stock.
#[napi(js_name = "Ledger")]
pub struct JsLedger(Ledger);

#[napi]
impl JsLedger {
    #[napi(constructor)]
    pub fn new() -> Self {
        Self(Ledger::new())
    }

    /// Opens the ledger stored at `url`: `sqlite:PATH` (one file) or `postgres://…` (shared by
    /// many service instances). Resolves once the snapshot is loaded and the log replayed.
    /// Writes return only once committed: use the `*Async` methods on a stored ledger so that
    /// the event loop does not wait for the disk. `close()` it when done.
    #[napi(ts_args_type = "url: string", ts_return_type = "Promise<Ledger>")]
    pub fn open(env: &Env, url: Unknown<'_>) -> AsyncTask<OpenTask> {
        AsyncTask::new(OpenTask(Some(param(env, "url", url))))
    }

    /// `Ledger.open`, blocking until the ledger is loaded (for scripts and start-up code).
    #[napi(factory, ts_args_type = "url: string")]
    pub fn open_sync(env: &Env, url: Unknown<'_>) -> Result<Self> {
        param::<String>(env, "url", url)
            .and_then(|u| Ledger::open(&u))
            .map(Self)
            .map_err(|e| error::to_js(env, e))
    }

    /// Whether the ledger is stored (opened with `Ledger.open`).
    #[napi(getter)]
    pub fn stored(&self) -> bool {
        self.0.is_stored()
    }

    /// Writes a snapshot of a stored ledger now; returns the sequence number it covers.
    #[napi(ts_return_type = "number")]
    pub fn snapshot<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.snapshot())
    }

    /// Catches up with what other instances appended; returns the next sequence number.
    #[napi(ts_return_type = "number")]
    pub fn refresh<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.refresh())
    }

    /// Closes a stored ledger: later writes reject with `STORE_UNAVAILABLE`; reads answer from
    /// memory. Closing twice does nothing.
    #[napi]
    pub fn close(&self) {
        self.0.close()
    }

    /// The events from sequence number `seq` on: save them after each write where there is no
    /// store (a browser, an app), restore them with `Ledger.fromEvents`.
    #[napi(ts_args_type = "seq: number", ts_return_type = "LedgerEvent[]")]
    pub fn events_since<'e>(&self, env: &'e Env, seq: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.events_since(param(env, "seq", seq)?))
    }

    /// Rebuilds a ledger from `events()` output.
    #[napi(factory, ts_args_type = "events: LedgerEvent[]")]
    pub fn from_events(env: &Env, events: Unknown<'_>) -> Result<Self> {
        arg(env, events)
            .and_then(|e: Vec<apotheca::EventEnvelope>| Ledger::from_events(&e))
            .map(Self)
            .map_err(|e| error::to_js(env, e))
    }

    /// Rebuilds a ledger from `eventsJson()` text (the fast way to restore a large log); with
    /// `head` (saved with the log), refuses a log cut short at the end.
    #[napi(factory, ts_args_type = "text: string, head?: string | null")]
    pub fn from_events_json(
        env: &Env,
        text: Unknown<'_>,
        head: Option<Unknown<'_>>,
    ) -> Result<Self> {
        param::<String>(env, "text", text)
            .and_then(|t| {
                let h: Option<String> = opt(env, "head", head)?;
                Ledger::from_events_json(&t, h.as_deref())
            })
            .map(Self)
            .map_err(|e| error::to_js(env, e))
    }

    /// The log from sequence number `start` on (default 0) as JSON text: save it, ship it, or
    /// restore it with `Ledger.fromEventsJson`.
    #[napi(ts_args_type = "start?: number", ts_return_type = "string")]
    pub fn events_json<'e>(&self, env: &'e Env, start: Option<Unknown<'_>>) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.events_json(opt(env, "start", start)?.unwrap_or(0))
        })
    }

    /// The chained hash of the newest event: save it beside the log.
    #[napi(ts_return_type = "string")]
    pub fn head<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.head())
    }

    /// Registers locations, products and batches: all or none.
    #[napi(ts_args_type = "catalog: Catalog", ts_return_type = "void")]
    pub fn load_catalog<'e>(&self, env: &'e Env, catalog: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.load_catalog(&arg(env, catalog)?))
    }

    #[napi(ts_args_type = "location: Location", ts_return_type = "void")]
    pub fn register_location<'e>(
        &self,
        env: &'e Env,
        location: Unknown<'_>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.register_location(param(env, "location", location)?)
        })
    }

    #[napi(ts_args_type = "product: Product", ts_return_type = "void")]
    pub fn register_product<'e>(&self, env: &'e Env, product: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.register_product(param(env, "product", product)?)
        })
    }

    #[napi(ts_args_type = "batch: Batch", ts_return_type = "void")]
    pub fn register_batch<'e>(&self, env: &'e Env, batch: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.register_batch(param(env, "batch", batch)?))
    }

    /// Posts movements, all lines or none; the same key and payload again returns the first result.
    #[napi(ts_args_type = "posting: Posting", ts_return_type = "PostingResult")]
    pub fn post<'e>(&self, env: &'e Env, posting: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.post(arg(env, posting)?))
    }

    #[napi(
        ts_args_type = "posting: Posting",
        ts_return_type = "Promise<PostingResult>"
    )]
    pub fn post_async(&self, env: &Env, posting: Unknown<'_>) -> AsyncTask<Job> {
        let (l, p) = (self.0.clone(), arg(env, posting));
        Job::new(move || l.post(p?))
    }

    /// FEFO allocation at the document date. Changes nothing.
    #[napi(
        ts_args_type = "request: AllocationRequest",
        ts_return_type = "Allocation"
    )]
    pub fn allocate<'e>(&self, env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.allocate(&arg(env, request)?))
    }

    /// Allocates by FEFO and posts the dispense atomically, idempotent on the key.
    #[napi(
        ts_args_type = "request: DispenseRequest",
        ts_return_type = "DispenseResult"
    )]
    pub fn dispense<'e>(&self, env: &'e Env, request: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.dispense(arg(env, request)?))
    }

    #[napi(
        ts_args_type = "request: DispenseRequest",
        ts_return_type = "Promise<DispenseResult>"
    )]
    pub fn dispense_async(&self, env: &Env, request: Unknown<'_>) -> AsyncTask<Job> {
        let (l, r) = (self.0.clone(), arg(env, request));
        Job::new(move || l.dispense(r?))
    }

    /// Quarantines, releases or recalls a batch everywhere; returns the event's sequence number.
    #[napi(ts_args_type = "change: StatusChange", ts_return_type = "number")]
    pub fn set_batch_status<'e>(&self, env: &'e Env, change: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.set_batch_status(arg(env, change)?))
    }

    #[napi(
        ts_args_type = "product: string, location: string, date: IsoDate, minShelfLifeDays?: number",
        ts_return_type = "number"
    )]
    pub fn available_to_promise<'e>(
        &self,
        env: &'e Env,
        product: Unknown<'_>,
        location: Unknown<'_>,
        date: Unknown<'_>,
        min_shelf_life_days: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.available_to_promise(
                &param(env, "product", product)?,
                &param(env, "location", location)?,
                conv::date(env, "date", date)?,
                opt(env, "min_shelf_life_days", min_shelf_life_days)?.unwrap_or(0),
            )
        })
    }

    #[napi(ts_args_type = "filter?: StockFilter", ts_return_type = "StockRow[]")]
    pub fn stock<'e>(&self, env: &'e Env, filter: Option<Unknown<'_>>) -> Result<Unknown<'e>> {
        call(env, || {
            self.0
                .stock(&opt::<StockFilter>(env, "filter", filter)?.unwrap_or_default())
        })
    }

    #[napi(ts_args_type = "filter?: StockFilter", ts_return_type = "StockTotals")]
    pub fn stock_totals<'e>(
        &self,
        env: &'e Env,
        filter: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0
                .stock_totals(&opt::<StockFilter>(env, "filter", filter)?.unwrap_or_default())
        })
    }

    #[napi(
        ts_args_type = "date: IsoDate, filter?: StockFilter",
        ts_return_type = "AsOfRow[]"
    )]
    pub fn stock_as_of<'e>(
        &self,
        env: &'e Env,
        date: Unknown<'_>,
        filter: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.stock_as_of(
                conv::date(env, "date", date)?,
                &opt::<StockFilter>(env, "filter", filter)?.unwrap_or_default(),
            )
        })
    }

    #[napi(
        ts_args_type = "date: IsoDate, filter?: StockFilter",
        ts_return_type = "Promise<AsOfRow[]>"
    )]
    pub fn stock_as_of_async(
        &self,
        env: &Env,
        date: Unknown<'_>,
        filter: Option<Unknown<'_>>,
    ) -> AsyncTask<Job> {
        let (l, d, f) = (
            self.0.clone(),
            conv::date(env, "date", date),
            opt::<StockFilter>(env, "filter", filter),
        );
        Job::new(move || l.stock_as_of(d?, &f?.unwrap_or_default()))
    }

    #[napi(
        ts_args_type = "filter: StockFilter & { product: string }",
        ts_return_type = "MovementEntry[]"
    )]
    pub fn stock_card<'e>(&self, env: &'e Env, filter: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.stock_card(&arg(env, filter)?))
    }

    #[napi(
        ts_args_type = "on: IsoDate, days: number, location?: string | null",
        ts_return_type = "ExpiryRow[]"
    )]
    pub fn expiring_within<'e>(
        &self,
        env: &'e Env,
        on: Unknown<'_>,
        days: Unknown<'_>,
        location: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.expiring_within(
                conv::date(env, "on", on)?,
                param(env, "days", days)?,
                opt::<LocationId>(env, "location", location)?.as_ref(),
            )
        })
    }

    /// Batches whose alert date is after `since` and on or before `on`, with the cursor to
    /// pass as `since` next time (each batch is then reported once).
    #[napi(
        ts_args_type = "on: IsoDate, since?: IsoDate | null",
        ts_return_type = "LotAlerts"
    )]
    pub fn lot_alerts<'e>(
        &self,
        env: &'e Env,
        on: Unknown<'_>,
        since: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            let since = opt::<apotheca::domain::strict::StrictDate>(env, "since", since)?;
            self.0
                .lot_alerts(conv::date(env, "on", on)?, since.map(|d| d.0))
        })
    }

    #[napi(
        ts_args_type = "on: IsoDate, location?: string | null",
        ts_return_type = "ExpiryRow[]"
    )]
    pub fn expired<'e>(
        &self,
        env: &'e Env,
        on: Unknown<'_>,
        location: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.expired(
                conv::date(env, "on", on)?,
                opt::<LocationId>(env, "location", location)?.as_ref(),
            )
        })
    }

    /// Stock expiring in 0–30, 31–60, 61–90 days (or the bounds given).
    #[napi(
        ts_args_type = "on: IsoDate, bounds?: number[] | null, location?: string | null",
        ts_return_type = "ExpiryBucket[]"
    )]
    pub fn expiry_buckets<'e>(
        &self,
        env: &'e Env,
        on: Unknown<'_>,
        bounds: Option<Unknown<'_>>,
        location: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.expiry_buckets(
                conv::date(env, "on", on)?,
                &opt::<Vec<u32>>(env, "bounds", bounds)?.unwrap_or_else(|| vec![30, 60, 90]),
                opt::<LocationId>(env, "location", location)?.as_ref(),
            )
        })
    }

    #[napi(
        ts_args_type = "location?: string | null",
        ts_return_type = "Valuation"
    )]
    pub fn valuation<'e>(
        &self,
        env: &'e Env,
        location: Option<Unknown<'_>>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0
                .valuation(opt::<LocationId>(env, "location", location)?.as_ref())
        })
    }

    /// The remaining FIFO cost layers of a batch at a location, oldest first.
    #[napi(
        ts_args_type = "product: string, batch: string, location: string",
        ts_return_type = "CostLayer[]"
    )]
    pub fn cost_layers<'e>(
        &self,
        env: &'e Env,
        product: Unknown<'_>,
        batch: Unknown<'_>,
        location: Unknown<'_>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.cost_layers(
                &param(env, "product", product)?,
                &param(env, "batch", batch)?,
                &param(env, "location", location)?,
            )
        })
    }

    /// Where a batch came from and every dispense it went into (recalls).
    #[napi(
        ts_args_type = "product: string, batch: string",
        ts_return_type = "BatchTrace"
    )]
    pub fn trace_batch<'e>(
        &self,
        env: &'e Env,
        product: Unknown<'_>,
        batch: Unknown<'_>,
    ) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.trace_batch(
                &param(env, "product", product)?,
                &param(env, "batch", batch)?,
            )
        })
    }

    #[napi(ts_args_type = "reference: string", ts_return_type = "MovementEntry[]")]
    pub fn trace_document<'e>(&self, env: &'e Env, reference: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || {
            self.0.trace_document(&arg::<String>(env, reference)?)
        })
    }

    /// A document's lines merged per batch, location and movement.
    #[napi(ts_args_type = "reference: string", ts_return_type = "DocumentLine[]")]
    pub fn document<'e>(&self, env: &'e Env, reference: Unknown<'_>) -> Result<Unknown<'e>> {
        call(env, || self.0.document(&arg::<String>(env, reference)?))
    }

    /// The event log, oldest first: store it, publish it, or replay it with `Ledger.fromEvents`.
    #[napi(ts_return_type = "LedgerEvent[]")]
    pub fn events<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.events())
    }

    #[napi(ts_return_type = "Promise<LedgerEvent[]>")]
    pub fn events_async(&self) -> AsyncTask<Job> {
        let l = self.0.clone();
        Job::new(move || l.events())
    }

    /// A fingerprint of the state; a replayed log gives the same.
    #[napi(ts_return_type = "string")]
    pub fn digest<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        call(env, || self.0.digest())
    }
}

/// `Ledger.open` on the libuv thread pool: loading a large store takes a while.
pub struct OpenTask(Option<apotheca::ApiResult<String>>);

impl Task for OpenTask {
    type Output = apotheca::ApiResult<Ledger>;
    type JsValue = JsLedger;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(match self.0.take() {
            Some(url) => apotheca::guard(|| Ledger::open(&url?)),
            None => Err(apotheca::ApiError::new(
                apotheca::ErrorCode::Internal,
                "open ran twice",
            )),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<JsLedger> {
        output.map(JsLedger).map_err(|e| error::to_js(&env, e))
    }
}

impl Default for JsLedger {
    fn default() -> Self {
        Self::new()
    }
}
