//! Point forecasts equal statsforecast 2.1.1's on carparts (2,509 complete series, 39 training
//! months): within 1e-9 relative for the fixed-alpha models and 1e-6 for those whose alpha comes
//! from the golden-section search. The reference values were written by
//! `benches/peers/statsforecast_reference.py`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashMap;

use apotheca_forecasting::*;

const TSF: &str = include_str!("data/car_parts_dataset_with_missing_values.tsf");
const REFERENCE: &str = include_str!("data/carparts_statsforecast_2.1.1.csv");
const TRAIN: usize = 39;

/// The complete series of the .tsf file (no `?`), by name.
fn complete_series() -> HashMap<String, Vec<f64>> {
    TSF.lines()
        .skip_while(|l| !l.starts_with("@data"))
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.contains('?'))
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            let name = parts.next().unwrap().to_string();
            let values = parts
                .nth(1)
                .unwrap()
                .split(',')
                .map(|v| v.trim().parse().unwrap())
                .collect();
            (name, values)
        })
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(1e-300)
    }
}

#[test]
fn point_forecasts_match_statsforecast_on_carparts() {
    let series = complete_series();
    let mut lines = REFERENCE.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    type Model = (&'static str, fn(&[f64]) -> f64, f64);
    let models: Vec<Model> = vec![
        ("croston_classic", croston_classic, 1e-9),
        ("croston_sba", croston_sba, 1e-9),
        ("croston_optimized", croston_optimized, 1e-6),
        ("tsb", |y| tsb(y, 0.1, 0.1), 1e-9),
        ("adida", adida, 1e-6),
        ("imapa", imapa, 1e-6),
        ("ses", |y| ses::level(y, 0.1), 1e-9),
    ];
    let mut checked = 0;
    let mut worst: HashMap<&str, f64> = HashMap::new();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let y = &series
            .get(f[0])
            .unwrap_or_else(|| panic!("{} not in the .tsf", f[0]))[..TRAIN];
        for (name, model, tol) in &models {
            let col = header.iter().position(|h| h == name).unwrap();
            let want: f64 = f[col].parse().unwrap();
            let got = model(y);
            let e = rel(got, want);
            assert!(
                e <= *tol,
                "{name} on {}: {got} vs statsforecast {want} (relative {e:e})",
                f[0]
            );
            let w = worst.entry(name).or_default();
            *w = w.max(e);
        }
        checked += 1;
    }
    assert_eq!(checked, 2509);
    println!("worst relative differences: {worst:?}");
}

const ETS_REFERENCE: &str = include_str!("data/carparts_autoets_2.1.1.csv");

/// MASE of a 12-month forecast, scaled by the training data's one-step naive error; `None`
/// when the training data is constant.
fn mase(y: &[f64], f: &[f64]) -> Option<f64> {
    let scale = y[..TRAIN]
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .sum::<f64>()
        / (TRAIN - 1) as f64;
    (scale > 0.0).then(|| {
        y[TRAIN..]
            .iter()
            .zip(f)
            .map(|(a, b)| (a - b).abs())
            .sum::<f64>()
            / f.len() as f64
            / scale
    })
}

/// AutoETS and additive Holt-Winters (season 12) are as accurate as statsforecast's on the
/// 12-month holdout: mean MASE within 2 % (or better), over every 4th series to keep the debug
/// build quick (`benches/peers/ets_accuracy.py` runs all of them against statsforecast itself).
#[test]
fn autoets_and_holt_winters_are_as_accurate_as_statsforecast() {
    let series = complete_series();
    let hw = ets::Spec {
        error: ets::Form::Additive,
        trend: ets::Form::Additive,
        damped: false,
        season: ets::Form::Additive,
        m: 12,
    };
    let (mut ours, mut theirs, mut ours_hw, mut theirs_hw) = (0.0, 0.0, 0.0, 0.0);
    let (mut n, mut same) = (0usize, 0usize);
    for line in ETS_REFERENCE.lines().skip(1).step_by(4) {
        let f: Vec<&str> = line.split(',').collect();
        let n_fields = f.len();
        let (id, model) = (f[0], f[1..n_fields - 2].join(","));
        let y = &series[id];
        let auto = ets::auto(&y[..TRAIN], 12).unwrap();
        let Some(m) = mase(y, &auto.forecast(12)) else {
            continue;
        };
        let m_hw = mase(y, &ets::fit(&y[..TRAIN], hw).unwrap().forecast(12)).unwrap();
        ours += m;
        ours_hw += m_hw;
        theirs += f[n_fields - 2].parse::<f64>().unwrap();
        theirs_hw += f[n_fields - 1].parse::<f64>().unwrap();
        same += usize::from(auto.spec.name() == model);
        n += 1;
    }
    assert!(n > 500, "{n}");
    println!(
        "AutoETS MASE {:.4} vs {:.4}, Holt-Winters {:.4} vs {:.4}, same model {same}/{n}",
        ours / n as f64,
        theirs / n as f64,
        ours_hw / n as f64,
        theirs_hw / n as f64
    );
    assert!(ours <= 1.02 * theirs, "AutoETS MASE {ours} vs {theirs}");
    assert!(
        ours_hw <= 1.02 * theirs_hw,
        "Holt-Winters MASE {ours_hw} vs {theirs_hw}"
    );
    assert!(
        same * 10 >= n * 9,
        "same model on only {same} of {n} series"
    );
}

const CONFORMAL_REFERENCE: &str = include_str!("data/carparts_conformal_2.1.1.csv");

/// Conformal intervals equal statsforecast's `ConformalIntervals(h, n_windows, method)` on the
/// first 150 carparts series, both methods, 2 and 3 windows, for a fixed-alpha, an
/// intermittent and a baseline model, to the bit (reference: `benches/peers/conformal_reference.py`).
#[test]
fn conformal_intervals_equal_statsforecasts() {
    let series = complete_series();
    let mut lines = CONFORMAL_REFERENCE.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[5..], ["mean", "lo-80", "hi-80", "lo-95", "hi-95"]);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut checked = 0;
    for group in rows.chunks(3) {
        let r = &group[0];
        let y = &series[r[0]][..TRAIN];
        let model = match r[1] {
            "croston_sba" => Model::CrostonSba,
            "ses" => Model::Ses {
                alpha: 0.1,
                initial: Default::default(),
            },
            "naive" => Model::Naive,
            m => panic!("{m}"),
        };
        let n_windows: u32 = r[3].parse().unwrap();
        let method = match r[2] {
            "conformal_distribution" => IntervalMethod::ConformalDistribution { n_windows },
            _ => IntervalMethod::ConformalError { n_windows },
        };
        let f = forecast_with(y, model, 3, &[80.0, 95.0], false, method).unwrap();
        for (step, row) in group.iter().enumerate() {
            let want: Vec<f64> = row[5..].iter().map(|v| v.parse().unwrap()).collect();
            let got = [
                f.mean[step],
                f.intervals[0].lo[step],
                f.intervals[0].hi[step],
                f.intervals[1].lo[step],
                f.intervals[1].hi[step],
            ];
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g, w, "{row:?}: {got:?}");
                checked += 1;
            }
        }
    }
    // 150 series × 3 models × 2 methods × 2 window counts × 3 steps × 5 values, to the bit.
    assert_eq!(checked, 150 * 3 * 2 * 2 * 3 * 5);
}
