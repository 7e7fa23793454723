//! Simple exponential smoothing as statsforecast 2.1.1 computes it (`src/ses.cpp`): the level
//! starts at the first value, no warm-up, no optimised initial state; and its golden-section
//! search for alpha.

/// The one-step forecast of SES over `x` (the flat forecast). `x` must not be empty.
///
/// The recursion is statsforecast's, step for step (its floating-point rounding included): the
/// fitted value starts at `x[0]`, each next one is `alpha·x[i-1] + (1-alpha)·fitted[i-1]`, and
/// the forecast is one more step after the last observation.
pub fn level(x: &[f64], alpha: f64) -> f64 {
    if x.len() == 1 {
        return x[0];
    }
    let complement = 1.0 - alpha;
    let mut f = x[0];
    for &v in &x[..x.len() - 1] {
        f = alpha * v + complement * f;
    }
    alpha * x[x.len() - 1] + complement * f
}

/// In-sample one-step fitted values: `NaN` at 0, then `alpha·x[i-1] + (1-alpha)·fitted[i-1]`
/// (with `x[0]` in place of the first fitted value).
pub fn fitted(x: &[f64], alpha: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    if x.is_empty() {
        return out;
    }
    out.push(f64::NAN);
    let complement = 1.0 - alpha;
    let mut f = x[0];
    for &v in &x[..x.len() - 1] {
        f = alpha * v + complement * f;
        out.push(f);
    }
    out
}

/// ERPNext's start: the level is the mean of the non-zero values, set at the first non-zero
/// value; each next one is `level + alpha·(x − level)`. `None` before that first value, and for
/// a series without one.
fn mean_nonzero_path(x: &[f64], alpha: f64) -> (Vec<f64>, Option<f64>) {
    let nonzero: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0).collect();
    let mut fitted = vec![f64::NAN; x.len()];
    let Some(start) = x.iter().position(|v| *v != 0.0) else {
        return (fitted, None);
    };
    let mut level = nonzero.iter().sum::<f64>() / nonzero.len() as f64;
    for (i, &v) in x.iter().enumerate().skip(start) {
        fitted[i] = level;
        level += alpha * (v - level);
    }
    (fitted, Some(level))
}

/// The flat forecast of SES seeded as ERPNext does (the mean of the non-zero values; 0 for an
/// all-zero series).
pub fn level_mean_nonzero(x: &[f64], alpha: f64) -> f64 {
    mean_nonzero_path(x, alpha).1.unwrap_or(0.0)
}

/// In-sample one-step fitted values of [`level_mean_nonzero`]: `NaN` before the first
/// non-zero value.
pub fn fitted_mean_nonzero(x: &[f64], alpha: f64) -> Vec<f64> {
    mean_nonzero_path(x, alpha).0
}

/// One-step sum of squared errors of SES with `alpha`, by the same recursion.
pub fn sse(x: &[f64], alpha: f64) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let complement = 1.0 - alpha;
    let mut f = x[0];
    let mut s = 0.0;
    for i in 1..x.len() {
        f = alpha * x[i - 1] + complement * f;
        let e = x[i] - f;
        s += e * e;
    }
    s
}

/// The alpha in `[lower, upper]` that minimises [`sse`], by statsforecast's golden-section
/// search ([`crate::optim::golden_section`]).
pub fn golden_section(x: &[f64], lower: f64, upper: f64) -> f64 {
    crate::optim::golden_section(lower, upper, |alpha| sse(x, alpha))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_and_fitted() {
        assert_eq!(level(&[3.0], 0.1), 3.0);
        assert!((level(&[3.0, 5.0], 0.1) - 3.2).abs() < 1e-15);
        let f = fitted(&[3.0, 5.0, 1.0], 0.5);
        assert!(f[0].is_nan());
        assert_eq!(&f[1..], &[3.0, 4.0]);
        assert_eq!(level(&[3.0, 5.0, 1.0], 0.5), 2.5);
    }

    #[test]
    fn golden_section_finds_the_minimum_and_stops_on_ties() {
        // One point: the SSE is 0 everywhere, a tie at once, the midpoint comes back.
        assert_eq!(golden_section(&[4.0], 0.1, 0.3), 0.2);
        // A random walk prefers the largest alpha in the bracket.
        let x: Vec<f64> = (0..30).map(|i| (i * i % 7) as f64 + i as f64).collect();
        let a = golden_section(&x, 0.1, 0.3);
        assert!((0.1..=0.3).contains(&a));
        let best_end = sse(&x, 0.1).min(sse(&x, 0.3));
        assert!(sse(&x, a) <= best_end * (1.0 + 1e-9), "{a}");
    }
}
