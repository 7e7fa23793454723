//! Test support: SQLite files, the writer process and a pseudo-random source.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub use apotheca_store::testing::cluster_or_skip;

/// A small xorshift generator: reproducible runs from a printed seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn from_time() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        println!("rng seed {seed}");
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A fresh SQLite file URL in a temporary directory.
pub fn sqlite_url(name: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("apotheca-sqlite-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("ledger.db").display());
    (dir, url)
}

pub fn writer() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_ledger-writer"))
}

/// Runs `ledger-writer ARGS…` to completion; its stdout.
pub fn run_writer(args: &[&str]) -> String {
    let out = Command::new(writer()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "ledger-writer {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
