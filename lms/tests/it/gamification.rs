//! Gamification over HTTP on both backends: points once per unit and per problem, badges,
//! 50 concurrent identical submissions, courses without gamification, the merge of an anonymous
//! learner, the opt-in pseudonymous leaderboard, badge pages with Open Badges 3.0 credentials,
//! and the dashboard.

use diesel::prelude::*;
use studio::store::Visibility;

use crate::helpers::*;
use crate::learning::{install, user_id};
use crate::olx_import::targz;

const GKEY: &str = "course-v1:SZPoN+G1+2026";
const PASSWORD: &str = "bardzo-tajne-haslo-7";

/// Two chapters: ch1 = u1 (html) and u2 (p1: multiple choice, unlimited attempts; p2: numerical,
/// one attempt), ch2 = u3 (html). Graded homework with a pass at 50 %. The title has markup
/// characters, which badge images must escape.
fn gam_course() -> Vec<u8> {
    targz(&[
        ("course/course.xml", b"<course url_name=\"2026\" org=\"SZPoN\" course=\"G1\"/>"),
        (
            "course/course/2026.xml",
            b"<course display_name=\"Gra &amp; &lt;nauka&gt;\" language=\"pl\">\n  <chapter url_name=\"ch1\"/>\n  <chapter url_name=\"ch2\"/>\n</course>\n",
        ),
        (
            "course/chapter/ch1.xml",
            b"<chapter display_name=\"Podstawy\">\n  <sequential url_name=\"s1\"/>\n  <sequential url_name=\"s2\"/>\n</chapter>\n",
        ),
        (
            "course/chapter/ch2.xml",
            b"<chapter display_name=\"Dalej\">\n  <sequential url_name=\"s3\"/>\n</chapter>\n",
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
            "course/sequential/s3.xml",
            b"<sequential display_name=\"Koniec\">\n  <vertical url_name=\"u3\"/>\n</sequential>\n",
        ),
        (
            "course/vertical/u1.xml",
            b"<vertical display_name=\"Lekcja 1\">\n  <html url_name=\"h1\"/>\n</vertical>\n",
        ),
        ("course/html/h1.xml", b"<html filename=\"h1\" display_name=\"Tekst\"/>"),
        ("course/html/h1.html", b"<p>Tekst lekcji</p>"),
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
            b"<problem display_name=\"Liczba\" max_attempts=\"1\"><numericalresponse answer=\"4\"><label>2+2?</label><formulaequationinput/></numericalresponse></problem>",
        ),
        (
            "course/vertical/u3.xml",
            b"<vertical display_name=\"Lekcja 3\">\n  <html url_name=\"h3\"/>\n</vertical>\n",
        ),
        ("course/html/h3.xml", b"<html filename=\"h3\" display_name=\"Koniec\"/>"),
        ("course/html/h3.html", b"<p>Gratulacje</p>"),
        (
            "course/policies/2026/grading_policy.json",
            b"{\"GRADER\": [{\"type\": \"Homework\", \"min_count\": 1, \"drop_count\": 0, \"short_label\": \"HW\", \"weight\": 1.0}], \"GRADE_CUTOFFS\": {\"Pass\": 0.5}}",
        ),
        ("course/policies/2026/policy.json", b"{\"course/2026\": {}}"),
    ])
}

/// One unit with one unlimited-attempt problem: answering it right completes the course.
fn single_problem_course() -> Vec<u8> {
    targz(&[
        ("course/course.xml", b"<course url_name=\"2026\" org=\"SZPoN\" course=\"G1\"/>"),
        (
            "course/course/2026.xml",
            b"<course display_name=\"Jedno zadanie\">\n  <chapter url_name=\"ch1\"/>\n</course>\n",
        ),
        (
            "course/chapter/ch1.xml",
            b"<chapter display_name=\"Jedyny\">\n  <sequential url_name=\"s1\"/>\n</chapter>\n",
        ),
        (
            "course/sequential/s1.xml",
            b"<sequential display_name=\"Test\">\n  <vertical url_name=\"u1\"/>\n</sequential>\n",
        ),
        (
            "course/vertical/u1.xml",
            b"<vertical display_name=\"Zadanie\">\n  <problem url_name=\"p1\"/>\n</vertical>\n",
        ),
        (
            "course/problem/p1.xml",
            b"<problem display_name=\"Stolica\"><multiplechoiceresponse><label>Stolica Polski?</label><choicegroup type=\"MultipleChoice\"><choice correct=\"false\">Krakow</choice><choice correct=\"true\">Warszawa</choice></choicegroup></multiplechoiceresponse></problem>",
        ),
        ("course/policies/2026/policy.json", b"{\"course/2026\": {}}"),
    ])
}

