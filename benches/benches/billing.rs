//! Pricing a GST invoice (target: a 100-line invoice in ≤ 20 µs) and invoices per second.
#![allow(missing_docs, clippy::unwrap_used)]
use std::hint::black_box;

use apotheca_benches::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn price_invoice(c: &mut Criterion) {
    let rules = tax_rules();
    let mut g = c.benchmark_group("price_invoice");
    g.throughput(Throughput::Elements(1));
    for lines in [10usize, 100] {
        let inv = gst_invoice(lines);
        g.bench_with_input(
            BenchmarkId::new("gst_line_rounding", lines),
            &inv,
            |b, inv| b.iter(|| black_box(rules.price(black_box(inv)).unwrap())),
        );
        let mut per_invoice = inv.clone();
        per_invoice.rounding.level = apotheca_billing_rules::RoundingLevel::Invoice;
        g.bench_with_input(
            BenchmarkId::new("gst_invoice_rounding", lines),
            &per_invoice,
            |b, inv| b.iter(|| black_box(rules.price(black_box(inv)).unwrap())),
        );
    }
    g.finish();
}

fn credit_note(c: &mut Criterion) {
    let rules = tax_rules();
    let inv = rules.price(&gst_invoice(100)).unwrap();
    let req = apotheca_billing_rules::CreditRequest {
        number: None,
        date: inv.date,
        returns: (1..=100)
            .step_by(3)
            .map(|n| apotheca_billing_rules::ReturnLine { line_no: n, qty: 1 })
            .collect(),
        previous: vec![],
    };
    c.bench_function("credit_note/34_of_100_lines", |b| {
        b.iter(|| black_box(apotheca_billing_rules::credit_note(&inv, black_box(&req)).unwrap()))
    });
}

criterion_group!(benches, price_invoice, credit_note);
criterion_main!(benches);
