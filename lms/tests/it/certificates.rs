//! Certificates by course option (on pass, on completion, off; grade shown or not), the
//! `notpassing` record and its upgrade, the learner's certificates on the profile, and the
//! office logo on certificates. Both databases.

use studio::store::Visibility;

use crate::helpers::*;
use crate::learning::{install, tool};
use crate::olx_import::targz;

const KEY: &str = "course-v1:SZPoN+C1+2026";
const PASSWORD: &str = "bardzo-tajne-haslo-9";

/// One unit with a text and two one-point multiple-choice problems (unlimited attempts); the
/// pass cutoff is 60 %, so one right answer of two fails and two pass.
fn small_course() -> Vec<u8> {
    let mc = |q: &str| {
        format!("<problem display_name=\"{q}\"><multiplechoiceresponse><label>{q}?</label><choicegroup type=\"MultipleChoice\"><choice correct=\"false\">Nie</choice><choice correct=\"true\">Tak</choice></choicegroup></multiplechoiceresponse></problem>")
    };
    let (pa, pb) = (mc("Pierwsze"), mc("Drugie"));
    targz(&[
        ("course/course.xml", b"<course url_name=\"2026\" org=\"SZPoN\" course=\"C1\"/>"),
        (
            "course/course/2026.xml",
            "<course display_name=\"Kurs z zaświadczeniem\" language=\"pl\"><chapter url_name=\"ch\"/></course>".as_bytes(),
        ),
        ("course/chapter/ch.xml", b"<chapter display_name=\"R1\"><sequential url_name=\"s\"/></chapter>"),
        (
            "course/sequential/s.xml",
            b"<sequential display_name=\"Test\" graded=\"true\" format=\"Homework\"><vertical url_name=\"u\"/></sequential>",
        ),
        (
            "course/vertical/u.xml",
            b"<vertical display_name=\"Lekcja\"><html url_name=\"h\"/><problem url_name=\"pa\"/><problem url_name=\"pb\"/></vertical>",
        ),
        ("course/html/h.xml", b"<html filename=\"h\" display_name=\"Tekst\"/>"),
        ("course/html/h.html", b"<p>Tekst</p>"),
        ("course/problem/pa.xml", pa.as_bytes()),
        ("course/problem/pb.xml", pb.as_bytes()),
        (
            "course/policies/2026/grading_policy.json",
            b"{\"GRADER\": [{\"type\": \"Homework\", \"min_count\": 1, \"drop_count\": 0, \"short_label\": \"HW\", \"weight\": 1.0}], \"GRADE_CUTOFFS\": {\"Pass\": 0.6}}",
        ),
        ("course/policies/2026/policy.json", b"{\"course/2026\": {}}"),
    ])
}

fn org_with_author(st: &platform::web::AppState, slug: &str, name: &str, email: &str) -> String {
    let mut conn = st.db.get().unwrap();
    let org = platform::models::organisation::create(&mut conn, slug, name, "other")
        .unwrap()
        .id;
    drop(conn);
    let id = make_user(st, email, email, PASSWORD, false);
    let mut conn = st.db.get().unwrap();
    for role in [
        platform::access::Role::Author,
        platform::access::Role::Administrator,
    ] {
        platform::models::organisation::grant_role(&mut conn, &org, &id, role).unwrap();
    }
    org
}

fn course_id(st: &platform::web::AppState) -> String {
    let mut conn = st.db.get().unwrap();
    studio::store::find_by_key(&mut conn, KEY)
        .unwrap()
        .unwrap()
        .id
}

fn certificates_of(st: &platform::web::AppState, email: &str) -> Vec<(String, String)> {
    let mut conn = st.db.get().unwrap();
    let user = platform::models::user::find_by_email(&mut conn, email)
        .unwrap()
        .unwrap();
    use diesel::prelude::*;
    use lms::certificates::store::certificates as c;
    c::table
        .filter(c::user_id.eq(&user.id))
        .select((c::verify_uuid, c::status))
        .load(&mut conn)
        .unwrap()
}

