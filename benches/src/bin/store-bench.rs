//! Durable ledger throughput, reopen time and memory, against the in-memory ledger in the same
//! run (numbers in `benches/README.md`):
//!
//! ```text
//! cargo run --release -p apotheca-benches --bin store-bench -- throughput [N]
//! cargo run --release -p apotheca-benches --bin store-bench -- reopen [EVENTS]
//! cargo run --release -p apotheca-benches --bin store-bench -- memory [POSTINGS]
//! ```
//!
//! `throughput` posts N single-line receipts from 1 and 8 writer threads: in memory, on SQLite
//! (group commit, WAL, synchronous=FULL) and on PostgreSQL with 1 and 4 instances (a
//! throw-away cluster, or `APOTHECA_PG_URL`). `reopen` writes a ledger of EVENTS events to
//! SQLite and times opening it with its snapshot and without. `memory` measures resident
//! memory per posting of a stored ledger and of an in-memory one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use apotheca_core::{Ledger, Posting};
use apotheca_store::sample::catalog;
use apotheca_store::{Options, StoredLedger, Write};

fn receipt(prefix: &str, i: u64) -> Posting {
    serde_json::from_value(serde_json::json!({
        "key": format!("{prefix}{i}"), "date": "2026-06-01",
        "lines": [{"type": "receipt", "product": "AMOX", "batch": if i.is_multiple_of(2) { "B1" } else { "B2" },
                   "location": "S1", "qty": 1}]
    }))
    .unwrap()
}

/// Postings/s of `n` receipts spread over `threads` threads, each write through `post`.
fn rate(n: u64, threads: u64, post: impl Fn(u64) + Sync) -> f64 {
    let start = Instant::now();
    apotheca_store::sample::on_threads(n, threads, post);
    n as f64 / start.elapsed().as_secs_f64()
}

