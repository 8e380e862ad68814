//! Studio's drafts and publishing pages (issue 6, items 4 and 7) on both databases: the list of
//! unpublished changes in words, publishing a unit, a section and everything (learners see
//! nothing before), the 422 explanations, versions and rollback, discard, the draft export, the
//! import of a new version over a course (same and other course key), access across offices,
//! CSRF, and no open redirect through `wroc`.

use std::time::Duration;

use diesel::prelude::*;
use platform::access::Role;
use platform::models::organisation;
use studio::drafts;
use studio::store::{self, Visibility};
use xblock_compat::olx::edit::{self, find_in_tree, EditError};
use xblock_compat::olx::Course;

use crate::helpers::*;
use crate::learning::{install, learning_course, KEY};

const PASSWORD: &str = "hasło testowe 1";

struct Setup {
    course: String,
    office_b_course: String,
}

/// Offices A and B with an author each; the learning course in A (public), another in B.
fn setup(st: &platform::web::AppState) -> Setup {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    drop(conn);
    for (email, name, org) in [
        ("autor-a@a.pl", "Anna Autorka", &a.id),
        ("autor-b@b.pl", "Bogdan Obcy", &b.id),
    ] {
        let id = make_user(st, email, name, PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, Role::Author).unwrap();
    }
    let id = |key: String| {
        let mut conn = st.db.get().unwrap();
        store::find_by_key(&mut conn, &key).unwrap().unwrap().id
    };
    let course = id(install(
        st,
        &learning_course(),
        Some(&a.id),
        Visibility::Public,
    ));
    let other = crate::olx_import::targz(&[
        (
            "course/course.xml",
            b"<course url_name=\"2026\" org=\"SZPoN\" course=\"B1\"/>",
        ),
        (
            "course/course/2026.xml",
            b"<course display_name=\"Kurs B\"><chapter url_name=\"c\"/></course>",
        ),
        ("course/chapter/c.xml", b"<chapter display_name=\"R\"/>"),
    ]);
    let office_b_course = id(install(st, &other, Some(&b.id), Visibility::Enrolled));
    Setup {
        course,
        office_b_course,
    }
}

fn edit_draft(
    st: &platform::web::AppState,
    cid: &str,
    f: impl FnOnce(&mut Course) -> Result<(), EditError>,
) {
    let mut conn = st.db.get().unwrap();
    drafts::edit(&mut conn, cid, None, f).unwrap();
}

fn current(st: &platform::web::AppState, cid: &str) -> Course {
    let mut conn = st.db.get().unwrap();
    store::load_current_by_id(&mut conn, cid)
        .unwrap()
        .unwrap()
        .1
}

fn version(st: &platform::web::AppState, cid: &str, number: i32) -> Course {
    let mut conn = st.db.get().unwrap();
    let id: String = store::course_versions::table
        .filter(store::course_versions::course_id.eq(cid))
        .filter(store::course_versions::number.eq(number))
        .filter(store::course_versions::state.eq("published"))
        .select(store::course_versions::id)
        .first(&mut conn)
        .unwrap();
    store::load_version(&mut conn, &id).unwrap()
}

fn version_numbers(st: &platform::web::AppState, cid: &str) -> Vec<i32> {
    let mut conn = st.db.get().unwrap();
    drafts::versions(&mut conn, cid)
        .unwrap()
        .into_iter()
        .map(|v| v.number)
        .collect()
}

fn has_draft(st: &platform::web::AppState, cid: &str) -> bool {
    let mut conn = st.db.get().unwrap();
    drafts::has_draft(&mut conn, cid).unwrap()
}

