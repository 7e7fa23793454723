//! A plain loop of one-unit FEFO dispenses over five batches, for profilers and A/B runs of the
//! engine's part of a dispense call (`perf record`, `valgrind --tool=callgrind`).
#![allow(missing_docs, clippy::unwrap_used)]
use apotheca_benches::*;
fn main() {
    let n = first_arg_or(200_000);
    let mut l = ledger(5, 1_000_000_000);
    let requests = (0..n).map(|i| dispense(format!("rx{i}"), 1)).collect();
    timed_loop("dispenses", requests, |r| l.dispense_fefo(r).unwrap());
}
