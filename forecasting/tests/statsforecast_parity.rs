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
