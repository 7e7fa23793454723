//! Intermittent-demand models, value for value as statsforecast 2.1.1 (see
//! `../shared/FORECASTING.md`): Croston classic, SBA and optimised, TSB, ADIDA, IMAPA. Each
//! returns the flat point forecast.

use crate::numpy;
use crate::ses::{self, golden_section, golden_sections, golden_sections_pooled, level};

/// Demand sizes (`y > 0`) and inter-demand intervals: the first interval is the 1-based
/// position of the first demand, the next ones the distance between demands.
pub fn sizes_and_intervals(y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    // Branch-free compaction: every value is written at the cursor, which moves on only for
    // a demand (intermittent series make a branch on it a coin toss). The buffers hold one
    // spare slot for the last write.
    let mut z = vec![0.0; y.len() + 1];
    let mut p = vec![0.0; y.len() + 1];
    let (mut nz, mut np) = (0usize, 0usize);
    let mut last = -1i64;
    for (i, &v) in y.iter().enumerate() {
        z[nz] = v;
        nz += usize::from(v > 0.0);
        let demand = v != 0.0;
        p[np] = (i as i64 - last) as f64;
        np += usize::from(demand);
        last = if demand { i as i64 } else { last };
    }
    z.truncate(nz);
    p.truncate(np);
    (z, p)
}

/// Round half to even (numpy / Python `round`).
pub fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

fn last(y: &[f64]) -> f64 {
    y.last().copied().unwrap_or(0.0)
}

/// Croston with smoothing constants for sizes and intervals, `alphas(sizes, intervals)`.
fn croston(y: &[f64], alphas: impl Fn(&[f64], &[f64]) -> [f64; 2]) -> f64 {
    let (z, p) = sizes_and_intervals(y);
    if z.is_empty() {
        return last(y); // statsforecast falls back to Naive
    }
    let [az, ap] = alphas(&z, &p);
    croston_ratio(level(&z, az), level(&p, ap))
}

/// Croston's forecast from its size and interval levels.
pub(crate) fn croston_ratio(zf: f64, pf: f64) -> f64 {
    if pf == 0.0 { zf } else { zf / pf }
}

/// CrostonClassic: alpha 0.1 for both sizes and intervals.
pub fn croston_classic(y: &[f64]) -> f64 {
    croston(y, |_, _| [0.1, 0.1])
}

/// CrostonSBA: 0.95 × CrostonClassic.
pub fn croston_sba(y: &[f64]) -> f64 {
    0.95 * croston_classic(y)
}

/// CrostonOptimized: alpha by golden section on [0.1, 0.3], separately for sizes and intervals
/// (the two searches side by side, [`golden_sections`]).
pub fn croston_optimized(y: &[f64]) -> f64 {
    plan_croston_optimized(y).solve()
}

/// CrostonOptimized's alphas for its sizes and intervals.
pub(crate) fn croston_alphas(z: &[f64], p: &[f64]) -> [f64; 2] {
    let alpha = golden_sections(&[z, p], 0.1, 0.3);
    [alpha[0], alpha[1]]
}

/// TSB: demand level over the positive values, probability level over every period.
pub fn tsb(y: &[f64], alpha_d: f64, alpha_p: f64) -> f64 {
    let (z, _) = sizes_and_intervals(y);
    if z.is_empty() {
        return 0.0;
    }
    level(&z, alpha_d) * level(&demand_indicator(y), alpha_p)
}

/// 1 in a period with demand, else 0.
fn demand_indicator(y: &[f64]) -> Vec<f64> {
    y.iter().map(|v| f64::from(u8::from(*v != 0.0))).collect()
}

/// [`tsb`] of many series, the levels of four at a time side by side ([`ses::levels`]): each
/// equal to its series' own to the bit.
pub(crate) fn tsb_many(ys: &[&[f64]], alpha_d: f64, alpha_p: f64) -> Vec<f64> {
    let sizes: Vec<Vec<f64>> = ys.iter().map(|y| sizes_and_intervals(y).0).collect();
    // A series without sizes (no demand) forecasts 0.
    let demand: Vec<usize> = (0..ys.len()).filter(|&i| !sizes[i].is_empty()).collect();
    let zs: Vec<&[f64]> = demand.iter().map(|&i| sizes[i].as_slice()).collect();
    let inds: Vec<Vec<f64>> = demand.iter().map(|&i| demand_indicator(ys[i])).collect();
    let inds: Vec<&[f64]> = inds.iter().map(Vec::as_slice).collect();
    let mut out = vec![0.0; ys.len()];
    let levels = ses::levels(&zs, alpha_d)
        .into_iter()
        .zip(ses::levels(&inds, alpha_p));
    for (&i, (z, p)) in demand.iter().zip(levels) {
        out[i] = z * p;
    }
    out
}

/// One temporal-aggregation step at level `k` (ADIDA's, and each of IMAPA's).
pub(crate) fn aggregate_forecast(y: &[f64], k: usize) -> f64 {
    match aggregation(y, k) {
        Aggregated::Forecast(f) => f,
        Aggregated::Search(sums) => level(&sums, golden_section(&sums, 0.1, 0.3)) / k as f64,
    }
}

