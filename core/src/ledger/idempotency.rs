//! Idempotency keys: where each key's event and line outcomes are, without a copy of every key.

use super::*;

/// Where an idempotency key's event is, and where its line outcomes start in `outcomes`
/// (`NO_OUTCOMES` for status changes).
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyEntry {
    /// Sequence number of the event.
    pub(super) log: u64,
    /// Absolute index of its first line outcome.
    pub(super) outcomes: u64,
}

pub(super) const NO_OUTCOMES: u64 = u64::MAX;

/// The numbers of one posted line's outcome; everything else is in the logged posting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredOutcome {
    pub(super) on_hand_after: Qty,
    pub(super) cost_fifo: Option<Decimal>,
    pub(super) cost_moving_average: Option<Decimal>,
}

/// Idempotency keys → their events, without a copy of every key: a keyed 64-bit hash points at
/// the event, whose own key is compared; the rare key whose hash is taken by another key goes
/// to a small side map.
#[derive(Default)]
pub(crate) struct KeyIndex {
    pub(super) by_hash: IndexMap<u64, KeyEntry>,
    pub(super) collided: HashMap<String, KeyEntry>,
    pub(super) hasher: std::collections::hash_map::RandomState,
}

impl KeyIndex {
    /// The entry of `key` among the events in memory (`log` starts at sequence number `base`).
    pub(super) fn get(&self, key: &str, log: &[EventEnvelope], base: u64) -> Option<KeyEntry> {
        use std::hash::BuildHasher;
        match self.by_hash.get(&self.hasher.hash_one(key)) {
            Some(e)
                if e.log >= base
                    && log
                        .get((e.log - base) as usize)
                        .is_some_and(|env| env.event.key() == Some(key)) =>
            {
                Some(*e)
            }
            _ => self.collided.get(key).copied(),
        }
    }

    /// Records a key that `get` did not find.
    pub(super) fn insert(&mut self, key: &str, entry: KeyEntry) {
        use std::hash::BuildHasher;
        match self.by_hash.entry(self.hasher.hash_one(key)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(entry);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(key.to_string(), entry);
            }
        }
    }

    /// Forgets `key`, recorded for the event at `seq` (a rolled-back write).
    pub(crate) fn remove(&mut self, key: &str, seq: u64) {
        use std::hash::BuildHasher;
        let h = self.hasher.hash_one(key);
        if self.by_hash.get(&h).is_some_and(|e| e.log == seq) {
            self.by_hash.remove(&h);
        } else {
            self.collided.remove(key);
        }
    }

    /// Forgets every key of an event before `seq`.
    pub(crate) fn forget_before(&mut self, seq: u64) {
        self.by_hash.retain(|_, e| e.log >= seq);
        self.collided.retain(|_, e| e.log >= seq);
    }
}

impl Ledger {
    /// The result a posting returned, rebuilt from its logged lines and stored outcomes.
    pub(super) fn stored_result(&self, entry: KeyEntry) -> Result<PostingResult> {
        let corrupt = || CoreError::CorruptLog {
            seq: entry.log,
            reason: "posting without a stored result".into(),
        };
        let posting = self
            .event_at(entry.log)?
            .event
            .posting()
            .ok_or_else(corrupt)?;
        let start = entry
            .outcomes
            .checked_sub(self.outcomes_base)
            .ok_or_else(corrupt)? as usize;
        if start + posting.lines.len() > self.outcomes.len() {
            return Err(corrupt());
        }
        let stored = self.outcomes.range(start..start + posting.lines.len());
        Ok(PostingResult {
            seq: entry.log,
            key: posting.key.clone(),
            lines: posting
                .lines
                .iter()
                .zip(stored)
                .map(|(line, o)| LineOutcome {
                    movement: line.movement.kind(),
                    product: line.product.clone(),
                    batch: line.batch.clone(),
                    location: line.location.clone(),
                    qty: line.qty,
                    on_hand_after: o.on_hand_after,
                    cost_fifo: o.cost_fifo,
                    cost_moving_average: o.cost_moving_average,
                })
                .collect(),
        })
    }

    /// Where `key`'s event is, when that event is in memory.
    pub(super) fn key_entry(&self, key: &str) -> Option<KeyEntry> {
        self.keys.get(key, &self.log, self.base)
    }

    /// Whether an idempotency key's event is in memory. With older events in a store, a key
    /// that is not must be looked up there before it is posted (see `apotheca-store`).
    pub fn knows_key(&self, key: &str) -> bool {
        self.key_entry(key).is_some()
    }
}
