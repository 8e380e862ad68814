//! Course surveys over HTTP: authoring by the course's staff, answering once (also without an
//! account), results and CSV that match the answers exactly, anonymity in the tables, access
//! across two offices, and validation that stores nothing.

use diesel::prelude::*;
use lms::surveys::store::{survey_answers, survey_questions, survey_respondents, survey_responses};
use studio::store::Visibility;

use crate::helpers::*;
use crate::learning::{install, learning_course, user_id, KEY};

const PW: &str = "bardzo-tajne-haslo-9";

fn count_responses(st: &platform::web::AppState, survey: &str) -> i64 {
    let mut c = st.db.get().unwrap();
    survey_responses::table
        .filter(survey_responses::survey_id.eq(survey))
        .count()
        .get_result(&mut c)
        .unwrap()
}

fn question_ids(st: &platform::web::AppState, survey: &str) -> Vec<(String, String)> {
    let mut c = st.db.get().unwrap();
    survey_questions::table
        .filter(survey_questions::survey_id.eq(survey))
        .order(survey_questions::position.asc())
        .select((survey_questions::id, survey_questions::text))
        .load(&mut c)
        .unwrap()
}

/// The survey id from the redirect after creating it.
fn created_id(r: &Resp) -> String {
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let loc = r.location();
    let id = loc
        .strip_prefix(&format!("/kursy/{KEY}/ankiety/"))
        .and_then(|s| s.strip_suffix("/edycja"))
        .unwrap_or_else(|| panic!("unexpected redirect {loc}"));
    id.to_string()
}

async fn setup(b: Backend) -> (TestDb, platform::web::AppState) {
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
    install(&st, &learning_course(), Some(&org), Visibility::Public);
    for (email, o) in [("autor@a.pl", &org), ("autor@b.pl", &other)] {
        let id = make_user(&st, email, "Autor", PW, false);
        let mut conn = st.db.get().unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            o,
            &id,
            platform::access::Role::Author,
        )
        .unwrap();
    }
    make_user(&st, "ewa@example.pl", "Ewa Łęcka", PW, false);
    (db, st)
}

