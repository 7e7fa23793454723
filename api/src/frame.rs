//! Long data frames in and out as Arrow columns (feature `arrow`): what a pandas, polars or
//! Apache Arrow user holds, without a Python or JavaScript object per row.
//!
//! The input is one table in long format (`unique_id, ds, y`, the names configurable): ids of
//! any string, dictionary (pandas `category`) or integer type; dates as `date32`, `date64` or
//! time-zone-free timestamps at midnight (pandas `datetime64`); values of any numeric type,
//! nulls being periods with no recorded sale. Series are taken in order of first appearance,
//! placed on their calendar grid (given, or inferred: the coarsest of year, quarter, month, week
//! and day every series lies on) and forecast by every model. The outputs are shaped as
//! statsforecast 2.1.1 shapes them, one column block per model in the order given:
//!
//! - [`forecast_frame`]: `unique_id, ds, <Model>, <Model>-lo-80, <Model>-hi-80, …`;
//! - [`cross_validation_frame`]: `unique_id, ds, cutoff, y, <Model>, …`;
//! - [`fitted_frame`]: `unique_id, ds, y, <Model>, …` (in-sample one-step forecasts).
//!
//! `unique_id` keeps the input's type and `ds` the input's date type. With `on_error` other
//! than `raise`, each model block also has `<Model>-model` (what forecast the series: the model,
//! the ETS form it fitted, or the fallback `ses_optimized`) and `<Model>-error` (the error code
//! that made it fall back or left it empty; null where none), both dictionary-encoded strings.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use apotheca_forecasting as fc;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, Date32Array, Date64Array, DictionaryArray, Float64Array, Int32Array,
    StringArray, TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
    TimestampSecondArray, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use fc::long::{Columns, Frequency, GridSeries};
use serde::{Deserialize, Serialize};

pub use arrow_array::RecordBatch;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::forecasting::{MAX_SERIES, Model};
use crate::{guard, pool};

/// One model of a frame call and the name of its column block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FrameModel {
    /// The model.
    pub model: Model,
    /// Column name (default: statsforecast's, `CrostonSBA`).
    #[serde(default)]
    pub alias: Option<String>,
}

/// What a frame call does with a series a model cannot forecast (too short, negative values,
/// no observation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// Forecast it with `ses_optimized` instead (as AutoETS does below 7 points); empty where
    /// that fails too. The model and error columns say which.
    #[default]
    Fallback,
    /// Leave its values empty (null), with the error code in the error column.
    Null,
    /// Fail the call, naming the series.
    Raise,
}

/// How a frame call reads its table and what it computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FrameSpec {
    /// The models, one column block each, in this order.
    pub models: Vec<FrameModel>,
    /// Steps ahead.
    pub horizon: u32,
    /// Interval levels in percent (`[80, 95]`).
    #[serde(default)]
    pub levels: Vec<f64>,
    /// How the intervals are made: in-sample errors (default, one pass) or statsforecast's
    /// conformal intervals over `n_windows` backtest windows of `horizon` periods.
    #[serde(default)]
    pub intervals: fc::IntervalMethod,
    /// The grid: `day`, `week`, `month`, `quarter`, `year` or a pandas alias (`D`, `W`,
    /// `W-MON`, `MS`, `M`, `ME`, `QS`, `Q`, `YS`, `Y`, `A`); none: inferred.
    #[serde(default)]
    pub freq: Option<String>,
    /// Id column.
    #[serde(default = "id_col")]
    pub id_col: String,
    /// Date column.
    #[serde(default = "time_col")]
    pub time_col: String,
    /// Value column.
    #[serde(default = "target_col")]
    pub target_col: String,
    /// What to do with a series a model cannot forecast.
    #[serde(default)]
    pub on_error: OnError,
    /// Threads for this call (default: `RAYON_NUM_THREADS`, else one per core).
    #[serde(default)]
    pub threads: Option<u32>,
}

fn id_col() -> String {
    "unique_id".into()
}
fn time_col() -> String {
    "ds".into()
}
fn target_col() -> String {
    "y".into()
}

/// Called between chunks of work with (done, total); an error stops the call with it.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize) -> ApiResult<()>;

/// The frequency a `freq` argument names.
pub fn parse_freq(s: &str) -> ApiResult<Frequency> {
    let base = s.split('-').next().unwrap_or(s);
    Ok(match base {
        "day" | "D" => Frequency::Day,
        "week" | "W" => Frequency::Week,
        "month" | "M" | "MS" | "ME" => Frequency::Month,
        "quarter" | "Q" | "QS" | "QE" => Frequency::Quarter,
        "year" | "Y" | "YS" | "YE" | "A" | "AS" => Frequency::Year,
        _ => {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "freq {s:?} is not day, week, month, quarter or year (or D, W, MS, QS, YS)"
                ),
            )
            .at("freq"));
        }
    })
}

/// One batch from the batches of a table (pyarrow and polars hand a table over in chunks).
pub fn concat(schema: &arrow_schema::SchemaRef, batches: &[RecordBatch]) -> ApiResult<RecordBatch> {
    match batches {
        [one] => Ok(one.clone()),
        _ => arrow_select::concat::concat_batches(schema, batches).map_err(|e| {
            ApiError::new(
                ErrorCode::MalformedInput,
                format!("the table's batches: {e}"),
            )
        }),
    }
}

/// A table from Arrow IPC stream bytes (Apache Arrow JS `tableToIPC(table)`, pyarrow's
/// `ipc.new_stream`), its batches as one.
#[cfg(feature = "arrow-ipc")]
pub fn read_ipc(bytes: &[u8]) -> ApiResult<RecordBatch> {
    let bad = |e: arrow_schema::ArrowError| {
        ApiError::new(
            ErrorCode::MalformedInput,
            format!("not an Arrow IPC stream: {e}"),
        )
        .at("table")
    };
    let reader =
        arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).map_err(bad)?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<RecordBatch>, _>>()
        .map_err(bad)?;
    concat(&schema, &batches)
}

/// A table as Arrow IPC stream bytes (Apache Arrow JS `tableFromIPC(bytes)`).
#[cfg(feature = "arrow-ipc")]
pub fn write_ipc(batch: &RecordBatch) -> ApiResult<Vec<u8>> {
    let internal = |e: arrow_schema::ArrowError| ApiError::new(ErrorCode::Internal, e.to_string());
    let mut w =
        arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).map_err(internal)?;
    w.write(batch).map_err(internal)?;
    w.into_inner().map_err(internal)
}

fn malformed(col: &str, msg: String) -> ApiError {
    ApiError::new(ErrorCode::MalformedInput, msg).at(col)
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> ApiResult<&'a ArrayRef> {
    batch.column_by_name(name).ok_or_else(|| {
        let have: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        malformed(name, format!("no column {name:?} (columns: {have:?})"))
    })
}

