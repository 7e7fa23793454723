//! One entry point for every model: point forecasts for `h` steps, in-sample fitted values and
//! prediction intervals from the empirical distribution of the in-sample one-step errors.
//!
//! Input conventions, documented and tested: NaN before the first and after the last
//! observation is padding and is dropped; a NaN inside the series is a period with no recorded
//! sale and counts as zero demand; negative or infinite values are refused. An all-zero series
//! forecasts zero (every model). A series shorter than a season gets NaN from the seasonal naive
//! for the positions it cannot fill, as statsforecast does.

use serde::{Deserialize, Serialize};

use crate::classify::{DemandClass, classify};
use crate::error::{Result, bad_series, invalid};
use crate::ets::{self, Form, Spec};
use crate::fitted;
use crate::intermittent::{
    Planned, adida, croston_classic, croston_optimized, croston_sba, imapa, plan_adida,
    plan_croston_optimized, plan_imapa, tsb,
};
use crate::numpy;
#[cfg(feature = "regression")]
use crate::regression;
use crate::replenish::normal_quantile;
use crate::ses;

/// What a model fitted in one piece (ETS, regression) gives: point forecasts, fitted values and
/// the forecast variance per step (for normal intervals).
struct Whole {
    method: Option<String>,
    mean: Vec<f64>,
    fitted: Vec<f64>,
    variance: Vec<f64>,
    model: Model,
}

/// Where simple exponential smoothing starts its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum SesInitial {
    /// The first value (statsforecast).
    #[default]
    First,
    /// The mean of the non-zero values, the recursion starting at the first non-zero value
    /// (ERPNext); an all-zero series stays at 0.
    MeanNonzero,
}

impl SesInitial {
    fn is_first(&self) -> bool {
        *self == SesInitial::First
    }
}

/// A forecasting model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum Model {
    /// The last value.
    Naive,
    /// The last `season` values, repeated.
    SeasonalNaive {
        /// Season length (12 for monthly data).
        season: u32,
    },
    /// Mean of the last `window` values.
    MovingAverage {
        /// Window length.
        window: u32,
    },
    /// Simple exponential smoothing with a fixed alpha.
    Ses {
        /// Smoothing constant in (0, 1].
        alpha: f64,
        /// Where the level starts: the first value (statsforecast, the default) or the mean
        /// of the non-zero values (ERPNext's exponential smoothing forecast).
        #[serde(default, skip_serializing_if = "SesInitial::is_first")]
        initial: SesInitial,
    },
    /// Simple exponential smoothing, alpha by golden section on [0.01, 0.99].
    SesOptimized,
    /// Croston, alpha 0.1.
    CrostonClassic,
    /// Croston with the Syntetos–Boylan correction (× 0.95).
    CrostonSba,
    /// Croston, alphas by golden section on [0.1, 0.3].
    CrostonOptimized,
    /// Teunter–Syntetos–Babai: demand size and probability smoothed separately.
    Tsb {
        /// Smoothing of the demand size.
        alpha_d: f64,
        /// Smoothing of the demand probability.
        alpha_p: f64,
    },
    /// Aggregate–disaggregate intermittent demand approach.
    Adida,
    /// Intermittent multiple aggregation prediction algorithm.
    Imapa,
    /// Holt's linear trend: ETS(A,A,N), or ETS(A,Ad,N) when damped.
    Holt {
        /// Damped trend.
        #[serde(default)]
        damped: bool,
    },
    /// Holt-Winters: ETS(A,A,A), or ETS(M,A,M) when multiplicative; damped on request.
    HoltWinters {
        /// Season length (12 for monthly data).
        season: u32,
        /// Multiplicative season (and error); needs strictly positive demand.
        #[serde(default)]
        multiplicative: bool,
        /// Damped trend.
        #[serde(default)]
        damped: bool,
    },
    /// Automatic ETS: the model with the smallest AICc (see [`crate::ets`]).
    AutoEts {
        /// Season length (1 for none).
        season: u32,
    },
    /// Linear regression (linfa) on lags and seasonal calendar terms, forecast recursively.
    Regression {
        /// Number of lags (1 to 52).
        lags: u32,
        /// Season length of the calendar terms (1 for none).
        season: u32,
    },
    /// Picks by demand class: smooth and erratic → `SesOptimized`, intermittent and lumpy →
    /// `CrostonSba`, fewer than two demands → `Tsb` (0.1, 0.1), which decays towards zero.
    Auto,
}

