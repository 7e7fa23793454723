//! `import apotheca`: the Python face of the apotheca facade. The native part is private
//! (`apotheca._native`); the package `apotheca` re-exports it with its exceptions and types.
#![allow(missing_docs)] // documented in the .pyi stubs, which Python tools read

#[macro_use]
mod docs;
mod billing;
mod conv;
mod de;
mod error;
mod forecasting;
mod frame;
mod interactions;
mod ledger;
mod out;

use pyo3::prelude::*;

#[doc = doc!(parse_expiry)]
#[pyfunction]
fn parse_expiry(label: &Bound<'_, PyAny>) -> PyResult<chrono::NaiveDate> {
    let label: String = conv::param("label", label)?;
    apotheca::parse_expiry(&label).map_err(error::to_py)
}

#[doc = doc!(version)]
#[pyfunction]
fn version() -> &'static str {
    apotheca::version()
}

/// Every error code, in declaration order (the list of `conformance/error-codes.json`).
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    apotheca::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect()
}

/// `(decimal fields, date fields)`: every key that holds money or a date in some output, from
/// the generated shapes, for tests and tools.
#[pyfunction]
fn _wire_fields() -> (Vec<&'static str>, Vec<&'static str>) {
    apotheca::shape::special_keys()
}

#[cfg(feature = "test-panic")]
#[pyfunction]
fn _panic_for_tests() -> PyResult<()> {
    apotheca::panic_for_tests().map_err(error::to_py)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<billing::PyBilling>()?;
    m.add_class::<interactions::PyInteractions>()?;
    m.add_function(wrap_pyfunction!(billing::credit_note, m)?)?;
    m.add_function(wrap_pyfunction!(billing::settle_payments, m)?)?;
    m.add_function(wrap_pyfunction!(billing::compute_taxes, m)?)?;
    m.add_function(wrap_pyfunction!(
        forecasting::average_monthly_consumption,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(billing::reprice, m)?)?;
    m.add_function(wrap_pyfunction!(billing::compute_document, m)?)?;
    m.add_function(wrap_pyfunction!(billing::amount_in_words, m)?)?;
    m.add_function(wrap_pyfunction!(billing::next_invoice_number, m)?)?;
    m.add_function(wrap_pyfunction!(billing::check_invoice_numbers, m)?)?;
    m.add_function(wrap_pyfunction!(billing::daily_summary, m)?)?;
    m.add_function(wrap_pyfunction!(frame::_object_strings, m)?)?;
    m.add_function(wrap_pyfunction!(forecasting::forecast, m)?)?;
    m.add_function(wrap_pyfunction!(forecasting::forecast_long, m)?)?;
    m.add_function(wrap_pyfunction!(forecasting::forecast_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(forecasting::backtest, m)?)?;
    m.add_function(wrap_pyfunction!(forecasting::classify, m)?)?;
    m.add_function(wrap_pyfunction!(frame::forecast_frame, m)?)?;
    m.add_function(wrap_pyfunction!(frame::cross_validation_frame, m)?)?;
    m.add_function(wrap_pyfunction!(frame::fitted_frame, m)?)?;
    m.add_function(wrap_pyfunction!(forecasting::suggest_orders, m)?)?;
    m.add_function(wrap_pyfunction!(parse_expiry, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(_wire_fields, m)?)?;
    #[cfg(feature = "test-panic")]
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
