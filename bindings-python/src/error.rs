//! `ApiError` → the exception class of its code, from `apotheca._errors` (defined in Python so
//! that input faults can also subclass `ValueError` and lookups `LookupError`).

use apotheca::ApiError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static FROM_CODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for an `ApiError`: an `apotheca.ApothecaError` subclass with `.code`,
/// `.message` and `.details` (a dict of what the error is about).
pub fn to_py(e: ApiError) -> PyErr {
    Python::attach(|py| {
        let make = FROM_CODE.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("apotheca._errors")?
                .getattr("_from_native")?
                .unbind())
        });
        let details = crate::out::to_py(py, &*e.details, apotheca::shape::Shape::Plain);
        let made = details.and_then(|d| {
            make.and_then(|f| f.bind(py).call1((e.code.as_str(), e.message.as_str(), d)))
        });
        match made {
            Ok(exc) => PyErr::from_value(exc),
            Err(import_failed) => import_failed,
        }
    })
}
