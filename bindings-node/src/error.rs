//! `ApiError` → a JS `Error` named `ApothecaError` with `.code` and `.details`, thrown or used to
//! reject; the exported `ApothecaError` class (`apotheca.js`) recognises it for `instanceof`.

use apotheca::ApiError;
use napi::bindgen_prelude::*;

/// The JS error for an `ApiError`, as a napi `Error` that keeps a reference to that exact
/// object, so a throw or a Promise rejection hands the object itself to JavaScript.
pub fn to_js(env: &Env, e: ApiError) -> Error {
    let e = apotheca::wire::for_js(e);
    let made = env
        .create_error(Error::new(Status::GenericFailure, e.message.clone()))
        .and_then(|mut obj| {
            obj.set_named_property("code", e.code.as_str())?;
            obj.set_named_property("name", "ApothecaError")?;
            let details = apotheca::wire::js_details(&e).to_string();
            obj.set_named_property("details", crate::conv::parse(env, &details)?)?;
            obj.into_unknown(env)
        });
    match made {
        Ok(obj) => Error::from(obj),
        // Could not even build the object: fall back to napi's own error, code kept.
        Err(_) => Error::new(Status::GenericFailure, format!("{}: {}", e.code, e.message)),
    }
}