/// The map from each distinct id to its number, for `rows` rows: room for them all up to a
/// few thousand (a dictionary's values are mostly distinct; a long column's rows repeat few
/// ids), so that it does not grow a step at a time.
fn id_map<K>(rows: usize) -> HashMap<K, u32, foldhash::fast::RandomState> {
    HashMap::with_capacity_and_hasher(rows.min(4096), foldhash::fast::RandomState::default())
}

/// Numbers keys in order of first appearance; a run of equal keys costs one comparison each.
fn renumber<K: Hash + Eq + Copy>(keys: impl Iterator<Item = K>, n: usize) -> (Vec<u32>, usize) {
    let mut map = id_map(n);
    let mut prev: Option<(K, u32)> = None;
    let mut codes = Vec::with_capacity(n);
    for k in keys {
        let c = match prev {
            Some((p, c)) if p == k => c,
            _ => {
                let next = map.len() as u32;
                let c = *map.entry(k).or_insert(next);
                prev = Some((k, c));
                c
            }
        };
        codes.push(c);
    }
    let count = map.len();
    (codes, count)
}

/// [`renumber`] for a string column without nulls, by its offsets and bytes: the rows after a
/// text that hold it again (a series' rows) are found a block at a time. A block of rows each
/// as long as the text (its offsets step by that length) whose bytes equal the same bytes one
/// text earlier (so repeat with the text's length as period, from the text itself) holds the
/// text in every row: one comparison of the block's bytes instead of one per row.
fn renumber_strings<O: arrow_array::OffsetSizeTrait>(
    a: &arrow_array::GenericStringArray<O>,
) -> (Vec<u32>, usize) {
    const BLOCK: usize = 16;
    let (offsets, bytes) = (a.value_offsets(), a.value_data());
    let at = |i: usize| offsets[i].as_usize();
    let n = a.len();
    let mut map = id_map(n);
    let mut codes = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let text = &bytes[at(i)..at(i + 1)];
        let next = map.len() as u32;
        let c = *map.entry(text).or_insert(next);
        codes.push(c);
        i += 1;
        let len = text.len();
        // Row `i - 1` holds `text`, and so every row up to `i` in this loop.
        while i < n {
            let end = (i + BLOCK).min(n);
            let from = at(i);
            let whole = offsets[i..=end]
                .iter()
                .enumerate()
                .all(|(k, o)| o.as_usize() == from + k * len);
            if whole && bytes[from..at(end)] == bytes[from - len..at(end) - len] {
                codes.resize(codes.len() + (end - i), c);
                i = end;
                continue;
            }
            // The run ends in this block (a block of rows all holding the text passes the
            // test above): row by row up to its end.
            while i < end && bytes[at(i)..at(i + 1)] == *text {
                codes.push(c);
                i += 1;
            }
            if i < end {
                break;
            }
        }
    }
    let count = map.len();
    (codes, count)
}

/// [`renumber`] for dictionary keys, `values` numbering the dictionary's values (0, 1, …): a
/// table indexed by value instead of a hash map, and each run of equal keys (a series' rows)
/// found by one scan and written at once.
fn renumber_keys<K: Copy + PartialEq>(
    keys: &[K],
    index: impl Fn(K) -> usize,
    values: &[u32],
) -> (Vec<u32>, usize) {
    let mut code_of = vec![u32::MAX; values.len()];
    let mut next = 0u32;
    let mut codes = Vec::with_capacity(keys.len());
    let mut rest = keys;
    while let Some(&k) = rest.first() {
        let run = rest.iter().position(|&x| x != k).unwrap_or(rest.len());
        // Arrow validates keys against the dictionary; a stray one is its own series.
        let v = values.get(index(k)).map_or(usize::MAX, |v| *v as usize);
        let c = match code_of.get_mut(v) {
            Some(c) if *c != u32::MAX => *c,
            Some(c) => {
                *c = next;
                next += 1;
                *c
            }
            None => {
                next += 1;
                next - 1
            }
        };
        codes.resize(codes.len() + run, c);
        rest = &rest[run..];
    }
    (codes, next as usize)
}

/// An id column's dictionary values numbered ([`encode_ids`] of them), once for both
/// [`guessed_series`] and [`encode_ids_with`]; `None` for other columns and for a column with
/// nulls (which [`encode_ids`] refuses).
fn dictionary_values(col: &ArrayRef, name: &str) -> ApiResult<Option<UInt32Array>> {
    if col.null_count() > 0 || !matches!(col.data_type(), DataType::Dictionary(..)) {
        return Ok(None);
    }
    encode_ids(col.as_any_dictionary().values(), name).map(|(values, _)| Some(values))
}

/// An id column's dictionary keys as a guess at each row's series number, with the number of
/// series it implies, for [`fc::long::Grid::of_runs`]: a sorted frame's int32 keys that start
/// at 0 over dictionary values numbered as themselves (`values`, as the Python binding's
/// object-id reader and a sorted frame's categories give them) number its series already, in
/// order of first appearance, and are used in place (the same buffer seen as unsigned) instead
/// of a renumbered copy. `None` for any other column.
fn guessed_series(col: &ArrayRef, values: &[u32]) -> Option<(UInt32Array, usize)> {
    if !matches!(col.data_type(), DataType::Dictionary(key, _) if **key == DataType::Int32) {
        return None;
    }
    let keys = col.as_dictionary::<Int32Type>().keys().values();
    let (Some(&0), Some(&last)) = (keys.first(), keys.last()) else {
        return None;
    };
    let n = usize::try_from(last).ok()?.checked_add(1)?;
    let identity = n <= MAX_SERIES
        && values
            .get(..n)
            .is_some_and(|v| v.iter().enumerate().all(|(i, &v)| v as usize == i));
    // The keys' buffer as unsigned numbers (aligned as it is for the `i32` keys).
    identity.then(|| (UInt32Array::new(keys.inner().clone().into(), None), n))
}

/// Each row's series number and the number of series.
fn encode_ids(col: &ArrayRef, name: &str) -> ApiResult<(UInt32Array, usize)> {
    encode_ids_with(col, name, None)
}

/// [`encode_ids`], a dictionary column's values numbered already where `values` holds them
/// ([`dictionary_values`]).
fn encode_ids_with(
    col: &ArrayRef,
    name: &str,
    values: Option<&UInt32Array>,
) -> ApiResult<(UInt32Array, usize)> {
    if col.null_count() > 0 {
        return Err(malformed(
            name,
            format!("{name} has {} nulls", col.null_count()),
        ));
    }
    let n = col.len();
    let (codes, n_series) = match col.data_type() {
        DataType::Utf8 => renumber_strings(col.as_string::<i32>()),
        DataType::LargeUtf8 => renumber_strings(col.as_string::<i64>()),
        DataType::Utf8View => renumber(col.as_string_view().iter().flatten(), n),
        DataType::Dictionary(key, _) => {
            let dict = col.as_any_dictionary();
            // Keys can repeat values; number by value, not by key.
            let numbered;
            let values = match values {
                Some(v) => v.values(),
                None => {
                    numbered = encode_ids(dict.values(), name)?.0;
                    numbered.values()
                }
            };
            if **key == DataType::Int32 {
                // pandas' categories and the object-id reader's keys: read in place.
                let keys = col.as_dictionary::<Int32Type>().keys().values();
                renumber_keys(keys, |k| usize::try_from(k).unwrap_or(usize::MAX), values)
            } else {
                renumber_keys(&dict.normalized_keys(), |k| k, values)
            }
        }
        t if t.is_integer() => {
            let ints = arrow_cast::cast(col, &DataType::Int64)
                .map_err(|e| malformed(name, format!("{name}: {e}")))?;
            renumber(ints.as_primitive::<Int64Type>().values().iter().copied(), n)
        }
        t => {
            return Err(malformed(
                name,
                format!("{name} must hold strings, categories or integers, not {t}"),
            ));
        }
    };
    Ok((UInt32Array::from(codes), n_series))
}

