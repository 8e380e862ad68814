//! Course teams: per-course roles (admin, author, staff) for members of the course's office, on
//! both databases. Who may manage the team, who may be added, what each role opens in Studio and
//! on the learner side's staff pages, removal, CSRF, and offices kept apart.

use platform::access::Role;
use platform::models::organisation;
use studio::store::Visibility;

use crate::helpers::*;
use crate::learning::{install, learning_course, KEY};
use crate::olx_import::targz;

const PASSWORD: &str = "hasło testowe 1";

/// A second course of office A, to check that a team role opens only its own course.
fn other_course() -> Vec<u8> {
    targz(&[
        (
            "course/course.xml",
            b"<course url_name=\"2026\" org=\"SZPoN\" course=\"INNY\"/>",
        ),
        (
            "course/course/2026.xml",
            "<course display_name=\"Inny kurs urzędu\"><chapter url_name=\"ch\"/></course>"
                .as_bytes(),
        ),
        ("course/chapter/ch.xml", b"<chapter display_name=\"R1\"/>"),
    ])
}

struct Setup {
    course: String,
    other: String,
}

fn setup(st: &platform::web::AppState) -> Setup {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    drop(conn);
    for (email, org, role) in [
        ("admin-a@a.pl", &a.id, Role::Administrator),
        ("autor-a@a.pl", &a.id, Role::Author),
        ("urzednik-a@a.pl", &a.id, Role::Official),
        ("kierownik-a@a.pl", &a.id, Role::Official),
        ("autor-b@b.pl", &b.id, Role::Author),
        ("urzednik-b@b.pl", &b.id, Role::Official),
    ] {
        let id = make_user(st, email, &format!("Osoba {email}"), PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, role).unwrap();
    }
    let id = |key: String| {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, &key)
            .unwrap()
            .unwrap()
            .id
    };
    let course = id(install(
        st,
        &learning_course(),
        Some(&a.id),
        Visibility::Enrolled,
    ));
    let other = id(install(
        st,
        &other_course(),
        Some(&a.id),
        Visibility::Enrolled,
    ));
    Setup { course, other }
}

fn team_of(st: &platform::web::AppState, course: &str) -> Vec<(String, String)> {
    let mut conn = st.db.get().unwrap();
    studio::team::list(&mut conn, course)
        .unwrap()
        .into_iter()
        .map(|m| (m.email, m.role.as_str().to_string()))
        .collect()
}

fn user_id(st: &platform::web::AppState, email: &str) -> String {
    let mut conn = st.db.get().unwrap();
    platform::models::user::find_by_email(&mut conn, email)
        .unwrap()
        .unwrap()
        .id
}

/// A signed-in visitor with their own cookie jar.
macro_rules! login {
    ($st:expr, $email:expr) => {{
        let mut c = Client::new(spawn_app($st.clone()).await);
        c.login($email, PASSWORD).await.assert_status(303);
        c
    }};
}

fn lacks(r: &Resp, text: &str) {
    assert!(!r.body.contains(text), "unexpected {text:?} in {}", r.body);
}

