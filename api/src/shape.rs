//! Where a facade value holds money and dates: the [`Shape`] of each output type, generated from
//! its JSON Schema (`api/src/shapes.rs`, written by `cargo xtask gen`). A binding that has native
//! decimal and date types (Python's `Decimal` and `datetime.date`) converts by the field's type,
//! never by its name.

/// How to read one JSON value of a facade output.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// As JSON gives it: numbers, booleans, plain strings, and anything holding no money or date.
    Plain,
    /// A decimal amount written as a string.
    Decimal,
    /// A calendar date written as `YYYY-MM-DD`.
    Date,
    /// An array of one shape.
    List(&'static Shape),
    /// An array of the shape a function gives (for generic wrappers such as `Vec<T>`).
    ListOf(fn() -> Shape),
    /// An object whose values all have one shape (a map keyed by ids).
    Map(&'static Shape),
    /// An array with one shape per position.
    Tuple(&'static [Shape]),
    /// An object: the fields that are not [`Shape::Plain`], by key.
    Object(&'static [(&'static str, Shape)]),
}

impl Shape {
    /// The shape of field `key` of an object (or of any item of a list or map).
    pub fn field(self, key: &str) -> Shape {
        match self {
            Shape::Object(fields) => fields
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(Shape::Plain, |(_, s)| *s),
            Shape::Map(s) => *s,
            _ => Shape::Plain,
        }
    }

    /// The shape of item `i` of an array.
    pub fn item(self, i: usize) -> Shape {
        match self {
            Shape::List(s) => *s,
            Shape::ListOf(f) => f(),
            Shape::Tuple(items) => items.get(i).copied().unwrap_or(Shape::Plain),
            _ => Shape::Plain,
        }
    }

    /// What a list or map holds, through any nesting; any other shape is itself.
    fn element(self) -> Shape {
        match self {
            Shape::List(s) | Shape::Map(s) => s.element(),
            Shape::ListOf(f) => f().element(),
            other => other,
        }
    }

    /// Every key that holds a decimal (`true`) or a date (`false`) somewhere in this shape.
    pub fn special_keys(self, out: &mut Vec<(&'static str, bool)>, depth: usize) {
        if depth > 16 {
            return;
        }
        match self {
            Shape::Object(fields) => {
                for (k, s) in fields {
                    match s.element() {
                        Shape::Decimal => out.push((k, true)),
                        Shape::Date => out.push((k, false)),
                        inner => inner.special_keys(out, depth + 1),
                    }
                }
            }
            Shape::List(_) | Shape::ListOf(_) | Shape::Map(_) => {
                self.element().special_keys(out, depth + 1)
            }
            Shape::Tuple(items) => items.iter().for_each(|s| s.special_keys(out, depth + 1)),
            _ => {}
        }
    }
}

/// A facade output type whose [`Shape`] is known.
pub trait Shaped {
    /// Where its money and dates are.
    fn shape() -> Shape;
}

impl<T: Shaped> Shaped for Vec<T> {
    fn shape() -> Shape {
        Shape::ListOf(T::shape)
    }
}

impl<T: Shaped> Shaped for Option<T> {
    fn shape() -> Shape {
        T::shape()
    }
}

macro_rules! plain {
    ($($t:ty),*) => { $(impl Shaped for $t { fn shape() -> Shape { Shape::Plain } })* };
}
plain!((), bool, u32, u64, i64, f64, String);

impl Shaped for rust_decimal::Decimal {
    fn shape() -> Shape {
        Shape::Decimal
    }
}

impl Shaped for chrono::NaiveDate {
    fn shape() -> Shape {
        Shape::Date
    }
}

/// Every key holding a decimal or a date in any output, as (decimals, dates): for tests that
/// turn case JSON into what a Python caller passes.
pub fn special_keys() -> (Vec<&'static str>, Vec<&'static str>) {
    let mut all = Vec::new();
    for s in crate::shapes::ALL {
        s.special_keys(&mut all, 0);
    }
    let (mut dec, mut date): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for (k, is_dec) in all {
        let v = if is_dec { &mut dec } else { &mut date };
        if !v.contains(&k) {
            v.push(k);
        }
    }
    dec.sort_unstable();
    date.sort_unstable();
    (dec, date)
}
