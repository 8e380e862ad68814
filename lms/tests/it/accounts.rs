//! Registration, login, logout, password reset through the outbox, profile and password change,
//! Django password hashes.

use crate::both_backends;
use crate::helpers::*;

both_backends!(
    register_login_logout,
    registration_errors_are_listed_and_nothing_is_stored,
    password_reset_by_emailed_link,
    profile_and_password_change,
    django_hashes_log_in_and_are_rehashed,
);

async fn register_login_logout(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);

    c.get("/rejestracja")
        .await
        .assert_status(200)
        .assert_contains("<html lang=\"pl\">")
        .assert_contains("name=\"csrf_token\"");
    let r = c
        .register("Anna.Nowak@Gmina.pl", "Anna Nowak", "bardzo tajne hasło")
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), "/");
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("szpon_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http base URL: {cookie}");

    c.get("/")
        .await
        .assert_contains("Anna Nowak")
        .assert_contains("Konto zostało założone");
    c.get("/profil")
        .await
        .assert_status(200)
        .assert_contains("anna.nowak@gmina.pl");

    let r = c.post("/wyloguj", &[]).await;
    r.assert_status(303);
    assert!(!c.jar.contains_key("szpon_session"));
    let r = c.get("/profil").await;
    r.assert_status(303);
    assert_eq!(r.location(), "/logowanie?next=%2Fprofil");
    c.get(r.location())
        .await
        .assert_status(200)
        .assert_contains("name=\"next\" value=\"&#x2F;profil\"")
        .assert_contains("href=\"/rejestracja?next=%2Fprofil\"");

    c.login("anna.nowak@gmina.pl", "złe hasło!!")
        .await
        .assert_status(422)
        .assert_contains("Nieprawidłowy adres e-mail lub hasło")
        .assert_contains("href=\"#email\"");
    c.login("nikt@gmina.pl", "bardzo tajne hasło")
        .await
        .assert_status(422);

    let r = c
        .post(
            "/logowanie",
            &[
                ("email", "ANNA.NOWAK@gmina.pl"),
                ("password", "bardzo tajne hasło"),
                ("next", "/profil"),
            ],
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), "/profil");
    c.get("/profil").await.assert_status(200);

    // An open redirect through ?next= is refused.
    c.post("/wyloguj", &[]).await;
    let r = c
        .post(
            "/logowanie",
            &[
                ("email", "anna.nowak@gmina.pl"),
                ("password", "bardzo tajne hasło"),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
}

async fn registration_errors_are_listed_and_nothing_is_stored(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);

    let r = c
        .post(
            "/rejestracja",
            &[("email", "zły adres"), ("password", "krótkie")],
        )
        .await;
    r.assert_status(422)
        .assert_contains("class=\"error-summary\"")
        .assert_contains("href=\"#email\"")
        .assert_contains("href=\"#full_name\"")
        .assert_contains("href=\"#password\"")
        .assert_contains("href=\"#accept_terms\"")
        .assert_contains(
            "<li><a href=\"#full_name\">Podaj imię i nazwisko.</a></li><li><a href=\"#email\">",
        )
        .assert_contains("aria-invalid=\"true\"")
        .assert_contains("<title>Błąd: ")
        .assert_contains("value=\"zły adres\"");
    assert!(
        !r.body.contains("krótkie"),
        "passwords are never echoed back"
    );

    c.register("jan@urzad.gov.pl", "Jan Kowalski", "hasło-jana-123")
        .await
        .assert_status(303);
    c.fresh_jar();
    c.register("JAN@urzad.gov.pl", "Inny Jan", "inne-hasło-456")
        .await
        .assert_status(422)
        .assert_contains("Konto z tym adresem e-mail już istnieje");

    let mut conn = st.db.get().unwrap();
    use diesel::prelude::*;
    use platform::db::schema::users;
    let n: i64 = users::table.count().get_result(&mut conn).unwrap();
    assert_eq!(n, 1);
}

