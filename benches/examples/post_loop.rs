//! A plain loop of postings, for profilers (`valgrind --tool=callgrind`, `perf record`).
#![allow(missing_docs, clippy::unwrap_used)]
use apotheca_benches::*;
fn main() {
    let n = first_arg_or(200_000);
    let mut l = ledger(100, 1_000_000);
    let ps = postings(n, 100, "k");
    let t = std::time::Instant::now();
    for p in ps {
        std::hint::black_box(l.post(p).unwrap());
    }
    let e = t.elapsed();
    println!(
        "{n} postings in {e:?}: {:.0} ns each, {:.2} M/s",
        e.as_nanos() as f64 / n as f64,
        n as f64 / e.as_secs_f64() / 1e6
    );
}