/// The ledger of a learner: (event key, points), sorted.
fn ledger(st: &platform::web::AppState, learner: &str) -> Vec<(String, i32)> {
    let mut conn = st.db.get().unwrap();
    let mut v: Vec<(String, i32)> = lms::gamification::store::points_of(&mut conn, learner)
        .unwrap()
        .into_iter()
        .map(|p| (p.event_key, p.points))
        .collect();
    v.sort();
    v
}

fn badge_keys(st: &platform::web::AppState, learner: &str) -> Vec<String> {
    let mut conn = st.db.get().unwrap();
    let mut v: Vec<String> = lms::gamification::store::badges_of(&mut conn, learner)
        .unwrap()
        .into_iter()
        .map(|b| b.badge_key)
        .collect();
    v.sort();
    v
}

fn badge_id(st: &platform::web::AppState, learner: &str, key: &str) -> String {
    let mut conn = st.db.get().unwrap();
    lms::gamification::store::badges_of(&mut conn, learner)
        .unwrap()
        .into_iter()
        .find(|b| b.badge_key == key)
        .unwrap_or_else(|| panic!("no badge {key}"))
        .id
}

fn all_rows(st: &platform::web::AppState) -> (i64, i64, i64) {
    use lms::gamification::store::*;
    let mut conn = st.db.get().unwrap();
    (
        gam_points::table.count().get_result(&mut conn).unwrap(),
        gam_badges::table.count().get_result(&mut conn).unwrap(),
        gam_activity::table.count().get_result(&mut conn).unwrap(),
    )
}

async fn answer<S, B>(c: &mut Client<S>, problem: &str, field: &str, value: &str) -> Resp
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    c.post_json(
        &format!("/kursy/{GKEY}/problem/{problem}"),
        &[("action", "check"), (field, value)],
    )
    .await
}

