//! JS values ↔ facade values, with the conventions of `apotheca::wire`.

use std::fmt::Write;

use apotheca::wire;
use apotheca::{ApiError, ApiResult};
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// How deeply an argument may nest (the facade's inputs need 5 levels).
pub const MAX_DEPTH: usize = 32;

/// The JS error for an `ApiError`: an `Error` named `ApothecaError` with `.code` and
/// `.details`; the package's exported `ApothecaError` class (`errors.js`) recognises it for
/// `instanceof`.
pub fn js_error(e: ApiError) -> JsValue {
    let e = wire::for_js(e);
    let err = js_sys::Error::new(&e.message);
    err.set_name("ApothecaError");
    let details = wire::js_details(&e)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|_| Object::new().into());
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(
        &err,
        &JsValue::from_str("code"),
        &JsValue::from_str(e.code.as_str()),
    );
    let _ = Reflect::set(&err, &JsValue::from_str("details"), &details);
    err.into()
}

/// A JS value as a JSON-shaped value, converted here rather than by a toolkit so that nothing
/// changes meaning on the way: `NaN`, `Infinity`, a `BigInt`, a `Date`, a function, a symbol,
/// `undefined` in an array and a string with a lone surrogate (which would become U+FFFD, so
/// that `'B\ud800'` and `'B\udc00'` read as one id) are refused by path; an `undefined`
/// property is absent, as in JSON. Depth is bounded before it can exhaust the WebAssembly
/// stack, the lists of `apotheca::wire::LIST_LIMITS` are counted before their items are read,
/// and one argument holds at most `wire::MAX_ITEMS` values.
fn to_value(v: &JsValue, path: &mut String, depth: usize, items: &mut usize) -> ApiResult<Value> {
    let at = |path: &str| {
        if path.is_empty() {
            "argument".to_string()
        } else {
            path.to_string()
        }
    };
    let bad =
        |path: &str, what: &str| ApiError::malformed(format!("{}: cannot read {what}", at(path)));
    *items += 1;
    if *items > wire::MAX_ITEMS {
        return Err(wire::too_many(&at(path), *items, wire::MAX_ITEMS));
    }
    if v.is_null() {
        return Ok(Value::Null);
    }
    if v.is_undefined() {
        return Err(bad(path, "undefined"));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        if !n.is_finite() {
            return Err(bad(path, &n.to_string()));
        }
        // Whole numbers within 2^53 are integers; anything else stays a float for serde to refuse.
        return Ok(if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
            Value::from(n as i64)
        } else {
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
        });
    }
    if let Some(s) = v.dyn_ref::<js_sys::JsString>() {
        if !s.is_valid_utf16() {
            return Err(bad(path, "a string with a lone surrogate"));
        }
        return Ok(Value::String(String::from(s)));
    }
    if v.is_bigint() {
        return Err(bad(path, "a BigInt (pass a number or a decimal string)"));
    }
    if v.is_function() || v.is_symbol() {
        return Err(bad(path, "a function or a symbol"));
    }
    if v.is_instance_of::<js_sys::Date>() {
        return Err(bad(
            path,
            "a Date (pass a \"YYYY-MM-DD\" string: a timezone can move a date by a day)",
        ));
    }
    if depth >= MAX_DEPTH {
        return Err(ApiError::malformed(format!(
            "{}: argument nests deeper than {MAX_DEPTH} levels",
            at(path)
        )));
    }
    if Array::is_array(v) {
        let a: &Array = v.unchecked_ref();
        let n = a.length() as usize;
        wire::check_list(path, n)?;
        let mut out = Vec::with_capacity(n);
        for (i, item) in a.iter().enumerate() {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            out.push(to_value(&item, path, depth + 1, items)?);
            path.truncate(len);
        }
        return Ok(Value::Array(out));
    }
    let obj: &Object = v.unchecked_ref();
    let mut m = serde_json::Map::new();
    for key in Object::keys(obj).iter() {
        let Some(k) = key.as_string().filter(|_| {
            key.dyn_ref::<js_sys::JsString>()
                .is_some_and(|s| s.is_valid_utf16())
        }) else {
            return Err(bad(path, "a key that is not valid text"));
        };
        let value = Reflect::get(obj, &key).map_err(|_| bad(path, "a property that throws"))?;
        if value.is_undefined() {
            continue;
        }
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&k);
        let converted = to_value(&value, path, depth + 1, items)?;
        path.truncate(len);
        m.insert(k, converted);
    }
    Ok(Value::Object(m))
}

/// A JS argument as a facade type; every wrong shape or type becomes `MALFORMED_INPUT`.
pub fn arg<T: DeserializeOwned>(v: JsValue) -> ApiResult<T> {
    let json = to_value(&v, &mut String::new(), 0, &mut 0)?;
    wire::decode(wire::to_snake(json)?, wire::Case::Camel)
}

/// A named argument (`text`, `limit`): its errors start with its name.
pub fn param<T: DeserializeOwned>(name: &str, v: JsValue) -> ApiResult<T> {
    arg(v).map_err(|e| wire::at_param(e, name))
}

/// A bare date argument: a `"YYYY-MM-DD"` string within the range (never a JS `Date`).
pub fn date(name: &str, v: JsValue) -> ApiResult<apotheca::NaiveDate> {
    param::<apotheca::domain::strict::StrictDate>(name, v).map(|d| d.0)
}

/// A bare amount argument: a decimal string (`"12.50"`), never a number.
#[cfg(feature = "billing")]
pub fn decimal(name: &str, v: JsValue) -> ApiResult<apotheca::Decimal> {
    param::<apotheca::domain::strict::StrictDecimal>(name, v).map(|d| d.0)
}

/// An optional named argument: `undefined` and `null` are `None`.
pub fn opt<T: DeserializeOwned>(name: &str, v: JsValue) -> ApiResult<Option<T>> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        param(name, v).map(Some)
    }
}

/// A facade result as a JS value (plain objects, numbers, strings), or its thrown error.
pub fn out<T: Serialize>(r: ApiResult<T>) -> Result<JsValue, JsValue> {
    let v = apotheca::wire::to_camel(
        serde_json::to_value(r.map_err(js_error)?).map_err(|e| js_error(e.into()))?,
    );
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(ApiError::malformed(e.to_string())))
}
