//! JS values ↔ facade values: camelCase keys in JS, snake_case in the facade, decimals and
//! dates as strings both sides (`apotheca::wire`).
//!
//! Values cross as JSON text: `JSON.stringify` on the way in and `JSON.parse` on the way out,
//! both native code inside V8 and several times faster than building values property by
//! property through Node-API. Their failures are exceptions, never crashes: a 10,000-deep array
//! makes `JSON.stringify` throw a `RangeError`, and serde_json refuses input nested deeper than
//! 128 levels. Whatever a caller passes that is not the right shape — `NaN` (which becomes
//! `null`), `undefined`, a `Date` (which becomes a timestamp string), a `BigInt` — is
//! `MALFORMED_INPUT`.

use apotheca::{ApiError, ApiResult};
use napi::bindgen_prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error;

fn global_json<'e>(env: &'e Env, name: &str) -> Result<Function<'e, Unknown<'e>, Unknown<'e>>> {
    let json: Object<'e> = env.get_global()?.get_named_property("JSON")?;
    json.get_named_property(name)
}

/// A JS argument as a facade type; every wrong shape or type becomes `MALFORMED_INPUT`.
pub fn arg<T: DeserializeOwned>(env: &Env, v: Unknown<'_>) -> ApiResult<T> {
    let unreadable =
        |e: Error| ApiError::malformed(format!("cannot read this argument: {}", e.reason));
    let json = match v.get_type().map_err(unreadable)? {
        ValueType::Undefined => return Err(ApiError::malformed("argument is undefined")),
        // Scalars (ids, dates, labels, counts) skip the JSON round trip.
        ValueType::String => serde_json::Value::String(
            v.coerce_to_string()
                .and_then(|s| s.into_utf8())
                .and_then(|s| s.into_owned())
                .map_err(unreadable)?,
        ),
        ValueType::Number => {
            let n = v
                .coerce_to_number()
                .and_then(|n| n.get_double())
                .map_err(unreadable)?;
            // Whole numbers within 2^53 are integers; anything else stays a float for serde to refuse.
            if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                serde_json::Value::from(n as i64)
            } else {
                serde_json::Number::from_f64(n)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        _ => return from_text(env, v),
    };
    apotheca::wire::decode(json, apotheca::wire::Case::Camel)
}

/// Objects and arrays cross as JSON text: `JSON.stringify` in V8, then serde_json.
fn from_text<T: DeserializeOwned>(env: &Env, v: Unknown<'_>) -> ApiResult<T> {
    let unreadable =
        |e: Error| ApiError::malformed(format!("cannot read this argument: {}", e.reason));
    let text = global_json(env, "stringify")
        .and_then(|f| f.call(v))
        .map_err(unreadable)?;
    let text = text
        .coerce_to_string()
        .and_then(|s| s.into_utf8())
        .and_then(|s| s.into_owned())
        .map_err(unreadable)?;
    let json: serde_json::Value = serde_json::from_str(&text)?;
    apotheca::wire::decode(apotheca::wire::to_snake(json)?, apotheca::wire::Case::Camel)
}

/// An optional JS argument: `undefined` and `null` are `None`.
pub fn opt<T: DeserializeOwned>(env: &Env, v: Option<Unknown<'_>>) -> ApiResult<Option<T>> {
    match v {
        Some(u) if !matches!(u.get_type(), Ok(ValueType::Undefined | ValueType::Null)) => {
            arg(env, u).map(Some)
        }
        _ => Ok(None),
    }
}

/// A facade value as JSON text with camelCase keys.
fn out<T: Serialize>(r: ApiResult<T>) -> ApiResult<String> {
    let v = serde_json::to_value(r?).map_err(ApiError::from)?;
    Ok(apotheca::wire::to_camel(v).to_string())
}

/// JSON text as a JS value; a lone string or number is made directly.
fn parse<'e>(env: &'e Env, text: &str) -> Result<Unknown<'e>> {
    if let Some(s) = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|s| !s.contains('\\'))
    {
        return Ok(env.create_string(s)?.to_unknown());
    }
    if let Ok(n) = text.parse::<f64>() {
        return Ok(env.create_double(n)?.to_unknown());
    }
    let s = env.create_string(text)?;
    global_json(env, "parse")?.call(s.to_unknown())
}

/// Runs a facade call and converts its result, or throws its `ApothecaError`.
pub fn call<'e, T: Serialize>(
    env: &'e Env,
    f: impl FnOnce() -> ApiResult<T>,
) -> Result<Unknown<'e>> {
    let text = out(f()).map_err(|e| error::to_js(env, e))?;
    parse(env, &text)
}

/// A facade call to run on the libuv thread pool; the Promise rejects with its `ApothecaError`.
pub struct Job(Option<Box<dyn FnOnce() -> ApiResult<String> + Send>>);

impl Job {
    pub fn new<T: Serialize>(f: impl FnOnce() -> ApiResult<T> + Send + 'static) -> AsyncTask<Job> {
        AsyncTask::new(Job(Some(Box::new(move || out(f())))))
    }
}

impl<'task> napi::ScopedTask<'task> for Job {
    type Output = ApiResult<String>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(self.0.take().map_or_else(
            || {
                Err(ApiError::new(
                    apotheca::ErrorCode::Internal,
                    "job ran twice",
                ))
            },
            apotheca::guard,
        ))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(text) => parse(env, &text),
            Err(e) => Err(error::to_js(env, e)),
        }
    }
}
