//! Test harness: a fresh database per test on either backend, the real actix app in-process, and
//! a cookie jar so tests read like a person using the site.

use std::collections::HashMap;
use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::test;
use diesel::{Connection, RunQueryDsl};
use platform::config::Config;
use platform::web::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Server URL for the PostgreSQL the developer and CI machines run; a test run makes and drops
/// its own databases there.
pub fn pg_admin_url() -> String {
    std::env::var("SZPON_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database that exists for one test and is dropped after it.
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => TestDb {
                url: format!("sqlite://{}", dir.path().join("szpon.db").display()),
                dir,
                pg_name: None,
            },
            Backend::Postgres => {
                let name = format!("szpon_test_{}", uuid::Uuid::new_v4().simple());
                let admin = pg_admin_url();
                let mut conn = diesel::PgConnection::establish(&admin).unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is required for the test suite and is not reachable at {admin}: {e}. \
                         Start it (see README) or set SZPON_TEST_POSTGRES_URL."
                    )
                });
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .expect("create test database");
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                TestDb {
                    url: format!("{base}/{name}"),
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The environment a `szpon` process or `Config::load` sees for this database.
    pub fn env(&self) -> HashMap<String, String> {
        let mut env = HashMap::new();
        env.insert("SZPON_DATABASE_URL".into(), self.url.clone());
        env.insert(
            "SZPON_DATA_DIR".into(),
            self.data_dir().display().to_string(),
        );
        env.insert("SZPON_BASE_URL".into(), "http://localhost:8080".into());
        env.insert("SZPON_POOL_SIZE".into(), "4".into());
        env
    }

    pub fn config(&self, extra: &[(&str, &str)]) -> Config {
        let mut env = self.env();
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        Config::load(&env).expect("test config")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut conn) = diesel::PgConnection::establish(&pg_admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: String,
    /// The body as sent (downloads: PDFs, archives).
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    #[track_caller]
    pub fn assert_status(&self, s: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            s,
            "unexpected status; body:\n{}",
            self.body
        );
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "expected {text:?} in:\n{}",
            self.body
        );
        self
    }
}

/// A browser-like client: keeps cookies and fills in the CSRF token for forms.
pub struct Client<S> {
    svc: S,
    pub jar: HashMap<String, String>,
    pub extra_headers: Vec<(String, String)>,
}

pub async fn spawn_app(
    state: AppState,
) -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    test::init_service(lms::app(state)).await
}

impl<S, B> Client<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    pub fn new(svc: S) -> Self {
        Client {
            svc,
            jar: HashMap::new(),
            extra_headers: vec![],
        }
    }

    /// Starts a second visitor on the same app (a separate cookie jar).
    pub fn fresh_jar(&mut self) {
        self.jar.clear();
    }

    fn cookie_header(&self) -> Option<String> {
        if self.jar.is_empty() {
            None
        } else {
            Some(
                self.jar
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
    }

    async fn send(&mut self, mut req: test::TestRequest) -> Resp {
        if let Some(c) = self.cookie_header() {
            req = req.insert_header((header::COOKIE, c));
        }
        for (k, v) in &self.extra_headers {
            req = req.insert_header((k.as_str(), v.as_str()));
        }
        req = req.peer_addr("10.1.2.3:4567".parse().unwrap());
        let res = test::call_service(&self.svc, req.to_request()).await;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = test::read_body(res).await;
        let resp = Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        };
        for raw in resp.set_cookies() {
            let c = actix_web::cookie::Cookie::parse(raw).expect("valid Set-Cookie");
            let removed = c.max_age().is_some_and(|a| a.is_zero()) || c.value().is_empty();
            if removed {
                self.jar.remove(c.name());
            } else {
                self.jar.insert(c.name().to_string(), c.value().to_string());
            }
        }
        resp
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(test::TestRequest::get().uri(path)).await
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut r = test::TestRequest::get().uri(path);
        for (k, v) in headers {
            r = r.insert_header((*k, *v));
        }
        self.send(r).await
    }

    /// Posts a form the way the browser would, with the CSRF token from the cookie jar
    /// (fetching a page first when the jar has none yet).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        if !self.jar.contains_key("szpon_csrf") {
            self.get("/").await;
        }
        let token = self.jar.get("szpon_csrf").cloned().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, &[]).await
    }

    /// Posts a form with the CSRF token as the page's script does (`Accept: application/json`).
    pub async fn post_json(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        if !self.jar.contains_key("szpon_csrf") {
            self.get("/").await;
        }
        let token = self.jar.get("szpon_csrf").cloned().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, &[("accept", "application/json")])
            .await
    }

    /// Posts exactly these fields and headers (no automatic token).
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut r = test::TestRequest::post()
            .uri(path)
            .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
            .set_payload(body);
        for (k, v) in headers {
            r = r.insert_header((*k, *v));
        }
        self.send(r).await
    }

    /// A multipart upload (`organisation` field + `file`), with the CSRF token in the header.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        organisation: &str,
        file_name: &str,
        bytes: &[u8],
        with_token: bool,
    ) -> Resp {
        self.post_multipart_with(
            path,
            &[("organisation", organisation)],
            file_name,
            bytes,
            with_token,
        )
        .await
    }

    /// A multipart upload with these text fields before the `file`.
    pub async fn post_multipart_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
        with_token: bool,
    ) -> Resp {
        if !self.jar.contains_key("szpon_csrf") {
            self.get("/").await;
        }
        let boundary = "szpon-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/gzip\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut r = test::TestRequest::post()
            .uri(path)
            .insert_header((
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            ))
            .set_payload(body);
        if with_token {
            let token = self.jar.get("szpon_csrf").cloned().unwrap_or_default();
            r = r.insert_header(("x-csrf-token", token));
        }
        self.send(r).await
    }

    /// A multipart form with one file in field `field`, the CSRF token in the query string (as
    /// the portal's own upload forms send it).
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Resp {
        if !self.jar.contains_key("szpon_csrf") {
            self.get("/").await;
        }
        let boundary = "szpon-test-boundary-9e2a";
        let mut body = Vec::new();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let token = self.jar.get("szpon_csrf").cloned().unwrap_or_default();
        let sep = if path.contains('?') { '&' } else { '?' };
        let r = test::TestRequest::post()
            .uri(&format!("{path}{sep}csrf_token={token}"))
            .insert_header((
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            ))
            .set_payload(body);
        self.send(r).await
    }

    pub async fn register(&mut self, email: &str, name: &str, password: &str) -> Resp {
        self.post(
            "/rejestracja",
            &[
                ("email", email),
                ("full_name", name),
                ("password", password),
                ("password_confirm", password),
                ("accept_terms", "yes"),
            ],
        )
        .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        self.post("/logowanie", &[("email", email), ("password", password)])
            .await
    }
}

/// Builds the state for a test database (migrating it) with extra `SZPON_*` settings.
pub fn state(db: &TestDb, extra: &[(&str, &str)]) -> AppState {
    AppState::build(db.config(extra), lms::plugins()).expect("app state")
}

/// Creates a user directly in the database (the way `szpon user create` does).
pub fn make_user(state: &AppState, email: &str, name: &str, password: &str, admin: bool) -> String {
    let mut conn = state.db.get().unwrap();
    platform::models::user::create(
        &mut conn,
        platform::models::user::NewUser {
            email,
            full_name: name,
            password_hash: &platform::password::hash(password),
            is_platform_admin: admin,
            language: None,
            terms_accepted: true,
        },
    )
    .unwrap()
    .id
}

/// Runs each named test function once per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[actix_web::test]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}
