//! `apotheca.Billing` and the billing functions: each converts its arguments, calls the facade
//! with the GIL released, and converts the result. No rule lives here.

use apotheca::Billing;
use apotheca::billing as b;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::conv::{self, arg, decimal, param, ret};

type Arg<'a, 'py> = &'a Bound<'py, PyAny>;

#[pyclass(name = "Billing", module = "apotheca", frozen)]
pub struct PyBilling(Billing);

fn engine(r: apotheca::ApiResult<Billing>) -> PyResult<PyBilling> {
    r.map(PyBilling).map_err(crate::error::to_py)
}

#[pymethods]
impl PyBilling {
    #[doc = doc!(Billing::new)]
    #[new]
    fn new(py: Python<'_>, rules: Arg<'_, '_>) -> PyResult<Self> {
        let r = arg(rules)?;
        engine(py.detach(|| Billing::new(r)))
    }

    #[doc = doc!(Billing::from_json)]
    #[staticmethod]
    fn from_json(py: Python<'_>, text: Arg<'_, '_>) -> PyResult<Self> {
        let t: String = param("text", text)?;
        engine(py.detach(|| Billing::from_json(&t)))
    }

    #[doc = doc!(Billing::from_toml)]
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: Arg<'_, '_>) -> PyResult<Self> {
        let t: String = param("text", text)?;
        engine(py.detach(|| Billing::from_toml(&t)))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let rules = ret(py, Ok(slf.get().0.rules()))?;
        PyTuple::new(
            py,
            [
                py.get_type::<Self>().into_any().unbind(),
                PyTuple::new(py, [rules])?.into_any().unbind(),
            ],
        )
    }

    #[doc = doc!(Billing::rules)]
    fn rules(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ret(py, Ok(self.0.rules()))
    }

    #[doc = doc!(Billing::price_invoice)]
    fn price_invoice(&self, py: Python<'_>, invoice: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let i = arg(invoice)?;
        ret(py, py.detach(|| self.0.price_invoice(&i)))
    }

    #[doc = doc!(Billing::price_document)]
    fn price_document(&self, py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
        let r = arg(request)?;
        ret(py, py.detach(|| self.0.price_document(&r)))
    }
}

#[doc = doc!(credit_note)]
#[pyfunction]
pub fn credit_note(
    py: Python<'_>,
    invoice: Arg<'_, '_>,
    request: Arg<'_, '_>,
) -> PyResult<Py<PyAny>> {
    let (i, r) = (arg(invoice)?, arg(request)?);
    ret(py, py.detach(|| b::credit_note(&i, &r)))
}

#[doc = doc!(compute_taxes)]
#[pyfunction]
pub fn compute_taxes(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r = arg(request)?;
    ret(py, py.detach(|| b::compute_taxes(&r)))
}

#[doc = doc!(compute_document)]
#[pyfunction]
pub fn compute_document(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r = arg(request)?;
    ret(py, py.detach(|| b::compute_document(&r)))
}

#[doc = doc!(reprice)]
#[pyfunction]
pub fn reprice(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r = arg(request)?;
    ret(py, py.detach(|| b::reprice(&r)))
}

#[doc = doc!(settle_payments)]
#[pyfunction]
pub fn settle_payments(
    py: Python<'_>,
    currency: Arg<'_, '_>,
    due: Arg<'_, '_>,
    tenders: Arg<'_, '_>,
) -> PyResult<Py<PyAny>> {
    let c: String = param("currency", currency)?;
    let (d, t): (_, Vec<b::Tender>) = (decimal("due", due)?, arg(tenders)?);
    ret(py, py.detach(|| b::settle_payments(&c, d, &t)))
}

#[doc = doc!(amount_in_words)]
#[pyfunction]
#[pyo3(signature = (amount, currency, style = None))]
pub fn amount_in_words(
    py: Python<'_>,
    amount: Arg<'_, '_>,
    currency: Arg<'_, '_>,
    style: Option<Arg<'_, '_>>,
) -> PyResult<Py<PyAny>> {
    let a = decimal("amount", amount)?;
    let currency: String = param("currency", currency)?;
    let s = style
        .map(arg)
        .transpose()?
        .unwrap_or(b::WordsStyle::International);
    ret(py, py.detach(|| b::amount_in_words(a, &currency, s)))
}

#[doc = doc!(next_invoice_number)]
#[pyfunction]
#[pyo3(signature = (series, date, last = None))]
pub fn next_invoice_number(
    py: Python<'_>,
    series: Arg<'_, '_>,
    date: Arg<'_, '_>,
    last: Option<Arg<'_, '_>>,
) -> PyResult<Py<PyAny>> {
    let (s, d) = (arg(series)?, conv::date("date", date)?);
    let last: Option<String> = last.map(|l| param("last", l)).transpose()?;
    ret(
        py,
        py.detach(|| b::next_invoice_number(&s, d, last.as_deref())),
    )
}

#[doc = doc!(check_invoice_numbers)]
#[pyfunction]
pub fn check_invoice_numbers(
    py: Python<'_>,
    series: Arg<'_, '_>,
    numbers: Arg<'_, '_>,
) -> PyResult<Py<PyAny>> {
    let (s, n): (_, Vec<String>) = (arg(series)?, arg(numbers)?);
    ret(py, py.detach(|| b::check_invoice_numbers(&s, &n)))
}

#[doc = doc!(daily_summary)]
#[pyfunction]
#[pyo3(signature = (invoices, credit_notes = None))]
pub fn daily_summary(
    py: Python<'_>,
    invoices: Arg<'_, '_>,
    credit_notes: Option<Arg<'_, '_>>,
) -> PyResult<Py<PyAny>> {
    let i: Vec<b::PricedInvoice> = arg(invoices)?;
    let c: Vec<b::CreditNote> = credit_notes.map(arg).transpose()?.unwrap_or_default();
    ret(py, py.detach(|| b::daily_summary(&i, &c)))
}
