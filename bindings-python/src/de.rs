//! Python arguments read straight into the facade's types: a serde `Deserializer` over Python
//! objects, so that no JSON tree is built on the way in (the counterpart of [`crate::out`]).
//!
//! It reads what `serde_json::Value` would give serde for the same input, value for value, so
//! that every type and error reads as it does in the other bindings: `None` is null, `bool`,
//! `int` (64 bits; a non-negative one unsigned, as JSON's), a finite `float`, `str`, a finite
//! `Decimal` as its positional text, a `datetime.date` as `"YYYY-MM-DD"`, a `dict` with `str`
//! keys, a `list` or `tuple`. A `datetime`, NaN, a lone surrogate and any other type are
//! refused. Depth is bounded before it can exhaust the stack, the lists of
//! `apotheca::wire::LIST_LIMITS` are counted before their items are read, and one argument
//! holds at most `wire::MAX_ITEMS` values. A refused argument is read a second time, tracked by
//! `serde_path_to_error` (`wire::decode_with`), to name the path of whatever is refused.

use std::cell::Cell;

use apotheca::wire;
use apotheca::{ApiError, ErrorCode};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, Error as _, IntoDeserializer, Unexpected, Visitor};
use serde_json::Error;

use crate::out::{cached, decimal_class};

static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// How deeply input may nest (the facade's inputs need 5 levels; a hostile 100,000-deep list
/// must not overflow the stack).
pub const MAX_DEPTH: usize = 32;

/// What one argument's reading shares: the values read so far, and the code of a refusal that
/// is not `MALFORMED_INPUT` (a list over its limit), which serde's errors cannot carry.
#[derive(Default)]
pub struct State {
    items: Cell<usize>,
    code: Cell<Option<ErrorCode>>,
    /// Whether a refusal of the whole value names it `argument` (a named parameter's refusal
    /// is named by the caller, `text: …`).
    unnamed: bool,
}

impl State {
    /// The state of reading a whole argument, which refusals of it name `argument`.
    pub fn argument() -> Self {
        State {
            unnamed: true,
            ..State::default()
        }
    }

    /// Ready for another reading of the same argument (a refused one is read again, tracking
    /// its path: `wire::decode_with`).
    pub fn reset(&self) {
        self.items.set(0);
        self.code.set(None);
    }

    /// The error of a whole reading, with the code its refusal set.
    pub fn finish(&self, mut e: ApiError) -> ApiError {
        if let Some(code) = self.code.get() {
            e.code = code;
        }
        e
    }

    /// A refusal of `code`: serde's error carries the message, the state the code.
    fn refuse(&self, code: ErrorCode, message: String) -> Error {
        self.code.set(Some(code));
        Error::custom(message)
    }
}

/// A Python value to read: the object, the key of the dict entry it sits under (a list's items
/// inherit it: `lines[3]` is under `lines`), and how deep it is.
pub struct PyDe<'s, 'py> {
    obj: Bound<'py, PyAny>,
    key: Option<Bound<'py, PyString>>,
    depth: usize,
    state: &'s State,
}

impl<'s, 'py> PyDe<'s, 'py> {
    /// The whole argument.
    pub fn new(obj: &Bound<'py, PyAny>, state: &'s State) -> Self {
        PyDe {
            obj: obj.clone(),
            key: None,
            depth: 0,
            state,
        }
    }

    fn child(&self, obj: Bound<'py, PyAny>, key: Option<Bound<'py, PyString>>) -> Self {
        PyDe {
            obj,
            key,
            depth: self.depth + 1,
            state: self.state,
        }
    }

    /// A refusal of this value, as the JSON-tree walk before this reader worded it: one of the
    /// whole argument starts with `argument: ` (its path is the key's or index's otherwise).
    fn fail(&self, message: impl std::fmt::Display) -> Error {
        if self.depth == 0 && self.state.unnamed {
            Error::custom(format!("argument: {message}"))
        } else {
            Error::custom(message)
        }
    }

    /// Counts this value and checks its depth.
    fn enter(&self) -> Result<(), Error> {
        if self.depth > MAX_DEPTH {
            return Err(self.fail(format!("input nests deeper than {MAX_DEPTH} levels")));
        }
        let items = self.state.items.get() + 1;
        self.state.items.set(items);
        if items > wire::MAX_ITEMS {
            return Err(self.state.refuse(
                ErrorCode::LimitExceeded,
                wire::too_many_message(items, wire::MAX_ITEMS),
            ));
        }
        Ok(())
    }

    /// A `str`'s text; a lone surrogate is refused.
    fn text<'a>(&self, s: &'a Bound<'py, PyString>) -> Result<&'a str, Error> {
        s.to_str()
            .map_err(|_| self.fail("the string holds a lone surrogate and is not valid text"))
    }

