//! The real-browser test: headless Chromium driven by playwright-core through the register →
//! log in → profile → language switch journey, with axe-core (WCAG 2.1 A/AA) on every page.
//! `.ci/run` installs Chromium and the npm packages; without them this test fails, never skips.

use std::path::PathBuf;
use std::process::Command;

use crate::cli::Server;
use crate::helpers::*;

/// Runs one journey script with node and asserts it passed every check (its output is printed
/// either way, so a failing check reads in the test log).
fn run_script(dir: &std::path::Path, script: &str, envs: &[(&str, &std::ffi::OsStr)]) {
    let out = Command::new("node")
        .arg(dir.join(script))
        .envs(envs.iter().copied())
        .output()
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// A person made with `szpon user create` in an office with a role.
fn cli_user(db: &TestDb, email: &str, name: &str, org: &str, role: &str, password: &str) {
    szpon_ok(
        db,
        &[
            "user",
            "create",
            "--email",
            email,
            "--name",
            name,
            "--org",
            org,
            "--role",
            role,
            "--password-stdin",
        ],
        Some(&format!("{password}\n")),
    );
}

/// An office author (`autor@example.pl`, password `haslo autora 123`, office `urzad-testowy`)
/// and the tests' learning course imported into that office, through the command line; returns
/// the course's id.
fn author_and_learning_course(db: &TestDb) -> String {
    cli_user(
        db,
        "autor@example.pl",
        "Anna Autorka",
        "urzad-testowy",
        "author",
        "haslo autora 123",
    );
    let course = db.dir.path().join("learning.tar.gz");
    std::fs::write(&course, crate::learning::learning_course()).unwrap();
    szpon_ok(
        db,
        &["import", course.to_str().unwrap(), "--org", "urzad-testowy"],
        None,
    );
    let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
    let mut conn = d.get().unwrap();
    studio::store::find_by_key(&mut conn, crate::learning::KEY)
        .unwrap()
        .unwrap()
        .id
}

/// A journey whose script needs only the author of [`author_and_learning_course`] and the
/// course's id (`COURSE_ID`, `EMAIL`, `PASSWORD`).
fn learning_course_journey(b: Backend, script: &str) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    let course_id = author_and_learning_course(&db);
    let server = Server::start(&db);
    run_script(
        &dir,
        script,
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_ID", course_id.as_ref()),
            ("EMAIL", "autor@example.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
        ],
    );
}

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/browser")
}

/// Runs the real `szpon` binary against the test's database (setting up a journey: offices,
/// people, courses) and returns its stdout; panics with its stderr if it fails.
fn szpon_ok(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Vec<u8> {
    let mut c = crate::cli::szpon();
    c.args(args)
        .envs(db.env())
        .current_dir(db.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(s) = stdin {
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), s.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "szpon {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn run_journey(b: Backend) {
    let dir = browser_dir();
    assert!(
        dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
        "browser test dependencies missing: run .ci/run (or `npm ci --prefix tests/browser`)"
    );
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "Chromium missing: run .ci/run (or `apt-get install chromium`)"
    );
    let db = TestDb::new(b);
    let server = Server::start(&db);
    run_script(
        &dir,
        "accounts.mjs",
        &[("BASE_URL", server.base_url.as_ref())],
    );
}

#[test]
fn browser_journey_and_axe_sqlite() {
    run_journey(Backend::Sqlite);
}

#[test]
fn browser_journey_and_axe_postgres() {
    run_journey(Backend::Postgres);
}

/// The course upload page in a real browser: error path, upload with progress, the import
/// report, all with axe-core checks.
fn run_import_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    cli_user(
        &db,
        "autor@example.pl",
        "Anna Autorka",
        "urzad-testowy",
        "author",
        "haslo autora 123",
    );
    let server = Server::start(&db);
    let bad = db.dir.path().join("not-an-archive.txt");
    std::fs::write(&bad, "to nie jest eksport kursu").unwrap();
    run_script(
        &dir,
        "import.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("EMAIL", "autor@example.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
            (
                "OLX_FILE",
                crate::olx_import::shared("kitchen_sink.tar.gz").as_ref(),
            ),
            ("BAD_FILE", bad.as_ref()),
        ],
    );
}

#[test]
fn browser_course_upload_sqlite() {
    run_import_journey(Backend::Sqlite);
}

#[test]
fn browser_course_upload_postgres() {
    run_import_journey(Backend::Postgres);
}

