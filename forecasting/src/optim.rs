//! The optimisers of the models, as statsforecast 2.1.1 runs them (so that fits are equal to
//! its, to the bit where its optimiser is ours): Nelder–Mead for ETS, golden-section search for
//! the smoothing constants of SES and Croston.

/// statsforecast's Nelder–Mead: adaptive coefficients, initial simplex from 5 % steps (1e-4 for
/// zeros), points clipped to the bounds, stop when the values' standard deviation is below `tol`.
pub(crate) fn nelder_mead(
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

/// The point in `[lower, upper]` that minimises `f`, by statsforecast's golden-section search:
/// each step keeps the better inner point and evaluates one new one, it runs while the bracket
/// is at least 1e-12 wide, stops on an exact tie, and returns the bracket's middle.
pub fn golden_section(lower: f64, upper: f64, mut f: impl FnMut(f64) -> f64) -> f64 {
    let gr = GOLDEN_RATIO;
    let (mut a, mut b) = (lower, upper);
    let mut c = b - (b - a) / gr;
    let mut d = a + (b - a) / gr;
    let (mut fc, mut fd) = (f(c), f(d));
    while (b - a).abs() >= 1e-12 {
        if fc < fd {
            b = d;
            (d, fd) = (c, fc);
            c = b - (b - a) / gr;
            fc = f(c);
        } else if fd < fc {
            a = c;
            (c, fc) = (d, fd);
            d = a + (b - a) / gr;
            fd = f(d);
        } else {
            break;
        }
    }
    (b + a) / 2.0
}

/// `(√5 + 1) / 2` as statsforecast computes it (a test checks it): [`golden_section`]'s and the
/// lockstep searches' (`crate::ses::golden_sections`) ratio.
pub(crate) const GOLDEN_RATIO: f64 = 1.618_033_988_749_895;

#[cfg(test)]
mod tests {
    #[test]
    fn the_golden_ratio_is_the_one_statsforecast_computes() {
        assert_eq!(super::GOLDEN_RATIO, (5f64.sqrt() + 1.0) / 2.0);
    }
}
