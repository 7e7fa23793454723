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
        sse_step(&mut f, &mut s, alpha, complement, x[i - 1], x[i]);
    }
    s
}

/// One step of [`sse`]: the forecast `f` moves on from the value before, and the squared error
/// of the value is added to `s` (the one formula [`sse`] and [`golden_sections`] share, so
/// that their sums are equal to the bit).
#[inline(always)]
fn sse_step(f: &mut f64, s: &mut f64, alpha: f64, complement: f64, before: f64, value: f64) {
    *f = alpha * before + complement * *f;
    let e = value - *f;
    *s += e * e;
}

/// The alpha in `[lower, upper]` that minimises [`sse`], by statsforecast's golden-section
/// search ([`crate::optim::golden_section`]).
pub fn golden_section(x: &[f64], lower: f64, upper: f64) -> f64 {
    crate::optim::golden_section(lower, upper, |alpha| sse(x, alpha))
}

/// The longest series from which [`golden_sections`] runs its searches side by side (measured:
/// 2 searches of 128 values side by side take 0.6 of the time one after the other, of 32
/// values about as long, of 8 values 2.3 times as long).
const SIDE_BY_SIDE_FROM: usize = 48;

/// [`golden_section`] of several series at once, each result equal to its own search to the
/// bit: the searches run side by side, and each round evaluates every unfinished search's next
/// point in one pass over the series, so that their recursions (each a chain of dependent
/// multiplications and additions) overlap instead of waiting on one another. CrostonOptimized
/// searches its sizes and intervals this way, IMAPA every aggregation level.
pub fn golden_sections(xs: &[&[f64]], lower: f64, upper: f64) -> Vec<f64> {
    // Side by side pays where the recursions are long; for short series (car parts' few
    // demands) the bookkeeping of a round costs more than the overlap gains.
    if xs.iter().map(|x| x.len()).max().unwrap_or(0) < SIDE_BY_SIDE_FROM || xs.len() < 2 {
        return xs.iter().map(|x| golden_section(x, lower, upper)).collect();
    }
    // Longest first, so the searches still reading at step `i` are a prefix.
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(xs[i].len()));
    let lanes: Vec<&[f64]> = order.iter().map(|&i| xs[i]).collect();
    let mut searches: Vec<crate::optim::Golden> = lanes
        .iter()
        .map(|_| crate::optim::Golden::new(lower, upper))
        .collect();
    let mut alpha = vec![0.0; lanes.len()];
    let mut pending = vec![false; lanes.len()];
    let mut values = Vec::with_capacity(lanes.len());
    loop {
        // A finished search is evaluated again at its last point (the searches mostly take
        // as many steps, from the same bracket); its value is dropped.
        let mut any = false;
        for ((g, a), p) in searches.iter_mut().zip(&mut alpha).zip(&mut pending) {
            *p = match g.next() {
                Some(x) => {
                    *a = x;
                    true
                }
                None => false,
            };
            any |= *p;
        }
        if !any {
            break;
        }
        sse_many(&lanes, &alpha, &mut values);
        for ((g, &v), &p) in searches.iter_mut().zip(&values).zip(&pending) {
            if p {
                g.put(v);
            }
        }
    }
    let mut out = vec![0.0; xs.len()];
    for (g, &i) in searches.iter().zip(&order) {
        out[i] = g.best();
    }
    out
}

/// [`sse`] of each series with its own alpha, the series longest first, side by side in groups
/// of up to four (their states in registers).
fn sse_many(xs: &[&[f64]], alpha: &[f64], out: &mut Vec<f64>) {
    out.clear();
    for (x, a) in xs.chunks(4).zip(alpha.chunks(4)) {
        let mut lanes: [&[f64]; 4] = [&[]; 4];
        let mut al = [0.0; 4];
        lanes[..x.len()].copy_from_slice(x);
        al[..a.len()].copy_from_slice(a);
        let s = sse4(lanes, al);
        out.extend_from_slice(&s[..x.len()]);
    }
}

/// [`sse`] of four series (longest first; an empty one for an unused lane), each step of the
/// lanes still reading run together.
fn sse4(x: [&[f64]; 4], alpha: [f64; 4]) -> [f64; 4] {
    let complement = alpha.map(|a| 1.0 - a);
    let mut f = x.map(|v| v.first().copied().unwrap_or(0.0));
    let mut s = [0.0; 4];
    // Steps 1 .. the shortest length run all four lanes, then three, two, one.
    let mut from = 1;
    for m in (1..=4).rev() {
        let to = x[m - 1].len();
        if to > from {
            match m {
                4 => steps::<4>(&x, &alpha, &complement, &mut f, &mut s, from, to),
                3 => steps::<3>(&x, &alpha, &complement, &mut f, &mut s, from, to),
                2 => steps::<2>(&x, &alpha, &complement, &mut f, &mut s, from, to),
                _ => steps::<1>(&x, &alpha, &complement, &mut f, &mut s, from, to),
            }
            from = to;
        }
    }
    s
}

/// Steps `from .. to` of the first `M` lanes, which all have at least `to` values.
#[inline(always)]
fn steps<const M: usize>(
    x: &[&[f64]; 4],
    alpha: &[f64; 4],
    complement: &[f64; 4],
    f: &mut [f64; 4],
    s: &mut [f64; 4],
    from: usize,
    to: usize,
) {
    let (mut fl, mut sl) = (*f, *s);
    let lanes: [&[f64]; M] = std::array::from_fn(|l| &x[l][..to]);
    for i in from..to {
        for l in 0..M {
            sse_step(
                &mut fl[l],
                &mut sl[l],
                alpha[l],
                complement[l],
                lanes[l][i - 1],
                lanes[l][i],
            );
        }
    }
    (*f, *s) = (fl, sl);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_side_by_side_equal_each_search_alone() {
        let series: Vec<Vec<f64>> = (0..9)
            .map(|k| {
                (0..(3 + 23 * k) % 130)
                    .map(|i| ((i * i + k) % 11) as f64 * if i % 3 == 0 { 0.0 } else { 1.0 })
                    .collect()
            })
            .collect();
        let xs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
        for (lo, hi) in [(0.1, 0.3), (0.01, 0.99)] {
            let many = golden_sections(&xs, lo, hi);
            for (x, a) in xs.iter().zip(&many) {
                assert_eq!(a.to_bits(), golden_section(x, lo, hi).to_bits());
            }
        }
        assert!(golden_sections(&[], 0.1, 0.3).is_empty());
    }

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