/// The learner side in a real browser: catalog and search, about page, "Ucz się bez konta",
/// an html unit, video units, a multiple-choice problem answered with the keyboard only,
/// the progress page, then registration with the anonymous progress merged; axe-core on
/// every page.
fn run_learning_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    let demo = crate::olx_import::shared("demo.tar.gz");
    let out = szpon_ok(
        &db,
        &[
            "import",
            "--visibility",
            "public",
            "--json",
            demo.to_str().unwrap(),
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&out).expect("import --json");
    let key = report["course_key"]
        .as_str()
        .expect("course_key")
        .to_string();
    assert_eq!(key, "course-v1:OpenedX+DemoX+DemoCourse");
    let server = Server::start(&db);
    run_script(
        &dir,
        "learn.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_KEY", key.as_ref()),
        ],
    );
}

#[test]
fn browser_learning_sqlite() {
    run_learning_journey(Backend::Sqlite);
}

#[test]
fn browser_learning_postgres() {
    run_learning_journey(Backend::Postgres);
}

/// Certificate verification and revocation in a real browser, with axe-core: a certificate is
/// issued directly in the database for a learner of a course imported with the CLI.
fn run_certificates_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    let run = |args: &[&str], stdin: Option<&str>| {
        szpon_ok(&db, args, stdin);
    };
    run(
        &[
            "org",
            "create",
            "--slug",
            "urzad-b",
            "--name",
            "Urząd Testowy",
        ],
        None,
    );
    let author = [
        "user",
        "create",
        "--email",
        "autor@urzad.pl",
        "--name",
        "Anna Autorka",
        "--org",
        "urzad-b",
        "--role",
        "administrator",
        "--password-stdin",
    ];
    run(&author, Some("haslo autora 123\n"));
    run(
        &[
            "user",
            "create",
            "--email",
            "kursant@urzad.pl",
            "--name",
            "Łucja Żółtowska",
            "--password-stdin",
        ],
        Some("haslo kursanta 123\n"),
    );
    run(
        &[
            "import",
            crate::olx_import::shared("demo.tar.gz").to_str().unwrap(),
            "--org",
            "urzad-b",
            "--visibility",
            "public",
        ],
        None,
    );
    let uuid = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        let user = platform::models::user::find_by_email(&mut conn, "kursant@urzad.pl")
            .unwrap()
            .unwrap();
        let course = studio::store::find_by_key(&mut conn, "course-v1:OpenedX+DemoX+DemoCourse")
            .unwrap()
            .unwrap();
        let cert = lms::certificates::store::issue(
            &mut conn,
            &user.id,
            &course.id,
            &course.title,
            "Urząd Testowy",
            0.86,
            lms::certificates::store::DOWNLOADABLE,
        )
        .unwrap()
        .verify_uuid;
        (cert, course.id)
    };
    let (uuid, course_id) = uuid;
    let server = Server::start(&db);
    run_script(
        &dir,
        "certificates.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("CERT_UUID", uuid.as_ref()),
            ("COURSE_KEY", "course-v1:OpenedX+DemoX+DemoCourse".as_ref()),
            ("COURSE_ID", course_id.as_ref()),
            ("NAME", "Łucja Żółtowska".as_ref()),
            ("EMAIL", "autor@urzad.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
        ],
    );
}

#[test]
fn browser_certificates_sqlite() {
    run_certificates_journey(Backend::Sqlite);
}

#[test]
fn browser_certificates_postgres() {
    run_certificates_journey(Backend::Postgres);
}

/// Course surveys in a real browser, with axe-core on every page: the author creates a survey
/// and its questions by keyboard, a learner without an account answers, the author reads the
/// results.
fn run_surveys_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    let run = |args: &[&str], stdin: Option<&str>| {
        szpon_ok(&db, args, stdin);
    };
    run(
        &[
            "org",
            "create",
            "--slug",
            "urzad-s",
            "--name",
            "Urząd Ankiet",
        ],
        None,
    );
    run(
        &[
            "user",
            "create",
            "--email",
            "autor@urzad.pl",
            "--name",
            "Anna Autorka",
            "--org",
            "urzad-s",
            "--role",
            "author",
            "--password-stdin",
        ],
        Some("haslo autora 123\n"),
    );
    run(
        &[
            "import",
            crate::olx_import::shared("demo.tar.gz").to_str().unwrap(),
            "--org",
            "urzad-s",
            "--visibility",
            "public",
        ],
        None,
    );
    let server = Server::start(&db);
    run_script(
        &dir,
        "surveys.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_KEY", "course-v1:OpenedX+DemoX+DemoCourse".as_ref()),
            ("EMAIL", "autor@urzad.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
        ],
    );
}

