//! Simple exponential smoothing as statsforecast 2.1.1 computes it (`src/ses.cpp`): the level
//! starts at the first value, no warm-up, no optimised initial state; and its golden-section
//! search for alpha.

/// The one-step forecast of SES over `x` (the flat forecast). `x` must not be empty.
///
/// The recursion is statsforecast's, step for step (its floating-point rounding included): the
/// fitted value starts at `x[0]`, each next one is `alpha·x[i-1] + (1-alpha)·fitted[i-1]`, and
/// the forecast is one more step after the last observation.
pub fn level(x: &[f64], alpha: f64) -> f64 {
    recursion(x, alpha, |_| ())
}

/// [`level`] of many series with one alpha, four at a time: the four recursions interleaved
/// over the values they all have (each a chain of dependent multiplications and additions that
/// would otherwise wait on itself), then each lane's remaining values alone. Each level is its
/// series' [`level`] to the bit: the same operations in the same order. Every series must be
/// non-empty.
pub fn levels(xs: &[&[f64]], alpha: f64) -> Vec<f64> {
    levels_with(xs, alpha, |_, _| ())
}

/// [`fitted_and_level`] of many series with one alpha, their recursions side by side as
/// [`levels`] runs them.
pub fn fitted_and_levels(xs: &[&[f64]], alpha: f64) -> Vec<Vec<f64>> {
    let mut paths: Vec<Vec<f64>> = xs
        .iter()
        .map(|x| {
            let mut path = Vec::with_capacity(x.len() + 1);
            path.push(f64::NAN);
            path
        })
        .collect();
    let last = levels_with(xs, alpha, |k, f| paths[k].push(f));
    for (path, level) in paths.iter_mut().zip(last) {
        path.push(level);
    }
    paths
}

/// The recursion of [`levels`], each fitted value of series `k` after its first given to
/// `each(k, value)` on the way, in order ([`recursion`]'s, four series at a time).
#[inline(always)]
fn levels_with(xs: &[&[f64]], alpha: f64, mut each: impl FnMut(usize, f64)) -> Vec<f64> {
    let complement = 1.0 - alpha;
    let mut out = Vec::with_capacity(xs.len());
    let mut groups = xs.chunks_exact(4);
    for (k, g) in (&mut groups).enumerate() {
        let base = 4 * k;
        let common = g.iter().map(|x| x.len()).min().unwrap_or(0);
        // One value alone is its own level ([`Steps::push`]).
        if common < 2 {
            for (l, x) in g.iter().enumerate() {
                out.push(recursion(x, alpha, |f| each(base + l, f)));
            }
            continue;
        }
        let lanes: [&[f64]; 4] = std::array::from_fn(|l| &g[l][..common]);
        // The first step starts from the first value itself.
        let mut cur: [f64; 4] =
            std::array::from_fn(|l| alpha * lanes[l][0] + complement * lanes[l][0]);
        for i in 1..common {
            // The values after `x[i - 1]`, none of them a lane's last.
            cur.iter().enumerate().for_each(|(l, f)| each(base + l, *f));
            for (f, x) in cur.iter_mut().zip(&lanes) {
                *f = alpha * x[i] + complement * *f;
            }
        }
        for (l, x) in g.iter().enumerate() {
            out.push(x[common..].iter().fold(cur[l], |f, &v| {
                each(base + l, f);
                alpha * v + complement * f
            }));
        }
    }
    let base = xs.len() - groups.remainder().len();
    for (l, x) in groups.remainder().iter().enumerate() {
        out.push(recursion(x, alpha, |f| each(base + l, f)));
    }
    out
}

/// The recursion of [`level`], each fitted value after the first given to `each` on the way.
#[inline(always)]
fn recursion(x: &[f64], alpha: f64, mut each: impl FnMut(f64)) -> f64 {
    let mut steps = Steps::new(alpha, x.len());
    for &v in &x[..x.len() - 1] {
        each(steps.push(v));
    }
    steps.push(x[x.len() - 1])
}

/// The recursion of [`level`] fed one value at a time, for paths built as their values arrive:
/// after the `k`-th of `n` values, the forecast from the first `k` (`fitted[k]`, and [`level`]
/// after all `n`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Steps {
    alpha: f64,
    complement: f64,
    n: usize,
    /// How many values have been pushed.
    pub(crate) k: usize,
    /// The forecast after them (`NaN` before the first).
    pub(crate) cur: f64,
}

impl Steps {
    pub(crate) fn new(alpha: f64, n: usize) -> Self {
        Steps {
            alpha,
            complement: 1.0 - alpha,
            n,
            k: 0,
            cur: f64::NAN,
        }
    }

