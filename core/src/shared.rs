//! A ledger shared between threads: one writer at a time, many readers.
//!
//! Every write (posting, FEFO dispense, status change) runs under one exclusive lock, so a check
//! and its apply see the same stock: no lost update and no oversell, whatever the thread count.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::error::Result;
use crate::fefo::{Allocation, AllocationRequest, DispenseRequest};
use crate::ledger::Ledger;
use crate::movement::{Posting, PostingResult, StatusChange};

/// A cloneable handle to one ledger behind a read-write lock.
#[derive(Clone, Default)]
pub struct SharedLedger(Arc<RwLock<Ledger>>);

impl SharedLedger {
    /// Wraps a ledger.
    pub fn new(ledger: Ledger) -> Self {
        Self(Arc::new(RwLock::new(ledger)))
    }

    /// Runs a read-only closure. A lock poisoned by a panicking writer is recovered: writes are
    /// checked in full before they change anything, so the state is whole.
    pub fn read<T>(&self, f: impl FnOnce(&Ledger) -> T) -> T {
        f(&self.read_guard())
    }

    /// Runs a closure with exclusive access.
    pub fn write<T>(&self, f: impl FnOnce(&mut Ledger) -> T) -> T {
        f(&mut self.write_guard())
    }

    fn read_guard(&self) -> RwLockReadGuard<'_, Ledger> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_guard(&self) -> RwLockWriteGuard<'_, Ledger> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// See [`Ledger::post`].
    pub fn post(&self, posting: Posting) -> Result<PostingResult> {
        self.write_guard().post(posting)
    }

    /// See [`Ledger::dispense_fefo`].
    pub fn dispense_fefo(&self, request: DispenseRequest) -> Result<(Allocation, PostingResult)> {
        self.write_guard().dispense_fefo(request)
    }

    /// See [`Ledger::set_batch_status`].
    pub fn set_batch_status(&self, change: StatusChange) -> Result<u64> {
        self.write_guard().set_batch_status(change)
    }

    /// See [`Ledger::allocate`].
    pub fn allocate(&self, request: &AllocationRequest) -> Result<Allocation> {
        self.read_guard().allocate(request)
    }
}
