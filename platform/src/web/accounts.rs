//! Accounts: registration, login, logout, password reset by emailed one-time link, profile,
//! change of password, and the language switch.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::context::{cookie, removal_cookie, Ctx, SignedIn, LANG_COOKIE, SESSION_COOKIE};
use super::render::{render, render_page, see_other, FieldError, FormErrors};
use super::security::client_ip;
use super::{AppError, AppState};
use crate::access::Permission;
use crate::domain::{check_new_password, safe_next, Email, FullName};
use crate::i18n::Lang;
use crate::mail::Email as Mail;
use crate::models::session;
use crate::models::user::{self, CreateUserError, NewUser, User};
use crate::password::{self, Verification};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/logowanie")
            .route(web::get().to(login_form))
            .route(web::post().to(login)),
    )
    .service(
        web::resource("/rejestracja")
            .route(web::get().to(register_form))
            .route(web::post().to(register)),
    )
    .route("/wyloguj", web::post().to(logout))
    .service(
        web::resource("/haslo/nie-pamietam")
            .route(web::get().to(forgot_form))
            .route(web::post().to(forgot)),
    )
    .route("/haslo/wyslano", web::get().to(forgot_sent))
    .service(
        web::resource("/haslo/reset/{token}")
            .route(web::get().to(reset_form))
            .route(web::post().to(reset)),
    )
    .service(
        web::resource("/profil")
            .route(web::get().to(profile))
            .route(web::post().to(profile_save)),
    )
    .service(
        web::resource("/profil/haslo")
            .route(web::get().to(password_form))
            .route(web::post().to(password_change)),
    )
    .route("/jezyk", web::post().to(switch_language));
}

fn session_cookie(state: &AppState, token: String) -> actix_web::cookie::Cookie<'static> {
    cookie(
        state,
        SESSION_COOKIE,
        token,
        Some(CookieDuration::days(session::SESSION_DAYS)),
    )
}

fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

// ---------- login ----------

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Serialize)]
struct LoginPage {
    next: String,
    email: String,
    errors: Vec<FieldError>,
}

