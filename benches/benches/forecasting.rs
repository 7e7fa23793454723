//! Forecasting batches: 1,000 weekly intermittent series (52 weeks) through `auto` (by demand
//! class) on one thread and on all of them, AutoETS on one monthly series, and 10,000 order
//! suggestions.
#![allow(missing_docs, clippy::unwrap_used)]
use std::hint::black_box;
use std::time::Duration;

use apotheca_forecasting::{Model, StockPosition, forecast, forecast_many, suggest_many};
use criterion::{Criterion, criterion_group, criterion_main};

/// Deterministic demand: mostly zeros, sizes 1–12, a few smooth series.
fn series(n: usize, len: usize) -> Vec<Vec<f64>> {
    let mut s: u64 = 0x5eed;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) as f64 / (1u64 << 31) as f64
    };
    (0..n)
        .map(|i| {
            (0..len)
                .map(|_| {
                    let u = next();
                    if i % 5 == 0 {
                        (20.0 + 10.0 * u).round()
                    } else if u < 0.3 {
                        (1.0 + 11.0 * next()).floor()
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

fn forecasting(c: &mut Criterion) {
    let data = series(1_000, 52);
    let mut g = c.benchmark_group("forecasting");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    g.bench_function("auto_1000_series_1_thread", |b| {
        b.iter(|| {
            one.install(|| black_box(forecast_many(&data, Model::Auto, 4, &[90.0], false, None)))
        })
    });
    g.bench_function("auto_1000_series_all_threads", |b| {
        b.iter(|| black_box(forecast_many(&data, Model::Auto, 4, &[90.0], false, None)))
    });
    let monthly: Vec<f64> = (0..39)
        .map(|t| 30.0 + 8.0 * (t as f64 * std::f64::consts::PI / 6.0).sin() + (t % 5) as f64)
        .collect();
    g.bench_function("auto_ets_one_39_month_series_season_12", |b| {
        b.iter(|| {
            black_box(
                forecast(
                    black_box(&monthly),
                    Model::AutoEts { season: 12 },
                    12,
                    &[],
                    false,
                )
                .unwrap(),
            )
        })
    });
    let positions: Vec<StockPosition> = (0..10_000)
        .map(|i| StockPosition {
            product: format!("P{i}"),
            mean_demand: (i % 37) as f64,
            sigma: 3.0,
            on_hand: (i % 101) as f64,
            on_order: 0.0,
            lead_time: 2.0,
            review_period: 4.0,
            service_level: 0.95,
            pack_size: 10.0,
            moq: 20.0,
            shelf_life: (i % 3 == 0).then_some(6.0),
            ordering_cost: None,
            holding_cost: None,
            min_max: None,
            target_stock: None,
        })
        .collect();
    g.bench_function("suggest_10000_positions", |b| {
        b.iter(|| black_box(suggest_many(black_box(&positions)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, forecasting);
criterion_main!(benches);