/// A prediction interval at one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Level in percent, e.g. 90.
    pub level: f64,
    /// Lower bound per step (never below zero).
    pub lo: Vec<f64>,
    /// Upper bound per step.
    pub hi: Vec<f64>,
}

/// A forecast of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Forecast {
    /// The model that produced it (for `Auto`: the one chosen).
    pub model: Model,
    /// The fitted form where the model picks one: `ETS(M,Ad,M)` for Holt, Holt-Winters and
    /// AutoETS; none for the others.
    pub method: Option<String>,
    /// Point forecasts, `h` of them.
    pub mean: Vec<f64>,
    /// One-step in-sample forecasts (`NaN` where there is no history), if asked for.
    pub fitted: Vec<f64>,
    /// Intervals, if asked for: normal from the forecast variance (ETS, regression), else the
    /// empirical quantiles of the one-step errors of a one-pass fit ([`crate::fitted::linear`]).
    pub intervals: Vec<Interval>,
}

/// Cleans a series by the conventions of this module. A series that needs no cleaning (no
/// missing value, every value a finite non-negative number: most series) is borrowed, not
/// copied.
pub fn prepare(y: &[f64]) -> Result<std::borrow::Cow<'_, [f64]>> {
    // The sign and exponent bits `t` of a finite non-negative number are below 0x7FF (∞ and
    // NaN have 0x7FF, negatives 0x800 and up, as has −0.0, which the slow path takes): bit 11
    // of `t | (t + 1)` is then clear. One branch-free pass that vectorises.
    let top = y.iter().fold(0u64, |acc, v| {
        let t = v.to_bits() >> 52;
        acc | t | (t + 1)
    });
    if top & 0x800 == 0 {
        return Ok(std::borrow::Cow::Borrowed(y));
    }
    let first = y.iter().position(|v| !v.is_nan());
    let last = y.iter().rposition(|v| !v.is_nan());
    let (Some(a), Some(b)) = (first, last) else {
        return Ok(std::borrow::Cow::Owned(Vec::new()));
    };
    y[a..=b]
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v.is_nan() {
                Ok(0.0)
            } else if !v.is_finite() || v < 0.0 {
                Err(bad_series(format!(
                    "value {v} at index {} is not a non-negative demand",
                    a + i
                )))
            } else {
                Ok(v)
            }
        })
        .collect::<Result<Vec<f64>>>()
        .map(std::borrow::Cow::Owned)
}

