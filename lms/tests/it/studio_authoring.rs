//! A course authored from nothing in Studio, end to end, on both databases: created, given a
//! section, a graded subsection and a unit with an HTML block, a markdown multiple-choice problem
//! and a markdown numerical problem, published; a learner takes it and is graded; the export
//! passes Open edX's own validator (olxcleaner, every step) with no error and no warning, and
//! imports back into a fresh SZPoN with the same tree.

use platform::access::Role;
use platform::models::organisation;
use platform::storage::BlobStore;
use studio::import::{allow_all, import, ImportOptions};
use studio::store::Visibility;
use xblock_compat::capa::markdown::markdown_to_olx;
use xblock_compat::olx::edit;

use crate::helpers::*;
use crate::olx_validation::olxcheck;

const PASSWORD: &str = "hasło autorki 1";
const KEY: &str = "course-v1:urzad-a+ABC1+2026";

const MC: &str =
    ">>Która stolica jest nad Wisłą?<<\n( ) Kraków i Poznań\n(x) Warszawa\n( ) Gdańsk\n";
const NUM: &str = ">>Ile to 6 × 7?<<\n= 42 +- 0.5\n";

/// Builds the draft the way Studio's editors do and returns the ids of the two problems.
fn author_draft(st: &platform::web::AppState, course_id: &str) -> (String, String) {
    let mut conn = st.db.get().unwrap();
    studio::drafts::edit::<_, edit::EditError>(&mut conn, course_id, None, |c| {
        let ch = edit::insert_child(
            c,
            c.root,
            None,
            edit::container("chapter", "ch1", "Rozdział 1"),
        )?;
        let sq = edit::insert_child(c, ch, None, edit::container("sequential", "sq1", "Zadania"))?;
        edit::set_field(&mut c.blocks[sq], "graded", Some("true"));
        edit::set_field(&mut c.blocks[sq], "format", Some("Homework"));
        let u = edit::insert_child(c, sq, None, edit::container("vertical", "u1", "Lekcja 1"))?;
        edit::insert_child(
            c,
            u,
            None,
            edit::html_block("h1", "Wstęp", "<p>Zażółć <strong>gęślą</strong> jaźń</p>"),
        )?;
        for (id, md, name) in [("pmc", MC, "Stolica"), ("pnum", NUM, "Mnożenie")] {
            let olx = markdown_to_olx(md).unwrap();
            let mut b = edit::leaf_from_xml("problem", id, &olx)?;
            edit::set_field(&mut b, "display_name", Some(name));
            edit::set_field(&mut b, "markdown", Some(md));
            edit::insert_child(c, u, None, b)?;
        }
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    ("pmc".into(), "pnum".into())
}

async fn authored_course_is_taken_exported_and_reimported(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = {
        let mut conn = st.db.get().unwrap();
        organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap()
    };
    let author = make_user(&st, "autorka@a.pl", "Autorka", PASSWORD, false);
    {
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, &org.id, &author, Role::Author).unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autorka@a.pl", PASSWORD).await;
    let r = c
        .post(
            "/studio/nowy-kurs",
            &[
                ("organisation", org.id.as_str()),
                ("number", "ABC1"),
                ("run", "2026"),
                ("title", "Kurs od zera"),
                ("language", "pl"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let course_id = {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, KEY)
            .unwrap()
            .unwrap()
            .id
    };
    let page = format!("/studio/kursy/{course_id}");
    c.get(&page)
        .await
        .assert_status(200)
        .assert_contains("Przed eksportem do Open edX")
        .assert_contains("Obraz kursu");
    // Open edX's validator requires a start, an end and a course image: the author sets them on
    // the schedule and about pages.
    c.post(
        &format!("/studio/kursy/{course_id}/harmonogram"),
        &[("start", "2026-01-15T09:00"), ("end", "2027-06-30T18:00")],
    )
    .await
    .assert_status(303);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image".to_vec();
    c.post_file(
        &format!("/studio/kursy/{course_id}/opis"),
        "course_image",
        "okladka.png",
        "image/png",
        &png,
    )
    .await
    .assert_status(303);
    let r = c.get(&page).await;
    assert!(
        !r.body.contains("Przed eksportem do Open edX"),
        "{}",
        r.body
    );
    // One assignment type, so one right answer out of two passes.
    let policy = r#"{"GRADER": [{"type": "Homework", "min_count": 1, "drop_count": 0, "short_label": "HW", "weight": 1.0}], "GRADE_CUTOFFS": {"Pass": 0.5}}"#;
    {
        let mut conn = st.db.get().unwrap();
        studio::store::change_current(&mut conn, &course_id, None, "grading", |c| {
            c.grading_policy = Some(policy.to_string());
            true
        })
        .unwrap();
        studio::store::set_visibility(&mut conn, &course_id, Visibility::Public).unwrap();
    }
    let (pmc, pnum) = author_draft(&st, &course_id);

    let published = {
        let mut conn = st.db.get().unwrap();
        // Unpublished, the draft is not what learners get.
        let (_, current) = studio::store::load_current_by_id(&mut conn, &course_id)
            .unwrap()
            .unwrap();
        assert_eq!(current.find("vertical", "u1"), None);
        studio::drafts::publish(&mut conn, &course_id, &studio::drafts::Scope::All, None).unwrap();
        studio::store::load_current_by_id(&mut conn, &course_id)
            .unwrap()
            .unwrap()
            .1
    };

    // A learner takes it: the multiple choice right, the numerical wrong → 1/2 = 50 %, passed.
    let mut l = Client::new(spawn_app(st.clone()).await);
    let r = l.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    let unit = l.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    unit.assert_status(200)
        .assert_contains("Zażółć <strong>gęślą</strong> jaźń")
        .assert_contains("Która stolica jest nad Wisłą?");
    let mc_input = format!("input_{pmc}_2_1");
    let num_input = format!("input_{pnum}_2_1");
    assert!(unit.body.contains(&mc_input), "{}", unit.body);
    let r = l
        .post_json(
            &format!("/kursy/{KEY}/problem/{pmc}"),
            &[("action", "check"), (mc_input.as_str(), "choice_1")],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (j["earned"].as_f64(), j["possible"].as_f64()),
        (Some(1.0), Some(1.0)),
        "{j}"
    );
    let r = l
        .post_json(
            &format!("/kursy/{KEY}/problem/{pnum}"),
            &[("action", "check"), (num_input.as_str(), "41")],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (j["earned"].as_f64(), j["possible"].as_f64()),
        (Some(0.0), Some(1.0)),
        "{j}"
    );
    l.get(&format!("/kursy/{KEY}/postep"))
        .await
        .assert_status(200)
        .assert_contains("50%");

    // The author exports it; olxcleaner finds nothing at any step.
    let r = c.get(&format!("/studio/kursy/{course_id}/eksport")).await;
    r.assert_status(200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.tar.gz");
    std::fs::write(&path, &r.bytes).unwrap();
    let report = olxcheck(&path, 8);
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(report["warnings"], serde_json::json!([]), "{report}");

    // And it imports back into a fresh SZPoN with the same tree.
    let db2 = TestDb::new(b);
    let st2 = state(&db2, &[]);
    let store = BlobStore::new(&st2.config.data_dir);
    let back = import(
        &st2.db,
        &store,
        &st2.config.data_dir,
        &path,
        &ImportOptions {
            organisation_id: None,
            user_id: None,
            check: &allow_all,
        },
    )
    .unwrap();
    assert_eq!(back.course_key, KEY);
    let again = {
        let mut conn = st2.db.get().unwrap();
        studio::store::load_current(&mut conn, KEY)
            .unwrap()
            .unwrap()
            .1
    };
    assert_eq!(again.round_trip_view(), published.round_trip_view());
}

crate::both_backends!(authored_course_is_taken_exported_and_reimported);

/// Twenty authors renaming twenty units of one course at once: every rename lands (each edit
/// holds the course's write lock from its first statement), none is lost to a stale copy.
async fn concurrent_draft_edits_all_land(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let course = crate::learning::install(
        &st,
        &crate::learning::learning_course(),
        None,
        Visibility::Public,
    );
    let course_id = {
        let mut conn = st.db.get().unwrap();
        let id = studio::store::find_by_key(&mut conn, &course)
            .unwrap()
            .unwrap()
            .id;
        // Twenty units to rename.
        studio::drafts::edit::<_, edit::EditError>(&mut conn, &id, None, |c| {
            let sq = c
                .walk()
                .into_iter()
                .find(|&i| c.blocks[i].block_type == "sequential")
                .unwrap();
            for n in 0..20 {
                edit::insert_child(
                    c,
                    sq,
                    None,
                    edit::container("vertical", &format!("r{n}"), "Stara"),
                )?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        id
    };
    let threads: Vec<_> = (0..20)
        .map(|n| {
            let (st, id) = (st.clone(), course_id.clone());
            std::thread::spawn(move || {
                let mut conn = st.db.get().unwrap();
                studio::drafts::edit::<_, edit::EditError>(&mut conn, &id, None, |c| {
                    let u = edit::find_in_tree(c, "vertical", &format!("r{n}")).unwrap();
                    edit::set_field(&mut c.blocks[u], "display_name", Some(&format!("Nowa {n}")));
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("edit {n}: {e:?}"));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut conn = st.db.get().unwrap();
    let draft = studio::drafts::draft(&mut conn, &course_id, None).unwrap();
    for n in 0..20 {
        let u = draft.find("vertical", &format!("r{n}")).unwrap();
        assert_eq!(draft.blocks[u].display_name(), Some(format!("Nowa {n}")));
    }
    // An edit that changes nothing starts no draft.
    studio::drafts::discard_draft(&mut conn, &course_id).unwrap();
    studio::drafts::edit::<_, edit::EditError>(&mut conn, &course_id, None, |_| Ok(()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!studio::drafts::has_draft(&mut conn, &course_id).unwrap());
}

crate::both_backends!(concurrent_draft_edits_all_land);

/// Pages that only show the draft (the unit page, an editor, the preview) start no draft.
async fn viewing_starts_no_draft(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = {
        let mut conn = st.db.get().unwrap();
        organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap()
    };
    let author = make_user(&st, "autorka@a.pl", "Autorka", PASSWORD, false);
    {
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, &org.id, &author, Role::Author).unwrap();
    }
    let key = crate::learning::install(
        &st,
        &crate::learning::learning_course(),
        Some(&org.id),
        Visibility::Public,
    );
    let id = {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, &key)
            .unwrap()
            .unwrap()
            .id
    };
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autorka@a.pl", PASSWORD).await;
    for page in [
        format!("/studio/kursy/{id}/struktura"),
        format!("/studio/kursy/{id}/jednostka/u2"),
        format!("/studio/kursy/{id}/komponent/problem/p1"),
        format!("/studio/kursy/{id}/podglad/u2"),
        format!("/studio/kursy/{id}/zmiany"),
    ] {
        c.get(&page).await.assert_status(200);
    }
    let mut conn = st.db.get().unwrap();
    assert!(!studio::drafts::has_draft(&mut conn, &id).unwrap());
}

crate::both_backends!(viewing_starts_no_draft);

/// The preview's frame for author HTML with scripts comes from the draft (the block is not
/// published yet), sandboxed, for the course's authors only.
async fn preview_frames_come_from_the_draft(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut ids = Vec::new();
    for (slug, email) in [("urzad-a", "autorka@a.pl"), ("urzad-b", "autor@b.pl")] {
        let org = {
            let mut conn = st.db.get().unwrap();
            organisation::create(&mut conn, slug, slug, "municipality").unwrap()
        };
        let user = make_user(&st, email, email, PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, &org.id, &user, Role::Author).unwrap();
        ids.push(org.id);
    }
    let key = crate::learning::install(
        &st,
        &crate::learning::learning_course(),
        Some(&ids[0]),
        Visibility::Public,
    );
    let id = {
        let mut conn = st.db.get().unwrap();
        let id = studio::store::find_by_key(&mut conn, &key)
            .unwrap()
            .unwrap()
            .id;
        studio::drafts::edit::<_, edit::EditError>(&mut conn, &id, None, |c| {
            let u = edit::find_in_tree(c, "vertical", "u2").unwrap();
            let body = "<p id=\"n\">Szkic</p><script>document.getElementById('n').textContent = 'skrypt';</script>";
            edit::insert_child(c, u, Some(0), edit::html_block("hs", "Skrypt", body))?;
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        id
    };
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autorka@a.pl", PASSWORD).await;
    let frame = format!("/studio/kursy/{id}/podglad-blok/hs");
    c.get(&format!("/studio/kursy/{id}/podglad/u2"))
        .await
        .assert_status(200)
        .assert_contains(&format!("src=\"{frame}\""));
    let r = c.get(&frame).await;
    r.assert_status(200).assert_contains("Szkic");
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.starts_with("sandbox allow-scripts"), "{csp}");
    // Not published: the learner's frame does not have it.
    c.get(&format!("/kursy/{key}/blok/hs"))
        .await
        .assert_status(404);
    c.get(&format!("/studio/kursy/{id}/podglad-blok/nie-ma"))
        .await
        .assert_status(404);
    c.fresh_jar();
    c.login("autor@b.pl", PASSWORD).await;
    c.get(&frame).await.assert_status(403);
}

crate::both_backends!(preview_frames_come_from_the_draft);
