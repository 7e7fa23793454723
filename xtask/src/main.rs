//! `cargo xtask <command>`: the one entry point a person and CI both use.
//!
//! - `test`  — lint, then every test suite in every language, each ending in a
//!   `<language>: N passed, N failed` line; installs what a suite needs where it is missing
//!   (a Python virtual environment in `.venv`, pip packages), idempotently.
//! - `demo`  — the pharmacy-day demo.
//! - `bench` — the criterion benches, the FEFO latency percentiles and the store's throughput,
//!   reopen and memory figures (`store-bench`).
//! - `lint`  — `cargo fmt --check` and `cargo clippy --all-targets -D warnings`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Prepares a command: run in the workspace root unless it names a folder, and every cargo under
/// it (maturin's and napi's too) builds without incremental caches: the test command builds each
/// crate once, and on a fresh machine those caches were 3 GB of its ~16 GB.
fn prepare(cmd: &mut Command) {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    cmd.env("CARGO_INCREMENTAL", "0");
}

/// Runs a command in the workspace root (or `dir`), echoing it; returns whether it succeeded.
fn run(cmd: &mut Command) -> bool {
    prepare(cmd);
    eprintln!("$ {cmd:?}");
    cmd.status().is_ok_and(|s| s.success())
}

/// Runs a command, passing its output through, and returns (success, its stdout + stderr).
fn run_captured(cmd: &mut Command) -> (bool, String) {
    prepare(cmd);
    eprintln!("$ {cmd:?}");
    match cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output() {
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            print!("{text}");
            (out.status.success(), text)
        }
        Err(e) => {
            eprintln!("could not start: {e}");
            (false, String::new())
        }
    }
}

/// Pass and fail counts of one language's suites.
#[derive(Default, Clone, Copy)]
struct Tally {
    passed: u64,
    failed: u64,
    ok: bool,
}

impl Tally {
    fn new() -> Self {
        Self {
            ok: true,
            ..Default::default()
        }
    }

    /// Adds the counts of the summary lines a runner printed: cargo's `test result:` lines,
    /// pytest's closing line (`3 failed, 110 passed in 0.8s`), node's `# pass N` / `# fail N`.
    fn add(&mut self, ok: bool, text: &str) {
        self.ok &= ok;
        for line in text.lines() {
            let tap = |prefix: &str| {
                line.strip_prefix(prefix)
                    .and_then(|n| n.trim().parse::<u64>().ok())
            };
            if let Some(n) = tap("# pass ") {
                self.passed += n;
            }
            if let Some(n) = tap("# fail ") {
                self.failed += n;
            }
            // A runner's own closing line: `kotlin: 91 passed, 0 failed`.
            if let Some((name, counts)) = line.split_once(": ")
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && let Some((p, f)) = counts.split_once(" passed, ")
                && let (Ok(p), Some(Ok(f))) = (
                    p.parse::<u64>(),
                    f.strip_suffix(" failed").map(str::parse::<u64>),
                )
            {
                self.passed += p;
                self.failed += f;
                continue;
            }
            let summary = line.starts_with("test result:")
                || (line.contains(" in ")
                    && (line.contains(" passed") || line.contains(" failed"))
                    && !line.contains("::"));
            if !summary {
                continue;
            }
            let words: Vec<&str> = line
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                match (pair[0].parse::<u64>(), pair[1]) {
                    (Ok(n), "passed") => self.passed += n,
                    (Ok(n), "failed") => self.failed += n,
                    _ => {}
                }
            }
        }
    }

    fn report(&self, language: &str) -> bool {
        // A suite that could not even start (a failed build) counts as a failure.
        let failed = if self.ok || self.failed > 0 {
            self.failed
        } else {
            1
        };
        println!("{language}: {} passed, {failed} failed", self.passed);
        self.ok && failed == 0
    }
}

/// `cargo xtask gen`: every language's types, the JSON Schemas and the error-code lists from
/// the Rust types (`typegen`); with `check`, fails instead where a committed file differs.
fn generate(check: bool) -> bool {
    let mut c = cargo();
    c.args(["run", "--quiet", "-p", "apotheca-typegen"]);
    if check {
        c.arg("--").arg("--check");
    }
    run(&mut c)
}

fn lint() -> bool {
    generate(true)
        && run(cargo().args(["fmt", "--all", "--check"]))
        && run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
}

fn rust_suite() -> Tally {
    let mut t = Tally::new();
    let (ok, out) = run_captured(pg_env(
        cargo().args(["test", "--workspace", "--all-targets"]),
        None,
    ));
    t.add(ok, &out);
    let (ok, out) = run_captured(cargo().args(["test", "--workspace", "--doc"]));
    t.add(ok, &out);
    let (ok, out) = supply_chain();
    t.add(ok, &out);
    let (ok, out) = fuzz(FUZZ_SMOKE_SECONDS);
    t.add(ok, &out);
    t
}

/// Installs a cargo subcommand from crates.io where it is missing.
fn cargo_tool(bin: &str, krate: &str) -> bool {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(bin).exists()
        || run(cargo().args(["install", "--locked", "--quiet", krate]))
}

/// `cargo deny check licenses bans` against `deny.toml` (licences, banned crates, duplicate
/// versions); one line `cargo-deny: 1 passed, 0 failed`.
fn supply_chain() -> (bool, String) {
    let ok = cargo_tool("cargo-deny", "cargo-deny")
        && run(cargo().args(["deny", "--log-level", "error", "check", "licenses", "bans"]));
    let line = format!(
        "cargo-deny: {} passed, {} failed",
        u8::from(ok),
        u8::from(!ok)
    );
    println!("{line}");
    (ok, line)
}

/// Seconds each fuzz target runs in `cargo xtask test` (a smoke: the seeds and a little more).
const FUZZ_SMOKE_SECONDS: u64 = 5;

