//! The course files page: usage per unit, upload (names cleaned, hostile ones refused), replace,
//! delete with confirmation when used, what learners are served after each change, access
//! across offices and CSRF.

use std::time::Duration;

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
    for (email, org, role) in [
        ("autor-a@a.pl", &a.id, Role::Author),
        ("autor-b@b.pl", &b.id, Role::Author),
    ] {
        let id = make_user(st, email, email, "hasło testowe 1", false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, role).unwrap();
    }
    install(st, &learning_course(), Some(&a.id), Visibility::Public);
    let mut conn = st.db.get().unwrap();
    studio::store::find_by_key(&mut conn, KEY)
        .unwrap()
        .unwrap()
        .id
}

/// Past the learner side's course cache (it re-checks the current version every 2 s).
async fn after_cache() {
    tokio::time::sleep(Duration::from_millis(2100)).await;
}

fn version(st: &platform::web::AppState, id: &str) -> i32 {
    let mut conn = st.db.get().unwrap();
    let (row, _) = studio::store::load_current_by_id(&mut conn, id)
        .unwrap()
        .unwrap();
    use diesel::prelude::*;
    studio::store::course_versions::table
        .find(row.current_version_id.unwrap())
        .select(studio::store::course_versions::number)
        .first(&mut conn)
        .unwrap()
}

async fn files_upload_replace_delete(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let id = setup(&st);
    let page = format!("/studio/kursy/{id}/pliki");
    let del = format!("{page}/usun");
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", "hasło testowe 1")
        .await
        .assert_status(303);

    // The report links the page; the page lists the files with their uses.
    c.get(&format!("/studio/kursy/{id}"))
        .await
        .assert_contains(&format!("href=\"{page}\""));
    let r = c.get(&page).await;
    r.assert_status(200)
        .assert_contains("obraz.png")
        .assert_contains("image&#x2F;png")
        .assert_contains("Używany w 1 jednostce:")
        .assert_contains("Lekcja 1")
        .assert_contains("film-pl.srt")
        .assert_contains("napisy do filmu")
        .assert_contains(&format!(
            "href=\"&#x2F;kursy&#x2F;{KEY}&#x2F;static&#x2F;obraz.png\""
        ));
    assert!(!r.body.contains("Nieużywany"), "every sample file is used");
    let v0 = version(&st, &id);

    // Upload: the name is cleaned as Open edX cleans it.
    let r = c
        .post_file(&page, "file", "plan zajęć.pdf", "application/pdf", b"PDF-1")
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), page);
    c.get(&page)
        .await
        .assert_contains("Dodano plik.")
        .assert_contains("plan_zajęć.pdf")
        .assert_contains("Nieużywany");
    assert_eq!(version(&st, &id), v0 + 1);

    // Replace: same path, new bytes (by the explicit form and by uploading the same name).
    c.get(&format!("{page}?zamien=obraz.png"))
        .await
        .assert_status(200)
        .assert_contains("name=\"replace\" value=\"obraz.png\"");
    c.post_multipart_with(
        &page,
        &[("replace", "obraz.png")],
        "inny.png",
        b"NEW PNG",
        true,
    )
    .await
    .assert_status(303);
    c.post_file(
        &page,
        "file",
        "film-pl.srt",
        "text/plain",
        b"1\n00:00:01,000 --> 00:00:02,000\nNowe\n",
    )
    .await
    .assert_status(303);
    let r = c.get(&page).await;
    r.assert_contains("Zamieniono zawartość pliku.");
    assert!(
        !r.body.contains("inny.png"),
        "a replaced file keeps its name"
    );
    assert_eq!(version(&st, &id), v0 + 3);
    // The same content again changes nothing.
    c.post_multipart_with(
        &page,
        &[("replace", "obraz.png")],
        "x.png",
        b"NEW PNG",
        true,
    )
    .await
    .assert_status(303);
    assert_eq!(version(&st, &id), v0 + 3);

    after_cache().await;
    let mut learner = Client::new(spawn_app(st.clone()).await);
    let r = learner.get(&format!("/kursy/{KEY}/static/obraz.png")).await;
    r.assert_status(200);
    assert_eq!(r.body, "NEW PNG");
    let r = learner
        .get(&format!("/kursy/{KEY}/static/plan_zaj%C4%99%C4%87.pdf"))
        .await;
    r.assert_status(200);
    assert_eq!(r.body, "PDF-1");

    // Hostile names are refused and nothing is saved.
    // (A backslash is an escape in the header's quoted string; the unit tests cover it.)
    for bad in ["../evil.png", "..", "a/b.png", "/etc/passwd", ".htaccess"] {
        c.post_file(&page, "file", bad, "image/png", b"x")
            .await
            .assert_status(422)
            .assert_contains("Nazwa pliku jest niedozwolona");
    }
    c.post_multipart_with(
        &page,
        &[("replace", "../../etc/passwd")],
        "x.png",
        b"x",
        true,
    )
    .await
    .assert_status(404);
    c.post_file(&page, "file", "", "image/png", b"")
        .await
        .assert_status(422)
        .assert_contains("Wybierz plik");
    assert_eq!(version(&st, &id), v0 + 3);

    // Deleting a used file asks first, listing the uses; nothing changes until confirmed.
    let r = c.post(&del, &[("path", "obraz.png")]).await;
    r.assert_status(200)
        .assert_contains("Usunąć używany plik")
        .assert_contains("Lekcja 1")
        .assert_contains("name=\"confirm\" value=\"yes\"");
    assert_eq!(version(&st, &id), v0 + 3);
    let r = c
        .post(&del, &[("path", "obraz.png"), ("confirm", "yes")])
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), page);
    // An unused file goes at once.
    c.post(&del, &[("path", "plan_zajęć.pdf")])
        .await
        .assert_status(303);
    let r = c.get(&page).await;
    r.assert_contains("Usunięto plik.");
    assert!(!r.body.contains("obraz.png") && !r.body.contains("plan_zaj"));
    c.post(&del, &[("path", "obraz.png")])
        .await
        .assert_status(404);
    assert_eq!(version(&st, &id), v0 + 5);
    after_cache().await;
    learner
        .get(&format!("/kursy/{KEY}/static/obraz.png"))
        .await
        .assert_status(404);
    learner
        .get(&format!("/kursy/{KEY}/static/film.mp4"))
        .await
        .assert_status(200);

    // CSRF on every post.
    c.post_raw(&del, &[("path", "film.mp4"), ("confirm", "yes")], &[])
        .await
        .assert_status(403);
    c.post_multipart_with(&page, &[], "y.png", b"y", false)
        .await
        .assert_status(403);
    assert_eq!(version(&st, &id), v0 + 5);

    // Another office's author sees nothing and changes nothing.
    c.fresh_jar();
    c.login("autor-b@b.pl", "hasło testowe 1").await;
    c.get(&page).await.assert_status(403);
    c.post_file(&page, "file", "z.png", "image/png", b"z")
        .await
        .assert_status(403);
    c.post(&del, &[("path", "film.mp4"), ("confirm", "yes")])
        .await
        .assert_status(403);
    assert_eq!(version(&st, &id), v0 + 5);
    // Anonymous visitors go to the login page.
    c.fresh_jar();
    c.get(&page).await.assert_status(303);
}

crate::both_backends!(files_upload_replace_delete);
