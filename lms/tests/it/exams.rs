//! Timed subsections over HTTP on both backends: the start page, the clock fixed at the start,
//! submissions refused before the start, after the deadline and after finishing early, attempt
//! limits and library picks inside an exam, the results page before and after the due date, for
//! staff and for another learner, and anonymous attempts moving into an account. Deadlines are
//! moved in the database, never waited for.

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;
use lms::learning::exams::exam_attempts::dsl as ea;
use studio::store::Visibility;

use crate::helpers::*;
use crate::learning::{install, rows_of, user_id};
use crate::olx_import::targz;

pub(crate) const KEY: &str = "course-v1:SZPoN+EX1+2026";

/// A course with an ungraded lesson, a timed graded exam (30 minutes, due `due`) of two units:
/// a multiple choice, a one-attempt numerical, and a pool of 2 of 4 library problems; and a timed
/// quiz of 20 minutes without a due date.
pub(crate) fn exam_course(due: &str) -> Vec<u8> {
    let exam = format!(
        "<sequential display_name=\"Egzamin\" graded=\"true\" format=\"Exam\" is_time_limited=\"true\" default_time_limit_minutes=\"30\" is_proctored_enabled=\"false\" due=\"{due}\">\n  <vertical url_name=\"e1\"/>\n  <vertical url_name=\"e2\"/>\n</sequential>\n"
    );
    let mut pool = String::from("<vertical display_name=\"Pula\">\n  <library_content display_name=\"Pytania z puli\" max_count=\"2\" source_library_id=\"library-v1:SZPoN+PULA\">\n");
    for i in 1..=4 {
        pool.push_str(&format!(
            "    <problem url_name=\"pool{i}\" display_name=\"Pula {i}\"><numericalresponse answer=\"{i}\"><label>Ile to {i}?</label><formulaequationinput/></numericalresponse></problem>\n"
        ));
    }
    pool.push_str("  </library_content>\n</vertical>\n");
    targz(&[
        ("course/course.xml", b"<course url_name=\"2026\" org=\"SZPoN\" course=\"EX1\"/>"),
        (
            "course/course/2026.xml",
            "<course display_name=\"Egzaminy próbne\" language=\"pl\">\n  <chapter url_name=\"ch1\"/>\n</course>\n".as_bytes(),
        ),
        (
            "course/chapter/ch1.xml",
            b"<chapter display_name=\"Rozdzial 1\">\n  <sequential url_name=\"s1\"/>\n  <sequential url_name=\"s2\"/>\n  <sequential url_name=\"s3\"/>\n</chapter>\n",
        ),
        (
            "course/sequential/s1.xml",
            b"<sequential display_name=\"Wstep\">\n  <vertical url_name=\"u1\"/>\n</sequential>\n",
        ),
        ("course/sequential/s2.xml", exam.as_bytes()),
        (
            "course/sequential/s3.xml",
            b"<sequential display_name=\"Sprawdzian\" graded=\"true\" format=\"Exam\" is_time_limited=\"true\" default_time_limit_minutes=\"20\">\n  <vertical url_name=\"e3\"/>\n</sequential>\n",
        ),
        (
            "course/vertical/u1.xml",
            b"<vertical display_name=\"Lekcja\">\n  <html url_name=\"h1\"/>\n</vertical>\n",
        ),
        ("course/html/h1.xml", b"<html filename=\"h1\" display_name=\"Tekst\"/>"),
        ("course/html/h1.html", b"<p>Przed egzaminem</p>"),
        (
            "course/vertical/e1.xml",
            b"<vertical display_name=\"Zadania egzaminu\">\n  <problem url_name=\"q1\"/>\n  <problem url_name=\"q2\"/>\n</vertical>\n",
        ),
        ("course/vertical/e2.xml", pool.as_bytes()),
        (
            "course/vertical/e3.xml",
            b"<vertical display_name=\"Pytanie\">\n  <html url_name=\"hx\"/>\n  <video url_name=\"vx\"/>\n  <problem url_name=\"q3\"/>\n</vertical>\n",
        ),
        (
            "course/video/vx.xml",
            b"<video display_name=\"Film z zadaniem\" youtube_id_1_0=\"\" transcripts=\"{&quot;pl&quot;: &quot;vx-pl.srt&quot;}\"><transcript language=\"pl\" src=\"vx-pl.srt\"/></video>",
        ),
        (
            "course/static/vx-pl.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nOdpowiedz na pytanie\n",
        ),
        ("course/html/hx.xml", b"<html filename=\"hx\" display_name=\"Tresc z skryptem\"/>"),
        (
            "course/html/hx.html",
            b"<p id=\"t\">Tekst zadania</p><script>document.getElementById('t').title = 'x';</script>",
        ),
        (
            "course/problem/q1.xml",
            b"<problem display_name=\"Stolica\"><multiplechoiceresponse><label>Stolica Polski?</label><choicegroup type=\"MultipleChoice\"><choice correct=\"false\">Krakow</choice><choice correct=\"true\">Warszawa</choice></choicegroup></multiplechoiceresponse></problem>",
        ),
        (
            "course/problem/q2.xml",
            b"<problem display_name=\"Liczba\" max_attempts=\"1\"><numericalresponse answer=\"4\"><label>2+2?</label><formulaequationinput/></numericalresponse></problem>",
        ),
        (
            "course/problem/q3.xml",
            b"<problem display_name=\"Rzeka\" showanswer=\"finished\"><multiplechoiceresponse><label>Najdluzsza rzeka Polski?</label><choicegroup type=\"MultipleChoice\"><choice correct=\"true\">Wisla</choice><choice correct=\"false\">Odra</choice></choicegroup></multiplechoiceresponse></problem>",
        ),
        (
            "course/policies/2026/grading_policy.json",
            b"{\"GRADER\": [{\"type\": \"Exam\", \"min_count\": 1, \"drop_count\": 0, \"short_label\": \"EX\", \"weight\": 1.0}], \"GRADE_CUTOFFS\": {\"Pass\": 0.5}}",
        ),
        ("course/policies/2026/policy.json", b"{\"course/2026\": {}}"),
    ])
}

