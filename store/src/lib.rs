#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod backend;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod sample;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(all(feature = "testing", feature = "postgres"))]
pub mod testing;

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use apotheca_core::snapshot::{SNAPSHOT_FORMAT, Snapshot};
use apotheca_core::{
    Allocation, Batch, CoreError, DispenseRequest, Event, EventEnvelope, Ledger, Location, Posting,
    PostingResult, Product, StatusChange,
};

use crate::backend::{AppendError, Backend, History, Row, StoredWrite};

/// How a stored ledger keeps memory bounded and how often it snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Write a snapshot after this many events since the last one (0: only on demand).
    pub snapshot_every: u64,
    /// Events kept in memory for idempotency and history (0: all). Older ones are read back
    /// from the store when a retry or a history query needs them.
    pub memory_events: u64,
    /// The most writes one commit carries.
    pub max_group: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            snapshot_every: 100_000,
            memory_events: 10_000,
            max_group: 4_096,
        }
    }
}

/// A write, as the ledger's methods take it.
#[derive(Debug, Clone)]
pub enum Write {
    /// [`Ledger::post`].
    Post(Posting),
    /// [`Ledger::dispense_fefo`].
    Dispense(DispenseRequest),
    /// [`Ledger::set_batch_status`].
    Status(StatusChange),
    /// [`Ledger::register_catalog`].
    Catalog(Vec<Location>, Vec<Product>, Vec<Batch>),
    /// [`Ledger::register_location`].
    Location(Location),
    /// [`Ledger::register_product`].
    Product(Box<Product>),
    /// [`Ledger::register_batch`].
    Batch(Box<Batch>),
}

/// What a write returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A posting's result.
    Posted(PostingResult),
    /// A FEFO dispense's allocation and posting.
    Dispensed(Box<Allocation>, PostingResult),
    /// A status change's sequence number.
    Status(u64),
    /// A registration.
    Registered,
}

/// Why a stored ledger refused or could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The ledger refused the write (nothing changed); `line` is the posting line it refused.
    #[error("{error}")]
    Refused {
        /// The ledger's error.
        error: CoreError,
        /// The refused line of a posting.
        line: Option<usize>,
    },
    /// The store could not be reached or could not commit: nothing changed, in memory or in
    /// the store. Retry the write (with the same idempotency key) once the store is back.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The stored log does not replay (edited, or written by another program).
    #[error("{0}")]
    Corrupt(CoreError),
    /// The URL names no backend this build has, or has options it does not know.
    #[error("store url: {0}")]
    BadUrl(String),
}

impl From<CoreError> for StoreError {
    fn from(error: CoreError) -> Self {
        StoreError::Refused { error, line: None }
    }
}

/// `Result` with [`StoreError`].
pub type Result<T> = std::result::Result<T, StoreError>;

/// What opening found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// The sequence number of the snapshot loaded, if one was.
    pub snapshot: Option<u64>,
    /// Why the newest snapshot was not used (it was refused and the log replayed instead).
    pub snapshot_refused: Option<String>,
    /// Events replayed after the snapshot.
    pub replayed: u64,
}

struct Queue {
    next_id: u64,
    pending: Vec<(u64, Write)>,
    done: HashMap<u64, Result<Outcome>>,
    leader: bool,
}

struct Shelf {
    backend: Option<Box<dyn Backend>>,
    last_snapshot: u64,
}

/// A ledger whose events live in a store: the state in memory is a cache of the stored log.
///
/// Writes from many threads share commits (group commit): a writer queues its write; one of the
/// waiting writers takes the queue, opens the store's write section (where other instances
/// wait their turn), catches the ledger up to the store's head, applies every write in memory,
/// appends their events in one transaction and only then answers each one. If the commit fails
/// the writes are rolled back in memory and each gets [`StoreError::Unavailable`]; if the append
/// does not continue the head (or a key is already stored), the group is rolled back, caught up
/// and checked again.
pub struct StoredLedger {
    ledger: RwLock<Ledger>,
    shelf: Mutex<Shelf>,
    queue: Mutex<Queue>,
    ready: Condvar,
    options: Options,
    report: OpenReport,
}

