//! SZPoN Studio: where authors build courses, and where Open edX courses come in (OLX import)
//! and go out (OLX export). Mounted under `/studio` through the same plugin trait as the office.

pub mod assets;
pub mod components;
pub mod create;
pub mod drafts;
pub mod grading;
pub mod import;
pub mod outline;
pub mod publishing;
pub mod readiness;
pub mod sample;
pub mod schedule;
pub mod store;
pub mod team;
pub mod web;

use diesel_migrations::{embed_migrations, EmbeddedMigrations};
use platform::access::{Permission, Principal};
use platform::db::MigrationSet;
use platform::plugin::{NavItem, Plugin};

static SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
static POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The course tables, for tools that need them without the plugin (e.g. `szpon import`).
pub const MIGRATIONS: MigrationSet = MigrationSet {
    name: "studio",
    sqlite: &SQLITE,
    postgres: &POSTGRES,
};

pub struct Studio;

impl Plugin for Studio {
    fn id(&self) -> &'static str {
        "studio"
    }

    fn routes(&self, cfg: &mut actix_web::web::ServiceConfig) {
        web::routes(cfg);
    }

    fn migrations(&self) -> Option<MigrationSet> {
        Some(MIGRATIONS)
    }

    /// Course teams the person is on: the way into Studio for team members without an office
    /// Author role (the navigation link is for office authors; it costs no query).
    fn profile_sections(
        &self,
        conn: &mut platform::db::DbConn,
        user_id: &str,
        _lang: platform::i18n::Lang,
    ) -> diesel::QueryResult<Vec<platform::plugin::ProfileSection>> {
        Ok(team::profile_section(conn, user_id)?.into_iter().collect())
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
