//! A plain loop of postings, for profilers (`valgrind --tool=callgrind`, `perf record`).
#![allow(missing_docs, clippy::unwrap_used)]
use apotheca_benches::*;
fn main() {
    let n = first_arg_or(200_000);
    let mut l = ledger(100, 1_000_000);
    timed_loop("postings", postings(n, 100, "k"), |p| l.post(p).unwrap());
}
