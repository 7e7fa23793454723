//! A stored ledger as a system of record: reopen, retries, outages, snapshots, bounded memory,
//! history past memory, and the upgrade path (a committed store written by this version).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use apotheca_core::{CoreError, Ledger, ProductId, StockFilter};
use apotheca_store::backend::{AppendError, Backend, History, Row, StoredWrite};
use apotheca_store::{Options, Outcome, StoreError, StoredLedger, Write};
use common::*;

fn catalog() -> Write {
    let v: serde_json::Value = serde_json::json!({
        "locations": [{"id": "S1", "name": "Store 1"}, {"id": "S2", "name": "Store 2"}],
        "products": [{"id": "AMOX", "name": "Amoxicillin 500", "generic_name": "amoxicillin",
            "form": "capsule", "pack_size": 10, "schedule": "prescription",
            "tax_category": "3004", "storage": "ambient"}],
        "batches": [
            {"product": "AMOX", "batch": "B1", "expiry": "2027-03-31", "unit_cost": "2.50", "mrp": "5.00", "status": "released"},
            {"product": "AMOX", "batch": "B2", "expiry": "2027-06-30", "unit_cost": "2.60", "mrp": "5.00", "status": "released"}
        ]
    });
    Write::Catalog(
        serde_json::from_value(v["locations"].clone()).unwrap(),
        serde_json::from_value(v["products"].clone()).unwrap(),
        serde_json::from_value(v["batches"].clone()).unwrap(),
    )
}

/// The i-th write of a deterministic day: receipts, FEFO dispenses, transfers, a status change.
fn nth(i: u64) -> Write {
    let key = format!("w{i}");
    let batch = if i.is_multiple_of(2) { "B1" } else { "B2" };
    let json = match i % 5 {
        0 | 1 => {
            serde_json::json!({"post": {"key": key, "date": "2026-06-01", "reference": format!("GRN-{}", i / 10),
            "lines": [{"type": "receipt", "product": "AMOX", "batch": batch, "location": "S1", "qty": 5 + i % 7, "unit_cost": format!("2.{}", i % 90 + 10)}]}})
        }
        2 | 3 => {
            serde_json::json!({"dispense": {"key": key, "date": "2026-06-02", "reference": format!("RX-{i}"),
            "product": "AMOX", "location": "S1", "qty": 1 + i % 4}})
        }
        _ => serde_json::json!({"post": {"key": key, "date": "2026-06-03",
            "lines": [{"type": "transfer_out", "product": "AMOX", "batch": batch, "location": "S1", "qty": 1, "transfer": format!("T{i}"), "to": "S2"},
                      {"type": "transfer_in", "product": "AMOX", "batch": batch, "location": "S2", "qty": 1, "transfer": format!("T{i}")}]}}),
    };
    if let Some(p) = json.get("post") {
        Write::Post(serde_json::from_value(p.clone()).unwrap())
    } else {
        Write::Dispense(serde_json::from_value(json["dispense"].clone()).unwrap())
    }
}

/// The same writes on a plain in-memory ledger: the state a store must reach.
fn in_memory(n: u64) -> Ledger {
    let mut l = Ledger::new();
    if let Write::Catalog(a, b, c) = catalog() {
        l.register_catalog(&a, &b, &c).unwrap();
    }
    for i in 0..n {
        let _ = match nth(i) {
            Write::Post(p) => l.post(p).map(drop),
            Write::Dispense(d) => l.dispense_fefo(d).map(drop),
            _ => unreachable!(),
        };
    }
    l
}

fn digest(l: &StoredLedger) -> (String, u64) {
    l.read(|l| (l.digest(), l.next_seq()))
}

fn each_backend(test: &str, f: impl Fn(&str)) {
    let (dir, url) = sqlite_url(test);
    f(&url);
    let _ = std::fs::remove_dir_all(dir);
    if let Some(c) = cluster_or_skip(test) {
        f(&c.database(test));
    }
}

