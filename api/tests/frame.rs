//! Long frames in and out as Arrow columns (feature `arrow`).
#![cfg(feature = "arrow")]
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use apotheca::forecasting::Model;
use apotheca::forecasting_models as fc;
use apotheca::frame::{
    FrameModel, FrameSpec, OnError, cross_validation_frame, fitted_frame, forecast_frame,
};
use apotheca::{ApiError, ErrorCode};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, TimestampNanosecondType};
use arrow_array::{
    ArrayRef, Date32Array, DictionaryArray, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampNanosecondArray,
};

const DAY: i64 = 86_400_000_000_000;

fn table(ids: ArrayRef, ds: ArrayRef, y: ArrayRef) -> RecordBatch {
    RecordBatch::try_from_iter([("unique_id", ids), ("ds", ds), ("y", y)]).unwrap()
}

fn spec(models: &[Model], horizon: u32, levels: &[f64]) -> FrameSpec {
    serde_json::from_value(serde_json::json!({
        "models": models.iter().map(|m| FrameModel { model: *m, alias: None }).collect::<Vec<_>>(),
        "horizon": horizon,
        "levels": levels,
    }))
    .unwrap()
}

/// Two series, `b` first, on 2026-01-01.. daily, `a` with a missing day (a gap).
fn daily() -> RecordBatch {
    let ids = StringArray::from(vec!["b", "b", "b", "b", "a", "a", "a"]);
    let ds = Date32Array::from(vec![20454, 20455, 20456, 20457, 20454, 20456, 20457]);
    let y = Int64Array::from(vec![0, 3, 0, 2, 1, 4, 0]);
    table(Arc::new(ids), Arc::new(ds), Arc::new(y))
}

