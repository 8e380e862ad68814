//! Events and their attendees in the database, and what one person's calendar shows: their events,
//! their department's events, their task deadlines and their appointments. No HTTP here, so the
//! web pages, the subscription feed and the mail ingest share it.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use platform::db::schema::memberships;
use platform::db::DbConn;
use platform::models::{new_id, now};
use serde::Serialize;

use crate::schema::{
    office_bookings, office_event_attendees, office_events, office_matters, office_tasks,
};

/// The longest event a form may create: longer things are not meetings.
pub const MAX_DAYS: i64 = 14;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = office_events)]
pub struct EventRow {
    pub id: String,
    pub organisation_id: String,
    pub organiser_id: String,
    pub department_id: Option<String>,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub status: String,
    pub sequence: i32,
    pub uid: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EventRow {
    pub fn cancelled(&self) -> bool {
        self.status == "cancelled"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = office_event_attendees)]
pub struct AttendeeRow {
    pub event_id: String,
    pub email: String,
    pub name: String,
    pub user_id: Option<String>,
    pub partstat: String,
    pub replied_at: Option<NaiveDateTime>,
}

/// Someone to invite: a colleague (with their account) or an outside guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub email: String,
    pub name: String,
    pub user_id: Option<String>,
}

/// A checked event form.
#[derive(Debug, Clone)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub department_id: Option<String>,
    pub invitees: Vec<Invitee>,
}