    /// The forecast after one more value.
    #[inline(always)]
    pub(crate) fn push(&mut self, v: f64) -> f64 {
        self.k += 1;
        self.cur = match (self.k, self.n) {
            // One value alone is its own level.
            (1, 1) => v,
            // The first step starts from the first value itself.
            (1, _) => self.alpha * v + self.complement * v,
            _ => self.alpha * v + self.complement * self.cur,
        };
        self.cur
    }
}

/// In-sample one-step fitted values: `NaN` at 0, then `alpha·x[i-1] + (1-alpha)·fitted[i-1]`
/// (with `x[0]` in place of the first fitted value).
pub fn fitted(x: &[f64], alpha: f64) -> Vec<f64> {
    let mut out = fitted_and_level(x, alpha);
    out.pop();
    out
}

/// [`fitted`] with [`level`] appended (`n + 1` values), from one pass.
pub fn fitted_and_level(x: &[f64], alpha: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len() + 1);
    if x.is_empty() {
        return out;
    }
    out.push(f64::NAN);
    let last = recursion(x, alpha, |f| out.push(f));
    out.push(last);
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

/// [`golden_section`] of several series at once, each result equal to its own search to the
/// bit: the searches run in lockstep, four at a time (series of similar length together), and
/// each round evaluates the four next points in one pass over the four series interleaved, so
/// that their recursions (each a chain of dependent multiplications and additions) overlap and
/// run in vector registers instead of waiting on one another. CrostonOptimized searches its
/// sizes and intervals this way, IMAPA every aggregation level.
pub fn golden_sections(xs: &[&[f64]], lower: f64, upper: f64) -> Vec<f64> {
    // A few short searches (one series' own): a round's bookkeeping costs more than the
    // overlap gains.
    if xs.iter().map(|x| x.len()).max().unwrap_or(0) < LOCKSTEP_FROM {
        return xs.iter().map(|x| golden_section(x, lower, upper)).collect();
    }
    lockstep(xs, lower, upper)
}

/// [`golden_sections`] of many series' searches (a batch of series, [`crate::forecast_batch`]):
/// always in lockstep, groups of four of equal or near length, which a batch has enough of
/// to keep every lane busy whatever the length (car parts: 2,509 series' IMAPA searches take
/// 0.66 of the time one after the other, their CrostonOptimized searches 0.77).
pub fn golden_sections_pooled(xs: &[&[f64]], lower: f64, upper: f64) -> Vec<f64> {
    lockstep(xs, lower, upper)
}

/// The longest series from which [`golden_sections`] runs a few searches in lockstep
/// (measured: 2 searches of 128 values take 0.6 of the time one after the other, 2 of car
/// parts' sizes and intervals 1.1 times as long).
const LOCKSTEP_FROM: usize = 48;

/// The searches of [`golden_sections`], run now.
fn lockstep(xs: &[&[f64]], lower: f64, upper: f64) -> Vec<f64> {
    if xs.len() == 1 {
        return vec![golden_section(xs[0], lower, upper)];
    }
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by_key(|&i| xs[i].len());
    let mut out = vec![0.0; xs.len()];
    // Two searches (CrostonOptimized's) fill one pair of lanes; more, groups of four.
    if xs.len() == 2 {
        lanes::<2>(xs, &order, lower, upper, &mut out);
    } else {
        lanes::<4>(xs, &order, lower, upper, &mut out);
    }
    out
}

/// The searches of `xs` in `order`, `W` at a time.
fn lanes<const W: usize>(xs: &[&[f64]], order: &[usize], lower: f64, upper: f64, out: &mut [f64]) {
    let mut lanes = Lanes::<W>::default();
    for group in order.chunks(W) {
        lanes.fill(group.iter().map(|&i| xs[i]));
        let alphas = lanes.golden(group.len(), lower, upper);
        for (l, &i) in group.iter().enumerate() {
            out[i] = alphas[l];
        }
    }
}

/// `W` series interleaved (`x[i][l]` is value `i` of lane `l`), shorter lanes padded with
/// zeros, and a weight per value: 1 where the lane has it, 0 in the padding, so a lane's sum
/// of squared errors over the padding adds exact zeros.
struct Lanes<const W: usize> {
    x: Vec<[f64; W]>,
    weight: Vec<[f64; W]>,
}

impl<const W: usize> Default for Lanes<W> {
    fn default() -> Self {
        Lanes {
            x: Vec::new(),
            weight: Vec::new(),
        }
    }
}

