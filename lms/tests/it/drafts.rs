//! Drafts and publishing (issue 6, item 4) on both backends: unpublished changes are invisible to
//! learners, publishing a unit shows exactly that unit, settings reach the draft, rollback
//! restores a previous published version, discard, and an import over a course with a draft.

use std::time::Duration;

use diesel::prelude::*;
use platform::access::Role;
use platform::models::organisation;
use studio::drafts::{self, DraftError, Scope};
use studio::store::{self, Visibility};
use xblock_compat::olx::publish::ChangeKind;
use xblock_compat::olx::Course;

use crate::helpers::*;
use crate::learning::{install, learning_course, KEY};

fn set_body(c: &mut Course, id: &str, text: &str) {
    let i = c.find("html", id).unwrap();
    c.blocks[i].body = Some(text.to_string());
}

/// (kind, block id) of each unpublished change.
fn changes(st: &platform::web::AppState, cid: &str) -> Vec<(ChangeKind, String)> {
    let mut conn = st.db.get().unwrap();
    drafts::changes(&mut conn, cid)
        .unwrap()
        .into_iter()
        .map(|c| (c.kind, c.id))
        .collect()
}

/// Published version numbers, newest first, and the sources.
fn versions(st: &platform::web::AppState, cid: &str) -> Vec<(i32, String)> {
    let mut conn = st.db.get().unwrap();
    drafts::versions(&mut conn, cid)
        .unwrap()
        .into_iter()
        .map(|v| (v.number, v.source))
        .collect()
}

/// The draft row is never the current version.
fn draft_is_not_current(st: &platform::web::AppState, cid: &str) {
    let mut conn = st.db.get().unwrap();
    let row = store::find_by_key(&mut conn, KEY).unwrap().unwrap();
    let current = row.current_version_id.unwrap();
    let state: String = store::course_versions::table
        .find(&current)
        .select(store::course_versions::state)
        .first(&mut conn)
        .unwrap();
    assert_eq!(state, "published");
    if let Some(d) = drafts::draft_version_id(&mut conn, cid).unwrap() {
        assert_ne!(d, current);
    }
}

/// A learner's unit page.
macro_rules! unit_page {
    ($c:expr, $unit:expr) => {{
        let r = $c.get(&format!("/kursy/{KEY}/nauka/{}", $unit)).await;
        r.assert_status(200);
        r.body
    }};
}

