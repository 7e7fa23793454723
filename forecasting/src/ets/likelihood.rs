//! The state-space recursion of every ETS form and the likelihood the optimiser minimises.

use super::*;

pub(super) fn lik_of(spec: &Spec, n: usize, sse: f64, logf: f64) -> f64 {
    let mut lik = n as f64 * sse.ln();
    if spec.error == Form::Multiplicative {
        lik += 2.0 * logf;
    }
    lik.max(-1e10)
}

/// Smoothing parameters.
#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    pub(super) alpha: f64,
    pub(super) beta: f64,
    pub(super) gamma: f64,
    pub(super) phi: f64,
}

/// Runs the model over `y` from `states` (level, trend if any, all seasonal states but the
/// last, newest first). `seas` is filled with the seasonal states in the order they are used:
/// `seas[i]` at step `i`, which writes `seas[i + m]`. Returns (sum of squared errors,
/// `Σ ln|f|`, final level, final trend); pushes the one-step forecasts to `fitted` if given.
pub(super) fn run(
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
pub(super) fn recurse<const TREND: bool, const SEASON: u8, const MULT: bool>(
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
pub(super) struct Scratch {
    pub(super) seas: Vec<f64>,
    pub(super) poly: Vec<f64>,
    pub(super) next: Vec<f64>,
}

pub(super) struct Problem<'a> {
    pub(super) y: &'a [f64],
    pub(super) spec: Spec,
    pub(super) lower: Vec<f64>,
    pub(super) upper: Vec<f64>,
}

impl Problem<'_> {
    pub(super) fn unpack<'p>(&self, p: &'p [f64]) -> (f64, f64, f64, f64, &'p [f64]) {
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
    pub(super) fn objective(&self, p: &[f64], bound: f64, scratch: &mut Scratch) -> f64 {
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
