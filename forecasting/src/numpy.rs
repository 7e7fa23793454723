//! The float arithmetic of numpy that statsforecast's results depend on, reproduced to the bit:
//! the order numpy adds in (`sum`, `mean`) and its default quantile.

/// `numpy.sum(a)` (and so `a.mean() × n`) to the bit: numpy's pairwise summation, eight
/// accumulators over blocks of at most 128 values, halves (at a multiple of 8) above that.
/// A plain left-to-right sum differs from it in the last bits from 8 values on.
pub fn sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        return a.iter().fold(0.0, |s, v| s + v);
    }
    if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let whole = n - n % 8;
        for block in a[8..whole].chunks_exact(8) {
            for (acc, v) in r.iter_mut().zip(block) {
                *acc += v;
            }
        }
        let head = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        return a[whole..].iter().fold(head, |s, v| s + v);
    }
    let half = n / 2;
    let half = half - half % 8;
    sum(&a[..half]) + sum(&a[half..])
}

/// `numpy.mean(a)`: [`sum`] over the count (NaN when empty).
pub fn mean(a: &[f64]) -> f64 {
    sum(a) / a.len() as f64
}

/// `numpy.quantile(sorted, q)` with its default linear method, to the bit: the virtual index
/// `(n − 1) q`, and numpy's two-sided interpolation (from above when the fraction is ≥ ½).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let virtual_index = (n - 1) as f64 * q;
    let below = virtual_index.floor();
    let gamma = virtual_index - below;
    let i = (below.max(0.0) as usize).min(n - 1);
    let (a, b) = (sorted[i], sorted[(i + 1).min(n - 1)]);
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_adds_in_numpys_order() {
        // 1e16 + 1 + 1 … loses each 1 added one at a time; numpy's eight accumulators keep
        // them apart until the last additions.
        let mut a = vec![1.0; 16];
        a[0] = 1e16;
        assert_eq!(a.iter().fold(0.0, |s, v| s + v), 1e16);
        // r = [1e16 (+ 1 lost), 2, 2, 2, 2, 2, 2, 2], then ((1e16 + 2) + 4) + 8: numpy says
        // `np.sum([1e16] + [1.0] * 15) - 1e16 == 14.0`.
        assert_eq!(sum(&a), 1e16 + 14.0);
        assert_eq!(sum(&[]), 0.0);
        assert_eq!(sum(&[1.5, 2.5]), 4.0);
        let long: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.1).collect();
        assert!((sum(&long) - 49_950.0).abs() < 1e-9);
    }
}
