//! CSRF, Origin, rate limits, security headers and cookies.

use crate::both_backends;
use crate::helpers::*;

both_backends!(
    csrf_is_checked_on_every_post,
    login_and_registration_are_rate_limited,
    security_headers_and_cookie_flags,
);

async fn csrf_is_checked_on_every_post(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.register("k@gmina.pl", "Kasia Lis", "hasło kasi 123")
        .await
        .assert_status(303);
    let token = c.jar.get("szpon_csrf").cloned().unwrap();

    // No token, wrong token, token without its cookie: all refused with the accessible page.
    for (fields, label) in [
        (vec![], "missing"),
        (vec![("csrf_token", "x".repeat(43))], "wrong"),
    ] {
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.post_raw("/wyloguj", &f, &[]).await;
        assert_eq!(r.status.as_u16(), 403, "{label}");
        r.assert_contains("Formularz wygasł")
            .assert_contains("<main");
    }
    c.get("/profil").await.assert_status(200); // still signed in: nothing happened

    let mut stranger = Client::new(spawn_app(st.clone()).await);
    stranger
        .post_raw(
            "/logowanie",
            &[
                ("csrf_token", &token),
                ("email", "k@gmina.pl"),
                ("password", "hasło kasi 123"),
            ],
            &[],
        )
        .await
        .assert_status(403);

    // Right token from a foreign page.
    c.post_raw(
        "/wyloguj",
        &[("csrf_token", &token)],
        &[("origin", "https://evil.example")],
    )
    .await
    .assert_status(403);
    c.post_raw(
        "/wyloguj",
        &[("csrf_token", &token)],
        &[("referer", "https://evil.example/x")],
    )
    .await
    .assert_status(403);
    c.get("/profil").await.assert_status(200);

    // Our own origin and the header form of the token are accepted.
    c.post_raw(
        "/profil",
        &[("full_name", "Katarzyna Lis"), ("language", "pl")],
        &[
            ("origin", "http://localhost:8080"),
            ("x-csrf-token", &token),
        ],
    )
    .await
    .assert_status(303);
    c.post_raw(
        "/wyloguj",
        &[("csrf_token", &token)],
        &[("origin", "http://localhost:8080")],
    )
    .await
    .assert_status(303);
    c.get("/profil").await.assert_status(303);
}

async fn login_and_registration_are_rate_limited(b: Backend) {
    let db = TestDb::new(b);
    let st = state(
        &db,
        &[
            ("SZPON_RATE_LOGIN_PER_ACCOUNT", "3"),
            ("SZPON_RATE_LOGIN_PER_IP", "6"),
            ("SZPON_RATE_REGISTER_PER_IP", "2"),
        ],
    );
    make_user(&st, "cel@urzad.pl", "Cel Ataku", "prawdziwe hasło", false);
    let mut c = Client::new(spawn_app(st.clone()).await);
    for _ in 0..3 {
        c.login("cel@urzad.pl", "zgadywane")
            .await
            .assert_status(422);
    }
    // Per account: even the right password waits now.
    let r = c.login("cel@urzad.pl", "prawdziwe hasło").await;
    r.assert_status(429).assert_contains("Zbyt wiele prób");
    let wait: u64 = r
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");

    // Per IP: other accounts from the same address are limited too (6 per minute in all).
    c.login("a@urzad.pl", "x1234567").await.assert_status(422);
    c.login("b@urzad.pl", "x1234567").await.assert_status(422);
    c.login("c@urzad.pl", "x1234567").await.assert_status(429);

    c.register("n1@urzad.pl", "Nowy Jeden", "hasło nowe 1")
        .await
        .assert_status(303);
    c.fresh_jar();
    c.register("n2@urzad.pl", "Nowy Dwa", "hasło nowe 2")
        .await
        .assert_status(303);
    c.fresh_jar();
    c.register("n3@urzad.pl", "Nowy Trzy", "hasło nowe 3")
        .await
        .assert_status(429);
}

async fn security_headers_and_cookie_flags(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);
    for path in ["/", "/logowanie", "/nie-ma", "/static/css/szpon.css"] {
        let r = c.get(path).await;
        let h = |n: &str| {
            r.headers
                .get(n)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(
            h("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(!h("x-request-id").is_empty(), "{path}");
    }
    c.fresh_jar();
    let r = c.get("/").await;
    let csrf = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("szpon_csrf="))
        .unwrap();
    assert!(
        csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax"),
        "{csrf}"
    );

    // Behind https the cookies are Secure.
    let st = state(&db, &[("SZPON_BASE_URL", "https://szpon.example.gov.pl")]);
    let mut c = Client::new(spawn_app(st).await);
    let r = c.get("/").await;
    let csrf = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("szpon_csrf="))
        .unwrap();
    assert!(csrf.contains("Secure"), "{csrf}");
    c.extra_headers = vec![("origin".into(), "https://szpon.example.gov.pl".into())];
    let r = c
        .register("s@urzad.pl", "Bez Pieczny", "hasło bezpieczne")
        .await;
    r.assert_status(303);
    let s = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("szpon_session="))
        .unwrap();
    assert!(
        s.contains("Secure") && s.contains("HttpOnly") && s.contains("SameSite=Lax"),
        "{s}"
    );
}
