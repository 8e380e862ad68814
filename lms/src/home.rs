//! The portal's home page.

use actix_web::{web, HttpResponse};
use platform::models::user;
use platform::web::render::render;
use platform::web::{AppError, AppState, Ctx};
use serde::Serialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home));
}

#[derive(Serialize)]
struct HomePage {
    organisations: Vec<String>,
}

async fn home(state: web::Data<AppState>, ctx: Ctx) -> Result<HttpResponse, AppError> {
    let organisations = match ctx.user.as_ref() {
        Some(u) => {
            let id = u.user.id.clone();
            state
                .db
                .run(move |conn| user::organisations_of(conn, &id).map_err(AppError::from))
                .await?
                .into_iter()
                .map(|(o, _)| o.name)
                .collect()
        }
        None => vec![],
    };
    render(&state, &ctx, "home.html", &HomePage { organisations })
}