/// Reads the newest email in the outbox, undoing quoted-printable soft line breaks.
fn last_mail(db: &TestDb) -> String {
    let dir = db.data_dir().join("outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no outbox at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap());
    let raw = std::fs::read_to_string(files.last().expect("an email was written")).unwrap();
    raw.replace("=\r\n", "").replace("=\n", "")
}

fn outbox_count(db: &TestDb) -> usize {
    std::fs::read_dir(db.data_dir().join("outbox"))
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn password_reset_by_emailed_link(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.register("ewa@powiat.pl", "Ewa Wiśniewska", "stare hasło 123")
        .await
        .assert_status(303);
    let other_session = c.jar.clone();
    c.fresh_jar();

    // Unknown address: same answer, no mail.
    let r = c
        .post("/haslo/nie-pamietam", &[("email", "nikt@powiat.pl")])
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), "/haslo/wyslano");
    assert_eq!(outbox_count(&db), 0);

    let r = c
        .post("/haslo/nie-pamietam", &[("email", "Ewa@Powiat.pl")])
        .await;
    assert_eq!(r.location(), "/haslo/wyslano");
    c.get("/haslo/wyslano")
        .await
        .assert_status(200)
        .assert_contains("Sprawdź skrzynkę");
    let mail = last_mail(&db);
    assert!(
        mail.contains("To: \"Ewa =?utf-8?") || mail.contains("ewa@powiat.pl"),
        "{mail}"
    );
    let start = mail
        .find("http://localhost:8080/haslo/reset/")
        .expect("link in mail");
    let link: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/:._-".contains(*c))
        .collect();
    let path = link.trim_start_matches("http://localhost:8080");

    c.get(path)
        .await
        .assert_status(200)
        .assert_contains("Ustaw nowe hasło");
    c.post(
        path,
        &[("password", "nowe hasło 456"), ("password_confirm", "inne")],
    )
    .await
    .assert_status(422)
    .assert_contains("Hasła nie są takie same");
    let r = c
        .post(
            path,
            &[
                ("password", "nowe hasło 456"),
                ("password_confirm", "nowe hasło 456"),
            ],
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), "/logowanie");
    c.get("/logowanie")
        .await
        .assert_contains("Hasło zostało zmienione");

    // The link works once; old sessions and the old password are gone.
    c.get(path)
        .await
        .assert_status(410)
        .assert_contains("nieważny");
    c.post(
        path,
        &[
            ("password", "jeszcze inne 789"),
            ("password_confirm", "jeszcze inne 789"),
        ],
    )
    .await
    .assert_status(410);
    c.login("ewa@powiat.pl", "stare hasło 123")
        .await
        .assert_status(422);
    c.login("ewa@powiat.pl", "nowe hasło 456")
        .await
        .assert_status(303);
    let mut old = Client::new(spawn_app(st.clone()).await);
    old.jar = other_session;
    old.get("/profil").await.assert_status(303);
    c.get("/haslo/reset/not-a-real-token")
        .await
        .assert_status(410);
}

async fn profile_and_password_change(b: Backend) {
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.register("piotr@wojewoda.gov.pl", "Piotr Zieliński", "pierwsze hasło")
        .await;

    c.post("/profil", &[("full_name", "   "), ("language", "pl")])
        .await
        .assert_status(422)
        .assert_contains("Podaj imię i nazwisko");
    let r = c
        .post(
            "/profil",
            &[
                ("full_name", "Piotr  Zieliński-Kowalski"),
                ("language", "en"),
            ],
        )
        .await;
    r.assert_status(303);
    c.get("/profil")
        .await
        .assert_contains("<html lang=\"en\">")
        .assert_contains("Your profile has been saved.")
        .assert_contains("value=\"Piotr Zieliński-Kowalski\"");

    let second = {
        let mut s = Client::new(spawn_app(st.clone()).await);
        s.login("piotr@wojewoda.gov.pl", "pierwsze hasło")
            .await
            .assert_status(303);
        s.jar.clone()
    };
    c.post(
        "/profil/haslo",
        &[
            ("current_password", "złe"),
            ("new_password", "drugie hasło"),
            ("new_password_confirm", "drugie hasło"),
        ],
    )
    .await
    .assert_status(422)
    .assert_contains("The current password is wrong");
    c.post(
        "/profil/haslo",
        &[
            ("current_password", "pierwsze hasło"),
            ("new_password", "drugie hasło"),
            ("new_password_confirm", "drugie hasło"),
        ],
    )
    .await
    .assert_status(303);
    // This session stays, the other one is signed out.
    c.get("/profil").await.assert_status(200);
    let mut s = Client::new(spawn_app(st.clone()).await);
    s.jar = second;
    s.get("/profil").await.assert_status(303);
    s.login("piotr@wojewoda.gov.pl", "drugie hasło")
        .await
        .assert_status(303);
}

async fn django_hashes_log_in_and_are_rehashed(b: Backend) {
    use diesel::prelude::*;
    use platform::db::schema::users;
    let db = TestDb::new(b);
    let st = state(&db, &[]);
    {
        let mut conn = st.db.get().unwrap();
        platform::models::user::create(
            &mut conn,
            platform::models::user::NewUser {
                email: "edx@example.pl",
                full_name: "Migrated Learner",
                // Django 5 make_password("letmein", "seasalt", "pbkdf2_sha256").
                password_hash:
                    "pbkdf2_sha256$1000000$seasalt$kgw4DgrdIWz1meKsQaG4gxWmL4FdrFw34AxlPt/ksDg=",
                is_platform_admin: false,
                language: None,
                terms_accepted: false,
            },
        )
        .unwrap();
    }
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("edx@example.pl", "wrong").await.assert_status(422);
    c.login("edx@example.pl", "letmein")
        .await
        .assert_status(303);
    let mut conn = st.db.get().unwrap();
    let hash: String = users::table
        .filter(users::email.eq("edx@example.pl"))
        .select(users::password_hash)
        .first(&mut conn)
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    c.post("/wyloguj", &[]).await;
    c.login("edx@example.pl", "letmein")
        .await
        .assert_status(303);
}
