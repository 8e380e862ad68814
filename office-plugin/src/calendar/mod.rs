//! Calendars of the virtual office. `ical` turns events into what Outlook and other calendar
//! clients read (iMIP invitations, cancellations, subscription feeds) and reads their replies; it
//! knows nothing of the database or HTTP, so the web layer and the mail ingest share it.
//! `store` holds events and what a person's calendar shows, `web` the pages, `invite` the
//! emails that follow a change, `feed` the subscription links and `ingest` incoming replies.

pub mod feed;
pub mod ical;
pub mod ingest;
pub mod invite;
pub mod store;
pub mod web;

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "office/calendar/calendar.html",
        include_str!("../../templates/office/calendar/calendar.html"),
    ),
    (
        "office/calendar/form.html",
        include_str!("../../templates/office/calendar/form.html"),
    ),
    (
        "office/calendar/event.html",
        include_str!("../../templates/office/calendar/event.html"),
    ),
    (
        "office/calendar/cancel.html",
        include_str!("../../templates/office/calendar/cancel.html"),
    ),
    (
        "office/calendar/subscription.html",
        include_str!("../../templates/office/calendar/subscription.html"),
    ),
];

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    web::routes(cfg);
}
