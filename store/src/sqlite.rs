//! The SQLite backend: one file, WAL journal, `synchronous=FULL` (a commit is on disk when it
//! returns), `BEGIN IMMEDIATE` so that writers from several processes serialise on the file.

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use crate::backend::{AppendError, Backend, History, Row, SCHEMA, StoredWrite, envelope};

/// A ledger in one SQLite file.
pub struct Sqlite {
    conn: Connection,
    /// A write section is open (`BEGIN IMMEDIATE` was run).
    locked: bool,
}

fn text(e: rusqlite::Error) -> String {
    format!("sqlite: {e}")
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path`.
    pub fn open(path: &str) -> Result<Self, String> {
        let conn = Connection::open(path).map_err(text)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(text)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(text)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(text)?;
        conn.execute_batch(SCHEMA).map_err(text)?;
        Ok(Self {
            conn,
            locked: false,
        })
    }

    /// Inserts rows inside the open write section, checking that they continue the head.
    fn insert(&self, rows: &[Row]) -> Result<(), AppendError> {
        let unavailable = |e: rusqlite::Error| AppendError::Unavailable(text(e));
        let mut ev = self
            .conn
            .prepare_cached(
                "INSERT INTO apotheca_events (seq, schema, hash, key, reference, body, result) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(unavailable)?;
        let mut mv = self
            .conn
            .prepare_cached("INSERT INTO apotheca_moves (product, batch, seq) VALUES (?1, ?2, ?3)")
            .map_err(unavailable)?;
        // The head must be the one the rows continue: a writer that bypassed the lock may
        // have appended.
        let head: Option<i64> = self
            .conn
            .query_row("SELECT MAX(seq) FROM apotheca_events", [], |r| r.get(0))
            .map_err(unavailable)?;
        if rows
            .first()
            .is_some_and(|r| r.seq != head.map_or(0, |h| h as u64 + 1))
        {
            return Err(AppendError::Conflict);
        }
        for r in rows {
            ev.execute(params![
                r.seq as i64,
                r.schema,
                r.hash,
                r.key,
                r.reference,
                r.body,
                r.result
            ])
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::ConstraintViolation) => AppendError::Conflict,
                _ => unavailable(e),
            })?;
            for (p, b) in &r.moves {
                mv.execute(params![p, b, r.seq as i64])
                    .map_err(unavailable)?;
            }
        }
        Ok(())
    }

    fn rows(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(text)?;
        let bodies = stmt
            .query_map(args, |r| r.get::<_, String>(0))
            .map_err(text)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(text)?;
        bodies.iter().map(|b| envelope(b)).collect()
    }
}

impl Backend for Sqlite {
    fn next_seq(&mut self) -> Result<u64, String> {
        let n: Option<i64> = self
            .conn
            .query_row("SELECT MAX(seq) FROM apotheca_events", [], |r| r.get(0))
            .map_err(text)?;
        Ok(n.map_or(0, |n| n as u64 + 1))
    }

    fn events_from(
        &mut self,
        seq: u64,
        limit: usize,
    ) -> Result<Vec<apotheca_core::EventEnvelope>, String> {
        self.rows(
            "SELECT body FROM apotheca_events WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            params![seq as i64, limit as i64],
        )
    }

    fn lock(&mut self) -> Result<(), String> {
        if !self.locked {
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(text)?;
            self.locked = true;
        }
        Ok(())
    }

    fn append(&mut self, rows: &[Row]) -> Result<(), AppendError> {
        self.lock().map_err(AppendError::Unavailable)?;
        let written = self.insert(rows).and_then(|()| {
            self.conn
                .execute_batch("COMMIT")
                .map_err(|e| AppendError::Unavailable(text(e)))
        });
        if written.is_ok() {
            self.locked = false;
        } else {
            self.unlock();
        }
        written
    }

    fn unlock(&mut self) {
        if self.locked {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.locked = false;
        }
    }

    fn find_keys(&mut self, keys: &[&str]) -> Result<Vec<StoredWrite>, String> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body, result FROM apotheca_events WHERE key = ?1")
            .map_err(text)?;
        let mut out = Vec::new();
        for k in keys {
            let found = stmt
                .query_row([k], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
                })
                .optional()
                .map_err(text)?;
            if let Some((body, result)) = found {
                out.push(StoredWrite {
                    event: envelope(&body)?,
                    result,
                });
            }
        }
        Ok(out)
    }

    fn latest_snapshot(&mut self) -> Result<Option<String>, String> {
        self.conn
            .query_row(
                "SELECT body FROM apotheca_snapshots ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(text)
    }

    fn put_snapshot(&mut self, seq: u64, format: u32, body: &str) -> Result<(), String> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO apotheca_snapshots (seq, format, body) VALUES (?1, ?2, ?3)",
                params![seq as i64, format, body],
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
        let mut args: Vec<&dyn rusqlite::ToSql> =
            texts.iter().map(|t| t as &dyn rusqlite::ToSql).collect();
        args.push(&before);
        self.rows(sql, rusqlite::params_from_iter(args))
    }
}
