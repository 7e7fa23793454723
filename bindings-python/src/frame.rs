//! Long frames in and out over the Arrow PyCapsule interface (`pyo3-arrow`): any object with
//! `__arrow_c_stream__` (a pyarrow or polars table, DuckDB, arro3) comes in as Arrow buffers and
//! the result goes back as a table with `__arrow_c_stream__`, with no Python object per row.
//! `apotheca.forecast_frame` (Python, `_frames.py`) turns pandas frames into pyarrow tables on
//! the way in and the result into the caller's kind of frame on the way out.
//!
//! The work runs without the GIL. Between chunks of series the progress callback, if any, is
//! called with the GIL held, after `check_signals` (so Ctrl-C raises `KeyboardInterrupt` within
//! a chunk); an exception it raises, or the interrupt, stops the call and is raised as is.

use std::sync::Arc;

use apotheca::frame::{self, FrameSpec};
use apotheca::{ApiError, ApiResult, ErrorCode};
use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use crate::conv::{arg, param};
use crate::error::to_py;

type Arg<'a, 'py> = &'a Bound<'py, PyAny>;

/// The table an argument holds, as one batch.
fn table(obj: Arg<'_, '_>) -> PyResult<RecordBatch> {
    let t: PyTable = obj.extract().map_err(|_| {
        to_py(
            ApiError::new(
                ErrorCode::MalformedInput,
                format!(
                    "table must be an Arrow table (an object with __arrow_c_stream__: pyarrow, \
                     polars, DuckDB), not {}",
                    obj.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ),
            )
            .at("table"),
        )
    })?;
    let (batches, schema) = t.into_inner();
    frame::concat(&schema, &batches).map_err(to_py)
}

fn out(batch: RecordBatch) -> PyResult<PyTable> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], Arc::clone(&schema))
}