/// How the input spelled its dates, to spell the output's the same way.
#[derive(Debug, Clone, Copy)]
enum TimeKind {
    Date32,
    Date64,
    Timestamp(TimeUnit),
}

const DAY_MS: i64 = 86_400_000;

impl TimeKind {
    fn per_day(self) -> i64 {
        match self {
            TimeKind::Date32 => 1,
            TimeKind::Date64 => DAY_MS,
            TimeKind::Timestamp(TimeUnit::Second) => 86_400,
            TimeKind::Timestamp(TimeUnit::Millisecond) => DAY_MS,
            TimeKind::Timestamp(TimeUnit::Microsecond) => DAY_MS * 1_000,
            TimeKind::Timestamp(TimeUnit::Nanosecond) => DAY_MS * 1_000_000,
        }
    }

    fn array(self, days: Vec<i32>) -> ArrayRef {
        let per = self.per_day();
        let wide = || {
            days.iter()
                .map(|d| i64::from(*d) * per)
                .collect::<Vec<i64>>()
        };
        match self {
            TimeKind::Date32 => Arc::new(Date32Array::from(days)),
            TimeKind::Date64 => Arc::new(Date64Array::from(wide())),
            TimeKind::Timestamp(TimeUnit::Second) => Arc::new(TimestampSecondArray::from(wide())),
            TimeKind::Timestamp(TimeUnit::Millisecond) => {
                Arc::new(TimestampMillisecondArray::from(wide()))
            }
            TimeKind::Timestamp(TimeUnit::Microsecond) => {
                Arc::new(TimestampMicrosecondArray::from(wide()))
            }
            TimeKind::Timestamp(TimeUnit::Nanosecond) => {
                Arc::new(TimestampNanosecondArray::from(wide()))
            }
        }
    }
}

/// Each row's date in days since 1970-01-01.
fn read_days(col: &ArrayRef, name: &str) -> ApiResult<(Vec<i32>, TimeKind)> {
    if col.null_count() > 0 {
        return Err(malformed(
            name,
            format!("{name} has {} nulls", col.null_count()),
        ));
    }
    let kind = match col.data_type() {
        DataType::Date32 => {
            return Ok((
                col.as_primitive::<Date32Type>().values().to_vec(),
                TimeKind::Date32,
            ));
        }
        DataType::Date64 => TimeKind::Date64,
        DataType::Timestamp(u, None) => TimeKind::Timestamp(*u),
        DataType::Timestamp(_, Some(tz)) => {
            return Err(malformed(
                name,
                format!(
                    "{name} has the time zone {tz}: forecasts are by calendar date; drop the \
                     zone first (pandas: .dt.tz_localize(None))"
                ),
            ));
        }
        t => {
            return Err(malformed(
                name,
                format!("{name} must hold dates or timestamps, not {t}"),
            ));
        }
    };
    // The 64-bit values in place (a cast would copy them).
    let v: &[i64] = match kind {
        TimeKind::Date64 => col.as_primitive::<Date64Type>().values(),
        TimeKind::Timestamp(TimeUnit::Second) => col.as_primitive::<TimestampSecondType>().values(),
        TimeKind::Timestamp(TimeUnit::Millisecond) => {
            col.as_primitive::<TimestampMillisecondType>().values()
        }
        TimeKind::Timestamp(TimeUnit::Microsecond) => {
            col.as_primitive::<TimestampMicrosecondType>().values()
        }
        TimeKind::Timestamp(TimeUnit::Nanosecond) => {
            col.as_primitive::<TimestampNanosecondType>().values()
        }
        TimeKind::Date32 => &[],
    };
    // A constant divisor per unit: the division becomes a multiplication.
    let days = match kind {
        TimeKind::Date32 => whole_days::<1>(v),
        TimeKind::Timestamp(TimeUnit::Second) => whole_days::<86_400>(v),
        TimeKind::Date64 | TimeKind::Timestamp(TimeUnit::Millisecond) => whole_days::<DAY_MS>(v),
        TimeKind::Timestamp(TimeUnit::Microsecond) => whole_days::<{ DAY_MS * 1_000 }>(v),
        TimeKind::Timestamp(TimeUnit::Nanosecond) => whole_days::<{ DAY_MS * 1_000_000 }>(v),
    };
    days.map(|d| (d, kind)).map_err(|(row, fraction)| {
        // numpy's NaT (a pandas datetime64 column crosses as its int64 values, no validity).
        let nat = v.iter().filter(|&&x| x == i64::MIN).count();
        if nat > 0 {
            return malformed(name, format!("{name} has {nat} nulls (NaT)"));
        }
        let why = if fraction {
            "has a time of day: forecasts are by calendar date"
        } else {
            "is out of range"
        };
        malformed(name, format!("{name} row {row} {why}"))
    })
}

/// Whole days of `PER` units each; else the first row that is not (and whether it has a time of
/// day, rather than being out of range).
fn whole_days<const PER: i64>(v: &[i64]) -> Result<Vec<i32>, (usize, bool)> {
    // A row as far from the row before as some recent pair of rows were (a series' next
    // period) takes the same step in days without a division; that branch costs less than a
    // division where it is predicted (weekly and daily frames: one step) and more where its
    // pattern is not (monthly frames: four month lengths). The first rows tell which.
    let head = &v[..v.len().min(64)];
    let changes = head
        .windows(3)
        .filter(|w| w[2].wrapping_sub(w[1]) != w[1].wrapping_sub(w[0]))
        .count();
    if changes * 4 > head.len() {
        whole_days_by_division::<PER>(v)
    } else {
        whole_days_by_steps::<PER>(v)
    }
}

/// `PER` units as `ODD · 2^SHIFT`, and the inverse of `ODD` modulo 2^64: a multiple of `ODD`
/// divided by it is that multiple times `INV` (an exact division is one multiplication).
struct Per<const PER: i64>;

