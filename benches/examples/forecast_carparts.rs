//! Times apotheca's intermittent models on carparts, one core, as `benches/peers/forecast_ratio.py`
//! times statsforecast: reads the long CSV, trains on the first 39 months of every series and
//! prints `model seconds` per model (best of 5), after a warm-up.
//!
//! `cargo run --release -p apotheca-benches --example forecast_carparts -- <carparts_complete_long.csv>`
//!
//! With `--ets` (used by `benches/peers/ets_accuracy.py`) it fits AutoETS and additive
//! Holt-Winters (season 12) instead, once, and prints `model,id,chosen,f1,…,f12` per series
//! (the raw ETS forecasts, not clipped at zero) and `time,model,seconds`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use apotheca_forecasting::ets::{self, Form, Spec};
use apotheca_forecasting::{Model, forecast};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("path to carparts_complete_long.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut series: Vec<Vec<f64>> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for line in text.lines().skip(1) {
        let mut f = line.split(',');
        let (id, _, y) = (f.next().unwrap(), f.next(), f.next().unwrap());
        if ids.last().map(String::as_str) != Some(id) {
            series.push(Vec::new());
            ids.push(id.to_string());
        }
        series.last_mut().unwrap().push(y.parse().unwrap());
    }
    for s in &mut series {
        s.truncate(39);
    }
    if std::env::args().any(|a| a == "--ets") {
        ets_run(&ids, &series);
        return;
    }
    let models = [
        ("croston_classic", Model::CrostonClassic),
        ("croston_sba", Model::CrostonSba),
        ("croston_optimized", Model::CrostonOptimized),
        (
            "tsb",
            Model::Tsb {
                alpha_d: 0.1,
                alpha_p: 0.1,
            },
        ),
        ("adida", Model::Adida),
        ("imapa", Model::Imapa),
        (
            "ses",
            Model::Ses {
                alpha: 0.1,
                initial: Default::default(),
            },
        ),
    ];
    for (name, m) in models {
        let run = || {
            for y in &series {
                black_box(forecast(black_box(y), m, 1, &[], false).unwrap());
            }
        };
        run();
        let best = (0..5)
            .map(|_| {
                let t = Instant::now();
                run();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        println!("{name} {best:.6}");
    }
}

fn ets_run(ids: &[String], series: &[Vec<f64>]) {
    let hw = Spec {
        error: Form::Additive,
        trend: Form::Additive,
        damped: false,
        season: Form::Additive,
        m: 12,
    };
    for (name, fit) in [
        (
            "auto_ets",
            &(|y: &[f64]| ets::auto(y, 12)) as &dyn Fn(&[f64]) -> Option<ets::Fit>,
        ),
        ("holt_winters", &|y: &[f64]| ets::fit(y, hw)),
    ] {
        let t = Instant::now();
        let fits: Vec<Option<ets::Fit>> = series.iter().map(|y| fit(y)).collect();
        let secs = t.elapsed().as_secs_f64();
        for (id, f) in ids.iter().zip(&fits) {
            let (chosen, mean) = match f {
                Some(f) => (f.spec.name().replace(',', ";"), f.forecast(12)),
                None => ("none".to_string(), vec![f64::NAN; 12]),
            };
            let values: Vec<String> = mean.iter().map(|v| format!("{v:.17e}")).collect();
            println!("{name},{id},{chosen},{}", values.join(","));
        }
        println!("time,{name},{secs:.6}");
    }
}
