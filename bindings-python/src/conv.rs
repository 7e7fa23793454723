//! Python values ↔ the facade's serde values. Inputs: dicts, lists, str, int, `Decimal`,
//! `datetime.date` (floats, NaN and datetimes are refused: money is never a float and a datetime
//! carries a timezone that can move an expiry by a day). Outputs: dicts and lists with `Decimal`
//! and `datetime.date` where `apotheca::wire` says a field is one.

use std::fmt::Write;

use apotheca::shape::{Shape, Shaped};
use apotheca::wire;
use apotheca::{ApiError, ErrorCode};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::error;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import(module)?.getattr(name)?.unbind())
        })?
        .bind(py))
}

fn malformed(msg: String) -> PyErr {
    error::to_py(ApiError::located(ErrorCode::MalformedInput, msg))
}

/// How deeply input may nest (the facade's inputs need 5 levels; a hostile 100,000-deep list
/// must not overflow the stack).
pub const MAX_DEPTH: usize = 32;

/// A Python value as a JSON-shaped value. Lists named in `apotheca::wire::LIST_LIMITS` are
/// counted before any item is converted; every error names the path of the offending value.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut path = String::new();
    let mut items = 0usize;
    value_at(obj, &mut path, 0, &mut items)
}

fn at(path: &str) -> String {
    if path.is_empty() {
        "argument".into()
    } else {
        path.to_string()
    }
}

fn value_at(
    obj: &Bound<'_, PyAny>,
    path: &mut String,
    depth: usize,
    items: &mut usize,
) -> PyResult<Value> {
    let py = obj.py();
    if depth > MAX_DEPTH {
        return Err(malformed(format!(
            "{}: input nests deeper than {MAX_DEPTH} levels",
            at(path)
        )));
    }
    *items += 1;
    if *items > wire::MAX_ITEMS {
        return Err(error::to_py(wire::too_many(
            &at(path),
            *items,
            wire::MAX_ITEMS,
        )));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() {
        let n: i64 = obj.extract().map_err(|_| {
            malformed(format!(
                "{}: integer {obj} is out of range (at most 64 bits)",
                at(path)
            ))
        })?;
        return Ok(Value::Number(n.into()));
    }
    if obj.is_instance_of::<PyFloat>() {
        // Floats are kept as numbers: a field that wants money or a count refuses them by its
        // type (a decimal is a string, a count an integer), naming the field.
        let f: f64 = obj.extract()?;
        return Number::from_f64(f)
            .filter(|_| f.is_finite())
            .map(Value::Number)
            .ok_or_else(|| malformed(format!("{}: {f} is not a finite number", at(path))));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_str().map_err(|_| {
            malformed(format!(
                "{}: the string holds a lone surrogate and is not valid text",
                at(path)
            ))
        })?;
        return Ok(Value::String(text.to_owned()));
    }
    if obj.is_instance(class(py, &DECIMAL, "decimal", "Decimal")?)? {
        if !obj.call_method0("is_finite")?.extract::<bool>()? {
            return Err(malformed(format!(
                "{}: Decimal {obj} is not a finite amount",
                at(path)
            )));
        }
        // Positional notation: str(Decimal("1E+2")) would be an exponent form.
        return Ok(Value::String(
            obj.call_method1("__format__", ("f",))?.extract()?,
        ));
    }
    if obj.is_instance(class(py, &DATETIME, "datetime", "datetime")?)? {
        return Err(malformed(format!(
            "{}: {obj} is a datetime; pass a datetime.date (a timezone can move a date by a day)",
            at(path)
        )));
    }
    if obj.is_instance(class(py, &DATE, "datetime", "date")?)? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let Ok(k) = k
                .cast::<PyString>()
                .map_err(drop)
                .and_then(|k| k.to_str().map_err(drop))
            else {
                return Err(malformed(format!(
                    "{}: dict key {k} is not a str",
                    at(path)
                )));
            };
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
            let value = value_at(&v, path, depth + 1, items)?;
            path.truncate(len);
            m.insert(k.to_owned(), value);
        }
        return Ok(Value::Object(m));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let n = obj.len()?;
        wire::check_list(path, n).map_err(error::to_py)?;
        let mut out = Vec::with_capacity(n);
        for (i, item) in obj.try_iter()?.enumerate() {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            out.push(value_at(&item?, path, depth + 1, items)?);
            path.truncate(len);
        }
        return Ok(Value::Array(out));
    }
    Err(malformed(format!(
        "{}: cannot use a {} value here",
        at(path),
        obj.get_type().name()?
    )))
}

