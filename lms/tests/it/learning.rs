//! Learning over HTTP on both backends: catalog and access rules, learning without an account
//! and the merge into an account, problems (grading, attempts, input errors), grades as the
//! course's policy gives them, and the demo course end to end.

use std::path::Path;

use diesel::prelude::*;
use platform::storage::BlobStore;
use studio::import::{allow_all, import, ImportOptions};
use studio::store::Visibility;

use crate::helpers::*;
use crate::olx_import::{shared, targz};

pub(crate) const KEY: &str = "course-v1:SZPoN+L1+2026";

/// A course with one graded homework subsection (two problems: a multiple choice worth 1 and a
/// numerical with weight 3 and one attempt) and an ungraded unit with html.
pub(crate) fn learning_course() -> Vec<u8> {
    targz(&[
        ("course/course.xml", b"<course url_name=\"2026\" org=\"SZPoN\" course=\"L1\"/>"),
        (
            "course/course/2026.xml",
            "<course display_name=\"Nauka próbna\" language=\"pl\">\n  <chapter url_name=\"ch1\"/>\n</course>\n".as_bytes(),
        ),
        (
            "course/chapter/ch1.xml",
            b"<chapter display_name=\"Rozdzial 1\">\n  <sequential url_name=\"s1\"/>\n  <sequential url_name=\"s2\"/>\n</chapter>\n",
        ),
        (
            "course/sequential/s1.xml",
            b"<sequential display_name=\"Wstep\">\n  <vertical url_name=\"u1\"/>\n</sequential>\n",
        ),
        (
            "course/sequential/s2.xml",
            b"<sequential display_name=\"Praca domowa\" graded=\"true\" format=\"Homework\">\n  <vertical url_name=\"u2\"/>\n</sequential>\n",
        ),
        (
            "course/vertical/u1.xml",
            b"<vertical display_name=\"Lekcja 1\">\n  <html url_name=\"h1\"/>\n  <html url_name=\"h2\"/>\n  <video url_name=\"v1\"/>\n  <poll url_name=\"poll1\" display_name=\"Sonda\" question=\"Jak pracujesz?\" answers=\"[[&quot;Z&quot;, {&quot;label&quot;: &quot;Zdalnie&quot;}], [&quot;B&quot;, {&quot;label&quot;: &quot;W biurze&quot;}]]\" feedback=\"Dzi\xc4\x99kujemy!\" max_submissions=\"1\"/>\n  <word_cloud url_name=\"wc1\"/>\n</vertical>\n",
        ),
        ("course/html/h1.xml", b"<html filename=\"h1\" display_name=\"Tekst\"/>"),
        ("course/html/h1.html", "<p>Zażółć gęślą jaźń <img src=\"/static/obraz.png\" alt=\"Obraz\"></p>".as_bytes()),
        ("course/static/obraz.png", b"\x89PNG fake"),
        ("course/html/h2.xml", b"<html filename=\"h2\" display_name=\"Skrypt\"/>"),
        ("course/html/h2.html", b"<p id=\"x\">A</p><script>document.getElementById('x').textContent = document.cookie;</script>"),
        (
            "course/video/v1.xml",
            b"<video display_name=\"Film\" youtube_id_1_0=\"\" html5_sources=\"[&quot;/static/film.mp4&quot;]\" transcripts=\"{&quot;pl&quot;: &quot;film-pl.srt&quot;}\"><source src=\"/static/film.mp4\"/><transcript language=\"pl\" src=\"film-pl.srt\"/></video>",
        ),
        ("course/static/film.mp4", b"not really a video"),
        ("course/static/film-pl.srt", "1\r\n00:00:01,000 --> 00:00:02,500\r\nDzień dobry\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nŻegnam\r\n".as_bytes()),
        (
            "course/vertical/u2.xml",
            b"<vertical display_name=\"Zadania\">\n  <problem url_name=\"p1\"/>\n  <problem url_name=\"p2\"/>\n</vertical>\n",
        ),
        (
            "course/problem/p1.xml",
            b"<problem display_name=\"Stolica\"><multiplechoiceresponse><label>Stolica Polski?</label><choicegroup type=\"MultipleChoice\"><choice correct=\"false\">Krakow</choice><choice correct=\"true\">Warszawa</choice></choicegroup></multiplechoiceresponse></problem>",
        ),
        (
            "course/problem/p2.xml",
            b"<problem display_name=\"Liczba\" weight=\"3\" max_attempts=\"1\"><numericalresponse answer=\"4\"><label>2+2?</label><formulaequationinput/></numericalresponse></problem>",
        ),
        (
            "course/policies/2026/grading_policy.json",
            b"{\"GRADER\": [{\"type\": \"Homework\", \"min_count\": 1, \"drop_count\": 0, \"short_label\": \"HW\", \"weight\": 1.0}], \"GRADE_CUTOFFS\": {\"Pass\": 0.5}}",
        ),
        ("course/policies/2026/policy.json", b"{\"course/2026\": {}}"),
    ])
}

pub(crate) fn install(
    st: &platform::web::AppState,
    bytes: &[u8],
    org: Option<&str>,
    v: Visibility,
) -> String {
    let path = st.config.data_dir.join("course.tar.gz");
    std::fs::create_dir_all(&st.config.data_dir).unwrap();
    std::fs::write(&path, bytes).unwrap();
    install_path(st, &path, org, v)
}

