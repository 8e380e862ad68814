//! The Studio outline editor (issue 6, item 2) on both databases: adding, renaming, moving (by
//! button, across parents, explicitly and as JSON for drag and drop), deleting after a
//! confirmation, subsection and section settings as Open edX attributes, refused input (422 with
//! nothing stored), CSRF, offices kept apart, and learners seeing the published course only.

use platform::access::Role;
use platform::models::organisation;
use studio::drafts::{self, Scope};
use studio::store::{self, Visibility};
use xblock_compat::olx::edit::find_in_tree;
use xblock_compat::olx::Course;

use crate::helpers::*;
use crate::learning::{install, learning_course, KEY};

const PASSWORD: &str = "hasło testowe 1";

struct Setup {
    course: String,
}

fn setup(st: &platform::web::AppState) -> Setup {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    drop(conn);
    for (email, org) in [("autor-a@a.pl", &a.id), ("autor-b@b.pl", &b.id)] {
        let id = make_user(st, email, &format!("Osoba {email}"), PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, Role::Author).unwrap();
    }
    install(st, &learning_course(), Some(&a.id), Visibility::Public);
    let mut conn = st.db.get().unwrap();
    Setup {
        course: store::find_by_key(&mut conn, KEY).unwrap().unwrap().id,
    }
}

macro_rules! login {
    ($st:expr, $email:expr) => {{
        let mut c = Client::new(spawn_app($st.clone()).await);
        c.login($email, PASSWORD).await.assert_status(303);
        c
    }};
}

/// The draft, if the course has one.
fn draft(st: &platform::web::AppState, cid: &str) -> Option<Course> {
    let mut conn = st.db.get().unwrap();
    drafts::draft_version_id(&mut conn, cid)
        .unwrap()
        .map(|v| store::load_version(&mut conn, &v).unwrap())
}

fn published(st: &platform::web::AppState, cid: &str) -> serde_json::Value {
    let mut conn = st.db.get().unwrap();
    store::load_current_by_id(&mut conn, cid)
        .unwrap()
        .unwrap()
        .1
        .round_trip_view()
}

/// `(type, id)` of the children of a block of the draft, in order.
fn children(c: &Course, block_type: &str, id: &str) -> Vec<String> {
    let i = if block_type == "course" {
        c.root
    } else {
        find_in_tree(c, block_type, id).unwrap_or_else(|| panic!("{block_type}/{id}"))
    };
    c.blocks[i]
        .children
        .iter()
        .map(|&k| c.blocks[k].id.clone())
        .collect()
}

fn attr(c: &Course, block_type: &str, id: &str, name: &str) -> Option<String> {
    let i = find_in_tree(c, block_type, id).unwrap();
    c.blocks[i].attr(name).map(str::to_string)
}

/// The new block's id from an add's redirect (`…&blok=ID#…`).
fn new_id(r: &Resp) -> String {
    let loc = r.location();
    let after = loc.split("&blok=").nth(1).expect("blok in the redirect");
    after.split(['#', '&']).next().unwrap().to_string()
}

fn lacks(r: &Resp, text: &str) {
    assert!(!r.body.contains(text), "unexpected {text:?} in {}", r.body);
}

