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

/// The `JSON.stringify` replacer, defined once per JS realm (non-enumerable, on `globalThis`):
/// it turns every value that JSON would silently change — `NaN` and `Infinity` (→ `null`),
/// `undefined` in an array (→ `null`), a `Date` (→ a timestamp string), a `BigInt` (a throw
/// without a path), a string with a lone surrogate — into a marked string that
/// `apotheca::wire::to_snake` refuses, naming its path. An `undefined` property stays absent.
const REPLACER: &str = r#"(() => {
  const k = '__apothecaJsonReplacer'
  if (!Object.prototype.hasOwnProperty.call(globalThis, k)) {
    const bad = (what) => '\u0000apotheca-bad-value:' + what
    const replacer = function (key, v) {
      const raw = this[key]
      if (raw instanceof Date) return bad('a Date (pass a "YYYY-MM-DD" string: a timezone can move a date by a day)')
      switch (typeof v) {
        case 'number': return Number.isFinite(v) ? v : bad(String(v))
        case 'bigint': return bad('a BigInt (pass a number or a decimal string)')
        case 'undefined': return Array.isArray(this) ? bad('undefined') : undefined
        case 'function': case 'symbol': return bad('a ' + typeof v)
        case 'string': return v.isWellFormed() ? v : bad('a string with a lone surrogate')
        default: return v
      }
    }
    Object.defineProperty(globalThis, k, { value: replacer, enumerable: false })
  }
  return globalThis[k]
})()"#;

fn replacer<'e>(env: &'e Env) -> Result<Unknown<'e>> {
    realm_function(env, "__apothecaJsonReplacer", || REPLACER.to_string())
}

/// A function apotheca keeps on `globalThis` under `name`, once per JS realm: the one there,
/// else the value of `script`, which defines it there (non-enumerable) and returns it.
fn realm_function<'e>(
    env: &'e Env,
    name: &str,
    script: impl FnOnce() -> String,
) -> Result<Unknown<'e>> {
    let f: Unknown<'e> = env.get_global()?.get_named_property(name)?;
    if f.get_type()? == ValueType::Function {
        return Ok(f);
    }
    env.run_script(script())
}

/// A JS value that could not be read at all (a throwing getter, a revoked proxy).
fn unreadable(e: Error) -> ApiError {
    ApiError::malformed(format!("cannot read this argument: {}", e.reason))
}