/// A string column, plain or dictionary-encoded (the model and error columns).
fn strings(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = b.column_by_name(name).unwrap();
    let plain = arrow_cast::cast(col, &arrow_schema::DataType::Utf8).unwrap();
    plain
        .as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

fn floats(b: &RecordBatch, name: &str) -> Vec<f64> {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .as_primitive::<Float64Type>()
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect()
}

#[test]
fn forecast_frame_is_shaped_like_statsforecast() {
    let out = forecast_frame(
        &daily(),
        &spec(&[Model::CrostonSba, Model::Naive], 2, &[80.0, 95.0]),
        None,
    )
    .unwrap();
    let names: Vec<&str> = out
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(
        names,
        [
            "unique_id",
            "ds",
            "CrostonSBA",
            "CrostonSBA-lo-80",
            "CrostonSBA-hi-80",
            "CrostonSBA-lo-95",
            "CrostonSBA-hi-95",
            "CrostonSBA-model",
            "CrostonSBA-error",
            "Naive",
            "Naive-lo-80",
            "Naive-hi-80",
            "Naive-lo-95",
            "Naive-hi-95",
            "Naive-model",
            "Naive-error",
        ]
    );
    let ids: Vec<&str> = out.column(0).as_string::<i32>().iter().flatten().collect();
    assert_eq!(ids, ["b", "b", "a", "a"]);
    let ds: Vec<i32> = out.column(1).as_primitive::<Date32Type>().values().to_vec();
    assert_eq!(ds, [20458, 20459, 20458, 20459]);
    // The same values as the series API, the gap counted as no sale.
    let b = fc::forecast(
        &[0.0, 3.0, 0.0, 2.0],
        Model::CrostonSba,
        2,
        &[80.0, 95.0],
        false,
    )
    .unwrap();
    let a = fc::forecast(
        &[1.0, f64::NAN, 4.0, 0.0],
        Model::CrostonSba,
        2,
        &[80.0, 95.0],
        false,
    )
    .unwrap();
    assert_eq!(
        floats(&out, "CrostonSBA"),
        [b.mean.clone(), a.mean.clone()].concat()
    );
    assert_eq!(
        floats(&out, "CrostonSBA-hi-95"),
        [b.intervals[1].hi.clone(), a.intervals[1].hi.clone()].concat()
    );
    assert_eq!(floats(&out, "Naive"), [2.0, 2.0, 0.0, 0.0]);
    assert_eq!(out.column_by_name("Naive-error").unwrap().null_count(), 4);
}

#[test]
fn timestamps_and_categories_keep_their_types_and_the_month_is_inferred() {
    let months = [0i64, 31, 59, 90, 120].map(|d| d * DAY); // 1970-01-01 … 1970-05-01
    let ds = TimestampNanosecondArray::from(months.to_vec());
    let ids: DictionaryArray<arrow_array::types::Int8Type> =
        vec!["x", "x", "x", "x", "x"].into_iter().collect();
    let y = Float64Array::from(vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    let input = table(Arc::new(ids), Arc::new(ds), Arc::new(y));
    let mut s = spec(&[Model::Naive], 2, &[]);
    s.on_error = OnError::Raise;
    let out = forecast_frame(&input, &s, None).unwrap();
    assert_eq!(out.num_columns(), 3);
    assert!(matches!(
        out.column(0).data_type(),
        arrow_schema::DataType::Dictionary(..)
    ));
    let ds: Vec<i64> = out
        .column(1)
        .as_primitive::<TimestampNanosecondType>()
        .values()
        .to_vec();
    assert_eq!(ds, [151 * DAY, 181 * DAY]); // June 1st, July 1st
    s.freq = Some("D".into());
    let daily = forecast_frame(&input, &s, None).unwrap();
    let ds: Vec<i64> = daily
        .column(1)
        .as_primitive::<TimestampNanosecondType>()
        .values()
        .to_vec();
    assert_eq!(ds, [121 * DAY, 122 * DAY]);
}

#[test]
fn one_bad_series_falls_back_is_null_or_raises_as_asked() {
    // `b` has 4 points: Holt needs more.
    let long: Vec<i32> = (0..12).map(|d| 20454 + d).collect();
    let mut ids = vec!["a"; 12];
    ids.extend(["b"; 4]);
    let mut ds = long.clone();
    ds.extend(&long[..4]);
    let y: Vec<f64> = (0..16).map(|i| (i % 5 + 1) as f64).collect();
    let input = table(
        Arc::new(StringArray::from(ids)),
        Arc::new(Date32Array::from(ds)),
        Arc::new(Float64Array::from(y)),
    );
    let mut s = spec(&[Model::Holt { damped: false }], 1, &[]);
    let out = forecast_frame(&input, &s, None).unwrap();
    let model = strings(&out, "Holt-model");
    assert_eq!(
        model,
        [Some("ETS(A,A,N)".to_string()), Some("ses_optimized".into())]
    );
    let error = strings(&out, "Holt-error");
    assert_eq!(error, [None, Some("INVALID_SERIES".to_string())]);
    assert!(floats(&out, "Holt")[1].is_finite());

    s.on_error = OnError::Null;
    let out = forecast_frame(&input, &s, None).unwrap();
    assert!(floats(&out, "Holt")[1].is_nan());
    assert_eq!(out.column_by_name("Holt").unwrap().null_count(), 1);

    s.on_error = OnError::Raise;
    let e: ApiError = forecast_frame(&input, &s, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidSeries);
    assert_eq!(e.details.path.as_deref(), Some("rows[12]"));
    assert!(e.message.contains("series b"), "{}", e.message);
}

#[test]
fn cross_validation_and_fitted_frames() {
    let s = spec(
        &[Model::Ses {
            alpha: 0.5,
            initial: Default::default(),
        }],
        1,
        &[],
    );
    let cv = cross_validation_frame(&daily(), &s, 2, None, None).unwrap();
    let names: Vec<&str> = cv
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(&names[..5], ["unique_id", "ds", "cutoff", "y", "SES"]);
    assert_eq!(cv.num_rows(), 4);
    let cutoff: Vec<i32> = cv.column(2).as_primitive::<Date32Type>().values().to_vec();
    assert_eq!(cutoff, [20455, 20456, 20455, 20456]);
    // b's first window forecasts day 3 from [0, 3]: 0.5·3 + 0.5·0 = 1.5.
    assert_eq!(floats(&cv, "SES")[0], 1.5);
    assert_eq!(floats(&cv, "y")[..2], [0.0, 2.0]);
    let too_long = cross_validation_frame(&daily(), &s, 4, None, None).unwrap_err();
    assert_eq!(too_long.code, ErrorCode::InvalidSeries);

    let f = fitted_frame(&daily(), &s, None).unwrap();
    assert_eq!(f.num_rows(), 8);
    let fitted = floats(&f, "SES");
    let want = fc::forecast(&[0.0, 3.0, 0.0, 2.0], s.models[0].model, 1, &[], true).unwrap();
    assert!(fitted[0].is_nan() && fitted[1..4] == want.fitted[1..]);
}

#[test]
fn progress_is_reported_and_can_stop_the_call() {
    let s = spec(&[Model::Naive, Model::SesOptimized], 1, &[]);
    let mut seen = Vec::new();
    let mut p = |done: usize, total: usize| {
        seen.push((done, total));
        Ok(())
    };
    forecast_frame(&daily(), &s, Some(&mut p)).unwrap();
    assert_eq!(seen.last(), Some(&(4, 4)));
    let mut stop = |_: usize, _: usize| Err(ApiError::new(ErrorCode::Cancelled, "stopped"));
    let e = forecast_frame(&daily(), &s, Some(&mut stop)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
}

#[test]
fn bad_tables_are_refused_with_the_column() {
    let mut s = spec(&[Model::Naive], 1, &[]);
    s.target_col = "qty".into();
    let e = forecast_frame(&daily(), &s, None).unwrap_err();
    assert_eq!(
        (e.code, e.details.path.as_deref()),
        (ErrorCode::MalformedInput, Some("qty"))
    );
    let s = FrameSpec {
        threads: Some(0),
        ..spec(&[Model::Naive], 1, &[])
    };
    assert_eq!(
        forecast_frame(&daily(), &s, None).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let twice = spec(&[Model::Naive, Model::Naive], 1, &[]);
    let e = forecast_frame(&daily(), &twice, None).unwrap_err();
    assert_eq!(e.details.path.as_deref(), Some("models[1].alias"));
    let noon = table(
        Arc::new(StringArray::from(vec!["a"])),
        Arc::new(TimestampNanosecondArray::from(vec![DAY / 2])),
        Arc::new(Float64Array::from(vec![1.0])),
    );
    let e = forecast_frame(&noon, &spec(&[Model::Naive], 1, &[]), None).unwrap_err();
    assert!(e.message.contains("time of day"), "{}", e.message);
}

proptest::proptest! {
    #[test]
    fn dictionary_ids_forecast_as_their_texts_do(
        lens in proptest::collection::vec(1usize..6, 1..8),
        case in 0usize..4,
        sliced in 0usize..3,
    ) {
        // Series i has lens[i] daily rows. Its dictionary key and the dictionary's values:
        // 0 keys in order over distinct texts (used in place); 1 keys in order over a
        // dictionary whose first two values are one text; 2 keys in order with each series'
        // days descending (not runs: numbered anew); 3 the first series key 0 and the others
        // in reverse order (the last row's key guesses too few series). Rows sliced off the
        // array's front repeat the first row's key.
        let n = lens.len();
        let texts: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let values: Vec<String> = match case {
            1 => (0..n).map(|k| texts[k.saturating_sub(1)].clone()).collect(),
            _ => texts.clone(),
        };
        let key = |i: usize| if case == 3 && i > 0 { n - i } else { i } as i32;
        let (mut keys, mut ds, mut y) = (Vec::new(), Vec::new(), Vec::new());
        for (i, &len) in lens.iter().enumerate() {
            for j in 0..len {
                let day = if case == 2 { len - 1 - j } else { j };
                keys.push(key(i));
                ds.push(20_454 + day as i32 + i as i32);
                y.push(((i * 7 + j) % 5) as f64);
            }
        }
        let texts_of: Vec<&str> = keys.iter().map(|&k| values[k as usize].as_str()).collect();
        let padded: Vec<i32> = std::iter::repeat_n(keys[0], sliced).chain(keys.iter().copied()).collect();
        let dict = DictionaryArray::try_new(
            arrow_array::Int32Array::from(padded),
            Arc::new(StringArray::from(values.clone())),
        )
        .unwrap();
        let rows = keys.len();
        let as_dict: ArrayRef = Arc::new(dict.slice(sliced, rows));
        let as_text: ArrayRef = Arc::new(StringArray::from(texts_of));
        let ds: ArrayRef = Arc::new(Date32Array::from(ds));
        let y: ArrayRef = Arc::new(Float64Array::from(y));
        let s = spec(&[Model::Naive, Model::CrostonClassic], 2, &[]);
        let shown = |ids: ArrayRef| -> String {
            match forecast_frame(&table(ids, ds.clone(), y.clone()), &s, None) {
                Ok(out) => {
                    let rest: Vec<String> =
                        out.columns()[1..].iter().map(|c| format!("{c:?}")).collect();
                    format!("{:?} {rest:?}", strings(&out, "unique_id"))
                }
                Err(e) => e.to_string(),
            }
        };
        proptest::prop_assert_eq!(shown(as_dict), shown(as_text));
    }
}