#[test]
fn browser_surveys_sqlite() {
    run_surveys_journey(Backend::Sqlite);
}

#[test]
fn browser_surveys_postgres() {
    run_surveys_journey(Backend::Postgres);
}

/// A timed subsection in a real browser, with axe-core: started with the keyboard, the timer,
/// an answer, finishing early and the results pages. The course is built by the HTTP tests'
/// builder and installed before the server starts.
fn run_exams_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    {
        let st = state(&db, &[]);
        let due = (chrono::Utc::now() + chrono::TimeDelta::days(2))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        crate::learning::install(
            &st,
            &crate::exams::exam_course(&due),
            None,
            studio::store::Visibility::Public,
        );
    }
    let server = Server::start(&db);
    run_script(
        &dir,
        "exams.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_KEY", crate::exams::KEY.as_ref()),
        ],
    );
}

#[test]
fn browser_exams_sqlite() {
    run_exams_journey(Backend::Sqlite);
}

#[test]
fn browser_exams_postgres() {
    run_exams_journey(Backend::Postgres);
}

/// Gamification in a real browser, with axe-core: the dashboard, the course leaderboard joined
/// with the keyboard, and a public badge page. Points, a badge, a certificate and another
/// member of the leaderboard are written directly in the database for a course imported with
/// the CLI.
fn run_gamification_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    let key = "course-v1:OpenedX+DemoX+DemoCourse";
    let demo = crate::olx_import::shared("demo.tar.gz");
    szpon_ok(
        &db,
        &["import", "--visibility", "public", demo.to_str().unwrap()],
        None,
    );
    let (badge, cert) = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        let course = studio::store::find_by_key(&mut conn, key).unwrap().unwrap();
        let mut person = |email: &str, name: &str| {
            platform::models::user::create(
                &mut conn,
                platform::models::user::NewUser {
                    email,
                    full_name: name,
                    password_hash: &platform::password::hash("haslo kursanta 123"),
                    is_platform_admin: false,
                    language: None,
                    terms_accepted: true,
                },
            )
            .unwrap()
            .id
        };
        let me = person("kursant@urzad.pl", "Łucja Żółtowska");
        let other = person("inny@urzad.pl", "Tajny Urzędnik");
        use lms::gamification::store;
        lms::learning::db::enroll(&mut conn, &course.id, &me).unwrap();
        for (who, event, points) in [
            (&me, "unit:a", 10),
            (&me, "unit:b", 10),
            (&me, "correct:c", 5),
        ] {
            store::award_points(&mut conn, who, &course.id, event, points).unwrap();
        }
        store::award_points(&mut conn, &other, &course.id, "unit:a", 10).unwrap();
        store::record_day(
            &mut conn,
            &me,
            &course.id,
            lms::gamification::streaks::polish_day(&chrono::Utc::now()),
        )
        .unwrap();
        store::award_badge(
            &mut conn,
            &me,
            &course.id,
            "course",
            store::KIND_COURSE,
            "",
            &course.title,
            "SZPoN",
        )
        .unwrap();
        store::join(&mut conn, &course.id, &other).unwrap();
        let badge = store::badges_of(&mut conn, &me).unwrap()[0].id.clone();
        let cert = lms::certificates::store::issue(
            &mut conn,
            &me,
            &course.id,
            &course.title,
            "SZPoN",
            0.9,
            lms::certificates::store::DOWNLOADABLE,
        )
        .unwrap()
        .verify_uuid;
        (badge, cert)
    };
    let server = Server::start(&db);
    run_script(
        &dir,
        "gamification.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_KEY", key.as_ref()),
            ("EMAIL", "kursant@urzad.pl".as_ref()),
            ("PASSWORD", "haslo kursanta 123".as_ref()),
            ("NAME", "Łucja Żółtowska".as_ref()),
            ("OTHER_NAME", "Tajny Urzędnik".as_ref()),
            ("BADGE_ID", badge.as_ref()),
            ("CERT_UUID", cert.as_ref()),
        ],
    );
}

#[test]
fn browser_gamification_sqlite() {
    run_gamification_journey(Backend::Sqlite);
}

#[test]
fn browser_gamification_postgres() {
    run_gamification_journey(Backend::Postgres);
}

/// The Studio course files page in a real browser, with axe-core on every page: the list with
/// uses, an upload by keyboard, a replacement, and deletes (with the confirmation for a used file).
fn run_assets_journey(b: Backend) {
    learning_course_journey(b, "studio_assets.mjs");
}

