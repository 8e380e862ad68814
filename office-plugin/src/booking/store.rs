//! Matters, availability and bookings in the database.
//!
//! Double booking is prevented by the database, not by a check before the insert: a live booking
//! holds one `office_booking_cells` row per 5-minute cell of its time widened by its buffers
//! (primary key official + cell), and one `office_booking_seats` row per daily cap it counts
//! towards (primary key scope + day + seat). Two transactions racing for overlapping time or for
//! the last seat collide on a key; the loser tries the next official free for the slot inside a
//! savepoint, so its transaction survives the failed insert on PostgreSQL too.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DbErr};
use platform::access::Role;
use platform::db::DbConn;
use platform::i18n::Lang;
use platform::models::{new_id, now};
use serde::{Deserialize, Serialize};

use super::slots::{self, Busy, BusyKind, Exception, Hours, Rules, Slot, SlotRefusal};
use crate::page::colleagues;
use crate::schema::{
    office_availability, office_booking_cells, office_booking_seats, office_bookings,
    office_event_attendees, office_events, office_matter_handlers, office_matters, office_settings,
};

/// The size of a cell: every duration, buffer, step and hour boundary is a multiple of it.
pub const CELL_MIN: i64 = 5;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = office_matters)]
pub struct Matter {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub description: String,
    pub documents: String,
    pub mode: String,
    pub location: String,
    pub duration_min: i32,
    pub buffer_before_min: i32,
    pub buffer_after_min: i32,
    pub step_min: Option<i32>,
    pub min_notice_min: i32,
    pub window_days: i32,
    pub cap_per_day: Option<i32>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Matter {
    pub fn is_online(&self) -> bool {
        self.mode == "online"
    }

    /// The documents to bring, one per non-empty line.
    pub fn document_list(&self) -> Vec<String> {
        self.documents
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = office_bookings)]
pub struct Booking {
    pub id: String,
    pub organisation_id: String,
    pub matter_id: String,
    pub official_id: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub buffer_before_min: i32,
    pub buffer_after_min: i32,
    pub local_day: String,
    pub mode: String,
    pub citizen_name: String,
    pub citizen_email: String,
    pub citizen_phone: Option<String>,
    pub note: String,
    pub status: String,
    pub sequence: i32,
    pub link_version: i32,
    pub cancel_reason: Option<String>,
    pub cancelled_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    /// The citizen's language code, for emails the office starts.
    pub lang: String,
}

impl Booking {
    pub fn is_live(&self) -> bool {
        self.status == "booked"
    }

    /// The language the citizen booked in.
    pub fn language(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or(Lang::Pl)
    }
}

/// The fields of a matter an administrator edits.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MatterInput {
    pub name: String,
    pub description: String,
    pub documents: String,
    pub mode: String,
    pub location: String,
    pub duration_min: i32,
    pub buffer_before_min: i32,
    pub buffer_after_min: i32,
    pub step_min: Option<i32>,
    pub min_notice_min: i32,
    pub window_days: i32,
    pub cap_per_day: Option<i32>,
    /// Official user ids and department ids that handle it.
    pub officials: Vec<String>,
    pub departments: Vec<String>,
}

pub fn matters(conn: &mut DbConn, org_id: &str, active_only: bool) -> QueryResult<Vec<Matter>> {
    let mut q = office_matters::table
        .filter(office_matters::organisation_id.eq(org_id))
        .into_boxed();
    if active_only {
        q = q.filter(office_matters::active.eq(true));
    }
    q.order(office_matters::name.asc())
        .select(Matter::as_select())
        .load(conn)
}

/// The matter, if it belongs to the organisation.
pub fn matter(conn: &mut DbConn, org_id: &str, id: &str) -> QueryResult<Option<Matter>> {
    office_matters::table
        .find(id)
        .filter(office_matters::organisation_id.eq(org_id))
        .select(Matter::as_select())
        .first(conn)
        .optional()
}

/// (official ids, department ids) named as handlers.
pub fn handler_ids(conn: &mut DbConn, matter_id: &str) -> QueryResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(Option<String>, Option<String>)> = office_matter_handlers::table
        .filter(office_matter_handlers::matter_id.eq(matter_id))
        .select((
            office_matter_handlers::user_id,
            office_matter_handlers::department_id,
        ))
        .load(conn)?;
    Ok((
        rows.iter().filter_map(|r| r.0.clone()).collect(),
        rows.iter().filter_map(|r| r.1.clone()).collect(),
    ))
}

