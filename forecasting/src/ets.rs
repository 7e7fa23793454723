//! Exponential smoothing state-space models (ETS), as R's `forecast::ets` and statsforecast 2.1.1's
//! port of it define them: Holt, Holt-Winters and automatic selection by AICc.
//!
//! A model is ETS(error, trend, season): error additive or multiplicative, trend none, additive or
//! additive damped, season none, additive or multiplicative. Its smoothing parameters *and* its
//! initial states are fitted together by maximising the likelihood with statsforecast's
//! Nelder–Mead (adaptive, stops when the simplex's values have a standard deviation below 1e-4,
//! at most 1,000 iterations), under the "both" bounds: the usual ones (`0 < β < α < 1`,
//! `0 < γ < 1 − α`, `0.8 ≤ φ ≤ 0.98`) and the admissible region (every root of the
//! characteristic polynomial inside the unit circle, tested here by Schur–Cohn).
//! Initial states are the heuristic of R: a classical decomposition of the first three seasons
//! (a Fourier regression when there are fewer), then a line through the first
//! `max(10, 2m)` seasonally adjusted values.
//!
//! AutoETS compares every allowed model by AICc: multiplicative error and season only for
//! strictly positive data, no additive error with multiplicative season, no season when the
//! series is not longer than one season, no model with as many parameters as points.
//! This reproduces statsforecast's choice of model and its accuracy, not its values to the
//! bit (its optimiser is C++, with its own rounding), so the tests compare accuracy (MASE).

use crate::error::{Result, bad_series, invalid};

const TOL: f64 = 1e-10;
const HUGE: f64 = 1e10;
const LOWER: [f64; 4] = [1e-4, 1e-4, 1e-4, 0.8];
const UPPER: [f64; 4] = [0.9999, 0.9999, 0.9999, 0.98];

/// A component's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Absent (trend and season only).
    None,
    /// Added.
    Additive,
    /// Multiplied.
    Multiplicative,
}

/// Which ETS model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Error: additive or multiplicative.
    pub error: Form,
    /// Trend: none or additive (statsforecast's AutoETS leaves out multiplicative trend).
    pub trend: Form,
    /// Whether the trend is damped.
    pub damped: bool,
    /// Season: none, additive or multiplicative.
    pub season: Form,
    /// Season length (1 when there is no season).
    pub m: usize,
}

impl Spec {
    /// R's name of the model, e.g. `ETS(M,Ad,M)`.
    pub fn name(&self) -> String {
        let c = |f: Form| match f {
            Form::None => "N",
            Form::Additive => "A",
            Form::Multiplicative => "M",
        };
        let d = if self.damped { "d" } else { "" };
        format!(
            "ETS({},{}{},{})",
            c(self.error),
            c(self.trend),
            d,
            c(self.season)
        )
    }

    fn has_trend(&self) -> bool {
        self.trend != Form::None
    }

    fn has_season(&self) -> bool {
        self.season != Form::None
    }

    /// Number of initial states fitted: level, trend, and all seasonal states but one (the last
    /// follows from the others: they sum to 0, or to `m` when multiplicative).
    fn nstate(&self) -> usize {
        1 + usize::from(self.has_trend()) + if self.has_season() { self.m - 1 } else { 0 }
    }

    fn nsmooth(&self) -> usize {
        1 + usize::from(self.has_trend())
            + usize::from(self.has_season())
            + usize::from(self.damped)
    }
}

/// A fitted ETS model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The model.
    pub spec: Spec,
    /// Level smoothing.
    pub alpha: f64,
    /// Trend smoothing (0 without trend).
    pub beta: f64,
    /// Season smoothing (0 without season).
    pub gamma: f64,
    /// Damping (1 when not damped).
    pub phi: f64,
    /// Final level.
    pub level: f64,
    /// Final trend.
    pub trend: f64,
    /// Final seasonal states, `season[m-1]` next.
    pub season: Vec<f64>,
    /// One-step in-sample forecasts.
    pub fitted: Vec<f64>,
    /// Residual variance (relative errors for a multiplicative error).
    pub sigma2: f64,
    /// `n·ln(SSE)` (+ `2·Σ ln|f|` for a multiplicative error): −2 log-likelihood up to a constant.
    pub lik: f64,
    /// Akaike's criterion, small-sample corrected.
    pub aicc: f64,
}