#[test]
fn browser_studio_assets_sqlite() {
    run_assets_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_assets_postgres() {
    run_assets_journey(Backend::Postgres);
}

/// A course's schedule and about page in Studio in a real browser: reached by keyboard, an
/// error, saves, the image upload, and the learner's about page; axe-core on every page.
fn run_studio_schedule_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    szpon_ok(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "urzad-h",
            "--name",
            "Urząd Harmonogramów",
        ],
        None,
    );
    cli_user(
        &db,
        "autor@urzad.pl",
        "Anna Autorka",
        "urzad-h",
        "author",
        "haslo autora 123",
    );
    let key = "course-v1:Microsoft+KS101+course";
    szpon_ok(
        &db,
        &[
            "import",
            crate::olx_import::shared("kitchen_sink.tar.gz")
                .to_str()
                .unwrap(),
            "--org",
            "urzad-h",
            "--visibility",
            "public",
        ],
        None,
    );
    let course_id = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        studio::store::find_by_key(&mut conn, key)
            .unwrap()
            .unwrap()
            .id
    };
    let server = Server::start(&db);
    run_script(
        &dir,
        "studio_schedule.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_ID", course_id.as_ref()),
            ("COURSE_KEY", key.as_ref()),
            ("EMAIL", "autor@urzad.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
        ],
    );
}

#[test]
fn browser_studio_schedule_sqlite() {
    run_studio_schedule_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_schedule_postgres() {
    run_studio_schedule_journey(Backend::Postgres);
}

/// The Studio course team page in a real browser, by keyboard: a person from another office is
/// refused, an official is added as author, made staff, and removed after confirmation; axe-core
/// on every page.
fn run_studio_team_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    for (slug, name) in [("urzad-z", "Urząd Zespołów"), ("urzad-o", "Urząd Obcy")] {
        szpon_ok(
            &db,
            &["org", "create", "--slug", slug, "--name", name],
            None,
        );
    }
    for (email, name, org, role) in [
        (
            "admin@urzad.pl",
            "Adam Administrator",
            "urzad-z",
            "administrator",
        ),
        (
            "urzedniczka@urzad.pl",
            "Olga Urzędniczka",
            "urzad-z",
            "official",
        ),
        ("obcy@obcy.pl", "Olaf Obcy", "urzad-o", "official"),
    ] {
        szpon_ok(
            &db,
            &[
                "user",
                "create",
                "--email",
                email,
                "--name",
                name,
                "--org",
                org,
                "--role",
                role,
                "--password-stdin",
            ],
            Some("haslo zespolu 123\n"),
        );
    }
    let key = "course-v1:Microsoft+KS101+course";
    szpon_ok(
        &db,
        &[
            "import",
            crate::olx_import::shared("kitchen_sink.tar.gz")
                .to_str()
                .unwrap(),
            "--org",
            "urzad-z",
        ],
        None,
    );
    let course_id = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        studio::store::find_by_key(&mut conn, key)
            .unwrap()
            .unwrap()
            .id
    };
    let server = Server::start(&db);
    run_script(
        &dir,
        "studio_team.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_ID", course_id.as_ref()),
            ("EMAIL", "admin@urzad.pl".as_ref()),
            ("PASSWORD", "haslo zespolu 123".as_ref()),
            ("MEMBER", "urzedniczka@urzad.pl".as_ref()),
            ("OUTSIDER", "obcy@obcy.pl".as_ref()),
        ],
    );
}

#[test]
fn browser_studio_team_sqlite() {
    run_studio_team_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_team_postgres() {
    run_studio_team_journey(Backend::Postgres);
}

/// The Studio outline editor in a real browser, by keyboard (and one drag and drop with the
/// mouse): an empty course gets a section, a subsection and units, a rename, moves, subsection
/// settings and a delete; axe-core on every page.
fn run_outline_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    szpon_ok(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "urzad-s",
            "--name",
            "Urząd Struktur",
        ],
        None,
    );
    cli_user(
        &db,
        "autor@urzad.pl",
        "Anna Autorka",
        "urzad-s",
        "author",
        "haslo autora 123",
    );
    let course_id = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        let org = platform::models::organisation::find_by_slug(&mut conn, "urzad-s")
            .unwrap()
            .unwrap();
        let course =
            studio::create::new_course("urzad-s", "STR1", "2026", "Kurs od zera", "pl").unwrap();
        studio::store::save_version(&mut conn, &course, Some(&org.id), None, "studio")
            .unwrap()
            .course_id
    };
    let server = Server::start(&db);
    run_script(
        &dir,
        "studio_outline.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_ID", course_id.as_ref()),
            ("EMAIL", "autor@urzad.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
        ],
    );
}