/// How many times a group is checked again after losing a race for the head.
const MAX_ATTEMPTS: usize = 10_000;
/// Events read per query while catching up.
const CHUNK: usize = 10_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Splits `?name=value&…` off a URL: the options apotheca reads, and the rest of the URL.
fn options_of(url: &str, defaults: Options) -> Result<(String, Options)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let mut options = defaults;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let num = || {
            v.parse::<u64>()
                .map_err(|_| StoreError::BadUrl(format!("{k}={v:?} is not a whole number")))
        };
        match k {
            "snapshot_every" => options.snapshot_every = num()?,
            "memory_events" => options.memory_events = num()?,
            "max_group" => {
                options.max_group = usize::try_from(num()?.max(1)).unwrap_or(usize::MAX);
            }
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, options))
}

/// Connects to the backend a URL names: `sqlite:PATH` or `postgres://…` / `postgresql://…`.
fn connect(url: &str) -> Result<Box<dyn Backend>> {
    if let Some(path) = url.strip_prefix("sqlite:") {
        #[cfg(feature = "sqlite")]
        {
            if path.contains('?') {
                return Err(StoreError::BadUrl(format!(
                    "unknown option in {url:?} (known: snapshot_every, memory_events, max_group)"
                )));
            }
            let path = path.strip_prefix("//").unwrap_or(path);
            return Ok(Box::new(
                sqlite::Sqlite::open(path).map_err(StoreError::Unavailable)?,
            ));
        }
        #[cfg(not(feature = "sqlite"))]
        return Err(StoreError::BadUrl(format!(
            "{path}: this build has no SQLite"
        )));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        {
            // A URL the driver cannot read (an unknown option, a bad port) is the caller's
            // mistake, not an unavailable server.
            url.parse::<::postgres::Config>().map_err(|e| {
                StoreError::BadUrl(format!(
                    "{e} (apotheca's own options: snapshot_every, memory_events, max_group)"
                ))
            })?;
            return Ok(Box::new(
                postgres::Postgres::open(url).map_err(StoreError::Unavailable)?,
            ));
        }
        #[cfg(not(feature = "postgres"))]
        return Err(StoreError::BadUrl("this build has no PostgreSQL".into()));
    }
    Err(StoreError::BadUrl(format!(
        "{url:?}: expected sqlite:PATH or postgres://…"
    )))
}

impl StoredLedger {
    /// Opens the ledger stored at `url` (`sqlite:PATH`, `postgres://user@host/db`), creating an
    /// empty one if there is none. Options may follow in the URL (`?snapshot_every=50000&
    /// memory_events=10000`). Loads the newest snapshot whose digest checks out and replays the
    /// events after it.
    pub fn open(url: &str) -> Result<Self> {
        let (url, options) = options_of(url, Options::default())?;
        Self::with_backend(connect(&url)?, options)
    }

    /// [`StoredLedger::open`] with explicit options (URL options override them).
    pub fn open_with(url: &str, options: Options) -> Result<Self> {
        let (url, options) = options_of(url, options)?;
        Self::with_backend(connect(&url)?, options)
    }

    /// A stored ledger over any backend.
    pub fn with_backend(mut backend: Box<dyn Backend>, options: Options) -> Result<Self> {
        let mut report = OpenReport::default();
        let mut ledger = Ledger::new();
        if let Some(text) = backend.latest_snapshot().map_err(StoreError::Unavailable)? {
            match restore(&mut *backend, &text) {
                Ok(l) => {
                    report.snapshot = Some(l.next_seq());
                    ledger = l;
                }
                Err(reason) => report.snapshot_refused = Some(reason),
            }
        }
        let before = ledger.next_seq();
        catch_up(&mut ledger, &mut *backend, &options)?;
        report.replayed = ledger.next_seq() - before;
        let last_snapshot = report.snapshot.unwrap_or(0);
        Ok(Self {
            ledger: RwLock::new(ledger),
            shelf: Mutex::new(Shelf {
                backend: Some(backend),
                last_snapshot,
            }),
            queue: Mutex::new(Queue {
                next_id: 0,
                pending: Vec::new(),
                done: HashMap::new(),
                leader: false,
            }),
            ready: Condvar::new(),
            options,
            report,
        })
    }

