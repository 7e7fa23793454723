//! JS values ↔ facade values: camelCase keys in JS, snake_case in the facade, decimals and
//! dates as strings both sides (`apotheca::wire`).

use apotheca::{ApiError, ApiResult};
use napi::bindgen_prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error;

/// A JS argument as a facade type. Arguments arrive as raw JS values and are converted here,
/// not by napi, so that every wrong shape or type (NaN, `undefined`, a `Date`, deep nesting)
/// becomes `MALFORMED_INPUT` with a message, like any other bad input.
pub fn arg<T: DeserializeOwned>(env: &Env, v: Unknown<'_>) -> ApiResult<T> {
    check_shape(v)?;
    let json: Value = env
        .from_js_value(v)
        .map_err(|e| ApiError::malformed(format!("cannot read this argument: {}", e.reason)))?;
    Ok(serde_json::from_value(apotheca::wire::to_snake(json))?)
}

/// How deeply an argument may nest (the facade's inputs need 4 levels).
pub const MAX_DEPTH: usize = 32;
/// How many objects and arrays one argument may hold.
pub const MAX_NODES: usize = 1_000_000;

/// Refuses arguments nested deeper than [`MAX_DEPTH`] before any recursive conversion sees
/// them: napi's deserializer recurses, and a hostile 10,000-deep array would overflow the
/// stack and kill the process. The walk itself uses an explicit, bounded stack.
fn check_shape(root: Unknown<'_>) -> ApiResult<()> {
    let too_deep = || ApiError::malformed(format!("argument nests deeper than {MAX_DEPTH} levels"));
    let unreadable =
        |e: Error| ApiError::malformed(format!("cannot read this argument: {}", e.reason));
    let mut stack = vec![(root, 0usize)];
    let mut seen = 0usize;
    while let Some((value, depth)) = stack.pop() {
        if !matches!(value.get_type(), Ok(ValueType::Object)) {
            continue;
        }
        seen += 1;
        if depth >= MAX_DEPTH {
            return Err(too_deep());
        }
        if seen > MAX_NODES {
            return Err(ApiError::malformed(format!(
                "argument holds more than {MAX_NODES} objects"
            )));
        }
        let obj = value.coerce_to_object().map_err(unreadable)?;
        if obj.is_array().map_err(unreadable)? {
            for i in 0..obj.get_array_length().map_err(unreadable)? {
                stack.push((
                    obj.get_element::<Unknown<'_>>(i).map_err(unreadable)?,
                    depth + 1,
                ));
            }
        } else {
            let keys = obj.get_property_names().map_err(unreadable)?;
            for i in 0..keys.get_array_length().map_err(unreadable)? {
                let key: Unknown<'_> = keys.get_element(i).map_err(unreadable)?;
                stack.push((
                    obj.get_property::<Unknown<'_>, Unknown<'_>>(key)
                        .map_err(unreadable)?,
                    depth + 1,
                ));
            }
        }
    }
    Ok(())
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

/// A facade result as a JS value.
pub fn out<T: Serialize>(r: ApiResult<T>) -> ApiResult<Value> {
    Ok(apotheca::wire::to_camel(
        serde_json::to_value(r?).map_err(ApiError::from)?,
    ))
}

/// Runs a facade call and converts its result, or throws its `ApothecaError`.
pub fn call<T: Serialize>(env: &Env, f: impl FnOnce() -> ApiResult<T>) -> Result<Value> {
    out(f()).map_err(|e| error::to_js(env, e))
}

/// A facade call to run on the libuv thread pool; the Promise rejects with its `ApothecaError`.
pub struct Job(Option<Box<dyn FnOnce() -> ApiResult<Value> + Send>>);

impl Job {
    pub fn new<T: Serialize>(f: impl FnOnce() -> ApiResult<T> + Send + 'static) -> AsyncTask<Job> {
        AsyncTask::new(Job(Some(Box::new(move || out(f())))))
    }
}

impl<'task> napi::ScopedTask<'task> for Job {
    type Output = ApiResult<Value>;
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
            Ok(v) => env.to_js_value(&v),
            Err(e) => Err(error::to_js(env, e)),
        }
    }
}
