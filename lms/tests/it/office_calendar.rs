//! Office calendars on both databases: events with colleagues and guests, the iMIP emails that
//! follow (REQUEST, update with a higher SEQUENCE, CANCEL), read back by Python's icalendar; the
//! list, week and month views with events, department events, task deadlines and appointments;
//! the secret subscription feed (revocable, per person); offices kept apart on every event
//! route; `szpon mail ingest` with an Outlook reply; and delivery through a real SMTP server.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use office_plugin::schema::{
    office_bookings, office_event_attendees, office_events, office_feed_tokens, office_matters,
    office_notifications, office_tasks,
};
use platform::access::Role;
use platform::models::organisation;
use platform::web::AppState;
use serde_json::Value;

use crate::helpers::*;

const PASSWORD: &str = "hasło testowe 1";

// ---------------------------------------------------------------------------------------------
// Python icalendar, the independent reader (as office-plugin/tests/it/ical.rs runs it)

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

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
            Ok(venv.join("bin/python"))
        })
        .clone()
        .unwrap_or_else(|e| panic!("the oracle venv cannot be set up: {e}"))
}

fn icscheck(ics: &str) -> Value {
    let script = repo_root().join("tests/oracle/icscheck.py");
    let mut child = Command::new(oracle_python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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

// ---------------------------------------------------------------------------------------------
// Reading invitations

/// One invitation email: to whom, the calendar's METHOD (from the MIME header) and the .ics.
#[derive(Debug)]
struct Invitation {
    to: String,
    method: String,
    ics: String,
}

fn ctype(p: &mail_parser::MessagePart<'_>) -> String {
    let ct = p.content_type().expect("content type");
    format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase()
}

/// Checks the iMIP shape (multipart/mixed → multipart/alternative with text/plain and
/// text/calendar; the .ics attached too) and returns the invitation.
fn read_invitation(raw: &[u8]) -> Invitation {
    let msg = MessageParser::default().parse(raw).expect("a MIME message");
    let children = |p: &mail_parser::MessagePart<'_>| -> Vec<usize> {
        match &p.body {
            PartType::Multipart(ids) => ids.iter().map(|&i| i as usize).collect(),
            other => panic!("not a multipart: {other:?}"),
        }
    };
    let root = &msg.parts[0];
    assert_eq!(ctype(root), "multipart/mixed");
    let top = children(root);
    assert_eq!(
        top.iter()
            .map(|&i| ctype(&msg.parts[i]))
            .collect::<Vec<_>>(),
        ["multipart/alternative", "application/ics"]
    );
    let alt = children(&msg.parts[top[0]]);
    assert_eq!(
        alt.iter()
            .map(|&i| ctype(&msg.parts[i]))
            .collect::<Vec<_>>(),
        ["text/plain", "text/calendar"]
    );
    let cal = &msg.parts[alt[1]];
    let method = cal
        .content_type()
        .unwrap()
        .attribute("method")
        .expect("method parameter")
        .to_owned();
    let ics = String::from_utf8(cal.contents().to_vec()).unwrap();
    assert_eq!(msg.parts[top[1]].contents(), ics.as_bytes());
    let to = msg
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .expect("a recipient")
        .to_owned();
    Invitation { to, method, ics }
}

/// Emails written to the outbox since the last call.
struct Outbox {
    dir: PathBuf,
    seen: HashSet<PathBuf>,
}

impl Outbox {
    fn new(db: &TestDb) -> Outbox {
        Outbox {
            dir: db.data_dir().join("outbox"),
            seen: HashSet::new(),
        }
    }

    fn fresh(&mut self) -> Vec<Invitation> {
        let mut out = vec![];
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return out;
        };
        let mut paths: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|x| x == "eml") && self.seen.insert(p.clone()) {
                out.push(read_invitation(&std::fs::read(&p).unwrap()));
            }
        }
        out.sort_by(|a, b| a.to.cmp(&b.to));
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The offices

struct People {
    ola: String,
    kasia: String,
    piotr: String,
    department: String,
}

/// Office A (`urzad-a`) with a department; Ola (organiser) and Kasia in the department, Piotr
/// outside it; office B with Bartek. Everyone is an official.
fn setup(st: &AppState) -> People {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    let dept =
        organisation::create_department(&mut conn, &a.id, "Wydział Spraw Obywatelskich").unwrap();
    drop(conn);
    let mut ids = vec![];
    for (email, name, org) in [
        ("ola@a.pl", "Ola Organizatorka", &a.id),
        ("kasia@a.pl", "Kasia Kowalska", &a.id),
        ("piotr@a.pl", "Piotr Nowak", &a.id),
        ("bartek@b.pl", "Bartek Obcy", &b.id),
    ] {
        let id = make_user(st, email, name, PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, Role::Official).unwrap();
        ids.push(id);
    }
    let mut conn = st.db.get().unwrap();
    for who in [&ids[0], &ids[1]] {
        organisation::set_department(&mut conn, &a.id, who, Some(&dept.id)).unwrap();
    }
    People {
        ola: ids[0].clone(),
        kasia: ids[1].clone(),
        piotr: ids[2].clone(),
        department: dept.id,
    }
}

fn org_id(st: &AppState, slug: &str) -> String {
    let mut conn = st.db.get().unwrap();
    organisation::find_by_slug(&mut conn, slug)
        .unwrap()
        .unwrap()
        .id
}

