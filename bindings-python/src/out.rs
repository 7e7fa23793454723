//! Facade results straight into Python objects: a serde `Serializer` whose output is dicts,
//! lists, `str`, `int`, `bool`, `None`, and `Decimal` or `datetime.date` where the value's
//! [`Shape`] (generated from its Rust type) says a string is one — never by the key's name.
//!
//! It writes what `serde_json::to_value` followed by a JSON → Python walk wrote, without the
//! intermediate tree (whose map nodes and strings were most of a small call's cost): dict keys
//! in sorted order as `serde_json::Map` kept them, non-finite floats as `None`, enums externally
//! tagged. pythonize (serde ↔ Python) has no hook to type a string by its place in the shape.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use apotheca::ApiError;
use apotheca::shape::Shape;
use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::Serialize;
use serde::ser;

use crate::error;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE_FROM_ISO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static GC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A module attribute (`&["date", "fromisoformat"]`), looked up once per interpreter.
pub fn cached<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    path: &[&str],
) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            let mut obj = py.import(module)?.into_any();
            for name in path {
                obj = obj.getattr(*name)?;
            }
            Ok(obj.unbind())
        })?
        .bind(py))
}

/// `decimal.Decimal` (inputs are checked against it, outputs made with it).
pub fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    cached(py, &DECIMAL, "decimal", &["Decimal"])
}

/// A facade value as a Python object, typed by `shape`.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
    shape: Shape,
) -> PyResult<Bound<'py, PyAny>> {
    let cache = Cache::default();
    value
        .serialize(Out {
            py,
            shape,
            top: true,
            cache: &cache,
        })
        .map_err(|e| e.0)
}

/// A key's first eight bytes as a big-endian number: ordered as the keys' texts are, up to a
/// tie between keys sharing them.
fn prefix(key: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = key.len().min(8);
    b[..n].copy_from_slice(&key.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// A `'static` field name by its address and length: equal names at two addresses are two
/// entries of a cache, never a wrong answer.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Name(usize, usize);

impl Name {
    fn of(name: &'static str) -> Self {
        Self(name.as_ptr() as usize, name.len())
    }
}

thread_local! {
    /// Each field name's dict key, made once per thread as an interned `str` (its hash kept)
    /// and reused by every result after. Never freed: a few hundred names, alive as long as the
    /// interpreter's own interned strings.
    static KEYS: std::mem::ManuallyDrop<RefCell<HashMap<Name, Py<PyString>, foldhash::fast::RandomState>>> =
        Default::default();
}

/// The dict key for a field name of a Rust type.
fn key<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    KEYS.with(|keys| {
        keys.borrow_mut()
            .entry(Name::of(name))
            .or_insert_with(|| PyString::intern(py, name).unbind())
            .bind(py)
            .clone()
    })
}

/// What converting one result reuses rather than makes again: each `Decimal` by its text (an
/// invoice repeats its rates, zeros and prices: 481 distinct of 1,253; `Decimal`s are
/// immutable, so sharing them is invisible to the caller).
#[derive(Default)]
struct Cache<'py> {
    decimals: RefCell<HashMap<Box<str>, Bound<'py, PyAny>, foldhash::fast::RandomState>>,
}

impl<'py> Cache<'py> {
    fn decimal(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        if let Some(d) = self.decimals.borrow().get(text) {
            return Ok(d.clone());
        }
        let d = decimal_class(py)?.call1((text,))?;
        self.decimals.borrow_mut().insert(text.into(), d.clone());
        Ok(d)
    }
}

/// How many items a result's outer list must hold for it to be built with Python's cyclic
/// collector paused. A batch builds thousands of dicts at once: each burst of them would start
/// the collector, which walks every container the process holds (a service holding a large
/// parsed knowledge base: most of the time). These objects hold no cycles.
const GC_PAUSE_FROM: usize = 64;

/// The collector paused while a long list is built; resumed when dropped (also on an error).
struct GcPause<'py>(Option<Bound<'py, PyAny>>);

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>, len: Option<usize>, top: bool) -> Result<Self, Error> {
        if !top || len.is_none_or(|n| n < GC_PAUSE_FROM) {
            return Ok(Self(None));
        }
        let gc = cached(py, &GC, "gc", &[])?;
        if !gc.call_method0("isenabled")?.extract::<bool>()? {
            return Ok(Self(None));
        }
        gc.call_method0("disable")?;
        Ok(Self(Some(gc.clone())))
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.0 {
            // Re-enabling cannot fail short of interpreter shutdown, where there is no one to
            // tell.
            let _ = gc.call_method0("enable");
        }
    }
}

/// A Python exception carried through serde.
pub struct Error(PyErr);

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Self(e)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Self(error::to_py(ApiError::malformed(msg)))
    }
}

type R<'py> = Result<Bound<'py, PyAny>, Error>;

