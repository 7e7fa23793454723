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

mod admissible;
mod init;
mod likelihood;

use admissible::*;
use init::*;
use likelihood::*;

use crate::optim::nelder_mead;

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

    /// `c_j = α + β·(φ + … + φ^j) + γ·[j ≡ 0 mod m]` for `j = 1 … h`: how a one-step error
    /// `j` steps back moves the forecast.
    fn c(&self, h: usize) -> Vec<f64> {
        let m = self.spec.m;
        let (mut damp, mut power) = (0.0, 1.0);
        (1..=h)
            .map(|j| {
                power *= self.phi;
                damp += power;
                let season = if self.spec.has_season() && j % m == 0 {
                    self.gamma
                } else {
                    0.0
                };
                self.alpha + self.beta * damp + season
            })
            .collect()
    }

    /// Forecast variance per step, by the class of the model (Hyndman et al., *Forecasting
    /// with Exponential Smoothing*, ch. 6, as R's `forecast::ets` and statsforecast compute
    /// them): class 1 (additive error) `σ²(1 + Σ_{j<h} c_j²)`; class 2 (multiplicative error,
    /// no multiplicative season) `(1 + σ²)θ_h − μ_h²` with `θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}`;
    /// class 3 (multiplicative error and season) the moment recursion of the state matrices.
    pub fn variance(&self, mean: &[f64]) -> Vec<f64> {
        let h = mean.len();
        match (self.spec.error, self.spec.season) {
            (Form::Multiplicative, Form::Multiplicative) => self.class3(h),
            (Form::Multiplicative, _) => {
                let c = self.c(h);
                let mut theta: Vec<f64> = Vec::with_capacity(h);
                for (k, mu) in mean.iter().enumerate() {
                    let sum: f64 = (0..k).map(|j| c[j] * c[j] * theta[k - 1 - j]).sum();
                    theta.push(mu * mu + self.sigma2 * sum);
                }
                theta
                    .iter()
                    .zip(mean)
                    .map(|(t, mu)| (1.0 + self.sigma2) * t - mu * mu)
                    .collect()
            }
            // Additive error (AutoETS never fits an additive error with a multiplicative season).
            _ => {
                let c = self.c(h);
                let mut acc = 0.0;
                (0..h)
                    .map(|i| {
                        if i > 0 {
                            acc += c[i - 1] * c[i - 1];
                        }
                        self.sigma2 * (1.0 + acc)
                    })
                    .collect()
            }
        }
    }

    /// Class 3: the mean `M` and covariance `V` of the (level, trend) × season state products,
    /// propagated step by step (R's `forecast:::class3`, vectorised column-major).
    fn class3(&self, h: usize) -> Vec<f64> {
        use ndarray::linalg::kron;
        use ndarray::{Array2, arr2};
        let (m, s2) = (self.spec.m, self.sigma2);
        let (a, b, g) = (self.alpha, self.beta, self.gamma);
        let (h1, f1, g1, ls) = if self.spec.has_trend() {
            let phi = if self.spec.damped { self.phi } else { 1.0 };
            (
                arr2(&[[1.0, 1.0]]),
                arr2(&[[1.0, 1.0], [0.0, phi]]),
                arr2(&[[a, a], [b, b]]),
                vec![self.level, self.trend],
            )
        } else {
            (
                arr2(&[[1.0]]),
                arr2(&[[1.0]]),
                arr2(&[[a]]),
                vec![self.level],
            )
        };
        let mut h2 = Array2::<f64>::zeros((1, m));
        h2[[0, m - 1]] = 1.0;
        let mut f2 = Array2::<f64>::zeros((m, m));
        f2[[0, m - 1]] = 1.0;
        for i in 1..m {
            f2[[i, i - 1]] = 1.0;
        }
        let mut g2 = Array2::<f64>::zeros((m, m));
        g2[[0, m - 1]] = g;
        let mut mh = Array2::from_shape_fn((ls.len(), m), |(i, j)| ls[i] * self.season[j]);
        let p = ls.len() * m;
        let mut vh = Array2::<f64>::zeros((p, p));
        let h21 = kron(&h2, &h1);
        let f21 = kron(&f2, &f1);
        let g21 = kron(&g2, &g1);
        let k = kron(&g2, &f1) + kron(&f2, &g1);
        (0..h)
            .map(|_| {
                let mu = h1.dot(&mh).dot(&h2.t())[[0, 0]];
                let var = (1.0 + s2) * h21.dot(&vh).dot(&h21.t())[[0, 0]] + s2 * mu * mu;
                // vec(M), column-major, as a column.
                let v = Array2::from_shape_fn((p, 1), |(r, _)| mh[[r % ls.len(), r / ls.len()]]);
                let vv = v.dot(&v.t());
                vh = f21.dot(&vh).dot(&f21.t())
                    + s2 * (f21.dot(&vh).dot(&g21.t())
                        + g21.dot(&vh).dot(&f21.t())
                        + k.dot(&(&vh + &vv)).dot(&k.t())
                        + s2 * g21.dot(&(3.0 * &vh + 2.0 * &vv)).dot(&g21.t()));
                mh = f1.dot(&mh).dot(&f2.t()) + s2 * g1.dot(&mh).dot(&g2.t());
                var
            })
            .collect()
    }
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

    /// The class-2 and class-3 variances equal the variance of simulated sample paths of the
    /// model's own state equations (200,000 paths, within 2 %).
    #[test]
    fn multiplicative_error_variances_match_simulation() {
        let fit = |trend: Form, season: Form| Fit {
            spec: Spec {
                error: Form::Multiplicative,
                trend,
                damped: false,
                season,
                m: if season == Form::None { 1 } else { 4 },
            },
            alpha: 0.3,
            beta: if trend == Form::None { 0.0 } else { 0.05 },
            gamma: if season == Form::None { 0.0 } else { 0.2 },
            phi: 1.0,
            level: 100.0,
            trend: if trend == Form::None { 0.0 } else { 2.0 },
            season: if season == Form::None {
                vec![]
            } else {
                vec![0.8, 1.3, 1.1, 0.8]
            },
            fitted: vec![],
            sigma2: 0.1,
            lik: 0.0,
            aicc: 0.0,
        };
        // A small deterministic normal generator (xorshift + Box–Muller).
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let h = 9;
        let mut worst_old = 0.0f64;
        for (trend, season) in [
            (Form::None, Form::None),
            (Form::Additive, Form::None),
            (Form::None, Form::Additive),
            (Form::None, Form::Multiplicative),
            (Form::Additive, Form::Multiplicative),
        ] {
            let f = fit(trend, season);
            let want = f.variance(&f.forecast(h));
            let (n, sd) = (200_000, f.sigma2.sqrt());
            let (mut sum, mut sum2) = (vec![0.0; h], vec![0.0; h]);
            for _ in 0..n {
                let (mut l, mut b, mut s) = (f.level, f.trend, f.season.clone());
                for k in 0..h {
                    let e = sd
                        * (-2.0 * uniform().ln()).sqrt()
                        * (std::f64::consts::TAU * uniform()).cos();
                    let base = l + b;
                    let m = f.spec.m;
                    let si = if f.spec.has_season() { s[m - 1] } else { 0.0 };
                    let mu = match season {
                        Form::None => base,
                        Form::Additive => base + si,
                        Form::Multiplicative => base * si,
                    };
                    let y = mu * (1.0 + e);
                    l = base
                        + f.alpha * mu * e
                            / if season == Form::Multiplicative {
                                si
                            } else {
                                1.0
                            };
                    b += f.beta * mu * e
                        / if season == Form::Multiplicative {
                            si
                        } else {
                            1.0
                        };
                    if f.spec.has_season() {
                        let new = match season {
                            Form::Multiplicative => si * (1.0 + f.gamma * e),
                            _ => si + f.gamma * mu * e,
                        };
                        s.rotate_right(1);
                        s[0] = new;
                    }
                    sum[k] += y;
                    sum2[k] += y * y;
                }
            }
            for k in 0..h {
                let mean = sum[k] / n as f64;
                let var = sum2[k] / n as f64 - mean * mean;
                let e = (var - want[k]).abs() / want[k];
                assert!(
                    e < 0.02,
                    "{trend:?}/{season:?} step {k}: {var} simulated, {} computed",
                    want[k]
                );
                // The class-1 formula scaled by the squared mean, used before, is off by more.
                let old = f.sigma2 * (1.0 + f.c(h)[..k].iter().map(|c| c * c).sum::<f64>());
                let mu = f.forecast(h)[k];
                worst_old = worst_old.max((var - old * mu * mu).abs() / var);
            }
        }
        assert!(worst_old > 0.05, "{worst_old}");
    }
}
