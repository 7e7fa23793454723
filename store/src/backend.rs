//! What a backend stores and how the ledger asks for it. Both backends keep the same tables:
//!
//! - `apotheca_events(seq PRIMARY KEY, schema, hash, key UNIQUE, reference, body, result)`: the
//!   log. `seq` is the event's sequence number: a writer appends at the head it expects, so two
//!   writers that raced for the same head cannot both succeed (optimistic concurrency). `key`
//!   is the idempotency key, unique across every instance and restart; `body` is the event's
//!   JSON envelope, `result` the JSON of what the write returned (for retries of old writes).
//! - `apotheca_moves(product, batch, seq)`: which events touched a batch, for history queries
//!   over events no longer in memory.
//! - `apotheca_snapshots(seq PRIMARY KEY, format, body)`: snapshots, the newest one used.

use apotheca_core::EventEnvelope;

/// One event to append.
#[derive(Debug, Clone)]
pub struct Row {
    /// Sequence number.
    pub seq: u64,
    /// The event schema of the envelope.
    pub schema: u32,
    /// The envelope's chained hash.
    pub hash: String,
    /// Idempotency key (postings, dispenses, status changes).
    pub key: Option<String>,
    /// Document reference of a posting.
    pub reference: Option<String>,
    /// The envelope as JSON.
    pub body: String,
    /// The write's result as JSON.
    pub result: Option<String>,
    /// (product, batch) of every line.
    pub moves: Vec<(String, String)>,
}

/// Which older events a history query needs.
#[derive(Debug, Clone)]
pub enum History<'a> {
    /// Every event that touched a product (optionally one batch).
    Product(&'a str, Option<&'a str>),
    /// Every posting under a document reference.
    Reference(&'a str),
    /// Every event.
    All,
}

impl History<'_> {
    /// The query both backends run (`$n` placeholders, which SQLite reads as well as
    /// PostgreSQL) and its text arguments; one more argument follows them, the `before` bound.
    pub(crate) fn query(&self) -> (&'static str, Vec<&str>) {
        match *self {
            History::Product(p, Some(b)) => (
                "SELECT body FROM apotheca_events WHERE seq IN \
                 (SELECT seq FROM apotheca_moves WHERE product = $1 AND batch = $2 AND seq < $3) ORDER BY seq",
                vec![p, b],
            ),
            History::Product(p, None) => (
                "SELECT body FROM apotheca_events WHERE seq IN \
                 (SELECT seq FROM apotheca_moves WHERE product = $1 AND seq < $2) ORDER BY seq",
                vec![p],
            ),
            History::Reference(r) => (
                "SELECT body FROM apotheca_events WHERE reference = $1 AND seq < $2 ORDER BY seq",
                vec![r],
            ),
            History::All => (
                "SELECT body FROM apotheca_events WHERE seq < $1 ORDER BY seq",
                vec![],
            ),
        }
    }
}

/// Why an append did not happen.
#[derive(Debug)]
pub enum AppendError {
    /// Another writer appended first (the expected head was taken) or wrote the same key.
    Conflict,
    /// The database could not be reached or refused the write.
    Unavailable(String),
}

/// A stored write found by its idempotency key.
#[derive(Debug, Clone)]
pub struct StoredWrite {
    /// The event.
    pub event: EventEnvelope,
    /// What the write returned, as JSON.
    pub result: Option<String>,
}

/// A database that holds one ledger.
pub trait Backend: Send {
    /// The next sequence number: how many events the store holds.
    fn next_seq(&mut self) -> Result<u64, String>;
    /// Up to `limit` events from `seq` on, in order.
    fn events_from(&mut self, seq: u64, limit: usize) -> Result<Vec<EventEnvelope>, String>;
    /// Opens the write section: a transaction holding the ledger's write lock (SQLite
    /// `BEGIN IMMEDIATE`, PostgreSQL an advisory lock), so that instances queue for the head
    /// instead of racing for it. Catching up, key lookups and the append then run inside it.
    fn lock(&mut self) -> Result<(), String>;
    /// Appends rows whose first sequence number is the store's next one and commits, in the
    /// write section if one is open (else in a transaction of its own).
    fn append(&mut self, rows: &[Row]) -> Result<(), AppendError>;
    /// Leaves the write section without writing (rolls its transaction back); a no-op when
    /// none is open.
    fn unlock(&mut self);
    /// The stored writes with these idempotency keys.
    fn find_keys(&mut self, keys: &[&str]) -> Result<Vec<StoredWrite>, String>;
    /// The newest snapshot (its JSON), if any.
    fn latest_snapshot(&mut self) -> Result<Option<String>, String>;
    /// Stores a snapshot taken at `seq`.
    fn put_snapshot(&mut self, seq: u64, format: u32, body: &str) -> Result<(), String>;
    /// Events before `before` that a history query needs, in order.
    fn history(&mut self, query: &History<'_>, before: u64) -> Result<Vec<EventEnvelope>, String>;
}

/// The schema both backends create (SQLite and PostgreSQL read the same DDL; `BIGINT` is an
/// integer in both).
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS apotheca_events (
    seq BIGINT PRIMARY KEY,
    schema INTEGER NOT NULL,
    hash TEXT NOT NULL,
    key TEXT UNIQUE,
    reference TEXT,
    body TEXT NOT NULL,
    result TEXT
);
CREATE INDEX IF NOT EXISTS apotheca_events_reference ON apotheca_events (reference);
CREATE TABLE IF NOT EXISTS apotheca_moves (
    product TEXT NOT NULL,
    batch TEXT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS apotheca_moves_batch ON apotheca_moves (product, batch, seq);
CREATE TABLE IF NOT EXISTS apotheca_snapshots (
    seq BIGINT PRIMARY KEY,
    format INTEGER NOT NULL,
    body TEXT NOT NULL
);
";

/// Reads a stored envelope.
pub(crate) fn envelope(body: &str) -> Result<EventEnvelope, String> {
    serde_json::from_str(body).map_err(|e| format!("stored event does not parse: {e}"))
}