#[test]
fn reopening_gives_the_same_ledger() {
    each_backend("reopen", |url| {
        let l = StoredLedger::open(&format!("{url}{}snapshot_every=40", sep(url))).unwrap();
        l.write(catalog()).unwrap();
        for i in 0..300 {
            let _ = l.write(nth(i));
        }
        let before = digest(&l);
        l.close();
        assert!(matches!(
            l.write(nth(1000)),
            Err(StoreError::Unavailable(_))
        ));
        let again = StoredLedger::open(url).unwrap();
        assert_eq!(digest(&again), before);
        assert!(
            again.report().snapshot.is_some(),
            "{url}: {:?}",
            again.report()
        );
        assert_eq!(before.0, in_memory(300).digest());
        // Without the snapshot the replay of the whole log gives the same.
        let replayed = Ledger::replay(&again.events_since(0, usize::MAX).unwrap()).unwrap();
        assert_eq!(replayed.digest(), before.0);
    });
}

fn sep(url: &str) -> &'static str {
    if url.contains('?') { "&" } else { "?" }
}

#[test]
fn retries_at_random_change_nothing() {
    // Two instances on one store; every write goes to a random one, one to three times, and
    // old keys are long out of memory (memory_events=20): the store answers those retries.
    each_backend("retries", |url| {
        let url = format!("{url}{}memory_events=20&snapshot_every=100", sep(url));
        let a = StoredLedger::open(&url).unwrap();
        let b = StoredLedger::open(&url).unwrap();
        a.write(catalog()).unwrap();
        let mut rng = Rng::from_time();
        let mut first: Vec<Option<Outcome>> = Vec::new();
        for i in 0..400u64 {
            let mut seen = None;
            for _ in 0..=rng.below(3) {
                let l = if rng.below(2) == 0 { &a } else { &b };
                let r = l.write(nth(i)).ok();
                if seen.is_none() {
                    seen = Some(r.clone());
                }
                assert_eq!(
                    Some(&r),
                    seen.as_ref(),
                    "write {i}: a retry returned another outcome"
                );
            }
            first.push(seen.flatten());
            // Now and then, a retry of a long-past write that was acknowledged (a refused write
            // recorded nothing: trying it again later is a new write, not a retry).
            let j = rng.below(i.max(1));
            if i > 50 && j + 40 < i && first[j as usize].is_some() && rng.below(4) == 0 {
                let l = if rng.below(2) == 0 { &a } else { &b };
                assert_eq!(
                    l.write(nth(j)).ok(),
                    first[j as usize],
                    "late retry of write {j}"
                );
            }
        }
        a.refresh().unwrap();
        b.refresh().unwrap();
        let expected = in_memory(400).digest();
        assert_eq!(digest(&a).0, expected);
        assert_eq!(digest(&b).0, expected);
        // A reused key with another payload is refused, even long after.
        let Write::Post(mut p) = nth(0) else {
            unreachable!()
        };
        p.lines[0].qty += 1;
        assert!(matches!(
            a.write(Write::Post(p)),
            Err(StoreError::Refused {
                error: CoreError::IdempotencyConflict { .. },
                ..
            })
        ));
        assert_eq!(digest(&a).0, expected);
        assert!(
            a.read(|l| l.first_seq_in_memory()) > 0,
            "old events left memory"
        );
    });
}

#[test]
fn postgres_outage_fails_writes_and_changes_nothing() {
    let Some(cluster) = cluster_or_skip("postgres_outage") else {
        return;
    };
    let url = cluster.database("outage");
    let l = StoredLedger::open(&url).unwrap();
    l.write(catalog()).unwrap();
    for i in 0..50 {
        let _ = l.write(nth(i));
    }
    let before = digest(&l);
    cluster.stop().unwrap();
    for i in 50..60 {
        match l.write(nth(i)) {
            Err(StoreError::Unavailable(_)) => {}
            other => panic!("write {i} with the server down: {other:?}"),
        }
        assert_eq!(digest(&l), before, "a failed write changed the ledger");
    }
    assert!(l.refresh().is_err());
    cluster.start_server().unwrap();
    for i in 50..100 {
        let _ = l.write(nth(i));
    }
    assert_eq!(digest(&l).0, in_memory(100).digest());
    let again = StoredLedger::open(&url).unwrap();
    assert_eq!(digest(&again), digest(&l));
}

