//! The learner side: catalog, course about pages, enrolment, learning without an account,
//! courseware (outline, units, blocks), CAPA problems and grades. Mounted through the plugin
//! trait like Studio and the office, so the kernel knows nothing of courses.

pub mod access;
pub mod cache;
pub mod catalog;
pub mod courseware;
pub mod db;
pub mod grades;
pub mod learner;
pub mod polls;
pub mod problems;
pub mod render;

use std::sync::Arc;

use actix_web::web;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use platform::access::Principal;
use platform::db::MigrationSet;
use platform::plugin::{NavItem, Plugin};

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
        // One scope per course: the router compares the static prefix first and tries the
        // course's patterns only under it (route matching showed up in unit page profiles).
        cfg.service(
            web::scope("/kursy/{key}")
                .configure(catalog::routes)
                .configure(courseware::routes)
                .configure(problems::routes)
                .configure(polls::routes)
                .configure(crate::certificates::web::course_routes)
                .configure(grades::routes),
        );
    }

    fn migrations(&self) -> Option<MigrationSet> {
        Some(MIGRATIONS)
    }

    fn nav_items(&self, _principal: Option<&Principal>) -> Vec<NavItem> {
        vec![NavItem {
            label: "nav-courses",
            href: "/kursy",
        }]
    }
}
