//! SZPoN Studio: where authors build courses. Mounted under `/studio` through the same plugin
//! trait as the office. This first part is the entry page listing the organisations the person
//! may author for; course editing arrives with the Studio issue.

use actix_web::{web, HttpResponse};
use platform::access::{Permission, Principal};
use platform::models::user;
use platform::plugin::{NavItem, Plugin};
use platform::web::render::render;
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;

pub struct Studio;

impl Plugin for Studio {
    fn id(&self) -> &'static str {
        "studio"
    }

    fn routes(&self, cfg: &mut web::ServiceConfig) {
        cfg.route("/studio", web::get().to(index));
    }

    fn nav_items(&self, principal: Option<&Principal>) -> Vec<NavItem> {
        match principal {
            Some(p) if p.can_anywhere(Permission::AuthorCourses) => vec![NavItem {
                label: "nav-studio",
                href: "/studio",
            }],
            _ => vec![],
        }
    }
}

#[derive(Serialize)]
struct OrgLink {
    name: String,
    slug: String,
}

#[derive(Serialize)]
struct IndexPage {
    organisations: Vec<OrgLink>,
}

async fn index(state: web::Data<AppState>, signed: SignedIn) -> Result<HttpResponse, AppError> {
    let SignedIn(cu, ctx) = signed;
    if !cu.principal.can_anywhere(Permission::AuthorCourses) {
        return Err(AppError::Forbidden);
    }
    let uid = cu.user.id.clone();
    let principal = cu.principal.clone();
    let organisations = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok(if principal.is_platform_admin {
                platform::models::organisation::list(conn)?
            } else {
                user::organisations_of(conn, &uid)?
                    .into_iter()
                    .map(|(o, _)| o)
                    .filter(|o| principal.can(&o.id, Permission::AuthorCourses))
                    .collect()
            })
        })
        .await?
        .into_iter()
        .map(|o| OrgLink {
            name: o.name,
            slug: o.slug,
        })
        .collect();
    render(
        &state,
        &ctx,
        "studio/index.html",
        &IndexPage { organisations },
    )
}
