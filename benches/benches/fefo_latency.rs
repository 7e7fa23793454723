//! FEFO allocation latency percentiles (criterion reports means; the target is a p99).
//! Times batches of 64 calls to keep the clock's own cost out, and reports per-call figures.
#![allow(missing_docs, clippy::unwrap_used)]
use std::hint::black_box;
use std::time::Instant;

use apotheca_benches::*;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing and wants a quick run.
    let quick = !std::env::args().any(|a| a == "--bench");
    let samples = if quick { 200 } else { 20_000 };
    for batches in [5usize, 50, 500] {
        let l = ledger(batches, 20);
        let req = allocation((batches as i64 * 20) / 3);
        let mut per_call: Vec<f64> = (0..samples)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..64 {
                    black_box(l.allocate(black_box(&req)).unwrap());
                }
                t.elapsed().as_nanos() as f64 / 64.0
            })
            .collect();
        per_call.sort_by(f64::total_cmp);
        let pct = |p: f64| per_call[((per_call.len() - 1) as f64 * p) as usize] / 1000.0;
        println!(
            "fefo allocate, {batches:>3} batches: p50 {:.3} µs, p99 {:.3} µs, max {:.3} µs",
            pct(0.5),
            pct(0.99),
            pct(1.0)
        );
    }
}