/// A real SQLite backend whose appends fail while `down` is set (a full disk, a lost volume).
struct Failing {
    inner: apotheca_store::sqlite::Sqlite,
    down: Arc<AtomicBool>,
}

impl Backend for Failing {
    fn next_seq(&mut self) -> Result<u64, String> {
        self.inner.next_seq()
    }
    fn events_from(
        &mut self,
        seq: u64,
        limit: usize,
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        self.inner.events_from(seq, limit)
    }
    fn lock(&mut self) -> Result<(), String> {
        self.inner.lock()
    }
    fn append(&mut self, rows: &[Row]) -> Result<(), AppendError> {
        if self.down.load(Ordering::SeqCst) {
            self.inner.unlock();
            return Err(AppendError::Unavailable("disk full".into()));
        }
        self.inner.append(rows)
    }
    fn unlock(&mut self) {
        self.inner.unlock()
    }
    fn find_keys(&mut self, keys: &[&str]) -> Result<Vec<StoredWrite>, String> {
        self.inner.find_keys(keys)
    }
    fn latest_snapshot(&mut self) -> Result<Option<String>, String> {
        self.inner.latest_snapshot()
    }
    fn put_snapshot(&mut self, seq: u64, format: u32, body: &str) -> Result<(), String> {
        self.inner.put_snapshot(seq, format, body)
    }
    fn history(
        &mut self,
        q: &History<'_>,
        before: u64,
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        self.inner.history(q, before)
    }
}

