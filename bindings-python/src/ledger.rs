//! `apotheca.Ledger`: each method converts its arguments, calls the facade with the GIL
//! released, and converts the result. No rule lives here.

use apotheca::{ApiResult, Ledger, StockFilter};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::conv::{self, arg, param, ret};

#[pyclass(name = "Ledger", module = "apotheca", frozen)]
pub struct PyLedger(Ledger);

type Arg<'a, 'py> = &'a Bound<'py, PyAny>;

fn opt<T: serde::de::DeserializeOwned>(name: &str, o: Option<Arg<'_, '_>>) -> PyResult<Option<T>> {
    o.map(|o| param(name, o)).transpose()
}

fn filter(
    product: Option<Arg<'_, '_>>,
    location: Option<Arg<'_, '_>>,
    batch: Option<Arg<'_, '_>>,
) -> PyResult<StockFilter> {
    Ok(StockFilter {
        product: opt("product", product)?,
        location: opt("location", location)?,
        batch: opt("batch", batch)?,
    })
}

#[pymethods]
impl PyLedger {
    #[doc = doc!(Ledger::new)]
    #[new]
    fn new() -> Self {
        Self(Ledger::new())
    }

    /// Rebuilds a ledger from `events()` output (also how a Ledger is unpickled).
    #[staticmethod]
    fn from_events(py: Python<'_>, events: &Bound<'_, PyAny>) -> PyResult<Self> {
        let events: Vec<apotheca::EventEnvelope> = arg(events)?;
        py.detach(|| Ledger::from_events(&events))
            .map(Self)
            .map_err(crate::error::to_py)
    }

    /// Opens the ledger stored at `url`: `sqlite:PATH` (one file) or `postgres://…` (shared by
    /// many service instances). Every write returns once it is committed. Use it as a context
    /// manager, or call `close()`.
    #[staticmethod]
    fn open(py: Python<'_>, url: Arg<'_, '_>) -> PyResult<Self> {
        let u: String = param("url", url)?;
        py.detach(|| Ledger::open(&u))
            .map(Self)
            .map_err(crate::error::to_py)
    }

    /// Writes a snapshot of a stored ledger now; returns the sequence number it covers.
    fn snapshot(&self, py: Python<'_>) -> PyResult<u64> {
        py.detach(|| self.0.snapshot()).map_err(crate::error::to_py)
    }

    /// Catches up with what other instances appended; returns the next sequence number.
    fn refresh(&self, py: Python<'_>) -> PyResult<u64> {
        py.detach(|| self.0.refresh()).map_err(crate::error::to_py)
    }