async fn named_survey_from_authoring_to_csv(b: Backend) {
    let (_db, st) = setup(b).await;
    let app = spawn_app(st.clone()).await;
    let mut author = Client::new(app);
    author.login("autor@a.pl", PW).await;
    let base = format!("/kursy/{KEY}/ankiety");
    author
        .get(&base)
        .await
        .assert_status(200)
        .assert_contains("Nowa ankieta");

    // Invalid settings: 422 with the summary, input kept, nothing stored.
    let r = author
        .post(
            &format!("{base}/nowa"),
            &[
                ("title", " "),
                ("intro", "Wstęp zachowany"),
                ("anonymity", "named"),
                ("availability", "open"),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains("error-summary")
        .assert_contains("href=\"#title\"")
        .assert_contains("Wstęp zachowany");
    {
        let mut c = st.db.get().unwrap();
        let n: i64 = lms::surveys::store::surveys::table
            .count()
            .get_result(&mut c)
            .unwrap();
        assert_eq!(n, 0);
    }

    let sid = created_id(
        &author
            .post(
                &format!("{base}/nowa"),
                &[
                    ("title", "Ocena kursu"),
                    ("intro", "Prosimy o opinię."),
                    ("anonymity", "named"),
                    ("availability", "open"),
                ],
            )
            .await,
    );
    let edit = format!("{base}/{sid}/edycja");
    author
        .get(&edit)
        .await
        .assert_status(200)
        .assert_contains("Ocena kursu");

    // Four types of question (and one more to delete).
    let add = format!("{base}/{sid}/pytania");
    for fields in [
        vec![
            ("kind", "single"),
            ("text", "Czy polecisz kurs?"),
            ("options", "Tak\r\nNie\r\n"),
            ("required", "yes"),
        ],
        vec![
            ("kind", "multiple"),
            ("text", "Co było przydatne?"),
            ("options", "Filmy\nZadania\n=2+2"),
        ],
        vec![
            ("kind", "scale"),
            ("text", "Ogólna ocena"),
            ("low", "słabo"),
            ("high", "świetnie"),
            ("required", "yes"),
        ],
        vec![("kind", "text"), ("text", "Uwagi")],
        vec![("kind", "text"), ("text", "Do usunięcia")],
    ] {
        let r = author.post(&add, &fields).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }
    // Invalid question: 422, the summary links to the field, the input stays, nothing stored.
    let r = author
        .post(
            &add,
            &[
                ("kind", "single"),
                ("text", "Jedna opcja?"),
                ("options", "tylko ta"),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains("href=\"#q-options\"")
        .assert_contains("Jedna opcja?")
        .assert_contains("tylko ta");
    let r = author
        .post(&add, &[("kind", "ranking"), ("text", "")])
        .await;
    r.assert_status(422).assert_contains("href=\"#q-text\"");
    assert_eq!(question_ids(&st, &sid).len(), 5);

    // Delete the fifth, move "Uwagi" up and back down, edit the first.
    let qs = question_ids(&st, &sid);
    let r = author.post(&format!("{add}/{}/usun", qs[4].0), &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    author
        .post(
            &format!("{add}/{}/przesun", qs[3].0),
            &[("direction", "up")],
        )
        .await;
    let order: Vec<String> = question_ids(&st, &sid).into_iter().map(|q| q.1).collect();
    assert_eq!(
        order,
        [
            "Czy polecisz kurs?",
            "Co było przydatne?",
            "Uwagi",
            "Ogólna ocena"
        ]
    );
    author
        .post(
            &format!("{add}/{}/przesun", qs[3].0),
            &[("direction", "down")],
        )
        .await;
    author
        .get(&format!("{add}/{}", qs[0].0))
        .await
        .assert_status(200)
        .assert_contains("Czy polecisz kurs?");
    let r = author
        .post(
            &format!("{add}/{}", qs[0].0),
            &[
                ("kind", "single"),
                ("text", "Czy polecisz ten kurs?"),
                ("options", "Tak\nNie"),
                ("required", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let qs = question_ids(&st, &sid);
    let text: Vec<&str> = qs.iter().map(|q| q.1.as_str()).collect();
    assert_eq!(
        text,
        [
            "Czy polecisz ten kurs?",
            "Co było przydatne?",
            "Ogólna ocena",
            "Uwagi"
        ]
    );
    let q: Vec<String> = qs.iter().map(|q| format!("q-{}", q.0)).collect();

    // Learner with an account: the course nav links the surveys; invalid answers give 422 and
    // store nothing.
    let mut ewa = Client::new(spawn_app(st.clone()).await);
    ewa.login("ewa@example.pl", PW).await;
    ewa.get(&format!("/kursy/{KEY}/nauka"))
        .await
        .assert_contains(&format!("href=\"{base}\""));
    ewa.get(&base)
        .await
        .assert_status(200)
        .assert_contains("Ocena kursu");
    let form = format!("{base}/{sid}");
    ewa.get(&form)
        .await
        .assert_status(200)
        .assert_contains("Prosimy o opinię.")
        .assert_contains("imienna");
    for bad in [
        vec![(q[2].as_str(), "3")], // required single missing
        vec![(q[0].as_str(), "7"), (q[2].as_str(), "3")], // no such option
        vec![(q[0].as_str(), "0"), (q[2].as_str(), "6")], // scale out of range
        vec![
            (q[0].as_str(), "0"),
            (q[0].as_str(), "1"),
            (q[2].as_str(), "3"),
        ], // two in single
    ] {
        let r = ewa.post(&form, &bad).await;
        r.assert_status(422).assert_contains("error-summary");
    }
    let long = "x".repeat(4001);
    let r = ewa
        .post(
            &form,
            &[
                (q[0].as_str(), "0"),
                (q[2].as_str(), "3"),
                (q[3].as_str(), long.as_str()),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains(&format!("href=\"#{}\"", q[3]));
    // The kept input: the chosen option stays checked.
    r.assert_contains(&format!(
        "id=\"{}-0\" name=\"{}\" value=\"0\" checked",
        q[0], q[0]
    ));
    assert_eq!(count_responses(&st, &sid), 0);

    let r = ewa
        .post(
            &form,
            &[
                (q[0].as_str(), "0"),
                (q[1].as_str(), "0"),
                (q[1].as_str(), "2"),
                (q[2].as_str(), "4"),
                (q[3].as_str(), "Świetny kurs, dziękuję"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    ewa.get(&form)
        .await
        .assert_contains("Dziękujemy, odpowiedzi zostały zapisane");
    // A second response is refused kindly and stores nothing.
    let r = ewa
        .post(&form, &[(q[0].as_str(), "1"), (q[2].as_str(), "1")])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    ewa.get(&form)
        .await
        .assert_status(200)
        .assert_contains("została już przez Ciebie wypełniona");
    assert_eq!(count_responses(&st, &sid), 1);

    // A learner without an account.
    let mut anon = Client::new(spawn_app(st.clone()).await);
    anon.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    anon.get(&form).await.assert_status(200);
    let r = anon
        .post(
            &form,
            &[
                (q[0].as_str(), "1"),
                (q[1].as_str(), "2"),
                (q[2].as_str(), "2"),
                (q[3].as_str(), "=HYPERLINK(\"http://zly.example\")"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(count_responses(&st, &sid), 2);

    // Once there are responses the questions are frozen (adding, editing, moving refused).
    let r = author
        .post(&add, &[("kind", "text"), ("text", "Spóźnione pytanie")])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    author
        .get(&edit)
        .await
        .assert_contains("pytań nie można zmieniać");
    author
        .post(
            &format!("{add}/{}", qs[0].0),
            &[
                ("kind", "single"),
                ("text", "Zmienione"),
                ("options", "A\nB"),
            ],
        )
        .await;
    author
        .post(
            &format!("{add}/{}/przesun", qs[1].0),
            &[("direction", "up")],
        )
        .await;
    assert_eq!(question_ids(&st, &sid), qs);
    // Anonymity can no longer change either.
    author
        .post(
            &edit,
            &[
                ("title", "Ocena kursu"),
                ("anonymity", "anonymous"),
                ("availability", "open"),
            ],
        )
        .await;
    {
        let mut c = st.db.get().unwrap();
        let anonymous: bool = lms::surveys::store::surveys::table
            .find(&sid)
            .select(lms::surveys::store::surveys::anonymous)
            .first(&mut c)
            .unwrap();
        assert!(!anonymous);
    }

    // Results: counts, percentages of those who answered, the scale's mean, the texts.
    let res = author.get(&format!("{base}/{sid}/wyniki")).await;
    res.assert_status(200)
        .assert_contains("2 odpowiedzi")
        .assert_contains("role=\"img\"")
        .assert_contains("<th scope=\"row\">Tak</th><td>1</td><td>50%</td>")
        .assert_contains("<th scope=\"row\">Nie</th><td>1</td><td>50%</td>")
        .assert_contains("<th scope=\"row\">Filmy</th><td>1</td><td>50%</td>")
        .assert_contains("<th scope=\"row\">Zadania</th><td>0</td><td>0%</td>")
        .assert_contains("<th scope=\"row\">=2+2</th><td>2</td><td>100%</td>")
        .assert_contains("<th scope=\"row\">1 – słabo</th><td>0</td><td>0%</td>")
        .assert_contains("<th scope=\"row\">2</th><td>1</td><td>50%</td>")
        .assert_contains("<th scope=\"row\">4</th><td>1</td><td>50%</td>")
        .assert_contains("<th scope=\"row\">5 – świetnie</th><td>0</td><td>0%</td>")
        .assert_contains("średnia 3,00")
        .assert_contains("Świetny kurs, dziękuję")
        .assert_contains("Tak: 1 (50%); Nie: 1 (50%)");

    // CSV: one row per response, in order; the name of the account holder, a pseudonym for the
    // learner without an account; formulas defused.
    let csv = author.get(&format!("{base}/{sid}/wyniki.csv")).await;
    csv.assert_status(200);
    let lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}Odpowiedź,Czas,Uczestnik,Czy polecisz ten kurs?,Co było przydatne?,Ogólna ocena,Uwagi"
    );
    assert_eq!(lines.len(), 3, "{}", csv.body);
    let without_time = |l: &str| {
        let mut p = l.splitn(3, ',');
        let n = p.next().unwrap().to_string();
        let time = p.next().unwrap().to_string();
        assert!(time.len() == 19 && time.starts_with("20"), "{time}");
        format!("{n},{}", p.next().unwrap())
    };
    assert_eq!(
        without_time(lines[1]),
        "1,Ewa Łęcka,Tak,Filmy; =2+2,4,\"Świetny kurs, dziękuję\""
    );
    let anon_row = without_time(lines[2]);
    let anon_id = {
        let mut c = st.db.get().unwrap();
        survey_respondents::table
            .filter(survey_respondents::survey_id.eq(&sid))
            .filter(survey_respondents::learner_id.like("anon-%"))
            .select(survey_respondents::learner_id)
            .first::<String>(&mut c)
            .unwrap()
    };
    assert!(anon_row.starts_with("2,anon-"), "{anon_row}");
    assert!(
        !anon_row.contains(&anon_id),
        "the raw learner id is not exported"
    );
    assert!(
        anon_row.ends_with(",Nie,'=2+2,2,\"'=HYPERLINK(\"\"http://zly.example\"\")\""),
        "{anon_row}"
    );

    // The learner without an account registers: the response moves into the account.
    anon.register("nowy@example.pl", "Nowy Uczestnik", PW).await;
    anon.get("/").await;
    let csv = author.get(&format!("{base}/{sid}/wyniki.csv")).await;
    assert!(csv.body.contains(",Nowy Uczestnik,Nie,"), "{}", csv.body);
    let uid = user_id(&st, "nowy@example.pl");
    let mut c = st.db.get().unwrap();
    let respondents: Vec<String> = survey_respondents::table
        .filter(survey_respondents::survey_id.eq(&sid))
        .select(survey_respondents::learner_id)
        .load(&mut c)
        .unwrap();
    assert!(respondents.contains(&uid) && !respondents.contains(&anon_id));
    drop(c);
    // Now signed in, the same person cannot answer again.
    anon.get(&form)
        .await
        .assert_contains("została już przez Ciebie wypełniona");

    // Closing hides the survey from learners.
    author
        .post(
            &edit,
            &[
                ("title", "Ocena kursu"),
                ("anonymity", "named"),
                ("availability", "closed"),
            ],
        )
        .await;
    let list = ewa.get(&base).await;
    assert!(!list.body.contains("Ocena kursu"), "{}", list.body);
    ewa.get(&form).await.assert_status(404);
}

async fn anonymous_survey_stores_no_learner(b: Backend) {
    let (_db, st) = setup(b).await;
    let mut author = Client::new(spawn_app(st.clone()).await);
    author.login("autor@a.pl", PW).await;
    let base = format!("/kursy/{KEY}/ankiety");
    let sid = created_id(
        &author
            .post(
                &format!("{base}/nowa"),
                &[
                    ("title", "Anonimowa"),
                    ("anonymity", "anonymous"),
                    ("availability", "open"),
                ],
            )
            .await,
    );
    for fields in [
        vec![("kind", "scale"), ("text", "Ocena"), ("required", "yes")],
        vec![
            ("kind", "single"),
            ("text", "Czy wrócisz?"),
            ("options", "Tak\nNie"),
        ],
    ] {
        author.post(&format!("{base}/{sid}/pytania"), &fields).await;
    }
    let qs = question_ids(&st, &sid);
    let (q1, q2) = (format!("q-{}", qs[0].0), format!("q-{}", qs[1].0));
    let form = format!("{base}/{sid}");
    let mut ewa = Client::new(spawn_app(st.clone()).await);
    ewa.login("ewa@example.pl", PW).await;
    ewa.get(&form).await.assert_contains("anonimowa");
    let r = ewa
        .post(&form, &[(q1.as_str(), "5"), (q2.as_str(), "0")])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    let mut anon = Client::new(spawn_app(st.clone()).await);
    anon.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let r = anon.post(&form, &[(q1.as_str(), "2")]).await;
    assert_eq!(r.status.as_u16(), 303);
    let r = anon.post(&form, &[(q1.as_str(), "3")]).await;
    assert_eq!(r.status.as_u16(), 303);

    let ewa_id = user_id(&st, "ewa@example.pl");
    let mut c = st.db.get().unwrap();
    let rows: Vec<(Option<String>, Option<chrono::NaiveDateTime>)> = survey_responses::table
        .filter(survey_responses::survey_id.eq(&sid))
        .select((survey_responses::learner_id, survey_responses::submitted_at))
        .load(&mut c)
        .unwrap();
    assert_eq!(rows, vec![(None, None), (None, None)]);
    let texts: Vec<(String, Option<String>)> = survey_answers::table
        .select((survey_answers::response_id, survey_answers::text))
        .load(&mut c)
        .unwrap();
    assert!(texts
        .iter()
        .all(|(r, t)| !r.contains(&ewa_id) && !r.starts_with("anon-") && t.is_none()));
    let respondents: i64 = survey_respondents::table
        .filter(survey_respondents::survey_id.eq(&sid))
        .count()
        .get_result(&mut c)
        .unwrap();
    assert_eq!(respondents, 2, "the once-only check knows who answered");
    drop(c);

    let csv = author.get(&format!("{base}/{sid}/wyniki.csv")).await;
    let mut lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
    assert_eq!(lines.remove(0), "\u{feff}Odpowiedź,Ocena,Czy wrócisz?");
    let mut rest: Vec<String> = lines
        .iter()
        .map(|l| l.split_once(',').unwrap().1.to_string())
        .collect();
    rest.sort();
    assert_eq!(rest, ["2,", "5,Tak"]);
    assert!(!csv.body.contains("Ewa") && !csv.body.contains("anon-"));
    author
        .get(&format!("{base}/{sid}/wyniki"))
        .await
        .assert_contains("2 odpowiedzi")
        .assert_contains("średnia 3,50");
}

async fn only_the_course_staff_author_and_see_results(b: Backend) {
    let (_db, st) = setup(b).await;
    let mut author = Client::new(spawn_app(st.clone()).await);
    author.login("autor@a.pl", PW).await;
    let base = format!("/kursy/{KEY}/ankiety");
    let sid = created_id(
        &author
            .post(
                &format!("{base}/nowa"),
                &[
                    ("title", "Tylko dla swoich"),
                    ("anonymity", "named"),
                    ("availability", "open"),
                ],
            )
            .await,
    );
    author
        .post(
            &format!("{base}/{sid}/pytania"),
            &[("kind", "text"), ("text", "Pytanie"), ("required", "yes")],
        )
        .await;
    let qid = question_ids(&st, &sid)[0].0.clone();

    let mut other = Client::new(spawn_app(st.clone()).await);
    other.login("autor@b.pl", PW).await;
    let mut ewa = Client::new(spawn_app(st.clone()).await);
    ewa.login("ewa@example.pl", PW).await;
    let gets = [
        format!("{base}/nowa"),
        format!("{base}/{sid}/edycja"),
        format!("{base}/{sid}/pytania/{qid}"),
        format!("{base}/{sid}/wyniki"),
        format!("{base}/{sid}/wyniki.csv"),
    ];
    for c in [&mut other, &mut ewa] {
        for g in &gets {
            c.get(g).await.assert_status(403);
        }
        c.post(
            &format!("{base}/nowa"),
            &[
                ("title", "Obca"),
                ("anonymity", "named"),
                ("availability", "open"),
            ],
        )
        .await
        .assert_status(403);
        c.post(
            &format!("{base}/{sid}/pytania"),
            &[("kind", "text"), ("text", "Obce")],
        )
        .await
        .assert_status(403);
        c.post(&format!("{base}/{sid}/pytania/{qid}/usun"), &[])
            .await
            .assert_status(403);
        c.post(&format!("{base}/{sid}/usun"), &[])
            .await
            .assert_status(403);
    }
    // Visitors without a session are sent to sign in.
    let mut nobody = Client::new(spawn_app(st.clone()).await);
    let r = nobody.get(&format!("{base}/{sid}/wyniki")).await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(r.location().starts_with("/logowanie"), "{}", r.location());
    assert_eq!(question_ids(&st, &sid).len(), 1);
    {
        let mut c = st.db.get().unwrap();
        let n: i64 = lms::surveys::store::surveys::table
            .count()
            .get_result(&mut c)
            .unwrap();
        assert_eq!(n, 1);
    }
    // Unknown or foreign ids are 404 for staff too.
    author
        .get(&format!("{base}/0123456789abcdef0123456789abcdef/wyniki"))
        .await
        .assert_status(404);
    author
        .get(&format!("{base}/nie-ma/edycja"))
        .await
        .assert_status(404);
    // The author deletes the survey.
    let r = author.post(&format!("{base}/{sid}/usun"), &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(question_ids(&st, &sid).is_empty());
}

crate::both_backends!(
    named_survey_from_authoring_to_csv,
    anonymous_survey_stores_no_learner,
    only_the_course_staff_author_and_see_results,
);
