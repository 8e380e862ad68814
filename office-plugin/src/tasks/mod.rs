//! Delegated tasks and personal to-do items.

use actix_web::web;

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = &[];

pub fn routes(_cfg: &mut web::ServiceConfig) {}