/// Fits one ETS model; `None` when the series is too short for it or no admissible fit exists.
pub fn fit(y: &[f64], spec: Spec) -> Option<Fit> {
    let spec = Spec {
        m: if spec.has_season() { spec.m } else { 1 },
        ..spec
    };
    let n = y.len();
    let np = spec.nsmooth() + spec.nstate();
    if n < 4 || np + 1 >= n {
        return None;
    }
    let init = initial_states(y, &spec)?;
    let problem = Problem {
        y,
        spec,
        lower: bounds(&spec, &LOWER, f64::NEG_INFINITY),
        upper: bounds(&spec, &UPPER, f64::INFINITY),
    };
    let mut x0 = initial_params(&spec);
    x0.extend_from_slice(&init);
    let mut scratch = Scratch {
        seas: Vec::with_capacity(spec.m + n),
        poly: Vec::with_capacity(spec.m + 2),
        next: Vec::with_capacity(spec.m + 2),
    };
    let best = nelder_mead(
        &x0,
        &problem.lower,
        &problem.upper,
        1e-4,
        1_000,
        |p, bound| problem.objective(p, bound, &mut scratch),
    );
    let (alpha, beta, gamma, phi, states) = problem.unpack(&best);
    let params = Params {
        alpha,
        beta,
        gamma,
        phi,
    };
    let mut fitted = Vec::with_capacity(n);
    let mut seas = Vec::new();
    let (sse, logf, level, trend) = run(y, &spec, params, states, &mut seas, Some(&mut fitted));
    let lik = lik_of(&spec, n, sse, logf);
    if !lik.is_finite() {
        return None;
    }
    let k = (np + 1) as f64;
    let nf = n as f64;
    let aic = lik + 2.0 * k;
    let aicc = aic + 2.0 * k * (k + 1.0) / (nf - k - 1.0);
    Some(Fit {
        spec,
        alpha,
        beta,
        gamma,
        phi,
        level,
        trend,
        // Newest first, so that `season[m-1]` is the next one used.
        season: seas
            .get(n..)
            .unwrap_or_default()
            .iter()
            .rev()
            .copied()
            .collect(),
        fitted,
        sigma2: sse / (nf - k - 1.0).max(1.0),
        lik,
        aicc,
    })
}

/// statsforecast's AutoETS ("ZZZ", AICc, restricted, no multiplicative trend). `None` only when
/// no model fits (fewer than 7 points, or every candidate has too many parameters).
pub fn auto(y: &[f64], m: usize) -> Option<Fit> {
    let n = y.len();
    if n <= 6 {
        return None;
    }
    if y.iter().all(|v| *v == y[0]) {
        // A constant series: the level is the constant (statsforecast fixes alpha at 0.9999).
        let spec = Spec {
            error: Form::Additive,
            trend: Form::None,
            damped: false,
            season: Form::None,
            m: 1,
        };
        return Some(Fit {
            spec,
            alpha: 0.9999,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
            level: y[0],
            trend: 0.0,
            season: Vec::new(),
            fitted: vec![y[0]; n],
            sigma2: 0.0,
            lik: f64::NEG_INFINITY,
            aicc: f64::NEG_INFINITY,
        });
    }
    let positive = y.iter().all(|v| *v > 0.0);
    let seasonal = m > 1 && n > m;
    let mut best: Option<Fit> = None;
    for error in [Form::Additive, Form::Multiplicative] {
        for trend in [Form::None, Form::Additive] {
            for season in [Form::None, Form::Additive, Form::Multiplicative] {
                for damped in [true, false] {
                    let skip = (trend == Form::None && damped)
                        || (error == Form::Additive && season == Form::Multiplicative)
                        || (!positive
                            && (error == Form::Multiplicative || season == Form::Multiplicative))
                        || (season != Form::None && !seasonal);
                    if skip {
                        continue;
                    }
                    let spec = Spec {
                        error,
                        trend,
                        damped,
                        season,
                        m,
                    };
                    if let Some(f) = fit(y, spec)
                        && f.aicc < best.as_ref().map_or(f64::INFINITY, |b| b.aicc)
                    {
                        best = Some(f);
                    }
                }
            }
        }
    }
    best
}

impl Fit {
    /// Point forecasts for `h` steps.
    pub fn forecast(&self, h: usize) -> Vec<f64> {
        let m = self.spec.m;
        let mut phistar = self.phi;
        (0..h)
            .map(|i| {
                let mut f = match self.spec.trend {
                    Form::None => self.level,
                    _ => self.level + phistar * self.trend,
                };
                if self.spec.has_season() {
                    let s = self.season[m - 1 - i % m];
                    if self.spec.season == Form::Additive {
                        f += s;
                    } else {
                        f *= s;
                    }
                }
                phistar += if (self.phi - 1.0).abs() < TOL {
                    1.0
                } else {
                    self.phi.powi(i as i32 + 2)
                };
                f
            })
            .collect()
    }

