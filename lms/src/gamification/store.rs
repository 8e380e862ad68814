//! Gamification state in the database: the points ledger, activity days, badges and leaderboard
//! memberships. Every award is an `INSERT … ON CONFLICT DO NOTHING` on a natural key, so it
//! happens once however often (or however concurrently) it is attempted.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use platform::db::DbConn;
use platform::models::now;
use serde::Serialize;

diesel::table! {
    gam_points (learner_id, course_id, event_key) {
        learner_id -> Text,
        course_id -> Text,
        event_key -> Text,
        points -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    gam_activity (learner_id, course_id, day) {
        learner_id -> Text,
        course_id -> Text,
        day -> Text,
    }
}

diesel::table! {
    gam_badges (id) {
        id -> Text,
        learner_id -> Text,
        course_id -> Text,
        badge_key -> Text,
        kind -> Text,
        subject -> Text,
        course_title -> Text,
        organisation -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    gam_leaderboard (course_id, user_id) {
        course_id -> Text,
        user_id -> Text,
        pseudonym -> Text,
        show_name -> Bool,
        joined_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    gam_points,
    gam_activity,
    gam_badges,
    gam_leaderboard
);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = gam_points)]
pub struct PointsEvent {
    pub learner_id: String,
    pub course_id: String,
    pub event_key: String,
    pub points: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = gam_badges)]
pub struct Badge {
    pub id: String,
    pub learner_id: String,
    pub course_id: String,
    /// Unique per learner and course: `chapter:ID`, `streak:N`, `first-time`, `course`.
    pub badge_key: String,
    /// One of the `KIND_*` constants.
    pub kind: String,
    /// The chapter's title for chapter badges, the number of days for streaks, else empty.
    pub subject: String,
    pub course_title: String,
    pub organisation: String,
    pub created_at: NaiveDateTime,
}

pub const KIND_CHAPTER: &str = "chapter";
pub const KIND_STREAK: &str = "streak";
pub const KIND_FIRST_TIME: &str = "first-time";
pub const KIND_COURSE: &str = "course";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = gam_leaderboard)]
pub struct Membership {
    pub course_id: String,
    pub user_id: String,
    pub pseudonym: String,
    pub show_name: bool,
    pub joined_at: NaiveDateTime,
}

