//! The plugin trait: how a component such as the virtual office joins the portal without the
//! kernel knowing it. A plugin contributes routes, navigation items, migrations, templates and
//! translations; the `szpon` binary decides which plugins to mount (cargo features).

use actix_web::web::ServiceConfig;

use crate::access::Principal;
use crate::db::MigrationSet;
use crate::i18n::FtlSource;

/// A link in the main navigation. `label` is a Fluent message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
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
}