fn event_by_title(st: &AppState, title: &str) -> (String, String, i32, String) {
    let mut conn = st.db.get().unwrap();
    office_events::table
        .filter(office_events::title.eq(title))
        .select((
            office_events::id,
            office_events::uid,
            office_events::sequence,
            office_events::status,
        ))
        .first(&mut conn)
        .unwrap()
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The event form's fields.
fn event_form<'a>(
    title: &'a str,
    date: &'a str,
    start: &'a str,
    end: &'a str,
    colleagues: &[&'a str],
    guests: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("title", title),
        ("date", date),
        ("start", start),
        ("end", end),
        ("location", "Sala 12, ul. Długa 1"),
        ("description", "Porządek:\n1. sprawy bieżące"),
        ("department", ""),
        ("guests", guests),
    ];
    for c in colleagues {
        f.push(("colleague", c));
    }
    f
}

// ---------------------------------------------------------------------------------------------
// Invitations, updates, cancellation

async fn invitations_follow_every_change(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let p = setup(&st);
    let portal = st.mailer.from().email.to_string();
    let mut outbox = Outbox::new(&db);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);

    c.get("/biuro/urzad-a/kalendarz/nowe")
        .await
        .assert_status(200)
        .assert_contains("Kasia Kowalska");

    // Invalid: no title, end before start, a bad guest address → 422 with every error named.
    let bad = c
        .post(
            "/biuro/urzad-a/kalendarz/nowe",
            &event_form("", "2026-03-30", "11:00", "10:00", &[], "to nie jest adres"),
        )
        .await;
    bad.assert_status(422)
        .assert_contains("error-summary")
        .assert_contains("href=\"#title\"")
        .assert_contains("href=\"#end\"")
        .assert_contains("href=\"#guests\"")
        .assert_contains("to nie jest adres");
    assert!(outbox.fresh().is_empty());

    // 30 March 2026 is summer time in Poland: 10:00 local is 08:00 UTC.
    let r = c
        .post(
            "/biuro/urzad-a/kalendarz/nowe",
            &event_form(
                "Narada wydziału",
                "2026-03-30",
                "10:00",
                "11:00",
                &[&p.kasia],
                "Jan Kowalski <Jan.Kowalski@Example.com>",
            ),
        )
        .await;
    r.assert_status(303);
    let (id, uid, seq, _) = event_by_title(&st, "Narada wydziału");
    assert_eq!(r.location(), format!("/biuro/urzad-a/kalendarz/{id}"));
    assert_eq!(uid, format!("{id}@localhost"));
    assert_eq!(seq, 0);

    let sent = outbox.fresh();
    assert_eq!(
        sent.iter().map(|i| i.to.as_str()).collect::<Vec<_>>(),
        ["jan.kowalski@example.com", "kasia@a.pl"]
    );
    for inv in &sent {
        assert_eq!(inv.method, "REQUEST");
        let got = icscheck(&inv.ics);
        assert_eq!(got["method"], "REQUEST");
        assert_eq!(got["raw_lines_ok"], true);
        let ev = &got["events"][0];
        assert_eq!(ev["uid"], uid.as_str());
        assert_eq!(ev["sequence"], 0);
        assert_eq!(ev["status"], "CONFIRMED");
        assert_eq!(ev["dtstart"], "2026-03-30T08:00:00+00:00");
        assert_eq!(ev["dtstart_utc"], true);
        assert_eq!(ev["dtend"], "2026-03-30T09:00:00+00:00");
        assert_eq!(ev["summary"], "Narada wydziału");
        assert_eq!(ev["location"], "Sala 12, ul. Długa 1");
        assert_eq!(ev["organizer"]["value"], format!("mailto:{portal}"));
        assert_eq!(ev["organizer"]["params"]["CN"], "Ola Organizatorka");
        // Colleagues get the event's page; a guest could not open it.
        let url = if inv.to == "kasia@a.pl" {
            Value::from(format!(
                "http://localhost:8080/biuro/urzad-a/kalendarz/{id}"
            ))
        } else {
            Value::Null
        };
        assert_eq!(ev["url"], url);
        let attendees: Vec<String> = ev["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                assert_eq!(a["params"]["PARTSTAT"], "NEEDS-ACTION");
                assert_eq!(a["params"]["RSVP"], "TRUE");
                a["value"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(
            attendees,
            ["mailto:jan.kowalski@example.com", "mailto:kasia@a.pl"]
        );
    }
    // Kasia is told in the app too.
    {
        let mut conn = st.db.get().unwrap();
        let n: i64 = office_notifications::table
            .filter(office_notifications::user_id.eq(&p.kasia))
            .filter(office_notifications::kind.eq("invitation"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(n, 1);
    }
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}"))
        .await
        .assert_status(200)
        .assert_contains("<h1>Narada wydziału</h1>")
        .assert_contains("Kasia Kowalska")
        .assert_contains("jan.kowalski@example.com")
        .assert_contains("bez odpowiedzi")
        .assert_contains("od 10:00 do 11:00");

    // Saving without a change sends nothing and keeps SEQUENCE.
    let same = event_form(
        "Narada wydziału",
        "2026-03-30",
        "10:00",
        "11:00",
        &[&p.kasia],
        "Jan Kowalski <jan.kowalski@example.com>",
    );
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/edycja"), &same)
        .await
        .assert_status(303);
    assert!(outbox.fresh().is_empty());
    assert_eq!(event_by_title(&st, "Narada wydziału").2, 0);

    // Moved by an hour, Jan taken off, Anna added: REQUEST with SEQUENCE 1 to Kasia and Anna,
    // CANCEL with SEQUENCE 1 to Jan.
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}/edycja"))
        .await
        .assert_status(200)
        .assert_contains("value=\"Narada wydziału\"");
    c.post(
        &format!("/biuro/urzad-a/kalendarz/{id}/edycja"),
        &event_form(
            "Narada wydziału",
            "2026-03-30",
            "11:00",
            "12:00",
            &[&p.kasia],
            "anna@example.com",
        ),
    )
    .await
    .assert_status(303);
    assert_eq!(event_by_title(&st, "Narada wydziału").2, 1);
    let sent = outbox.fresh();
    assert_eq!(
        sent.iter()
            .map(|i| (i.to.as_str(), i.method.as_str()))
            .collect::<Vec<_>>(),
        [
            ("anna@example.com", "REQUEST"),
            ("jan.kowalski@example.com", "CANCEL"),
            ("kasia@a.pl", "REQUEST")
        ]
    );
    for inv in &sent {
        let got = icscheck(&inv.ics);
        let ev = &got["events"][0];
        assert_eq!(ev["uid"], uid.as_str(), "the UID never changes");
        assert_eq!(ev["sequence"], 1);
        if inv.method == "CANCEL" {
            assert_eq!(got["method"], "CANCEL");
            assert_eq!(ev["status"], "CANCELLED");
            assert_eq!(ev["attendees"].as_array().unwrap().len(), 1);
        } else {
            assert_eq!(ev["dtstart"], "2026-03-30T09:00:00+00:00");
            assert_eq!(ev["attendees"].as_array().unwrap().len(), 2);
        }
    }

    // Cancelling asks first, then sends CANCEL (SEQUENCE 2) to everyone still invited.
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"))
        .await
        .assert_status(200)
        .assert_contains("Narada wydziału")
        .assert_contains("2 zaproszone osoby");
    let r = c
        .post(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"), &[])
        .await;
    r.assert_status(303);
    let (_, _, seq, status) = event_by_title(&st, "Narada wydziału");
    assert_eq!((seq, status.as_str()), (2, "cancelled"));
    let sent = outbox.fresh();
    assert_eq!(
        sent.iter().map(|i| i.to.as_str()).collect::<Vec<_>>(),
        ["anna@example.com", "kasia@a.pl"]
    );
    for inv in &sent {
        assert_eq!(inv.method, "CANCEL");
        let got = icscheck(&inv.ics);
        assert_eq!(got["method"], "CANCEL");
        assert_eq!(got["events"][0]["status"], "CANCELLED");
        assert_eq!(got["events"][0]["sequence"], 2);
        assert_eq!(got["events"][0]["uid"], uid.as_str());
    }
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}"))
        .await
        .assert_status(200)
        .assert_contains("zostało odwołane");
    // A cancelled event cannot be edited or cancelled again.
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}/edycja"))
        .await
        .assert_status(404);
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"), &[])
        .await
        .assert_status(404);
    assert!(outbox.fresh().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Views

fn insert_task(
    st: &AppState,
    org: &str,
    title: &str,
    creator: &str,
    (user, dept): (Option<&str>, Option<&str>),
    due: &str,
    status: &str,
) -> String {
    let mut conn = st.db.get().unwrap();
    let id = platform::models::new_id();
    let t = platform::models::now();
    diesel::insert_into(office_tasks::table)
        .values((
            office_tasks::id.eq(&id),
            office_tasks::organisation_id.eq(org),
            office_tasks::title.eq(title),
            office_tasks::created_by.eq(creator),
            office_tasks::assignee_user_id.eq(user),
            office_tasks::assignee_department_id.eq(dept),
            office_tasks::due_at.eq(Some(dt(due))),
            office_tasks::status.eq(status),
            office_tasks::created_at.eq(t),
            office_tasks::updated_at.eq(t),
        ))
        .execute(&mut conn)
        .unwrap();
    id
}

fn insert_booking(
    st: &AppState,
    org: &str,
    official: &str,
    citizen: &str,
    start: &str,
    status: &str,
) -> String {
    let mut conn = st.db.get().unwrap();
    let t = platform::models::now();
    let matter: Option<String> = office_matters::table
        .filter(office_matters::organisation_id.eq(org))
        .select(office_matters::id)
        .first(&mut conn)
        .optional()
        .unwrap();
    let matter = matter.unwrap_or_else(|| {
        let id = platform::models::new_id();
        diesel::insert_into(office_matters::table)
            .values((
                office_matters::id.eq(&id),
                office_matters::organisation_id.eq(org),
                office_matters::name.eq("Wydanie dowodu osobistego"),
                office_matters::mode.eq("office"),
                office_matters::location.eq("Pokój 5"),
                office_matters::duration_min.eq(30),
                office_matters::created_at.eq(t),
                office_matters::updated_at.eq(t),
            ))
            .execute(&mut conn)
            .unwrap();
        id
    });
    let id = platform::models::new_id();
    let s = dt(start);
    diesel::insert_into(office_bookings::table)
        .values((
            office_bookings::id.eq(&id),
            office_bookings::organisation_id.eq(org),
            office_bookings::matter_id.eq(&matter),
            office_bookings::official_id.eq(official),
            office_bookings::starts_at.eq(s),
            office_bookings::ends_at.eq(s + chrono::Duration::minutes(30)),
            office_bookings::buffer_before_min.eq(0),
            office_bookings::buffer_after_min.eq(0),
            office_bookings::local_day.eq(&start[..10]),
            office_bookings::mode.eq("office"),
            office_bookings::citizen_name.eq(citizen),
            office_bookings::citizen_email.eq("obywatel@example.com"),
            office_bookings::status.eq(status),
            office_bookings::created_at.eq(t),
            office_bookings::updated_at.eq(t),
        ))
        .execute(&mut conn)
        .unwrap();
    id
}

/// The calendar of one week (Monday 14 December 2026, winter time: UTC+1) for Ola, Kasia and
/// Piotr, with what each may see and nothing else.
struct Week {
    own_event: String,
    dept_event: String,
    my_task: String,
    dept_task: String,
    booking: String,
}

async fn fill_week<S, B>(st: &AppState, p: &People, c: &mut Client<S>) -> Week
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let a = org_id(st, "urzad-a");
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);
    c.post(
        "/biuro/urzad-a/kalendarz/nowe",
        &event_form("Spotkanie Oli", "2026-12-15", "09:00", "10:30", &[], ""),
    )
    .await
    .assert_status(303);
    c.fresh_jar();
    c.login("piotr@a.pl", PASSWORD).await.assert_status(303);
    let mut f = event_form("Odprawa działu", "2026-12-16", "08:00", "08:30", &[], "");
    f.retain(|(k, _)| *k != "department");
    f.push(("department", &p.department));
    c.post("/biuro/urzad-a/kalendarz/nowe", &f)
        .await
        .assert_status(303);
    c.fresh_jar();
    let my_task = insert_task(
        st,
        &a,
        "Raport kwartalny",
        &p.piotr,
        (Some(&p.ola), None),
        "2026-12-17 14:00",
        "in_progress",
    );
    let dept_task = insert_task(
        st,
        &a,
        "Zestawienie wniosków",
        &p.piotr,
        (None, Some(&p.department)),
        "2026-12-18 10:00",
        "new",
    );
    insert_task(
        st,
        &a,
        "Zadanie zamknięte",
        &p.piotr,
        (Some(&p.ola), None),
        "2026-12-17 09:00",
        "done",
    );
    insert_task(
        st,
        &a,
        "Zadanie Piotra",
        &p.ola,
        (Some(&p.piotr), None),
        "2026-12-17 09:00",
        "new",
    );
    let booking = insert_booking(st, &a, &p.ola, "Jan Obywatel", "2026-12-14 12:00", "booked");
    insert_booking(
        st,
        &a,
        &p.ola,
        "Anulowany Obywatel",
        "2026-12-14 13:00",
        "cancelled",
    );
    insert_booking(
        st,
        &a,
        &p.kasia,
        "Obywatel Kasi",
        "2026-12-14 14:00",
        "booked",
    );
    Week {
        own_event: event_by_title(st, "Spotkanie Oli").0,
        dept_event: event_by_title(st, "Odprawa działu").0,
        my_task,
        dept_task,
        booking,
    }
}

