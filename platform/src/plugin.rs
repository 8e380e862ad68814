//! The plugin trait: how a component such as the virtual office joins the portal without the
//! kernel knowing it. A plugin contributes routes, navigation items, migrations, templates and
//! translations; the `szpon` binary decides which plugins to mount (cargo features).

use actix_web::web::ServiceConfig;

use serde::Serialize;

use crate::access::Principal;
use crate::db::{DbConn, MigrationSet};
use crate::i18n::{FtlSource, Lang};

/// A link in the main navigation. `label` is a Fluent message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
}

/// A list a plugin adds to a person's profile page, e.g. the learner's certificates. Texts are
/// Fluent ids, so the kernel renders them in the visitor's language.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileSection {
    /// Fluent id of the heading.
    pub heading: &'static str,
    /// Fluent id of the text shown when `items` is empty.
    pub empty: &'static str,
    pub items: Vec<ProfileItem>,
    /// Optional link below the list (e.g. to the learner's dashboard): (Fluent id, href).
    pub more: Option<(&'static str, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileItem {
    pub label: String,
    pub href: String,
    /// Already in the visitor's language (e.g. a date).
    pub detail: String,
    /// Fluent id of a status shown in words (e.g. "revoked"), if any.
    pub status: Option<&'static str>,
}

pub trait Plugin: Send + Sync + 'static {
    /// Stable identifier, e.g. `office`.
    fn id(&self) -> &'static str;

    /// Registers the plugin's routes. They run behind the portal's middleware (sessions, CSRF,
    /// security headers, error pages).
    fn routes(&self, cfg: &mut ServiceConfig);

    /// Navigation entries for this visitor (`None` when not signed in).
    fn nav_items(&self, _principal: Option<&Principal>) -> Vec<NavItem> {
        Vec::new()
    }

    /// The plugin's schema; applied after the kernel's, on start and by `szpon migrate`.
    fn migrations(&self) -> Option<MigrationSet> {
        None
    }

    /// Tera templates as (name, source); names should start with the plugin id.
    fn templates(&self) -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    /// Fluent sources for the plugin's own messages.
    fn translations(&self) -> Vec<FtlSource> {
        Vec::new()
    }

    /// Sections for the signed-in person's profile page, read in the page's database call.
    fn profile_sections(
        &self,
        _conn: &mut DbConn,
        _user_id: &str,
        _lang: Lang,
    ) -> diesel::QueryResult<Vec<ProfileSection>> {
        Ok(Vec::new())
    }

    /// Starts the plugin's background work (reminders, outboxes) once the server runs; called
    /// by `szpon serve` inside the actix runtime, so it may `actix_web::rt::spawn`. Tests build
    /// the app without it and call the work directly.
    fn start(&self, _state: &crate::web::AppState) {}
}
