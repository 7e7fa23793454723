//! Python values ↔ the facade's serde values. Inputs: dicts, lists, str, int, `Decimal`,
//! `datetime.date` (floats, NaN and datetimes are refused: money is never a float and a datetime
//! carries a timezone that can move an expiry by a day), read by [`crate::de`]. Outputs:
//! [`crate::out`].

use apotheca::shape::Shaped;
use apotheca::wire;
use pyo3::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{de, error};

/// A Python argument as a facade type, read straight from the Python objects
/// ([`crate::de`]); shape errors become `MALFORMED_INPUT`, a list over its limit
/// `LIMIT_EXCEEDED`.
pub fn arg<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    read(obj, de::State::argument()).map_err(error::to_py)
}

fn read<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, state: de::State) -> apotheca::ApiResult<T> {
    wire::decode_with(
        || {
            state.reset();
            de::PyDe::new(obj, &state)
        },
        wire::Case::Snake,
    )
    .map_err(|e| state.finish(e))
}

/// A named scalar argument (`text`, `limit`): its errors start with its name.
pub fn param<T: DeserializeOwned>(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    read(obj, de::State::default()).map_err(|e| error::to_py(e.at(name)))
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