/// Everyone who handles a matter now: named officials and the officials of named departments,
/// as long as they still work in the office. Sorted, each once.
pub fn handlers(conn: &mut DbConn, m: &Matter) -> QueryResult<Vec<String>> {
    let (users, departments) = handler_ids(conn, &m.id)?;
    let mut out: Vec<String> = colleagues(conn, &m.organisation_id)?
        .into_iter()
        .filter(|c| {
            users.contains(&c.user_id)
                || c.department_id
                    .as_ref()
                    .is_some_and(|d| departments.contains(d))
        })
        .map(|c| c.user_id)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

pub fn save_matter(
    conn: &mut DbConn,
    org_id: &str,
    id: Option<&str>,
    input: &MatterInput,
) -> QueryResult<String> {
    let t = now();
    let id = match id {
        Some(id) => {
            diesel::update(office_matters::table.find(id))
                .set((
                    office_matters::name.eq(&input.name),
                    office_matters::description.eq(&input.description),
                    office_matters::documents.eq(&input.documents),
                    office_matters::mode.eq(&input.mode),
                    office_matters::location.eq(&input.location),
                    office_matters::duration_min.eq(input.duration_min),
                    office_matters::buffer_before_min.eq(input.buffer_before_min),
                    office_matters::buffer_after_min.eq(input.buffer_after_min),
                    office_matters::step_min.eq(input.step_min),
                    office_matters::min_notice_min.eq(input.min_notice_min),
                    office_matters::window_days.eq(input.window_days),
                    office_matters::cap_per_day.eq(input.cap_per_day),
                    office_matters::updated_at.eq(t),
                ))
                .execute(conn)?;
            id.to_string()
        }
        None => {
            let id = new_id();
            diesel::insert_into(office_matters::table)
                .values((
                    office_matters::id.eq(&id),
                    office_matters::organisation_id.eq(org_id),
                    office_matters::name.eq(&input.name),
                    office_matters::description.eq(&input.description),
                    office_matters::documents.eq(&input.documents),
                    office_matters::mode.eq(&input.mode),
                    office_matters::location.eq(&input.location),
                    office_matters::duration_min.eq(input.duration_min),
                    office_matters::buffer_before_min.eq(input.buffer_before_min),
                    office_matters::buffer_after_min.eq(input.buffer_after_min),
                    office_matters::step_min.eq(input.step_min),
                    office_matters::min_notice_min.eq(input.min_notice_min),
                    office_matters::window_days.eq(input.window_days),
                    office_matters::cap_per_day.eq(input.cap_per_day),
                    office_matters::active.eq(true),
                    office_matters::created_at.eq(t),
                    office_matters::updated_at.eq(t),
                ))
                .execute(conn)?;
            id
        }
    };
    diesel::delete(office_matter_handlers::table.filter(office_matter_handlers::matter_id.eq(&id)))
        .execute(conn)?;
    for u in &input.officials {
        diesel::insert_into(office_matter_handlers::table)
            .values((
                office_matter_handlers::id.eq(new_id()),
                office_matter_handlers::matter_id.eq(&id),
                office_matter_handlers::user_id.eq(Some(u)),
            ))
            .execute(conn)?;
    }
    for d in &input.departments {
        diesel::insert_into(office_matter_handlers::table)
            .values((
                office_matter_handlers::id.eq(new_id()),
                office_matter_handlers::matter_id.eq(&id),
                office_matter_handlers::department_id.eq(Some(d)),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

pub fn set_matter_active(conn: &mut DbConn, id: &str, active: bool) -> QueryResult<usize> {
    diesel::update(office_matters::table.find(id))
        .set((
            office_matters::active.eq(active),
            office_matters::updated_at.eq(now()),
        ))
        .execute(conn)
}

pub fn public_booking_enabled(conn: &mut DbConn, org_id: &str) -> QueryResult<bool> {
    Ok(office_settings::table
        .find(org_id)
        .select(office_settings::public_booking_enabled)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

pub fn set_public_booking(conn: &mut DbConn, org_id: &str, on: bool) -> QueryResult<()> {
    let row = (
        office_settings::organisation_id.eq(org_id),
        office_settings::public_booking_enabled.eq(on),
        office_settings::updated_at.eq(now()),
    );
    let updated = diesel::update(office_settings::table.find(org_id))
        .set((
            office_settings::public_booking_enabled.eq(on),
            office_settings::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(office_settings::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Availability

/// An official's availability as stored: weekly hours (Monday first), exceptions, daily cap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Availability {
    pub weekly: [Vec<Hours>; 7],
    pub exceptions: Vec<Exception>,
    pub cap_per_day: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StoredException {
    Off {
        off: [String; 2],
    },
    Hours {
        date: String,
        hours: Vec<[String; 2]>,
    },
}

fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn parse_hm(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    if s == "24:00" {
        return Some(NaiveTime::MIN);
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn stored_hours(h: &[Hours]) -> Vec<[String; 2]> {
    h.iter().map(|h| [hm(h.start), hm(h.end)]).collect()
}

fn hours_of(v: &[[String; 2]]) -> Vec<Hours> {
    v.iter()
        .filter_map(|[a, b]| {
            Some(Hours {
                start: parse_hm(a)?,
                end: parse_hm(b)?,
            })
        })
        .collect()
}

pub fn availability(
    conn: &mut DbConn,
    org_id: &str,
    official: &str,
) -> QueryResult<Option<Availability>> {
    let row: Option<(String, String, Option<i32>)> = office_availability::table
        .find((org_id, official))
        .select((
            office_availability::weekly,
            office_availability::exceptions,
            office_availability::cap_per_day,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(weekly, exceptions, cap)| {
        let days: Vec<Vec<[String; 2]>> = serde_json::from_str(&weekly).unwrap_or_default();
        let mut a = Availability {
            cap_per_day: cap.and_then(|c| u32::try_from(c).ok()),
            ..Default::default()
        };
        for (i, d) in days.iter().take(7).enumerate() {
            a.weekly[i] = hours_of(d);
        }
        let stored: Vec<StoredException> = serde_json::from_str(&exceptions).unwrap_or_default();
        a.exceptions = stored
            .into_iter()
            .filter_map(|e| match e {
                StoredException::Off { off: [f, t] } => Some(Exception::Off {
                    from: parse_day(&f)?,
                    to: parse_day(&t)?,
                }),
                StoredException::Hours { date, hours } => Some(Exception::Hours {
                    date: parse_day(&date)?,
                    hours: hours_of(&hours),
                }),
            })
            .collect();
        a
    }))
}

pub fn save_availability(
    conn: &mut DbConn,
    org_id: &str,
    official: &str,
    a: &Availability,
) -> QueryResult<()> {
    let weekly: Vec<Vec<[String; 2]>> = a.weekly.iter().map(|h| stored_hours(h)).collect();
    let exceptions: Vec<StoredException> = a
        .exceptions
        .iter()
        .map(|e| match e {
            Exception::Off { from, to } => StoredException::Off {
                off: [from.to_string(), to.to_string()],
            },
            Exception::Hours { date, hours } => StoredException::Hours {
                date: date.to_string(),
                hours: stored_hours(hours),
            },
        })
        .collect();
    let weekly = serde_json::to_string(&weekly).expect("strings serialise");
    let exceptions = serde_json::to_string(&exceptions).expect("strings serialise");
    let cap = a.cap_per_day.map(|c| c as i32);
    diesel::delete(office_availability::table.find((org_id, official))).execute(conn)?;
    diesel::insert_into(office_availability::table)
        .values((
            office_availability::organisation_id.eq(org_id),
            office_availability::official_id.eq(official),
            office_availability::weekly.eq(weekly),
            office_availability::exceptions.eq(exceptions),
            office_availability::cap_per_day.eq(cap),
            office_availability::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// "08:00-12:00, 13:00-16:00" (empty: no hours). Boundaries on the 5-minute grid.
pub fn parse_ranges(s: &str) -> Result<Vec<Hours>, &'static str> {
    let mut out = Vec::new();
    for part in s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part
            .split_once(['-', '–'])
            .ok_or("booking-error-hours-format")?;
        let (start, end) = (
            parse_hm(a).ok_or("booking-error-hours-format")?,
            parse_hm(b).ok_or("booking-error-hours-format")?,
        );
        if start.minute_of_day() % 5 != 0 || end.minute_of_day() % 5 != 0 {
            return Err("booking-error-multiple-of-5");
        }
        if end != NaiveTime::MIN && end <= start {
            return Err("booking-error-hours-order");
        }
        out.push(Hours { start, end });
    }
    Ok(out)
}

trait MinuteOfDay {
    fn minute_of_day(&self) -> u32;
}

impl MinuteOfDay for NaiveTime {
    fn minute_of_day(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

pub fn format_ranges(h: &[Hours]) -> String {
    h.iter()
        .map(|h| {
            let end = if h.end == NaiveTime::MIN {
                "24:00".to_string()
            } else {
                hm(h.end)
            };
            format!("{}-{}", hm(h.start), end)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One exception per line: `2026-12-24` (a day off), `2026-12-24 2026-12-31` (days off, both
/// included) or `2026-12-24 08:00-12:00` (changed hours that day).
pub fn parse_exceptions(s: &str) -> Result<Vec<Exception>, &'static str> {
    let mut out = Vec::new();
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (first, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let date = parse_day(first).ok_or("booking-error-exception-format")?;
        let rest = rest.trim();
        if rest.is_empty() {
            out.push(Exception::Off {
                from: date,
                to: date,
            });
        } else if let Some(to) = parse_day(rest.trim_start_matches(['-', '–']).trim()) {
            if to < date {
                return Err("booking-error-exception-format");
            }
            out.push(Exception::Off { from: date, to });
        } else {
            out.push(Exception::Hours {
                date,
                hours: parse_ranges(rest)?,
            });
        }
    }
    Ok(out)
}

pub fn format_exceptions(e: &[Exception]) -> String {
    e.iter()
        .map(|e| match e {
            Exception::Off { from, to } if from == to => from.to_string(),
            Exception::Off { from, to } => format!("{from} {to}"),
            Exception::Hours { date, hours } => format!("{date} {}", format_ranges(hours)),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// Slots

/// The slot rules of one official for one matter.
pub fn rules_for(m: &Matter, a: &Availability) -> Rules {
    let u = |v: i32| u32::try_from(v).unwrap_or(0);
    Rules {
        matter: m.id.clone(),
        weekly: a.weekly.clone(),
        exceptions: a.exceptions.clone(),
        duration_min: u(m.duration_min),
        buffer_before_min: u(m.buffer_before_min),
        buffer_after_min: u(m.buffer_after_min),
        step_min: m.step_min.map(u),
        min_notice_min: u(m.min_notice_min),
        window_days: u(m.window_days),
        cap_official: a.cap_per_day,
        cap_matter: m.cap_per_day.map(u),
    }
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// What stands in an official's way between `from` and `to` (UTC) for a matter: their live
/// bookings, the live bookings of the matter with others (for the matter's cap), and their
/// confirmed calendar events. `except` leaves out one booking (the one being moved).
pub fn busy_for(
    conn: &mut DbConn,
    official: &str,
    matter_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    except: Option<&str>,
) -> QueryResult<Vec<Busy>> {
    let rows: Vec<(
        String,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        i32,
        i32,
    )> = office_bookings::table
        .filter(office_bookings::status.eq("booked"))
        .filter(
            office_bookings::official_id
                .eq(official)
                .or(office_bookings::matter_id.eq(matter_id)),
        )
        .filter(office_bookings::starts_at.lt(to))
        .filter(office_bookings::ends_at.gt(from))
        .select((
            office_bookings::id,
            office_bookings::official_id,
            office_bookings::matter_id,
            office_bookings::starts_at,
            office_bookings::ends_at,
            office_bookings::buffer_before_min,
            office_bookings::buffer_after_min,
        ))
        .load(conn)?;
    let mut busy: Vec<Busy> = rows
        .into_iter()
        .filter(|r| Some(r.0.as_str()) != except)
        .map(|(_, who, matter, s, e, bb, ba)| Busy {
            start: utc(s),
            end: utc(e),
            buffer_before_min: u32::try_from(bb).unwrap_or(0),
            buffer_after_min: u32::try_from(ba).unwrap_or(0),
            kind: if who == official {
                BusyKind::Booking { matter }
            } else {
                BusyKind::Elsewhere { matter }
            },
        })
        .collect();
    let attending = office_event_attendees::table
        .filter(office_event_attendees::user_id.eq(official))
        .select(office_event_attendees::event_id);
    let events: Vec<(NaiveDateTime, NaiveDateTime)> = office_events::table
        .filter(office_events::status.eq("confirmed"))
        .filter(
            office_events::organiser_id
                .eq(official)
                .or(office_events::id.eq_any(attending)),
        )
        .filter(office_events::starts_at.lt(to))
        .filter(office_events::ends_at.gt(from))
        .select((office_events::starts_at, office_events::ends_at))
        .load(conn)?;
    busy.extend(events.into_iter().map(|(s, e)| Busy {
        start: utc(s),
        end: utc(e),
        buffer_before_min: 0,
        buffer_after_min: 0,
        kind: BusyKind::Event,
    }));
    Ok(busy)
}

/// The UTC range that covers local dates `from..=to` with a day's margin (buffers, caps).
fn span(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (
        slots::instant(from, NaiveTime::MIN).naive_utc() - Duration::days(1),
        slots::instant(to, NaiveTime::MIN).naive_utc() + Duration::days(2),
    )
}

/// Free slots of a matter over all its handlers, with who is free for each, sorted by start.
pub fn free_slots(
    conn: &mut DbConn,
    m: &Matter,
    now: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
    except: Option<&str>,
) -> QueryResult<Vec<(Slot, Vec<String>)>> {
    let (a, b) = span(from, to);
    let mut all: std::collections::BTreeMap<Slot, Vec<String>> = Default::default();
    for official in handlers(conn, m)? {
        let Some(avail) = availability(conn, &m.organisation_id, &official)? else {
            continue;
        };
        let rules = rules_for(m, &avail);
        let busy = busy_for(conn, &official, &m.id, a, b, except)?;
        for s in slots::free_slots(&rules, &busy, now, from, to) {
            all.entry(s).or_default().push(official.clone());
        }
    }
    Ok(all.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Booking

/// Who is booking, and what they told us.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub note: String,
    /// The language of the pages they booked on; their emails follow it.
    pub lang: Lang,
}

/// Why a booking (or a move) did not happen.
#[derive(Debug)]
pub enum BookError {
    /// Nobody can take this slot; the reason from the last official tried.
    Refused(SlotRefusal),
    Db(DbErr),
}

impl From<DbErr> for BookError {
    fn from(e: DbErr) -> Self {
        BookError::Db(e)
    }
}

fn is_unique(e: &DbErr) -> bool {
    matches!(
        e,
        DbErr::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Runs `f` in a savepoint of the caller's write transaction: on error only `f`'s writes are
/// undone and the transaction goes on (PostgreSQL aborts the whole transaction on a failed
/// insert otherwise). SQLite's write transactions are opened by hand (`BEGIN IMMEDIATE`), so
/// Diesel does not know of them and its nested transaction would try `BEGIN` again.
fn savepoint<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> QueryResult<T>,
) -> QueryResult<T> {
    match conn {
        DbConn::Postgres(_) => conn.transaction(f),
        DbConn::Sqlite(_) => {
            diesel::sql_query("SAVEPOINT booking_try").execute(conn)?;
            match f(conn) {
                Ok(v) => {
                    diesel::sql_query("RELEASE booking_try").execute(conn)?;
                    Ok(v)
                }
                Err(e) => {
                    diesel::sql_query("ROLLBACK TO booking_try").execute(conn)?;
                    diesel::sql_query("RELEASE booking_try").execute(conn)?;
                    Err(e)
                }
            }
        }
    }
}

/// The 5-minute cells an appointment holds: its time widened by its buffers.
pub fn cells(
    start: NaiveDateTime,
    end: NaiveDateTime,
    before: i32,
    after: i32,
) -> Vec<NaiveDateTime> {
    let mut t = start - Duration::minutes(i64::from(before));
    let to = end + Duration::minutes(i64::from(after));
    let mut out = Vec::new();
    while t < to {
        out.push(t);
        t += Duration::minutes(CELL_MIN);
    }
    out
}

/// Takes the cells and the cap seats of a booking row already written (inside a savepoint).
fn hold(
    conn: &mut DbConn,
    b: &Booking,
    cap_official: Option<u32>,
    cap_matter: Option<i32>,
) -> QueryResult<()> {
    let rows: Vec<_> = cells(
        b.starts_at,
        b.ends_at,
        b.buffer_before_min,
        b.buffer_after_min,
    )
    .into_iter()
    .map(|c| {
        (
            office_booking_cells::official_id.eq(b.official_id.clone()),
            office_booking_cells::cell_start.eq(c),
            office_booking_cells::booking_id.eq(b.id.clone()),
        )
    })
    .collect();
    platform::with_backend!(conn, |c| diesel::insert_into(office_booking_cells::table)
        .values(rows.clone())
        .execute(c))?;
    let caps = [
        (
            format!("official:{}", b.official_id),
            cap_official.map(|c| c as i32),
        ),
        (format!("matter:{}", b.matter_id), cap_matter),
    ];
    for (scope, cap) in caps {
        let Some(cap) = cap else { continue };
        let taken: Vec<i32> = office_booking_seats::table
            .filter(office_booking_seats::scope.eq(&scope))
            .filter(office_booking_seats::local_day.eq(&b.local_day))
            .select(office_booking_seats::n)
            .load(conn)?;
        // No free seat: say it as the key collision a racing booking would cause.
        let n = (1..=cap).find(|n| !taken.contains(n)).ok_or_else(|| {
            DbErr::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                Box::new(String::from("no free seat")),
            )
        })?;
        diesel::insert_into(office_booking_seats::table)
            .values((
                office_booking_seats::scope.eq(&scope),
                office_booking_seats::local_day.eq(&b.local_day),
                office_booking_seats::n.eq(n),
                office_booking_seats::booking_id.eq(&b.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn release(conn: &mut DbConn, booking_id: &str) -> QueryResult<()> {
    diesel::delete(
        office_booking_cells::table.filter(office_booking_cells::booking_id.eq(booking_id)),
    )
    .execute(conn)?;
    diesel::delete(
        office_booking_seats::table.filter(office_booking_seats::booking_id.eq(booking_id)),
    )
    .execute(conn)?;
    Ok(())
}

pub fn load_booking(conn: &mut DbConn, id: &str) -> QueryResult<Option<Booking>> {
    office_bookings::table
        .find(id)
        .select(Booking::as_select())
        .first(conn)
        .optional()
}

/// The officials to try for a slot, `first` (if any) ahead of the rest, the rest by how many
/// live bookings they have that day, fewest first, so work spreads.
fn order_handlers(
    conn: &mut DbConn,
    mut officials: Vec<String>,
    day: &str,
    first: Option<&str>,
) -> QueryResult<Vec<String>> {
    let mut load = Vec::new();
    for o in &officials {
        let n: i64 = office_bookings::table
            .filter(office_bookings::official_id.eq(o))
            .filter(office_bookings::local_day.eq(day))
            .filter(office_bookings::status.eq("booked"))
            .count()
            .get_result(conn)?;
        load.push((o.clone(), n));
    }
    officials.sort_by_key(|o| {
        let n = load.iter().find(|l| &l.0 == o).map(|l| l.1).unwrap_or(0);
        (Some(o.as_str()) != first, n, o.clone())
    });
    Ok(officials)
}

/// Places an appointment of matter `m` at `start` with the first official who can take it,
/// writing `row` (a new booking, or the moved one) and holding its cells and seats. Must run
/// inside a write transaction. Tries each official three times when a racing booking took a
/// seat it wanted (a different free seat may remain).
fn place(
    conn: &mut DbConn,
    m: &Matter,
    start: DateTime<Utc>,
    first: Option<&str>,
    except: Option<&str>,
    mut write: impl FnMut(&mut DbConn, &str, &Slot) -> QueryResult<Booking>,
) -> Result<Booking, BookError> {
    let now = Utc::now();
    let day = slots::local_date(start);
    let (a, b) = span(day, day);
    let mut reason = SlotRefusal::OutsideHours;
    let all = handlers(conn, m)?;
    let officials = order_handlers(conn, all, &day.to_string(), first)?;
    for official in officials {
        let Some(avail) = availability(conn, &m.organisation_id, &official)? else {
            continue;
        };
        let rules = rules_for(m, &avail);
        for _ in 0..3 {
            let busy = busy_for(conn, &official, &m.id, a, b, except)?;
            let slot = match slots::check_slot(&rules, &busy, now, start) {
                Ok(s) => s,
                Err(why) => {
                    reason = why;
                    break;
                }
            };
            match savepoint(conn, |conn| {
                let booking = write(conn, &official, &slot)?;
                hold(conn, &booking, rules.cap_official, m.cap_per_day)?;
                Ok(booking)
            }) {
                Ok(b) => return Ok(b),
                Err(e) if is_unique(&e) => reason = SlotRefusal::Taken,
                Err(e) => return Err(e.into()),
            }
        }
    }
    Err(BookError::Refused(reason))
}

/// Books an appointment. Runs its own write transaction; `f` runs in it once the booking holds
/// its time (the official's notice).
pub fn book(
    conn: &mut DbConn,
    m: &Matter,
    start: DateTime<Utc>,
    citizen: &Citizen,
    f: impl FnOnce(&mut DbConn, &Booking) -> QueryResult<()>,
) -> Result<Booking, BookError> {
    platform::db::write_transaction(conn, |conn| {
        let id = new_id();
        let booking = place(conn, m, start, None, None, |conn, official, slot| {
            let t = now();
            diesel::insert_into(office_bookings::table)
                .values((
                    office_bookings::id.eq(&id),
                    office_bookings::organisation_id.eq(&m.organisation_id),
                    office_bookings::matter_id.eq(&m.id),
                    office_bookings::official_id.eq(official),
                    office_bookings::starts_at.eq(slot.start.naive_utc()),
                    office_bookings::ends_at.eq(slot.end.naive_utc()),
                    office_bookings::buffer_before_min.eq(m.buffer_before_min),
                    office_bookings::buffer_after_min.eq(m.buffer_after_min),
                    office_bookings::local_day.eq(slots::local_date(slot.start).to_string()),
                    office_bookings::mode.eq(&m.mode),
                    office_bookings::citizen_name.eq(&citizen.name),
                    office_bookings::citizen_email.eq(&citizen.email),
                    office_bookings::citizen_phone.eq(&citizen.phone),
                    office_bookings::note.eq(&citizen.note),
                    office_bookings::status.eq("booked"),
                    office_bookings::lang.eq(citizen.lang.code()),
                    office_bookings::created_at.eq(t),
                    office_bookings::updated_at.eq(t),
                ))
                .execute(conn)?;
            office_bookings::table
                .find(&id)
                .select(Booking::as_select())
                .first(conn)
        })?;
        f(conn, &booking)?;
        Ok(booking)
    })
}

/// Moves a live booking to another slot of its matter (preferring its official), raising the
/// SEQUENCE. Old cells and seats go and new ones come in the same transaction, so a failed move
/// leaves the booking where it was. `f` runs in the transaction after the move (notices).
pub fn reschedule(
    conn: &mut DbConn,
    m: &Matter,
    booking_id: &str,
    start: DateTime<Utc>,
    f: impl FnOnce(&mut DbConn, &Booking, &Booking) -> QueryResult<()>,
) -> Result<Booking, BookError> {
    platform::db::write_transaction(conn, |conn| {
        let old = load_booking(conn, booking_id)?.ok_or(BookError::Db(DbErr::NotFound))?;
        if !old.is_live() {
            return Err(BookError::Db(DbErr::NotFound));
        }
        release(conn, &old.id)?;
        let moved = place(
            conn,
            m,
            start,
            Some(&old.official_id),
            Some(&old.id),
            |conn, official, slot| {
                diesel::update(office_bookings::table.find(&old.id))
                    .set((
                        office_bookings::official_id.eq(official),
                        office_bookings::starts_at.eq(slot.start.naive_utc()),
                        office_bookings::ends_at.eq(slot.end.naive_utc()),
                        office_bookings::buffer_before_min.eq(m.buffer_before_min),
                        office_bookings::buffer_after_min.eq(m.buffer_after_min),
                        office_bookings::local_day.eq(slots::local_date(slot.start).to_string()),
                        office_bookings::sequence.eq(old.sequence + 1),
                        office_bookings::updated_at.eq(now()),
                    ))
                    .execute(conn)?;
                office_bookings::table
                    .find(&old.id)
                    .select(Booking::as_select())
                    .first(conn)
            },
        )?;
        f(conn, &old, &moved)?;
        Ok(moved)
    })
}

/// Cancels a live booking: frees its cells and seats, revokes its links and raises the
/// SEQUENCE for the CANCEL message. `by` is `citizen` or `official`. `None` when it was not
/// live (already cancelled: a second click changes nothing).
pub fn cancel(
    conn: &mut DbConn,
    booking_id: &str,
    by: &str,
    reason: Option<&str>,
    f: impl FnOnce(&mut DbConn, &Booking) -> QueryResult<()>,
) -> QueryResult<Option<Booking>> {
    platform::db::write_transaction(conn, |conn| {
        let t = now();
        let n = diesel::update(
            office_bookings::table
                .find(booking_id)
                .filter(office_bookings::status.eq("booked")),
        )
        .set((
            office_bookings::status.eq("cancelled"),
            office_bookings::cancelled_by.eq(by),
            office_bookings::cancel_reason.eq(reason),
            office_bookings::cancelled_at.eq(Some(t)),
            office_bookings::sequence.eq(office_bookings::sequence + 1),
            office_bookings::link_version.eq(office_bookings::link_version + 1),
            office_bookings::updated_at.eq(t),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        release(conn, booking_id)?;
        let b = load_booking(conn, booking_id)?.ok_or(DbErr::NotFound)?;
        f(conn, &b)?;
        Ok(Some(b))
    })
}

/// Marks a live booking `done` or `no_show`; its cells and seats stay (the time was used).
pub fn mark(conn: &mut DbConn, booking_id: &str, status: &str) -> QueryResult<bool> {
    debug_assert!(matches!(status, "done" | "no_show"));
    platform::db::write_transaction(conn, |conn| {
        let n = diesel::update(
            office_bookings::table
                .find(booking_id)
                .filter(office_bookings::status.eq_any(["booked", "done", "no_show"])),
        )
        .set((
            office_bookings::status.eq(status),
            office_bookings::updated_at.eq(now()),
        ))
        .execute(conn)?;
        Ok(n > 0)
    })
}

/// Bookings of an office from `from` on, of one official or everyone, soonest first.
pub fn bookings_of(
    conn: &mut DbConn,
    org_id: &str,
    official: Option<&str>,
    from: NaiveDateTime,
) -> QueryResult<Vec<Booking>> {
    let mut q = office_bookings::table
        .filter(office_bookings::organisation_id.eq(org_id))
        .filter(office_bookings::ends_at.ge(from))
        .into_boxed();
    if let Some(o) = official {
        q = q.filter(office_bookings::official_id.eq(o));
    }
    q.order(office_bookings::starts_at.asc())
        .select(Booking::as_select())
        .load(conn)
}

/// Whether someone is an official or administrator of the office (may handle bookings).
pub fn is_colleague(conn: &mut DbConn, org_id: &str, user_id: &str) -> QueryResult<bool> {
    Ok(colleagues(conn, org_id)?.iter().any(|c| {
        c.user_id == user_id
            && c.roles
                .iter()
                .any(|r| matches!(r, Role::Official | Role::Administrator))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn ranges_parse_and_print_back() {
        let h = parse_ranges("08:00-12:00, 13:00 - 16:30").unwrap();
        assert_eq!(
            h,
            vec![
                Hours {
                    start: t(8, 0),
                    end: t(12, 0)
                },
                Hours {
                    start: t(13, 0),
                    end: t(16, 30)
                }
            ]
        );
        assert_eq!(format_ranges(&h), "08:00-12:00, 13:00-16:30");
        assert_eq!(parse_ranges("").unwrap(), vec![]);
        assert_eq!(parse_ranges("22:00-24:00").unwrap()[0].end, NaiveTime::MIN);
        assert_eq!(
            parse_ranges("08:03-12:00"),
            Err("booking-error-multiple-of-5")
        );
        assert_eq!(
            parse_ranges("12:00-08:00"),
            Err("booking-error-hours-order")
        );
        assert_eq!(parse_ranges("rano"), Err("booking-error-hours-format"));
    }

    #[test]
    fn exceptions_parse_and_print_back() {
        let text = "2026-12-24 08:00-12:00\n2026-12-25 2026-12-26\n2027-01-06";
        let e = parse_exceptions(text).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(format_exceptions(&e), text);
        assert!(parse_exceptions("24.12.2026").is_err());
        assert!(parse_exceptions("2026-12-26 2026-12-25").is_err());
    }

    #[test]
    fn cells_cover_the_buffers_in_five_minute_steps() {
        let s = NaiveDate::from_ymd_opt(2026, 1, 12)
            .unwrap()
            .and_time(t(9, 0));
        let c = cells(s, s + Duration::minutes(30), 10, 5);
        assert_eq!(c.len(), 9);
        assert_eq!(c[0], s - Duration::minutes(10));
        assert_eq!(*c.last().unwrap(), s + Duration::minutes(30));
    }
}