fn iso(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn future_due() -> String {
    iso(Utc::now() + TimeDelta::days(2))
}

fn result_of(r: &Resp) -> String {
    let j: serde_json::Value = serde_json::from_str(&r.body).expect("JSON answer");
    j["result"].as_str().unwrap_or_default().to_string()
}

/// (started_at, deadline, ended_at) of a learner's attempt.
type Times = (
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

fn attempt_of(st: &platform::web::AppState, learner: &str, sub: &str) -> Option<Times> {
    let mut conn = st.db.get().unwrap();
    ea::exam_attempts
        .filter(ea::learner_id.eq(learner))
        .filter(ea::subsection_id.eq(sub))
        .select((ea::started_at, ea::deadline, ea::ended_at))
        .first(&mut conn)
        .optional()
        .unwrap()
}

/// Moves an attempt into the past: started `ago` minutes ago, with its deadline that much
/// earlier too.
fn move_back(st: &platform::web::AppState, learner: &str, sub: &str, minutes: i64) {
    let mut conn = st.db.get().unwrap();
    let (s, d, _) = attempt_of(st, learner, sub).unwrap();
    diesel::update(
        ea::exam_attempts
            .filter(ea::learner_id.eq(learner))
            .filter(ea::subsection_id.eq(sub)),
    )
    .set((
        ea::started_at.eq(s - TimeDelta::minutes(minutes)),
        ea::deadline.eq(d - TimeDelta::minutes(minutes)),
    ))
    .execute(&mut conn)
    .unwrap();
}

fn picked(body: &str) -> Vec<String> {
    let mut v: Vec<String> = body
        .match_indices("action=\"/kursy/")
        .filter_map(|(i, _)| body[i..].split('"').nth(1))
        .filter_map(|a| a.rsplit("/problem/").next().map(str::to_string))
        .filter(|p| p.starts_with("pool"))
        .collect();
    v.sort();
    v
}

/// The whole life of a timed exam for a signed-in learner: start page, refusal before the
/// start, the clock (not restarted by a second start), answers, the attempt limit and the
/// library pool inside the exam, results hidden before the due date, refusal after the deadline.
/// Then the due date passes (a new version of the course): the learner sees answers,
/// correctness and the correct answers; staff see any learner's results at any time; another
/// learner sees only their own.
async fn timed_exam_from_start_to_results(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &exam_course(&future_due()), None, Visibility::Public);
    make_user(
        &st,
        "ala@example.pl",
        "Ala Egzaminowa",
        "bardzo-tajne-haslo-1",
        false,
    );
    make_user(
        &st,
        "olek@example.pl",
        "Olek Drugi",
        "bardzo-tajne-haslo-2",
        false,
    );
    make_user(
        &st,
        "admin@example.pl",
        "Admin",
        "bardzo-tajne-haslo-3",
        true,
    );
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ala@example.pl", "bardzo-tajne-haslo-1").await;
    let ala = user_id(&st, "ala@example.pl");

    // The outline states the limit in words and links the results.
    let outline = c.get(&format!("/kursy/{KEY}/nauka")).await;
    outline
        .assert_status(200)
        .assert_contains("Limit czasu: 30 min")
        .assert_contains("Limit czasu: 20 min")
        .assert_contains(&format!("/kursy/{KEY}/wyniki/s2"));

    // Before the start: the interstitial, no problem on the page, and the server refuses.
    let gate = c.get(&format!("/kursy/{KEY}/nauka/e1")).await;
    gate.assert_status(200)
        .assert_contains("Rozpocznij test")
        .assert_contains("30 minut")
        .assert_contains("(czas polski)")
        .assert_contains(&format!("action=\"/kursy/{KEY}/egzamin/s2/start\""));
    assert!(
        !gate.body.contains("input_q1_2_1"),
        "no problem before the start"
    );
    assert_eq!(gate.body.matches("<h1").count(), 1);
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q1"),
            &[("action", "check"), ("input_q1_2_1", "choice_1")],
        )
        .await;
    assert_eq!(result_of(&r), "exam_not_started", "{}", r.body);
    // Not even the question's text comes back.
    assert!(!r.body.contains("Stolica Polski"), "{}", r.body);
    assert!(r.body.contains("Najpierw rozpocznij test"), "{}", r.body);
    let r = c
        .post_json(&format!("/kursy/{KEY}/problem/q1"), &[("action", "show")])
        .await;
    assert_eq!(
        result_of(&r),
        "exam_not_started",
        "no answers before the start"
    );
    assert!(!r.body.contains("capa-answer"));
    assert!(rows_of(&st, &ala).iter().all(|(k, _, _)| k != "problem/q1"));
    assert!(attempt_of(&st, &ala, "s2").is_none());

    // Start: back at the unit, with the timer and the problems.
    let r = c
        .post(&format!("/kursy/{KEY}/egzamin/s2/start"), &[("unit", "e1")])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(r.location(), format!("/kursy/{KEY}/nauka/e1"));
    let (started, deadline, ended) = attempt_of(&st, &ala, "s2").expect("attempt stored");
    assert_eq!(deadline - started, TimeDelta::minutes(30));
    assert!(ended.is_none());
    let unit = c.get(&format!("/kursy/{KEY}/nauka/e1")).await;
    unit.assert_status(200)
        .assert_contains("role=\"timer\"")
        .assert_contains("aria-live=\"polite\"")
        .assert_contains("Czas na rozwiązanie mija o")
        .assert_contains("/static/js/exams.js")
        .assert_contains("input_q1_2_1")
        .assert_contains(&format!("/kursy/{KEY}/egzamin/s2/zakoncz"));
    // A second start (another tab) does not restart the clock.
    c.post(&format!("/kursy/{KEY}/egzamin/s2/start"), &[("unit", "e1")])
        .await;
    assert_eq!(
        attempt_of(&st, &ala, "s2").unwrap(),
        (started, deadline, None)
    );

    // Answers count while the clock runs; the attempt limit holds inside the exam.
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q1"),
            &[("action", "check"), ("input_q1_2_1", "choice_1")],
        )
        .await;
    assert_eq!(result_of(&r), "graded");
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q2"),
            &[("action", "check"), ("input_q2_2_1", "5")],
        )
        .await;
    assert_eq!(result_of(&r), "graded");
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q2"),
            &[("action", "check"), ("input_q2_2_1", "4")],
        )
        .await;
    assert_eq!(result_of(&r), "closed", "one attempt only");
    assert!(rows_of(&st, &ala)
        .iter()
        .any(|(k, a, e)| k == "problem/q2" && *a == 1 && *e == Some(0.0)));

    // The pool: two of four, the same on every visit.
    let first = picked(&c.get(&format!("/kursy/{KEY}/nauka/e2")).await.body);
    assert_eq!(first.len(), 2, "{first:?}");
    for _ in 0..2 {
        assert_eq!(
            picked(&c.get(&format!("/kursy/{KEY}/nauka/e2")).await.body),
            first
        );
    }
    let p = first[0].clone();
    let n = p.trim_start_matches("pool").to_string();
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/{p}"),
            &[("action", "check"), (&format!("input_{p}_2_1"), &n)],
        )
        .await;
    assert_eq!(result_of(&r), "graded");

    // Results before the due date: a page that says when, without answers.
    let res = c.get(&format!("/kursy/{KEY}/wyniki/s2")).await;
    res.assert_status(200)
        .assert_contains("Wyniki będą dostępne po terminie");
    assert!(!res.body.contains("Poprawna odpowiedź"));
    assert!(!res.body.contains("capa-answer"));
    assert_eq!(res.body.matches("<h1").count(), 1);
    // Naming a learner is for staff only.
    c.get(&format!("/kursy/{KEY}/wyniki/s2?uczestnik={ala}"))
        .await
        .assert_status(403);

    // The deadline passes (moved back in the database): answers are refused, no grace.
    move_back(&st, &ala, "s2", 31);
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q1"),
            &[("action", "check"), ("input_q1_2_1", "choice_0")],
        )
        .await;
    assert_eq!(result_of(&r), "exam_over");
    let r = c
        .post_json(&format!("/kursy/{KEY}/problem/q1"), &[("action", "reset")])
        .await;
    assert_eq!(result_of(&r), "exam_over", "reset refused too");
    assert!(rows_of(&st, &ala)
        .iter()
        .any(|(k, a, e)| k == "problem/q1" && *a == 1 && *e == Some(1.0)));
    let over = c.get(&format!("/kursy/{KEY}/nauka/e1")).await;
    over.assert_status(200)
        .assert_contains("Test zakończył się")
        .assert_contains("Wyniki będą dostępne po terminie");
    assert!(!over.body.contains("input_q1_2_1"));
    assert!(!over.body.contains("Rozpocznij test"), "no second start");

    // Staff see the results at any time, also Ala's.
    let mut staff = Client::new(spawn_app(st.clone()).await);
    staff
        .login("admin@example.pl", "bardzo-tajne-haslo-3")
        .await;
    let sr = staff
        .get(&format!("/kursy/{KEY}/wyniki/s2?uczestnik={ala}"))
        .await;
    sr.assert_status(200)
        .assert_contains(&ala)
        .assert_contains("Poprawna odpowiedź")
        .assert_contains("Niepoprawna odpowiedź")
        .assert_contains("capa-answer");

    // The due date passes: a new version of the course, seen by a freshly started server.
    let past = iso(Utc::now() - TimeDelta::hours(1));
    install(&st, &exam_course(&past), None, Visibility::Public);
    let mut c = Client::new(spawn_app(state(&db, &[])).await);
    c.login("ala@example.pl", "bardzo-tajne-haslo-1").await;
    let res = c.get(&format!("/kursy/{KEY}/wyniki/s2")).await;
    res.assert_status(200)
        .assert_contains("Stolica")
        .assert_contains("Poprawna odpowiedź")
        .assert_contains("Niepoprawna odpowiedź")
        .assert_contains("capa-status-text")
        .assert_contains("capa-answer")
        .assert_contains(&format!("Pula {n}"));
    assert_eq!(
        res.body.matches("class=\"results-problem\"").count(),
        4,
        "q1, q2 and the two pool picks"
    );
    assert_eq!(res.body.matches("<h1").count(), 1);
    // The progress page links the results.
    c.get(&format!("/kursy/{KEY}/postep"))
        .await
        .assert_contains(&format!("/kursy/{KEY}/wyniki/s2"));

    // Another learner: their own (empty) results, never Ala's; the exam can no longer start.
    let mut olek = Client::new(spawn_app(state(&db, &[])).await);
    olek.login("olek@example.pl", "bardzo-tajne-haslo-2").await;
    olek.get(&format!("/kursy/{KEY}/wyniki/s2?uczestnik={ala}"))
        .await
        .assert_status(403);
    let theirs = olek.get(&format!("/kursy/{KEY}/wyniki/s2")).await;
    theirs.assert_status(200).assert_contains("Brak odpowiedzi");
    assert!(!theirs.body.contains("Poprawna odpowiedź"));
    olek.get(&format!("/kursy/{KEY}/nauka/e1"))
        .await
        .assert_contains("nie można go już rozpocząć");
    let r = olek
        .post(&format!("/kursy/{KEY}/egzamin/s2/start"), &[("unit", "e1")])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    let olek_id = user_id(&st, "olek@example.pl");
    assert!(
        attempt_of(&st, &olek_id, "s2").is_none(),
        "no start after due"
    );
}

