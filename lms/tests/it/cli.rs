//! The `szpon` command line as a user runs it: help, migrate, user and org creation, bad
//! configuration (exit code 2), serving, health and graceful shutdown on SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;

pub fn szpon() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_szpon"));
    // Only what a test sets: nothing from the developer's own environment leaks in.
    for (k, _) in std::env::vars() {
        if k.starts_with("SZPON_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

fn run(db: &TestDb, args: &[&str]) -> Output {
    let mut c = szpon();
    c.args(args).envs(db.env()).current_dir(db.dir.path());
    c.output().expect("run szpon")
}

/// Standard output, and standard error followed by the exit status (a signal shows there too).
fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        format!("{}\n[{:?}]", String::from_utf8_lossy(&o.stderr), o.status),
    )
}

#[test]
fn help_is_english_and_lists_the_commands() {
    let o = szpon().arg("--help").output().unwrap();
    assert!(o.status.success());
    let (out, _) = text(&o);
    for word in ["serve", "migrate", "user", "SZPON_DATABASE_URL", "Usage"] {
        assert!(out.contains(word), "{word} missing in:\n{out}");
    }
    let o = szpon().args(["user", "create", "--help"]).output().unwrap();
    let (out, _) = text(&o);
    for flag in ["--email", "--name", "--admin", "--org"] {
        assert!(out.contains(flag), "{flag} missing in:\n{out}");
    }
    let o = szpon().args(["serve", "--help"]).output().unwrap();
    assert!(text(&o).0.contains("--bind"));
}

