//! A linear regression (linfa's ordinary least squares) on lags and seasonal calendar terms,
//! forecast recursively.
//!
//! The row for period `t` holds `y[t-1], …, y[t-lags]` and, when `season > 1`, the Fourier terms
//! `sin(2πkt/season)`, `cos(2πkt/season)` for `k = 1..=min(2, season/2)` (the calendar: month
//! of the year for monthly data with season 12, day of the week for daily data with season 7),
//! with an intercept. Forecasts feed each step's value back as the next lag. Intervals are normal,
//! with the residual variance spread by the lag polynomial's ψ-weights (`σ²·Σψ_j²`), which is
//! exact for a linear autoregression with Gaussian errors.
//!
//! Ordinary least squares with an intercept commutes with scaling the series, so forecasts
//! are scale-equivariant.

use linfa::Dataset;
use linfa::traits::{Fit as _, Predict as _};
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2};

use crate::error::{Result, bad_series, invalid};

/// A fitted lag regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Coefficients of the lags, lag 1 first.
    pub lag_coefficients: Vec<f64>,
    /// Coefficients of the calendar terms (sin, cos per harmonic).
    pub calendar_coefficients: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
    /// One-step in-sample predictions (`NaN` for the first `lags` periods).
    pub fitted: Vec<f64>,
    /// Residual variance (degrees of freedom corrected).
    pub sigma2: f64,
    lags: usize,
    season: usize,
    history: Vec<f64>,
}

fn harmonics(season: usize) -> usize {
    if season > 1 { (season / 2).min(2) } else { 0 }
}

fn calendar(t: usize, season: usize, out: &mut Vec<f64>) {
    let w = 2.0 * std::f64::consts::PI / season as f64;
    for k in 1..=harmonics(season) {
        let a = w * (k * (t % season)) as f64;
        // sin(πt) is always 0 for the half-season harmonic: leave it out.
        if 2 * k != season {
            out.push(a.sin());
        }
        out.push(a.cos());
    }
}

/// Number of calendar terms `calendar` writes: a sine and a cosine per harmonic, without the
/// sine of the half-season harmonic.
fn calendar_terms(season: usize) -> usize {
    (1..=harmonics(season))
        .map(|k| if 2 * k != season { 2 } else { 1 })
        .sum()
}

/// Appends the row for period `t`: the lags, then the calendar terms.
fn push_row(y: &[f64], t: usize, lags: usize, season: usize, out: &mut Vec<f64>) {
    out.extend((1..=lags).map(|k| y[t - k]));
    calendar(t, season, out);
}

/// Fits the regression; the series needs at least `lags + features + 2` rows after the lags.
pub fn fit(y: &[f64], lags: usize, season: usize) -> Result<Fit> {
    let width = lags + calendar_terms(season);
    let rows = y.len().saturating_sub(lags);
    if rows < width + 2 {
        return Err(bad_series(format!(
            "a regression on {lags} lags and {} calendar terms needs at least {} observations, the series has {}",
            width - lags,
            lags + width + 2,
            y.len()
        )));
    }
    let mut x = Vec::with_capacity(rows * width);
    for t in lags..y.len() {
        push_row(y, t, lags, season, &mut x);
    }
    let x = Array2::from_shape_vec((rows, width), x).map_err(|e| invalid(e.to_string()))?;
    let target = Array1::from_iter(y[lags..].iter().copied());
    let data = Dataset::new(x.clone(), target);
    let model = LinearRegression::new()
        .fit(&data)
        .map_err(|e| invalid(format!("the regression could not be fitted: {e}")))?;
    let params = model.params().to_vec();
    let intercept = model.intercept();
    let predicted = model.predict(&x);
    let mut fitted = vec![f64::NAN; lags];
    fitted.extend(predicted.iter().copied());
    let sse: f64 = y[lags..]
        .iter()
        .zip(predicted.iter())
        .map(|(a, b)| (a - b) * (a - b))
        .sum();
    let dof = (rows - width - 1).max(1) as f64;
    Ok(Fit {
        lag_coefficients: params[..lags].to_vec(),
        calendar_coefficients: params[lags..].to_vec(),
        intercept,
        fitted,
        sigma2: sse / dof,
        lags,
        season,
        history: y[y.len() - lags..].to_vec(),
    })
}

impl Fit {
    /// Recursive forecasts for `h` steps (series positions continue from the training data).
    pub fn forecast(&self, n: usize, h: usize) -> Vec<f64> {
        let mut y = self.history.clone();
        let offset = n - self.lags;
        let mut out = Vec::with_capacity(h);
        let mut cal = Vec::new();
        for _ in 0..h {
            let t = y.len();
            let mut v = self.intercept;
            for (k, c) in self.lag_coefficients.iter().enumerate() {
                v += c * y[t - 1 - k];
            }
            cal.clear();
            calendar(offset + t, self.season, &mut cal);
            for (c, x) in self.calendar_coefficients.iter().zip(&cal) {
                v += c * x;
            }
            y.push(v);
            out.push(v);
        }
        out
    }

    /// Forecast variance per step: `σ²·Σ_{j<h} ψ_j²` from the lag coefficients.
    pub fn variance(&self, h: usize) -> Vec<f64> {
        let mut psi = vec![1.0];
        let mut acc = 0.0;
        (0..h)
            .map(|j| {
                if j > 0 {
                    let v: f64 = (1..=j.min(self.lags))
                        .map(|i| self.lag_coefficients[i - 1] * psi[j - i])
                        .sum();
                    psi.push(v);
                }
                acc += psi[j] * psi[j];
                self.sigma2 * acc
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_autoregression_and_its_season() {
        // y_t = 2 + 0.5·y_{t-1} + 3·sin(2πt/12), no noise: the fit is exact.
        let mut y = vec![4.0];
        for t in 1..60 {
            let s = (2.0 * std::f64::consts::PI * (t % 12) as f64 / 12.0).sin();
            y.push(2.0 + 0.5 * y[t - 1] + 3.0 * s);
        }
        let f = fit(&y, 1, 12).unwrap();
        assert!((f.lag_coefficients[0] - 0.5).abs() < 1e-8);
        assert!((f.intercept - 2.0).abs() < 1e-7);
        let next = f.forecast(y.len(), 2);
        let s60 = (2.0 * std::f64::consts::PI * 0.0).sin();
        assert!((next[0] - (2.0 + 0.5 * y[59] + 3.0 * s60)).abs() < 1e-6);
        assert!(f.sigma2 < 1e-12);
    }

    #[test]
    fn too_short_is_refused_and_variance_grows() {
        assert!(fit(&[1.0, 2.0, 3.0], 2, 1).is_err());
        let y: Vec<f64> = (0..30).map(|i| ((i * 7) % 5) as f64).collect();
        let f = fit(&y, 2, 1).unwrap();
        let v = f.variance(4);
        assert!(v.windows(2).all(|w| w[1] >= w[0]));
    }
}