/// Finishing early, in a timed quiz without a due date: a confirmation page, then the attempt is
/// over (answers refused), and the results show at once.
async fn finishing_early_closes_the_attempt(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &exam_course(&future_due()), None, Visibility::Public);
    make_user(&st, "ala@example.pl", "Ala", "bardzo-tajne-haslo-1", false);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ala@example.pl", "bardzo-tajne-haslo-1").await;
    let ala = user_id(&st, "ala@example.pl");
    // Nothing to finish before the start.
    let r = c.get(&format!("/kursy/{KEY}/egzamin/s3/zakoncz")).await;
    assert_eq!(r.status.as_u16(), 303);
    // Author HTML in its sandboxed frame is not readable before the start either.
    let frame = format!("/kursy/{KEY}/blok/hx");
    let transcript = format!("/kursy/{KEY}/transkrypcja/vx/pl.vtt");
    c.get(&frame).await.assert_status(403);
    c.get(&transcript).await.assert_status(403);
    c.post(&format!("/kursy/{KEY}/egzamin/s3/start"), &[]).await;
    c.get(&frame)
        .await
        .assert_status(200)
        .assert_contains("Tekst zadania");
    c.get(&transcript)
        .await
        .assert_status(200)
        .assert_contains("Odpowiedz na pytanie");
    let (s, d, _) = attempt_of(&st, &ala, "s3").unwrap();
    assert_eq!(d - s, TimeDelta::minutes(20));
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q3"),
            &[("action", "check"), ("input_q3_2_1", "choice_1")],
        )
        .await;
    assert_eq!(result_of(&r), "graded");
    c.get(&format!("/kursy/{KEY}/wyniki/s3"))
        .await
        .assert_status(200)
        .assert_contains("Wyniki zobaczysz po zakończeniu testu");
    let confirm = c.get(&format!("/kursy/{KEY}/egzamin/s3/zakoncz")).await;
    confirm
        .assert_status(200)
        .assert_contains("Tak, zakończ test")
        .assert_contains("name=\"csrf_token\"");
    assert_eq!(confirm.body.matches("<h1").count(), 1);
    // Without the CSRF token nothing ends.
    let r = c
        .post_raw(&format!("/kursy/{KEY}/egzamin/s3/zakoncz"), &[], &[])
        .await;
    assert_eq!(r.status.as_u16(), 403);
    assert!(attempt_of(&st, &ala, "s3").unwrap().2.is_none());
    let r = c
        .post(&format!("/kursy/{KEY}/egzamin/s3/zakoncz"), &[])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(r.location(), format!("/kursy/{KEY}/nauka/e3"));
    assert!(attempt_of(&st, &ala, "s3").unwrap().2.is_some());
    c.get(&frame).await.assert_status(403);
    c.get(&transcript).await.assert_status(403);
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q3"),
            &[("action", "check"), ("input_q3_2_1", "choice_0")],
        )
        .await;
    assert_eq!(result_of(&r), "exam_over");
    c.get(&format!("/kursy/{KEY}/nauka/e3"))
        .await
        .assert_contains("Test zakończył się")
        .assert_contains(&format!("/kursy/{KEY}/wyniki/s3"));
    // No due date: the results show once the attempt is over; the wrong answer says so.
    let res = c.get(&format!("/kursy/{KEY}/wyniki/s3")).await;
    res.assert_status(200)
        .assert_contains("Rzeka")
        .assert_contains("Niepoprawna odpowiedź")
        .assert_contains("0&#x2F;1");
    assert!(!res.body.contains("Wyniki zobaczysz"));
    // The other, untouched exam of the course is unaffected.
    assert!(attempt_of(&st, &ala, "s2").is_none());
}

