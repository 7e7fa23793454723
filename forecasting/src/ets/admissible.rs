//! The "both" bounds: the usual parameter region and the admissible one (every root of the
//! characteristic polynomial inside the unit circle, by Schur–Cohn).

use super::*;

/// The usual bounds (R's `check.param`; with [`admissible`], its bounds "both").
pub(super) fn usual(spec: &Spec, alpha: f64, beta: f64, gamma: f64, phi: f64) -> bool {
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

pub(super) fn admissible(
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
