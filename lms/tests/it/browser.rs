//! The real-browser test: headless Chromium driven by playwright-core through the register →
//! log in → profile → language switch journey, with axe-core (WCAG 2.1 A/AA) on every page.
//! `.ci/run` installs Chromium and the npm packages; without them this test fails, never skips.

use std::path::PathBuf;
use std::process::Command;

use crate::cli::Server;
use crate::helpers::*;

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/browser")
}

fn run_journey(b: Backend) {
    let dir = browser_dir();
    assert!(
        dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
        "browser test dependencies missing: run .ci/run (or `npm ci --prefix tests/browser`)"
    );
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "Chromium missing: run .ci/run (or `apt-get install chromium`)"
    );
    let db = TestDb::new(b);
    let server = Server::start(&db);
    let out = Command::new("node")
        .arg(dir.join("accounts.mjs"))
        .env("BASE_URL", &server.base_url)
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser journey failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[test]
fn browser_journey_and_axe_sqlite() {
    run_journey(Backend::Sqlite);
}

#[test]
fn browser_journey_and_axe_postgres() {
    run_journey(Backend::Postgres);
}