async fn outline_editing(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let s = setup(&st);
    let cid = s.course.clone();
    let outline = format!("/studio/kursy/{cid}/struktura");
    let before = published(&st, &cid);
    let mut a = login!(st, "autor-a@a.pl");

    // The course page links the outline; the outline shows the tree and makes no draft.
    a.get(&format!("/studio/kursy/{cid}"))
        .await
        .assert_contains(&format!("href=\"{outline}\""));
    let r = a.get(&outline).await;
    r.assert_status(200)
        .assert_contains("<h2 class=\"so-title\" id=\"blok-chapter-ch1\"")
        .assert_contains("Rozdzial 1")
        .assert_contains("Wstep")
        .assert_contains(&format!("href=\"/studio/kursy/{cid}/jednostka/u1\""))
        .assert_contains(&format!("href=\"/studio/kursy/{cid}/zmiany\""))
        .assert_contains("Oceniany: Homework")
        .assert_contains("Brak nieopublikowanych zmian")
        .assert_contains("/static/js/studio-outline.js")
        .assert_contains("Przesuń w górę<span class=\"visually-hidden\"> „Lekcja 1”</span>");
    assert!(draft(&st, &cid).is_none(), "viewing made a draft");

    // Add a section, a subsection in it and two units.
    let add = format!("{outline}/dodaj");
    let r = a
        .post(
            &add,
            &[
                ("parent_type", "course"),
                ("parent_id", "course"),
                ("display_name", "  Rozdział 2 "),
            ],
        )
        .await;
    r.assert_status(303);
    let ch2 = new_id(&r);
    assert_eq!(ch2.len(), 32, "{ch2}");
    assert_eq!(
        r.location(),
        format!("{outline}?zrobiono=dodano&typ=chapter&blok={ch2}#blok-chapter-{ch2}")
    );
    a.get(r.location())
        .await
        .assert_status(200)
        .assert_contains("role=\"status\"><p>Dodano rozdział „Rozdział 2”.</p>")
        .assert_contains("Nowy, nieopublikowany")
        .assert_contains("Wersja robocza ma 1 nieopublikowaną zmianę.");
    let r = a
        .post(
            &add,
            &[
                ("parent_type", "chapter"),
                ("parent_id", &ch2),
                ("display_name", "Podrozdział 2.1"),
            ],
        )
        .await;
    r.assert_status(303);
    let sq = new_id(&r);
    let mut units = vec![];
    for name in ["Jednostka A", "Jednostka B"] {
        let r = a
            .post(
                &add,
                &[
                    ("parent_type", "sequential"),
                    ("parent_id", &sq),
                    ("display_name", name),
                ],
            )
            .await;
        r.assert_status(303);
        units.push(new_id(&r));
    }
    let (ua, ub) = (units[0].clone(), units[1].clone());
    let d = draft(&st, &cid).unwrap();
    assert_eq!(
        children(&d, "course", ""),
        vec!["ch1".to_string(), ch2.clone()]
    );
    assert_eq!(
        children(&d, "sequential", &sq),
        vec![ua.clone(), ub.clone()]
    );
    assert_eq!(
        attr(&d, "chapter", &ch2, "display_name").as_deref(),
        Some("Rozdział 2")
    );

    // Rename.
    let r = a
        .post(
            &format!("{outline}/vertical/{ua}/nazwa"),
            &[("display_name", "Jednostka A1")],
        )
        .await;
    r.assert_status(303);
    assert!(r.location().ends_with(&format!("#blok-vertical-{ua}")));
    a.get(r.location())
        .await
        .assert_contains("Zmieniono nazwę na „Jednostka A1”.");
    let d = draft(&st, &cid).unwrap();
    assert_eq!(
        attr(&d, "vertical", &ua, "display_name").as_deref(),
        Some("Jednostka A1")
    );

    // Move B up: focus goes back to the same button, the message names the new place.
    let r = a
        .post(
            &format!("{outline}/vertical/{ub}/przesun"),
            &[("kierunek", "gora")],
        )
        .await;
    r.assert_status(303);
    assert!(
        r.location().ends_with(&format!("#gora-vertical-{ub}")),
        "{}",
        r.location()
    );
    a.get(r.location())
        .await
        .assert_contains("„Jednostka B” jest teraz 1. z 2 w „Podrozdział 2.1”.");
    assert_eq!(
        children(&draft(&st, &cid).unwrap(), "sequential", &sq),
        vec![ub.clone(), ua.clone()]
    );

    // Down at the end of a subsection: into the start of the next one (u1 from s1 into s2).
    let r = a
        .post(
            &format!("{outline}/vertical/u1/przesun"),
            &[("kierunek", "dol")],
        )
        .await;
    r.assert_status(303);
    a.get(r.location())
        .await
        .assert_contains("„Lekcja 1” jest teraz 1. z 2 w „Praca domowa”.");
    let d = draft(&st, &cid).unwrap();
    assert!(children(&d, "sequential", "s1").is_empty());
    assert_eq!(children(&d, "sequential", "s2"), vec!["u1", "u2"]);

    // Up at the very top: nothing moves, and the message says so.
    let r = a
        .post(
            &format!("{outline}/chapter/ch1/przesun"),
            &[("kierunek", "gora")],
        )
        .await;
    r.assert_status(303);
    assert!(
        r.location().contains("zrobiono=bez-zmian"),
        "{}",
        r.location()
    );
    a.get(r.location())
        .await
        .assert_contains("„Rozdzial 1” jest już na samej górze");

    // The explicit move drag and drop sends, as JSON: unit A1 to the first place of s1.
    let r = a
        .post_json(
            &format!("{outline}/vertical/{ua}/przesun"),
            &[
                ("rodzic_typ", "sequential"),
                ("rodzic_id", "s1"),
                ("pozycja", "0"),
            ],
        )
        .await;
    r.assert_status(200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["moved"], true);
    assert_eq!(v["focus"], format!("blok-vertical-{ua}"));
    assert_eq!(v["message"], "„Jednostka A1” jest teraz 1. z 1 w „Wstep”.");
    // The keyboard move as JSON keeps the button's id for focus.
    let r = a
        .post_json(
            &format!("{outline}/vertical/u2/przesun"),
            &[("kierunek", "gora")],
        )
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["focus"], "gora-vertical-u2");
    assert_eq!(
        v["message"],
        "„Zadania” jest teraz 1. z 2 w „Praca domowa”."
    );
    // "Move to…" without a position: to the end; a subsection to another section.
    a.post(
        &format!("{outline}/sequential/s1/przesun"),
        &[("rodzic_typ", "chapter"), ("rodzic_id", &ch2)],
    )
    .await
    .assert_status(303);
    let d = draft(&st, &cid).unwrap();
    assert_eq!(children(&d, "chapter", "ch1"), vec!["s2"]);
    assert_eq!(
        children(&d, "chapter", &ch2),
        vec![sq.clone(), "s1".to_string()]
    );
    assert_eq!(children(&d, "sequential", "s2"), vec!["u2", "u1"]);
    // Positions count the parent's children of the block's type: 1 is between the two.
    a.post_json(
        &format!("{outline}/sequential/s2/przesun"),
        &[
            ("rodzic_typ", "chapter"),
            ("rodzic_id", &ch2),
            ("pozycja", "1"),
        ],
    )
    .await
    .assert_status(200);
    let d = draft(&st, &cid).unwrap();
    assert_eq!(
        children(&d, "chapter", &ch2),
        vec![sq.clone(), "s2".to_string(), "s1".to_string()]
    );
    assert!(children(&d, "chapter", "ch1").is_empty());

    // Delete with confirmation: the page counts what goes and says learners keep it for now.
    let confirm = format!("{outline}/chapter/{ch2}/usun");
    let r = a.get(&confirm).await;
    r.assert_status(200)
        .assert_contains("Usunąć rozdział?")
        .assert_contains("3 podrozdziały")
        .assert_contains("4 jednostki")
        .assert_contains("7 elementów treści")
        .assert_contains("Ten element nie był jeszcze opublikowany");
    let r = a.get(&format!("{outline}/sequential/s2/usun")).await;
    r.assert_status(200)
        .assert_contains("uczestnicy nadal widzą opublikowaną treść")
        .assert_contains("2 jednostki");
    let r = a.post(&format!("{outline}/vertical/u2/usun"), &[]).await;
    r.assert_status(303);
    assert!(
        r.location().ends_with("#blok-sequential-s2"),
        "{}",
        r.location()
    );
    a.get(r.location())
        .await
        .assert_contains("Usunięto jednostkę z wersji roboczej.");
    let d = draft(&st, &cid).unwrap();
    assert!(find_in_tree(&d, "vertical", "u2").is_none());
    assert!(find_in_tree(&d, "problem", "p1").is_none());
    let r = a.post(&confirm, &[]).await;
    r.assert_status(303);
    assert!(r.location().ends_with("#struktura"));
    let d = draft(&st, &cid).unwrap();
    assert_eq!(children(&d, "course", ""), vec!["ch1"]);
    assert!(find_in_tree(&d, "sequential", "s1").is_none());
    a.get(&confirm).await.assert_status(404);

    // Learners see none of it until the draft is published.
    assert_eq!(published(&st, &cid), before);
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner
        .post(&format!("/kursy/{KEY}/bez-konta"), &[])
        .await
        .assert_status(303);
    learner
        .get(&format!("/kursy/{KEY}/nauka"))
        .await
        .assert_status(200)
        .assert_contains("Wstep")
        .assert_contains("Lekcja 1");
    learner
        .get(&format!("/kursy/{KEY}/nauka/u2"))
        .await
        .assert_status(200);
    {
        let mut conn = st.db.get().unwrap();
        drafts::publish(&mut conn, &cid, &Scope::All, None).unwrap();
    }
    assert_ne!(published(&st, &cid), before);
    let mut conn = st.db.get().unwrap();
    let (_, now) = store::load_current_by_id(&mut conn, &cid).unwrap().unwrap();
    assert!(now.find("vertical", "u2").is_none());
    assert_eq!(children(&now, "course", ""), vec!["ch1"]);
}

