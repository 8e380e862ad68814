//! Error policy: handlers return `Result<_, AppError>`. `AppError` only sets the status (and logs
//! unexpected failures with the request id); [`error_pages`] then turns every error response that
//! is not already a rendered page into the accessible error page, in the visitor's language.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};

use super::context::context_of;
use super::AppState;
use crate::db::DbError;

/// Marks a response body as a complete page (e.g. a form re-shown with 422); error pages leave it.
#[derive(Clone, Copy)]
pub struct RenderedPage;

/// What an error page should say, beyond its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Csrf,
    RateLimited,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    SignInRequired(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("security check failed")]
    Csrf,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for AppError {
    #[track_caller]
    fn from(e: DbError) -> Self {
        match e {
            DbError::Pool(e) => AppError::Unavailable(e.to_string()),
            DbError::Connect { .. } => AppError::Unavailable(e.to_string()),
            other => AppError::internal(other),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    #[track_caller]
    fn from(e: diesel::result::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<tera::Error> for AppError {
    #[track_caller]
    fn from(e: tera::Error) -> Self {
        use std::error::Error;
        let mut msg = e.to_string();
        let mut src = e.source();
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        AppError::internal(msg)
    }
}

impl AppError {
    /// An unexpected failure: logged where it was raised, shown to the user only as a 500.
    #[track_caller]
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        let at = std::panic::Location::caller();
        tracing::error!(error = %e, location = %at, "internal error");
        AppError::Internal(e.to_string())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::SignInRequired(_) => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        match self {
            AppError::SignInRequired(next) => {
                let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                return res
                    .insert_header((header::LOCATION, format!("/logowanie?{q}")))
                    .finish();
            }
            AppError::TooManyRequests { retry_after_secs } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
                let mut r = res.finish();
                r.extensions_mut().insert(ErrorKind::RateLimited);
                return r;
            }
            AppError::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
            _ => {}
        }
        let mut r = res.finish();
        if matches!(self, AppError::Csrf) {
            r.extensions_mut().insert(ErrorKind::Csrf);
        }
        r
    }
}

#[derive(serde::Serialize)]
struct ErrorPage {
    status: u16,
    title_key: &'static str,
    message_key: &'static str,
    request_id: Option<String>,
}

fn request_id(req: &actix_web::HttpRequest) -> Option<String> {
    req.extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string())
}

/// Replaces bare error responses with the accessible error page.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error())
        || res.response().extensions().get::<RenderedPage>().is_some()
        || res.request().path() == "/healthz"
    {
        return Ok(res);
    }
    let kind = res.response().extensions().get::<ErrorKind>().copied();
    let (title_key, message_key) = match (status.as_u16(), kind) {
        (_, Some(ErrorKind::Csrf)) => ("error-csrf-title", "error-csrf-message"),
        (_, Some(ErrorKind::RateLimited)) => ("error-429-title", "error-429-message"),
        (400, _) | (413, _) | (415, _) | (422, _) => ("error-400-title", "error-400-message"),
        (401, _) | (403, _) => ("error-403-title", "error-403-message"),
        (404, _) | (405, _) => ("error-404-title", "error-404-message"),
        (503, _) => ("error-503-title", "error-503-message"),
        (s, _) if s >= 500 => ("error-500-title", "error-500-message"),
        _ => ("error-400-title", "error-400-message"),
    };
    let http_req = res.request().clone();
    let Some(state) = http_req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(res);
    };
    let ctx = context_of(&http_req);
    let page = ErrorPage {
        status: status.as_u16(),
        title_key,
        message_key,
        request_id: request_id(&http_req),
    };
    let headers: Vec<_> = res
        .headers()
        .iter()
        .filter(|(n, _)| *n == header::RETRY_AFTER || *n == header::SET_COOKIE)
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let rendered = match super::render::render_page(&state, &ctx, "error.html", &page, status) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "cannot render the error page");
            HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ))
        }
    };
    let mut new = rendered;
    for (n, v) in headers {
        new.headers_mut().append(n, v);
    }
    Ok(res.into_response(new))
}
