//! Certificate pages: the public verification page at `/certificates/{verify_uuid}` (Open edX's
//! path) with its JSON, PDF and Open Badges variants, and the staff list with revocation.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{TimeZone, Utc};
use platform::web::render::{render, render_page, see_other};
use platform::web::{AppError, AppState, Ctx};
use serde::{Deserialize, Serialize};

use super::store::{self, Certificate};
use crate::learning::access::is_staff;
use crate::learning::cache::CourseCache;
use crate::learning::catalog::course_or_404;
use crate::learning::render::human_date;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/certificates/{uuid}", web::get().to(verify))
        .route("/certificates/{uuid}/json", web::get().to(verify_json))
        .route("/certificates/{uuid}/pdf", web::get().to(pdf))
        .route("/certificates/{uuid}/openbadge", web::get().to(openbadge));
}

/// Routes under `/kursy/{key}`.
pub fn course_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/zaswiadczenia", web::get().to(staff_list))
        .route("/zaswiadczenia/{uuid}/uniewaznij", web::post().to(revoke));
}

pub fn verify_url(state: &AppState, uuid: &str) -> String {
    format!(
        "{}/certificates/{uuid}",
        state.config.base_url.trim_end_matches('/')
    )
}

/// A certificate as the public sees it, with what its course says about showing it.
struct Public {
    cert: Certificate,
    /// The course's choice: state the grade or not.
    shows_grade: bool,
    /// Certificates on completion attest completion, not a passing grade.
    on_completion: bool,
    /// The issuing office's slug and logo (blob SHA-256), if it has one.
    logo: Option<(String, String)>,
}

/// A certificate by its public number; `notpassing` records are not certificates and stay
/// unknown to the public, as in Open edX.
async fn load(state: &AppState, uuid: &str) -> Result<Option<Public>, AppError> {
    if !store::is_verify_uuid(uuid) {
        return Ok(None);
    }
    let u = uuid.to_string();
    state
        .db
        .read(move |conn| {
            use diesel::prelude::*;
            use platform::db::schema::organisations as o;
            use studio::store::courses;
            let Some(cert) = store::find(conn, &u)?.filter(|c| c.status != store::NOTPASSING)
            else {
                return Ok(None);
            };
            let course: Option<(String, Option<String>)> = courses::table
                .find(&cert.course_id)
                .select((courses::options, courses::organisation_id))
                .first(conn)
                .optional()?;
            let (options, org) = course.unwrap_or_default();
            let options: studio::store::CourseOptions =
                serde_json::from_str(&options).unwrap_or_default();
            let logo = match org {
                Some(org) => o::table
                    .find(org)
                    .select((o::slug, o::logo_sha256))
                    .first::<(String, Option<String>)>(conn)
                    .optional()?
                    .and_then(|(slug, sha)| sha.map(|sha| (slug, sha))),
                None => None,
            };
            Ok::<_, AppError>(Some(Public {
                cert,
                shows_grade: options.certificate_shows_grade,
                on_completion: options.certificates == studio::store::CertificateMode::Completion,
                logo,
            }))
        })
        .await
}

#[derive(Serialize)]
struct VerifyPage {
    found: bool,
    valid: bool,
    uuid: String,
    name: String,
    course_title: String,
    organisation: String,
    issued: String,
    grade: Option<String>,
    revoke_reason: Option<String>,
    verify_url: String,
    /// Slug of the issuing office, when it has a logo.
    logo_of: Option<String>,
}

fn percent_text(grade: &str) -> Option<String> {
    grade
        .parse::<f64>()
        .ok()
        .map(|g| format!("{}%", (g * 100.0).round()))
}