    /// Forecast variance per step: the class-1 formula `σ²(1 + Σ_{j<h} c_j²)` with
    /// `c_j = α + β·(φ + … + φ^j) + γ·[j ≡ 0 mod m]`, exact for all-additive models; for a
    /// multiplicative error it is applied to relative errors and scaled by the squared mean (an
    /// approximation that is close for the small relative errors of such models).
    pub fn variance(&self, mean: &[f64]) -> Vec<f64> {
        let m = self.spec.m;
        let mut acc = 0.0;
        let mut damp = 0.0;
        let mut power = 1.0;
        mean.iter()
            .enumerate()
            .map(|(i, f)| {
                if i > 0 {
                    let j = i;
                    power *= self.phi;
                    damp += power;
                    let season = if self.spec.has_season() && j % m == 0 {
                        self.gamma
                    } else {
                        0.0
                    };
                    let c = self.alpha + self.beta * damp + season;
                    acc += c * c;
                }
                let v = self.sigma2 * (1.0 + acc);
                if self.spec.error == Form::Multiplicative {
                    v * f * f
                } else {
                    v
                }
            })
            .collect()
    }
}

fn lik_of(spec: &Spec, n: usize, sse: f64, logf: f64) -> f64 {
    let mut lik = n as f64 * sse.ln();
    if spec.error == Form::Multiplicative {
        lik += 2.0 * logf;
    }
    lik.max(-1e10)
}

/// Bounds of the parameter vector: the smoothing parameters' from `b`, `open` for the states.
fn bounds(spec: &Spec, b: &[f64; 4], open: f64) -> Vec<f64> {
    let mut out = vec![b[0]];
    if spec.has_trend() {
        out.push(b[1]);
    }
    if spec.has_season() {
        out.push(b[2]);
    }
    if spec.damped {
        out.push(b[3]);
    }
    out.extend(std::iter::repeat_n(open, spec.nstate()));
    out
}

/// R's `initparam` for the "both" bounds.
fn initial_params(spec: &Spec) -> Vec<f64> {
    let (lo, mut hi) = (LOWER, UPPER);
    let m = spec.m as f64;
    let mut alpha = lo[0] + 0.2 * (hi[0] - lo[0]) / m;
    if !(0.0..=1.0).contains(&alpha) {
        alpha = lo[0] + 2e-3;
    }
    let mut out = vec![alpha];
    if spec.has_trend() {
        hi[1] = hi[1].min(alpha);
        let mut beta = lo[1] + 0.1 * (hi[1] - lo[1]);
        if beta < 0.0 || beta > alpha {
            beta = alpha - 1e-3;
        }
        out.push(beta);
    }
    if spec.has_season() {
        hi[2] = hi[2].min(1.0 - alpha);
        let mut gamma = lo[2] + 0.05 * (hi[2] - lo[2]);
        if gamma < 0.0 || gamma > 1.0 - alpha {
            gamma = 1.0 - alpha - 1e-3;
        }
        out.push(gamma);
    }
    if spec.damped {
        out.push(lo[3] + 0.99 * (hi[3] - lo[3]));
    }
    out
}

/// R's `initstate`: seasonal states from a decomposition, then level (and trend) from the first
/// `max(10, 2m)` seasonally adjusted values. `None` when multiplicative season meets
/// non-positive values.
fn initial_states(y: &[f64], spec: &Spec) -> Option<Vec<f64>> {
    let n = y.len();
    let m = spec.m;
    let mut out = Vec::with_capacity(spec.nstate());
    let (seas_init, adjusted): (Vec<f64>, Vec<f64>) = if spec.has_season() {
        let mult = spec.season == Form::Multiplicative;
        if mult && y.iter().any(|v| *v <= 0.0) {
            return None;
        }
        let seasonal = if n < 3 * m {
            fourier_seasonal(y, m, mult)
        } else {
            decompose(y, m, mult)
        };
        let mut init: Vec<f64> = seasonal[1..m].iter().rev().copied().collect();
        let adjusted: Vec<f64> = if mult {
            init.iter_mut().for_each(|s| *s = s.max(1e-2));
            let total: f64 = init.iter().sum();
            if total > m as f64 {
                let d: f64 = init.iter().map(|s| s + 1e-2).sum();
                init.iter_mut().for_each(|s| *s /= d);
            }
            y.iter()
                .zip(&seasonal)
                .map(|(v, s)| v / s.max(1e-2))
                .collect()
        } else {
            y.iter().zip(&seasonal).map(|(v, s)| v - s).collect()
        };
        (init, adjusted)
    } else {
        (Vec::new(), y.to_vec())
    };
    let maxn = (10.max(2 * m)).min(n);
    if spec.has_trend() {
        let (mut l, mut b) = line(&adjusted[..maxn]);
        if (l + b).abs() < 1e-8 {
            l *= 1.0 + 1e-3;
            b *= 1.0 - 1e-3;
        }
        out.push(l);
        out.push(b);
    } else {
        out.push(adjusted[..maxn].iter().sum::<f64>() / maxn as f64);
    }
    out.extend(seas_init);
    Some(out)
}

