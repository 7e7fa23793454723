//! The event log: events and their envelopes, recording and the chained hash, replay and
//! the state digest.

use super::*;

/// Everything that ever changed the ledger, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A location was registered.
    LocationRegistered {
        /// The location.
        location: Location,
    },
    /// A product was registered.
    ProductRegistered {
        /// The product (boxed, like every large payload: the log holds many small postings).
        product: Box<Product>,
    },
    /// A batch was registered.
    BatchRegistered {
        /// The batch.
        batch: Box<Batch>,
    },
    /// A posting was applied.
    Posted {
        /// The posting as given.
        posting: Posting,
    },
    /// A FEFO dispense: the request and the posting it produced (replay re-posts the posting,
    /// it does not allocate again).
    FefoDispensed {
        /// The request as given.
        request: Box<DispenseRequest>,
        /// The lines it posted.
        posting: Posting,
        /// The allocation that chose them.
        allocation: Box<Allocation>,
    },
    /// A batch changed status.
    BatchStatusChanged {
        /// The change.
        // Boxed: it is larger than a posting, which sets the size of every event in the log.
        change: Box<StatusChange>,
    },
}

/// An event with its schema version, sequence number (0-based position in the log) and chained
/// hash: SHA-256 over the previous envelope's hash, the schema, the sequence number and the
/// event's JSON, so that replay refuses a log that was edited, reordered or cut in the middle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventEnvelope {
    /// Schema version of the payload.
    pub schema: u32,
    /// Position in the log.
    pub seq: u64,
    /// The chained hash, 64 lowercase hex digits.
    pub hash: String,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
}

impl Event {
    /// The posting an event applied: a plain posting or the lines of a FEFO dispense.
    pub fn posting(&self) -> Option<&Posting> {
        match self {
            Event::Posted { posting } | Event::FefoDispensed { posting, .. } => Some(posting),
            _ => None,
        }
    }

    /// The idempotency key of a posting, FEFO dispense or status change.
    pub fn key(&self) -> Option<&str> {
        match self {
            Event::Posted { posting } => Some(&posting.key),
            Event::FefoDispensed { request, .. } => Some(&request.key),
            Event::BatchStatusChanged { change } => Some(&change.key),
            _ => None,
        }
    }
}

impl Ledger {
    pub(super) fn record(
        &mut self,
        key: String,
        event: Event,
        mut result: PostingResult,
    ) -> PostingResult {
        let log = self.next_seq();
        let outcomes_before = self.outcomes.len();
        self.keys.insert(
            &key,
            KeyEntry {
                log,
                outcomes: self.outcomes_base + self.outcomes.len() as u64,
            },
        );
        self.outcomes
            .extend(result.lines.iter().map(|l| StoredOutcome {
                on_hand_after: l.on_hand_after,
                cost_fifo: l.cost_fifo,
                cost_moving_average: l.cost_moving_average,
            }));
        result.seq = log;
        result.key = key;
        self.push_event_with(event, outcomes_before);
        result
    }

    pub(super) fn push_event(&mut self, event: Event) {
        self.push_event_with(event, self.outcomes.len());
    }

    /// Appends an event; `outcomes` is how many line outcomes there were before it.
    pub(super) fn push_event_with(&mut self, event: Event, outcomes: usize) {
        let seq = self.next_seq();
        self.journal(|| crate::journal::Undo::Event {
            outcomes,
            key: event.key().map(str::to_string),
        });
        let mut buf = std::mem::take(&mut self.hash_buf);
        let hash = chain_hash(self.head(), SCHEMA_VERSION, seq, &event, &mut buf);
        self.hash_buf = buf;
        self.log.push(EventEnvelope {
            schema: SCHEMA_VERSION,
            seq,
            hash,
            event,
        });
    }

    /// The hash of the newest event (empty for an empty log): keep it beside a saved log to
    /// tell that the log was not cut short ([`Ledger::replay_to`]).
    pub fn head(&self) -> &str {
        self.log
            .last()
            .map_or(self.base_head.as_str(), |e| e.hash.as_str())
    }

    /// The sequence number the next event gets: the number of events ever logged.
    pub fn next_seq(&self) -> u64 {
        self.base + self.log.len() as u64
    }