impl Model {
    /// The model's name as the wire spells it: `croston_sba`.
    pub fn name(self) -> &'static str {
        self.names().0
    }

    /// statsforecast's column name for the model (`CrostonSBA`, `SESOpt`, `AutoETS`): a data
    /// frame's default column name.
    pub fn alias(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Model::Naive => ("naive", "Naive"),
            Model::SeasonalNaive { .. } => ("seasonal_naive", "SeasonalNaive"),
            Model::MovingAverage { .. } => ("moving_average", "WindowAverage"),
            Model::Ses { .. } => ("ses", "SES"),
            Model::SesOptimized => ("ses_optimized", "SESOpt"),
            Model::CrostonClassic => ("croston_classic", "CrostonClassic"),
            Model::CrostonSba => ("croston_sba", "CrostonSBA"),
            Model::CrostonOptimized => ("croston_optimized", "CrostonOptimized"),
            Model::Tsb { .. } => ("tsb", "TSB"),
            Model::Adida => ("adida", "ADIDA"),
            Model::Imapa => ("imapa", "IMAPA"),
            Model::Holt { .. } => ("holt", "Holt"),
            Model::HoltWinters { .. } => ("holt_winters", "HoltWinters"),
            Model::AutoEts { .. } => ("auto_ets", "AutoETS"),
            Model::Regression { .. } => ("regression", "Regression"),
            Model::Auto => ("auto", "Auto"),
        }
    }

    /// The model `Auto` resolves to for this (prepared) series; other models are themselves.
    pub fn resolve(self, y: &[f64]) -> Model {
        match self {
            Model::Auto => match classify(y).class {
                DemandClass::Smooth | DemandClass::Erratic => Model::SesOptimized,
                DemandClass::Intermittent | DemandClass::Lumpy => Model::CrostonSba,
                DemandClass::Insufficient => Model::Tsb {
                    alpha_d: 0.1,
                    alpha_p: 0.1,
                },
            },
            m => m,
        }
    }

    fn check(self) -> Result<()> {
        let unit = |name: &str, a: f64| {
            if a > 0.0 && a <= 1.0 {
                Ok(())
            } else {
                Err(invalid(format!("{name} {a} must be in (0, 1]")))
            }
        };
        match self {
            Model::SeasonalNaive { season: 0 }
            | Model::MovingAverage { window: 0 }
            | Model::HoltWinters { season: 0, .. }
            | Model::AutoEts { season: 0 }
            | Model::Regression { season: 0, .. } => {
                Err(invalid("season and window must be at least 1"))
            }
            Model::HoltWinters { season: 1, .. } => {
                Err(invalid("Holt-Winters needs a season of at least 2"))
            }
            Model::Regression { lags, .. } if !(1..=52).contains(&lags) => {
                Err(invalid(format!("lags {lags} must be 1 to 52")))
            }
            Model::Ses { alpha, .. } => unit("alpha", alpha),
            Model::Tsb { alpha_d, alpha_p } => {
                unit("alpha_d", alpha_d).and(unit("alpha_p", alpha_p))
            }
            _ => Ok(()),
        }
    }

    /// The flat (or seasonal) forecast for `h` steps from a non-empty prepared series.
    fn point(self, y: &[f64], h: usize) -> Vec<f64> {
        let n = y.len();
        let flat = |v: f64| vec![v; h];
        if y.iter().all(|v| *v == 0.0) {
            return flat(0.0);
        }
        match self {
            Model::Naive => flat(y[n - 1]),
            Model::SeasonalNaive { season } => (0..h)
                .map(|i| {
                    let season = season as usize;
                    let back = season - i % season;
                    if back <= n { y[n - back] } else { f64::NAN }
                })
                .collect(),
            Model::MovingAverage { window } => {
                let w = (window as usize).min(n);
                flat(numpy::mean(&y[n - w..]))
            }
            Model::Ses {
                alpha,
                initial: SesInitial::First,
            } => flat(ses::level(y, alpha)),
            Model::Ses {
                alpha,
                initial: SesInitial::MeanNonzero,
            } => flat(ses::level_mean_nonzero(y, alpha)),
            Model::SesOptimized => flat(ses::level(y, ses::golden_section(y, 0.01, 0.99))),
            Model::CrostonClassic => flat(croston_classic(y)),
            Model::CrostonSba => flat(croston_sba(y)),
            Model::CrostonOptimized => flat(croston_optimized(y)),
            Model::Tsb { alpha_d, alpha_p } => flat(tsb(y, alpha_d, alpha_p)),
            Model::Adida => flat(adida(y)),
            Model::Imapa => flat(imapa(y)),
            Model::Auto => self.resolve(y).point(y, h),
            // Fitted in one piece by `whole`: `forecast` never asks `point` for these on a
            // series with demand (and an all-zero one returned above).
            Model::Holt { .. }
            | Model::HoltWinters { .. }
            | Model::AutoEts { .. }
            | Model::Regression { .. } => flat(f64::NAN),
        }
    }

    /// The flat forecast of a model that searches (CrostonOptimized, ADIDA, IMAPA) as a plan,
    /// from a prepared series with demand, to be solved with other series' plans
    /// ([`crate::forecast_batch`]); `None` for the other models.
    pub(crate) fn plan(self, y: &[f64]) -> Option<Planned> {
        match self {
            Model::CrostonOptimized => Some(plan_croston_optimized(y)),
            Model::Adida => Some(plan_adida(y)),
            Model::Imapa => Some(plan_imapa(y)),
            _ => None,
        }
    }

    /// The models fitted in one piece; `None` for the others.
    fn is_whole(self) -> bool {
        matches!(
            self,
            Model::Holt { .. }
                | Model::HoltWinters { .. }
                | Model::AutoEts { .. }
                | Model::Regression { .. }
        )
    }

    /// Fits an ETS or regression model. AutoETS on fewer than 7 points falls back to
    /// `SesOptimized` (reported as the model used).
    fn whole(self, y: &[f64], h: usize) -> Result<Whole> {
        let from_ets = |fit: ets::Fit, model: Model| {
            let mean: Vec<f64> = fit.forecast(h).into_iter().map(|v| v.max(0.0)).collect();
            let variance = fit.variance(&mean);
            Whole {
                method: Some(fit.spec.name()),
                mean,
                fitted: fit.fitted,
                variance,
                model,
            }
        };
        let spec = |error, damped, season, m| Spec {
            error,
            trend: Form::Additive,
            damped,
            season,
            m,
        };
        match self {
            Model::Holt { damped } => {
                let s = spec(Form::Additive, damped, Form::None, 1);
                ets::check_spec(y, &s)?;
                let fit = ets::fit(y, s).ok_or_else(|| no_fit(&s))?;
                Ok(from_ets(fit, self))
            }
            Model::HoltWinters {
                season,
                multiplicative,
                damped,
            } => {
                let form = if multiplicative {
                    Form::Multiplicative
                } else {
                    Form::Additive
                };
                let s = spec(form, damped, form, season as usize);
                ets::check_spec(y, &s)?;
                let fit = ets::fit(y, s).ok_or_else(|| no_fit(&s))?;
                Ok(from_ets(fit, self))
            }
            Model::AutoEts { season } => match ets::auto(y, season as usize) {
                Some(fit) => Ok(from_ets(fit, self)),
                None => {
                    let mean = Model::SesOptimized.point(y, h);
                    let fitted = fitted::linear(Model::SesOptimized, y);
                    let sigma2 = mse(y, &fitted);
                    Ok(Whole {
                        method: None,
                        mean,
                        fitted,
                        variance: (1..=h).map(|j| sigma2 * j as f64).collect(),
                        model: Model::SesOptimized,
                    })
                }
            },
            #[cfg(not(feature = "regression"))]
            Model::Regression { .. } => Err(invalid(
                "the regression model is not in this build (feature `regression`)",
            )),
            #[cfg(feature = "regression")]
            Model::Regression { lags, season } => {
                let fit = regression::fit(y, lags as usize, season as usize)?;
                let mean = fit
                    .forecast(y.len(), h)
                    .into_iter()
                    .map(|v| v.max(0.0))
                    .collect();
                Ok(Whole {
                    method: None,
                    mean,
                    variance: fit.variance(h),
                    fitted: fit.fitted,
                    model: self,
                })
            }
            _ => Err(invalid("not a whole-fit model")),
        }
    }
}