/// Least squares of `y` on `1, 2, …, n`: (intercept, slope).
fn line(y: &[f64]) -> (f64, f64) {
    let n = y.len() as f64;
    let mx = (n + 1.0) / 2.0;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        let dx = (i + 1) as f64 - mx;
        sxy += dx * (v - my);
        sxx += dx * dx;
    }
    let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (my - b * mx, b)
}

/// Classical decomposition (statsmodels' `seasonal_decompose`): centred moving average trend,
/// per-phase means of the detrended series, normalised to sum 0 (or mean 1).
fn decompose(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    let weights: Vec<f64> = if m.is_multiple_of(2) {
        let mut w = vec![1.0 / m as f64; m + 1];
        w[0] = 0.5 / m as f64;
        w[m] = 0.5 / m as f64;
        w
    } else {
        vec![1.0 / m as f64; m]
    };
    let half = weights.len() / 2;
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in half..n.saturating_sub(weights.len() - 1 - half) {
        let trend: f64 = weights
            .iter()
            .enumerate()
            .map(|(k, w)| w * y[t + k - half])
            .sum();
        let d = if mult { y[t] / trend } else { y[t] - trend };
        sums[t % m] += d;
        counts[t % m] += 1;
    }
    let mut avg: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, c)| if *c > 0 { s / *c as f64 } else { 0.0 })
        .collect();
    let mean = avg.iter().sum::<f64>() / m as f64;
    for a in &mut avg {
        if mult {
            *a /= mean;
        } else {
            *a -= mean;
        }
    }
    (0..n).map(|t| avg[t % m]).collect()
}

/// For fewer than three seasons: the seasonal part from a regression on a line and one pair of
/// Fourier terms (what R and statsforecast do).
fn fourier_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
    let n = y.len();
    let w = 2.0 * std::f64::consts::PI / m as f64;
    let rows: Vec<[f64; 4]> = (1..=n)
        .map(|t| {
            let t = t as f64;
            [1.0, t, (w * t).sin(), (w * t).cos()]
        })
        .collect();
    let cols = if m == 2 { 3 } else { 4 }; // sin(πt) is zero for m = 2
    let beta = least_squares(&rows, y, cols);
    rows.iter()
        .zip(y)
        .map(|(r, v)| {
            let trend = beta[0] + beta[1] * r[1];
            if mult { v / trend } else { v - trend }
        })
        .collect()
}

