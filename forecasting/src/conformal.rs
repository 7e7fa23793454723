//! statsforecast 2.1.1's conformal prediction intervals (`ConformalIntervals(h, n_windows,
//! method)`): the absolute errors of `n_windows` rolling-origin forecasts of the last
//! `n_windows × h` periods (each refit on the series before it) are the conformity scores, one
//! per window and step; a level's bounds are their quantiles around the point forecast.
//!
//! Exact to statsforecast: `n_windows` is cut to `(n − 1) / h` on short series and refused
//! below 2 (`2h + 1` observations needed); quantiles interpolate linearly between order
//! statistics as `numpy.quantile` does, to the bit; the bounds are not clipped at zero (a
//! lower bound may be negative, as statsforecast's is).

use serde::{Deserialize, Serialize};

use crate::error::{Result, bad_series, invalid};
use crate::models::{Forecast, Interval, Model, check_levels, forecast, prepare};
use crate::numpy;

/// How a forecast's intervals are made.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Normal from the forecast variance (ETS, regression), else the empirical quantiles of
    /// the in-sample one-step errors: one pass over the series, bounds never below zero.
    #[default]
    InSample,
    /// statsforecast's `ConformalIntervals(h, n_windows)` (`conformal_distribution`): the
    /// quantiles of `mean ± score` over the windows, per step.
    ConformalDistribution {
        /// Backtest windows of `h` periods each (statsforecast's default is 2).
        n_windows: u32,
    },
    /// statsforecast's `conformal_error`: `mean ± ` the `level` quantile of the scores.
    ConformalError {
        /// Backtest windows of `h` periods each.
        n_windows: u32,
    },
}

/// The conformity scores of `model` on `y` (prepared): `windows × h` absolute errors, window
/// by window, oldest first.
fn scores(y: &[f64], model: Model, h: usize, n_windows: u32) -> Result<Vec<Vec<f64>>> {
    let n = y.len();
    let windows = (n_windows as usize).min(n.saturating_sub(1) / h);
    if windows < 2 {
        return Err(bad_series(format!(
            "conformal intervals need at least {} observations (2 windows of {h}), the series has {n}",
            2 * h + 1
        )));
    }
    let test = windows * h;
    (0..windows)
        .map(|w| {
            let end = n - test + w * h;
            let f = forecast(&y[..end], model, h, &[], false)?;
            Ok(f.mean
                .iter()
                .zip(&y[end..end + h])
                .map(|(m, v)| (m - v).abs())
                .collect())
        })
        .collect()
}

/// The number of conformal windows `method` asks for (`None` for in-sample intervals), checked.
pub(crate) fn check_windows(method: IntervalMethod) -> Result<Option<u32>> {
    match method {
        IntervalMethod::InSample => Ok(None),
        IntervalMethod::ConformalDistribution { n_windows }
        | IntervalMethod::ConformalError { n_windows } => {
            if n_windows == 0 || n_windows > 1000 {
                return Err(invalid(format!("n_windows {n_windows} must be 1 to 1,000")));
            }
            Ok(Some(n_windows))
        }
    }
}

/// Forecasts `y` as [`forecast`] does, with intervals made by `method`.
pub fn forecast_with(
    y: &[f64],
    model: Model,
    h: usize,
    levels: &[f64],
    fitted: bool,
    method: IntervalMethod,
) -> Result<Forecast> {
    let Some(n_windows) = check_windows(method)? else {
        return forecast(y, model, h, levels, fitted);
    };
    let mut out = forecast(y, model, h, &[], fitted)?;
    if levels.is_empty() {
        return Ok(out);
    }
    check_levels(levels)?;
    let y = prepare(y)?;
    // The windows refit the model the whole series chose (for `Auto`, its class's model).
    let cs = scores(&y, out.model, h, n_windows)?;
    let mut column = Vec::with_capacity(2 * cs.len());
    let mut lo = vec![Vec::with_capacity(h); levels.len()];
    let mut hi = vec![Vec::with_capacity(h); levels.len()];
    for (j, &mean) in out.mean.iter().enumerate() {
        column.clear();
        match method {
            IntervalMethod::ConformalDistribution { .. } => {
                column.extend(cs.iter().map(|w| mean - w[j]));
                column.extend(cs.iter().map(|w| mean + w[j]));
            }
            _ => column.extend(cs.iter().map(|w| w[j])),
        }
        // Unstable is equal here: values equal under `total_cmp` are the same bits.
        column.sort_unstable_by(f64::total_cmp);
        for (k, &level) in levels.iter().enumerate() {
            let alpha = 100.0 - level;
            let (l, u) = match method {
                IntervalMethod::ConformalDistribution { .. } => (
                    numpy::quantile(&column, alpha / 200.0),
                    numpy::quantile(&column, 1.0 - alpha / 200.0),
                ),
                _ => {
                    let q = numpy::quantile(&column, level / 100.0);
                    (mean - q, mean + q)
                }
            };
            lo[k].push(l);
            hi[k].push(u);
        }
    }
    out.intervals = levels
        .iter()
        .zip(lo.into_iter().zip(hi))
        .map(|(&level, (lo, hi))| Interval { level, lo, hi })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_numpys() {
        // numpy.quantile([1, 2, 4, 8], [0, 0.1, 0.5, 0.9, 1]) = [1, 1.3, 3, 6.8, 8]
        let v = [1.0, 2.0, 4.0, 8.0];
        let q: Vec<f64> = [0.0, 0.1, 0.5, 0.9, 1.0]
            .iter()
            .map(|&q| numpy::quantile(&v, q))
            .collect();
        assert_eq!(q, vec![1.0, 1.3, 3.0, 6.800000000000001, 8.0]);
        assert!(numpy::quantile(&[], 0.5).is_nan());
        assert_eq!(numpy::quantile(&[2.0], 0.9), 2.0);
    }

    #[test]
    fn windows_score_the_tail_and_short_series_are_refused() {
        // Naive on 0..9, h 2, 2 windows: origins 6 and 8, forecasts 5 and 7: scores 1, 2 each.
        let y: Vec<f64> = (0..10).map(f64::from).collect();
        let cs = scores(&y, Model::Naive, 2, 2).unwrap();
        assert_eq!(cs, vec![vec![1.0, 2.0], vec![1.0, 2.0]]);
        // Asking 5 windows of 2 on 10 points gets (10 − 1) / 2 = 4.
        assert_eq!(scores(&y, Model::Naive, 2, 5).unwrap().len(), 4);
        let e = scores(&y[..4], Model::Naive, 2, 2).unwrap_err();
        assert!(e.to_string().contains("at least 5 observations"));
        let f = forecast_with(
            &y,
            Model::Naive,
            2,
            &[80.0],
            false,
            IntervalMethod::ConformalError { n_windows: 2 },
        )
        .unwrap();
        // Scores per step: [1, 1] and [2, 2]; their 80 % quantile is the score itself.
        assert_eq!(f.intervals[0].lo, vec![8.0, 7.0]);
        assert_eq!(f.intervals[0].hi, vec![10.0, 11.0]);
        let f = forecast_with(
            &y,
            Model::Naive,
            2,
            &[80.0],
            false,
            IntervalMethod::ConformalDistribution { n_windows: 2 },
        )
        .unwrap();
        // Step 1: quantiles 0.1 / 0.9 of [8, 8, 10, 10]: 8 and 10.
        assert_eq!(f.intervals[0].lo[0], 8.0);
        assert_eq!(f.intervals[0].hi[0], 10.0);
    }
}