/// Tera escapes `/` in attribute values (`&#x2F;`); the browser reads both the same.
fn unslash(mut r: Resp) -> Resp {
    r.body = r.body.replace("&#x2F;", "/");
    r
}

async fn views_show_what_is_mine(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let p = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    let w = fill_week(&st, &p, &mut c).await;
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);

    // The list: one h2 per day with something on it, times in words, links to each item.
    let list = unslash(
        c.get("/biuro/urzad-a/kalendarz?widok=lista&od=2026-12-14")
            .await,
    );
    list.assert_status(200);
    for want in [
        "<h2 id=\"dzien-2026-12-14\">poniedziałek, 14 grudnia 2026</h2>",
        "<h2 id=\"dzien-2026-12-15\">wtorek, 15 grudnia 2026</h2>",
        &format!(
            "href=\"/biuro/urzad-a/kalendarz/{}\">Spotkanie Oli</a>",
            w.own_event
        ),
        &format!(
            "href=\"/biuro/urzad-a/kalendarz/{}\">Odprawa działu</a>",
            w.dept_event
        ),
        &format!(
            "href=\"/biuro/urzad-a/zadania/{}\">Raport kwartalny</a>",
            w.my_task
        ),
        &format!(
            "href=\"/biuro/urzad-a/zadania/{}\">Zestawienie wniosków</a>",
            w.dept_task
        ),
        &format!(
            "href=\"/biuro/urzad-a/wizyty/{}\">Wydanie dowodu osobistego — Jan Obywatel</a>",
            w.booking
        ),
        "od 09:00 do 10:30",
        "termin o 15:00",
        "Wydarzenie działu",
        "Termin zadania",
        "Wizyta",
    ] {
        list.assert_contains(want);
    }
    for not in [
        "Zadanie zamknięte",
        "Zadanie Piotra",
        "Anulowany Obywatel",
        "Obywatel Kasi",
    ] {
        assert!(
            !list.body.contains(not),
            "{not} is not Ola's:\n{}",
            list.body
        );
    }
    // Before the week: nothing, said in words.
    c.get("/biuro/urzad-a/kalendarz?widok=lista&od=2026-11-01")
        .await
        .assert_status(200)
        .assert_contains("Brak wydarzeń");

    // The week: a table with a caption, column headers and links; paging by links.
    let week = unslash(
        c.get("/biuro/urzad-a/kalendarz?widok=tydzien&od=2026-12-17")
            .await,
    );
    week.assert_status(200)
        .assert_contains("<caption>Tydzień od 14 grudnia 2026 do 20 grudnia 2026</caption>")
        .assert_contains(
            "<th scope=\"col\" id=\"kol-2026-12-14\">poniedziałek, 14 grudnia 2026</th>",
        )
        .assert_contains(&format!("/biuro/urzad-a/kalendarz/{}", w.own_event))
        .assert_contains(&format!("/biuro/urzad-a/zadania/{}", w.dept_task))
        .assert_contains("href=\"/biuro/urzad-a/kalendarz?widok=tydzien&amp;od=2026-12-07\"")
        .assert_contains("href=\"/biuro/urzad-a/kalendarz?widok=tydzien&amp;od=2026-12-21\"");
    // The month: Monday-first grid from 30 November to 3 January.
    let month = unslash(
        c.get("/biuro/urzad-a/kalendarz?widok=miesiac&od=2026-12-01")
            .await,
    );
    month
        .assert_status(200)
        .assert_contains("<caption>Grudzień 2026</caption>")
        .assert_contains("<th scope=\"col\">poniedziałek</th>")
        .assert_contains(&format!("/biuro/urzad-a/wizyty/{}", w.booking))
        .assert_contains("od=2026-11-01")
        .assert_contains("od=2027-01-01");
    assert_eq!(
        month.body.matches("<tr>").count(),
        1 + 5,
        "header and five weeks"
    );
    c.get("/biuro/urzad-a/kalendarz?widok=rok")
        .await
        .assert_status(400);

    // Kasia: the department's event and task, not Ola's own event, task or appointment.
    c.fresh_jar();
    c.login("kasia@a.pl", PASSWORD).await.assert_status(303);
    let k = c
        .get("/biuro/urzad-a/kalendarz?widok=lista&od=2026-12-14")
        .await;
    k.assert_status(200)
        .assert_contains("Odprawa działu")
        .assert_contains("Zestawienie wniosków")
        .assert_contains("Obywatel Kasi");
    for not in ["Spotkanie Oli", "Raport kwartalny", "Jan Obywatel"] {
        assert!(!k.body.contains(not), "{not} is not Kasia's:\n{}", k.body);
    }
    // Piotr (no department): his own department event as organiser, his task, nothing of Ola's.
    c.fresh_jar();
    c.login("piotr@a.pl", PASSWORD).await.assert_status(303);
    let pv = c
        .get("/biuro/urzad-a/kalendarz?widok=lista&od=2026-12-14")
        .await;
    pv.assert_status(200)
        .assert_contains("Odprawa działu")
        .assert_contains("Zadanie Piotra");
    for not in ["Spotkanie Oli", "Zestawienie wniosków", "Raport kwartalny"] {
        assert!(!pv.body.contains(not), "{not} is not Piotr's:\n{}", pv.body);
    }
    // In English: days and times in English words.
    c.post("/jezyk", &[("lang", "en"), ("next", "/")])
        .await
        .assert_status(303);
    c.get("/biuro/urzad-a/kalendarz?widok=lista&od=2026-12-14")
        .await
        .assert_status(200)
        .assert_contains("<h2 id=\"dzien-2026-12-16\">Wednesday, 16 December 2026</h2>")
        .assert_contains("from 08:00 to 08:30")
        .assert_contains("Department event");
}