/// A JSON-shaped value as a Python value: strings become `Decimal` or `date` where the value's
/// [`Shape`] (generated from its Rust type) says so, never by the key's name.
pub fn to_py<'py>(py: Python<'py>, v: &Value, shape: Shape) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => match shape {
            Shape::Decimal => class(py, &DECIMAL, "decimal", "Decimal")?.call1((s,))?,
            Shape::Date => {
                class(py, &DATE, "datetime", "date")?.call_method1("fromisoformat", (s,))?
            }
            _ => PyString::new(py, s).into_any(),
        },
        Value::Array(a) => PyList::new(
            py,
            a.iter()
                .enumerate()
                .map(|(i, v)| to_py(py, v, shape.item(i)))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, v) in m {
                d.set_item(k, to_py(py, v, shape.field(k))?)?;
            }
            d.into_any()
        }
    })
}

/// A Python argument as a facade type; shape errors become `MALFORMED_INPUT`.
pub fn arg<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    wire::decode(to_value(obj)?, wire::Case::Snake).map_err(error::to_py)
}

/// A named scalar argument (`text`, `limit`): its errors start with its name.
pub fn param<T: DeserializeOwned>(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let (mut path, mut items) = (name.to_string(), 0usize);
    let v = value_at(obj, &mut path, 0, &mut items)?;
    wire::decode(v, wire::Case::Snake).map_err(|e| error::to_py(e.at(name)))
}

/// A bare date argument (`on`, `date`): `datetime.date` or `"YYYY-MM-DD"` within the range.
pub fn date(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<apotheca::NaiveDate> {
    param::<apotheca::domain::strict::StrictDate>(name, obj).map(|d| d.0)
}

/// A bare amount argument (`due`, `amount`): `Decimal` or a decimal string, never a float.
pub fn decimal(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<apotheca::Decimal> {
    param::<apotheca::domain::strict::StrictDecimal>(name, obj).map(|d| d.0)
}

/// A facade result as a Python value.
pub fn ret<T: Serialize + Shaped>(
    py: Python<'_>,
    r: apotheca::ApiResult<T>,
) -> PyResult<Py<PyAny>> {
    let v = serde_json::to_value(r.map_err(error::to_py)?).map_err(|e| error::to_py(e.into()))?;
    // A batch (a list of many results) builds thousands of dicts at once: each burst of them
    // would start Python's cyclic collector, which walks every container the process holds
    // (a service holding a large parsed knowledge base: most of the time). These objects hold
    // no cycles, so the collector waits until they are built.
    if matches!(&v, Value::Array(a) if a.len() >= GC_PAUSE_FROM) {
        return collector_paused(py, || to_py(py, &v, T::shape()).map(Bound::unbind));
    }
    Ok(to_py(py, &v, T::shape())?.unbind())
}

/// A list of facade results as a Python list, each result converted on its own (a batch's
/// whole JSON tree is never held at once), with the collector paused for a long list as in
/// [`ret`].
pub fn ret_each<T: Serialize + Shaped>(
    py: Python<'_>,
    r: apotheca::ApiResult<Vec<T>>,
) -> PyResult<Py<PyAny>> {
    let items = r.map_err(error::to_py)?;
    let build = || -> PyResult<Py<PyAny>> {
        let shape = T::shape();
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let v = serde_json::to_value(item).map_err(|e| error::to_py(e.into()))?;
            out.push(to_py(py, &v, shape)?);
        }
        Ok(PyList::new(py, out)?.into_any().unbind())
    };
    if items.len() >= GC_PAUSE_FROM {
        collector_paused(py, build)
    } else {
        build()
    }
}

/// How many results a list must hold for [`ret`] to build it with the collector paused.
const GC_PAUSE_FROM: usize = 64;

static GC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `f` with Python's cyclic garbage collector paused (if it was running), resumed after.
fn collector_paused<R>(py: Python<'_>, f: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    let gc = GC
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py.import("gc")?.unbind().into_any())
        })?
        .bind(py);
    let running: bool = gc.call_method0("isenabled")?.extract()?;
    if running {
        gc.call_method0("disable")?;
    }
    let out = f();
    if running {
        gc.call_method0("enable")?;
    }
    out
}
