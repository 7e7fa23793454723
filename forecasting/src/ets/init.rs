//! Initial states, as R's heuristic: a classical decomposition of the first three seasons (a
//! Fourier regression when there are fewer), then a line through the first `max(10, 2m)`
//! seasonally adjusted values; and the optimiser's starting parameters.

use super::*;

/// R's `initparam` for the "both" bounds.
pub(super) fn initial_params(spec: &Spec) -> Vec<f64> {
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
pub(super) fn initial_states(y: &[f64], spec: &Spec) -> Option<Vec<f64>> {
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
pub(super) fn line(y: &[f64]) -> (f64, f64) {
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
pub(super) fn decompose(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
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
pub(super) fn fourier_seasonal(y: &[f64], m: usize, mult: bool) -> Vec<f64> {
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
pub(super) fn least_squares(rows: &[[f64; 4]], y: &[f64], cols: usize) -> [f64; 4] {
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