impl<const PER: i64> Per<PER> {
    const SHIFT: u32 = PER.trailing_zeros();
    const ODD: i64 = PER >> Self::SHIFT;
    /// Newton's iteration for the inverse: `ODD` is its own inverse modulo 8, and each step
    /// doubles the bits that are right (3, 6, 12, 24, 48, 96).
    const INV: i64 = {
        assert!(
            PER > 0 && Self::ODD <= 1 << 32,
            "a day of units of this size"
        );
        let mut x = Self::ODD;
        let mut i = 0;
        while i < 5 {
            x = x.wrapping_mul(2i64.wrapping_sub(Self::ODD.wrapping_mul(x)));
            i += 1;
        }
        x
    };
}

/// [`whole_days`] by one shift and one multiplication per row, without a branch: a row whose
/// low `SHIFT` bits are nought is `y · 2^SHIFT`, and `q = y · INV` (modulo 2^64) is `y / ODD`
/// when `ODD` divides `y`. When it does not, `q · ODD` still equals `y` modulo 2^64, so `q`
/// cannot lie within `±(2^63 − 1) / ODD` (there `q · ODD` does not wrap and would be `y`
/// itself): a `q` that fits an `i32` (within that bound, as `ODD ≤ 2^32`) is the exact day.
fn whole_days_by_division<const PER: i64>(v: &[i64]) -> Result<Vec<i32>, (usize, bool)> {
    let low = (1i64 << Per::<PER>::SHIFT) - 1;
    let mut bad = 0i64;
    let days = v
        .iter()
        .map(|&x| {
            let q = (x >> Per::<PER>::SHIFT).wrapping_mul(Per::<PER>::INV);
            bad |= (x & low) | (q ^ i64::from(q as i32));
            q as i32
        })
        .collect();
    checked::<PER>(v, days, bad != 0)
}

/// `days` if no row was `bad`; else the first row that is not a whole day in range.
fn checked<const PER: i64>(
    v: &[i64],
    days: Vec<i32>,
    bad: bool,
) -> Result<Vec<i32>, (usize, bool)> {
    if !bad {
        return Ok(days);
    }
    let row = v
        .iter()
        .position(|&x| x.rem_euclid(PER) != 0 || i32::try_from(x.div_euclid(PER)).is_err())
        .unwrap_or(0);
    Err((row, v[row].rem_euclid(PER) != 0))
}

/// [`whole_days`] by the steps between rows.
fn whole_days_by_steps<const PER: i64>(v: &[i64]) -> Result<Vec<i32>, (usize, bool)> {
    let mut bad = false;
    let mut days = Vec::with_capacity(v.len());
    // A row as far from the row before as some recent pair of rows were (a series' next period:
    // a month is one of four lengths) takes the same step in days, without a division. While
    // every row so far is a whole day, every remembered gap is whole days and so is the row;
    // once one is not, the answer is an error whatever the rest. A gap of nought (a repeated
    // value) is the same day.
    let mut gaps = [(0i64, 0i64); 4];
    let mut next = 0;
    let (mut prev, mut day) = (0i64, 0i64);
    for (i, &x) in v.iter().enumerate() {
        let (gap, overflow) = x.overflowing_sub(prev);
        let known = gaps.iter().find(|g| g.0 == gap);
        let d = match known {
            Some(&(_, step_days)) if i > 0 && !overflow => day + step_days,
            _ => {
                let d = x.div_euclid(PER);
                bad |= x.rem_euclid(PER) != 0;
                if i > 0 && !overflow {
                    gaps[next] = (gap, d - day);
                    next = (next + 1) % gaps.len();
                }
                d
            }
        };
        bad |= d != i64::from(d as i32);
        (prev, day) = (x, d);
        days.push(d as i32);
    }
    checked::<PER>(v, days, bad)
}

fn read_values<'a>(col: &'a ArrayRef, name: &str) -> ApiResult<std::borrow::Cow<'a, [f64]>> {
    if !col.data_type().is_numeric() {
        return Err(malformed(
            name,
            format!("{name} must be numeric, not {}", col.data_type()),
        ));
    }
    if *col.data_type() == DataType::Float64 && col.null_count() == 0 {
        // Read in place (pandas' float64 column crosses without a copy).
        return Ok(std::borrow::Cow::Borrowed(
            col.as_primitive::<Float64Type>().values(),
        ));
    }
    let f = arrow_cast::cast(col, &DataType::Float64)
        .map_err(|e| malformed(name, format!("{name}: {e}")))?;
    let f = f.as_primitive::<Float64Type>();
    Ok(std::borrow::Cow::Owned(if f.null_count() == 0 {
        f.values().to_vec()
    } else {
        f.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
    }))
}

/// The input table, read and placed on its grid.
struct Input<'y> {
    ids: ArrayRef,
    kind: TimeKind,
    freq: Frequency,
    series: Vec<GridSeries<'y>>,
}

/// The value column, borrowed where it is `float64` without nulls.
fn values<'b>(batch: &'b RecordBatch, spec: &FrameSpec) -> ApiResult<std::borrow::Cow<'b, [f64]>> {
    // A missing column is reported in the order id, date, value.
    column(batch, &spec.id_col)?;
    column(batch, &spec.time_col)?;
    read_values(column(batch, &spec.target_col)?, &spec.target_col)
}

/// The table placed on its grid; `y` is its value column ([`values`]), which complete series
/// borrow.
fn read<'y>(batch: &RecordBatch, spec: &FrameSpec, y: &'y [f64]) -> ApiResult<Input<'y>> {
    let ids = column(batch, &spec.id_col)?;
    let values = dictionary_values(ids, &spec.id_col)?;
    let guess = values
        .as_ref()
        .and_then(|v| guessed_series(ids, v.values()));
    let guessed = guess.is_some();
    let (codes, n_series) = match guess {
        Some(keys) => keys,
        None => encode_ids_with(ids, &spec.id_col, values.as_ref())?,
    };
    check_series_count(n_series)?;
    let (days, kind) = read_days(column(batch, &spec.time_col)?, &spec.time_col)?;
    let cols = |series, n_series| Columns {
        series,
        n_series,
        days: &days,
        y,
    };
    let grid = if guessed {
        fc::long::Grid::of_runs(cols(codes.values(), n_series))?
    } else {
        Some(fc::long::Grid::new(cols(codes.values(), n_series))?)
    };
    // The guess was wrong (the rows are not runs in key order): the series numbered anew.
    let renumbered;
    let grid = match grid {
        Some(g) => g,
        None => {
            let n;
            (renumbered, n) = encode_ids_with(ids, &spec.id_col, values.as_ref())?;
            check_series_count(n)?;
            fc::long::Grid::new(cols(renumbered.values(), n))?
        }
    };
    let (freq, series) = match &spec.freq {
        Some(f) => {
            let freq = parse_freq(f)?;
            (freq, grid.place(freq)?)
        }
        None => {
            grid.can_infer().map_err(|e| ApiError::from(e).at("freq"))?;
            grid.place_inferred()?
        }
    };
    Ok(Input {
        ids: ids.clone(),
        kind,
        freq,
        series,
    })
}

