//! SZPoN's OLX exports against Open edX's own validator, olxcleaner, called the way Open edX
//! Studio calls it on import (`tests/oracle/olxcheck.py`).
//!
//! For each real Open edX export in `../shared/olx/` and the sample course: validate the
//! original, import it (SQLite), export it, validate the export (all 8 olxcleaner steps, a
//! superset of Studio's default stage 1). The export must have no error and no warning the
//! original does not have (same class, file and message); the sample course's export must have
//! no error at all. Open edX's own `demo` cannot: its original already has 5 (1 at Studio's
//! default stage, an HTML file libxml2 refuses), and an export keeps author content as it is.
//! Open edX never
//! validates a library (Studio returns early for a library key), and neither does olxcheck:
//! `demo_library` must come out as a library again.
//!
//! The venv comes from `tests/oracle/setup.sh` (pinned `tests/oracle/requirements.txt`), which
//! this test runs itself (a no-op when the venv is current). No venv, no skip: the test fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use platform::storage::BlobStore;
use serde_json::Value;
use studio::import::{allow_all, import, ImportOptions};

use crate::helpers::*;
use crate::olx_import::{shared, COURSES};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The oracle venv's Python, after `tests/oracle/setup.sh` (idempotent). Panics when it cannot
/// be set up: this test never skips.
fn oracle_python() -> PathBuf {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let venv = match std::env::var_os("SZPON_ORACLE_VENV") {
                Some(v) if !v.is_empty() => PathBuf::from(v),
                _ => PathBuf::from(std::env::var_os("HOME").ok_or("HOME is not set")?)
                    .join(".cache/szpon-oracle-venv"),
            };
            let setup = repo_root().join("tests/oracle/setup.sh");
            let status = Command::new("bash")
                .arg(&setup)
                .env("SZPON_ORACLE_VENV", &venv)
                .status()
                .map_err(|e| format!("cannot run {}: {e}", setup.display()))?;
            if !status.success() {
                return Err(format!("{} failed ({status})", setup.display()));
            }
            let python = venv.join("bin/python");
            if !python.exists() {
                return Err(format!("{} is missing after setup", python.display()));
            }
            Ok(python)
        })
        .clone()
        .unwrap_or_else(|e| {
            panic!(
                "the olxcleaner venv cannot be set up: {e}; run tests/oracle/setup.sh (needs PyPI)"
            )
        })
}

/// One olxcheck run with this many olxcleaner steps: its JSON line.
pub(crate) fn olxcheck(path: &Path, steps: u8) -> Value {
    let script = repo_root().join("tests/oracle/olxcheck.py");
    let out = Command::new(oracle_python())
        .arg(&script)
        .arg(path)
        .args(["--steps", &steps.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "olxcheck {} failed ({}):\n{stdout}\n{}",
        path.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("olxcheck printed no JSON line ({e}): {stdout}"))
}

/// An error as olxcheck reports it: class, file and message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    class: String,
    file: String,
    message: String,
}

fn found(report: &Value, level: &str) -> Vec<Found> {
    report[level]
        .as_array()
        .unwrap_or_else(|| panic!("no {level} in {report}"))
        .iter()
        .map(|e| Found {
            class: e["class"].as_str().unwrap_or_default().to_string(),
            file: e["file"].as_str().unwrap_or_default().to_string(),
            message: e["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// What `after` has beyond `before`, as multisets.
fn beyond(after: &[Found], before: &[Found]) -> Vec<Found> {
    let mut left: BTreeMap<&Found, usize> = BTreeMap::new();
    for f in before {
        *left.entry(f).or_default() += 1;
    }
    let mut extra = Vec::new();
    for f in after {
        match left.get_mut(f) {
            Some(n) if *n > 0 => *n -= 1,
            _ => extra.push(f.clone()),
        }
    }
    extra
}

fn classes(list: &[Found]) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for f in list {
        *m.entry(f.class.as_str()).or_default() += 1;
    }
    m
}

#[actix_web::test]
async fn exports_pass_olxcleaner_as_their_originals_do() {
    let db = TestDb::new(Backend::Sqlite);
    let st = state(&db, &[]);
    let store = BlobStore::new(&st.config.data_dir);
    let opts = ImportOptions {
        organisation_id: None,
        user_id: None,
        check: &allow_all,
    };
    let sample = repo_root().join("studio/sample-course/course");
    let mut sources: Vec<(String, PathBuf)> = COURSES
        .iter()
        .chain(["demo_library"].iter())
        .map(|n| (n.to_string(), shared(&format!("{n}.tar.gz"))))
        .collect();
    sources.push(("sample".into(), sample));

    let mut failures = Vec::new();
    eprintln!(
        "olxcleaner (8 steps), errors/warnings: {:<22} {:>16} {:>16}",
        "course", "original", "export"
    );
    for (name, path) in &sources {
        let original = olxcheck(path, 8);
        let report = import(&st.db, &store, &st.config.data_dir, path, &opts)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = db.dir.path().join(format!("{name}-export.tar.gz"));
        studio::import::export(&st.db, &store, &report.course_key, &out).unwrap();
        let exported = olxcheck(&out, 8);

        if name == "demo_library" {
            assert_eq!(original["skipped"], "library", "{name}: {original}");
            assert_eq!(exported["skipped"], "library", "{name}: {exported}");
            eprintln!("  {name:<22} a library: Open edX does not validate libraries");
            continue;
        }
        let (e0, w0) = (found(&original, "errors"), found(&original, "warnings"));
        let (e1, w1) = (found(&exported, "errors"), found(&exported, "warnings"));
        eprintln!(
            "  {name:<22} {:>16} {:>16}",
            format!("{}/{}", e0.len(), w0.len()),
            format!("{}/{}", e1.len(), w1.len())
        );
        // Studio's default COURSE_OLX_VALIDATION_STAGE: the errors that refuse an import there.
        let studio0 = found(&olxcheck(path, 1), "errors");
        let studio1 = found(&olxcheck(&out, 1), "errors");
        eprintln!(
            "    at Studio's default stage 1: {} -> {} errors",
            studio0.len(),
            studio1.len()
        );
        let new = beyond(&studio1, &studio0);
        if !new.is_empty() {
            failures.push(format!(
                "{name}: at stage 1 the export has errors the original has not: {new:#?}"
            ));
        }
        eprintln!("    errors   {:?} -> {:?}", classes(&e0), classes(&e1));
        eprintln!("    warnings {:?} -> {:?}", classes(&w0), classes(&w1));
        let new = beyond(&e1, &e0);
        if !new.is_empty() {
            failures.push(format!(
                "{name}: the export has errors the original has not: {new:#?}"
            ));
        }
        // Warnings never stop an import, but a new one means the export lost or changed
        // something (a display name, a file, a setting): today there is none.
        let new_warnings = beyond(&w1, &w0);
        if !new_warnings.is_empty() {
            failures.push(format!(
                "{name}: the export has warnings the original has not: {new_warnings:#?}"
            ));
        }
        if name == "sample" && !e1.is_empty() {
            failures.push(format!("{name}: the export has errors: {e1:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