#[test]
fn browser_studio_outline_sqlite() {
    run_outline_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_outline_postgres() {
    run_outline_journey(Backend::Postgres);
}

/// Drafts and publishing in Studio in a real browser, by keyboard: the changes in words, a unit
/// refused (422) until its section is published, a unit, everything, the versions and a rollback
/// through its confirmation, and the import form; axe-core on every page. The draft changes are
/// made with the same editing primitives Studio's editors use, before the server starts.
fn run_publish_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    let course_id = {
        use xblock_compat::olx::edit::{self, find_in_tree, EditError};
        let id = author_and_learning_course(&db);
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        studio::drafts::edit(&mut conn, &id, None, |c| {
            crate::studio_publish::new_section_and_rename(c)?;
            let p1 = find_in_tree(c, "problem", "p1").ok_or(EditError::NotFound)?;
            edit::set_field(&mut c.blocks[p1], "display_name", Some("Stolica Polski"));
            Ok::<_, EditError>(())
        })
        .unwrap();
        id
    };
    let server = Server::start(&db);
    run_script(
        &dir,
        "studio_publish.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("COURSE_ID", course_id.as_ref()),
            ("EMAIL", "autor@example.pl".as_ref()),
            ("PASSWORD", "haslo autora 123".as_ref()),
        ],
    );
}

#[test]
fn browser_studio_publish_sqlite() {
    run_publish_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_publish_postgres() {
    run_publish_journey(Backend::Postgres);
}

/// Components inside a unit in a real browser, by keyboard: the rich HTML editor (bold and a
/// list), a markdown multiple-choice problem after a refused one (422), a numerical problem,
/// every other editor, deletion, keyboard reordering with the live region, and the preview;
/// axe-core on every page.
fn run_components_journey(b: Backend) {
    learning_course_journey(b, "studio_components.mjs");
}

#[test]
fn browser_studio_components_sqlite() {
    run_components_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_components_postgres() {
    run_components_journey(Backend::Postgres);
}

/// The whole authoring path in a real browser, by keyboard (`studio_authoring.mjs`): an author
/// creates a course, outlines it, writes an HTML component and two markdown problems, reorders,
/// publishes; a learner is graded; the downloaded export passes olxcleaner (every step) with no
/// error and imports into a fresh SZPoN with the published tree.
fn run_authoring_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    cli_user(
        &db,
        "autorka@example.pl",
        "Anna Autorka",
        "urzad-testowy",
        "author",
        "haslo autorki 123",
    );
    let export = db.dir.path().join("eksport.tar.gz");
    let server = Server::start(&db);
    run_script(
        &dir,
        "studio_authoring.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("EMAIL", "autorka@example.pl".as_ref()),
            ("PASSWORD", "haslo autorki 123".as_ref()),
            ("EXPORT_PATH", export.as_os_str()),
        ],
    );
    let key = "course-v1:urzad-testowy+OD0+2026";
    let published = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        studio::store::load_current(&mut conn, key)
            .unwrap()
            .unwrap()
            .1
    };
    let report = crate::olx_validation::olxcheck(&export, 8);
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(report["warnings"], serde_json::json!([]), "{report}");
    // Into a fresh SZPoN: the same tree.
    let db2 = TestDb::new(b);
    let st2 = state(&db2, &[]);
    let store = platform::storage::BlobStore::new(&st2.config.data_dir);
    let back = studio::import::import(
        &st2.db,
        &store,
        &st2.config.data_dir,
        &export,
        &studio::import::ImportOptions {
            organisation_id: None,
            user_id: None,
            check: &studio::import::allow_all,
        },
    )
    .unwrap();
    assert_eq!(back.course_key, key);
    let mut conn = st2.db.get().unwrap();
    let again = studio::store::load_current(&mut conn, key)
        .unwrap()
        .unwrap()
        .1;
    assert_eq!(again.round_trip_view(), published.round_trip_view());
    assert_eq!(published.block_counts()["problem"], 2);
    assert_eq!(published.block_counts()["html"], 1);
}