/// An error past [`MAX_SERIES`] series.
fn check_series_count(n_series: usize) -> ApiResult<()> {
    if n_series > MAX_SERIES {
        return Err(ApiError::new(
            ErrorCode::LimitExceeded,
            format!("{n_series} series in one call; at most {MAX_SERIES}"),
        ));
    }
    Ok(())
}

/// The outcome of one model on one series.
struct Outcome {
    forecast: Option<fc::Forecast>,
    error: Option<ApiError>,
}

/// The outcome of `model` on `y` from its forecast `result`: on an error, the fallback the spec
/// asks for.
fn outcome(
    y: &[f64],
    model: Model,
    h: usize,
    spec: &FrameSpec,
    fitted: bool,
    result: fc::Result<fc::Forecast>,
) -> Outcome {
    let (levels, method) = (&spec.levels, spec.intervals);
    match result {
        Ok(f) => Outcome {
            forecast: Some(f),
            error: None,
        },
        Err(e) => {
            let error = Some(ApiError::from(e));
            let forecast = match spec.on_error {
                OnError::Fallback if model != Model::SesOptimized => {
                    fc::forecast_with(y, Model::SesOptimized, h, levels, fitted, method).ok()
                }
                _ => None,
            };
            Outcome { forecast, error }
        }
    }
}

/// The outcomes of `jobs`, each run of one model a batch ([`fc::forecast_batch`]: the same
/// results as one series at a time, faster for the models that search).
fn run_batch(
    input: &Input<'_>,
    spec: &FrameSpec,
    jobs: &[(usize, usize, usize)],
    h: usize,
    fitted: bool,
) -> Vec<Outcome> {
    let mut out = Vec::with_capacity(jobs.len());
    for same in jobs.chunk_by(|a, b| a.0 == b.0) {
        let model = spec.models[same[0].0].model;
        let ys: Vec<&[f64]> = same
            .iter()
            .map(|&(_, s, end)| &input.series[s].y[..end])
            .collect();
        let results = fc::forecast_batch(&ys, model, h, &spec.levels, fitted, spec.intervals);
        for (y, r) in ys.iter().zip(results) {
            out.push(outcome(y, model, h, spec, fitted, r));
        }
    }
    out
}

/// Every (model, series) outcome, model-major, in chunks between which `progress` is called.
fn run_all(
    input: &Input<'_>,
    spec: &FrameSpec,
    jobs: &[(usize, usize, usize)],
    h: usize,
    fitted: bool,
    mut progress: Option<Progress<'_>>,
) -> ApiResult<Vec<Outcome>> {
    let total = jobs.len();
    let chunk = match progress {
        None => total.max(1),
        Some(_) => (total / 200).max(16),
    };
    let mut out: Vec<Outcome> = Vec::new();
    let some = |part: &[(usize, usize, usize)]| run_batch(input, spec, part, h, fitted);
    for part in jobs.chunks(chunk) {
        // One thread asked: this thread, without a pool's hand-offs.
        let done = if spec.threads == Some(1) {
            some(part)
        } else {
            pool::run_with(spec.threads, || {
                #[cfg(feature = "parallel")]
                {
                    use rayon::prelude::*;
                    Ok(part
                        .par_chunks(fc::BATCH)
                        .flat_map_iter(some)
                        .collect::<Vec<_>>())
                }
                #[cfg(not(feature = "parallel"))]
                {
                    Ok(some(part))
                }
            })?
        };
        if out.is_empty() {
            // The first chunk (with one thread and no progress, the only one) taken as it is,
            // not copied.
            out = done;
            out.reserve(total - out.len());
        } else {
            out.extend(done);
        }
        if let Some(p) = progress.as_mut() {
            p(out.len(), total)?;
        }
    }
    if spec.on_error == OnError::Raise
        && let Some((i, o)) = out.iter().enumerate().find(|(_, o)| o.error.is_some())
    {
        let (_, s, _) = jobs[i];
        let row = input.series[s].first_row;
        let id = arrow_cast::display::array_value_to_string(&input.ids, row).unwrap_or_default();
        let mut e = o
            .error
            .clone()
            .unwrap_or_else(|| ApiError::new(ErrorCode::Internal, ""));
        e.message = format!("series {id} (row {row}): {}", e.message);
        return Err(e.at(format!("rows[{row}]")));
    }
    Ok(out)
}

fn check(spec: &FrameSpec) -> ApiResult<()> {
    if spec.models.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidInput, "no model to run").at("models"));
    }
    let mut names: Vec<String> = Vec::new();
    for (i, m) in spec.models.iter().enumerate() {
        let name = alias(m);
        if names.contains(&name) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("two models named {name:?}: give one an alias"),
            )
            .at(format!("models[{i}].alias")));
        }
        names.push(name);
    }
    Ok(())
}

fn alias(m: &FrameModel) -> String {
    m.alias
        .clone()
        .unwrap_or_else(|| m.model.alias().to_string())
}

/// Output columns, in order.
struct Builder {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            fields: Vec::new(),
            columns: Vec::new(),
        }
    }

    fn push(&mut self, name: impl Into<String>, col: ArrayRef) {
        self.fields
            .push(Field::new(name, col.data_type().clone(), true));
        self.columns.push(col);
    }

    /// A float column, null where a value is not finite (a validity bitmap only then).
    fn floats(&mut self, name: impl Into<String>, v: impl Iterator<Item = f64>) {
        let values: Vec<f64> = v.collect();
        let nulls = values
            .iter()
            .any(|x| !x.is_finite())
            .then(|| values.iter().map(|x| x.is_finite()).collect());
        self.push(name, Arc::new(Float64Array::new(values.into(), nulls)));
    }

    fn finish(self) -> ApiResult<RecordBatch> {
        RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.columns)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("output table: {e}")))
    }
}

/// The id column repeated per output row (`rows[i]` = the input row of output row `i`).
fn ids(input: &Input<'_>, rows: Vec<u32>) -> ApiResult<ArrayRef> {
    arrow_select::take::take(&input.ids, &UInt32Array::from(rows), None)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("ids: {e}")))
}

/// The date `k` periods after a series' start, in days.
fn period(input: &Input<'_>, s: usize, k: usize) -> ApiResult<i32> {
    let start = input.series[s].start;
    u32::try_from(k)
        .ok()
        .and_then(|k| input.freq.step(start, k))
        .map(fc::long::days_of)
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidDate, "forecast dates out of range"))
}

/// Runs of output dates, each computed once per (start, first period, length): series of a
/// long frame mostly share their start and length, and a calendar step costs more than a
/// lookup.
struct Dates<'a> {
    input: &'a Input<'a>,
    memo: HashMap<(chrono::NaiveDate, usize, usize), Vec<i32>, foldhash::fast::RandomState>,
}

impl<'a> Dates<'a> {
    fn new(input: &'a Input<'a>) -> Self {
        Dates {
            input,
            memo: HashMap::default(),
        }
    }

