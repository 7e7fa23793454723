//! Facade results straight into Python objects: a serde `Serializer` whose output is dicts,
//! lists, `str`, `int`, `bool`, `None`, and `Decimal` or `datetime.date` where the value's
//! [`Shape`] (generated from its Rust type) says a string is one — never by the key's name.
//!
//! It writes what `serde_json::to_value` followed by a JSON → Python walk wrote, without the
//! intermediate tree (whose map nodes and strings were most of a small call's cost): dict keys
//! in sorted order as `serde_json::Map` kept them, non-finite floats as `None`, enums externally
//! tagged. pythonize (serde ↔ Python) has no hook to type a string by its place in the shape.

use std::borrow::Cow;
use std::fmt;

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
    value
        .serialize(Out {
            py,
            shape,
            top: true,
        })
        .map_err(|e| e.0)
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
struct Out<'py> {
    py: Python<'py>,
    shape: Shape,
    /// The value is the whole result (its list may pause the collector).
    top: bool,
}

impl<'py> Out<'py> {
    fn at(self, shape: Shape) -> Self {
        Self {
            py: self.py,
            shape,
            top: false,
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
        d.set_item(variant, value)?;
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

impl<'py> ser::Serializer for Out<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Obj<'py>;
    type SerializeStruct = Obj<'py>;
    type SerializeStructVariant = Obj<'py>;

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
    fn serialize_str(self, v: &str) -> R<'py> {
        let py = self.py;
        Ok(match self.shape {
            Shape::Decimal => decimal_class(py)?.call1((v,))?,
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
        Ok(PyString::new(self.py, variant).into_any())
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
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq {
            pause: GcPause::new(self.py, len, self.top)?,
            out: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py>, Error> {
        let mut seq = self
            .at(self.shape.field(variant))
            .serialize_seq(Some(len))?;
        seq.variant = Some((variant, self));
        Ok(seq)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Obj<'py>, Error> {
        Ok(Obj {
            out: self,
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Obj<'py>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Obj<'py>, Error> {
        let mut obj = self
            .at(self.shape.field(variant))
            .serialize_map(Some(len))?;
        obj.variant = Some((variant, self));
        Ok(obj)
    }
}

/// A list being built (or a tuple variant's list, tagged at the end).
pub struct Seq<'py> {
    out: Out<'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<(&'static str, Out<'py>)>,
    // Dropped after the list is built, resuming the collector.
    pause: GcPause<'py>,
}

impl<'py> Seq<'py> {
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
        impl<'py> ser::$trait for Seq<'py> {
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
pub struct Obj<'py> {
    out: Out<'py>,
    fields: Vec<(Cow<'static, str>, Bound<'py, PyAny>)>,
    key: Option<String>,
    variant: Option<(&'static str, Out<'py>)>,
}

impl<'py> Obj<'py> {
    fn insert<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), Error> {
        let v = value.serialize(self.out.at(self.out.shape.field(&key)))?;
        self.fields.push((key, v));
        Ok(())
    }

    fn finish(mut self) -> R<'py> {
        let py = self.out.py;
        self.fields.sort_by(|a, b| a.0.cmp(&b.0));
        let d = PyDict::new(py);
        for (k, v) in self.fields {
            d.set_item(PyString::new(py, &k), v)?;
        }
        match self.variant {
            Some((variant, outer)) => outer.tagged(variant, d.into_any()),
            None => Ok(d.into_any()),
        }
    }
}

impl<'py> ser::SerializeMap for Obj<'py> {
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
        impl<'py> ser::$trait for Obj<'py> {
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