fn no_fit(spec: &Spec) -> crate::error::ForecastError {
    invalid(format!(
        "{} has no admissible fit for this series",
        spec.name()
    ))
}

fn mse(y: &[f64], fitted: &[f64]) -> f64 {
    let (s, n) = y
        .iter()
        .zip(fitted)
        .filter(|(_, f)| f.is_finite())
        .fold((0.0, 0usize), |(s, n), (v, f)| {
            (s + (v - f) * (v - f), n + 1)
        });
    if n == 0 { 0.0 } else { s / n as f64 }
}

/// Empirical quantile with linear interpolation between order statistics (numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Sorts as much of `v` as [`quantile`] reads at the tail probabilities `tails` and at one minus
/// each: its two ends, each found by a selection, unless they meet or `v` is short (then all of
/// it). A quantile of the result equals that of the sorted values (values equal under
/// `total_cmp` are the same bits).
pub fn sort_ends(v: &mut [f64], tails: &[f64]) {
    let n = v.len();
    // On `total_cmp`'s integer keys, each comparison one instruction (measured on 3,000
    // intermittent series' errors: 0.6–0.7 of the time of sorting by `total_cmp`).
    let mut keys: Vec<i64> = v.iter().map(|x| total_key(*x)).collect();
    let last = n.saturating_sub(1) as f64;
    // The highest index read from the bottom and the lowest read from the top.
    let low = tails
        .iter()
        .map(|t| (t.clamp(0.0, 1.0) * last).ceil() as usize)
        .max()
        .unwrap_or(0);
    let high = tails
        .iter()
        .map(|t| ((1.0 - t).clamp(0.0, 1.0) * last).floor() as usize)
        .min()
        .unwrap_or(n.saturating_sub(1));
    // Short (a few years of months): sorting all is faster than two selections.
    if n <= 64 || low + 1 >= high {
        keys.sort_unstable();
    } else {
        keys.select_nth_unstable(low);
        keys[..low].sort_unstable();
        let rest = &mut keys[low + 1..];
        let from = high - (low + 1);
        rest.select_nth_unstable(from);
        rest[from + 1..].sort_unstable();
    }
    for (x, k) in v.iter_mut().zip(keys) {
        *x = f64::from_bits(total_key_inverse(k));
    }
}