/// Learners without an account take timed tests too; on registration the attempt moves into the
/// account, and when the account had started the same test as well, the earlier start wins.
async fn anonymous_attempts_move_into_the_account(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    install(&st, &exam_course(&future_due()), None, Visibility::Public);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    c.get(&format!("/kursy/{KEY}/nauka/e3"))
        .await
        .assert_contains("Rozpocznij test");
    c.post(&format!("/kursy/{KEY}/egzamin/s3/start"), &[("unit", "e3")])
        .await;
    c.post(&format!("/kursy/{KEY}/egzamin/s2/start"), &[("unit", "e1")])
        .await;
    let anon = {
        let mut conn = st.db.get().unwrap();
        ea::exam_attempts
            .select(ea::learner_id)
            .first::<String>(&mut conn)
            .unwrap()
    };
    assert!(anon.starts_with("anon-"));
    move_back(&st, &anon, "s3", 5);
    let (anon_start, anon_deadline, _) = attempt_of(&st, &anon, "s3").unwrap();
    c.get(&format!("/kursy/{KEY}/nauka/e3"))
        .await
        .assert_contains("role=\"timer\"");

    // The account started s3 later (on another device), and s2 never.
    let uid = make_user(&st, "ola@example.pl", "Ola", "bardzo-tajne-haslo-9", false);
    {
        let mut conn = st.db.get().unwrap();
        let cid = studio::store::find_by_key(&mut conn, KEY)
            .unwrap()
            .unwrap()
            .id;
        lms::learning::exams::start_attempt(&mut conn, &cid, &uid, "s3", 20, None).unwrap();
    }
    c.login("ola@example.pl", "bardzo-tajne-haslo-9").await;
    c.get(&format!("/kursy/{KEY}/nauka/e3"))
        .await
        .assert_contains("role=\"timer\"");
    assert!(attempt_of(&st, &anon, "s3").is_none());
    assert!(attempt_of(&st, &anon, "s2").is_none());
    assert_eq!(
        attempt_of(&st, &uid, "s3").unwrap(),
        (anon_start, anon_deadline, None),
        "the earlier start is kept"
    );
    assert!(
        attempt_of(&st, &uid, "s2").is_some(),
        "moved into the account"
    );
    let r = c
        .post_json(
            &format!("/kursy/{KEY}/problem/q3"),
            &[("action", "check"), ("input_q3_2_1", "choice_0")],
        )
        .await;
    assert_eq!(result_of(&r), "graded", "the account's running attempt");
}

