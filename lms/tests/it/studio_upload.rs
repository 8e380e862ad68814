//! The upload page and JSON endpoint: who may import into which organisation, CSRF on
//! multipart, reports, and refusals that store nothing.

use platform::access::Role;
use platform::models::organisation;

use crate::helpers::*;
use crate::olx_import::{shared, targz};

fn setup(st: &platform::web::AppState) -> (String, String) {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    drop(conn);
    for (email, org, role) in [
        ("autor-a@a.pl", &a.id, Role::Author),
        ("autor-b@b.pl", &b.id, Role::Author),
        ("uczen-a@a.pl", &a.id, Role::Learner),
    ] {
        let id = make_user(st, email, email, "hasło testowe 1", false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, role).unwrap();
    }
    (a.id, b.id)
}

async fn upload_access_and_reports(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let (a, b) = setup(&st);
    let ks = std::fs::read(shared("kitchen_sink.tar.gz")).unwrap();
    let mut c = Client::new(spawn_app(st.clone()).await);

    // Anonymous: to the login page; nothing imported.
    let r = c
        .post_multipart("/studio/import", &a, "ks.tar.gz", &ks, true)
        .await;
    r.assert_status(303);

    c.login("uczen-a@a.pl", "hasło testowe 1")
        .await
        .assert_status(303);
    c.get("/studio/import").await.assert_status(403);
    c.post_multipart("/studio/api/import", &a, "ks.tar.gz", &ks, true)
        .await
        .assert_status(403);

    c.fresh_jar();
    c.login("autor-a@a.pl", "hasło testowe 1").await;
    c.get("/studio/import")
        .await
        .assert_status(200)
        .assert_contains("enctype=\"multipart/form-data\"")
        .assert_contains("Urząd A")
        .assert_contains("/static/js/upload.js");
    // The author chooses who may learn it: a public course is in the catalog for everyone.
    c.post_multipart_with(
        "/studio/api/import",
        &[("organisation", &a), ("visibility", "public")],
        "ks.tar.gz",
        &ks,
        true,
    )
    .await
    .assert_status(200);
    {
        let mut conn = st.db.get().unwrap();
        let row = studio::store::find_by_key(&mut conn, "course-v1:Microsoft+KS101+course")
            .unwrap()
            .unwrap();
        assert_eq!(row.visibility, "public");
    }
    c.post_multipart_with(
        "/studio/api/import",
        &[("organisation", &a), ("visibility", "everyone")],
        "ks.tar.gz",
        &ks,
        true,
    )
    .await
    .assert_status(400);
    // Without the CSRF token a multipart post is refused like any other.
    c.post_multipart("/studio/api/import", &a, "ks.tar.gz", &ks, false)
        .await
        .assert_status(403);
    // An organisation the author does not belong to.
    c.post_multipart("/studio/api/import", &b, "ks.tar.gz", &ks, true)
        .await
        .assert_status(422);

    let r = c
        .post_multipart("/studio/api/import", &a, "ks.tar.gz", &ks, true)
        .await;
    r.assert_status(200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["course_key"], "course-v1:Microsoft+KS101+course");
    assert_eq!(v["blocks"]["problem"], 14);
    assert_eq!(v["not_yet_supported"]["azure_media_services"], 3);
    let course_id = v["course_id"].as_str().unwrap().to_string();

    // The form post answers with a redirect to the report.
    let r = c
        .post_multipart("/studio/import", &a, "ks.tar.gz", &ks, true)
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), format!("/studio/kursy/{course_id}"));
    c.get(r.location())
        .await
        .assert_status(200)
        .assert_contains("course-v1:Microsoft+KS101+course")
        .assert_contains("azure_media_services")
        .assert_contains("Kurs został zaimportowany");
    c.get("/studio")
        .await
        .assert_contains(&format!("/studio/kursy/{course_id}"));

    // Another office's author can neither see the report nor overwrite the course.
    c.fresh_jar();
    c.login("autor-b@b.pl", "hasło testowe 1").await;
    c.get(&format!("/studio/kursy/{course_id}"))
        .await
        .assert_status(403);
    c.post_multipart("/studio/api/import", &b, "ks.tar.gz", &ks, true)
        .await
        .assert_status(403);
    c.get("/studio/kursy/nie-ma-takiego")
        .await
        .assert_status(404);

    // A broken archive: 422, the error named on the page, nothing new stored.
    let versions_before = {
        use diesel::prelude::*;
        let mut conn = st.db.get().unwrap();
        studio::store::course_versions::table
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    let broken = targz(&[
        (
            "course/course.xml",
            b"<course url_name=\"r\" org=\"B\" course=\"X\"/>",
        ),
        (
            "course/course/r.xml",
            b"<course>\n<chapter url_name=\"c\"/>\n<broken\n</course>",
        ),
    ]);
    c.post_multipart("/studio/import", &b, "zepsuty.tar.gz", &broken, true)
        .await
        .assert_status(422)
        .assert_contains("r.xml, line 4")
        .assert_contains("class=\"error-summary\"")
        .assert_contains("href=\"#file\"");
    let r = c
        .post_multipart(
            "/studio/api/import",
            &b,
            "zepsuty.tar.gz",
            b"not gzip at all",
            true,
        )
        .await;
    r.assert_status(422);
    assert!(r.body.contains("\"error\""), "{}", r.body);
    let versions_after = {
        use diesel::prelude::*;
        let mut conn = st.db.get().unwrap();
        studio::store::course_versions::table
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    assert_eq!(versions_before, versions_after);
}

/// An author creates an empty course in their office from Studio: invalid fields come back
/// with every error and nothing stored, another office cannot be chosen, the key must be new;
/// the course is version 1 with Open edX's default grading policy and exports and re-reads
/// with the same key.
async fn authors_create_courses(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let (a, b) = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", "hasło testowe 1").await;
    let form = c.get("/studio/nowy-kurs").await;
    form.assert_status(200).assert_contains("Urząd A");
    assert!(!form.body.contains("Urząd B"));
    let count = |st: &platform::web::AppState| {
        let mut conn = st.db.get().unwrap();
        studio::store::count(&mut conn).unwrap()
    };
    let before = count(&st);
    let bad = c
        .post(
            "/studio/nowy-kurs",
            &[
                ("organisation", a.as_str()),
                ("title", " "),
                ("number", "RODO 1"),
                ("run", "2027"),
                ("language", "de"),
            ],
        )
        .await;
    bad.assert_status(422)
        .assert_contains("Podaj nazwę kursu")
        .assert_contains("Podaj kod kursu")
        .assert_contains("Wybierz język kursu")
        .assert_contains("value=\"RODO 1\"");
    let other = c
        .post(
            "/studio/nowy-kurs",
            &[
                ("organisation", b.as_str()),
                ("title", "Kurs"),
                ("number", "X1"),
                ("run", "2027"),
                ("language", "pl"),
            ],
        )
        .await;
    other.assert_status(422);
    assert_eq!(count(&st), before);
    let fields = [
        ("organisation", a.as_str()),
        ("title", "Ochrona danych w urzędzie"),
        ("number", "RODO1"),
        ("run", "2027"),
        ("language", "pl"),
    ];
    let ok = c.post("/studio/nowy-kurs", &fields).await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.body);
    let target = ok.location().to_string();
    assert!(target.starts_with("/studio/kursy/"), "{target}");
    c.get(&target)
        .await
        .assert_status(200)
        .assert_contains("course-v1:urzad-a+RODO1+2027");
    // The export downloads from Studio (another office: 403) and holds the course.
    let id = target.trim_start_matches("/studio/kursy/").to_string();
    let download = c.get(&format!("/studio/kursy/{id}/eksport")).await;
    download.assert_status(200);
    assert_eq!(
        download.headers.get("content-type").unwrap(),
        "application/gzip"
    );
    assert!(download.bytes.starts_with(&[0x1f, 0x8b]), "not gzip");
    let tar = {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&download.bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    assert!(
        tar.contains("RODO1") && tar.contains("grading_policy.json"),
        "{tar}"
    );
    let mut b_author = Client::new(spawn_app(st.clone()).await);
    b_author.login("autor-b@b.pl", "hasło testowe 1").await;
    b_author
        .get(&format!("/studio/kursy/{id}/eksport"))
        .await
        .assert_status(403);
    let again = c.post("/studio/nowy-kurs", &fields).await;
    again
        .assert_status(422)
        .assert_contains("ma już kurs o tym kodzie");
    assert_eq!(count(&st), before + 1);
    let mut conn = st.db.get().unwrap();
    let (row, course) = studio::store::load_current(&mut conn, "course-v1:urzad-a+RODO1+2027")
        .unwrap()
        .unwrap();
    assert_eq!(row.organisation_id.as_deref(), Some(a.as_str()));
    assert_eq!(row.title, "Ochrona danych w urzędzie");
    assert_eq!(row.language, "pl");
    assert_eq!(row.visibility, "enrolled");
    let policy: serde_json::Value =
        serde_json::from_str(course.grading_policy.as_deref().unwrap()).unwrap();
    assert_eq!(policy["GRADER"].as_array().unwrap().len(), 4, "{policy}");
    assert_eq!(policy["GRADE_CUTOFFS"]["Pass"], 0.5);
    drop(conn);
    // Export and import again: version 2 is the same course.
    let store = platform::storage::BlobStore::new(&st.config.data_dir);
    let file = st.config.data_dir.join("new-course.tar.gz");
    studio::import::export(&st.db, &store, "course-v1:urzad-a+RODO1+2027", &file).unwrap();
    let report = studio::import::import(
        &st.db,
        &store,
        &st.config.data_dir,
        &file,
        &studio::import::ImportOptions {
            organisation_id: Some(&a),
            user_id: None,
            check: &studio::import::allow_all,
        },
    )
    .unwrap();
    assert_eq!(report.course_key, "course-v1:urzad-a+RODO1+2027");
    let mut conn = st.db.get().unwrap();
    let (_, back) = studio::store::load_current(&mut conn, "course-v1:urzad-a+RODO1+2027")
        .unwrap()
        .unwrap();
    assert_eq!(back.round_trip_view(), course.round_trip_view());
}

/// The grading policy editor: another office's author gets 403; totals other than 100 % and bad
/// rows are refused with nothing saved; a valid policy becomes a new version holding exactly
/// the file Open edX writes, and a learner's stored grade follows it on their next visit.
async fn authors_edit_the_grading_policy(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let (a, _) = setup(&st);
    let key = crate::learning::install(
        &st,
        &crate::learning::learning_course(),
        Some(&a),
        studio::store::Visibility::Public,
    );
    let cid = {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, &key)
            .unwrap()
            .unwrap()
            .id
    };
    let versions = |st: &platform::web::AppState| {
        use diesel::prelude::*;
        use studio::store::course_versions as v;
        let mut conn = st.db.get().unwrap();
        v::table
            .filter(v::course_id.eq(&cid))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    // A learner answers the one-point question right: 1 of 4 points, 25 %, below 50 %.
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner
        .register("ola@example.pl", "Ola Uczennica", "hasło testowe 2")
        .await;
    learner
        .post(
            &format!("/kursy/{key}/problem/p1"),
            &[("action", "check"), ("input_p1_2_1", "choice_1")],
        )
        .await;
    let before = learner.get(&format!("/kursy/{key}/postep")).await;
    assert!(!before.body.contains("Kurs zaliczony"));

    let page = format!("/studio/kursy/{cid}/ocenianie");
    let mut other = Client::new(spawn_app(st.clone()).await);
    other.login("autor-b@b.pl", "hasło testowe 1").await;
    other.get(&page).await.assert_status(403);
    other
        .post(
            &page,
            &[("kind_0", "X"), ("weight_0", "100"), ("min_0", "1")],
        )
        .await
        .assert_status(403);

    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", "hasło testowe 1").await;
    c.get(&page)
        .await
        .assert_status(200)
        .assert_contains("value=\"Homework\"")
        .assert_contains("value=\"HW\"");
    let bad = c
        .post(
            &page,
            &[
                ("kind_0", "Homework"),
                ("label_0", "HW"),
                ("weight_0", "60"),
                ("min_0", "1"),
                ("drop_0", "0"),
                ("kind_1", ""),
                ("grade_0", "Pass"),
                ("cutoff_0", "20"),
            ],
        )
        .await;
    bad.assert_status(422)
        .assert_contains("muszą dać razem 100%")
        .assert_contains("value=\"60\"");
    assert_eq!(versions(&st), 1);
    let ok = c
        .post(
            &page,
            &[
                ("kind_0", "Homework"),
                ("label_0", "HW"),
                ("weight_0", "100"),
                ("min_0", "1"),
                ("drop_0", "0"),
                ("kind_1", ""),
                ("grade_0", "Pass"),
                ("cutoff_0", "20"),
            ],
        )
        .await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.body);
    assert_eq!(versions(&st), 2);
    let stored = {
        let mut conn = st.db.get().unwrap();
        studio::store::load_current(&mut conn, &key)
            .unwrap()
            .unwrap()
            .1
            .grading_policy
            .unwrap()
    };
    assert_eq!(
        stored,
        "{\n    \"GRADER\": [\n        {\n            \"drop_count\": 0,\n            \"min_count\": 1,\n            \"short_label\": \"HW\",\n            \"type\": \"Homework\",\n            \"weight\": 1.0\n        }\n    ],\n    \"GRADE_CUTOFFS\": {\n        \"Pass\": 0.2\n    }\n}"
    );
    // The learner's next visit shows the grade under the new policy (after the course cache's
    // 2 s), and passing issues the certificate.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    learner
        .get(&format!("/kursy/{key}/postep"))
        .await
        .assert_contains("Kurs zaliczony")
        .assert_contains("/certificates/");
}

crate::both_backends!(
    upload_access_and_reports,
    authors_create_courses,
    authors_edit_the_grading_policy
);