    /// The dates of periods `from .. from + n` of series `s`, in days.
    fn run(&mut self, s: usize, from: usize, n: usize) -> ApiResult<&[i32]> {
        let input = self.input;
        Ok(match self.memo.entry((input.series[s].start, from, n)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                (from..from + n)
                    .map(|k| period(input, s, k))
                    .collect::<ApiResult<Vec<_>>>()?,
            ),
        })
    }
}

/// A dictionary column of texts that take a handful of values (model names, error codes): each
/// row's key found among the values met so far, the same text at the same address first,
/// instead of hashing every row's text.
fn few_strings<'a>(
    texts: impl Iterator<Item = Option<&'a str>>,
) -> ApiResult<DictionaryArray<Int32Type>> {
    let mut values: Vec<&str> = Vec::new();
    let keys: Int32Array = texts
        .map(|t| {
            t.map(|t| {
                let at = values
                    .iter()
                    .position(|v| std::ptr::eq(*v, t))
                    .or_else(|| values.iter().position(|v| *v == t));
                at.unwrap_or_else(|| {
                    values.push(t);
                    values.len() - 1
                }) as i32
            })
        })
        .collect();
    DictionaryArray::try_new(keys, Arc::new(StringArray::from(values)))
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("dictionary column: {e}")))
}

/// The model and error columns of one model block (unless `raise`).
fn diagnostics(
    b: &mut Builder,
    name: &str,
    spec: &FrameSpec,
    per_row: &[&Outcome],
) -> ApiResult<()> {
    if spec.on_error == OnError::Raise {
        return Ok(());
    }
    // Dictionary-encoded: a handful of distinct values over every row (pandas receives one
    // string object per distinct value, not one per row).
    let model = few_strings(per_row.iter().map(|o| {
        o.forecast
            .as_ref()
            .map(|f| f.method.as_deref().unwrap_or(f.model.name()))
    }))?;
    let error = few_strings(
        per_row
            .iter()
            .map(|o| o.error.as_ref().map(|e| e.code.as_str())),
    )?;
    b.push(format!("{name}-model"), Arc::new(model));
    b.push(format!("{name}-error"), Arc::new(error));
    Ok(())
}

/// Forecasts every series of a long table with every model: `unique_id, ds, <Model>,
/// <Model>-lo-<level>, <Model>-hi-<level>, …`, `horizon` rows per series, series in order of
/// first appearance (see the module doc).
pub fn forecast_frame(
    batch: &RecordBatch,
    spec: &FrameSpec,
    progress: Option<Progress<'_>>,
) -> ApiResult<RecordBatch> {
    guard(|| {
        check(spec)?;
        let y = values(batch, spec)?;
        let input = read(batch, spec, &y)?;
        let h = spec.horizon as usize;
        let n = input.series.len();
        let jobs: Vec<(usize, usize, usize)> = (0..spec.models.len())
            .flat_map(|m| (0..n).map(move |s| (m, s)))
            .map(|(m, s)| (m, s, input.series[s].y.len()))
            .collect();
        let out = run_all(&input, spec, &jobs, h, false, progress)?;
        let mut b = Builder::new();
        let rows = (0..n)
            .flat_map(|s| std::iter::repeat_n(input.series[s].first_row as u32, h))
            .collect();
        b.push(spec.id_col.clone(), ids(&input, rows)?);
        let mut days = Vec::with_capacity(n * h);
        let mut dates = Dates::new(&input);
        for (s, g) in input.series.iter().enumerate() {
            days.extend_from_slice(dates.run(s, g.y.len(), h)?);
        }
        b.push(spec.time_col.clone(), input.kind.array(days));
        model_blocks(&mut b, spec, &out, n, h)?;
        b.finish()
    })
}

/// Each model's columns (point, bands, diagnostics) over its `per` outcomes of `h` rows each.
fn model_blocks(
    b: &mut Builder,
    spec: &FrameSpec,
    out: &[Outcome],
    per: usize,
    h: usize,
) -> ApiResult<()> {
    for (m, fm) in spec.models.iter().enumerate() {
        let name = alias(fm);
        let block = &out[m * per..(m + 1) * per];
        b.floats(
            name.clone(),
            block
                .iter()
                .flat_map(|o| padded(o.forecast.as_ref().map(|f| f.mean.as_slice()), h)),
        );
        for (l, level) in spec.levels.iter().enumerate() {
            for (side, pick) in [("lo", true), ("hi", false)] {
                b.floats(
                    format!("{name}-{side}-{}", level_name(*level)),
                    block.iter().flat_map(|o| {
                        let band = o.forecast.as_ref().and_then(|f| f.intervals.get(l));
                        padded(band.map(|i| if pick { &i.lo[..] } else { &i.hi[..] }), h)
                    }),
                );
            }
        }
        let per_row: Vec<&Outcome> = block
            .iter()
            .flat_map(|o| std::iter::repeat_n(o, h))
            .collect();
        diagnostics(b, &name, spec, &per_row)?;
    }
    Ok(())
}

/// `v` as `h` values (padded with NaN; none: all NaN).
fn padded(v: Option<&[f64]>, h: usize) -> impl Iterator<Item = f64> + '_ {
    let v = v.unwrap_or(&[]);
    (0..h).map(move |k| v.get(k).copied().unwrap_or(f64::NAN))
}

/// `80` for 80.0, `97.5` for 97.5 (statsforecast's column names).
fn level_name(l: f64) -> String {
    if l.fract() == 0.0 {
        format!("{}", l as i64)
    } else {
        format!("{l}")
    }
}

/// Rolling-origin forecasts shaped as statsforecast's `cross_validation`: for each series the
/// last `windows` origins, `step` periods apart (default: `horizon`), each forecasting
/// `horizon` periods from the data before it: `unique_id, ds, cutoff, y, <Model>, …`.
pub fn cross_validation_frame(
    batch: &RecordBatch,
    spec: &FrameSpec,
    windows: u32,
    step: Option<u32>,
    progress: Option<Progress<'_>>,
) -> ApiResult<RecordBatch> {
    guard(|| {
        check(spec)?;
        let h = spec.horizon as usize;
        let step = step.unwrap_or(spec.horizon) as usize;
        if windows == 0 || step == 0 {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "windows and step must be at least 1",
            )
            .at(if windows == 0 { "windows" } else { "step" }));
        }
        let w = windows as usize;
        let y = values(batch, spec)?;
        let input = read(batch, spec, &y)?;
        let n = input.series.len();
        let span = h + (w - 1) * step;
        if let Some(g) = input.series.iter().find(|g| g.y.len() <= span) {
            let id = arrow_cast::display::array_value_to_string(&input.ids, g.first_row)
                .unwrap_or_default();
            return Err(ApiError::new(
                ErrorCode::InvalidSeries,
                format!(
                    "series {id} has {} periods: {windows} windows of {h} need more than {span}",
                    g.y.len()
                ),
            )
            .at(format!("rows[{}]", g.first_row)));
        }
        let origin = |s: usize, k: usize| input.series[s].y.len() - span + k * step;
        let jobs: Vec<(usize, usize, usize)> = (0..spec.models.len())
            .flat_map(|m| (0..n).flat_map(move |s| (0..w).map(move |k| (m, s, k))))
            .map(|(m, s, k)| (m, s, origin(s, k)))
            .collect();
        let out = run_all(&input, spec, &jobs, h, false, progress)?;
        let mut b = Builder::new();
        let mut rows = Vec::with_capacity(n * w * h);
        let (mut ds, mut cutoff, mut actual) = (Vec::new(), Vec::new(), Vec::new());
        let mut dates = Dates::new(&input);
        for (s, g) in input.series.iter().enumerate() {
            for k in 0..w {
                let o = origin(s, k);
                let run = dates.run(s, o - 1, h + 1)?;
                for j in 0..h {
                    rows.push(g.first_row as u32);
                    ds.push(run[1 + j]);
                    cutoff.push(run[0]);
                    actual.push(g.y[o + j]);
                }
            }
        }
        b.push(spec.id_col.clone(), ids(&input, rows)?);
        b.push(spec.time_col.clone(), input.kind.array(ds));
        b.push("cutoff", input.kind.array(cutoff));
        b.floats(spec.target_col.clone(), actual.into_iter());
        model_blocks(&mut b, spec, &out, n * w, h)?;
        b.finish()
    })
}

