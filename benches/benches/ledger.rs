//! Postings per second (idempotency on), FEFO allocation latency, and concurrent throughput.
#![allow(missing_docs, clippy::unwrap_used)]
use std::hint::black_box;
use std::time::{Duration, Instant};

use apotheca_benches::*;
use apotheca_core::SharedLedger;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn postings_per_second(c: &mut Criterion) {
    let mut g = c.benchmark_group("post");
    g.throughput(Throughput::Elements(1));
    g.bench_function("single_line_idempotent", |b| {
        b.iter_custom(|iters| {
            let mut l = ledger(100, 1_000_000);
            let ps = postings(iters as usize, 100, "k");
            let start = Instant::now();
            for p in ps {
                black_box(l.post(p).unwrap());
            }
            start.elapsed()
        })
    });
    g.finish();
}

fn fefo_latency(c: &mut Criterion) {
    let mut g = c.benchmark_group("allocate");
    for batches in [5usize, 50, 500] {
        let l = ledger(batches, 20);
        // Asks for a third of the stock: walks about a third of the batches.
        let req = allocation((batches as i64 * 20) / 3);
        g.bench_with_input(BenchmarkId::from_parameter(batches), &req, |b, req| {
            b.iter(|| black_box(l.allocate(black_box(req)).unwrap()))
        });
    }
    g.finish();
}

fn concurrent_dispenses(c: &mut Criterion) {
    let mut g = c.benchmark_group("dispense_fefo_threads");
    g.throughput(Throughput::Elements(1));
    let max = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let mut counts = vec![1, 2, max];
    counts.dedup();
    for threads in counts {
        g.bench_with_input(
            BenchmarkId::from_parameter(threads),
            &threads,
            |b, &threads| {
                b.iter_custom(|iters| {
                    let shared = SharedLedger::new(ledger(50, 1_000_000_000));
                    let per = (iters as usize).div_ceil(threads);
                    let start = Instant::now();
                    std::thread::scope(|s| {
                        for t in 0..threads {
                            let shared = &shared;
                            s.spawn(move || {
                                for i in 0..per {
                                    black_box(
                                        shared
                                            .dispense_fefo(dispense(format!("t{t}-{i}"), 1))
                                            .unwrap(),
                                    );
                                }
                            });
                        }
                    });
                    start.elapsed()
                })
            },
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = postings_per_second, fefo_latency, concurrent_dispenses
}
criterion_main!(benches);
