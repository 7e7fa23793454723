//! Many series at once: a list of series, or an ndarray matrix (series × time, NaN padding or
//! explicit lengths); long format is `crate::long`. Series run in parallel on rayon's
//! pool (feature `parallel`); each series is computed alone, so results do not depend on the
//! thread count.

use ndarray::{Array2, Array3, ArrayView1, ArrayView2, Axis};

use crate::conformal::{IntervalMethod, check_windows, forecast_with};
use crate::error::{ForecastError, Result, bad_series, invalid};
use crate::fitted::with_point_searched;
use crate::intermittent::{Planned, search_all, tsb_many};
use crate::models::{Forecast, Model, SesInitial, begin, finish, flat_forecast};
use crate::ses;

/// [`forecast_batch`] of SES with a fixed alpha (point forecasts, or with in-sample intervals)
/// or TSB (point forecasts), without fitted values: each series checked and cleaned as alone
/// ([`begin`]), the recursions of every four side by side ([`ses::levels`],
/// [`ses::fitted_and_levels`], [`tsb_many`]) while their values are still in cache. A series
/// of zeros with intervals (which take another path) goes alone.
fn lockstep_batch(ys: &[&[f64]], model: Model, h: usize, levels: &[f64]) -> Vec<Result<Forecast>> {
    let mut out: Vec<Result<Forecast>> = Vec::with_capacity(ys.len());
    let (mut clean, mut at) = (Vec::with_capacity(4), Vec::with_capacity(4));
    let solve = |clean: &mut Vec<std::borrow::Cow<'_, [f64]>>,
                 at: &mut Vec<usize>,
                 out: &mut Vec<Result<Forecast>>| {
        let xs: Vec<&[f64]> = clean.iter().map(|y| y.as_ref()).collect();
        // Another model is never sent here ([`forecast_batch`]); its series would stay
        // unsolved, an error, not a forecast.
        let points = match model {
            Model::Tsb { alpha_d, alpha_p } => tsb_many(&xs, alpha_d, alpha_p),
            Model::Ses { alpha, .. } if levels.is_empty() => ses::levels(&xs, alpha),
            Model::Ses { alpha, .. } => {
                let paths = ses::fitted_and_levels(&xs, alpha);
                for ((&i, y), mut path) in at.iter().zip(&xs).zip(paths) {
                    let point = path.pop().unwrap_or(f64::NAN);
                    out[i] = Ok(finish(y, model, h, levels, false, Some((point, path))));
                }
                Vec::new()
            }
            _ => Vec::new(),
        };
        for (&i, v) in at.iter().zip(points) {
            out[i] = Ok(flat_forecast(model, v, h));
        }
        clean.clear();
        at.clear();
    };
    for y in ys {
        match begin(y, model, h, levels) {
            Err(e) => out.push(Err(e)),
            Ok((clean_y, _)) if !levels.is_empty() && clean_y.iter().all(|v| *v == 0.0) => {
                out.push(forecast_with(
                    y,
                    model,
                    h,
                    levels,
                    false,
                    IntervalMethod::InSample,
                ));
            }
            Ok((clean_y, _)) => {
                at.push(out.len());
                clean.push(clean_y);
                out.push(Err(unsolved()));
                if clean.len() == 4 {
                    solve(&mut clean, &mut at, &mut out);
                }
            }
        }
    }
    solve(&mut clean, &mut at, &mut out);
    out
}

/// The error of a series a batch planned but did not solve (a fault of the batch, not of the
/// series).
fn unsolved() -> ForecastError {
    invalid("a planned forecast was not solved")
}

