//! How values cross a language boundary, decided once for every binding.
//!
//! - JSON-shaped values: decimals are canonical strings (`"63.00"`), dates `"YYYY-MM-DD"`.
//! - JavaScript (Node and WASM) uses camelCase keys; Rust, Python and JSON use snake_case.
//!   [`to_camel`] / [`to_snake`] convert object keys, leaving values (ids, codes) untouched.
//! - Bindings that have native decimal and date types (Python) convert by each output type's
//!   [`crate::shape::Shape`], generated from its JSON Schema: by the field's type, not its name.

use std::fmt::Write;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult, ErrorCode};

/// How a binding spells object keys, so that an error names a field as its caller wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `unit_price` (Rust, Python, JSON, Kotlin).
    Snake,
    /// `unitPrice` (Node, WASM).
    Camel,
}

/// Reads a facade type from a JSON-shaped value with snake_case keys. A value that does not
/// fit is `MALFORMED_INPUT` (or `INVALID_DATE` for a well-formed date out of range) whose
/// message starts with the path of the offending value: `lines[3].unit_price: …`.
pub fn decode<T: DeserializeOwned>(v: Value, case: Case) -> ApiResult<T> {
    // Native builds read untracked first (see [`decode_with`]); only a refused value is read
    // again. WebAssembly reads once, tracked: a second reader of every type would cost its
    // download a tenth (664 → 738 KB gzip for the whole module) for a few microseconds a call.
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(t) = T::deserialize(&v) {
        return Ok(t);
    }
    decode_from(v, case)
}

/// [`decode_from`] over a deserializer that `make` builds, read without tracking its path
/// first: most input is valid, and tracking costs an allocation for every key read. Only a
/// refused value is read a second time, tracked, to name the path it failed at; the second
/// reading gives the error (every reader of a binding's values is a pure function of them).
pub fn decode_with<'de, D, T>(mut make: impl FnMut() -> D, case: Case) -> ApiResult<T>
where
    D: serde::Deserializer<'de, Error = serde_json::Error>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(make()).or_else(|_| decode_from(make(), case))
}

/// Reads a facade type from a binding's own deserializer (Python's reads Python objects
/// directly), with the paths of [`decode`]: its errors are serde_json's, so that they read as
/// those of every other binding.
pub fn decode_from<'de, D, T>(de: D, case: Case) -> ApiResult<T>
where
    D: serde::Deserializer<'de, Error = serde_json::Error>,
    T: serde::Deserialize<'de>,
{
    serde_path_to_error::deserialize(de).map_err(|e| path_error(e, case))
}

/// Reads a facade type from JSON text (snake_case keys), with the paths of [`decode`].
pub fn decode_str<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    // Untracked first, as [`decode`] reads on native builds.
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(v) = serde_json::from_str(text) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let out = serde_path_to_error::deserialize(&mut de).map_err(|e| path_error(e, Case::Snake))?;
    de.end().map_err(ApiError::malformed)?;
    Ok(out)
}

/// The error of [`decode`] and [`decode_str`]: its path first, spelled as the caller wrote it.
fn path_error(e: serde_path_to_error::Error<serde_json::Error>, case: Case) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner().to_string();
    let code = if inner.contains(apotheca_core::strict::OUT_OF_RANGE) {
        ErrorCode::InvalidDate
    } else {
        ErrorCode::MalformedInput
    };
    let (path, inner) = match case {
        Case::Snake => (path, inner),
        Case::Camel => (camel_path(&path), camel_backticks(&inner)),
    };
    if path == "." {
        ApiError::new(code, inner)
    } else {
        ApiError::new(code, inner).at(path)
    }
}

/// An error as JavaScript callers see it: its message ([`camel_message`]) and its
/// `details.path` spelled in camelCase, as they wrote the request.
pub fn for_js(mut e: ApiError) -> ApiError {
    e.message = camel_message(&e.message);
    if let Some(p) = e.details.path.take() {
        e.details.path = Some(camel_path(&p));
    }
    e
}

/// An error's `details` as a JavaScript object's JSON: camelCase keys, the path as
/// [`for_js`] spells it (call that first).
pub fn js_details(e: &ApiError) -> Value {
    to_camel(serde_json::to_value(&*e.details).unwrap_or_default())
}

/// The error of a JavaScript binding's named parameter (`text`, `limit`): what its value walk
/// said about the whole `argument` is said about the parameter, at `name`.
pub fn at_param(mut e: ApiError, name: &str) -> ApiError {
    if let Some(msg) = e.message.strip_prefix("argument: ") {
        e.message = msg.to_string();
    }
    e.at(name)
}

