//! Notifications: an in-app list and email, per person, by kind, with per-person settings.
//!
//! [`notify`] is the one way any area of the office tells someone something. It runs inside the
//! caller's transaction, so a notice exists exactly when the change it reports was committed.
//! Email goes through an outbox: the row is stored with `email_pending`, and a sender delivers
//! and marks it afterwards, so a mail server that is down loses nothing.

pub mod outbox;
pub mod web;

pub use outbox::{send_pending, spawn_send};

use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::{new_id, now};
use serde::Serialize;

use crate::schema::{office_notification_prefs, office_notifications};

/// What happened. The string form is stored and names the Fluent ids
/// (`notification-kind-<kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A task was assigned to you (or your department).
    Assigned,
    /// A task of yours was delegated to someone else, or to you with a note.
    Delegated,
    /// Someone commented on a task you take part in.
    Comment,
    /// A task of yours is due tomorrow.
    DueTomorrow,
    /// A task of yours is overdue.
    Overdue,
    /// A citizen booked an appointment with you.
    BookingNew,
    /// A citizen rescheduled or cancelled an appointment with you.
    BookingChanged,
    /// A colleague invited you to an event, or changed or cancelled it.
    Invitation,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Assigned,
        Kind::Delegated,
        Kind::Comment,
        Kind::DueTomorrow,
        Kind::Overdue,
        Kind::BookingNew,
        Kind::BookingChanged,
        Kind::Invitation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Assigned => "assigned",
            Kind::Delegated => "delegated",
            Kind::Comment => "comment",
            Kind::DueTomorrow => "due_tomorrow",
            Kind::Overdue => "overdue",
            Kind::BookingNew => "booking_new",
            Kind::BookingChanged => "booking_changed",
            Kind::Invitation => "invitation",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One notice for one person.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    pub user_id: &'a str,
    pub organisation_id: Option<&'a str>,
    pub kind: Kind,
    /// What it is about, in words (a task's title, a matter and time).
    pub subject: &'a str,
    /// Where the person goes to see it (a path such as `/biuro/urzad/zadania/ID`).
    pub link: &'a str,
    /// Who did it, if someone did.
    pub actor_name: Option<&'a str>,
    /// Makes the notice once-only per person (reminders such as `overdue:<task>:<due>`).
    pub dedupe_key: Option<&'a str>,
}

/// The person's choice for a kind: (in the app, by email). Both on unless they changed it.
pub fn preference(conn: &mut DbConn, user_id: &str, kind: Kind) -> QueryResult<(bool, bool)> {
    Ok(office_notification_prefs::table
        .find((user_id, kind.as_str()))
        .select((
            office_notification_prefs::in_app,
            office_notification_prefs::email,
        ))
        .first(conn)
        .optional()?
        .unwrap_or((true, true)))
}

/// Records a notice (in-app and/or queued for email, by the person's settings). A notice with a
/// `dedupe_key` the person already has is dropped. Returns whether anything was stored.
pub fn notify(conn: &mut DbConn, n: &Notice<'_>) -> QueryResult<bool> {
    let (in_app, email) = preference(conn, n.user_id, n.kind)?;
    if !in_app && !email {
        return Ok(false);
    }
    let t = now();
    let row = (
        office_notifications::id.eq(new_id()),
        office_notifications::user_id.eq(n.user_id),
        office_notifications::organisation_id.eq(n.organisation_id),
        office_notifications::kind.eq(n.kind.as_str()),
        office_notifications::subject.eq(n.subject),
        office_notifications::link.eq(n.link),
        office_notifications::actor_name.eq(n.actor_name),
        office_notifications::dedupe_key.eq(n.dedupe_key),
        office_notifications::created_at.eq(t),
        // Email-only notices are born read, so they do not show up as unread in the app.
        office_notifications::read_at.eq((!in_app).then_some(t)),
        office_notifications::email_pending.eq(email),
    );
    let stored =
        platform::with_backend!(conn, |c| diesel::insert_into(office_notifications::table)
            .values(row.clone())
            .on_conflict_do_nothing()
            .execute(c))?;
    Ok(stored > 0)
}

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "office/notifications/list.html",
        include_str!("../../templates/office/notifications/list.html"),
    ),
    (
        "office/notifications/settings.html",
        include_str!("../../templates/office/notifications/settings.html"),
    ),
];

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    web::routes(cfg)
}