/// What one aggregation level needs: its forecast at once, or a search over its bucket sums.
pub(crate) enum Aggregated {
    Forecast(f64),
    Search(Vec<f64>),
}

pub(crate) fn aggregation(y: &[f64], k: usize) -> Aggregated {
    let n = y.len();
    let k = k.max(1);
    let usable = n - n % k;
    if usable < k {
        return Aggregated::Forecast(last(y) / k as f64);
    }
    let sums: Vec<f64> = y[n % k..].chunks(k).map(numpy::sum).collect();
    if sums.len() == 1 {
        return Aggregated::Forecast(sums[0] / k as f64);
    }
    Aggregated::Search(sums)
}

/// The mean inter-demand interval, rounded by `round` (at least 1); none without demand.
///
/// The intervals add up to the last demand's 1-based position (each ends where the next
/// begins), a whole number that every partial sum in `f64` holds exactly: that position over
/// the count of demands is their mean to the bit, without gathering them.
pub(crate) fn mean_interval(y: &[f64], round: fn(f64) -> f64) -> Option<usize> {
    let last = y.iter().rposition(|v| *v != 0.0)?;
    let demands = y.iter().filter(|v| **v != 0.0).count();
    let mean = (last + 1) as f64 / demands as f64;
    Some(round(mean).max(1.0) as usize)
}

/// ADIDA: aggregate to the rounded mean interval, SES with golden-section alpha, disaggregate.
pub fn adida(y: &[f64]) -> f64 {
    plan_adida(y).solve()
}

/// IMAPA: the unweighted mean of the ADIDA forecasts at every level 1..=K.
pub fn imapa(y: &[f64]) -> f64 {
    plan_imapa(y).solve()
}

/// A flat forecast that waits on golden-section searches over `[0.1, 0.3]` (CrostonOptimized,
/// ADIDA, IMAPA): the series to search, each giving `level(x, its alpha) / k`, and the values
/// known at once, combined as the model combines them. [`solve`] runs the searches of many
/// plans side by side, so that a batch of series fills the lockstep lanes with searches of
/// equal length; each alpha is its own search's to the bit.
pub(crate) struct Plan {
    parts: Vec<Part>,
    combine: Combine,
}

enum Part {
    Known(f64),
    Search { x: Vec<f64>, k: f64 },
}

#[derive(Clone, Copy)]
enum Combine {
    /// Croston: the sizes' level over the intervals' ([`croston_ratio`]).
    Ratio,
    /// ADIDA: its one level.
    One,
    /// IMAPA: the levels' mean, in numpy's order.
    Mean,
}

/// A flat forecast known at once, or after its plan's searches.
pub(crate) enum Planned {
    Known(f64),
    Plan(Plan),
}

impl Planned {
    /// The forecast, the plan's searches side by side as [`golden_sections`] runs one
    /// series' searches.
    fn solve(self) -> f64 {
        match self {
            Planned::Known(v) => v,
            Planned::Plan(p) => solve(std::slice::from_ref(&p), false)[0],
        }
    }
}

/// The forecasts of `plans`: every search of every plan side by side ([`search_all`]).
pub(crate) fn solve(plans: &[Plan], pooled: bool) -> Vec<f64> {
    let alphas = search_all(plans, pooled);
    let mut alphas = alphas.iter().copied();
    plans.iter().map(|plan| plan.finish(&mut alphas)).collect()
}

/// The alphas of every search of `plans`, plan by plan, `pooled` (many series:
/// [`golden_sections_pooled`], lockstep groups of equal length) or as one series' searches
/// ([`golden_sections`]).
pub(crate) fn search_all(plans: &[Plan], pooled: bool) -> Vec<f64> {
    let xs: Vec<&[f64]> = plans.iter().flat_map(Plan::searches).collect();
    if pooled {
        golden_sections_pooled(&xs, 0.1, 0.3)
    } else {
        golden_sections(&xs, 0.1, 0.3)
    }
}

impl Plan {
    /// The series the plan searches, in order.
    fn searches(&self) -> impl Iterator<Item = &[f64]> {
        self.parts.iter().filter_map(|part| match part {
            Part::Search { x, .. } => Some(x.as_slice()),
            Part::Known(_) => None,
        })
    }

    /// How many searches the plan waits on.
    pub(crate) fn search_count(&self) -> usize {
        self.searches().count()
    }

    /// The forecast, the plan's searches' alphas taken from `alphas` in order.
    pub(crate) fn finish(&self, alphas: &mut impl Iterator<Item = f64>) -> f64 {
        let values: Vec<f64> = self
            .parts
            .iter()
            .map(|part| match part {
                Part::Known(v) => *v,
                Part::Search { x, k } => level(x, alphas.next().unwrap_or(f64::NAN)) / k,
            })
            .collect();
        match self.combine {
            Combine::Ratio => croston_ratio(values[0], values[1]),
            Combine::One => values[0],
            Combine::Mean => numpy::mean(&values),
        }
    }
}