// ---------------------------------------------------------------------------------------------
// Feeds

fn token_of(location: &str) -> String {
    location
        .split_once("nowy=")
        .map(|(_, t)| t.to_owned())
        .unwrap_or_else(|| panic!("no token in {location}"))
}

async fn feeds_are_secret_and_revocable(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let p = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    fill_week(&st, &p, &mut c).await;
    c.fresh_jar();
    // Today's items too, so the feed's window (a month back, a year ahead) holds something real.
    let now_local = chrono::Utc::now().naive_utc() + chrono::Duration::days(2);
    let a = org_id(&st, "urzad-a");
    insert_task(
        &st,
        &a,
        "Pilne sprawozdanie",
        &p.piotr,
        (Some(&p.ola), None),
        &now_local.format("%Y-%m-%d %H:%M").to_string(),
        "new",
    );
    // Ola works in office B too: one feed covers both offices.
    let b_id = org_id(&st, "urzad-b");
    {
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, &b_id, &p.ola, Role::Official).unwrap();
    }
    insert_task(
        &st,
        &b_id,
        "Sprawa w urzędzie B",
        &p.ola,
        (Some(&p.ola), None),
        &now_local.format("%Y-%m-%d %H:%M").to_string(),
        "new",
    );

    // Anonymous visitors go to sign-in; no token yet.
    c.get("/biuro/kalendarz/subskrypcja")
        .await
        .assert_status(303);
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);
    c.get("/biuro/kalendarz/subskrypcja")
        .await
        .assert_status(200)
        .assert_contains("Nie masz aktywnego linku");
    let r = c
        .post("/biuro/kalendarz/subskrypcja", &[("akcja", "nowy")])
        .await;
    r.assert_status(303);
    let token = token_of(r.location());
    let page = unslash(c.get(r.location()).await);
    page.assert_status(200)
        .assert_contains(&format!("http://localhost:8080/kalendarz/{token}.ics"))
        .assert_contains(&format!("webcal://localhost:8080/kalendarz/{token}.ics"))
        .assert_contains("Masz aktywny link");
    // Only the digest is stored.
    {
        let mut conn = st.db.get().unwrap();
        let digests: Vec<String> = office_feed_tokens::table
            .select(office_feed_tokens::digest)
            .load(&mut conn)
            .unwrap();
        assert_eq!(digests, [platform::models::token_digest(&token)]);
    }
    // A made-up token does not show a link on the page.
    c.get("/biuro/kalendarz/subskrypcja?nowy=zmyslony")
        .await
        .assert_status(200)
        .assert_contains("Masz aktywny link")
        .assert_contains("Utwórz nowy link");

    // The feed needs no session.
    let mut anon = Client::new(spawn_app(st.clone()).await);
    let feed = anon.get(&format!("/kalendarz/{token}.ics")).await;
    feed.assert_status(200);
    assert_eq!(
        feed.headers.get("content-type").unwrap(),
        "text/calendar; charset=utf-8"
    );
    feed.assert_contains("Termin: Pilne sprawozdanie")
        .assert_contains("Termin: Sprawa w urzędzie B")
        .assert_contains("/biuro/urzad-b/zadania/");
    let got = icscheck(&feed.body);
    assert_eq!(got["method"], Value::Null);
    assert_eq!(got["calname"], "SZPoN — Ola Organizatorka");
    assert_eq!(got["raw_lines_ok"], true);
    for e in got["events"].as_array().unwrap() {
        assert_eq!(e["dtstart_utc"], true);
        assert_eq!(e["attendees"], serde_json::json!([]));
    }
    // December 2026 is inside the year ahead only while the test runs before then; what must
    // hold whenever it runs: nothing that is not Ola's.
    for not in [
        "Zadanie Piotra",
        "Zadanie zamknięte",
        "Obywatel Kasi",
        "Anulowany",
    ] {
        assert!(!feed.body.contains(not), "{not} in Ola's feed");
    }

    // Kasia's own feed never shows Ola's things.
    let mut k = Client::new(spawn_app(st.clone()).await);
    k.login("kasia@a.pl", PASSWORD).await.assert_status(303);
    let r = k
        .post("/biuro/kalendarz/subskrypcja", &[("akcja", "nowy")])
        .await;
    let kasia_token = token_of(r.location());
    let kf = anon.get(&format!("/kalendarz/{kasia_token}.ics")).await;
    kf.assert_status(200);
    for not in [
        "Pilne sprawozdanie",
        "Spotkanie Oli",
        "Raport kwartalny",
        "Jan Obywatel",
    ] {
        assert!(
            !kf.body.contains(not),
            "{not} in Kasia's feed:\n{}",
            kf.body
        );
    }

    // A new link revokes the old one.
    let r = c
        .post("/biuro/kalendarz/subskrypcja", &[("akcja", "nowy")])
        .await;
    let token2 = token_of(r.location());
    assert_ne!(token, token2);
    anon.get(&format!("/kalendarz/{token}.ics"))
        .await
        .assert_status(404);
    anon.get(&format!("/kalendarz/{token2}.ics"))
        .await
        .assert_status(200);
    // Kasia's link is untouched by Ola's renewal.
    anon.get(&format!("/kalendarz/{kasia_token}.ics"))
        .await
        .assert_status(200);
    // Revoke: no link works.
    c.post("/biuro/kalendarz/subskrypcja", &[("akcja", "odwolaj")])
        .await
        .assert_status(303);
    anon.get(&format!("/kalendarz/{token2}.ics"))
        .await
        .assert_status(404);
    c.get("/biuro/kalendarz/subskrypcja")
        .await
        .assert_contains("Nie masz aktywnego linku");
    // Junk never reaches the database and is a 404 too.
    for junk in ["x.ics", "nie-ma", &format!("{token2}.txt")] {
        anon.get(&format!("/kalendarz/{junk}"))
            .await
            .assert_status(404);
    }
}