async fn learners_see_published_versions_only(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let mut conn = st.db.get().unwrap();
    let office = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    drop(conn);
    let author = make_user(&st, "autor@a.pl", "Autor", "hasło testowe 1", false);
    {
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, &office.id, &author, Role::Author).unwrap();
    }
    install(
        &st,
        &learning_course(),
        Some(&office.id),
        Visibility::Public,
    );
    let cid = {
        let mut conn = st.db.get().unwrap();
        store::find_by_key(&mut conn, KEY).unwrap().unwrap().id
    };
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    assert!(unit_page!(learner, "u1").contains("Zażółć gęślą jaźń"));

    // No draft yet: nothing unpublished, nothing to publish.
    assert!(changes(&st, &cid).is_empty());
    {
        let mut conn = st.db.get().unwrap();
        assert!(!drafts::has_draft(&mut conn, &cid).unwrap());
        assert!(matches!(
            drafts::publish(&mut conn, &cid, &Scope::All, Some(&author)),
            Err(DraftError::NothingToPublish)
        ));
    }

    // Draft edits in two units: the html of u1 and a problem's name in u2.
    {
        let mut conn = st.db.get().unwrap();
        let mut d = drafts::draft(&mut conn, &cid, Some(&author)).unwrap();
        set_body(&mut d, "h1", "<p>Nowa treść lekcji</p>");
        let p1 = d.find("problem", "p1").unwrap();
        d.blocks[p1].attrs[0].1 = "Stolica kraju".into();
        drafts::save_draft(&mut conn, &cid, &d, Some(&author)).unwrap();
        // The draft reads back as saved.
        let again = drafts::draft(&mut conn, &cid, Some(&author)).unwrap();
        assert_eq!(again.round_trip_view(), d.round_trip_view());
        // Another course's tree is refused.
        let mut other = d.clone();
        other.run = "inny".into();
        assert!(matches!(
            drafts::save_draft(&mut conn, &cid, &other, None),
            Err(DraftError::WrongCourse(_))
        ));
    }
    assert_eq!(
        changes(&st, &cid),
        [
            (ChangeKind::Changed, "h1".to_string()),
            (ChangeKind::Changed, "p1".to_string())
        ]
    );
    {
        let mut conn = st.db.get().unwrap();
        let list = drafts::changes(&mut conn, &cid).unwrap();
        assert_eq!(list[0].unit.as_ref().unwrap().id, "u1");
        assert_eq!(
            list[0].section.as_ref().unwrap().display_name.as_deref(),
            Some("Rozdzial 1")
        );
    }
    draft_is_not_current(&st, &cid);
    // Unpublished changes are invisible to learners, also after the cache re-checks.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = unit_page!(learner, "u1");
    assert!(page.contains("Zażółć gęślą jaźń"));
    assert!(!page.contains("Nowa treść lekcji"));
    assert_eq!(versions(&st, &cid), [(1, "import".to_string())]);

    // Publishing u1 shows it; u2's change stays unpublished.
    let n = {
        let mut conn = st.db.get().unwrap();
        drafts::publish(&mut conn, &cid, &Scope::Unit("u1".into()), Some(&author)).unwrap()
    };
    assert_eq!(n, 2);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = unit_page!(learner, "u1");
    assert!(page.contains("Nowa treść lekcji"), "{page}");
    assert!(!page.contains("Zażółć gęślą jaźń"));
    let page = unit_page!(learner, "u2");
    assert!(page.contains("Stolica"));
    assert!(!page.contains("Stolica kraju"));
    assert_eq!(
        changes(&st, &cid),
        [(ChangeKind::Changed, "p1".to_string())]
    );
    draft_is_not_current(&st, &cid);

    // A setting applied at once (grading) reaches the draft too; the draft's own change stays.
    let n = {
        let mut conn = st.db.get().unwrap();
        store::change_current(&mut conn, &cid, Some(&author), "grading", |c| {
            c.grading_policy = Some("{\"GRADER\": [], \"GRADE_CUTOFFS\": {\"Pass\": 0.7}}".into());
            true
        })
        .unwrap()
    };
    assert_eq!(n, Some(3));
    {
        let mut conn = st.db.get().unwrap();
        let d = drafts::draft(&mut conn, &cid, None).unwrap();
        assert!(d.grading_policy.unwrap().contains("0.7"));
    }
    assert_eq!(
        changes(&st, &cid),
        [(ChangeKind::Changed, "p1".to_string())]
    );

    // Publishing the section takes the rest; nothing is left to publish.
    {
        let mut conn = st.db.get().unwrap();
        let n = drafts::publish(
            &mut conn,
            &cid,
            &Scope::Section("ch1".into()),
            Some(&author),
        )
        .unwrap();
        assert_eq!(n, 4);
        assert!(matches!(
            drafts::publish(&mut conn, &cid, &Scope::Unit("u2".into()), None),
            Err(DraftError::NothingToPublish)
        ));
        assert!(matches!(
            drafts::publish(&mut conn, &cid, &Scope::Unit("nie-ma".into()), None),
            Err(DraftError::Publish(_))
        ));
    }
    assert!(changes(&st, &cid).is_empty());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(unit_page!(learner, "u2").contains("Stolica kraju"));

    // Rollback to version 1: a new version 5 with version 1's contents; the draft is reset.
    {
        let mut conn = st.db.get().unwrap();
        assert!(matches!(
            drafts::rollback(&mut conn, &cid, 0, None),
            Err(DraftError::NoVersion(0))
        ));
        assert!(matches!(
            drafts::rollback(&mut conn, &cid, 9, None),
            Err(DraftError::NoVersion(9))
        ));
        assert_eq!(
            drafts::rollback(&mut conn, &cid, 1, Some(&author)).unwrap(),
            5
        );
        assert!(!drafts::has_draft(&mut conn, &cid).unwrap());
        let (_, now) = store::load_current_by_id(&mut conn, &cid).unwrap().unwrap();
        let v1: String = store::course_versions::table
            .filter(store::course_versions::course_id.eq(&cid))
            .filter(store::course_versions::number.eq(1))
            .select(store::course_versions::id)
            .first(&mut conn)
            .unwrap();
        let first = store::load_version(&mut conn, &v1).unwrap();
        assert_eq!(now.round_trip_view(), first.round_trip_view());
    }
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = unit_page!(learner, "u1");
    assert!(page.contains("Zażółć gęślą jaźń"));
    assert!(!page.contains("Nowa treść lekcji"));
    assert!(!unit_page!(learner, "u2").contains("Stolica kraju"));
    assert_eq!(
        versions(&st, &cid)
            .into_iter()
            .map(|(n, s)| format!("{n} {s}"))
            .collect::<Vec<_>>(),
        [
            "5 rollback:1",
            "4 publish",
            "3 grading",
            "2 publish",
            "1 import"
        ]
    );
    // Rolling back to the state after the first publish brings u1's new text back.
    {
        let mut conn = st.db.get().unwrap();
        assert_eq!(drafts::rollback(&mut conn, &cid, 2, None).unwrap(), 6);
    }
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(unit_page!(learner, "u1").contains("Nowa treść lekcji"));

    // Discard: the draft and its changes go; learners never saw them.
    {
        let mut conn = st.db.get().unwrap();
        let mut d = drafts::draft(&mut conn, &cid, None).unwrap();
        set_body(&mut d, "h1", "<p>Porzucony szkic</p>");
        drafts::save_draft(&mut conn, &cid, &d, None).unwrap();
    }
    assert_eq!(
        changes(&st, &cid),
        [(ChangeKind::Changed, "h1".to_string())]
    );
    {
        let mut conn = st.db.get().unwrap();
        assert!(drafts::discard_draft(&mut conn, &cid).unwrap());
        assert!(!drafts::discard_draft(&mut conn, &cid).unwrap());
        let d = drafts::draft(&mut conn, &cid, None).unwrap();
        assert_eq!(
            d.blocks[d.find("html", "h1").unwrap()].body.as_deref(),
            Some("<p>Nowa treść lekcji</p>")
        );
    }
    assert!(changes(&st, &cid).is_empty());
    assert_eq!(versions(&st, &cid).len(), 6);

    // An import of the course over it replaces the draft too.
    {
        let mut conn = st.db.get().unwrap();
        let mut d = drafts::draft(&mut conn, &cid, None).unwrap();
        set_body(&mut d, "h1", "<p>Szkic przed importem</p>");
        drafts::save_draft(&mut conn, &cid, &d, None).unwrap();
    }
    let mut a = Client::new(spawn_app(st.clone()).await);
    a.login("autor@a.pl", "hasło testowe 1").await;
    a.post_multipart(
        "/studio/api/import",
        &office.id,
        "kurs.tar.gz",
        &learning_course(),
        true,
    )
    .await
    .assert_status(200);
    {
        let mut conn = st.db.get().unwrap();
        assert!(!drafts::has_draft(&mut conn, &cid).unwrap());
    }
    assert!(changes(&st, &cid).is_empty());
    assert_eq!(versions(&st, &cid)[0], (7, "import".to_string()));
    draft_is_not_current(&st, &cid);
    // Draft rows are never counted as published versions.
    {
        let mut conn = st.db.get().unwrap();
        drafts::draft(&mut conn, &cid, None).unwrap();
        let rows: i64 = store::course_versions::table
            .filter(store::course_versions::course_id.eq(&cid))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(rows, 8);
    }
    assert_eq!(versions(&st, &cid).len(), 7);
}

crate::both_backends!(learners_see_published_versions_only);