/// A message for JavaScript: its leading field path, where it has one (`lines[0].unit_cost:`,
/// `lines[2].unit_price =`), spelled in camelCase as the caller wrote it. Values in the message
/// (ids, movement types such as `adjust_in`) are left as they are.
pub fn camel_message(msg: &str) -> String {
    // A field path: lowercase words with `_`, joined by `.` or indexed (`lines[0].unit_cost`),
    // as the whole of a word (a trailing `:` aside). Single words (`receipt`, `adjust_in`) are
    // values and stay; so do ids, amounts and dates, which do not start with a lowercase letter
    // or have no `_`.
    let is_path = |w: &str| {
        let w = w.strip_suffix(':').unwrap_or(w);
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.contains('_')
            && (w.contains('.') || w.contains('['))
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.[]".contains(&b))
    };
    let first_is_path = msg.split(' ').next().is_some_and(|w| {
        w.strip_suffix(':')
            .is_some_and(|p| p.contains('_') && !p.contains(' '))
    });
    msg.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if is_path(w) || (i == 0 && first_is_path) {
                camel_path(w)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `lines[3].unit_price` → `lines[3].unitPrice`.
fn camel_path(path: &str) -> String {
    path.split('.').map(camel).collect::<Vec<_>>().join(".")
}

/// serde names fields in backticks (`` unknown field `unit_cots`, expected `unit_cost` ``):
/// spell them as a JavaScript caller does.
fn camel_backticks(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    for (i, part) in msg.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&camel(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Lists that every binding counts *before* converting them, by the key they sit under, with
/// the most items each may hold (the domain checks the same limits for Rust callers). A longer
/// list is refused with `LIMIT_EXCEEDED` without converting a single item.
pub const LIST_LIMITS: &[(&str, usize)] = &[
    // postings (`apotheca_core::MAX_LINES`) and invoices (`billing_rules::MAX_INVOICE_LINES`)
    ("lines", 10_000),
    ("charges", 1_000),
    ("tenders", 1_000),
    ("returns", 10_000),
    ("previous", 100_000),
    // drugs per screen
    ("medications", 1_000),
    ("current", 1_000),
    ("allergies", 1_000),
    // forecasting: series per request, points per series
    ("series", 1_000_000),
    ("y", 1_000_000),
];

/// The most items any one argument may hold in all (objects, arrays and scalars together):
/// enough for a 1,000,000-event log, refused before conversion beyond that.
pub const MAX_ITEMS: usize = 50_000_000;

/// The most items a list under `key` may hold, if it is one of [`LIST_LIMITS`].
pub fn list_limit(key: &str) -> Option<usize> {
    LIST_LIMITS.iter().find(|(k, _)| *k == key).map(|&(_, n)| n)
}

/// Refuses a list of `len` items at `path` (`series[2].y`, `lines`) that is longer than the
/// limit of the key it sits under; every binding calls this before converting the list.
pub fn check_list(path: &str, len: usize) -> ApiResult<()> {
    let key = path.rsplit('.').next().unwrap_or("");
    let key = snake(key.split('[').next().unwrap_or(key));
    match list_limit(&key) {
        Some(max) if len > max => Err(too_many(path, len, max)),
        _ => Ok(()),
    }
}

/// The error for a list over its limit.
pub fn too_many(path: &str, count: usize, max: usize) -> ApiError {
    ApiError::new(ErrorCode::LimitExceeded, too_many_message(count, max)).at(path)
}

/// The message of [`too_many`], without its path.
pub fn too_many_message(count: usize, max: usize) -> String {
    format!("{count} items; at most {max} in one call")
}

/// `cost_fifo` → `costFifo`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    out.extend(camel_chars(key));
    out
}

/// The characters of [`camel`]: each `_` dropped and the character after it upper-cased.
fn camel_chars(key: &str) -> impl Iterator<Item = char> + '_ {
    let mut after_underscore = false;
    key.chars().flat_map(move |c| {
        let raise = std::mem::replace(&mut after_underscore, c == '_');
        let (same, raised) = match (c, raise) {
            ('_', _) => (None, None),
            (c, false) => (Some(c), None),
            (c, true) => (None, Some(c.to_uppercase())),
        };
        same.into_iter().chain(raised.into_iter().flatten())
    })
}

/// `costFifo` → `cost_fifo`.
pub fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn map_keys(v: Value, f: &impl Fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (f(&k), map_keys(v, f)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| map_keys(v, f)).collect()),
        other => other,
    }
}

