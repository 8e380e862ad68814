//! The office's iCalendar output read back by a second, independent parser: Python's
//! `icalendar` (PyPI), through `tests/oracle/icscheck.py`, checking what Outlook acts on:
//! METHOD, UID, SEQUENCE, DTSTART in UTC, ORGANIZER, ATTENDEE and their parameters, CRLF and
//! 75-octet lines. And a reply email as Outlook (Exchange) sends it, read by `reply_from_eml`.
//!
//! The venv comes from `tests/oracle/setup.sh` (pinned `tests/oracle/requirements.txt`), which
//! this test runs itself (a no-op when the venv is current). No venv, no skip: the test fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use office_plugin::calendar::ical::*;
use serde_json::{json, Value};

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
            panic!("the oracle venv cannot be set up: {e}; run tests/oracle/setup.sh (needs PyPI)")
        })
}

/// Python icalendar's reading of `ics` (see icscheck.py for the shape).
fn icscheck(ics: &str) -> Value {
    let script = repo_root().join("tests/oracle/icscheck.py");
    let mut child = Command::new(oracle_python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "icscheck refused:\n{}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
}

const SUMMARY: &str = "Wydanie dowodu osobistego — wizyta online; Zażółć gęślą jaźń, \
                       źdźbło łąki i żółw 🐢 (sprawa nr 12/2026)";

/// 10:00 in Warsaw on the day summer time starts (29 March 2026) is 08:00 UTC.
fn event() -> Event {
    Event {
        uid: uid_for("0190a1b2c3d4e5f6", "urzad.example.pl"),
        sequence: 0,
        summary: SUMMARY.into(),
        description: Some("Proszę zabrać:\n- zdjęcie, 35×45 mm;\n- stary dowód".into()),
        location: Some("https://urzad.example.pl/biuro/rozmowa/abc".into()),
        url: Some("https://urzad.example.pl/biuro/rozmowa/abc".into()),
        start: at(29, 8, 0),
        end: at(29, 8, 30),
        organizer: Person {
            name: "Urząd Gminy Żółkiewka".into(),
            email: "biuro@urzad.example.pl".into(),
        },
        attendees: vec![
            Attendee::invited("Kowalski, Jan", "jan.kowalski@example.com"),
            Attendee::invited("Anna Wiśniewska", "anna.wisniewska@example.com"),
        ],
        status: Status::Confirmed,
        dtstamp: at(24, 9, 0),
    }
}

fn attendee(name: &str, email: &str) -> Value {
    json!({
        "value": format!("mailto:{email}"),
        "params": {
            "CN": name, "CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"
        }
    })
}

/// What every scheduling message of `event()` says, whatever its method.
fn assert_scheduling(got: &Value, method: &str, sequence: u32, start: &str, status: &str) {
    assert_eq!(got["method"], method, "{got:#}");
    assert_eq!(got["prodid"], PRODID);
    assert_eq!(got["version"], "2.0");
    assert_eq!(got["raw_lines_ok"], true, "CRLF and ≤ 75 octets: {got:#}");
    let events = got["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    let ev = &events[0];
    assert_eq!(ev["uid"], "0190a1b2c3d4e5f6@urzad.example.pl");
    assert_eq!(ev["sequence"], sequence);
    assert_eq!(ev["status"], status);
    assert_eq!(ev["dtstart"], start);
    assert_eq!(ev["dtstart_utc"], true);
    assert_eq!(ev["dtend_utc"], true);
    assert_eq!(ev["dtstamp_utc"], true);
    assert_eq!(ev["summary"], SUMMARY);
    assert_eq!(
        ev["description"],
        "Proszę zabrać:\n- zdjęcie, 35×45 mm;\n- stary dowód"
    );
    assert_eq!(ev["url"], "https://urzad.example.pl/biuro/rozmowa/abc");
    assert_eq!(
        ev["organizer"],
        json!({"value": "mailto:biuro@urzad.example.pl", "params": {"CN": "Urząd Gminy Żółkiewka"}})
    );
    assert_eq!(
        ev["attendees"],
        json!([
            attendee("Kowalski, Jan", "jan.kowalski@example.com"),
            attendee("Anna Wiśniewska", "anna.wisniewska@example.com"),
        ])
    );
}

#[test]
fn request_update_and_cancel_read_back_by_python_icalendar() {
    let first = event();
    let got = icscheck(&request_ics(&first));
    assert_scheduling(&got, "REQUEST", 0, "2026-03-29T08:00:00+00:00", "CONFIRMED");

    // Moved by an hour: same UID, SEQUENCE + 1.
    let mut moved = first.clone();
    moved.sequence += 1;
    moved.start = at(29, 9, 0);
    moved.end = at(29, 9, 30);
    moved.dtstamp = at(25, 12, 0);
    let got = icscheck(&request_ics(&moved));
    assert_scheduling(&got, "REQUEST", 1, "2026-03-29T09:00:00+00:00", "CONFIRMED");

    let mut cancelled = moved.clone();
    cancelled.sequence += 1;
    let got = icscheck(&cancel_ics(&cancelled));
    assert_scheduling(&got, "CANCEL", 2, "2026-03-29T09:00:00+00:00", "CANCELLED");
}

#[test]
fn feed_read_back_by_python_icalendar() {
    let mut second = event();
    second.uid = uid_for("second", "urzad.example.pl");
    second.start = at(31, 7, 0);
    second.end = at(31, 8, 0);
    let got = icscheck(&feed_ics("Moje wizyty — Jan Kowalski", &[event(), second]));
    assert_eq!(got["method"], Value::Null);
    assert_eq!(got["calname"], "Moje wizyty — Jan Kowalski");
    assert_eq!(got["refresh_interval"], "PT1H");
    assert_eq!(got["published_ttl"], "PT1H");
    assert_eq!(got["raw_lines_ok"], true);
    let events = got["events"].as_array().unwrap();
    let starts: Vec<_> = events.iter().map(|e| e["dtstart"].clone()).collect();
    assert_eq!(
        starts,
        ["2026-03-29T08:00:00+00:00", "2026-03-31T07:00:00+00:00"]
    );
    for e in events {
        assert_eq!(e["dtstart_utc"], true);
        assert_eq!(e["organizer"], Value::Null);
        assert_eq!(e["attendees"], json!([]));
    }
}

/// A reply as Exchange/Outlook sends it: multipart/alternative, the calendar base64-encoded with
/// `method=REPLY`, a VTIMEZONE with a Windows zone name, a folded ATTENDEE, and a COMMENT.
#[test]
fn outlook_reply_email_is_accepted() {
    let eml = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/outlook_reply_accepted.eml"),
    )
    .unwrap();
    let reply = reply_from_eml(&eml).unwrap();
    assert_eq!(
        reply,
        Reply {
            uid: "0190a1b2c3d4@urzad.example.pl".into(),
            sequence: 1,
            attendee_email: "anna.wisniewska@example.com".into(),
            attendee_name: Some("Anna Wiśniewska".into()),
            partstat: PartStat::Accepted,
            comment: Some("Dziękuję, będę punktualnie.".into()),
        }
    );
}
