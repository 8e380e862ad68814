//! The learner side: catalog, course about pages, enrolment, learning without an account,
//! courseware (outline, units, blocks), CAPA problems and grades. Mounted through the plugin
//! trait like Studio and the office, so the kernel knows nothing of courses.

pub mod access;
pub mod cache;
pub mod catalog;
pub mod courseware;
pub mod db;
pub mod events;
pub mod exams;
pub mod grades;
pub mod learner;
pub mod polls;
pub mod preview;
pub mod problems;
pub mod render;
pub mod results;

use std::sync::Arc;

use actix_web::web;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use platform::access::Principal;
use platform::db::{DbConn, MigrationSet};
use platform::i18n::Lang;
use platform::plugin::{NavItem, Plugin, ProfileItem, ProfileSection};

static SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
static POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Learner state tables; they reference Studio's `courses`, so they come after Studio's set.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    name: "learning",
    sqlite: &SQLITE,
    postgres: &POSTGRES,
};

/// The learner side as a plugin. It owns the course cache, shared by every worker.
#[derive(Default)]
pub struct Learning {
    cache: Arc<cache::CourseCache>,
}

impl Plugin for Learning {
    fn id(&self) -> &'static str {
        "learning"
    }

    fn routes(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(web::Data::from(self.cache.clone()));
        cfg.route("/kursy", web::get().to(catalog::catalog));
        crate::certificates::web::routes(cfg);
        crate::gamification::web::routes(cfg);
        preview::routes(cfg);
        // One scope per course: the router compares the static prefix first and tries the
        // course's patterns only under it (route matching showed up in unit page profiles).
        cfg.service(
            web::scope("/kursy/{key}")
                .configure(catalog::routes)
                .configure(courseware::routes)
                .configure(problems::routes)
                .configure(polls::routes)
                .configure(crate::surveys::routes)
                .configure(crate::certificates::web::course_routes)
                .configure(crate::gamification::web::course_routes)
                .configure(grades::routes)
                .configure(exams::routes)
                .configure(results::routes),
        );
    }

    fn migrations(&self) -> Option<MigrationSet> {
        Some(MIGRATIONS)
    }

    /// The learner's certificates on their profile page.
    fn profile_sections(
        &self,
        conn: &mut DbConn,
        user_id: &str,
        lang: Lang,
    ) -> diesel::QueryResult<Vec<ProfileSection>> {
        use crate::certificates::store;
        let items = store::of_user(conn, user_id)?
            .into_iter()
            .map(|c| ProfileItem {
                label: c.course_title,
                href: format!("/certificates/{}", c.verify_uuid),
                detail: format!(
                    "{}, {}",
                    c.organisation,
                    crate::certificates::pdf::format_date(c.created_at.date(), lang)
                ),
                status: (c.status != store::DOWNLOADABLE).then_some("cert-status-not-valid"),
            })
            .collect();
        Ok(vec![ProfileSection {
            heading: "cert-profile-heading",
            empty: "cert-profile-none",
            items,
            more: Some(("gam-nav-dashboard", "/panel".to_string())),
        }])
    }

    fn nav_items(&self, principal: Option<&Principal>) -> Vec<NavItem> {
        let mut items = vec![NavItem {
            label: "nav-courses",
            href: "/kursy",
        }];
        if principal.is_some() {
            items.push(NavItem {
                label: "gam-nav-dashboard",
                href: "/panel",
            });
        }
        items
    }
}
