//! Crash safety: a writer process posts in a loop and is killed with SIGKILL at random
//! moments; after each kill the reopened ledger holds every posting acknowledged before it, no
//! partial posting, and the digest of a fresh replay of the stored log.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use apotheca_core::{Ledger, ProductId, StockFilter};
use apotheca_store::StoredLedger;
use common::*;

const KILLS: usize = 50;

fn crash_loop(url: &str, backend: &str) {
    // Snapshots every 300 events and 200 events in memory: reopening goes through a snapshot
    // and the store's history, not only a replay.
    let url = format!(
        "{url}{}snapshot_every=300&memory_events=200",
        if url.contains('?') { "&" } else { "?" }
    );
    run_writer(&[&url, "setup", "0"]);
    let mut rng = Rng::from_time();
    let mut acked: Vec<String> = Vec::new();
    let mut killed_mid_run = 0;
    for round in 0..KILLS {
        let mut child = Command::new(writer())
            .args([&url, "post", &format!("r{round}"), "100000", "4"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| {
                    l.strip_prefix("ack ")
                        .map(|r| r.split(' ').next().unwrap().to_string())
                })
                .collect::<Vec<String>>()
        });
        std::thread::sleep(Duration::from_millis(20 + rng.below(300)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        acked.extend(reader.join().unwrap());

        let reopened = StoredLedger::open(&url).unwrap();
        let all = reopened.events_since(0, usize::MAX).unwrap();
        let (digest, next) = reopened.read(|l| (l.digest(), l.next_seq()));
        assert_eq!(
            all.len() as u64,
            next,
            "{backend} round {round}: events in the store"
        );
        let fresh = Ledger::replay(&all).unwrap();
        assert_eq!(
            fresh.digest(),
            digest,
            "{backend} round {round}: reopened ≠ fresh replay"
        );
        // Every acknowledged posting is there, whole (one line of one unit each).
        let keys: std::collections::HashSet<&str> =
            all.iter().filter_map(|e| e.event.key()).collect();
        for k in &acked {
            assert!(
                keys.contains(k.as_str()),
                "{backend} round {round}: acknowledged {k} was lost"
            );
        }
        let postings: Vec<_> = all.iter().filter_map(|e| e.event.posting()).collect();
        assert!(
            postings
                .iter()
                .all(|p| p.lines.len() == 1 && p.lines[0].qty == 1)
        );
        let on_hand = reopened.read(|l| {
            l.stock_totals(&StockFilter {
                product: Some(ProductId::new("AMOX").unwrap()),
                ..Default::default()
            })
            .unwrap()
            .on_hand
        });
        assert_eq!(
            on_hand as usize,
            postings.len(),
            "{backend} round {round}: no partial posting"
        );
        // The stock card (read back from the store past memory) agrees with the fresh replay.
        let f = StockFilter {
            product: Some(ProductId::new("AMOX").unwrap()),
            ..Default::default()
        };
        let card = reopened
            .history(
                apotheca_store::backend::History::Product("AMOX", None),
                |l, older| l.stock_card_with(older, &f).unwrap(),
            )
            .unwrap();
        assert_eq!(card, fresh.stock_card(&f).unwrap());
    }
    println!(
        "{backend}: {KILLS} kills ({killed_mid_run} mid-run), {} acknowledged postings, none lost",
        acked.len()
    );
    assert!(
        killed_mid_run >= KILLS * 9 / 10,
        "{backend}: the writer finished before most kills"
    );
}

#[test]
fn sqlite_survives_sigkill() {
    let (dir, url) = sqlite_url("crash");
    crash_loop(&url, "sqlite");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn postgres_survives_sigkill() {
    let Some(cluster) = cluster_or_skip("postgres_survives_sigkill") else {
        return;
    };
    let url = cluster.database("crash");
    crash_loop(&url, "postgres");
}