#[test]
fn a_failed_commit_rolls_back_every_write_of_its_group() {
    let (dir, url) = sqlite_url("failing");
    let down = Arc::new(AtomicBool::new(false));
    let backend = Failing {
        inner: apotheca_store::sqlite::Sqlite::open(url.strip_prefix("sqlite:").unwrap()).unwrap(),
        down: down.clone(),
    };
    let l = StoredLedger::with_backend(Box::new(backend), Options::default()).unwrap();
    l.write(catalog()).unwrap();
    for i in 0..40 {
        let _ = l.write(nth(i));
    }
    let before = digest(&l);
    down.store(true, Ordering::SeqCst);
    // Eight threads at once: their writes share groups, and every group fails.
    std::thread::scope(|s| {
        for t in 0..8u64 {
            let l = &l;
            s.spawn(move || {
                for i in 0..20 {
                    let r = l.write(nth(40 + t * 20 + i));
                    assert!(
                        matches!(
                            r,
                            Err(StoreError::Unavailable(_)) | Err(StoreError::Refused { .. })
                        ),
                        "{r:?}"
                    );
                }
            });
        }
    });
    assert_eq!(digest(&l), before);
    down.store(false, Ordering::SeqCst);
    for i in 40..200 {
        let _ = l.write(nth(i));
    }
    assert_eq!(digest(&l).0, in_memory(200).digest());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_edited_snapshot_is_refused_and_the_log_replayed() {
    let (dir, url) = sqlite_url("edited");
    let l = StoredLedger::open(&url).unwrap();
    l.write(catalog()).unwrap();
    for i in 0..100 {
        let _ = l.write(nth(i));
    }
    assert_eq!(l.snapshot().unwrap(), digest(&l).1);
    let before = digest(&l);
    l.close();
    drop(l);
    let conn = rusqlite_like_edit(&dir.join("ledger.db"));
    assert!(conn > 0);
    let again = StoredLedger::open(&url).unwrap();
    assert!(again.report().snapshot.is_none());
    assert!(
        again
            .report()
            .snapshot_refused
            .as_deref()
            .is_some_and(|r| r.contains("digest")),
        "{:?}",
        again.report()
    );
    assert_eq!(digest(&again), before);
    let _ = std::fs::remove_dir_all(dir);
}

/// Raises the first cell's stock in the stored snapshot, as a person with the file could;
/// returns how many rows changed.
fn rusqlite_like_edit(path: &std::path::Path) -> usize {
    let c = rusqlite::Connection::open(path).unwrap();
    let body: String = c
        .query_row("SELECT body FROM apotheca_snapshots", [], |r| r.get(0))
        .unwrap();
    let mut snap: serde_json::Value = serde_json::from_str(&body).unwrap();
    let n = snap["cells"][0]["on_hand"].as_i64().unwrap();
    snap["cells"][0]["on_hand"] = serde_json::json!(n + 1);
    c.execute(
        "UPDATE apotheca_snapshots SET body = ?1",
        [snap.to_string()],
    )
    .unwrap()
}

#[test]
fn memory_stays_bounded_and_history_reads_the_store() {
    each_backend("bounded", |url| {
        let url = format!("{url}{}memory_events=50", sep(url));
        let l = StoredLedger::open(&url).unwrap();
        l.write(catalog()).unwrap();
        for i in 0..1_000 {
            let _ = l.write(nth(i));
        }
        let (first, next) = l.read(|l| (l.first_seq_in_memory(), l.next_seq()));
        assert!(next - first <= 100, "{} events in memory", next - first);
        let full = in_memory(1_000);
        let f = StockFilter {
            product: Some(ProductId::new("AMOX").unwrap()),
            ..Default::default()
        };
        let card = l
            .history(History::Product("AMOX", None), |l, older| {
                l.stock_card_with(older, &f).unwrap()
            })
            .unwrap();
        assert_eq!(card, full.stock_card(&f).unwrap());
        let doc = l
            .history(History::Reference("GRN-3"), |l, older| {
                l.trace_document_with(older, "GRN-3").unwrap()
            })
            .unwrap();
        assert_eq!(doc, full.trace_document("GRN-3").unwrap());
        assert!(!doc.is_empty());
        let as_of = l
            .history(History::All, |l, older| {
                l.stock_as_of_with(older, "2026-06-02".parse().unwrap(), &f)
                    .unwrap()
            })
            .unwrap();
        assert_eq!(
            as_of,
            full.stock_as_of("2026-06-02".parse().unwrap(), &f).unwrap()
        );
        // Events past memory come back from the store, in order.
        let all = l.events_since(0, usize::MAX).unwrap();
        assert_eq!(all.len() as u64, next);
        assert_eq!(Ledger::replay(&all).unwrap().digest(), full.digest());
    });
}

/// The upgrade path: a store written by this version (schema 2, snapshot format 1) is
/// committed; every later version must keep opening it to the same state.
#[test]
fn a_store_written_by_schema_2_keeps_loading() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-2.sqlite");
    let expected = std::fs::read_to_string(fixture.with_extension("digest")).unwrap();
    let (dir, _) = sqlite_url("fixture");
    let copy = dir.join("ledger.db");
    std::fs::copy(&fixture, &copy).unwrap();
    let l = StoredLedger::open(&format!("sqlite:{}", copy.display())).unwrap();
    assert!(l.report().snapshot.is_some(), "{:?}", l.report());
    assert!(l.report().replayed > 0, "{:?}", l.report());
    let (d, n) = digest(&l);
    assert_eq!(format!("{d} {n}"), expected.trim());
    assert_eq!(d, in_memory(120).digest());
    // And it takes new writes.
    l.write(nth(120)).unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

/// Writes the fixture above (run once per schema change, by hand):
/// `APOTHECA_WRITE_FIXTURE=1 cargo test -p apotheca-store --test stored write_fixture`.
#[test]
fn write_fixture() {
    if std::env::var_os("APOTHECA_WRITE_FIXTURE").is_none() {
        return;
    }
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-2.sqlite");
    std::fs::create_dir_all(fixture.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&fixture);
    let l = StoredLedger::open(&format!("sqlite:{}?snapshot_every=0", fixture.display())).unwrap();
    l.write(catalog()).unwrap();
    for i in 0..80 {
        let _ = l.write(nth(i));
    }
    l.snapshot().unwrap();
    for i in 80..120 {
        let _ = l.write(nth(i));
    }
    let (d, n) = digest(&l);
    std::fs::write(fixture.with_extension("digest"), format!("{d} {n}\n")).unwrap();
}