/// Points come once per unit completed and once per problem answered fully right: revisiting a
/// unit and answering a problem right again add nothing. Badges for chapters, the course and
/// all right first time; the dashboard shows points, level, streak, progress bars with their
/// values, badges and the certificate.
async fn points_are_awarded_once_and_shown_on_the_dashboard(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &gam_course(), None, Visibility::Public);
    make_user(&st, "ola@example.pl", "Ola Nowak", PASSWORD, false);
    let uid = user_id(&st, "ola@example.pl");
    let mut c = Client::new(spawn_app(st.clone()).await);
    // The dashboard needs an account.
    let r = c.get("/panel").await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(r.location().starts_with("/logowanie"), "{}", r.location());
    c.login("ola@example.pl", PASSWORD).await;
    c.get("/")
        .await
        .assert_contains("&#x2F;panel\">Mój panel</a>");

    c.get(&format!("/kursy/{GKEY}/nauka/u1"))
        .await
        .assert_status(200);
    assert_eq!(ledger(&st, &uid), vec![("unit:u1".into(), 10)]);
    c.get(&format!("/kursy/{GKEY}/nauka/u1")).await;
    assert_eq!(ledger(&st, &uid).len(), 1, "a revisit adds nothing");

    // p1 wrong, then right, then right again: 5 points once.
    answer(&mut c, "p1", "input_p1_2_1", "choice_0").await;
    assert_eq!(ledger(&st, &uid).len(), 1, "a wrong answer earns nothing");
    answer(&mut c, "p1", "input_p1_2_1", "choice_1").await;
    answer(&mut c, "p1", "input_p1_2_1", "choice_1").await;
    assert_eq!(
        ledger(&st, &uid),
        vec![("correct:p1".into(), 5), ("unit:u1".into(), 10)]
    );
    // p2 right: its points, unit u2 and so chapter 1; p1 was wrong at first: no "first time".
    answer(&mut c, "p2", "input_p2_2_1", "4").await;
    assert_eq!(
        ledger(&st, &uid),
        vec![
            ("correct:p1".into(), 5),
            ("correct:p2".into(), 5),
            ("unit:u1".into(), 10),
            ("unit:u2".into(), 10)
        ]
    );
    assert_eq!(badge_keys(&st, &uid), vec!["chapter:ch1".to_string()]);
    c.get(&format!("/kursy/{GKEY}/nauka/u3")).await;
    assert_eq!(
        badge_keys(&st, &uid),
        vec![
            "chapter:ch1".to_string(),
            "chapter:ch2".to_string(),
            "course".to_string()
        ]
    );
    let total: i32 = ledger(&st, &uid).iter().map(|(_, p)| p).sum();
    assert_eq!(total, 40);

    // The outline links to the course leaderboard.
    c.get(&format!("/kursy/{GKEY}/nauka"))
        .await
        .assert_contains(&format!("/kursy/{GKEY}/ranking"));
    let d = c.get("/panel").await;
    d.assert_status(200)
        .assert_contains("<h1>Mój panel</h1>")
        .assert_contains("Punkty: 40")
        .assert_contains("Poziom 1: Nowicjusz")
        .assert_contains("Do poziomu „Uczeń” brakuje 10 punktów.")
        .assert_contains("Obecna seria: 1 dzień")
        .assert_contains("Najdłuższa seria: 1 dzień")
        .assert_contains("Gra &amp; &lt;nauka&gt;")
        .assert_contains("value=\"100\"")
        .assert_contains("3 z 3 (100%)")
        .assert_contains("Ukończony rozdział: Podstawy")
        .assert_contains("Kurs ukończony")
        .assert_contains("zaliczony");
    // Passing issued the certificate; the dashboard links to it.
    let uuid = {
        let mut conn = st.db.get().unwrap();
        lms::certificates::store::of_user(&mut conn, &uid).unwrap()[0]
            .verify_uuid
            .clone()
    };
    d.assert_contains(&format!("href=\"/certificates/{uuid}\""));
    assert!(!d.body.contains("<script>"), "escaped");
    // English.
    c.post("/jezyk", &[("lang", "en"), ("next", "/panel")])
        .await;
    c.get("/panel")
        .await
        .assert_contains("My dashboard")
        .assert_contains("Level 1: Newcomer")
        .assert_contains("10 points to “Learner”.")
        .assert_contains("Current streak: 1 day");
}

/// Fifty simultaneous identical right answers to an unlimited-attempt problem: its points, the
/// unit's points and each badge are awarded exactly once.
async fn fifty_concurrent_submissions_award_once(b: Backend) {
    use actix_web::test;
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &single_problem_course(), None, Visibility::Public);
    let app = spawn_app(st.clone()).await;
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.post(&format!("/kursy/{GKEY}/bez-konta"), &[]).await;
    let cookie = format!(
        "szpon_csrf={}; szpon_learner={}",
        c.jar["szpon_csrf"], c.jar["szpon_learner"]
    );
    let body = format!(
        "csrf_token={}&action=check&input_p1_2_1=choice_1",
        c.jar["szpon_csrf"]
    );
    let calls = (0..50).map(|_| {
        let req = test::TestRequest::post()
            .uri(&format!("/kursy/{GKEY}/problem/p1"))
            .insert_header(("cookie", cookie.clone()))
            .insert_header(("accept", "application/json"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .peer_addr("10.1.2.3:4567".parse().unwrap())
            .set_payload(body.clone())
            .to_request();
        test::call_service(&app, req)
    });
    let mut graded = 0;
    for res in futures_util::future::join_all(calls).await {
        assert_eq!(res.status().as_u16(), 200);
        let j: serde_json::Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
        if j["result"] == "graded" {
            graded += 1;
        }
    }
    assert!(graded >= 1, "at least one submission was graded");
    let anon = crate::learning::learner_ids(&st);
    assert_eq!(anon.len(), 1);
    assert_eq!(
        ledger(&st, &anon[0]),
        vec![("correct:p1".into(), 5), ("unit:u1".into(), 10)]
    );
    assert_eq!(
        badge_keys(&st, &anon[0]),
        vec![
            "chapter:ch1".to_string(),
            "course".to_string(),
            "first-time".to_string()
        ]
    );
    let (points, badges, days) = all_rows(&st);
    assert_eq!((points, badges, days), (2, 3, 1));
}

/// A course with gamification switched off: no points, badges or days; no leaderboard; the
/// dashboard says so.
async fn no_gamification_awards_nothing(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &gam_course(), None, Visibility::Public);
    {
        let mut conn = st.db.get().unwrap();
        let course = studio::store::find_by_key(&mut conn, GKEY)
            .unwrap()
            .unwrap();
        let o = studio::store::CourseOptions {
            gamification: false,
            ..Default::default()
        };
        studio::store::set_options(&mut conn, &course.id, &o).unwrap();
    }
    make_user(&st, "ola@example.pl", "Ola Nowak", PASSWORD, false);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@example.pl", PASSWORD).await;
    for u in ["u1", "u3"] {
        c.get(&format!("/kursy/{GKEY}/nauka/{u}"))
            .await
            .assert_status(200);
    }
    answer(&mut c, "p1", "input_p1_2_1", "choice_1").await;
    answer(&mut c, "p2", "input_p2_2_1", "4").await;
    assert_eq!(all_rows(&st), (0, 0, 0));
    c.get(&format!("/kursy/{GKEY}/ranking"))
        .await
        .assert_status(404);
    let outline = c.get(&format!("/kursy/{GKEY}/nauka")).await;
    assert!(!outline.body.contains("/ranking"), "no leaderboard tab");
    c.get("/panel")
        .await
        .assert_status(200)
        .assert_contains("Punkty: 0")
        .assert_contains("bez punktów")
        .assert_contains("3 z 3 (100%)");
}