pub(crate) fn install_path(
    st: &platform::web::AppState,
    path: &Path,
    org: Option<&str>,
    v: Visibility,
) -> String {
    let store = BlobStore::new(&st.config.data_dir);
    let report = import(
        &st.db,
        &store,
        &st.config.data_dir,
        path,
        &ImportOptions {
            organisation_id: org,
            user_id: None,
            check: &allow_all,
        },
    )
    .unwrap();
    let mut conn = st.db.get().unwrap();
    studio::store::set_visibility(&mut conn, &report.course_id, v).unwrap();
    report.course_key
}

pub(crate) fn rows_of(
    st: &platform::web::AppState,
    learner: &str,
) -> Vec<(String, i32, Option<f64>)> {
    use lms::learning::db::learner_blocks::dsl as lb;
    let mut conn = st.db.get().unwrap();
    lb::learner_blocks
        .filter(lb::learner_id.eq(learner))
        .select((lb::block_key, lb::attempts, lb::earned))
        .order(lb::block_key.asc())
        .load(&mut conn)
        .unwrap()
}

pub(crate) fn learner_ids(st: &platform::web::AppState) -> Vec<String> {
    use lms::learning::db::learner_blocks::dsl as lb;
    let mut conn = st.db.get().unwrap();
    let mut v: Vec<String> = lb::learner_blocks
        .select(lb::learner_id)
        .distinct()
        .load(&mut conn)
        .unwrap();
    v.sort();
    v
}

pub(crate) fn user_id(st: &platform::web::AppState, email: &str) -> String {
    let mut conn = st.db.get().unwrap();
    platform::models::user::find_by_email(&mut conn, email)
        .unwrap()
        .unwrap()
        .id
}

async fn anonymous_progress_moves_into_the_account(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &learning_course(), None, Visibility::Public);
    let mut c = Client::new(spawn_app(st.clone()).await);

    // The catalog shows the course with its "no account needed" badge.
    c.get("/kursy")
        .await
        .assert_status(200)
        .assert_contains("Nauka próbna")
        .assert_contains("Dostępny bez konta");
    let about = c.get(&format!("/kursy/{KEY}")).await;
    about
        .assert_status(200)
        .assert_contains("Ucz się bez konta");
    // Courseware without the learner cookie leads back to the about page.
    let r = c.get(&format!("/kursy/{KEY}/nauka")).await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(r.location(), format!("/kursy/{KEY}"));

    let r = c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(
        c.jar.contains_key("szpon_learner"),
        "anonymous learner cookie set"
    );
    c.get(&format!("/kursy/{KEY}/nauka"))
        .await
        .assert_status(200)
        .assert_contains("Lekcja 1");
    let unit = c.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    unit.assert_status(200)
        .assert_contains("Zażółć gęślą jaźń")
        .assert_contains(&format!("/kursy/{KEY}/static/obraz.png"));
    c.get(&format!("/kursy/{KEY}/static/obraz.png"))
        .await
        .assert_status(200);

    // Answer the multiple choice right; an input error on the numerical uses no attempt.
    let unit2 = c.get(&format!("/kursy/{KEY}/nauka/u2")).await;
    unit2
        .assert_status(200)
        .assert_contains("name=\"input_p1_2_1\"")
        .assert_contains("<fieldset");
    let r = c
        .post(
            &format!("/kursy/{KEY}/problem/p1"),
            &[("action", "check"), ("input_p1_2_1", "choice_1")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/p2"),
            &[("action", "check"), ("input_p2_2_1", "2+")],
        )
        .await;
    r.assert_status(200);
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["result"], "input_error", "{j}");
    assert_eq!(j["attempts"], 0);

    let anon: Vec<String> = learner_ids(&st);
    assert_eq!(anon.len(), 1);
    assert!(anon[0].starts_with("anon-"));
    let before = rows_of(&st, &anon[0]);
    assert!(
        before
            .iter()
            .any(|(k, a, e)| k == "problem/p1" && *a == 1 && *e == Some(1.0)),
        "{before:?}"
    );

    // Registering merges: the same rows now belong to the account, nothing stays anonymous.
    c.register("uczen@example.pl", "Jan Uczeń", "bardzo-tajne-haslo-1")
        .await;
    c.get("/").await;
    assert!(
        !c.jar.contains_key("szpon_learner"),
        "the learner cookie is dropped after the merge"
    );
    let uid = user_id(&st, "uczen@example.pl");
    assert_eq!(learner_ids(&st), vec![uid.clone()]);
    let after = rows_of(&st, &uid);
    assert_eq!(
        after.len(),
        before.len(),
        "no row lost or doubled: {after:?}"
    );
    assert!(after
        .iter()
        .any(|(k, a, e)| k == "problem/p1" && *a == 1 && *e == Some(1.0)));
    // The grade was recomputed for the account: p1 1/1, p2 0/3 → 1/4 = 25 %.
    let progress = c.get(&format!("/kursy/{KEY}/postep")).await;
    progress.assert_status(200).assert_contains("25%");
    // The unit shows the stored answer as the learner's own.
    let unit2 = c.get(&format!("/kursy/{KEY}/nauka/u2")).await;
    assert!(
        unit2.body.contains("checked"),
        "stored answer shown after the merge: {}",
        unit2.body
    );
}

