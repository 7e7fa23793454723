//! Python values ↔ the facade's serde values. Inputs: dicts, lists, str, int, `Decimal`,
//! `datetime.date` (floats, NaN and datetimes are refused: money is never a float and a datetime
//! carries a timezone that can move an expiry by a day). Outputs: [`crate::out`].

use std::fmt::Write;

use apotheca::shape::Shaped;
use apotheca::wire;
use apotheca::{ApiError, ErrorCode};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::error;
use crate::out::{cached, decimal_class};

static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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
    if obj.is_instance(decimal_class(py)?)? {
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
    if obj.is_instance(cached(py, &DATETIME, "datetime", &["datetime"])?)? {
        return Err(malformed(format!(
            "{}: {obj} is a datetime; pass a datetime.date (a timezone can move a date by a day)",
            at(path)
        )));
    }
    if obj.is_instance(cached(py, &DATE, "datetime", &["date"])?)? {
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

/// A facade result as a Python value (see [`crate::out`]).
pub fn ret<T: Serialize + Shaped>(
    py: Python<'_>,
    r: apotheca::ApiResult<T>,
) -> PyResult<Py<PyAny>> {
    Ok(crate::out::to_py(py, &r.map_err(error::to_py)?, T::shape())?.unbind())
}
