//! A plain loop of 100-line invoices, for profilers and A/B runs: prints the fastest of ten
//! rounds per rounding level (`cargo build --profile bench -p apotheca-benches --example
//! price_loop`, then `target/release/examples/price_loop [invoices per round]`).
#![allow(missing_docs, clippy::unwrap_used)]
use apotheca_benches::*;
fn main() {
    let n = first_arg_or(20_000);
    let rules = tax_rules();
    let line = gst_invoice(100);
    let mut invoice = line.clone();
    invoice.rounding.level = apotheca_billing_rules::RoundingLevel::Invoice;
    for (name, req) in [("per line", &line), ("per invoice", &invoice)] {
        let best = (0..10)
            .map(|_| {
                let t = std::time::Instant::now();
                for _ in 0..n {
                    std::hint::black_box(rules.price(std::hint::black_box(req)).unwrap());
                }
                t.elapsed().as_nanos() as f64 / n as f64 / 1000.0
            })
            .fold(f64::INFINITY, f64::min);
        println!("100 lines, rounded {name}: {best:.1} us (fastest of 10 rounds of {n})");
    }
}