    /// A key of the dict this value is: a `str` of valid text.
    fn key_of(&self, k: Bound<'py, PyAny>) -> Result<Bound<'py, PyString>, Error> {
        let key = k
            .cast_into::<PyString>()
            .map_err(|k| self.fail(format!("dict key {} is not a str", k.into_inner())))?;
        if key.to_str().is_err() {
            return Err(self.fail("a dict key holds a lone surrogate"));
        }
        Ok(key)
    }

    fn is_instance(&self, class: PyResult<&Bound<'py, PyAny>>) -> Result<bool, Error> {
        class.and_then(|c| self.obj.is_instance(c)).map_err(python)
    }
}

/// A Python exception raised while reading (a `Decimal` subclass's method, say), as a refusal.
fn python(e: PyErr) -> Error {
    Error::custom(e.to_string())
}

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.enter()?;
        let obj = &self.obj;
        let py = obj.py();
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            let n: i64 = obj.extract().map_err(|_| {
                self.fail(format!("integer {obj} is out of range (at most 64 bits)"))
            })?;
            // As JSON reads it: a non-negative integer is unsigned.
            return match u64::try_from(n) {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(n),
            };
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            // Floats are read as numbers: a field that wants money or a count refuses them by
            // its type (a decimal is a string, a count an integer), naming the field.
            let f = f.value();
            if !f.is_finite() {
                return Err(self.fail(format!("{f} is not a finite number")));
            }
            return visitor.visit_f64(f);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return visitor.visit_str(self.text(s)?);
        }
        if self.is_instance(decimal_class(py))? {
            // The common case in one call: `str()` of a finite amount in positional notation
            // (`1.36`, `-0.50`). Exponent forms (`1E+2`, `1E-7`), NaN and infinities go the
            // long way below.
            let text = obj.str().map_err(python)?;
            if let Ok(t) = text.to_str()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            {
                return visitor.visit_str(t);
            }
            let finite: bool = obj
                .call_method0("is_finite")
                .and_then(|b| b.extract())
                .map_err(python)?;
            if !finite {
                return Err(self.fail(format!("Decimal {obj} is not a finite amount")));
            }
            // Positional notation: str(Decimal("1E+2")) would be an exponent form.
            let text: String = obj
                .call_method1("__format__", ("f",))
                .and_then(|t| t.extract())
                .map_err(python)?;
            return visitor.visit_string(text);
        }
        if self.is_instance(cached(py, &DATETIME, "datetime", &["datetime"]))? {
            return Err(self.fail(format!(
                "{obj} is a datetime; pass a datetime.date (a timezone can move a date by a day)"
            )));
        }
        if self.is_instance(cached(py, &DATE, "datetime", &["date"]))? {
            // `str()` of a date is its `isoformat()`, without the method lookup.
            let text = obj.str().map_err(python)?;
            return visitor.visit_str(text.to_str().map_err(python)?);
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            // Every key a `str` before any entry is read, so that a refusal names the dict.
            for k in d.keys() {
                self.key_of(k)?;
            }
            return visitor.visit_map(DictAccess {
                de: &self,
                iter: d.iter(),
                value: None,
                len: d.len(),
            });
        }
        if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            let n = obj.len().map_err(python)?;
            if let Some(key) = &self.key {
                let key = key.to_str().unwrap_or_default();
                if let Some(max) = wire::list_limit(key)
                    && n > max
                {
                    return Err(self
                        .state
                        .refuse(ErrorCode::LimitExceeded, wire::too_many_message(n, max)));
                }
            }
            return visitor.visit_seq(ListAccess {
                de: &self,
                iter: obj.try_iter().map_err(python)?,
                left: n,
            });
        }
        Err(self.fail(format!(
            "cannot use a {} value here",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        )))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.obj.is_none() {
            self.enter()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// As JSON's: a variant is a string, or a dict of one entry (the variant and its content).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Ok(s) = self.obj.cast::<PyString>() {
            self.enter()?;
            return visitor.visit_enum(Variant {
                name: self.text(s)?.to_owned(),
                value: None,
            });
        }
        if let Ok(d) = self.obj.cast::<PyDict>() {
            self.enter()?;
            let mut entries = d.iter();
            let (Some((k, v)), None) = (entries.next(), entries.next()) else {
                return Err(Error::invalid_value(
                    Unexpected::Map,
                    &"map with a single key",
                ));
            };
            let key = self.key_of(k)?;
            return visitor.visit_enum(Variant {
                name: self.text(&key)?.to_owned(),
                value: Some(self.child(v, Some(key))),
            });
        }
        // Anything else is refused as serde_json refuses it: by what it is (`integer `5``), or
        // as any reading of it is (a datetime, NaN).
        self.deserialize_any(StringOrMap)?;
        Err(Error::invalid_type(Unexpected::Map, &"string or map"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// What an enum is read from, for serde's default refusal of anything else.
struct StringOrMap;

impl Visitor<'_> for StringOrMap {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("string or map")
    }
}