async fn merge_keeps_the_better_answer_without_double_counting(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &learning_course(), None, Visibility::Public);
    make_user(&st, "ola@example.pl", "Ola", "bardzo-tajne-haslo-2", false);
    let mut c = Client::new(spawn_app(st.clone()).await);
    // In the account: p1 answered wrong.
    c.login("ola@example.pl", "bardzo-tajne-haslo-2").await;
    c.post(
        &format!("/kursy/{KEY}/problem/p1"),
        &[("action", "check"), ("input_p1_2_1", "choice_0")],
    )
    .await;
    c.post("/wyloguj", &[]).await;
    // Anonymously, on another day: p1 right, p2 right.
    c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    c.post(
        &format!("/kursy/{KEY}/problem/p1"),
        &[("action", "check"), ("input_p1_2_1", "choice_1")],
    )
    .await;
    c.post(
        &format!("/kursy/{KEY}/problem/p2"),
        &[("action", "check"), ("input_p2_2_1", "4")],
    )
    .await;
    c.login("ola@example.pl", "bardzo-tajne-haslo-2").await;
    c.get("/").await;
    let uid = user_id(&st, "ola@example.pl");
    let rows = rows_of(&st, &uid);
    let p: Vec<_> = rows
        .iter()
        .filter(|(k, _, _)| k.starts_with("problem/"))
        .collect();
    assert_eq!(p.len(), 2, "{rows:?}");
    assert!(
        p.iter()
            .any(|(k, _, e)| k == "problem/p1" && *e == Some(1.0)),
        "the right answer wins: {rows:?}"
    );
    assert!(p
        .iter()
        .any(|(k, _, e)| k == "problem/p2" && *e == Some(1.0)));
    assert_eq!(learner_ids(&st), vec![uid]);
    // 1/1 + 3/3 → 100 %, counted once.
    c.get(&format!("/kursy/{KEY}/postep"))
        .await
        .assert_status(200)
        .assert_contains("100%");
}

async fn attempts_and_grades_follow_the_policy(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &learning_course(), None, Visibility::Enrolled);
    make_user(&st, "ewa@example.pl", "Ewa", "bardzo-tajne-haslo-3", false);
    let mut c = Client::new(spawn_app(st.clone()).await);
    // Enrolled-only: anonymous visitors are asked to sign in, not offered free mode.
    let r = c.get(&format!("/kursy/{KEY}/nauka")).await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(r.location().starts_with("/logowanie"), "{}", r.location());
    c.get(&format!("/kursy/{KEY}")).await.assert_status(200);
    let r = c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    assert!(r.location().starts_with("/logowanie"));

    c.login("ewa@example.pl", "bardzo-tajne-haslo-3").await;
    let r = c.get(&format!("/kursy/{KEY}/nauka")).await;
    assert_eq!(r.location(), format!("/kursy/{KEY}"), "not enrolled yet");
    c.get(&format!("/kursy/{KEY}"))
        .await
        .assert_contains("Zapisz się na kurs");
    c.post(&format!("/kursy/{KEY}/zapisz"), &[]).await;
    c.get(&format!("/kursy/{KEY}/nauka"))
        .await
        .assert_status(200);

    // Wrong numerical answer uses the only attempt; the problem is then closed.
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/p2"),
            &[("action", "check"), ("input_p2_2_1", "5")],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["result"], "graded");
    assert_eq!(j["attempts"], 1);
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/p2"),
            &[("action", "check"), ("input_p2_2_1", "4")],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["result"], "closed");
    assert_eq!(j["earned"], 0.0);
    // p1 right: 1/1 + 0/3 (weight 3) = 1/4 → 25 %, below the 50 % pass mark.
    c.post(
        &format!("/kursy/{KEY}/problem/p1"),
        &[("action", "check"), ("input_p1_2_1", "choice_1")],
    )
    .await;
    let p = c.get(&format!("/kursy/{KEY}/postep")).await;
    p.assert_status(200)
        .assert_contains("Ocena z kursu: 25%")
        .assert_contains("próg zaliczenia: 50%");
    assert!(p.body.contains("<svg") && p.body.contains("role=\"img\""));
}

async fn organisation_courses_stay_inside_the_organisation(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let (org_a, _org_b) = {
        let mut conn = st.db.get().unwrap();
        let a = platform::models::organisation::create(&mut conn, "urzad-a", "Urząd A", "other")
            .unwrap();
        let bb = platform::models::organisation::create(&mut conn, "urzad-b", "Urząd B", "other")
            .unwrap();
        (a.id, bb.id)
    };
    install(
        &st,
        &learning_course(),
        Some(&org_a),
        Visibility::Organisation,
    );
    let member = make_user(&st, "a@example.pl", "A", "bardzo-tajne-haslo-4", false);
    let other = make_user(&st, "b@example.pl", "B", "bardzo-tajne-haslo-5", false);
    {
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            &org_a,
            &member,
            platform::access::Role::Official,
        )
        .unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            &_org_b,
            &other,
            platform::access::Role::Official,
        )
        .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    let cat = c.get("/kursy").await;
    assert!(!cat.body.contains("Nauka próbna"), "hidden from visitors");
    c.login("b@example.pl", "bardzo-tajne-haslo-5").await;
    assert!(
        !c.get("/kursy").await.body.contains("Nauka próbna"),
        "hidden from another office"
    );
    c.get(&format!("/kursy/{KEY}")).await.assert_status(404);
    c.get(&format!("/kursy/{KEY}/nauka/u1"))
        .await
        .assert_status(403);
    let r = c
        .post(
            &format!("/kursy/{KEY}/problem/p1"),
            &[("action", "check"), ("input_p1_2_1", "choice_1")],
        )
        .await;
    r.assert_status(403);
    c.get(&format!("/kursy/{KEY}/static/obraz.png"))
        .await
        .assert_status(404);
    c.post("/wyloguj", &[]).await;
    c.login("a@example.pl", "bardzo-tajne-haslo-4").await;
    c.get("/kursy").await.assert_contains("Nauka próbna");
    c.get(&format!("/kursy/{KEY}/nauka/u1"))
        .await
        .assert_status(200);
}

