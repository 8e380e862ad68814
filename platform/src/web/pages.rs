//! Kernel pages: the accessibility statement, health check, theme static files and 404.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::context::Ctx;
use super::render::render;
use super::{AppError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/deklaracja-dostepnosci", web::get().to(accessibility))
        .route("/regulamin", web::get().to(terms))
        .route("/healthz", web::get().to(healthz))
        .route("/static/{path:.*}", web::get().to(static_file));
}

#[derive(Serialize)]
struct AccessibilityPage<'a> {
    info: &'a crate::config::AccessibilityInfo,
    base_url: &'a str,
}

/// The statement has the structure the law prescribes (ustawa z 4 kwietnia 2019 r. o dostępności
/// cyfrowej, art. 10, and the minister's template): ids such as `a11y-status` are the ones
/// national monitoring tools read.
async fn accessibility(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    render(
        &state,
        &ctx,
        "accessibility.html",
        &AccessibilityPage {
            info: &state.config.accessibility,
            base_url: &state.config.base_url,
        },
    )
}

/// Terms of service, the GDPR information clause and the cookie notice (only necessary cookies).
async fn terms(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    render(
        &state,
        &ctx,
        "terms.html",
        &AccessibilityPage {
            info: &state.config.accessibility,
            base_url: &state.config.base_url,
        },
    )
}

/// 200 when the database answers, 503 otherwise; JSON for load balancers and monitoring.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let backend = db.backend().name();
    match web::block(move || db.ping()).await {
        Ok(Ok(())) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({"status": "ok", "database": "ok", "backend": backend})),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database unreachable");
            HttpResponse::ServiceUnavailable()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(serde_json::json!({"status": "error", "database": "unreachable", "backend": backend}))
        }
        Err(_) => HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "error"})),
    }
}

async fn static_file(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let path = path.into_inner();
    let bytes = state.statics.get(&path).ok_or(AppError::NotFound)?;
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    Ok(HttpResponse::Ok()
        .content_type(
            mime.essence_str().to_string()
                + if mime.type_() == "text" || mime.subtype() == "javascript" {
                    "; charset=utf-8"
                } else {
                    ""
                },
        )
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(bytes.clone()))
}

/// Default service: every unknown path gets the 404 page.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