fn temp_sqlite(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("apotheca-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("ledger.db").display());
    (dir, url)
}

fn throughput(n: u64) {
    println!("| ledger | writers | postings/s | vs in memory |");
    println!("| --- | ---: | ---: | ---: |");
    for threads in [1u64, 8, 32] {
        let mem = apotheca_core::SharedLedger::new(Ledger::new());
        mem.write(|l| {
            if let Write::Catalog(a, b, c) = catalog() {
                l.register_catalog(&a, &b, &c).unwrap();
            }
        });
        let m = rate(n * 5, threads, |i| {
            mem.post(receipt("m", i)).unwrap();
        });
        println!("| in memory | {threads} | {m:.0} | 1 |");
        let (dir, url) = temp_sqlite(&format!("t{threads}"));
        let l = StoredLedger::open(&url).unwrap();
        l.write(catalog()).unwrap();
        let r = rate(n, threads, |i| {
            l.write(Write::Post(receipt("s", i))).unwrap();
        });
        println!(
            "| SQLite (group commit) | {threads} | {r:.0} | 1/{:.0} |",
            m / r
        );
        drop(l);
        let _ = std::fs::remove_dir_all(dir);
    }
    let cluster;
    let url = match std::env::var("APOTHECA_PG_URL") {
        Ok(u) => u,
        Err(_) => match apotheca_store::testing::Cluster::start() {
            Ok(c) => {
                cluster = c;
                cluster.database("bench")
            }
            Err(e) => {
                println!("PostgreSQL: skipped ({e})");
                return;
            }
        },
    };
    for instances in [1usize, 4] {
        let ledgers: Vec<StoredLedger> = (0..instances)
            .map(|_| StoredLedger::open(&url).unwrap())
            .collect();
        ledgers[0].write(catalog()).unwrap();
        let prefix = format!("pg{instances}-");
        let r = rate(n, 8 * instances as u64, |i| {
            ledgers[i as usize % instances]
                .write(Write::Post(receipt(&prefix, i)))
                .unwrap();
        });
        println!(
            "| PostgreSQL, {instances} instance{} | {} | {r:.0} | |",
            if instances > 1 { "s" } else { "" },
            8 * instances
        );
    }
}

/// A catalog of `products` products with three batches each at one store: a realistic state
/// for a snapshot (3 cells per product, FIFO layers, moving averages).
fn wide_catalog(products: usize) -> Write {
    let v = serde_json::json!({
        "locations": [{"id": "S1", "name": "Store 1"}],
        "products": (0..products).map(|p| serde_json::json!({"id": format!("P{p}"), "name": format!("Product {p}"),
            "generic_name": "generic", "form": "tablet", "pack_size": 10, "schedule": "otc",
            "tax_category": "3004", "storage": "ambient"})).collect::<Vec<_>>(),
        "batches": (0..products * 3).map(|b| serde_json::json!({"product": format!("P{}", b / 3), "batch": format!("B{b}"),
            "expiry": "2030-01-31", "unit_cost": format!("{}.{:02}", 1 + b % 50, b % 100), "mrp": "99.00",
            "status": "released"})).collect::<Vec<_>>(),
    });
    Write::Catalog(
        serde_json::from_value(v["locations"].clone()).unwrap(),
        serde_json::from_value(v["products"].clone()).unwrap(),
        serde_json::from_value(v["batches"].clone()).unwrap(),
    )
}

const WIDE: u64 = 2_000;

fn wide_receipt(i: u64) -> Posting {
    let b = i % (WIDE * 3);
    serde_json::from_value(serde_json::json!({
        "key": format!("w{i}"), "date": "2026-06-01",
        "lines": [{"type": "receipt", "product": format!("P{}", b / 3), "batch": format!("B{b}"),
                   "location": "S1", "qty": 1, "unit_cost": format!("{}.{:02}", 1 + i % 7, i % 100)}]
    }))
    .unwrap()
}

fn reopen(events: u64) {
    let (dir, url) = temp_sqlite("reopen");
    {
        let l = StoredLedger::open_with(
            &url,
            Options {
                snapshot_every: 0,
                ..Options::default()
            },
        )
        .unwrap();
        l.write(wide_catalog(WIDE as usize)).unwrap();
        let r = rate(events, 16, |i| {
            l.write(Write::Post(wide_receipt(i))).unwrap();
        });
        eprintln!("wrote {events} postings at {r:.0}/s");
        let t = Instant::now();
        l.snapshot().unwrap();
        println!(
            "snapshot of {} events: {:.0?}",
            l.read(|l| l.next_seq()),
            t.elapsed()
        );
    }
    let t = Instant::now();
    let l = StoredLedger::open(&url).unwrap();
    let with = t.elapsed();
    let digest = l.read(|l| l.digest());
    drop(l);
    let path = dir.join("ledger.db");
    rusqlite::Connection::open(&path)
        .and_then(|c| c.execute("DELETE FROM apotheca_snapshots", []))
        .unwrap();
    let t = Instant::now();
    let l = StoredLedger::open(&url).unwrap();
    let without = t.elapsed();
    assert_eq!(l.read(|l| l.digest()), digest);
    println!(
        "reopen {events} postings over {WIDE} products × 3 batches: with snapshot {with:.0?}, without (full replay) {without:.0?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn memory(n: u64) {
    let (dir, url) = temp_sqlite("memory");
    let l = StoredLedger::open(&url).unwrap();
    l.write(catalog()).unwrap();
    rate(20_000, 8, |i| {
        l.write(Write::Post(receipt("w", i))).unwrap();
    });
    let before = rss();
    rate(n, 8, |i| {
        l.write(Write::Post(receipt("s", i))).unwrap();
    });
    let stored = (rss().saturating_sub(before)) as f64 / n as f64;
    drop(l);
    let _ = std::fs::remove_dir_all(dir);
    let mut mem = Ledger::new();
    if let Write::Catalog(a, b, c) = catalog() {
        mem.register_catalog(&a, &b, &c).unwrap();
    }
    let before = rss();
    for i in 0..n {
        mem.post(receipt("m", i)).unwrap();
    }
    let in_memory = (rss().saturating_sub(before)) as f64 / n as f64;
    println!(
        "resident memory per posting over {n} postings: stored {stored:.0} B, in memory {in_memory:.0} B"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = |d: u64| args.get(2).and_then(|a| a.parse().ok()).unwrap_or(d);
    match args.get(1).map(String::as_str) {
        Some("throughput") => throughput(n(50_000)),
        Some("reopen") => reopen(n(1_000_000)),
        Some("memory") => memory(n(1_000_000)),
        _ => eprintln!("usage: store-bench throughput|reopen|memory [N]"),
    }
}