/// The cargo-fuzz targets in `fuzz/fuzz_targets`.
fn fuzz_targets() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fuzz/fuzz_targets"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".rs")
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs every fuzz target for `seconds` from its seeds (`fuzz/seeds/<t>`, kept in the repo)
/// and its working corpus (`fuzz/corpus/<t>`, not kept). cargo-fuzz wants a nightly compiler;
/// this uses the stable one with `RUSTC_BOOTSTRAP=1` and no sanitizer (`-s none`: the code is
/// safe Rust; the targets check behaviour), so it runs wherever the toolchain does. Prints one
/// line per target with its executions, and `fuzz: N passed, N failed`.
fn fuzz(seconds: u64) -> (bool, String) {
    let dir = root().join("fuzz");
    let fuzz_cmd = || {
        let mut c = cargo();
        c.current_dir(&dir).env("RUSTC_BOOTSTRAP", "1");
        c
    };
    if !cargo_tool("cargo-fuzz", "cargo-fuzz")
        || !run(fuzz_cmd().args(["fuzz", "build", "-s", "none"]))
    {
        let line = "fuzz: skipped (cargo-fuzz could not be installed or the targets did not build); fuzz: 0 passed, 1 failed".to_string();
        println!("{line}");
        return (false, line);
    }
    let (mut passed, mut failed) = (0, 0);
    for t in fuzz_targets() {
        let corpus = dir.join("corpus").join(&t);
        let _ = std::fs::create_dir_all(&corpus);
        let (ok, out) = run_captured(
            fuzz_cmd()
                .args(["fuzz", "run", "-s", "none", &t])
                .arg(&corpus)
                .arg(dir.join("seeds").join(&t))
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-print_final_stats=1",
                    "-timeout=20",
                    "-rss_limit_mb=4096",
                ]),
        );
        let runs = out
            .lines()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .map(str::trim)
            .unwrap_or("?");
        let line = format!(
            "fuzz {t}: {runs} executions in {seconds} s, {}",
            if ok { "no failure" } else { "FAILED" }
        );
        println!("{line}");
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    let line = format!("fuzz: {passed} passed, {failed} failed");
    println!("{line}");
    (failed == 0, line)
}

/// `.venv` with the Python test tools, created once.
fn venv() -> Option<PathBuf> {
    let venv = root().join(".venv");
    let bin = venv.join("bin");
    if !bin.join("python").exists() && !run(Command::new("python3").args(["-m", "venv", ".venv"])) {
        return None;
    }
    // NumPy: forecast_matrix takes and returns arrays; pandas, polars and pyarrow: the frame
    // functions take and return their frames (pandas-stubs for mypy); tqdm: a progress bar;
    // matplotlib: the forecast example's plot.
    const PACKAGES: [&str; 10] = [
        "maturin>=1.16,<2",
        "pytest",
        "mypy",
        "numpy",
        "pandas",
        "pandas-stubs",
        "polars",
        "pyarrow",
        "tqdm",
        "matplotlib",
    ];
    let marker = venv.join("apotheca-packages.txt");
    let want = PACKAGES.join("\n");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(want.as_str()) {
        if !run(Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PACKAGES))
        {
            return None;
        }
        std::fs::write(&marker, &want).ok()?;
    }
    // PySpark (for the Spark example's test) only where pip can install it: the test says why
    // it is skipped otherwise.
    let spark = venv.join("apotheca-pyspark.txt");
    if !spark.exists() {
        if run(Command::new(bin.join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg("pyspark>=3.5,<5"))
        {
            std::fs::write(&spark, "installed").ok()?;
        } else {
            println!("pyspark could not be installed: the Spark example's test will be skipped");
        }
    }
    Some(venv)
}

fn python_suite() -> Tally {
    let mut t = Tally::new();
    let Some(venv) = venv() else {
        t.ok = false;
        return t;
    };
    let bin = venv.join("bin");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let built = run(Command::new(bin.join("maturin"))
        .args(["develop", "--quiet", "--features", "test-panic"])
        .current_dir(root().join("bindings-python"))
        .env("VIRTUAL_ENV", &venv)
        .env("PATH", &path));
    if !built {
        t.ok = false;
        return t;
    }
    let (ok, out) = run_captured(pg_env(
        Command::new(bin.join("python")).args([
            "-m",
            "pytest",
            "-rs",
            "-q",
            "-p",
            "no:cacheprovider",
            "--doctest-glob=README.md",
            "bindings-python/tests",
            "bindings-python/README.md",
        ]),
        Some("apotheca_python"),
    ));
    t.add(ok, &out);
    t.ok &= run(Command::new(bin.join("mypy"))
        .current_dir(root().join("bindings-python"))
        .env("PATH", &path));
    t
}

fn npx(dir: &Path) -> Command {
    let mut c = Command::new("npx");
    c.arg("--no-install").current_dir(dir);
    c
}

/// `npm install` in a package folder, unless `marker` (a path under its node_modules) is there.
/// Not `npm ci`: a lock file written on one platform lacks other platforms' optional packages,
/// and `npm ci` refuses it; `npm install` follows the lock for everything it lists.
fn npm_install(dir: &Path, marker: &str) -> bool {
    dir.join("node_modules").join(marker).exists()
        || run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(dir))
}

/// Fails when a generated, committed file differs from what the build just wrote.
fn no_drift(file: &Path, before: Option<String>) -> bool {
    let after = std::fs::read_to_string(file).ok();
    if before.is_some() && before == after {
        return true;
    }
    println!(
        "{} changed when regenerated: commit the regenerated file",
        file.display()
    );
    false
}

fn node_suite() -> Tally {
    let mut t = Tally::new();
    let dir = root().join("bindings-node");
    let dts = dir.join("index.d.ts");
    let committed = std::fs::read_to_string(&dts).ok();
    let built = npm_install(&dir, ".bin/napi")
        && run(npx(&dir).args(["napi", "build", "--platform", "--features", "test-panic"]));
    if !built {
        t.ok = false;
        return t;
    }
    t.ok &= no_drift(&dts, committed);
    let (ok, out) = run_captured(pg_env(
        Command::new("node")
            .args(["--test", "__test__/"])
            .current_dir(&dir),
        Some("apotheca_node"),
    ));
    t.add(ok, &out);
    t.ok &= run(npx(&dir).args(["tsc", "-p", "."]));
    t
}