#[test]
fn browser_studio_authoring_sqlite() {
    run_authoring_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_authoring_postgres() {
    run_authoring_journey(Backend::Postgres);
}

/// axe on every Studio page of a course, in both languages (`studio_pages.mjs`).
fn run_pages_journey(b: Backend) {
    learning_course_journey(b, "studio_pages.mjs");
}

#[test]
fn browser_studio_pages_sqlite() {
    run_pages_journey(Backend::Sqlite);
}

#[test]
fn browser_studio_pages_postgres() {
    run_pages_journey(Backend::Postgres);
}

/// The office calendar in a real browser, by keyboard: an official creates an event with a
/// colleague and a guest, sees it in the list, week and month views, makes a subscription link
/// and cancels the event; axe-core on every page.
fn run_office_calendar_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    szpon_ok(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "urzad-k",
            "--name",
            "Urząd Kalendarzy",
        ],
        None,
    );
    for (email, name) in [
        ("urzedniczka@urzad.pl", "Ola Urzędniczka"),
        ("kolega@urzad.pl", "Kamil Kolega"),
    ] {
        cli_user(
            &db,
            email,
            name,
            "urzad-k",
            "official",
            "haslo urzednika 123",
        );
    }
    let server = Server::start(&db);
    run_script(
        &dir,
        "office_calendar.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("OFFICE", "urzad-k".as_ref()),
            ("EMAIL", "urzedniczka@urzad.pl".as_ref()),
            ("PASSWORD", "haslo urzednika 123".as_ref()),
            ("COLLEAGUE", "Kamil Kolega".as_ref()),
        ],
    );
}

#[test]
fn browser_office_calendar_sqlite() {
    run_office_calendar_journey(Backend::Sqlite);
}

#[test]
fn browser_office_calendar_postgres() {
    run_office_calendar_journey(Backend::Postgres);
}

/// Office tasks in a real browser, by keyboard (`office_tasks.mjs`): an official creates a task,
/// delegates it to a colleague of the same department with a note, comments, ticks a checklist
/// item and adds a to-do item; the colleague sees the notification; axe on every page.
fn run_office_tasks_journey(b: Backend) {
    let dir = browser_dir();
    let db = TestDb::new(b);
    szpon_ok(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "urzad-t",
            "--name",
            "Urząd Zadań",
        ],
        None,
    );
    for (email, name) in [
        ("anna@urzad.pl", "Anna Urzędniczka"),
        ("bartek@urzad.pl", "Bartek Referent"),
    ] {
        cli_user(&db, email, name, "urzad-t", "official", "haslo zadan 123");
    }
    {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        let org = platform::models::organisation::find_by_slug(&mut conn, "urzad-t")
            .unwrap()
            .unwrap();
        let dept = platform::models::organisation::create_department(
            &mut conn,
            &org.id,
            "Wydział Spraw Obywatelskich",
        )
        .unwrap();
        for email in ["anna@urzad.pl", "bartek@urzad.pl"] {
            let user = platform::models::user::find_by_email(&mut conn, email)
                .unwrap()
                .unwrap();
            platform::models::organisation::set_department(
                &mut conn,
                &org.id,
                &user.id,
                Some(&dept.id),
            )
            .unwrap();
        }
    }
    let server = Server::start(&db);
    run_script(
        &dir,
        "office_tasks.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("OFFICE", "urzad-t".as_ref()),
            ("EMAIL", "anna@urzad.pl".as_ref()),
            ("PASSWORD", "haslo zadan 123".as_ref()),
            ("COLLEAGUE", "bartek@urzad.pl".as_ref()),
            ("COLLEAGUE_NAME", "Bartek Referent".as_ref()),
        ],
    );
}

#[test]
fn browser_office_tasks_sqlite() {
    run_office_tasks_journey(Backend::Sqlite);
}

#[test]
fn browser_office_tasks_postgres() {
    run_office_tasks_journey(Backend::Postgres);
}