/// A new public badge id: 32 lowercase hex digits (random, so ids cannot be enumerated).
pub fn new_badge_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub fn is_badge_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Records points for an event once. Returns whether this call awarded them.
pub fn award_points(
    conn: &mut DbConn,
    learner: &str,
    course_id: &str,
    event_key: &str,
    points: i32,
) -> QueryResult<bool> {
    let row = PointsEvent {
        learner_id: learner.to_string(),
        course_id: course_id.to_string(),
        event_key: event_key.to_string(),
        points,
        created_at: now(),
    };
    let n = platform::with_backend!(conn, |c| diesel::insert_into(gam_points::table)
        .values(&row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Event keys already in the ledger for a learner and course.
pub fn event_keys(conn: &mut DbConn, learner: &str, course_id: &str) -> QueryResult<Vec<String>> {
    gam_points::table
        .filter(gam_points::learner_id.eq(learner))
        .filter(gam_points::course_id.eq(course_id))
        .select(gam_points::event_key)
        .load(conn)
}

/// Every ledger row of a learner (all courses).
pub fn points_of(conn: &mut DbConn, learner: &str) -> QueryResult<Vec<PointsEvent>> {
    gam_points::table
        .filter(gam_points::learner_id.eq(learner))
        .select(PointsEvent::as_select())
        .load(conn)
}

/// Notes a day of activity (idempotent).
pub fn record_day(
    conn: &mut DbConn,
    learner: &str,
    course_id: &str,
    day: NaiveDate,
) -> QueryResult<()> {
    platform::with_backend!(conn, |c| diesel::insert_into(gam_activity::table)
        .values((
            gam_activity::learner_id.eq(learner),
            gam_activity::course_id.eq(course_id),
            gam_activity::day.eq(day.format("%Y-%m-%d").to_string()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

fn parse_days(v: Vec<String>) -> Vec<NaiveDate> {
    v.iter()
        .filter_map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .collect()
}

/// Activity days of a learner in one course.
pub fn days_in_course(
    conn: &mut DbConn,
    learner: &str,
    course_id: &str,
) -> QueryResult<Vec<NaiveDate>> {
    Ok(parse_days(
        gam_activity::table
            .filter(gam_activity::learner_id.eq(learner))
            .filter(gam_activity::course_id.eq(course_id))
            .select(gam_activity::day)
            .load(conn)?,
    ))
}

/// Activity days of a learner in any course.
pub fn days(conn: &mut DbConn, learner: &str) -> QueryResult<Vec<NaiveDate>> {
    Ok(parse_days(
        gam_activity::table
            .filter(gam_activity::learner_id.eq(learner))
            .select(gam_activity::day)
            .distinct()
            .load(conn)?,
    ))
}

/// Awards a badge once per learner, course and key. Returns whether this call awarded it.
#[allow(clippy::too_many_arguments)]
pub fn award_badge(
    conn: &mut DbConn,
    learner: &str,
    course_id: &str,
    badge_key: &str,
    kind: &str,
    subject: &str,
    course_title: &str,
    organisation: &str,
) -> QueryResult<bool> {
    let row = Badge {
        id: new_badge_id(),
        learner_id: learner.to_string(),
        course_id: course_id.to_string(),
        badge_key: badge_key.to_string(),
        kind: kind.to_string(),
        subject: subject.to_string(),
        course_title: course_title.to_string(),
        organisation: organisation.to_string(),
        created_at: now(),
    };
    let n = platform::with_backend!(conn, |c| diesel::insert_into(gam_badges::table)
        .values(&row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

pub fn badge_keys(conn: &mut DbConn, learner: &str, course_id: &str) -> QueryResult<Vec<String>> {
    gam_badges::table
        .filter(gam_badges::learner_id.eq(learner))
        .filter(gam_badges::course_id.eq(course_id))
        .select(gam_badges::badge_key)
        .load(conn)
}

/// A learner's badges, oldest first.
pub fn badges_of(conn: &mut DbConn, learner: &str) -> QueryResult<Vec<Badge>> {
    gam_badges::table
        .filter(gam_badges::learner_id.eq(learner))
        .order((gam_badges::created_at.asc(), gam_badges::badge_key.asc()))
        .select(Badge::as_select())
        .load(conn)
}

pub fn find_badge(conn: &mut DbConn, id: &str) -> QueryResult<Option<Badge>> {
    gam_badges::table
        .find(id)
        .select(Badge::as_select())
        .first(conn)
        .optional()
}

/// Moves an anonymous learner's points, days and badges to an account, inside the merge's
/// transaction. What the account already has (the same event, day or badge) stays as it is and
/// the anonymous copy is dropped, so nothing is counted twice.
pub fn merge(conn: &mut DbConn, anon: &str, user: &str) -> QueryResult<()> {
    for p in points_of(conn, anon)? {
        let moved = PointsEvent {
            learner_id: user.to_string(),
            ..p
        };
        platform::with_backend!(conn, |c| diesel::insert_into(gam_points::table)
            .values(&moved)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    diesel::delete(gam_points::table.filter(gam_points::learner_id.eq(anon))).execute(conn)?;
    let days: Vec<(String, String)> = gam_activity::table
        .filter(gam_activity::learner_id.eq(anon))
        .select((gam_activity::course_id, gam_activity::day))
        .load(conn)?;
    for (course, day) in days {
        platform::with_backend!(conn, |c| diesel::insert_into(gam_activity::table)
            .values((
                gam_activity::learner_id.eq(user),
                gam_activity::course_id.eq(&course),
                gam_activity::day.eq(&day),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    diesel::delete(gam_activity::table.filter(gam_activity::learner_id.eq(anon))).execute(conn)?;
    for b in badges_of(conn, anon)? {
        let has = diesel::select(diesel::dsl::exists(
            gam_badges::table
                .filter(gam_badges::learner_id.eq(user))
                .filter(gam_badges::course_id.eq(&b.course_id))
                .filter(gam_badges::badge_key.eq(&b.badge_key)),
        ))
        .get_result::<bool>(conn)?;
        if has {
            diesel::delete(gam_badges::table.find(&b.id)).execute(conn)?;
        } else {
            // The badge keeps its public id: a link the learner already saved stays valid.
            diesel::update(gam_badges::table.find(&b.id))
                .set(gam_badges::learner_id.eq(user))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn membership(
    conn: &mut DbConn,
    course_id: &str,
    user_id: &str,
) -> QueryResult<Option<Membership>> {
    gam_leaderboard::table
        .find((course_id, user_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

/// Joins a course's leaderboard under a fresh pseudonym (unique in the course); joining again
/// keeps the existing membership.
pub fn join(conn: &mut DbConn, course_id: &str, user_id: &str) -> QueryResult<Membership> {
    if let Some(m) = membership(conn, course_id, user_id)? {
        return Ok(m);
    }
    for attempt in 0..32 {
        let row = Membership {
            course_id: course_id.to_string(),
            user_id: user_id.to_string(),
            pseudonym: super::pseudonym::generate(attempt),
            show_name: false,
            joined_at: now(),
        };
        platform::with_backend!(conn, |c| diesel::insert_into(gam_leaderboard::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c))?;
        if let Some(m) = membership(conn, course_id, user_id)? {
            return Ok(m);
        }
        // The pseudonym was taken in this course: draw another.
    }
    Err(diesel::result::Error::NotFound)
}

pub fn leave(conn: &mut DbConn, course_id: &str, user_id: &str) -> QueryResult<()> {
    diesel::delete(gam_leaderboard::table.find((course_id, user_id))).execute(conn)?;
    Ok(())
}

pub fn set_show_name(
    conn: &mut DbConn,
    course_id: &str,
    user_id: &str,
    show: bool,
) -> QueryResult<usize> {
    diesel::update(gam_leaderboard::table.find((course_id, user_id)))
        .set(gam_leaderboard::show_name.eq(show))
        .execute(conn)
}

/// One leaderboard row: the member, their real name (used only when `show_name`) and points.
#[derive(Debug, Clone)]
pub struct Standing {
    pub user_id: String,
    pub pseudonym: String,
    pub show_name: bool,
    pub full_name: String,
    pub points: i64,
}

/// Everyone who joined a course's leaderboard with their points in the course, best first (ties:
/// who joined first). Only members are read: learners who did not opt in are never loaded.
pub fn standings(conn: &mut DbConn, course_id: &str) -> QueryResult<Vec<Standing>> {
    use platform::db::schema::users;
    let rows: Vec<Membership> = gam_leaderboard::table
        .filter(gam_leaderboard::course_id.eq(course_id))
        .select(Membership::as_select())
        .load(conn)?;
    let user_ids: Vec<&str> = rows.iter().map(|m| m.user_id.as_str()).collect();
    let names: std::collections::HashMap<String, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let members: Vec<(String, String, bool, String, NaiveDateTime)> = rows
        .into_iter()
        .filter_map(|m| {
            let name = names.get(&m.user_id)?.clone();
            Some((m.user_id, m.pseudonym, m.show_name, name, m.joined_at))
        })
        .collect();
    let ids: Vec<&str> = members.iter().map(|m| m.0.as_str()).collect();
    let sums: Vec<(String, i32)> = gam_points::table
        .filter(gam_points::course_id.eq(course_id))
        .filter(gam_points::learner_id.eq_any(&ids))
        .select((gam_points::learner_id, gam_points::points))
        .load(conn)?;
    let mut totals: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (l, p) in sums {
        *totals.entry(l).or_default() += i64::from(p);
    }
    let mut out: Vec<(Standing, NaiveDateTime)> = members
        .into_iter()
        .map(|(user_id, pseudonym, show_name, full_name, joined)| {
            let points = totals.get(&user_id).copied().unwrap_or(0);
            (
                Standing {
                    user_id,
                    pseudonym,
                    show_name,
                    full_name,
                    points,
                },
                joined,
            )
        })
        .collect();
    out.sort_by(|a, b| b.0.points.cmp(&a.0.points).then(a.1.cmp(&b.1)));
    Ok(out.into_iter().map(|(s, _)| s).collect())
}