#[test]
fn bad_configuration_exits_with_code_2_and_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("SZPON_DATABASE_URL", "postgres://postgres@127.0.0.1:1/nic")],
            "cannot open database",
        ),
        (
            &[("SZPON_DATABASE_URL", "mysql://root@localhost/x")],
            "SZPON_DATABASE_URL",
        ),
        (
            &[("SZPON_DATA_DIR", "/proc/szpon-cannot-write-here")],
            "data directory",
        ),
        (&[("SZPON_BASE_URL", "ftp://x")], "SZPON_BASE_URL"),
    ];
    for (env, expected) in cases {
        for args in [&["migrate"][..], &["serve", "--bind", "127.0.0.1:0"][..]] {
            let mut c = szpon();
            c.args(args)
                .current_dir(dir.path())
                .env("SZPON_DATA_DIR", dir.path().join("data"));
            for (k, v) in env {
                c.env(k, v);
            }
            let o = c.output().unwrap();
            let (_, err) = text(&o);
            assert_eq!(o.status.code(), Some(2), "{env:?} {args:?}: {err}");
            assert!(err.contains(expected), "{env:?}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // A port already in use is a configuration error too.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let o = szpon()
        .args(["serve", "--bind", &addr])
        .current_dir(dir.path())
        .env("SZPON_DATA_DIR", dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o).1);
    assert!(text(&o).1.contains("cannot listen"));
}

fn migrate_and_create_users(b: Backend) {
    let db = TestDb::new(b);
    let o = run(&db, &["migrate"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("applied"), "{out}");
    assert!(text(&run(&db, &["migrate"])).0.contains("up to date"));

    let o = run(
        &db,
        &[
            "user",
            "create",
            "--email",
            "Admin@Gmina.pl",
            "--name",
            "Pierwsza Administratorka",
            "--admin",
            "--org",
            "gmina-nowa",
        ],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("created user admin@gmina.pl"), "{out}");
    assert!(out.contains("created organisation gmina-nowa"), "{out}");
    assert!(out.contains("role administrator in gmina-nowa"), "{out}");
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("generated password printed")
        .to_string();
    assert_eq!(password.len(), 16);

    // The printed password works and the roles are real.
    let config = db.config(&[]);
    let db2 = platform::db::Db::connect(&config.database_url, Some(1)).unwrap();
    let mut conn = db2.get().unwrap();
    let u = platform::models::user::find_by_email(&mut conn, "admin@gmina.pl")
        .unwrap()
        .unwrap();
    assert!(u.is_platform_admin);
    assert_eq!(
        platform::password::verify(&password, &u.password_hash),
        platform::password::Verification::Valid
    );
    let p = platform::models::user::principal(&mut conn, &u).unwrap();
    assert_eq!(p.roles.len(), 1);
    drop(conn);

    let o = run(
        &db,
        &[
            "user",
            "create",
            "--email",
            "admin@gmina.pl",
            "--name",
            "Duplikat",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("already exists"));

    let mut c = szpon();
    c.args([
        "user",
        "create",
        "--email",
        "jan@gmina.pl",
        "--name",
        "Jan Nowak",
        "--org",
        "gmina-nowa",
        "--role",
        "author",
        "--password-stdin",
    ])
    .envs(db.env())
    .current_dir(db.dir.path())
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"haslo z stdin 123\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(!out.contains("password:"), "{out}");
    assert!(out.contains("role author in gmina-nowa"), "{out}");

    let o = run(&db, &["user", "create", "--email", "zly", "--name", "X"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "mswia",
            "--name",
            "Ministerstwo Spraw Wewnętrznych i Administracji",
            "--kind",
            "ministry",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    let o = run(
        &db,
        &["org", "create", "--slug", "mswia", "--name", "Znowu"],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn migrate_and_create_users_sqlite() {
    migrate_and_create_users(Backend::Sqlite);
}

#[test]
fn migrate_and_create_users_postgres() {
    migrate_and_create_users(Backend::Postgres);
}

/// A `szpon serve` process on a free port, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base_url: String,
    pub port: u16,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        Server::start_with(db, &[])
    }

    /// Starts with extra `SZPON_*` settings (e.g. a higher rate limit).
    pub fn start_with(db: &TestDb, extra: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base_url = format!("http://127.0.0.1:{port}");
        let child = szpon()
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .envs(db.env())
            .env("SZPON_BASE_URL", &base_url)
            .envs(extra.iter().copied())
            .current_dir(db.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut s = Server {
            child,
            base_url,
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = s.child.try_wait().unwrap() {
                panic!("szpon serve exited early: {status}");
            }
            if http_get(port, "/healthz").is_some_and(|r| r.starts_with("HTTP/1.1 200")) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "szpon serve did not become healthy"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(35);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Minimal HTTP/1.1 GET over a plain socket; returns the whole response.
pub fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn serve_and_stop_gracefully(b: Backend) {
    let db = TestDb::new(b);
    let mut server = Server::start(&db);
    let home = http_get(server.port, "/").unwrap();
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("<html lang=\"pl\">"));
    assert!(home.to_ascii_lowercase().contains("x-request-id:"));
    let health = http_get(server.port, "/healthz").unwrap();
    assert!(health.contains("\"database\":\"ok\""), "{health}");
    // The first start of an empty portal brings the sample course.
    let config = db.config(&[]);
    let pool = platform::db::Db::connect(&config.database_url, Some(1)).unwrap();
    let mut conn = pool.get().unwrap();
    assert!(
        studio::store::find_by_key(&mut conn, studio::sample::SAMPLE_KEY)
            .unwrap()
            .is_some()
    );
    drop(conn);
    let status = server.terminate();
    assert!(status.success(), "exit after SIGTERM: {status}");
}

#[test]
fn serve_and_stop_gracefully_sqlite() {
    serve_and_stop_gracefully(Backend::Sqlite);
}

#[test]
fn serve_and_stop_gracefully_postgres() {
    serve_and_stop_gracefully(Backend::Postgres);
}

/// Like SQLite's file, a PostgreSQL database named in the URL is created on first start.
#[test]
fn a_missing_postgres_database_is_created() {
    use diesel::{Connection, RunQueryDsl};
    let name = format!("szpon_test_new_{}", uuid::Uuid::new_v4().simple());
    let admin = pg_admin_url();
    let base = admin.rsplit_once('/').unwrap().0.to_string();
    let dir = tempfile::tempdir().unwrap();
    let o = szpon()
        .arg("migrate")
        .env("SZPON_DATABASE_URL", format!("{base}/{name}"))
        .env("SZPON_DATA_DIR", dir.path().join("data"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let mut conn = diesel::PgConnection::establish(&admin).unwrap();
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("applied"), "{out}");
}

/// `szpon capa grade`: JSON lines in, one JSON line out per input, in the oracle's shape, with no
/// configuration or database; every non-Python conformance row gives Open edX's correctness.
#[test]
fn capa_grade_contract() {
    use std::io::Write;
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/capa/conformance.jsonl"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty())
    .map(|l| serde_json::from_str(l).unwrap())
    .filter(|r: &serde_json::Value| r.get("needs").is_none())
    .collect();
    assert!(rows.len() >= 70);
    let mut input = String::new();
    for r in &rows {
        let case = serde_json::json!({
            "xml": r["xml"], "answers": r["answers"], "seed": r["seed"], "problem_id": r["problem_id"],
        });
        input.push_str(&case.to_string());
        input.push('\n');
    }
    // Garbage and an empty line: an error line for the first, nothing for the second.
    input.push_str("not json\n\n");
    let mut child = szpon()
        .args(["capa", "grade"])
        .env("SZPON_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len() + 1, "one line per input line");
    for (r, got) in rows.iter().zip(&lines) {
        let cmap = got["correct_map"]
            .as_object()
            .unwrap_or_else(|| panic!("{got}"));
        assert!(got["max_score"].is_u64() && got["score"].is_f64(), "{got}");
        // The row's answered input, or the first input when nothing was answered.
        let id = r["answers"]
            .as_object()
            .and_then(|a| a.keys().next().cloned())
            .unwrap_or_else(|| "1_2_1".into());
        let id = id.as_str();
        assert_eq!(
            cmap[id]["correctness"], r["expected"],
            "{} → {got}",
            r["source"]
        );
        if let Some(n) = r.get("npoints") {
            let got_n = cmap[id]["npoints"].as_f64();
            assert!(
                got_n
                    .zip(n.as_f64())
                    .is_some_and(|(a, b)| (a - b).abs() < 1e-9),
                "{} → {got}, expected npoints {n}",
                r["source"]
            );
        }
    }
    assert!(lines.last().unwrap()["error"].is_string());
}