/// The demo course: every unit renders for an anonymous learner (no block is blank or an
/// error); an enrolled learner who answers every gradable problem with the answers Show answer
/// reveals gets every such subsection at 100 % and the course grade the policy gives.
async fn demo_course_is_learnable_end_to_end(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let key = install_path(&st, &shared("demo.tar.gz"), None, Visibility::Public);
    let cache = lms::learning::cache::CourseCache::default();
    let course = cache.get(&st.db, &key).await.unwrap().unwrap();
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.post(&format!("/kursy/{key}/bez-konta"), &[]).await;
    let units: Vec<String> = course
        .units
        .iter()
        .map(|u| course.block(u.idx).id.clone())
        .collect();
    assert!(units.len() > 20, "demo course has its units");
    for u in &units {
        let r = c.get(&format!("/kursy/{key}/nauka/{u}")).await;
        r.assert_status(200);
        assert!(
            !r.body.contains("problem-broken"),
            "unit {u} has a broken problem"
        );
    }
    c.get(&format!("/kursy/{key}/nauka"))
        .await
        .assert_status(200);

    // An enrolled learner answers everything right.
    c.fresh_jar();
    make_user(
        &st,
        "kursant@example.pl",
        "Kursant",
        "bardzo-tajne-haslo-6",
        false,
    );
    c.login("kursant@example.pl", "bardzo-tajne-haslo-6").await;
    let uid = user_id(&st, "kursant@example.pl");
    let mut graded = 0;
    let mut scripted = 0;
    for idx in course.course.walk() {
        let blk = course.block(idx);
        if blk.block_type != "problem" {
            continue;
        }
        let Ok(p) = lms::learning::problems::learner_problem(&course, idx, &uid) else {
            continue;
        };
        if p.needs_python() {
            scripted += 1;
            continue;
        }
        // Show answer reveals a region for image inputs and the correct option for annotations;
        // neither is what a learner submits (a click, a chosen index).
        if p.inputs()
            .iter()
            .any(|i| matches!(i.input_tag.as_str(), "imageinput" | "annotationinput"))
        {
            continue;
        }
        let answers = p.correct_answers();
        let mut fields: Vec<(String, String)> = vec![("action".into(), "check".into())];
        for input in p.inputs() {
            let Some(vals) = answers.get(&input.id) else {
                continue;
            };
            let many = matches!(
                input.input_tag.as_str(),
                "checkboxgroup" | "radiogroup" | "checkboxtextgroup"
            );
            for v in vals {
                let name = if many {
                    format!("input_{}[]", input.id)
                } else {
                    format!("input_{}", input.id)
                };
                fields.push((name, v.clone()));
            }
        }
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let r = c
            .post_json(&format!("/kursy/{key}/problem/{}", blk.id), &refs)
            .await;
        r.assert_status(200);
        let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(j["result"], "graded", "problem {}: {j}", blk.id);
        assert_eq!(
            j["earned"], j["possible"],
            "Show answer's answers are right: {} {j}",
            blk.id
        );
        graded += 1;
    }
    assert!(graded > 10, "{graded} problems answered");
    assert!(scripted > 0, "the demo course has scripted problems too");
    let progress = c.get(&format!("/kursy/{key}/postep")).await;
    progress.assert_status(200);
    // The stored grade equals what Open edX's rules give for the stored scores.
    let detail = {
        let mut conn = st.db.get().unwrap();
        let pr = lms::learning::db::progress(&mut conn, &course.row.id, &uid).unwrap();
        lms::learning::grades::compute(&course, &uid, &pr)
    };
    let record = {
        let mut conn = st.db.get().unwrap();
        lms::learning::db::course_record(&mut conn, &course.row.id, &uid)
            .unwrap()
            .unwrap()
    };
    assert_eq!(record.percent, detail.percent);
    let stored = rows_of(&st, &uid)
        .iter()
        .filter(|(k, a, e)| k.starts_with("problem/") && *a == 1 && e.is_some())
        .count();
    assert_eq!(stored, graded, "every graded submission stored once");
    assert!(detail.percent > 0.0, "graded: {detail:?}");
    progress.assert_contains(&format!(
        "Ocena z kursu: {}%",
        (detail.percent * 100.0).round()
    ));
    // The demo policy: one subsection each of Basic (weight 0.3), Intermediate (0.35) and
    // Advanced (0.35), min_count 1, nothing dropped; the course percent is rounded to whole
    // percents with Open edX's +0.05 nudge.
    let pct_of = |format: &str| {
        let s = detail
            .subsections
            .iter()
            .find(|s| s.graded && s.format.as_deref() == Some(format))
            .unwrap_or_else(|| panic!("{format} subsection"));
        assert!((s.percent - s.earned / s.possible).abs() < 0.005, "{s:?}");
        s.percent
    };
    let raw = 0.3 * pct_of("Basic Assessment Tools")
        + 0.35 * pct_of("Intermediate Assessment Tools")
        + 0.35 * pct_of("Advanced Assessment Tools");
    let expected = ((raw * 100.0 + 0.05) + 0.5).floor() / 100.0;
    assert!(
        (detail.percent - expected).abs() < 1e-9,
        "{} vs {expected}",
        detail.percent
    );
    assert_eq!(
        pct_of("Basic Assessment Tools"),
        1.0,
        "all Basic problems are gradable"
    );
}

