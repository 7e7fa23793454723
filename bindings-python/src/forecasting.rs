//! Forecasting functions: dict-shaped requests like every other call, and `forecast_matrix`,
//! which takes a 2-D float64 NumPy array without copying it (C-contiguous; any other layout is
//! copied once) and returns NumPy arrays that own the result vectors (no copy either). All of
//! them release the GIL while they work.

use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use apotheca::forecasting as fc;
use apotheca::{ApiError, ErrorCode};

use crate::conv::{arg, param, ret};
use crate::error::to_py;

type Arg<'a, 'py> = &'a Bound<'py, PyAny>;

#[doc = doc!(forecast)]
#[pyfunction]
pub fn forecast(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r: fc::ForecastRequest = arg(request)?;
    ret(py, py.detach(|| fc::forecast(&r)))
}

#[doc = doc!(forecast_long)]
#[pyfunction]
pub fn forecast_long(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r: fc::LongForecastRequest = arg(request)?;
    ret(py, py.detach(|| fc::forecast_long(&r)))
}

#[doc = doc!(backtest)]
#[pyfunction]
pub fn backtest(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r: fc::BacktestRequest = arg(request)?;
    ret(py, py.detach(|| fc::backtest(&r)))
}

#[doc = doc!(classify)]
#[pyfunction]
pub fn classify(py: Python<'_>, series: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let s: Vec<fc::Series> = arg(series)?;
    ret(py, py.detach(|| fc::classify(&s)))
}

#[doc = doc!(average_monthly_consumption)]
#[pyfunction]
pub fn average_monthly_consumption(py: Python<'_>, request: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let r: fc::ConsumptionRequest = arg(request)?;
    ret(py, py.detach(|| fc::average_monthly_consumption(&r)))
}

#[doc = doc!(suggest_orders)]
#[pyfunction]
pub fn suggest_orders(py: Python<'_>, positions: Arg<'_, '_>) -> PyResult<Py<PyAny>> {
    let p: Vec<fc::StockPosition> = arg(positions)?;
    ret(py, py.detach(|| fc::suggest_orders(&p)))
}

fn malformed(what: &str) -> PyErr {
    to_py(ApiError::new(ErrorCode::MalformedInput, what))
}

#[doc = doc!(forecast_matrix)]
#[pyfunction]
#[pyo3(signature = (y, model, horizon, levels = None, lengths = None))]
pub fn forecast_matrix<'py>(
    py: Python<'py>,
    y: Arg<'_, 'py>,
    model: Arg<'_, 'py>,
    horizon: Arg<'_, 'py>,
    levels: Option<Arg<'_, 'py>>,
    lengths: Option<Arg<'_, 'py>>,
) -> PyResult<Bound<'py, PyDict>> {
    let levels: Vec<f64> = levels
        .map(|l| param("levels", l))
        .transpose()?
        .unwrap_or_default();
    let lengths: Option<Vec<usize>> = lengths.map(|l| param("lengths", l)).transpose()?;
    let array: PyReadonlyArray2<'py, f64> = y
        .extract()
        .map_err(|_| malformed("y must be a 2-D float64 NumPy array (series × time)"))?;
    let model: fc::Model = param("model", model)?;
    let horizon: u32 = param("horizon", horizon)?;
    let (rows, cols) = (array.shape()[0], array.shape()[1]);
    let copied;
    // `as_slice` also accepts Fortran order (column-major memory): only C order is read as is.
    let values: &[f64] = match array.as_slice() {
        Ok(s) if array.is_c_contiguous() => s,
        _ => {
            copied = array.as_array().iter().copied().collect::<Vec<f64>>();
            &copied
        }
    };
    let out = py
        .detach(|| {
            fc::forecast_matrix(
                values,
                rows,
                cols,
                lengths.as_deref(),
                model,
                horizon,
                &levels,
            )
        })
        .map_err(to_py)?;
    let h = horizon as usize;
    let d = PyDict::new(py);
    d.set_item("mean", PyArray1::from_vec(py, out.mean).reshape([rows, h])?)?;
    d.set_item(
        "lo",
        PyArray1::from_vec(py, out.lo).reshape([levels.len(), rows, h])?,
    )?;
    d.set_item(
        "hi",
        PyArray1::from_vec(py, out.hi).reshape([levels.len(), rows, h])?,
    )?;
    d.set_item("models", ret(py, Ok(out.models))?)?;
    Ok(d)
}