// ---------------------------------------------------------------------------------------------
// Offices kept apart

async fn other_offices_see_no_event(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let p = setup(&st);
    let mut outbox = Outbox::new(&db);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);
    c.post(
        "/biuro/urzad-a/kalendarz/nowe",
        &event_form(
            "Poufna narada",
            "2026-03-30",
            "10:00",
            "11:00",
            &[&p.kasia],
            "",
        ),
    )
    .await
    .assert_status(303);
    let (id, _, _, _) = event_by_title(&st, "Poufna narada");
    outbox.fresh();
    let form = event_form("Przejęta", "2026-03-30", "10:00", "11:00", &[], "");

    // Bartek, an official of office B: 403 under office A, 404 under his own office.
    c.fresh_jar();
    c.login("bartek@b.pl", PASSWORD).await.assert_status(303);
    for (office, status) in [("urzad-a", 403), ("urzad-b", 404)] {
        for path in [
            format!("/biuro/{office}/kalendarz/{id}"),
            format!("/biuro/{office}/kalendarz/{id}/edycja"),
            format!("/biuro/{office}/kalendarz/{id}/odwolanie"),
        ] {
            c.get(&path).await.assert_status(status);
        }
        c.post(&format!("/biuro/{office}/kalendarz/{id}/edycja"), &form)
            .await
            .assert_status(status);
        c.post(&format!("/biuro/{office}/kalendarz/{id}/odwolanie"), &[])
            .await
            .assert_status(status);
    }
    c.get("/biuro/urzad-a/kalendarz").await.assert_status(403);
    c.get("/biuro/urzad-a/kalendarz/nowe")
        .await
        .assert_status(403);
    c.post("/biuro/urzad-a/kalendarz/nowe", &form)
        .await
        .assert_status(403);
    c.get("/biuro/urzad-x/kalendarz").await.assert_status(404);
    let own = c
        .get("/biuro/urzad-b/kalendarz?widok=lista&od=2026-03-30")
        .await;
    own.assert_status(200);
    assert!(!own.body.contains("Poufna narada"));

    // Piotr, same office, not invited: the event does not exist for him.
    c.fresh_jar();
    c.login("piotr@a.pl", PASSWORD).await.assert_status(303);
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}"))
        .await
        .assert_status(404);
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"), &[])
        .await
        .assert_status(404);
    // Kasia, invited: sees it, may not change it.
    c.fresh_jar();
    c.login("kasia@a.pl", PASSWORD).await.assert_status(303);
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}"))
        .await
        .assert_status(200)
        .assert_contains("Poufna narada");
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}/edycja"))
        .await
        .assert_status(403);
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/edycja"), &form)
        .await
        .assert_status(403);
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"), &[])
        .await
        .assert_status(403);

    // Nothing changed, nothing was sent.
    let (_, _, seq, status) = event_by_title(&st, "Poufna narada");
    assert_eq!((seq, status.as_str()), (0, "confirmed"));
    assert!(outbox.fresh().is_empty());
}