/// The integer that `f64::total_cmp` compares for `x` (its bits, the others than the sign
/// flipped for a negative).
fn total_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

/// The bits of the `f64` whose [`total_key`] is `k`.
fn total_key_inverse(k: i64) -> u64 {
    (k ^ (((k >> 63) as u64) >> 1) as i64) as u64
}

/// Refuses a level outside (0, 100).
pub fn check_levels(levels: &[f64]) -> Result<()> {
    match levels.iter().find(|l| !(**l > 0.0 && **l < 100.0)) {
        Some(l) => Err(invalid(format!("level {l} must be between 0 and 100"))),
        None => Ok(()),
    }
}

/// What every forecast checks first: the model, horizon and levels, and the series, cleaned
/// ([`prepare`]) and not empty; with the model that runs (what `Auto` chose).
pub(crate) fn begin<'y>(
    y: &'y [f64],
    model: Model,
    h: usize,
    levels: &[f64],
) -> Result<(std::borrow::Cow<'y, [f64]>, Model)> {
    model.check()?;
    if h == 0 || h > 10_000 {
        return Err(invalid(format!("horizon {h} must be 1 to 10,000")));
    }
    check_levels(levels)?;
    let y = prepare(y)?;
    if y.is_empty() {
        return Err(bad_series("the series has no observation"));
    }
    let chosen = model.resolve(&y);
    Ok((y, chosen))
}

/// The forecast of a model without intervals or fit whose point forecast is `mean` (what
/// [`forecast`] returns then).
pub(crate) fn flat_forecast(model: Model, mean: f64, h: usize) -> Forecast {
    Forecast {
        model,
        method: None,
        mean: vec![mean; h],
        fitted: Vec::new(),
        intervals: Vec::new(),
    }
}

