//! In-sample one-step forecasts ("fitted values"), each model's in one pass over the series.
//!
//! Two conventions, both of statsforecast 2.1.1 where it has one:
//!
//! - [`linear`]: the fit the empirical intervals use. The model's parameters are taken from the
//!   whole series (SES-optimized's alpha, CrostonOptimized's two alphas, ADIDA's and IMAPA's
//!   aggregation levels and alphas), then one pass gives every one-step forecast: O(n) per
//!   series, so intervals cost about one more fit.
//! - [`statsforecast`]: what `fitted=True` returns, value for value as statsforecast returns it.
//!   It equals [`linear`] for every model but three, where statsforecast refits each prefix
//!   (O(n²)): CrostonOptimized, ADIDA and IMAPA (IMAPA's prefixes round the mean interval half
//!   away from zero, C++'s `std::round`, while its forecast rounds half to even, Python's
//!   `round`).
//!
//! The first value is always `NaN` (nothing before it); positions a model cannot fill are `NaN`
//! too (the seasonal naive's first season, ADIDA's incomplete first bucket in [`linear`]).

use crate::intermittent::{
    Aggregated, aggregate_forecast, aggregation, croston_alphas, croston_ratio, mean_interval,
    round_half_even, sizes_and_intervals,
};
use crate::models::Model;
use crate::ses;

/// statsforecast's `ses_forecast` fitted values with the forecast appended: `[NaN, F_1, …,
/// F_{n-1}, F_n]`, where `F_j` is the forecast after `j` values (`x[0]` itself for one value).
fn ses_path(x: &[f64], alpha: f64) -> Vec<f64> {
    ses::fitted_and_level(x, alpha)
}

/// A per-demand path spread over the periods one at a time: after the `k`-th demand a period
/// gets `path[k]`; before the first demand, the previous value (demand sizes) or 1 (intervals,
/// `unit`). The value is the value carried in a register and each case computed
/// then selected (intermittent demand makes a branch on it a coin toss).
struct Expanding<'a> {
    path: &'a [f64],
    unit: bool,
    k: usize,
    cur: f64,
}

impl<'a> Expanding<'a> {
    fn new(path: &'a [f64], unit: bool) -> Self {
        Expanding {
            path,
            unit,
            k: 0,
            cur: f64::NAN,
        }
    }

    /// The value of the period after one whose value was `prev`.
    #[inline(always)]
    fn next(&mut self, prev: f64) -> f64 {
        let demand = if self.unit { prev != 0.0 } else { prev > 0.0 };
        self.k += usize::from(demand);
        let at = self.path.get(self.k).copied().unwrap_or(f64::NAN);
        let at = if self.unit && at == 0.0 { 1.0 } else { at };
        let before = if self.unit { 1.0 } else { prev };
        self.cur = if demand {
            at
        } else if self.k > 0 {
            self.cur
        } else {
            before
        };
        self.cur
    }
}

/// `[NaN, y[0], …, y[n-2]]`.
fn naive(y: &[f64]) -> Vec<f64> {
    std::iter::once(f64::NAN)
        .chain(y.iter().take(y.len().saturating_sub(1)).copied())
        .collect()
}

/// `[NaN, 0, 0, …]`: what every model fits to a series without demand.
fn zeros(n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n];
    if let Some(first) = out.first_mut() {
        *first = f64::NAN;
    }
    out
}

/// Croston from the per-demand paths of sizes and intervals.
fn croston(y: &[f64], sizes: &[f64], intervals: &[f64], scale: f64) -> Vec<f64> {
    // Both expansions in one pass, without their vectors.
    let (mut z, mut p) = (
        Expanding::new(sizes, false),
        Expanding::new(intervals, true),
    );
    let mut out = Vec::with_capacity(y.len());
    if let Some((_, before)) = y.split_last() {
        out.push(f64::NAN);
        out.extend(
            before
                .iter()
                .map(|&prev| scale * (z.next(prev) / p.next(prev))),
        );
    }
    out
}

