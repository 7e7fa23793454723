//! Rolling-origin evaluation: the last `windows` origins, `step` apart, each forecasting `h`
//! steps from the data before it. MAE, RMSE, MAPE (over non-zero actuals), sMAPE, MASE and
//! RMSSE (scaled by the in-sample seasonal-naive errors of each origin's training data), bias
//! (mean forecast − actual) and pinball loss at the interval quantiles; per series and pooled.

use serde::{Deserialize, Serialize};

use crate::error::{Result, bad_series, invalid};
use crate::models::{Model, forecast};

/// How to backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BacktestSpec {
    /// Number of origins.
    pub windows: usize,
    /// Periods between origins.
    pub step: usize,
    /// Horizon.
    pub h: usize,
    /// Season length for the MASE / RMSSE scale (1: naive).
    #[serde(default = "one")]
    pub season: usize,
    /// Interval levels whose quantiles get a pinball loss.
    #[serde(default)]
    pub levels: Vec<f64>,
}

fn one() -> usize {
    1
}

/// Accuracy over a set of forecast points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Points evaluated.
    pub n: u32,
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean absolute percentage error over non-zero actuals (none if every actual is zero).
    pub mape: Option<f64>,
    /// Symmetric MAPE, 0–200.
    pub smape: f64,
    /// Mean absolute scaled error.
    pub mase: f64,
    /// Root mean squared scaled error.
    pub rmsse: f64,
    /// Mean of forecast − actual.
    pub bias: f64,
    /// Mean pinball loss per interval bound (two quantiles per level).
    pub pinball: Vec<Pinball>,
}

/// The pinball loss at one quantile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pinball {
    /// The quantile, e.g. 0.05 for the lower bound of a 90 % interval.
    pub quantile: f64,
    /// Mean loss.
    pub loss: f64,
}

/// Per-point errors, kept to pool across series.
#[derive(Debug, Default, Clone)]
struct Acc {
    n: usize,
    abs: f64,
    sq: f64,
    ape: f64,
    ape_n: usize,
    sape: f64,
    sape_n: usize,
    scaled_abs: f64,
    scaled_sq: f64,
    bias: f64,
    pinball: Vec<(f64, f64)>,
}

impl Acc {
    fn metrics(&self) -> Metrics {
        let n = self.n.max(1) as f64;
        Metrics {
            n: self.n as u32,
            mae: self.abs / n,
            rmse: (self.sq / n).sqrt(),
            mape: (self.ape_n > 0).then(|| 100.0 * self.ape / self.ape_n as f64),
            smape: if self.sape_n == 0 {
                0.0
            } else {
                200.0 * self.sape / self.sape_n as f64
            },
            mase: self.scaled_abs / n,
            rmsse: (self.scaled_sq / n).sqrt(),
            bias: self.bias / n,
            pinball: self
                .pinball
                .iter()
                .map(|(q, l)| Pinball {
                    quantile: *q,
                    loss: l / n,
                })
                .collect(),
        }
    }

    fn merge(&mut self, o: &Acc) {
        self.n += o.n;
        self.abs += o.abs;
        self.sq += o.sq;
        self.ape += o.ape;
        self.ape_n += o.ape_n;
        self.sape += o.sape;
        self.sape_n += o.sape_n;
        self.scaled_abs += o.scaled_abs;
        self.scaled_sq += o.scaled_sq;
        self.bias += o.bias;
        if self.pinball.is_empty() {
            self.pinball = o.pinball.clone();
        } else {
            for (a, b) in self.pinball.iter_mut().zip(&o.pinball) {
                a.1 += b.1;
            }
        }
    }
}

/// A series' backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Backtest {
    /// Origins evaluated.
    pub origins: Vec<usize>,
    /// Metrics over all its points.
    pub metrics: Metrics,
}

fn accumulate(y: &[f64], model: Model, spec: &BacktestSpec) -> Result<(Vec<usize>, Acc)> {
    if spec.windows == 0 || spec.step == 0 || spec.h == 0 || spec.season == 0 {
        return Err(invalid("windows, step, h and season must be at least 1"));
    }
    let y = crate::models::prepare(y)?;
    let span = spec.h + (spec.windows - 1) * spec.step;
    if y.len() < span + spec.season + 1 {
        return Err(bad_series(format!(
            "a series of {} points is too short for {} windows of {} steps (needs {})",
            y.len(),
            spec.windows,
            spec.h,
            span + spec.season + 1
        )));
    }
    let mut acc = Acc::default();
    let mut origins = Vec::new();
    for w in 0..spec.windows {
        let origin = y.len() - span + w * spec.step;
        origins.push(origin);
        let train = &y[..origin];
        let f = forecast(train, model, spec.h, &spec.levels, false)?;
        let m = spec.season;
        let naive: Vec<f64> = train.windows(m + 1).map(|p| p[m] - p[0]).collect();
        let scale_abs = naive.iter().map(|e| e.abs()).sum::<f64>() / naive.len() as f64;
        let scale_sq = naive.iter().map(|e| e * e).sum::<f64>() / naive.len() as f64;
        for (i, (&actual, &fc)) in y[origin..origin + spec.h].iter().zip(&f.mean).enumerate() {
            let e = fc - actual;
            acc.n += 1;
            acc.abs += e.abs();
            acc.sq += e * e;
            acc.bias += e;
            if actual != 0.0 {
                acc.ape += (e / actual).abs();
                acc.ape_n += 1;
            }
            if actual.abs() + fc.abs() > 0.0 {
                acc.sape += e.abs() / (actual.abs() + fc.abs());
                acc.sape_n += 1;
            }
            // A flat history scales by 1 rather than dividing by zero.
            acc.scaled_abs += e.abs() / if scale_abs > 0.0 { scale_abs } else { 1.0 };
            acc.scaled_sq += e * e / if scale_sq > 0.0 { scale_sq } else { 1.0 };
            let mut pin = Vec::new();
            for iv in &f.intervals {
                let tail = (1.0 - iv.level / 100.0) / 2.0;
                for (q, bound) in [(tail, iv.lo[i]), (1.0 - tail, iv.hi[i])] {
                    let d = actual - bound;
                    pin.push((q, (q * d).max((q - 1.0) * d)));
                }
            }
            if acc.pinball.is_empty() {
                acc.pinball = pin;
            } else {
                for (a, b) in acc.pinball.iter_mut().zip(pin) {
                    a.1 += b.1;
                }
            }
        }
    }
    Ok((origins, acc))
}

/// Backtests one series.
pub fn backtest(y: &[f64], model: Model, spec: &BacktestSpec) -> Result<Backtest> {
    let (origins, acc) = accumulate(y, model, spec)?;
    Ok(Backtest {
        origins,
        metrics: acc.metrics(),
    })
}

/// Backtests many series: each one's result, and metrics pooled over every point of the series
/// that could be backtested.
pub fn backtest_many(
    series: &[Vec<f64>],
    model: Model,
    spec: &BacktestSpec,
) -> (Vec<Result<Backtest>>, Metrics) {
    let per: Vec<Result<(Vec<usize>, Acc)>> =
        series.iter().map(|y| accumulate(y, model, spec)).collect();
    let mut pooled = Acc::default();
    for (_, a) in per.iter().flatten() {
        pooled.merge(a);
    }
    let results = per
        .into_iter()
        .map(|r| {
            r.map(|(origins, a)| Backtest {
                origins,
                metrics: a.metrics(),
            })
        })
        .collect();
    (results, pooled.metrics())
}
