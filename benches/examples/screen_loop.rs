//! Screens of 10-drug lists on the generated knowledge base (2,000 drugs, 250,000 rules) in a
//! plain loop, for profilers and A/B runs: 2,000 lists of names, brands, synonyms and upper-case
//! names (as `benches/peers/screen_ratio.py` draws them), full and lean. Prints the fastest of
//! ten rounds, per list.
//!
//! `cargo build --profile bench -p apotheca-benches --example screen_loop`, then
//! `target/release/examples/screen_loop [rounds of the 2,000 lists]`; `ONLY=lean` or
//! `ONLY=full` runs one kind (for a profile of it alone).
#![allow(missing_docs, clippy::unwrap_used)]

use apotheca_benches::{first_arg_or, knowledge_base};
use apotheca_interactions::{InteractionGraph, ScreenRequest};

fn main() {
    let n = first_arg_or(5);
    let kb = knowledge_base(2_000, 250_000);
    let mut seed = 20_261_206u64;
    let mut next = move |m: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % m
    };
    let lists: Vec<Vec<String>> = (0..2_000)
        .map(|_| {
            (0..10)
                .map(|_| {
                    let d = &kb.drugs[next(kb.drugs.len())];
                    match next(4) {
                        0 => d.name.clone(),
                        1 => d.brands.first().unwrap_or(&d.name).clone(),
                        2 => d.synonyms.first().unwrap_or(&d.name).clone(),
                        _ => d.name.to_uppercase(),
                    }
                })
                .collect()
        })
        .collect();
    let graph = InteractionGraph::build(kb).unwrap();
    let only = std::env::var("ONLY").ok();
    for lean in [false, true] {
        let what = if lean { "lean" } else { "full" };
        if only.as_deref().is_some_and(|o| o != what) {
            continue;
        }
        let reqs: Vec<ScreenRequest> = lists
            .iter()
            .map(|m| ScreenRequest {
                medications: m.clone(),
                lean,
                ..Default::default()
            })
            .collect();
        let best = (0..10)
            .map(|_| {
                let t = std::time::Instant::now();
                for _ in 0..n {
                    for r in &reqs {
                        std::hint::black_box(graph.screen(std::hint::black_box(r)).unwrap());
                    }
                }
                t.elapsed().as_nanos() as f64 / (n * reqs.len()) as f64 / 1000.0
            })
            .fold(f64::INFINITY, f64::min);
        println!(
            "10-drug screen, {what}: {best:.2} us (fastest of 10 rounds of {n} x 2,000 lists)"
        );
    }
}
