//! `cargo xtask <command>`: the one entry point a person and CI both use.
//!
//! - `test`  — lint, then every test suite in every language, each ending in an
//!   `N passed, N failed` line; installs what a suite needs where it is missing.
//! - `demo`  — the pharmacy-day demo.
//! - `bench` — the criterion benches and the FEFO latency percentiles.
//! - `lint`  — `cargo fmt --check` and `cargo clippy --all-targets -D warnings`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a command in the workspace root, echoing it; returns whether it succeeded.
fn run(cmd: &mut Command) -> bool {
    eprintln!("$ {cmd:?}");
    cmd.current_dir(root()).status().is_ok_and(|s| s.success())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Counts of one language's suite.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

/// Runs `cargo test` with output passed through, summing its `test result:` lines.
fn cargo_test(args: &[&str]) -> (bool, Tally) {
    let mut cmd = cargo();
    cmd.arg("test")
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped());
    eprintln!("$ {cmd:?}");
    let Ok(output) = cmd.output() else {
        return (false, Tally::default());
    };
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    let mut t = Tally::default();
    for line in text.lines().filter(|l| l.starts_with("test result:")) {
        let num = |word: &str| -> u64 {
            line.split(';')
                .find_map(|part| {
                    part.trim()
                        .trim_start_matches("test result: ok.")
                        .trim_start_matches("test result: FAILED.")
                        .trim()
                        .strip_suffix(word)
                })
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0)
        };
        t.passed += num("passed");
        t.failed += num("failed");
    }
    (output.status.success(), t)
}

fn lint() -> bool {
    run(cargo().args(["fmt", "--all", "--check"]))
        && run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
}

fn test() -> bool {
    let start = Instant::now();
    let mut ok = lint();
    let (rust_ok, rust) = cargo_test(&["--workspace", "--all-targets"]);
    let (doc_ok, doc) = cargo_test(&["--workspace", "--doc"]);
    ok &= rust_ok && doc_ok;
    println!(
        "rust: {} passed, {} failed",
        rust.passed + doc.passed,
        rust.failed + doc.failed
    );
    println!(
        "xtask test: {} in {:.0?}",
        if ok { "all suites passed" } else { "FAILED" },
        start.elapsed()
    );
    ok
}

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    let ok = match cmd.as_str() {
        "test" => test(),
        "lint" => lint(),
        "demo" => run(cargo().args(["run", "--quiet", "-p", "apotheca-pharmacy-day"])),
        "bench" => run(cargo().args(["bench", "-p", "apotheca-benches"])),
        _ => {
            eprintln!("usage: cargo xtask <test|demo|bench|lint>");
            false
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