/// Converts every object key to camelCase (for JavaScript).
pub fn to_camel(v: Value) -> Value {
    map_keys(v, &camel)
}

/// A value as JSON text with every object key in camelCase: the text of
/// `to_camel(v).to_string()`. Where every key is plain snake_case (`on_hand_after`: lowercase
/// words of letters and digits, each after the first starting with a letter) it is written in
/// one pass without building the renamed tree: the keys keep the order of `v`'s maps, which is
/// the camelCase keys' order too (at the first character two keys differ, `_` + a letter becomes
/// an upper-case letter, which sorts against a lower-case letter or a digit as `_` does).
pub fn to_camel_text(v: Value) -> String {
    if !plain_keys(&v) {
        return to_camel(v).to_string();
    }
    let mut out = Vec::with_capacity(128);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, CamelKeys::default());
    // Writing a `Value` to a `Vec` cannot fail; its text is UTF-8.
    let _ = serde::Serialize::serialize(&v, &mut ser);
    String::from_utf8(out).unwrap_or_default()
}

/// Whether every object key in `v` is plain snake_case (see [`to_camel_text`]).
fn plain_keys(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().all(|(k, v)| plain(k) && plain_keys(v)),
        Value::Array(a) => a.iter().all(plain_keys),
        _ => true,
    }
}

/// Whether `k` is plain snake_case: words of ASCII lower-case letters and digits joined by
/// single underscores, each word starting with a letter.
fn plain(k: &str) -> bool {
    let mut word_start = true;
    k.bytes().all(|b| {
        let ok = if word_start {
            b.is_ascii_lowercase()
        } else {
            b == b'_' || b.is_ascii_lowercase() || b.is_ascii_digit()
        };
        word_start = b == b'_';
        ok
    }) && !word_start
}

/// serde_json's compact formatter with object keys renamed by [`camel`] as they are written
/// (a plain snake_case key, see [`to_camel_text`], has nothing to escape: it is one fragment).
#[derive(Default)]
struct CamelKeys {
    in_key: bool,
}

impl serde_json::ser::Formatter for CamelKeys {
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.in_key = true;
        serde_json::ser::CompactFormatter.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.in_key = false;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !self.in_key {
            return writer.write_all(fragment.as_bytes());
        }
        // A plain key (ASCII words, each starting with a letter): every word after the first
        // with its first letter raised, written in runs.
        let mut words = fragment.split('_');
        writer.write_all(words.next().unwrap_or_default().as_bytes())?;
        for w in words {
            if let Some((first, rest)) = w.as_bytes().split_first() {
                writer.write_all(&[first.to_ascii_uppercase()])?;
                writer.write_all(rest)?;
            }
        }
        Ok(())
    }
}

/// Converts every object key of a JavaScript argument to snake_case. Keys must be written in
/// camelCase: a key with an underscore (`unit_cost`) is refused, so one field can never be
/// spelled two ways in one object (`unitCost` and `unit_cost`, of which one would silently win).
pub fn to_snake(v: Value) -> ApiResult<Value> {
    to_snake_at(v, &mut String::new())
}

/// The mark a JavaScript binding puts, in place of the value, on what JSON text would silently
/// change (`NaN`, a `Date`, a `BigInt`, a lone surrogate): [`to_snake`] refuses it by path.
pub const JS_BAD_VALUE: &str = "\u{0}apotheca-bad-value:";

