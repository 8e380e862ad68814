//! The learner side of SZPoN and the assembly of the whole portal: [`app`] mounts the kernel's
//! routes, the learner pages, Studio and every enabled plugin behind one middleware stack.

pub mod certificates;
pub mod gamification;
pub mod home;
pub mod learning;
pub mod surveys;

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpMessage};
use platform::plugin::Plugin;
use platform::web::{context, error, pages, security, AppState};
use tracing_actix_web::TracingLogger;

/// Plugins compiled into this binary. The office is behind the `office` cargo feature.
pub fn plugins() -> Vec<Arc<dyn Plugin>> {
    #[allow(unused_mut)]
    // Studio first: the learner tables reference its courses.
    let mut v: Vec<Arc<dyn Plugin>> = vec![
        Arc::new(studio::Studio),
        Arc::new(learning::Learning::default()),
    ];
    #[cfg(feature = "office")]
    v.push(Arc::new(office_plugin::Office));
    v
}

/// Copies the request id tracing assigned into an `X-Request-Id` response header, so a user's
/// report of an error can be matched with the logs.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(id) = id {
        if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&id) {
            res.headers_mut().insert(
                actix_web::http::header::HeaderName::from_static("x-request-id"),
                v,
            );
        }
    }
    Ok(res)
}

/// The whole portal as an actix `App`. Middleware, outermost first: tracing (request id),
/// request-id header, security headers, error pages, request context (session, language, CSRF
/// cookie), CSRF check.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let plugins = state.plugins.clone();
    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::FormConfig::default().limit(256 * 1024))
        .configure(platform::web::routes)
        .configure(home::routes)
        .configure(move |cfg| {
            for p in plugins.iter() {
                p.routes(cfg);
            }
        })
        .default_service(web::to(pages::not_found))
        .wrap(from_fn(learning::learner::merge_on_sign_in))
        .wrap(from_fn(security::csrf_middleware))
        .wrap(from_fn(context::context_middleware))
        .wrap(from_fn(error::error_pages))
        .wrap(security::security_headers())
        .wrap(from_fn(request_id_header))
        .wrap(TracingLogger::default())
}