// ---------------------------------------------------------------------------------------------
// `szpon mail ingest` with Outlook's reply

/// The Outlook fixture with its calendar's UID replaced (the calendar part is base64).
fn outlook_reply_for(uid: &str) -> Vec<u8> {
    use base64::Engine;
    let path = repo_root().join("office-plugin/tests/it/fixtures/outlook_reply_accepted.eml");
    let raw = std::fs::read_to_string(path).unwrap();
    let marker = "method=REPLY\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    let start = raw.find(marker).expect("the calendar part") + marker.len();
    let end = start + raw[start..].find("\r\n\r\n").unwrap();
    let b64: String = raw[start..end].split("\r\n").collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let ics = String::from_utf8(engine.decode(b64).unwrap()).unwrap();
    assert!(ics.contains("UID:0190a1b2c3d4@urzad.example.pl"));
    let ics = ics.replace("UID:0190a1b2c3d4@urzad.example.pl", &format!("UID:{uid}"));
    let encoded = engine.encode(ics);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!("{}{}{}", &raw[..start], lines.join("\r\n"), &raw[end..]).into_bytes()
}

fn ingest(db: &TestDb, file: &Path) -> std::process::Output {
    crate::cli::szpon()
        .args(["mail", "ingest"])
        .arg(file)
        .envs(db.env())
        .current_dir(db.dir.path())
        .output()
        .unwrap()
}