    /// The sequence number of the oldest event still in memory (0 unless
    /// [`Ledger::forget_before`] handed older ones to a store).
    pub fn first_seq_in_memory(&self) -> u64 {
        self.base
    }

    /// The event with sequence number `seq`, when it is in memory.
    pub fn event(&self, seq: u64) -> Option<&EventEnvelope> {
        self.log
            .get(usize::try_from(seq.checked_sub(self.base)?).ok()?)
    }

    pub(super) fn event_at(&self, seq: u64) -> Result<&EventEnvelope> {
        self.event(seq).ok_or_else(|| CoreError::CorruptLog {
            seq,
            reason: "an idempotency key points at an event that is not in memory".into(),
        })
    }

    // ----- replay ---------------------------------------------------------------------------

    /// Rebuilds a ledger from an event log. The result has the same [`Ledger::digest`] as the
    /// ledger that wrote the log.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a EventEnvelope>) -> Result<Ledger> {
        Self::replay_to(events, None)
    }

    /// [`Ledger::replay`], and checks that the log ends at `head` (the [`Ledger::head`] saved
    /// with it), so that a log cut short at the end is refused too.
    pub fn replay_to<'a>(
        events: impl IntoIterator<Item = &'a EventEnvelope>,
        head: Option<&str>,
    ) -> Result<Ledger> {
        let ledger = Self::replay_events(events)?;
        if let Some(h) = head
            && ledger.head() != h
        {
            return Err(CoreError::CorruptLog {
                seq: ledger.log.len() as u64,
                reason: format!(
                    "the log ends at hash {:?}, not at the expected head {h:?}: it was cut short or is another log",
                    ledger.head()
                ),
            });
        }
        Ok(ledger)
    }

    pub(super) fn replay_events<'a>(
        events: impl IntoIterator<Item = &'a EventEnvelope>,
    ) -> Result<Ledger> {
        let mut ledger = Ledger::new();
        ledger.apply_events(events)?;
        Ok(ledger)
    }

    /// Applies logged events that continue this ledger's log (the tail after a snapshot, or
    /// what other writers appended to a shared store), checking each one's sequence number and
    /// chained hash. On error the events before the offending one stay applied.
    pub fn apply_events<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a EventEnvelope>,
    ) -> Result<()> {
        let ledger = self;
        for env in events {
            if env.schema != SCHEMA_VERSION {
                return Err(CoreError::UnsupportedSchema {
                    found: env.schema,
                    supported: SCHEMA_VERSION,
                });
            }
            let expected = ledger.next_seq();
            let corrupt = |reason: String| CoreError::CorruptLog {
                seq: env.seq,
                reason,
            };
            if env.seq != expected {
                return Err(corrupt(format!("expected sequence {expected}")));
            }
            let before = ledger.log.len();
            let outcome = match env.event.clone() {
                Event::LocationRegistered { location } => ledger.register_location(location),
                Event::ProductRegistered { product } => ledger.register_product(*product),
                Event::BatchRegistered { batch } => ledger.register_batch(*batch),
                Event::Posted { posting } => ledger.post(posting).map(drop),
                Event::BatchStatusChanged { change } => ledger.set_batch_status(*change).map(drop),
                Event::FefoDispensed {
                    request,
                    posting,
                    allocation,
                } => {
                    if ledger.key_entry(&request.key).is_some() {
                        Err(CoreError::IdempotencyConflict {
                            key: request.key.clone(),
                        })
                    } else {
                        ledger.check_and_apply(&posting).map(|result| {
                            let key = request.key.clone();
                            ledger.record(
                                key,
                                Event::FefoDispensed {
                                    request,
                                    posting,
                                    allocation,
                                },
                                result,
                            );
                        })
                    }
                }
            };
            outcome.map_err(|e| corrupt(e.to_string()))?;
            if ledger.log.len() != before + 1 {
                return Err(corrupt("event changed nothing (a duplicate)".into()));
            }
            if ledger.head() != env.hash {
                return Err(corrupt(
                    "its hash does not match: this event or one before it was edited".into(),
                ));
            }
        }
        Ok(())
    }

    /// A fingerprint of the current state (stock, costs, reservations, transits, statuses),
    /// independent of how the maps are laid out in memory: equal states give equal digests.
    pub fn digest(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let mut cells: Vec<_> = self
            .cells
            .iter()
            .map(|(&(l, b), c)| (self.cell_label(l, b), c))
            .collect();
        cells.sort_by(|a, b| a.0.cmp(&b.0));
        for (label, c) in cells {
            let _ = write!(
                s,
                "C|{label}|{}|{}|{}|{}",
                c.q.on_hand, c.q.reserved, c.q.quarantined, c.first_in
            );
            for l in &c.layers {
                let _ = write!(s, "|{}@{}", l.qty, l.unit_cost.normalize());
            }
            if c.held {
                s.push_str("|held");
            }
            if let Some(v) = &c.vvm {
                let _ = write!(
                    s,
                    "|vvm:{}:{}:{}",
                    v.level,
                    v.unusable,
                    v.code.as_deref().unwrap_or("")
                );
            }
            s.push('\n');
        }
        let mut rest: Vec<String> = Vec::new();
        for (id, r) in &self.reservations {
            rest.push(format!(
                "R|{id}|{}|{}",
                self.cell_label(r.cell.0, r.cell.1),
                r.remaining
            ));
        }
        for (id, t) in &self.transits {
            let layers: Vec<String> = t
                .layers
                .iter()
                .map(|l| format!("{}@{}", l.qty, l.unit_cost.normalize()))
                .collect();
            rest.push(format!(
                "T|{id}|{}|{}|{}|{}|{}",
                self.cell_label(t.from, t.batch),
                self.locations[t.to as usize].id,
                t.remaining,
                t.avg_cost.normalize(),
                layers.join(",")
            ));
        }
        for (&(l, p), a) in &self.averages {
            rest.push(format!(
                "A|{}|{}|{}|{}",
                self.locations[l as usize].id,
                self.products[p as usize].product.id,
                a.qty,
                a.unit_cost.normalize()
            ));
        }
        // The catalog as registered (every field: expiry, cost, MRP, pack size, ...) and the
        // statuses now: ledgers whose catalogs differ never share a digest.
        for b in &self.batches {
            rest.push(format!(
                "S|{}|{}|{}|{}",
                b.batch.product,
                b.batch.batch,
                b.status,
                serde_json::to_string(&b.batch).unwrap_or_default()
            ));
        }
        // Dates an expiry change moved (derived dates follow from the catalog lines).
        for b in &self.batches {
            if b.dates != self.registered_dates(b) {
                rest.push(format!(
                    "D|{}|{}|{}",
                    b.batch.product,
                    b.batch.batch,
                    serde_json::to_string(&b.dates).unwrap_or_default()
                ));
            }
        }
        for p in &self.products {
            rest.push(format!(
                "P|{}|{}",
                p.product.id,
                serde_json::to_string(&p.product).unwrap_or_default()
            ));
        }
        for l in &self.locations {
            rest.push(format!(
                "L|{}|{}",
                l.id,
                serde_json::to_string(l).unwrap_or_default()
            ));
        }
        rest.sort();
        for r in rest {
            s.push_str(&r);
            s.push('\n');
        }
        let _ = write!(s, "N|{}", self.next_seq());
        use sha2::{Digest, Sha256};
        format!("{:x}", Sha256::digest(s.as_bytes()))
    }

    pub(crate) fn cell_label(&self, loc: u32, batch: u32) -> String {
        let b = &self.batches[batch as usize].batch;
        format!(
            "{}|{}|{}",
            self.locations[loc as usize].id, b.product, b.batch
        )
    }
}

/// The chained hash of an event: SHA-256 over the previous hash, the schema, the sequence
/// number and the event's JSON (written into `buf`, reused between events).
pub(super) fn chain_hash(
    prev: &str,
    schema: u32,
    seq: u64,
    event: &Event,
    buf: &mut Vec<u8>,
) -> String {
    use sha2::{Digest, Sha256};
    buf.clear();
    // Writing our own types to a Vec cannot fail (no maps with non-string keys).
    let _ = serde_json::to_writer(&mut *buf, event);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(schema.to_le_bytes());
    h.update(seq.to_le_bytes());
    h.update(&buf[..]);
    base16ct::lower::encode_string(&h.finalize())
}