async fn verify(
    state: web::Data<AppState>,
    ctx: Ctx,
    uuid: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let c = load(&state, &uuid).await?;
    let page = match &c {
        Some(p) => VerifyPage {
            found: true,
            valid: p.cert.status == store::DOWNLOADABLE,
            uuid: p.cert.verify_uuid.clone(),
            name: p.cert.name.clone(),
            course_title: p.cert.course_title.clone(),
            organisation: p.cert.organisation.clone(),
            issued: human_date(&p.cert.created_at.and_utc(), ctx.lang),
            grade: p.shows_grade.then(|| percent_text(&p.cert.grade)).flatten(),
            revoke_reason: p.cert.revoke_reason.clone(),
            verify_url: verify_url(&state, &p.cert.verify_uuid),
            logo_of: p.logo.as_ref().map(|(slug, _)| slug.clone()),
        },
        None => VerifyPage {
            found: false,
            valid: false,
            uuid: uuid.chars().take(64).collect(),
            name: String::new(),
            course_title: String::new(),
            organisation: String::new(),
            issued: String::new(),
            grade: None,
            revoke_reason: None,
            verify_url: String::new(),
            logo_of: None,
        },
    };
    let status = if c.is_some() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::NOT_FOUND
    };
    render_page(&state, &ctx, "learn/certificate.html", &page, status)
}

async fn verify_json(
    state: web::Data<AppState>,
    uuid: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(p) = load(&state, &uuid).await? else {
        return Ok(HttpResponse::NotFound()
            .json(serde_json::json!({"verify_uuid": uuid.as_str(), "status": "unknown"})));
    };
    let c = &p.cert;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(serde_json::json!({
            "verify_uuid": c.verify_uuid,
            "status": if c.status == store::DOWNLOADABLE { "valid" } else { "revoked" },
            "name": c.name,
            "course": c.course_title,
            "organisation": c.organisation,
            "issued": c.created_at.and_utc().to_rfc3339(),
            "grade": p.shows_grade.then_some(&c.grade),
            "revoke_reason": c.revoke_reason,
            "url": verify_url(&state, &c.verify_uuid),
        })))
}

/// The printable PDF. Anyone with the link may fetch it (it says what the public page says);
/// a revoked certificate is gone (410).
async fn pdf(
    state: web::Data<AppState>,
    ctx: Ctx,
    uuid: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = load(&state, &uuid).await?.ok_or(AppError::NotFound)?;
    if p.cert.status != store::DOWNLOADABLE {
        return Ok(HttpResponse::Gone().finish());
    }
    let url = verify_url(&state, &p.cert.verify_uuid);
    let lang = ctx.lang;
    let blobs = platform::storage::BlobStore::new(&state.config.data_dir);
    let bytes = web::block(move || {
        let c = &p.cert;
        let logo = p
            .logo
            .as_ref()
            .and_then(|(_, sha)| super::pdf::prepared_logo(&blobs, sha));
        super::pdf::render(&super::pdf::CertificateData {
            learner_name: &c.name,
            course_title: &c.course_title,
            organisation: &c.organisation,
            issued_on: c.created_at.date(),
            grade_percent: c
                .grade
                .parse::<f64>()
                .ok()
                .filter(|_| p.shows_grade)
                .map(|g| (g * 100.0).round() as u32),
            verify_url: &url,
            verify_uuid: &c.verify_uuid,
            logo_svg_or_png: logo.as_deref().map(|v| v.as_slice()),
            lang,
        })
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"zaswiadczenie-{}.pdf\"",
                uuid.as_str()
            ),
        ))
        .body(bytes))
}

