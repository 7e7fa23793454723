//! A generated knowledge base of 2,000 drugs and 250,000 rules: load time, and screening a
//! 10-drug list (target ≤ 5 µs).
#![allow(missing_docs, clippy::unwrap_used)]
use std::hint::black_box;
use std::time::Duration;

use apotheca_benches::knowledge_base;
use apotheca_interactions::{InteractionGraph, ScreenRequest};
use criterion::{Criterion, criterion_group, criterion_main};

fn interactions(c: &mut Criterion) {
    let kb = knowledge_base(2_000, 250_000);
    let json = serde_json::to_string(&kb).unwrap();
    let mut g = c.benchmark_group("interactions");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("build_2000_drugs_250k_rules", |b| {
        b.iter(|| black_box(InteractionGraph::build(black_box(kb.clone())).unwrap()))
    });
    g.bench_function("load_json_2000_drugs_250k_rules", |b| {
        b.iter(|| black_box(InteractionGraph::from_json(black_box(&json)).unwrap()))
    });
    g.finish();

    let graph = InteractionGraph::build(kb).unwrap();
    let mut g = c.benchmark_group("interactions");
    let ten = ScreenRequest {
        medications: (0..10).map(|i| format!("D{}", i * 197)).collect(),
        ..Default::default()
    };
    let by_name = ScreenRequest {
        medications: (0..10).map(|i| format!("brand{}", i * 197)).collect(),
        ..Default::default()
    };
    let found = graph.screen(&ten).unwrap().alerts;
    eprintln!(
        "screen_10: {} alerts ({} interactions) for the 10-drug list",
        found.len(),
        found
            .iter()
            .filter(|a| a.kind == apotheca_interactions::AlertKind::Interaction)
            .count()
    );
    let sample = apotheca_interactions::sample().unwrap();
    let typical = ScreenRequest {
        medications: [
            "warfarin",
            "metformin",
            "amlodipine",
            "atorvastatin",
            "omeprazole",
            "paracetamol",
            "salbutamol",
            "cetirizine",
            "lisinopril",
            "insulin glargine",
        ]
        .map(String::from)
        .to_vec(),
        ..Default::default()
    };
    g.bench_function("screen_10_sample_kb", |b| {
        b.iter(|| black_box(sample.screen(black_box(&typical)).unwrap()))
    });
    g.bench_function("screen_10_by_id", |b| {
        b.iter(|| black_box(graph.screen(black_box(&ten)).unwrap()))
    });
    g.bench_function("screen_10_by_brand", |b| {
        b.iter(|| black_box(graph.screen(black_box(&by_name)).unwrap()))
    });
    g.bench_function("resolve_misspelling", |b| {
        b.iter(|| black_box(graph.resolve(black_box("drug1234amin"), 5)))
    });
    g.finish();
}

criterion_group!(benches, interactions);
criterion_main!(benches);