#[derive(Clone, Copy)]
struct Out<'c, 'py> {
    py: Python<'py>,
    shape: Shape,
    /// The value is the whole result (its list may pause the collector).
    top: bool,
    cache: &'c Cache<'py>,
}

impl<'c, 'py> Out<'c, 'py> {
    fn at(self, shape: Shape) -> Self {
        Self {
            py: self.py,
            shape,
            top: false,
            cache: self.cache,
        }
    }

    fn object<T: IntoPyObject<'py>>(self, v: T) -> R<'py> {
        v.into_pyobject(self.py)
            .map(|o| o.into_any().into_bound())
            .map_err(|e| Error(e.into()))
    }

    fn float(self, f: f64) -> R<'py> {
        // As JSON: a non-finite float has no number, so it is null.
        if f.is_finite() {
            self.object(f)
        } else {
            Ok(self.py.None().into_bound(self.py))
        }
    }

    /// `{variant: value}`, serde's external tagging.
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> R<'py> {
        let d = PyDict::new(self.py);
        d.set_item(key(self.py, variant), value)?;
        Ok(d.into_any())
    }
}

/// `serialize_i8` … `serialize_u128`: a Python `int`.
macro_rules! integers {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> R<'py> {
            self.object(v)
        }
    )*};
}

impl<'c, 'py> ser::Serializer for Out<'c, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'c, 'py>;
    type SerializeTuple = Seq<'c, 'py>;
    type SerializeTupleStruct = Seq<'c, 'py>;
    type SerializeTupleVariant = Seq<'c, 'py>;
    type SerializeMap = Obj<'c, 'py>;
    type SerializeStruct = Obj<'c, 'py>;
    type SerializeStructVariant = Obj<'c, 'py>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> R<'py> {
        // Decimals and dates are written this way: formatted on the stack, not into a `String`.
        let mut buf = [0u8; 64];
        let mut w = std::io::Cursor::new(&mut buf[..]);
        if std::io::Write::write_fmt(&mut w, format_args!("{value}")).is_ok() {
            let n = w.position() as usize;
            if let Ok(text) = std::str::from_utf8(&buf[..n]) {
                return self.serialize_str(text);
            }
        }
        self.serialize_str(&value.to_string())
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        let py = self.py;
        Ok(match self.shape {
            Shape::Decimal => self.cache.decimal(py, v)?,
            Shape::Date => {
                cached(py, &DATE_FROM_ISO, "datetime", &["date", "fromisoformat"])?.call1((v,))?
            }
            _ => PyString::new(py, v).into_any(),
        })
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        // As JSON: an array of numbers.
        self.object(v.to_vec())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> R<'py> {
        Ok(key(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let inner = value.serialize(self.at(self.shape.field(variant)))?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'c, 'py>, Error> {
        Ok(Seq {
            pause: GcPause::new(self.py, len, self.top)?,
            out: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'c, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'c, 'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'c, 'py>, Error> {
        let mut seq = self
            .at(self.shape.field(variant))
            .serialize_seq(Some(len))?;
        seq.variant = Some((variant, self));
        Ok(seq)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Obj<'c, 'py>, Error> {
        Ok(Obj {
            out: self,
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            name: None,
            variant: None,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Obj<'c, 'py>, Error> {
        let mut obj = self.serialize_map(Some(len))?;
        obj.name = Some(name);
        Ok(obj)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Obj<'c, 'py>, Error> {
        let mut obj = self
            .at(self.shape.field(variant))
            .serialize_struct(variant, len)?;
        obj.variant = Some((variant, self));
        Ok(obj)
    }
}

/// A list being built (or a tuple variant's list, tagged at the end).
pub struct Seq<'c, 'py> {
    out: Out<'c, 'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<(&'static str, Out<'c, 'py>)>,
    // Dropped after the list is built, resuming the collector.
    pause: GcPause<'py>,
}

impl<'c, 'py> Seq<'c, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let shape = self.out.shape.item(self.items.len());
        self.items.push(value.serialize(self.out.at(shape))?);
        Ok(())
    }

    fn finish(self) -> R<'py> {
        let list = PyList::new(self.out.py, self.items)?.into_any();
        drop(self.pause);
        match self.variant {
            Some((variant, outer)) => outer.tagged(variant, list),
            None => Ok(list),
        }
    }
}

/// serde's four list-like traits, each one [`Seq::push`] per item and [`Seq::finish`].
macro_rules! seq_traits {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<'c, 'py> ser::$trait for Seq<'c, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> R<'py> {
                self.finish()
            }
        }
    )*};
}
seq_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A dict being built (or a struct variant's dict, tagged at the end). Keys are sorted when it
/// is built, as `serde_json::Map` sorted them; a repeated key keeps its last value.
pub struct Obj<'c, 'py> {
    out: Out<'c, 'py>,
    /// Each field's key and value, in the order serde gave them.
    fields: Vec<(Cow<'static, str>, Bound<'py, PyAny>)>,
    key: Option<String>,
    /// The Rust type's name, for a struct (whose field names are `'static`); `None` for a map.
    name: Option<&'static str>,
    variant: Option<(&'static str, Out<'c, 'py>)>,
}

/// How a struct's dict is made when serde gives the same fields in the same order as before: a
/// copy of a dict holding its keys in sorted order (each `None`), then each value set by the
/// field's position. No sort, no key lookup by name, and no resize of the dict while it fills.
struct Layout {
    /// The field names in serde's order.
    fields: Box<[Name]>,
    /// Each field's key, in serde's order.
    keys: Box<[Py<PyString>]>,
    /// The keys, sorted, each mapped to `None`.
    template: Py<PyDict>,
}

/// Each struct's layouts by its type's name (a type that skips fields has one per set of
/// fields it writes).
type Layouts = HashMap<Name, Vec<Rc<Layout>>, foldhash::fast::RandomState>;

thread_local! {
    /// The layouts made on this thread. Never freed, as [`KEYS`].
    static LAYOUTS: std::mem::ManuallyDrop<RefCell<Layouts>> = Default::default();
}

/// The order of keys in a result dict, as `serde_json::Map` sorted them (by their bytes):
/// first eight bytes compared as numbers, only equal prefixes as text.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    prefix(a).cmp(&prefix(b)).then_with(|| a.cmp(b))
}

impl<'c, 'py> Obj<'c, 'py> {
    fn insert<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), Error> {
        let v = value.serialize(self.out.at(self.out.shape.field(&key)))?;
        self.fields.push((key, v));
        Ok(())
    }

    /// The layout of this struct's fields, made on first use; `None` for a map, or for fields
    /// a dict cannot hold one each (a repeated name).
    fn layout(&self) -> PyResult<Option<Rc<Layout>>> {
        let Some(name) = self.name else {
            return Ok(None);
        };
        let py = self.out.py;
        let same = |l: &Layout| {
            l.fields.len() == self.fields.len()
                && l.fields
                    .iter()
                    .zip(&self.fields)
                    .all(|(a, (b, _))| matches!(b, Cow::Borrowed(b) if Name::of(b) == *a))
        };
        let found = LAYOUTS.with(|all| {
            all.try_borrow().ok().and_then(|all| {
                all.get(&Name::of(name))
                    .and_then(|ls| ls.iter().find(|l| same(l)).cloned())
            })
        });
        if found.is_some() {
            return Ok(found);
        }
        let mut names = Vec::with_capacity(self.fields.len());
        for (k, _) in &self.fields {
            match k {
                Cow::Borrowed(k) => names.push(*k),
                Cow::Owned(_) => return Ok(None),
            }
        }
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| key_order(a, b));
        let template = PyDict::new(py);
        for k in sorted {
            template.set_item(key(py, k), py.None())?;
        }
        if template.len() != names.len() {
            return Ok(None);
        }
        let layout = Rc::new(Layout {
            fields: names.iter().map(|n| Name::of(n)).collect(),
            keys: names.iter().map(|n| key(py, n).unbind()).collect(),
            template: template.unbind(),
        });
        LAYOUTS.with(|all| {
            if let Ok(mut all) = all.try_borrow_mut() {
                all.entry(Name::of(name))
                    .or_default()
                    .push(Rc::clone(&layout));
            }
        });
        Ok(Some(layout))
    }

    fn finish(mut self) -> R<'py> {
        let py = self.out.py;
        let d = match self.layout()? {
            Some(layout) => {
                let d = layout.template.bind(py).copy()?;
                for (k, (_, v)) in layout.keys.iter().zip(self.fields) {
                    if !v.is_none() {
                        d.set_item(k.bind(py), v)?;
                    }
                }
                d
            }
            None => {
                self.fields.sort_by(|a, b| key_order(&a.0, &b.0));
                let d = PyDict::new(py);
                for (k, v) in self.fields {
                    let key = match k {
                        Cow::Borrowed(name) => key(py, name),
                        Cow::Owned(text) => PyString::new(py, &text),
                    };
                    d.set_item(key, v)?;
                }
                d
            }
        };
        match self.variant {
            Some((variant, outer)) => outer.tagged(variant, d.into_any()),
            None => Ok(d.into_any()),
        }
    }
}

impl<'c, 'py> ser::SerializeMap for Obj<'c, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // As JSON writes a key: a string, or a number or boolean as its text.
        self.key = Some(match serde_json::to_value(key) {
            Ok(serde_json::Value::String(k)) => k,
            Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v.to_string(),
            _ => return Err(<Error as ser::Error>::custom("a map key must be a string")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        self.insert(Cow::Owned(key), value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

/// serde's two struct traits: each field by its name.
macro_rules! struct_traits {
    ($($trait:ident),*) => {$(
        impl<'c, 'py> ser::$trait for Obj<'c, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.insert(Cow::Borrowed(key), value)
            }
            fn end(self) -> R<'py> {
                self.finish()
            }
        }
    )*};
}
struct_traits!(SerializeStruct, SerializeStructVariant);