/// Booking an e-visit in a real browser, by keyboard (`office_booking.mjs`): a citizen books,
/// reschedules and cancels through the links in the email the server wrote to its outbox; an
/// administrator visits the office's booking pages; axe-core on every page.
#[cfg(feature = "office")]
fn run_office_booking_journey(b: Backend) {
    use office_plugin::booking::store;
    let dir = browser_dir();
    let db = TestDb::new(b);
    szpon_ok(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "urzad-w",
            "--name",
            "Urząd Wizyt",
        ],
        None,
    );
    cli_user(
        &db,
        "admin@wizyty.pl",
        "Anna Administratorka",
        "urzad-w",
        "administrator",
        "haslo admina 123",
    );
    cli_user(
        &db,
        "urzednik@wizyty.pl",
        "Urszula Urzędniczka",
        "urzad-w",
        "official",
        "haslo urzednika 123",
    );
    let (matter, official) = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        let org = platform::models::organisation::find_by_slug(&mut conn, "urzad-w")
            .unwrap()
            .unwrap();
        let official = platform::models::organisation::members(&mut conn, &org.id)
            .unwrap()
            .into_iter()
            .find(|m| m.email == "urzednik@wizyty.pl")
            .unwrap()
            .user_id;
        store::set_public_booking(&mut conn, &org.id, true).unwrap();
        let mut a = store::Availability::default();
        for day in a.weekly.iter_mut() {
            *day = store::parse_ranges("08:00-20:00").unwrap();
        }
        store::save_availability(&mut conn, &org.id, &official, &a).unwrap();
        let matter = store::save_matter(
            &mut conn,
            &org.id,
            None,
            &store::MatterInput {
                name: "Wydanie dowodu osobistego".into(),
                description: "Odbiór nowego dowodu.".into(),
                documents: "Stary dowód\nZdjęcie".into(),
                mode: "office".into(),
                location: "Pokój 12".into(),
                duration_min: 30,
                window_days: 14,
                officials: vec![official.clone()],
                ..Default::default()
            },
        )
        .unwrap();
        (matter, official)
    };
    let server = Server::start(&db);
    let outbox = db.data_dir().join("outbox");
    run_script(
        &dir,
        "office_booking.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("OFFICE", "urzad-w".as_ref()),
            ("MATTER_ID", matter.as_ref()),
            ("OFFICIAL_ID", official.as_ref()),
            ("OUTBOX", outbox.as_os_str()),
            ("EMAIL", "admin@wizyty.pl".as_ref()),
            ("PASSWORD", "haslo admina 123".as_ref()),
        ],
    );
}

#[cfg(feature = "office")]
#[test]
fn browser_office_booking_sqlite() {
    run_office_booking_journey(Backend::Sqlite);
}

#[cfg(feature = "office")]
#[test]
fn browser_office_booking_postgres() {
    run_office_booking_journey(Backend::Postgres);
}

