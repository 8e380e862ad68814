//! The course schedule and about page in Studio: saved as new versions (none when unchanged),
//! refused with 422 and nothing saved when invalid, 403 for another office, the overview
//! sanitised, the image upload refused for non-images, and what was saved shown on the learner's
//! about page.

use diesel::prelude::*;
use platform::access::Role;
use platform::models::organisation;
use studio::store::Visibility;

use crate::helpers::*;
use crate::learning::{install, learning_course, KEY};

fn setup(st: &platform::web::AppState) -> String {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    drop(conn);
    for (email, org) in [("autor-a@a.pl", &a.id), ("autor-b@b.pl", &b.id)] {
        let id = make_user(st, email, email, "hasło testowe 1", false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, Role::Author).unwrap();
    }
    install(st, &learning_course(), Some(&a.id), Visibility::Public);
    let mut conn = st.db.get().unwrap();
    studio::store::find_by_key(&mut conn, KEY)
        .unwrap()
        .unwrap()
        .id
}

fn versions(st: &platform::web::AppState, id: &str) -> i64 {
    use studio::store::course_versions::dsl as v;
    let mut conn = st.db.get().unwrap();
    v::course_versions
        .filter(v::course_id.eq(id))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

fn current(st: &platform::web::AppState) -> (studio::store::CourseRow, xblock_compat::olx::Course) {
    let mut conn = st.db.get().unwrap();
    studio::store::load_current(&mut conn, KEY)
        .unwrap()
        .unwrap()
}

const GOOD: [(&str, &str); 5] = [
    ("start", "2027-01-15T09:00"),
    ("end", "2027-06-30T18:00"),
    ("enrollment_start", "2027-01-01T08:00"),
    ("enrollment_end", "2027-01-20T18:00"),
    ("self_paced", "yes"),
];

async fn schedule_saves_versions_and_shows_on_the_about_page(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let id = setup(&st);
    let page = format!("/studio/kursy/{id}/harmonogram");
    let mut c = Client::new(spawn_app(st.clone()).await);

    // Another office's author may neither see nor change it.
    c.login("autor-b@b.pl", "hasło testowe 1").await;
    c.get(&page).await.assert_status(403);
    c.post(&page, &GOOD).await.assert_status(403);
    assert_eq!(versions(&st, &id), 1);

    c.fresh_jar();
    c.login("autor-a@a.pl", "hasło testowe 1").await;
    c.get(&format!("/studio/kursy/{id}"))
        .await
        .assert_status(200)
        .assert_contains(&page)
        .assert_contains(&format!("/studio/kursy/{id}/opis"));
    c.get(&page)
        .await
        .assert_status(200)
        .assert_contains("type=\"datetime-local\"")
        .assert_contains("Rozpoczęcie kursu");

    // Invalid: the end before the start; a date that is not one. Input kept, nothing saved.
    let mut bad = GOOD;
    bad[1] = ("end", "2027-01-10T09:00");
    c.post(&page, &bad)
        .await
        .assert_status(422)
        .assert_contains("Zakończenie kursu musi być późniejsze niż jego rozpoczęcie.")
        .assert_contains("value=\"2027-01-10T09:00\"");
    let mut bad = GOOD;
    bad[0] = ("start", "jutro rano");
    c.post(&page, &bad)
        .await
        .assert_status(422)
        .assert_contains("Wpisz datę i godzinę")
        .assert_contains("value=\"jutro rano\"");
    c.post(&page, &[("start", "")])
        .await
        .assert_status(422)
        .assert_contains("Podaj datę i godzinę rozpoczęcia kursu.");
    let mut bad = GOOD;
    bad[3] = ("enrollment_end", "2027-07-01T09:00");
    c.post(&page, &bad)
        .await
        .assert_status(422)
        .assert_contains("Zapisy nie mogą trwać dłużej niż kurs.");
    assert_eq!(versions(&st, &id), 1);

    // Valid: one new version, dates in UTC as Open edX writes them; saving again changes nothing.
    let r = c.post(&page, &GOOD).await;
    r.assert_status(303);
    assert_eq!(r.location(), page);
    assert_eq!(versions(&st, &id), 2);
    let (_, course) = current(&st);
    let p = &course.root_block().policy;
    assert_eq!(p["start"], "2027-01-15T08:00:00Z");
    assert_eq!(p["end"], "2027-06-30T16:00:00Z");
    assert_eq!(p["enrollment_start"], "2027-01-01T07:00:00Z");
    assert_eq!(p["enrollment_end"], "2027-01-20T17:00:00Z");
    assert_eq!(p["self_paced"], true);
    c.get(&page)
        .await
        .assert_status(200)
        .assert_contains("Zapisano harmonogram kursu.")
        .assert_contains("value=\"2027-01-15T09:00\"")
        .assert_contains("id=\"self_paced\" name=\"self_paced\" value=\"yes\" checked");
    c.post(&page, &GOOD).await.assert_status(303);
    assert_eq!(versions(&st, &id), 2);

    // The learner's about page shows the dates in Polish (after the course cache's 2 s).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    c.fresh_jar();
    c.get(&format!("/kursy/{KEY}"))
        .await
        .assert_status(200)
        .assert_contains("15 stycznia 2027")
        .assert_contains("30 czerwca 2027");
}

async fn about_page_texts_and_image(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let id = setup(&st);
    let page = format!("/studio/kursy/{id}/opis");
    let texts = [
        ("short_description", "Kurs o ochronie danych & RODO."),
        (
            "overview",
            "<p class=\"intro\">Poznasz <strong>zasady</strong>.</p><script>alert('x')</script><p onclick=\"alert(2)\">Dalej</p>",
        ),
        ("effort", "2:00"),
        ("duration", "6 tygodni"),
    ];
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image".to_vec();
    let mut c = Client::new(spawn_app(st.clone()).await);

    c.login("autor-b@b.pl", "hasło testowe 1").await;
    c.get(&page).await.assert_status(403);
    c.post_multipart_with(&page, &texts, "", b"", true)
        .await
        .assert_status(403);
    c.post_file(&page, "course_image", "okladka.png", "image/png", &png)
        .await
        .assert_status(403);
    assert_eq!(versions(&st, &id), 1);

    c.fresh_jar();
    c.login("autor-a@a.pl", "hasło testowe 1").await;
    c.get(&page)
        .await
        .assert_status(200)
        .assert_contains("enctype=\"multipart/form-data\"")
        .assert_contains(&format!("{page}?csrf_token="));

    // Without the CSRF token: refused.
    c.post_multipart_with(&page, &texts, "", b"", false)
        .await
        .assert_status(403);

    let r = c.post_multipart_with(&page, &texts, "", b"", true).await;
    r.assert_status(303);
    assert_eq!(r.location(), page);
    assert_eq!(versions(&st, &id), 2);
    let (row, course) = current(&st);
    assert_eq!(
        course.about["overview.html"],
        "<p class=\"intro\">Poznasz <strong>zasady</strong>.</p><p>Dalej</p>"
    );
    assert_eq!(
        course.about["short_description.html"],
        "Kurs o ochronie danych &amp; RODO."
    );
    assert_eq!(course.about["effort.html"], "2:00");
    assert_eq!(row.summary, "Kurs o ochronie danych & RODO.");
    // Unchanged: no new version.
    c.post_multipart_with(&page, &texts, "", b"", true)
        .await
        .assert_status(303);
    assert_eq!(versions(&st, &id), 2);

    // Not an image (whatever its name and type say): 422, nothing saved.
    c.post_file(
        &page,
        "course_image",
        "okladka.png",
        "image/png",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    )
    .await
    .assert_status(422)
    .assert_contains("Obraz kursu musi być plikiem PNG lub JPEG.");
    assert_eq!(versions(&st, &id), 2);
    // Too long a short description: 422, the input kept.
    let long = "a".repeat(301);
    c.post_multipart_with(&page, &[("short_description", &long)], "", b"", true)
        .await
        .assert_status(422)
        .assert_contains("Krótki opis może mieć najwyżej 300 znaków.")
        .assert_contains(&long);
    assert_eq!(versions(&st, &id), 2);

    // A PNG: stored as a static file of the course and named by `course_image`; texts kept.
    c.post_file(
        &page,
        "course_image",
        "Okładka kursu.PNG",
        "image/png",
        &png,
    )
    .await
    .assert_status(303);
    assert_eq!(versions(&st, &id), 3);
    let (_, course) = current(&st);
    assert_eq!(
        course.root_block().policy["course_image"],
        "Ok_adka_kursu.png"
    );
    let f = course
        .statics
        .iter()
        .find(|f| f.path == "Ok_adka_kursu.png")
        .expect("image stored");
    assert_eq!(f.size, png.len() as u64);
    assert_eq!(course.about["effort.html"], "2:00");
    c.get(&page)
        .await
        .assert_status(200)
        .assert_contains("Obecny obraz: Ok_adka_kursu.png.")
        .assert_contains("Kurs o ochronie danych &amp; RODO.");

    // The learner's about page.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    c.fresh_jar();
    let about = c.get(&format!("/kursy/{KEY}")).await;
    about
        .assert_status(200)
        .assert_contains("Kurs o ochronie danych &amp; RODO.")
        .assert_contains("<strong>zasady</strong>")
        .assert_contains("2:00")
        .assert_contains("6 tygodni")
        .assert_contains(&format!("/kursy/{KEY}/static/Ok_adka_kursu.png"));
    assert!(!about.body.contains("alert("), "{}", about.body);
    let img = c
        .get(&format!("/kursy/{KEY}/static/Ok_adka_kursu.png"))
        .await;
    img.assert_status(200);
    assert!(img.body.ends_with("PNG\r\n\x1a\n\0\0\0\rIHDR fake image"));
    c.get("/kursy")
        .await
        .assert_contains("Kurs o ochronie danych &amp; RODO.");
}

crate::both_backends!(
    schedule_saves_versions_and_shows_on_the_about_page,
    about_page_texts_and_image
);