impl<const W: usize> Lanes<W> {
    fn fill<'a>(&mut self, series: impl Iterator<Item = &'a [f64]> + Clone) {
        let n = series.clone().map(<[f64]>::len).max().unwrap_or(0);
        self.x.clear();
        self.x.resize(n, [0.0; W]);
        self.weight.clear();
        self.weight.resize(n, [0.0; W]);
        for (l, s) in series.enumerate() {
            for (i, &v) in s.iter().enumerate() {
                self.x[i][l] = v;
                self.weight[i][l] = 1.0;
            }
        }
    }

    /// [`sse`] of each lane with its own alpha, the steps of the four lanes together.
    fn sse(&self, alpha: [f64; W]) -> [f64; W] {
        let complement = alpha.map(|a| 1.0 - a);
        let mut f = self.x.first().copied().unwrap_or([0.0; W]);
        let mut s = [0.0; W];
        for (pair, w) in self.x.windows(2).zip(self.weight.iter().skip(1)) {
            for l in 0..W {
                let mut e = 0.0;
                sse_step(
                    &mut f[l],
                    &mut e,
                    alpha[l],
                    complement[l],
                    pair[0][l],
                    pair[1][l],
                );
                s[l] += e * w[l];
            }
        }
        s
    }

    /// The searches of the first `used` lanes in lockstep, each step for step
    /// [`crate::optim::golden_section`]: each round moves every unfinished search's bracket and
    /// evaluates the four new points in one [`Lanes::sse`]. A finished or unused lane stays
    /// where it is (it is evaluated again and the value dropped).
    fn golden(&self, used: usize, lower: f64, upper: f64) -> [f64; W] {
        let gr = crate::optim::GOLDEN_RATIO;
        let (mut a, mut b) = ([lower; W], [upper; W]);
        let mut c = [upper - (upper - lower) / gr; W];
        let mut d = [lower + (upper - lower) / gr; W];
        let (mut fc, mut fd) = (self.sse(c), self.sse(d));
        let mut live: [bool; W] = std::array::from_fn(|l| l < used);
        let mut left = [false; W];
        let mut at = c;
        loop {
            // Each lane's step computed both ways and selected: which side a search keeps is
            // a coin toss, and four mispredicted branches a round cost more than the step.
            for l in 0..W {
                // Stop below 1e-12 or on a tie (or NaN), as `golden_section` does.
                let narrow = (b[l] - a[l]).abs() < 1e-12;
                live[l] = live[l] && !narrow && (fc[l] < fd[l] || fd[l] < fc[l]);
                let go = live[l] && fc[l] < fd[l];
                left[l] = go;
                let na = if go { a[l] } else { c[l] };
                let nb = if go { d[l] } else { b[l] };
                let q = (nb - na) / gr;
                let nc = if go { nb - q } else { d[l] };
                let nd = if go { c[l] } else { na + q };
                let nf = if go { fc[l] } else { fd[l] };
                if live[l] {
                    (a[l], b[l], c[l], d[l], fc[l], fd[l]) = (na, nb, nc, nd, nf, nf);
                }
                at[l] = if go { nc } else { nd };
            }
            if !live.contains(&true) {
                break;
            }
            let v = self.sse(at);
            for l in 0..W {
                if live[l] && left[l] {
                    fc[l] = v[l];
                }
                if live[l] && !left[l] {
                    fd[l] = v[l];
                }
            }
        }
        std::array::from_fn(|l| (b[l] + a[l]) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_paths_side_by_side_equal_each_alone() {
        // Lanes of equal and unequal lengths, of one value, groups part filled.
        let series: Vec<Vec<f64>> = (0..11)
            .map(|k| {
                (0..[1, 2, 51, 51, 3, 51, 7, 60, 1, 3, 51][k])
                    .map(|i| match i % 4 {
                        3 => 0.0,
                        // Where the first step (`alpha·x + (1 − alpha)·x`) is not `x`.
                        _ if i == 0 => 11.0 / 7.0,
                        _ => ((i * i + 3 * k + 11) % 47) as f64 / 7.0,
                    })
                    .collect()
            })
            .collect();
        let xs: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
        for alpha in [0.1, 0.37, 0.99] {
            for from in 0..4 {
                let got = levels(&xs[from..], alpha);
                let want: Vec<u64> = xs[from..]
                    .iter()
                    .map(|x| level(x, alpha).to_bits())
                    .collect();
                assert_eq!(got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                let paths = fitted_and_levels(&xs[from..], alpha);
                assert_eq!(paths.len(), xs.len() - from);
                for (x, path) in xs[from..].iter().zip(&paths) {
                    assert_eq!(bits(path), bits(&fitted_and_level(x, alpha)));
                }
            }
        }
        assert!(levels(&[], 0.1).is_empty());
    }

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
        // Nine in groups of four (lanes of unequal length, one group part empty), and pairs
        // (two lanes) of a long and a short series.
        let pairs: Vec<[&[f64]; 2]> = (0..8).map(|i| [xs[i], xs[8 - i]]).collect();
        for (lo, hi) in [(0.1, 0.3), (0.01, 0.99)] {
            for group in std::iter::once(&xs[..]).chain(pairs.iter().map(|p| &p[..])) {
                let many = lockstep(group, lo, hi);
                for (x, a) in group.iter().zip(&many) {
                    assert_eq!(a.to_bits(), golden_section(x, lo, hi).to_bits());
                }
                assert_eq!(many, golden_sections(group, lo, hi));
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