/// The per-demand path of an SES whose alpha is re-optimised on each prefix (statsforecast's
/// CrostonOptimized fitted values): `[NaN, level(x[..1]), …, level(x[..n])]`.
fn prefix_optimized_path(x: &[f64]) -> Vec<f64> {
    std::iter::once(f64::NAN)
        .chain((1..=x.len()).map(|i| {
            let p = &x[..i];
            ses::level(p, ses::golden_section(p, 0.1, 0.3))
        }))
        .collect()
}

/// ADIDA at aggregation level `k` with the whole series' alpha: its forecast (`None` where it
/// needs no search: fewer than two buckets) and its fit, where bucket `b`'s periods get the
/// one-step forecast of bucket `b` from the buckets before it, divided by `k` (`NaN` without
/// two buckets).
fn aggregated(y: &[f64], k: usize) -> (Option<f64>, Vec<f64>) {
    match aggregation(y, k) {
        Aggregated::Forecast(_) => (None, vec![f64::NAN; y.len()]),
        Aggregated::Search(sums) => {
            let (point, fit) = spread(y, k, &sums, ses::golden_section(&sums, 0.1, 0.3));
            (Some(point), fit)
        }
    }
}

/// The SES path of the bucket sums of level `k` with `alpha`, over the periods (see
/// [`aggregated`]), and the forecast at its end.
fn spread(y: &[f64], k: usize, sums: &[f64], alpha: f64) -> (f64, Vec<f64>) {
    let k = k.max(1);
    let skip = y.len() % k;
    let path = ses_path(sums, alpha);
    let mut out = vec![f64::NAN; y.len()];
    for (t, v) in out.iter_mut().enumerate().skip(skip) {
        *v = path[(t - skip) / k] / k as f64;
    }
    (path[path.len() - 1] / k as f64, out)
}

/// IMAPA's forecast and fit: every level `1..=k` as [`aggregated`], their searches side by
/// side as the forecast runs them; the forecast is the mean of the levels' (numpy's order),
/// each period's fit the mean of the levels that fit it.
/// `alphas`: the searches' results if they are known ([`with_point_searched`]).
fn imapa(y: &[f64], k: usize, alphas: Option<&[f64]>) -> (f64, Vec<f64>) {
    let levels: Vec<Aggregated> = (1..=k).map(|j| aggregation(y, j)).collect();
    let found;
    let alphas = match alphas {
        Some(a) => a,
        None => {
            let xs: Vec<&[f64]> = levels
                .iter()
                .filter_map(|a| match a {
                    Aggregated::Search(sums) => Some(sums.as_slice()),
                    Aggregated::Forecast(_) => None,
                })
                .collect();
            found = ses::golden_sections(&xs, 0.1, 0.3);
            &found
        }
    };
    let mut alphas = alphas.iter().copied();
    let mut forecasts = Vec::with_capacity(k);
    let mut fits = Vec::with_capacity(k);
    for (j, level) in (1..=k).zip(&levels) {
        match level {
            Aggregated::Forecast(f) => forecasts.push(*f),
            Aggregated::Search(sums) => {
                let (f, fit) = spread(y, j, sums, alphas.next().unwrap_or(f64::NAN));
                forecasts.push(f);
                fits.push(fit);
            }
        }
    }
    let fit = (0..y.len())
        .map(|t| {
            let (s, c) = fits
                .iter()
                .map(|l| l[t])
                .filter(|v| v.is_finite())
                .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
            if c == 0 { f64::NAN } else { s / c as f64 }
        })
        .collect();
    (crate::numpy::mean(&forecasts), fit)
}

/// What [`sigma`] takes from the series length for `model`'s divisor; `None` for a model
/// without fitted bands.
pub fn sigma_offset(model: Model) -> Option<f64> {
    match model {
        Model::CrostonClassic
        | Model::CrostonSba
        | Model::CrostonOptimized
        | Model::Tsb { .. }
        | Model::Adida
        | Model::Imapa => Some(0.0),
        Model::Naive | Model::Ses { .. } | Model::SesOptimized => Some(1.0),
        Model::SeasonalNaive { season } => Some(f64::from(season)),
        _ => None,
    }
}

