//! Cost of e-visit booking: `cargo run --release -p lms --example booking_bench [OFFICIALS]
//! [DATABASE_URL]` (default: 10 officials, SQLite in a temporary folder).
//!
//! An office with OFFICIALS officials, each available 08:00–16:00 every day, handles one 15-minute
//! matter (a 5-minute buffer after) with a 14-day window. Measured: the free slots of a week
//! across every official (what the citizen's slot page computes), one booking after another
//! (the write transaction with its cells and seats), and 8 threads racing for the same slots, the
//! case the database's keys decide: each slot must be taken once, whoever wins.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::{Days, Utc};
use office_plugin::booking::store::{self, Availability, BookError, Citizen, MatterInput};
use platform::access::Role;
use platform::db::Db;
use platform::models::{organisation, user};
use platform::web::migration_sets;

fn main() {
    let officials: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = std::env::args()
        .nth(2)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = Db::connect(&url, Some(10)).expect("database");
    db.migrate(&migration_sets(&lms::plugins()))
        .expect("migrations");
    let mut conn = db.get().expect("connection");
    let slug = format!("bench-{}", std::process::id());
    let org =
        organisation::create(&mut conn, &slug, "Urząd Pomiarowy", "municipality").expect("office");
    let mut ids = Vec::new();
    for i in 0..officials {
        let u = user::create(
            &mut conn,
            user::NewUser {
                email: &format!("urzednik{i}@{slug}.pl"),
                full_name: &format!("Urzędnik {i}"),
                password_hash: "x",
                is_platform_admin: false,
                language: None,
                terms_accepted: true,
            },
        )
        .expect("official");
        organisation::grant_role(&mut conn, &org.id, &u.id, Role::Official).expect("role");
        let mut a = Availability::default();
        for day in a.weekly.iter_mut() {
            *day = store::parse_ranges("08:00-16:00").expect("hours");
        }
        store::save_availability(&mut conn, &org.id, &u.id, &a).expect("availability");
        ids.push(u.id);
    }
    let matter_id = store::save_matter(
        &mut conn,
        &org.id,
        None,
        &MatterInput {
            name: "Wydanie dowodu osobistego".into(),
            mode: "office".into(),
            duration_min: 15,
            buffer_after_min: 5,
            window_days: 14,
            officials: ids,
            ..Default::default()
        },
    )
    .expect("matter");
    let m = store::matter(&mut conn, &org.id, &matter_id)
        .expect("read")
        .expect("matter");
    let today = Utc::now().date_naive();
    let week = |conn: &mut platform::db::DbConn| {
        store::free_slots(
            conn,
            &m,
            Utc::now(),
            today + Days::new(1),
            today + Days::new(8),
            None,
        )
        .expect("slots")
    };

    let runs = 20;
    let started = Instant::now();
    let mut offered = 0;
    for _ in 0..runs {
        offered = week(&mut conn).len();
    }
    let slots_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);

    let citizen = Citizen {
        name: "Jan Kowalski".into(),
        email: "jan@example.pl".into(),
        phone: None,
        note: String::new(),
        lang: platform::i18n::Lang::Pl,
    };
    let free = week(&mut conn);
    let n = 200.min(free.len());
    let started = Instant::now();
    for (slot, _) in free.iter().take(n) {
        store::book(&mut conn, &m, slot.start, &citizen, |_, _| Ok(())).expect("booked");
    }
    let book_s = started.elapsed().as_secs_f64();
    let slots_after_ms = {
        let started = Instant::now();
        for _ in 0..runs {
            week(&mut conn);
        }
        started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
    };

    // The race: 8 threads, each trying the same next 100 slot times in the same order.
    let race: Vec<_> = week(&mut conn)
        .into_iter()
        .map(|(s, _)| s.start)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .take(100)
        .collect();
    let (won, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..8 {
            let (db, m, race, citizen) = (&db, &m, &race, &citizen);
            let (won, refused) = (won.clone(), refused.clone());
            s.spawn(move || {
                let mut conn = db.get().expect("connection");
                for t in race {
                    // Try each time until nobody is left for it.
                    loop {
                        match store::book(&mut conn, m, *t, citizen, |_, _| Ok(())) {
                            Ok(_) => {
                                won.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(BookError::Refused(_)) => {
                                refused.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            Err(BookError::Db(e)) => panic!("database error: {e}"),
                        }
                    }
                }
            });
        }
    });
    let race_s = started.elapsed().as_secs_f64();
    let (won, refused) = (won.load(Ordering::Relaxed), refused.load(Ordering::Relaxed));
    // Whoever won, no official holds two appointments whose buffered times overlap.
    let rows: Vec<(String, chrono::NaiveDateTime, chrono::NaiveDateTime)> = {
        use diesel::prelude::*;
        use office_plugin::schema::office_bookings as b;
        b::table
            .filter(b::status.eq("booked"))
            .order((b::official_id, b::starts_at))
            .select((b::official_id, b::starts_at, b::ends_at))
            .load(&mut conn)
            .expect("bookings")
    };
    let gap = chrono::Duration::minutes(5);
    for w in rows.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(w[0].2 + gap <= w[1].1, "overlap: {w:?}");
        }
    }

    println!("database: {}", platform::db::redact(&url));
    println!("officials: {officials}, slots offered in a week: {offered}");
    println!("free slots of a week, empty calendars: {slots_ms:.2} ms");
    println!(
        "bookings one after another: {n} in {book_s:.2} s = {:.2} ms each ({:.0}/s)",
        book_s * 1000.0 / n as f64,
        n as f64 / book_s
    );
    println!("free slots of a week after {n} bookings: {slots_after_ms:.2} ms");
    println!(
        "race, 8 threads for the same {} slot times: {won} booked, {refused} refused, {:.2} s = {:.0} attempts/s; {} live bookings, none overlapping",
        race.len(),
        race_s,
        (won + refused) as f64 / race_s,
        rows.len()
    );
}