pub(crate) fn plan_croston_optimized(y: &[f64]) -> Planned {
    let (z, p) = sizes_and_intervals(y);
    if z.is_empty() {
        return Planned::Known(last(y)); // statsforecast falls back to Naive
    }
    let search = |x| Part::Search { x, k: 1.0 };
    Planned::Plan(Plan {
        parts: vec![search(z), search(p)],
        combine: Combine::Ratio,
    })
}

/// Aggregation level `k` as a part of a plan.
fn part(y: &[f64], k: usize) -> Part {
    match aggregation(y, k) {
        Aggregated::Forecast(f) => Part::Known(f),
        Aggregated::Search(x) => Part::Search {
            x,
            k: k.max(1) as f64,
        },
    }
}

pub(crate) fn plan_adida(y: &[f64]) -> Planned {
    match mean_interval(y, round_half_even) {
        None => Planned::Known(0.0),
        Some(k) => Planned::Plan(Plan {
            parts: vec![part(y, k)],
            combine: Combine::One,
        }),
    }
}

pub(crate) fn plan_imapa(y: &[f64]) -> Planned {
    match mean_interval(y, round_half_even) {
        None => Planned::Known(0.0),
        // `forecasts.mean()` in statsforecast: numpy's summation order.
        Some(k) => Planned::Plan(Plan {
            parts: (1..=k).map(|j| part(y, j)).collect(),
            combine: Combine::Mean,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tsb_side_by_side_equals_each_series_alone() {
        // Series without demand among them, of unequal lengths and demand counts.
        let series: Vec<Vec<f64>> = (0..11)
            .map(|k| {
                (0..[5, 51, 51, 2, 51, 51, 1, 30, 51, 51, 9][k])
                    .map(|i| match (i * 7 + k * 3) % 5 {
                        0 | 1 if k != 3 && k != 6 => ((i + k) % 9) as f64 / 7.0 + 0.5,
                        _ => 0.0,
                    })
                    .collect()
            })
            .collect();
        let ys: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
        for (ad, ap) in [(0.1, 0.1), (0.3, 0.05)] {
            for from in 0..4 {
                let many = tsb_many(&ys[from..], ad, ap);
                let alone: Vec<u64> = ys[from..]
                    .iter()
                    .map(|y| tsb(y, ad, ap).to_bits())
                    .collect();
                assert_eq!(many.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), alone);
            }
        }
    }

    #[test]
    fn intervals_count_from_a_virtual_demand_before_the_start() {
        let (z, p) = sizes_and_intervals(&[0.0, 0.0, 3.0, 0.0, 5.0]);
        assert_eq!((z, p), (vec![3.0, 5.0], vec![3.0, 2.0]));
    }

    #[test]
    fn imapa_averages_its_levels_in_numpys_order() {
        // Car parts T101: mean interval 15, so 15 levels averaged; statsforecast 2.1.1's
        // `_imapa(y, 1, False)` gives 0.06429345437202902 (a left-to-right mean gives …903).
        let mut y = [0.0; 51];
        for i in [26, 32, 45] {
            y[i] = 1.0;
        }
        assert_eq!(imapa(&y), 0.064_293_454_372_029_02);
    }

    proptest! {
        #[test]
        fn the_mean_interval_is_the_mean_of_the_intervals(
            y in prop::collection::vec(prop_oneof![3 => Just(0.0), 1 => (1u32..9).prop_map(f64::from)], 0..300),
        ) {
            let (_, p) = sizes_and_intervals(&y);
            let by_definition = (!p.is_empty())
                .then(|| p.iter().sum::<f64>() / p.len() as f64);
            for round in [round_half_even as fn(f64) -> f64, f64::round, f64::floor] {
                prop_assert_eq!(
                    mean_interval(&y, round),
                    by_definition.map(|m| round(m).max(1.0) as usize)
                );
            }
        }
    }

    #[test]
    fn rounding_is_half_to_even() {
        assert_eq!(round_half_even(2.5), 2.0);
        assert_eq!(round_half_even(3.5), 4.0);
        assert_eq!(round_half_even(2.4), 2.0);
    }

    #[test]
    fn all_zero_series() {
        let y = [0.0; 12];
        assert_eq!(
            (croston_classic(&y), tsb(&y, 0.1, 0.1), adida(&y), imapa(&y)),
            (0.0, 0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn croston_by_hand() {
        // z = [3, 5] → 3.2; p = [3, 2] → 2.9; 3.2 / 2.9.
        let f = croston_classic(&[0.0, 0.0, 3.0, 0.0, 5.0]);
        assert!((f - 3.2 / 2.9).abs() < 1e-15);
        assert!((croston_sba(&[0.0, 0.0, 3.0, 0.0, 5.0]) - 0.95 * 3.2 / 2.9).abs() < 1e-15);
    }
}
