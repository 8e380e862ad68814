//! Language choice, error pages, health, and the translations every template uses.

use crate::both_backends;
use crate::helpers::*;

both_backends!(
    language_follows_setting_cookie_then_header,
    error_pages_use_the_layout_and_language,
    health_reports_the_database,
    unexpected_errors_show_the_500_page_with_request_id,
);

async fn unexpected_errors_show_the_500_page_with_request_id(b: Backend) {
    use actix_web::{web, HttpResponse};
    use platform::web::AppError;
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let app = lms::app(st).route(
        "/test-boom",
        web::get().to(|| async {
            Err::<HttpResponse, AppError>(AppError::internal("detail-x91-for-logs"))
        }),
    );
    let mut c = Client::new(actix_web::test::init_service(app).await);
    let r = c.get_with("/test-boom", &[("accept-language", "en")]).await;
    r.assert_status(500)
        .assert_contains("<h1>Server error</h1>")
        .assert_contains("class=\"skip-link\"");
    let id = r.headers.get("x-request-id").unwrap().to_str().unwrap();
    r.assert_contains(id);
    assert!(
        !r.body.contains("detail-x91"),
        "internal details stay in the logs"
    );
}

/// PostgreSQL goes away under a running portal: pages answer 503 in the layout, health says so.
#[actix_web::test]
async fn database_outage_gives_503_pages_not_crashes() {
    use diesel::{Connection, RunQueryDsl};
    let db = TestDb::new(Backend::Postgres);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st).await);
    c.register("awaria@urzad.pl", "Awaria Bazy", "hasło awaryjne")
        .await
        .assert_status(303);
    let name = db.url.rsplit('/').next().unwrap().to_string();
    let mut admin = diesel::PgConnection::establish(&pg_admin_url()).unwrap();
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    let r = c.get("/healthz").await;
    r.assert_status(503);
    assert!(r.body.contains("unreachable"), "{}", r.body);
    let r = c.login("awaria@urzad.pl", "hasło awaryjne").await;
    assert!(r.status.as_u16() >= 500, "{}", r.status);
    r.assert_contains("<main").assert_contains("<h1>");
}

async fn language_follows_setting_cookie_then_header(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);

    c.get("/")
        .await
        .assert_contains("<html lang=\"pl\">")
        .assert_contains("Strona główna");
    c.get_with("/", &[("accept-language", "en-GB,en;q=0.9")])
        .await
        .assert_contains("<html lang=\"en\">")
        .assert_contains("Skip to content");
    c.get_with("/", &[("accept-language", "de-DE,fr;q=0.9")])
        .await
        .assert_contains("<html lang=\"pl\">");

    // The language switch sets a cookie that beats Accept-Language.
    let r = c
        .post(
            "/jezyk",
            &[("lang", "en"), ("next", "/deklaracja-dostepnosci")],
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), "/deklaracja-dostepnosci");
    c.get_with("/deklaracja-dostepnosci", &[("accept-language", "pl")])
        .await
        .assert_contains("<html lang=\"en\">")
        .assert_contains("Accessibility statement");
    c.post("/jezyk", &[("lang", "xx")]).await.assert_status(400);

    // The user's own setting beats the cookie.
    c.register("lang@urzad.pl", "Język Testowy", "hasło językowe")
        .await;
    c.post(
        "/profil",
        &[("full_name", "Język Testowy"), ("language", "pl")],
    )
    .await
    .assert_status(303);
    c.jar.insert("szpon_lang".into(), "en".into());
    c.get("/").await.assert_contains("<html lang=\"pl\">");
    // Switching while signed in stores the choice on the account.
    c.post("/jezyk", &[("lang", "en"), ("next", "/")]).await;
    c.jar.remove("szpon_lang");
    c.get("/").await.assert_contains("<html lang=\"en\">");
}

async fn error_pages_use_the_layout_and_language(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st).await);
    let r = c.get("/nie-ma-takiej-strony").await;
    r.assert_status(404)
        .assert_contains("<html lang=\"pl\">")
        .assert_contains("class=\"skip-link\"")
        .assert_contains("<main id=\"main\"")
        .assert_contains("<h1>Nie znaleziono strony</h1>")
        .assert_contains("<footer");
    assert_eq!(r.body.matches("<h1").count(), 1);
    c.get_with("/nope", &[("accept-language", "en")])
        .await
        .assert_status(404)
        .assert_contains("<h1>Page not found</h1>");
    // Missing static files and the favicon get a proper 404 too (no context middleware there).
    c.get("/static/nie-ma.css")
        .await
        .assert_status(404)
        .assert_contains("<h1>");
    c.get("/favicon.ico").await.assert_status(404);
    c.get("/static/favicon.svg")
        .await
        .assert_status(200)
        .assert_contains("<svg");
    // A malformed form body is a 400 page, not a crash.
    let token = c.jar.get("szpon_csrf").cloned().unwrap();
    c.post_raw("/jezyk", &[("csrf_token", &token)], &[])
        .await
        .assert_status(400)
        .assert_contains("Nieprawidłowe żądanie");
}

async fn health_reports_the_database(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st).await);
    let r = c.get("/healthz").await;
    r.assert_status(200);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["database"], "ok");
    assert_eq!(
        v["backend"],
        if b == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    assert!(
        !c.jar.contains_key("szpon_csrf"),
        "health checks stay stateless"
    );
}