/// Runs `f` without the GIL, with `progress` (a callable `(done, total)`) called between
/// chunks; a Python exception from the callback or from a signal handler is raised as is.
fn detached<T: Send>(
    py: Python<'_>,
    progress: Option<Arg<'_, '_>>,
    f: impl FnOnce(Option<frame::Progress<'_>>) -> ApiResult<T> + Send,
) -> PyResult<T> {
    let callback: Option<Py<PyAny>> = progress
        .filter(|p| !p.is_none())
        .map(|p| p.clone().unbind());
    let mut raised: Option<PyErr> = None;
    let result = {
        let raised = &mut raised;
        let mut report = |done: usize, total: usize| -> ApiResult<()> {
            Python::attach(|py| {
                let called = py.check_signals().and_then(|()| match &callback {
                    Some(c) => c.bind(py).call1((done, total)).map(|_| ()),
                    None => Ok(()),
                });
                called.map_err(|e| {
                    *raised = Some(e);
                    ApiError::new(ErrorCode::Cancelled, "stopped by the progress callback")
                })
            })
        };
        py.detach(|| f(Some(&mut report)))
    };
    match (result, raised) {
        (_, Some(e)) => Err(e),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(to_py(e)),
    }
}

/// Reads the table and spec, then runs `f` as [`detached`] does.
fn call(
    py: Python<'_>,
    table: Arg<'_, '_>,
    spec: Arg<'_, '_>,
    progress: Option<Arg<'_, '_>>,
    f: impl FnOnce(&RecordBatch, &FrameSpec, Option<frame::Progress<'_>>) -> ApiResult<RecordBatch>
    + Send,
) -> PyResult<PyTable> {
    let batch = self::table(table)?;
    let spec: FrameSpec = arg(spec)?;
    out(detached(py, progress, |p| f(&batch, &spec, p))?)
}

#[doc = doc!(forecast_frame)]
#[pyfunction]
#[pyo3(signature = (table, spec, progress = None))]
pub fn forecast_frame(
    py: Python<'_>,
    table: Arg<'_, '_>,
    spec: Arg<'_, '_>,
    progress: Option<Arg<'_, '_>>,
) -> PyResult<PyTable> {
    call(py, table, spec, progress, frame::forecast_frame)
}

#[doc = doc!(cross_validation_frame)]
#[pyfunction]
#[pyo3(signature = (table, spec, windows, step = None, progress = None))]
pub fn cross_validation_frame(
    py: Python<'_>,
    table: Arg<'_, '_>,
    spec: Arg<'_, '_>,
    windows: Arg<'_, '_>,
    step: Option<Arg<'_, '_>>,
    progress: Option<Arg<'_, '_>>,
) -> PyResult<PyTable> {
    let windows: u32 = param("windows", windows)?;
    let step: Option<u32> = step
        .filter(|s| !s.is_none())
        .map(|s| param("step", s))
        .transpose()?;
    call(py, table, spec, progress, |b, s, p| {
        frame::cross_validation_frame(b, s, windows, step, p)
    })
}

#[doc = doc!(fitted_frame)]
#[pyfunction]
#[pyo3(signature = (table, spec, progress = None))]
pub fn fitted_frame(
    py: Python<'_>,
    table: Arg<'_, '_>,
    spec: Arg<'_, '_>,
    progress: Option<Arg<'_, '_>>,
) -> PyResult<PyTable> {
    call(py, table, spec, progress, frame::fitted_frame)
}

/// A pandas object column of strings (ids as `read_csv` gives them) as an Arrow dictionary
/// array (`int32` keys in order of first appearance, `utf8` values), read straight from the
/// Python objects: a row holding the same object as the row before (pandas shares one object
/// per run of equal strings) costs one pointer comparison, a row holding the row before's text
/// in another object one string comparison, any other row one hash lookup of its UTF-8 bytes.
/// About a third of pyarrow's `pa.array(col, type=pa.string())`, which copies every row.
/// `None` when a value is not a `str` (the caller falls back to pyarrow).
#[pyfunction]
pub fn _object_strings(
    values: numpy::PyReadonlyArray1<'_, Py<PyAny>>,
) -> PyResult<Option<pyo3_arrow::PyArray>> {
    use arrow_array::{DictionaryArray, Int32Array};

    let py = values.py();
    let objects = values.as_array();
    let mut ids = Ids {
        keys: Vec::with_capacity(objects.len()),
        ..Ids::default()
    };
    if let Some(rows) = objects.as_slice() {
        // A contiguous column (as pandas gives it): each run of rows holding the row before's
        // object found by one scan and its keys written at once.
        let mut at = 0;
        while let Some(obj) = rows.get(at) {
            if !ids.row(obj.bind(py))? {
                return Ok(None);
            }
            at += 1;
            // The row just read is `prev`: the rows after it holding its object take its key.
            if let Some((same, _, key)) = ids.prev {
                let run = rows[at..]
                    .iter()
                    .position(|o| o.as_ptr() != same)
                    .unwrap_or(rows.len() - at);
                ids.keys.resize(ids.keys.len() + run, key);
                at += run;
            }
        }
    } else {
        for obj in objects.iter() {
            if !ids.row(obj.bind(py))? {
                return Ok(None);
            }
        }
    }
    let dict = DictionaryArray::try_new(Int32Array::from(ids.keys), Arc::new(ids.uniques.finish()))
        .map_err(|e| to_py(ApiError::new(ErrorCode::Internal, e.to_string())))?;
    Ok(Some(pyo3_arrow::PyArray::from_array_ref(Arc::new(dict))))
}

/// What [`_object_strings`] has read: each row's key, each distinct text's key and the texts
/// in order, and the last row's object, text and key.
#[derive(Default)]
struct Ids<'a> {
    keys: Vec<i32>,
    seen: std::collections::HashMap<&'a str, i32, foldhash::fast::RandomState>,
    uniques: arrow_array::builder::StringBuilder,
    prev: Option<(*mut pyo3::ffi::PyObject, &'a str, i32)>,
}

impl<'a> Ids<'a> {
    /// Reads one row's key; false when it is not a `str`.
    fn row(&mut self, obj: &'a Bound<'_, PyAny>) -> PyResult<bool> {
        use pyo3::types::PyString;
        let ptr = obj.as_ptr();
        if let Some((p, _, k)) = self.prev
            && p == ptr
        {
            self.keys.push(k);
            return Ok(true);
        }
        // An exact `str` is told by its type's address; a subclass by its flags (a function
        // call under the stable ABI).
        let s = match obj.cast_exact::<PyString>() {
            Ok(s) => s,
            Err(_) => match obj.cast::<PyString>() {
                Ok(s) => s,
                Err(_) => return Ok(false),
            },
        };
        let Ok(text) = s.to_str() else {
            return Ok(false);
        };
        // A new object with the previous text (a frame built from a numpy string array holds
        // one object per row): compared, not hashed.
        if let Some((_, t, k)) = self.prev
            && t == text
        {
            self.prev = Some((ptr, t, k));
            self.keys.push(k);
            return Ok(true);
        }
        let next = i32::try_from(self.seen.len()).map_err(|_| {
            to_py(ApiError::new(
                ErrorCode::LimitExceeded,
                "more distinct ids than an int32 dictionary holds",
            ))
        })?;
        let uniques = &mut self.uniques;
        let k = *self.seen.entry(text).or_insert_with(|| {
            uniques.append_value(text);
            next
        });
        self.prev = Some((ptr, text, k));
        self.keys.push(k);
        Ok(true)
    }
}