async fn outlook_reply_is_ingested(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let p = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);
    c.post(
        "/biuro/urzad-a/kalendarz/nowe",
        &event_form(
            "Wydanie dowodu osobistego",
            "2026-03-30",
            "10:00",
            "10:30",
            &[&p.kasia],
            "Anna Wiśniewska <anna.wisniewska@example.com>",
        ),
    )
    .await
    .assert_status(303);
    let (id, uid, _, _) = event_by_title(&st, "Wydanie dowodu osobistego");

    let file = db.dir.path().join("odpowiedz.eml");
    std::fs::write(&file, outlook_reply_for(&uid)).unwrap();
    let out = ingest(&db, &file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("anna.wisniewska@example.com is now ACCEPTED"),
        "{stdout}"
    );
    let partstat = |email: &str| -> (String, Option<NaiveDateTime>) {
        let mut conn = st.db.get().unwrap();
        office_event_attendees::table
            .find((&id, email))
            .select((
                office_event_attendees::partstat,
                office_event_attendees::replied_at,
            ))
            .first(&mut conn)
            .unwrap()
    };
    let (stat, at) = partstat("anna.wisniewska@example.com");
    assert_eq!(stat, "ACCEPTED");
    assert!(at.is_some());
    assert_eq!(partstat("kasia@a.pl").0, "NEEDS-ACTION");
    c.get(&format!("/biuro/urzad-a/kalendarz/{id}"))
        .await
        .assert_status(200)
        .assert_contains("przyjęte");
    // The organiser is told in the app.
    {
        let mut conn = st.db.get().unwrap();
        let n: i64 = office_notifications::table
            .filter(office_notifications::user_id.eq(&p.ola))
            .filter(office_notifications::actor_name.eq("Anna Wiśniewska"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(n, 1);
    }

    // The fixture as it is names an unknown UID.
    let unknown = db.dir.path().join("obca.eml");
    std::fs::copy(
        repo_root().join("office-plugin/tests/it/fixtures/outlook_reply_accepted.eml"),
        &unknown,
    )
    .unwrap();
    let out = ingest(&db, &unknown);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no event has UID 0190a1b2c3d4@urzad.example.pl"),
        "{err}"
    );
    // Not a reply at all, and a file that is not there.
    let junk = db.dir.path().join("smieci.eml");
    std::fs::write(&junk, b"Subject: hej\r\n\r\nto nie jest kalendarz\r\n").unwrap();
    let out = ingest(&db, &junk);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a calendar reply"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ingest(&db, &db.dir.path().join("nie-ma.eml"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the email"));

    // A reply from someone who is not invited changes nothing.
    let ics_reply = format!(
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nPRODID:x\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
         ATTENDEE;PARTSTAT=DECLINED:mailto:obcy@example.com\r\nUID:{uid}\r\nSEQUENCE:0\r\n\
         DTSTAMP:20260324T101500Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let eml = format!(
        "From: obcy@example.com\r\nTo: no-reply@localhost\r\nSubject: Odrzucono\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n{ics_reply}"
    );
    let f = db.dir.path().join("obcy.eml");
    std::fs::write(&f, eml).unwrap();
    let out = ingest(&db, &f);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an attendee"));

    // After cancellation a reply is ignored.
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"), &[])
        .await
        .assert_status(303);
    let decline = ics_reply.replace("obcy@example.com", "kasia@a.pl");
    let f = db.dir.path().join("kasia.eml");
    std::fs::write(
        &f,
        format!(
            "From: kasia@a.pl\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n{decline}"
        ),
    )
    .unwrap();
    let out = ingest(&db, &f);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ignored"));
    assert_eq!(partstat("kasia@a.pl").0, "NEEDS-ACTION");
}

// ---------------------------------------------------------------------------------------------
// A real SMTP server