fn html_body(c: &Course, id: &str) -> Option<String> {
    find_in_tree(c, "html", id).and_then(|i| c.blocks[i].body.clone())
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// The learner's view of a unit (after the learner side's course cache has re-read the course).
macro_rules! unit_status {
    ($c:expr, $unit:expr) => {{
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let r = $c.get(&format!("/kursy/{KEY}/nauka/{}", $unit)).await;
        (r.status.as_u16(), r.body)
    }};
}

/// A new section with a subsection, unit and text, and unit `u1` renamed (also the browser
/// journey's draft).
pub(crate) fn new_section_and_rename(c: &mut Course) -> Result<(), EditError> {
    let root = c.root;
    let ch = edit::insert_child(
        c,
        root,
        None,
        edit::container("chapter", "ch_new", "Nowy rozdział"),
    )?;
    let s = edit::insert_child(
        c,
        ch,
        None,
        edit::container("sequential", "s_new", "Nowy podrozdział"),
    )?;
    let u = edit::insert_child(
        c,
        s,
        None,
        edit::container("vertical", "u_new", "Nowa jednostka"),
    )?;
    edit::insert_child(
        c,
        u,
        None,
        edit::html_block("h_new", "Nowy tekst", "<p>Świeża treść</p>"),
    )?;
    let u1 = find_in_tree(c, "vertical", "u1").ok_or(EditError::NotFound)?;
    edit::set_field(&mut c.blocks[u1], "display_name", Some("Lekcja pierwsza"));
    Ok(())
}

/// The typical draft: a new section with a subsection, unit and text; a renamed unit; a deleted
/// problem; a text moved to another unit.
fn typical_edits(c: &mut Course) -> Result<(), EditError> {
    new_section_and_rename(c)?;
    let p2 = find_in_tree(c, "problem", "p2").ok_or(EditError::NotFound)?;
    edit::remove(c, p2)?;
    let h2 = find_in_tree(c, "html", "h2").ok_or(EditError::NotFound)?;
    let u2 = find_in_tree(c, "vertical", "u2").ok_or(EditError::NotFound)?;
    edit::move_to(c, h2, u2, 0)
}

async fn changes_publish_versions_rollback(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let Setup {
        course: cid,
        office_b_course,
    } = setup(&st);
    let mut a = Client::new(spawn_app(st.clone()).await);
    a.login("autor-a@a.pl", PASSWORD).await.assert_status(303);
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let changes = format!("/studio/kursy/{cid}/zmiany");
    let publish = format!("/studio/kursy/{cid}/publikuj");

    // Nothing unpublished yet.
    a.get(&changes)
        .await
        .assert_status(200)
        .assert_contains("Brak niepublikowanych zmian")
        .assert_contains(&format!("/studio/kursy/{cid}/struktura"))
        .assert_contains(&format!("/studio/kursy/{cid}/wersje"));

    edit_draft(&st, &cid, typical_edits);
    let page = a.get(&changes).await;
    page.assert_status(200);
    for text in [
        "7 niepublikowanych zmian",
        "Sekcja 1: Rozdzial 1",
        "Sekcja 2: Nowy rozdział",
        "Jednostka 1: Lekcja pierwsza",
        "+ Dodano:</strong> sekcja „Nowy rozdział” <span class=\"change-place\">(Sekcja 2)",
        "+ Dodano:</strong> podrozdział „Nowy podrozdział” <span class=\"change-place\">(Sekcja 2 › Podrozdział 1)",
        "+ Dodano:</strong> jednostka „Nowa jednostka” <span class=\"change-place\">(Sekcja 2 › Podrozdział 1 › Jednostka 1)",
        "+ Dodano:</strong> tekst „Nowy tekst”",
        "~ Zmieniono:</strong> jednostka „Lekcja pierwsza” <span class=\"change-place\">(Sekcja 1 › Podrozdział 1 › Jednostka 1)",
        "nazwa zmieniona z „Lekcja 1” na „Lekcja pierwsza”",
        "− Usunięto:</strong> zadanie „Liczba” <span class=\"change-place\">(Sekcja 1 › Podrozdział 2 › Jednostka 1)",
        "↕ Przeniesiono:</strong> tekst „Skrypt” <span class=\"change-place\">(Sekcja 1 › Podrozdział 2 › Jednostka 1)",
        "poprzednie miejsce: Sekcja 1 › Podrozdział 1 › Jednostka 1",
        "Opublikuj wszystko",
        "Opublikuj sekcję",
        "Opublikuj jednostkę",
        "Odrzuć zmiany",
        "name=\"id\" value=\"u_new\"",
        "name=\"id\" value=\"ch_new\"",
        "name=\"id\" value=\"u2\"",
    ] {
        page.assert_contains(text);
    }
    assert_eq!(page.body.matches("<h1").count(), 1);
    // In English too.
    a.extra_headers = vec![("accept-language".into(), "en".into())];
    a.get(&changes)
        .await
        .assert_contains("7 unpublished changes")
        .assert_contains("+ Added:</strong> section “Nowy rozdział”")
        .assert_contains("name changed from “Lekcja 1” to “Lekcja pierwsza”")
        .assert_contains("Publish everything");
    a.extra_headers.clear();

    // Learners see none of it.
    let published = current(&st, &cid);
    assert!(find_in_tree(&published, "chapter", "ch_new").is_none());
    assert!(find_in_tree(&published, "problem", "p2").is_some());
    let (status, _) = unit_status!(learner, "u_new");
    assert_ne!(status, 200);
    let (status, body) = unit_status!(learner, "u2");
    assert_eq!(status, 200);
    assert!(body.contains("Liczba"), "{body}");

    // A unit whose subsection is not published: 422 saying what to do; nothing published.
    let r = a
        .post(&publish, &[("zakres", "jednostka"), ("id", "u_new")])
        .await;
    r.assert_status(422)
        .assert_contains("error-summary")
        .assert_contains("Co poszło nie tak")
        .assert_contains("Najpierw opublikuj sekcję „Nowy rozdział”")
        .assert_contains("name=\"id\" value=\"ch_new\"");
    assert_eq!(version_numbers(&st, &cid), [1]);
    a.extra_headers = vec![("accept-language".into(), "en".into())];
    a.post(&publish, &[("zakres", "jednostka"), ("id", "u_new")])
        .await
        .assert_status(422)
        .assert_contains("Publish section “Nowy rozdział” first");
    a.extra_headers.clear();
    // Malformed requests: 422, nothing published.
    for fields in [
        vec![("zakres", "jednostka")],
        vec![("zakres", "kurs"), ("id", "u1")],
        vec![],
    ] {
        a.post(&publish, &fields)
            .await
            .assert_status(422)
            .assert_contains("Nie wiadomo, co opublikować");
    }
    a.post(&publish, &[("zakres", "jednostka"), ("id", "nie-ma")])
        .await
        .assert_status(422);
    // No open redirect: `wroc` must stay on this course's Studio pages.
    for evil in [
        "https://evil.example/".to_string(),
        "//evil.example/studio/kursy/x".to_string(),
        format!("/studio/kursy/{office_b_course}/zmiany"),
        format!("/studio/kursy/{cid}x"),
        format!("/studio/kursy/{cid}/../../../wyloguj"),
        format!("/studio/kursy/{cid}//evil.example"),
        format!("https://evil.example/studio/kursy/{cid}"),
    ] {
        let r = a
            .post(&publish, &[("zakres", "wszystko"), ("wroc", evil.as_str())])
            .await;
        r.assert_status(422)
            .assert_contains("Adres powrotu nie prowadzi");
        assert!(r.location().is_empty());
    }
    assert_eq!(version_numbers(&st, &cid), [1]);
    // CSRF: refused without the token.
    a.post_raw(&publish, &[("zakres", "wszystko")], &[])
        .await
        .assert_status(403);
    assert_eq!(version_numbers(&st, &cid), [1]);

    // Publish the section: learners see it; the rest stays unpublished.
    let r = a
        .post(&publish, &[("zakres", "sekcja"), ("id", "ch_new")])
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), format!("{changes}?opublikowano=2"));
    a.get(r.location())
        .await
        .assert_contains("role=\"status\"")
        .assert_contains("Opublikowano jako wersję 2")
        .assert_contains("3 niepublikowane zmiany");
    let (status, body) = unit_status!(learner, "u_new");
    assert_eq!(status, 200);
    assert!(body.contains("Świeża treść"), "{body}");
    assert!(find_in_tree(&current(&st, &cid), "problem", "p2").is_some());

    // Publish a unit and return to another page of the course (the outline).
    let back = format!("/studio/kursy/{cid}/struktura");
    let r = a
        .post(
            &publish,
            &[
                ("zakres", "jednostka"),
                ("id", "u1"),
                ("wroc", back.as_str()),
            ],
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), back);
    assert!(r
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("szpon_flash=flash-published")));
    let now = current(&st, &cid);
    let u1 = find_in_tree(&now, "vertical", "u1").unwrap();
    assert_eq!(
        now.blocks[u1].display_name().as_deref(),
        Some("Lekcja pierwsza")
    );
    // Nothing left to publish there: 422.
    a.post(&publish, &[("zakres", "jednostka"), ("id", "u1")])
        .await
        .assert_status(422)
        .assert_contains("Nie ma tu nic do opublikowania");

    // Publish everything: the published course is the draft.
    let r = a.post(&publish, &[("zakres", "wszystko")]).await;
    r.assert_status(303);
    assert_eq!(r.location(), format!("{changes}?opublikowano=4"));
    a.get(&changes)
        .await
        .assert_contains("Brak niepublikowanych zmian");
    {
        let mut conn = st.db.get().unwrap();
        let d = drafts::draft(&mut conn, &cid, None).unwrap();
        assert_eq!(d.round_trip_view(), current(&st, &cid).round_trip_view());
    }
    assert!(find_in_tree(&current(&st, &cid), "problem", "p2").is_none());

    // The versions page: newest first, sources in words, who, the current one marked.
    let versions = format!("/studio/kursy/{cid}/wersje");
    let page = a.get(&versions).await;
    page.assert_status(200);
    let body = &page.body;
    let at = |s: &str| {
        body.find(s)
            .unwrap_or_else(|| panic!("{s} missing: {body}"))
    };
    assert!(at("<th scope=\"row\">4 <strong>(bieżąca)") < at("<th scope=\"row\">3"));
    assert!(at("<th scope=\"row\">3") < at("<th scope=\"row\">1"));
    page.assert_contains("opublikowanie zmian")
        .assert_contains("import kursu z pliku")
        .assert_contains("Anna Autorka")
        .assert_contains("nie zapisano")
        .assert_contains(&format!("/studio/kursy/{cid}/wersje/1/przywroc"))
        .assert_contains(&format!("/studio/kursy/{cid}/wersje/3/przywroc"));
    assert!(!body.contains("/wersje/4/przywroc"));

    // Rollback to version 1, with an unpublished change that goes away.
    edit_draft(&st, &cid, |c| {
        let u2 = find_in_tree(c, "vertical", "u2").ok_or(EditError::NotFound)?;
        edit::set_field(
            &mut c.blocks[u2],
            "display_name",
            Some("Zadania po zmianie"),
        );
        Ok(())
    });
    let confirm = format!("/studio/kursy/{cid}/wersje/1/przywroc");
    a.get(&confirm)
        .await
        .assert_status(200)
        .assert_contains("Przywrócić wersję 1?")
        .assert_contains("nowa wersja 5")
        .assert_contains("Niepublikowane zmiany zostaną odrzucone")
        .assert_contains("1 niepublikowana zmiana zostanie odrzucona");
    a.get(&format!("/studio/kursy/{cid}/wersje/4/przywroc"))
        .await
        .assert_status(422)
        .assert_contains("To jest bieżąca wersja");
    a.get(&format!("/studio/kursy/{cid}/wersje/99/przywroc"))
        .await
        .assert_status(404);
    a.post_raw(&confirm, &[], &[]).await.assert_status(403);
    a.post(&format!("/studio/kursy/{cid}/wersje/4/przywroc"), &[])
        .await
        .assert_status(422);
    a.post(&format!("/studio/kursy/{cid}/wersje/99/przywroc"), &[])
        .await
        .assert_status(404);
    assert_eq!(version_numbers(&st, &cid), [4, 3, 2, 1]);
    let r = a.post(&confirm, &[]).await;
    r.assert_status(303);
    assert_eq!(r.location(), format!("{versions}?przywrocono=1&jako=5"));
    a.get(r.location())
        .await
        .assert_contains("Przywrócono wersję 1: opublikowano ją jako wersję 5")
        .assert_contains("przywrócenie wersji 1")
        .assert_contains("<th scope=\"row\">5 <strong>(bieżąca)");
    assert_eq!(
        current(&st, &cid).round_trip_view(),
        version(&st, &cid, 1).round_trip_view()
    );
    assert!(!has_draft(&st, &cid));
    a.get(&changes)
        .await
        .assert_contains("Brak niepublikowanych zmian");
    let (status, _) = unit_status!(learner, "u_new");
    assert_ne!(status, 200);
    let (_, body) = unit_status!(learner, "u2");
    assert!(body.contains("Liczba"));

    // Discard, after a confirmation page.
    edit_draft(&st, &cid, |c| {
        let u2 = find_in_tree(c, "vertical", "u2").ok_or(EditError::NotFound)?;
        edit::remove(c, u2)
    });
    let discard = format!("/studio/kursy/{cid}/zmiany/odrzuc");
    a.get(&discard)
        .await
        .assert_status(200)
        .assert_contains("Odrzucić niepublikowane zmiany?")
        .assert_contains("3 niepublikowane zmiany");
    a.post_raw(&discard, &[], &[]).await.assert_status(403);
    assert!(has_draft(&st, &cid));
    let r = a.post(&discard, &[]).await;
    r.assert_status(303);
    assert_eq!(r.location(), changes);
    assert!(!has_draft(&st, &cid));
    a.get(&changes)
        .await
        .assert_contains("Odrzucono niepublikowane zmiany")
        .assert_contains("Brak niepublikowanych zmian");

    // The draft export holds the draft's change; the published export does not.
    edit_draft(&st, &cid, |c| {
        let u1 = find_in_tree(c, "vertical", "u1").ok_or(EditError::NotFound)?;
        edit::insert_child(
            c,
            u1,
            None,
            edit::html_block("h_szkic", "Szkic", "<p>Szkicowa treść</p>"),
        )?;
        Ok(())
    });
    let draft_export = a
        .get(&format!("/studio/kursy/{cid}/eksport?wersja=robocza"))
        .await;
    draft_export.assert_status(200);
    let disposition = draft_export
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains("wersja-robocza"), "{disposition}");
    assert!(gunzip(&draft_export.bytes).contains("Szkicowa treść"));
    let published_export = a.get(&format!("/studio/kursy/{cid}/eksport")).await;
    published_export.assert_status(200);
    let disposition = published_export
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(!disposition.contains("wersja-robocza"), "{disposition}");
    let tar = gunzip(&published_export.bytes);
    assert!(tar.contains("Zażółć gęślą jaźń") && !tar.contains("Szkicowa treść"));

    // Another office's author: 403 everywhere, nothing changes.
    let mut b = Client::new(spawn_app(st.clone()).await);
    b.login("autor-b@b.pl", PASSWORD).await.assert_status(303);
    for path in [
        changes.clone(),
        versions.clone(),
        confirm.clone(),
        discard.clone(),
        format!("/studio/kursy/{cid}/import"),
        format!("/studio/kursy/{cid}/eksport?wersja=robocza"),
    ] {
        b.get(&path).await.assert_status(403);
    }
    b.post(&publish, &[("zakres", "wszystko")])
        .await
        .assert_status(403);
    b.post(&confirm, &[]).await.assert_status(403);
    b.post(&discard, &[]).await.assert_status(403);
    assert_eq!(version_numbers(&st, &cid), [5, 4, 3, 2, 1]);
    assert!(has_draft(&st, &cid));
    a.get("/studio/kursy/nie-ma/zmiany")
        .await
        .assert_status(404);
}

