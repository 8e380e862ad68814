//! Calendars of the virtual office. `ical` turns events into what Outlook and other calendar
//! clients read (iMIP invitations, cancellations, subscription feeds) and reads their replies; it
//! knows nothing of the database or HTTP, so the web layer and the mail ingest share it.

use actix_web::web;

pub mod ical;

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = &[];

pub fn routes(_cfg: &mut web::ServiceConfig) {}