    /// What opening found: the snapshot used (or why it was refused) and the events replayed.
    pub fn report(&self) -> &OpenReport {
        &self.report
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Reads the ledger as this instance has it: everything it acknowledged, and what other
    /// instances had appended when it last wrote or refreshed.
    pub fn read<T>(&self, f: impl FnOnce(&Ledger) -> T) -> T {
        f(&self.read_guard())
    }

    fn read_guard(&self) -> RwLockReadGuard<'_, Ledger> {
        self.ledger.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, Ledger> {
        self.ledger.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Catches up with what other instances appended; returns the next sequence number.
    pub fn refresh(&self) -> Result<u64> {
        let mut shelf = lock(&self.shelf);
        let backend = shelf.backend.as_deref_mut().ok_or_else(closed)?;
        let mut ledger = self.write_guard();
        catch_up(&mut ledger, backend, &self.options)?;
        Ok(ledger.next_seq())
    }

    /// Writes a snapshot now (after catching up); returns its sequence number.
    pub fn snapshot(&self) -> Result<u64> {
        let mut shelf = lock(&self.shelf);
        let backend = shelf.backend.as_deref_mut().ok_or_else(closed)?;
        let mut ledger = self.write_guard();
        catch_up(&mut ledger, backend, &self.options)?;
        let seq = write_snapshot(&ledger, backend)?;
        shelf.last_snapshot = seq;
        Ok(seq)
    }

    /// Closes the connection: later writes fail with [`StoreError::Unavailable`]; reads keep
    /// answering from memory. Closing twice is a no-op.
    pub fn close(&self) {
        lock(&self.shelf).backend = None;
    }

    /// Whether [`StoredLedger::close`] was called.
    pub fn is_closed(&self) -> bool {
        lock(&self.shelf).backend.is_none()
    }

    /// Events from `seq` on, at most `limit` (from memory, and from the store for older ones).
    pub fn events_since(&self, seq: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        // Events still in memory need no store: answer without waiting for a commit.
        {
            let ledger = self.read_guard();
            if seq >= ledger.first_seq_in_memory() {
                return Ok(ledger
                    .events_since(seq)
                    .iter()
                    .take(limit)
                    .cloned()
                    .collect());
            }
        }
        let mut shelf = lock(&self.shelf);
        let ledger = self.read_guard();
        let base = ledger.first_seq_in_memory();
        let mut out = Vec::new();
        if seq < base {
            let backend = shelf.backend.as_deref_mut().ok_or_else(closed)?;
            let n = usize::try_from(base - seq).unwrap_or(usize::MAX).min(limit);
            out = backend
                .events_from(seq, n)
                .map_err(StoreError::Unavailable)?;
            out.retain(|e| e.seq < base);
        }
        let rest = limit.saturating_sub(out.len());
        out.extend(
            ledger
                .events_since(seq.max(base))
                .iter()
                .take(rest)
                .cloned(),
        );
        Ok(out)
    }

    /// A history query over the whole log: `f` gets the ledger and the events before those in
    /// memory that `query` needs (read back from the store; none when all are in memory).
    pub fn history<T>(
        &self,
        query: History<'_>,
        f: impl FnOnce(&Ledger, &[EventEnvelope]) -> T,
    ) -> Result<T> {
        // With the whole log in memory the store is not needed: answer without waiting for a
        // commit (the store's lock is held while a group commits).
        {
            let ledger = self.read_guard();
            if ledger.first_seq_in_memory() == 0 {
                return Ok(f(&ledger, &[]));
            }
        }
        let mut shelf = lock(&self.shelf);
        let ledger = self.read_guard();
        let base = ledger.first_seq_in_memory();
        let backend = shelf.backend.as_deref_mut().ok_or_else(closed)?;
        let older = backend
            .history(&query, base)
            .map_err(StoreError::Unavailable)?;
        Ok(f(&ledger, &older))
    }

    /// Applies a write and returns once its events are committed to the store.
    pub fn write(&self, write: Write) -> Result<Outcome> {
        let mut q = lock(&self.queue);
        let id = q.next_id;
        q.next_id += 1;
        q.pending.push((id, write));
        loop {
            if let Some(r) = q.done.remove(&id) {
                return r;
            }
            if q.leader {
                q = self.ready.wait(q).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            q.leader = true;
            let n = q.pending.len().min(self.options.max_group);
            let group: Vec<(u64, Write)> = q.pending.drain(..n).collect();
            drop(q);
            let ids: Vec<u64> = group.iter().map(|(id, _)| *id).collect();
            let results =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.commit_group(group)))
                    .unwrap_or_else(|_| {
                        // Nothing of the group may stay: not in memory, not in an open
                        // transaction that the next group would commit.
                        if let Some(b) = lock(&self.shelf).backend.as_deref_mut() {
                            b.unlock();
                        }
                        self.write_guard().rollback();
                        ids.iter()
                            .map(|&id| {
                                (
                                    id,
                                    Err(StoreError::Unavailable(
                                        "a write panicked; nothing was committed".into(),
                                    )),
                                )
                            })
                            .collect()
                    });
            q = lock(&self.queue);
            q.leader = false;
            q.done.extend(results);
            self.ready.notify_all();
        }
    }

    /// Catch up, check and apply a group in memory, append it, commit or roll back.
    fn commit_group(&self, group: Vec<(u64, Write)>) -> Vec<(u64, Result<Outcome>)> {
        let mut shelf = lock(&self.shelf);
        let fail_all = |e: &dyn Fn() -> StoreError| -> Vec<(u64, Result<Outcome>)> {
            group.iter().map(|(id, _)| (*id, Err(e()))).collect()
        };
        let Shelf {
            backend,
            last_snapshot,
        } = &mut *shelf;
        let Some(backend) = backend.as_deref_mut() else {
            return fail_all(&closed);
        };
        // Whether to look the group's keys up in the store first. Not on the first attempt: a
        // key the store already holds (a retry of a write whose event left memory) makes the
        // append fail on the key's UNIQUE constraint, and only then is it looked up — so the
        // common path costs no query.
        let mut look_up = false;
        for _ in 0..MAX_ATTEMPTS {
            let mut ledger = self.write_guard();
            // The write section: other instances wait here instead of racing for the head.
            if let Err(e) = backend.lock() {
                return fail_all(&|| StoreError::Unavailable(e.clone()));
            }
            if let Err(e) = catch_up(&mut ledger, backend, &self.options) {
                backend.unlock();
                let msg = e.to_string();
                return fail_all(&|| match &e {
                    StoreError::Corrupt(c) => StoreError::Corrupt(c.clone()),
                    _ => StoreError::Unavailable(msg.clone()),
                });
            }
            // Keys whose events are no longer in memory: the store knows them.
            let stored: HashMap<String, StoredWrite> =
                if look_up && ledger.first_seq_in_memory() > 0 {
                    let keys: Vec<&str> = group
                        .iter()
                        .filter_map(|(_, w)| key_of(w))
                        .filter(|k| !ledger.knows_key(k))
                        .collect();
                    if keys.is_empty() {
                        HashMap::new()
                    } else {
                        match backend.find_keys(&keys) {
                            Ok(found) => found
                                .into_iter()
                                .filter_map(|s| Some((s.event.event.key()?.to_string(), s)))
                                .collect(),
                            Err(e) => {
                                backend.unlock();
                                return fail_all(&|| StoreError::Unavailable(e.clone()));
                            }
                        }
                    }
                } else {
                    HashMap::new()
                };
            let start = ledger.next_seq();
            ledger.begin();
            let mut results: Vec<(u64, Result<Outcome>, bool)> = Vec::with_capacity(group.len());
            let mut result_json: HashMap<u64, String> = HashMap::new();
            for (id, w) in &group {
                if let Some(s) = key_of(w).and_then(|k| stored.get(k)) {
                    results.push((*id, stored_outcome(w, s), false));
                    continue;
                }
                let before = ledger.next_seq();
                let r = apply(&mut ledger, w.clone());
                if let Ok(Outcome::Posted(p) | Outcome::Dispensed(_, p)) = &r
                    && p.seq >= before
                {
                    result_json.insert(p.seq, serde_json::to_string(p).unwrap_or_default());
                }
                let wrote = ledger.next_seq() > before;
                results.push((*id, r, wrote));
            }
            // A refused write may be the retry of one acknowledged long ago (a dispense retried
            // after the stock ran out): its first outcome is in the store.
            if !look_up
                && ledger.first_seq_in_memory() > 0
                && let Err(e) = self.first_outcomes(&ledger, backend, &group, &mut results)
            {
                ledger.rollback();
                backend.unlock();
                return fail_all(&|| StoreError::Unavailable(e.clone()));
            }
            let rows: Vec<Row> = ledger
                .events_since(start)
                .iter()
                .map(|e| row(e, result_json.remove(&e.seq)))
                .collect();
            if rows.is_empty() {
                backend.unlock();
                ledger.commit();
                return results.into_iter().map(|(id, r, _)| (id, r)).collect();
            }
            match backend.append(&rows) {
                Ok(()) => {
                    ledger.commit();
                    self.after_commit(&mut ledger, backend, last_snapshot);
                    return results.into_iter().map(|(id, r, _)| (id, r)).collect();
                }
                Err(AppendError::Conflict) => {
                    ledger.rollback();
                    look_up = true;
                    continue;
                }
                Err(AppendError::Unavailable(e)) => {
                    ledger.rollback();
                    return results
                        .into_iter()
                        .map(|(id, r, wrote)| {
                            if wrote {
                                (id, Err(StoreError::Unavailable(e.clone())))
                            } else {
                                (id, r)
                            }
                        })
                        .collect();
                }
            }
        }
        fail_all(&|| StoreError::Unavailable("lost the race for the log head too often".into()))
    }

    /// Replaces the refusal of each keyed write whose key the store already holds with that
    /// write's first outcome (or an idempotency conflict, for another payload).
    fn first_outcomes(
        &self,
        ledger: &Ledger,
        backend: &mut dyn Backend,
        group: &[(u64, Write)],
        results: &mut [(u64, Result<Outcome>, bool)],
    ) -> std::result::Result<(), String> {
        let refused: Vec<&str> = group
            .iter()
            .zip(results.iter())
            .filter(|(_, (_, r, _))| matches!(r, Err(StoreError::Refused { .. })))
            .filter_map(|((_, w), _)| key_of(w))
            .filter(|k| !ledger.knows_key(k))
            .collect();
        if refused.is_empty() {
            return Ok(());
        }
        let found = backend.find_keys(&refused)?;
        for ((_, w), (_, r, _)) in group.iter().zip(results.iter_mut()) {
            if !matches!(r, Err(StoreError::Refused { .. })) {
                continue;
            }
            if let Some(s) =
                key_of(w).and_then(|k| found.iter().find(|s| s.event.event.key() == Some(k)))
            {
                *r = stored_outcome(w, s);
            }
        }
        Ok(())
    }

    /// Keeps memory bounded and snapshots when due; a failed snapshot is retried next time.
    fn after_commit(&self, ledger: &mut Ledger, backend: &mut dyn Backend, last: &mut u64) {
        trim(ledger, &self.options);
        let every = self.options.snapshot_every;
        if every > 0
            && ledger.next_seq() - *last >= every
            && let Ok(seq) = write_snapshot(ledger, backend)
        {
            *last = seq;
        }
    }
}

fn closed() -> StoreError {
    StoreError::Unavailable("the ledger was closed".into())
}

fn key_of(w: &Write) -> Option<&str> {
    match w {
        Write::Post(p) => Some(&p.key),
        Write::Dispense(d) => Some(&d.key),
        Write::Status(s) => Some(&s.key),
        _ => None,
    }
}

fn apply(ledger: &mut Ledger, w: Write) -> Result<Outcome> {
    let refused = |ledger: &Ledger, error| StoreError::Refused {
        error,
        line: ledger.refused_line(),
    };
    match w {
        Write::Post(p) => ledger
            .post(p)
            .map(Outcome::Posted)
            .map_err(|e| refused(ledger, e)),
        Write::Dispense(d) => ledger
            .dispense_fefo(d)
            .map(|(a, p)| Outcome::Dispensed(Box::new(a), p))
            .map_err(Into::into),
        Write::Status(s) => ledger
            .set_batch_status(s)
            .map(Outcome::Status)
            .map_err(Into::into),
        Write::Catalog(l, p, b) => ledger
            .register_catalog(&l, &p, &b)
            .map(|()| Outcome::Registered)
            .map_err(Into::into),
        Write::Location(l) => ledger
            .register_location(l)
            .map(|()| Outcome::Registered)
            .map_err(Into::into),
        Write::Product(p) => ledger
            .register_product(*p)
            .map(|()| Outcome::Registered)
            .map_err(Into::into),
        Write::Batch(b) => ledger
            .register_batch(*b)
            .map(|()| Outcome::Registered)
            .map_err(Into::into),
    }
}

/// The first outcome of a write whose key the store already holds: the same write returns it,
/// a different one is an idempotency conflict.
fn stored_outcome(w: &Write, s: &StoredWrite) -> Result<Outcome> {
    let result = || -> Result<PostingResult> {
        let text = s.result.as_deref().unwrap_or("null");
        serde_json::from_str(text).map_err(|e| {
            StoreError::Corrupt(CoreError::CorruptLog {
                seq: s.event.seq,
                reason: format!("stored result does not parse: {e}"),
            })
        })
    };
    let conflict = |key: &str| {
        Err(StoreError::from(CoreError::IdempotencyConflict {
            key: key.to_string(),
        }))
    };
    match (w, &s.event.event) {
        (Write::Post(p), Event::Posted { posting }) if p == posting => {
            Ok(Outcome::Posted(result()?))
        }
        (
            Write::Dispense(d),
            Event::FefoDispensed {
                request,
                allocation,
                ..
            },
        ) if **request == *d => Ok(Outcome::Dispensed(allocation.clone(), result()?)),
        (Write::Status(c), Event::BatchStatusChanged { change }) if **change == *c => {
            Ok(Outcome::Status(s.event.seq))
        }
        (w, _) => conflict(key_of(w).unwrap_or_default()),
    }
}

fn row(e: &EventEnvelope, result: Option<String>) -> Row {
    let posting = e.event.posting();
    Row {
        seq: e.seq,
        schema: e.schema,
        hash: e.hash.clone(),
        key: e.event.key().map(str::to_string),
        reference: posting.and_then(|p| p.reference.clone()),
        body: serde_json::to_string(e).unwrap_or_default(),
        result,
        moves: posting
            .map(|p| {
                let mut m: Vec<(String, String)> = p
                    .lines
                    .iter()
                    .map(|l| (l.product.to_string(), l.batch.to_string()))
                    .collect();
                m.sort();
                m.dedup();
                m
            })
            .unwrap_or_default(),
    }
}

/// Applies what the store holds after the ledger's head, in chunks, keeping memory bounded.
fn catch_up(ledger: &mut Ledger, backend: &mut dyn Backend, options: &Options) -> Result<()> {
    loop {
        let events = backend
            .events_from(ledger.next_seq(), CHUNK)
            .map_err(StoreError::Unavailable)?;
        if events.is_empty() {
            return Ok(());
        }
        ledger.apply_events(&events).map_err(StoreError::Corrupt)?;
        trim(ledger, options);
        if events.len() < CHUNK {
            return Ok(());
        }
    }
}

/// Drops events from memory once twice the kept number are there (amortised: each event is
/// dropped once).
fn trim(ledger: &mut Ledger, options: &Options) {
    let keep = options.memory_events;
    if keep == 0 {
        return;
    }
    let in_memory = ledger.next_seq() - ledger.first_seq_in_memory();
    if in_memory > keep.saturating_mul(2) {
        ledger.forget_before(ledger.next_seq() - keep);
    }
}

fn write_snapshot(ledger: &Ledger, backend: &mut dyn Backend) -> Result<u64> {
    let snap = ledger.snapshot();
    let text = serde_json::to_string(&snap)
        .map_err(|e| StoreError::Unavailable(format!("snapshot: {e}")))?;
    backend
        .put_snapshot(snap.seq, SNAPSHOT_FORMAT, &text)
        .map_err(StoreError::Unavailable)?;
    Ok(snap.seq)
}

/// A ledger from a stored snapshot, refused unless it parses, its digest checks out, and the
/// stored event before it has the hash it records.
fn restore(backend: &mut dyn Backend, text: &str) -> std::result::Result<Ledger, String> {
    let snap: Snapshot =
        serde_json::from_str(text).map_err(|e| format!("snapshot does not parse: {e}"))?;
    let ledger = Ledger::from_snapshot(&snap).map_err(|e| e.to_string())?;
    if snap.seq > 0 {
        let prev = backend.events_from(snap.seq - 1, 1)?;
        if prev.first().is_none_or(|e| e.hash != snap.head) {
            return Err(format!(
                "snapshot at {} does not continue the stored log (hash of event {} differs)",
                snap.seq,
                snap.seq - 1
            ));
        }
    }
    Ok(ledger)
}
