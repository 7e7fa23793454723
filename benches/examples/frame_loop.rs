//! The facade's DataFrame path in a plain loop, for profilers and A/B runs: car parts (2,509
//! monthly series, 127,959 rows) as the Python binding hands it over — ids as an `int32`
//! dictionary (what `_object_strings` makes of a pandas object column), dates as nanosecond
//! timestamps (pandas `datetime64[ns]`), float64 values — forecast 3 months ahead on one
//! thread; and a retail-shaped frame (15,108 weekly series of 133 weeks, 2,009,364 rows, sorted
//! by id and date, as `benches/peers/frame_ratio.py` builds it); and car parts with its ids as
//! one string per row (`large_string`: pandas 3's `str` ids). Prints the fastest of ten
//! rounds per model.
//!
//! `cargo build --profile bench -p apotheca-benches --example frame_loop`, then
//! `target/release/examples/frame_loop [calls per round] [levels]` (from the repository root;
//! `levels` asks for 80 and 95 % intervals too). `ONLY=<text>` runs only the sets and models
//! whose line contains it (`ONLY=ses`, `ONLY="car parts"`), for a profile of one.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use apotheca::frame::{FrameSpec, RecordBatch, forecast_frame};
use apotheca_benches::first_arg_or;
use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, TimestampNanosecondArray};

const CARPARTS: &str = "../shared/data/carparts/carparts_complete_long.csv";

fn carparts() -> RecordBatch {
    let text = std::fs::read_to_string(CARPARTS).expect(CARPARTS);
    let (mut keys, mut ds, mut y) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen: HashMap<&str, i32> = HashMap::new();
    let mut uniques = StringBuilder::new();
    for line in text.lines().skip(1) {
        let mut f = line.split(',');
        let (id, date, value) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        let next = seen.len() as i32;
        keys.push(*seen.entry(id).or_insert_with(|| {
            uniques.append_value(id);
            next
        }));
        let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        let secs = date.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
        ds.push(secs * 1_000_000_000);
        y.push(value.parse::<f64>().unwrap());
    }
    table(keys, uniques, ds, y)
}

/// 15,108 weekly series of 133 weeks from 2023-01-01, intermittent values from a fixed
/// recurrence (the shape, not the values, of the Python script's set).
fn retail() -> RecordBatch {
    let (n, t) = (15_108i32, 133i64);
    let week = 7 * 86_400 * 1_000_000_000i64;
    let start = 19_358 * 86_400 * 1_000_000_000i64; // 2023-01-01
    let mut uniques = StringBuilder::new();
    let (mut keys, mut ds, mut y) = (Vec::new(), Vec::new(), Vec::new());
    let mut state = 20_261_203u64;
    for i in 0..n {
        uniques.append_value(format!("STORE{:02}_ITEM{i:05}", i % 40));
        for k in 0..t {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            keys.push(i);
            ds.push(start + k * week);
            y.push(if state >> 62 == 0 {
                (state >> 40) as f64 % 5.0
            } else {
                0.0
            });
        }
    }
    table(keys, uniques, ds, y)
}

/// `unique_id` (an `int32` dictionary), `ds` (nanoseconds), `y`.
fn table(keys: Vec<i32>, mut uniques: StringBuilder, ds: Vec<i64>, y: Vec<f64>) -> RecordBatch {
    let ids = DictionaryArray::try_new(Int32Array::from(keys), Arc::new(uniques.finish())).unwrap();
    let cols: Vec<(&str, ArrayRef)> = vec![
        ("unique_id", Arc::new(ids)),
        ("ds", Arc::new(TimestampNanosecondArray::from(ds))),
        ("y", Arc::new(Float64Array::from(y))),
    ];
    RecordBatch::try_from_iter(cols).unwrap()
}

/// `batch` with its ids as a `large_string` column (pandas 3's `str` dtype, pyarrow's and
/// polars' strings), one string per row.
fn string_ids(batch: &RecordBatch) -> RecordBatch {
    let ids = batch.column(0).as_any_dictionary();
    let values = ids
        .values()
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .unwrap();
    let strings: arrow_array::LargeStringArray = ids
        .normalized_keys()
        .iter()
        .map(|&k| Some(values.value(k)))
        .collect();
    let mut cols = batch.columns().to_vec();
    cols[0] = Arc::new(strings);
    let names = ["unique_id", "ds", "y"];
    RecordBatch::try_from_iter(names.into_iter().zip(cols)).unwrap()
}

fn main() {
    let n = first_arg_or(300);
    let levels = if std::env::args().nth(2).as_deref() == Some("levels") {
        r#", "levels": [80, 95]"#
    } else {
        ""
    };
    let car = carparts();
    let sets = [
        ("car parts, str ids", string_ids(&car), n),
        ("car parts", car, n),
        ("retail", retail(), n.div_ceil(16)),
    ];
    for ((name, batch, n), model) in sets.iter().flat_map(|s| {
        [
            r#"{"name": "croston_classic"}"#,
            r#"{"name": "ses", "alpha": 0.1}"#,
            r#"{"name": "seasonal_naive", "season": 12}"#,
            r#"{"name": "croston_optimized"}"#,
            r#"{"name": "tsb", "alpha_d": 0.1, "alpha_p": 0.1}"#,
            r#"{"name": "adida"}"#,
            r#"{"name": "imapa"}"#,
        ]
        .map(move |m| (s, m))
    }) {
        if std::env::var("ONLY").is_ok_and(|o| !format!("{name}, {model}").contains(&o)) {
            continue;
        }
        let spec: FrameSpec = serde_json::from_str(&format!(
            r#"{{"models": [{{"model": {model}}}], "horizon": 3, "threads": 1{levels}}}"#
        ))
        .unwrap();
        let best = (0..10)
            .map(|_| {
                let t = std::time::Instant::now();
                for _ in 0..*n {
                    std::hint::black_box(forecast_frame(batch, &spec, None).unwrap());
                }
                t.elapsed().as_nanos() as f64 / *n as f64 / 1e6
            })
            .fold(f64::INFINITY, f64::min);
        println!("{name}, {model}: {best:.3} ms (fastest of 10 rounds of {n})");
    }
}