/// Staff of the course's organisation see any learner's results before the due date; an author
/// of another office is no staff here and sees only their own page.
async fn staff_results_stay_inside_the_organisation(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let (org_a, org_b) = {
        let mut conn = st.db.get().unwrap();
        let a = platform::models::organisation::create(&mut conn, "urzad-a", "Urząd A", "other")
            .unwrap();
        let bb = platform::models::organisation::create(&mut conn, "urzad-b", "Urząd B", "other")
            .unwrap();
        (a.id, bb.id)
    };
    install(
        &st,
        &exam_course(&future_due()),
        Some(&org_a),
        Visibility::Public,
    );
    let learner = make_user(&st, "ala@example.pl", "Ala", "bardzo-tajne-haslo-1", false);
    for (email, org) in [
        ("autor-a@example.pl", &org_a),
        ("autor-b@example.pl", &org_b),
    ] {
        let id = make_user(&st, email, "Autor", "bardzo-tajne-haslo-2", false);
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            org,
            &id,
            platform::access::Role::Author,
        )
        .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("ala@example.pl", "bardzo-tajne-haslo-1").await;
    c.post(&format!("/kursy/{KEY}/egzamin/s2/start"), &[]).await;
    c.post_json(
        &format!("/kursy/{KEY}/problem/q1"),
        &[("action", "check"), ("input_q1_2_1", "choice_1")],
    )
    .await;
    let path = format!("/kursy/{KEY}/wyniki/s2?uczestnik={learner}");
    let mut a = Client::new(spawn_app(st.clone()).await);
    a.login("autor-a@example.pl", "bardzo-tajne-haslo-2").await;
    a.get(&path)
        .await
        .assert_status(200)
        .assert_contains("Poprawna odpowiedź");
    let mut other = Client::new(spawn_app(st.clone()).await);
    other
        .login("autor-b@example.pl", "bardzo-tajne-haslo-2")
        .await;
    other.get(&path).await.assert_status(403);
    let own = other.get(&format!("/kursy/{KEY}/wyniki/s2")).await;
    own.assert_status(200)
        .assert_contains("Wyniki będą dostępne po terminie");
    assert!(!own.body.contains("Poprawna odpowiedź"));
}

crate::both_backends!(
    staff_results_stay_inside_the_organisation,
    timed_exam_from_start_to_results,
    finishing_early_closes_the_attempt,
    anonymous_attempts_move_into_the_account,
);