/// Author HTML with scripts runs only in a sandboxed frame; videos get captions converted to
/// WebVTT and a text transcript; blocks SZPoN cannot run yet say so.
async fn content_blocks_render_safely(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &learning_course(), None, Visibility::Public);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let unit = c.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    unit.assert_status(200);
    assert!(
        !unit.body.contains("document.cookie"),
        "author scripts never inline in a portal page"
    );
    assert!(
        unit.body.contains(&format!("src=\"/kursy/{KEY}/blok/h2\"")),
        "scripted html in a frame"
    );
    assert!(unit.body.contains("sandbox=\"allow-scripts"));
    let frame = c.get(&format!("/kursy/{KEY}/blok/h2")).await;
    frame.assert_status(200).assert_contains("document.cookie");
    let csp = frame
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.starts_with("sandbox allow-scripts"), "{csp}");
    assert!(
        !csp.contains("allow-same-origin"),
        "the frame gets an opaque origin: {csp}"
    );
    // Video: the player, captions and a transcript.
    assert!(unit.body.contains("<video controls"));
    assert!(unit.body.contains(&format!("/kursy/{KEY}/static/film.mp4")));
    assert!(unit.body.contains("<track kind=\"captions\""));
    let vtt = c.get(&format!("/kursy/{KEY}/transkrypcja/v1/pl.vtt")).await;
    vtt.assert_status(200)
        .assert_contains("WEBVTT")
        .assert_contains("00:00:01.000 --> 00:00:02.500")
        .assert_contains("Dzień dobry");
    let txt = c.get(&format!("/kursy/{KEY}/transkrypcja/v1/pl.txt")).await;
    txt.assert_status(200).assert_contains("Żegnam");
    assert!(!txt.body.contains("-->"));
    c.get(&format!("/kursy/{KEY}/transkrypcja/v1/de.vtt"))
        .await
        .assert_status(404);
    // A word cloud is not built yet: an accessible notice naming the type.
    assert!(
        unit.body.contains("role=\"note\"") && unit.body.contains("„word_cloud”"),
        "notice for word_cloud"
    );
}

