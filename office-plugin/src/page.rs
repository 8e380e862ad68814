//! What every office page shares: finding the office named in the URL and checking the visitor
//! may work in it, the office's colleagues, local (Europe/Warsaw) times for forms and pages, and
//! the office's sub-navigation.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use platform::access::{Permission, Principal, Role};
use platform::db::DbConn;
use platform::models::organisation::{self, Member, Organisation};
use platform::web::AppError;
use serde::Serialize;

use crate::booking::slots::ZONE;
use crate::schema::office_notifications;

/// The office named by `slug`, if the visitor may use the virtual office there: 404 for an
/// unknown office, 403 for one where they may not (the portal's rule, ARCHITECTURE.md).
pub fn office_for(
    conn: &mut DbConn,
    principal: &Principal,
    slug: &str,
) -> Result<Organisation, AppError> {
    let org = organisation::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    if !principal.can(&org.id, Permission::UseOffice) {
        return Err(AppError::Forbidden);
    }
    Ok(org)
}

/// The office's colleagues who work in the virtual office (officials and administrators): the
/// people tasks can be assigned to, invited to events, and who handle bookings.
pub fn colleagues(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<Member>> {
    Ok(organisation::members(conn, org_id)?
        .into_iter()
        .filter(|m| {
            m.roles
                .iter()
                .any(|r| matches!(r, Role::Official | Role::Administrator))
        })
        .collect())
}

/// Sections of an office's sub-navigation, one per area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Overview,
    Tasks,
    Calendar,
    Bookings,
    Matters,
    Statistics,
    Todo,
    Notifications,
}

/// The data `office/base.html` needs for its sub-navigation.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeNav {
    pub slug: String,
    pub name: String,
    pub section: Section,
    /// Unread notifications, shown in words next to the link.
    pub unread: i64,
    /// Whether the visitor administers the office (matters, availability, statistics).
    pub manages: bool,
}

impl OfficeNav {
    pub fn load(
        conn: &mut DbConn,
        org: &Organisation,
        principal: &Principal,
        section: Section,
    ) -> QueryResult<OfficeNav> {
        let unread = office_notifications::table
            .filter(office_notifications::user_id.eq(&principal.user_id))
            .filter(office_notifications::read_at.is_null())
            .count()
            .get_result(conn)?;
        Ok(OfficeNav {
            slug: org.slug.clone(),
            name: org.name.clone(),
            section,
            unread,
            manages: principal.can(&org.id, Permission::ManageOrganisation),
        })
    }
}

/// An instant as local wall-clock time in Poland.
pub fn local(t: NaiveDateTime) -> DateTime<chrono_tz::Tz> {
    Utc.from_utc_datetime(&t).with_timezone(&ZONE)
}

/// `YYYY-MM-DD HH:MM` in Poland, what date and time inputs show and people read.
pub fn local_text(t: NaiveDateTime) -> String {
    local(t).format("%Y-%m-%d %H:%M").to_string()
}

/// A local date and `HH:MM` from a form as a UTC instant, with the DST rule of
/// [`crate::booking::slots`] (a skipped time moves forward, a repeated one takes the earlier).
pub fn utc_from_local(date: &str, time: &str) -> Option<NaiveDateTime> {
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let t = NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Some(crate::booking::slots::instant(d, t).naive_utc())
}