/// Normal equations solved by Gaussian elimination with partial pivoting (4 columns at most).
fn least_squares(rows: &[[f64; 4]], y: &[f64], cols: usize) -> [f64; 4] {
    let idx: Vec<usize> = if cols == 3 {
        vec![0, 1, 3]
    } else {
        vec![0, 1, 2, 3]
    };
    let k = idx.len();
    let mut a = vec![vec![0.0; k + 1]; k];
    for (r, v) in rows.iter().zip(y) {
        for i in 0..k {
            for j in 0..k {
                a[i][j] += r[idx[i]] * r[idx[j]];
            }
            a[i][k] += r[idx[i]] * v;
        }
    }
    for c in 0..k {
        let p = (c..k)
            .max_by(|x, z| a[*x][c].abs().total_cmp(&a[*z][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        if a[c][c].abs() < 1e-300 {
            continue;
        }
        let pivot = a[c].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot[c];
                for (v, p) in row.iter_mut().zip(&pivot).skip(c) {
                    *v -= f * p;
                }
            }
        }
    }
    let mut out = [0.0; 4];
    for (i, &col) in idx.iter().enumerate() {
        out[col] = if a[i][i].abs() < 1e-300 {
            0.0
        } else {
            a[i][k] / a[i][i]
        };
    }
    out
}

/// Smoothing parameters.
#[derive(Debug, Clone, Copy)]
struct Params {
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
}

/// Runs the model over `y` from `states` (level, trend if any, all seasonal states but the
/// last, newest first). `seas` is filled with the seasonal states in the order they are used:
/// `seas[i]` at step `i`, which writes `seas[i + m]`. Returns (sum of squared errors,
/// `Σ ln|f|`, final level, final trend); pushes the one-step forecasts to `fitted` if given.
fn run(
    y: &[f64],
    spec: &Spec,
    p: Params,
    states: &[f64],
    seas: &mut Vec<f64>,
    fitted: Option<&mut Vec<f64>>,
) -> (f64, f64, f64, f64) {
    let t = usize::from(spec.has_trend());
    let (l0, b0) = (states[0], if t == 1 { states[1] } else { 0.0 });
    seas.clear();
    let m = spec.m;
    if spec.has_season() {
        let given = &states[1 + t..];
        let total = if spec.season == Form::Multiplicative {
            m as f64
        } else {
            0.0
        };
        seas.push(total - given.iter().sum::<f64>());
        seas.extend(given.iter().rev());
        seas.resize(m + y.len(), 0.0);
    }
    macro_rules! go {
        ($t:literal, $s:literal, $e:literal) => {
            recurse::<$t, $s, $e>(y, p, l0, b0, m, seas, fitted)
        };
    }
    let mult = spec.error == Form::Multiplicative;
    match (t == 1, spec.season, mult) {
        (false, Form::None, false) => go!(false, 0, false),
        (false, Form::None, true) => go!(false, 0, true),
        (false, Form::Additive, false) => go!(false, 1, false),
        (false, Form::Additive, true) => go!(false, 1, true),
        (false, Form::Multiplicative, false) => go!(false, 2, false),
        (false, Form::Multiplicative, true) => go!(false, 2, true),
        (true, Form::None, false) => go!(true, 0, false),
        (true, Form::None, true) => go!(true, 0, true),
        (true, Form::Additive, false) => go!(true, 1, false),
        (true, Form::Additive, true) => go!(true, 1, true),
        (true, Form::Multiplicative, false) => go!(true, 2, false),
        (true, Form::Multiplicative, true) => go!(true, 2, true),
    }
}

/// The recursion of R's `etscalc`, one instance per (trend, season, error) so that the loop has
/// no branches on the model: season 0 none, 1 additive, 2 multiplicative.
fn recurse<const TREND: bool, const SEASON: u8, const MULT: bool>(
    y: &[f64],
    p: Params,
    l0: f64,
    b0: f64,
    m: usize,
    seas: &mut [f64],
    mut fitted: Option<&mut Vec<f64>>,
) -> (f64, f64, f64, f64) {
    let (mut l, mut b) = (l0, b0);
    let (mut sse, mut logf) = (0.0, 0.0);
    for (i, &v) in y.iter().enumerate() {
        let phib = if TREND { p.phi * b } else { 0.0 };
        let q = l + phib;
        let s = if SEASON == 0 { 0.0 } else { seas[i] };
        let f = match SEASON {
            0 => q,
            1 => q + s,
            _ => q * s,
        };
        if let Some(out) = fitted.as_deref_mut() {
            out.push(f);
        }
        let e = if MULT {
            let d = if f.abs() < TOL { f + TOL } else { f };
            (v - f) / d
        } else {
            v - f
        };
        sse += e * e;
        if MULT {
            logf += f.abs().ln();
        }
        let de = match SEASON {
            0 => v,
            1 => v - s,
            _ => {
                if s.abs() < TOL {
                    HUGE
                } else {
                    v / s
                }
            }
        };
        // R's update, with its trend step `b = φb + (β/α)(l' − l − φb)` simplified to
        // `φb + β(de − q)` (equal up to rounding), which shortens the dependency chain.
        let err = de - q;
        let new_l = q + p.alpha * err;
        if TREND {
            b = phib + p.beta * err;
        }
        if SEASON != 0 {
            let target = if SEASON == 1 {
                v - q
            } else if q.abs() < TOL {
                HUGE
            } else {
                v / q
            };
            seas[i + m] = s + p.gamma * (target - s);
        }
        l = new_l;
    }
    (sse, logf, l, b)
}

/// Buffers reused by every evaluation of the objective.
struct Scratch {
    seas: Vec<f64>,
    poly: Vec<f64>,
    next: Vec<f64>,
}

struct Problem<'a> {
    y: &'a [f64],
    spec: Spec,
    lower: Vec<f64>,
    upper: Vec<f64>,
}