async fn subsection_and_section_settings(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let s = setup(&st);
    let cid = s.course.clone();
    let outline = format!("/studio/kursy/{cid}/struktura");
    let settings = format!("{outline}/sequential/s1/ustawienia");
    let before = published(&st, &cid);
    let mut a = login!(st, "autor-a@a.pl");

    let r = a.get(&settings).await;
    r.assert_status(200)
        .assert_contains("Ustawienia podrozdziału: Wstep")
        .assert_contains("<option value=\"Homework\">Homework</option>")
        .assert_contains("<option value=\"\" selected>Nieoceniany</option>")
        .assert_contains("type=\"datetime-local\"");
    a.get(&format!("{outline}/vertical/u1/ustawienia"))
        .await
        .assert_status(404);
    a.get(&format!("{outline}/sequential/nie-ma/ustawienia"))
        .await
        .assert_status(404);

    // Refused: an unknown assignment type, a date that is not one, "graded" without a type, an
    // empty name, a bad time limit. 422 with the summary; nothing stored.
    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[
                ("display_name", "Wstep"),
                ("graded", "yes"),
                ("format", "Quiz"),
            ],
            "href=\"#format\"",
        ),
        (
            &[("display_name", "Wstep"), ("due", "jutro wieczorem")],
            "Wpisz datę i godzinę",
        ),
        (
            &[("display_name", "Wstep"), ("graded", "yes"), ("format", "")],
            "Wybierz rodzaj zadania, według którego",
        ),
        (&[("display_name", "  ")], "href=\"#display_name\""),
        (
            &[("display_name", "Wstep"), ("time_limit", "pół godziny")],
            "href=\"#time_limit\"",
        ),
    ];
    for (fields, expect) in cases {
        let r = a.post(&settings, fields).await;
        r.assert_status(422)
            .assert_contains("class=\"error-summary\"")
            .assert_contains(expect);
    }
    let r = a
        .post(
            &settings,
            &[
                ("display_name", "Wstep"),
                ("graded", "yes"),
                ("format", "Quiz"),
            ],
        )
        .await;
    r.assert_contains("<option value=\"Quiz\" selected>Quiz</option>")
        .assert_contains("aria-invalid=\"true\"");
    assert!(draft(&st, &cid).is_none(), "a refused form made a draft");

    // Saved: the Open edX attributes, dates in UTC.
    let r = a
        .post(
            &settings,
            &[
                ("display_name", "Wstęp do kursu"),
                ("graded", "yes"),
                ("format", "Homework"),
                ("due", "2026-12-12T23:59"),
                ("time_limit", "45"),
                ("start", "2026-10-01T08:00"),
            ],
        )
        .await;
    r.assert_status(303);
    assert_eq!(
        r.location(),
        format!("{outline}?zrobiono=ustawienia&typ=sequential&blok=s1#blok-sequential-s1")
    );
    let d = draft(&st, &cid).unwrap();
    let get = |n: &str| attr(&d, "sequential", "s1", n);
    assert_eq!(get("display_name").as_deref(), Some("Wstęp do kursu"));
    assert_eq!(get("graded").as_deref(), Some("true"));
    assert_eq!(get("format").as_deref(), Some("Homework"));
    assert_eq!(get("due").as_deref(), Some("2026-12-12T22:59:00Z"));
    assert_eq!(get("is_time_limited").as_deref(), Some("true"));
    assert_eq!(get("default_time_limit_minutes").as_deref(), Some("45"));
    assert_eq!(get("start").as_deref(), Some("2026-10-01T06:00:00Z"));
    let i = find_in_tree(&d, "sequential", "s1").unwrap();
    assert!(d.blocks[i]
        .xml
        .contains("default_time_limit_minutes=\"45\""));
    a.get(r.location())
        .await
        .assert_contains("Zapisano ustawienia „Wstęp do kursu”.")
        .assert_contains("Oceniany: Homework")
        .assert_contains("termin 12.12.2026 23:59")
        .assert_contains("limit czasu 45 min")
        .assert_contains("udostępniany od 01.10.2026 08:00")
        .assert_contains("Zmieniony, nieopublikowany");
    // The form shows the stored values in Polish time.
    a.get(&settings)
        .await
        .assert_contains("value=\"2026-12-12T23:59\"")
        .assert_contains("<option value=\"Homework\" selected>")
        .assert_contains("id=\"graded\" name=\"graded\" value=\"yes\" checked");

    // Cleared again: the attributes go.
    a.post(
        &settings,
        &[("display_name", "Wstęp do kursu"), ("format", "")],
    )
    .await
    .assert_status(303);
    let d = draft(&st, &cid).unwrap();
    for n in [
        "graded",
        "format",
        "due",
        "is_time_limited",
        "default_time_limit_minutes",
        "start",
    ] {
        assert_eq!(attr(&d, "sequential", "s1", n), None, "{n}");
    }
    // The imported graded subsection keeps its type when saved unchanged.
    a.post(
        &format!("{outline}/sequential/s2/ustawienia"),
        &[
            ("display_name", "Praca domowa"),
            ("graded", "yes"),
            ("format", "Homework"),
        ],
    )
    .await
    .assert_status(303);

    // A section: its name and release date.
    let chapter = format!("{outline}/chapter/ch1/ustawienia");
    a.get(&chapter)
        .await
        .assert_status(200)
        .assert_contains("Ustawienia rozdziału");
    a.post(
        &chapter,
        &[
            ("display_name", "Rozdział pierwszy"),
            ("start", "2027-03-28T02:30"),
        ],
    )
    .await
    .assert_status(422)
    .assert_contains("zmiany czasu");
    a.post(
        &chapter,
        &[
            ("display_name", "Rozdział pierwszy"),
            ("start", "2027-01-15T09:00"),
        ],
    )
    .await
    .assert_status(303);
    let d = draft(&st, &cid).unwrap();
    assert_eq!(
        attr(&d, "chapter", "ch1", "start").as_deref(),
        Some("2027-01-15T08:00:00Z")
    );
    assert_eq!(
        attr(&d, "chapter", "ch1", "display_name").as_deref(),
        Some("Rozdział pierwszy")
    );
    assert_eq!(
        published(&st, &cid),
        before,
        "learners see the published course"
    );
}