/// [`forecast_with`] of each series, the batch computed together where that is faster and the
/// same: CrostonOptimized, ADIDA and IMAPA (and `Auto` where it picks one) run the
/// golden-section searches of every series side by side
/// ([`crate::ses::golden_sections_pooled`]), then each series' point forecast (and IMAPA's
/// in-sample intervals, if asked for) from its alphas; SES with a fixed alpha and TSB run four
/// series' recursions side by side ([`lockstep_batch`]). Each result equals the series' own
/// [`forecast_with`] to the bit.
pub fn forecast_batch(
    ys: &[&[f64]],
    model: Model,
    h: usize,
    levels: &[f64],
    fitted: bool,
    method: IntervalMethod,
) -> Vec<Result<Forecast>> {
    let alone = |y: &&[f64]| forecast_with(y, model, h, levels, fitted, method);
    // SES with a fixed alpha (point forecasts and in-sample intervals) and TSB (point
    // forecasts): the recursions of four series at a time.
    let lockstep = match model {
        Model::Ses {
            initial: SesInitial::First,
            ..
        } => levels.is_empty() || method == IntervalMethod::InSample,
        Model::Tsb { .. } => levels.is_empty(),
        _ => false,
    };
    if lockstep && !fitted && check_windows(method).is_ok() {
        return lockstep_batch(ys, model, h, levels);
    }
    // With intervals, only IMAPA's many searches repay reading the series twice (plan, then
    // fit): CrostonOptimized's two and ADIDA's one go alone.
    let batched = |m: Model| match levels.is_empty() {
        true => matches!(m, Model::CrostonOptimized | Model::Adida | Model::Imapa),
        false => m == Model::Imapa,
    };
    // `Auto` resolves each series first: worth it only where most of what it picks can batch.
    let searches = batched(model) || (model == Model::Auto && levels.is_empty());
    // Conformal intervals refit every window: those series go alone.
    let conformal = !levels.is_empty() && method != IntervalMethod::InSample;
    if fitted || !searches || conformal || check_windows(method).is_err() {
        return ys.iter().map(alone).collect();
    }
    // Each series: its forecast now, or its plan (the model that runs, and where the plan is).
    let mut out: Vec<Option<Result<Forecast>>> = Vec::with_capacity(ys.len());
    let (mut plans, mut waiting) = (Vec::new(), Vec::new());
    for y in ys {
        let planned = begin(y, model, h, levels).map(|(y, chosen)| {
            let plan = match (batched(chosen), y.iter().all(|v| *v == 0.0)) {
                (false, _) => None,
                (true, true) => Some(Planned::Known(0.0)),
                (true, false) => chosen.plan(&y),
            };
            (y, chosen, plan)
        });
        out.push(match planned {
            Err(e) => Some(Err(e)),
            Ok((_, chosen, Some(Planned::Known(v)))) if levels.is_empty() => {
                Some(Ok(flat_forecast(chosen, v, h)))
            }
            Ok((y, chosen, Some(Planned::Plan(plan)))) => {
                plans.push(plan);
                waiting.push((out.len(), chosen, y));
                None
            }
            Ok(_) => Some(alone(y)),
        });
    }
    let alphas = search_all(&plans, true);
    let mut from = 0;
    for ((at, chosen, y), plan) in waiting.into_iter().zip(&plans) {
        let mine = &alphas[from..from + plan.search_count()];
        from += mine.len();
        out[at] = Some(Ok(if levels.is_empty() {
            flat_forecast(chosen, plan.finish(&mut mine.iter().copied()), h)
        } else {
            let shared = with_point_searched(chosen, &y, Some(mine));
            finish(&y, chosen, h, levels, false, shared)
        }));
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(unsolved())))
        .collect()
}

/// Forecasts every series; a progress callback gets the number finished so far (after each
/// [`BATCH`] series).
pub fn forecast_many(
    series: &[Vec<f64>],
    model: Model,
    h: usize,
    levels: &[f64],
    fitted: bool,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Vec<Result<Forecast>> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let some = |part: &[Vec<f64>]| {
        let ys: Vec<&[f64]> = part.iter().map(Vec::as_slice).collect();
        let r = forecast_batch(&ys, model, h, levels, fitted, IntervalMethod::InSample);
        if let Some(p) = progress {
            p(done.fetch_add(part.len(), std::sync::atomic::Ordering::Relaxed) + part.len());
        }
        r
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        series.par_chunks(BATCH).flat_map_iter(some).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        series.chunks(BATCH).flat_map(some).collect()
    }
}

/// How many series [`forecast_many`] hands [`forecast_batch`] at a time: enough searches of
/// each length to fill the lockstep lanes, and enough batches to spread over the threads.
pub const BATCH: usize = 64;

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
