//! Booking of e-visits: the race for slots over real HTTP (exactly one winner per slot, caps hold),
//! the citizen's signed links, the emails with their iCalendar parts, the official's pages across
//! offices, set-up validation, and the statistics.

use std::sync::{Arc, Barrier};

use chrono::{Days, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use office_plugin::booking::slots::{self, Exception};
use office_plugin::booking::store::{self, Availability, MatterInput};
use office_plugin::schema::office_bookings;
use platform::access::Role;
use platform::models::organisation;
use platform::web::AppState;

use crate::both_backends;
use crate::cli::Server;
use crate::helpers::*;

both_backends!(
    race_over_real_http,
    links_are_single_purpose_and_die_with_the_booking,
    officials_see_only_their_office,
    set_up_validates_the_five_minute_grid,
    statistics_and_csv_of_a_known_set,
    events_block_cells_collide_and_outcomes_keep_the_time,
    public_posts_are_rate_limited_per_ip,
    a_department_handles_through_its_officials,
    office_emails_follow_the_citizens_language
);

const PASSWORD: &str = "hasło testowe 1";

/// A day far enough ahead for every notice and inside every window.
fn day(offset: u64) -> NaiveDate {
    slots::local_date(Utc::now()) + Days::new(offset)
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// The RFC 3339 value of a local time on a day, as the forms send it.
fn slot(d: NaiveDate, h: u32, m: u32) -> String {
    slots::instant(d, hm(h, m))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

struct Office {
    id: String,
}

fn office(st: &AppState, slug: &str) -> Office {
    let mut conn = st.db.get().unwrap();
    let o =
        organisation::create(&mut conn, slug, &format!("Urząd {slug}"), "municipality").unwrap();
    store::set_public_booking(&mut conn, &o.id, true).unwrap();
    Office { id: o.id }
}

fn person(st: &AppState, org: &Office, email: &str, role: Role) -> String {
    let id = make_user(st, email, email, PASSWORD, false);
    let mut conn = st.db.get().unwrap();
    organisation::grant_role(&mut conn, &org.id, &id, role).unwrap();
    id
}

/// An official who receives only on `d`, in `hours`, with an optional daily cap.
fn hours_on(
    st: &AppState,
    org: &Office,
    official: &str,
    d: NaiveDate,
    hours: &str,
    cap: Option<u32>,
) {
    let mut conn = st.db.get().unwrap();
    let a = Availability {
        exceptions: vec![Exception::Hours {
            date: d,
            hours: store::parse_ranges(hours).unwrap(),
        }],
        cap_per_day: cap,
        ..Default::default()
    };
    store::save_availability(&mut conn, &org.id, official, &a).unwrap();
}

fn matter(
    st: &AppState,
    org: &Office,
    name: &str,
    duration: i32,
    cap: Option<i32>,
    officials: &[&str],
    mode: &str,
) -> String {
    let mut conn = st.db.get().unwrap();
    store::save_matter(
        &mut conn,
        &org.id,
        None,
        &MatterInput {
            name: name.into(),
            description: format!("Opis: {name}"),
            documents: "Dowód osobisty\nZdjęcie".into(),
            mode: mode.into(),
            location: "Pokój 12".into(),
            duration_min: duration,
            window_days: 30,
            cap_per_day: cap,
            officials: officials.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
    .unwrap()
}

#[derive(Debug, Clone)]
struct Row {
    official: String,
    matter: String,
    start: chrono::NaiveDateTime,
    end: chrono::NaiveDateTime,
    status: String,
}

fn bookings(st: &AppState) -> Vec<Row> {
    let mut conn = st.db.get().unwrap();
    office_bookings::table
        .select((
            office_bookings::official_id,
            office_bookings::matter_id,
            office_bookings::starts_at,
            office_bookings::ends_at,
            office_bookings::status,
        ))
        .load::<(
            String,
            String,
            chrono::NaiveDateTime,
            chrono::NaiveDateTime,
            String,
        )>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|(official, matter, start, end, status)| Row {
            official,
            matter,
            start,
            end,
            status,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The race, over real sockets against `szpon serve`.

/// One citizen: GET the form (cookie + token), wait for everyone, POST. Returns the status and
/// body of the POST.
fn attempt(base: &str, path: &str, termin: &str, n: usize, go: &Barrier) -> (u16, String) {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let form_url = format!("{base}{path}?termin={termin}");
    let page = agent.get(&form_url).call().expect("form page");
    let cookie = page
        .all("set-cookie")
        .into_iter()
        .find_map(|c| c.strip_prefix("szpon_csrf="))
        .and_then(|c| c.split(';').next())
        .expect("csrf cookie")
        .to_string();
    let body = page.into_string().unwrap();
    let token = body
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf field")
        .to_string();
    assert_eq!(token, cookie, "the form carries the cookie's token");
    let email = format!("obywatel{n}@example.pl");
    let name = format!("Obywatel {n}");
    go.wait();
    let r = agent
        .post(&format!("{base}{path}"))
        .set("Cookie", &format!("szpon_csrf={cookie}"))
        .set("Origin", base)
        .send_form(&[
            ("csrf_token", &token),
            ("termin", termin),
            ("name", &name),
            ("email", &email),
            ("consent", "yes"),
        ]);
    match r {
        Ok(resp) => (resp.status(), resp.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, resp)) => (code, resp.into_string().unwrap_or_default()),
        Err(e) => panic!("transport error: {e}"),
    }
}

/// `n` citizens at once, citizen `i` asking for `choices[(path, slot)][i % len]`.
fn race(base: &str, choices: &[(String, String)], n: usize) -> Vec<(u16, String)> {
    let go = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (path, termin) = choices[i % choices.len()].clone();
            let (base, go) = (base.to_string(), go.clone());
            std::thread::spawn(move || attempt(&base, &path, &termin, i, &go))
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn count(results: &[(u16, String)], status: u16) -> usize {
    results.iter().filter(|r| r.0 == status).count()
}

fn no_overlap(rows: &[Row], official: &str) {
    let live: Vec<&Row> = rows
        .iter()
        .filter(|r| r.official == official && r.status == "booked")
        .collect();
    for (i, a) in live.iter().enumerate() {
        for b in &live[i + 1..] {
            assert!(
                a.end <= b.start || b.end <= a.start,
                "overlapping bookings of one official: {a:?} {b:?}"
            );
        }
    }
}

async fn race_over_real_http(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = office(&st, "urzad-wyscig");
    let d1 = day(3);
    let (o1, o2, o3, o4) = (
        person(&st, &org, "o1@urzad.pl", Role::Official),
        person(&st, &org, "o2@urzad.pl", Role::Official),
        person(&st, &org, "o3@urzad.pl", Role::Official),
        person(&st, &org, "o4@urzad.pl", Role::Official),
    );
    // Ten 30-minute slots with o1.
    hours_on(&st, &org, &o1, d1, "08:00-13:00", None);
    let m = matter(&st, &org, "Dowód osobisty", 30, None, &[&o1], "office");
    // Different durations over the same hour with o2: 60 min at 08:00, 30 min at 08:00 and 08:30.
    hours_on(&st, &org, &o2, d1, "08:00-09:00", None);
    let long = matter(&st, &org, "Meldunek", 60, None, &[&o2], "office");
    let short = matter(&st, &org, "Zaświadczenie", 30, None, &[&o2], "office");
    // A matter capped at 3 a day (o3 has ten slots), and an official capped at 2 a day over two
    // matters (o4 has ten slots for each).
    hours_on(&st, &org, &o3, d1, "08:00-13:00", None);
    let capped = matter(&st, &org, "Paszport", 30, Some(3), &[&o3], "office");
    hours_on(&st, &org, &o4, d1, "08:00-13:00", Some(2));
    let x = matter(&st, &org, "Wniosek X", 30, None, &[&o4], "online");
    let y = matter(&st, &org, "Wniosek Y", 30, None, &[&o4], "office");
    drop(st);

    let mut server = Server::start_with(
        &db,
        &[
            ("SZPON_RATE_BOOKING_PER_IP", "100000"),
            ("SZPON_POOL_SIZE", "12"),
        ],
    );
    let base = server.base_url.clone();
    let path = |m: &str| format!("/wizyty/urzad-wyscig/{m}/dane");

    // 200 citizens, 10 slots.
    let ten: Vec<(String, String)> = (0..10)
        .map(|i| (path(&m), slot(d1, 8 + i / 2, (i % 2) * 30)))
        .collect();
    let results = race(&base, &ten, 200);
    assert_eq!(
        count(&results, 303),
        10,
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert_eq!(count(&results, 409), 190);
    for r in results.iter().filter(|r| r.0 == 409) {
        assert!(
            r.1.contains("Ktoś właśnie zajął ten termin"),
            "clear message: {}",
            r.1
        );
        assert!(r.1.contains("Wolne terminy"), "other slots offered");
    }

    // Overlapping durations: the cells collide whichever matter comes first.
    let mixed = vec![
        (path(&long), slot(d1, 8, 0)),
        (path(&short), slot(d1, 8, 0)),
        (path(&short), slot(d1, 8, 30)),
    ];
    let results = race(&base, &mixed, 60);
    let won = count(&results, 303);
    assert!((1..=2).contains(&won), "won: {won}");
    assert_eq!(count(&results, 409), 60 - won);

    // Caps under the race.
    let capped_slots: Vec<_> = (0..10)
        .map(|i| (path(&capped), slot(d1, 8 + i / 2, (i % 2) * 30)))
        .collect();
    let results = race(&base, &capped_slots, 50);
    assert_eq!(count(&results, 303), 3);
    assert_eq!(count(&results, 409), 47);
    assert!(results
        .iter()
        .any(|r| r.0 == 409 && r.1.contains("Limit wizyt na ten dzień")));
    let two: Vec<_> = (0..10)
        .map(|i| {
            let which = if i % 2 == 0 { &x } else { &y };
            (path(which), slot(d1, 8 + i / 2, (i % 2) * 30))
        })
        .collect();
    let results = race(&base, &two, 50);
    assert_eq!(count(&results, 303), 2);
    server.terminate();

    let st = state(&db, &[]);
    let rows = bookings(&st);
    let of = |o: &str| rows.iter().filter(|r| r.official == o).count();
    assert_eq!(of(&o1), 10);
    let starts: std::collections::BTreeSet<_> = rows
        .iter()
        .filter(|r| r.official == o1)
        .map(|r| r.start)
        .collect();
    assert_eq!(starts.len(), 10, "one booking per slot");
    assert_eq!(of(&o2), won);
    no_overlap(&rows, &o2);
    assert_eq!(rows.iter().filter(|r| r.matter == capped).count(), 3);
    assert_eq!(of(&o4), 2);
    for o in [&o1, &o2, &o3, &o4] {
        no_overlap(&rows, o);
    }
}

// ---------------------------------------------------------------------------------------------
// In-process tests.

/// The kinds of a person's notifications, oldest first.
fn notices(st: &AppState, user: &str) -> Vec<String> {
    use office_plugin::schema::office_notifications as n;
    let mut conn = st.db.get().unwrap();
    n::table
        .filter(n::user_id.eq(user))
        .order(n::created_at.asc())
        .select(n::kind)
        .load(&mut conn)
        .unwrap()
}

fn outbox(db: &TestDb) -> Vec<(String, String)> {
    let dir = db.data_dir().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| {
            let raw = std::fs::read(&p).unwrap();
            let msg = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let text = msg.body_text(0).unwrap_or_default().to_string();
            let calendar: String = msg
                .parts
                .iter()
                .filter(|part| {
                    use mail_parser::MimeHeaders;
                    part.content_type()
                        .is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar"))
                })
                .filter_map(|part| part.text_contents().map(str::to_string))
                .collect();
            (
                String::from_utf8_lossy(&raw).into_owned(),
                format!("{text}\n{calendar}"),
            )
        })
        .collect()
}

/// The path of the link after `label` in a text body.
fn link(text: &str, prefix: &str) -> String {
    let at = text
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {text}"));
    let rest = &text[at..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let url = &rest[..end];
    url.split_once("://")
        .map(|(_, r)| format!("/{}", r.split_once('/').unwrap().1))
        .unwrap_or_else(|| url.to_string())
}

async fn book_in<S, B>(c: &mut Client<S>, slug: &str, m: &str, termin: &str, email: &str) -> Resp
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    c.get(&format!("/wizyty/{slug}/{m}/dane?termin={termin}"))
        .await
        .assert_status(200);
    c.post(
        &format!("/wizyty/{slug}/{m}/dane"),
        &[
            ("termin", termin),
            ("name", "Jan Kowalski"),
            ("email", email),
            ("phone", "+48 600 100 200"),
            ("note", "Proszę o pomoc"),
            ("consent", "yes"),
        ],
    )
    .await
}

async fn links_are_single_purpose_and_die_with_the_booking(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_BOOKING_PER_IP", "10000")]);
    let org = office(&st, "urzad-linki");
    let o = person(&st, &org, "urzednik@linki.pl", Role::Official);
    let d = day(4);
    hours_on(&st, &org, &o, d, "09:00-12:00", None);
    let m = matter(&st, &org, "Rozmowa doradcza", 30, None, &[&o], "online");
    let mut c = Client::new(spawn_app(st.clone()).await);

    // The public pages (and their style sheet): matters, then slots.
    c.get("/static/css/booking.css")
        .await
        .assert_status(200)
        .assert_contains(".booking-slots");
    c.get("/wizyty/urzad-linki")
        .await
        .assert_status(200)
        .assert_contains("Rozmowa doradcza")
        .assert_contains("Dowód osobisty");
    c.get(&format!("/wizyty/urzad-linki/{m}"))
        .await
        .assert_status(200)
        .assert_contains(&slot(d, 9, 0));

    // Invalid details: 422 with the summary, nothing booked.
    c.post(
        &format!("/wizyty/urzad-linki/{m}/dane"),
        &[
            ("termin", &slot(d, 9, 0)),
            ("name", ""),
            ("email", "x"),
            ("consent", ""),
        ],
    )
    .await
    .assert_status(422)
    .assert_contains("error-summary");
    assert!(bookings(&st).is_empty());

    let r = book_in(&mut c, "urzad-linki", &m, &slot(d, 9, 0), "jan@example.pl").await;
    r.assert_status(303);
    let view = r.location().to_string();
    assert!(view.starts_with("/wizyty/potwierdzenie/"));
    let page = c.get(&view).await;
    page.assert_status(200)
        .assert_contains("Wizyta zarezerwowana");
    assert!(
        !page.body.contains("/wizyty/odwolanie/") && !page.body.contains("/wizyty/zmiana/"),
        "the links go only by email"
    );

    // The email: text with the links, an iMIP REQUEST with SEQUENCE 0.
    let mails = outbox(&db);
    assert_eq!(mails.len(), 1);
    let (raw, text) = &mails[0];
    assert!(raw.contains("text/calendar; method=REQUEST"), "{raw}");
    assert!(
        text.contains("METHOD:REQUEST") && text.contains("SEQUENCE:0"),
        "{text}"
    );
    let reschedule = link(text, "/wizyty/zmiana/");
    let cancel = link(text, "/wizyty/odwolanie/");
    let call = link(text, "/wizyty/rozmowa/");
    let id = reschedule.split('/').nth(3).unwrap().to_string();
    let sig = |p: &str| p.rsplit('/').next().unwrap().to_string();

    // The official was told.
    assert_eq!(notices(&st, &o), ["booking_new"]);

    // Each link does one thing: a reschedule signature cannot cancel and vice versa.
    c.get(&call)
        .await
        .assert_status(200)
        .assert_contains("Pokój rozmowy");
    c.get(&reschedule)
        .await
        .assert_status(200)
        .assert_contains("Zmiana terminu");
    c.get(&cancel).await.assert_status(200);
    let cross = format!("/wizyty/odwolanie/{id}/{}", sig(&reschedule));
    c.get(&cross).await.assert_status(404);
    c.post(&cross, &[]).await.assert_status(404);
    let cross = format!("/wizyty/zmiana/{id}/{}", sig(&cancel));
    c.post(&cross, &[("termin", &slot(d, 10, 0))])
        .await
        .assert_status(404);
    let mut tampered = sig(&cancel);
    tampered.replace_range(0..1, if tampered.starts_with('0') { "1" } else { "0" });
    c.post(&format!("/wizyty/odwolanie/{id}/{tampered}"), &[])
        .await
        .assert_status(404);
    assert!(bookings(&st).iter().all(|r| r.status == "booked"));

    // Reschedule: moved, SEQUENCE 1, an updated REQUEST.
    let r = c.post(&reschedule, &[("termin", &slot(d, 10, 0))]).await;
    r.assert_status(303);
    let rows = bookings(&st);
    assert_eq!(rows[0].start, slots::instant(d, hm(10, 0)).naive_utc());
    let mails = outbox(&db);
    assert_eq!(mails.len(), 2);
    assert!(mails[1].1.contains("SEQUENCE:1"));
    // Someone else can now take 09:00.
    let mut other = Client::new(spawn_app(st.clone()).await);
    book_in(
        &mut other,
        "urzad-linki",
        &m,
        &slot(d, 9, 0),
        "ewa@example.pl",
    )
    .await
    .assert_status(303);
    // Jan's links do nothing to Ewa's booking.
    let ewa = {
        let mut conn = st.db.get().unwrap();
        office_bookings::table
            .filter(office_bookings::citizen_email.eq("ewa@example.pl"))
            .select(office_bookings::id)
            .first::<String>(&mut conn)
            .unwrap()
    };
    c.post(&format!("/wizyty/odwolanie/{ewa}/{}", sig(&cancel)), &[])
        .await
        .assert_status(404);
    c.post(
        &format!("/wizyty/zmiana/{ewa}/{}", sig(&reschedule)),
        &[("termin", &slot(d, 11, 0))],
    )
    .await
    .assert_status(404);
    assert!(bookings(&st).iter().all(|r| r.status == "booked"));
    // 10:00 is taken: a second citizen gets a clear 409.
    book_in(
        &mut other,
        "urzad-linki",
        &m,
        &slot(d, 10, 0),
        "ola@example.pl",
    )
    .await
    .assert_status(409)
    .assert_contains("Ktoś właśnie zajął ten termin");

    // Cancel with the cancel link: CANCEL sent, links dead, the slot free again.
    c.post(&cancel, &[]).await.assert_status(303);
    let mails = outbox(&db);
    let last = &mails.last().unwrap();
    assert!(last.0.contains("text/calendar; method=CANCEL"));
    assert!(last.1.contains("METHOD:CANCEL") && last.1.contains("SEQUENCE:2"));
    for p in [&reschedule, &cancel, &call, &view] {
        c.get(p).await.assert_status(404);
    }
    c.post(&cancel, &[]).await.assert_status(404);
    book_in(
        &mut other,
        "urzad-linki",
        &m,
        &slot(d, 10, 0),
        "ola@example.pl",
    )
    .await
    .assert_status(303);
    assert_eq!(
        notices(&st, &o),
        [
            "booking_new",
            "booking_changed",
            "booking_new",
            "booking_changed",
            "booking_new"
        ]
    );
    let live = bookings(&st)
        .iter()
        .filter(|r| r.status == "booked")
        .count();
    assert_eq!(live, 2);
}

async fn officials_see_only_their_office(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_BOOKING_PER_IP", "10000")]);
    let a = office(&st, "urzad-a");
    let bo = office(&st, "urzad-b");
    let admin = person(&st, &a, "admin@a.pl", Role::Administrator);
    let mine = person(&st, &a, "moj@a.pl", Role::Official);
    let _colleague = person(&st, &a, "kolega@a.pl", Role::Official);
    let _foreign = person(&st, &bo, "obcy@b.pl", Role::Official);
    let _foreign_admin = person(&st, &bo, "admin@b.pl", Role::Administrator);
    let _ = admin;
    let d = day(5);
    hours_on(&st, &a, &mine, d, "09:00-12:00", None);
    let m = matter(&st, &a, "Odbiór dowodu", 30, None, &[&mine], "office");
    let mut citizen = Client::new(spawn_app(st.clone()).await);
    book_in(
        &mut citizen,
        "urzad-a",
        &m,
        &slot(d, 9, 0),
        "jan@example.pl",
    )
    .await
    .assert_status(303);
    let id = {
        let mut conn = st.db.get().unwrap();
        office_bookings::table
            .select(office_bookings::id)
            .first::<String>(&mut conn)
            .unwrap()
    };
    let routes_get = [
        format!("/biuro/urzad-a/wizyty/{id}"),
        format!("/biuro/urzad-b/wizyty/{id}"),
    ];
    let posts = ["przeloz", "odwolaj", "odbyta", "nieobecnosc"];

    // The handling official sees it; the list shows it.
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("moj@a.pl", PASSWORD).await;
    c.get("/biuro/urzad-a/wizyty")
        .await
        .assert_status(200)
        .assert_contains("Jan Kowalski");
    c.get(&routes_get[0])
        .await
        .assert_status(200)
        .assert_contains("Odbiór dowodu");

    // Another office's official and administrator: 403 in office A, 404 through office B.
    for who in ["obcy@b.pl", "admin@b.pl"] {
        let mut c = Client::new(spawn_app(st.clone()).await);
        c.login(who, PASSWORD).await;
        c.get(&routes_get[0]).await.assert_status(403);
        c.get(&routes_get[1]).await.assert_status(404);
        for p in posts {
            c.post(
                &format!("/biuro/urzad-a/wizyty/{id}/{p}"),
                &[("termin", &slot(d, 10, 0))],
            )
            .await
            .assert_status(403);
            c.post(
                &format!("/biuro/urzad-b/wizyty/{id}/{p}"),
                &[("termin", &slot(d, 10, 0))],
            )
            .await
            .assert_status(404);
        }
        c.get("/biuro/urzad-b/wizyty").await.assert_status(200);
        assert!(!c
            .get("/biuro/urzad-b/wizyty")
            .await
            .body
            .contains("Jan Kowalski"));
        c.get("/biuro/urzad-a/sprawy").await.assert_status(403);
        c.get("/biuro/urzad-a/statystyki").await.assert_status(403);
        c.get(&format!("/biuro/urzad-a/dostepnosc/{mine}"))
            .await
            .assert_status(403);
    }
    // A colleague who does not handle it and does not administer: 403, and not in their list.
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("kolega@a.pl", PASSWORD).await;
    c.get(&routes_get[0]).await.assert_status(403);
    assert!(!c
        .get("/biuro/urzad-a/wizyty")
        .await
        .body
        .contains("Jan Kowalski"));
    c.post(&format!("/biuro/urzad-a/wizyty/{id}/odwolaj"), &[])
        .await
        .assert_status(403);
    c.get("/biuro/urzad-a/sprawy").await.assert_status(403);
    c.get(&format!("/biuro/urzad-a/dostepnosc/{mine}"))
        .await
        .assert_status(403);
    assert!(bookings(&st).iter().all(|r| r.status == "booked"));

    // The administrator sees every visit and can act: reschedule, then cancel with a message.
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("admin@a.pl", PASSWORD).await;
    c.get("/biuro/urzad-a/wizyty")
        .await
        .assert_status(200)
        .assert_contains("Jan Kowalski");
    c.post(
        &format!("/biuro/urzad-a/wizyty/{id}/przeloz"),
        &[("termin", &slot(d, 11, 0))],
    )
    .await
    .assert_status(303);
    assert_eq!(
        bookings(&st)[0].start,
        slots::instant(d, hm(11, 0)).naive_utc()
    );
    c.post(
        &format!("/biuro/urzad-a/wizyty/{id}/odwolaj"),
        &[("message", "Urząd nieczynny z powodu awarii")],
    )
    .await
    .assert_status(303);
    assert_eq!(bookings(&st)[0].status, "cancelled");
    let mails = outbox(&db);
    let last = mails.last().unwrap();
    assert!(last.0.contains("method=CANCEL"));
    assert!(last.1.contains("Urząd nieczynny z powodu awarii"));
    // The handling official was told of the booking and of both changes made by someone else.
    assert_eq!(
        notices(&st, &mine),
        ["booking_new", "booking_changed", "booking_changed"]
    );
    // Done and no-show are refused for a cancelled visit (nothing changes).
    c.post(&format!("/biuro/urzad-a/wizyty/{id}/odbyta"), &[])
        .await
        .assert_status(303);
    assert_eq!(bookings(&st)[0].status, "cancelled");
}

async fn set_up_validates_the_five_minute_grid(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = office(&st, "urzad-ustawienia");
    let _admin = person(&st, &org, "admin@u.pl", Role::Administrator);
    let off = person(&st, &org, "urzednik@u.pl", Role::Official);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("admin@u.pl", PASSWORD).await;
    c.get("/biuro/urzad-ustawienia/sprawy")
        .await
        .assert_status(200);
    c.get("/biuro/urzad-ustawienia/sprawy/nowa")
        .await
        .assert_status(200);
    let bad = c
        .post(
            "/biuro/urzad-ustawienia/sprawy/nowa",
            &[
                ("name", "Dowód"),
                ("mode", "office"),
                ("duration_min", "32"),
                ("buffer_before_min", "3"),
                ("window_days", "30"),
                ("official", &off),
            ],
        )
        .await;
    bad.assert_status(422)
        .assert_contains("Wartość musi być wielokrotnością 5 minut.")
        .assert_contains("href=\"#duration_min\"")
        .assert_contains("href=\"#buffer_before_min\"");
    let no_handler = c
        .post(
            "/biuro/urzad-ustawienia/sprawy/nowa",
            &[
                ("name", "Dowód"),
                ("mode", "office"),
                ("duration_min", "30"),
                ("window_days", "30"),
            ],
        )
        .await;
    no_handler
        .assert_status(422)
        .assert_contains("href=\"#handlers\"");
    let ok = c
        .post(
            "/biuro/urzad-ustawienia/sprawy/nowa",
            &[
                ("name", "Dowód"),
                ("mode", "office"),
                ("duration_min", "30"),
                ("buffer_after_min", "10"),
                ("window_days", "30"),
                ("official", &off),
            ],
        )
        .await;
    ok.assert_status(303);
    c.get("/biuro/urzad-ustawienia/sprawy")
        .await
        .assert_contains("Dowód");

    // Availability: hours on the grid, ranges in order, exceptions in the documented forms.
    let path = format!("/biuro/urzad-ustawienia/dostepnosc/{off}");
    c.post(&path, &[("day0", "08:03-12:00")])
        .await
        .assert_status(422)
        .assert_contains("wielokrotnością 5 minut");
    c.post(&path, &[("day1", "12:00-08:00")])
        .await
        .assert_status(422);
    c.post(&path, &[("exceptions", "24.12.2026")])
        .await
        .assert_status(422);
    c.post(
        &path,
        &[
            ("day0", "08:00-12:00, 13:00-16:00"),
            (
                "exceptions",
                "2026-12-24 08:00-12:00\n2026-12-25 2026-12-26",
            ),
            ("cap_per_day", "6"),
        ],
    )
    .await
    .assert_status(303);
    let page = c.get(&path).await;
    page.assert_status(200)
        .assert_contains("08:00-12:00, 13:00-16:00")
        .assert_contains("2026-12-25 2026-12-26");

    // The official edits their own availability, not a colleague's.
    let mut me = Client::new(spawn_app(st.clone()).await);
    me.login("urzednik@u.pl", PASSWORD).await;
    me.post(&path, &[("day2", "09:00-10:00")])
        .await
        .assert_status(303);

    // Public switch: off hides the public pages.
    c.post(
        "/biuro/urzad-ustawienia/sprawy/publiczne",
        &[("enabled", "no")],
    )
    .await
    .assert_status(303);
    let mut anon = Client::new(spawn_app(st.clone()).await);
    anon.get("/wizyty/urzad-ustawienia")
        .await
        .assert_status(404);
    c.post(
        "/biuro/urzad-ustawienia/sprawy/publiczne",
        &[("enabled", "yes")],
    )
    .await
    .assert_status(303);
    anon.get("/wizyty/urzad-ustawienia")
        .await
        .assert_status(200)
        .assert_contains("Dowód");
}

async fn statistics_and_csv_of_a_known_set(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = office(&st, "urzad-staty");
    let _admin = person(&st, &org, "admin@s.pl", Role::Administrator);
    let o = person(&st, &org, "u@s.pl", Role::Official);
    let m1 = matter(&st, &org, "Dowód", 30, None, &[&o], "office");
    let m2 = matter(&st, &org, "Porada", 30, None, &[&o], "online");
    // Monday 2026-03-02 and the Wednesday after, and Monday 2026-03-09; lead times 24 h and 48 h.
    {
        let mut conn = st.db.get().unwrap();
        let at = |d: u32, h: u32| {
            NaiveDate::from_ymd_opt(2026, 3, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        let rows = [
            (&m1, "office", at(2, 9), at(1, 9), "done", None),
            (&m1, "office", at(4, 9), at(2, 9), "no_show", None),
            (
                &m1,
                "office",
                at(9, 9),
                at(8, 9),
                "cancelled",
                Some("citizen"),
            ),
            (&m2, "online", at(9, 10), at(7, 10), "booked", None),
            (
                &m2,
                "online",
                at(9, 11),
                at(8, 11),
                "cancelled",
                Some("official"),
            ),
        ];
        for (i, (m, mode, start, created, status, by)) in rows.into_iter().enumerate() {
            diesel::insert_into(office_bookings::table)
                .values((
                    office_bookings::id.eq(format!("b{i}")),
                    office_bookings::organisation_id.eq(&org.id),
                    office_bookings::matter_id.eq(m),
                    office_bookings::official_id.eq(&o),
                    office_bookings::starts_at.eq(start),
                    office_bookings::ends_at.eq(start + chrono::Duration::minutes(30)),
                    office_bookings::buffer_before_min.eq(0),
                    office_bookings::buffer_after_min.eq(0),
                    office_bookings::local_day.eq(start.date().to_string()),
                    office_bookings::mode.eq(mode),
                    office_bookings::citizen_name.eq("X"),
                    office_bookings::citizen_email.eq("x@example.pl"),
                    office_bookings::status.eq(status),
                    office_bookings::cancelled_by.eq(by),
                    office_bookings::created_at.eq(created),
                    office_bookings::updated_at.eq(created),
                ))
                .execute(&mut conn)
                .unwrap();
        }
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("admin@s.pl", PASSWORD).await;
    let page = c
        .get("/biuro/urzad-staty/statystyki?od=2026-03-01&do=2026-03-31")
        .await;
    page.assert_status(200)
        .assert_contains("role=\"img\"")
        .assert_contains("<caption>Wizyty według spraw</caption>")
        .assert_contains("<caption>Wizyty według tygodni</caption>");
    // Lead times 24, 48, 24, 48, 24 hours: median 24, average 33.6. Held 3, online 1 → 33%.
    page.assert_contains("24 godz.")
        .assert_contains("33,6 godz.")
        .assert_contains("33%");
    let csv = c
        .get("/biuro/urzad-staty/statystyki.csv?od=2026-03-01&do=2026-03-31")
        .await;
    csv.assert_status(200);
    assert_eq!(
        csv.headers.get("content-type").unwrap().to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines,
        [
            "section,label,total,booked,done,no_show,cancelled_by_citizen,cancelled_by_office,online,in_office",
            "matter,\"Dowód\",3,0,1,1,1,0,0,2",
            "matter,\"Porada\",2,1,0,0,0,1,1,0",
            "week,\"2026-03-02\",2,0,1,1,0,0,0,2",
            "week,\"2026-03-09\",3,1,0,0,1,1,1,0",
            "total,\"2026-03-01..2026-03-31\",5,1,1,1,1,1,1,2",
        ]
    );
    // A range that leaves the first week out.
    let csv = c
        .get("/biuro/urzad-staty/statystyki.csv?od=2026-03-05&do=2026-03-31")
        .await;
    assert!(csv.body.contains("total,\"2026-03-05..2026-03-31\",3,"));
}

async fn events_block_cells_collide_and_outcomes_keep_the_time(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_BOOKING_PER_IP", "10000")]);
    let org = office(&st, "urzad-kolizje");
    let o = person(&st, &org, "u@k.pl", Role::Official);
    let other = person(&st, &org, "inny@k.pl", Role::Official);
    let d = day(6);
    hours_on(&st, &org, &o, d, "08:00-12:00", None);
    let long = matter(&st, &org, "Długa", 60, None, &[&o], "office");
    let short = matter(&st, &org, "Krótka", 30, None, &[&o], "office");
    let t = |h, m| slots::instant(d, hm(h, m)).naive_utc();
    // The official's confirmed event 10:00-11:00 (as organiser) and one they attend 11:00-11:30.
    {
        use office_plugin::schema::{office_event_attendees as a, office_events as e};
        let mut conn = st.db.get().unwrap();
        for (id, who, from, to) in [
            ("e1", &o, t(10, 0), t(11, 0)),
            ("e2", &other, t(11, 0), t(11, 30)),
        ] {
            diesel::insert_into(e::table)
                .values((
                    e::id.eq(id),
                    e::organisation_id.eq(&org.id),
                    e::organiser_id.eq(who),
                    e::title.eq("Narada"),
                    e::starts_at.eq(from),
                    e::ends_at.eq(to),
                    e::uid.eq(format!("{id}@test")),
                    e::created_at.eq(from),
                    e::updated_at.eq(from),
                ))
                .execute(&mut conn)
                .unwrap();
        }
        diesel::insert_into(a::table)
            .values((
                a::event_id.eq("e2"),
                a::email.eq("u@k.pl"),
                a::user_id.eq(Some(&o)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    let page = c.get(&format!("/wizyty/urzad-kolizje/{short}")).await;
    page.assert_status(200);
    for free in [slot(d, 8, 0), slot(d, 9, 30), slot(d, 11, 30)] {
        assert!(page.body.contains(&free), "{free} offered");
    }
    for busy in [slot(d, 10, 0), slot(d, 10, 30), slot(d, 11, 0)] {
        assert!(!page.body.contains(&busy), "{busy} not offered");
    }
    book_in(
        &mut c,
        "urzad-kolizje",
        &short,
        &slot(d, 10, 30),
        "a@example.pl",
    )
    .await
    .assert_status(409);

    // A 60-minute booking at 08:00 holds 08:00-09:00: the 30-minute matter cannot take 08:30.
    book_in(
        &mut c,
        "urzad-kolizje",
        &long,
        &slot(d, 8, 0),
        "a@example.pl",
    )
    .await
    .assert_status(303);
    book_in(
        &mut c,
        "urzad-kolizje",
        &short,
        &slot(d, 8, 30),
        "b@example.pl",
    )
    .await
    .assert_status(409)
    .assert_contains("Ktoś właśnie zajął ten termin");
    let id = {
        let mut conn = st.db.get().unwrap();
        office_bookings::table
            .select(office_bookings::id)
            .first::<String>(&mut conn)
            .unwrap()
    };
    // The database itself refuses an overlapping cell, whatever the application checked.
    {
        use office_plugin::schema::office_booking_cells as cells;
        let mut conn = st.db.get().unwrap();
        let held: i64 = cells::table
            .filter(cells::official_id.eq(&o))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(held, 12, "60 minutes are twelve cells");
        let clash = diesel::insert_into(cells::table)
            .values((
                cells::official_id.eq(&o),
                cells::cell_start.eq(t(8, 30)),
                cells::booking_id.eq(&id),
            ))
            .execute(&mut conn);
        assert!(
            matches!(
                clash,
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _
                ))
            ),
            "{clash:?}"
        );
    }

    // Done and no-show keep the time held; only a cancellation frees it.
    let mut official = Client::new(spawn_app(st.clone()).await);
    official.login("u@k.pl", PASSWORD).await;
    let r = official
        .post(&format!("/biuro/urzad-kolizje/wizyty/{id}/odbyta"), &[])
        .await;
    r.assert_status(303);
    assert_eq!(bookings(&st)[0].status, "done");
    book_in(
        &mut c,
        "urzad-kolizje",
        &short,
        &slot(d, 8, 0),
        "b@example.pl",
    )
    .await
    .assert_status(409);
    official
        .post(
            &format!("/biuro/urzad-kolizje/wizyty/{id}/nieobecnosc"),
            &[],
        )
        .await
        .assert_status(303);
    assert_eq!(bookings(&st)[0].status, "no_show");
    book_in(
        &mut c,
        "urzad-kolizje",
        &short,
        &slot(d, 8, 0),
        "b@example.pl",
    )
    .await
    .assert_status(409);
    official
        .get(&format!("/biuro/urzad-kolizje/wizyty/{id}"))
        .await
        .assert_status(200)
        .assert_contains("nieobecność");
}

async fn public_posts_are_rate_limited_per_ip(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_BOOKING_PER_IP", "2")]);
    let org = office(&st, "urzad-limit");
    let o = person(&st, &org, "u@l.pl", Role::Official);
    let d = day(3);
    hours_on(&st, &org, &o, d, "08:00-12:00", None);
    let m = matter(&st, &org, "Sprawa", 30, None, &[&o], "office");
    let mut c = Client::new(spawn_app(st.clone()).await);
    book_in(&mut c, "urzad-limit", &m, &slot(d, 8, 0), "a@example.pl")
        .await
        .assert_status(303);
    book_in(&mut c, "urzad-limit", &m, &slot(d, 8, 30), "b@example.pl")
        .await
        .assert_status(303);
    book_in(&mut c, "urzad-limit", &m, &slot(d, 9, 0), "c@example.pl")
        .await
        .assert_status(429);
    assert_eq!(bookings(&st).len(), 2);
}

async fn a_department_handles_through_its_officials(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_BOOKING_PER_IP", "10000")]);
    let org = office(&st, "urzad-wydzial");
    let (p1, p2, outside) = (
        person(&st, &org, "p1@w.pl", Role::Official),
        person(&st, &org, "p2@w.pl", Role::Official),
        person(&st, &org, "p3@w.pl", Role::Official),
    );
    let d = day(3);
    for p in [&p1, &p2, &outside] {
        hours_on(&st, &org, p, d, "08:00-09:00", None);
    }
    let m = {
        let mut conn = st.db.get().unwrap();
        let dep =
            organisation::create_department(&mut conn, &org.id, "Wydział Spraw Obywatelskich")
                .unwrap();
        for p in [&p1, &p2] {
            assert!(organisation::set_department(&mut conn, &org.id, p, Some(&dep.id)).unwrap());
        }
        store::save_matter(
            &mut conn,
            &org.id,
            None,
            &MatterInput {
                name: "Meldunek".into(),
                mode: "office".into(),
                duration_min: 30,
                window_days: 30,
                departments: vec![dep.id.clone()],
                ..Default::default()
            },
        )
        .unwrap()
    };
    // Two officials in the department: each slot can be booked twice, then it is taken.
    let mut c = Client::new(spawn_app(st.clone()).await);
    for (t, email) in [((8, 0), "a"), ((8, 0), "b"), ((8, 30), "c"), ((8, 30), "d")] {
        book_in(
            &mut c,
            "urzad-wydzial",
            &m,
            &slot(d, t.0, t.1),
            &format!("{email}@example.pl"),
        )
        .await
        .assert_status(303);
    }
    book_in(&mut c, "urzad-wydzial", &m, &slot(d, 8, 0), "e@example.pl")
        .await
        .assert_status(409);
    let rows = bookings(&st);
    assert_eq!(rows.iter().filter(|r| r.official == p1).count(), 2);
    assert_eq!(rows.iter().filter(|r| r.official == p2).count(), 2);
    assert!(
        rows.iter().all(|r| r.official != outside),
        "only the department's officials"
    );
}

/// A citizen who booked in English gets the office's later emails (a move, a cancellation with a
/// message) in English, whatever language the official works in.
async fn office_emails_follow_the_citizens_language(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_BOOKING_PER_IP", "10000")]);
    let org = office(&st, "urzad-jezyk");
    let o = person(&st, &org, "urzednik@jezyk.pl", Role::Official);
    let d = day(4);
    hours_on(&st, &org, &o, d, "09:00-12:00", None);
    let m = matter(&st, &org, "Odbiór prawa jazdy", 30, None, &[&o], "office");

    let mut citizen = Client::new(spawn_app(st.clone()).await);
    citizen
        .post("/jezyk", &[("lang", "en"), ("next", "/")])
        .await
        .assert_status(303);
    book_in(
        &mut citizen,
        "urzad-jezyk",
        &m,
        &slot(d, 9, 0),
        "john@example.com",
    )
    .await
    .assert_status(303);
    let id = {
        let mut conn = st.db.get().unwrap();
        office_bookings::table
            .select(office_bookings::id)
            .first::<String>(&mut conn)
            .unwrap()
    };

    let mut official = Client::new(spawn_app(st.clone()).await);
    official.login("urzednik@jezyk.pl", PASSWORD).await;
    let page = format!("/biuro/urzad-jezyk/wizyty/{id}");
    official
        .get(&page)
        .await
        .assert_status(200)
        .assert_contains("/przeloz");
    official
        .post(&format!("{page}/przeloz"), &[("termin", &slot(d, 10, 0))])
        .await
        .assert_status(303);
    official
        .post(
            &format!("{page}/odwolaj"),
            &[("message", "Urząd jest dziś zamknięty.")],
        )
        .await
        .assert_status(303);

    let mails = outbox(&db);
    assert_eq!(mails.len(), 3, "booked, moved, cancelled");
    for (_, text) in &mails[..2] {
        assert!(text.contains("Hello, we confirm your visit"), "{text}");
    }
    let cancelled = &mails[2].1;
    assert!(
        cancelled.contains("has been cancelled")
            && cancelled.contains("Message from the office:")
            && cancelled.contains("Urząd jest dziś zamknięty."),
        "{cancelled}"
    );
    assert!(!cancelled.contains("Dzień dobry"), "{cancelled}");
}