/// An anonymous learner's points, badges and days move into the account on sign-in, once:
/// what both earned counts once, and the combined progress earns what neither had.
async fn merge_carries_points_and_badges_once(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &gam_course(), None, Visibility::Public);
    make_user(&st, "ola@example.pl", "Ola Nowak", PASSWORD, false);
    let uid = user_id(&st, "ola@example.pl");
    let mut c = Client::new(spawn_app(st.clone()).await);
    // In the account: unit 1 and unit 3.
    c.login("ola@example.pl", PASSWORD).await;
    c.get(&format!("/kursy/{GKEY}/nauka/u1")).await;
    c.get(&format!("/kursy/{GKEY}/nauka/u3")).await;
    assert_eq!(badge_keys(&st, &uid), vec!["chapter:ch2".to_string()]);
    c.post("/wyloguj", &[]).await;
    // Anonymously: unit 1 again, both problems right first time.
    c.post(&format!("/kursy/{GKEY}/bez-konta"), &[]).await;
    c.get(&format!("/kursy/{GKEY}/nauka/u1")).await;
    answer(&mut c, "p1", "input_p1_2_1", "choice_1").await;
    answer(&mut c, "p2", "input_p2_2_1", "4").await;
    let anon = crate::learning::learner_ids(&st)
        .into_iter()
        .find(|l| l.starts_with("anon-"))
        .unwrap();
    assert_eq!(ledger(&st, &anon).len(), 4, "{:?}", ledger(&st, &anon));
    assert_eq!(
        badge_keys(&st, &anon),
        vec!["chapter:ch1".to_string(), "first-time".to_string()]
    );
    // An anonymous holder has no public badge page.
    let anon_badge = badge_id(&st, &anon, "first-time");
    c.get(&format!("/odznaki/{anon_badge}"))
        .await
        .assert_status(404);
    c.get(&format!("/odznaki/{anon_badge}/openbadge"))
        .await
        .assert_status(404);

    c.login("ola@example.pl", PASSWORD).await;
    c.get("/").await;
    assert!(ledger(&st, &anon).is_empty());
    assert!(badge_keys(&st, &anon).is_empty());
    assert_eq!(
        ledger(&st, &uid),
        vec![
            ("correct:p1".into(), 5),
            ("correct:p2".into(), 5),
            ("unit:u1".into(), 10),
            ("unit:u2".into(), 10),
            ("unit:u3".into(), 10)
        ],
        "unit 1 counted once"
    );
    // The merged progress completes the course: a badge neither had.
    assert_eq!(
        badge_keys(&st, &uid),
        vec![
            "chapter:ch1".to_string(),
            "chapter:ch2".to_string(),
            "course".to_string(),
            "first-time".to_string()
        ]
    );
    // The badge kept its id, and now has a page in the account holder's name.
    assert_eq!(badge_id(&st, &uid, "first-time"), anon_badge);
    c.get(&format!("/odznaki/{anon_badge}"))
        .await
        .assert_status(200)
        .assert_contains("Ola Nowak");
    // Both learned today: one day of activity, not two.
    let (_, _, days) = all_rows(&st);
    assert_eq!(days, 1);
    c.get("/panel")
        .await
        .assert_contains("Punkty: 40")
        .assert_contains("Obecna seria: 1 dzień");
    // Signing in again merges nothing more.
    c.post("/wyloguj", &[]).await;
    c.login("ola@example.pl", PASSWORD).await;
    c.get("/").await;
    assert_eq!(ledger(&st, &uid).len(), 5);
}