/// In-sample one-step forecasts of every model (statsforecast's `forecast_fitted_values`):
/// `unique_id, ds, y, <Model>, <Model>-lo-<level>, <Model>-hi-<level>, …`, one row per period
/// of each series' grid. The bands are statsforecast's `fitted ± z·σ` ([`fc::fitted::sigma`];
/// `z` the normal quantile, within 1.2e-9 of scipy's); a model without such bands is refused
/// when `levels` are asked. `horizon` is not used.
pub fn fitted_frame(
    batch: &RecordBatch,
    spec: &FrameSpec,
    progress: Option<Progress<'_>>,
) -> ApiResult<RecordBatch> {
    guard(|| {
        check(spec)?;
        fc::check_levels(&spec.levels).map_err(|e| ApiError::from(e).at("levels"))?;
        if !spec.levels.is_empty()
            && let Some((i, m)) = spec
                .models
                .iter()
                .enumerate()
                .find(|(_, m)| fc::fitted::sigma_offset(m.model).is_none())
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} has no fitted-value bands (statsforecast gives none); ask without levels",
                    m.model.name()
                ),
            )
            .at(format!("models[{i}]")));
        }
        let y = values(batch, spec)?;
        let input = read(batch, spec, &y)?;
        let n = input.series.len();
        let jobs: Vec<(usize, usize, usize)> = (0..spec.models.len())
            .flat_map(|m| (0..n).map(move |s| (m, s)))
            .map(|(m, s)| (m, s, input.series[s].y.len()))
            .collect();
        let bare = FrameSpec {
            levels: Vec::new(),
            ..spec.clone()
        };
        let out = run_all(&input, &bare, &jobs, 1, true, progress)?;
        let mut b = Builder::new();
        let mut rows = Vec::new();
        let (mut ds, mut actual) = (Vec::new(), Vec::new());
        let mut dates = Dates::new(&input);
        for (s, g) in input.series.iter().enumerate() {
            rows.extend(std::iter::repeat_n(g.first_row as u32, g.y.len()));
            ds.extend_from_slice(dates.run(s, 0, g.y.len())?);
            actual.extend_from_slice(&g.y);
        }
        b.push(spec.id_col.clone(), ids(&input, rows)?);
        b.push(spec.time_col.clone(), input.kind.array(ds));
        b.floats(spec.target_col.clone(), actual.into_iter());
        for (m, fm) in spec.models.iter().enumerate() {
            let name = alias(fm);
            let block = &out[m * n..(m + 1) * n];
            let mut values = Vec::new();
            let mut sigma = Vec::new();
            let mut per_row = Vec::new();
            for (g, o) in input.series.iter().zip(block) {
                // The model saw the series without its leading padding.
                let lead = g.y.iter().position(|v| !v.is_nan()).unwrap_or(g.y.len());
                let fitted = o
                    .forecast
                    .as_ref()
                    .map(|f| f.fitted.as_slice())
                    .unwrap_or(&[]);
                let s = match (&o.forecast, spec.levels.is_empty()) {
                    (Some(f), false) => fc::prepare(&g.y)
                        .ok()
                        .and_then(|y| fc::fitted::sigma(f.model, &y, fitted)),
                    _ => None,
                };
                for k in 0..g.y.len() {
                    let v = k.checked_sub(lead).and_then(|i| fitted.get(i)).copied();
                    values.push(v.unwrap_or(f64::NAN));
                    sigma.push(s.unwrap_or(f64::NAN));
                    per_row.push(o);
                }
            }
            b.floats(name.clone(), values.iter().copied());
            for level in &spec.levels {
                let z = fc::normal_quantile(0.5 + level / 200.0);
                for (side, sign) in [("lo", -1.0), ("hi", 1.0)] {
                    b.floats(
                        format!("{name}-{side}-{}", level_name(*level)),
                        values.iter().zip(&sigma).map(|(v, s)| v + sign * z * s),
                    );
                }
            }
            diagnostics(&mut b, &name, spec, &per_row)?;
        }
        b.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The exact reading `whole_days` must equal: each row divided, checked, first bad row.
    fn exact<const PER: i64>(v: &[i64]) -> Result<Vec<i32>, (usize, bool)> {
        v.iter()
            .enumerate()
            .map(|(row, &x)| {
                let (d, r) = (x.div_euclid(PER), x.rem_euclid(PER));
                match (r, i32::try_from(d)) {
                    (0, Ok(d)) => Ok(d),
                    _ => Err((row, r != 0)),
                }
            })
            .collect()
    }

    fn same_as_exact(days: &[i64], offsets: &[i64]) {
        macro_rules! each {
            ($($per:expr),*) => {$(
                let v: Vec<i64> = days
                    .iter()
                    .zip(offsets.iter().cycle())
                    .map(|(&d, &o)| d.saturating_mul($per).saturating_add(o))
                    .collect();
                let want = exact::<{ $per }>(&v);
                assert_eq!(whole_days::<{ $per }>(&v), want, "per {}", $per);
                assert_eq!(whole_days_by_steps::<{ $per }>(&v), want, "per {}", $per);
                assert_eq!(whole_days_by_division::<{ $per }>(&v), want, "per {}", $per);
            )*};
        }
        each!(86_400, DAY_MS, DAY_MS * 1_000, DAY_MS * 1_000_000);
    }

    #[test]
    fn few_strings_keys_each_text_once_in_order_of_first_appearance() {
        let (a, b) = (String::from("SES"), String::from("SES"));
        let rows = [
            Some(a.as_str()),
            None,
            Some("Naive"),
            Some(b.as_str()),
            None,
        ];
        let d = few_strings(rows.into_iter()).unwrap();
        let keys: Vec<Option<i32>> = d.keys().iter().collect();
        assert_eq!(keys, [Some(0), None, Some(1), Some(0), None]);
        let values: Vec<Option<&str>> = d.values().as_string::<i32>().iter().collect();
        assert_eq!(values, [Some("SES"), Some("Naive")]);
        assert_eq!(few_strings(std::iter::empty()).unwrap().len(), 0);
    }

    #[test]
    fn whole_days_at_the_edges_of_i32_and_i64() {
        let edges = [
            0,
            1,
            -1,
            i64::from(i32::MAX),
            i64::from(i32::MIN),
            i64::from(i32::MAX) + 1,
            i64::from(i32::MIN) - 1,
            106_751,
            -106_751,
            106_752,
            i64::MAX / 86_400,
            i64::MIN / 86_400,
        ];
        for &d in &edges {
            same_as_exact(&[d], &[0]);
            same_as_exact(&[d], &[1]);
            same_as_exact(&[d], &[-1]);
            same_as_exact(&[0, d], &[0]);
        }
        let extremes = [i64::MIN, i64::MAX, i64::MIN + 1, i64::MAX - 1];
        let want = exact::<DAY_MS>(&extremes);
        assert_eq!(whole_days::<DAY_MS>(&extremes), want);
        assert_eq!(whole_days_by_steps::<DAY_MS>(&extremes), want);
        assert_eq!(whole_days_by_division::<DAY_MS>(&extremes), want);
    }

    proptest! {
        #[test]
        fn renumbered_keys_number_their_values_in_order_of_first_appearance(
            values in prop::collection::vec(0u32..6, 1..8),
            runs in prop::collection::vec((0usize..8, 1usize..5), 0..30),
        ) {
            // The dictionary's values numbered as `encode_ids` numbers them: below its length.
            let values: Vec<u32> = values.iter().map(|v| v % values.len() as u32).collect();
            let keys: Vec<i32> = runs
                .iter()
                .flat_map(|&(k, n)| std::iter::repeat_n((k % values.len()) as i32, n))
                .collect();
            let by_value = renumber(keys.iter().map(|&k| values[k as usize]), keys.len());
            let by_key = renumber_keys(&keys, |k| k as usize, &values);
            prop_assert_eq!(by_key, by_value);
        }

        #[test]
        fn dictionary_ids_are_numbered_by_value_in_order_of_first_appearance(
            texts in prop::collection::vec(0u8..6, 1..8),
            runs in prop::collection::vec((0usize..8, 1usize..5), 1..30),
            in_order in any::<bool>(),
            sliced in 0usize..3,
        ) {
            // Keys that number their distinct values in order already and any others, behind
            // rows sliced off the array's front.
            let (values, keys): (Vec<String>, Vec<i32>) = if in_order {
                let values: Vec<String> = (0..runs.len()).map(|i| format!("t{i}")).collect();
                let keys = runs
                    .iter()
                    .enumerate()
                    .flat_map(|(i, &(_, n))| std::iter::repeat_n(i as i32, n))
                    .collect();
                (values, keys)
            } else {
                let values: Vec<String> = texts.iter().map(|t| format!("t{t}")).collect();
                let keys = runs
                    .iter()
                    .flat_map(|&(k, n)| std::iter::repeat_n((k % values.len()) as i32, n))
                    .collect();
                (values, keys)
            };
            let want = renumber(keys.iter().map(|&k| values[k as usize].as_str()), keys.len());
            let padded: Vec<i32> = std::iter::repeat_n(keys[0], sliced).chain(keys.iter().copied()).collect();
            let dict = DictionaryArray::try_new(
                Int32Array::from(padded),
                Arc::new(StringArray::from(values.clone())),
            )
            .unwrap();
            let col: ArrayRef = Arc::new(dict.slice(sliced, keys.len()));
            let (codes, n) = encode_ids(&col, "unique_id").unwrap();
            prop_assert_eq!((codes.values().to_vec(), n), want);
        }

        #[test]
        fn string_ids_are_numbered_in_order_of_first_appearance(
            runs in prop::collection::vec((0usize..7, prop_oneof![3 => 1usize..4, 1 => 10usize..40]), 0..20),
            sliced in 0usize..3,
        ) {
            // Texts that share lengths and bytes ("ab" then "a", "bab": the same bytes as "ab"
            // twice), the empty text, runs shorter and longer than a block.
            const TEXTS: [&str; 7] = ["ab", "a", "bab", "", "abab", "ba", "b"];
            let rows: Vec<&str> = std::iter::repeat_n("x", sliced)
                .chain(runs.iter().flat_map(|&(t, n)| std::iter::repeat_n(TEXTS[t], n)))
                .collect();
            let want = renumber(rows[sliced..].iter().copied(), rows.len() - sliced);
            let small = StringArray::from(rows.clone()).slice(sliced, rows.len() - sliced);
            prop_assert_eq!(renumber_strings(&small), want.clone());
            let large = arrow_array::LargeStringArray::from(rows.clone()).slice(sliced, rows.len() - sliced);
            prop_assert_eq!(renumber_strings(&large), want);
        }

        #[test]
        fn whole_days_equals_the_exact_division(
            days in prop::collection::vec(-200_000i64..200_000, 1..40),
            offsets in prop::collection::vec(prop_oneof![4 => Just(0i64), 1 => -3i64..3], 1..5),
        ) {
            same_as_exact(&days, &offsets);
        }

        #[test]
        fn whole_days_of_runs_of_one_step_equals_the_exact_division(
            runs in prop::collection::vec((
                prop_oneof![
                    -200_000i64..200_000,
                    Just(i64::from(i32::MAX) - 40),
                    Just(i64::from(i32::MIN) + 40),
                ],
                prop_oneof![Just(7i64), Just(1), Just(0), Just(-7), 1i64..40],
                1i64..40,
            ), 1..6),
            offsets in prop::collection::vec(prop_oneof![12 => Just(0i64), 1 => -3i64..3], 1..5),
        ) {
            // Weekly or daily series, each a run of one step: `whole_days` takes the remembered
            // steps for most such frames, and each loop is checked against the division.
            let days: Vec<i64> = runs
                .iter()
                .flat_map(|&(start, step, n)| (0..n).map(move |k| start + k * step))
                .collect();
            same_as_exact(&days, &offsets);
        }

        #[test]
        fn whole_days_of_monthly_like_runs_equals_the_exact_division(
            start in -100_000i64..100_000,
            steps in prop::collection::vec(prop_oneof![Just(28i64), Just(29), Just(30), Just(31), Just(0), -40i64..40], 1..60),
            offsets in prop::collection::vec(prop_oneof![8 => Just(0i64), 1 => -3i64..3], 1..5),
        ) {
            let days: Vec<i64> = steps.iter().scan(start, |d, s| { *d += s; Some(*d) }).collect();
            same_as_exact(&days, &offsets);
        }
    }
}