async fn refusals_csrf_and_other_offices(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let s = setup(&st);
    let cid = s.course.clone();
    let outline = format!("/studio/kursy/{cid}/struktura");
    let add = format!("{outline}/dodaj");
    let mut a = login!(st, "autor-a@a.pl");

    // Names: required, at most 200 characters; the page keeps the text and links the field.
    let r = a
        .post(
            &add,
            &[
                ("parent_type", "course"),
                ("parent_id", "course"),
                ("display_name", " "),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains("<a href=\"#dodaj-course-course\">Wpisz nazwę.</a>")
        .assert_contains("aria-invalid=\"true\"");
    let long = "x".repeat(201);
    let r = a
        .post(
            &add,
            &[
                ("parent_type", "chapter"),
                ("parent_id", "ch1"),
                ("display_name", &long),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains("href=\"#dodaj-chapter-ch1\"")
        .assert_contains(&format!("value=\"{long}\""));
    let r = a
        .post(
            &format!("{outline}/vertical/u1/nazwa"),
            &[("display_name", "")],
        )
        .await;
    r.assert_status(422)
        .assert_contains("href=\"#nazwa-vertical-u1\"")
        .assert_contains("<details class=\"so-details\" open>");
    assert!(draft(&st, &cid).is_none(), "a refused edit made a draft");
    // Unknown blocks and types: 404.
    a.post(
        &format!("{outline}/vertical/nie-ma/nazwa"),
        &[("display_name", "X")],
    )
    .await
    .assert_status(404);
    a.post(
        &format!("{outline}/html/h1/nazwa"),
        &[("display_name", "X")],
    )
    .await
    .assert_status(404);
    a.post(
        &add,
        &[
            ("parent_type", "vertical"),
            ("parent_id", "u1"),
            ("display_name", "X"),
        ],
    )
    .await
    .assert_status(404);
    a.get(&format!("{outline}/vertical/nie-ma/usun"))
        .await
        .assert_status(404);
    // A unit cannot go into a section: 422 on the page and as JSON.
    a.post(
        &format!("{outline}/vertical/u1/przesun"),
        &[("rodzic_typ", "chapter"), ("rodzic_id", "ch1")],
    )
    .await
    .assert_status(422)
    .assert_contains("href=\"#przenies-vertical-u1\"");
    let r = a
        .post_json(
            &format!("{outline}/sequential/s1/przesun"),
            &[
                ("rodzic_typ", "sequential"),
                ("rodzic_id", "s2"),
                ("pozycja", "0"),
            ],
        )
        .await;
    r.assert_status(422);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["message"], "Tego elementu nie można tam umieścić.");
    a.post(
        &format!("{outline}/sequential/s1/przesun"),
        &[
            ("rodzic_typ", "chapter"),
            ("rodzic_id", "ch1"),
            ("pozycja", "x"),
        ],
    )
    .await
    .assert_status(400);
    assert!(draft(&st, &cid).is_none());

    // Without the CSRF token: refused, nothing stored.
    for (path, fields) in [
        (
            add.clone(),
            vec![
                ("parent_type", "course"),
                ("parent_id", "course"),
                ("display_name", "X"),
            ],
        ),
        (
            format!("{outline}/vertical/u1/nazwa"),
            vec![("display_name", "X")],
        ),
        (
            format!("{outline}/vertical/u1/przesun"),
            vec![("kierunek", "dol")],
        ),
        (format!("{outline}/vertical/u1/usun"), vec![]),
        (
            format!("{outline}/sequential/s1/ustawienia"),
            vec![("display_name", "X")],
        ),
    ] {
        a.post_raw(&path, &fields, &[]).await.assert_status(403);
    }
    assert!(draft(&st, &cid).is_none());

    // An author of another office: 403 everywhere, nothing stored.
    let mut b = login!(st, "autor-b@b.pl");
    b.get(&outline).await.assert_status(403);
    b.get(&format!("{outline}/vertical/u1/usun"))
        .await
        .assert_status(403);
    b.get(&format!("{outline}/chapter/ch1/ustawienia"))
        .await
        .assert_status(403);
    b.post(
        &add,
        &[
            ("parent_type", "course"),
            ("parent_id", "course"),
            ("display_name", "Obcy"),
        ],
    )
    .await
    .assert_status(403);
    b.post(&format!("{outline}/vertical/u1/usun"), &[])
        .await
        .assert_status(403);
    b.post_json(
        &format!("{outline}/vertical/u1/przesun"),
        &[("kierunek", "dol")],
    )
    .await
    .assert_status(403);
    b.post(
        &format!("{outline}/sequential/s1/ustawienia"),
        &[("display_name", "Obcy")],
    )
    .await
    .assert_status(403);
    assert!(draft(&st, &cid).is_none());
    // Unknown course: 404.
    a.get("/studio/kursy/nie-ma/struktura")
        .await
        .assert_status(404);
    let r = a.get(&outline).await;
    r.assert_status(200);
    lacks(&r, "Obcy");
    // The pages in English.
    let en = [("accept-language", "en")];
    a.get_with(&outline, &en)
        .await
        .assert_status(200)
        .assert_contains("<h1 id=\"struktura\" tabindex=\"-1\">Course outline:")
        .assert_contains("Move up<span class=\"visually-hidden\"> “Lekcja 1”</span>")
        .assert_contains("Graded: Homework");
    a.get_with(&format!("{outline}/sequential/s2/usun"), &en)
        .await
        .assert_contains("Delete the subsection?")
        .assert_contains("2 components");
    a.get_with(&format!("{outline}/sequential/s2/ustawienia"), &en)
        .await
        .assert_contains("Subsection settings: Praca domowa");
}

crate::both_backends!(
    outline_editing,
    subsection_and_section_settings,
    refusals_csrf_and_other_offices
);