/// Every `t(key="...")` literal in the theme and the office plugin exists in Polish and English,
/// and both languages define the same messages.
#[test]
fn every_template_message_is_translated_in_both_languages() {
    use platform::i18n::{I18n, Lang};
    use platform::theme::Theme;
    let theme = Theme::load(None, "default").unwrap();
    let mut sources = theme.locales.clone();
    for p in lms::plugins() {
        sources.extend(p.translations());
    }
    let pl = I18n::message_ids(&sources, Lang::Pl);
    let en = I18n::message_ids(&sources, Lang::En);
    assert!(pl.len() > 100, "{}", pl.len());
    let missing_en: Vec<_> = pl.iter().filter(|k| !en.contains(k)).collect();
    let missing_pl: Vec<_> = en.iter().filter(|k| !pl.contains(k)).collect();
    assert!(
        missing_en.is_empty() && missing_pl.is_empty(),
        "en lacks {missing_en:?}; pl lacks {missing_pl:?}"
    );

    let mut templates: Vec<String> = theme.templates.iter().map(|(_, s)| s.clone()).collect();
    for p in lms::plugins() {
        templates.extend(p.templates().into_iter().map(|(_, s)| s.to_string()));
    }
    let mut used = vec![];
    for t in &templates {
        for part in t.split("t(key=\"").skip(1) {
            used.push(part.split('"').next().unwrap().to_string());
        }
    }
    assert!(used.len() > 50);
    let undefined: Vec<_> = used.iter().filter(|k| !pl.contains(k)).collect();
    assert!(
        undefined.is_empty(),
        "templates use undefined messages: {undefined:?}"
    );
}

/// The statement carries every element the statutory template requires (the ids monitoring tools
/// read), filled from configuration, in both languages; the terms page states the GDPR clause.
#[actix_web::test]
async fn accessibility_statement_and_terms() {
    let db = TestDb::new(Backend::Sqlite);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st).await);
    for lang in ["pl", "en"] {
        let r = c
            .get_with("/deklaracja-dostepnosci", &[("accept-language", lang)])
            .await;
        r.assert_status(200);
        for id in [
            "a11y-wstep",
            "a11y-podmiot",
            "a11y-url",
            "a11y-data-publikacja",
            "a11y-data-aktualizacja",
            "a11y-status",
            "a11y-data-sporzadzenie",
            "a11y-ocena",
            "a11y-kontakt",
            "a11y-osoba",
            "a11y-email",
            "a11y-telefon",
            "a11y-procedura",
            "a11y-architektura",
            "a11y-aplikacje",
        ] {
            r.assert_contains(&format!("id=\"{id}\""));
        }
        r.assert_contains("dostepnosc@example.gov.pl");
        assert_eq!(r.body.matches("<h1").count(), 1);
    }
    c.get("/deklaracja-dostepnosci")
        .await
        .assert_contains("ustawą z dnia 4 kwietnia 2019 r.");
    c.get("/regulamin")
        .await
        .assert_status(200)
        .assert_contains("RODO");
    c.get_with("/regulamin", &[("accept-language", "en")])
        .await
        .assert_contains("GDPR");
}

/// Every page renders (no template error hides behind a rarely used branch), for an anonymous
/// visitor and for a platform administrator who is also an office administrator, in both
/// languages.
async fn every_page_renders_in_both_languages(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let id = make_user(
        &st,
        "wszystko@urzad.pl",
        "Pełny Dostęp",
        "hasło do wszystkiego",
        true,
    );
    {
        let mut conn = st.db.get().unwrap();
        let o = platform::models::organisation::create(&mut conn, "urzad", "Urząd", "municipality")
            .unwrap();
        platform::models::organisation::create_department(&mut conn, &o.id, "Wydział A").unwrap();
        platform::models::organisation::grant_role(
            &mut conn,
            &o.id,
            &id,
            platform::access::Role::Administrator,
        )
        .unwrap();
    }
    studio::sample::import_if_empty(&st.db, &st.config.data_dir).unwrap();
    let sample_id = {
        let mut conn = st.db.get().unwrap();
        studio::store::find_by_key(&mut conn, studio::sample::SAMPLE_KEY)
            .unwrap()
            .unwrap()
            .id
    };
    let mut c = Client::new(spawn_app(st).await);
    let report = format!("/studio/kursy/{sample_id}");
    let public = [
        "/",
        "/logowanie",
        "/logowanie?next=%2Fprofil%3Fa%3D1",
        "/rejestracja?next=%2Fbiuro",
        "/haslo/nie-pamietam",
        "/haslo/wyslano",
        "/deklaracja-dostepnosci",
        "/regulamin",
    ];
    let private = [
        "/",
        "/profil",
        "/profil/haslo",
        "/organizacje",
        "/organizacje/urzad",
        "/admin/organizacje",
        "/studio",
        "/studio/import",
        report.as_str(),
        "/biuro",
    ];
    for lang in ["pl", "en"] {
        c.fresh_jar();
        for p in public {
            let r = c.get_with(p, &[("accept-language", lang)]).await;
            assert_eq!(r.status.as_u16(), 200, "{p} ({lang}):\n{}", r.body);
            r.assert_contains(&format!("<html lang=\"{lang}\">"));
            assert_eq!(r.body.matches("<h1").count(), 1, "{p}: one h1");
        }
        c.login("wszystko@urzad.pl", "hasło do wszystkiego")
            .await
            .assert_status(303);
        for p in private {
            let r = c.get_with(p, &[("accept-language", lang)]).await;
            assert_eq!(r.status.as_u16(), 200, "{p} ({lang}):\n{}", r.body);
            if p == "/studio" {
                r.assert_contains(&report); // the administrator sees the sample course
            }
            assert_eq!(r.body.matches("<h1").count(), 1, "{p}: one h1");
        }
        // The user's stored language wins over the header from now on: reset it for the next round.
        c.post(
            "/jezyk",
            &[("lang", if lang == "pl" { "en" } else { "pl" })],
        )
        .await;
    }
}

both_backends!(every_page_renders_in_both_languages);