async fn course_team_roles(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let s = setup(&st);
    let team = format!("/studio/kursy/{}/zespol", s.course);
    let settings = format!("/studio/kursy/{}/ustawienia", s.course);
    let other_settings = format!("/studio/kursy/{}/ustawienia", s.other);
    let certificates = format!("/kursy/{KEY}/zaswiadczenia");
    let official = user_id(&st, "urzednik-a@a.pl");

    // An official of office A without a team role: no Studio at all, no team list on the profile.
    let mut off = login!(st, "urzednik-a@a.pl");
    let r = off.get("/profil").await;
    r.assert_status(200);
    lacks(&r, "Zespoły kursów");
    off.get("/studio").await.assert_status(403);
    off.get(&settings).await.assert_status(403);
    off.get(&team).await.assert_status(403);

    // Office B's author: 403 on the team page, and cannot change it.
    let mut b = login!(st, "autor-b@b.pl");
    b.get(&team).await.assert_status(403);
    b.post(&team, &[("email", "autor-b@b.pl"), ("role", "admin")])
        .await
        .assert_status(403);
    assert!(team_of(&st, &s.course).is_empty());

    // The office's administrator manages the team; the page is linked from the course page.
    let mut adm = login!(st, "admin-a@a.pl");
    adm.get(&format!("/studio/kursy/{}", s.course))
        .await
        .assert_status(200)
        .assert_contains(&format!("href=\"{team}\""));
    adm.get(&team)
        .await
        .assert_status(200)
        .assert_contains("id=\"team-add\"");

    // Without the CSRF token: refused, nothing stored.
    adm.post_raw(
        &team,
        &[("email", "urzednik-a@a.pl"), ("role", "author")],
        &[],
    )
    .await
    .assert_status(403);
    assert!(team_of(&st, &s.course).is_empty());

    // A person from office B cannot be added: a form error, the input kept.
    adm.post(&team, &[("email", "urzednik-b@b.pl"), ("role", "author")])
        .await
        .assert_status(422)
        .assert_contains("nie należy do urzędu")
        .assert_contains("value=\"urzednik-b@b.pl\"");
    adm.post(&team, &[("email", "nikt@a.pl"), ("role", "author")])
        .await
        .assert_status(422)
        .assert_contains("Nie ma konta");
    adm.post(&team, &[("email", "urzednik-a@a.pl"), ("role", "owner")])
        .await
        .assert_status(422);
    assert!(team_of(&st, &s.course).is_empty());

    // Added as author: may open and save this course's settings, not another course's.
    let r = adm
        .post(&team, &[("email", " urzednik-a@a.pl "), ("role", "author")])
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), team);
    assert_eq!(
        team_of(&st, &s.course),
        vec![("urzednik-a@a.pl".to_string(), "author".to_string())]
    );
    adm.get(&team)
        .await
        .assert_status(200)
        .assert_contains("urzednik-a@a.pl")
        .assert_contains("Osoba urzednik-a@a.pl");
    adm.post(&team, &[("email", "urzednik-a@a.pl"), ("role", "staff")])
        .await
        .assert_status(422)
        .assert_contains("już jest w zespole");

    let r = off.get("/studio").await;
    r.assert_status(200)
        .assert_contains(&format!("/studio/kursy/{}", s.course));
    lacks(&r, &format!("/studio/kursy/{}", s.other));
    lacks(&r, "/studio/nowy-kurs");
    // The profile lists the course teams: the way in for people without the Studio link.
    off.get("/profil")
        .await
        .assert_status(200)
        .assert_contains("Zespoły kursów")
        .assert_contains(&s.course)
        .assert_contains("Nauka próbna");
    off.get(&settings).await.assert_status(200);
    let r = off
        .post(
            &settings,
            &[
                ("visibility", "public"),
                ("certificates", "pass"),
                ("points_per_unit", "10"),
                ("points_per_correct", "5"),
            ],
        )
        .await;
    r.assert_status(303);
    {
        let mut conn = st.db.get().unwrap();
        let row = studio::store::find_by_key(&mut conn, KEY).unwrap().unwrap();
        assert_eq!(row.visibility, "public");
    }
    off.get(&other_settings).await.assert_status(403);
    off.post(
        &other_settings,
        &[("visibility", "public"), ("certificates", "off")],
    )
    .await
    .assert_status(403);
    // Office-level pages stay closed to a course author.
    off.get("/studio/nowy-kurs").await.assert_status(403);
    off.get("/studio/import").await.assert_status(403);
    // An author sees the team but may not change it.
    let r = off.get(&team).await;
    r.assert_status(200);
    lacks(&r, "id=\"team-add\"");
    off.post(&team, &[("email", "kierownik-a@a.pl"), ("role", "admin")])
        .await
        .assert_status(403);

    // A team admin (an official too) manages the team: adds, changes a role.
    adm.post(&team, &[("email", "kierownik-a@a.pl"), ("role", "admin")])
        .await
        .assert_status(303);
    let mut lead = login!(st, "kierownik-a@a.pl");
    lead.get(&team)
        .await
        .assert_status(200)
        .assert_contains("id=\"team-add\"");
    lead.post(
        &format!("{team}/rola"),
        &[("user_id", &official), ("role", "staff")],
    )
    .await
    .assert_status(303);
    assert!(team_of(&st, &s.course).contains(&("urzednik-a@a.pl".into(), "staff".into())));

    // As staff: 403 in Studio, 200 on the course's certificates list.
    off.get(&settings).await.assert_status(403);
    off.get(&team).await.assert_status(403);
    off.get(&format!("/studio/kursy/{}", s.course))
        .await
        .assert_status(403);
    off.get("/studio").await.assert_status(403);
    off.get(&certificates).await.assert_status(200);
    off.get("/profil")
        .await
        .assert_status(200)
        .assert_contains("zaswiadczenia")
        .assert_contains("Obsługa kursu");
    // Office B's author is not staff of office A's course.
    b.get(&certificates).await.assert_status(403);

    // Removal asks first (nothing changes), then removes; access goes with it.
    adm.post(&format!("{team}/usun"), &[("user_id", &official)])
        .await
        .assert_status(200)
        .assert_contains("name=\"confirm\" value=\"yes\"");
    assert_eq!(team_of(&st, &s.course).len(), 2);
    adm.post_raw(
        &format!("{team}/usun"),
        &[("user_id", official.as_str()), ("confirm", "yes")],
        &[],
    )
    .await
    .assert_status(403);
    let r = adm
        .post(
            &format!("{team}/usun"),
            &[("user_id", &official), ("confirm", "yes")],
        )
        .await;
    r.assert_status(303);
    assert_eq!(
        team_of(&st, &s.course),
        vec![("kierownik-a@a.pl".to_string(), "admin".to_string())]
    );
    off.get(&settings).await.assert_status(403);
    // The learner side re-reads the team with the course (every 2 s).
    tokio::time::sleep(studio_cache_wait()).await;
    off.get(&certificates).await.assert_status(403);

    // Office B's author cannot remove office A's team members either.
    let lead_id = user_id(&st, "kierownik-a@a.pl");
    b.post(
        &format!("{team}/usun"),
        &[("user_id", &lead_id), ("confirm", "yes")],
    )
    .await
    .assert_status(403);
    assert_eq!(team_of(&st, &s.course).len(), 1);
}

fn studio_cache_wait() -> std::time::Duration {
    lms::learning::cache::REVALIDATE + std::time::Duration::from_millis(200)
}

crate::both_backends!(course_team_roles);