/// Every office page in a real browser, in Polish and in English (`office_pages.mjs`): an office
/// with a department, a task with a checklist item and a comment, an event with a colleague and a
/// guest, an online matter and one booking; the journey crawls every page reachable from the
/// office's links (signed in, and as a citizen from the public booking pages and the booking's
/// signed links) and checks one h1, the language and axe-core on each.
#[cfg(feature = "office")]
fn run_office_pages_journey(b: Backend) {
    use office_plugin::booking::{links, store as booking};
    use office_plugin::calendar::store as calendar;
    use office_plugin::tasks::store as tasks;
    use platform::models::organisation;
    const SECRET: &str = "office pages journey secret key, 32+ bytes";
    let dir = browser_dir();
    let db = TestDb::new(b);
    szpon_ok(
        &db,
        &[
            "org",
            "create",
            "--slug",
            "urzad-p",
            "--name",
            "Urząd Stron",
        ],
        None,
    );
    for (email, name, role) in [
        ("admin@biuro.pl", "Adam Administrator", "administrator"),
        ("urzednik@biuro.pl", "Urszula Urzędniczka", "official"),
    ] {
        cli_user(&db, email, name, "urzad-p", role, "haslo biura 123");
    }
    let public_links = {
        let d = platform::db::Db::connect(&db.url, Some(1)).unwrap();
        let mut conn = d.get().unwrap();
        let c = &mut conn;
        let org = organisation::find_by_slug(c, "urzad-p").unwrap().unwrap();
        let members = organisation::members(c, &org.id).unwrap();
        let id_of = |email: &str| {
            members
                .iter()
                .find(|m| m.email == email)
                .unwrap()
                .user_id
                .clone()
        };
        let (admin, official) = (id_of("admin@biuro.pl"), id_of("urzednik@biuro.pl"));
        let dept =
            organisation::create_department(c, &org.id, "Wydział Spraw Obywatelskich").unwrap();
        organisation::set_department(c, &org.id, &official, Some(&dept.id)).unwrap();
        let actor = tasks::Actor {
            id: admin.clone(),
            name: "Adam Administrator".into(),
        };
        let task_id = tasks::create(
            c,
            &org,
            &actor,
            &tasks::NewTask {
                title: "Przygotować sprawozdanie".into(),
                description: "Za trzeci kwartał.".into(),
                assignee: Some(tasks::Assignee::User(official.clone())),
                due_at: Some(platform::models::now() + chrono::Duration::days(1)),
                priority: "high".into(),
                recurrence: None,
            },
        )
        .unwrap();
        let task = tasks::find(c, &org.id, &task_id).unwrap().unwrap();
        tasks::add_item(c, &org, &task, &actor, "Zebrać dane", Some(&official)).unwrap();
        tasks::comment(c, &org, &task, &actor, "Proszę o wersję roboczą.").unwrap();
        {
            use diesel::prelude::*;
            use office_plugin::schema::office_todos as t;
            diesel::insert_into(t::table)
                .values((
                    t::id.eq(platform::models::new_id()),
                    t::user_id.eq(&admin),
                    t::text.eq("Oddzwonić do pani Nowak"),
                    t::done.eq(false),
                    t::due_on.eq(Some("2026-12-01")),
                    t::position.eq(0),
                    t::created_at.eq(platform::models::now()),
                ))
                .execute(c)
                .unwrap();
        }
        let start = platform::models::now() + chrono::Duration::days(2);
        calendar::create(
            c,
            &org.id,
            &admin,
            "127.0.0.1",
            &calendar::EventInput {
                title: "Narada wydziału".into(),
                description: String::new(),
                location: "Sala 2".into(),
                starts_at: start,
                ends_at: start + chrono::Duration::hours(1),
                department_id: Some(dept.id.clone()),
                invitees: vec![
                    calendar::Invitee {
                        email: "urzednik@biuro.pl".into(),
                        name: "Urszula Urzędniczka".into(),
                        user_id: Some(official.clone()),
                    },
                    calendar::Invitee {
                        email: "gosc@example.pl".into(),
                        name: "Gość Zewnętrzny".into(),
                        user_id: None,
                    },
                ],
            },
        )
        .unwrap();
        booking::set_public_booking(c, &org.id, true).unwrap();
        let mut a = booking::Availability::default();
        for day in a.weekly.iter_mut() {
            *day = booking::parse_ranges("00:00-23:55").unwrap();
        }
        booking::save_availability(c, &org.id, &official, &a).unwrap();
        let matter_id = booking::save_matter(
            c,
            &org.id,
            None,
            &booking::MatterInput {
                name: "Konsultacja online".into(),
                description: "Rozmowa wideo z urzędnikiem.".into(),
                documents: "Dowód osobisty".into(),
                mode: "online".into(),
                duration_min: 30,
                window_days: 14,
                officials: vec![official.clone()],
                ..Default::default()
            },
        )
        .unwrap();
        let m = booking::matter(c, &org.id, &matter_id).unwrap().unwrap();
        let today = chrono::Utc::now().date_naive();
        let free = booking::free_slots(
            c,
            &m,
            chrono::Utc::now(),
            today,
            today + chrono::Days::new(7),
            None,
        )
        .unwrap();
        let citizen = booking::Citizen {
            name: "Jan Obywatel".into(),
            email: "jan@example.pl".into(),
            phone: None,
            note: String::new(),
            lang: platform::i18n::Lang::Pl,
        };
        let booked = booking::book(c, &m, free[3].0.start, &citizen, |_, _| Ok(())).unwrap();
        let secret: [u8; 32] = {
            use sha2::Digest;
            sha2::Sha256::digest(SECRET.as_bytes()).into()
        };
        [
            links::Purpose::View,
            links::Purpose::Reschedule,
            links::Purpose::Cancel,
            links::Purpose::Call,
        ]
        .into_iter()
        .map(|p| links::path(&secret, &booked.id, p, booked.link_version))
        .collect::<Vec<_>>()
        .join("\n")
    };
    let server = Server::start_with(&db, &[("SZPON_SECRET_KEY", SECRET)]);
    run_script(
        &dir,
        "office_pages.mjs",
        &[
            ("BASE_URL", server.base_url.as_ref()),
            ("OFFICE", "urzad-p".as_ref()),
            ("PUBLIC_LINKS", public_links.as_ref()),
            ("EMAIL", "admin@biuro.pl".as_ref()),
            ("PASSWORD", "haslo biura 123".as_ref()),
        ],
    );
}

#[cfg(feature = "office")]
#[test]
fn browser_office_pages_sqlite() {
    run_office_pages_journey(Backend::Sqlite);
}

#[cfg(feature = "office")]
#[test]
fn browser_office_pages_postgres() {
    run_office_pages_journey(Backend::Postgres);
}
