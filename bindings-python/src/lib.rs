//! `import apotheca`: the Python face of the apotheca facade. The native part is private
//! (`apotheca._native`); the package `apotheca` re-exports it with its exceptions and types.
#![allow(missing_docs)] // documented in the .pyi stubs, which Python tools read

mod conv;
mod error;
mod ledger;

use pyo3::prelude::*;

#[pyfunction]
fn parse_expiry(label: &str) -> PyResult<chrono::NaiveDate> {
    apotheca::parse_expiry(label).map_err(error::to_py)
}

#[pyfunction]
fn version() -> &'static str {
    apotheca::version()
}

#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    apotheca::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect()
}

#[cfg(feature = "test-panic")]
#[pyfunction]
fn _panic_for_tests() -> PyResult<()> {
    apotheca::panic_for_tests().map_err(error::to_py)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ledger::PyLedger>()?;
    m.add_function(wrap_pyfunction!(parse_expiry, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    #[cfg(feature = "test-panic")]
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