/// Forecasts one series `h` steps ahead; `levels` (percent, e.g. `[80, 95]`) asks for intervals,
/// `fitted` for the in-sample one-step forecasts (statsforecast's, see [`crate::fitted`]).
pub fn forecast(
    y: &[f64],
    model: Model,
    h: usize,
    levels: &[f64],
    fitted: bool,
) -> Result<Forecast> {
    let (y, chosen) = begin(y, model, h, levels)?;
    if chosen.is_whole() && !y.iter().all(|v| *v == 0.0) {
        let w = chosen.whole(&y, h)?;
        let intervals = levels
            .iter()
            .map(|&level| {
                let z = normal_quantile(0.5 + level / 200.0);
                let sd = |v: &f64| z * v.max(0.0).sqrt();
                Interval {
                    level,
                    lo: w
                        .mean
                        .iter()
                        .zip(&w.variance)
                        .map(|(m, v)| (m - sd(v)).max(0.0))
                        .collect(),
                    hi: w
                        .mean
                        .iter()
                        .zip(&w.variance)
                        .map(|(m, v)| m + sd(v))
                        .collect(),
                }
            })
            .collect();
        return Ok(Forecast {
            model: w.model,
            method: w.method,
            mean: w.mean,
            fitted: if fitted { w.fitted } else { Vec::new() },
            intervals,
        });
    }
    // With intervals, the point forecast read from the fit's paths where they end with it.
    let shared = match levels.is_empty() {
        false => fitted::with_point(chosen, &y),
        true => None,
    };
    Ok(finish(&y, chosen, h, levels, fitted, shared))
}