    /// Closes a stored ledger: later writes raise `StoreUnavailableError`; reads answer from
    /// memory. Closing twice does nothing.
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.0.close())
    }

    /// Whether the ledger is stored (opened with `Ledger.open`).
    #[getter]
    fn stored(&self) -> bool {
        self.0.is_stored()
    }

    /// The number of events ever logged (the next event's sequence number).
    fn __len__(&self) -> usize {
        usize::try_from(self.0.next_seq()).unwrap_or(usize::MAX)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    /// The events from sequence number `seq` on: save them after each write (a page or an app
    /// without a store), restore with `from_events`.
    fn events_since(&self, py: Python<'_>, seq: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let s: u64 = param("seq", seq)?;
        ret(py, py.detach(|| self.0.events_since(s)))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        if slf.get().0.is_stored() {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "a stored Ledger cannot be pickled: open it with Ledger.open(url) in each process",
            ));
        }
        let events = ret(py, slf.get().0.events())?;
        PyTuple::new(
            py,
            [
                py.get_type::<Self>().getattr("from_events")?.unbind(),
                PyTuple::new(py, [events])?.into_any().unbind(),
            ],
        )
    }

    #[doc = doc!(Ledger::load_catalog)]
    fn load_catalog(&self, py: Python<'_>, catalog: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let c = arg(catalog)?;
        ret(py, py.detach(|| self.0.load_catalog(&c)))
    }

    #[doc = doc!(Ledger::register_location)]
    fn register_location(
        &self,
        py: Python<'_>,
        location: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let l = param("location", location)?;
        ret(py, py.detach(|| self.0.register_location(l)))
    }

    #[doc = doc!(Ledger::register_product)]
    fn register_product(&self, py: Python<'_>, product: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let p = param("product", product)?;
        ret(py, py.detach(|| self.0.register_product(p)))
    }

    #[doc = doc!(Ledger::register_batch)]
    fn register_batch(&self, py: Python<'_>, batch: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let b = param("batch", batch)?;
        ret(py, py.detach(|| self.0.register_batch(b)))
    }

    #[doc = doc!(Ledger::post)]
    fn post(&self, py: Python<'_>, posting: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let p = arg(posting)?;
        ret(py, py.detach(|| self.0.post(p)))
    }

    #[doc = doc!(Ledger::allocate)]
    fn allocate(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let r = arg(request)?;
        ret(py, py.detach(|| self.0.allocate(&r)))
    }

    #[doc = doc!(Ledger::dispense)]
    fn dispense(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let r = arg(request)?;
        ret(py, py.detach(|| self.0.dispense(r)))
    }

    #[doc = doc!(Ledger::set_batch_status)]
    fn set_batch_status(&self, py: Python<'_>, change: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let c = arg(change)?;
        ret(py, py.detach(|| self.0.set_batch_status(c)))
    }

    #[doc = doc!(Ledger::available_to_promise)]
    #[pyo3(signature = (product, location, date, min_shelf_life_days = None))]
    fn available_to_promise(
        &self,
        py: Python<'_>,
        product: Arg<'_, '_>,
        location: Arg<'_, '_>,
        date: Arg<'_, '_>,
        min_shelf_life_days: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let (p, l, d, m) = (
            param("product", product)?,
            param("location", location)?,
            conv::date("date", date)?,
            opt("min_shelf_life_days", min_shelf_life_days)?.unwrap_or(0),
        );
        ret(py, py.detach(|| self.0.available_to_promise(&p, &l, d, m)))
    }

    #[doc = doc!(Ledger::stock)]
    #[pyo3(signature = (product = None, location = None, batch = None))]
    fn stock(
        &self,
        py: Python<'_>,
        product: Option<Arg<'_, '_>>,
        location: Option<Arg<'_, '_>>,
        batch: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let f = filter(product, location, batch)?;
        ret(py, py.detach(|| self.0.stock(&f)))
    }

    #[doc = doc!(Ledger::stock_totals)]
    #[pyo3(signature = (product = None, location = None, batch = None))]
    fn stock_totals(
        &self,
        py: Python<'_>,
        product: Option<Arg<'_, '_>>,
        location: Option<Arg<'_, '_>>,
        batch: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let f = filter(product, location, batch)?;
        ret(py, py.detach(|| self.0.stock_totals(&f)))
    }

    #[doc = doc!(Ledger::stock_as_of)]
    #[pyo3(signature = (date, product = None, location = None, batch = None))]
    fn stock_as_of(
        &self,
        py: Python<'_>,
        date: Arg<'_, '_>,
        product: Option<Arg<'_, '_>>,
        location: Option<Arg<'_, '_>>,
        batch: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let (d, f) = (conv::date("date", date)?, filter(product, location, batch)?);
        ret(py, py.detach(|| self.0.stock_as_of(d, &f)))
    }

    #[doc = doc!(Ledger::stock_card)]
    #[pyo3(signature = (product, location = None, batch = None))]
    fn stock_card(
        &self,
        py: Python<'_>,
        product: Arg<'_, '_>,
        location: Option<Arg<'_, '_>>,
        batch: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let f = filter(Some(product), location, batch)?;
        ret(py, py.detach(|| self.0.stock_card(&f)))
    }

    #[doc = doc!(Ledger::expiring_within)]
    #[pyo3(signature = (on, days, location = None))]
    fn expiring_within(
        &self,
        py: Python<'_>,
        on: Arg<'_, '_>,
        days: Arg<'_, '_>,
        location: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let (on, days, l): (_, _, Option<apotheca::LocationId>) = (
            conv::date("on", on)?,
            param("days", days)?,
            opt("location", location)?,
        );
        ret(
            py,
            py.detach(|| self.0.expiring_within(on, days, l.as_ref())),
        )
    }

    #[doc = doc!(Ledger::expired)]
    #[pyo3(signature = (on, location = None))]
    fn expired(
        &self,
        py: Python<'_>,
        on: Arg<'_, '_>,
        location: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let (on, l): (_, Option<apotheca::LocationId>) =
            (conv::date("on", on)?, opt("location", location)?);
        ret(py, py.detach(|| self.0.expired(on, l.as_ref())))
    }

    #[doc = doc!(Ledger::lot_alerts)]
    #[pyo3(signature = (on, since = None))]
    fn lot_alerts(
        &self,
        py: Python<'_>,
        on: Arg<'_, '_>,
        since: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let on = conv::date("on", on)?;
        let since = since.map(|s| conv::date("since", s)).transpose()?;
        ret(py, py.detach(|| self.0.lot_alerts(on, since)))
    }

    #[doc = doc!(Ledger::expiry_buckets)]
    #[pyo3(signature = (on, bounds = None, location = None))]
    fn expiry_buckets(
        &self,
        py: Python<'_>,
        on: Arg<'_, '_>,
        bounds: Option<Arg<'_, '_>>,
        location: Option<Arg<'_, '_>>,
    ) -> PyResult<Py<PyAny>> {
        let (on, l): (_, Option<apotheca::LocationId>) =
            (conv::date("on", on)?, opt("location", location)?);
        let bounds: Vec<u32> = opt("bounds", bounds)?.unwrap_or_else(|| vec![30, 60, 90]);
        ret(
            py,
            py.detach(|| self.0.expiry_buckets(on, &bounds, l.as_ref())),
        )
    }

    #[doc = doc!(Ledger::valuation)]
    #[pyo3(signature = (location = None))]
    fn valuation(&self, py: Python<'_>, location: Option<Arg<'_, '_>>) -> PyResult<Py<PyAny>> {
        let l: Option<apotheca::LocationId> = opt("location", location)?;
        ret(py, py.detach(|| self.0.valuation(l.as_ref())))
    }

    #[doc = doc!(Ledger::cost_layers)]
    fn cost_layers(
        &self,
        py: Python<'_>,
        product: Arg<'_, '_>,
        batch: Arg<'_, '_>,
        location: Arg<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
        let (p, b, l) = (
            param("product", product)?,
            param("batch", batch)?,
            param("location", location)?,
        );
        ret(py, py.detach(|| self.0.cost_layers(&p, &b, &l)))
    }

    #[doc = doc!(Ledger::trace_batch)]
    fn trace_batch(
        &self,
        py: Python<'_>,
        product: Arg<'_, '_>,
        batch: Arg<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
        let (p, b) = (param("product", product)?, param("batch", batch)?);
        ret(py, py.detach(|| self.0.trace_batch(&p, &b)))
    }

    #[doc = doc!(Ledger::trace_document)]
    fn trace_document(&self, py: Python<'_>, reference: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r: String = param("reference", reference)?;
        ret(py, py.detach(|| self.0.trace_document(&r)))
    }

    #[doc = doc!(Ledger::document)]
    fn document(&self, py: Python<'_>, reference: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r: String = param("reference", reference)?;
        ret(py, py.detach(|| self.0.document(&r)))
    }

    #[doc = doc!(Ledger::events)]
    fn events(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, py.detach(|| self.0.events()))
    }

    /// The log from sequence `start` on as JSON text: the fast way to save or ship a large log.
    #[pyo3(signature = (start = None))]
    fn events_json(&self, py: Python<'_>, start: Option<Arg<'_, '_>>) -> PyResult<String> {
        let from: u64 = opt("start", start)?.unwrap_or(0);
        py.detach(|| self.0.events_json(from))
            .map_err(crate::error::to_py)
    }

    /// Rebuilds a ledger from `events_json()` text; with `head`, refuses a log cut short.
    #[staticmethod]
    #[pyo3(signature = (text, head = None))]
    fn from_events_json(
        py: Python<'_>,
        text: Arg<'_, '_>,
        head: Option<Arg<'_, '_>>,
    ) -> PyResult<Self> {
        let t: String = param("text", text)?;
        let h: Option<String> = opt("head", head)?;
        py.detach(|| Ledger::from_events_json(&t, h.as_deref()))
            .map(Self)
            .map_err(crate::error::to_py)
    }

    /// The chained hash of the newest event: save it with the log.
    fn head(&self) -> PyResult<String> {
        self.0.head().map_err(crate::error::to_py)
    }

    #[doc = doc!(Ledger::digest)]
    fn digest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret::<String>(py, py.detach(|| -> ApiResult<String> { self.0.digest() }))
    }

    fn __repr__(&self) -> PyResult<String> {
        let n = self.0.next_seq();
        let kind = if self.0.is_stored() { "stored, " } else { "" };
        Ok(format!("<apotheca.Ledger: {kind}{n} events>"))
    }
}
