//! JS values ↔ facade values, with the conventions of `apotheca::wire`.

use apotheca::{ApiError, ApiResult};
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// How deeply an argument may nest (the facade's inputs need 4 levels).
pub const MAX_DEPTH: usize = 32;
/// How many objects and arrays one argument may hold.
pub const MAX_NODES: usize = 1_000_000;

/// The JS error for an `ApiError`: an `Error` named `ApothecaError` with `.code`.
pub fn js_error(e: ApiError) -> JsValue {
    let err = js_sys::Error::new(&apotheca::wire::camel_message(&e.message));
    err.set_name("ApothecaError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(
        &err,
        &JsValue::from_str("code"),
        &JsValue::from_str(e.code.as_str()),
    );
    err.into()
}

/// Refuses arguments nested deeper than [`MAX_DEPTH`] before the recursive conversion sees
/// them (a hostile deep array would exhaust the WebAssembly stack). Iterative and bounded.
fn check_shape(root: &JsValue) -> ApiResult<()> {
    let mut stack = vec![(root.clone(), 0usize)];
    let mut seen = 0usize;
    while let Some((value, depth)) = stack.pop() {
        if !value.is_object() {
            continue;
        }
        seen += 1;
        if depth >= MAX_DEPTH {
            return Err(ApiError::malformed(format!(
                "argument nests deeper than {MAX_DEPTH} levels"
            )));
        }
        if seen > MAX_NODES {
            return Err(ApiError::malformed(format!(
                "argument holds more than {MAX_NODES} objects"
            )));
        }
        let children = if Array::is_array(&value) {
            value.unchecked_into::<Array>()
        } else {
            Object::values(value.unchecked_ref::<Object>())
        };
        stack.extend(children.iter().map(|c| (c, depth + 1)));
    }
    Ok(())
}

/// A JS argument as a facade type; every wrong shape or type becomes `MALFORMED_INPUT`.
pub fn arg<T: DeserializeOwned>(v: JsValue) -> ApiResult<T> {
    check_shape(&v)?;
    let json: Value = serde_wasm_bindgen::from_value(v)
        .map_err(|e| ApiError::malformed(format!("cannot read this argument: {e}")))?;
    apotheca::wire::decode(apotheca::wire::to_snake(json)?, apotheca::wire::Case::Camel)
}

/// An optional JS argument: `undefined` and `null` are `None`.
pub fn opt<T: DeserializeOwned>(v: JsValue) -> ApiResult<Option<T>> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        arg(v).map(Some)
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