/// Answers a two-choice problem of [`small_course`] right or wrong.
macro_rules! answer {
    ($c:expr, $problem:expr, $right:expr) => {{
        let problem: &str = $problem;
        let r = $c
            .post(
                &format!("/kursy/{KEY}/problem/{problem}"),
                &[
                    ("action", "check"),
                    (
                        &format!("input_{problem}_2_1"),
                        if $right { "choice_1" } else { "choice_0" },
                    ),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }};
}

/// The Studio settings page sets when a course gives certificates and whether they state the
/// grade; invalid input is refused with the form and nothing changes; another office's author
/// gets 403. Then: on completion a failing learner gets a certificate without a grade; on pass
/// a learner who completes without passing gets a `notpassing` record the public cannot see,
/// which becomes the certificate (same number) when they pass; with certificates off nobody
/// gets one. The learner's certificates are listed on their profile.
async fn course_options_decide_who_gets_a_certificate(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = org_with_author(&st, "urzad-gdansk", "Urząd Gdańsk", "autor@gdansk.pl");
    org_with_author(&st, "urzad-inny", "Urząd Inny", "autor@inny.pl");
    install(&st, &small_course(), Some(&org), Visibility::Public);
    let cid = course_id(&st);
    let settings = format!("/studio/kursy/{cid}/ustawienia");

    let mut other = Client::new(spawn_app(st.clone()).await);
    other.login("autor@inny.pl", PASSWORD).await;
    other.get(&settings).await.assert_status(403);
    other
        .post(
            &settings,
            &[("visibility", "public"), ("certificates", "off")],
        )
        .await
        .assert_status(403);

    let mut author = Client::new(spawn_app(st.clone()).await);
    author.login("autor@gdansk.pl", PASSWORD).await;
    author
        .get(&settings)
        .await
        .assert_status(200)
        .assert_contains("Po zaliczeniu");
    let bad = author
        .post(
            &settings,
            &[
                ("visibility", "public"),
                ("certificates", "completion"),
                ("points_per_unit", "dużo"),
                ("points_per_correct", "5"),
            ],
        )
        .await;
    bad.assert_status(422)
        .assert_contains("Podaj liczbę całkowitą od 0 do 1000")
        .assert_contains("value=\"dużo\"");
    let stored = |st: &platform::web::AppState| {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, KEY)
            .unwrap()
            .unwrap()
            .options()
    };
    assert_eq!(stored(&st), studio::store::CourseOptions::default());
    let ok = author
        .post(
            &settings,
            &[
                ("visibility", "public"),
                ("certificates", "completion"),
                ("points_per_unit", "3"),
                ("points_per_correct", "7"),
                ("gamification", "yes"),
            ],
        )
        .await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.body);
    let o = stored(&st);
    assert_eq!(o.certificates, studio::store::CertificateMode::Completion);
    assert!(!o.certificate_shows_grade);
    assert_eq!((o.points_per_unit, o.points_per_correct), (3, 7));

    // An anonymous learner who completes (failing) is invited to register for the certificate.
    let mut anon = Client::new(spawn_app(st.clone()).await);
    anon.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    anon.get(&format!("/kursy/{KEY}/nauka/u")).await;
    let before = anon.get(&format!("/kursy/{KEY}/postep")).await;
    before.assert_contains("po ukończeniu wszystkich części kursu");
    assert!(!before.body.contains("załóż konto"));
    answer!(anon, "pa", false);
    answer!(anon, "pb", false);
    anon.get(&format!("/kursy/{KEY}/postep"))
        .await
        .assert_contains("załóż konto");

    // On completion: both answers wrong (0 %), everything done → a certificate, no grade on it.
    let mut a = Client::new(spawn_app(st.clone()).await);
    a.register("anna@example.pl", "Anna Żak", "bardzo-tajne-haslo-10")
        .await;
    a.get(&format!("/kursy/{KEY}/nauka/u"))
        .await
        .assert_status(200);
    answer!(a, "pa", false);
    assert!(certificates_of(&st, "anna@example.pl").is_empty());
    answer!(a, "pb", false);
    let certs = certificates_of(&st, "anna@example.pl");
    assert_eq!(certs.len(), 1, "{certs:?}");
    assert_eq!(certs[0].1, "downloadable");
    let uuid = certs[0].0.clone();
    let page = a.get(&format!("/certificates/{uuid}")).await;
    page.assert_status(200).assert_contains("Anna Żak");
    assert!(!page.body.contains("Wynik"), "grade shown: {}", page.body);
    let j: serde_json::Value =
        serde_json::from_str(&a.get(&format!("/certificates/{uuid}/json")).await.body).unwrap();
    assert!(j["grade"].is_null(), "{j}");
    a.get("/profil")
        .await
        .assert_contains("Moje zaświadczenia")
        .assert_contains(&uuid)
        .assert_contains("Kurs z zaświadczeniem");

    // On pass, grade shown: complete without passing → notpassing, invisible; pass → the same
    // number becomes a certificate stating the grade.
    author
        .post(
            &settings,
            &[
                ("visibility", "public"),
                ("certificates", "pass"),
                ("certificate_shows_grade", "yes"),
                ("points_per_unit", "10"),
                ("points_per_correct", "5"),
            ],
        )
        .await;
    // The course cache trusts what it loaded for 2 s.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let mut b2 = Client::new(spawn_app(st.clone()).await);
    b2.register("bartek@example.pl", "Bartek Łoś", "bardzo-tajne-haslo-11")
        .await;
    b2.get(&format!("/kursy/{KEY}/nauka/u")).await;
    answer!(b2, "pa", false);
    answer!(b2, "pb", true);
    let certs = certificates_of(&st, "bartek@example.pl");
    assert_eq!(certs.len(), 1, "{certs:?}");
    assert_eq!(certs[0].1, "notpassing");
    b2.get(&format!("/kursy/{KEY}/postep"))
        .await
        .assert_contains("po zaliczeniu kursu (wynik co najmniej 60%)");
    let uuid = certs[0].0.clone();
    let mut anyone = Client::new(spawn_app(st.clone()).await);
    anyone
        .get(&format!("/certificates/{uuid}"))
        .await
        .assert_status(404);
    anyone
        .get(&format!("/certificates/{uuid}/json"))
        .await
        .assert_status(404);
    anyone
        .get(&format!("/certificates/{uuid}/pdf"))
        .await
        .assert_status(404);
    let profile = b2.get("/profil").await;
    assert!(!profile.body.contains(&uuid), "notpassing listed");
    answer!(b2, "pa", true);
    assert_eq!(
        certificates_of(&st, "bartek@example.pl"),
        vec![(uuid.clone(), "downloadable".to_string())]
    );
    anyone
        .get(&format!("/certificates/{uuid}"))
        .await
        .assert_status(200)
        .assert_contains("Bartek Łoś")
        .assert_contains("Wynik")
        .assert_contains("100%");

    // Off: nobody new gets one.
    author
        .post(
            &settings,
            &[
                ("visibility", "public"),
                ("certificates", "off"),
                ("points_per_unit", "10"),
                ("points_per_correct", "5"),
            ],
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let mut c3 = Client::new(spawn_app(st.clone()).await);
    c3.register("celina@example.pl", "Celina Ćma", "bardzo-tajne-haslo-12")
        .await;
    c3.get(&format!("/kursy/{KEY}/nauka/u")).await;
    answer!(c3, "pa", true);
    answer!(c3, "pb", true);
    assert!(certificates_of(&st, "celina@example.pl").is_empty());
    let progress = c3.get(&format!("/kursy/{KEY}/postep")).await;
    assert!(!progress.body.contains("Zaświadczenie otrzymasz"));
    assert!(!progress.body.contains("Twoje zaświadczenie"));
    c3.get("/profil")
        .await
        .assert_contains("Nie masz jeszcze zaświadczeń");
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if (x / 20 + y / 20) % 2 == 0 {
            image::Rgb([200, 30, 40])
        } else {
            image::Rgb([255, 255, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An office administrator uploads a logo (PNG or JPEG only; another office's administrator
/// cannot); it is served publicly, shown on the verification page and printed on the PDF, which
/// stays under 100 KB even for a large logo.
async fn office_logo_appears_on_certificates(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let org = org_with_author(&st, "urzad-sopot", "Urząd Sopot", "admin@sopot.pl");
    org_with_author(&st, "urzad-inny", "Urząd Inny", "admin@inny.pl");
    install(&st, &small_course(), Some(&org), Visibility::Public);

    let mut other = Client::new(spawn_app(st.clone()).await);
    other.login("admin@inny.pl", PASSWORD).await;
    other
        .post_file(
            "/organizacje/urzad-sopot/logo",
            "logo",
            "l.png",
            "image/png",
            &png(10, 10),
        )
        .await
        .assert_status(403);

    let mut admin = Client::new(spawn_app(st.clone()).await);
    admin.login("admin@sopot.pl", PASSWORD).await;
    admin
        .get("/organizacje/urzad-sopot")
        .await
        .assert_contains("Logo urzędu");
    admin
        .post_file(
            "/organizacje/urzad-sopot/logo",
            "logo",
            "l.gif",
            "image/gif",
            b"GIF89a....",
        )
        .await
        .assert_status(422)
        .assert_contains("Logo musi być plikiem PNG albo JPEG");
    admin
        .get("/organizacje/urzad-sopot/logo")
        .await
        .assert_status(404);
    let logo = png(1600, 600);
    assert!(logo.len() > 20_000);
    let r = admin
        .post_file(
            "/organizacje/urzad-sopot/logo",
            "logo",
            "l.png",
            "image/png",
            &logo,
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let mut anyone = Client::new(spawn_app(st.clone()).await);
    let served = anyone.get("/organizacje/urzad-sopot/logo").await;
    served.assert_status(200);
    assert_eq!(served.headers.get("content-type").unwrap(), "image/png");

    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner
        .register("ewa@example.pl", "Ewa Źrebiec", "bardzo-tajne-haslo-13")
        .await;
    learner.get(&format!("/kursy/{KEY}/nauka/u")).await;
    answer!(learner, "pa", true);
    answer!(learner, "pb", true);
    let uuid = certificates_of(&st, "ewa@example.pl")[0].0.clone();
    anyone
        .get(&format!("/certificates/{uuid}"))
        .await
        .assert_contains("src=\"/organizacje/urzad-sopot/logo\"")
        .assert_contains("alt=\"Logo: Urząd Sopot\"");
    let ob: serde_json::Value = serde_json::from_str(
        &anyone
            .get(&format!("/certificates/{uuid}/openbadge"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        ob["issuer"]["image"]["id"], "http://localhost:8080/organizacje/urzad-sopot/logo",
        "{ob}"
    );
    let app = spawn_app(st.clone()).await;
    let req = actix_web::test::TestRequest::get()
        .uri(&format!("/certificates/{uuid}/pdf"))
        .to_request();
    let bytes = actix_web::test::call_and_read_body(&app, req).await;
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() < 100 * 1024,
        "{} bytes",
        bytes.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let images = tool("pdfimages", &["-list", file.to_str().unwrap()]);
    // Header lines, then one line per image: the logo, scaled down to fit its box.
    let rows: Vec<&str> = images.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{images}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    let (w, h): (u32, u32) = (cols[3].parse().unwrap(), cols[4].parse().unwrap());
    assert!(w <= 472 && h <= 177 && w > 100, "{images}");

    // Removing the logo takes it off.
    admin
        .post("/organizacje/urzad-sopot/logo/usun", &[])
        .await
        .assert_status(303);
    anyone
        .get("/organizacje/urzad-sopot/logo")
        .await
        .assert_status(404);
}

crate::both_backends!(
    course_options_decide_who_gets_a_certificate,
    office_logo_appears_on_certificates,
);