/// The standard error statsforecast puts around fitted values (`_add_fitted_pi`, bands
/// `fitted ± z·σ`): `σ = √(Σ (y − fitted)² / n)`, the sum in numpy's order with missing
/// residuals (the first) counted as 0, and `n` the model's: the series length for the
/// intermittent models, one less for the naive and the two SES, the length less a season for
/// the seasonal naive. `y` is the series as the model saw it ([`crate::models::prepare`]),
/// `fitted` its [`statsforecast`] values. `None` for a model statsforecast gives no fitted
/// bands of this kind (moving average, ETS, regression).
pub fn sigma(model: Model, y: &[f64], fitted: &[f64]) -> Option<f64> {
    let n = y.len() as f64 - sigma_offset(model)?;
    let squares: Vec<f64> = y
        .iter()
        .zip(fitted)
        .map(|(v, f)| {
            let r = (v - f) * (v - f);
            if r.is_nan() { 0.0 } else { r }
        })
        .collect();
    Some(if n > 0.0 {
        (crate::numpy::sum(&squares) / n).sqrt()
    } else {
        0.0
    })
}

/// The linear-time fit (see the module doc); `y` is a prepared series with demand, `model`
/// resolved (not `Auto`) and not fitted in one piece (ETS, regression).
pub fn linear(model: Model, y: &[f64]) -> Vec<f64> {
    match model {
        Model::SesOptimized => ses_fit(y, ses::golden_section(y, 0.01, 0.99)).1,
        Model::CrostonOptimized => {
            croston_optimized_with_fit(y).map_or_else(|| naive(y), |(_, fit)| fit)
        }
        Model::Adida => match mean_interval(y, round_half_even) {
            None => zeros(y.len()),
            Some(k) => aggregated(y, k).1,
        },
        Model::Imapa => match mean_interval(y, round_half_even) {
            None => zeros(y.len()),
            Some(k) => imapa(y, k, None).1,
        },
        m => statsforecast(m, y),
    }
}

/// CrostonOptimized's point forecast and its [`linear`] fit from one pair of golden-section
/// searches (each equal to what the point forecast and the fit search on their own: the same
/// sizes and intervals, the same search), for intervals at about the cost of the fit alone.
/// None for a series without demand (no search to share).
pub fn croston_optimized_with_fit(y: &[f64]) -> Option<(f64, Vec<f64>)> {
    let (z, p) = sizes_and_intervals(y);
    if z.is_empty() {
        return None;
    }
    let (point, fit) = croston_pass(y, croston_alphas(&z, &p), 1.0);
    point.map(|point| (point, fit))
}

/// A model's point forecast with its [`linear`] fit, from the one pass whose paths end with the
/// point (each equal to the point forecast alone to the bit: the same recursions, the same
/// searches): intervals at about the cost of the fit alone. `None` for the other models and
/// for a series the point forecast takes apart (all zeros, no demand).
pub fn with_point(model: Model, y: &[f64]) -> Option<(f64, Vec<f64>)> {
    with_point_searched(model, y, None)
}

/// [`with_point`], IMAPA's golden-section searches' results given (`alphas`, in the order of
/// its plan, [`Model::plan`]) where they are known: a batch runs every series' searches side by
/// side first ([`crate::forecast_batch`]). The other models search for themselves.
pub(crate) fn with_point_searched(
    model: Model,
    y: &[f64],
    alphas: Option<&[f64]>,
) -> Option<(f64, Vec<f64>)> {
    if y.iter().all(|v| *v == 0.0) {
        return None;
    }
    match model {
        Model::CrostonOptimized => croston_optimized_with_fit(y),
        Model::CrostonClassic | Model::CrostonSba => {
            let (point, fit) = croston_fixed(y, model);
            point.map(|p| (p, fit))
        }
        Model::Tsb { alpha_d, alpha_p } => {
            let (point, fit) = tsb(y, alpha_d, alpha_p);
            point.map(|p| (p, fit))
        }
        Model::Ses {
            alpha,
            initial: crate::models::SesInitial::First,
        } => Some(ses_fit(y, alpha)),
        Model::SesOptimized => Some(ses_fit(y, ses::golden_section(y, 0.01, 0.99))),
        Model::Adida => {
            let (point, fit) = aggregated(y, mean_interval(y, round_half_even)?);
            point.map(|p| (p, fit))
        }
        Model::Imapa => Some(imapa(y, mean_interval(y, round_half_even)?, alphas)),
        _ => None,
    }
}

