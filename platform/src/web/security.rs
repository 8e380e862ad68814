//! Security middleware: response headers (strict CSP, no framing, no sniffing) and the CSRF check
//! on every state-changing request (Origin/Referer must be ours, and a token must match the
//! `szpon_csrf` cookie). Handlers cannot forget the check: it runs before any of them.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{web, HttpMessage, HttpRequest, ResponseError};
use subtle::ConstantTimeEq;

use super::context::RequestContext;
use super::{AppError, AppState};

/// Strict CSP: no inline script or style anywhere in the portal.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CSP))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            header::HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(self), geolocation=(), payment=()",
        ))
        .add((
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
}

/// The field name (and `X-CSRF-Token` header) carrying the token.
pub const CSRF_FIELD: &str = "csrf_token";

/// Largest urlencoded body the CSRF check reads (forms, not uploads).
const FORM_LIMIT: usize = 256 * 1024;

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

/// A browser's Origin (or Referer) must be the portal itself: the configured base URL or the
/// host the request was sent to. Requests without either (non-browser clients) rely on the token.
fn origin_allowed(req: &HttpRequest, base_url: &str) -> bool {
    let claimed = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_string)
        .or_else(|| {
            req.headers()
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let Some(claimed) = claimed.map(|c| c.to_ascii_lowercase()) else {
        return req.headers().get(header::ORIGIN).is_none();
    };
    let info = req.connection_info();
    let own = format!("{}://{}", info.scheme(), info.host()).to_ascii_lowercase();
    Some(claimed.clone()) == origin_of(base_url) || claimed == own
}

pub async fn csrf_middleware(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await;
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is registered")
        .clone();
    let reject = |req: ServiceRequest, why: &str| {
        tracing::warn!(path = req.path(), why, "CSRF check failed");
        let res = AppError::Csrf.error_response();
        Ok(req.into_response(res))
    };
    if !origin_allowed(req.request(), &state.config.base_url) {
        return reject(req, "foreign origin");
    }
    let expected = req
        .extensions()
        .get::<RequestContext>()
        .map(|c| c.csrf_token.clone())
        .unwrap_or_default();
    // The cookie must have existed before this request: a freshly minted token proves nothing.
    let cookie_present = req
        .cookie(super::context::CSRF_COOKIE)
        .is_some_and(|c| c.value() == expected);

    let mut supplied = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            web::Query::<Vec<(String, String)>>::from_query(req.query_string())
                .ok()
                .and_then(|q| {
                    q.iter()
                        .find(|(k, _)| k == CSRF_FIELD)
                        .map(|(_, v)| v.clone())
                })
        });
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if supplied.is_none() && is_form {
        let body = match req.extract::<web::Bytes>().await {
            Ok(b) if b.len() <= FORM_LIMIT => b,
            _ => return reject(req, "unreadable form body"),
        };
        supplied = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .ok()
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v)
            });
        // Put the body back for the handler's own extractor.
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    let ok = cookie_present
        && supplied
            .as_deref()
            .is_some_and(|s| !s.is_empty() && bool::from(s.as_bytes().ct_eq(expected.as_bytes())));
    if !ok {
        return reject(req, "missing or wrong token");
    }
    next.call(req).await
}

/// The client's address for rate limiting: the TCP peer, or `X-Forwarded-For` when the portal is
/// configured to trust its reverse proxy.
pub fn client_ip(state: &AppState, req: &HttpRequest) -> String {
    if state.config.trust_proxy {
        if let Some(ip) = req.connection_info().realip_remote_addr() {
            return ip.to_string();
        }
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://Urzad.gov.pl/path?x").as_deref(),
            Some("https://urzad.gov.pl")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("nonsense"), None);
    }
}
