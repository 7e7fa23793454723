//! Times apotheca's intermittent models on carparts, one core, as `benches/peers/forecast_ratio.py`
//! times statsforecast: reads the long CSV, trains on the first 39 months of every series and
//! prints `model seconds seconds_alone` per model (best of 5, after a warm-up): the whole set as
//! one batch (`forecast_batch`, what `forecast_many` and the frames run on one thread), then
//! one `forecast` call per series. With `ONLY=<model>` in the environment it runs that model's
//! batch 200 times and prints nothing (for a profiler).
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
use apotheca_forecasting::{IntervalMethod, Model, forecast, forecast_batch};

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
    let ys: Vec<&[f64]> = series.iter().map(Vec::as_slice).collect();
    if let Ok(only) = std::env::var("ONLY") {
        let m = models.iter().find(|(n, _)| *n == only).expect("model").1;
        for _ in 0..200 {
            black_box(forecast_batch(
                &ys,
                m,
                1,
                &[],
                false,
                IntervalMethod::InSample,
            ));
        }
        return;
    }
    for (name, m) in models {
        // The batch (what `forecast_many` and the frames run), then each series alone.
        let batch = best_of_5(&|| {
            let r = forecast_batch(black_box(&ys), m, 1, &[], false, IntervalMethod::InSample);
            assert!(r.iter().all(Result::is_ok));
            black_box(r);
        });
        let alone = best_of_5(&|| {
            for y in &series {
                black_box(forecast(black_box(y), m, 1, &[], false).unwrap());
            }
        });
        println!("{name} {batch:.6} {alone:.6}");
    }
}

/// The fastest of five runs of `run`, in seconds, after a warm-up.
fn best_of_5(run: &dyn Fn()) -> f64 {
    run();
    (0..5)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
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
