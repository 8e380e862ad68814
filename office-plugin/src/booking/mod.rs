//! Booking of e-visits (e-wizyta). `slots` is the pure part: which appointment slots are free,
//! computed without the database or HTTP so it can be tested exhaustively, including the clock
//! changes in Europe/Warsaw. Double booking is prevented by the database, not there.

use actix_web::web;

pub mod slots;

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = &[];

pub fn routes(_cfg: &mut web::ServiceConfig) {}