/// The rest of [`forecast`] for a model that is not fitted whole: the point forecast, and the
/// intervals from the one-step errors of the fit, `shared` the point forecast with the fit where
/// one pass gave both ([`fitted::with_point`]).
pub(crate) fn finish(
    y: &[f64],
    chosen: Model,
    h: usize,
    levels: &[f64],
    fitted: bool,
    shared: Option<(f64, Vec<f64>)>,
) -> Forecast {
    let (mean, fit) = match shared {
        Some((point, fit)) => (vec![point; h], fit),
        None if levels.is_empty() => (chosen.point(y, h), Vec::new()),
        None => (chosen.point(y, h), fitted::linear(chosen, y)),
    };
    let intervals = if levels.is_empty() {
        Vec::new()
    } else {
        // The errors where the fit has a value, written over the fit (compacted without a
        // branch).
        let mut errors = fit;
        let mut kept = 0;
        for i in 0..errors.len().min(y.len()) {
            let f = errors[i];
            errors[kept] = y[i] - f;
            kept += usize::from(f.is_finite());
        }
        errors.truncate(kept);
        let tails: Vec<f64> = levels.iter().map(|l| (1.0 - l / 100.0) / 2.0).collect();
        sort_ends(&mut errors, &tails);
        levels
            .iter()
            .map(|&level| {
                let tail = (1.0 - level / 100.0) / 2.0;
                let (qlo, qhi) = (quantile(&errors, tail), quantile(&errors, 1.0 - tail));
                Interval {
                    level,
                    lo: mean.iter().map(|m| (m + qlo).max(0.0)).collect(),
                    hi: mean.iter().map(|m| (m + qhi).max(0.0)).collect(),
                }
            })
            .collect()
    };
    Forecast {
        model: chosen,
        method: None,
        mean,
        fitted: if fitted {
            fitted::statsforecast(chosen, y)
        } else {
            Vec::new()
        },
        intervals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_the_ends_gives_the_quantiles_of_sorting_all() {
        for n in [1usize, 5, 16, 17, 40, 51, 133, 400] {
            let v: Vec<f64> = (0..n)
                .map(|i| ((i * 7919 % 101) as f64 - 50.0) * if i % 5 == 0 { 0.0 } else { 0.37 })
                .collect();
            for tails in [vec![0.1, 0.025], vec![0.25], vec![0.45, 0.005], vec![0.0]] {
                ends_are_those_of_sorting_all(&v, &tails);
            }
        }
    }

    /// `sort_ends` of `v` is a permutation of it whose quantiles at `tails` (and one minus each)
    /// are, to the bit, those of `v` sorted.
    fn ends_are_those_of_sorting_all(v: &[f64], tails: &[f64]) {
        let bits = |x: &[f64]| x.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut all = v.to_vec();
        all.sort_unstable_by(f64::total_cmp);
        let mut ends = v.to_vec();
        sort_ends(&mut ends, tails);
        let mut again = ends.clone();
        again.sort_unstable_by(f64::total_cmp);
        assert_eq!(bits(&again), bits(&all), "a permutation");
        for t in tails {
            for q in [*t, 1.0 - t] {
                assert_eq!(quantile(&ends, q).to_bits(), quantile(&all, q).to_bits());
            }
        }
    }

    proptest::proptest! {
        /// Any values (ties, zeros, negatives) and tails: the ends are those of the sorted
        /// values, and the result is a permutation.
        #[test]
        fn sorted_ends_of_short_series_are_those_of_sorting_all(
            v in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(0.0),
                proptest::strategy::Just(-0.0),
                proptest::strategy::Strategy::prop_map(-5i32..5, f64::from),
                -1e3f64..1e3,
            ], 0..80),
            tails in proptest::collection::vec(0.0f64..0.5, 1..4),
        ) {
            ends_are_those_of_sorting_all(&v, &tails);
        }
    }

    #[test]
    fn padding_gaps_and_bad_values() {
        let nan = f64::NAN;
        assert_eq!(
            prepare(&[nan, 1.0, nan, 2.0, nan]).unwrap(),
            vec![1.0, 0.0, 2.0]
        );
        assert!(prepare(&[nan, nan]).unwrap().is_empty());
        assert!(
            prepare(&[1.0, -1.0])
                .unwrap_err()
                .to_string()
                .contains("index 1")
        );
        assert!(forecast(&[nan], Model::Naive, 3, &[], false).is_err());
    }

    #[test]
    fn baselines() {
        let y = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(
            forecast(&y, Model::Naive, 2, &[], false).unwrap().mean,
            vec![5.0, 5.0]
        );
        assert_eq!(
            forecast(&y, Model::MovingAverage { window: 2 }, 1, &[], false)
                .unwrap()
                .mean,
            vec![4.5]
        );
        assert_eq!(
            forecast(&y, Model::SeasonalNaive { season: 2 }, 3, &[], false)
                .unwrap()
                .mean,
            vec![4.0, 5.0, 4.0]
        );
        // Shorter than a season: NaN where there is nothing to repeat.
        let short = forecast(&[7.0], Model::SeasonalNaive { season: 3 }, 3, &[], false)
            .unwrap()
            .mean;
        assert!(short[0].is_nan() && short[1].is_nan() && short[2] == 7.0);
    }

    #[test]
    fn all_zero_forecasts_zero_with_every_model() {
        for m in [
            Model::Naive,
            Model::SesOptimized,
            Model::CrostonSba,
            Model::Adida,
            Model::Auto,
        ] {
            let f = forecast(&[0.0; 10], m, 2, &[90.0], true).unwrap();
            assert_eq!(f.mean, vec![0.0, 0.0], "{m:?}");
            assert_eq!(f.intervals[0].lo, vec![0.0, 0.0]);
        }
    }

    #[test]
    fn intervals_come_from_in_sample_errors() {
        let y = [0.0, 2.0, 0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 4.0, 0.0, 2.0];
        let f = forecast(&y, Model::CrostonSba, 2, &[50.0, 90.0], true).unwrap();
        assert!(f.fitted[0].is_nan() && f.fitted.len() == y.len());
        let (i50, i90) = (&f.intervals[0], &f.intervals[1]);
        assert!(i90.lo[0] <= i50.lo[0] && i50.hi[0] <= i90.hi[0]);
        assert!(i90.lo[0] >= 0.0);
    }

    #[test]
    fn names_are_the_wire_tags() {
        for m in [
            Model::SeasonalNaive { season: 7 },
            Model::SesOptimized,
            Model::Tsb {
                alpha_d: 0.1,
                alpha_p: 0.1,
            },
            Model::AutoEts { season: 12 },
        ] {
            let v = serde_json::to_value(m).unwrap();
            assert_eq!(v["name"], m.name());
        }
        assert_eq!(Model::CrostonSba.alias(), "CrostonSBA");
    }

    #[test]
    fn auto_picks_by_class() {
        assert_eq!(
            Model::Auto.resolve(&[5.0, 5.0, 6.0, 5.0]),
            Model::SesOptimized
        );
        assert_eq!(
            Model::Auto.resolve(&[0.0, 5.0, 0.0, 0.0, 5.0, 0.0]),
            Model::CrostonSba
        );
    }
}
