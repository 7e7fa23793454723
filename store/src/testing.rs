//! Throw-away PostgreSQL clusters for tests (feature `testing`): `initdb` into a temporary
//! directory, a server on a Unix socket there (no TCP port), stopped and removed on drop. Used
//! by this crate's tests and by `cargo xtask test`, which hands one to every binding's suite.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where the PostgreSQL server programs are (`initdb`, `pg_ctl`, `postgres`).
pub fn pg_bindir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("APOTHECA_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|d| d.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

/// A PostgreSQL cluster in a temporary directory, listening only on a Unix socket there;
/// stopped and removed when dropped.
pub struct Cluster {
    /// The temporary directory: data, log and the server's socket.
    pub dir: PathBuf,
    bin: PathBuf,
    user: Option<String>,
    /// The port number in the socket's name.
    pub port: u16,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    /// Starts one, or says why it cannot (printed by the caller: never a silent skip).
    pub fn start() -> Result<Cluster, String> {
        let bin = pg_bindir().ok_or("no PostgreSQL server programs (initdb) found; `cargo xtask test` installs Debian's postgresql")?;
        static NEXT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let port = 20000 + (std::process::id() % 20000) as u16 + n;
        let dir = std::env::temp_dir().join(format!("apotheca-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        // initdb refuses to run as root: run the server as the `postgres` user then.
        let user = is_root().then(|| "postgres".to_string());
        if let Some(u) = &user {
            let ok = Command::new("chown")
                .args([u.as_str(), dir.to_str().unwrap()])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                return Err(format!(
                    "running as root and cannot hand {} to user {u}",
                    dir.display()
                ));
            }
        }
        let c = Cluster {
            dir,
            bin,
            user,
            port,
        };
        c.run(
            "initdb",
            &[
                "-D",
                c.data().to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        )?;
        c.start_server()?;
        Ok(c)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin.join(program);
        let mut cmd = match &self.user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        let out = cmd
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Starts the server (again, after [`Cluster::stop`]).
    pub fn start_server(&self) -> Result<(), String> {
        let opts = format!(
            "-c listen_addresses='' -k {} -p {} -c fsync=on -c max_connections=200",
            self.dir.display(),
            self.port
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-l",
                self.dir.join("log").to_str().unwrap(),
                "-o",
                &opts,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
    }

    /// Stops the server (fast shutdown: connections are cut).
    pub fn stop(&self) -> Result<(), String> {
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        )
    }

    /// A URL to a new, empty database on this cluster.
    pub fn database(&self, name: &str) -> String {
        self.create_database(name).unwrap()
    }

    /// [`Cluster::database`], or why the database could not be created.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let admin = format!(
            "postgres://postgres@localhost/postgres?host={}&port={}",
            self.dir.display(),
            self.port
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match postgres::Client::connect(&admin, postgres::NoTls) {
                Ok(mut c) => {
                    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                        .map_err(|e| e.to_string())?;
                    c.batch_execute(&format!("CREATE DATABASE {name}"))
                        .map_err(|e| e.to_string())?;
                    break;
                }
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("cannot reach the test cluster: {e}"));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        Ok(format!(
            "postgres://postgres@localhost/{name}?host={}&port={}",
            self.dir.display(),
            self.port
        ))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A cluster, or `None` with the reason printed (the test then checks SQLite only).
pub fn cluster_or_skip(test: &str) -> Option<Cluster> {
    match Cluster::start() {
        Ok(c) => Some(c),
        Err(reason) => {
            if std::env::var_os("APOTHECA_REQUIRE_POSTGRES").is_some() {
                panic!("{test}: PostgreSQL is required here but cannot run: {reason}");
            }
            println!("SKIPPED {test} on PostgreSQL: {reason}");
            eprintln!("SKIPPED {test} on PostgreSQL: {reason}");
            None
        }
    }
}
