//! Many series at once: a list of series, or an ndarray matrix (series × time, NaN padding or
//! explicit lengths); long format is `crate::long`. Series run in parallel on rayon's
//! pool (feature `parallel`); each series is computed alone, so results do not depend on the
//! thread count.

use ndarray::{Array2, Array3, ArrayView1, ArrayView2, Axis};

use crate::error::{ForecastError, Result, bad_series, invalid};
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

/// Forecasts of a matrix of series (rows, row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixForecast {
    /// `rows × h` point forecasts (`NaN` where the model has none).
    pub mean: Array2<f64>,
    /// `levels × rows × h` lower bounds.
    pub lo: Array3<f64>,
    /// `levels × rows × h` upper bounds.
    pub hi: Array3<f64>,
    /// The model used per row (what `Auto` chose).
    pub models: Vec<Model>,
}

/// Forecasts every row of a matrix of series, `lengths[i]` values each (else NaN padding is
/// dropped), with intervals at `levels`. One bad row fails the call, naming it.
pub fn forecast_matrix(
    y: ArrayView2<'_, f64>,
    lengths: Option<&[usize]>,
    model: Model,
    h: usize,
    levels: &[f64],
) -> Result<MatrixForecast> {
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
    let results = forecast_many(&rows, model, h, levels, false, None);
    let shape = (levels.len(), rows.len(), h);
    let mut out = MatrixForecast {
        mean: Array2::from_elem((rows.len(), h), f64::NAN),
        lo: Array3::from_elem(shape, f64::NAN),
        hi: Array3::from_elem(shape, f64::NAN),
        models: Vec::with_capacity(rows.len()),
    };
    for (i, r) in results.into_iter().enumerate() {
        let f = r.map_err(|e| match e {
            ForecastError::InvalidSeries(m) => bad_series(format!("row {i}: {m}")),
            ForecastError::InvalidInput(m) => invalid(format!("row {i}: {m}")),
        })?;
        out.mean.row_mut(i).assign(&ArrayView1::from(&f.mean));
        for (l, band) in f.intervals.iter().enumerate() {
            out.lo
                .index_axis_mut(Axis(0), l)
                .row_mut(i)
                .assign(&ArrayView1::from(&band.lo));
            out.hi
                .index_axis_mut(Axis(0), l)
                .row_mut(i)
                .assign(&ArrayView1::from(&band.hi));
        }
        out.models.push(f.model);
    }
    Ok(out)
}