/// The page's `<main>` (the header names the signed-in viewer).
fn main_of(body: &str) -> &str {
    let start = body.find("<main").expect("a main element");
    &body[start..body.find("</main>").expect("main closes")]
}

fn ranking_names(body: &str) -> Vec<String> {
    main_of(body)
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|r| r.split(" <").next().unwrap_or("").to_string())
        .collect()
}

/// The leaderboard lists only learners who joined, under pseudonyms unless they chose their
/// name; joining needs an account and the CSRF token, and nobody can act for someone else.
async fn leaderboard_is_opt_in_and_pseudonymous(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let (org, other) = {
        let mut conn = st.db.get().unwrap();
        let o = platform::models::organisation::create(&mut conn, "urzad-a", "Urząd A", "other")
            .unwrap()
            .id;
        let x = platform::models::organisation::create(&mut conn, "urzad-b", "Urząd B", "other")
            .unwrap()
            .id;
        (o, x)
    };
    install(&st, &gam_course(), Some(&org), Visibility::Organisation);
    let people = [
        ("anna@a.pl", "Anna Kowalska", &org),
        ("bartosz@a.pl", "Bartosz Wiśniewski", &org),
        ("celina@a.pl", "Celina Zielińska", &org),
        ("obcy@b.pl", "Obcy Urzędnik", &other),
    ];
    for (email, name, o) in people {
        let id = make_user(&st, email, name, PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            o,
            &id,
            platform::access::Role::Learner,
        )
        .unwrap();
    }
    let anna = user_id(&st, "anna@a.pl");
    let ranking = format!("/kursy/{GKEY}/ranking");
    let mut a = Client::new(spawn_app(st.clone()).await);
    let mut bb = Client::new(spawn_app(st.clone()).await);
    let mut cc = Client::new(spawn_app(st.clone()).await);
    a.login("anna@a.pl", PASSWORD).await;
    bb.login("bartosz@a.pl", PASSWORD).await;
    cc.login("celina@a.pl", PASSWORD).await;
    // Points: Anna 20, Bartosz 10, Celina 30.
    for u in ["u1", "u3"] {
        a.get(&format!("/kursy/{GKEY}/nauka/{u}")).await;
    }
    bb.get(&format!("/kursy/{GKEY}/nauka/u1")).await;
    for u in ["u1", "u3"] {
        cc.get(&format!("/kursy/{GKEY}/nauka/{u}")).await;
    }
    answer(&mut cc, "p1", "input_p1_2_1", "choice_1").await;
    answer(&mut cc, "p2", "input_p2_2_1", "4").await;

    let empty = a.get(&ranking).await;
    empty
        .assert_status(200)
        .assert_contains("Nikt jeszcze nie dołączył")
        .assert_contains("Nie jesteś w rankingu");
    // Without the token, nothing happens.
    let r = a.post_raw(&ranking, &[("action", "join")], &[]).await;
    assert_eq!(r.status.as_u16(), 403);
    // Anna and Bartosz join; Celina does not.
    let r = a.post(&ranking, &[("action", "join")]).await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(r.location(), ranking);
    bb.post(&ranking, &[("action", "join")]).await;
    let page = cc.get(&ranking).await;
    page.assert_status(200);
    let names = ranking_names(&page.body);
    assert_eq!(names.len(), 2, "{names:?}");
    for real in ["Anna Kowalska", "Bartosz Wiśniewski", "Celina Zielińska"] {
        assert!(
            !main_of(&page.body).contains(real),
            "{real} shown: {}",
            page.body
        );
    }
    let pseudonym_of = |id: &str| {
        let mut conn = st.db.get().unwrap();
        let cid = studio::store::find_by_key(&mut conn, GKEY)
            .unwrap()
            .unwrap()
            .id;
        lms::gamification::store::membership(&mut conn, &cid, id)
            .unwrap()
            .unwrap()
            .pseudonym
    };
    let anna_p = pseudonym_of(&anna);
    assert_eq!(names[0], anna_p, "Anna (20) before Bartosz (10)");
    assert!(!anna_p.contains("Anna") && !anna_p.contains(&anna));
    page.assert_contains("<td>20</td>")
        .assert_contains("<td>10</td>");
    assert!(!page.body.contains("<td>40</td>"), "Celina's points absent");
    // Anna sees her own row marked, under her pseudonym.
    a.get(&ranking)
        .await
        .assert_contains("(Ty)")
        .assert_contains(&format!("Inni widzą Cię pod pseudonimem „{anna_p}”"));
    // Bartosz chooses to show his name; Anna stays pseudonymous.
    bb.post(&ranking, &[("action", "show-name")]).await;
    let page = cc.get(&ranking).await;
    page.assert_contains("Bartosz Wiśniewski");
    assert!(!page.body.contains("Anna Kowalska"));
    // Bartosz cannot make Anna leave or show her name: the form names nobody.
    bb.post(&ranking, &[("action", "leave"), ("user_id", &anna)])
        .await;
    let page = cc.get(&ranking).await;
    assert_eq!(ranking_names(&page.body), vec![anna_p.clone()]);
    assert!(!page.body.contains("Anna Kowalska"));
    // Anna's pseudonym is stable; leaving removes her.
    assert_eq!(pseudonym_of(&anna), anna_p);
    a.post(&ranking, &[("action", "leave")]).await;
    let page = cc.get(&ranking).await;
    assert!(ranking_names(&page.body).is_empty(), "{}", page.body);
    // Not signed in: the join form sends to the login page; another office gets 403.
    let mut anon = Client::new(spawn_app(st.clone()).await);
    let r = anon.post(&ranking, &[("action", "join")]).await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(r.location().starts_with("/logowanie"), "{}", r.location());
    anon.login("obcy@b.pl", PASSWORD).await;
    anon.get(&ranking).await.assert_status(403);
    anon.post(&ranking, &[("action", "join")])
        .await
        .assert_status(403);
    // Celina's dashboard shows her badges, never another's.
    let mine = cc.get("/panel").await;
    mine.assert_contains("Kurs ukończony");
    let anna_badge = badge_id(&st, &anna, "chapter:ch2");
    assert!(!mine.body.contains(&anna_badge));
}