fn to_snake_at(v: Value, path: &mut String) -> ApiResult<Value> {
    Ok(match v {
        Value::String(s) if s.starts_with(JS_BAD_VALUE) => {
            let what = &s[JS_BAD_VALUE.len()..];
            let at = if path.is_empty() { "argument" } else { path };
            return Err(ApiError::malformed(format!("{at}: cannot read {what}")));
        }
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                let len = path.len();
                if k.contains('_') {
                    let at = if path.is_empty() { "argument" } else { path };
                    return Err(ApiError::malformed(format!(
                        "{at}: key `{k}` is snake_case; keys are camelCase in JavaScript (`{}`)",
                        camel(&k)
                    )));
                }
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k);
                let value = to_snake_at(v, path)?;
                path.truncate(len);
                out.insert(snake(&k), value);
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            check_list(path, a.len())?;
            let mut out = Vec::with_capacity(a.len());
            for (i, v) in a.into_iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                out.push(to_snake_at(v, path)?);
                path.truncate(len);
            }
            Value::Array(out)
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass text is `to_camel(v).to_string()`, for plain snake_case keys (the
        /// facade's fields) and any others (which take the long way).
        #[test]
        fn camel_text_is_the_renamed_tree_as_text(v in value()) {
            proptest::prop_assert_eq!(to_camel_text(v.clone()), to_camel(v).to_string());
        }
    }

    proptest::proptest! {
        /// The byte scan of `plain` says what the words of the key say.
        #[test]
        fn plain_is_lower_case_words(k in "[a-z0-9_A-Zß]{0,8}") {
            let words = k.split('_').all(|w| {
                w.starts_with(|c: char| c.is_ascii_lowercase())
                    && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            proptest::prop_assert_eq!(plain(&k), words);
        }
    }

    fn value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop_oneof![
            8 => "[a-z][a-z0-9]{0,3}(_[a-z][a-z0-9]{0,2}){0,2}",
            1 => "[a-zA-Z0-9_\"\\\n]{0,6}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(Value::from),
            "[a-z_\"]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(key.clone(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Valid input is read once, untracked; refused input a second time, which names its path
    /// (and the paths are those of the tracked reading alone).
    #[test]
    fn refused_input_is_read_again_for_its_path() {
        use apotheca_core::movement::Posting;
        let good = serde_json::json!({"key": "k", "date": "2026-06-01", "lines": [
            {"type": "receipt", "product": "P", "batch": "B", "location": "S1", "qty": 1}]});
        let mut bad = good.clone();
        bad["lines"][0]["qty"] = Value::from("one");
        let reads = std::cell::Cell::new(0);
        let read = |v: &Value| {
            reads.set(0);
            let r = decode_with::<_, Posting>(
                || {
                    reads.set(reads.get() + 1);
                    v.clone()
                },
                Case::Snake,
            );
            (r, reads.get())
        };
        let (ok, n) = read(&good);
        assert!(ok.is_ok() && n == 1, "{ok:?} read {n} times");
        let (e, n) = read(&bad);
        let e = e.unwrap_err();
        assert_eq!(n, 2);
        assert_eq!(e.details.path.as_deref(), Some("lines[0].qty"));
        let tracked = decode_from::<_, Posting>(bad.clone(), Case::Snake).unwrap_err();
        assert_eq!((e.code, &e.message), (tracked.code, &tracked.message));
        let untracked_then_tracked = decode::<Posting>(bad.clone(), Case::Snake).unwrap_err();
        assert_eq!(untracked_then_tracked.message, tracked.message);
        let text = decode_str::<Posting>(&bad.to_string()).unwrap_err();
        assert!(
            text.message.starts_with(&tracked.message),
            "{}",
            text.message
        );
        assert_eq!(text.details.path, e.details.path);
        assert!(decode_str::<Posting>(&good.to_string()).is_ok());
        assert!(decode_str::<Posting>(&format!("{good} x")).is_err());
    }

    #[test]
    fn keys_round_trip_between_cases() {
        for k in [
            "cost_fifo",
            "moving_average_unit_cost",
            "qty",
            "on_hand_after",
            "min_shelf_life_days",
        ] {
            assert_eq!(snake(&camel(k)), k);
        }
        assert_eq!(camel("on_hand_after"), "onHandAfter");
        for (k, c) in [
            ("a__b", "aB"),
            ("_a", "A"),
            ("a_", "a"),
            ("lo_80", "lo80"),
            ("x_ß", "xSS"),
        ] {
            assert_eq!(camel(k), c);
        }
        let v = serde_json::json!({"lines": [{"on_hand": 1, "batch": "B_1"}]});
        assert_eq!(
            to_camel(v.clone()),
            serde_json::json!({"lines": [{"onHand": 1, "batch": "B_1"}]})
        );
        assert_eq!(to_snake(to_camel(v.clone())).unwrap(), v);
        let twice = serde_json::json!({"lines": [{"unitCost": "1", "unit_cost": "2"}]});
        let e = to_snake(twice).unwrap_err();
        assert!(
            e.message
                .starts_with("lines[0]: key `unit_cost` is snake_case"),
            "{}",
            e.message
        );
        assert_eq!(
            camel_message("invalid lines[0].unit_cost: -1 is negative"),
            "invalid lines[0].unitCost: -1 is negative"
        );
        assert_eq!(
            camel_message("unit_price: a adjust_in line at B_1"),
            "unitPrice: a adjust_in line at B_1"
        );
        let nan = serde_json::json!({"batches": [{"expiry": format!("{JS_BAD_VALUE}NaN")}]});
        let e = to_snake(nan).unwrap_err();
        assert_eq!(e.message, "batches[0].expiry: cannot read NaN");
    }
}
