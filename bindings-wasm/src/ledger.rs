//! `Ledger`: each method converts its arguments, calls the facade, converts the result.

use apotheca::{Ledger, LocationId, StockFilter};
use wasm_bindgen::prelude::*;

use crate::conv::{self, arg, js_error, opt, out, param};

/// A stock ledger, in this page's memory.
#[wasm_bindgen(js_name = Ledger)]
pub struct WasmLedger(Ledger);

#[wasm_bindgen(js_class = Ledger)]
impl WasmLedger {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmLedger {
        WasmLedger(Ledger::new())
    }

    /// Rebuilds a ledger from `events()` output.
    #[wasm_bindgen(js_name = fromEvents)]
    pub fn from_events(
        #[wasm_bindgen(unchecked_param_type = "LedgerEvent[]")] events: JsValue,
    ) -> Result<WasmLedger, JsValue> {
        arg(events)
            .and_then(|e: Vec<apotheca::EventEnvelope>| Ledger::from_events(&e))
            .map(WasmLedger)
            .map_err(js_error)
    }

    /// Registers locations, products and batches: all or none.
    #[wasm_bindgen(js_name = loadCatalog)]
    pub fn load_catalog(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Catalog")] catalog: JsValue,
    ) -> Result<(), JsValue> {
        out(arg(catalog).and_then(|c| self.0.load_catalog(&c))).map(drop)
    }

    #[wasm_bindgen(js_name = registerLocation)]
    pub fn register_location(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Location")] location: JsValue,
    ) -> Result<(), JsValue> {
        out(param("location", location).and_then(|l| self.0.register_location(l))).map(drop)
    }

    #[wasm_bindgen(js_name = registerProduct)]
    pub fn register_product(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Product")] product: JsValue,
    ) -> Result<(), JsValue> {
        out(param("product", product).and_then(|p| self.0.register_product(p))).map(drop)
    }