/// A dict's entries, its keys as serde names them in paths.
struct DictAccess<'a, 's, 'py> {
    de: &'a PyDe<'s, 'py>,
    iter: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<(Bound<'py, PyAny>, Bound<'py, PyString>)>,
    len: usize,
}

impl<'de> de::MapAccess<'de> for DictAccess<'_, '_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.iter.next() else {
            return Ok(None);
        };
        self.len = self.len.saturating_sub(1);
        // Checked before the first entry was read; checked again, as Python code (a `Decimal`
        // subclass's `__str__`) could have changed the dict since.
        let key = self.de.key_of(k)?;
        let out = seed.deserialize(Key(self.de.text(&key)?))?;
        self.value = Some((v, key));
        Ok(Some(out))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let (v, key) = self
            .value
            .take()
            .ok_or_else(|| Error::custom("a dict value read before its key"))?;
        seed.deserialize(self.de.child(v, Some(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len)
    }
}

/// A dict key, read as serde_json reads an object's key: text, an id newtype around it, a
/// unit variant, or an integer written as text (`{"3": …}` for a map keyed by numbers).
struct Key<'a>(&'a str);

macro_rules! key_numbers {
    ($($method:ident $visit:ident $ty:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.parse::<$ty>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => visitor.visit_str(self.0),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Key<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::value::StrDeserializer::<Error>::new(self.0).deserialize_enum(name, variants, visitor)
    }

    key_numbers! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    }

    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string bytes byte_buf option unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// A list's or tuple's items; each inherits the key the list sits under.
struct ListAccess<'a, 's, 'py> {
    de: &'a PyDe<'s, 'py>,
    iter: Bound<'py, pyo3::types::PyIterator>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for ListAccess<'_, '_, '_> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.iter.next() {
            None => Ok(None),
            Some(item) => {
                self.left = self.left.saturating_sub(1);
                let item = item.map_err(python)?;
                seed.deserialize(self.de.child(item, self.de.key.clone()))
                    .map(Some)
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// An enum's variant: its name, and the value of a dict `{name: value}`.
struct Variant<'s, 'py> {
    name: String,
    value: Option<PyDe<'s, 'py>>,
}

impl<'de, 's, 'py> de::EnumAccess<'de> for Variant<'s, 'py> {
    type Error = Error;
    type Variant = Content<'s, 'py>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Error> {
        let v = seed.deserialize(self.name.into_deserializer())?;
        Ok((v, Content(self.value)))
    }
}

/// A variant's content, as JSON's: none for a unit variant, else the dict entry's value.
struct Content<'s, 'py>(Option<PyDe<'s, 'py>>);

impl Content<'_, '_> {
    /// The content of a tuple or struct variant (`what`), as its own type reads it.
    fn read<'de, V: Visitor<'de>>(self, visitor: V, what: &'static str) -> Result<V::Value, Error> {
        match self.0 {
            Some(v) => de::Deserializer::deserialize_any(v, visitor),
            None => Err(Error::invalid_type(Unexpected::UnitVariant, &what)),
        }
    }
}

impl<'de> de::VariantAccess<'de> for Content<'_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None => Ok(()),
            Some(v) => de::Deserialize::deserialize(v),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        match self.0 {
            Some(v) => seed.deserialize(v),
            None => Err(Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.read(visitor, "tuple variant")
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.read(visitor, "struct variant")
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::Key;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Id(String);

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Form {
        Tablet,
        Oral,
    }

    #[test]
    fn a_dict_key_reads_as_a_json_object_key() {
        assert_eq!(String::deserialize(Key("x")).unwrap(), "x");
        assert_eq!(Id::deserialize(Key("P1")).unwrap(), Id("P1".into()));
        assert_eq!(Form::deserialize(Key("oral")).unwrap(), Form::Oral);
        assert_eq!(u32::deserialize(Key("3")).unwrap(), 3);
        assert_eq!(i64::deserialize(Key("-7")).unwrap(), -7);
        // Not a number of the type: refused as text, as serde_json refuses it.
        assert!(u8::deserialize(Key("300")).is_err());
        assert!(Form::deserialize(Key("tablets")).is_err());
        // As serde_json reads the key of `{"<key>": 1}` into a map keyed by `i16`.
        for key in ["3", "-7", "300", "40000", "x", "1.5", ""] {
            let json = format!("{{\"{key}\": 1}}");
            let theirs = serde_json::from_str::<std::collections::BTreeMap<i16, u8>>(&json)
                .ok()
                .and_then(|m| m.keys().next().copied());
            assert_eq!(i16::deserialize(Key(key)).ok(), theirs, "{key:?}");
        }
    }
}