/// A badge's public page names the holder, its image is an escaped accessible SVG, and its
/// Open Badges 3.0 credential validates against 1EdTech's schema with the page URL as its id.
async fn badge_pages_and_credentials(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &gam_course(), None, Visibility::Public);
    make_user(&st, "ola@example.pl", "Ola Żółć", PASSWORD, false);
    let uid = user_id(&st, "ola@example.pl");
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ola@example.pl", PASSWORD).await;
    c.get(&format!("/kursy/{GKEY}/nauka/u1")).await;
    answer(&mut c, "p1", "input_p1_2_1", "choice_1").await;
    answer(&mut c, "p2", "input_p2_2_1", "4").await;
    let id = badge_id(&st, &uid, "chapter:ch1");
    assert!(lms::gamification::store::is_badge_id(&id));
    let dash = c.get("/panel").await;
    dash.assert_contains(&format!("<img src=\"/odznaki/{id}/obraz.svg\" alt="));

    let mut anyone = Client::new(spawn_app(st.clone()).await);
    anyone
        .get(&format!("/odznaki/{id}"))
        .await
        .assert_status(200)
        .assert_contains("<h1>Odznaka: Ukończony rozdział: Podstawy</h1>")
        .assert_contains("Ola Żółć")
        .assert_contains("alt=\"Ukończony rozdział: Podstawy — Gra &amp; &lt;nauka&gt;\"")
        .assert_contains(&format!("/odznaki/{id}/openbadge"));
    let svg = anyone.get(&format!("/odznaki/{id}/obraz.svg")).await;
    svg.assert_status(200)
        .assert_contains("role=\"img\"")
        .assert_contains("<title")
        .assert_contains("&lt;nauka&gt;");
    assert!(!svg.body.contains("<nauka>"), "text is escaped");
    assert_eq!(svg.headers.get("content-type").unwrap(), "image/svg+xml");
    roxmltree::Document::parse(&svg.body).expect("well-formed SVG");

    let r = anyone.get(&format!("/odznaki/{id}/openbadge")).await;
    r.assert_status(200);
    let cred: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let url = format!("http://localhost:8080/odznaki/{id}");
    assert_eq!(cred["id"], url.as_str());
    assert_eq!(cred["type"][1], "OpenBadgeCredential");
    assert_eq!(
        cred["credentialSubject"]["achievement"]["name"],
        "Ukończony rozdział: Podstawy"
    );
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../fixtures/openbadges/ob_v3p0_achievementcredential_schema.json"
    ))
    .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft201909)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&cred)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{cred:#}");
    // The course badge is of the achievement type Course.
    c.get(&format!("/kursy/{GKEY}/nauka/u3")).await;
    let course_badge = badge_id(&st, &uid, "course");
    let cred: serde_json::Value = serde_json::from_str(
        &anyone
            .get(&format!("/odznaki/{course_badge}/openbadge"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        cred["credentialSubject"]["achievement"]["achievementType"],
        "Course"
    );
    assert!(validator.iter_errors(&cred).next().is_none());
    // Unknown and malformed ids.
    for bad in ["0123456789abcdef0123456789abcdef", "nie-ma", "../panel"] {
        let r = anyone.get(&format!("/odznaki/{bad}")).await;
        assert_eq!(r.status.as_u16(), 404, "{bad}");
    }
}

/// With more members than the top shows, the viewer's own row comes below the top list.
async fn leaderboard_shows_the_top_and_the_viewers_place(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &gam_course(), None, Visibility::Public);
    let cid = {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, GKEY)
            .unwrap()
            .unwrap()
            .id
    };
    let top = lms::gamification::web::TOP;
    for i in 0..=top {
        let id = make_user(
            &st,
            &format!("u{i}@example.pl"),
            &format!("Osoba {i}"),
            PASSWORD,
            false,
        );
        let mut conn = st.db.get().unwrap();
        // Everyone above the viewer has more points; the viewer (the last) has 1.
        let points = if i == top { 1 } else { 100 - i as i32 };
        lms::gamification::store::award_points(&mut conn, &id, &cid, "unit:u1", points).unwrap();
        lms::gamification::store::join(&mut conn, &cid, &id).unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login(&format!("u{top}@example.pl"), PASSWORD).await;
    let page = c.get(&format!("/kursy/{GKEY}/ranking")).await;
    page.assert_status(200)
        .assert_contains("Twoje miejsce")
        .assert_contains(&format!("<td>{}</td>", top + 1))
        .assert_contains("Twoje punkty w tym kursie: 1");
    assert_eq!(
        ranking_names(&page.body).len(),
        top + 1,
        "the top plus the viewer's row"
    );
    // A member inside the top gets no extra row.
    c.post("/wyloguj", &[]).await;
    c.login("u0@example.pl", PASSWORD).await;
    let page = c.get(&format!("/kursy/{GKEY}/ranking")).await;
    assert!(!page.body.contains("Twoje miejsce"));
    assert_eq!(ranking_names(&page.body).len(), top);
}

crate::both_backends!(
    points_are_awarded_once_and_shown_on_the_dashboard,
    fifty_concurrent_submissions_award_once,
    no_gamification_awards_nothing,
    merge_carries_points_and_badges_once,
    leaderboard_is_opt_in_and_pseudonymous,
    leaderboard_shows_the_top_and_the_viewers_place,
    badge_pages_and_credentials,
);
