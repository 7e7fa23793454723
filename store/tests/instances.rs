//! Many instances, one ledger: 4 writer processes × 2,500 FEFO dispenses of one unit against
//! 6,000 units of stock in one store. Nothing is oversold, receipts − dispenses = on hand, every
//! instance converges to the same digest, and every acknowledged dispense is in the log once.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write as _};
use std::process::{Command, Stdio};

use apotheca_core::{Event, Ledger, ProductId, StockFilter};
use apotheca_store::StoredLedger;
use common::*;

const INSTANCES: usize = 4;
const EACH: usize = 2_500;
const STOCK: i64 = 6_000;

fn many_instances(url: &str, backend: &str) {
    run_writer(&[url, "setup", &STOCK.to_string()]);
    let mut children: Vec<_> = (0..INSTANCES)
        .map(|i| {
            Command::new(writer())
                .args([
                    url,
                    "dispense",
                    &format!("i{i}"),
                    &EACH.to_string(),
                    "4",
                    "wait",
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut readers: Vec<_> = children
        .iter_mut()
        .map(|c| BufReader::new(c.stdout.take().unwrap()).lines())
        .collect();
    let mut acked = Vec::new();
    let mut refused = 0;
    // Every instance writes until done, then waits for all the others before it refreshes.
    for r in &mut readers {
        for line in r.by_ref() {
            let line = line.unwrap();
            if line == "finished" {
                break;
            }
            let mut parts = line.split(' ');
            match parts.next() {
                Some("ack") => acked.push(parts.next().unwrap().to_string()),
                Some("refused") => refused += 1,
                _ => panic!("{backend}: {line}"),
            }
        }
    }
    for c in &mut children {
        writeln!(c.stdin.as_mut().unwrap(), "go").unwrap();
    }
    let digests: Vec<String> = readers
        .iter_mut()
        .map(|r| r.next().unwrap().unwrap())
        .collect();
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    assert!(
        digests.iter().all(|d| d == &digests[0]),
        "{backend}: instances diverged: {digests:?}"
    );

    let ledger = StoredLedger::open(url).unwrap();
    let all = ledger.events_since(0, usize::MAX).unwrap();
    assert_eq!(
        Ledger::replay(&all).unwrap().digest(),
        digests[0].split(' ').nth(1).unwrap()
    );
    let on_hand = ledger.read(|l| {
        l.stock_totals(&StockFilter {
            product: Some(ProductId::new("AMOX").unwrap()),
            ..Default::default()
        })
        .unwrap()
        .on_hand
    });
    let mut dispensed: HashMap<&str, usize> = HashMap::new();
    for e in &all {
        if let Event::FefoDispensed { request, .. } = &e.event {
            *dispensed.entry(request.key.as_str()).or_default() += 1;
        }
    }
    let units: usize = dispensed.values().sum();
    assert!(on_hand >= 0, "{backend}: oversold");
    assert_eq!(
        STOCK - units as i64,
        on_hand,
        "{backend}: receipts − dispenses ≠ on hand"
    );
    assert_eq!(
        acked.len(),
        units,
        "{backend}: acknowledged ≠ logged dispenses"
    );
    for k in &acked {
        assert_eq!(
            dispensed.get(k.as_str()),
            Some(&1),
            "{backend}: {k} not logged exactly once"
        );
    }
    assert_eq!(
        units as i64, STOCK,
        "{backend}: 10,000 tries for 6,000 units sell them all"
    );
    assert_eq!(refused, INSTANCES * EACH - units);
    println!(
        "{backend}: {INSTANCES} instances × {EACH} dispenses: {} sold, {refused} refused, 0 oversold, one digest",
        units
    );
}

#[test]
fn postgres_instances_never_oversell() {
    let Some(cluster) = cluster_or_skip("postgres_instances_never_oversell") else {
        return;
    };
    many_instances(&cluster.database("instances"), "postgres");
}

#[test]
fn sqlite_processes_never_oversell() {
    // Several processes on one SQLite file serialise on its write lock the same way.
    let (dir, url) = sqlite_url("instances");
    many_instances(&url, "sqlite");
    let _ = std::fs::remove_dir_all(dir);
}