/// What a minimal SMTP server (RFC 5321, no extensions) received in one transaction.
#[derive(Debug)]
struct Received {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

/// Serves SMTP on a free local port; every message goes into the channel before its `250`, so
/// once the client's send returns the message is there.
fn smtp_server() -> (u16, std::sync::mpsc::Receiver<Received>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let say = |w: &mut std::net::TcpStream, s: &str| {
                    let _ = w.write_all(s.as_bytes());
                };
                say(&mut w, "220 test ESMTP\r\n");
                let (mut from, mut to) = (String::new(), vec![]);
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_owned();
                    let upper = cmd.to_ascii_uppercase();
                    if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        say(&mut w, "250 test\r\n");
                    } else if upper.starts_with("MAIL FROM:") {
                        from = cmd[10..].trim().to_owned();
                        to.clear();
                        say(&mut w, "250 OK\r\n");
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(cmd[8..].trim().to_owned());
                        say(&mut w, "250 OK\r\n");
                    } else if upper == "DATA" {
                        say(&mut w, "354 go on\r\n");
                        let mut data = Vec::new();
                        loop {
                            let mut l = Vec::new();
                            if r.read_until(b'\n', &mut l).unwrap_or(0) == 0 {
                                return;
                            }
                            if l == b".\r\n" {
                                break;
                            }
                            // Undo dot-stuffing.
                            if l.starts_with(b"..") {
                                l.remove(0);
                            }
                            data.extend_from_slice(&l);
                        }
                        let _ = tx.send(Received {
                            from: from.clone(),
                            to: to.clone(),
                            data,
                        });
                        say(&mut w, "250 queued\r\n");
                    } else if upper == "QUIT" {
                        say(&mut w, "221 bye\r\n");
                        return;
                    } else {
                        // RSET, NOOP and anything else.
                        say(&mut w, "250 OK\r\n");
                    }
                }
            });
        }
    });
    (port, rx)
}

async fn invitation_through_real_smtp(b: Backend) {
    let db = TestDb::new(b);
    let (port, rx) = smtp_server();
    let port = port.to_string();
    let st = state(
        &db,
        &[
            ("SZPON_SMTP_HOST", "127.0.0.1"),
            ("SZPON_SMTP_PORT", &port),
            ("SZPON_SMTP_TLS", "none"),
            ("SZPON_MAIL_FROM", "Urząd A <kalendarz@urzad-a.example.pl>"),
        ],
    );
    let p = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);
    c.post(
        "/biuro/urzad-a/kalendarz/nowe",
        &event_form(
            "Spotkanie przez SMTP",
            "2026-10-25",
            "09:00",
            "10:00",
            &[&p.kasia],
            "Gość <gosc@example.com>",
        ),
    )
    .await
    .assert_status(303);
    let (_, uid, _, _) = event_by_title(&st, "Spotkanie przez SMTP");
    // The POST returns after sending, so both messages have arrived.
    let mut got: Vec<Received> = rx.try_iter().collect();
    got.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        got.iter().map(|m| m.to.join(",")).collect::<Vec<_>>(),
        ["<gosc@example.com>", "<kasia@a.pl>"]
    );
    for m in &got {
        assert_eq!(m.from, "<kalendarz@urzad-a.example.pl>");
        let inv = read_invitation(&m.data);
        assert_eq!(inv.method, "REQUEST");
        let parsed = MessageParser::default().parse(&m.data).unwrap();
        let from = parsed.from().unwrap().first().unwrap();
        assert_eq!(from.name(), Some("Ola Organizatorka"));
        assert_eq!(from.address(), Some("kalendarz@urzad-a.example.pl"));
        let ics = icscheck(&inv.ics);
        let ev = &ics["events"][0];
        assert_eq!(ev["uid"], uid.as_str());
        // 25 October 2026: summer time ends at 03:00, so 09:00 is already UTC+1.
        assert_eq!(ev["dtstart"], "2026-10-25T08:00:00+00:00");
        assert_eq!(
            ev["organizer"]["value"],
            "mailto:kalendarz@urzad-a.example.pl"
        );
    }
    // Nothing went to the outbox.
    assert!(!db.data_dir().join("outbox").exists());
}

crate::both_backends!(
    invitations_follow_every_change,
    views_show_what_is_mine,
    feeds_are_secret_and_revocable,
    other_offices_see_no_event,
    outlook_reply_is_ingested,
    invitation_through_real_smtp,
    invitations_speak_each_colleagues_language,
);

/// Each colleague's invitation is in the language of their account; a guest's is in Polish.
async fn invitations_speak_each_colleagues_language(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let p = setup(&st);
    {
        use platform::db::schema::users;
        let mut conn = st.db.get().unwrap();
        diesel::update(users::table.find(&p.kasia))
            .set(users::language.eq(Some("en")))
            .execute(&mut conn)
            .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@a.pl", PASSWORD).await.assert_status(303);
    c.post(
        "/biuro/urzad-a/kalendarz/nowe",
        &event_form(
            "Plan pracy",
            "2026-12-14",
            "10:00",
            "11:00",
            &[&p.kasia, &p.piotr],
            "gosc@example.com",
        ),
    )
    .await
    .assert_status(303);
    let (id, ..) = event_by_title(&st, "Plan pracy");
    c.post(&format!("/biuro/urzad-a/kalendarz/{id}/odwolanie"), &[])
        .await
        .assert_status(303);

    // (recipient, body) of every email, oldest first.
    let dir = db.data_dir().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort_by_key(|f| std::fs::metadata(f).unwrap().modified().unwrap());
    let mails: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).unwrap();
            let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let to = m
                .to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_string();
            (to, m.body_text(0).unwrap().to_string())
        })
        .collect();
    let of = |who: &str| -> Vec<&str> {
        mails
            .iter()
            .filter(|(to, _)| to == who)
            .map(|(_, body)| body.as_str())
            .collect()
    };
    let kasia = of("kasia@a.pl");
    assert_eq!(kasia.len(), 2, "{mails:?}");
    assert!(kasia[0].contains("invites you to"), "{}", kasia[0]);
    assert!(kasia[1].contains("cancelled"), "{}", kasia[1]);
    for who in ["piotr@a.pl", "gosc@example.com"] {
        let got = of(who);
        assert_eq!(got.len(), 2, "{who}: {mails:?}");
        assert!(got[0].contains("zaprasza na"), "{who}: {}", got[0]);
        assert!(
            got[1].contains("odwołał(a) wydarzenie"),
            "{who}: {}",
            got[1]
        );
    }
}
