//! Times apotheca's intermittent models on carparts, one core, as `benches/peers/forecast_ratio.py`
//! times statsforecast: reads the long CSV, trains on the first 39 months of every series and
//! prints `model seconds` per model (best of 5), after a warm-up.
//!
//! `cargo run --release -p apotheca-benches --example forecast_carparts -- <carparts_complete_long.csv>`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use apotheca_forecasting::{Model, forecast};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("path to carparts_complete_long.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut series: Vec<Vec<f64>> = Vec::new();
    let mut last = String::new();
    for line in text.lines().skip(1) {
        let mut f = line.split(',');
        let (id, _, y) = (f.next().unwrap(), f.next(), f.next().unwrap());
        if id != last {
            series.push(Vec::new());
            last = id.to_string();
        }
        series.last_mut().unwrap().push(y.parse().unwrap());
    }
    for s in &mut series {
        s.truncate(39);
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
        ("ses", Model::Ses { alpha: 0.1 }),
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