impl Problem<'_> {
    fn unpack<'p>(&self, p: &'p [f64]) -> (f64, f64, f64, f64, &'p [f64]) {
        let mut i = 0;
        let mut take = |on: bool, default: f64| {
            if on {
                i += 1;
                p[i - 1]
            } else {
                default
            }
        };
        let alpha = take(true, 0.0);
        let beta = take(self.spec.has_trend(), 0.0);
        let gamma = take(self.spec.has_season(), 0.0);
        let phi = take(self.spec.damped, 1.0);
        (alpha, beta, gamma, phi, &p[self.spec.nsmooth()..])
    }

    /// −2 log-likelihood (up to a constant), infinite outside the bounds. A value above
    /// `bound` is returned as is without the admissibility test (the caller will reject the
    /// point either way).
    fn objective(&self, p: &[f64], bound: f64, scratch: &mut Scratch) -> f64 {
        let (alpha, beta, gamma, phi, states) = self.unpack(p);
        let spec = &self.spec;
        if !usual(spec, alpha, beta, gamma, phi) {
            return f64::INFINITY;
        }
        let t = usize::from(spec.has_trend());
        if spec.season == Form::Multiplicative {
            let given = &states[1 + t..];
            if given.iter().any(|s| *s < 0.0) || spec.m as f64 - given.iter().sum::<f64>() < 0.0 {
                return f64::INFINITY;
            }
        }
        let params = Params {
            alpha,
            beta,
            gamma,
            phi,
        };
        let (sse, logf, _, _) = run(self.y, spec, params, states, &mut scratch.seas, None);
        let lik = lik_of(spec, self.y.len(), sse, logf);
        if lik.is_nan() {
            f64::INFINITY
        } else if lik > bound || admissible(spec, alpha, beta, gamma, phi, scratch) {
            lik
        } else {
            f64::INFINITY
        }
    }
}

/// The usual bounds (R's `check.param`; with [`admissible`], its bounds "both").
fn usual(spec: &Spec, alpha: f64, beta: f64, gamma: f64, phi: f64) -> bool {
    if !(LOWER[0]..=UPPER[0]).contains(&alpha) {
        return false;
    }
    if spec.has_trend() && (beta < LOWER[1] || beta > alpha || beta > UPPER[1]) {
        return false;
    }
    if spec.damped && !(LOWER[3]..=UPPER[3]).contains(&phi) {
        return false;
    }
    if spec.has_season() && (gamma < LOWER[2] || gamma > 1.0 - alpha || gamma > UPPER[2]) {
        return false;
    }
    true
}

fn admissible(
    spec: &Spec,
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
    scratch: &mut Scratch,
) -> bool {
    if !(0.0..=1.0 + 1e-8).contains(&phi) {
        return false;
    }
    if !spec.has_season() {
        if alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi {
            return false;
        }
        return !(spec.has_trend()
            && (beta < alpha * (phi - 1.0) || beta > (1.0 + phi) * (2.0 - alpha)));
    }
    let m = spec.m as f64;
    if gamma < (1.0 - 1.0 / phi - alpha).max(0.0) || gamma > 1.0 + 1.0 / phi - alpha {
        return false;
    }
    if alpha < 1.0 - 1.0 / phi - gamma * (1.0 - m + phi + phi * m) / (2.0 * phi * m) {
        return false;
    }
    if beta < -(1.0 - phi) * (gamma / m + alpha) {
        return false;
    }
    // The characteristic polynomial, lowest power first.
    let p = &mut scratch.poly;
    p.clear();
    p.push(phi * (1.0 - alpha - gamma));
    p.push(alpha + beta - alpha * phi + gamma - 1.0);
    p.extend(std::iter::repeat_n(alpha + beta - alpha * phi, spec.m - 2));
    p.push(alpha + beta - phi);
    p.push(1.0);
    roots_inside_unit_circle(p, &mut scratch.next, 1e-10)
}

/// Schur–Cohn: whether every root of the polynomial (coefficients lowest power first) has
/// modulus at most `1 + tol`. The polynomial is first scaled to `p((1 + tol)·z)`.
/// `p` is overwritten; `next` is a buffer.
pub(crate) fn roots_inside_unit_circle(p: &mut Vec<f64>, next: &mut Vec<f64>, tol: f64) -> bool {
    let r = 1.0 + tol;
    let mut scale = 1.0;
    for c in p.iter_mut() {
        *c *= scale;
        scale *= r;
    }
    while p.len() > 1 {
        let n = p.len() - 1;
        let (a0, an) = (p[0], p[n]);
        if an.abs() <= a0.abs() {
            return false;
        }
        // The next polynomial's leading coefficient is an² − a0² > 0: divide it out (one
        // division, then products) to keep the coefficients from underflowing.
        let inv = 1.0 / (an * an - a0 * a0);
        let (an, a0) = (an * inv, a0 * inv);
        next.clear();
        next.extend((1..=n).map(|k| an * p[k] - a0 * p[n - k]));
        std::mem::swap(p, next);
    }
    true
}

