//! Per-request context, resolved once by [`context_middleware`]: the signed-in person (from the
//! session cookie), the language, the CSRF token and a one-shot flash message. Handlers read it
//! with the [`Ctx`] and [`SignedIn`] extractors; error pages read it from request extensions.

use std::future::{ready, Ready};

use actix_web::body::BoxBody;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::{AppError, AppState};
use crate::access::Principal;
use crate::i18n::Lang;
use crate::models::user::User;
use crate::models::{random_token, session, user};

pub const SESSION_COOKIE: &str = "szpon_session";
pub const CSRF_COOKIE: &str = "szpon_csrf";
pub const LANG_COOKIE: &str = "szpon_lang";
pub const FLASH_COOKIE: &str = "szpon_flash";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub principal: Principal,
    /// The raw session token, so "log out" and "change password" can name this session.
    pub session_token: String,
}

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub user: Option<CurrentUser>,
    pub lang: Lang,
    pub csrf_token: String,
    /// Fluent id of a message to show once (set by the previous request's redirect).
    pub flash: Option<String>,
    pub path: String,
}

/// Paths that need no session or language: they stay cheap and never touch the database.
fn is_bare(path: &str) -> bool {
    path.starts_with("/static/") || path == "/healthz" || path == "/favicon.ico"
}

/// Picks the language: the user's setting, then the cookie, then `Accept-Language`, then Polish.
pub fn choose_lang(user: Option<&User>, req: &HttpRequest) -> Lang {
    user.and_then(|u| u.language.as_deref())
        .and_then(Lang::parse)
        .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Pl)
}

/// A cookie with the portal's defaults: HttpOnly, SameSite=Lax, path `/`, Secure over https.
pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age: Option<CookieDuration>,
) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .finish();
    if let Some(age) = max_age {
        c.set_max_age(age);
    }
    c
}

pub fn removal_cookie(state: &AppState, name: &'static str) -> Cookie<'static> {
    let mut c = cookie(state, name, String::new(), Some(CookieDuration::ZERO));
    c.make_removal();
    c
}

pub async fn context_middleware(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = req.path().to_string();
    if is_bare(&path) {
        return next.call(req).await;
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is registered")
        .clone();

    let session_token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    let reads_only = matches!(*req.method(), Method::GET | Method::HEAD);
    let mut stale_session = false;
    let cached = match (&session_token, reads_only) {
        (Some(t), true) => state.sessions.get(t),
        _ => None,
    };
    let current = match (session_token.clone(), cached) {
        (None, _) => None,
        (Some(token), Some((user, principal))) => Some(CurrentUser {
            user,
            principal,
            session_token: token,
        }),
        (Some(token), None) => {
            let t = token.clone();
            let generation = state.sessions.generation();
            let found: Result<Option<(User, Principal)>, AppError> = state
                .db
                .run(move |conn| {
                    let Some(u) = session::user_for_token(conn, &t)? else {
                        return Ok(None);
                    };
                    let p = user::principal(conn, &u)?;
                    Ok(Some((u, p)))
                })
                .await;
            match found {
                Ok(Some((user, principal))) => {
                    if reads_only {
                        state.sessions.put(
                            generation,
                            token.clone(),
                            user.clone(),
                            principal.clone(),
                        );
                    }
                    Some(CurrentUser {
                        user,
                        principal,
                        session_token: token,
                    })
                }
                Ok(None) => {
                    stale_session = true;
                    None
                }
                // The database is down: serve the page anonymously rather than fail outright;
                // handlers that need the database report 503 themselves.
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    None
                }
            }
        }
    };

    let lang = choose_lang(current.as_ref().map(|c| &c.user), req.request());
    let existing_csrf = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() >= 32);
    let new_csrf = existing_csrf.is_none();
    let csrf_token = existing_csrf.unwrap_or_else(random_token);
    let flash = req
        .cookie(FLASH_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|f| f.starts_with("flash-") && state.i18n.has(lang, f));
    let had_flash = req.cookie(FLASH_COOKIE).is_some();

    let user_id = current.as_ref().map(|c| c.user.id.clone());
    let changes_roles = path.starts_with("/organizacje") || path.starts_with("/admin");
    req.extensions_mut().insert(RequestContext {
        user: current,
        lang,
        csrf_token: csrf_token.clone(),
        flash,
        path,
    });

    let mut res = next.call(req).await?;
    if !reads_only {
        if changes_roles {
            state.sessions.clear();
        } else if let Some(id) = &user_id {
            state.sessions.forget_user(id);
        }
    }
    // A handler that set the same cookie itself (login, logout) wins: only add what is missing.
    let set_by_handler = |res: &ServiceResponse<BoxBody>, name: &str| {
        res.response().cookies().any(|c| c.name() == name)
    };
    if new_csrf && !set_by_handler(&res, CSRF_COOKIE) {
        let c = cookie(&state, CSRF_COOKIE, csrf_token, None);
        res.response_mut().add_cookie(&c)?;
    }
    if stale_session && !set_by_handler(&res, SESSION_COOKIE) {
        res.response_mut()
            .add_cookie(&removal_cookie(&state, SESSION_COOKIE))?;
    }
    if had_flash && !set_by_handler(&res, FLASH_COOKIE) {
        res.response_mut()
            .add_cookie(&removal_cookie(&state, FLASH_COOKIE))?;
    }
    Ok(res)
}

/// The request context; anonymous defaults when the middleware did not run (static paths).
pub struct Ctx(pub RequestContext);

impl std::ops::Deref for Ctx {
    type Target = RequestContext;
    fn deref(&self) -> &RequestContext {
        &self.0
    }
}

pub fn context_of(req: &HttpRequest) -> RequestContext {
    // Release the extensions borrow before `choose_lang` reads cookies (which borrows them again).
    let stored = req.extensions().get::<RequestContext>().cloned();
    stored.unwrap_or_else(|| RequestContext {
        user: None,
        lang: choose_lang(None, req),
        csrf_token: String::new(),
        flash: None,
        path: req.path().to_string(),
    })
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Ctx, actix_web::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Ctx(context_of(req))))
    }
}

/// A signed-in person; anonymous visitors are sent to the login page and brought back after.
pub struct SignedIn(pub CurrentUser, pub RequestContext);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Ready<Result<SignedIn, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ctx = context_of(req);
        ready(match ctx.user.clone() {
            Some(u) => Ok(SignedIn(u, ctx)),
            None => {
                let next = match req.query_string() {
                    "" => req.path().to_string(),
                    q => format!("{}?{}", req.path(), q),
                };
                Err(AppError::SignInRequired(next))
            }
        })
    }
}