/// SES's forecast and fitted values (`y` not empty).
fn ses_fit(y: &[f64], alpha: f64) -> (f64, Vec<f64>) {
    let mut path = ses::fitted_and_level(y, alpha);
    let point = path.pop().unwrap_or(f64::NAN);
    (point, path)
}

/// Croston classic's or SBA's forecast (`None` without demand, where it is the last value) and
/// fitted values.
fn croston_fixed(y: &[f64], model: Model) -> (Option<f64>, Vec<f64>) {
    let scale = if model == Model::CrostonSba {
        0.95
    } else {
        1.0
    };
    // `croston_sba` is 0.95 × `croston_classic`; × 1.0 changes no bit.
    croston_pass(y, [0.1, 0.1], scale)
}

/// Croston's forecast (`None` without demand) and fitted values with smoothing constants
/// `[sizes, intervals]`, in one pass: the sizes' and intervals' SES paths are built as their
/// values arrive and spread over the periods as [`croston`] spreads them.
fn croston_pass(y: &[f64], [alpha_z, alpha_p]: [f64; 2], scale: f64) -> (Option<f64>, Vec<f64>) {
    let n = y.len();
    let mut out = Vec::with_capacity(n);
    let Some((&final_value, before)) = y.split_last() else {
        return (None, out);
    };
    let sizes_n = y.iter().filter(|v| **v > 0.0).count();
    let intervals_n = y.iter().filter(|v| **v != 0.0).count();
    let (mut sizes, mut intervals) = (
        ses::Steps::new(alpha_z, sizes_n),
        ses::Steps::new(alpha_p, intervals_n),
    );
    // Before the first demand a period gets the previous value (sizes) or 1 (intervals).
    let (mut z, mut p) = (f64::NAN, 1.0);
    let mut last = -1i64;
    let mut step = |i: usize, v: f64, z: &mut f64, p: &mut f64| {
        if v > 0.0 {
            *z = sizes.push(v);
        } else if sizes.k == 0 {
            *z = v;
        }
        if v != 0.0 {
            let at = intervals.push((i as i64 - last) as f64);
            last = i as i64;
            *p = if at == 0.0 { 1.0 } else { at };
        }
    };
    out.push(f64::NAN);
    for (i, &v) in before.iter().enumerate() {
        step(i, v, &mut z, &mut p);
        out.push(scale * (z / p));
    }
    step(n - 1, final_value, &mut z, &mut p);
    let point = (sizes_n > 0).then(|| scale * croston_ratio(sizes.cur, intervals.cur));
    (point, out)
}

/// TSB's forecast (`None` without demand, where it is 0) and fitted values: the probability's
/// SES over the demand indicator times the demand size's path spread over the periods, in one
/// pass (each step as `ses::fitted` and [`Expanding`] take it).
fn tsb(y: &[f64], alpha_d: f64, alpha_p: f64) -> (Option<f64>, Vec<f64>) {
    let n = y.len();
    let (z, _) = sizes_and_intervals(y);
    let zs = ses_path(&z, alpha_d);
    let indicator = |v: f64| f64::from(u8::from(v != 0.0));
    let mut sizes = Expanding::new(&zs, false);
    let mut chance = ses::Steps::new(alpha_p, n);
    let mut out = Vec::with_capacity(n);
    let Some((&final_value, before)) = y.split_last() else {
        return (None, out);
    };
    out.push(f64::NAN);
    for &prev in before {
        out.push(chance.push(indicator(prev)) * sizes.next(prev));
    }
    // `ses::level` of the indicator: one more step.
    let level = chance.push(indicator(final_value));
    let point = match (z.is_empty(), zs.last()) {
        (false, Some(zl)) => Some(zl * level),
        _ => None,
    };
    (point, out)
}

