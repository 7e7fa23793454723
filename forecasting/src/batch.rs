//! Many series at once: a list of series, an ndarray matrix (series × time, NaN padding or
//! explicit lengths), or long format (`unique_id, ds, y`). Series run in parallel on rayon's
//! pool (feature `parallel`); each series is computed alone, so results do not depend on the
//! thread count.

use ndarray::{Array2, ArrayView2};

use crate::error::{Result, invalid};
use crate::models::{Forecast, Model, forecast};

/// Forecasts every series; a progress callback gets the number finished so far.
pub fn forecast_many(
    series: &[Vec<f64>],
    model: Model,
    h: usize,
    levels: &[f64],
    fitted: bool,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Vec<Result<Forecast>> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let one = |y: &Vec<f64>| {
        let r = forecast(y, model, h, levels, fitted);
        if let Some(p) = progress {
            p(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
        }
        r
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        series.par_iter().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        series.iter().map(one).collect()
    }
}

/// Point forecasts of a matrix of series (rows), `lengths[i]` values each (else NaN padding is
/// dropped): an `rows × h` matrix, and the model used per row.
pub fn forecast_matrix(
    y: ArrayView2<'_, f64>,
    lengths: Option<&[usize]>,
    model: Model,
    h: usize,
) -> Result<(Array2<f64>, Vec<Model>)> {
    if let Some(l) = lengths {
        if l.len() != y.nrows() {
            return Err(invalid(format!(
                "{} lengths for {} series",
                l.len(),
                y.nrows()
            )));
        }
        if let Some((i, n)) = l.iter().enumerate().find(|(_, n)| **n > y.ncols()) {
            return Err(invalid(format!(
                "series {i}: length {n} exceeds {} columns",
                y.ncols()
            )));
        }
    }
    let rows: Vec<Vec<f64>> = y
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let n = lengths.map_or(r.len(), |l| l[i]);
            r.iter().take(n).copied().collect()
        })
        .collect();
    let results = forecast_many(&rows, model, h, &[], false, None);
    let mut out = Array2::<f64>::zeros((rows.len(), h));
    let mut models = Vec::with_capacity(rows.len());
    for (i, r) in results.into_iter().enumerate() {
        let f = r.map_err(|e| invalid(format!("series {i}: {e}")))?;
        out.row_mut(i).assign(&ndarray::ArrayView1::from(&f.mean));
        models.push(f.model);
    }
    Ok((out, models))
}

/// Groups long-format rows (`unique_id`, `ds`, `y`) into series, ids in order of first
/// appearance, each series sorted by `ds` (ISO dates sort as text).
pub fn from_long(ids: &[String], ds: &[String], y: &[f64]) -> Result<(Vec<String>, Vec<Vec<f64>>)> {
    if ids.len() != ds.len() || ds.len() != y.len() {
        return Err(invalid(format!(
            "long format columns differ in length: {} ids, {} ds, {} y",
            ids.len(),
            ds.len(),
            y.len()
        )));
    }
    let mut order: Vec<String> = Vec::new();
    let mut rows: std::collections::HashMap<&str, Vec<(&str, f64)>> =
        std::collections::HashMap::new();
    for ((id, d), v) in ids.iter().zip(ds).zip(y) {
        let e = rows.entry(id.as_str()).or_insert_with(|| {
            order.push(id.clone());
            Vec::new()
        });
        e.push((d.as_str(), *v));
    }
    let series = order
        .iter()
        .map(|id| {
            let mut r = rows.remove(id.as_str()).unwrap_or_default();
            r.sort_by(|a, b| a.0.cmp(b.0));
            r.into_iter().map(|(_, v)| v).collect()
        })
        .collect();
    Ok((order, series))
}