async fn login_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if ctx.user.is_some() {
        return Ok(see_other(&state, &safe_next(q.next.as_deref()), None));
    }
    render(
        &state,
        &ctx,
        "auth/login.html",
        &LoginPage {
            next: safe_next(q.next.as_deref()),
            email: String::new(),
            errors: vec![],
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn login(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email);
    if let Err(k) = &email {
        errors.add("email", k);
    }
    if form.password.is_empty() {
        errors.add("password", "error-password-required");
    }
    state
        .limits
        .check(&state.limits.login_ip, &client_ip(&state, &req))?;
    if let Ok(e) = &email {
        state
            .limits
            .check(&state.limits.login_account, e.as_str())?;
    }
    let show = |errors: FormErrors| {
        render_page(
            &state,
            &ctx,
            "auth/login.html",
            &LoginPage {
                next: next.clone(),
                email: form.email.clone(),
                errors: errors.translate(&state, ctx.lang),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Ok(email) = email else {
        return show(errors);
    };
    if !errors.is_empty() {
        return show(errors);
    }

    let ua = user_agent(&req);
    let pw = form.password.clone();
    let outcome: Option<String> = state
        .db
        .run(move |conn| -> Result<Option<String>, AppError> {
            let Some(u) = user::find_by_email(conn, email.as_str())? else {
                password::dummy_verify(&pw);
                return Ok(None);
            };
            match password::verify(&pw, &u.password_hash) {
                Verification::Invalid => return Ok(None),
                _ if !u.is_active => return Ok(None),
                Verification::ValidNeedsRehash => {
                    user::set_password_hash(conn, &u.id, &password::hash(&pw))?;
                    tracing::info!(user = %u.id, "password re-hashed to argon2id");
                }
                Verification::Valid => {}
            }
            user::record_login(conn, &u.id)?;
            Ok(Some(session::create(conn, &u.id, ua.as_deref())?))
        })
        .await?;
    match outcome {
        Some(token) => {
            let mut res = see_other(&state, &next, None);
            res.add_cookie(&session_cookie(&state, token))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        None => {
            errors.add("email", "error-login-failed");
            show(errors)
        }
    }
}

async fn logout(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    if let Some(u) = ctx.user.clone() {
        state
            .db
            .run(move |conn| session::delete(conn, &u.session_token).map_err(AppError::from))
            .await?;
    }
    let mut res = see_other(&state, "/", Some("flash-logged-out"));
    res.add_cookie(&removal_cookie(&state, SESSION_COOKIE))
        .map_err(AppError::internal)?;
    Ok(res)
}

// ---------- registration ----------

#[derive(Serialize, Default)]
struct RegisterPage {
    next: String,
    email: String,
    full_name: String,
    accept_terms: bool,
    errors: Vec<FieldError>,
}

async fn register_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        &ctx,
        "auth/register.html",
        &RegisterPage {
            next: safe_next(q.next.as_deref()),
            ..Default::default()
        },
    )
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    accept_terms: Option<String>,
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn register(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&state.limits.register_ip, &client_ip(&state, &req))?;
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    // Errors are collected in the order the fields appear on the form.
    let mut errors = FormErrors::default();
    let name = FullName::parse(&form.full_name);
    errors.check("full_name", name.as_ref().map(drop).map_err(|k| *k));
    let email = Email::parse(&form.email);
    errors.check("email", email.as_ref().map(drop).map_err(|k| *k));
    errors.check(
        "password",
        check_new_password(&form.password, email.as_ref().ok().map(|e| e.as_str())),
    );
    if form.password != form.password_confirm {
        errors.add("password_confirm", "error-password-mismatch");
    }
    let accepted = form.accept_terms.is_some();
    if !accepted {
        errors.add("accept_terms", "error-terms-required");
    }
    let show = |errors: &FormErrors| {
        render_page(
            &state,
            &ctx,
            "auth/register.html",
            &RegisterPage {
                next: next.clone(),
                email: form.email.clone(),
                full_name: form.full_name.clone(),
                accept_terms: accepted,
                errors: errors.translate(&state, ctx.lang),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let (Ok(email), Ok(name)) = (email, name) else {
        return show(&errors);
    };
    if !errors.is_empty() {
        return show(&errors);
    }
    let hash = password::hash(&form.password);
    let lang = ctx.lang.code();
    let ua = user_agent(&req);
    let created = state
        .db
        .run(
            move |conn| -> Result<Result<String, CreateUserError>, AppError> {
                let u = match user::create(
                    conn,
                    NewUser {
                        email: email.as_str(),
                        full_name: name.as_str(),
                        password_hash: &hash,
                        is_platform_admin: false,
                        language: Some(lang),
                        terms_accepted: true,
                    },
                ) {
                    Ok(u) => u,
                    Err(CreateUserError::EmailTaken) => {
                        return Ok(Err(CreateUserError::EmailTaken))
                    }
                    Err(CreateUserError::Db(e)) => return Err(e.into()),
                };
                user::record_login(conn, &u.id)?;
                Ok(Ok(session::create(conn, &u.id, ua.as_deref())?))
            },
        )
        .await?;
    match created {
        Ok(token) => {
            let mut res = see_other(&state, &next, Some("flash-registered"));
            res.add_cookie(&session_cookie(&state, token))
                .map_err(AppError::internal)?;
            Ok(res)
        }
        Err(_) => {
            errors.add("email", "error-email-taken");
            show(&errors)
        }
    }
}

// ---------- password reset ----------

#[derive(Serialize, Default)]
struct ForgotPage {
    email: String,
    errors: Vec<FieldError>,
}

async fn forgot_form(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    render(&state, &ctx, "auth/forgot.html", &ForgotPage::default())
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

#[derive(Serialize)]
struct ResetMail<'a> {
    lang: &'a str,
    name: &'a str,
    link: &'a str,
    minutes: i64,
}

/// Sends the reset link; the reply never says whether the address has an account.
#[tracing::instrument(skip_all)]
async fn forgot(
    state: web::Data<AppState>,
    ctx: Ctx,
    req: HttpRequest,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    state
        .limits
        .check(&state.limits.reset_ip, &client_ip(&state, &req))?;
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(k) => {
            let mut errors = FormErrors::default();
            errors.add("email", k);
            return render_page(
                &state,
                &ctx,
                "auth/forgot.html",
                &ForgotPage {
                    email: form.email.clone(),
                    errors: errors.translate(&state, ctx.lang),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let found: Option<(User, String)> = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            match user::find_by_email(conn, email.as_str())? {
                Some(u) if u.is_active => {
                    let token = session::create_reset(conn, &u.id)?;
                    Ok(Some((u, token)))
                }
                _ => Ok(None),
            }
        })
        .await?;
    if let Some((u, token)) = found {
        let lang = u
            .language
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or(ctx.lang);
        let link = format!("{}/haslo/reset/{}", state.config.base_url, token);
        let mut c = tera::Context::from_serialize(ResetMail {
            lang: lang.code(),
            name: &u.full_name,
            link: &link,
            minutes: session::RESET_MINUTES,
        })?;
        c.insert("lang", lang.code());
        let text = state.tera.render("mail/password_reset.txt", &c)?;
        let mail = Mail {
            to: u.email.clone(),
            to_name: Some(u.full_name.clone()),
            subject: state.i18n.t(lang, "mail-reset-subject", &[]),
            text,
            html: None,
        };
        let mailer = state.mailer.clone();
        web::block(move || mailer.send(&mail))
            .await
            .map_err(AppError::internal)?
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        tracing::info!(user = %u.id, "password reset link sent");
    }
    Ok(see_other(&state, "/haslo/wyslano", None))
}

async fn forgot_sent(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    render(&state, &ctx, "auth/forgot_sent.html", &())
}

#[derive(Serialize)]
struct ResetPage {
    valid: bool,
    token: String,
    errors: Vec<FieldError>,
}

async fn reset_form(
    state: web::Data<AppState>,
    ctx: Ctx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let valid = state
        .db
        .run(move |conn| session::reset_user(conn, &t).map_err(AppError::from))
        .await?
        .is_some();
    let page = ResetPage {
        valid,
        token,
        errors: vec![],
    };
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    render_page(&state, &ctx, "auth/reset.html", &page, status)
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

async fn reset(
    state: web::Data<AppState>,
    ctx: Ctx,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let t = token.clone();
    let Some(u) = state
        .db
        .run(move |conn| session::reset_user(conn, &t).map_err(AppError::from))
        .await?
    else {
        let page = ResetPage {
            valid: false,
            token,
            errors: vec![],
        };
        return render_page(&state, &ctx, "auth/reset.html", &page, StatusCode::GONE);
    };
    let mut errors = FormErrors::default();
    errors.check(
        "password",
        check_new_password(&form.password, Some(&u.email)),
    );
    if form.password != form.password_confirm {
        errors.add("password_confirm", "error-password-mismatch");
    }
    if !errors.is_empty() {
        let page = ResetPage {
            valid: true,
            token,
            errors: errors.translate(&state, ctx.lang),
        };
        return render_page(
            &state,
            &ctx,
            "auth/reset.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let hash = password::hash(&form.password);
    let used = state
        .db
        .run(move |conn| -> Result<bool, AppError> {
            use diesel::Connection;
            Ok(conn.transaction(|conn| {
                if !session::consume_reset(conn, &token)? {
                    return Ok::<_, diesel::result::Error>(false);
                }
                user::set_password_hash(conn, &u.id, &hash)?;
                // Whoever knew the old password is signed out everywhere.
                session::delete_all_for_user(conn, &u.id, None)?;
                Ok(true)
            })?)
        })
        .await?;
    if !used {
        return Err(AppError::NotFound);
    }
    Ok(see_other(
        &state,
        "/logowanie",
        Some("flash-password-reset"),
    ))
}

// ---------- profile ----------

#[derive(Serialize)]
struct OrgRoles {
    name: String,
    slug: String,
    roles: Vec<String>,
    can_manage: bool,
}

#[derive(Serialize)]
struct ProfilePage {
    full_name: String,
    email: String,
    language: String,
    organisations: Vec<OrgRoles>,
    /// What plugins add (e.g. the learner's certificates).
    sections: Vec<crate::plugin::ProfileSection>,
    errors: Vec<FieldError>,
}

async fn load_profile(state: &AppState, signed: &SignedIn) -> Result<ProfilePage, AppError> {
    let SignedIn(cu, ctx) = signed;
    let uid = cu.user.id.clone();
    let plugins = state.plugins.clone();
    let lang = ctx.lang;
    let (orgs, sections) = state
        .db
        .run(move |conn| {
            let orgs = user::organisations_of(conn, &uid)?;
            let mut sections = Vec::new();
            for p in plugins.iter() {
                sections.extend(p.profile_sections(conn, &uid, lang)?);
            }
            Ok::<_, AppError>((orgs, sections))
        })
        .await?;
    Ok(ProfilePage {
        full_name: cu.user.full_name.clone(),
        email: cu.user.email.clone(),
        language: cu
            .user
            .language
            .clone()
            .unwrap_or_else(|| ctx.lang.code().to_string()),
        organisations: orgs
            .into_iter()
            .map(|(o, roles)| OrgRoles {
                can_manage: cu.principal.can(&o.id, Permission::ManageOrganisation),
                roles: roles
                    .iter()
                    .map(|r| state.i18n.t(ctx.lang, &format!("role-{}", r.as_str()), &[]))
                    .collect(),
                name: o.name,
                slug: o.slug,
            })
            .collect(),
        sections,
        errors: vec![],
    })
}

async fn profile(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let page = load_profile(&state, &signed).await?;
    render(&state, &signed.1, "profile/show.html", &page)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    language: String,
}

async fn profile_save(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::parse(&form.language);
    let name = FullName::parse(&form.full_name);
    let (Ok(name), Some(lang)) = (&name, lang) else {
        let mut errors = FormErrors::default();
        if let Err(k) = &name {
            errors.add("full_name", k);
        }
        if lang.is_none() {
            errors.add("language", "error-language-invalid");
        }
        let mut page = load_profile(&state, &signed).await?;
        page.full_name = form.full_name.clone();
        page.errors = errors.translate(&state, signed.1.lang);
        return render_page(
            &state,
            &signed.1,
            "profile/show.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let uid = signed.0.user.id.clone();
    let n = name.as_str().to_string();
    state
        .db
        .run(move |conn| {
            user::update_profile(conn, &uid, &n, Some(lang.code())).map_err(AppError::from)
        })
        .await?;
    let mut res = see_other(&state, "/profil", Some("flash-profile-saved"));
    res.add_cookie(&cookie(
        &state,
        LANG_COOKIE,
        lang.code().into(),
        Some(CookieDuration::days(365)),
    ))
    .map_err(AppError::internal)?;
    Ok(res)
}

#[derive(Serialize, Default)]
struct PasswordPage {
    errors: Vec<FieldError>,
}

async fn password_form(
    state: web::Data<AppState>,
    signed: SignedIn,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        &signed.1,
        "profile/password.html",
        &PasswordPage::default(),
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
}

async fn password_change(
    state: web::Data<AppState>,
    signed: SignedIn,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = &signed;
    let mut errors = FormErrors::default();
    if password::verify(&form.current_password, &cu.user.password_hash) == Verification::Invalid {
        errors.add("current_password", "error-password-wrong");
    }
    errors.check(
        "new_password",
        check_new_password(&form.new_password, Some(&cu.user.email)),
    );
    if form.new_password != form.new_password_confirm {
        errors.add("new_password_confirm", "error-password-mismatch");
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            errors: errors.translate(&state, ctx.lang),
        };
        return render_page(
            &state,
            ctx,
            "profile/password.html",
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let hash = password::hash(&form.new_password);
    let uid = cu.user.id.clone();
    let keep = cu.session_token.clone();
    state
        .db
        .run(move |conn| -> Result<(), AppError> {
            user::set_password_hash(conn, &uid, &hash)?;
            session::delete_all_for_user(conn, &uid, Some(&keep))?;
            Ok(())
        })
        .await?;
    Ok(see_other(&state, "/profil", Some("flash-password-changed")))
}

// ---------- language ----------

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    next: Option<String>,
}

async fn switch_language(
    state: web::Data<AppState>,
    ctx: Ctx,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let lang =
        Lang::parse(&form.lang).ok_or_else(|| AppError::BadRequest("unknown language".into()))?;
    if let Some(u) = ctx.user.clone() {
        state
            .db
            .run(move |conn| {
                user::set_language(conn, &u.user.id, lang.code()).map_err(AppError::from)
            })
            .await?;
    }
    let mut res = see_other(&state, &safe_next(form.next.as_deref()), None);
    res.add_cookie(&cookie(
        &state,
        LANG_COOKIE,
        lang.code().into(),
        Some(CookieDuration::days(365)),
    ))
    .map_err(AppError::internal)?;
    Ok(res)
}
