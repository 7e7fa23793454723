//! A service instance in a box, for the store's crash, many-instance and throughput tests:
//! opens a stored ledger and writes in a loop from several threads, printing one line per
//! acknowledged write (`ack KEY SEQ`), so that a parent process knows what was acknowledged
//! before it killed this one.
//!
//! ```text
//! ledger-writer URL setup STOCK            register the catalog and receive STOCK units
//! ledger-writer URL post PREFIX N THREADS  N one-unit receipts, keys PREFIX-i
//! ledger-writer URL dispense PREFIX N THREADS [wait]
//!                                          N one-unit FEFO dispenses; with `wait`, reads a
//!                                          line on stdin when done, refreshes and prints
//!                                          `digest DIGEST NEXT_SEQ`
//! ledger-writer URL digest                 prints `digest DIGEST NEXT_SEQ`
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;

use apotheca_store::sample::{catalog, dispense, on_threads, receipt};
use apotheca_store::{StoreError, StoredLedger};

fn seq_of(o: &apotheca_store::Outcome) -> u64 {
    match o {
        apotheca_store::Outcome::Posted(p) | apotheca_store::Outcome::Dispensed(_, p) => p.seq,
        apotheca_store::Outcome::Status(s) => *s,
        apotheca_store::Outcome::Registered => 0,
    }
}

fn print_digest(l: &StoredLedger) {
    l.refresh().unwrap();
    let (digest, next) = l.read(|l| (l.digest(), l.next_seq()));
    println!("digest {digest} {next}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = &args[1];
    let ledger = StoredLedger::open(url).unwrap_or_else(|e| {
        eprintln!("open {url}: {e}");
        std::process::exit(2)
    });
    match args[2].as_str() {
        "setup" => {
            ledger.write(catalog()).unwrap();
            let stock: i64 = args[3].parse().unwrap();
            let third = stock / 3;
            for (b, q) in [("B1", third), ("B2", third), ("B3", stock - 2 * third)] {
                if q > 0 {
                    ledger.write(receipt(&format!("setup-{b}"), b, q)).unwrap();
                }
            }
            print_digest(&ledger);
        }
        "post" | "dispense" => {
            let prefix = &args[3];
            let n: u64 = args[4].parse().unwrap();
            let threads: u64 = args[5].parse().unwrap();
            let out = std::sync::Mutex::new(std::io::stdout());
            on_threads(n, threads, |i| {
                let key = format!("{prefix}-{i}");
                let w = if args[2] == "post" {
                    receipt(&key, ["B1", "B2", "B3"][i as usize % 3], 1)
                } else {
                    dispense(&key)
                };
                let line = match ledger.write(w) {
                    Ok(o) => format!("ack {key} {}", seq_of(&o)),
                    Err(StoreError::Refused { error, .. }) => format!("refused {key} {error}"),
                    Err(e) => format!("failed {key} {e}"),
                };
                let mut o = out.lock().unwrap();
                let _ = writeln!(o, "{line}");
                let _ = o.flush();
            });
            if args.get(6).is_some_and(|a| a == "wait") {
                println!("finished");
                let _ = std::io::stdout().flush();
                let mut go = String::new();
                let _ = std::io::stdin().read_line(&mut go);
                print_digest(&ledger);
            }
        }
        "digest" => print_digest(&ledger),
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2)
        }
    }
}
