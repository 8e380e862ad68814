//! Server-side sessions and one-time password-reset links. Only digests of the tokens are stored.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{now, random_token, token_digest};
use crate::db::schema::{password_resets, sessions, users};
use crate::db::DbConn;
use crate::models::user::User;

pub const SESSION_DAYS: i64 = 14;
pub const RESET_MINUTES: i64 = 60;

/// Starts a session and returns the token for the cookie.
pub fn create(conn: &mut DbConn, user_id: &str, user_agent: Option<&str>) -> QueryResult<String> {
    let token = random_token();
    let t = now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(token_digest(&token)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::expires_at.eq(t + Duration::days(SESSION_DAYS)),
            sessions::last_seen_at.eq(t),
            sessions::user_agent.eq(user_agent.map(|s| &s[..s.len().min(400)])),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The active user behind a session token, extending the session when it is used.
pub fn user_for_token(conn: &mut DbConn, token: &str) -> QueryResult<Option<User>> {
    let digest = token_digest(token);
    let t = now();
    let found: Option<(NaiveDateTime, User)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(&digest))
        .filter(sessions::expires_at.gt(t))
        .filter(users::is_active.eq(true))
        .select((sessions::last_seen_at, User::as_select()))
        .first(conn)
        .optional()?;
    let Some((last_seen, user)) = found else {
        return Ok(None);
    };
    // Sliding expiry, written at most once an hour so reads stay reads.
    if t - last_seen > Duration::hours(1) {
        diesel::update(sessions::table.find(&digest))
            .set((
                sessions::last_seen_at.eq(t),
                sessions::expires_at.eq(t + Duration::days(SESSION_DAYS)),
            ))
            .execute(conn)?;
    }
    Ok(Some(user))
}

pub fn delete(conn: &mut DbConn, token: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(token_digest(token)))
        .execute(conn)
        .map(drop)
}

/// Ends every session of a user except (optionally) the one in use.
pub fn delete_all_for_user(
    conn: &mut DbConn,
    user_id: &str,
    keep_token: Option<&str>,
) -> QueryResult<usize> {
    let keep = keep_token.map(token_digest).unwrap_or_default();
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

pub fn delete_expired(conn: &mut DbConn) -> QueryResult<usize> {
    let t = now();
    let n = diesel::delete(sessions::table.filter(sessions::expires_at.le(t))).execute(conn)?;
    let m = diesel::delete(password_resets::table.filter(password_resets::expires_at.le(t)))
        .execute(conn)?;
    Ok(n + m)
}

/// Creates a password-reset link token valid for [`RESET_MINUTES`].
pub fn create_reset(conn: &mut DbConn, user_id: &str) -> QueryResult<String> {
    let token = random_token();
    let t = now();
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(token_digest(&token)),
            password_resets::user_id.eq(user_id),
            password_resets::created_at.eq(t),
            password_resets::expires_at.eq(t + Duration::minutes(RESET_MINUTES)),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user a still-valid, unused reset token belongs to.
pub fn reset_user(conn: &mut DbConn, token: &str) -> QueryResult<Option<User>> {
    password_resets::table
        .inner_join(users::table)
        .filter(password_resets::id.eq(token_digest(token)))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now()))
        .filter(users::is_active.eq(true))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Marks a reset token used; returns false when it was already used (a concurrent double submit).
pub fn consume_reset(conn: &mut DbConn, token: &str) -> QueryResult<bool> {
    let n = diesel::update(
        password_resets::table
            .filter(password_resets::id.eq(token_digest(token)))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now()))
    .execute(conn)?;
    Ok(n == 1)
}