    #[wasm_bindgen(js_name = registerBatch)]
    pub fn register_batch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Batch")] batch: JsValue,
    ) -> Result<(), JsValue> {
        out(param("batch", batch).and_then(|b| self.0.register_batch(b))).map(drop)
    }

    /// Posts movements, all lines or none; the same key and payload again returns the first result.
    #[wasm_bindgen(unchecked_return_type = "PostingResult")]
    pub fn post(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Posting")] posting: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(posting).and_then(|p| self.0.post(p)))
    }

    /// FEFO allocation at the document date. Changes nothing.
    #[wasm_bindgen(unchecked_return_type = "Allocation")]
    pub fn allocate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AllocationRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(request).and_then(|r| self.0.allocate(&r)))
    }

    /// Allocates by FEFO and posts the dispense atomically, idempotent on the key.
    #[wasm_bindgen(unchecked_return_type = "DispenseResult")]
    pub fn dispense(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DispenseRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(request).and_then(|r| self.0.dispense(r)))
    }

    /// Quarantines, releases or recalls a batch everywhere; returns the event's sequence number.
    #[wasm_bindgen(js_name = setBatchStatus, unchecked_return_type = "number")]
    pub fn set_batch_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StatusChange")] change: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(change).and_then(|c| self.0.set_batch_status(c)))
    }

    #[wasm_bindgen(js_name = availableToPromise, unchecked_return_type = "number")]
    pub fn available_to_promise(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] location: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] date: JsValue,
        #[wasm_bindgen(js_name = minShelfLifeDays, unchecked_param_type = "number | undefined")]
        min_shelf_life_days: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0.available_to_promise(
                &param("product", product)?,
                &param("location", location)?,
                conv::date("date", date)?,
                opt(
                    "min_shelf_life_days",
                    min_shelf_life_days.unwrap_or(JsValue::UNDEFINED),
                )?
                .unwrap_or(0),
            )
        })())
    }

    #[wasm_bindgen(unchecked_return_type = "StockRow[]")]
    pub fn stock(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StockFilter | undefined")] filter: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(opt::<StockFilter>("filter", filter).and_then(|f| self.0.stock(&f.unwrap_or_default())))
    }

    #[wasm_bindgen(js_name = stockTotals, unchecked_return_type = "StockTotals")]
    pub fn stock_totals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StockFilter | undefined")] filter: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(opt::<StockFilter>("filter", filter)
            .and_then(|f| self.0.stock_totals(&f.unwrap_or_default())))
    }

    #[wasm_bindgen(js_name = stockAsOf, unchecked_return_type = "AsOfRow[]")]
    pub fn stock_as_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] date: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StockFilter | undefined")] filter: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0.stock_as_of(
                conv::date("date", date)?,
                &opt::<StockFilter>("filter", filter)?.unwrap_or_default(),
            )
        })())
    }

    #[wasm_bindgen(js_name = stockCard, unchecked_return_type = "MovementEntry[]")]
    pub fn stock_card(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StockFilter & { product: string }")] filter: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(arg(filter).and_then(|f| self.0.stock_card(&f)))
    }

    #[wasm_bindgen(js_name = expiringWithin, unchecked_return_type = "ExpiryRow[]")]
    pub fn expiring_within(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] on: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] days: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] location: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0.expiring_within(
                conv::date("on", on)?,
                param("days", days)?,
                opt::<LocationId>("location", location)?.as_ref(),
            )
        })())
    }

    /// Batches whose alert date is after `since` and on or before `on`, with the cursor to
    /// pass as `since` next time (each batch is then reported once).
    #[wasm_bindgen(js_name = lotAlerts, unchecked_return_type = "LotAlerts")]
    pub fn lot_alerts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] on: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate | null | undefined")] since: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            let since = opt::<apotheca::domain::strict::StrictDate>("since", since)?;
            self.0.lot_alerts(conv::date("on", on)?, since.map(|d| d.0))
        })())
    }

    #[wasm_bindgen(unchecked_return_type = "ExpiryRow[]")]
    pub fn expired(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] on: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] location: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0.expired(
                conv::date("on", on)?,
                opt::<LocationId>("location", location)?.as_ref(),
            )
        })())
    }

    /// Stock expiring in 0–30, 31–60, 61–90 days (or the bounds given).
    #[wasm_bindgen(js_name = expiryBuckets, unchecked_return_type = "ExpiryBucket[]")]
    pub fn expiry_buckets(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] on: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | null | undefined")] bounds: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] location: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0.expiry_buckets(
                conv::date("on", on)?,
                &opt::<Vec<u32>>("bounds", bounds)?.unwrap_or_else(|| vec![30, 60, 90]),
                opt::<LocationId>("location", location)?.as_ref(),
            )
        })())
    }

    #[wasm_bindgen(unchecked_return_type = "Valuation")]
    pub fn valuation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] location: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(opt::<LocationId>("location", location).and_then(|l| self.0.valuation(l.as_ref())))
    }

    /// The remaining FIFO cost layers of a batch at a location, oldest first.
    #[wasm_bindgen(js_name = costLayers, unchecked_return_type = "CostLayer[]")]
    pub fn cost_layers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] batch: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] location: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0.cost_layers(
                &param("product", product)?,
                &param("batch", batch)?,
                &param("location", location)?,
            )
        })())
    }

    /// Where a batch came from and every dispense it went into (recalls).
    #[wasm_bindgen(js_name = traceBatch, unchecked_return_type = "BatchTrace")]
    pub fn trace_batch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] batch: JsValue,
    ) -> Result<JsValue, JsValue> {
        out((|| {
            self.0
                .trace_batch(&param("product", product)?, &param("batch", batch)?)
        })())
    }

    #[wasm_bindgen(js_name = traceDocument, unchecked_return_type = "MovementEntry[]")]
    pub fn trace_document(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] reference: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(param::<String>("reference", reference).and_then(|r| self.0.trace_document(&r)))
    }

    /// A document's lines merged per batch, location and movement.
    #[wasm_bindgen(unchecked_return_type = "DocumentLine[]")]
    pub fn document(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] reference: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(param::<String>("reference", reference).and_then(|r| self.0.document(&r)))
    }

    /// The event log, oldest first: store it, or replay it with `Ledger.fromEvents`.
    #[wasm_bindgen(unchecked_return_type = "LedgerEvent[]")]
    pub fn events(&self) -> Result<JsValue, JsValue> {
        out(self.0.events())
    }

    /// The events from sequence number `seq` on. A page has no file system: after each write,
    /// append `eventsSince(saved)` to IndexedDB (or send it to a server) and restore the
    /// ledger with `Ledger.fromEvents` on the next visit.
    #[wasm_bindgen(js_name = eventsSince, unchecked_return_type = "LedgerEvent[]")]
    pub fn events_since(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] seq: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(param("seq", seq).and_then(|s| self.0.events_since(s)))
    }

    /// The log from sequence number `start` on (default 0) as JSON text in the log's own
    /// format (snake_case, as in every language): save it, ship it, or restore it with
    /// `Ledger.fromEventsJson` — the way to move a large log (one string, not millions of
    /// objects).
    #[wasm_bindgen(js_name = eventsJson, unchecked_return_type = "string")]
    pub fn events_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] start: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(opt("start", start).and_then(|s| self.0.events_json(s.unwrap_or(0))))
    }

    /// Rebuilds a ledger from `eventsJson()` text; with `head` (saved with the log), refuses a
    /// log cut short at the end.
    #[wasm_bindgen(js_name = fromEventsJson)]
    pub fn from_events_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] head: JsValue,
    ) -> Result<WasmLedger, JsValue> {
        param::<String>("text", text)
            .and_then(|t| {
                let h: Option<String> = opt("head", head)?;
                Ledger::from_events_json(&t, h.as_deref())
            })
            .map(WasmLedger)
            .map_err(js_error)
    }

    /// The chained hash of the newest event: save it beside the log.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn head(&self) -> Result<JsValue, JsValue> {
        out(self.0.head())
    }

    /// A fingerprint of the state; a replayed log gives the same.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn digest(&self) -> Result<JsValue, JsValue> {
        out(self.0.digest())
    }
}

impl Default for WasmLedger {
    fn default() -> Self {
        Self::new()
    }
}