crate::both_backends!(changes_publish_versions_rollback);

/// An import over the course: the same key, then an archive of another course (re-keyed into
/// this one), the confirmation when there are unpublished changes, a broken file, access, CSRF.
async fn import_over_a_course(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let Setup { course: cid, .. } = setup(&st);
    let mut a = Client::new(spawn_app(st.clone()).await);
    a.login("autor-a@a.pl", PASSWORD).await.assert_status(303);
    let import = format!("/studio/kursy/{cid}/import");
    let courses_before = {
        let mut conn = st.db.get().unwrap();
        store::count(&mut conn).unwrap()
    };

    // With an unpublished change, the form says it will be lost and asks to confirm.
    edit_draft(&st, &cid, |c| {
        let u1 = find_in_tree(c, "vertical", "u1").ok_or(EditError::NotFound)?;
        edit::set_field(&mut c.blocks[u1], "display_name", Some("Szkic nazwy"));
        Ok(())
    });
    a.get(&import)
        .await
        .assert_status(200)
        .assert_contains("Niepublikowane zmiany zostaną utracone: 1 zmiana")
        .assert_contains("name=\"potwierdzam\"")
        .assert_contains(&format!("dostanie jego identyfikator {KEY}"))
        .assert_contains(&format!("/studio/kursy/{cid}/import?csrf_token="));
    let r = a
        .post_multipart_with(&import, &[], "kurs.tar.gz", &learning_course(), true)
        .await;
    r.assert_status(422)
        .assert_contains("error-summary")
        .assert_contains("href=\"#potwierdzam\"")
        .assert_contains("Zaznacz, że o tym wiesz");
    assert_eq!(version_numbers(&st, &cid), [1]);
    assert!(has_draft(&st, &cid));
    // CSRF and another office: refused, nothing imported.
    a.post_multipart_with(
        &import,
        &[("potwierdzam", "yes")],
        "kurs.tar.gz",
        &learning_course(),
        false,
    )
    .await
    .assert_status(403);
    let mut b = Client::new(spawn_app(st.clone()).await);
    b.login("autor-b@b.pl", PASSWORD).await.assert_status(303);
    b.get(&import).await.assert_status(403);
    b.post_multipart_with(
        &import,
        &[("potwierdzam", "yes")],
        "kurs.tar.gz",
        &learning_course(),
        true,
    )
    .await
    .assert_status(403);
    assert_eq!(version_numbers(&st, &cid), [1]);
    // A file that is no export: 422 with the reason, nothing changed.
    a.post_multipart_with(
        &import,
        &[("potwierdzam", "yes")],
        "kurs.tar.gz",
        b"to nie jest eksport",
        true,
    )
    .await
    .assert_status(422)
    .assert_contains("Nie udało się zaimportować kursu");
    a.post_multipart_with(&import, &[("potwierdzam", "yes")], "", b"", true)
        .await
        .assert_status(422)
        .assert_contains("Wybierz plik eksportu kursu");
    assert_eq!(version_numbers(&st, &cid), [1]);
    assert!(has_draft(&st, &cid));

    // The same course, confirmed: a new published version; the draft is gone.
    let r = a
        .post_multipart_with(
            &import,
            &[("potwierdzam", "yes")],
            "kurs.tar.gz",
            &learning_course(),
            true,
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), format!("/studio/kursy/{cid}"));
    a.get(r.location())
        .await
        .assert_status(200)
        .assert_contains("Zaimportowano i opublikowano nową wersję kursu")
        .assert_contains(KEY);
    assert_eq!(version_numbers(&st, &cid), [2, 1]);
    assert!(!has_draft(&st, &cid));
    assert_eq!(
        version(&st, &cid, 2).round_trip_view(),
        version(&st, &cid, 1).round_trip_view()
    );

    // An export of another course (other org, number and run) goes into THIS course: it is
    // re-keyed, references to the other key in content follow, nothing else is created.
    let other_key = "course-v1:Inny+X9+2027";
    let mut other = current(&st, &cid);
    let h1 = find_in_tree(&other, "html", "h1").unwrap();
    other.blocks[h1].body = Some(format!(
        "<p>Treść z innego kursu</p><a href=\"/courses/{other_key}/jump_to_id/u2\">dalej</a>"
    ));
    let mut expected = other.clone();
    assert!(studio::import::rekey(&mut other, other_key));
    assert_eq!(other.key(), other_key);
    assert_eq!(other.root_block().id, "2027");
    let file = st.config.data_dir.join("inny.tar.gz");
    let blobs = platform::storage::BlobStore::new(&st.config.data_dir);
    studio::import::export_course(&other, &blobs, &file).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert!(gunzip(&bytes).contains("policies/2027/policy.json"));
    let r = a
        .post_multipart_with(&import, &[], "inny.tar.gz", &bytes, true)
        .await;
    r.assert_status(303);
    assert!(r
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("szpon_flash=flash-course-imported-rekeyed")));
    a.get(r.location())
        .await
        .assert_contains("Plik zawierał kurs o innym identyfikatorze");
    assert_eq!(version_numbers(&st, &cid), [3, 2, 1]);
    let now = current(&st, &cid);
    assert_eq!(now.key(), KEY);
    assert_eq!(now.root_block().id, "2026");
    expected.blocks[h1].body = Some(format!(
        "<p>Treść z innego kursu</p><a href=\"/courses/{KEY}/jump_to_id/u2\">dalej</a>"
    ));
    assert_eq!(now.round_trip_view(), expected.round_trip_view());
    {
        let mut conn = st.db.get().unwrap();
        assert!(store::find_by_key(&mut conn, other_key).unwrap().is_none());
        assert_eq!(store::count(&mut conn).unwrap(), courses_before);
        let row = store::find_by_key(&mut conn, KEY).unwrap().unwrap();
        assert_eq!(row.id, cid);
    }
    // The exported course names its policies after this course's run.
    let tar = gunzip(&a.get(&format!("/studio/kursy/{cid}/eksport")).await.bytes);
    assert!(tar.contains("policies/2026/policy.json") && !tar.contains("policies/2027"));
    assert!(html_body(&now, "h1")
        .unwrap()
        .contains("Treść z innego kursu"));
    // Learners see the imported version.
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let (status, body) = unit_status!(learner, "u1");
    assert_eq!(status, 200);
    assert!(body.contains("Treść z innego kursu"), "{body}");
}

crate::both_backends!(import_over_a_course);