/// statsforecast's fitted values (see the module doc); same preconditions as [`linear`].
pub fn statsforecast(model: Model, y: &[f64]) -> Vec<f64> {
    let n = y.len();
    if n == 0 {
        return Vec::new();
    }
    if y.iter().all(|v| *v == 0.0) {
        return zeros(n);
    }
    match model {
        Model::Naive => naive(y),
        Model::SeasonalNaive { season } => {
            let s = season as usize;
            (0..n)
                .map(|t| if t >= s { y[t - s] } else { f64::NAN })
                .collect()
        }
        Model::MovingAverage { window } => std::iter::once(f64::NAN)
            .chain((1..n).map(|t| {
                let w = (window as usize).min(t);
                y[t - w..t].iter().sum::<f64>() / w as f64
            }))
            .collect(),
        Model::Ses {
            alpha,
            initial: crate::models::SesInitial::First,
        } => ses_fit(y, alpha).1,
        Model::Ses {
            alpha,
            initial: crate::models::SesInitial::MeanNonzero,
        } => ses::fitted_mean_nonzero(y, alpha),
        Model::SesOptimized => linear(model, y),
        Model::CrostonClassic | Model::CrostonSba => croston_fixed(y, model).1,
        Model::CrostonOptimized => {
            let (z, p) = sizes_and_intervals(y);
            croston(
                y,
                &prefix_optimized_path(&z),
                &prefix_optimized_path(&p),
                1.0,
            )
        }
        Model::Tsb { alpha_d, alpha_p } => tsb(y, alpha_d, alpha_p).1,
        Model::Adida => std::iter::once(f64::NAN)
            .chain((1..n).map(|t| {
                let prefix = &y[..t];
                let k = mean_interval(prefix, round_half_even).unwrap_or(1);
                aggregate_forecast(prefix, k)
            }))
            .collect(),
        Model::Imapa => std::iter::once(f64::NAN)
            .chain((1..n).map(|t| {
                let prefix = &y[..t];
                match mean_interval(prefix, f64::round) {
                    None => 0.0,
                    Some(k) => {
                        let k = k.min(t);
                        (1..=k).map(|j| aggregate_forecast(prefix, j)).sum::<f64>() / k as f64
                    }
                }
            }))
            .collect(),
        // `forecast` resolves `Auto` and fits the whole-fit models itself.
        Model::Auto
        | Model::Holt { .. }
        | Model::HoltWinters { .. }
        | Model::AutoEts { .. }
        | Model::Regression { .. } => vec![f64::NAN; n],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_point_read_from_the_fit_equals_the_point_alone() {
        use crate::models::{SesInitial, forecast};
        let ses = |alpha| Model::Ses {
            alpha,
            initial: SesInitial::First,
        };
        let models = [
            Model::CrostonClassic,
            Model::CrostonSba,
            Model::CrostonOptimized,
            Model::Tsb {
                alpha_d: 0.2,
                alpha_p: 0.3,
            },
            ses(0.15),
            Model::SesOptimized,
            Model::Adida,
            Model::Imapa,
        ];
        let mut shared = [0; 8];
        for k in 0..40usize {
            let mut y: Vec<f64> = (0..(1 + k * 3))
                .map(|i| match (i * 7 + k) % 5 {
                    0 | 1 => ((i + k) % 9) as f64,
                    2 if k % 4 == 0 => -0.0,
                    _ => 0.0,
                })
                .collect();
            if k == 39 {
                y = vec![-0.0; 5];
            }
            for (m, model) in models.into_iter().enumerate() {
                // None: nothing shared (no demand, or ADIDA without two buckets); the point
                // and the fit then come on their own.
                let Some((point, fit)) = with_point(model, &y) else {
                    continue;
                };
                shared[m] += 1;
                let alone = forecast(&y, model, 1, &[], false).map(|f| f.mean[0]);
                assert_eq!(
                    Ok(point.to_bits()),
                    alone.map(f64::to_bits),
                    "{model:?} {y:?}"
                );
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&fit), bits(&linear(model, &y)), "{model:?} {y:?}");
            }
        }
        assert!(shared.iter().all(|n| *n >= 30), "{shared:?}");
    }

    /// [`Expanding`] over every period into a vector.
    fn expand(path: &[f64], y: &[f64], unit: bool) -> Vec<f64> {
        let mut e = Expanding::new(path, unit);
        let mut out = Vec::with_capacity(y.len());
        if let Some((_, before)) = y.split_last() {
            out.push(f64::NAN);
            out.extend(before.iter().map(|&prev| e.next(prev)));
        }
        out
    }

    #[test]
    fn one_pass_fits_equal_their_parts() {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for k in 0..40usize {
            let mut y: Vec<f64> = (0..(1 + k * 2))
                .map(|i| {
                    if (i * 5 + k) % 3 == 0 {
                        (i % 4) as f64
                    } else {
                        0.0
                    }
                })
                .collect();
            if k == 39 {
                y = vec![-0.0, 0.0, 2.0, -0.0];
            }
            let (z, p) = sizes_and_intervals(&y);
            // TSB: the indicator's SES times the sizes' path spread over the periods.
            let ind: Vec<f64> = y.iter().map(|v| f64::from(u8::from(*v != 0.0))).collect();
            let (sizes, chance) = (
                expand(&ses_path(&z, 0.2), &y, false),
                ses::fitted(&ind, 0.3),
            );
            let parts: Vec<f64> = chance.iter().zip(&sizes).map(|(p, d)| p * d).collect();
            let (point, fit) = tsb(&y, 0.2, 0.3);
            assert_eq!(bits(&fit), bits(&parts), "{y:?}");
            let alone = (!z.is_empty()).then(|| ses::level(&z, 0.2) * ses::level(&ind, 0.3));
            assert_eq!(point.map(f64::to_bits), alone.map(f64::to_bits));
            // Croston: both paths spread.
            for (model, scale) in [(Model::CrostonClassic, 1.0), (Model::CrostonSba, 0.95)] {
                let parts = croston(&y, &ses_path(&z, 0.1), &ses_path(&p, 0.1), scale);
                let (point, fit) = croston_fixed(&y, model);
                assert_eq!(bits(&fit), bits(&parts), "{y:?}");
                let alone = scale * crate::intermittent::croston_classic(&y);
                assert_eq!(
                    point.map(f64::to_bits),
                    (!z.is_empty()).then(|| alone.to_bits())
                );
            }
        }
    }

    #[test]
    fn croston_optimized_with_its_fit_equals_each_alone() {
        for k in 0..40usize {
            let mut y: Vec<f64> = (0..(1 + k * 3))
                .map(|i| {
                    if (i * 7 + k) % 5 < 2 {
                        ((i + k) % 9) as f64
                    } else {
                        0.0
                    }
                })
                .collect();
            if k == 39 {
                y = vec![-0.0; 5];
            }
            let Some((point, fit)) = croston_optimized_with_fit(&y) else {
                // No demand: nothing shared; the point and the fit come on their own.
                assert!(y.iter().all(|v| *v == 0.0), "{y:?}");
                continue;
            };
            let alone = crate::intermittent::croston_optimized(&y);
            assert_eq!(point.to_bits(), alone.to_bits(), "{y:?}");
            // The fit with each search on its own and each expansion in its own vector.
            let (z, p) = sizes_and_intervals(&y);
            let path = |x: &[f64]| ses_path(x, ses::golden_section(x, 0.1, 0.3));
            let (zs, ps) = (expand(&path(&z), &y, false), expand(&path(&p), &y, true));
            let alone: Vec<u64> = zs.iter().zip(&ps).map(|(z, p)| (z / p).to_bits()).collect();
            assert_eq!(fit.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), alone);
        }
    }

    #[test]
    fn sigma_divides_by_each_model_s_count_as_statsforecast_does() {
        // Residuals 0 (missing first), 1, −2, 3: squares sum to 14.
        let y = [1.0, 2.0, 0.0, 4.0];
        let fitted = [f64::NAN, 1.0, 2.0, 1.0];
        let s = |m| sigma(m, &y, &fitted).unwrap();
        assert_eq!(s(Model::CrostonSba), (14.0f64 / 4.0).sqrt());
        assert_eq!(s(Model::Naive), (14.0f64 / 3.0).sqrt());
        assert_eq!(
            s(Model::SeasonalNaive { season: 2 }),
            (14.0f64 / 2.0).sqrt()
        );
        assert_eq!(s(Model::SeasonalNaive { season: 4 }), 0.0);
        assert_eq!(sigma(Model::MovingAverage { window: 2 }, &y, &fitted), None);
    }

    /// The old definition: each fitted value is the model's forecast from the prefix before it.
    fn prefix(model: Model, y: &[f64]) -> Vec<f64> {
        std::iter::once(f64::NAN)
            .chain(
                (1..y.len())
                    .map(|t| crate::forecast(&y[..t], model, 1, &[], false).unwrap().mean[0]),
            )
            .collect()
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-12 * x.abs().max(1.0)
            })
    }

    const Y: [f64; 16] = [
        0.0, 2.0, 0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 4.0, 0.0, 2.0, 0.0, 5.0, 1.0, 0.0,
    ];

    #[test]
    fn one_pass_equals_refitting_each_prefix_where_parameters_are_fixed() {
        for m in [
            Model::Naive,
            Model::MovingAverage { window: 3 },
            Model::Ses {
                alpha: 0.3,
                initial: crate::models::SesInitial::First,
            },
            Model::CrostonClassic,
            Model::CrostonSba,
            Model::CrostonOptimized,
            Model::Tsb {
                alpha_d: 0.2,
                alpha_p: 0.1,
            },
            Model::Adida,
        ] {
            assert!(close(&statsforecast(m, &Y), &prefix(m, &Y)), "{m:?}");
        }
    }

    #[test]
    fn imapa_prefixes_round_half_away_from_zero() {
        // The prefix y[..5] = [0, 0, 1, 0, 1] has intervals 3 and 2, mean 2.5: half away from
        // zero averages 3 aggregation levels, half to even would average 2.
        let y = [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 2.0];
        let f = statsforecast(Model::Imapa, &y);
        let p = &y[..5];
        let three = (1..=3).map(|j| aggregate_forecast(p, j)).sum::<f64>() / 3.0;
        assert_eq!(f[5], three);
        let two = (1..=2).map(|j| aggregate_forecast(p, j)).sum::<f64>() / 2.0;
        assert_ne!(three, two);
    }

    #[test]
    fn linear_uses_whole_series_parameters() {
        let alpha = ses::golden_section(&Y, 0.01, 0.99);
        assert_eq!(
            linear(Model::SesOptimized, &Y)[1..],
            ses::fitted(&Y, alpha)[1..]
        );
        let a = linear(Model::Adida, &Y);
        assert_eq!(a.len(), Y.len());
        assert!(a[0].is_nan() && a[Y.len() - 1].is_finite());
        let i = linear(Model::Imapa, &Y);
        assert!(i[Y.len() - 1].is_finite());
    }

    #[test]
    fn edges() {
        assert!(statsforecast(Model::Naive, &[]).is_empty());
        let z = statsforecast(Model::CrostonSba, &[0.0; 4]);
        assert!(z[0].is_nan() && z[1..] == [0.0; 3]);
        let s = statsforecast(Model::SeasonalNaive { season: 2 }, &[1.0, 2.0, 3.0]);
        assert!(s[1].is_nan() && s[2] == 1.0);
    }
}