/// The Open Badges 3.0 credential of the certificate (its id is the verification URL).
async fn openbadge(
    state: web::Data<AppState>,
    uuid: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    use super::openbadges::*;
    let p = load(&state, &uuid).await?.ok_or(AppError::NotFound)?;
    let c = &p.cert;
    if c.status != store::DOWNLOADABLE {
        return Ok(HttpResponse::Gone().finish());
    }
    let url = verify_url(&state, &c.verify_uuid);
    let base = state.config.base_url.trim_end_matches('/').to_string();
    let logo_url = p
        .logo
        .as_ref()
        .map(|(slug, _)| format!("{base}/organizacje/{slug}/logo"));
    let issuer_id = format!("{base}/");
    let achievement_id = format!("{base}/kursy/{}", c.course_id);
    let image = svg_data_uri(&badge_svg(&c.course_title, &c.organisation));
    let issued_at = Utc.from_utc_datetime(&c.created_at);
    let cred = credential(&Award {
        verify_url: &url,
        issuer: Issuer {
            id: &issuer_id,
            name: &c.organisation,
            url: Some(&issuer_id),
            image: logo_url.as_deref(),
        },
        achievement: AchievementInfo {
            id: &achievement_id,
            name: &c.course_title,
            description: &c.course_title,
            criteria_narrative: if p.on_completion {
                "Ukończenie wszystkich części kursu."
            } else {
                "Ukończenie kursu z wynikiem co najmniej progu zaliczenia."
            },
            image: Some(&image),
            achievement_type: AchievementType::CertificateOfCompletion,
        },
        recipient: Recipient {
            name: &c.name,
            email: None,
        },
        issued_at,
        valid_until: None,
        lang: "pl",
    });
    Ok(HttpResponse::Ok()
        .content_type("application/ld+json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"odznaka-{}.json\"", uuid.as_str()),
        ))
        .body(serde_json::to_string_pretty(&cred).map_err(AppError::internal)?))
}

#[derive(Serialize)]
struct StaffRow {
    uuid: String,
    name: String,
    issued: String,
    grade: Option<String>,
    valid: bool,
    revoke_reason: Option<String>,
}

#[derive(Serialize)]
struct StaffPage {
    key: String,
    title: String,
    certificates: Vec<StaffRow>,
}

async fn staff_list(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    key: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_or_404(&state, &cache, &key).await?;
    if ctx.user.is_none() {
        return Err(AppError::SignInRequired(format!(
            "/kursy/{}/zaswiadczenia",
            course.key()
        )));
    }
    if !is_staff(&ctx, &course) {
        return Err(AppError::Forbidden);
    }
    let cid = course.row.id.clone();
    let list = state
        .db
        .read(move |conn| store::of_course(conn, &cid).map_err(AppError::from))
        .await?;
    let page = StaffPage {
        key: course.key().to_string(),
        title: course.course.title(),
        certificates: list
            .into_iter()
            .map(|c| StaffRow {
                issued: human_date(&c.created_at.and_utc(), ctx.lang),
                grade: percent_text(&c.grade),
                valid: c.status == store::DOWNLOADABLE,
                uuid: c.verify_uuid,
                name: c.name,
                revoke_reason: c.revoke_reason,
            })
            .collect(),
    };
    render(&state, &ctx, "learn/certificates_staff.html", &page)
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
}

async fn revoke(
    state: web::Data<AppState>,
    cache: web::Data<CourseCache>,
    ctx: Ctx,
    path: web::Path<(String, String)>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    let (key, uuid) = path.into_inner();
    let course = course_or_404(&state, &cache, &key).await?;
    if ctx.user.is_none() {
        return Err(AppError::SignInRequired(format!(
            "/kursy/{}/zaswiadczenia",
            course.key()
        )));
    }
    if !is_staff(&ctx, &course) {
        return Err(AppError::Forbidden);
    }
    let reason = form.reason.trim().chars().take(500).collect::<String>();
    let target = format!("/kursy/{}/zaswiadczenia", course.key());
    if reason.is_empty() {
        return Ok(see_other(&state, &target, Some("flash-revoke-reason")));
    }
    let cid = course.row.id.clone();
    let done = state
        .db
        .run(move |conn| {
            // Only a certificate of this course: staff of one course cannot revoke another's.
            match store::find(conn, &uuid)? {
                Some(c) if c.course_id == cid => {
                    Ok::<_, AppError>(store::revoke(conn, &uuid, &reason)? == 1)
                }
                _ => Ok(false),
            }
        })
        .await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&state, &target, Some("flash-revoked")))
}