/// Runs a Debian tool on a file; the CI script installs them (poppler-utils, zbar-tools).
pub(crate) fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{name} is missing ({e}): run .ci/run or apt-get install poppler-utils zbar-tools"
            )
        });
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A learner with an account who passes gets a certificate: the PDF carries the name, the course
/// and every Polish letter in an embedded font, and its QR code leads to the public
/// verification page, which shows the same name. Staff of the course can revoke it (not staff of
/// another office), after which the page says so and the PDF is gone. Anonymous learners who pass
/// are invited to create an account.
async fn passing_learners_get_verifiable_certificates(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let (org, other) = {
        let mut conn = st.db.get().unwrap();
        let o = platform::models::organisation::create(
            &mut conn,
            "urzad-lodz",
            "Urząd Miasta Łodzi",
            "other",
        )
        .unwrap()
        .id;
        let x =
            platform::models::organisation::create(&mut conn, "urzad-inny", "Urząd Inny", "other")
                .unwrap()
                .id;
        (o, x)
    };
    install(&st, &learning_course(), Some(&org), Visibility::Public);
    for (email, o) in [("autor@lodz.pl", &org), ("autor@inny.pl", &other)] {
        let id = make_user(&st, email, email, "bardzo-tajne-haslo-9", false);
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            o,
            &id,
            platform::access::Role::Author,
        )
        .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    // Anonymous and passing: no certificate, an invitation to register.
    c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    c.post(
        &format!("/kursy/{KEY}/problem/p1"),
        &[("action", "check"), ("input_p1_2_1", "choice_1")],
    )
    .await;
    c.post(
        &format!("/kursy/{KEY}/problem/p2"),
        &[("action", "check"), ("input_p2_2_1", "4")],
    )
    .await;
    let p = c.get(&format!("/kursy/{KEY}/postep")).await;
    p.assert_contains("Kurs zaliczony")
        .assert_contains("załóż konto");
    assert!(!p.body.contains("/certificates/"));
    // Registering merges the passing grade and issues the certificate in the person's name.
    c.register(
        "zazolc@example.pl",
        "Zażółć Gęślą Jaźń",
        "bardzo-tajne-haslo-10",
    )
    .await;
    c.get("/").await;
    // The grade recomputed at the merge passes: the certificate is already there.
    let p = c.get(&format!("/kursy/{KEY}/postep")).await;
    let uuid = p
        .body
        .split("/certificates/")
        .nth(1)
        .map(|r| r[..32].to_string())
        .unwrap_or_else(|| panic!("no certificate link: {}", p.body));
    assert!(uuid.bytes().all(|b| b.is_ascii_hexdigit()));
    // The PDF, read back with real tools.
    let pdf = c.get(&format!("/certificates/{uuid}/pdf")).await;
    pdf.assert_status(200);
    let bytes = {
        // The test client keeps bodies as text: fetch the bytes again through the app.
        let app = spawn_app(st.clone()).await;
        let req = actix_web::test::TestRequest::get()
            .uri(&format!("/certificates/{uuid}/pdf"))
            .to_request();
        actix_web::test::call_and_read_body(&app, req).await
    };
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() < 100 * 1024,
        "{} bytes",
        bytes.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("z.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let f = file.to_str().unwrap();
    let text = tool("pdftotext", &[f, "-"]);
    assert!(text.contains("Zażółć Gęślą Jaźń"), "{text}");
    assert!(text.contains("Nauka próbna"), "{text}");
    assert!(text.contains("Urząd Miasta Łodzi"), "{text}");
    let fonts = tool("pdffonts", &[f]);
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "{fonts}"
    );
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "150",
            "-singlefile",
            f,
            dir.path().join("z").to_str().unwrap(),
        ],
    );
    let qr = tool(
        "zbarimg",
        &[
            "--quiet",
            "--raw",
            dir.path().join("z.png").to_str().unwrap(),
        ],
    );
    let url = format!("http://localhost:8080/certificates/{uuid}");
    assert_eq!(qr.trim(), url);
    // Anyone can verify, without signing in.
    let mut anyone = Client::new(spawn_app(st.clone()).await);
    let page = anyone.get(&format!("/certificates/{uuid}")).await;
    page.assert_status(200)
        .assert_contains("Zaświadczenie jest ważne")
        .assert_contains("Zażółć Gęślą Jaźń");
    let j: serde_json::Value =
        serde_json::from_str(&anyone.get(&format!("/certificates/{uuid}/json")).await.body)
            .unwrap();
    assert_eq!(j["status"], "valid");
    assert_eq!(j["name"], "Zażółć Gęślą Jaźń");
    let ob: serde_json::Value = serde_json::from_str(
        &anyone
            .get(&format!("/certificates/{uuid}/openbadge"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(ob["id"], url.as_str());
    anyone
        .get("/certificates/0123456789abcdef0123456789abcdef")
        .await
        .assert_status(404)
        .assert_contains("Nie znaleziono zaświadczenia");
    // Another office's author may not see or revoke it.
    anyone.login("autor@inny.pl", "bardzo-tajne-haslo-9").await;
    anyone
        .get(&format!("/kursy/{KEY}/zaswiadczenia"))
        .await
        .assert_status(403);
    anyone
        .post(
            &format!("/kursy/{KEY}/zaswiadczenia/{uuid}/uniewaznij"),
            &[("reason", "x")],
        )
        .await
        .assert_status(403);
    // The course's author revokes it with a reason.
    anyone.post("/wyloguj", &[]).await;
    anyone.login("autor@lodz.pl", "bardzo-tajne-haslo-9").await;
    anyone
        .get(&format!("/kursy/{KEY}/zaswiadczenia"))
        .await
        .assert_status(200)
        .assert_contains("Zażółć Gęślą Jaźń");
    let r = anyone
        .post(
            &format!("/kursy/{KEY}/zaswiadczenia/{uuid}/uniewaznij"),
            &[("reason", "Błąd w danych")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303);
    let page = c.get(&format!("/certificates/{uuid}")).await;
    page.assert_contains("Zaświadczenie zostało unieważnione")
        .assert_contains("Błąd w danych");
    let j: serde_json::Value =
        serde_json::from_str(&c.get(&format!("/certificates/{uuid}/json")).await.body).unwrap();
    assert_eq!(j["status"], "revoked");
    c.get(&format!("/certificates/{uuid}/pdf"))
        .await
        .assert_status(410);
}

/// A poll: vote once (max_submissions 1), see the feedback and the results, a second vote is
/// refused; staff download the votes as CSV, which matches them; learners may not.
async fn polls_record_votes_and_export_them(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = {
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::create(&mut conn, "urzad-p", "Urząd P", "other")
            .unwrap()
            .id
    };
    install(&st, &learning_course(), Some(&org), Visibility::Public);
    let author = make_user(
        &st,
        "autor@example.pl",
        "Autor",
        "bardzo-tajne-haslo-8",
        false,
    );
    {
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            &org,
            &author,
            platform::access::Role::Author,
        )
        .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    // Three anonymous learners vote: Z, Z, B.
    for choice in ["Z", "Z", "B"] {
        c.fresh_jar();
        c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
        let page = c.get(&format!("/kursy/{KEY}/nauka/u1")).await;
        page.assert_contains("<legend>Jak pracujesz?</legend>")
            .assert_contains("name=\"choice_\"");
        let r = c
            .post(
                &format!("/kursy/{KEY}/glosuj/poll1"),
                &[("choice_", choice)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303);
        let after = c.get(&format!("/kursy/{KEY}/nauka/u1")).await;
        after
            .assert_contains("Dziękujemy!")
            .assert_contains("poll-results");
        // max_submissions 1: the form is gone and a second vote is not counted.
        assert!(!after
            .body
            .contains("action=\"/kursy/course-v1:SZPoN+L1+2026/glosuj/poll1\""));
        c.post(&format!("/kursy/{KEY}/glosuj/poll1"), &[("choice_", "B")])
            .await;
    }
    let last = c.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    last.assert_contains("Wyniki: odpowiedziały 3 osoby");
    assert!(
        last.body
            .contains("<th scope=\"row\">Zdalnie</th><td>2</td>"),
        "{}",
        last.body
    );
    assert!(last
        .body
        .contains("<th scope=\"row\">W biurze</th><td>1</td>"));
    // An answer that is not offered is refused.
    c.fresh_jar();
    c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    c.post(&format!("/kursy/{KEY}/glosuj/poll1"), &[("choice_", "X")])
        .await;
    c.get(&format!("/kursy/{KEY}/glosy/poll1.csv"))
        .await
        .assert_status(403);
    // Staff: the CSV has one line per vote, matching the tally.
    c.fresh_jar();
    c.login("autor@example.pl", "bardzo-tajne-haslo-8").await;
    let csv = c.get(&format!("/kursy/{KEY}/glosy/poll1.csv")).await;
    csv.assert_status(200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "learner,question_key,question,answer_key,answer,submissions"
    );
    assert_eq!(lines.len(), 4, "{}", csv.body);
    assert_eq!(
        lines.iter().filter(|l| l.contains(",Z,Zdalnie,")).count(),
        2
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains(",B,W biurze,")).count(),
        1
    );
}

/// A library pick is stored at the first view and follows the learner into the account: after
/// registering, the same two of six library problems show, with the answer given anonymously.
async fn library_picks_survive_the_merge(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let key = install_path(&st, &shared("demo.tar.gz"), None, Visibility::Public);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.post(&format!("/kursy/{key}/bez-konta"), &[]).await;
    let unit = format!("/kursy/{key}/nauka/7aaf479ec21f4b90b30822bdc35ae894");
    let picked = |body: &str| -> Vec<String> {
        let mut v: Vec<String> = body
            .match_indices("action=\"/kursy/")
            .filter_map(|(i, _)| body[i..].split('"').nth(1))
            .filter_map(|a| a.rsplit("/problem/").next().map(str::to_string))
            .collect();
        v.sort();
        v
    };
    let first = picked(&c.get(&unit).await.body);
    assert_eq!(first.len(), 2, "max_count 2 of the library's 6: {first:?}");
    assert_eq!(
        picked(&c.get(&unit).await.body),
        first,
        "stable across views"
    );
    let p = &first[0];
    // Radio or checkbox group, as the page renders it.
    let page = c.get(&unit).await.body;
    let (field, value) = if page.contains(&format!("name=\"input_{p}_2_1[]\"")) {
        (format!("input_{p}_2_1[]"), "choice_0")
    } else if page.contains(&format!("type=\"radio\" name=\"input_{p}_2_1\"")) {
        (format!("input_{p}_2_1"), "choice_0")
    } else {
        (format!("input_{p}_2_1"), "12")
    };
    let r = c
        .post_json(
            &format!("/kursy/{key}/problem/{p}"),
            &[("action", "check"), (&field, value)],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["result"], "graded", "{j}");
    c.register(
        "biblioteka@example.pl",
        "Ala Biblioteczna",
        "bardzo-tajne-haslo-7",
    )
    .await;
    let after = c.get(&unit).await;
    assert_eq!(picked(&after.body), first, "the same picks in the account");
    let uid = user_id(&st, "biblioteka@example.pl");
    let rows = rows_of(&st, &uid);
    assert!(
        rows.iter()
            .any(|(k, a, _)| k == &format!("problem/{p}") && *a == 1),
        "{p} {rows:?} {:?}",
        learner_ids(&st)
    );
    // The graded answer shows with its result next to it.
    assert!(
        after.body.contains("capa-status-text"),
        "the anonymous answer shows in the account"
    );
}

/// New anonymous learner ids share the registration limit per IP: a script cannot mint
/// identities without end.
async fn anonymous_ids_are_rate_limited(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[("SZPON_RATE_REGISTER_PER_IP", "3")]);
    install(&st, &learning_course(), None, Visibility::Public);
    let mut c = Client::new(spawn_app(st.clone()).await);
    for _ in 0..3 {
        c.jar.remove("szpon_learner");
        let r = c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
        assert_eq!(r.status.as_u16(), 303);
    }
    c.jar.remove("szpon_learner");
    let r = c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    assert_eq!(r.status.as_u16(), 429, "{}", r.body);
    assert!(!c.jar.contains_key("szpon_learner"));
}

/// Twenty simultaneous submissions of a one-attempt problem by the same learner: exactly one is
/// graded and counted; the others are refused as closed, nothing is double counted.
async fn concurrent_submissions_count_once(b: Backend) {
    use actix_web::test;
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &learning_course(), None, Visibility::Public);
    let app = spawn_app(st.clone()).await;
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let cookie = format!(
        "szpon_csrf={}; szpon_learner={}",
        c.jar["szpon_csrf"], c.jar["szpon_learner"]
    );
    let body = format!(
        "csrf_token={}&action=check&input_p2_2_1=4",
        c.jar["szpon_csrf"]
    );
    let calls = (0..20).map(|_| {
        let req = test::TestRequest::post()
            .uri(&format!("/kursy/{KEY}/problem/p2"))
            .insert_header(("cookie", cookie.clone()))
            .insert_header(("accept", "application/json"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .peer_addr("10.1.2.3:4567".parse().unwrap())
            .set_payload(body.clone())
            .to_request();
        test::call_service(&app, req)
    });
    let mut results = Vec::new();
    for res in futures_util::future::join_all(calls).await {
        assert_eq!(res.status().as_u16(), 200);
        let j: serde_json::Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
        results.push(j["result"].as_str().unwrap().to_string());
    }
    assert_eq!(
        results.iter().filter(|r| *r == "graded").count(),
        1,
        "{results:?}"
    );
    assert!(
        results.iter().all(|r| r == "graded" || r == "closed"),
        "{results:?}"
    );
    let anon = learner_ids(&st);
    let rows = rows_of(&st, &anon[0]);
    assert!(
        rows.iter()
            .any(|(k, a, e)| k == "problem/p2" && *a == 1 && *e == Some(1.0)),
        "{rows:?}"
    );
}

/// The poll and survey of Open edX's own test course (`../shared/olx/demo_test_course.tar.gz`)
/// render, record the votes of three learners, show the tally, and the staff CSV has exactly
/// those votes (one line per question answered).
async fn shared_course_poll_and_survey_record_votes(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = {
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::create(&mut conn, "urzad-s", "Urząd S", "other")
            .unwrap()
            .id
    };
    let key = install_path(
        &st,
        &shared("demo_test_course.tar.gz"),
        Some(&org),
        Visibility::Public,
    );
    assert_eq!(key, "course-v1:edX+Test101+course");
    let author = make_user(&st, "a@s.pl", "Autor", "bardzo-tajne-haslo-8", false);
    {
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            &org,
            &author,
            platform::access::Role::Author,
        )
        .unwrap();
    }
    const POLL: &str = "01948ffd7e304ecda821e36e35ef5a93";
    const SURVEY: &str = "842ba3d0c0074ad4b664655fdf46f2fb";
    let poll_unit = format!("/kursy/{key}/nauka/10bea4bb1f524ed3a2543099cbb434c4");
    let survey_unit = format!("/kursy/{key}/nauka/cb4e20fd9444496e8f2422d95a6f5095");
    let votes = [
        ("R", ["Y", "N", "M"]),
        ("R", ["Y", "Y", "Y"]),
        ("G", ["N", "N", "M"]),
    ];
    let mut c = Client::new(spawn_app(st.clone()).await);
    for (colour, survey) in votes {
        c.fresh_jar();
        c.post(&format!("/kursy/{key}/bez-konta"), &[]).await;
        c.get(&poll_unit)
            .await
            .assert_status(200)
            .assert_contains("What is your favorite color?")
            .assert_contains("Green");
        let r = c
            .post(
                &format!("/kursy/{key}/glosuj/{POLL}"),
                &[("choice_", colour)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        c.get(&survey_unit)
            .await
            .assert_status(200)
            .assert_contains("Would you recommend this course to your friends?");
        let r = c
            .post(
                &format!("/kursy/{key}/glosuj/{SURVEY}"),
                &[
                    ("choice_enjoy", survey[0]),
                    ("choice_recommend", survey[1]),
                    ("choice_learn", survey[2]),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }
    let poll = c.get(&poll_unit).await;
    assert!(
        poll.body.contains("<th scope=\"row\">Red</th><td>2</td>"),
        "{}",
        poll.body
    );
    assert!(poll.body.contains("<th scope=\"row\">Green</th><td>1</td>"));
    assert!(poll.body.contains("<th scope=\"row\">Blue</th><td>0</td>"));
    c.fresh_jar();
    c.login("a@s.pl", "bardzo-tajne-haslo-8").await;
    let csv = c.get(&format!("/kursy/{key}/glosy/{POLL}.csv")).await;
    csv.assert_status(200);
    let lines: Vec<&str> = csv.body.lines().skip(1).collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert_eq!(lines.iter().filter(|l| l.contains(",R,Red,")).count(), 2);
    assert_eq!(lines.iter().filter(|l| l.contains(",G,Green,")).count(), 1);
    let csv = c.get(&format!("/kursy/{key}/glosy/{SURVEY}.csv")).await;
    let lines: Vec<&str> = csv.body.lines().skip(1).collect();
    assert_eq!(lines.len(), 9, "{}", csv.body);
    let count = |q: &str, a: &str| {
        lines
            .iter()
            .filter(|l| l.contains(&format!(",{q},")) && l.contains(&format!(",{a},")))
            .count()
    };
    for (q, i) in [("enjoy", 0), ("recommend", 1), ("learn", 2)] {
        for a in ["Y", "N", "M"] {
            let expected = votes.iter().filter(|(_, s)| s[i] == a).count();
            assert_eq!(count(q, a), expected, "{q}={a}: {}", csv.body);
        }
    }
    // Three distinct learners, each on three lines.
    let mut who: Vec<&str> = lines.iter().map(|l| l.split(',').next().unwrap()).collect();
    who.sort();
    who.dedup();
    assert_eq!(who.len(), 3);
}

crate::both_backends!(
    shared_course_poll_and_survey_record_votes,
    passing_learners_get_verifiable_certificates,
    polls_record_votes_and_export_them,
    library_picks_survive_the_merge,
    anonymous_ids_are_rate_limited,
    concurrent_submissions_count_once,
    content_blocks_render_safely,
    anonymous_progress_moves_into_the_account,
    merge_keeps_the_better_answer_without_double_counting,
    attempts_and_grades_follow_the_policy,
    organisation_courses_stay_inside_the_organisation,
    demo_course_is_learnable_end_to_end,
);