/// The wasm-bindgen CLI must equal the `wasm-bindgen` crate version pinned in bindings-wasm.
const WASM_BINDGEN: &str = "0.2.130";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn output_of(cmd: &mut Command) -> String {
    cmd.output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn apt_install(packages: &[&str]) -> bool {
    run(Command::new("apt-get").args(["update", "-qq"]))
        && run(Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The capability builds of the web package, each under its own subpath
/// (`@apotheca/wasm/ledger`): the name and the capabilities it adds to the ledger (cargo
/// features of bindings-wasm), so that a page downloads only what it uses.
const WASM_PARTS: &[(&str, &[&str])] = &[
    ("ledger", &[]),
    ("billing", &["billing"]),
    ("interactions", &["interactions"]),
    ("forecasting", &["forecasting"]),
    ("counter", &["billing", "interactions"]),
];

/// Builds the WebAssembly module with every capability and `features`; returns its path.
fn build_wasm(features: &[&str]) -> Option<PathBuf> {
    build_wasm_with(true, features)
}

/// Builds the WebAssembly module (with the default capabilities where `defaults`, else the
/// ledger alone, plus `features`); returns its path. Route A: rustup's wasm32 target. Route B,
/// when rustup's server does not answer: Debian's rustc-web with build-std.
fn build_wasm_with(defaults: bool, features: &[&str]) -> Option<PathBuf> {
    let mut args = vec!["build", "-p", "apotheca-wasm", "--target", WASM_TARGET];
    if !defaults {
        args.push("--no-default-features");
    }
    for f in features {
        args.extend(["--features", f]);
    }
    let args = args.as_slice();
    let has_target = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .contains(WASM_TARGET);
    if has_target || run(Command::new("rustup").args(["target", "add", WASM_TARGET])) {
        return run(cargo().args(args).args(["--profile", "release-small"])).then(|| {
            root().join("target/wasm32-unknown-unknown/release-small/apotheca_wasm.wasm")
        });
    }
    eprintln!("rustup could not add {WASM_TARGET}: building with Debian's rustc-web instead");
    let debian = Path::new("/usr/bin/rustc").exists()
        || apt_install(&[
            "rustc-web",
            "cargo-web",
            "rust-web-src",
            "libstd-rust-web-dev",
            "lld",
        ]);
    let ok = debian
        && run(Command::new("/usr/bin/cargo")
            .args(args)
            .args([
                "--profile",
                "release-small",
                "-Z",
                "build-std=std,panic_abort",
            ])
            .env(
                "PATH",
                format!("/usr/bin:{}", std::env::var("PATH").unwrap_or_default()),
            )
            .env("RUSTC", "/usr/bin/rustc")
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", root().join("target/wasm-debian"))
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", "wasm-ld"));
    ok.then(|| {
        root().join("target/wasm-debian/wasm32-unknown-unknown/release-small/apotheca_wasm.wasm")
    })
}

/// The web and Node packages of a built module, in `out`/pkg-web and `out`/pkg-node:
/// wasm-bindgen's glue, the module after `wasm-opt -Oz`, the package entries (the runtime
/// `ApothecaError` of @apotheca/node, one source: CommonJS for Node, an ES module for the web)
/// and the package manifests. `dir` is bindings-wasm (its tools, template and entries).
fn package_wasm(wasm: &Path, dir: &Path, out: &Path) -> bool {
    for (target, pkg) in [("nodejs", "pkg-node"), ("web", "pkg-web")] {
        if !bindgen_and_opt(wasm, dir, target, &out.join(pkg)) {
            return false;
        }
    }
    let template = std::fs::read_to_string(dir.join("package.template.json")).unwrap_or_default();
    if let Some((part, _)) = WASM_PARTS
        .iter()
        .find(|(p, _)| !template.contains(&format!("\"./{p}\": {{")))
    {
        println!("wasm: package.template.json does not export the {part} build");
        return false;
    }
    // The Node package: the full module's files (no capability builds), CommonJS, under its
    // own name.
    let parts: String = WASM_PARTS
        .iter()
        .map(|(p, _)| format!(", \"{p}/\""))
        .collect();
    let node_manifest = template
        .lines()
        .filter(|l| {
            let l = l.trim();
            !l.starts_with("\".") && !l.starts_with("\"exports\"") && l != "},"
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&parts, "")
        .replace("\"@apotheca/wasm\"", "\"@apotheca/wasm-node\"")
        .replace(
            "apotheca in the browser",
            "apotheca in Node via WebAssembly",
        )
        .replace("\"type\": \"module\"", "\"type\": \"commonjs\"")
        .replace("\"index.d.ts\", ", "")
        .replace("\"types\": \"index.d.ts\"", "\"types\": \"apotheca.d.ts\"");
    let errors =
        std::fs::read_to_string(root().join("bindings-node/errors.js")).unwrap_or_default();
    let esm = errors.replace(
        "module.exports = { ApothecaError, isApothecaError }",
        "export { ApothecaError, isApothecaError }",
    );
    let entries = [
        ("pkg-web/package.json", template),
        ("pkg-node/package.json", node_manifest),
        ("pkg-web/errors.js", esm),
        ("pkg-node/errors.js", errors),
        (
            "pkg-node/index.js",
            "'use strict'\nmodule.exports = Object.assign(Object.create(null), \
             require('./apotheca.js'), require('./errors.js'))\n"
                .to_string(),
        ),
    ];
    let mut ok = true;
    for (rel, text) in entries {
        ok &= std::fs::write(out.join(rel), text).is_ok();
    }
    for f in ["index.js", "index.d.ts"] {
        ok &= std::fs::copy(dir.join(f), out.join("pkg-web").join(f)).is_ok();
    }
    ok
}

/// wasm-bindgen's glue for `target` in `out` and its module after `wasm-opt -Oz`.
fn bindgen_and_opt(wasm: &Path, dir: &Path, target: &str, out: &Path) -> bool {
    let bg = out.join("apotheca_bg.wasm");
    run(Command::new("wasm-bindgen")
        .arg(wasm)
        .args(["--target", target, "--out-name", "apotheca", "--out-dir"])
        .arg(out))
        && run(npx(dir)
            .args([
                "wasm-opt",
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(&bg)
            .arg(&bg))
}

/// The capability builds of [`WASM_PARTS`] into `web`/<name> (the web package's folder, after
/// [`package_wasm`]), each with an entry that adds the package's `ApothecaError`; prints each
/// module's size once all are built.
fn package_wasm_parts(dir: &Path, web: &Path) -> bool {
    let Ok(entry) = std::fs::read_to_string(dir.join("index.js")) else {
        return false;
    };
    let entry = entry.replace("'./errors.js'", "'../errors.js'");
    for (name, features) in WASM_PARTS {
        let out = web.join(name);
        let _ = std::fs::remove_dir_all(&out);
        let made = build_wasm_with(false, features).is_some_and(|wasm| {
            bindgen_and_opt(&wasm, dir, "web", &out)
                && std::fs::write(out.join("index.js"), &entry).is_ok()
                && std::fs::copy(dir.join("index.d.ts"), out.join("index.d.ts")).is_ok()
        });
        if !made {
            return false;
        }
    }
    for (name, features) in WASM_PARTS {
        let with: String = features.iter().map(|f| format!(" + {f}")).collect();
        print_wasm_size(
            &format!(" {name} (ledger{with})"),
            &web.join(name).join("apotheca_bg.wasm"),
        );
    }
    true
}

/// Prints a module's size, `wasm size<label>: …`: bytes, and bytes after `gzip -9`.
fn print_wasm_size(label: &str, file: &Path) {
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let gzip = output_of(
        Command::new("sh")
            .arg("-c")
            .arg("gzip -9 -c \"$0\" | wc -c")
            .arg(file),
    );
    println!(
        "wasm size{label}: {bytes} bytes, {} bytes gzip -9 (after wasm-opt -Oz)",
        gzip.trim()
    );
}

/// wasm-bindgen's CLI at the crate's version (installed where missing) and bindings-wasm's npm
/// tools (`wasm-opt`).
fn wasm_tools(dir: &Path) -> bool {
    let has_cli = output_of(Command::new("wasm-bindgen").arg("--version")).contains(WASM_BINDGEN);
    (has_cli || run(cargo().args(["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN])))
        && npm_install(dir, ".bin/wasm-opt")
}

fn wasm_suite() -> Tally {
    let mut t = Tally::new();
    let dir = root().join("bindings-wasm");
    let tools =
        wasm_tools(&dir) && (Path::new("/usr/bin/chromium").exists() || apt_install(&["chromium"]));
    let Some(wasm) = tools.then(|| build_wasm(&["test-panic"])).flatten() else {
        t.ok = false;
        return t;
    };
    let dts = dir.join("apotheca.d.ts");
    let committed = std::fs::read_to_string(&dts).ok();
    if !package_wasm(&wasm, &dir, &dir) {
        t.ok = false;
        return t;
    }
    let _ = std::fs::copy(dir.join("pkg-web/apotheca.d.ts"), &dts);
    t.ok &= no_drift(&dts, committed);
    print_wasm_size("", &dir.join("pkg-web/apotheca_bg.wasm"));
    if !package_wasm_parts(&dir, &dir.join("pkg-web")) {
        t.ok = false;
        return t;
    }
    let (ok, out) = run_captured(
        Command::new("node")
            .args(["--test", "tests/"])
            .current_dir(&dir),
    );
    t.add(ok, &out);
    t.ok &= run(npx(&dir).args(["tsc", "-p", "."]));
    t
}

/// Generates the UniFFI bindings for one language into bindings-mobile/generated/<language>.
/// Kotlin: the variants without fields of a sealed class become `data object`s, whose
/// `toString()` is their name (`CrostonSba`), not `Model$CrostonSba@6a1aab78`; an exception's
/// `message` is its `reason` (UniFFI would list every field, `reason=…, details=…`).
fn uniffi_generate(language: &str) -> bool {
    uniffi_generate_from(language, "target/debug/libapotheca_mobile.so")
}

/// [`uniffi_generate`] from the library at `library` (relative to the root).
fn uniffi_generate_from(language: &str, library: &str) -> bool {
    let out = root().join("bindings-mobile/generated").join(language);
    let _ = std::fs::remove_dir_all(&out);
    uniffi_bindgen(language, &out, library) && (language != "kotlin" || kotlin_fixups(&out))
}

fn kotlin_fixups(out: &Path) -> bool {
    let file = out.join("org/apotheca/apotheca.kt");
    let Ok(text) = std::fs::read_to_string(&file) else {
        println!("kotlin: {} was not generated", file.display());
        return false;
    };
    let fixed: Vec<String> = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let sealed_variant = t.starts_with("object ") && t.trim_end().ends_with("()");
            let error_message = t == "get() = \"reason=${ `reason` }, details=${ `details` }\"";
            if sealed_variant {
                l.replacen("object ", "data object ", 1)
            } else if error_message {
                l.replacen(t, "get() = `reason`", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&file, fixed.join("\n") + "\n").is_ok()
}

/// React Native: ubrn writes every 64-bit integer as a `bigint`, which `JSON.stringify` cannot
/// write. apotheca's (quantities, counts, sequence numbers) stay far below 2^53, so the
/// TypeScript API takes and returns numbers: the Int64 and UInt64 converters are wrapped to
/// convert at the boundary (a fraction is refused by `BigInt`), and the API's types say `number`.
fn rn_numbers(file: &Path) -> bool {
    const HELPER: &str = "
// apotheca's 64-bit integers (quantities, counts, sequence numbers) stay far below 2^53: they
// are numbers here, which JSON.stringify can write, not bigints. A fraction is refused.
function uniffiAsNumber(big: FfiConverter<bigint, bigint>): FfiConverter<bigint, number> {
    return {
        lift: (v: bigint) => Number(v),
        lower: (v: number, alloc: RustBufferAllocator) => big.lower(BigInt(v), alloc),
        readFromCursor: (c: Cursor) => Number(big.readFromCursor(c)),
        writeIntoCursor: (v: number, c: Cursor) => big.writeIntoCursor(BigInt(v), c),
        allocationSize: (v: number) => big.allocationSize(BigInt(v)),
    };
}
const FfiConverterInt64 = uniffiAsNumber(FfiConverterBigInt64);
const FfiConverterUInt64 = uniffiAsNumber(FfiConverterBigUInt64);
";
    let Ok(text) = std::fs::read_to_string(file) else {
        println!("react-native: {} was not generated", file.display());
        return false;
    };
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.starts_with("import {") && l.contains("FfiConverterInt64,"))
    else {
        println!(
            "react-native: no Int64 converter import in {}",
            file.display()
        );
        return false;
    };
    let Some(end) = (start..lines.len()).find(|&i| lines[i].trim_end().ends_with(';')) else {
        return false;
    };
    let import = lines[start]
        .replacen(
            "FfiConverterInt64,",
            "FfiConverterInt64 as FfiConverterBigInt64,",
            1,
        )
        .replacen(
            "FfiConverterUInt64,",
            "FfiConverterUInt64 as FfiConverterBigUInt64,",
            1,
        );
    let mut out = lines[..start].join("\n");
    out.push('\n');
    out.push_str(&import);
    out.push('\n');
    out.push_str(&lines[start + 1..=end].join("\n"));
    out.push('\n');
    out.push_str(HELPER);
    let rest = lines[end + 1..].join("\n");
    out.push_str(
        &rest
            .replace("bigint", "number")
            .replace("BigInt(\"0\")", "0"),
    );
    out.push('\n');
    std::fs::write(file, out).is_ok()
}

fn uniffi_bindgen(language: &str, out: &Path, library: &str) -> bool {
    run(cargo()
        .args([
            "run",
            "--quiet",
            "-p",
            "apotheca-mobile",
            "--features",
            "cli",
            "--bin",
            "uniffi-bindgen",
            "--",
            "generate",
            "--no-format",
        ])
        .args([
            "--library",
            library,
            "--config",
            "bindings-mobile/uniffi.toml",
            "--language",
            language,
            "--out-dir",
        ])
        .arg(out))
}

/// The react-native release whose JSI headers the generated C++ is compiled against.
const REACT_NATIVE: &str = "0.76.9";

/// The generated React Native C++ (JSI host object) compiled with the `react-native` npm
/// package's headers and sources (`ReactCommon/jsi`, `ReactCommon/callinvoker`) and ubrn's
/// runtime headers, and linked with `--no-undefined` into a shared library against the Rust
/// static library: every JSI call and every Rust symbol it names must exist. Not run: no JSI
/// runtime for Linux comes from the registries (the npm Hermes builds are for iOS and Android).
fn jsi_compiles() -> bool {
    let dir = root().join("target/react-native-jsi");
    let rn = dir.join("package/ReactCommon");
    let fetched = rn.join("jsi/jsi/jsi.cpp").exists()
        || (std::fs::create_dir_all(&dir).is_ok()
            && run(Command::new("npm")
                .args(["pack", "--silent", &format!("react-native@{REACT_NATIVE}")])
                .current_dir(&dir))
            && run(Command::new("tar")
                .args(["xzf", &format!("react-native-{REACT_NATIVE}.tgz")])
                .args([
                    "package/ReactCommon/jsi/jsi",
                    "package/ReactCommon/callinvoker",
                ])
                .current_dir(&dir)));
    let compiler = Path::new("/usr/bin/g++").exists() || apt_install(&["g++"]);
    let ubrn = root()
        .join("bindings-mobile/react-native/node_modules/uniffi-bindgen-react-native/cpp/includes");
    let generated = root().join("bindings-mobile/generated/react-native/cpp");
    let includes = [
        rn.join("jsi"),
        rn.join("callinvoker"),
        ubrn,
        generated.clone(),
    ];
    let compile = |source: PathBuf, object: &str| {
        let mut cmd = Command::new("g++");
        cmd.args(["-std=c++20", "-fPIC", "-c"]).arg(source);
        for i in &includes {
            cmd.arg("-I").arg(i);
        }
        run(cmd.arg("-o").arg(dir.join(object)))
    };
    let ok = fetched
        && compiler
        && compile(generated.join("apotheca.cpp"), "apotheca.o")
        && compile(rn.join("jsi/jsi/jsi.cpp"), "jsi.o")
        && run(Command::new("g++")
            .args(["-shared", "-o"])
            .arg(dir.join("libapotheca_rn.so"))
            .arg(dir.join("apotheca.o"))
            .arg(dir.join("jsi.o"))
            .arg(root().join("target/debug/libapotheca_mobile.a"))
            .args(["-Wl,--no-undefined", "-lpthread", "-ldl", "-lm"]));
    println!(
        "react-native: the JSI C++ {} against react-native {REACT_NATIVE}'s headers and the Rust \
         static library; not run (no JSI runtime for Linux from the registries)",
        if ok {
            "compiled and linked"
        } else {
            "FAILED to compile or link"
        }
    );
    ok
}

fn mobile_suite() -> Tally {
    let mut t = Tally::new();
    let kotlin = root().join("bindings-mobile/kotlin");
    let jars = ["/usr/share/java/jna.jar", "/usr/share/java/gson.jar"];
    let tools = npm_install(&kotlin, "kotlin-compiler/bin/kotlinc")
        && (jars.iter().all(|j| Path::new(j).exists())
            || apt_install(&["libjna-java", "libgoogle-gson-java"]));
    let built = tools
        && run(cargo().args(["build", "-p", "apotheca-mobile", "--features", "test-panic"]))
        && uniffi_generate("kotlin")
        && uniffi_generate("swift");
    if !built {
        t.ok = false;
        return t;
    }
    let swift = root().join("bindings-mobile/generated/swift");
    for f in ["Apotheca.swift", "ApothecaFFI.h", "ApothecaFFI.modulemap"] {
        if !swift.join(f).exists() {
            println!("swift: {f} was not generated");
            t.ok = false;
        }
    }
    // The Maven build: the generated Kotlin and the native library in one jar
    // (target/maven/apotheca-<version>.jar, installed in ~/.m2), with its declared dependencies (JNA,
    // the Kotlin standard library) as the classpath the tests run on.
    let pom = root().join("bindings-mobile/pom.xml");
    let deps = root().join("target/maven/classpath.txt");
    let packaged = run(Command::new("mvn")
        .args(["-q", "-B", "-f"])
        .arg(&pom)
        .arg("install"))
        && run(Command::new("mvn")
            .args(["-q", "-B", "-f"])
            .arg(&pom)
            .arg("dependency:build-classpath")
            .arg(format!("-Dmdep.outputFile={}", deps.display())));
    let artifact = root().join(format!("target/maven/{}", jar_name()));
    let runtime = format!(
        "{}:{}:{}",
        artifact.display(),
        std::fs::read_to_string(&deps).unwrap_or_default().trim(),
        jars[1]
    );
    let jar = root().join("target/kotlin-tests.jar");
    let compiled = packaged
        && run(
            Command::new(kotlin.join("node_modules/kotlin-compiler/bin/kotlinc"))
                .args(["-nowarn", "-jvm-target", "17", "-cp", &runtime, "-d"])
                .arg(&jar)
                .arg(kotlin.join("ConformanceTest.kt")),
        );
    if !compiled {
        t.ok = false;
        return t;
    }
    // The JVM example consumes the installed artifact as any Maven project would.
    let (example_ok, example) = run_captured(
        Command::new("mvn")
            .args(["-q", "-B", "-f"])
            .arg(root().join("examples/kotlin-jvm/pom.xml"))
            .args(["compile", "exec:java"]),
    );
    print!("{example}");
    if !(example_ok && example.contains("model: CrostonSba")) {
        println!("kotlin-jvm example: FAILED");
        t.ok = false;
    }
    // React Native: TypeScript + JSI C++ from uniffi-bindgen-react-native (it builds itself on
    // first use), run from the crate folder; then the TypeScript is type-checked.
    let rn = root().join("bindings-mobile/react-native");
    let generated = npm_install(&rn, ".bin/ubrn")
        && run(Command::new(rn.join("node_modules/.bin/ubrn"))
            .args([
                "generate",
                "jsi",
                "bindings",
                "--library",
                "--ts-dir",
                "generated/react-native/ts",
                "--cpp-dir",
                "generated/react-native/cpp",
            ])
            .arg(root().join("target/debug/libapotheca_mobile.so"))
            .current_dir(root().join("bindings-mobile")));
    let numbers = generated
        && rn_numbers(&root().join("bindings-mobile/generated/react-native/ts/apotheca.ts"));
    t.ok &= numbers && run(npx(&rn).args(["tsc", "-p", "."]));
    let jsi = numbers && jsi_compiles();
    t.add(
        jsi,
        &format!(
            "react-native-jsi: {} passed, {} failed",
            u8::from(jsi),
            u8::from(!jsi)
        ),
    );
    // No `jna.library.path`: JNA loads the native library from inside the jar.
    let classpath = format!("{}:{runtime}", jar.display());
    let (ok, out) = run_captured(
        Command::new("java")
            .args(["-cp", &classpath, "ConformanceTestKt", "conformance"])
            // The deliberate panic would print a whole backtrace; its message is enough.
            .env("RUST_BACKTRACE", "0"),
    );
    t.add(ok, &out);
    t
}

/// Makes sure the PostgreSQL server programs are here (Debian's `postgresql` package, installed
/// where missing), then starts one throw-away cluster for the binding suites, which find it in
/// `APOTHECA_PG_URL`; the store's own tests start theirs. Where PostgreSQL cannot run, says why
/// and the PostgreSQL tests print that they were skipped.
fn postgres() {
    use apotheca_store::testing::{Cluster, pg_bindir};
    if pg_bindir().is_none() {
        eprintln!("postgres: server programs missing; installing Debian's postgresql");
        if !apt_install(&["postgresql"]) {
            println!(
                "postgres: could not install the postgresql package: PostgreSQL tests will be skipped"
            );
            return;
        }
    }
    match Cluster::start() {
        Ok(cluster) => {
            println!("postgres: throw-away cluster on {}", cluster.dir.display());
            *lock_pg() = Some(cluster);
        }
        Err(e) => println!(
            "postgres: cannot start a cluster here ({e}): PostgreSQL tests will be skipped"
        ),
    }
}

/// The binding suites' cluster, once [`postgres`] started one; taken (stopped and removed)
/// after the last suite.
static PG: std::sync::Mutex<Option<apotheca_store::testing::Cluster>> = std::sync::Mutex::new(None);

fn lock_pg() -> std::sync::MutexGuard<'static, Option<apotheca_store::testing::Cluster>> {
    PG.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands the cluster to a suite's test command: `APOTHECA_REQUIRE_POSTGRES` (where a server
/// runs here, a PostgreSQL test that cannot reach one fails instead of skipping) and, with
/// `db`, `APOTHECA_PG_URL` naming a fresh database of the suite's own.
fn pg_env<'c>(cmd: &'c mut Command, db: Option<&str>) -> &'c mut Command {
    if let Some(cluster) = lock_pg().as_ref() {
        cmd.env("APOTHECA_REQUIRE_POSTGRES", "1");
        if let Some(name) = db {
            match cluster.create_database(name) {
                Ok(url) => {
                    cmd.env("APOTHECA_PG_URL", url);
                }
                Err(e) => println!("postgres: no database {name}: {e}"),
            }
        }
    }
    cmd
}

/// Every suite, or only the one named (`cargo xtask test wasm`, without the lint step).
fn test(only: Option<&str>) -> bool {
    let start = Instant::now();
    let linted = only.is_some() || lint();
    if only.is_none_or(|o| ["rust", "python", "node"].contains(&o)) {
        postgres();
    }
    type Suite = (&'static str, fn() -> Tally);
    let all: [Suite; 6] = [
        ("rust", rust_suite),
        ("python", python_suite),
        ("node", node_suite),
        ("wasm", wasm_suite),
        ("mobile", mobile_suite),
        // Last: it installs the release jar over the test build's in the Maven repository.
        ("dist", dist_suite),
    ];
    // Every binding restores this 1,000,000-event log (`target/big-log.json`) as JSON text.
    if only.is_none_or(|o| o != "rust") {
        let wrote = run(cargo().args([
            "run",
            "--quiet",
            "-p",
            "apotheca-benches",
            "--bin",
            "big-log",
            "--",
            "target/big-log.json",
            "1000000",
        ]));
        if !wrote {
            println!("big-log: could not write target/big-log.json; the restore tests will say so");
        }
    }
    let suites: Vec<(&str, Tally)> = all
        .iter()
        .filter(|(name, _)| only.is_none_or(|o| o == *name))
        .map(|(name, suite)| {
            let tally = suite();
            make_room(name);
            (*name, tally)
        })
        .collect();
    // The binding suites' PostgreSQL cluster: stopped and its directory removed.
    drop(lock_pg().take());
    println!("\n== summary ==");
    let mut ok = linted && !suites.is_empty();
    if !linted {
        println!("lint: FAILED (cargo fmt --check / clippy)");
    }
    for (language, tally) in suites {
        ok &= tally.report(language);
    }
    println!(
        "xtask test: {} in {:.0?}",
        if ok { "all suites passed" } else { "FAILED" },
        start.elapsed()
    );
    ok
}

/// Below this much free disk, the test command removes what a finished suite built and no later
/// suite reads: a fresh machine builds every crate for tests, every binding and every package
/// (~20 GB in all), and CI's disk has run out before.
const LOW_DISK: u64 = 12 << 30;

/// Free bytes on the file system of `target/`, if `df` can tell.
fn free_bytes() -> Option<u64> {
    let out = output_of(
        Command::new("df")
            .args(["-B1", "--output=avail"])
            .arg(root()),
    );
    out.lines().nth(1)?.trim().parse().ok()
}

/// After suite `done`, when the disk is low: its build outputs that the suites after it do not
/// use (the Node addon's test build after `node`; the test builds and React Native's type
/// packages after `mobile`, as `dist` builds for release).
fn make_room(done: &str) {
    let leftovers: &[&str] = match done {
        "node" => &["target/x86_64-unknown-linux-gnu/debug"],
        "mobile" => &[
            "target/debug/deps",
            "target/debug/build",
            "target/debug/incremental",
            "target/react-native-jsi",
            "bindings-mobile/react-native/node_modules",
        ],
        _ => &[],
    };
    if leftovers.is_empty() {
        return;
    }
    let Some(free) = free_bytes().filter(|&f| f < LOW_DISK) else {
        return;
    };
    println!(
        "disk: {} GB free after the {done} suite; removing what only it used: {}",
        free >> 30,
        leftovers.join(", ")
    );
    for path in leftovers {
        let _ = std::fs::remove_dir_all(root().join(path));
    }
}

/// The jar Maven names from the workspace version (`cargo xtask gen` sets it in the pom).
fn jar_name() -> String {
    format!("apotheca-{}.jar", env!("CARGO_PKG_VERSION"))
}

/// `cargo xtask dist`: the installable artifacts, built for release without the test-only
/// features, into `dist/`: the Python abi3 wheel (maturin), the Node package with its prebuilt
/// addon for this platform (`npm pack`), the WebAssembly packages for the web and for Node
/// (`npm pack`) and the JVM jar with the native library inside (Maven). Every package carries
/// the workspace version.
fn dist() -> bool {
    let out = root().join("dist");
    let _ = std::fs::remove_dir_all(&out);
    if std::fs::create_dir_all(&out).is_err() {
        return false;
    }
    let ok = steps(
        &out,
        &[
            ("python wheel", dist_python),
            ("node package", dist_node),
            ("wasm packages", dist_wasm),
            ("jvm jar", dist_jar),
        ],
        "built",
    )
    .iter()
    .all(|done| *done);
    if let Ok(entries) = std::fs::read_dir(&out) {
        let mut files: Vec<String> = entries
            .flatten()
            .map(|e| {
                let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                format!("  {} ({} KB)", e.file_name().to_string_lossy(), size / 1024)
            })
            .collect();
        files.sort();
        println!("dist/:\n{}", files.join("\n"));
    }
    ok
}

fn dist_python(out: &Path) -> bool {
    let Some(venv) = venv() else {
        return false;
    };
    run(Command::new(venv.join("bin/maturin"))
        .args(["build", "--release", "--quiet", "--out"])
        .arg(out)
        .current_dir(root().join("bindings-python")))
}

fn dist_node(out: &Path) -> bool {
    let dir = root().join("bindings-node");
    npm_install(&dir, ".bin/napi")
        && run(npx(&dir).args(["napi", "build", "--platform", "--release"]))
        && run(Command::new("npm")
            .args(["pack", "--silent", "--pack-destination"])
            .arg(out)
            .current_dir(&dir))
}

fn dist_wasm(out: &Path) -> bool {
    let dir = root().join("bindings-wasm");
    let staged = root().join("target/dist-wasm");
    let _ = std::fs::remove_dir_all(&staged);
    // No test-only feature: the module a page ships.
    let Some(wasm) = wasm_tools(&dir).then(|| build_wasm(&[])).flatten() else {
        return false;
    };
    ["pkg-web", "pkg-node"]
        .iter()
        .all(|p| std::fs::create_dir_all(staged.join(p)).is_ok())
        && package_wasm(&wasm, &dir, &staged)
        && package_wasm_parts(&dir, &staged.join("pkg-web"))
        && ["pkg-web", "pkg-node"].iter().all(|p| {
            run(Command::new("npm")
                .args(["pack", "--silent", "--pack-destination"])
                .arg(out)
                .current_dir(staged.join(p)))
        })
}

fn dist_jar(out: &Path) -> bool {
    let pom = root().join("bindings-mobile/pom.xml");
    let release = root().join("target/release");
    let built = run(cargo().args(["build", "--release", "-p", "apotheca-mobile"]))
        && uniffi_generate_from("kotlin", "target/release/libapotheca_mobile.so")
        && run(Command::new("mvn")
            .args(["-q", "-B", "-f"])
            .arg(&pom)
            .arg(format!("-Dnative.dir={}", release.display()))
            .arg("package"));
    let jar = root().join(format!("target/maven/{}", jar_name()));
    built && std::fs::copy(&jar, out.join(jar_name())).is_ok()
}

/// The artifacts of [`dist`], each installed where nothing else is (a new virtual environment,
/// a new npm folder, the Maven repository) and its binding README's examples run against it,
/// so a broken package fails the test command.
fn dist_suite() -> Tally {
    let mut t = Tally::new();
    if !dist() {
        t.ok = false;
        return t;
    }
    let out = root().join("dist");
    let checks: &[Step] = &[
        ("python wheel", check_wheel),
        ("node package", check_node_package),
        ("wasm packages", check_wasm_packages),
        ("jvm jar", check_jar),
    ];
    for ok in steps(&out, checks, "installed alone, its README examples ran") {
        if ok {
            t.passed += 1;
        } else {
            t.failed += 1;
            t.ok = false;
        }
    }
    t
}

/// One named step over the `dist/` folder.
type Step = (&'static str, fn(&Path) -> bool);

/// Runs each step on `out`, printing `dist: <name>: <done>` or `FAILED`.
fn steps(out: &Path, steps: &[Step], done: &str) -> Vec<bool> {
    steps
        .iter()
        .map(|(name, step)| {
            let ok = step(out);
            println!("dist: {name}: {}", if ok { done } else { "FAILED" });
            ok
        })
        .collect()
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn artifact(dir: &Path, prefix: &str, suffix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
}

/// A new empty folder under target/dist-check.
fn fresh(name: &str) -> Option<PathBuf> {
    let dir = root().join("target/dist-check").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// The ```js blocks of a README.
fn js_blocks(readme: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(readme).unwrap_or_default();
    text.split("```js\n")
        .skip(1)
        .filter_map(|b| b.split_once("```").map(|(code, _)| code.to_string()))
        .collect()
}

/// The wheel in a new virtual environment: the README's doctests (copied away from the
/// sources, so `import apotheca` can only find the wheel), the pandas example and the counter
/// example.
fn check_wheel(out: &Path) -> bool {
    let (Some(wheel), Some(dir)) = (artifact(out, "apotheca-", ".whl"), fresh("python")) else {
        return false;
    };
    let venv = dir.join("venv");
    let py = venv.join("bin/python");
    let readme = dir.join("README.md");
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))
        && run(Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(&wheel)
            .args(["pytest", "numpy", "pandas", "pyarrow", "matplotlib"]))
        && std::fs::copy(root().join("bindings-python/README.md"), &readme).is_ok()
        && run(Command::new(&py)
            .args([
                "-c",
                "import apotheca, sys; sys.exit('/dist-check/' not in apotheca.__file__)",
            ])
            .current_dir(&dir))
        && run(Command::new(&py)
            .args([
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--doctest-glob=README.md",
                "README.md",
            ])
            .current_dir(&dir))
        && run(Command::new(&py)
            .arg(root().join("examples/python-forecast/forecast_orders.py"))
            .arg(dir.join("forecast.png"))
            .current_dir(&dir))
        && run(Command::new(&py)
            .arg(root().join("examples/python-counter/counter.py"))
            .current_dir(&dir))
}

/// Installs `packages` (tarballs or registry names) into a new npm folder.
fn npm_folder(name: &str, packages: &[&OsStr]) -> Option<PathBuf> {
    let dir = fresh(name)?;
    std::fs::write(dir.join("package.json"), "{ \"private\": true }\n").ok()?;
    run(Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund"])
        .args(packages)
        .current_dir(&dir))
    .then_some(dir)
}

/// Runs `code` as a file `name` in `dir` with node.
fn node_file(dir: &Path, name: &str, code: &str) -> bool {
    std::fs::write(dir.join(name), code).is_ok()
        && run(Command::new("node").arg(name).current_dir(dir))
}

/// The Node package in a new folder: every JavaScript example of bindings-node/README.md and
/// the HTTP service example.
fn check_node_package(out: &Path) -> bool {
    let Some(tgz) = artifact(out, "apotheca-node-", ".tgz") else {
        return false;
    };
    let Some(dir) = npm_folder(
        "node",
        &[tgz.as_os_str(), OsStr::new("apache-arrow@~21.2.0")],
    ) else {
        return false;
    };
    let blocks = js_blocks(&root().join("bindings-node/README.md"));
    let readme = !blocks.is_empty() && blocks.iter().enumerate().all(|(i, code)| {
        let wrapped = format!(
            "(async () => {{\n{code}\n}})().catch((e) => {{ console.error(e); process.exit(1) }})\n"
        );
        node_file(&dir, &format!("readme-{i}.js"), &wrapped)
    });
    // The HTTP service example, copied beside the installed package (it requires
    // `@apotheca/node` first), started on a loopback port and called once per kind of answer.
    readme
        && std::fs::copy(
            root().join("examples/node-service/server.js"),
            dir.join("server.js"),
        )
        .is_ok()
        && node_file(&dir, "service-check.js", SERVICE_CHECK)
}

/// examples/node-service against the installed package: a dispense, a refusal with its status.
const SERVICE_CHECK: &str = r#"'use strict'
const assert = require('node:assert/strict')
const { createService } = require('./server.js')
const server = createService()
server.listen(0, '127.0.0.1', async () => {
  try {
    const base = `http://127.0.0.1:${server.address().port}`
    const post = (route, body) => fetch(base + route, { method: 'POST', body: JSON.stringify(body) })
    const ok = await post('/dispense', { key: 'rx-1', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 12 })
    assert.equal(ok.status, 200)
    assert.deepEqual((await ok.json()).allocation.skipped.map((s) => s.reason), ['expired'])
    const no = await post('/dispense', { key: 'rx-2', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 500, policy: { allowPartial: false } })
    assert.equal(no.status, 409)
    assert.equal((await no.json()).code, 'INSUFFICIENT_STOCK')
    assert.ok(require.resolve('@apotheca/node').includes('node_modules'))
  } catch (e) {
    console.error(e)
    process.exitCode = 1
  } finally {
    server.close()
  }
})
"#;

/// The WebAssembly packages in a new folder: bindings-wasm/README.md's example through the web
/// package (the module handed to `init` as bytes, as a page would fetch it) and through the
/// Node package (`console.assert` throws here), and the counter page on the web package.
fn check_wasm_packages(out: &Path) -> bool {
    let (Some(web), Some(node)) = (
        artifact(out, "apotheca-wasm-0", ".tgz"),
        artifact(out, "apotheca-wasm-node-", ".tgz"),
    ) else {
        return false;
    };
    let Some(dir) = npm_folder("wasm", &[web.as_os_str(), node.as_os_str()]) else {
        return false;
    };
    let Some(code) = js_blocks(&root().join("bindings-wasm/README.md"))
        .into_iter()
        .next()
    else {
        return false;
    };
    let strict = "console.assert = (ok, ...m) => { if (!ok) throw new Error('assertion failed ' + m.join(' ')) }\n";
    let web_code = format!(
        "import {{ readFileSync }} from 'node:fs'\n{strict}{}",
        code.replace(
            "await init()",
            "await init({ module_or_path: readFileSync(new URL('./node_modules/@apotheca/wasm/apotheca_bg.wasm', import.meta.url)) })"
        )
    );
    let node_code = code
        .replacen("import init, {", "const init = async () => {}\nconst {", 1)
        .replacen(
            "} from '@apotheca/wasm'",
            "} = require('@apotheca/wasm-node')",
            1,
        );
    let node_code = format!(
        "{strict}(async () => {{\n{node_code}\n}})().catch((e) => {{ console.error(e); process.exit(1) }})\n"
    );
    // The counter page, served with the installed web package and driven in headless Chromium
    // by the wasm suite's browser test.
    let page = run(Command::new("node")
        .args([
            "--test",
            "--test-name-pattern=pharmacy counter",
            "tests/browser.test.js",
        ])
        .env("PKG_WEB_DIR", dir.join("node_modules/@apotheca/wasm"))
        .current_dir(root().join("bindings-wasm")));
    // Each capability build through its subpath export, as a bundler resolves it.
    let parts: Vec<String> = WASM_PARTS.iter().map(|(p, _)| format!("'{p}'")).collect();
    let parts_code = format!(
        "import {{ readFileSync }} from 'node:fs'\n\
         for (const part of [{}]) {{\n\
         \x20 const api = await import(`@apotheca/wasm/${{part}}`)\n\
         \x20 api.initSync({{ module: readFileSync(new URL(`./node_modules/@apotheca/wasm/${{part}}/apotheca_bg.wasm`, import.meta.url)) }})\n\
         \x20 const l = new api.Ledger()\n\
         \x20 if (api.capabilities()[0] !== 'ledger' || l.events().length !== 0) throw new Error(`${{part}}: not a ledger build`)\n\
         \x20 console.log(`@apotheca/wasm/${{part}}: ${{api.capabilities().join(', ')}}`)\n\
         }}\n",
        parts.join(", ")
    );
    node_file(&dir, "readme-web.mjs", &web_code)
        && node_file(&dir, "readme-node.cjs", &node_code)
        && node_file(&dir, "parts.mjs", &parts_code)
        && page
}

/// The jar installed into the Maven repository (with its pom, for its dependencies) and the
/// Kotlin example built and run against it.
fn check_jar(out: &Path) -> bool {
    let jar = out.join(jar_name());
    jar.exists()
        && run(Command::new("mvn")
            .args(["-q", "-B", "install:install-file"])
            .arg(format!("-Dfile={}", jar.display()))
            .arg(format!(
                "-DpomFile={}",
                root().join("bindings-mobile/pom.xml").display()
            )))
        && run(Command::new("mvn")
            .args(["-q", "-B", "-f"])
            .arg(root().join("examples/kotlin-jvm/pom.xml"))
            .args(["compile", "exec:java"]))
}

fn main() -> ExitCode {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    let ok = match cmd.as_str() {
        "test" => test(std::env::args().nth(2).as_deref()),
        "lint" => lint(),
        "gen" => generate(false),
        "demo" => run(cargo().args(["run", "--quiet", "-p", "apotheca-pharmacy-day"])),
        "dist" => dist(),
        "bench" => {
            run(cargo().args(["bench", "-p", "apotheca-benches"]))
                && ["throughput", "reopen", "memory"].iter().all(|mode| {
                    run(cargo().args([
                        "run",
                        "--release",
                        "--quiet",
                        "-p",
                        "apotheca-benches",
                        "--bin",
                        "store-bench",
                        "--",
                        mode,
                    ]))
                })
        }
        // `cargo xtask fuzz [seconds]`: every target for that long (default 600).
        "fuzz" => {
            fuzz(
                std::env::args()
                    .nth(2)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(600),
            )
            .0
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <test [rust|python|node|wasm|mobile|dist]|gen|demo|dist|bench|lint|fuzz [seconds]>"
            );
            false
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
