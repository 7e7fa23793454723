//! The PostgreSQL backend: many service instances share one ledger in one database. A group is
//! written in a write section (a transaction holding an advisory lock), so instances queue for
//! the head instead of racing for it; the events go in at the sequence numbers after the head
//! the instance caught up to inside that section, and the primary key on `seq` still refuses any
//! append that does not continue the head (the store then rolls back, catches up and checks the
//! writes again).

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use crate::backend::{AppendError, Backend, History, Row, SCHEMA, StoredWrite, envelope};

/// A ledger in one PostgreSQL database.
pub struct Postgres {
    url: String,
    client: Option<Client>,
    /// A write section is open (a transaction holding the advisory lock).
    locked: bool,
}

/// The advisory lock key every instance takes for the ledger's write section ("apotheca").
const WRITE_LOCK: i64 = 0x6170_6f74_6865_6361;

fn text(e: postgres::Error) -> String {
    format!("postgres: {e}")
}

/// A unique violation means another writer took the sequence number or the key first.
fn classify(e: postgres::Error) -> AppendError {
    match e.code() {
        Some(c) if *c == SqlState::UNIQUE_VIOLATION => AppendError::Conflict,
        _ => AppendError::Unavailable(text(e)),
    }
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host:port/db`, or `?host=/socket/dir`) and creates
    /// the tables if they are missing.
    pub fn open(url: &str) -> Result<Self, String> {
        let mut pg = Self {
            url: url.to_string(),
            client: None,
            locked: false,
        };
        pg.client()?.batch_execute(SCHEMA).map_err(text)?;
        Ok(pg)
    }

    /// The connection, opened again after the server went away.
    fn client(&mut self) -> Result<&mut Client, String> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.locked = false;
            self.client = Some(Client::connect(&self.url, NoTls).map_err(text)?);
        }
        self.client
            .as_mut()
            .ok_or_else(|| "postgres: not connected".to_string())
    }

    /// Inserts rows (events and their moves, one statement, one round trip) inside the open
    /// write section; the primary key on `seq` refuses rows that do not continue the head.
    fn insert(&mut self, rows: &[Row]) -> Result<(), AppendError> {
        let mut seqs = Vec::with_capacity(rows.len());
        let mut schemas = Vec::with_capacity(rows.len());
        let mut hashes = Vec::with_capacity(rows.len());
        let mut keys = Vec::with_capacity(rows.len());
        let mut refs = Vec::with_capacity(rows.len());
        let mut bodies = Vec::with_capacity(rows.len());
        let mut results = Vec::with_capacity(rows.len());
        let (mut mp, mut mb, mut ms) = (Vec::new(), Vec::new(), Vec::new());
        for r in rows {
            seqs.push(r.seq as i64);
            schemas.push(r.schema as i32);
            hashes.push(r.hash.as_str());
            keys.push(r.key.as_deref());
            refs.push(r.reference.as_deref());
            bodies.push(r.body.as_str());
            results.push(r.result.as_deref());
            for (p, b) in &r.moves {
                mp.push(p.as_str());
                mb.push(b.as_str());
                ms.push(r.seq as i64);
            }
        }
        let first = seqs.first().copied().unwrap_or(0);
        let client = self.client().map_err(AppendError::Unavailable)?;
        // The CTE inserts both; the final SELECT says whether the rows continue the head (the
        // event before the first one exists), which keeps the log without gaps.
        let row = client
            .query_one(
                "WITH e AS (INSERT INTO apotheca_events (seq, schema, hash, key, reference, body, result) \
                   SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) RETURNING 1), \
                 m AS (INSERT INTO apotheca_moves (product, batch, seq) \
                   SELECT * FROM UNNEST($8::text[], $9::text[], $10::bigint[]) RETURNING 1) \
                 SELECT $11::bigint = 0 OR EXISTS (SELECT 1 FROM apotheca_events WHERE seq = $11::bigint - 1), \
                   (SELECT count(*) FROM e), (SELECT count(*) FROM m)",
                &[&seqs, &schemas, &hashes, &keys, &refs, &bodies, &results, &mp, &mb, &ms, &first],
            )
            .map_err(classify)?;
        if row.get::<_, bool>(0) {
            Ok(())
        } else {
            Err(AppendError::Conflict)
        }
    }

    fn bodies(
        &mut self,
        sql: &str,
        args: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        let rows = self.client()?.query(sql, args).map_err(text)?;
        rows.iter().map(|r| envelope(r.get::<_, &str>(0))).collect()
    }
}

impl Backend for Postgres {
    fn next_seq(&mut self) -> Result<u64, String> {
        let row = self
            .client()?
            .query_one("SELECT MAX(seq) FROM apotheca_events", &[])
            .map_err(text)?;
        Ok(row.get::<_, Option<i64>>(0).map_or(0, |n| n as u64 + 1))
    }

    fn events_from(
        &mut self,
        seq: u64,
        limit: usize,
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        self.bodies(
            "SELECT body FROM apotheca_events WHERE seq >= $1 ORDER BY seq LIMIT $2",
            &[&(seq as i64), &(limit as i64)],
        )
    }

    fn lock(&mut self) -> Result<(), String> {
        if !self.locked {
            // One round trip: the transaction and the lock, held until COMMIT or ROLLBACK.
            self.client()?
                .batch_execute(&format!(
                    "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
                ))
                .map_err(text)?;
            self.locked = true;
        }
        Ok(())
    }

    fn append(&mut self, rows: &[Row]) -> Result<(), AppendError> {
        self.lock().map_err(AppendError::Unavailable)?;
        let written = self.insert(rows);
        let committed = written.and_then(|()| {
            self.client()
                .map_err(AppendError::Unavailable)?
                .batch_execute("COMMIT")
                .map_err(classify)
        });
        if committed.is_ok() {
            self.locked = false;
        } else {
            self.unlock();
        }
        committed
    }

    fn unlock(&mut self) {
        if self.locked {
            if let Some(c) = self.client.as_mut() {
                let _ = c.batch_execute("ROLLBACK");
            }
            self.locked = false;
        }
    }

    fn find_keys(&mut self, keys: &[&str]) -> Result<Vec<StoredWrite>, String> {
        let keys: Vec<&str> = keys.to_vec();
        let rows = self
            .client()?
            .query(
                "SELECT body, result FROM apotheca_events WHERE key = ANY($1)",
                &[&keys],
            )
            .map_err(text)?;
        rows.iter()
            .map(|r| {
                Ok(StoredWrite {
                    event: envelope(r.get::<_, &str>(0))?,
                    result: r.get::<_, Option<String>>(1),
                })
            })
            .collect()
    }

    fn latest_snapshot(&mut self) -> Result<Option<String>, String> {
        let row = self
            .client()?
            .query_opt(
                "SELECT body FROM apotheca_snapshots ORDER BY seq DESC LIMIT 1",
                &[],
            )
            .map_err(text)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn put_snapshot(&mut self, seq: u64, format: u32, body: &str) -> Result<(), String> {
        self.client()?
            .execute(
                "INSERT INTO apotheca_snapshots (seq, format, body) VALUES ($1, $2, $3) \
                 ON CONFLICT (seq) DO NOTHING",
                &[&(seq as i64), &(format as i32), &body],
            )
            .map(drop)
            .map_err(text)
    }

    fn history(
        &mut self,
        query: &History<'_>,
        before: u64,
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        let (sql, texts) = query.query();
        let before = before as i64;
        let mut args: Vec<&(dyn postgres::types::ToSql + Sync)> = texts
            .iter()
            .map(|t| t as &(dyn postgres::types::ToSql + Sync))
            .collect();
        args.push(&before);
        self.bodies(sql, &args)
    }
}