/// A JS argument as a facade type; every wrong shape or type becomes `MALFORMED_INPUT`.
pub fn arg<T: DeserializeOwned>(env: &Env, v: Unknown<'_>) -> ApiResult<T> {
    let json = match v.get_type().map_err(unreadable)? {
        ValueType::Undefined => return Err(ApiError::malformed("argument is undefined")),
        // Scalars (ids, dates, labels, counts) skip the JSON round trip.
        ValueType::String => {
            let s = v.coerce_to_string().map_err(unreadable)?;
            // A lone surrogate would become U+FFFD: two different ids would read the same.
            let units = s.into_utf16().map_err(unreadable)?;
            serde_json::Value::String(units.as_str().map_err(|_| {
                ApiError::malformed(
                    "argument: the string holds a lone surrogate and is not valid text",
                )
            })?)
        }
        ValueType::Number => {
            let n = v
                .coerce_to_number()
                .and_then(|n| n.get_double())
                .map_err(unreadable)?;
            if !n.is_finite() {
                return Err(ApiError::malformed(format!(
                    "argument: {n} is not a finite number"
                )));
            }
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

/// The list check of [`check_lists`], kept on `globalThis` as the replacer is: the first list
/// of `apotheca::wire::LIST_LIMITS`, by its camelCase key, that holds more items than its
/// limit, as `[key, length, limit]`; else `undefined`. One call instead of a Node-API property
/// read per limit.
fn list_check<'e>(env: &'e Env) -> Result<Function<'e, Unknown<'e>, Unknown<'e>>> {
    let f = realm_function(env, "__apothecaListCheck", || {
        let limits: Vec<String> = apotheca::wire::LIST_LIMITS
            .iter()
            .map(|(key, max)| format!("['{}', {max}]", apotheca::wire::camel(key)))
            .collect();
        format!(
            "(() => {{\n\
             \x20 const limits = [{}]\n\
             \x20 const check = (o) => {{\n\
             \x20   for (const [key, max] of limits) {{\n\
             \x20     const v = o[key]\n\
             \x20     if (Array.isArray(v) && v.length > max) return [key, v.length, max]\n\
             \x20   }}\n\
             \x20 }}\n\
             \x20 Object.defineProperty(globalThis, '__apothecaListCheck', {{ value: check, enumerable: false }})\n\
             \x20 return check\n\
             }})()",
            limits.join(", ")
        )
    })?;
    Function::from_unknown(f)
}

/// Refuses an object whose lists named in `apotheca::wire::LIST_LIMITS` are too long, before
/// it is turned into text (a 1,000,000-line posting is refused at once, not after seconds).
fn check_lists(env: &Env, v: &Unknown<'_>) -> ApiResult<()> {
    if v.get_type().ok() != Some(ValueType::Object) {
        return Ok(());
    }
    let found = list_check(env)
        .and_then(|f| f.call(*v))
        .map_err(unreadable)?;
    if found.get_type().map_err(unreadable)? != ValueType::Object {
        return Ok(());
    }
    let found = Object::from_unknown(found).map_err(unreadable)?;
    let key: String = found.get_element(0).map_err(unreadable)?;
    let n: u32 = found.get_element(1).map_err(unreadable)?;
    let max: u32 = found.get_element(2).map_err(unreadable)?;
    Err(apotheca::wire::too_many(&key, n as usize, max as usize))
}

/// Objects and arrays cross as JSON text: `JSON.stringify` in V8, then serde_json.
fn from_text<T: DeserializeOwned>(env: &Env, v: Unknown<'_>) -> ApiResult<T> {
    check_lists(env, &v)?;
    let text = replacer(env)
        .and_then(|r| {
            let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
            let stringify: Function<'_, FnArgs<(Unknown<'_>, Unknown<'_>)>, Unknown<'_>> =
                json.get_named_property("stringify")?;
            stringify.call(FnArgs::from((v, r)))
        })
        .map_err(unreadable)?;
    let text = text
        .coerce_to_string()
        .and_then(|s| s.into_utf8())
        .and_then(|s| s.into_owned())
        .map_err(unreadable)?;
    let json: serde_json::Value = serde_json::from_str(&text)?;
    apotheca::wire::decode(apotheca::wire::to_snake(json)?, apotheca::wire::Case::Camel)
}

/// A named argument (`text`, `limit`, `product`): its errors start with its name.
pub fn param<T: DeserializeOwned>(env: &Env, name: &str, v: Unknown<'_>) -> ApiResult<T> {
    arg(env, v).map_err(|e| apotheca::wire::at_param(e, name))
}

/// A bare date argument: a `"YYYY-MM-DD"` string within the range (never a JS `Date`).
pub fn date(env: &Env, name: &str, v: Unknown<'_>) -> ApiResult<apotheca::NaiveDate> {
    param::<apotheca::domain::strict::StrictDate>(env, name, v).map(|d| d.0)
}

/// A bare amount argument: a decimal string (`"12.50"`), never a number.
pub fn decimal(env: &Env, name: &str, v: Unknown<'_>) -> ApiResult<apotheca::Decimal> {
    param::<apotheca::domain::strict::StrictDecimal>(env, name, v).map(|d| d.0)
}

/// An optional named argument: `undefined` and `null` are `None`.
pub fn opt<T: DeserializeOwned>(
    env: &Env,
    name: &str,
    v: Option<Unknown<'_>>,
) -> ApiResult<Option<T>> {
    match v {
        Some(u) if !matches!(u.get_type(), Ok(ValueType::Undefined | ValueType::Null)) => {
            param(env, name, u).map(Some)
        }
        _ => Ok(None),
    }
}

/// A facade value as JSON text with camelCase keys.
fn out<T: Serialize>(r: ApiResult<T>) -> ApiResult<String> {
    let v = serde_json::to_value(r?).map_err(ApiError::from)?;
    Ok(apotheca::wire::to_camel_text(v))
}

/// JSON text as a JS value; a lone string or number is made directly.
pub(crate) fn parse<'e>(env: &'e Env, text: &str) -> Result<Unknown<'e>> {
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