/// statsforecast's Nelder–Mead: adaptive coefficients, initial simplex from 5 % steps (1e-4 for
/// zeros), points clipped to the bounds, stop when the values' standard deviation is below `tol`.
fn nelder_mead(
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    tol: f64,
    max_iter: usize,
    mut f: impl FnMut(&[f64], f64) -> f64,
) -> Vec<f64> {
    let n = x0.len();
    let nf = n as f64;
    let (alpha, gamma, rho, sigma) = (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let clip = |x: &mut [f64]| {
        for ((v, lo), hi) in x.iter_mut().zip(lower).zip(upper) {
            *v = v.clamp(*lo, *hi);
        }
    };
    let mut start = x0.to_vec();
    clip(&mut start);
    let mut simplex = vec![start.clone(); n + 1];
    for i in 0..n {
        let v = &mut simplex[i + 1][i];
        *v = if *v == 0.0 { 1e-4 } else { *v * 1.05 };
        clip(&mut simplex[i + 1]);
    }
    const EXACT: f64 = f64::INFINITY;
    let mut values: Vec<f64> = simplex.iter().map(|x| f(x, EXACT)).collect();
    let mut order: Vec<usize> = (0..=n).collect();
    let mut centroid = vec![0.0; n];
    let mut sum = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut trial2 = vec![0.0; n];
    let resum = |sum: &mut Vec<f64>, simplex: &[Vec<f64>]| {
        sum.iter_mut().for_each(|c| *c = 0.0);
        for x in simplex {
            for (c, v) in sum.iter_mut().zip(x) {
                *c += v;
            }
        }
    };
    resum(&mut sum, &simplex);
    // Replaces vertex `i`, keeping the running sum of the vertices.
    let replace = |simplex: &mut [Vec<f64>], sum: &mut [f64], i: usize, x: &[f64]| {
        for ((s, old), new) in sum.iter_mut().zip(simplex[i].iter()).zip(x) {
            *s += new - old;
        }
        simplex[i].copy_from_slice(x);
    };
    for iteration in 0..max_iter {
        order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
        let (best, worst, second) = (order[0], order[n], order[n - 1]);
        if std(&values) < tol {
            break;
        }
        if iteration % 64 == 63 {
            resum(&mut sum, &simplex);
        }
        for ((c, s), w) in centroid.iter_mut().zip(&sum).zip(&simplex[worst]) {
            *c = (s - w) / nf;
        }
        let step = |out: &mut Vec<f64>, from: &[f64], coef: f64| {
            for ((o, c), w) in out.iter_mut().zip(&centroid).zip(from) {
                *o = c + coef * (w - c);
            }
            clip(out);
        };
        // Each trial passes the value above which only "worse than that" matters, so the
        // objective may skip its costlier checks for points that will be rejected anyway.
        step(&mut trial, &simplex[worst], -alpha);
        let fr = f(&trial, values[worst]);
        if values[best] <= fr && fr < values[second] {
            replace(&mut simplex, &mut sum, worst, &trial);
            values[worst] = fr;
            continue;
        }
        if fr < values[best] {
            step(&mut trial2, &trial, gamma);
            let fe = f(&trial2, fr);
            if fe < fr {
                replace(&mut simplex, &mut sum, worst, &trial2);
                values[worst] = fe;
            } else {
                replace(&mut simplex, &mut sum, worst, &trial);
                values[worst] = fr;
            }
            continue;
        }
        if fr < values[worst] {
            step(&mut trial2, &trial, rho);
            let fc = f(&trial2, fr);
            if fc <= fr {
                replace(&mut simplex, &mut sum, worst, &trial2);
                values[worst] = fc;
                continue;
            }
        } else {
            step(&mut trial2, &simplex[worst], rho);
            let fc = f(&trial2, values[worst]);
            if fc < values[worst] {
                replace(&mut simplex, &mut sum, worst, &trial2);
                values[worst] = fc;
                continue;
            }
        }
        trial.copy_from_slice(&simplex[best]);
        for &i in &order[1..] {
            for (v, b) in simplex[i].iter_mut().zip(&trial) {
                *v = b + sigma * (*v - b);
            }
            values[i] = f(&simplex[i], EXACT);
        }
        resum(&mut sum, &simplex);
    }
    let best = (0..=n)
        .min_by(|a, b| values[*a].total_cmp(&values[*b]))
        .unwrap_or(0);
    simplex.swap_remove(best)
}

fn std(v: &[f64]) -> f64 {
    if v.iter().any(|x| !x.is_finite()) {
        return f64::INFINITY;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt()
}

/// Checks a fixed ETS specification against a series, naming what is wrong.
pub fn check_spec(y: &[f64], spec: &Spec) -> Result<()> {
    if spec.has_season() && spec.m < 2 {
        return Err(invalid("a seasonal model needs a season of at least 2"));
    }
    if (spec.error == Form::Multiplicative || spec.season == Form::Multiplicative)
        && y.iter().any(|v| *v <= 0.0)
    {
        return Err(bad_series(format!(
            "{} needs strictly positive demand; the series has zeros",
            spec.name()
        )));
    }
    let need = spec.nsmooth() + spec.nstate() + 2;
    if y.len() < need.max(4) {
        return Err(bad_series(format!(
            "{} needs at least {} observations, the series has {}",
            spec.name(),
            need.max(4),
            y.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn airline() -> Vec<f64> {
        // The first six years of the classic monthly airline passengers series.
        vec![
            112., 118., 132., 129., 121., 135., 148., 148., 136., 119., 104., 118., 115., 126.,
            141., 135., 125., 149., 170., 170., 158., 133., 114., 140., 145., 150., 178., 163.,
            172., 178., 199., 199., 184., 162., 146., 166., 171., 180., 193., 181., 183., 218.,
            230., 242., 209., 191., 172., 194., 196., 196., 236., 235., 229., 243., 264., 272.,
            237., 211., 180., 201., 204., 188., 235., 227., 234., 264., 302., 293., 259., 229.,
            203., 229.,
        ]
    }

    #[test]
    fn schur_cohn_matches_known_roots() {
        // (z - 0.5)(z + 0.8) = z² + 0.3z - 0.4: inside.
        let inside = |p: Vec<f64>| roots_inside_unit_circle(&mut p.clone(), &mut Vec::new(), 1e-10);
        assert!(inside(vec![-0.4, 0.3, 1.0]));
        // (z - 1.2)(z - 0.1): outside.
        assert!(!inside(vec![0.12, -1.3, 1.0]));
        // Complex pair with modulus 0.9: z² - 0.9z + 0.81.
        assert!(inside(vec![0.81, -0.9, 1.0]));
    }

    #[test]
    fn holt_winters_on_a_seasonal_series_beats_naive() {
        let y = airline();
        let (train, test) = y.split_at(60);
        let spec = Spec {
            error: Form::Multiplicative,
            trend: Form::Additive,
            damped: false,
            season: Form::Multiplicative,
            m: 12,
        };
        let f = fit(train, spec).unwrap();
        let mean = f.forecast(12);
        let mae: f64 = mean
            .iter()
            .zip(test)
            .map(|(a, b)| (a - b).abs())
            .sum::<f64>()
            / 12.0;
        let naive: f64 = test.iter().map(|b| (b - train[59]).abs()).sum::<f64>() / 12.0;
        assert!(mae < naive / 2.0, "mae {mae} naive {naive}");
        assert!(f.alpha > 0.0 && f.beta <= f.alpha && f.gamma <= 1.0 - f.alpha);
        // The seasonal states multiply to a season that averages one.
        let mean_s = f.season.iter().sum::<f64>() / 12.0;
        assert!((mean_s - 1.0).abs() < 0.1, "{mean_s}");
    }

    #[test]
    fn auto_picks_a_seasonal_model_for_seasonal_data_and_none_for_noise() {
        let y = airline();
        let f = auto(&y, 12).unwrap();
        assert!(f.spec.has_season(), "{}", f.spec.name());
        let flat: Vec<f64> = (0..40).map(|i| 10.0 + ((i * 7) % 5) as f64).collect();
        let f = auto(&flat, 12).unwrap();
        assert!(!f.spec.has_trend(), "{}", f.spec.name());
    }

    #[test]
    fn damped_forecast_flattens() {
        let y: Vec<f64> = (0..30).map(|i| 5.0 + i as f64 + (i % 3) as f64).collect();
        let spec = Spec {
            error: Form::Additive,
            trend: Form::Additive,
            damped: true,
            season: Form::None,
            m: 1,
        };
        let f = fit(&y, spec).unwrap();
        let mean = f.forecast(40);
        let first = mean[1] - mean[0];
        let last = mean[39] - mean[38];
        assert!(last < first && last >= 0.0, "{first} {last}");
        let v = f.variance(&mean);
        assert!(v.windows(2).all(|w| w[1] >= w[0]));
    }

    #[test]
    fn constant_and_short_series() {
        let f = auto(&[4.0; 12], 12).unwrap();
        assert_eq!(f.forecast(3), vec![4.0; 3]);
        assert!(auto(&[1.0, 2.0, 3.0], 1).is_none());
        let spec = Spec {
            error: Form::Multiplicative,
            trend: Form::None,
            damped: false,
            season: Form::None,
            m: 1,
        };
        assert!(check_spec(&[1.0, 0.0, 2.0, 3.0, 1.0], &spec).is_err());
    }
}