/// Host part of UIDs: the portal's host name, so UIDs of two portals never collide.
pub fn uid_host(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(base_url);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    if host.is_empty() {
        "szpon.invalid".into()
    } else {
        host.to_ascii_lowercase()
    }
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<EventRow>> {
    office_events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_uid(conn: &mut DbConn, uid: &str) -> QueryResult<Option<EventRow>> {
    office_events::table
        .filter(office_events::uid.eq(uid))
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

pub fn attendees(conn: &mut DbConn, event_id: &str) -> QueryResult<Vec<AttendeeRow>> {
    office_event_attendees::table
        .filter(office_event_attendees::event_id.eq(event_id))
        .order((
            office_event_attendees::name.asc(),
            office_event_attendees::email.asc(),
        ))
        .select(AttendeeRow::as_select())
        .load(conn)
}

/// The person's department in the organisation, if any.
pub fn department_of(
    conn: &mut DbConn,
    org_id: &str,
    user_id: &str,
) -> QueryResult<Option<String>> {
    Ok(memberships::table
        .find((user_id, org_id))
        .select(memberships::department_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Whether the person sees the event: its organiser, an attendee, or a member of its department.
pub fn can_see(conn: &mut DbConn, e: &EventRow, user_id: &str) -> QueryResult<bool> {
    if e.organiser_id == user_id {
        return Ok(true);
    }
    let attending: i64 = office_event_attendees::table
        .filter(office_event_attendees::event_id.eq(&e.id))
        .filter(office_event_attendees::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if attending > 0 {
        return Ok(true);
    }
    Ok(match &e.department_id {
        Some(d) => department_of(conn, &e.organisation_id, user_id)?.as_deref() == Some(d),
        None => false,
    })
}

fn insert_attendees(conn: &mut DbConn, event_id: &str, who: &[Invitee]) -> QueryResult<()> {
    for i in who {
        diesel::insert_into(office_event_attendees::table)
            .values((
                office_event_attendees::event_id.eq(event_id),
                office_event_attendees::email.eq(&i.email),
                office_event_attendees::name.eq(&i.name),
                office_event_attendees::user_id.eq(&i.user_id),
                office_event_attendees::partstat.eq("NEEDS-ACTION"),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Creates an event (SEQUENCE 0) with its attendees, all NEEDS-ACTION. Call inside a write
/// transaction.
pub fn create(
    conn: &mut DbConn,
    org_id: &str,
    organiser_id: &str,
    host: &str,
    input: &EventInput,
) -> QueryResult<EventRow> {
    let id = new_id();
    let t = now();
    diesel::insert_into(office_events::table)
        .values((
            office_events::id.eq(&id),
            office_events::organisation_id.eq(org_id),
            office_events::organiser_id.eq(organiser_id),
            office_events::department_id.eq(&input.department_id),
            office_events::title.eq(&input.title),
            office_events::description.eq(&input.description),
            office_events::location.eq(&input.location),
            office_events::starts_at.eq(input.starts_at),
            office_events::ends_at.eq(input.ends_at),
            office_events::status.eq("confirmed"),
            office_events::sequence.eq(0),
            office_events::uid.eq(crate::calendar::ical::uid_for(&id, host)),
            office_events::created_at.eq(t),
            office_events::updated_at.eq(t),
        ))
        .execute(conn)?;
    insert_attendees(conn, &id, &input.invitees)?;
    Ok(find(conn, &id)?.expect("just inserted"))
}

/// What an edit changed, for the messages that follow it.
#[derive(Debug)]
pub struct Updated {
    pub event: EventRow,
    /// Attendees after the edit.
    pub attendees: Vec<AttendeeRow>,
    /// Attendees taken off the event: they get a cancellation.
    pub removed: Vec<AttendeeRow>,
    /// Attendees who were not invited before.
    pub added: Vec<AttendeeRow>,
    /// Whether anything attendees see changed (SEQUENCE was raised and an update goes out).
    pub sent: bool,
}

/// Saves an edit. A change attendees see (time, title, place, description, who comes) raises
/// SEQUENCE; a new time asks everyone to answer again. Call inside a write transaction.
pub fn update(conn: &mut DbConn, old: &EventRow, input: &EventInput) -> QueryResult<Updated> {
    let before = attendees(conn, &old.id)?;
    let removed: Vec<AttendeeRow> = before
        .iter()
        .filter(|a| !input.invitees.iter().any(|i| i.email == a.email))
        .cloned()
        .collect();
    let new: Vec<Invitee> = input
        .invitees
        .iter()
        .filter(|i| !before.iter().any(|a| a.email == i.email))
        .cloned()
        .collect();
    let moved = old.starts_at != input.starts_at || old.ends_at != input.ends_at;
    let sent = moved
        || old.title != input.title
        || old.location != input.location
        || old.description != input.description
        || !removed.is_empty()
        || !new.is_empty();
    // Raised in SQL, so two edits that race both count (PostgreSQL re-reads the row after the
    // first commits) and no two versions ever go out with the same SEQUENCE.
    let raise = i32::from(sent);
    diesel::update(office_events::table.find(&old.id))
        .set((
            office_events::title.eq(&input.title),
            office_events::description.eq(&input.description),
            office_events::location.eq(&input.location),
            office_events::starts_at.eq(input.starts_at),
            office_events::ends_at.eq(input.ends_at),
            office_events::department_id.eq(&input.department_id),
            office_events::sequence.eq(office_events::sequence + raise),
            office_events::updated_at.eq(now()),
        ))
        .execute(conn)?;
    for r in &removed {
        diesel::delete(office_event_attendees::table.find((&old.id, &r.email))).execute(conn)?;
    }
    insert_attendees(conn, &old.id, &new)?;
    if moved {
        diesel::update(
            office_event_attendees::table.filter(office_event_attendees::event_id.eq(&old.id)),
        )
        .set((
            office_event_attendees::partstat.eq("NEEDS-ACTION"),
            office_event_attendees::replied_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    }
    let after = attendees(conn, &old.id)?;
    let added = after
        .iter()
        .filter(|a| new.iter().any(|n| n.email == a.email))
        .cloned()
        .collect();
    Ok(Updated {
        event: find(conn, &old.id)?.expect("exists"),
        attendees: after,
        removed,
        added,
        sent,
    })
}

/// Cancels an event: STATUS cancelled and SEQUENCE raised, so the CANCEL supersedes every
/// REQUEST sent before. Call inside a write transaction.
pub fn cancel(conn: &mut DbConn, e: &EventRow) -> QueryResult<EventRow> {
    diesel::update(office_events::table.find(&e.id))
        .set((
            office_events::status.eq("cancelled"),
            office_events::sequence.eq(office_events::sequence + 1),
            office_events::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(find(conn, &e.id)?.expect("exists"))
}

/// Records an attendee's answer. Returns the attendee as stored, or `None` when the address is
/// not an attendee of the event.
pub fn set_partstat(
    conn: &mut DbConn,
    event_id: &str,
    email: &str,
    partstat: &str,
) -> QueryResult<Option<AttendeeRow>> {
    let email = email.trim().to_lowercase();
    let n = diesel::update(office_event_attendees::table.find((event_id, &email)))
        .set((
            office_event_attendees::partstat.eq(partstat),
            office_event_attendees::replied_at.eq(Some(now())),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    office_event_attendees::table
        .find((event_id, &email))
        .select(AttendeeRow::as_select())
        .first(conn)
        .optional()
}

/// What a calendar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Event,
    Task,
    Booking,
}

/// One entry of a calendar: an event, a task deadline or an appointment.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub kind: ItemKind,
    pub id: String,
    pub organisation_id: String,
    pub title: String,
    pub location: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    /// Equal to `starts_at` for a deadline.
    pub ends_at: NaiveDateTime,
    /// Whether this is a department event (shown as such).
    pub department: bool,
    /// For events and bookings: the UID base (events keep theirs).
    pub uid: Option<String>,
    pub sequence: i32,
}

/// The person's items in `[from, to)` in the given organisations (one office for the pages, all
/// of them for the feed), sorted by start. `limit` caps each kind, to keep the feed cheap.
pub fn items(
    conn: &mut DbConn,
    user_id: &str,
    org_ids: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Item>> {
    let departments: Vec<String> = memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::organisation_id.eq_any(org_ids))
        .select(memberships::department_id)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let attending = office_event_attendees::table
        .filter(office_event_attendees::user_id.eq(user_id))
        .select(office_event_attendees::event_id);
    let events: Vec<EventRow> = office_events::table
        .filter(office_events::organisation_id.eq_any(org_ids))
        .filter(office_events::status.ne("cancelled"))
        .filter(office_events::starts_at.lt(to))
        .filter(office_events::ends_at.gt(from))
        .filter(
            office_events::organiser_id
                .eq(user_id)
                .or(office_events::id.eq_any(attending))
                .or(office_events::department_id.eq_any(&departments)),
        )
        .order(office_events::starts_at.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    let mut out: Vec<Item> = events
        .into_iter()
        .map(|e| Item {
            kind: ItemKind::Event,
            department: e.department_id.is_some(),
            id: e.id,
            organisation_id: e.organisation_id,
            title: e.title,
            location: e.location,
            description: e.description,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            uid: Some(e.uid),
            sequence: e.sequence,
        })
        .collect();
    let tasks: Vec<(String, String, String, String, Option<NaiveDateTime>)> = office_tasks::table
        .filter(office_tasks::organisation_id.eq_any(org_ids))
        .filter(office_tasks::status.ne_all(["done", "cancelled"]))
        .filter(office_tasks::due_at.ge(from))
        .filter(office_tasks::due_at.lt(to))
        .filter(
            office_tasks::assignee_user_id
                .eq(user_id)
                .or(office_tasks::assignee_department_id.eq_any(&departments)),
        )
        .order(office_tasks::due_at.asc())
        .limit(limit)
        .select((
            office_tasks::id,
            office_tasks::organisation_id,
            office_tasks::title,
            office_tasks::description,
            office_tasks::due_at,
        ))
        .load(conn)?;
    out.extend(
        tasks
            .into_iter()
            .filter_map(|(id, org, title, description, due)| {
                let due = due?;
                Some(Item {
                    kind: ItemKind::Task,
                    id,
                    organisation_id: org,
                    title,
                    location: String::new(),
                    description,
                    starts_at: due,
                    ends_at: due,
                    department: false,
                    uid: None,
                    sequence: 0,
                })
            }),
    );
    type BookingTuple = (
        String,
        String,
        String,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        i32,
    );
    let bookings: Vec<BookingTuple> = office_bookings::table
        .inner_join(office_matters::table)
        .filter(office_bookings::organisation_id.eq_any(org_ids))
        .filter(office_bookings::official_id.eq(user_id))
        .filter(office_bookings::status.eq_any(["booked", "done", "no_show"]))
        .filter(office_bookings::starts_at.lt(to))
        .filter(office_bookings::ends_at.gt(from))
        .order(office_bookings::starts_at.asc())
        .limit(limit)
        .select((
            office_bookings::id,
            office_bookings::organisation_id,
            office_matters::name,
            office_bookings::citizen_name,
            office_matters::location,
            office_bookings::starts_at,
            office_bookings::ends_at,
            office_bookings::sequence,
        ))
        .load(conn)?;
    out.extend(bookings.into_iter().map(
        |(id, org, matter, citizen, location, starts_at, ends_at, sequence)| Item {
            kind: ItemKind::Booking,
            id,
            organisation_id: org,
            title: format!("{matter} — {citizen}"),
            location,
            description: String::new(),
            starts_at,
            ends_at,
            department: false,
            uid: None,
            sequence,
        },
    ));
    out.sort_by(|a, b| (a.starts_at, a.ends_at, &a.title).cmp(&(b.starts_at, b.ends_at, &b.title)));
    Ok(out)
}

/// How long a deadline lasts in a feed: Outlook reads short VEVENTs best.
pub fn deadline_length() -> Duration {
    Duration::minutes(15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_host_is_the_host_name() {
        assert_eq!(
            uid_host("https://Urzad.example.pl/portal"),
            "urzad.example.pl"
        );
        assert_eq!(uid_host("http://localhost:8080"), "localhost");
        assert_eq!(uid_host(""), "szpon.invalid");
    }
}
